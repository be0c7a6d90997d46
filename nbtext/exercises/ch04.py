"""Chapter 04 exercises: loss functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nbtext.exercises._core import (
    NOT_YET,
    Case,
    ChoiceExercise,
    CustomExercise,
    FunctionExercise,
    NumericExercise,
    _Verdict,
    compare,
    fmt,
    matches,
    not_yet,
    to_float_array,
)
from nbtext.losses import binary_cross_entropy as _bce
from nbtext.losses import mse as _mse
from nbtext.losses import sparse_categorical_cross_entropy as _sparse_cce


def mse(prediction: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error (agrees with nbtext.losses.mse: the mean of all squared errors)."""
    return _mse(prediction, target)


def _mse_row_loop(p: np.ndarray, t: np.ndarray) -> object:
    """A loop over the first axis: fine for (N,), but D numbers for (N, D) input."""
    total = 0.0
    for pi, ti in zip(p, t, strict=True):
        total = total + (pi - ti) ** 2
    return total / len(p)


_AXIS_ERROR_NOTE = (
    "the inputs may be 1-D, shape (N,), as well as 2-D, shape (N, D), so there may be no "
    "axis 1; average over all elements with np.mean of the whole array, no axis needed "
    "(summing over D first would also make the loss D times larger)."
)


class _MSEExercise(FunctionExercise):
    """A function exercise that explains an axis error: the inputs may be (N,) or (N, D)."""

    def _run_case(self, fn: Callable[..., Any], case: Case) -> None:
        try:
            super()._run_case(fn, case)
        except _Verdict as v:
            if v.status == NOT_YET and "raised AxisError" in v.message:
                raise not_yet(f"{v.message.rstrip('.')} — {_AXIS_ERROR_NOTE}") from None
            raise


q1 = _MSEExercise(
    name="ch04.q1",
    chapter=4,
    prompt="Write mse(prediction, target) for arrays of the same shape, (N,) or (N, D): "
    "the mean of all squared errors.",
    reference=mse,
    params=("prediction", "target"),
    cases=(
        Case((np.array([2.5, 0.0, 2.0, 8.0]), np.array([3.0, -0.5, 2.0, 7.0]))),
        Case((np.array([0.1, 0.8, 0.1]), np.array([0.0, 1.0, 0.0]))),
        Case((np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [0.0, 4.0]]))),
        Case((np.array([1.0, 2.0]), np.array([1.0, 2.0]))),
        Case((np.array([5.0]), np.array([2.0]))),
    ),
    diagnoses=(
        (
            lambda p, t: np.sum((p - t) ** 2),
            "you summed; MSE takes the mean over all elements (np.mean, no axis).",
        ),
        (
            lambda p, t: 0.5 * np.sum((p - t) ** 2),
            "0.5 · sum is the 'sum of squares' loss of "
            "some books; here MSE is the mean of the squared errors.",
        ),
        (
            lambda p, t: 0.5 * np.mean((p - t) ** 2),
            "that is half the MSE: the ½ of the cost J(θ), which is only there to tidy the "
            "derivative. The loss mse is the plain mean of the squared errors, as PyTorch's "
            "MSELoss: leave out the 0.5.",
        ),
        (
            lambda p, t: np.mean(p - t) ** 2,
            "you squared the mean error; square each error *before* averaging.",
        ),
        (lambda p, t: np.mean(p - t), "did you forget to square the errors?"),
        (
            lambda p, t: np.mean(np.abs(p - t)),
            "that is the mean absolute error (MAE); square instead of taking the absolute value.",
        ),
        (
            lambda p, t: np.sqrt(np.mean((p - t) ** 2)),
            "that is the root of the MSE (RMSE); leave out the square root.",
        ),
        (
            _mse_row_loop,
            "it must also work for (N, D) arrays: a loop over the rows returns D numbers; "
            "average over all N·D elements (np.mean of the whole array, or loop over "
            "np.ravel(prediction)).",
        ),
    ),
    hints=(
        "The error is prediction − target, one number per element, in any shape.",
        "Square each error, then average over all elements (N of them, or N·D).",
        "return np.mean((prediction - target) ** 2)",
    ),
    solution_text="def mse(prediction, target):\n    return np.mean((prediction - target) ** 2)",
)

q2 = ChoiceExercise(
    name="ch04.q2",
    chapter=4,
    prompt="The target is 1 and the model predicts p = 0. What is the cross-entropy −log(p)?",
    reference="c",
    options={
        "a": "0",
        "b": "1",
        "c": "infinity",
        "d": "minus infinity",
    },
    aliases=("inf", "∞", "infinite", "+inf", "positive infinity", "np.inf"),
    diagnoses={
        "a": "a loss of 0 means a perfect prediction; p = 0 for the true class is the worst.",
        "b": "−log(p) is 1 only at p = 1/e ≈ 0.37.",
        "d": "log(0) is −∞, but the loss is −log(p), so the sign flips.",
    },
    hints=(
        "Cross-entropy for a true class with predicted probability p is −log(p).",
        "What happens to log(p) as p shrinks towards 0?",
    ),
    solution_text=(
        "(c) infinity: −log(0) = +∞. That is why code clamps the log (nbtext clamps at −100, "
        "like PyTorch) instead of letting one confident mistake make the loss infinite."
    ),
)


# ------------------------------------------------------------------- q3 ---


def binary_cross_entropy(prediction: np.ndarray, target: np.ndarray) -> float:
    """Binary cross-entropy −mean[t log p + (1 − t) log(1 − p)] (nbtext.losses agrees)."""
    return _bce(prediction, target)


q3 = FunctionExercise(
    name="ch04.q3",
    chapter=4,
    prompt="Write binary_cross_entropy(p, t): the mean of −[t·log(p) + (1 − t)·log(1 − p)].",
    reference=binary_cross_entropy,
    params=("p", "t"),
    cases=(
        Case((np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0]))),
        Case((np.array([0.5]), np.array([1.0]))),
        Case((np.array([0.01, 0.99]), np.array([1.0, 0.0]))),
        Case((np.array([0.3, 0.7, 0.1, 0.8]), np.array([0.0, 1.0, 0.0, 1.0]))),
        Case((np.array([[0.25], [0.75]]), np.array([[0.0], [1.0]]))),
    ),
    diagnoses=(
        (
            lambda p, t: np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)),
            "the result is negative: log of a probability is ≤ 0, so put a minus sign in front.",
        ),
        (
            lambda p, t: -np.mean(t * np.log(p)),
            "the samples with t = 0 contribute nothing; add the (1 − t)·log(1 − p) term.",
        ),
        (
            lambda p, t: -np.mean(t * np.log(p) + (1 - t) * np.log(p)),
            "the second term must use log(1 − p), the probability the model gives to class 0.",
        ),
        (
            lambda p, t: -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p)),
            "you summed over the samples; the loss is the mean (np.mean).",
        ),
        (
            lambda p, t: -np.mean(t * np.log10(p) + (1 - t) * np.log10(1 - p)),
            "np.log10 is the base-10 logarithm; cross-entropy uses the natural log, np.log.",
        ),
    ),
    hints=(
        "For one sample the loss is −log(p) when t = 1 and −log(1 − p) when t = 0.",
        "t·log(p) + (1 − t)·log(1 − p) picks the right one of the two logs for each sample; "
        "then negate and average.",
        "return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))",
    ),
    solution_text=(
        "def binary_cross_entropy(p, t):\n"
        "    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))\n\n"
        "(nbtext.losses.binary_cross_entropy also clamps each log at −100, so p = 0 or 1 "
        "gives 100 instead of infinity.)"
    ),
)


# ------------------------------------------------------------------- q4 ---


def sparse_categorical_cross_entropy(probs: np.ndarray, labels: np.ndarray) -> float:
    """−mean log probs[n, labels[n]] for (N, C) probabilities and (N,) integer labels."""
    return _sparse_cce(probs, labels)


q4 = FunctionExercise(
    name="ch04.q4",
    chapter=4,
    prompt="Write sparse_categorical_cross_entropy(probs, labels): "
    "the mean of −log probs[n, labels[n]].",
    reference=sparse_categorical_cross_entropy,
    params=("probs", "labels"),
    cases=(
        Case(
            (
                np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.25, 0.25, 0.5]]),
                np.array([2, 0, 1, 0]),
            )
        ),
        Case((np.array([[0.5, 0.5]]), np.array([1]))),
        Case((np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]]), np.array([1, 2]))),
        Case((np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]]), np.array([3, 3]))),
    ),
    diagnoses=(
        (
            lambda p, y: -np.mean(np.log(p[:, y])),
            "probs[:, labels] picks whole columns (an N × N block); pick one entry per row "
            "with probs[np.arange(len(labels)), labels].",
        ),
        (
            lambda p, y: -np.mean(np.log(p[y])),
            "probs[labels] picks whole rows (row labels[n] for each n), not one entry per "
            "row; use probs[np.arange(len(labels)), labels].",
        ),
        (
            lambda p, y: -np.log(p[np.arange(len(y)), y]),
            "you returned one loss per sample; the loss is their mean (np.mean).",
        ),
        (
            lambda p, y: np.mean(np.log(p[np.arange(len(y)), y])),
            "the result is negative: log of a probability is ≤ 0, so put a minus sign in front.",
        ),
        (
            lambda p, y: -np.sum(np.log(p[np.arange(len(y)), y])),
            "you summed over the samples; the loss is the mean (np.mean).",
        ),
        (
            lambda p, y: -np.mean(np.log(p)),
            "you averaged −log over every class; only the true class of each row counts.",
        ),
    ),
    hints=(
        "Each row n contributes −log of the probability of its true class, labels[n].",
        "Fancy indexing picks one entry per row: probs[np.arange(N), labels] has shape (N,).",
        "return -np.mean(np.log(probs[np.arange(len(labels)), labels]))",
    ),
    solution_text=(
        "def sparse_categorical_cross_entropy(probs, labels):\n"
        "    picked = probs[np.arange(len(labels)), labels]   # (N,): p of the true class\n"
        "    return -np.mean(np.log(picked))\n\n"
        "It equals categorical cross-entropy with the one-hot targets np.eye(C)[labels]."
    ),
)


# ------------------------------------------------------------------- q5 ---

q5 = NumericExercise(
    name="ch04.q5",
    chapter=4,
    prompt="For h = [2, 3, 5] and y = [1, 3, 7], compute J = 1/(2m) Σ (h − y)² "
    "(within 0.1 %: 3 significant digits or an exact fraction).",
    reference=5.0 / 6.0,
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        (5.0 / 3.0, "that is the MSE, the mean of the squared errors; J has an extra ½."),
        (5.0, "that is the sum of the squared errors; divide by 2m = 6."),
        (2.5, "that is ½ Σ (h − y)²; divide by m = 3 as well."),
        (0.5, "that uses |h − y|; J squares the errors."),
        (-1.0 / 6.0, "the errors must be squared before they are added."),
    ),
    hints=(
        "The errors h − y are [1, 0, −2] and m = 3.",
        "Square the errors: [1, 0, 4]; they add up to 5.",
        "J = 5 / (2 · 3) = 5/6.",
    ),
    solution_text=(
        "errors h − y = [1, 0, −2], squared [1, 0, 4], sum 5, m = 3:\n"
        "J = 5 / (2 · 3) = 0.8333…  (half the MSE of 5/3 ≈ 1.6667)."
    ),
)


# ------------------------------------------------------------------- q6 ---

q6 = NumericExercise(
    name="ch04.q6",
    chapter=4,
    prompt="The errors h − y are [1, −1, 2, −2, 10]. Give (MSE, MAE) as a tuple of two numbers "
    "(within 0.1 %).",
    reference=(22.0, 3.2),
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        ((3.2, 22.0), "the order is (MSE, MAE): the mean squared error comes first."),
        ((110.0, 16.0), "those are sums; divide each by the 5 samples."),
        ((22.0, 2.0), "MAE takes the absolute value of each error before averaging."),
        ((4.690416, 3.2), "√22 is the RMSE; the MSE has no square root."),
        ((11.0, 3.2), "11 is ½ · MSE, the cost J; the MSE has no ½."),
    ),
    hints=(
        "MSE = mean of the squared errors, MAE = mean of the absolute errors.",
        "Squared: [1, 1, 4, 4, 100]; absolute: [1, 1, 2, 2, 10].",
        "MSE = 110 / 5, MAE = 16 / 5.",
    ),
    solution_text=(
        "MSE = (1 + 1 + 4 + 4 + 100) / 5 = 22.0, MAE = (1 + 1 + 2 + 2 + 10) / 5 = 3.2.\n"
        "Without the outlier 10 they would be 2.5 and 1.5: the one large error multiplies the "
        "MSE by 8.8 but the MAE only by about 2.1."
    ),
)


# ------------------------------------------------------------------- q7 ---

q7 = ChoiceExercise(
    name="ch04.q7",
    chapter=4,
    prompt="Labels are integers such as y = [2, 0, 1] and the model outputs (N, 3) softmax "
    "probabilities. Which loss takes y as it is?",
    reference="d",
    options={
        "a": "mean squared error",
        "b": "binary cross-entropy",
        "c": "categorical cross-entropy",
        "d": "sparse categorical cross-entropy",
    },
    aliases=(
        "sparse",
        "sparse cce",
        "sparse categorical crossentropy",
        "sparse_categorical_crossentropy",
        "sparse_categorical_cross_entropy",
        "sparsecategoricalcrossentropy",
    ),
    diagnoses={
        "a": "MSE compares numbers of the same shape; it is for regression targets.",
        "b": "binary cross-entropy takes one probability per sample for two classes, not three.",
        "c": "categorical cross-entropy wants one-hot rows of shape (N, 3), e.g. np.eye(3)[y]; "
        "it would give the same value, but not from y as it is.",
    },
    hints=(
        "Which losses are for classification with more than two classes?",
        "Of those two, one wants one-hot rows (N, C), the other integer labels (N,).",
        "'Sparse' refers to the integer labels: only the index of the 1 is stored.",
    ),
    solution_text=(
        "(d) sparse categorical cross-entropy takes the (N,) integer labels. Categorical "
        "cross-entropy gives the same value but needs the one-hot (N, C) targets np.eye(C)[y]."
    ),
)


# ------------------------------------------------------------------- q8 ---

_Q8_DIAGNOSES = (
    (
        100.0,
        "100 is what the probability route reports (log clamped at −100); "
        "from logits the loss is exact.",
    ),
    (800.0, "log-sum-exp of [800, −800] is 800 (to every digit), and the true score is −800."),
    (0.0, "label 1 is the class scored −800: a confident mistake, not a hit."),
    (-1600.0, "that is log softmax of the true class; the loss is minus that."),
)


def _judge_q8(answer: object) -> None:
    reason = compare(1600.0, answer, rtol=1e-3, atol=1e-9)
    if reason is None:
        return
    arr = to_float_array(answer)
    if arr.size == 1:  # a prediction: say what is off, not the answer
        value = float(arr.ravel()[0])
        side = "not a finite number" if not np.isfinite(value) else "too large"
        side = "too small" if np.isfinite(value) and value < 1600.0 else side
        reason = f"your answer {fmt(value)} is {side}"
    if arr.size == 1 and np.isnan(arr).all():
        raise not_yet(
            "nan is what a naive softmax gives once exp(800) overflows (inf / inf); "
            f"the logits route never forms exp(800), so the loss is finite — {reason}."
        )
    if arr.size == 1 and np.isinf(arr).all():
        raise not_yet(
            "inf is what −log(softmax) gives once p rounds to 0; from logits with "
            f"log-sum-exp the loss stays finite — {reason}."
        )
    for wrong, why in _Q8_DIAGNOSES:
        if matches(answer, wrong, rtol=1e-3):
            raise not_yet(f"{reason} — {why}")
    raise not_yet(f"{reason}.")


q8 = CustomExercise(
    name="ch04.q8",
    chapter=4,
    prompt="Predict softmax_cross_entropy(np.array([[800.0, -800.0]]), np.array([1])) "
    "(within 0.1 %).",
    reference=1600.0,
    judge=_judge_q8,
    hints=(
        "The loss is −log softmax(a)[label]; the label 1 points at the score −800.",
        "log softmax(a)_k = a_k − M − log Σ_j exp(a_j − M) with M = max(a) = 800, and "
        "log(1 + e^−1600) is 0 to every digit a float can hold.",
        "log softmax(a)_1 = −800 − 800 = −1600; the loss is minus that.",
    ),
    solution_text=(
        "1600.0: log softmax(a)_1 = a_1 − M − log Σ_j exp(a_j − M) "
        "= −800 − 800 − log(1 + e^−1600) = −1600, so the loss is 1600. The probability "
        "route would give inf (softmax rounds p_1 to 0) or 100 with the clamp."
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
