"""Typical mistakes for the Chapter 02 exercises added with the chapter (q4 on)."""

from __future__ import annotations

from typing import Any

import numpy as np


def _sigmoid(x: Any) -> Any:
    return 1 / (1 + np.exp(-x))


def _scalar_leaky_relu(x: Any, alpha: float) -> Any:
    return x if x > 0 else alpha * x


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch02.q4": [
        (_sigmoid, "that is σ(x) itself"),
        (lambda x: x * (1 - x), "applied the formula to x itself"),
        (lambda x: 1 - _sigmoid(x), "the factor σ(x) is missing"),
        (lambda x: -_sigmoid(x) * (1 - _sigmoid(x)), "mind the sign"),
        (lambda x: np.exp(-x) / (1 + np.exp(-x)), "the factor σ(x) is missing"),
    ],
    "ch02.q5": [
        (2.5, "ten factors"),
        (0.5**10, "its slope σ'(0) is 0.25"),
        (0.25, "that is one layer"),
        (0.25**9, "count the factors again"),
        (1.0, "ReLU's slope"),
        (0.0, "your answer 0.0 is too small"),
        (2.7848e-07, "the chain of section 10 for the input x = 1"),
        (1e-6, "the rounded 'less than a millionth'"),
    ],
    "ch02.q6": [
        ("b", "X meets W1 first"),
        ("c", "multiplies matrices"),
        ("d", "associative"),
        ("none: three layers can compute more than one", "associative"),
        ("e", "not one of the choices"),
    ],
    "ch02.q7": [
        (lambda x, a: np.maximum(x, 0.0), "plain ReLU"),
        (lambda x, a: np.where(x > 0, a * x, x), "branches are swapped"),
        (lambda x, a: np.where(x > 0, x, a), "not alpha itself"),
        (lambda x, a: a * x, "positive inputs pass unchanged"),
        (_scalar_leaky_relu, "raised ValueError"),
        (_scalar_leaky_relu, "Python's max and `if` need one True/False"),
        (lambda x, a: np.max(a * x, x), "np.max(a, b) reads b as an axis"),
        (lambda x, a: np.where(x > 0, x, 0.01 * x), "use the alpha argument"),
        (lambda x, a: np.where(x > 0, x, -a * x), "mind the sign"),
        (lambda x, a: np.where(x > 0, 1.0, a), "the slope of leaky ReLU"),
    ],
    "ch02.q8": [
        ([1.0, 3.0], "divides by the sum"),
        ([0.0, 1.0], "a / sum(a)"),
        ([0.75, 0.25], "keeps the order"),
        ([0.5, 0.5], "the shares differ"),
        (0.75, "expected (2,)"),
    ],
}
