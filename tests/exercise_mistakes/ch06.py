"""Typical mistakes for the chapter 06 exercises q3 onwards (q1, q2 live in test_exercises.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext.activations import sigmoid_grad


def _hidden_in_place(W2: np.ndarray, e3: np.ndarray, x2: np.ndarray) -> np.ndarray:
    x2 *= 1 - x2  # overwrites the caller's activations
    return (W2 @ e3) * x2


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch06.q3": [
        (-0.2, "multiply by the sigmoid's derivative"),
        (0.032, "check the sign"),
        (-0.16, "not x⁽³⁾ alone"),
        (-0.0428, "already the sigmoid's output"),
        (0.02, "the loss L itself"),
        ("-0.032", "the text"),
    ],
    "ch06.q4": [
        (lambda W, e, x: (W.T @ e) * x * (1 - x), "not W2.T @ e3"),
        (lambda W, e, x: (e @ W) * x * (1 - x), "the same as e3 @ W2"),
        (lambda W, e, x: W @ e, "multiply by the sigmoid's derivative"),
        (lambda W, e, x: (W @ e) * sigmoid_grad(x), "already the sigmoid's output"),
        (lambda W, e, x: (W @ e) * x, "not x2 alone"),
        (_hidden_in_place, "in place"),
    ],
    "ch06.q5": [
        (lambda X, E: E.T @ X, "transposed"),
        (lambda X, E: np.outer(X[0], E[0]), "first sample only"),
        (lambda X, E: X.T @ E / X.shape[0], "no averaging"),
        (lambda X, E: np.outer(X.sum(axis=0), E.sum(axis=0)), "outer product of the sums"),
        (lambda X, E: X * E, "raised ValueError"),
        (lambda X, E: X @ E.T, "must have the shape of W, (n_in, n_out)"),
        (lambda X, E: np.outer(X, E), "np.outer flattens its inputs"),
    ],
    "ch06.q6": [
        (9, "one path only"),
        (27, "forward value"),
        (3, "db/da alone"),
        (6, "evaluate it at a = 3"),
    ],
    "ch06.q7": [
        ("a", "dW agrees"),
        ("c", "disagree in their first digit"),
        ("d", "only the check of x fails"),
        ("e", "not one of the choices"),
    ],
    "ch06.q8": [
        ("b", "biases"),
        ("c", "differentiable everywhere"),
        ("d", "no layer waits"),
    ],
}
