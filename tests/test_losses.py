"""Tests for nbtext.losses: gradient checks, hand-computed values, properties, bad input.

Stability at probabilities of exactly 0 and 1 and at logits of ±1000 lives in
test_stability.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbtext import losses
from nbtext.activations import softmax
from nbtext.gradcheck import numerical_gradient, relative_error
from nbtext.losses import (
    LOSSES,
    binary_cross_entropy,
    categorical_cross_entropy,
    mae,
    mse,
    softmax_cross_entropy,
    sparse_categorical_cross_entropy,
)

H = 1e-5  # central-difference step (CS231n)
GRAD_TOL = 1e-7  # relative error allowed on a smooth path


def loss_and_grad(name: str) -> tuple[Callable[..., float], Callable[..., np.ndarray]]:
    return getattr(losses, name), getattr(losses, f"{name}_grad")


# --------------------------------------------------------- smooth test points ---
# Each returns (prediction, target) for one seed, away from every kink and clamp.


def regression_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(N, D) = (4, 3) predictions at least 0.1 from their targets (|p − t| kink of mae)."""
    t = rng.normal(size=(4, 3))
    gap = rng.uniform(0.1, 2.0, size=t.shape) * rng.choice([-1.0, 1.0], size=t.shape)
    return t + gap, t


def binary_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities in [0.05, 0.95]; targets 0/1 and soft targets in [0, 1]."""
    p = rng.uniform(0.05, 0.95, size=(6, 1))
    t = np.array([[0.0], [1.0], [1.0], [0.0], [0.3], [0.8]])
    return p, t


def categorical_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(N, C) = (5, 4) probabilities treated as free variables in [0.05, 1] (rows need
    not sum to 1, so each entry can move alone); one-hot targets plus one soft row."""
    p = rng.uniform(0.05, 1.0, size=(5, 4))
    t = np.eye(4)[rng.integers(0, 4, size=5)]
    t[-1] = [0.1, 0.2, 0.3, 0.4]
    return p, t


def sparse_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(N, C) = (5, 4) free probabilities in [0.05, 1] and integer labels in 0..3."""
    return rng.uniform(0.05, 1.0, size=(5, 4)), rng.integers(0, 4, size=5)


def logits_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(N, C) = (5, 4) logits in [-2, 2] and integer labels in 0..3.

    Bounded logits keep every softmax probability above e^-4 / 4: a gradient entry
    much smaller than that would sit at the rounding floor of the central
    difference (about eps·|L| / h ≈ 4e-11), not test the formula.
    """
    return rng.uniform(-2.0, 2.0, size=(5, 4)), rng.integers(0, 4, size=5)


def binary_logits_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Logits in [-3, 3] (one per sample, (N, 1)) and targets 0/1 plus soft ones."""
    return rng.uniform(-3.0, 3.0, size=(6, 1)), binary_pair(rng)[1]


SMOOTH_POINTS = {
    "mse": regression_pair,
    "mae": regression_pair,
    "binary_cross_entropy": binary_pair,
    "categorical_cross_entropy": categorical_pair,
    "sparse_categorical_cross_entropy": sparse_pair,
    "softmax_cross_entropy": logits_pair,
    "binary_cross_entropy_with_logits": binary_logits_pair,
}


def test_every_loss_has_a_gradient_and_a_smooth_test_point() -> None:
    assert set(SMOOTH_POINTS) == set(LOSSES)
    for name in LOSSES:
        assert callable(getattr(losses, f"{name}_grad"))


# ---------------------------------------------------------- gradient checks ---


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_agrees_with_central_difference(name, seed) -> None:
    loss, grad = loss_and_grad(name)
    prediction, target = SMOOTH_POINTS[name](np.random.default_rng(seed))
    numeric = numerical_gradient(lambda p: loss(p, target), prediction, h=H)
    analytic = grad(prediction, target)
    assert analytic.shape == prediction.shape
    assert relative_error(analytic, numeric) < GRAD_TOL


@pytest.mark.parametrize("name", ["mse", "mae"])
def test_regression_gradient_agrees_for_one_dimensional_predictions(name) -> None:
    loss, grad = loss_and_grad(name)
    prediction = np.array([0.5, -1.25, 3.0])
    target = np.array([0.0, 1.0, 2.0])
    numeric = numerical_gradient(lambda p: loss(p, target), prediction, h=H)
    assert relative_error(grad(prediction, target), numeric) < GRAD_TOL


# ---------------------------------------------------------- known values ---


def test_mse_and_mae_of_a_two_by_two_batch_by_hand() -> None:
    p = [[1.0, 2.0], [3.0, 4.0]]
    t = [[1.0, 0.0], [3.0, 1.0]]
    # errors 0, 2, 0, 3; squares 0, 4, 0, 9 -> 13 / 4 elements; absolute 5 / 4
    assert mse(p, t) == 3.25
    assert mae(p, t) == 1.25
    # d mse / dp = 2 e / 4; d mae / dp = sign(e) / 4
    np.testing.assert_array_equal(losses.mse_grad(p, t), [[0.0, 1.0], [0.0, 1.5]])
    np.testing.assert_array_equal(losses.mae_grad(p, t), [[0.0, 0.25], [0.0, 0.25]])


def test_mse_is_the_mean_of_all_squared_errors_not_a_per_sample_sum() -> None:
    rng = np.random.default_rng(7)
    p, t = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    np.testing.assert_allclose(mse(p, t), np.mean((p - t) ** 2), rtol=1e-15)
    # the per-sample-sum convention would be 3 times larger for D = 3
    assert not np.isclose(mse(p, t), np.mean(np.sum((p - t) ** 2, axis=1)))


def test_mae_gradient_is_zero_where_prediction_equals_target() -> None:
    np.testing.assert_array_equal(losses.mae_grad([1.0, 2.0], [1.0, 3.0]), [0.0, -0.5])


def test_binary_cross_entropy_by_hand() -> None:
    p = [0.9, 0.2]
    t = [1.0, 0.0]
    # −[1·ln 0.9 + 0·ln 0.1] and −[0·ln 0.2 + 1·ln 0.8], averaged over 2 samples
    expected = -(np.log(0.9) + np.log(0.8)) / 2  # 0.16425203...
    np.testing.assert_allclose(binary_cross_entropy(p, t), expected, rtol=1e-14)
    # (p − t) / (p (1 − p)) / N: (−0.1 / 0.09) / 2 and (0.2 / 0.16) / 2
    np.testing.assert_allclose(
        losses.binary_cross_entropy_grad(p, t), [-0.1 / 0.09 / 2, 0.2 / 0.16 / 2], rtol=1e-14
    )


def test_binary_cross_entropy_with_a_soft_target_by_hand() -> None:
    # t = 0.25, p = 0.5: −[0.25 ln 0.5 + 0.75 ln 0.5] = ln 2; gradient (0.25) / 0.25 = 1
    np.testing.assert_allclose(binary_cross_entropy([0.5], [0.25]), np.log(2.0), rtol=1e-15)
    np.testing.assert_allclose(losses.binary_cross_entropy_grad([0.5], [0.25]), [1.0], rtol=1e-15)


P3 = [[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]]


def test_categorical_and_sparse_cross_entropy_by_hand() -> None:
    one_hot = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    labels = [0, 2]
    expected = -(np.log(0.7) + np.log(0.4)) / 2  # 0.63648040...
    np.testing.assert_allclose(categorical_cross_entropy(P3, one_hot), expected, rtol=1e-14)
    np.testing.assert_allclose(sparse_categorical_cross_entropy(P3, labels), expected, rtol=1e-14)
    # −t / p / N: only the true classes get −1 / (2 p)
    grad = [[-1 / 1.4, 0.0, 0.0], [0.0, 0.0, -1 / 0.8]]
    np.testing.assert_allclose(losses.categorical_cross_entropy_grad(P3, one_hot), grad, rtol=1e-14)
    np.testing.assert_allclose(
        losses.sparse_categorical_cross_entropy_grad(P3, labels), grad, rtol=1e-14
    )


def test_categorical_cross_entropy_with_soft_targets_by_hand() -> None:
    # −(0.5 ln 0.5 + 0.5 ln 0.25) / 1 = 0.5 ln 2 + 0.5 · 2 ln 2 = 1.5 ln 2
    loss = categorical_cross_entropy([[0.5, 0.25, 0.25]], [[0.5, 0.5, 0.0]])
    np.testing.assert_allclose(loss, 1.5 * np.log(2.0), rtol=1e-15)


def test_sparse_cross_entropy_accepts_whole_number_float_labels() -> None:
    assert sparse_categorical_cross_entropy(P3, [0.0, 2.0]) == sparse_categorical_cross_entropy(
        P3, [0, 2]
    )


@pytest.mark.parametrize(
    ("logits", "labels", "expected"),
    [
        # softmax([0, ln 3]) = [1/4, 3/4]
        ([[0.0, np.log(3.0)]], [0], np.log(4.0)),
        ([[0.0, np.log(3.0)]], [1], np.log(4.0 / 3.0)),
        # equal logits: every class has probability 1/3
        ([[2.0, 2.0, 2.0]], [1], np.log(3.0)),
        # mean of the two rows above
        ([[0.0, np.log(3.0)], [5.0, 5.0]], [0, 1], (np.log(4.0) + np.log(2.0)) / 2),
    ],
    ids=["quarter", "three-quarters", "uniform", "batch-mean"],
)
def test_softmax_cross_entropy_by_hand(logits, labels, expected) -> None:
    np.testing.assert_allclose(softmax_cross_entropy(logits, labels), expected, rtol=1e-14)


def test_softmax_cross_entropy_gradient_by_hand() -> None:
    # (softmax − one_hot) / N with softmax([0, ln 3]) = [1/4, 3/4], label 0, N = 1
    grad = losses.softmax_cross_entropy_grad([[0.0, np.log(3.0)]], [0])
    np.testing.assert_allclose(grad, [[-0.75, 0.75]], rtol=1e-14)


@pytest.mark.parametrize("seed", range(5))
def test_categorical_with_one_hot_targets_equals_sparse_with_labels(seed) -> None:
    rng = np.random.default_rng(seed)
    p = softmax(rng.normal(size=(6, 4)))
    y = rng.integers(0, 4, size=6)
    one_hot = np.eye(4)[y]
    np.testing.assert_allclose(
        categorical_cross_entropy(p, one_hot), sparse_categorical_cross_entropy(p, y), rtol=1e-15
    )
    np.testing.assert_array_equal(
        losses.categorical_cross_entropy_grad(p, one_hot),
        losses.sparse_categorical_cross_entropy_grad(p, y),
    )


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=st.integers(1, 6), c=st.integers(2, 6))
def test_softmax_cross_entropy_equals_sparse_cross_entropy_of_softmax(data, n, c) -> None:
    logits = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-20, 20, allow_nan=False)))
    labels = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    np.testing.assert_allclose(
        softmax_cross_entropy(logits, labels),
        sparse_categorical_cross_entropy(softmax(logits), labels),
        rtol=1e-12,
        atol=1e-12,
    )
    # and its gradient is (softmax − one_hot) / N
    expected = (softmax(logits) - np.eye(c)[labels]) / n
    np.testing.assert_allclose(
        losses.softmax_cross_entropy_grad(logits, labels), expected, rtol=0, atol=1e-15
    )


# Every loss on a small valid input: (prediction, target).
VALID = {
    "mse": ([[1.0, 2.0], [3.0, 4.0]], [[0.0, 2.5], [3.0, 1.0]]),
    "mae": ([[1.0, 2.0], [3.0, 4.0]], [[0.0, 2.5], [3.0, 1.0]]),
    "binary_cross_entropy": ([0.9, 0.2, 0.5], [1.0, 0.0, 1.0]),
    "categorical_cross_entropy": (P3, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
    "sparse_categorical_cross_entropy": (P3, [0, 2]),
    "softmax_cross_entropy": ([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]], [0, 2]),
    "binary_cross_entropy_with_logits": ([2.2, -1.4, 0.0], [1.0, 0.0, 1.0]),
}


@pytest.mark.parametrize("name", LOSSES)
def test_loss_is_a_python_float_and_grad_a_float64_array_like_prediction(name) -> None:
    loss, grad = loss_and_grad(name)
    p, t = VALID[name]
    value = loss(p, t)
    assert type(value) is float
    g = grad(p, t)
    assert isinstance(g, np.ndarray)
    assert g.dtype == np.float64
    assert g.shape == np.shape(p)


@pytest.mark.parametrize("name", LOSSES)
def test_grad_does_not_share_memory_with_the_prediction(name) -> None:
    _, grad = loss_and_grad(name)
    p, t = (np.array(a) for a in VALID[name])
    assert not np.shares_memory(grad(p, t), p)


@pytest.mark.parametrize("name", LOSSES)
def test_loss_is_nonnegative(name) -> None:
    loss, _ = loss_and_grad(name)
    assert loss(*VALID[name]) >= 0.0


# ----------------------------------------------------------------- properties ---


@st.composite
def any_loss_inputs(draw) -> tuple[str, np.ndarray, np.ndarray]:
    """A loss name and a valid (prediction, target) pair of float64/int64 arrays."""
    name = draw(st.sampled_from(LOSSES))
    n, c = draw(st.integers(1, 5)), draw(st.integers(2, 5))
    unit = st.floats(0.0, 1.0)
    if name in ("mse", "mae"):
        shape = draw(st.sampled_from([(n,), (n, c)]))
        big = st.floats(-1e3, 1e3, allow_nan=False)
        return (
            name,
            draw(hnp.arrays(np.float64, shape, elements=big)),
            draw(hnp.arrays(np.float64, shape, elements=big)),
        )
    if name == "binary_cross_entropy":
        return (
            name,
            draw(hnp.arrays(np.float64, n, elements=unit)),
            draw(hnp.arrays(np.float64, n, elements=unit)),
        )
    if name == "binary_cross_entropy_with_logits":
        return (
            name,
            draw(hnp.arrays(np.float64, n, elements=st.floats(-1e3, 1e3))),
            draw(hnp.arrays(np.float64, n, elements=unit)),
        )
    if name == "categorical_cross_entropy":
        return (
            name,
            draw(hnp.arrays(np.float64, (n, c), elements=unit)),
            draw(hnp.arrays(np.float64, (n, c), elements=unit)),
        )
    labels = draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    if name == "sparse_categorical_cross_entropy":
        return name, draw(hnp.arrays(np.float64, (n, c), elements=unit)), labels
    logits = draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-1e3, 1e3)))
    return name, logits, labels


@settings(max_examples=80, deadline=None)
@given(any_loss_inputs())
def test_no_loss_or_gradient_mutates_its_inputs(case) -> None:
    name, p, t = case
    loss, grad = loss_and_grad(name)
    p0, t0 = p.copy(), t.copy()
    loss(p, t)
    grad(p, t)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(t, t0)


# ------------------------------------------------------------------ bad input ---

BOTH = [(name, fn) for name in LOSSES for fn in loss_and_grad(name)]
BOTH_IDS = [fn.__name__ for _, fn in BOTH]


def replace_first(a: Any, value: Any) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.flat[0] = value
    return a


@pytest.mark.parametrize(("name", "fn"), BOTH, ids=BOTH_IDS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("where", ["prediction", "target"])
def test_nan_or_infinite_input_raises_value_error_naming_finite(name, fn, bad, where) -> None:
    p, t = VALID[name]
    if where == "prediction":
        p = replace_first(p, bad)
    else:
        t = replace_first(t, bad)
    with pytest.raises(ValueError, match="must contain only finite numbers"):
        fn(p, t)


@pytest.mark.parametrize(("name", "fn"), BOTH, ids=BOTH_IDS)
@pytest.mark.parametrize("bad", ["0.5", None, ["a", "b"]], ids=repr)
@pytest.mark.parametrize("where", ["prediction", "target"])
def test_strings_or_none_raise_type_error(name, fn, bad, where) -> None:
    p, t = VALID[name]
    args = (bad, t) if where == "prediction" else (p, bad)
    with pytest.raises(TypeError, match=r"must be a (real )?number"):
        fn(*args)


ELEMENTWISE_PAIRS = [
    (fn, p_shape, t_shape)
    for name in ("mse", "mae", "binary_cross_entropy")
    for fn in loss_and_grad(name)
    for p_shape, t_shape in [((4,), (4, 1)), ((2, 3), (3, 2))]
] + [(fn, (2, 3), (2, 4)) for fn in loss_and_grad("categorical_cross_entropy")]


@pytest.mark.parametrize(
    ("fn", "p_shape", "t_shape"),
    ELEMENTWISE_PAIRS,
    ids=[f"{fn.__name__}-{p}-{t}" for fn, p, t in ELEMENTWISE_PAIRS],
)
def test_mismatched_shapes_raise_naming_both_shapes(fn, p_shape, t_shape) -> None:
    # (4,) against (4, 1) is the classic silent-broadcast bug: it must be refused
    message = re.escape(f"same shape, got prediction {p_shape} and target {t_shape}")
    with pytest.raises(ValueError, match=message):
        fn(np.full(p_shape, 0.5), np.full(t_shape, 0.5))


LABEL_LOSSES = [
    *loss_and_grad("sparse_categorical_cross_entropy"),
    *loss_and_grad("softmax_cross_entropy"),
]
LABEL_IDS = [fn.__name__ for fn in LABEL_LOSSES]


@pytest.mark.parametrize("fn", LABEL_LOSSES, ids=LABEL_IDS)
def test_label_count_different_from_sample_count_raises_naming_both(fn) -> None:
    with pytest.raises(ValueError, match="has 2 samples but labels has 3"):
        fn(np.full((2, 3), 1 / 3), [0, 1, 2])


@pytest.mark.parametrize("fn", LABEL_LOSSES, ids=LABEL_IDS)
def test_label_too_large_raises_naming_the_valid_range(fn) -> None:
    with pytest.raises(ValueError, match=r"labels in 0\.\.2 for 3 classes, got 3"):
        fn(np.full((2, 3), 1 / 3), [0, 3])


@pytest.mark.parametrize("fn", LABEL_LOSSES, ids=LABEL_IDS)
def test_negative_label_raises_naming_the_lower_bound(fn) -> None:
    with pytest.raises(ValueError, match="labels 0 and above, got -1"):
        fn(np.full((2, 3), 1 / 3), [0, -1])


@pytest.mark.parametrize("fn", LABEL_LOSSES, ids=LABEL_IDS)
def test_fractional_label_raises(fn) -> None:
    with pytest.raises(ValueError, match="whole-number class labels"):
        fn(np.full((2, 3), 1 / 3), [0, 1.5])


@pytest.mark.parametrize("fn", LABEL_LOSSES, ids=LABEL_IDS)
def test_one_hot_targets_where_labels_are_expected_raise(fn) -> None:
    with pytest.raises(ValueError, match="labels must be a 1-D array, got 2-D"):
        fn(np.full((2, 3), 1 / 3), np.eye(3)[[0, 1]])


PROBABILITY_CASES = (
    [
        (fn, where, value)
        for name in ("binary_cross_entropy", "categorical_cross_entropy")
        for fn in loss_and_grad(name)
        for where in ("prediction", "target")
        for value in (-0.1, 1.5)
    ]
    + [
        (fn, "target", value)
        for fn in loss_and_grad("binary_cross_entropy_with_logits")
        for value in (-0.1, 1.5)
    ]
    + [
        (fn, "prediction", value)
        for fn in loss_and_grad("sparse_categorical_cross_entropy")
        for value in (-0.1, 1.5)
    ]
)


@pytest.mark.parametrize(
    ("fn", "where", "value"),
    PROBABILITY_CASES,
    ids=[f"{fn.__name__}-{w}-{v}" for fn, w, v in PROBABILITY_CASES],
)
def test_probability_outside_zero_one_raises(fn, where, value) -> None:
    name = fn.__name__.removesuffix("_grad")
    p, t = VALID[name]
    if where == "prediction":
        p = replace_first(p, value)
    else:
        t = replace_first(t, value)
    with pytest.raises(ValueError, match=rf"{where} must hold probabilities in \[0, 1\]"):
        fn(p, t)


def test_probability_error_points_to_softmax_cross_entropy_for_raw_scores() -> None:
    with pytest.raises(ValueError, match="pass raw scores to softmax_cross_entropy"):
        categorical_cross_entropy([[2.0, -1.0]], [[1.0, 0.0]])


@pytest.mark.parametrize(
    "fn",
    [
        *loss_and_grad("categorical_cross_entropy"),
        *loss_and_grad("sparse_categorical_cross_entropy"),
        *loss_and_grad("softmax_cross_entropy"),
    ],
    ids=lambda fn: fn.__name__,
)
def test_class_losses_refuse_one_dimensional_predictions(fn) -> None:
    target = [1.0, 0.0] if fn.__name__.startswith("categorical") else [0]
    with pytest.raises(ValueError, match="2-D"):
        fn([0.5, 0.5], target)


@pytest.mark.parametrize(("name", "fn"), BOTH, ids=BOTH_IDS)
def test_empty_batch_raises(name, fn) -> None:
    if name in ("sparse_categorical_cross_entropy", "softmax_cross_entropy"):
        p, t = np.zeros((0, 3)), np.zeros(0, dtype=np.int64)
    elif name == "categorical_cross_entropy":
        p, t = np.zeros((0, 3)), np.zeros((0, 3))
    else:
        p, t = np.zeros(0), np.zeros(0)
    with pytest.raises(ValueError, match="at least one sample"):
        fn(p, t)


# ------------------------------------------------------------- from logits ---


def test_binary_cross_entropy_with_logits_is_bce_of_the_sigmoid() -> None:
    z = np.array([[2.2], [-1.4], [0.0], [0.7]])
    t = np.array([[1.0], [0.0], [1.0], [0.3]])
    p = 1.0 / (1.0 + np.exp(-z))
    assert losses.binary_cross_entropy_with_logits(z, t) == pytest.approx(
        binary_cross_entropy(p, t), rel=1e-14
    )
    np.testing.assert_allclose(
        losses.binary_cross_entropy_with_logits_grad(z, t), (p - t) / 4, rtol=1e-14
    )


def test_binary_cross_entropy_with_logits_is_exact_where_probabilities_clamp() -> None:
    # sigmoid(40) rounds to 1, so BCE of probabilities clamps log(1 - p) at -100 ...
    assert binary_cross_entropy([1 / (1 + np.exp(-40.0))], [0.0]) == 100.0
    # ... while from the logit the loss is log(1 + e^40) = 40 + log(1 + e^-40).
    assert losses.binary_cross_entropy_with_logits([40.0], [0.0]) == pytest.approx(40.0, rel=1e-15)
    assert losses.binary_cross_entropy_with_logits([-1000.0], [1.0]) == 1000.0


def test_binary_cross_entropy_with_logits_wants_one_score_per_sample() -> None:
    with pytest.raises(ValueError, match=r"shape \(N,\) or \(N, 1\)"):
        losses.binary_cross_entropy_with_logits(np.zeros((3, 2)), np.zeros((3, 2)))


def test_loss_layers_and_loss_functions_share_one_computation() -> None:
    # The layers of nbtext.layers call the kernels behind these functions: same numbers.
    from nbtext.layers import MeanSquaredError, SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy

    rng = np.random.default_rng(0)
    logits, labels = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    layer = SoftmaxCrossEntropy()
    assert layer.forward(logits, labels) == softmax_cross_entropy(logits, labels)
    np.testing.assert_array_equal(
        layer.backward(), losses.softmax_cross_entropy_grad(logits, labels)
    )
    z, t = rng.normal(size=(6, 1)), rng.integers(0, 2, size=6).astype(float)
    layer = SigmoidBinaryCrossEntropy()
    assert layer.forward(z, t) == losses.binary_cross_entropy_with_logits(z[:, 0], t)
    np.testing.assert_array_equal(
        layer.backward()[:, 0], losses.binary_cross_entropy_with_logits_grad(z[:, 0], t)
    )
    p, q = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    layer = MeanSquaredError()
    assert layer.forward(p, q) == mse(p, q)
    np.testing.assert_array_equal(layer.backward(), losses.mse_grad(p, q))
