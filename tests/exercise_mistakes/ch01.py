"""Typical mistakes for the chapter 01 exercises added with the notebook (q3 onwards)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext.exercises import ch01


def _outputs_bool_list(w1: float, w2: float, b: float) -> list[float]:
    """Loops over the rows but compares with >= (a sum of exactly 0 fires)."""
    rows = [(0, 0), (1, 0), (0, 1), (1, 1)]
    return [1.0 if w1 * x1 + w2 * x2 + b >= 0 else 0.0 for x1, x2 in rows]


def _outputs_rows_wrong_order(w1: float, w2: float, b: float) -> np.ndarray:
    rows = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    return (rows @ np.array([w1, w2]) + b > 0).astype(int)


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch01.q3": [
        ((0.5, 0.5, -0.7), "b must be > 0"),  # the AND weights
        ((0.5, 0.5, 0.7), "1 NAND 1"),
        ((-0.5, -0.5, 0.4), "a single 1 must still fire"),
        ((-0.5, -0.5), "expected three numbers"),
        ("-0.5, -0.5, 0.7", "tuple of three numbers"),
    ],
    "ch01.q4": [
        (ch01._outputs_weighted_sum, "apply the step"),
        (ch01._outputs_no_bias, "forget to add the bias"),
        (_outputs_bool_list, "strictly"),
        (_outputs_rows_wrong_order, "row order"),
        (lambda w1, w2, b: np.array([[0, 0, 0, 1]]), "expected (4,), got (1, 4)"),
        (
            lambda w1, w2, b: np.array([[0, 0], [1, 0], [0, 1], [1, 1]]) @ [w1, w2] + b > 0,
            "returns True/False values",
        ),
    ],
    "ch01.q5": [
        (lambda w1, w2, b, x1: (w1 * x1 + b) / w2, "mind the sign"),
        (lambda w1, w2, b, x1: -w1 * x1 / w2, "bias b belongs in the line"),
        (lambda w1, w2, b, x1: -w1 * x1 - b / w2, "whole of"),
        (lambda w1, w2, b, x1: -(w2 * x1 + b) / w1, "you solved for x1"),
        (lambda w1, w2, b, x1: [-(w1 * x1 + b) / w2], "single number for a number x1"),
    ],
    "ch01.q6": [
        ((0.6, 0.5, -0.1), "go down, not up"),
        ((0.4, 0.4, -0.3), "w2 stays put"),
        ((0.4, 0.5, -0.2), "the bias is updated too"),
        ((-0.5, 0.5, -1.2), "learning rate"),
        ((0.5, 0.5, -0.2), "that is an error"),
        ((0.4, 0.5), "expected three numbers"),
        ((0.41, 0.5, -0.3), "w1 is not right yet"),
        ((-0.1, 0.0, -0.1), "those are the changes"),
        ((0.41, 0.51, -0.31), "w1, w2 and b are not right yet"),
    ],
    "ch01.q7": [
        (4, "never gets all four"),
        (2, "you can do better"),
        (0.75, "not the fraction"),
        (75, "not a percentage"),
        ("3", "the text"),
    ],
    "ch01.q8": [
        ("b", "always opposite"),
        ("c", "NAND(0, 0) = 1"),
        ("d", "just OR again"),
        ("e", "not one of the choices"),
    ],
}
