"""Activation functions h(a) and their derivatives (Chapter 02).

Every elementwise activation comes with ``<name>_grad(x)``, its derivative with
respect to its input, evaluated elementwise. All functions take any array shape
(typically a batch ``(N, D)``), return a new float64 array of the same shape and
are stable for any finite input: ``sigmoid(-1000.0)`` is ``0.0`` with no overflow
warning. ``softmax`` normalises along an axis instead of elementwise.

Public functions check their input (finite real numbers); the layers call the
unchecked kernels (``_sigmoid`` …) because a network checks its data once, at
the door.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nbtext._validation import as_float_array, check_nonnegative

ArrayFn = Callable[[np.ndarray], np.ndarray]

# ---------------------------------------------------------------- kernels ---
# Unchecked versions: float64 array in, new float64 array out.


def _step(x: np.ndarray) -> np.ndarray:
    return (x > 0).astype(np.float64)


def _step_grad(x: np.ndarray) -> np.ndarray:
    return np.zeros_like(x)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # Piecewise form: exp is only ever taken of a non-positive number, so it
    # cannot overflow. For x >= 0: 1 / (1 + e^-x); for x < 0: e^x / (1 + e^x).
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def _sigmoid_grad(x: np.ndarray) -> np.ndarray:
    # σ'(x) = σ(x)(1 − σ(x)) is even in x. With e = e^(−|x|) it equals e / (1 + e)², which
    # subtracts nothing: the tails stay accurate, and σ'(x) = σ'(−x) exactly. (The product
    # form loses every digit for large x > 0, where 1 − σ(x) is a difference of nearly
    # equal numbers, and gives 0 from x ≈ 37 on while σ'(−37) ≈ 8.5e-17.)
    # Near x = 0 rounding can land one ulp above the true maximum 1/4; the cap removes that.
    e = np.exp(-np.abs(x))
    return np.minimum(e / ((1.0 + e) * (1.0 + e)), 0.25)


def _tanh(x: np.ndarray) -> np.ndarray:
    return np.tanh(x)


def _tanh_grad(x: np.ndarray) -> np.ndarray:
    t = np.tanh(x)
    return 1.0 - t * t


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def _relu_grad(x: np.ndarray) -> np.ndarray:
    return (x > 0).astype(np.float64)


def _leaky_relu(x: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    return np.where(x > 0, x, alpha * x)


def _leaky_relu_grad(x: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    return np.where(x > 0, 1.0, alpha)


def _elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    # expm1 of min(x, 0): the unused branch never overflows for large x.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def _elu_grad(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def _identity(x: np.ndarray) -> np.ndarray:
    return x.copy()


def _identity_grad(x: np.ndarray) -> np.ndarray:
    return np.ones_like(x)


def _shifted_exp(x: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(s, e, total)``: s = x − max(x) along ``axis``, e = exp(s) and Σ e (kept as an axis).

    The one place where the package exponentiates scores: subtracting the maximum changes
    neither softmax nor log-sum-exp (it cancels) and keeps every exponent <= 0, so nothing
    overflows; the largest score gives e = 1, so the total is at least 1 and its log is safe.
    Softmax is e / total; log softmax is s − log(total), the heart of
    :func:`nbtext.losses.softmax_cross_entropy` (Chapters 03 and 04).
    """
    # Array methods, not np.max/np.sum: the same reductions without their Python wrapper,
    # which costs as much as the arithmetic on a mini-batch.
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return shifted, e, e.sum(axis=axis, keepdims=True)


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    _, e, total = _shifted_exp(x, axis)
    return e / total


# ----------------------------------------------------- public, checked API ---


def step(x: Any) -> np.ndarray:
    """Step function: 1 where ``x > 0``, else 0 (the perceptron's activation).

    Shape in = shape out. Derived in Chapter 02 (first for a scalar, then for arrays).
    """
    return _step(as_float_array(x, "x"))


def step_grad(x: Any) -> np.ndarray:
    """Derivative of the step function: 0 everywhere (undefined at 0; we use 0).

    This is why a network of step units cannot learn by gradient descent (Chapter 02).
    """
    return _step_grad(as_float_array(x, "x"))


def sigmoid(x: Any) -> np.ndarray:
    """Logistic sigmoid σ(x) = 1 / (1 + e^(−x)), computed piecewise so it never overflows.

    Shape in = shape out; values in [0, 1]. Chapter 02.
    """
    return _sigmoid(as_float_array(x, "x"))


def sigmoid_grad(x: Any) -> np.ndarray:
    """Derivative σ'(x) = σ(x)(1 − σ(x)); at most 0.25, at x = 0 (Chapter 02)."""
    return _sigmoid_grad(as_float_array(x, "x"))


def tanh(x: Any) -> np.ndarray:
    """Hyperbolic tangent, values in [−1, 1]. Shape in = shape out. Chapter 02."""
    return _tanh(as_float_array(x, "x"))


def tanh_grad(x: Any) -> np.ndarray:
    """Derivative of tanh: 1 − tanh(x)²; at most 1, at x = 0 (Chapter 02)."""
    return _tanh_grad(as_float_array(x, "x"))


def relu(x: Any) -> np.ndarray:
    """Rectified linear unit max(0, x). Shape in = shape out. Chapter 02."""
    return _relu(as_float_array(x, "x"))


def relu_grad(x: Any) -> np.ndarray:
    """Derivative of ReLU: 1 for x > 0, 0 for x <= 0 (we take 0 at the kink). Chapter 02."""
    return _relu_grad(as_float_array(x, "x"))


def leaky_relu(x: Any, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: x for x > 0, ``alpha * x`` otherwise (a small slope for negatives).

    Shape in = shape out. Chapter 02.
    """
    return _leaky_relu(as_float_array(x, "x"), check_nonnegative(alpha, "alpha"))


def leaky_relu_grad(x: Any, alpha: float = 0.01) -> np.ndarray:
    """Derivative of leaky ReLU: 1 for x > 0, ``alpha`` for x <= 0. Chapter 02."""
    return _leaky_relu_grad(as_float_array(x, "x"), check_nonnegative(alpha, "alpha"))


def elu(x: Any, alpha: float = 1.0) -> np.ndarray:
    """Exponential linear unit: x for x > 0, ``alpha * (e^x − 1)`` otherwise.

    Smooth at 0 when alpha = 1. Shape in = shape out. Chapter 02.
    """
    return _elu(as_float_array(x, "x"), check_nonnegative(alpha, "alpha"))


def elu_grad(x: Any, alpha: float = 1.0) -> np.ndarray:
    """Derivative of ELU: 1 for x > 0, ``alpha * e^x`` for x <= 0. Chapter 02."""
    return _elu_grad(as_float_array(x, "x"), check_nonnegative(alpha, "alpha"))


def identity(x: Any) -> np.ndarray:
    """Identity h(x) = x (a copy), the output activation for regression. Chapter 03."""
    return _identity(as_float_array(x, "x"))


def identity_grad(x: Any) -> np.ndarray:
    """Derivative of the identity: 1 everywhere. Chapter 02."""
    return _identity_grad(as_float_array(x, "x"))


def softmax(x: Any, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``: exp(x_k − max x) / Σ_j exp(x_j − max x).

    For a batch of scores ``(N, C)`` the default ``axis=-1`` gives ``(N, C)``
    probabilities whose rows sum to 1 and keep the order of their scores.
    Subtracting the maximum changes nothing mathematically and keeps every
    exponent <= 0, so ``softmax([1010, 1000, 990])`` does not overflow. Chapter 03.
    """
    arr = as_float_array(x, "x")
    if arr.ndim == 0:
        raise ValueError("softmax needs at least a 1-D array of scores, got a single number")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(
            f"axis must be in [-{arr.ndim}, {arr.ndim - 1}] for a {arr.ndim}-D array, got {axis}"
        )
    return _softmax(arr, axis=axis)


# ------------------------------------------------------------- by name -----


@dataclass(frozen=True)
class ActivationFunction:
    """An elementwise activation by name: ``.fn(x)`` and its derivative ``.grad(x)``.

    ``grad_from_output(y)``, when set, computes the same derivative from the
    activation's output ``y = fn(x)`` (cheaper in backpropagation: σ' = y(1 − y)).
    """

    name: str
    fn: ArrayFn
    grad: ArrayFn
    grad_from_output: ArrayFn | None = field(default=None, repr=False, compare=False)

    def __call__(self, x: Any) -> np.ndarray:
        return self.fn(x)


def _relu_grad_from_output(y: np.ndarray) -> np.ndarray:
    return (y > 0).astype(np.float64)


def _sigmoid_grad_from_output(y: np.ndarray) -> np.ndarray:
    return y * (1.0 - y)


def _tanh_grad_from_output(y: np.ndarray) -> np.ndarray:
    return 1.0 - y * y


ACTIVATIONS: tuple[str, ...] = (
    "step",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "identity",
)
"""Names accepted by :func:`get_activation` (and by ``MLP(activation=...)``)."""


def get_activation(name: str, *, alpha: float | None = None) -> ActivationFunction:
    """Return the elementwise activation called ``name`` (see ``ACTIVATIONS``).

    ``alpha`` sets the negative-side slope of ``"leaky_relu"`` (default 0.01) or
    the scale of ``"elu"`` (default 1.0). The returned functions are the checked
    public ones; ``ActivationFunction.grad_from_output`` is an unchecked fast path.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"activation name must be a string, one of {', '.join(ACTIVATIONS)}; "
            f"got {type(name).__name__} {name!r}"
        )
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}")
    if alpha is not None and key not in ("leaky_relu", "elu"):
        raise ValueError(f"alpha only applies to 'leaky_relu' and 'elu', not {key!r}")
    if key == "leaky_relu":
        a = 0.01 if alpha is None else check_nonnegative(alpha, "alpha")
        return ActivationFunction(
            key,
            lambda x: _leaky_relu(as_float_array(x, "x"), a),
            lambda x: _leaky_relu_grad(as_float_array(x, "x"), a),
        )
    if key == "elu":
        a = 1.0 if alpha is None else check_nonnegative(alpha, "alpha")
        return ActivationFunction(
            key,
            lambda x: _elu(as_float_array(x, "x"), a),
            lambda x: _elu_grad(as_float_array(x, "x"), a),
        )
    table: dict[str, ActivationFunction] = {
        "step": ActivationFunction("step", step, step_grad),
        "sigmoid": ActivationFunction("sigmoid", sigmoid, sigmoid_grad, _sigmoid_grad_from_output),
        "tanh": ActivationFunction("tanh", tanh, tanh_grad, _tanh_grad_from_output),
        "relu": ActivationFunction("relu", relu, relu_grad, _relu_grad_from_output),
        "identity": ActivationFunction("identity", identity, identity_grad),
    }
    return table[key]


def _kernels(name: str, alpha: float | None = None) -> tuple[ArrayFn, ArrayFn, ArrayFn | None]:
    """Unchecked ``(fn, grad, grad_from_output)`` for the layers' hot path.

    ``name`` must already be valid (call :func:`get_activation` first for the checks).
    """
    if name == "leaky_relu":
        a = 0.01 if alpha is None else alpha
        return (lambda x: _leaky_relu(x, a)), (lambda x: _leaky_relu_grad(x, a)), None
    if name == "elu":
        a = 1.0 if alpha is None else alpha
        return (lambda x: _elu(x, a)), (lambda x: _elu_grad(x, a)), None
    return {
        "step": (_step, _step_grad, None),
        "sigmoid": (_sigmoid, _sigmoid_grad, _sigmoid_grad_from_output),
        "tanh": (_tanh, _tanh_grad, _tanh_grad_from_output),
        "relu": (_relu, _relu_grad, _relu_grad_from_output),
        "identity": (_identity, _identity_grad, None),
    }[name]
