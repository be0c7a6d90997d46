"""Input checks shared by every module: turn bad input into a clear error early.

A learner who passes a list of strings, a NaN or a learning rate of zero should
see an error that names what was expected and what came, at the line that made
the mistake, instead of a NaN that surfaces three cells later.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def as_float_array(
    x: Any,
    name: str = "x",
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_nonfinite: bool = False,
) -> np.ndarray:
    """Return ``x`` as a float64 NumPy array, checking type, dimensions and values.

    Raises ``TypeError`` for non-numeric input (strings, objects, None) and
    ``ValueError`` for the wrong number of dimensions or NaN/inf values. The
    result may share memory with ``x``; callers must not write into it.
    """
    if type(x) is np.ndarray and x.dtype == np.float64:
        arr = x  # already what we want: skip the type checks (training calls this often)
    else:
        arr = _to_float64(x, name)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            expected = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(
                f"{name} must be a {expected} array, got {arr.ndim}-D with shape {arr.shape}"
            )
    if not allow_nonfinite and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{name} must contain only finite numbers, got {bad} NaN or infinite value(s)"
        )
    return arr


def _to_float64(x: Any, name: str) -> np.ndarray:
    """``x`` as a float64 array; ``TypeError`` for None, strings and non-real dtypes."""
    if x is None:
        raise TypeError(f"{name} must be a number or an array of numbers, got None")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a number or an array of numbers, got a string {x!r}")
    arr = np.asarray(x)
    if arr.dtype == bool:
        arr = arr.astype(np.float64)
    if not (np.issubdtype(arr.dtype, np.number)) or np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, got dtype {arr.dtype}"
        )
    return arr.astype(np.float64, copy=False)


def as_label_array(y: Any, name: str = "y", *, n_classes: int | None = None) -> np.ndarray:
    """Return integer class labels as a 1-D int64 array, checking their range.

    Accepts integer arrays or float arrays holding whole numbers. Raises
    ``TypeError`` for non-numeric labels and ``ValueError`` for non-whole,
    negative or (when ``n_classes`` is given) too-large labels. An int64 array comes
    back as itself, not a copy; callers must not write into it.
    """
    if type(y) is np.ndarray and y.dtype.kind in "iu" and y.ndim == 1:
        labels = y.astype(np.int64, copy=False)  # whole numbers already
    else:
        arr = as_float_array(y, name, ndim=1)
        if not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold whole-number class labels, got non-integer values")
        labels = arr.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise ValueError(f"{name} must hold labels 0 and above, got {labels.min()}")
    if n_classes is not None and labels.size and labels.max() >= n_classes:
        raise ValueError(
            f"{name} must hold labels in 0..{n_classes - 1} for {n_classes} classes, "
            f"got {labels.max()}"
        )
    return labels


def check_positive(value: Any, name: str) -> float:
    """Return ``value`` as a float after checking it is a finite number above zero."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return value


def check_nonnegative(value: Any, name: str) -> float:
    """Return ``value`` as a float after checking it is a finite number, zero or above."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number >= 0, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return value


def check_fraction(
    value: Any, name: str, *, inclusive_low: bool = True, inclusive_high: bool = False
) -> float:
    """Return ``value`` as a float after checking 0 <= value < 1 (ends as the flags say)."""
    interval = ("[" if inclusive_low else "(") + "0, 1" + ("]" if inclusive_high else ")")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number in {interval}, got {type(value).__name__} {value!r}"
        )
    value = float(value)
    low_ok = value >= 0 if inclusive_low else value > 0
    high_ok = value <= 1 if inclusive_high else value < 1
    if not (low_ok and high_ok):
        raise ValueError(f"{name} must be in {interval}, got {value}")
    return value


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int after checking it is a whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number >= 1, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def make_rng(
    rng: np.random.Generator | None = None, seed: int | None = None
) -> np.random.Generator:
    """Return a ``np.random.Generator``: ``rng`` itself if given, else one seeded with ``seed``.

    Never touches NumPy's global random state, so results are reproducible.
    """
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            hint = (
                f"; to give a seed, write seed={rng!r} instead"
                if isinstance(rng, numbers.Integral) and not isinstance(rng, bool)
                else ""
            )
            raise TypeError(
                f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
                f"got {type(rng).__name__}{hint}"
            )
        return rng
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        raise TypeError(f"seed must be a whole number or None, got {type(seed).__name__} {seed!r}")
    return np.random.default_rng(seed)
