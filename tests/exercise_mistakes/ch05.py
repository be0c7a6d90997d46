"""Typical mistakes for the Chapter 05 exercises added with the chapter (q3 on)."""

from __future__ import annotations

from typing import Any

import numpy as np


def _sigmoid(a: Any) -> Any:
    return 1 / (1 + np.exp(-a))


def _cross_entropy_gradient(X: Any, y: Any, theta: Any) -> Any:
    return X.T @ (_sigmoid(X @ theta) - y) / len(y)


def _slope_of_weighted_sum(X: Any, y: Any, theta: Any) -> Any:
    a = X @ theta
    return X.T @ ((_sigmoid(a) - y) * a * (1 - a)) / len(y)


def _summed(X: Any, y: Any, theta: Any) -> Any:
    g = _sigmoid(X @ theta)
    return X.T @ ((g - y) * g * (1 - g))


def _target_minus_output(X: Any, y: Any, theta: Any) -> Any:
    g = _sigmoid(X @ theta)
    return X.T @ ((y - g) * g * (1 - g)) / len(y)


def _loops_without_x(X: Any, y: Any, theta: Any) -> Any:
    # forgets the factor x_i: every weight gets the bias's gradient
    g = _sigmoid(X @ theta)
    return np.full(len(theta), np.sum((g - y) * g * (1 - g)) / len(y))


def _in_place(X: Any, y: Any, theta: Any) -> Any:
    y -= X @ theta  # reuses y's memory for the errors: right value, but y is changed
    return -X.T @ y / len(y)


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch05.q3": [
        (-1.5, "after one step"),
        (0.1875, "derivative of x² is 2x"),
        (18.75, "subtract α·f'(x)"),
        (0.0, "overshoots the minimum"),
        (-0.375, "three steps"),
        ("0.75", "the text"),
    ],
    "ch05.q4": [
        (1.0, "three times smaller"),
        (1 / 6, "lands exactly on the minimum"),
        (2 / 3, "the derivative of 3x² is 6x"),
        (0.3, "your answer 0.3 is too small"),
    ],
    "ch05.q5": [
        (lambda X, y, t: X.T @ (X @ t - y), "divide by m"),
        (lambda X, y, t: X.T @ (X @ t - y) / (2 * len(y)), "not 2m"),
        (lambda X, y, t: X.T @ (y - X @ t) / len(y), "sign is flipped"),
        (lambda X, y, t: np.full_like(t, np.mean(X @ t - y)), "its own input"),
        (lambda X, y, t: X @ (X @ t - y) / len(y), "raised ValueError"),
        (_in_place, "changed its input array in place"),
        (lambda X, y, t: 2 * X.T @ (X @ t - y) / len(y), "cancels the ½"),
    ],
    "ch05.q6": [
        (_cross_entropy_gradient, "factor g(1 − g) is missing"),
        (_slope_of_weighted_sum, "not a(1 − a)"),
        (_summed, "m times too large"),
        (_target_minus_output, "sign is flipped"),
        (_loops_without_x, "wrong value at input OR rows"),
    ],
    "ch05.q7": [
        ("a", "exact minimiser"),
        ("b", "cannot beat"),
        ("d", "column of ones"),
        ("e", "not one of the choices"),
    ],
    "ch05.q8": [
        (-0.375, "mind the sign"),
        (0.25, "not by θ1"),
        (0.75, "numerator"),
        ([0.25, 0.375], "expected a single number"),
    ],
}
