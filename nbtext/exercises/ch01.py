"""Chapter 01 exercises: the perceptron (gate weights, the learning rule, XOR)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nbtext.exercises._core import (
    Case,
    ChoiceExercise,
    CustomExercise,
    FunctionExercise,
    NumericExercise,
    fmt,
    not_yet,
)

# One rule for 0/1 answers in the whole book: True/False is not accepted where the exercise
# asks for the numbers 1 and 0. Chapter 02's function exercise applies it; it lives there once.
from nbtext.exercises.ch02 import _FunctionExercise as _ZeroOneFunctionExercise
from nbtext.perceptron import GATE_WEIGHTS, Perceptron

_INPUTS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_AND = np.array([0, 0, 0, 1])
_NAND = np.array([1, 1, 1, 0])


def _three_numbers(answer: Any) -> tuple[float, float, float]:
    """``answer`` as finite (w1, w2, b), or a 'not yet' verdict that says what is wrong."""
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
    return w1, w2, b


def _judge_and(answer: Any) -> None:
    """Accept any (w1, w2, b) whose perceptron reproduces the AND truth table."""
    w1, w2, b = _three_numbers(answer)
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
        "Try w1 = w2 = 0.5 and pick b with −1 < b ≤ −0.5 (so 0.5 + b ≤ 0 < 1 + b).",
    ),
    solution_text="q1.check((0.5, 0.5, -0.7))  # 0.5 + 0.5 - 0.7 > 0, but 0.5 - 0.7 ≤ 0",
)


def perceptron_update(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    """One step of the perceptron rule with the bias folded in.

    ``w = (w1, w2, b)`` and ``x = (x1, x2, 1)``, so ``np.dot(w, x)`` is the weighted sum
    ``a = w1·x1 + w2·x2 + b``; output 1 if ``a > 0`` else 0; ``E = target − output``.
    """
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


def _target_as_error(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    return w + lr * target * x


def _bias_skipped(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    output = 1.0 if float(np.dot(w, x)) > 0 else 0.0
    new = w + lr * (target - output) * x
    new[-1] = w[-1]
    return new


def _output_without_bias(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    output = 1.0 if float(np.dot(w[:-1], x[:-1])) > 0 else 0.0
    return w + lr * (target - output) * x


def _weighted_sum_as_output(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    return w + lr * (target - float(np.dot(w, x))) * x


# w = (w1, w2, b) and x = (x1, x2, 1): the bias is last, as in q1, q3 and q6.
_W = np.array([0.2, -0.4, 0.1])
q2 = FunctionExercise(
    name="ch01.q2",
    chapter=1,
    prompt="Write perceptron_update(w, x, target, lr): the new w = (w1, w2, b) after one "
    "learning step on x = (x1, x2, 1).",
    reference=perceptron_update,
    params=("w", "x", "target", "lr"),
    cases=(
        Case((_W, np.array([1.0, 1.0, 1.0]), 1.0, 0.1)),  # a < 0: output 0, E = +1
        Case((_W, np.array([1.0, 0.0, 1.0]), 0.0, 0.1)),  # a > 0: output 1, E = −1
        Case((np.array([-0.5, 0.25, 0.25]), np.array([1.0, 1.0, 1.0]), 0.0, 0.5)),  # a = 0
        Case((_W, np.array([0.0, 1.0, 1.0]), 0.0, 0.1)),  # right already: no change
        Case((np.array([0.0, 0.0, 0.0]), np.array([1.0, 1.0, 1.0]), 1.0, 0.1)),
        Case((np.array([0.3, 0.3, 0.3]), np.array([1.0, 0.0, 1.0]), 1.0, 0.25)),
        Case((np.array([0.2, 0.1, -0.5]), np.array([1.0, 1.0, 1.0]), 0.0, 0.1)),  # b decides
    ),
    diagnoses=(
        (_wrong_sign, "the error is target − output, not output − target."),
        (_no_lr, "did you forget to multiply by the learning rate lr?"),
        (_no_x, "each weight moves by lr · E · x_i: did you forget the factor x?"),
        (_ge_zero, "the perceptron fires only when w · x > 0 (strictly), so a sum of 0 means 0."),
        (
            _target_as_error,
            "the error is E = target − output, not the target alone: when the output is "
            "already right, E = 0 and nothing changes.",
        ),
        (
            _bias_skipped,
            "the bias b (the last entry of w, whose input x is always 1) is updated too: "
            "b ← b + lr · E.",
        ),
        (
            _output_without_bias,
            "the output comes from the whole weighted sum np.dot(w, x) = w1·x1 + w2·x2 + b, "
            "the bias included.",
        ),
        (
            _weighted_sum_as_output,
            "E = target − output uses the perceptron's output (0 or 1, after the step), not "
            "the weighted sum w · x itself.",
        ),
    ),
    hints=(
        "First the output: the weighted sum is a = np.dot(w, x) = w1·x1 + w2·x2 + b·1, and the "
        "output is 1 if a > 0, else 0.",
        "The error is E = target − output; every entry of w, the bias too, moves by lr · E · x_i.",
        "return w + lr * (target - output) * x   (a new array; do not use +=)",
    ),
    solution_text=(
        "def perceptron_update(w, x, target, lr):\n"
        "    output = 1.0 if np.dot(w, x) > 0 else 0.0  # np.dot(w, x) = w1*x1 + w2*x2 + b\n"
        "    return w + lr * (target - output) * x     # E = target - output"
    ),
)


# ----------------------------------------------------------------- q3: NAND ---


def _judge_nand(answer: Any) -> None:
    """Accept any (w1, w2, b) whose perceptron reproduces the NAND truth table."""
    w1, w2, b = _three_numbers(answer)
    outputs = Perceptron(2, weights=[w1, w2], bias=b).predict(_INPUTS)
    for (x1, x2), out, target in zip(_INPUTS, outputs, _NAND, strict=True):
        if out != target:
            if x1 == x2 == 0:
                extra = " — with both inputs 0 only the bias is left, so b must be > 0."
            elif x1 == x2 == 1:
                extra = " — w1 + w2 + b must be ≤ 0 so that 1 NAND 1 gives 0."
            else:
                extra = " — a single 1 must still fire: w1 + b and w2 + b must stay above 0."
            raise not_yet(
                f"for inputs (x1, x2) = ({x1:g}, {x2:g}) your perceptron outputs {out}, "
                f"but NAND gives {target}{extra}"
            )


q3 = CustomExercise(
    name="ch01.q3",
    chapter=1,
    prompt="Choose weights (w1, w2, b) so that a perceptron computes NAND (NOT AND).",
    reference=GATE_WEIGHTS["nand"],
    judge=_judge_nand,
    hints=(
        "NAND outputs 1 for (0,0), (1,0), (0,1) and 0 only for (1,1). Write the four "
        "inequalities w1*x1 + w2*x2 + b > 0 or ≤ 0.",
        "With both inputs 0 only b is left and NAND gives 1, so b > 0; the inputs must pull "
        "the sum down, so the weights are negative.",
        "Negate your AND weights: if (w1, w2, b) computes AND, (−w1, −w2, −b) computes NAND "
        "(as long as no row's weighted sum is exactly 0).",
    ),
    solution_text=(
        "q3.check((-0.5, -0.5, 0.7))  # b = 0.7 > 0; -0.5 + 0.7 > 0; -0.5 - 0.5 + 0.7 ≤ 0"
    ),
)

# -------------------------------------------------------- q4: a truth table ---


def gate_outputs(w1: float, w2: float, b: float) -> np.ndarray:
    """Perceptron outputs for the rows (0,0), (1,0), (0,1), (1,1), shape ``(4,)``."""
    return (_INPUTS @ np.array([w1, w2]) + b > 0).astype(np.int64)


def _outputs_ge(w1: float, w2: float, b: float) -> np.ndarray:
    return (_INPUTS @ np.array([w1, w2]) + b >= 0).astype(np.int64)


def _outputs_weighted_sum(w1: float, w2: float, b: float) -> np.ndarray:
    return _INPUTS @ np.array([w1, w2]) + b


def _outputs_no_bias(w1: float, w2: float, b: float) -> np.ndarray:
    return (_INPUTS @ np.array([w1, w2]) > 0).astype(np.int64)


def _outputs_row_order(w1: float, w2: float, b: float) -> np.ndarray:
    rows = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return (rows @ np.array([w1, w2]) + b > 0).astype(np.int64)


q4 = _ZeroOneFunctionExercise(
    name="ch01.q4",
    chapter=1,
    prompt="Write gate_outputs(w1, w2, b): the outputs (0/1) for the rows (0,0), (1,0), (0,1), "
    "(1,1).",
    reference=gate_outputs,
    params=("w1", "w2", "b"),
    cases=(
        Case((0.5, 0.5, -0.7)),
        Case((0.5, 0.5, -0.2)),
        Case((1.0, -1.0, 0.0)),
        Case((-0.5, -0.5, 0.7)),
        Case((0.3, -0.6, 0.4)),
        Case((0.0, 0.0, 0.0)),
    ),
    diagnoses=(
        (_outputs_weighted_sum, "these are the weighted sums a; apply the step: 1 where a > 0."),
        (_outputs_no_bias, "did you forget to add the bias b to the weighted sum?"),
        (_outputs_ge, "the perceptron fires only when a > 0 (strictly), so a sum of 0 gives 0."),
        (_outputs_row_order, "keep the row order (0,0), (1,0), (0,1), (1,1): x1 changes first."),
    ),
    boolean_message="a > 0 is the right test, but a perceptron's outputs are the numbers 1 and "
    "0, so cast the booleans with .astype(int)",
    hints=(
        "Put the four rows in an array X of shape (4, 2); the weighted sums are "
        "a = X @ [w1, w2] + b, shape (4,).",
        "The output is 1 where a > 0 and 0 elsewhere: (a > 0) is a boolean array; "
        ".astype(int) turns it into 0/1.",
        "X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]]); "
        "return (X @ np.array([w1, w2]) + b > 0).astype(int)",
    ),
    solution_text=(
        "def gate_outputs(w1, w2, b):\n"
        "    X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])  # (4, 2): one row per input pair\n"
        "    a = X @ np.array([w1, w2]) + b                  # (4,): the weighted sums\n"
        "    return (a > 0).astype(int)                      # step function"
    ),
)

# ----------------------------------------------------- q5: the boundary line ---


def boundary_x2(w1: float, w2: float, b: float, x1: Any) -> Any:
    """x2 on the decision line w1·x1 + w2·x2 + b = 0 (``w2 ≠ 0``); ``x1`` scalar or array."""
    return -(w1 * x1 + b) / w2


def _boundary_sign(w1: float, w2: float, b: float, x1: Any) -> Any:
    return (w1 * x1 + b) / w2


def _boundary_no_bias(w1: float, w2: float, b: float, x1: Any) -> Any:
    return -(w1 * x1) / w2


def _boundary_divide_bias_only(w1: float, w2: float, b: float, x1: Any) -> Any:
    return -w1 * x1 - b / w2


def _boundary_swapped(w1: float, w2: float, b: float, x1: Any) -> Any:
    return -(w2 * x1 + b) / w1


@dataclass(repr=False, eq=False)
class _ScalarInScalarOut(FunctionExercise):
    """A FunctionExercise that also wants a single number back for a single number in."""

    def _compare_unsafe(self, expected: Any, got: Any) -> str | None:
        if np.ndim(expected) == 0 and isinstance(got, (list, tuple, np.ndarray)):
            if np.ndim(got) != 0:
                return (
                    f"its result should be a single number for a number x1, but it is "
                    f"{fmt(got)}; return the number itself, not a list or array"
                )
        return super()._compare_unsafe(expected, got)


q5 = _ScalarInScalarOut(
    name="ch01.q5",
    chapter=1,
    prompt="Write boundary_x2(w1, w2, b, x1): the x2 where w1*x1 + w2*x2 + b = 0 (w2 ≠ 0).",
    reference=boundary_x2,
    params=("w1", "w2", "b", "x1"),
    cases=(
        Case((0.5, 0.5, -0.7, 0.0)),
        Case((0.5, 0.5, -0.2, 1.0)),
        Case((1.0, 2.0, -1.0, 1.5)),
        Case((-0.5, -0.25, 0.7, 1.0)),
        Case((2.0, 0.5, 0.0, 1.0)),
        Case((0.5, 0.5, -0.7, np.array([-0.5, 0.0, 0.5, 1.5]))),
    ),
    diagnoses=(
        (_boundary_sign, "mind the sign: moving w1·x1 + b to the other side makes it negative."),
        (_boundary_no_bias, "the bias b belongs in the line too: x2 = −(w1·x1 + b) / w2."),
        (_boundary_divide_bias_only, "divide the whole of −(w1·x1 + b) by w2, not just b."),
        (_boundary_swapped, "you solved for x1; divide by w2, the weight of x2."),
    ),
    hints=(
        "On the line the weighted sum is exactly 0: w1*x1 + w2*x2 + b = 0. Solve for x2.",
        "Move w1*x1 + b to the right-hand side: w2*x2 = −(w1*x1 + b).",
        "return -(w1 * x1 + b) / w2   (works for a number x1 and for a NumPy array x1)",
    ),
    solution_text=(
        "def boundary_x2(w1, w2, b, x1):\n"
        "    return -(w1 * x1 + b) / w2  # from w1*x1 + w2*x2 + b = 0"
    ),
)

# ------------------------------------------------------- q6: one update by hand ---

_Q6_ANSWER = (0.4, 0.5, -0.3)
_Q6_DIAGNOSES = (
    (
        (0.6, 0.5, -0.1),
        "the error is E = target − output = 0 − 1 = −1, so the weights go down, not up.",
    ),
    ((0.4, 0.4, -0.3), "each weight moves by lr · E · x_i, and x2 = 0, so w2 stays put."),
    ((0.4, 0.5, -0.2), "the bias is updated too: b ← b + lr · E (its input is always 1)."),
    ((-0.5, 0.5, -1.2), "did you forget to multiply by the learning rate 0.1?"),
    (
        (0.5, 0.5, -0.2),
        "the output is step(0.5·1 + 0.5·0 − 0.2) = step(0.3) = 1 but AND wants 0: that is an "
        "error, so the weights change.",
    ),
    (
        (-0.1, 0.0, -0.1),
        "those are the changes lr · E · x_i; add them to the old weights (0.5, 0.5, −0.2).",
    ),
)


def _judge_one_step(answer: Any) -> None:
    """Accept the weights after one update; say which ones are off without giving them away."""
    values = np.array(_three_numbers(answer))
    if np.allclose(values, _Q6_ANSWER, rtol=1e-4, atol=1e-6):
        return
    for wrong, why in _Q6_DIAGNOSES:
        if np.allclose(values, wrong, rtol=1e-4, atol=1e-6):
            raise not_yet(f"{fmt(tuple(float(v) for v in values))} is not it — {why}")
    off = [
        name
        for name, got, right in zip(("w1", "w2", "b"), values, _Q6_ANSWER, strict=True)
        if not np.isclose(got, right, rtol=1e-4, atol=1e-6)
    ]
    names = off[0] if len(off) == 1 else f"{', '.join(off[:-1])} and {off[-1]}"
    raise not_yet(
        f"{names} {'is' if len(off) == 1 else 'are'} not right yet: compute the "
        "output and the error E = target − output first, then each new value."
    )


q6 = CustomExercise(
    name="ch01.q6",
    chapter=1,
    prompt="From the OR weights (w1, w2, b) = (0.5, 0.5, -0.2), one AND learning step on "
    "x = (1, 0) with lr = 0.1: the new (w1, w2, b)?",
    reference=_Q6_ANSWER,
    judge=_judge_one_step,
    hints=(
        "First the output: a = 0.5·1 + 0.5·0 + (−0.2); the perceptron outputs 1 if a > 0.",
        "AND(1, 0) = 0, so the error is E = target − output = 0 − 1 = −1.",
        "w1 ← 0.5 + 0.1·(−1)·1, w2 ← 0.5 + 0.1·(−1)·0, b ← −0.2 + 0.1·(−1).",
    ),
    solution_text=(
        "a = 0.5*1 + 0.5*0 - 0.2 = 0.3 > 0, so the output is 1; AND wants 0, so E = -1.\n"
        "w1 = 0.5 + 0.1*(-1)*1 = 0.4;  w2 = 0.5 + 0.1*(-1)*0 = 0.5;  b = -0.2 + 0.1*(-1) = -0.3\n"
        "q6.check((0.4, 0.5, -0.3))"
    ),
)

# -------------------------------------------------- q7: XOR and a single line ---

q7 = NumericExercise(
    name="ch01.q7",
    chapter=1,
    prompt="At best, how many of XOR's four rows can a single perceptron get right?",
    reference=3,
    diagnoses=(
        (
            4,
            "no straight line puts (1,0) and (0,1) on one side and (0,0) and (1,1) on the "
            "other, so a single perceptron never gets all four.",
        ),
        (2, "you can do better: the OR weights (0.5, 0.5, -0.2) already get three rows right."),
        (0.75, "count rows (a whole number), not the fraction of rows."),
        (75, "count rows (a whole number), not a percentage."),
        (0, "even w1 = w2 = b = 0 (output 0 everywhere) gets the rows (0,0) and (1,1) right."),
    ),
    hints=(
        "Try the gates you know on XOR's truth table 0, 1, 1, 0: how many rows does OR get "
        "right? And AND?",
        "The four inequalities for XOR contradict each other (section 5), so four is "
        "impossible; is one wrong row enough?",
        "OR gives 0, 1, 1, 1 against XOR's 0, 1, 1, 0: only the row (1,1) is wrong.",
    ),
    solution_text=(
        "3: a line can never separate XOR's classes, so one row is always wrong, but OR's "
        "line gets the other three right (the grid search in section 5 finds no better).\n"
        "q7.check(3)"
    ),
)

# --------------------------------------------------- q8: XOR from two layers ---

q8 = ChoiceExercise(
    name="ch01.q8",
    chapter=1,
    prompt="Which two-layer circuit of perceptrons computes XOR(x1, x2)?",
    reference="a",
    options={
        "a": "AND(NAND(x1, x2), OR(x1, x2))",
        "b": "OR(AND(x1, x2), NAND(x1, x2))",
        "c": "NAND(AND(x1, x2), OR(x1, x2))",
        "d": "AND(OR(x1, x2), OR(x1, x2))",
    },
    diagnoses={
        "b": "AND and NAND are always opposite, so one of them is 1 and their OR is always 1.",
        "c": "at (0, 0) both AND and OR give 0, and NAND(0, 0) = 1, but XOR(0, 0) = 0.",
        "d": "that is just OR again: it gives 1 at (1, 1), where XOR gives 0.",
    },
    hints=(
        "Work through the four rows (0,0), (1,0), (0,1), (1,1) for each circuit; XOR gives "
        "0, 1, 1, 0.",
        "XOR is 1 when at least one input is 1 (OR) and not both are 1 (NAND).",
        "'At least one AND not both': the output unit is an AND of the OR and the NAND.",
    ),
    solution_text=(
        "a: the hidden layer computes s1 = NAND(x1, x2) and s2 = OR(x1, x2); the output "
        "AND(s1, s2) is 1 exactly when one input is 1.\nq8.check('a')"
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
