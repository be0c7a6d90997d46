"""Chapter 08 exercises: training and evaluating a classifier."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nbtext.exercises._core import (
    Case,
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    _plain,
    fmt,
    to_float_array,
)


def _whole(values: np.ndarray) -> str:
    """``values`` as written in Python: whole numbers as ``2``, not ``2.0``; a long array by
    its first entries and its length, so that any answer gives a short message quickly."""
    if values.ndim == 0:
        return fmt(_plain(float(values)))
    if values.size > 12:
        return "[" + ", ".join(_whole(v) for v in values[:3]) + f", ... ({len(values)} values)]"
    return "[" + ", ".join(_whole(v) for v in values) + "]"


@dataclass(repr=False, eq=False)
class _WholeNumberExercise(FunctionExercise):
    """A function exercise whose result holds whole numbers (row indices, counts).

    Unlike the plain FunctionExercise, whole numbers are shown as ``2``, not ``2.0``, and a
    1-D result is shown in full ("expected [1, 4], got [2, 4]").
    """

    def _compare_unsafe(self, expected: Any, got: Any) -> str | None:
        reason = super()._compare_unsafe(expected, got)
        exp = np.asarray(expected)
        if reason is None or exp.dtype.kind not in "iu" or isinstance(expected, tuple):
            return reason
        arr = to_float_array(got, "its result")
        if exp.ndim == 1 and arr.ndim == 1:
            if arr.shape != exp.shape:
                return f"wrong shape: expected {exp.size} values, got {arr.size}: {_whole(arr)}"
            return f"expected {_whole(exp)}, got {_whole(arr)}"
        if arr.shape != exp.shape:
            return reason
        bad = np.argwhere(~np.isclose(arr, exp, rtol=self.rtol, atol=self.atol))[0]
        index = tuple(int(i) for i in bad)
        return f"at index {index} expected {_whole(exp[index])}, got {_whole(arr[index])}"


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
        "2 of the 4 predictions match their labels: accuracy = 2 / 4.",
    ),
    solution_text="0.5: predictions [1, 0, 2, 1] vs labels [1, 0, 1, 2], 2 of 4 rows right.",
)


# ----------------------------------------------------------- confusion matrix ---


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """``C[i, j]`` = how many samples of true class i were predicted as class j.

    Shape ``(n_classes, n_classes)``: rows are true labels, columns predictions
    (scikit-learn's convention). Repeated (true, predicted) pairs all count.
    """
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return counts


def _cm_transposed(t: np.ndarray, p: np.ndarray, k: int) -> np.ndarray:
    return confusion_matrix(t, p, k).T


def _cm_fancy_increment(t: np.ndarray, p: np.ndarray, k: int) -> np.ndarray:
    counts = np.zeros((k, k), dtype=np.int64)
    counts[t, p] += 1  # a repeated pair is written once, not added twice
    return counts


def _cm_fractions(t: np.ndarray, p: np.ndarray, k: int) -> np.ndarray:
    return confusion_matrix(t, p, k) / max(len(t), 1)


def _cm_size_from_labels(t: np.ndarray, p: np.ndarray, k: int) -> np.ndarray:
    size = int(max(np.max(t), np.max(p))) + 1
    return confusion_matrix(t, p, size)


q3 = _WholeNumberExercise(
    name="ch08.q3",
    chapter=8,
    prompt="Write confusion_matrix(y_true, y_pred, n_classes): C[i, j] counts true i predicted j.",
    reference=confusion_matrix,
    params=("y_true", "y_pred", "n_classes"),
    cases=(
        Case((np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 2, 1]), 3)),
        Case((np.array([1, 1, 1, 0]), np.array([0, 0, 0, 0]), 2)),
        Case((np.arange(5), np.arange(5), 5)),
        Case(
            (np.array([0, 2, 1, 0]), np.array([0, 2, 2, 1]), 4),
            "y_true = [0, 2, 1, 0], y_pred = [0, 2, 2, 1], n_classes = 4 (class 3 never occurs)",
        ),
    ),
    diagnoses=(
        (
            _cm_transposed,
            "rows are the true labels and columns the predictions: C[true, predicted], "
            "you have it the other way round.",
        ),
        (
            _cm_fancy_increment,
            "C[y_true, y_pred] += 1 counts a repeated (true, predicted) pair only once, because "
            "fancy indexing writes each cell once; loop over the pairs, or use "
            "np.add.at(C, (y_true, y_pred), 1).",
        ),
        (
            _cm_fractions,
            "the matrix holds counts (whole numbers), not fractions of the samples.",
        ),
        (
            _cm_size_from_labels,
            "the size must come from n_classes: a class can be missing from both arrays "
            "and still needs its row and column of zeros.",
        ),
    ),
    hints=(
        "Start from C = np.zeros((n_classes, n_classes), dtype=int); each sample adds 1 to "
        "one cell.",
        "The cell of sample i is row y_true[i] (the truth), column y_pred[i] (the prediction).",
        "for t, p in zip(y_true, y_pred): C[t, p] += 1   (then return C)",
    ),
    solution_text=(
        "def confusion_matrix(y_true, y_pred, n_classes):\n"
        "    C = np.zeros((n_classes, n_classes), dtype=int)\n"
        "    for t, p in zip(y_true, y_pred):\n"
        "        C[t, p] += 1\n"
        "    return C\n"
        "# or, vectorized: np.add.at(C, (y_true, y_pred), 1)"
    ),
)

# ---------------------------------------------------------- parameter count ---

q4 = NumericExercise(
    name="ch08.q4",
    chapter=8,
    prompt="How many parameters (weights and biases) does MLP([64, 16, 16, 10]) have?",
    reference=(64 * 16 + 16) + (16 * 16 + 16) + (16 * 10 + 10),
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        (64 * 16 + 16 * 16 + 16 * 10, "that counts the weights only; every unit also has a bias."),
        (64 * 16 + 16, "that is the first layer only; add the other two layers."),
        (
            (64 * 16 + 16) + (16 * 10 + 10),
            "there are two hidden layers: the 16 × 16 weights and 16 biases between them "
            "count too.",
        ),
        (
            64 * 16 * 16 * 10,
            "the layers' sizes are not multiplied together: add up each layer's "
            "weights and biases.",
        ),
        (64 + 16 + 16 + 10, "that is the number of units; count the connections between them."),
    ),
    hints=(
        "A Dense layer from n_in to n_out holds W of shape (n_in, n_out) and b of shape (n_out,).",
        "Three Dense layers: 64 → 16, 16 → 16 and 16 → 10; count n_in · n_out + n_out for each.",
        "(64·16 + 16) + (16·16 + 16) + (16·10 + 10)",
    ),
    solution_text=(
        "1482 = (64·16 + 16) + (16·16 + 16) + (16·10 + 10) = 1040 + 272 + 170; check with "
        "sum(p.size for p in MLP([64, 16, 16, 10]).params.values())."
    ),
)

# --------------------------------------------------------- loss before training ---

q5 = NumericExercise(
    name="ch08.q5",
    chapter=8,
    prompt=(
        "Predict: a 10-class network gives every class probability 0.1. What is its softmax "
        "cross-entropy loss (to two decimals)?"
    ),
    reference=float(np.log(10.0)),
    rtol=2e-3,  # 2.30 (two decimals) is accepted: |2.30 - ln 10| < 0.003
    atol=0.0,
    diagnoses=(
        (1.0, "cross-entropy uses the natural logarithm: −ln(0.1), not −log10(0.1)."),
        (-float(np.log(10.0)), "mind the sign: the loss is −ln(p), and ln(0.1) is negative."),
        (0.1, "0.1 is the probability of the true class; the loss is −ln of it."),
        (0.9, "the loss is not 1 − p; it is −ln(p) of the true class's probability p."),
        (
            float(np.log(10.0)) / 10,
            "only the true class enters the loss, −ln(p_true); nothing is divided by the "
            "number of classes.",
        ),
    ),
    hints=(
        "Softmax cross-entropy of one sample is −ln(p), with p the probability given to the "
        "true class.",
        "Every class, the true one included, gets p = 0.1; the mean over samples changes "
        "nothing when all samples are alike.",
        "np.log(10)",
    ),
    solution_text=(
        "ln 10 ≈ 2.302585: −ln(0.1) = ln(10). An untrained classifier should start near this "
        "value; a much larger first loss points to badly scaled inputs or weights."
    ),
)

# ------------------------------------------------------------ which data set ---

q6 = ChoiceExercise(
    name="ch08.q6",
    chapter=8,
    prompt="Which data should decide how many epochs to train (a hyper-parameter)?",
    reference="b",
    options={
        "a": "the training set",
        "b": "the validation set",
        "c": "the test set",
        "d": "all three sets together",
    },
    aliases=("validation", "validation data", "val", "the validation data"),
    diagnoses={
        "a": "the training loss keeps falling the longer you train, so it would always ask "
        "for more epochs, even when the network only memorizes.",
        "c": "the test set must stay unseen until the very end; tuning on it makes the final "
        "test accuracy an optimistic guess instead of an honest estimate.",
        "d": "using the test set for any choice spoils it as an honest final check, and the "
        "training set cannot show overfitting.",
    },
    hints=(
        "The training set fits the weights; which set is for choices such as epochs, units "
        "and learning rate?",
        "The test set is looked at once, at the end; what is left?",
        "Choose on data the network does not train on, but keep the test set for the final report.",
    ),
    solution_text=(
        "(b) the validation set: the weights learn from the training set, hyper-parameters "
        "(epochs, units, learning rate) are chosen on the validation set, and the test set is "
        "used once, at the end, for an honest estimate."
    ),
)

# ------------------------------------------------------------- learning curves ---

q7 = ChoiceExercise(
    name="ch08.q7",
    chapter=8,
    prompt=(
        "From epoch 15 on, the training loss keeps falling but the validation loss rises. "
        "What is happening?"
    ),
    reference="b",
    options={
        "a": "underfitting: the network needs more epochs",
        "b": "overfitting: the network fits the training samples' details, not the pattern",
        "c": "the learning rate is too large, so training diverges",
        "d": "the validation set has wrong labels",
    },
    aliases=("overfitting", "it overfits", "over-fitting"),
    diagnoses={
        "a": "an underfitting network does badly on the training set too; here the training "
        "loss is still falling, and more epochs would widen the gap.",
        "c": "divergence makes the training loss itself rise or become nan; here it keeps falling.",
        "d": "wrong labels would make the validation loss high from the start, not rise "
        "after epoch 15.",
    },
    hints=(
        "What does a falling training loss say, and what does a rising validation loss say?",
        "The network keeps getting better on the data it trains on, and worse on new data.",
        "That gap, train better and validation worse, has a name beginning with 'over'.",
    ),
    solution_text=(
        "(b) overfitting: the network starts to memorize its training samples, so it gets "
        "better on them and worse on new data. Stop near the epoch with the lowest validation "
        "loss (early stopping), or use more data, a smaller network or weight decay."
    ),
)

# ------------------------------------------------------ most confident mistakes ---


def most_confident_mistakes(proba: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Row indices of the (at most) ``k`` misclassified samples with the highest confidence.

    ``proba`` ``(N, C)`` class probabilities, ``labels`` ``(N,)``; the prediction is the
    row's argmax and its confidence the row's maximum. Most confident first.
    """
    predicted = np.argmax(proba, axis=1)
    confidence = np.max(proba, axis=1)
    wrong = np.flatnonzero(predicted != labels)
    order = wrong[np.argsort(-confidence[wrong], kind="stable")]
    return order[:k]


def _mistakes_with_correct_rows(proba: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-np.max(proba, axis=1), kind="stable")[:k]


def _mistakes_ascending(proba: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    confidence = np.max(proba, axis=1)
    wrong = np.flatnonzero(np.argmax(proba, axis=1) != labels)
    return wrong[np.argsort(confidence[wrong], kind="stable")][:k]


def _mistakes_positions(proba: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    confidence = np.max(proba, axis=1)
    wrong = np.flatnonzero(np.argmax(proba, axis=1) != labels)
    return np.argsort(-confidence[wrong], kind="stable")[:k]


def _mistakes_confidences(proba: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return np.max(proba, axis=1)[most_confident_mistakes(proba, labels, k)]


def _mistakes_unsorted(proba: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return np.flatnonzero(np.argmax(proba, axis=1) != labels)[:k]


def _mistakes_by_true_class(proba: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    p_true = proba[np.arange(len(labels)), labels]
    wrong = np.flatnonzero(np.argmax(proba, axis=1) != labels)
    return wrong[np.argsort(-p_true[wrong], kind="stable")][:k]


def _mistakes_by_true_class_ascending(proba: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    p_true = proba[np.arange(len(labels)), labels]
    wrong = np.flatnonzero(np.argmax(proba, axis=1) != labels)
    return wrong[np.argsort(p_true[wrong], kind="stable")][:k]


_PROBA = np.array(
    [
        [0.70, 0.20, 0.10],
        [0.10, 0.80, 0.10],
        [0.35, 0.25, 0.40],
        [0.05, 0.05, 0.90],
        [0.60, 0.05, 0.35],
        [0.20, 0.70, 0.10],
    ]
)
_PROBA_LABELS = np.array([0, 2, 1, 2, 1, 1])
# Rows 1, 2 and 4 are wrong, with confidences 0.8, 0.4, 0.6 and true-class probabilities
# 0.1, 0.25, 0.05: each typical mistake gives a different answer for k = 2.
_PROBA_INPUT = (
    "proba = np.array(["
    + ", ".join("[" + ", ".join(f"{v:g}" for v in row) + "]" for row in _PROBA)
    + "]), labels = np.array("
    + str(_PROBA_LABELS.tolist())
    + ")"
)

q8 = _WholeNumberExercise(
    name="ch08.q8",
    chapter=8,
    prompt="Write most_confident_mistakes(proba, labels, k): indices of the k surest wrong rows.",
    reference=most_confident_mistakes,
    params=("proba", "labels", "k"),
    cases=(
        Case((_PROBA, _PROBA_LABELS, 2), f"{_PROBA_INPUT}, k = 2"),
        Case((_PROBA, _PROBA_LABELS, 1), f"{_PROBA_INPUT}, k = 1"),
        Case(
            (_PROBA, _PROBA_LABELS, 5),
            f"{_PROBA_INPUT}, k = 5 (only 3 rows are wrong: return all 3)",
        ),
        Case(
            (np.eye(3), np.arange(3), 2),
            "proba = np.eye(3), labels = [0, 1, 2], k = 2 (no mistakes: return an empty array)",
        ),
    ),
    diagnoses=(
        (
            _mistakes_with_correct_rows,
            "keep only the misclassified rows (argmax ≠ label) before ranking by confidence.",
        ),
        (
            _mistakes_ascending,
            "most confident first: sort by decreasing confidence (np.argsort(-confidence)).",
        ),
        (
            _mistakes_positions,
            "np.argsort gives positions inside your array of wrong rows; map them back to row "
            "numbers with wrong[order].",
        ),
        (
            _mistakes_confidences,
            "return the row indices of the mistakes, not their confidences.",
        ),
        (
            _mistakes_unsorted,
            "these are the first mistakes in row order; sort them by decreasing confidence first.",
        ),
        (
            _mistakes_by_true_class,
            "rank by the confidence, the row's largest probability (the one of the predicted "
            "class), not by the probability of the true class.",
        ),
        (
            _mistakes_by_true_class_ascending,
            "rank by the confidence, the row's largest probability (the one of the predicted "
            "class), not by the probability of the true class.",
        ),
    ),
    hints=(
        "Three arrays help: predicted = argmax of each row, confidence = max of each row, and "
        "wrong = np.flatnonzero(predicted != labels).",
        "Sort the wrong rows by decreasing confidence: order = np.argsort(-confidence[wrong]).",
        "return wrong[np.argsort(-confidence[wrong])][:k]",
    ),
    solution_text=(
        "def most_confident_mistakes(proba, labels, k):\n"
        "    predicted = np.argmax(proba, axis=1)\n"
        "    confidence = np.max(proba, axis=1)\n"
        "    wrong = np.flatnonzero(predicted != labels)\n"
        "    return wrong[np.argsort(-confidence[wrong])][:k]"
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
