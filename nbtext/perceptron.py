"""Rosenblatt's perceptron, its learning rule and logic gates (Chapter 01).

A perceptron computes a weighted sum of its inputs plus a bias, a = w·x + b,
and outputs 1 when a > 0, else 0 (the step function). With hand-picked weights
it implements AND, OR and NAND; the learning rule finds such weights from
examples, but only when a straight line can separate the classes, which XOR's
cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nbtext._validation import as_float_array, check_positive, check_positive_int, make_rng

GATE_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "and": (0.5, 0.5, -0.7),
    "or": (0.5, 0.5, -0.2),
    "nand": (-0.5, -0.5, 0.7),
}
"""Hand-chosen (w1, w2, b) for the gates a single perceptron can compute."""


def _check_inputs(X: Any, n_inputs: int) -> np.ndarray:
    arr = as_float_array(X, "X", ndim=(1, 2))
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.shape[1] != n_inputs:
        raise ValueError(
            f"X must have {n_inputs} input(s) per row for this perceptron, got shape {arr.shape}"
        )
    return arr


@dataclass
class TrainingLog:
    """What :meth:`Perceptron.fit` recorded, one entry per epoch.

    ``weights``: (w1, …, b) after each epoch; ``errors``: the number of
    misclassified samples during each epoch; ``converged``: True once an epoch
    made no mistakes.
    """

    weights: list[np.ndarray] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    converged: bool = False


class Perceptron:
    """A single perceptron ``y = step(x · w + b)`` with Rosenblatt's learning rule.

    ``n_inputs``: number of inputs; ``weights``/``bias``: starting values (default:
    drawn uniformly from [−0.5, 0.5) with ``seed``); ``learning_rate``: the step of
    the rule w_i ← w_i + lr · (target − output) · x_i, b ← b + lr · (target − output).
    Chapter 01.
    """

    def __init__(
        self,
        n_inputs: int = 2,
        *,
        weights: Any = None,
        bias: float | None = None,
        learning_rate: float = 0.1,
        seed: int | None = 0,
    ) -> None:
        self.n_inputs = check_positive_int(n_inputs, "n_inputs")
        self.learning_rate = check_positive(learning_rate, "learning_rate")
        rng = make_rng(None, seed)
        if weights is None:
            self.weights = rng.uniform(-0.5, 0.5, size=self.n_inputs)
        else:
            self.weights = np.array(as_float_array(weights, "weights", ndim=1))
            if self.weights.shape[0] != self.n_inputs:
                raise ValueError(
                    f"weights must have {self.n_inputs} entries (one per input), got "
                    f"{self.weights.shape[0]}"
                )
        self.bias = (
            float(rng.uniform(-0.5, 0.5))
            if bias is None
            else float(as_float_array(bias, "bias", ndim=0))
        )

    @classmethod
    def gate(cls, name: str) -> Perceptron:
        """A perceptron with the hand-chosen weights of ``GATE_WEIGHTS[name]``."""
        key = str(name).lower()
        if key not in GATE_WEIGHTS:
            raise ValueError(
                f"no single-perceptron gate {name!r}; expected one of "
                f"{', '.join(GATE_WEIGHTS)} (XOR needs two layers: see xor_gate)"
            )
        w1, w2, b = GATE_WEIGHTS[key]
        return cls(2, weights=[w1, w2], bias=b)

    def weighted_sum(self, X: Any) -> np.ndarray:
        """a = X · w + b, shape ``(N,)`` for ``X`` of shape ``(N, n_inputs)``."""
        return _check_inputs(X, self.n_inputs) @ self.weights + self.bias

    def predict(self, X: Any) -> np.ndarray:
        """Outputs 0/1 (int64) of shape ``(N,)``: 1 where the weighted sum is > 0."""
        return (self.weighted_sum(X) > 0).astype(np.int64)

    def fit(self, X: Any, y: Any, epochs: int = 100) -> TrainingLog:
        """Apply the learning rule sample by sample until an epoch has no errors.

        ``X``: ``(N, n_inputs)``; ``y``: ``(N,)`` targets 0/1. Stops early once an
        epoch makes no mistake (``log.converged``); otherwise runs ``epochs`` epochs
        (XOR never converges). Updates the weights in place and returns the log.
        """
        X = _check_inputs(X, self.n_inputs)
        t = as_float_array(y, "y", ndim=1)
        if t.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} samples but y has {t.shape[0]}")
        if not np.all((t == 0) | (t == 1)):
            raise ValueError("y must hold 0/1 targets for a perceptron")
        epochs = check_positive_int(epochs, "epochs")
        log = TrainingLog()
        for _ in range(epochs):
            mistakes = 0
            for x_n, t_n in zip(X, t, strict=True):
                output = 1.0 if x_n @ self.weights + self.bias > 0 else 0.0
                error = t_n - output
                if error != 0.0:
                    mistakes += 1
                    self.weights = self.weights + self.learning_rate * error * x_n
                    self.bias += self.learning_rate * error
            log.weights.append(np.append(self.weights, self.bias))
            log.errors.append(mistakes)
            if mistakes == 0:
                log.converged = True
                break
        return log

    def __repr__(self) -> str:
        w = ", ".join(f"{v:.4g}" for v in self.weights)
        return f"Perceptron(weights=[{w}], bias={self.bias:.4g})"


def xor_gate(X: Any) -> np.ndarray:
    """XOR from two layers of gates: XOR(x1, x2) = AND(NAND(x1, x2), OR(x1, x2)).

    ``X``: ``(N, 2)`` of 0/1 inputs → ``(N,)`` outputs. Chapter 01.
    """
    X = _check_inputs(X, 2)
    hidden = np.column_stack([Perceptron.gate("nand").predict(X), Perceptron.gate("or").predict(X)])
    return Perceptron.gate("and").predict(hidden)
