"""Chapter 02 exercises: activation functions."""

from __future__ import annotations

import numpy as np

from nbtext.activations import sigmoid as _sigmoid
from nbtext.activations import step as _step
from nbtext.exercises._core import Case, ChoiceExercise, FunctionExercise

_EDGES = (
    Case((np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),)),
    Case((np.arange(-5.0, 5.0, 0.1),)),
    Case((np.array([[-1.0, 1.0], [3.0, -3.0]]),)),
    Case((np.array([-1000.0, 1000.0]),)),
    Case((np.array([0.0]),)),
)


def step_function(x: np.ndarray) -> np.ndarray:
    """Step function for arrays: 1.0 where x > 0, else 0.0 (agrees with nbtext.activations.step)."""
    return _step(x)


q1 = FunctionExercise(
    name="ch02.q1",
    chapter=2,
    prompt="Write step_function(x) that works on NumPy arrays: 1 where x > 0, else 0.",
    reference=step_function,
    cases=_EDGES,
    diagnoses=(
        (lambda x: (x >= 0).astype(float), "the step is 0 at x = 0: use x > 0, not x >= 0."),
        (lambda x: (x <= 0).astype(float), "the comparison is the wrong way round: 1 where x > 0."),
        (lambda x: x > 0, "that looks right; if it came back as booleans, cast with .astype(int)."),
    ),
    hints=(
        "A comparison such as x > 0 on an array gives an array of True/False.",
        "Turn the booleans into numbers with .astype(int) (np.int no longer exists).",
        "return (x > 0).astype(int)",
    ),
    solution_text="def step_function(x):\n    return (x > 0).astype(int)",
)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^(−x)) (agrees with nbtext.activations.sigmoid)."""
    return _sigmoid(x)


q2 = FunctionExercise(
    name="ch02.q2",
    chapter=2,
    prompt="Write sigmoid(x) = 1 / (1 + exp(-x)) for arrays.",
    reference=sigmoid,
    cases=(Case((2.0,)), *_EDGES[:3]),
    rtol=1e-6,
    atol=1e-9,
    diagnoses=(
        (lambda x: 1 / (1 + np.exp(x)), "did you forget the minus sign in exp(-x)?"),
        (lambda x: 1 / (1 - np.exp(-x)), "the denominator is 1 + exp(-x), with a plus."),
        (
            lambda x: 1 / 1 + np.exp(-x),
            "mind the brackets: 1 / (1 + np.exp(-x)) divides 1 by the whole sum.",
        ),
        (np.tanh, "that is tanh, whose outputs lie in (−1, 1); σ lies in (0, 1)."),
    ),
    hints=(
        "np.exp works on whole arrays, so no loop is needed.",
        "σ(0) = 0.5 and σ(x) → 1 as x grows; check yours at those points.",
        "return 1 / (1 + np.exp(-x))",
    ),
    solution_text="def sigmoid(x):\n    return 1 / (1 + np.exp(-x))",
)

q3 = ChoiceExercise(
    name="ch02.q3",
    chapter=2,
    prompt="Which of these activation functions is NOT bounded?",
    reference="c",
    options={"a": "sigmoid", "b": "tanh", "c": "ReLU", "d": "step"},
    diagnoses={
        "a": "sigmoid stays between 0 and 1.",
        "b": "tanh stays between −1 and 1.",
        "d": "the step function only takes the values 0 and 1.",
    },
    hints=(
        "Bounded means the output can never go above some ceiling (or below some floor).",
        "What does each function give for x = 1000?",
    ),
    solution_text="(c) ReLU: relu(x) = max(0, x) grows without limit as x grows.",
)

EXERCISES = (q1, q2, q3)
