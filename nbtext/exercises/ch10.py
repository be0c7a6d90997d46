"""Chapter 10 exercises: generalization and regularization."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nbtext.exercises._core import (
    NOT_YET,
    Case,
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    _plain,
    _Verdict,
    fmt,
    is_blank,
    matches,
    not_attempted,
    not_yet,
    to_float_array,
)
from nbtext.layers import Dropout
from nbtext.network import MLP
from nbtext.optimizers import SGD
from nbtext.preprocessing import Standardizer
from nbtext.training import History, fit


@dataclass(repr=False, eq=False)
class _ExplainedFunctionExercise(FunctionExercise):
    """A function exercise that also explains what the table of wrong functions cannot.

    ``error_hints``: (text in the error the learner's function raised, what it usually
    means), added to the "your function raised …" feedback. ``explain(result, case)``:
    a reason for a wrong result that no diagnosis matched (None for no reason).
    """

    error_hints: Sequence[tuple[str, str]] = ()
    explainer: Callable[[Any, Case], str | None] | None = None

    def _run_case(self, fn: Callable[..., Any], case: Case) -> None:
        seen: dict[str, Any] = {}

        @functools.wraps(fn)  # so the checker still sees the learner's own function
        def recording(*args: Any) -> Any:
            seen["result"] = fn(*args)
            return seen["result"]

        try:
            super()._run_case(recording, case)
        except _Verdict as verdict:
            if verdict.status != NOT_YET or " — " in verdict.message:
                raise
            message = verdict.message.rstrip(".")
            if "your function raised" in message:
                for needle, why in self.error_hints:
                    if needle in message:
                        raise not_yet(f"{message} — {why}") from None
            elif "result" in seen:
                why = self.explain(seen["result"], case)
                if why:
                    raise not_yet(f"{message} — {why}") from None
            raise

    def explain(self, result: Any, case: Case) -> str | None:
        return None if self.explainer is None else self.explainer(result, case)


# ------------------------------------------------------ one step with decay ---

_W1, _G1, _LR1, _LAM1 = 2.0, 0.5, 0.1, 0.01


def _step_with_decay(w: float, g: float, lr: float, lam: float) -> float:
    """w after one SGD step of nbtext's MLP with ``weight_decay=lam``, whose data gradient is g.

    The network is MLP([1, 1], output="identity"): one weight w, bias 0, one sample x = 1
    and target t = w − g/2, so the data loss (w − t)² has the gradient 2(w − t) = g.
    """
    model = MLP([1, 1], output="identity", weight_decay=lam)
    model.params["W1"][...] = w
    model.params["b1"][...] = 0.0
    _, grads = model.loss_and_gradients(np.ones((1, 1)), np.array([w - g / 2]))
    SGD(lr).step(model.params, grads)
    return float(model.params["W1"][0, 0])


@dataclass(repr=False, eq=False)
class _DiagnosedFirstExercise(NumericExercise):
    """A number whose typical wrong values lie within 1 % of the answer.

    NumericExercise would call such a value "close: keep more digits"; here a value that
    matches a typical mistake is named as that mistake first.
    """

    def evaluate(self, answer: Any) -> None:
        if is_blank(answer):
            raise not_attempted()
        if not matches(answer, self.reference, self.rtol, self.atol):
            for wrong, why in self.diagnoses:
                if matches(answer, wrong, self.rtol, self.atol):
                    value = float(np.asarray(answer, dtype=np.float64).reshape(()))
                    reference = float(self.reference)
                    direction = "large" if value > reference else "small"
                    shown = fmt(value) if fmt(value) != fmt(reference) else f"{value:.10g}"
                    raise not_yet(f"your answer {shown} is too {direction} — {why}")
        super().evaluate(answer)


q1 = _DiagnosedFirstExercise(
    name="ch10.q1",
    chapter=10,
    prompt=(
        "One SGD step with weight decay: w = 2.0, data gradient g = 0.5, η = 0.1, λ = 0.01. "
        "What is w after the step?"
    ),
    reference=round(_step_with_decay(_W1, _G1, _LR1, _LAM1), 12),
    rtol=1e-6,
    atol=0.0,
    diagnoses=(
        (
            _W1 - _LR1 * _G1,
            "that is the plain SGD step w − η·g; the penalty (λ/2)·w² adds λ·w to the "
            "gradient, so the step is w − η·(g + λ·w).",
        ),
        (
            _W1 - _LR1 * (_G1 + _LAM1 / 2 * _W1),
            "the derivative of the penalty (λ/2)·w² is λ·w: the 2 of the square cancels the "
            "1/2, so add λ·w to the gradient, not (λ/2)·w.",
        ),
        (
            _W1 + _LR1 * (_G1 + _LAM1 * _W1),
            "a step of gradient descent goes downhill: subtract η·(g + λ·w) from w.",
        ),
        (
            _W1 - _LR1 * _G1 + _LR1 * _LAM1 * _W1,
            "weight decay makes the weight smaller: λ·w is added to the gradient, and the "
            "step subtracts η times all of it, w − η·(g + λ·w).",
        ),
        (
            _W1 - _LR1 * _G1 - _LAM1 * _W1,
            "the decay term is multiplied by the learning rate too: w − η·(g + λ·w), so the "
            "weight shrinks by the factor 1 − η·λ, not 1 − λ.",
        ),
        (
            (1 - _LR1 * _LAM1) * (_W1 - _LR1 * _G1),
            "the decay shrinks the weight the step starts from: (1 − η·λ)·w − η·g, not "
            "(1 − η·λ)·(w − η·g).",
        ),
    ),
    hints=(
        "The loss with weight decay is L_data + (λ/2)·w². What does the penalty add to the "
        "gradient?",
        "The derivative of (λ/2)·w² is λ·w, so the gradient is g + λ·w, and one step is "
        "w − η·(g + λ·w).",
        "2.0 − 0.1 · (0.5 + 0.01 · 2.0)",
    ),
    solution_text=(
        "1.948 = 2.0 − 0.1 · (0.5 + 0.01 · 2.0), the same as (1 − η·λ)·w − η·g = 0.999 · 2.0 − "
        "0.05: the weight first shrinks by the factor 1 − ηλ (the decay), then takes the plain "
        "gradient step. Without weight decay it would be 1.95. MLP(..., weight_decay=λ) "
        "adds λ·W to the weights' gradients; any optimizer then takes its step."
    ),
)

# ------------------------------------------------------------- the penalty ---


def penalty(params: Mapping[str, np.ndarray], lam: float) -> float:
    """(λ/2) · Σ W² over the weight matrices W1, W2, … of ``params`` (not the biases)."""
    squares = sum(np.sum(np.square(W)) for key, W in params.items() if key.startswith("W"))
    return float(0.5 * lam * squares)


def _weights(params: Mapping[str, np.ndarray]) -> list[np.ndarray]:
    return [np.asarray(value) for key, value in params.items() if key.startswith("W")]


def _params_label(params: Mapping[str, np.ndarray], lam: float) -> str:
    """How a case reads in feedback: small dicts in full, larger ones by their shapes."""
    if sum(np.size(v) for v in params.values()) <= 12:
        items = ", ".join(
            f"{key!r}: np.array({np.asarray(v).tolist()})" for key, v in params.items()
        )
    else:
        items = ", ".join(f"{key!r}: shape {np.shape(v)}" for key, v in params.items())
    return f"params = {{{items}}}, lam = {fmt(lam)}"


def _penalty_case(params: dict[str, np.ndarray], lam: float, note: str = "") -> Case:
    return Case((params, lam), _params_label(params, lam) + note)


_HAND = {
    "W1": np.array([[1.0, 2.0], [3.0, 0.0]]),
    "b1": np.array([1.0, 1.0]),
    "W2": np.array([[2.0], [-1.0]]),
    "b2": np.array([5.0]),
}
_NET2 = {k: v.copy() for k, v in MLP([4, 8, 8, 3], seed=1).params.items()}
for _key in ("b1", "b2", "b3"):  # trained biases are rarely 0; make leaving them out matter
    _NET2[_key] = np.random.default_rng(2).normal(0.0, 1.0, _NET2[_key].shape)
_NET1 = {k: v.copy() for k, v in MLP([3, 2], seed=3).params.items()}
_NET1["b1"] = np.array([0.5, -0.5])

q2 = _ExplainedFunctionExercise(
    name="ch10.q2",
    chapter=10,
    prompt=(
        "Write penalty(params, lam): the weight-decay penalty (λ/2)·Σ W² over the weight "
        "matrices W1, W2, … of a params dict (biases excluded)."
    ),
    reference=penalty,
    params=("params", "lam"),
    cases=(
        _penalty_case(_HAND, 0.1),
        _penalty_case(_NET2, 1e-3, " (MLP([4, 8, 8, 3]).params: three weight matrices)"),
        _penalty_case(_NET1, 0.5, " (MLP([3, 2]).params: one weight matrix)"),
        _penalty_case(_HAND, 0.0),
    ),
    rtol=1e-6,
    atol=1e-12,
    diagnoses=(
        (
            lambda p, lam: 0.5 * lam * sum(np.sum(np.square(v)) for v in p.values()),
            "the biases are not penalized: sum over the weight matrices W1, W2, … only "
            "(keys that start with 'W').",
        ),
        (
            lambda p, lam: lam * sum(np.sum(np.square(w)) for w in _weights(p)),
            "the penalty is (λ/2)·Σ W²: you left out the 1/2 (it is there so that the "
            "gradient is λ·W).",
        ),
        (
            lambda p, lam: lam * sum(np.sum(np.square(v)) for v in p.values()),
            "the penalty is (λ/2)·Σ W² over the weights only: the 1/2 is missing, and the "
            "biases are not penalized.",
        ),
        (
            lambda p, lam: 0.5 * lam * sum(np.sum(np.abs(w)) for w in _weights(p)),
            "Σ |W| is the L1 penalty; weight decay (L2) sums the squares, Σ W².",
        ),
        (
            lambda p, lam: lam * sum(np.sum(np.abs(w)) for w in _weights(p)),
            "λ·Σ |W| is the L1 penalty; weight decay (L2) is (λ/2)·Σ W², with squares.",
        ),
        (
            lambda p, lam: 0.5 * lam * sum(np.sqrt(np.sum(np.square(w))) for w in _weights(p)),
            "sqrt(Σ W²) is the length (norm) of W; the penalty uses its square, Σ W², with no "
            "square root.",
        ),
        (
            lambda p, lam: 0.5 * lam * np.sqrt(sum(np.sum(np.square(w)) for w in _weights(p))),
            "sqrt(Σ W²) is the length (norm) of the weights; the penalty uses its square, "
            "Σ W², with no square root.",
        ),
        (
            lambda p, lam: 0.5 * lam * sum(np.mean(np.square(w)) for w in _weights(p)),
            "np.mean divides by the number of entries; the penalty is a sum, Σ W², over every "
            "weight.",
        ),
        (
            lambda p, lam: 0.5 * lam * (np.sum(np.square(p["W1"])) + np.sum(np.square(p["W2"]))),
            "a network can have any number of layers: sum over every weight matrix in params "
            "(W1, W2, W3, …), not over W1 and W2 only.",
        ),
        (
            lambda p, lam: 0.5 * lam * sum(np.sum(w) ** 2 for w in _weights(p)),
            "square each weight, then add: Σ W², not (Σ W)².",
        ),
    ),
    error_hints=(
        (
            "'str'",
            "looping over a dict gives its keys, the strings 'W1', 'b1', …; use "
            "params.items() to get each key with its array.",
        ),
        (
            "not supported for the input types",
            "NumPy got something that is not an array of numbers, often a key: looping over a "
            "dict gives its keys, the strings 'W1', 'b1', …; use params.items() to get each "
            "key with its array.",
        ),
        (
            "KeyError",
            "params holds only the layers the network has: loop over its keys (those that "
            "start with 'W') instead of naming W1, W2, … yourself.",
        ),
    ),
    hints=(
        "Loop over params.items() and keep the entries whose key starts with 'W'.",
        "For each weight matrix W, np.sum(W ** 2) is its sum of squares; add them up and "
        "multiply by λ/2.",
        "return lam / 2 * sum(np.sum(W ** 2) for key, W in params.items() if key.startswith('W'))",
    ),
    solution_text=(
        "def penalty(params, lam):\n"
        "    squares = sum(np.sum(W**2) for key, W in params.items() if key.startswith('W'))\n"
        "    return lam / 2 * squares\n"
        "# MLP(..., weight_decay=lam).loss(X, y) is the data loss plus exactly this penalty"
    ),
)

# ---------------------------------------------------------- early stopping ---


class _ScriptedModel:
    """A stand-in for an MLP inside :func:`nbtext.training.fit`, for a list of losses.

    Its validation loss after epoch k is ``val_losses[k − 1]``; its one parameter counts the
    epochs trained (each epoch is one step of SGD(lr=1) with gradient −1), so the weights fit
    restores name the epoch they come from.
    """

    copies = None
    is_classifier = False

    def __init__(self, val_losses: Sequence[float]) -> None:
        self.val_losses = [float(v) for v in val_losses]
        self.params = {"epochs": np.zeros(1)}
        self.training = False

    def train(self, mode: bool = True) -> _ScriptedModel:
        self.training = mode
        return self

    def check_data(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def loss_unchecked(self, X: np.ndarray, y: np.ndarray) -> float:
        if self.training:
            return 0.0  # the loss of a training batch; fit measures validation in eval mode
        return self.val_losses[int(self.params["epochs"][0]) - 1]

    def backward(self) -> dict[str, np.ndarray]:
        return {"epochs": -np.ones(1)}


def run_early_stopping(
    val_losses: Sequence[float], patience: int
) -> tuple[History, _ScriptedModel]:
    """Run nbtext's fit(..., patience=) on a model whose validation losses are ``val_losses``.

    Returns the History and the model, whose parameter ``epochs`` holds the epoch whose
    weights fit restored.
    """
    model, one = _ScriptedModel(val_losses), np.zeros((1, 1))
    history = fit(
        model, one, np.zeros(1), SGD(lr=1.0), len(model.val_losses), 1,
        validation=(one, np.zeros(1)), patience=patience,
    )  # fmt: skip
    return history, model


def early_stopping(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """(best_epoch, last_epoch) of early stopping with ``patience``, epochs from 1, as
    nbtext.training.fit decides them."""
    history, _ = run_early_stopping(val_losses, patience)
    return int(history.best_epoch), history.epochs


def _stopping_loop(
    val_losses: Sequence[float], patience: int, *, ties: bool = False, reset: bool = True
) -> tuple[int, int]:
    """The rule written as a loop, with switches for two typical mistakes: ``ties`` lets an
    equal loss count as an improvement; ``reset=False`` never resets the count."""
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best or (ties and loss == best):
            best, best_epoch = loss, epoch
            waited = 0 if reset else waited
        else:
            waited += 1
            if waited >= patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _stop_one_late(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited > patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _against_previous(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    waited, last = 0, len(val_losses)
    for epoch in range(2, len(val_losses) + 1):
        waited = waited + 1 if val_losses[epoch - 1] >= val_losses[epoch - 2] else 0
        if waited >= patience:
            last = epoch
            break
    seen = list(val_losses[:last])
    return int(np.argmin(seen)) + 1, last


def _best_of_all(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    return int(np.argmin(val_losses)) + 1, _stopping_loop(val_losses, patience)[1]


def _zero_based(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    best, last = _stopping_loop(val_losses, patience)
    return best - 1, last - 1


def _best_plus_patience(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    best = _stopping_loop(val_losses, patience)[0]
    return best, best + patience


def _swapped(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    best, last = _stopping_loop(val_losses, patience)
    return last, best


def _noisy_curve(seed: int, epochs: int = 20) -> list[float]:
    """A validation loss that falls, then rises slowly (overfitting), with noise."""
    t = np.arange(1, epochs + 1)
    noise = np.random.default_rng(seed).normal(0.0, 0.03, epochs)
    return [float(v) for v in np.round(0.3 + 1 / t + 0.012 * t + noise, 2)]


def _losses_case(val_losses: Sequence[float], patience: int, note: str = "") -> Case:
    shown = "[" + ", ".join(f"{v:g}" for v in val_losses) + "]"
    return Case((list(val_losses), patience), f"val_losses = {shown}, patience = {patience}{note}")


@dataclass(repr=False, eq=False)
class _EpochPairExercise(_ExplainedFunctionExercise):
    """A function returning two epoch numbers: feedback shows both as whole numbers."""

    def _compare_unsafe(self, expected: Any, got: Any) -> str | None:
        reason = super()._compare_unsafe(expected, got)
        if reason is None or reason.startswith("expected a tuple"):
            return reason
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return reason  # not a pair: nothing to show as two epochs (and never 10**6 of them)
        try:
            shown = tuple(_plain(float(to_float_array(v, "returned value"))) for v in got)
        except (_Verdict, TypeError, ValueError):
            return reason
        return f"expected (best_epoch, last_epoch) = {fmt(expected)}, got {fmt(shown)}"

    def explain(self, result: Any, case: Case) -> str | None:
        try:
            best = float(result[0])
        except Exception:
            return None
        if isinstance(result, (tuple, list)) and len(result) == 2 and not best.is_integer():
            return "best_epoch is an epoch number, not a loss: return when the best loss occurred."
        return None


q3 = _EpochPairExercise(
    name="ch10.q3",
    chapter=10,
    prompt=(
        "Write early_stopping(val_losses, patience) → (best_epoch, last_epoch): the epoch "
        "(from 1) with the lowest validation loss up to the stop, and the last epoch trained."
    ),
    reference=early_stopping,
    params=("val_losses", "patience"),
    cases=(
        _losses_case([0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7, 0.5], 3),
        _losses_case([1.0, 1.1, 0.9, 1.0, 0.8, 0.9, 0.95, 0.7], 2),
        _losses_case([1.0, 0.8, 0.8, 0.9, 0.8, 1.0], 2),
        _losses_case([5.0, 4.0, 3.0, 2.0, 1.0], 2, " (the loss falls to the end)"),
        _losses_case([1.0, 0.5, 0.6, 0.7], 5, " (the list ends before patience runs out)"),
        _losses_case([0.5, 0.4, 0.45, 0.3], 1),
        _losses_case([0.3], 1),
        _losses_case(_noisy_curve(10), 3),
        _losses_case(_noisy_curve(6), 2),
    ),
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        (
            _zero_based,
            "epochs are numbered from 1: the first loss in the list is epoch 1 (add 1 to a "
            "Python index).",
        ),
        (
            _best_of_all,
            "the epochs after the stop are never trained, so their losses are never seen: "
            "the best epoch is the best among the epochs up to the stop.",
        ),
        (
            _stop_one_late,
            "training stops as soon as patience epochs in a row have not improved: with "
            "patience k, that is the k-th such epoch, not the one after it.",
        ),
        (
            functools.partial(_stopping_loop, ties=True),
            "an equal loss is not an improvement: a later epoch must be strictly lower to "
            "become the best, so a tie keeps the first epoch (and the count goes on).",
        ),
        (
            functools.partial(_stopping_loop, reset=False),
            "patience counts the epochs IN A ROW without improvement: set the count back to 0 "
            "whenever an epoch improves on the best.",
        ),
        (
            _against_previous,
            "an epoch improves only if it beats the best loss so far; being lower than the "
            "epoch just before is not enough.",
        ),
        (
            _best_plus_patience,
            "when the list ends before patience runs out, training simply ends with the last "
            "epoch there is: last_epoch is then len(val_losses), not best_epoch + patience.",
        ),
        (_swapped, "return the two epochs in the order (best_epoch, last_epoch)."),
        (
            lambda v, k: _stopping_loop(v, k)[0],
            "return both epochs, as a tuple (best_epoch, last_epoch).",
        ),
    ),
    hints=(
        "Go through the losses with enumerate(val_losses, start=1); keep the best loss so far, "
        "its epoch, and how many epochs in a row have not improved on it.",
        "If loss < best: a new best, and the count goes back to 0. Else the count goes up by "
        "1, and when it reaches patience, stop: return (best_epoch, epoch).",
        "If the loop ends without stopping, return (best_epoch, len(val_losses)).",
    ),
    solution_text=(
        "def early_stopping(val_losses, patience):\n"
        "    best, best_epoch, waited = float('inf'), 0, 0\n"
        "    for epoch, loss in enumerate(val_losses, start=1):\n"
        "        if loss < best:  # strictly lower: a tie is no improvement\n"
        "            best, best_epoch, waited = loss, epoch, 0\n"
        "        else:\n"
        "            waited += 1\n"
        "            if waited == patience:\n"
        "                return best_epoch, epoch\n"
        "    return best_epoch, len(val_losses)\n"
        "# fit(..., validation=(X_val, y_val), patience=k) uses this rule, then restores the\n"
        "# weights of best_epoch (history.best_epoch)"
    ),
)

# ----------------------------------------------------------------- dropout ---


class _GivenMask:
    """Stands in for a Dropout layer's random generator: draws 1 where ``keep`` is True and
    0 where it is False, so the layer keeps exactly those units (for 0 < p)."""

    def __init__(self, keep: np.ndarray) -> None:
        self.keep = np.asarray(keep, dtype=bool)

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        return np.broadcast_to(np.where(self.keep, 1.0, 0.0), shape).copy()


def dropout_forward(x: np.ndarray, keep: np.ndarray, p: float) -> np.ndarray:
    """nbtext.layers.Dropout(p) in training mode, with the mask ``keep`` (True = keep)."""
    layer = Dropout(p)
    layer.rng = _GivenMask(keep)  # type: ignore[assignment]
    return layer.forward(x)


def _dropout_case(x: np.ndarray, keep: np.ndarray, p: float) -> Case:
    """A case whose label shows the mask as Python writes it: [True, False, …]."""
    mask = str(np.asarray(keep).tolist())
    mask = mask if len(mask) <= 80 else mask[:77] + "..."
    return Case((x, keep, p), f"x = {fmt(x)}, keep = {mask}, p = {fmt(p)}")


def _random_dropout_case(shape: tuple[int, ...], p: float, seed: int) -> Case:
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(0.0, 2.0, shape), 2)
    return _dropout_case(x, rng.random(shape) >= p, p)


def _own_mask_reason(result: Any, case: Case) -> str | None:
    """Zeros where ``keep`` is True, or non-zeros where it is False: the mask was not used."""
    x, keep, _ = case.args
    try:
        got = np.asarray(result, dtype=np.float64)
    except Exception:
        return None
    if got.shape != x.shape:
        return None
    live = x != 0
    if np.array_equal((got != 0) & live, keep & live):
        return None
    return (
        "the zeros of your result are not where keep is False: use the mask keep that is "
        "passed in (True = keep the unit), do not draw a new one."
    )


q4 = _ExplainedFunctionExercise(
    name="ch10.q4",
    chapter=10,
    prompt=(
        "Write dropout_forward(x, keep, p): inverted dropout in training mode, where keep is a "
        "boolean mask of x's shape (True = keep the unit) and p the probability of dropping."
    ),
    reference=dropout_forward,
    params=("x", "keep", "p"),
    cases=(
        _dropout_case(np.array([1.0, -2.0, 3.0, 0.5]), np.array([True, True, False, True]), 0.25),
        _random_dropout_case((3, 4), 0.2, seed=1),
        _random_dropout_case((2, 5), 0.5, seed=2),
        _random_dropout_case((4, 3), 0.8, seed=3),
        _dropout_case(np.array([[2.0, -1.0], [0.5, 4.0]]), np.ones((2, 2), dtype=bool), 0.1),
    ),
    rtol=1e-9,
    atol=1e-12,
    diagnoses=(
        (
            lambda x, k, p: x * k,
            "the kept units must be rescaled: divide them by 1 − p (inverted dropout), so the "
            "layer's expected output equals its input.",
        ),
        (
            lambda x, k, p: x * k * (1 - p),
            "multiplying by 1 − p is what the old, non-inverted dropout does at TEST time; "
            "inverted dropout divides the kept units by 1 − p during training.",
        ),
        (
            lambda x, k, p: x * k / p,
            "p is the probability of DROPPING a unit; the kept ones, a share 1 − p of them, "
            "are divided by 1 − p.",
        ),
        (
            lambda x, k, p: x * k * p,
            "divide the kept units by 1 − p, the probability of keeping one (p is the "
            "probability of dropping).",
        ),
        (
            lambda x, k, p: x * ~k / (1 - p),
            "the mask is the wrong way round: keep is True for the units that are KEPT, so "
            "multiply by keep (zero where it is False).",
        ),
        (
            lambda x, k, p: x * ~k,
            "the mask is the wrong way round (keep is True for the units that are KEPT), and "
            "the kept units are to be divided by 1 − p.",
        ),
        (
            lambda x, k, p: x / (1 - p),
            "the mask is missing: the units where keep is False become 0.",
        ),
        (
            lambda x, k, p: x,
            "that is what the layer does in evaluation mode; in training it zeroes the units "
            "where keep is False and divides the rest by 1 − p.",
        ),
    ),
    explainer=_own_mask_reason,
    error_hints=(
        (
            "numpy boolean negative",
            "to flip a boolean mask use ~keep or np.logical_not(keep), not -keep; but keep is "
            "True for the units to KEEP, so x * keep needs no flipping.",
        ),
    ),
    mutation_message=(
        "leave the caller's array alone and return a new one (e.g. x * keep / (1 - p) "
        "instead of x[~keep] = 0)."
    ),
    hints=(
        "Two things happen in training: units with keep False become 0, and the kept units "
        "are scaled up so that the expected output equals the input.",
        "A unit is kept with probability 1 − p; dividing the kept units by 1 − p makes "
        "the expected value (1 − p) · x / (1 − p) = x.",
        "return x * keep / (1 - p)",
    ),
    solution_text=(
        "def dropout_forward(x, keep, p):\n"
        "    return x * keep / (1 - p)   # True counts as 1, False as 0\n"
        "# nbtext.layers.Dropout(p) draws keep = rng.random(x.shape) >= p itself and, in\n"
        "# evaluation mode (layer.training = False), returns x unchanged"
    ),
)

# --------------------------------------------------------- standardization ---


def standardize(X_train: np.ndarray, X: np.ndarray) -> np.ndarray:
    """X scaled with the training set's per-feature mean and population std
    (nbtext.preprocessing.Standardizer fitted on X_train)."""
    return Standardizer().fit(X_train).transform(X)


def _scaled_features(n: int, seed: int, shift: float = 0.0) -> np.ndarray:
    """n samples of 3 features a thousandfold apart in scale (like the wines)."""
    rng = np.random.default_rng(seed)
    scale = np.array([0.1, 10.0, 1000.0])
    return np.round(rng.normal(1.0 + shift, 1.0, (n, 3)) * scale, 3)


_TRAIN5 = np.array([[1.0, 100.0, 0.5], [2.0, 300.0, 0.1], [3.0, 200.0, 0.3]])
_NEW5 = np.array([[2.0, 200.0, 0.2], [4.0, 100.0, 0.6]])
_RANDOM_TRAIN5 = _scaled_features(20, seed=4)


def _stats_of(X_for_stats: np.ndarray, X: np.ndarray, ddof: int = 0) -> np.ndarray:
    return (X - X_for_stats.mean(axis=0)) / X_for_stats.std(axis=0, ddof=ddof)


q5 = _ExplainedFunctionExercise(
    name="ch10.q5",
    chapter=10,
    prompt=(
        "Write standardize(X_train, X): X (M, D) standardized per feature with the mean and "
        "standard deviation of the training inputs X_train (N, D)."
    ),
    reference=standardize,
    params=("X_train", "X"),
    cases=(
        Case((_TRAIN5, _NEW5)),
        Case(
            (_RANDOM_TRAIN5, _scaled_features(6, seed=5, shift=0.5)),
            "X_train of shape (20, 3), X of shape (6, 3) (features a thousandfold apart in "
            "scale; X from a shifted distribution)",
        ),
        Case(
            (_RANDOM_TRAIN5, _RANDOM_TRAIN5),
            "X_train of shape (20, 3), X = X_train (the training set itself)",
        ),
        Case((np.array([[1.0, -2.0], [3.0, 2.0], [8.0, 6.0], [0.0, 2.0]]), np.array([[3.0, 2.0]]))),
    ),
    rtol=1e-6,
    atol=1e-9,
    diagnoses=(
        (
            lambda Xt, X: _stats_of(X, X),
            "you used the mean and std of X itself; they must come from the training set, "
            "X_train, and be applied unchanged to any X.",
        ),
        (
            lambda Xt, X: _stats_of(np.concatenate([Xt, X]), X),
            "the statistics come from the training set alone: data you validate or test on "
            "must not influence them, not even its mean.",
        ),
        (
            lambda Xt, X: _stats_of(Xt, Xt),
            "that is the standardized training set; the function standardizes X (with the "
            "training set's statistics).",
        ),
        (
            lambda Xt, X: _stats_of(Xt, X, ddof=1),
            "use the population standard deviation, np.std(..., axis=0) with its default "
            "ddof=0 (as StandardScaler); ddof=1 divides by N − 1.",
        ),
        (
            lambda Xt, X: X / Xt.std(axis=0),
            "subtract the training mean first: z = (x − mean) / std.",
        ),
        (
            lambda Xt, X: X - Xt.mean(axis=0),
            "after subtracting the mean, divide by the standard deviation: z = (x − mean) / std.",
        ),
        (
            lambda Xt, X: (X - Xt.mean(axis=0)) / Xt.var(axis=0),
            "divide by the standard deviation, not the variance: np.std, the square root of "
            "np.var.",
        ),
        (
            lambda Xt, X: (X - Xt.mean()) / Xt.std(),
            "without axis, np.mean and np.std give one number for the whole array; every "
            "feature (column) needs its own: axis=0.",
        ),
        (
            lambda Xt, X: (X - Xt.mean(axis=1)) / Xt.std(axis=1),
            "axis=1 averages along each row, i.e. over the features of one sample; each "
            "feature (column) needs its own statistics over the samples: axis=0.",
        ),
        (
            lambda Xt, X: (X - Xt.mean(axis=1, keepdims=True)) / Xt.std(axis=1, keepdims=True),
            "axis=1 averages along each row, i.e. over the features of one sample; each "
            "feature (column) needs its own statistics over the samples: axis=0.",
        ),
        (
            lambda Xt, X: X - Xt.mean(axis=0) / Xt.std(axis=0),
            "mind the brackets: (X − mean) / std, not X − mean / std.",
        ),
    ),
    error_hints=(
        (
            "broadcast",
            "the statistics must be per feature: X_train.mean(axis=0) has one entry per "
            "column, shape (D,), which lines up with the columns of X.",
        ),
    ),
    mutation_message=(
        "leave the caller's arrays alone and return a new array (e.g. (X - mean) / std "
        "instead of X -= mean)."
    ),
    hints=(
        "Compute one mean and one standard deviation per feature, i.e. per column, of X_train.",
        "mean = X_train.mean(axis=0), std = X_train.std(axis=0): each of shape (D,).",
        "return (X - X_train.mean(axis=0)) / X_train.std(axis=0)",
    ),
    solution_text=(
        "def standardize(X_train, X):\n"
        "    mean = X_train.mean(axis=0)   # (D,): one per feature\n"
        "    std = X_train.std(axis=0)     # population std, ddof=0\n"
        "    return (X - mean) / std\n"
        "# Standardizer().fit(X_train).transform(X) does the same (and leaves a constant\n"
        "# feature, whose std is 0, undivided)"
    ),
)

# ------------------------------------------------------- choosing lambda ---

q6 = ChoiceExercise(
    name="ch10.q6",
    chapter=10,
    prompt="You train one network per value of λ (weight decay): which data should choose λ?",
    reference="b",
    options={
        "a": "the training set: keep the λ with the lowest training loss",
        "b": "the validation set: keep the λ whose network does best on the validation data",
        "c": "the test set: it is the data whose score we report in the end",
        "d": "whichever of the three sets gives the best score",
    },
    aliases=(
        "validation",
        "validation set",
        "the validation set",
        "val",
        "validation data",
        "the validation data",
    ),
    diagnoses={
        "a": "the training set always prefers λ = 0 (or the smallest λ): the penalty can only "
        "stop the network from fitting its training data, so the training loss cannot tell "
        "overfitting from learning.",
        "c": "a test set that chooses anything is no longer unseen: its score would be "
        "optimistic, fitted to it a little. It is used once, at the end, to report.",
        "d": "picking the set that flatters most is choosing on the test set in disguise, and "
        "the reported score is then no honest estimate of the network on new data.",
    },
    hints=(
        "Three sets, three jobs: one fits the weights, one makes our choices, one reports.",
        "The training set favours the least penalty; the test set must influence nothing.",
        "Choosing λ is a choice we make by looking at a score, like choosing the epoch.",
    ),
    solution_text=(
        "(b) The validation set. Train one network per λ on the training set, compare them on "
        "the validation set, and keep the best. The training set would always pick the "
        "smallest λ, which is the overfitting weight decay is meant to prevent, and the test "
        "set is kept for the one final report: whatever chooses on it makes its score "
        "optimistic."
    ),
)

# ------------------------------------------------ what does not regularize ---

q7 = ChoiceExercise(
    name="ch10.q7",
    chapter=10,
    prompt="Which of these does NOT reduce overfitting?",
    reference="e",
    options={
        "a": "weight decay",
        "b": "dropout",
        "c": "early stopping",
        "d": "more training data",
        "e": "training for more epochs",
    },
    aliases=("more epochs", "training longer", "train longer", "training for longer"),
    diagnoses={
        "a": "weight decay does reduce overfitting: the penalty (λ/2)·Σ W² keeps the weights "
        "small, so the network cannot bend its boundary sharply around single noisy points.",
        "b": "dropout does reduce overfitting: with random units switched off during training, "
        "the network cannot rely on any single unit or delicate combination of units.",
        "c": "early stopping does reduce overfitting: it keeps the weights of the epoch with the "
        "lowest validation loss, before the network has learned its training points by heart.",
        "d": "more training data is the most reliable cure: the network cannot memorize every "
        "point and still be wrong on new ones when there are many more points than it can "
        "learn by heart (section 1's gap narrowed with all the training images).",
    },
    hints=(
        "Each of the remedies of the chapter limits how closely the network can fit its "
        "training points.",
        "Look at the loss curves of section 2: what happens to the validation loss when "
        "training goes on and on?",
        "Early stopping exists because of one of these options.",
    ),
    solution_text=(
        "(e) Training for more epochs. Beyond the lowest point of the validation loss, each "
        "further epoch fits the training points (noise included) more closely and makes the "
        "network worse on new data: more epochs increase overfitting. Weight decay, dropout "
        "and early stopping limit how closely the network can fit, and more data gives it "
        "more to fit than it can learn by heart."
    ),
)

# ------------------------------------------------------ predict the output ---

_X8 = np.array([3.0, 6.0, 9.0, 12.0])
_KEEP8 = np.array([True, False, True, False])
_P8 = 0.25

q8 = NumericExercise(
    name="ch10.q8",
    chapter=10,
    prompt=(
        "Dropout(p=0.25) in training mode gets x = [3, 6, 9, 12] and this time keeps units 1 "
        "and 3 (mask [True, False, True, False]). What array does it output?"
    ),
    reference=dropout_forward(_X8, _KEEP8, _P8),
    rtol=1e-4,
    atol=1e-9,
    diagnoses=(
        (
            _X8 * _KEEP8,
            "you zeroed the dropped units but did not rescale the kept ones: inverted dropout "
            "divides them by 1 − p.",
        ),
        (
            _X8 * _KEEP8 * (1 - _P8),
            "multiplying by 1 − p is the old, non-inverted dropout's rule at test time; "
            "inverted dropout divides the kept units by 1 − p during training.",
        ),
        (
            _X8 * _KEEP8 / _P8,
            "p is the probability of dropping; the kept units are divided by 1 − p, the "
            "probability of keeping.",
        ),
        (
            _X8 * _KEEP8 * _P8,
            "divide the kept units by 1 − p, the probability of keeping one (p is that of "
            "dropping).",
        ),
        (
            _X8 * ~_KEEP8 / (1 - _P8),
            "True in the mask means KEEP: units 1 and 3 pass, units 2 and 4 become 0.",
        ),
        (
            _X8 * ~_KEEP8,
            "True in the mask means KEEP (units 1 and 3 pass), and the kept units are divided "
            "by 1 − p.",
        ),
        (
            _X8 / (1 - _P8),
            "the units where the mask is False are dropped: they output 0.",
        ),
        (
            _X8,
            "that is the output in evaluation mode; in training mode the dropped units output "
            "0 and the kept ones are rescaled.",
        ),
    ),
    hints=(
        "In training, a dropped unit outputs 0; a kept unit outputs x divided by the "
        "probability of keeping it.",
        "The probability of keeping a unit is 1 − p = 0.75.",
        "np.array([3, 6, 9, 12]) * np.array([True, False, True, False]) / 0.75",
    ),
    solution_text=(
        "[4, 0, 12, 0]: units 2 and 4 are dropped (0), units 1 and 3 are divided by "
        "1 − p = 0.75, so that the expected output equals the input. That half of the units "
        "were dropped although p = 0.25 is chance: each unit is dropped with probability p on "
        "its own. In evaluation mode the layer outputs x unchanged, [3, 6, 9, 12]."
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
