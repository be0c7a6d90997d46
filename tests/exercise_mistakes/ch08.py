"""Typical mistakes for the chapter 08 exercises added with the notebook (q3 onwards)."""

from __future__ import annotations

from typing import Any

import numpy as np


def _cm_loop(t, p, k):  # type: ignore[no-untyped-def]
    counts = np.zeros((k, k), dtype=int)
    for a, b in zip(t, p, strict=True):
        counts[a, b] += 1
    return counts


def _cm_transposed(t, p, k):  # type: ignore[no-untyped-def]
    return _cm_loop(p, t, k)


def _cm_fancy_increment(t, p, k):  # type: ignore[no-untyped-def]
    counts = np.zeros((k, k), dtype=int)
    counts[t, p] += 1
    return counts


def _cm_fractions(t, p, k):  # type: ignore[no-untyped-def]
    return _cm_loop(t, p, k) / len(t)


def _cm_size_from_labels(t, p, k):  # type: ignore[no-untyped-def]
    size = max(max(t), max(p)) + 1
    return _cm_loop(t, p, size)


def _mcm_all_rows(proba, labels, k):  # type: ignore[no-untyped-def]
    return np.argsort(-proba.max(axis=1))[:k]


def _mcm_ascending(proba, labels, k):  # type: ignore[no-untyped-def]
    wrong = np.flatnonzero(proba.argmax(axis=1) != labels)
    return wrong[np.argsort(proba.max(axis=1)[wrong])][:k]


def _mcm_positions(proba, labels, k):  # type: ignore[no-untyped-def]
    wrong = np.flatnonzero(proba.argmax(axis=1) != labels)
    return np.argsort(-proba.max(axis=1)[wrong])[:k]


def _mcm_confidences(proba, labels, k):  # type: ignore[no-untyped-def]
    wrong = np.flatnonzero(proba.argmax(axis=1) != labels)
    conf = proba.max(axis=1)[wrong]
    return np.sort(conf)[::-1][:k]


def _mcm_unsorted(proba, labels, k):  # type: ignore[no-untyped-def]
    return np.flatnonzero(proba.argmax(axis=1) != labels)[:k]


def _mcm_true_class(proba, labels, k):  # type: ignore[no-untyped-def]
    wrong = np.flatnonzero(proba.argmax(axis=1) != labels)
    p_true = proba[np.arange(len(labels)), labels][wrong]
    return wrong[np.argsort(-p_true)][:k]


def _mcm_true_class_lowest_first(proba, labels, k):  # type: ignore[no-untyped-def]
    wrong = np.flatnonzero(proba.argmax(axis=1) != labels)
    p_true = proba[np.arange(len(labels)), labels][wrong]
    return wrong[np.argsort(p_true)][:k]


def _mcm_none_without_mistakes(proba, labels, k):  # type: ignore[no-untyped-def]
    wrong = np.flatnonzero(proba.argmax(axis=1) != labels)
    if len(wrong) == 0:
        return None
    return wrong[np.argsort(-proba.max(axis=1)[wrong])][:k]


def _mcm_all_mistakes(proba, labels, k):  # type: ignore[no-untyped-def]
    wrong = np.flatnonzero(proba.argmax(axis=1) != labels)
    return wrong[np.argsort(-proba.max(axis=1)[wrong])]


def _cm_ones(t, p, k):  # type: ignore[no-untyped-def]
    return np.ones((k, k), dtype=int)


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch08.q3": [
        (_cm_transposed, "other way round"),
        (_cm_fancy_increment, "np.add.at"),
        (_cm_fractions, "counts (whole numbers)"),
        (_cm_size_from_labels, "must come from n_classes"),
        (_cm_ones, "at index (0, 1) expected 0, got 1."),
    ],
    "ch08.q4": [
        (1440, "weights only"),
        (1040, "first layer only"),
        (1210, "two hidden layers"),
        (163840, "not multiplied together"),
        (106, "number of units"),
        ("1482", "the text"),
    ],
    "ch08.q5": [
        (1.0, "natural logarithm"),
        (-2.302585, "mind the sign"),
        (0.1, "probability of the true class"),
        (0.2302585, "nothing is divided"),
    ],
    "ch08.q6": [
        ("a", "always ask for more epochs"),
        ("c", "must stay unseen"),
        ("all three sets together", "spoils it"),
        ("training", "not one of the choices"),
    ],
    "ch08.q7": [
        ("a", "training set too"),
        ("c", "nan"),
        ("d", "high from the start"),
    ],
    "ch08.q8": [
        (_mcm_all_rows, "keep only the misclassified rows"),
        (_mcm_ascending, "decreasing confidence"),
        (_mcm_positions, "wrong[order]"),
        (_mcm_confidences, "not their confidences"),
        (_mcm_unsorted, "sort them by decreasing confidence"),
        (_mcm_true_class, "not by the probability of the true class"),
        (_mcm_true_class_lowest_first, "not by the probability of the true class"),
        (_mcm_none_without_mistakes, "returned None on input proba = np.eye(3)"),
        (_mcm_all_mistakes, "expected 2 values, got 3: [1, 4, 2]"),
        (_mcm_positions, "labels = np.array([0, 2, 1, 2, 1, 1]), k = 2: expected [1, 4], got"),
    ],
}
