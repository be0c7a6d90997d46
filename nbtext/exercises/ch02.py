"""Chapter 02 exercises: activation functions."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nbtext.activations import leaky_relu as _leaky_relu
from nbtext.activations import sigmoid as _sigmoid
from nbtext.activations import sigmoid_grad as _sigmoid_grad
from nbtext.activations import softmax as _softmax
from nbtext.activations import step as _step
from nbtext.exercises._core import (
    NOT_YET,
    Case,
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    _Verdict,
    not_yet,
)


@dataclass(repr=False, eq=False)
class _FunctionExercise(FunctionExercise):
    """A FunctionExercise that also explains two things the framework cannot see.

    ``boolean_message``: if set, an answer that returns True/False instead of numbers is
    not yet right, with this explanation (the step exercise asks for 1 and 0).
    ``error_hints``: (text in the error a learner's function raised, what it usually means),
    added to the "your function raised …" feedback.
    """

    boolean_message: str = ""
    error_hints: Sequence[tuple[str, str]] = ()

    def _run_case(self, fn: Callable[..., Any], case: Case) -> None:
        returned_booleans = False

        @functools.wraps(fn)  # so the checker still sees the learner's own function
        def as_numbers(*args: Any) -> Any:
            # Judge the values as numbers; remember that they came back as True/False.
            nonlocal returned_booleans
            out = fn(*args)
            if self.boolean_message and isinstance(out, (bool, np.bool_, np.ndarray)):
                if np.asarray(out).dtype == np.bool_:
                    returned_booleans = True
                    return np.asarray(out).astype(float)
            return out

        try:
            super()._run_case(as_numbers, case)
        except _Verdict as verdict:
            if verdict.status != NOT_YET:
                raise
            message = verdict.message
            if "your function raised" in message:
                for needle, why in self.error_hints:
                    if needle in message:
                        message = f"{message} — {why}"
                        break
            if returned_booleans:
                message += " Also, your result holds True/False: cast it with .astype(int)."
            raise not_yet(message) from None
        if returned_booleans:
            raise not_yet(
                f"on input {case.describe(self.params)}, your function returns True/False "
                f"values, not numbers — {self.boolean_message}."
            )


_EDGES = (
    Case((np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),)),
    Case((np.arange(-5.0, 5.0, 0.1),)),
    Case((np.array([[-1.0, 1.0], [3.0, -3.0]]),)),
    Case((np.array([-1000.0, 1000.0]),)),
    Case((np.array([0.0]),)),
)


def step_function(x: np.ndarray) -> np.ndarray:
    """Step function for arrays: 1.0 where x > 0, else 0.0 (agrees with nbtext.activations.step)."""
    return _step(x)


q1 = _FunctionExercise(
    name="ch02.q1",
    chapter=2,
    prompt="Write step_function(x) for NumPy arrays: 1 where x > 0, else 0 (not True/False).",
    reference=step_function,
    cases=_EDGES,
    diagnoses=(
        (lambda x: (x >= 0).astype(float), "the step is 0 at x = 0: use x > 0, not x >= 0."),
        (lambda x: (x <= 0).astype(float), "the comparison is the wrong way round: 1 where x > 0."),
    ),
    boolean_message="x > 0 is the right test, but the exercise asks for 1 and 0, "
    "so cast the booleans with .astype(int)",
    error_hints=(
        (
            "truth value of an array",
            "`if x > 0` needs one True/False, but on an array x > 0 gives one per entry; "
            "return (x > 0).astype(int) instead (section 2).",
        ),
    ),
    hints=(
        "A comparison such as x > 0 on an array gives an array of True/False.",
        "Turn the booleans into numbers with .astype(int) (np.int no longer exists).",
        "return (x > 0).astype(int)",
    ),
    solution_text="def step_function(x):\n    return (x > 0).astype(int)",
)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^(−x)) (agrees with nbtext.activations.sigmoid)."""
    return _sigmoid(x)


q2 = _FunctionExercise(
    name="ch02.q2",
    chapter=2,
    prompt="Write sigmoid(x) = 1 / (1 + exp(-x)) for arrays.",
    reference=sigmoid,
    cases=(Case((2.0,)), *_EDGES[:3]),
    rtol=1e-6,
    atol=1e-9,
    diagnoses=(
        (lambda x: 1 / (1 + np.exp(x)), "did you forget the minus sign in exp(-x)?"),
        (lambda x: 1 / (1 - np.exp(-x)), "the denominator is 1 + exp(-x), with a plus."),
        (
            lambda x: 1 / 1 + np.exp(-x),
            "mind the brackets: 1 / (1 + np.exp(-x)) divides 1 by the whole sum.",
        ),
        (np.tanh, "that is tanh, whose outputs lie in (−1, 1); σ lies in (0, 1)."),
    ),
    error_hints=(
        (
            "converted to Python scalars",
            "math.exp (and the rest of the math module) takes one number at a time; "
            "use np.exp, which works on whole arrays.",
        ),
    ),
    hints=(
        "np.exp works on whole arrays, so no loop is needed.",
        "σ(0) = 0.5 and σ(x) → 1 as x grows; check yours at those points.",
        "return 1 / (1 + np.exp(-x))",
    ),
    solution_text="def sigmoid(x):\n    return 1 / (1 + np.exp(-x))",
)

q3 = ChoiceExercise(
    name="ch02.q3",
    chapter=2,
    prompt="Which of these activation functions is NOT bounded?",
    reference="c",
    options={"a": "sigmoid", "b": "tanh", "c": "ReLU", "d": "step"},
    diagnoses={
        "a": "sigmoid stays between 0 and 1.",
        "b": "tanh stays between −1 and 1.",
        "d": "the step function only takes the values 0 and 1.",
    },
    hints=(
        "Bounded means the output can never go above some ceiling (or below some floor).",
        "What does each function give for x = 1000?",
    ),
    solution_text="(c) ReLU: relu(x) = max(0, x) grows without limit as x grows.",
)


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x)(1 − σ(x)) (agrees with nbtext.activations.sigmoid_grad)."""
    return _sigmoid_grad(x)


q4 = FunctionExercise(
    name="ch02.q4",
    chapter=2,
    prompt="Write sigmoid_grad(x), the derivative σ'(x) = σ(x)(1 − σ(x)), for arrays.",
    reference=sigmoid_grad,
    cases=(Case((2.0,)), Case((0.0,)), *_EDGES),
    diagnoses=(
        (_sigmoid, "that is σ(x) itself; the derivative is σ(x) · (1 − σ(x))."),
        (
            lambda x: x * (1 - x),
            "you applied the formula to x itself; first compute s = σ(x), then s * (1 - s).",
        ),
        (
            lambda x: 1 - _sigmoid(x),
            "the factor σ(x) is missing: the derivative is σ(x) · (1 − σ(x)).",
        ),
        (
            lambda x: -_sigmoid(x) * (1 - _sigmoid(x)),
            "mind the sign: σ is increasing, so its slope is positive.",
        ),
    ),
    hints=(
        "Compute s = 1 / (1 + np.exp(-x)) first.",
        "The slope at x = 0 must be 0.25, and it falls towards 0 for large |x|.",
        "s = 1 / (1 + np.exp(-x)); return s * (1 - s)",
    ),
    solution_text=("def sigmoid_grad(x):\n    s = 1 / (1 + np.exp(-x))\n    return s * (1 - s)"),
)


def _sigmoid_chain_from_one(n_layers: int = 10) -> float:
    """dz_n/dx through n one-neuron sigmoid layers (weight 1, bias 0) from x = 1 (section 10)."""
    z, product = 1.0, 1.0
    for _ in range(n_layers):
        product *= float(_sigmoid_grad(z))
        z = float(_sigmoid(z))
    return product


q5 = NumericExercise(
    name="ch02.q5",
    chapter=2,
    prompt="Each of 10 sigmoid layers multiplies the gradient by at most σ'(0); what is the "
    "largest possible total factor?",
    reference=0.25**10,
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        (2.5, "you multiplied 0.25 by 10; the chain rule multiplies ten factors: 0.25 ** 10."),
        (0.5**10, "0.5 is σ(0), the value of the sigmoid; its slope σ'(0) is 0.25."),
        (0.25, "that is one layer; ten layers multiply ten such factors together."),
        (0.25**9, "count the factors again: ten layers give ten factors of 0.25."),
        (1.0, "a factor of 1 per layer is ReLU's slope; the sigmoid's slope is at most 0.25."),
        (
            _sigmoid_chain_from_one(),
            "that is the chain of section 10 for the input x = 1; the question asks for the "
            "upper bound, where every one of the ten factors is σ'(0) = 0.25.",
        ),
        (
            1e-6,
            "that is the rounded 'less than a millionth'; compute the bound exactly: "
            "ten factors of σ'(0) = 0.25.",
        ),
    ),
    hints=(
        "The chain rule multiplies the local derivatives of the layers the gradient passes.",
        "σ'(x) = σ(x)(1 − σ(x)) is largest at x = 0, where it is 0.5 · 0.5 = 0.25.",
        "answer = 0.25 ** 10",
    ),
    solution_text="0.25 ** 10 ≈ 9.54e-07: less than a millionth of the gradient survives.",
)

q6 = ChoiceExercise(
    name="ch02.q6",
    chapter=2,
    prompt="Batch-first layers X @ W1 @ W2 @ W3 with no activation, W1 (3, 4), W2 (4, 5), "
    "W3 (5, 2): which single matrix W gives the same X @ W?",
    reference="a",
    options={
        "a": "W1 @ W2 @ W3, of shape (3, 2)",
        "b": "W3 @ W2 @ W1",
        "c": "W1 + W2 + W3",
        "d": "none: three layers can compute more than one",
    },
    aliases=("W1 @ W2 @ W3", "W1W2W3", "W1 W2 W3"),
    diagnoses={
        "b": "in batch-first code X meets W1 first, so the product runs W1, W2, W3; "
        "W3 @ W2 @ W1 does not even fit the shapes.",
        "c": "the layers feed one into the next, which multiplies matrices; adding them "
        "does not even fit the shapes.",
        "d": "without a non-linear activation in between, matrix multiplication is "
        "associative: X @ W1 @ W2 @ W3 = X @ (W1 @ W2 @ W3).",
    },
    hints=(
        "Matrix multiplication is associative: (A @ B) @ C = A @ (B @ C).",
        "Group the product as X @ (W1 @ W2 @ W3) and check the shapes: (3, 4)(4, 5)(5, 2).",
        "The three matrices multiply into one (3, 2) matrix.",
    ),
    solution_text=(
        "(a) W = W1 @ W2 @ W3 (shape (3, 2)): X @ W1 @ W2 @ W3 = X @ W, so three linear "
        "layers are one linear layer."
    ),
)


def leaky_relu(x: np.ndarray, alpha: float) -> np.ndarray:
    """x where x > 0, else alpha * x (agrees with nbtext.activations.leaky_relu)."""
    return _leaky_relu(x, alpha)


q7 = _FunctionExercise(
    name="ch02.q7",
    chapter=2,
    prompt="Write leaky_relu(x, alpha) for arrays: x where x > 0, else alpha * x.",
    reference=leaky_relu,
    params=("x", "alpha"),
    cases=(
        Case((np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), 0.1)),
        Case((np.arange(-5.0, 5.0, 0.1), 0.01)),
        Case((np.array([[-1.0, 1.0], [3.0, -3.0]]), 0.2)),
        Case((np.array([-1000.0, 1000.0]), 0.01)),
        Case((np.array([0.0]), 0.5)),
    ),
    diagnoses=(
        (
            lambda x, a: np.maximum(x, 0.0),
            "that is plain ReLU; negative inputs must give alpha * x, not 0.",
        ),
        (
            lambda x, a: np.where(x > 0, a * x, x),
            "the two branches are swapped: x for x > 0, alpha * x otherwise.",
        ),
        (
            lambda x, a: np.where(x > 0, x, a),
            "for negative x return alpha * x, not alpha itself (alpha is the slope there).",
        ),
        (
            lambda x, a: a * x,
            "only the negative side is scaled by alpha; positive inputs pass unchanged.",
        ),
        (
            lambda x, a: np.where(x > 0, x, 0.01 * x),
            "use the alpha argument instead of a fixed 0.01; the checker tries other alphas.",
        ),
        (
            lambda x, a: np.where(x > 0, x, -a * x),
            "mind the sign: for negative x, alpha * x is negative too (no minus needed).",
        ),
        (
            lambda x, a: np.where(x > 0, 1.0, a),
            "that is the slope of leaky ReLU (its derivative), not the function itself.",
        ),
    ),
    error_hints=(
        (
            "only integer scalar arrays can be converted to a scalar index",
            "np.max(a, b) reads b as an axis, not as a second array; the elementwise "
            "maximum of two arrays is np.maximum(a, b) (section 5), or use np.where.",
        ),
        (
            "truth value of an array",
            "Python's max and `if` need one True/False, but x > 0 gives one per entry; "
            "use np.where(x > 0, x, alpha * x).",
        ),
    ),
    hints=(
        "np.where(condition, value_if_true, value_if_false) picks elementwise.",
        "The condition is x > 0; the two values are x and alpha * x.",
        "return np.where(x > 0, x, alpha * x)",
    ),
    solution_text="def leaky_relu(x, alpha):\n    return np.where(x > 0, x, alpha * x)",
)

_LOG3 = np.array([0.0, np.log(3.0)])

q8 = NumericExercise(
    name="ch02.q8",
    chapter=2,
    prompt="Predict the output: softmax(np.array([0.0, np.log(3.0)])) (two numbers).",
    reference=_softmax(_LOG3),
    rtol=0.0,
    atol=5e-4,
    diagnoses=(
        ([1.0, 3.0], "that is exp(a); softmax then divides by the sum so the outputs add to 1."),
        ([0.0, 1.0], "that is a / sum(a); softmax divides exp(a) by sum(exp(a))."),
        ([0.75, 0.25], "the larger score gets the larger share; softmax keeps the order."),
        ([0.5, 0.5], "the scores differ, so the shares differ; compute exp of each first."),
    ),
    hints=(
        "exp(0) = 1 and exp(log 3) = 3.",
        "Softmax divides each exponential by the sum of all of them, here 1 + 3 = 4.",
        "[1 / 4, 3 / 4]",
    ),
    solution_text="[0.25, 0.75]: exp gives [1, 3], and dividing by their sum 4 gives the shares.",
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
