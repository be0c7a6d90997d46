"""Typical mistakes for the chapter 04 exercises added with the notebook (q3 …)."""

from __future__ import annotations

from typing import Any

import numpy as np


def _picks_columns(p: np.ndarray, y: np.ndarray) -> float:
    return -np.mean(np.log(p[:, y]))


def _per_sample(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    return -np.log(p[np.arange(len(y)), y])


def _every_class(p: np.ndarray, y: np.ndarray) -> float:
    return -np.mean(np.log(p))


def _one_hot_sum(p: np.ndarray, y: np.ndarray) -> float:
    return -np.sum(np.eye(p.shape[1])[y] * np.log(p))


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch04.q3": [
        (lambda p, t: np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)), "minus sign"),
        (lambda p, t: -np.mean(t * np.log(p)), "(1 − t)·log(1 − p) term"),
        (lambda p, t: -np.mean(t * np.log(p) + (1 - t) * np.log(p)), "must use log(1 − p)"),
        (lambda p, t: -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p)), "you summed"),
        (lambda p, t: -np.mean(t * np.log10(p) + (1 - t) * np.log10(1 - p)), "natural log"),
        (lambda p, t: np.mean((p - t) ** 2), "wrong value at input p = [0.9, 0.2, 0.6]"),
    ],
    "ch04.q4": [
        (_picks_columns, "picks whole columns"),
        (lambda p, y: -np.mean(np.log(p[y])), "probs[labels] picks whole rows"),
        (_per_sample, "one loss per sample"),
        (lambda p, y: np.mean(np.log(p[np.arange(len(y)), y])), "minus sign"),
        (_one_hot_sum, "you summed"),
        (_every_class, "every class"),
    ],
    "ch04.q5": [
        (5 / 3, "that is the MSE"),
        (5, "sum of the squared errors"),
        (2.5, "divide by m = 3 as well"),
        (0.5, "squares the errors"),
        ("0.8333", "is the text"),
    ],
    "ch04.q6": [
        ((3.2, 22.0), "the order is (MSE, MAE)"),
        ((110, 16), "those are sums"),
        ((22, 2), "absolute value"),
        ((4.69, 3.2), "RMSE"),
        ((11, 3.2), "the cost J"),
        ([22.0], "got (22,)"),
    ],
    "ch04.q7": [
        ("c", "one-hot rows"),
        ("a", "regression"),
        ("binary cross-entropy", "not three"),
        (4, "as a string"),
    ],
    "ch04.q8": [
        (100, "probability route"),
        (np.inf, "inf is what"),
        (float("nan"), "naive softmax"),
        (800.0, "log-sum-exp"),
        (0, "confident mistake"),
        (-1600, "minus that"),
    ],
}
