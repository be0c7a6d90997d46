"""Numerical gradients to check backpropagation against (Chapters 05 and 06).

The central difference (f(x + h) − f(x − h)) / 2h is accurate to O(h²); in
float64 with h = 1e-5 it agrees with a correct analytic gradient to a relative
error around 1e-9 or better on smooth functions. Anything above 1e-7 on a
smooth path means a bug (CS231n's rule of thumb).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nbtext._validation import as_float_array, check_positive


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f`` at ``x``.

    ``x`` must be a float array (any shape); the result has the same shape.
    ``f`` is called as ``f(x)`` while ``x`` is perturbed **in place**, one entry at
    a time, so ``f`` may also ignore its argument and read ``x`` through a
    closure (for example a model's weight array). Every entry is restored to its
    exact original value before returning. Integer arrays are refused: x + h
    would be truncated. Chapter 05.
    """
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"x must be a NumPy float array (it is perturbed in place), got {type(x).__name__}; "
            "use np.array(..., dtype=float)"
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"x must be a floating-point array, got dtype {x.dtype}: x + h would be rounded "
            "to an integer; convert with x.astype(float)"
        )
    as_float_array(x, "x")  # finite values only
    h = check_positive(h, "h")
    grad = np.zeros(x.shape, dtype=np.float64)
    flat_x = x.reshape(-1)  # a view for contiguous arrays
    if not np.shares_memory(flat_x, x):
        raise ValueError("x must be a contiguous array so it can be perturbed in place")
    flat_grad = grad.reshape(-1)
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + h
        f_plus = _scalar(f(x))
        flat_x[i] = original - h
        f_minus = _scalar(f(x))
        flat_x[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def _scalar(value: Any) -> float:
    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"f must return a single number, got an array of shape {arr.shape}")
    return float(arr.reshape(()))


def relative_error(a: Any, b: Any) -> float:
    """Largest elementwise relative error max |a − b| / max(1e-8, |a| + |b|).

    0 for identical arrays; about 1e-9 for a correct gradient against a central
    difference; near 1 when they disagree. Chapter 06.
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def check_layer(layer: Any, x: np.ndarray, dout: np.ndarray, h: float = 1e-5) -> dict[str, float]:
    """Compare a layer's ``backward`` with numerical gradients for an upstream ``dout``.

    Uses the scalar L = Σ forward(x) * dout, whose gradient with respect to the
    output is exactly ``dout``. Returns ``{"x": err, "W": err, …}``: relative
    errors for the input and every parameter. Chapter 06.
    """
    x = np.array(x, dtype=np.float64)
    dout = as_float_array(dout, "dout")

    def objective(_: np.ndarray) -> float:
        return float(np.sum(layer.forward(x) * dout))

    layer.forward(x)
    dx = layer.backward(dout)
    analytic = {"x": dx, **{k: v.copy() for k, v in layer.grads.items()}}
    numeric = {"x": numerical_gradient(objective, x, h)}
    for key, value in layer.params.items():
        numeric[key] = numerical_gradient(objective, value, h)
    return {k: relative_error(analytic[k], numeric[k]) for k in analytic}


def check_model(model: Any, X: Any, y: Any, h: float = 1e-5) -> dict[str, float]:
    """Relative error between ``model.backward()`` and numerical gradients, per parameter.

    ``model`` is an :class:`nbtext.network.MLP` (anything with ``params``, ``loss``,
    ``backward``). Returns ``{"W1": err, "b1": err, …}``. Chapter 06.
    """
    model.loss(X, y)
    analytic = {k: v.copy() for k, v in model.backward().items()}
    return {
        key: relative_error(analytic[key], numerical_gradient(lambda _: model.loss(X, y), value, h))
        for key, value in model.params.items()
    }
