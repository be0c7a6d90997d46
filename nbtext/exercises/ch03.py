"""Chapter 03 exercises: forward propagation, shapes and the softmax output layer."""

from __future__ import annotations

import numpy as np

from nbtext.activations import softmax
from nbtext.exercises._core import NumericExercise

_A = np.array([0.3, 2.9, 4.0])

q1 = NumericExercise(
    name="ch03.q1",
    chapter=3,
    prompt="Compute softmax(a) for a = [0.3, 2.9, 4.0] (three numbers, to 4 decimal places).",
    reference=softmax(_A),
    rtol=0.0,
    atol=6e-5,
    diagnoses=(
        (np.exp(_A), "that is exp(a); divide by its sum so the outputs add up to 1."),
        (_A / _A.sum(), "that is a / sum(a); softmax divides exp(a) by sum(exp(a))."),
        (np.exp(-_A) / np.exp(-_A).sum(), "did you write exp(-a)? softmax uses exp(+a)."),
        (softmax(_A)[::-1], "the values are right but in reverse order; softmax keeps the order."),
    ),
    hints=(
        "Exponentiate each entry, then divide by the sum of the exponentials.",
        "exp(a) ≈ [1.3499, 18.1741, 54.5982], and their sum is about 74.1222.",
        "np.exp(a) / np.sum(np.exp(a))",
    ),
    solution_text=(
        "a = np.array([0.3, 2.9, 4.0])\n"
        "y = np.exp(a) / np.sum(np.exp(a))   # [0.01821127, 0.24519181, 0.73659691]"
    ),
)

q2 = NumericExercise(
    name="ch03.q2",
    chapter=3,
    prompt="Predict the output: np.dot(np.ones((4, 3)), np.ones((3, 2))).shape",
    reference=(4, 2),
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        ((3, 3), "the inner dimensions (3 and 3) must match and then disappear."),
        ((2, 4), "the result has the rows of the first matrix and the columns of the second."),
        ((4, 3, 2), "the shared inner dimension 3 is summed over, so it disappears."),
        ((3, 2), "the rows come from the first matrix (4 of them)."),
    ),
    hints=(
        "For np.dot of (n, k) and (k, m), the inner k must match.",
        "The matching inner dimension is summed over and disappears: (n, k)·(k, m) → (n, m).",
    ),
    solution_text="(4, 2): (4, 3) · (3, 2) → the inner 3s match and vanish, leaving (4, 2).",
)

EXERCISES = (q1, q2)
