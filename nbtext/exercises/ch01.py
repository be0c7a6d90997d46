"""Chapter 01 exercises: the perceptron (AND-gate weights, the learning rule)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext.exercises._core import Case, CustomExercise, FunctionExercise, fmt, not_yet
from nbtext.perceptron import GATE_WEIGHTS, Perceptron

_INPUTS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_AND = np.array([0, 0, 0, 1])


def _judge_and(answer: Any) -> None:
    """Accept any (w1, w2, b) whose perceptron reproduces the AND truth table."""
    if isinstance(answer, (str, bytes)) or callable(answer) or not hasattr(answer, "__len__"):
        raise not_yet(f"answer with a tuple of three numbers (w1, w2, b), not {fmt(answer)}.")
    try:
        values = np.asarray(answer, dtype=np.float64).reshape(-1)
    except Exception:
        raise not_yet(
            f"answer with a tuple of three numbers (w1, w2, b), not {fmt(answer)}."
        ) from None
    if values.size != 3:
        raise not_yet(f"expected three numbers (w1, w2, b), got {values.size}.")
    if not np.all(np.isfinite(values)):
        raise not_yet("all three numbers must be finite (no nan or inf).")
    w1, w2, b = (float(v) for v in values)
    outputs = Perceptron(2, weights=[w1, w2], bias=b).predict(_INPUTS)
    for (x1, x2), out, target in zip(_INPUTS, outputs, _AND, strict=True):
        if out != target:
            extra = ""
            if x1 == x2 == 0 and b > 0:
                extra = " — with both inputs 0 only the bias is left, so b must be ≤ 0."
            elif x1 == x2 == 1:
                extra = " — w1 + w2 + b must be above 0 so that 1 AND 1 fires."
            else:
                extra = " — a single 1 must not be enough: w1 + b and w2 + b must stay ≤ 0."
            raise not_yet(
                f"for inputs (x1, x2) = ({x1:g}, {x2:g}) your perceptron outputs {out}, "
                f"but AND gives {target}{extra}"
            )


q1 = CustomExercise(
    name="ch01.q1",
    chapter=1,
    prompt="Choose weights (w1, w2, b) so that a perceptron computes AND.",
    reference=GATE_WEIGHTS["and"],
    judge=_judge_and,
    hints=(
        "The perceptron outputs 1 when w1*x1 + w2*x2 + b > 0. Write this out for all four rows.",
        "With x1 = x2 = 0 only b is left, so b must be ≤ 0; with both inputs 1 the sum must "
        "be > 0.",
        "Try w1 = w2 = 0.5 and pick b between -1.0 and -0.5.",
    ),
    solution_text="q1.check((0.5, 0.5, -0.7))  # 0.5 + 0.5 - 0.7 > 0, but 0.5 - 0.7 ≤ 0",
)


def perceptron_update(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    """One step of the perceptron rule with the bias folded in as ``w[0]`` (``x[0] = 1``)."""
    output = 1.0 if float(np.dot(w, x)) > 0 else 0.0
    return w + lr * (target - output) * x


def _wrong_sign(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    output = 1.0 if float(np.dot(w, x)) > 0 else 0.0
    return w + lr * (output - target) * x


def _no_lr(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    output = 1.0 if float(np.dot(w, x)) > 0 else 0.0
    return w + (target - output) * x


def _no_x(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    output = 1.0 if float(np.dot(w, x)) > 0 else 0.0
    return w + lr * (target - output)


def _ge_zero(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    output = 1.0 if float(np.dot(w, x)) >= 0 else 0.0
    return w + lr * (target - output) * x


_W = np.array([0.2, -0.4, 0.1])
q2 = FunctionExercise(
    name="ch01.q2",
    chapter=1,
    prompt="Write perceptron_update(w, x, target, lr) returning the new weights after one step.",
    reference=perceptron_update,
    params=("w", "x", "target", "lr"),
    cases=(
        Case((_W, np.array([1.0, 1.0, 1.0]), 1.0, 0.1)),
        Case((_W, np.array([1.0, 0.0, 1.0]), 0.0, 0.1)),
        Case((np.array([-0.5, 0.3, 0.2]), np.array([1.0, 1.0, 1.0]), 0.0, 0.5)),
        Case((_W, np.array([1.0, 1.0, 0.0]), 0.0, 0.1)),
        Case((np.array([0.0, 0.0, 0.0]), np.array([1.0, 1.0, 1.0]), 1.0, 0.1)),
        Case((np.array([0.3, 0.3, 0.3]), np.array([1.0, 0.0, 1.0]), 1.0, 0.25)),
    ),
    diagnoses=(
        (_wrong_sign, "the error is target − output, not output − target."),
        (_no_lr, "did you forget to multiply by the learning rate lr?"),
        (_no_x, "each weight moves by lr · E · x_i: did you forget the factor x?"),
        (_ge_zero, "the perceptron fires only when w · x > 0 (strictly), so a sum of 0 means 0."),
    ),
    hints=(
        "First compute the output: 1 if np.dot(w, x) > 0, else 0.",
        "The error is E = target − output; every weight moves by lr · E · x_i.",
        "return w + lr * (target - output) * x   (a new array; do not use +=)",
    ),
    solution_text=(
        "def perceptron_update(w, x, target, lr):\n"
        "    output = 1.0 if np.dot(w, x) > 0 else 0.0\n"
        "    return w + lr * (target - output) * x"
    ),
)

EXERCISES = (q1, q2)
