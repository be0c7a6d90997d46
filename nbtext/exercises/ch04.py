"""Chapter 04 exercises: loss functions."""

from __future__ import annotations

import numpy as np

from nbtext.exercises._core import Case, ChoiceExercise, FunctionExercise
from nbtext.losses import mse as _mse


def mse(prediction: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error (agrees with nbtext.losses.mse: the mean of all squared errors)."""
    return _mse(prediction, target)


q1 = FunctionExercise(
    name="ch04.q1",
    chapter=4,
    prompt="Write mse(prediction, target): the mean of all squared errors.",
    reference=mse,
    params=("prediction", "target"),
    cases=(
        Case((np.array([0.1, 0.8, 0.1]), np.array([0.0, 1.0, 0.0]))),
        Case((np.array([2.5, 0.0, 2.0, 8.0]), np.array([3.0, -0.5, 2.0, 7.0]))),
        Case((np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [0.0, 4.0]]))),
        Case((np.array([1.0, 2.0]), np.array([1.0, 2.0]))),
        Case((np.array([5.0]), np.array([2.0]))),
    ),
    diagnoses=(
        (lambda p, t: np.sum((p - t) ** 2), "you summed; MSE takes the mean (np.mean)."),
        (
            lambda p, t: 0.5 * np.sum((p - t) ** 2),
            "0.5 · sum is the 'sum of squares' loss of "
            "some books; here MSE is the mean of the squared errors.",
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
    ),
    hints=(
        "The error is prediction − target, one number per element.",
        "Square each error, then average over all elements.",
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

EXERCISES = (q1, q2)
