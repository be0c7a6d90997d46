"""Chapter 09 exercises: initialization and the flow of gradients."""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from nbtext.exercises._core import (
    Case,
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    compare,
    fmt,
    is_blank,
    not_attempted,
    not_yet,
    to_float_array,
)
from nbtext.initializers import initial_std
from nbtext.network import MLP
from nbtext.training import clip_grad_norm, gradient_norms

# ------------------------------------------------------- variance of a sum ---

_N1, _VAR_W1, _VAR_X1 = 256, 0.01, 4.0

q1 = NumericExercise(
    name="ch09.q1",
    chapter=9,
    prompt=(
        "a = Σ w_i x_i over n = 256 inputs, independent and zero-mean, Var(w) = 0.01, "
        "Var(x) = 4: what is Var(a)?"
    ),
    reference=_N1 * _VAR_W1 * _VAR_X1,
    rtol=1e-4,
    atol=0.0,
    diagnoses=(
        (
            _VAR_W1 * _VAR_X1,
            "that is the variance of one product w_i · x_i; a adds up n = 256 of them, and "
            "the variances of independent terms add up too.",
        ),
        (
            _N1 * math.sqrt(_VAR_W1) * math.sqrt(_VAR_X1),
            "you used the standard deviations 0.1 and 2; the rule multiplies the variances "
            "Var(w) = 0.01 and Var(x) = 4, as given.",
        ),
        (
            _N1 * _VAR_W1,
            "n · Var(w) is the factor by which the layer multiplies the variance; multiply "
            "it by the input's variance Var(x) too.",
        ),
        (
            _N1 * _VAR_W1 * math.sqrt(_VAR_X1),
            "Var(x) = 4 is already a variance: use it as it is, without a square root.",
        ),
        (
            _N1 * _VAR_W1 * _VAR_X1**2,
            "Var(x) = 4 is already a variance: use it as it is, without squaring it.",
        ),
        (
            _N1 * _VAR_X1,
            "the weights' variance Var(w) = 0.01 is missing from your product.",
        ),
        (
            math.sqrt(_N1 * _VAR_W1 * _VAR_X1),
            "you seem to have taken a square root at the end, which gives the standard "
            "deviation of a; the question asks for its variance.",
        ),
    ),
    hints=(
        "One product w_i · x_i of independent zero-mean factors has variance Var(w) · Var(x).",
        "The variances of independent terms add up, and a is a sum of n such products.",
        "Var(a) = n · Var(w) · Var(x) = 256 · 0.01 · 4",
    ),
    solution_text=(
        "10.24 = 256 · 0.01 · 4: each product w_i x_i has variance Var(w) · Var(x) = 0.04, and "
        "a sums 256 independent ones. The layer multiplies the variance by n · Var(w) = 2.56; "
        "Var(w) = 1 / 256 would keep it unchanged."
    ),
)

# --------------------------------------------------------------- Xavier std ---


def xavier_std(n_in: int, n_out: int) -> float:
    """Xavier's standard deviation sqrt(2 / (n_in + n_out)) (as nbtext.initializers)."""
    return initial_std("xavier", n_in, n_out)


_N_OUT_ONLY = (
    "your rule looks at n_out only; Xavier's takes the mean of the two widths, n_in and n_out."
)

q2 = FunctionExercise(
    name="ch09.q2",
    chapter=9,
    prompt="Write xavier_std(n_in, n_out): the standard deviation of Xavier's initial weights.",
    reference=xavier_std,
    params=("n_in", "n_out"),
    cases=(
        Case((300, 200)),
        Case((100, 100)),
        Case((784, 256)),
        Case((2, 10)),
        Case((1, 1)),
    ),
    diagnoses=(
        (
            lambda i, o: 2 / (i + o),
            "that is Xavier's variance, 2 / (n_in + n_out); the standard deviation is its "
            "square root.",
        ),
        (
            lambda i, o: math.sqrt(1 / (i + o)),
            "Xavier's variance has a 2 on top: 2 / (n_in + n_out) is 1 over the mean of the "
            "two widths.",
        ),
        (
            lambda i, o: initial_std("he", i, o),
            "that is He's rule for ReLU, sqrt(2 / n_in); Xavier's uses both widths, n_in and "
            "n_out.",
        ),
        (
            lambda i, o: initial_std("lecun", i, o),
            "that is sqrt(1 / n_in), LeCun's rule, which looks at the inputs only; Xavier's "
            "also counts the outputs n_out (the backward pass sums over them).",
        ),
        (lambda i, o: math.sqrt(1 / o), _N_OUT_ONLY),
        (lambda i, o: math.sqrt(2 / o), _N_OUT_ONLY),
        (
            lambda i, o: math.sqrt((i + o) / 2),
            "the fraction is upside down: wider layers need smaller weights, so n_in + n_out "
            "goes below the line.",
        ),
        (
            lambda i, o: 2 / math.sqrt(i + o),
            "take the square root of the whole fraction, sqrt(2 / (n_in + n_out)), not of "
            "the denominator only.",
        ),
        (
            lambda i, o: math.sqrt(6 / (i + o)),
            "sqrt(6 / (n_in + n_out)) is the limit a of Glorot's uniform version, U(−a, a); "
            "the standard deviation asked for is that of the normal version.",
        ),
    ),
    hints=(
        "Xavier chooses the variance Var(w) = 2 / (n_in + n_out); what does it mean for the "
        "standard deviation?",
        "The standard deviation is the square root of the variance: np.sqrt or math.sqrt.",
        "return np.sqrt(2 / (n_in + n_out))",
    ),
    solution_text=(
        "def xavier_std(n_in, n_out):\n"
        "    return np.sqrt(2 / (n_in + n_out))\n"
        "# the same as nbtext.initializers.initial_std('xavier', n_in, n_out)"
    ),
)

# ------------------------------------------------------------------ He std ---

_HE_IN, _HE_OUT = 50, 30

q3 = NumericExercise(
    name="ch09.q3",
    chapter=9,
    prompt="A ReLU layer has 50 inputs and 30 outputs: what std does He initialization give W?",
    reference=initial_std("he", _HE_IN, _HE_OUT),
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        (
            2 / _HE_IN,
            "that is He's variance, 2 / n_in; the standard deviation is its square root.",
        ),
        (
            initial_std("xavier", _HE_IN, _HE_OUT),
            "that is Xavier's rule, sqrt(2 / (n_in + n_out)), for tanh and sigmoid; He's "
            "looks at the inputs only.",
        ),
        (
            initial_std("lecun", _HE_IN, _HE_OUT),
            "that is sqrt(1 / n_in); He doubles the variance, to make up for ReLU setting "
            "about half of its inputs to zero.",
        ),
        (
            1 / _HE_IN,
            "1 / n_in is LeCun's variance; He's variance is twice that, and the question asks "
            "for a standard deviation.",
        ),
        (
            initial_std("he", _HE_OUT, _HE_IN),
            "He's rule counts the layer's inputs, n_in = 50, not its outputs.",
        ),
        (
            2 / math.sqrt(_HE_IN),
            "take the square root of the whole fraction, sqrt(2 / n_in), not of n_in only.",
        ),
        (
            math.sqrt(2) / _HE_IN,
            "take the square root of the whole fraction, sqrt(2 / n_in), not of the 2 only.",
        ),
    ),
    hints=(
        "He initialization chooses the variance Var(w) = 2 / n_in; n_out plays no part.",
        "The standard deviation is the square root of the variance.",
        "std = sqrt(2 / 50)",
    ),
    solution_text=(
        "0.2 = sqrt(2 / 50) = sqrt(0.04), as initial_std('he', 50, 30) gives. The 30 outputs "
        "do not matter: He's rule looks at the inputs only."
    ),
)

# ---------------------------------------------------- which init for ReLU ---

q4 = ChoiceExercise(
    name="ch09.q4",
    chapter=9,
    prompt="Which initialization suits a deep ReLU network with 100 units per layer, and why?",
    reference="d",
    options={
        "a": "normal weights with std 0.01: small weights keep the signals small and safe",
        "b": "normal weights with std 1: large weights keep the signals strong",
        "c": "Xavier, Var(w) = 2 / (n_in + n_out): it keeps the signal's variance steady",
        "d": "He, Var(w) = 2 / n_in: ReLU sets about half of its inputs to zero, which halves "
        "the signal's second moment, and the 2 makes up for it",
    },
    aliases=("he", "he initialization", "he init", "kaiming", "kaiming he"),
    diagnoses={
        "a": "with std 0.01 each layer multiplies the signal's second moment by about "
        "n · Var(w) / 2 = 100 · 0.0001 / 2 = 0.005: after a few layers every activation is "
        "about 0 (the activations collapse), and the gradients vanish with them.",
        "b": "with std 1 each layer multiplies the signal's second moment by about "
        "n · Var(w) / 2 = 100 / 2 = 50: the activations, and the gradients, explode layer "
        "after layer.",
        "c": "Xavier suits tanh and sigmoid. ReLU sets about half of its inputs to zero, so "
        "with Xavier's Var(w) = 1 / n each layer halves the second moment: the signal shrinks "
        "by about √2 per layer and fades in a deep network.",
    },
    hints=(
        "A good initialization keeps the size of the signal the same from layer to layer.",
        "Each layer multiplies the variance by n · Var(w); what does ReLU, which outputs 0 for "
        "every negative input, do to it on top of that?",
        "ReLU halves the second moment, so n · Var(w) must be 2 instead of 1.",
    ),
    solution_text=(
        "(d) He, Var(w) = 2 / n_in (MLP's default for ReLU). A layer multiplies the second "
        "moment by n · Var(w), and ReLU, which zeroes about half of its inputs, halves it; "
        "n · Var(w) = 2 keeps the product at 1. Std 0.01 makes the signal collapse, std 1 "
        "makes it explode, and Xavier (made for tanh and sigmoid) lets it shrink by about √2 "
        "per layer."
    ),
)

# -------------------------------------------------- variance after k layers ---

_N5, _STD5, _K5, _VAR_X5 = 100, 0.2, 10, 1.0
_FACTOR5 = _N5 * _STD5**2  # n · Var(w), the factor of one layer

q5 = NumericExercise(
    name="ch09.q5",
    chapter=9,
    prompt="10 linear layers of 100 units, weight std 0.2, input variance 1: output variance?",
    reference=round(_FACTOR5**_K5 * _VAR_X5, 6),
    rtol=5e-3,  # 1.05e6 is a fair rounding of 4**10 = 1048576
    atol=0.0,
    diagnoses=(
        (
            _FACTOR5 * _K5,
            "each layer multiplies the variance by n · Var(w); ten layers multiply ten such "
            "factors together, they do not add them.",
        ),
        (
            _FACTOR5,
            "that is the factor of one layer; the signal passes ten layers, and each one "
            "multiplies the variance again.",
        ),
        (
            _STD5**_K5,
            "each layer multiplies the variance by n · Var(w), with the n = 100 inputs and the "
            "variance 0.2², not by the weights' std alone.",
        ),
        (
            (_STD5**2) ** _K5,
            "each layer multiplies the variance by n · Var(w): the n = 100 inputs that every "
            "unit sums are missing.",
        ),
        (
            (_N5 * _STD5) ** _K5,
            "n · std(w) uses the standard deviation; the variance is multiplied by n · Var(w), "
            "with Var(w) = 0.2² = 0.04.",
        ),
        (
            math.sqrt(_FACTOR5) ** _K5,
            "that is how much the standard deviation grows; the question asks for the "
            "variance, which grows by the square of that factor per layer.",
        ),
        (
            _FACTOR5 ** (_K5 - 1),
            "count the factors again: each of the 10 layers multiplies the variance once.",
        ),
        (
            _FACTOR5 ** (_K5 + 1),
            "count the factors again: each of the 10 layers multiplies the variance once.",
        ),
        (
            1e6,
            "that is the rounded 'about a million'; give the exact value, the input's variance "
            "times ten factors of n · Var(w).",
        ),
    ),
    hints=(
        "One layer multiplies the signal's variance by n · Var(w). What is that factor here?",
        "n · Var(w) = 100 · 0.2² = 4 for every layer; the input's variance is 1.",
        "Ten layers: multiply the input's variance by ten factors of 4, i.e. 4 ** 10.",
    ),
    solution_text=(
        "1048576 = 4 ** 10: each layer multiplies the variance by n · Var(w) = 100 · 0.04 = 4, "
        "so the std doubles per layer and is about 1000 times the input's after 10 layers. "
        "Var(w) = 1 / 100 (std 0.1) would keep it at 1."
    ),
)

# ------------------------------------------------------ clipping by norm ---


def clip_by_norm(grads: dict[str, np.ndarray], max_norm: float) -> dict[str, np.ndarray]:
    """A new dict of the gradients clipped to total length ``max_norm`` (nbtext's
    clip_grad_norm, run on copies so the caller's arrays stay as they are)."""
    clipped = {name: np.array(g, dtype=np.float64) for name, g in grads.items()}
    clip_grad_norm(clipped, max_norm)
    return clipped


@dataclass(repr=False, eq=False)
class _DictFunctionExercise(FunctionExercise):
    """A function exercise whose input and result are dicts name → array (gradients).

    Results are compared key by key; a function that changes the arrays of its input dict
    is told to return a new dict instead.
    """

    def _run_case(self, fn: Callable[..., Any], case: Case) -> None:
        changed = False

        @functools.wraps(fn)  # so the checker still sees the learner's own function
        def watched(*args: Any) -> Any:
            nonlocal changed
            before = copy.deepcopy(args)
            out = fn(*args)
            changed = not all(_same(a, b) for a, b in zip(before, args, strict=True))
            return out

        try:
            super()._run_case(watched, case)
        except Exception:
            if not changed:
                raise
        if changed:
            raise not_yet(
                f"your function changed the arrays of grads in place on input "
                f"{case.describe(self.params)}; {self.mutation_message}"
            )

    def _compare_unsafe(self, expected: Any, got: Any) -> str | None:
        if not isinstance(expected, Mapping):
            return super()._compare_unsafe(expected, got)
        if not isinstance(got, Mapping):
            if isinstance(got, (int, float, np.number)) and not isinstance(got, bool):
                return (
                    f"its result is the number {fmt(got)}, not a dict; return the clipped "
                    "gradients, a dict with the same keys as grads"
                )
            return (
                f"its result is a {type(got).__name__}, not a dict; return a dict with the "
                "same keys as grads"
            )
        if len(got) != len(expected) or any(key not in got for key in expected):
            keys = list(got)[:6]
            return (
                f"its result has the keys {fmt(keys)}; expected the keys of grads, "
                f"{fmt(list(expected))}"
            )
        for key, value in expected.items():
            reason = compare(value, got[key], rtol=self.rtol, atol=self.atol, what=f"[{key!r}]")
            if reason is not None:
                return f"in [{key!r}], {reason}"
        return None


def _same(before: Any, after: Any) -> bool:
    """True if ``after`` still holds what ``before`` held (dicts of arrays compared entry by
    entry)."""
    if isinstance(before, Mapping):
        return isinstance(after, Mapping) and all(
            key in after and _same(value, after[key]) for key, value in before.items()
        )
    if isinstance(before, np.ndarray):
        return isinstance(after, np.ndarray) and np.array_equal(before, after, equal_nan=True)
    return True


def _norm_of(grads: dict[str, np.ndarray]) -> float:
    """‖g‖, the length of all the gradients together as one long vector."""
    return math.sqrt(sum(n * n for n in gradient_norms(grads).values()))


def _label(grads: dict[str, np.ndarray], max_norm: float) -> str:
    """How a case reads in feedback: the dict as the learner would write it, and its length."""
    items = ", ".join(f"{key!r}: np.array({np.asarray(g).tolist()})" for key, g in grads.items())
    return f"grads = {{{items}}} (length {fmt(_norm_of(grads))}), max_norm = {fmt(max_norm)}"


def _clip_case(grads: dict[str, np.ndarray], max_norm: float) -> Case:
    return Case((grads, max_norm), _label(grads, max_norm))


_RNG6 = np.random.default_rng(9)
_LONG = {"W1": np.array([[1.0, 2.0], [2.0, 0.0]]), "b1": np.array([0.0, 4.0])}
_SHORT = {"W1": np.array([[0.3, -0.4]]), "b1": np.array([0.0])}
_LAYERS = {
    "W1": np.round(_RNG6.normal(0.0, 3.0, size=(3, 2)), 2),
    "b1": np.round(_RNG6.normal(0.0, 3.0, size=2), 2),
    "W2": np.round(_RNG6.normal(0.0, 3.0, size=(2, 1)), 2),
    "b2": np.round(_RNG6.normal(0.0, 3.0, size=1), 2),
}
_ZERO = {"W1": np.zeros((2, 2)), "b1": np.zeros(2)}


q6 = _DictFunctionExercise(
    name="ch09.q6",
    chapter=9,
    prompt="Write clip_by_norm(grads, max_norm): a new dict of gradients, clipped by total norm.",
    reference=clip_by_norm,
    params=("grads", "max_norm"),
    cases=(
        _clip_case(_LONG, 2.5),
        _clip_case(_SHORT, 2.5),
        _clip_case(_LAYERS, 5.0),
        _clip_case(_ZERO, 1.0),
        _clip_case({"W": np.array([[30.0, -40.0]])}, 0.5),
    ),
    rtol=1e-5,  # with or without torch's + 1e-6 (every clipped case is at least 5 long)
    atol=1e-9,
    diagnoses=(
        (
            lambda g, m: {k: np.clip(v, -m, m) for k, v in g.items()},
            "np.clip cuts each entry on its own and changes the gradient's direction; "
            "clipping by norm multiplies every entry by the same factor, max_norm / ‖g‖.",
        ),
        (
            lambda g, m: {k: v * min(1.0, m / np.sqrt(np.sum(v**2))) for k, v in g.items()},
            "you scaled each array by its own length; all the gradients together form one "
            "long vector g, and they share one factor max_norm / ‖g‖ with ‖g‖ over all of them.",
        ),
        (
            lambda g, m: {k: v * m / _norm_of(g) for k, v in g.items()},
            "a gradient that is already shorter than max_norm stays as it is: scale only "
            "when ‖g‖ > max_norm.",
        ),
        (
            lambda g, m: {k: v / m for k, v in g.items()},
            "dividing by max_norm does not make g any particular length; multiply by "
            "max_norm / ‖g‖, which makes its length max_norm.",
        ),
        (
            lambda g, m: {k: v * _norm_of(g) / m for k, v in g.items()},
            "the factor is upside down: multiply by max_norm / ‖g‖, which is below 1 when g "
            "is too long.",
        ),
        (
            lambda g, m: {k: v * m / _norm_of(g) ** 2 for k, v in g.items()},
            "‖g‖ is the square root of the sum of squares, sqrt(Σ g²); you divided by the sum "
            "of squares itself.",
        ),
        (
            lambda g, m: {k: v / _norm_of(g) for k, v in g.items()},
            "dividing by ‖g‖ gives length 1; multiply by max_norm / ‖g‖ to get length max_norm.",
        ),
        (
            lambda g, m: _norm_of(g),
            "that looks like the gradient's length, which nbtext's clip_grad_norm returns.",
        ),
    ),
    mutation_message=(
        "leave them alone and return a new dict, e.g. {name: g * scale for name, g in "
        "grads.items()}."
    ),
    hints=(
        "First the length of all gradients together: ‖g‖ = sqrt of the sum of g² over every "
        "entry of every array.",
        "If ‖g‖ > max_norm, multiply every array by the same factor max_norm / ‖g‖; otherwise "
        "return copies unchanged.",
        "norm = np.sqrt(sum(np.sum(g**2) for g in grads.values())); "
        "scale = min(1.0, max_norm / (norm + 1e-6)); "
        "return {name: g * scale for name, g in grads.items()}",
    ),
    solution_text=(
        "def clip_by_norm(grads, max_norm):\n"
        "    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))\n"
        "    scale = min(1.0, max_norm / (norm + 1e-6))  # the 1e-6 is torch's\n"
        "    return {name: g * scale for name, g in grads.items()}\n"
        "# nbtext.training.clip_grad_norm(grads, max_norm) does this in place and returns norm"
    ),
)

# ------------------------------------------------------ vanishing gradients ---


def _deep_sigmoid_norms(layers: int = 10, width: int = 100, n: int = 200) -> dict[str, float]:
    """The weight gradients' lengths of a fresh MLP with ``layers`` sigmoid layers."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(n, width)), rng.integers(0, 2, size=n)
    model = MLP([width] * layers + [2], "sigmoid")
    model.loss(X, y)
    return {k: v for k, v in gradient_norms(model.backward()).items() if k.startswith("W")}


_NORMS7 = _deep_sigmoid_norms()

q7 = ChoiceExercise(
    name="ch09.q7",
    chapter=9,
    prompt=(
        "In a freshly initialized network of 10 weight layers (nine hidden sigmoid layers of 100 "
        "units and a 2-unit output layer, Xavier's weights), which weight gradient is the "
        "smallest, and why?"
    ),
    reference="a",
    options={
        "a": "dW1, of the first layer: on its way back from the loss it has been multiplied "
        "by Wᵀ and by the sigmoid's slope (at most 1/4) once for every layer above it",
        "b": "dW10, of the last layer: it is the farthest from the input, so the least of the "
        "input's signal reaches it",
        "c": "none: every hidden layer has 100 units, and Xavier's rule is made to give all of "
        "them gradients of about the same size",
        "d": "dW1, because the inputs X are small numbers and dW1 is computed from them",
    },
    aliases=("dw1", "w1", "the first layer", "first layer", "the first"),
    diagnoses={
        "b": "the backward pass starts at the loss, right next to the last layer: dW10 has "
        "passed through no slope factor at all, and it is usually the largest.",
        "c": "Xavier balances the weights, but every layer the gradient passes on its way "
        "back also multiplies it by the sigmoid's slope, at most 1/4, and those factors pile up.",
        "d": "the right layer, but not the reason: the inputs' size scales dW1 once; what makes "
        "it about a million times smaller is the chain of factors (slope ≤ 1/4) between it "
        "and the loss.",
    },
    hints=(
        "The backward pass starts at the loss, at the output, and moves towards the input.",
        "At every layer it passes, the gradient is multiplied by Wᵀ and by the sigmoid's slope, "
        "which is never more than 1/4.",
        "The layer with the most layers between it and the loss gets the most slope factors.",
    ),
    solution_text=(
        "(a) dW1. The gradient flows back from the loss; each layer multiplies it by Wᵀ and by "
        "the sigmoid's slope (≤ 1/4), so the layers nearest the input get the product of the "
        "most such factors. "
        f"For instance, MLP([100] * 10 + [2], 'sigmoid') on 200 random inputs has "
        f"‖dW1‖ ≈ {_NORMS7['W1']:.0e} and ‖dW10‖ ≈ {_NORMS7['W10']:.1g} "
        "(gradient_norms): the first layers hardly learn. That is the vanishing gradient."
    ),
)

# ---------------------------------------------------------------- collapse ---


@dataclass(repr=False, eq=False)
class _MagnitudeExercise(NumericExercise):
    """A positive number judged on a log scale: correct within a factor ``within`` of the
    reference; a wrong answer gets the diagnosis whose value is nearest, if within a factor of
    2 (0 matches only 0)."""

    within: float = 3.0

    def evaluate(self, answer: Any) -> None:
        if is_blank(answer):
            raise not_attempted()
        arr = to_float_array(answer)
        if arr.size != 1:
            raise not_yet(f"expected a single number, got an array of shape {arr.shape}.")
        value = float(arr.reshape(()))
        if not math.isfinite(value):
            raise not_yet(f"your answer {fmt(value)} is not a finite number.")
        if value < 0:
            raise not_yet(f"your answer {fmt(value)} is negative, and a std never is.")
        ratio = value / float(self.reference)
        if 1 / self.within <= ratio <= self.within:
            return
        near = [(_log_distance(value, wrong), why) for wrong, why in self.diagnoses]
        distance, why = min(near, key=lambda pair: pair[0], default=(math.inf, ""))
        if distance <= math.log(2.0):
            raise not_yet(f"your answer {fmt(value)} is off — {why}")
        direction = "large" if ratio > 1 else "small"
        raise not_yet(
            f"your answer {fmt(value)} is too {direction} (the check accepts anything within a "
            f"factor of {self.within:g} of the real value)."
        )


def _log_distance(value: float, target: float) -> float:
    """|ln(value / target)|: 0 when equal, ln 2 for a factor of 2 (0 is near only to 0)."""
    if value == 0 or target == 0:
        return 0.0 if value == target else math.inf
    return abs(math.log(value / target))


_X8_SHAPE, _SIZES8, _STD8 = (500, 100), [100] * 6 + [2], 0.01


def _collapsed_std() -> float:
    """The std of the last hidden layer of q8's tanh network with weights of std 0.01."""
    X = np.random.default_rng(0).normal(size=_X8_SHAPE)
    return float(MLP(_SIZES8, "tanh", init=_STD8).hidden_outputs(X)[-1].std())


_STD8_VALUE = _collapsed_std()


q8 = _MagnitudeExercise(
    name="ch09.q8",
    chapter=9,
    prompt=(
        "Predict within a factor of 3: MLP([100] * 6 + [2], 'tanh', init=0.01)"
        ".hidden_outputs(X)[-1].std() for X = np.random.default_rng(0).normal(size=(500, 100))"
    ),
    reference=_STD8_VALUE,
    diagnoses=(
        (
            0.0,
            "the outputs shrink at every layer but never become exactly 0: tanh of a small "
            "number is about that number.",
        ),
        (
            0.5,
            "0.5 is where a sigmoid unit sits when its input is about 0; this network uses "
            "tanh, and the question asks how widely the outputs spread (their std).",
        ),
        (
            1.0,
            "the spread does not stay at X's std of 1: each layer multiplies the variance by "
            "n · Var(w) = 100 · 0.01², far below 1.",
        ),
        (
            0.1,
            "that is the spread after the first hidden layer; each of the following hidden "
            "layers multiplies it by the same factor again.",
        ),
        (
            1e-4,
            "count the layers again: [100] * 6 + [2] makes 6 Dense layers, and all but the "
            "last are hidden; hidden_outputs(X)[-1] is the last hidden one.",
        ),
        (
            1e-6,
            "hidden_outputs(X)[-1] is the last HIDDEN layer: [100] * 6 + [2] makes 6 Dense "
            "layers, but the last one is the output layer, which hidden_outputs leaves out.",
        ),
        (
            1e-10,
            "that multiplies by std(w) = 0.01 per layer; but every unit sums n = 100 inputs, "
            "so each layer multiplies the std by sqrt(n) · std(w) (and the variance by "
            "n · Var(w)).",
        ),
    ),
    hints=(
        "With tiny weights every tanh unit works near 0, where tanh(a) ≈ a: the layers act "
        "as if they were linear.",
        "Each layer multiplies the std by sqrt(n · Var(w)) = sqrt(100) · 0.01 = 0.1; X's std is 1.",
        "Count the hidden layers: [100] * 6 + [2] has 6 Dense layers, the last of which is "
        "the output layer.",
    ),
    solution_text=(
        f"About 1e-5 (it prints {_STD8_VALUE:.2g}): with weights of std 0.01 every tanh "
        "unit works near 0, where tanh(a) ≈ a, and each of the 5 hidden layers multiplies the "
        "std by sqrt(100) · 0.01 = 0.1. The activations collapse towards 0, and the gradients, "
        "which are multiplied by the same small weights on the way back, vanish with them."
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
