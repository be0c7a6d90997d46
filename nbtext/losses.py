"""Loss functions L(prediction, target) and their gradients (Chapter 04).

Conventions (those of PyTorch and Keras):

- every loss is a mean over the batch and returns a Python ``float``;
- ``mse`` and ``mae`` average over *all* elements, ``(N,)`` or ``(N, D)``;
- ``<name>_grad(prediction, target)`` is dL/d prediction, an array shaped like
  ``prediction``, consistent with that mean.

Cross-entropies that take probabilities clamp ``log`` at −100, as
``torch.nn.BCELoss`` does, so a probability of exactly 0 or 1 gives a finite
loss and a finite gradient instead of ``inf``/``nan``. The stable way to avoid
the clamp is to start from logits: :func:`softmax_cross_entropy` uses
log-sum-exp and :func:`binary_cross_entropy_with_logits` the matching form for
one score, both exact for any finite score.

Public functions check their input; the loss layers of :mod:`nbtext.layers` call
the unchecked kernels (``_mse`` …), which also take a first axis of K stacked
networks (``(K, N, C)`` scores give K losses).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext import activations as act
from nbtext._validation import as_float_array, as_label_array

LOG_FLOOR = -100.0
"""Lower bound applied to log(p) in probability-based cross-entropies (as in PyTorch)."""

_GRAD_EPS = 1e-12
"""Smallest denominator in probability-based cross-entropy gradients (as in PyTorch)."""


def _clamped_log(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(p), LOG_FLOOR)


def _pair(prediction: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check that prediction and target are finite arrays of the same shape."""
    p = as_float_array(prediction, "prediction")
    t = as_float_array(target, "target")
    if p.shape != t.shape:
        raise ValueError(
            f"prediction and target must have the same shape, got prediction {p.shape} "
            f"and target {t.shape}"
        )
    if p.size == 0:
        raise ValueError("prediction and target are empty; a loss needs at least one sample")
    return p, t


def _check_probabilities(p: np.ndarray, name: str) -> None:
    if p.size and (p.min() < 0.0 or p.max() > 1.0):
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values from {p.min():.4g} "
            f"to {p.max():.4g} (pass raw scores to softmax_cross_entropy instead)"
        )


def _scores_and_labels(scores: Any, labels: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    s = as_float_array(scores, name, ndim=2)
    n, c = s.shape
    y = as_label_array(labels, "labels", n_classes=c)
    if y.shape[0] != n:
        raise ValueError(f"{name} has {n} samples but labels has {y.shape[0]}")
    if n == 0:
        raise ValueError(f"{name} is empty; a loss needs at least one sample")
    return s, y


# ---------------------------------------------------------------- kernels ---
# Unchecked: float64 arrays in. The last axes are the batch (N) and the outputs; an extra
# first axis (K networks stacked side by side) gives one loss per network.


def _mse(diff: np.ndarray) -> float | np.ndarray:
    """Mean of diff² over the batch and outputs, ``diff = prediction − target`` (…, N, D)."""
    return np.mean(diff * diff, axis=(-2, -1))


def _mse_grad(diff: np.ndarray, dout: float = 1.0) -> np.ndarray:
    """d mse / d prediction = 2 · diff / (N · D), times ``dout``."""
    return diff * (2.0 * dout / (diff.shape[-2] * diff.shape[-1]))


def _bce_with_logits(z: np.ndarray, t: np.ndarray) -> float | np.ndarray:
    """Binary cross-entropy of σ(z) against targets t, from the logits z (…, N).

    −[t log σ(z) + (1 − t) log(1 − σ(z))] = max(z, 0) − z·t + log(1 + e^(−|z|)): the
    exponent is never positive, so nothing overflows, and no log of 0 is ever taken.
    """
    return np.mean(np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z))), axis=-1)


def _bce_with_logits_grad(z: np.ndarray, t: np.ndarray, dout: float = 1.0) -> np.ndarray:
    """d loss / d z = (σ(z) − t) / N, times ``dout``."""
    return (act._sigmoid(z) - t) * (dout / z.shape[-1])


def _softmax_cross_entropy(
    logits: np.ndarray, labels: np.ndarray
) -> tuple[float | np.ndarray, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels, and the probabilities.

    ``logits`` (…, N, C), ``labels`` (N,). With s = a − max(a) (log-sum-exp):
    −log softmax(a)_y = log Σ_j e^(s_j) − s_y, exact for any finite scores.
    """
    n = logits.shape[-2]
    shifted, probs, total = act._shifted_exp(logits)
    loss = (np.log(total[..., 0]) - shifted[..., np.arange(n), labels]).sum(axis=-1) / n
    probs /= total
    return loss, probs


def _softmax_cross_entropy_grad(
    probs: np.ndarray, labels: np.ndarray, dout: float = 1.0
) -> np.ndarray:
    """d loss / d logits = (softmax − one_hot(labels)) / N, times ``dout``."""
    grad = probs.copy()
    n = grad.shape[-2]
    grad[..., np.arange(n), labels] -= 1.0
    grad *= dout / n
    return grad


# ------------------------------------------------------------ regression ---


def mse(prediction: Any, target: Any) -> float:
    """Mean squared error: mean over all elements of (prediction − target)².

    Shapes ``(N,)`` or ``(N, D)``, the same for both. Chapter 04.
    """
    p, t = _pair(prediction, target)
    d = p - t
    return float(_mse(d.reshape(-1, 1)))  # one column: the mean over every element


def mse_grad(prediction: Any, target: Any) -> np.ndarray:
    """d mse / d prediction = 2 (prediction − target) / (number of elements). Chapter 04."""
    p, t = _pair(prediction, target)
    d = p - t
    return _mse_grad(d.reshape(-1, 1)).reshape(d.shape)


def mae(prediction: Any, target: Any) -> float:
    """Mean absolute error: mean over all elements of |prediction − target|. Chapter 04."""
    p, t = _pair(prediction, target)
    return float(np.mean(np.abs(p - t)))


def mae_grad(prediction: Any, target: Any) -> np.ndarray:
    """d mae / d prediction = sign(prediction − target) / (number of elements); 0 at a tie."""
    p, t = _pair(prediction, target)
    return np.sign(p - t) / p.size


# -------------------------------------------------------- classification ---


def binary_cross_entropy(prediction: Any, target: Any) -> float:
    """Binary cross-entropy −mean[t log p + (1 − t) log(1 − p)].

    ``prediction``: probabilities p in [0, 1]; ``target``: t in [0, 1] (usually 0 or 1);
    same shape, ``(N,)`` or ``(N, 1)``. Logs are clamped at −100 (PyTorch's BCELoss), so
    p = 0 or 1 gives a large but finite loss. Chapter 04.
    """
    p, t = _pair(prediction, target)
    _check_probabilities(p, "prediction")
    _check_probabilities(t, "target")
    # 0.0 + turns −0.0, the negated sum of a perfect prediction, into 0.0
    return 0.0 + float(-np.mean(t * _clamped_log(p) + (1.0 - t) * _clamped_log(1.0 - p)))


def binary_cross_entropy_grad(prediction: Any, target: Any) -> np.ndarray:
    """d BCE / d p = (p − t) / (p (1 − p)) / (number of elements).

    The denominator is kept at least 1e-12 (as in PyTorch), so the gradient stays
    finite at p = 0 and p = 1. Chapter 04.
    """
    p, t = _pair(prediction, target)
    _check_probabilities(p, "prediction")
    _check_probabilities(t, "target")
    return (p - t) / np.maximum(p * (1.0 - p), _GRAD_EPS) / p.size


def categorical_cross_entropy(prediction: Any, target: Any) -> float:
    """Cross-entropy for one-hot targets: −(1/N) Σ_n Σ_k t_nk log p_nk.

    ``prediction``: ``(N, C)`` probabilities (e.g. softmax outputs); ``target``: ``(N, C)``
    one-hot rows (or any probability rows). Logs clamped at −100. Chapter 04.
    """
    p, t = _pair(prediction, target)
    if p.ndim != 2:
        raise ValueError(f"prediction must be a 2-D (N, C) array of probabilities, got {p.ndim}-D")
    _check_probabilities(p, "prediction")
    _check_probabilities(t, "target")
    # 0.0 + turns −0.0, the negated sum of a perfect prediction, into 0.0
    return 0.0 + float(-np.sum(t * _clamped_log(p)) / p.shape[0])


def categorical_cross_entropy_grad(prediction: Any, target: Any) -> np.ndarray:
    """d CCE / d p = −t / p / N, denominator kept at least 1e-12. Shape ``(N, C)``."""
    p, t = _pair(prediction, target)
    if p.ndim != 2:
        raise ValueError(f"prediction must be a 2-D (N, C) array of probabilities, got {p.ndim}-D")
    _check_probabilities(p, "prediction")
    _check_probabilities(t, "target")
    return -t / np.maximum(p, _GRAD_EPS) / p.shape[0]


def sparse_categorical_cross_entropy(prediction: Any, target: Any) -> float:
    """Cross-entropy for integer labels: −(1/N) Σ_n log p[n, y_n].

    Same value as :func:`categorical_cross_entropy` with one-hot targets, but the
    target is ``(N,)`` integer labels in 0..C−1. ``prediction``: ``(N, C)``. Chapter 04.
    """
    p, y = _scores_and_labels(prediction, target, "prediction")
    _check_probabilities(p, "prediction")
    picked = p[np.arange(p.shape[0]), y]
    # 0.0 + turns −0.0, the negated sum of a perfect prediction, into 0.0
    return 0.0 + float(-np.mean(_clamped_log(picked)))


def sparse_categorical_cross_entropy_grad(prediction: Any, target: Any) -> np.ndarray:
    """d loss / d p: −1/(N p[n, y_n]) at each true class, 0 elsewhere. Shape ``(N, C)``."""
    p, y = _scores_and_labels(prediction, target, "prediction")
    _check_probabilities(p, "prediction")
    n = p.shape[0]
    grad = np.zeros_like(p)
    rows = np.arange(n)
    grad[rows, y] = -1.0 / np.maximum(p[rows, y], _GRAD_EPS) / n
    return grad


def softmax_cross_entropy(logits: Any, labels: Any) -> float:
    """Softmax followed by cross-entropy, computed from raw scores with log-sum-exp.

    ``logits``: ``(N, C)`` scores; ``labels``: ``(N,)`` integers in 0..C−1.
    log softmax(a)_k = a_k − max(a) − log Σ_j exp(a_j − max(a)), exact for any finite
    scores, even ±1000 where softmax itself rounds to 0 and 1. Chapter 04.
    """
    s, y = _scores_and_labels(logits, labels, "logits")
    return float(_softmax_cross_entropy(s, y)[0])


def softmax_cross_entropy_grad(logits: Any, labels: Any) -> np.ndarray:
    """d loss / d logits = (softmax(logits) − one_hot(labels)) / N. Shape ``(N, C)``."""
    s, y = _scores_and_labels(logits, labels, "logits")
    return _softmax_cross_entropy_grad(_softmax_cross_entropy(s, y)[1], y)


def _logits_and_targets(logits: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    z, t = _pair(logits, target)
    if z.ndim > 2 or (z.ndim == 2 and z.shape[1] != 1):
        raise ValueError(f"logits must have shape (N,) or (N, 1), one score each, got {z.shape}")
    _check_probabilities(t, "target")
    return z, t


def binary_cross_entropy_with_logits(logits: Any, target: Any) -> float:
    """Sigmoid followed by binary cross-entropy, computed from raw scores (logits) z.

    ``logits`` and ``target`` (t in [0, 1]): same shape, ``(N,)`` or ``(N, 1)``. Uses the
    stable form max(z, 0) − z·t + log(1 + e^(−|z|)), exact for any finite z where
    :func:`binary_cross_entropy` of σ(z) would clamp (as torch's
    ``binary_cross_entropy_with_logits``). Chapter 04.
    """
    z, t = _logits_and_targets(logits, target)
    return float(_bce_with_logits(z.reshape(-1), t.reshape(-1)))


def binary_cross_entropy_with_logits_grad(logits: Any, target: Any) -> np.ndarray:
    """d loss / d logits = (σ(z) − t) / N, shaped like ``logits``. Chapter 04."""
    z, t = _logits_and_targets(logits, target)
    return _bce_with_logits_grad(z.reshape(-1), t.reshape(-1)).reshape(z.shape)


LOSSES: tuple[str, ...] = (
    "mse",
    "mae",
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "sparse_categorical_cross_entropy",
    "softmax_cross_entropy",
    "binary_cross_entropy_with_logits",
)
"""Every loss in this module; each has a ``<name>_grad`` beside it."""
