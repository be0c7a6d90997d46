"""Input standardization: every feature to mean 0 and standard deviation 1 (Chapter 10).

Gradient descent takes one learning rate for all weights. When one input feature is in the
thousands and another in the thousandths, the loss surface is a long, narrow valley (the
elongated bowl of chapter 07): a step small enough for the steep direction crawls along the
flat one. Rescaling each feature to mean 0 and standard deviation 1 makes the directions
comparable. The mean and the standard deviation come from the *training* set alone and are
then applied unchanged to validation and test data, which the model must not peek at.

``Standardizer`` works like scikit-learn's ``StandardScaler`` (population standard deviation;
a constant feature is only shifted, not divided by zero).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext._validation import as_float_array


class Standardizer:
    """z = (x − mean) / std per feature, with mean and std learned by :meth:`fit`.

    ``fit(X_train)`` stores ``mean`` and ``std`` (each ``(D,)``) of the ``(N, D)`` training
    inputs; ``transform(X)`` standardizes any ``(M, D)`` array with them;
    ``fit_transform`` does both; ``inverse_transform`` undoes it. Chapter 10.
    """

    def __init__(self) -> None:
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None

    def fit(self, X: Any) -> Standardizer:
        """Learn each feature's mean and standard deviation from the training inputs."""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[0] == 0:
            raise ValueError("X has no samples; standardizing needs at least one")
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)  # a constant feature: shift it, do not divide
        return self

    def _check(self, X: Any) -> np.ndarray:
        if self.mean is None or self.std is None:
            raise RuntimeError("call fit(X_train) before transform: the Standardizer has no mean")
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.mean.shape[0]:
            raise ValueError(
                f"X has {X.shape[1]} features but the Standardizer was fitted on "
                f"{self.mean.shape[0]}"
            )
        return X

    def transform(self, X: Any) -> np.ndarray:
        """``(X − mean) / std``, a new array; the caller's ``X`` is not changed."""
        return (self._check(X) - self.mean) / self.std

    def fit_transform(self, X: Any) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: Any) -> np.ndarray:
        """Back to the original units: ``Z · std + mean``."""
        return self._check(Z) * self.std + self.mean

    def __repr__(self) -> str:
        fitted = "not fitted" if self.mean is None else f"{self.mean.shape[0]} features"
        return f"Standardizer({fitted})"
