"""Tests for nbtext.datasets: generators, digits, one_hot and the stratified splits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbtext.datasets import (
    DATASETS,
    DIGIT_IMAGE_SHAPE,
    LOGIC_GATES,
    WINE_FEATURES,
    blobs,
    circles,
    digits,
    logic_gate,
    make_dataset,
    moons,
    one_hot,
    sine,
    spirals,
    train_test_split,
    train_val_test_split,
    wine,
    xor,
)

GENERATORS = {"xor": xor, "circles": circles, "moons": moons, "spirals": spirals, "blobs": blobs}


# -------------------------------------------------------------- logic gates ---


@pytest.mark.parametrize(
    ("name", "outputs"),
    [
        ("and", [0, 0, 0, 1]),
        ("or", [0, 1, 1, 1]),
        ("nand", [1, 1, 1, 0]),
        ("nor", [1, 0, 0, 0]),
        ("xor", [0, 1, 1, 0]),
    ],
)
def test_logic_gate_truth_tables(name: str, outputs: list[int]) -> None:
    X, y = logic_gate(name)
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert X.tolist() == [[0, 0], [1, 0], [0, 1], [1, 1]]
    assert y.dtype == np.int64 and y.tolist() == outputs


def test_logic_gates_names_case_and_copies() -> None:
    assert LOGIC_GATES == ("and", "or", "nand", "nor", "xor")
    assert logic_gate("XOR")[1].tolist() == [0, 1, 1, 0]
    X, _ = logic_gate("and")
    X[0, 0] = 99.0
    assert logic_gate("and")[0][0, 0] == 0.0
    with pytest.raises(ValueError, match="valid names are 'and', 'or', 'nand', 'nor', 'xor'"):
        logic_gate("xnor")
    with pytest.raises(TypeError, match="must be a string"):
        logic_gate(None)


# ----------------------------------------------------------------- clouds ---


@pytest.mark.parametrize("name", list(GENERATORS))
@pytest.mark.parametrize("n", [1, 7, 200, 201])
def test_generator_shapes_dtypes_and_balance(name: str, n: int) -> None:
    X, y = GENERATORS[name](n)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))
    counts = np.bincount(y, minlength=2)
    assert counts.sum() == n and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", list(GENERATORS))
def test_generators_are_seeded_and_leave_global_state_alone(name: str) -> None:
    gen = GENERATORS[name]
    np.random.seed(123)  # noqa: NPY002 (checking that the legacy global state is untouched)
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    X0, y0 = gen(100)
    X1, y1 = gen(100, seed=0)
    X2, y2 = gen(100, seed=1)
    X3, y3 = gen(100, rng=np.random.default_rng(1))
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002
    assert np.array_equal(X0, X1) and np.array_equal(y0, y1)
    assert not np.array_equal(X0, X2)
    assert np.array_equal(X2, X3) and np.array_equal(y2, y3)


@pytest.mark.parametrize("name", list(GENERATORS))
def test_generator_rows_are_shuffled(name: str) -> None:
    _, y = GENERATORS[name](200)
    assert 0 < y[:100].sum() < 100  # both classes appear in the first half


def test_xor_labels_follow_the_sign_product() -> None:
    X, y = xor(400, noise=0.0)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    assert np.all(np.abs(X) >= 0.1) and np.all(np.abs(X) <= 1.0)
    for sx in (-1, 1):
        for sy in (-1, 1):
            assert np.sum((np.sign(X[:, 0]) == sx) & (np.sign(X[:, 1]) == sy)) == 100


def test_circles_radii() -> None:
    X, y = circles(100, noise=0.0, factor=0.3)
    radius = np.linalg.norm(X, axis=1)
    assert np.allclose(radius[y == 0], 1.0) and np.allclose(radius[y == 1], 0.3)


def test_moons_lie_on_their_half_circles() -> None:
    X, y = moons(100, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.linalg.norm(upper, axis=1), 1.0) and np.all(upper[:, 1] >= -1e-12)
    shifted = lower - [1.0, 0.5]
    assert np.allclose(np.linalg.norm(shifted, axis=1), 1.0) and np.all(shifted[:, 1] <= 1e-12)


def test_spirals_classes_and_radius() -> None:
    X, y = spirals(301, n_classes=3, noise=0.0)
    assert np.bincount(y).tolist() == [101, 100, 100]
    radius = np.linalg.norm(X, axis=1)
    assert radius.min() == pytest.approx(0.1) and radius.max() == pytest.approx(1.0)


def test_blobs_centers_std_and_noise_alias() -> None:
    X, y = blobs(3000, centers=[[5.0, 5.0], [-5.0, 0.0], [0.0, -5.0]], std=0.2)
    assert np.bincount(y).tolist() == [1000, 1000, 1000]
    assert np.allclose(X[y == 0].mean(axis=0), [5.0, 5.0], atol=0.05)
    assert X[y == 1].std(axis=0) == pytest.approx([0.2, 0.2], rel=0.1)
    assert np.array_equal(blobs(50, std=0.3)[0], blobs(50, noise=0.3)[0])
    X4, y4 = blobs(40, centers=4, std=0.0)
    assert np.allclose(np.linalg.norm(X4, axis=1), 2.0) and np.bincount(y4).tolist() == [10] * 4
    with pytest.raises(ValueError, match="not both"):
        blobs(10, std=0.1, noise=0.2)
    with pytest.raises(ValueError, match=r"shape \(k, 2\), got shape \(2, 3\)"):
        blobs(10, centers=[[0, 0, 0], [1, 1, 1]])


def test_sine() -> None:
    X, y = sine(50, noise=0.0)
    assert X.shape == (50, 1) and y.shape == (50,) and X.dtype == y.dtype == np.float64
    assert np.all(np.diff(X[:, 0]) >= 0)
    assert np.all((X >= -np.pi) & (X <= np.pi))
    assert np.allclose(y, np.sin(X[:, 0]))
    Xr, _ = sine(20, x_range=(0.0, 1.0))
    assert Xr.min() >= 0.0 and Xr.max() <= 1.0
    assert not np.array_equal(sine(seed=0)[1], sine(seed=1)[1])
    with pytest.raises(ValueError, match="low < high"):
        sine(10, x_range=(1.0, 0.0))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: xor(0), ValueError, "n must be >= 1, got 0"),
        (lambda: moons(2.5), TypeError, "n must be a whole number"),
        (lambda: circles(noise=-0.1), ValueError, "noise must be a finite number >= 0"),
        (lambda: circles(factor=1.0), ValueError, r"factor must be in \(0, 1\)"),
        (lambda: spirals(n_classes=0), ValueError, "n_classes must be >= 1"),
        (lambda: blobs(seed=1.5), TypeError, "seed must be a whole number"),
        (lambda: xor(rng=np.random.RandomState(0)), TypeError, "numpy.random.Generator"),
    ],
)
def test_generators_reject_bad_input(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()


def test_make_dataset() -> None:
    assert set(DATASETS) == {"xor", "circles", "moons", "spirals", "blobs"}
    for name in DATASETS:
        X, y = make_dataset(name, n=60, noise=0.05, seed=3)
        X_direct, y_direct = DATASETS[name](n=60, noise=0.05, seed=3)
        assert X.shape == (60, 2) and np.array_equal(X, X_direct) and np.array_equal(y, y_direct)
    assert np.array_equal(make_dataset("Moons")[0], moons()[0])
    assert np.bincount(make_dataset("spirals", n=90, n_classes=3)[1]).tolist() == [30] * 3
    with pytest.raises(ValueError, match="valid names are 'xor', 'circles', 'moons'"):
        make_dataset("swiss roll")


# ----------------------------------------------------------------- digits ---


def test_digits() -> None:
    X, y = digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(y.tolist()) == set(range(10))
    assert DIGIT_IMAGE_SHAPE == (8, 8) and X[0].reshape(DIGIT_IMAGE_SHAPE).shape == (8, 8)


def test_wine_is_scikit_learns_load_wine() -> None:
    from sklearn.datasets import load_wine

    X, y = wine()
    X_sk, y_sk = load_wine(return_X_y=True)
    assert X.shape == (178, 13) and X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(X, X_sk)
    np.testing.assert_array_equal(y, y_sk)
    assert len(WINE_FEATURES) == 13
    assert X.std(axis=0).max() / X.std(axis=0).min() > 1000  # scales a thousandfold apart


def test_digits_are_scikit_learns_load_digits() -> None:
    # digits() reads scikit-learn's data file itself (importing sklearn.datasets is slow).
    from sklearn.datasets import load_digits

    X, y = digits()
    X_sk, y_sk = load_digits(return_X_y=True)
    np.testing.assert_array_equal(X, X_sk / 16.0)
    np.testing.assert_array_equal(y, y_sk)


# ---------------------------------------------------------------- one_hot ---


def test_one_hot_basics() -> None:
    encoded = one_hot([2, 0, 1])
    assert encoded.dtype == np.float64
    assert encoded.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    assert one_hot(np.array([1]), n_classes=4).tolist() == [[0, 1, 0, 0]]
    assert one_hot([1.0, 0.0]).tolist() == [[0, 1], [1, 0]]
    assert one_hot([], n_classes=3).shape == (0, 3)


@pytest.mark.parametrize(
    ("labels", "n_classes", "error", "match"),
    [
        ([0, 3], 3, ValueError, r"labels in 0\.\.2 for 3 classes, got 3"),
        ([-1, 0], None, ValueError, "labels 0 and above, got -1"),
        ([0.5], None, ValueError, "whole-number class labels"),
        (["a", "b"], None, TypeError, "labels must be a real number"),
        ([[0, 1]], None, ValueError, "labels must be a 1-D array"),
        ([0, 1], 0, ValueError, "n_classes must be >= 1"),
    ],
)
def test_one_hot_rejects_bad_labels(labels, n_classes, error, match) -> None:
    with pytest.raises(error, match=match):
        one_hot(labels, n_classes)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=50), st.integers(0, 5))
def test_one_hot_round_trip(labels: list[int], extra: int) -> None:
    n_classes = max(labels) + 1 + extra
    encoded = one_hot(labels, n_classes)
    assert encoded.shape == (len(labels), n_classes)
    assert np.all(encoded.sum(axis=1) == 1.0)
    assert encoded.argmax(axis=1).tolist() == labels


# ----------------------------------------------------------------- splits ---


def _assert_partition(n: int, *index_parts: np.ndarray) -> None:
    joined = np.concatenate(index_parts)
    assert len(joined) == n and np.array_equal(np.sort(joined), np.arange(n))


def _assert_stratified(y: np.ndarray, part: np.ndarray) -> None:
    """Every class holds its exact share of ``part``, within one sample."""
    share = len(part) / len(y)
    for c in np.unique(y):
        assert abs(np.sum(part == c) - share * np.sum(y == c)) <= 1 + 1e-9


def test_train_test_split_partitions_and_stratifies() -> None:
    y = np.repeat(np.arange(3, dtype=np.int64), [50, 30, 20])
    X = np.arange(100, dtype=np.float64)[:, None]
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2)
    assert X_train.shape == (80, 1) and X_test.shape == (20, 1)
    _assert_partition(100, X_train[:, 0].astype(int), X_test[:, 0].astype(int))
    assert np.bincount(y_test).tolist() == [10, 6, 4]
    assert np.bincount(y_train).tolist() == [40, 24, 16]
    assert np.array_equal(y[X_train[:, 0].astype(int)], y_train)  # rows stay paired


def test_train_test_split_is_deterministic_and_seeded() -> None:
    X, y = moons(100)
    a = train_test_split(X, y, seed=4)
    b = train_test_split(X, y, seed=4)
    c = train_test_split(X, y, seed=5)
    d = train_test_split(X, y, rng=np.random.default_rng(4))
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=True))
    assert all(np.array_equal(p, q) for p, q in zip(a, d, strict=True))
    assert not np.array_equal(a[1], c[1])


def test_split_does_not_mutate_and_keeps_extra_dimensions() -> None:
    X, y = digits()
    images = X[:200].reshape(-1, *DIGIT_IMAGE_SHAPE)
    labels = y[:200].copy()
    X_train, X_test, _, _ = train_test_split(images, labels, 0.25)
    assert X_train.shape == (150, 8, 8) and X_test.shape == (50, 8, 8)
    assert np.array_equal(labels, y[:200])


def test_unstratified_split_accepts_regression_targets() -> None:
    X, y = sine(40)
    _, _, y_train, y_test = train_test_split(X, y, 0.25, stratify=False)
    assert len(y_train) == 30 and len(y_test) == 10
    assert np.allclose(np.sort(np.concatenate([y_train, y_test])), np.sort(y))


def test_train_val_test_split() -> None:
    y = np.repeat(np.arange(2), [60, 40])
    X = np.arange(100)[:, None]
    X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X, y)
    assert (len(X_train), len(X_val), len(X_test)) == (70, 15, 15)
    _assert_partition(100, X_train[:, 0], X_val[:, 0], X_test[:, 0])
    for part in (y_train, y_val, y_test):
        _assert_stratified(y, part)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: train_test_split(np.zeros((10, 2)), np.zeros(9)), ValueError,
         "X has 10 samples but y has 9"),
        (lambda: train_test_split(np.zeros((4, 2)), np.zeros(4), 0.0), ValueError,
         r"test_fraction must be in \(0, 1\), got 0.0"),
        (lambda: train_test_split(np.zeros((4, 2)), np.zeros(4), 1.0), ValueError,
         r"test_fraction must be in \(0, 1\)"),
        (lambda: train_test_split(np.zeros((4, 2)), np.zeros(4), "half"), TypeError,
         "test_fraction must be a number"),
        (lambda: train_test_split(np.zeros((1, 2)), np.zeros(1)), ValueError,
         "training set would be empty"),
        (lambda: train_test_split(np.zeros((4, 1)), [0.5, 1.5, 2.5, 3.5]), ValueError,
         "pass stratify=False"),
        (lambda: train_test_split(np.zeros((4, 1)), np.zeros((4, 2))), ValueError,
         r"shape \(n,\), got shape \(4, 2\)"),
        (lambda: train_test_split(np.zeros((4, 1)), np.zeros(4), stratify="yes"), TypeError,
         "stratify must be True or False"),
        (lambda: train_val_test_split(np.zeros((10, 1)), np.zeros(10), 0.5, 0.5), ValueError,
         "val_fraction \\+ test_fraction must be below 1"),
        (lambda: train_val_test_split(np.zeros((10, 1)), np.zeros(10), -0.1), ValueError,
         r"val_fraction must be in \(0, 1\)"),
    ],
)  # fmt: skip
def test_splits_reject_bad_input(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()


labels_strategy = st.lists(st.integers(0, 4), min_size=4, max_size=80)


@settings(max_examples=50, deadline=None)
@given(labels_strategy, st.floats(0.05, 0.6), st.integers(0, 2**16), st.booleans())
def test_train_test_split_property(labels, fraction, seed, stratify) -> None:
    y = np.array(labels, dtype=np.int64)
    n = len(y)
    X = np.arange(n)[:, None]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, fraction, stratify=stratify, seed=seed
    )
    _assert_partition(n, X_train[:, 0], X_test[:, 0])
    assert len(X_test) == int(np.ceil(fraction * n - 1e-9))
    assert np.array_equal(y[X_train[:, 0]], y_train) and np.array_equal(y[X_test[:, 0]], y_test)
    if stratify:
        _assert_stratified(y, y_test)
        _assert_stratified(y, y_train)


@settings(max_examples=50, deadline=None)
@given(labels_strategy, st.floats(0.05, 0.4), st.floats(0.05, 0.4), st.integers(0, 2**16))
def test_train_val_test_split_property(labels, val_fraction, test_fraction, seed) -> None:
    y = np.array(labels, dtype=np.int64)
    n = len(y)
    sizes = [int(np.ceil(f * n - 1e-9)) for f in (val_fraction, test_fraction)]
    if n - sum(sizes) < 1:
        return  # too few samples: covered by test_splits_reject_bad_input
    X = np.arange(n)[:, None]
    X_tr, X_val, X_te, y_tr, y_val, y_te = train_val_test_split(
        X, y, val_fraction, test_fraction, seed=seed
    )
    _assert_partition(n, X_tr[:, 0], X_val[:, 0], X_te[:, 0])
    assert [len(X_val), len(X_te)] == sizes
    for part in (y_tr, y_val, y_te):
        _assert_stratified(y, part)
