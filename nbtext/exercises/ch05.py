"""Chapter 05 exercises: numerical gradients and the learning rate."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nbtext.exercises._core import Case, ChoiceExercise, FunctionExercise
from nbtext.gradcheck import numerical_gradient as _numerical_gradient

Objective = Callable[[np.ndarray], float]


def numerical_gradient(f: Objective, x: np.ndarray) -> np.ndarray:
    """Central-difference gradient of ``f`` at ``x`` (agrees with nbtext.gradcheck)."""
    return _numerical_gradient(f, np.array(x, dtype=np.float64), h=1e-5)


def _square_sum(x: np.ndarray) -> float:
    return float(np.sum(x**2))


def _cubic(x: np.ndarray) -> float:
    return float(np.sum(x**3) + 2.0 * x.reshape(-1)[0])


def _forward(f: Objective, x: np.ndarray) -> np.ndarray:
    h = 1e-4
    grad = np.zeros_like(x)
    for i in range(x.size):
        xp = x.copy()
        xp.reshape(-1)[i] += h
        grad.reshape(-1)[i] = (f(xp) - f(x)) / h
    return grad


def _no_half(f: Objective, x: np.ndarray) -> np.ndarray:
    return 2.0 * numerical_gradient(f, x)


q1 = FunctionExercise(
    name="ch05.q1",
    chapter=5,
    prompt="Write numerical_gradient(f, x): the central-difference gradient of f at array x.",
    reference=numerical_gradient,
    params=("f", "x"),
    rtol=1e-5,
    atol=1e-5,
    mutation_message=(
        "x is not back to its original values afterwards: after nudging an entry, restore it "
        "(x[i] = original) before moving on."
    ),
    cases=(
        Case((_square_sum, np.array([3.0, 4.0])), "f = sum(x**2), x = [3.0, 4.0]"),
        Case((_square_sum, np.array([0.0, 2.0])), "f = sum(x**2), x = [0.0, 2.0]"),
        Case((_cubic, np.array([1.0, -2.0, 0.5])), "f = sum(x**3) + 2 x[0], x = [1.0, -2.0, 0.5]"),
        Case(
            (_square_sum, np.array([[1.0, -1.0, 2.0], [0.5, 0.0, -3.0]])),
            "f = sum(x**2), x of shape (2, 3)",
        ),
    ),
    diagnoses=(
        (_no_half, "the central difference divides by 2h, not by h."),
        (
            _forward,
            "that is the forward difference (f(x+h) − f(x)) / h; use the central "
            "difference (f(x+h) − f(x−h)) / (2h), which is far more accurate.",
        ),
        (
            lambda f, x: np.zeros_like(x),
            "the gradient came back as zeros: is h too small, or is every entry left unchanged?",
        ),
    ),
    hints=(
        "Loop over every entry i of x; nudge only that entry up and down by a small h (1e-5).",
        "grad[i] = (f(x with x[i]+h) − f(x with x[i]−h)) / (2h); restore x[i] afterwards.",
        "Work on x.reshape(-1) (a view) so the same loop handles arrays of any shape.",
    ),
    solution_text=(
        "def numerical_gradient(f, x, h=1e-5):\n"
        "    grad = np.zeros_like(x)\n"
        "    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)\n"
        "    for i in range(flat_x.size):\n"
        "        original = flat_x[i]\n"
        "        flat_x[i] = original + h\n"
        "        f_plus = f(x)\n"
        "        flat_x[i] = original - h\n"
        "        f_minus = f(x)\n"
        "        flat_x[i] = original          # restore!\n"
        "        flat_g[i] = (f_plus - f_minus) / (2 * h)\n"
        "    return grad"
    ),
)

q2 = ChoiceExercise(
    name="ch05.q2",
    chapter=5,
    prompt="Gradient descent on a loss gets larger every step and then becomes nan. Most likely?",
    reference="b",
    options={
        "a": "the learning rate is too small",
        "b": "the learning rate is too large",
        "c": "there are too many epochs",
        "d": "the gradient is computed with central differences",
    },
    aliases=("too large", "too big", "learning rate too large", "learning rate too big"),
    diagnoses={
        "a": "a tiny learning rate makes progress slow, but the loss still goes down.",
        "c": "more epochs only repeat steps; they cannot make a good step diverge.",
        "d": "central differences are the accurate way to check a gradient.",
    },
    hints=(
        "Each step moves the weights by learning rate × gradient.",
        "If a step jumps right over the minimum, to a point even further up the other side…",
    ),
    solution_text=(
        "(b) The learning rate is too large: each step overshoots the minimum and lands higher "
        "than before, so the loss grows until it overflows to inf and then nan."
    ),
)

EXERCISES = (q1, q2)
