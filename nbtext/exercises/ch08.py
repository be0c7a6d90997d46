"""Chapter 08 exercises: evaluating a classifier."""

from __future__ import annotations

import numpy as np

from nbtext.exercises._core import Case, FunctionExercise, NumericExercise


def accuracy(scores: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of rows whose highest score is at the true label (as MLP.accuracy)."""
    return float(np.mean(np.argmax(scores, axis=1) == labels))


_SCORES = np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]])
_LABELS = np.array([1, 0, 1, 2])

q1 = FunctionExercise(
    name="ch08.q1",
    chapter=8,
    prompt="Write accuracy(scores, labels): the fraction of rows whose top score is the label.",
    reference=accuracy,
    params=("scores", "labels"),
    cases=(
        Case((_SCORES, _LABELS)),
        Case((np.array([[2.0, -1.0], [0.0, 3.0], [1.0, 0.5]]), np.array([0, 1, 0]))),
        Case((np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([1, 0]))),
        Case((np.eye(5), np.arange(5))),
    ),
    diagnoses=(
        (
            lambda s, y: float(np.sum(np.argmax(s, axis=1) == y)),
            "that is the number of correct rows; divide by the number of rows to get a fraction.",
        ),
        (
            lambda s, y: 100.0 * np.mean(np.argmax(s, axis=1) == y),
            "that is a percentage; return a fraction between 0 and 1.",
        ),
        (
            lambda s, y: float(np.mean(np.argmax(s, axis=0) == y[: s.shape[1]])),
            "take the argmax along each row (axis=1), not down each column.",
        ),
        (
            lambda s, y: 1.0 - np.mean(np.argmax(s, axis=1) == y),
            "that is the error rate; accuracy is 1 minus it.",
        ),
    ),
    hints=(
        "The predicted class of a row is the index of its largest score.",
        "np.argmax(scores, axis=1) gives one predicted class per row; compare with labels.",
        "return np.mean(np.argmax(scores, axis=1) == labels)",
    ),
    solution_text=(
        "def accuracy(scores, labels):\n    return np.mean(np.argmax(scores, axis=1) == labels)"
    ),
)

q2 = NumericExercise(
    name="ch08.q2",
    chapter=8,
    prompt=(
        "Predict the output: accuracy(np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], "
        "[0.3, 0.3, 0.4], [0.2, 0.5, 0.3]]), np.array([1, 0, 1, 2]))"
    ),
    reference=accuracy(_SCORES, _LABELS),
    rtol=0.0,
    atol=1e-9,
    diagnoses=(
        (2, "2 rows are right, but accuracy is a fraction of all 4 rows."),
        (50, "accuracy is a fraction between 0 and 1, not a percentage."),
        (0.75, "row 3's top score is 0.4 at class 2, but its label is 1."),
        (0.25, "count again: rows 1 and 2 are right."),
    ),
    hints=(
        "Find the index of the largest score in each row: that is the predicted class.",
        "The predictions are [1, 0, 2, 1]; compare them with the labels [1, 0, 1, 2].",
    ),
    solution_text="0.5: predictions [1, 0, 2, 1] vs labels [1, 0, 1, 2], 2 of 4 rows right.",
)

EXERCISES = (q1, q2)
