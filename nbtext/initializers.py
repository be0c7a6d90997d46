"""How to choose the starting weights: the variance that keeps signals alive (Chapter 09).

A dense unit computes a = Σ_i x_i w_i over its n_in inputs. With weights and inputs that are
independent and have mean zero, each product x_i w_i has variance Var(w)·Var(x), so

    Var(a) = n_in · Var(w) · Var(x).

Layer after layer the signal's variance is multiplied by n_in · Var(w): above 1 it explodes,
below 1 it dies. The rules below choose Var(w) to keep that factor near 1:

- ``"lecun"``: Var(w) = 1 / n_in, the formula itself (LeCun et al. 1998); for linear and tanh
  units, which pass small signals through almost unchanged.
- ``"xavier"``: Var(w) = 2 / (n_in + n_out) (Glorot and Bengio 2010): the backward pass
  multiplies gradients by Wᵀ, which asks for 1 / n_out, and Xavier takes the mean of the two
  demands; it is 1 / n when a layer has as many outputs as inputs. For sigmoid and tanh.
- ``"he"``: Var(w) = 2 / n_in (He et al. 2015): ReLU sets half of its inputs to zero, which
  halves the signal's second moment, so the weights make up for it. For ReLU-like units.
- a positive float: that standard deviation for every layer, whatever its size (chapter 09
  shows what 1 and 0.01 do to a deep network).

Every rule draws normal weights with mean 0 and biases of 0, as ``torch.nn.init``'s
``xavier_normal_``, ``kaiming_normal_(nonlinearity="relu")`` and
``kaiming_normal_(nonlinearity="linear")`` do (the tests compare the variances).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

INITIALIZERS: tuple[str, ...] = ("he", "xavier", "lecun")
"""The named rules; ``init`` may also be a positive float, a standard deviation."""


def default_init(activation: str) -> str:
    """The rule ``MLP`` uses when given none: ``"he"`` for ReLU-like hidden units (relu,
    leaky_relu, elu), else ``"xavier"``."""
    return "he" if activation in ("relu", "leaky_relu", "elu") else "xavier"


def initial_std(init: str | float, n_in: int, n_out: int) -> float:
    """Standard deviation of the initial weights of an ``(n_in, n_out)`` layer under ``init``.

    ``"he"``: sqrt(2 / n_in); ``"xavier"``: sqrt(2 / (n_in + n_out)); ``"lecun"``:
    sqrt(1 / n_in); a positive float: that standard deviation. Chapter 09.
    """
    if isinstance(init, str):
        key = init.lower()
        if key == "he":
            return math.sqrt(2.0 / n_in)
        if key == "xavier":
            return math.sqrt(2.0 / (n_in + n_out))
        if key == "lecun":
            return math.sqrt(1.0 / n_in)
        raise ValueError(
            f"unknown init {init!r}; expected 'he', 'xavier', 'lecun' or a positive float"
        )
    if isinstance(init, bool) or not isinstance(init, (int, float)):
        raise TypeError(
            f"init must be 'he', 'xavier', 'lecun' or a positive float, got {type(init).__name__}"
        )
    if not math.isfinite(init) or init <= 0:
        raise ValueError(f"init as a standard deviation must be positive and finite, got {init}")
    return float(init)


def initial_weights(n_in: int, n_out: int, init: str | float, rng: Any) -> np.ndarray:
    """Weights ``(n_in, n_out)`` drawn from a normal distribution with mean 0 and the standard
    deviation :func:`initial_std` gives; ``rng`` is a ``np.random.Generator``. Chapter 09."""
    return rng.normal(0.0, initial_std(init, n_in, n_out), size=(n_in, n_out))
