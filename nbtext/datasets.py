"""Toy data for every chapter: logic gates, 2-D point clouds, a sine curve and the 8×8 digits.

Conventions, shared by every generator here:

- ``X`` is float64 and batch-first: shape ``(n, 2)`` for the 2-D clouds, ``(n, 1)`` for the
  sine curve, ``(1797, 64)`` for the digits; class labels ``y`` are int64 of shape ``(n,)``.
- Randomness comes only from ``seed=`` (default 0) or an explicit ``rng=``
  (a ``np.random.Generator``, which wins over ``seed``); NumPy's global state is never touched.
- ``n`` samples are split between the classes as evenly as possible (the first classes get
  one more when it does not divide), and the rows come shuffled.

The clouds are written in plain NumPy, not with ``sklearn.datasets``, so that a learner can
read how each one is drawn.
"""

from __future__ import annotations

import importlib.util
import numbers
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from nbtext._validation import (
    as_float_array,
    as_label_array,
    check_fraction,
    check_nonnegative,
    check_positive,
    check_positive_int,
    make_rng,
)

__all__ = [
    "DATASETS",
    "DIGIT_IMAGE_SHAPE",
    "LOGIC_GATES",
    "WINE_FEATURES",
    "blobs",
    "circles",
    "digits",
    "logic_gate",
    "make_dataset",
    "moons",
    "one_hot",
    "sine",
    "spirals",
    "train_test_split",
    "train_val_test_split",
    "wine",
    "xor",
]

Dataset = tuple[np.ndarray, np.ndarray]

# ------------------------------------------------------------- logic gates ---

_GATE_INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float64)
_GATE_OUTPUTS = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
}
LOGIC_GATES: tuple[str, ...] = tuple(_GATE_OUTPUTS)
"""Names accepted by ``logic_gate``: ``("and", "or", "nand", "nor", "xor")``."""


def logic_gate(name: str) -> Dataset:
    """Truth table of a two-input logic gate (Chapters 01, 05 and 06).

    Returns ``X`` of shape ``(4, 2)``, the rows (0,0), (1,0), (0,1), (1,1) in that order (the
    order of the notes), and ``y`` of shape ``(4,)``, the gate's output for each row.
    ``name`` is one of ``LOGIC_GATES``, in any case.
    """
    if not isinstance(name, str):
        raise TypeError(f"gate name must be a string, got {type(name).__name__} {name!r}")
    key = name.strip().lower()
    if key not in _GATE_OUTPUTS:
        raise ValueError(
            f"unknown logic gate {name!r}; valid names are {', '.join(map(repr, LOGIC_GATES))}"
        )
    return _GATE_INPUTS.copy(), np.array(_GATE_OUTPUTS[key], dtype=np.int64)


# --------------------------------------------------------- 2-D point clouds ---


def _class_sizes(n: int, n_classes: int) -> list[int]:
    """Split ``n`` into ``n_classes`` counts differing by at most one: 7 into 3 → [3, 2, 2]."""
    return [n // n_classes + (k < n % n_classes) for k in range(n_classes)]


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> Dataset:
    order = rng.permutation(len(y))
    return X[order], y[order]


def xor(
    n: int = 200,
    noise: float = 0.1,
    seed: int | None = 0,
    *,
    rng: np.random.Generator | None = None,
) -> Dataset:
    """A noisy XOR cloud, as in TensorFlow Playground (Chapters 06 and 08).

    Points fill the four quadrants of the square [-1, 1]² (keeping 0.1 away from the axes);
    the label is 1 where x and y have opposite signs, 0 where they agree, as XOR of
    "x > 0" and "y > 0". Gaussian noise of standard deviation ``noise`` is then added, so some
    points stray across the axes. Returns ``X`` ``(n, 2)`` float64 and ``y`` ``(n,)`` int64.
    """
    n = check_positive_int(n, "n")
    noise = check_nonnegative(noise, "noise")
    rng = make_rng(rng, seed)
    quadrant_signs = {0: [(1, 1), (-1, -1)], 1: [(-1, 1), (1, -1)]}
    parts_X, parts_y = [], []
    for label, n_label in enumerate(_class_sizes(n, 2)):
        for (sx, sy), m in zip(quadrant_signs[label], _class_sizes(n_label, 2), strict=True):
            magnitude = rng.uniform(0.1, 1.0, size=(m, 2))
            parts_X.append(magnitude * [sx, sy])
            parts_y.append(np.full(m, label))
    X = np.concatenate(parts_X) + rng.normal(0.0, noise, size=(n, 2))
    return _shuffled(X, np.concatenate(parts_y).astype(np.int64), rng)


def circles(
    n: int = 200,
    noise: float = 0.1,
    factor: float = 0.5,
    seed: int | None = 0,
    *,
    rng: np.random.Generator | None = None,
) -> Dataset:
    """Two concentric circles: class 0 on the unit circle, class 1 inside (Chapter 08).

    The inner circle has radius ``factor`` (0 < factor < 1); points sit evenly around each
    circle, then Gaussian noise of standard deviation ``noise`` is added. No line separates
    the classes, a hidden layer can. Returns ``X`` ``(n, 2)`` float64 and ``y`` ``(n,)`` int64.
    """
    n = check_positive_int(n, "n")
    noise = check_nonnegative(noise, "noise")
    factor = check_fraction(factor, "factor", inclusive_low=False)
    rng = make_rng(rng, seed)
    parts_X, parts_y = [], []
    for label, (radius, m) in enumerate(zip((1.0, factor), _class_sizes(n, 2), strict=True)):
        angle = np.linspace(0.0, 2 * np.pi, m, endpoint=False)
        parts_X.append(radius * np.column_stack([np.cos(angle), np.sin(angle)]))
        parts_y.append(np.full(m, label))
    X = np.concatenate(parts_X) + rng.normal(0.0, noise, size=(n, 2))
    return _shuffled(X, np.concatenate(parts_y).astype(np.int64), rng)


def moons(
    n: int = 200,
    noise: float = 0.1,
    seed: int | None = 0,
    *,
    rng: np.random.Generator | None = None,
) -> Dataset:
    """Two interleaving half circles (Chapter 08).

    Class 0 is the upper half of the unit circle, (cos t, sin t) for t in [0, π]; class 1 the
    lower half shifted right and up, (1 - cos t, 0.5 - sin t). Gaussian noise of standard
    deviation ``noise`` is added. Returns ``X`` ``(n, 2)`` float64 and ``y`` ``(n,)`` int64.
    """
    n = check_positive_int(n, "n")
    noise = check_nonnegative(noise, "noise")
    rng = make_rng(rng, seed)
    n_upper, n_lower = _class_sizes(n, 2)
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.concatenate([upper, lower]) + rng.normal(0.0, noise, size=(n, 2))
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n_upper, n_lower])
    return _shuffled(X, y, rng)


def spirals(
    n: int = 200,
    n_classes: int = 2,
    noise: float = 0.1,
    seed: int | None = 0,
    *,
    turns: float = 1.0,
    rng: np.random.Generator | None = None,
) -> Dataset:
    """Interleaved spiral arms, one per class (Chapter 08; the CS231n and Playground spiral).

    Arm k starts near the centre at angle 2πk / n_classes and winds outwards ``turns`` times
    while its radius grows from 0.1 to 1; Gaussian noise of standard deviation ``noise`` is
    added. Returns ``X`` ``(n, 2)`` float64 and ``y`` ``(n,)`` int64 in 0..n_classes-1.
    """
    n = check_positive_int(n, "n")
    n_classes = check_positive_int(n_classes, "n_classes")
    noise = check_nonnegative(noise, "noise")
    turns = check_positive(turns, "turns")
    rng = make_rng(rng, seed)
    parts_X, parts_y = [], []
    for label, m in enumerate(_class_sizes(n, n_classes)):
        radius = np.linspace(0.1, 1.0, m)
        angle = 2 * np.pi * (label / n_classes + turns * radius)
        parts_X.append(radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]))
        parts_y.append(np.full(m, label))
    X = np.concatenate(parts_X) + rng.normal(0.0, noise, size=(n, 2))
    return _shuffled(X, np.concatenate(parts_y).astype(np.int64), rng)


def _blob_centers(centers: Any) -> np.ndarray:
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = check_positive_int(centers, "centers")
        if k == 1:
            return np.zeros((1, 2))
        angle = 2 * np.pi * np.arange(k) / k
        return 2.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    points = as_float_array(centers, "centers", ndim=2)
    if points.shape[1] != 2 or points.shape[0] == 0:
        raise ValueError(
            f"centers must be a whole number or an array of shape (k, 2), got shape {points.shape}"
        )
    return points


def blobs(
    n: int = 200,
    centers: int | Any = 2,
    std: float | None = None,
    seed: int | None = 0,
    *,
    noise: float | None = None,
    rng: np.random.Generator | None = None,
) -> Dataset:
    """Gaussian clusters, one per class (Chapter 08's "gaussians").

    ``centers`` is a number k (k centres spaced evenly on the circle of radius 2, or the origin
    for k = 1) or an array of shape ``(k, 2)``. Each cluster has standard deviation ``std``
    (default 0.5); ``noise`` is another name for it, so every playground generator accepts
    ``noise=``. Returns ``X`` ``(n, 2)`` float64 and ``y`` ``(n,)`` int64 in 0..k-1.
    """
    if std is not None and noise is not None:
        raise ValueError(f"give std or noise (the same thing), not both: std={std}, noise={noise}")
    spread = std if std is not None else noise if noise is not None else 0.5
    spread = check_nonnegative(spread, "std")
    n = check_positive_int(n, "n")
    rng = make_rng(rng, seed)
    middles = _blob_centers(centers)
    sizes = _class_sizes(n, len(middles))
    X = np.repeat(middles, sizes, axis=0) + rng.normal(0.0, spread, size=(n, 2))
    y = np.repeat(np.arange(len(middles), dtype=np.int64), sizes)
    return _shuffled(X, y, rng)


def sine(
    n: int = 100,
    noise: float = 0.1,
    seed: int | None = 0,
    x_range: tuple[float, float] = (-np.pi, np.pi),
    *,
    rng: np.random.Generator | None = None,
) -> Dataset:
    """Noisy samples of sin(x) for 1-D regression (Chapter 08, universal approximation).

    ``x`` is drawn uniformly from ``x_range`` and sorted (so ``plt.plot(X, y)`` draws a line);
    ``y = sin(x)`` plus Gaussian noise of standard deviation ``noise``. Returns ``X`` of shape
    ``(n, 1)`` (one feature, batch-first) and ``y`` of shape ``(n,)``, both float64.
    """
    n = check_positive_int(n, "n")
    noise = check_nonnegative(noise, "noise")
    bounds = as_float_array(x_range, "x_range", ndim=1)
    if bounds.shape != (2,) or not bounds[0] < bounds[1]:
        raise ValueError(f"x_range must be (low, high) with low < high, got {tuple(x_range)}")
    rng = make_rng(rng, seed)
    x = np.sort(rng.uniform(bounds[0], bounds[1], size=n))
    y = np.sin(x) + rng.normal(0.0, noise, size=n)
    return x[:, None], y


# ------------------------------------------------------------------- digits ---

DIGIT_IMAGE_SHAPE: tuple[int, int] = (8, 8)
"""Shape of one digit image: ``X[i].reshape(DIGIT_IMAGE_SHAPE)`` gives the 8×8 picture."""


def _sklearn_data_file(name: str) -> Path | None:
    """The path of one of scikit-learn's bundled data files, found without importing
    scikit-learn (importing ``sklearn.datasets`` takes about a second, ten times longer than
    reading a file), or None if this scikit-learn keeps them elsewhere."""
    spec = importlib.util.find_spec("sklearn")
    locations = spec.submodule_search_locations if spec is not None else None
    path = Path(next(iter(locations or [""]))) / "datasets" / "data" / name
    return path if path.is_file() else None


def digits() -> Dataset:
    """scikit-learn's bundled 8×8 handwritten digits (Chapter 08).

    Returns ``X`` of shape ``(1797, 64)``, float64 pixel intensities scaled from 0..16 to
    [0, 1], and ``y`` of shape ``(1797,)``, int64 digits 0..9. The data ship with
    scikit-learn, so nothing is downloaded.
    """
    path = _sklearn_data_file("digits.csv.gz")
    if path is not None:  # rows: 64 pixels, then the label
        data = np.loadtxt(path, delimiter=",")
        X, y = data[:, :-1], data[:, -1]
    else:
        from sklearn.datasets import load_digits

        X, y = load_digits(return_X_y=True)
    return X.astype(np.float64) / 16.0, y.astype(np.int64)


WINE_FEATURES: tuple[str, ...] = (
    "alcohol", "malic acid", "ash", "alcalinity of ash", "magnesium", "total phenols",
    "flavanoids", "nonflavanoid phenols", "proanthocyanins", "color intensity", "hue",
    "OD280/OD315 of diluted wines", "proline",
)  # fmt: skip
"""The 13 measurements of each wine in :func:`wine`, in column order."""


def wine() -> Dataset:
    """scikit-learn's bundled wine data: 178 Italian wines from three cultivars (Chapter 10).

    Returns ``X`` of shape ``(178, 13)``, float64 chemical measurements in their own units
    (:data:`WINE_FEATURES`: magnesium is around 100, proline around 750, hue around 1, so the
    features' scales differ a thousandfold), and ``y`` of shape ``(178,)``, int64 cultivars
    0..2. Nothing is downloaded.
    """
    path = _sklearn_data_file("wine_data.csv")
    if path is not None:  # a header line, then rows of 13 measurements and the class
        data = np.loadtxt(path, delimiter=",", skiprows=1)
        X, y = data[:, :-1], data[:, -1]
    else:
        from sklearn.datasets import load_wine

        X, y = load_wine(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


# ------------------------------------------------------------------ one-hot ---


def one_hot(labels: Any, n_classes: int | None = None) -> np.ndarray:
    """One-hot encode integer class labels (Chapter 04, categorical cross-entropy).

    ``labels`` has shape ``(n,)`` with whole numbers in 0..n_classes-1; ``n_classes``
    defaults to ``max(labels) + 1``. Returns a float64 array of shape ``(n, n_classes)`` with
    a single 1 per row: ``one_hot([2, 0], 3)`` is ``[[0, 0, 1], [1, 0, 0]]``.
    """
    if n_classes is not None:
        n_classes = check_positive_int(n_classes, "n_classes")
    codes = as_label_array(labels, "labels", n_classes=n_classes)
    if n_classes is None:
        n_classes = int(codes.max()) + 1 if codes.size else 0
    encoded = np.zeros((codes.size, n_classes), dtype=np.float64)
    encoded[np.arange(codes.size), codes] = 1.0
    return encoded


# ------------------------------------------------------------------- splits ---


def _apportion(counts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Table ``(n_classes, n_parts)``: how many samples of each class go to each part.

    Row c sums to ``counts[c]``, column p to ``sizes[p]``, and each entry is the exact share
    ``counts[c] * sizes[p] / n`` rounded down or up. Start from the rounded-down table, then
    hand each class's leftover samples to the parts that still miss the most.
    """
    n = int(counts.sum())
    exact = np.outer(counts, sizes)  # exact share times n, in whole numbers
    table = exact // n
    remainder = exact % n
    class_left = counts - table.sum(axis=1)
    part_left = sizes - table.sum(axis=0)
    for c in range(len(counts)):
        order = np.lexsort((-remainder[c], -part_left))  # most missing first, then largest rest
        chosen = order[: class_left[c]]
        table[c, chosen] += 1
        part_left[chosen] -= 1
    assert np.all(part_left == 0) and np.all(table >= 0)
    return table


def _split_indices(
    y: np.ndarray,
    fractions: tuple[float, ...],
    stratify: bool,
    rng: np.random.Generator,
) -> list[np.ndarray]:
    """Shuffled index arrays, one per part: part p gets ceil(fractions[p]·n) samples and
    part 0 (train) the rest, each class spread over the parts in proportion when stratified."""
    n = len(y)
    held_out = [int(np.ceil(f * n - 1e-9)) for f in fractions]
    sizes = np.array([n - sum(held_out), *held_out], dtype=np.int64)
    if sizes[0] < 1:
        raise ValueError(
            f"{n} samples are too few for these fractions: the training set would be empty"
        )
    if stratify:
        _, codes = np.unique(y, return_inverse=True)
    else:
        codes = np.zeros(n, dtype=np.int64)
    members = [np.flatnonzero(codes == c) for c in range(codes.max() + 1)]
    table = _apportion(np.array([len(m) for m in members], dtype=np.int64), sizes)
    parts: list[list[np.ndarray]] = [[] for _ in sizes]
    for c, index in enumerate(members):
        index = rng.permutation(index)
        bounds = np.cumsum(table[c])[:-1]
        for p, chunk in enumerate(np.split(index, bounds)):
            parts[p].append(chunk)
    return [rng.permutation(np.concatenate(chunks)) for chunks in parts]


def _check_split_inputs(X: Any, y: Any, stratify: bool) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(
            f"X and y must be arrays with one row per sample, got shapes {X.shape} and {y.shape}"
        )
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    if not isinstance(stratify, bool):
        raise TypeError(f"stratify must be True or False, got {stratify!r}")
    if stratify:
        if y.ndim != 1:
            raise ValueError(
                f"stratify=True needs y to be class labels of shape (n,), got shape {y.shape}; "
                "pass stratify=False"
            )
        if np.issubdtype(y.dtype, np.floating) and not np.all(y == np.round(y)):
            raise ValueError(
                "stratify=True needs class labels, but y holds non-whole numbers "
                "(a regression target?); pass stratify=False"
            )
    return X, y


def train_test_split(
    X: Any,
    y: Any,
    test_fraction: float = 0.2,
    *,
    stratify: bool = True,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split samples into a training and a test set (Chapter 08).

    ``X`` has shape ``(n, ...)`` and ``y`` shape ``(n,)`` (or ``(n, ...)`` with
    ``stratify=False``). The test set gets ceil(test_fraction·n) samples, the training set the
    rest; every sample lands in exactly one of them. With ``stratify=True`` each class is split
    in the same proportion (within one sample), so both sets keep the class balance. Rows are
    shuffled, deterministically for a given ``seed``.

    Returns ``(X_train, X_test, y_train, y_test)``, new arrays, like scikit-learn's.
    """
    X, y = _check_split_inputs(X, y, stratify)
    test_fraction = check_fraction(test_fraction, "test_fraction", inclusive_low=False)
    rng = make_rng(rng, seed)
    train, test = _split_indices(y, (test_fraction,), stratify, rng)
    return X[train], X[test], y[train], y[test]


def train_val_test_split(
    X: Any,
    y: Any,
    val_fraction: float = 0.15,
    test_fraction: float = 0.15,
    *,
    stratify: bool = True,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split samples into training, validation and test sets (Chapter 08).

    Like ``train_test_split``: the validation set gets ceil(val_fraction·n) samples, the test
    set ceil(test_fraction·n), the training set the rest; stratified by class by default.

    Returns ``(X_train, X_val, X_test, y_train, y_val, y_test)``.
    """
    X, y = _check_split_inputs(X, y, stratify)
    val_fraction = check_fraction(val_fraction, "val_fraction", inclusive_low=False)
    test_fraction = check_fraction(test_fraction, "test_fraction", inclusive_low=False)
    if val_fraction + test_fraction >= 1:
        raise ValueError(
            f"val_fraction + test_fraction must be below 1 to leave training data, "
            f"got {val_fraction} + {test_fraction}"
        )
    rng = make_rng(rng, seed)
    train, val, test = _split_indices(y, (val_fraction, test_fraction), stratify, rng)
    return X[train], X[val], X[test], y[train], y[val], y[test]


# --------------------------------------------------------------- playground ---

DATASETS: dict[str, Callable[..., Dataset]] = {
    "xor": xor,
    "circles": circles,
    "moons": moons,
    "spirals": spirals,
    "blobs": blobs,
}
"""The playground's 2-D classification generators by name; each accepts
``(n=..., noise=..., seed=..., rng=...)`` as keywords."""


def make_dataset(
    name: str,
    n: int = 200,
    noise: float | None = None,
    seed: int | None = 0,
    *,
    rng: np.random.Generator | None = None,
    **options: Any,
) -> Dataset:
    """Generate the playground dataset ``name`` (Chapter 08).

    ``name`` is one of ``DATASETS`` (case-insensitive); ``noise=None`` keeps that generator's
    default; other keywords (``factor``, ``n_classes``, ``centers`` …) pass through. Returns
    ``X`` ``(n, 2)`` float64 and ``y`` ``(n,)`` int64.
    """
    if not isinstance(name, str):
        raise TypeError(f"dataset name must be a string, got {type(name).__name__} {name!r}")
    key = name.strip().lower()
    if key not in DATASETS:
        raise ValueError(
            f"unknown dataset {name!r}; valid names are {', '.join(map(repr, DATASETS))}"
        )
    if noise is not None:
        options["noise"] = noise
    return DATASETS[key](n=n, seed=seed, rng=rng, **options)
