"""Chapter 03 exercises: forward propagation, shapes and the softmax output layer."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from nbtext.activations import relu, sigmoid, softmax
from nbtext.exercises._core import (
    Case,
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    _Verdict,
    fmt,
    not_yet,
    to_float_array,
)

# ------------------------------------------------------------------- q1 ---

_A = np.array([1.0, -0.5, 2.0])  # not the chapter's example, whose softmax is printed there
_Y = softmax(_A)

q1 = NumericExercise(
    name="ch03.q1",
    chapter=3,
    prompt="Compute softmax(a) for a = [1.0, -0.5, 2.0]: three numbers, rounded to 4 decimals.",
    reference=_Y,
    rtol=0.0,
    atol=6e-5,
    diagnoses=(
        (np.exp(_A), "that is exp(a); divide by its sum so the outputs add up to 1."),
        (_A / _A.sum(), "that is a / sum(a); softmax divides exp(a) by sum(exp(a))."),
        (np.exp(-_A) / np.exp(-_A).sum(), "did you write exp(-a)? softmax uses exp(+a)."),
        (_Y[::-1], "the values are right but in reverse order; softmax keeps the order."),
        (np.floor(_Y * 1e4) / 1e4, "those digits look cut off (truncated); round to 4 decimals."),
        (np.round(_Y, 3), "give 4 decimal places, not 3."),
    ),
    hints=(
        "Exponentiate each entry, then divide by the sum of the exponentials.",
        "exp(1.0) ≈ 2.71828, exp(-0.5) ≈ 0.60653, exp(2.0) ≈ 7.38906; divide each by their sum.",
        "np.round(np.exp(a) / np.sum(np.exp(a)), 4) with a = np.array([1.0, -0.5, 2.0])",
    ),
    solution_text=(
        "a = np.array([1.0, -0.5, 2.0])\n"
        "y = np.exp(a) / np.sum(np.exp(a))   # [0.25371618, 0.05661173, 0.68967209]\n"
        "np.round(y, 4)                      # [0.2537, 0.0566, 0.6897]"
    ),
)


# ------------------------------------------------------------------- q2 ---


class _ShapeExercise(NumericExercise):
    """A shape to predict: a single number gets told that a shape here has two entries."""

    def evaluate(self, answer: Any) -> None:
        if not isinstance(answer, str) and answer is not None and answer is not Ellipsis:
            arr = to_float_array(answer)
            if arr.size == 1:
                raise not_yet(
                    f"your answer, {fmt(answer)}, is one number; the shape of a matrix is a "
                    "tuple of two numbers, (rows, columns), such as (5, 7)."
                )
        super().evaluate(answer)


q2 = _ShapeExercise(
    name="ch03.q2",
    chapter=3,
    prompt="Predict the output: np.dot(np.ones((4, 3)), np.ones((3, 2))).shape",
    reference=(4, 2),
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        ((3, 3), "the inner dimensions (3 and 3) must match and then disappear."),
        ((2, 4), "the result has the rows of the first matrix and the columns of the second."),
        ((4, 3, 2), "the shared inner dimension 3 is summed over, so it disappears."),
        ((3, 2), "the rows come from the first matrix (4 of them)."),
    ),
    hints=(
        "For np.dot of (p, q) and (q, r), the inner q must match.",
        "The matching inner dimension is summed over and disappears: (p, q)·(q, r) → (p, r).",
    ),
    solution_text="(4, 2): (4, 3) · (3, 2) → the inner 3s match and vanish, leaving (4, 2).",
)


# ------------------------------------------------- function exercises (q3, q4) ---


_OVERFLOW = (
    "np.exp overflowed: exp(1000) is inf, and inf / inf is nan; subtract the largest value of "
    "each row first, np.exp(a - np.max(a, axis=-1, keepdims=True))"
)
_ROW_MIN = (
    "np.exp overflowed: you subtracted each row's smallest value, so an exponent such as "
    "1000 - 0 stays huge; subtract the largest value, np.max(a, axis=-1, keepdims=True)"
)
_BATCH_MAX = (
    "np.max(a) is the largest value of the whole batch, so a row far below it underflows: "
    "exp(-1000) is 0 and 0 / 0 is nan; subtract each row's own largest value, "
    "np.max(a, axis=-1, keepdims=True)"
)
_WHOLE_SUM = (
    "you divided by the sum of the whole batch; divide each row by its own sum, "
    "np.sum(e, axis=-1, keepdims=True)."
)
_KEEPDIMS = (
    "add keepdims=True to np.max and np.sum: the row maxima and row sums then keep the shape "
    "(N, 1) and line up with the rows, instead of (N,), which lines up with the columns."
)


class _Ch03FunctionExercise(FunctionExercise):
    """A function exercise that also names overflow (nan or inf in the result) and, through
    ``_explain_error``, typical exceptions."""

    #: (a function with a typical mistake that produces nan, what that mistake means)
    nan_diagnoses: tuple[tuple[Callable[..., Any], str], ...] = ()

    def _run_case(self, fn: Callable[..., Any], case: Case) -> None:
        seen: dict[str, Any] = {}

        @functools.wraps(fn)  # so the checker still sees the learner's own function
        def recording(*args: Any) -> Any:
            try:
                seen["result"] = fn(*args)
            except Exception as e:
                seen["error"] = e
                raise
            return seen["result"]

        try:
            super()._run_case(recording, case)
        except _Verdict as verdict:
            where = case.describe(self.params)
            if "error" in seen:
                why = self._explain_error(seen["error"])
                if why:
                    raise not_yet(f"{verdict.message.rstrip('.')} — {why}") from None
            if "result" in seen:
                why = self._explain_nan(seen["result"], case)
                if why:
                    raise not_yet(
                        f"on input {where}, its result contains nan or inf — {why}."
                    ) from None
            raise

    def _explain_error(self, error: Exception) -> str | None:
        return None

    def _explain_nan(self, got: Any, case: Case) -> str | None:
        try:
            arr = np.asarray(got, dtype=np.float64)
        except Exception:
            return None
        expected = np.shape(self.reference(*copy.deepcopy(case.args)))
        if arr.shape != expected or np.all(np.isfinite(arr)):
            return None
        for wrong_fn, why in self.nan_diagnoses:
            try:
                wrong = np.asarray(wrong_fn(*case.args), dtype=np.float64)
            except Exception:
                continue
            if wrong.shape == arr.shape and np.allclose(wrong, arr, equal_nan=True):
                return why
        return "most likely " + _OVERFLOW


# ------------------------------------------------------------------- q3 ---


def softmax_rows(a: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, shifted by each row's maximum (agrees with nbtext softmax)."""
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _naive(a: np.ndarray) -> np.ndarray:
    return np.exp(a) / np.sum(np.exp(a), axis=-1, keepdims=True)


def _row_min(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.min(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _batch_max(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.max(a))
    return e / np.sum(e, axis=-1, keepdims=True)


def _whole_sum(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.max(a))
    return e / np.sum(e)


def _row_max_whole_sum(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e)


def _no_keepdims(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)


def _no_keepdims_anywhere(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.max(a, axis=-1))
    return e / np.sum(e, axis=-1)


def _max_no_keepdims(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.max(a, axis=-1))
    return e / np.sum(e, axis=-1, keepdims=True)


def _no_division(a: np.ndarray) -> np.ndarray:
    return np.exp(a - np.max(a, axis=-1, keepdims=True))


def _columns(a: np.ndarray) -> np.ndarray:
    return softmax(a, axis=0)


# NumPy 1.25 moved AxisError to np.exceptions (and NumPy 2 removed np.AxisError).
_AxisError = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError  # noqa: NPY201


class _SoftmaxExercise(_Ch03FunctionExercise):
    """Softmax rows: also explains axis=1 on a 1-D input and a missing keepdims."""

    nan_diagnoses = ((_row_min, _ROW_MIN), (_batch_max, _BATCH_MAX), (_naive, _OVERFLOW))

    def _explain_error(self, error: Exception) -> str | None:
        if isinstance(error, _AxisError):
            return (
                "a 1-D array of logits has only axis 0, so axis=1 fails; use axis=-1 (the last "
                "axis), which is the class axis for a vector (K,) and for a batch (N, K)."
            )
        if isinstance(error, ValueError) and "broadcast" in str(error):
            return _KEEPDIMS
        return None


q3 = _SoftmaxExercise(
    name="ch03.q3",
    chapter=3,
    prompt="Write softmax_rows(a) that never overflows and normalises each row of a batch (N, K).",
    reference=softmax_rows,
    params=("a",),
    cases=(
        Case((np.array([0.3, 2.9, 4.0]),)),
        Case((np.array([0.0, 0.0, 0.0]),)),
        Case((np.array([5.0]),)),
        Case((np.array([1010.0, 1000.0, 990.0]),)),
        Case((np.array([-1000.0, -1010.0, -1020.0]),)),
        Case((np.array([0.0, 1000.0]),)),
        Case((np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0], [-2.0, 0.0, 2.0]]),)),
        Case((np.array([[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]]),)),
        Case((np.array([[1000.0, 1000.0], [0.0, 0.0]]),)),
        Case((np.array([[0.0, 1000.0], [-1000.0, 0.0], [5.0, 5.0]]),)),
    ),
    diagnoses=(
        (_no_division, "divide the exponentials by their sum, so each row adds up to 1."),
        (_whole_sum, _WHOLE_SUM),
        (_row_max_whole_sum, _WHOLE_SUM),
        (_no_keepdims, _KEEPDIMS),
        (_no_keepdims_anywhere, _KEEPDIMS),
        (_max_no_keepdims, _KEEPDIMS),
        (
            _columns,
            "you normalised each column (axis=0); each row is one sample, so normalise along "
            "the last axis, axis=-1.",
        ),
    ),
    mutation_message=(
        "`a -= a.max()` changes the caller's logits; write `a - np.max(...)` to get a new array."
    ),
    hints=(
        "softmax(a) = exp(a) / sum(exp(a)); subtracting the same number from every entry of a "
        "row does not change the result.",
        "Subtract each row's largest value: a - np.max(a, axis=-1, keepdims=True). Then every "
        "exponent is ≤ 0 and np.exp cannot overflow. axis=-1 is the last axis, so the same code "
        "works for a vector (K,) and a batch (N, K).",
        "e = np.exp(a - np.max(a, axis=-1, keepdims=True)); "
        "return e / np.sum(e, axis=-1, keepdims=True)",
    ),
    solution_text=(
        "def softmax_rows(a):\n"
        "    e = np.exp(a - np.max(a, axis=-1, keepdims=True))   # every exponent <= 0\n"
        "    return e / np.sum(e, axis=-1, keepdims=True)        # each row sums to 1"
    ),
)


# ------------------------------------------------------------------- q4 ---


def predict_proba(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """Class probabilities ``(N, K)`` of a ReLU hidden layer and a softmax output layer."""
    Z1 = relu(X @ network["W1"] + network["b1"])
    return softmax(Z1 @ network["W2"] + network["b2"], axis=-1)


def _two_layer_network(sizes: tuple[int, int, int], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    d, h, k = sizes
    return {
        "W1": rng.normal(0.0, 1.0, (d, h)),
        "b1": rng.normal(0.0, 0.5, h),
        "W2": rng.normal(0.0, 1.0, (h, k)),
        "b2": rng.normal(0.0, 0.5, k),
    }


def _features(n: int, d: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, 1.0, (n, d))


def _logits(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return relu(X @ network["W1"] + network["b1"]) @ network["W2"] + network["b2"]


def _no_relu(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return softmax((X @ network["W1"] + network["b1"]) @ network["W2"] + network["b2"], axis=-1)


def _sigmoid_hidden(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    Z1 = sigmoid(X @ network["W1"] + network["b1"])
    return softmax(Z1 @ network["W2"] + network["b2"], axis=-1)


def _softmax_columns(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return softmax(_logits(network, X), axis=0)


def _no_bias(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return softmax(relu(X @ network["W1"]) @ network["W2"], axis=-1)


def _whole_batch_sum(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return _row_max_whole_sum(_logits(network, X))


def _whole_batch_max_and_sum(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return _whole_sum(_logits(network, X))


def _naive_output(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return _naive(_logits(network, X))


def _batch_max_output(network: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return _batch_max(_logits(network, X))


q4 = _Ch03FunctionExercise(
    name="ch03.q4",
    chapter=3,
    prompt="Write predict_proba(network, X): a ReLU hidden layer, then a softmax output layer.",
    reference=predict_proba,
    params=("network", "X"),
    cases=(
        Case(
            (_two_layer_network((4, 5, 3), seed=1), _features(6, 4, seed=2)),
            "network = 4-5-3 (W1 (4, 5), b1 (5,), W2 (5, 3), b2 (3,)), X of shape (6, 4)",
        ),
        Case(
            (_two_layer_network((2, 3, 2), seed=3), _features(1, 2, seed=4)),
            "network = 2-3-2, X of shape (1, 2) (a batch of one sample)",
        ),
        Case(
            (_two_layer_network((3, 8, 10), seed=5), _features(5, 3, seed=6)),
            "network = 3-8-10 (ten classes), X of shape (5, 3)",
        ),
        Case(
            (_two_layer_network((2, 4, 3), seed=8), 1000.0 * _features(4, 2, seed=9)),
            "network = 2-4-3, X of shape (4, 2) with entries in the thousands, so some logits "
            "are above 1000",
        ),
    ),
    diagnoses=(
        (_logits, "these are the logits a2; the output layer applies softmax to them."),
        (_no_relu, "the hidden layer needs its activation: Z1 = relu(X @ W1 + b1)."),
        (_sigmoid_hidden, "this network's hidden layer uses ReLU, not sigmoid."),
        (
            _softmax_columns,
            "softmax runs over each row (axis=-1): one row per sample, one column per class.",
        ),
        (_no_bias, "add the biases: X @ W1 + b1 and Z1 @ W2 + b2."),
        (_whole_batch_sum, _WHOLE_SUM),
        (_whole_batch_max_and_sum, _WHOLE_SUM),
    ),
    hints=(
        "Two steps, each 'linear combination then activation': hidden layer, then output layer.",
        "A1 = X @ W1 + b1 has shape (N, H); Z1 = relu(A1); A2 = Z1 @ W2 + b2 has shape (N, K); "
        "softmax must not overflow on large logits (section 9).",
        "return softmax(relu(X @ network['W1'] + network['b1']) @ network['W2'] + network['b2'])",
    ),
    solution_text=(
        "from nbtext.activations import relu, softmax\n\n"
        "def predict_proba(network, X):\n"
        "    A1 = X @ network['W1'] + network['b1']   # (N, H)\n"
        "    Z1 = relu(A1)\n"
        "    A2 = Z1 @ network['W2'] + network['b2']  # (N, K): the logits\n"
        "    return softmax(A2)                       # each row sums to 1, no overflow"
    ),
)
q4.nan_diagnoses = ((_batch_max_output, _BATCH_MAX), (_naive_output, _OVERFLOW))


# ------------------------------------------------------------------- q5 ---

_SIZES = (784, 50, 100, 10)
_WEIGHTS = 784 * 50 + 50 * 100 + 100 * 10  # 45200
_BIASES = sum(_SIZES[1:])  # 160


class _CountExercise(NumericExercise):
    """A count: a number with a fractional part is told that counts are whole numbers."""

    def evaluate(self, answer: Any) -> None:
        if not isinstance(answer, (str, bytes)) and answer is not None and answer is not Ellipsis:
            arr = to_float_array(answer)
            if arr.size == 1 and np.isfinite(arr).all() and not float(arr.ravel()[0]).is_integer():
                raise not_yet(
                    f"you gave {float(arr.ravel()[0])!r}, but a number of weights and biases is "
                    "a whole number."
                )
        super().evaluate(answer)


q5 = _CountExercise(
    name="ch03.q5",
    chapter=3,
    prompt="How many weights and biases in total does a 784-50-100-10 network have?",
    reference=_WEIGHTS + _BIASES,
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        (_WEIGHTS, "that counts the weights only; add one bias per neuron of each later layer."),
        (_BIASES, "that counts the biases only; add the weights, n_in × n_out per layer."),
        (sum(_SIZES), "that counts neurons; count the weights (one per connection) and biases."),
        (_WEIGHTS + sum(_SIZES), "the 784 input pixels are not neurons with a bias of their own."),
    ),
    hints=(
        "Between a layer of m neurons and one of n, W has shape (m, n) and b has shape (n,).",
        "Three layers have weights: 784 → 50, 50 → 100, 100 → 10.",
        "(784·50 + 50) + (50·100 + 100) + (100·10 + 10)",
    ),
    solution_text=("(784·50 + 50) + (50·100 + 100) + (100·10 + 10) = 39250 + 5100 + 1010 = 45360"),
)


# ------------------------------------------------------------------- q6 ---

q6 = ChoiceExercise(
    name="ch03.q6",
    chapter=3,
    prompt="Why may a trained classifier skip softmax when it only needs the predicted class?",
    reference="b",
    options={
        "a": "softmax outputs always sum to 1, so they carry no information",
        "b": "softmax keeps the order, so the largest logit is also the largest probability",
        "c": "softmax is only there to avoid overflow",
        "d": "softmax changes the predicted class, so it is better left out",
    },
    aliases=("order", "it keeps the order", "monotonic"),
    diagnoses={
        "a": "the probabilities do carry information (how sure the network is); they just sum "
        "to 1.",
        "c": "subtracting the maximum avoids overflow; softmax itself turns logits into "
        "probabilities.",
        "d": "exp is increasing, so softmax never changes which output is largest.",
    },
    hints=(
        "The predicted class is the index of the largest output: np.argmax.",
        "Is exp increasing? Does dividing every entry by the same positive sum change their order?",
    ),
    solution_text=(
        "(b): exp is increasing and every entry is divided by the same positive sum, so "
        "argmax(softmax(a)) == argmax(a). Softmax is needed for training (the loss) and for "
        "probabilities, not for the class alone."
    ),
)


# ------------------------------------------------------------------- q7 ---

q7 = ChoiceExercise(
    name="ch03.q7",
    chapter=3,
    prompt="What does the universal approximation theorem promise?",
    reference="c",
    options={
        "a": "gradient descent will find the right weights for any function",
        "b": "one hidden layer of 10 units can fit any dataset",
        "c": "one hidden layer with enough units can approximate any continuous function on a "
        "closed interval [x_min, x_max] as closely as we like",
        "d": "deeper networks are always better than wider ones",
    },
    diagnoses={
        "a": "the theorem says the weights exist; it says nothing about how to find them.",
        "b": "the number of units needed depends on the function and the accuracy; it can be "
        "very large.",
        "d": "the theorem is about one hidden layer; depth can save units but makes training "
        "harder.",
    },
    hints=(
        "The theorem is an existence statement: some weights exist.",
        "It needs 'enough' hidden units, with no fixed number, and it speaks of continuous "
        "functions on a closed interval [x_min, x_max] (bounded, end points included).",
    ),
    solution_text=(
        "(c): with enough hidden units, some weights make the network as close as we like to "
        "any continuous function on a closed interval [x_min, x_max]; finding them (training) "
        "is another matter."
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7)
