"""Chapter 06 exercises: backpropagation through activation layers."""

from __future__ import annotations

import numpy as np

from nbtext.activations import relu_grad, sigmoid, sigmoid_grad
from nbtext.exercises._core import Case, FunctionExercise, NumericExercise

_X, _DOUT = 0.5, 2.0
_S = float(sigmoid(_X))

q1 = NumericExercise(
    name="ch06.q1",
    chapter=6,
    prompt=(
        "A sigmoid unit received x = 0.5 and the upstream gradient dL/dy is 2.0. "
        "What is dL/dx? (4 decimal places)"
    ),
    reference=float(_DOUT * sigmoid_grad(_X)),
    rtol=0.0,
    atol=6e-5,
    diagnoses=(
        (float(sigmoid_grad(_X)), "that is σ'(x) alone; multiply by the upstream gradient 2.0."),
        (_DOUT * _S, "that is dL/dy · σ(x); the local derivative is σ(x)(1 − σ(x))."),
        (
            _DOUT * _X * (1 - _X),
            "you used x(1 − x); the derivative is σ(x)(1 − σ(x)) with σ(0.5) ≈ 0.6225.",
        ),
        (_DOUT / float(sigmoid_grad(_X)), "the chain rule multiplies by the local derivative."),
    ),
    hints=(
        "Chain rule: dL/dx = dL/dy · dy/dx.",
        "For y = σ(x), dy/dx = σ(x)(1 − σ(x)); σ(0.5) ≈ 0.6225.",
        "2.0 * 0.6225 * (1 - 0.6225)",
    ),
    solution_text=("dL/dx = dL/dy · σ(x)(1 − σ(x)) = 2.0 · 0.622459 · 0.377541 ≈ 0.4700"),
)


def relu_backward(dout: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Gradient through ReLU: ``dout`` where ``x > 0``, else 0 (agrees with relu_grad)."""
    return dout * relu_grad(x)


_XS = np.array([[1.0, -2.0, 0.0], [-0.5, 3.0, 2.0]])
_DS = np.array([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]])

q2 = FunctionExercise(
    name="ch06.q2",
    chapter=6,
    prompt="Write relu_backward(dout, x): the gradient of the loss with respect to ReLU's input x.",
    reference=relu_backward,
    params=("dout", "x"),
    cases=(
        Case((_DS, _XS)),
        Case((np.array([1.0, 1.0, 1.0]), np.array([-1.0, 0.0, 1.0]))),
        Case((np.array([-2.0, 5.0]), np.array([4.0, -4.0]))),
    ),
    diagnoses=(
        (
            lambda d, x: (x > 0).astype(float),
            "that is ReLU's local derivative alone; multiply it by dout (chain rule).",
        ),
        (lambda d, x: d * (x >= 0), "at x = 0 the gradient is taken as 0: use x > 0, not x >= 0."),
        (lambda d, x: d * (d > 0), "the mask comes from the forward input x, not from dout."),
        (lambda d, x: np.maximum(d, 0), "the mask comes from the forward input x, not from dout."),
    ),
    mutation_message=(
        "leave dout alone and return a new array: `dout * (x > 0)` instead of `dout[x <= 0] = 0`."
    ),
    hints=(
        "ReLU passes its input through where x > 0 and blocks it elsewhere; its derivative "
        "does the same to the gradient.",
        "Build the mask x > 0 and multiply the upstream gradient dout by it.",
        "return dout * (x > 0)",
    ),
    solution_text="def relu_backward(dout, x):\n    return dout * (x > 0)",
)

EXERCISES = (q1, q2)
