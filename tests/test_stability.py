"""Numerical stability: extreme but valid inputs give finite, correct answers, no warnings.

pyproject.toml turns every warning into an error, so a RuntimeWarning from NumPy
(overflow in exp, divide by zero in log, invalid value in multiply) fails these
tests. On top of that each call runs under ``np.errstate`` set to raise.

Underflow is the one floating-point event allowed at ±1000: e^-2000 rounding to
0.0 *is* the correctly rounded answer (sigmoid(-1000) = 0.0 is the contract), so
those calls raise on overflow, division by zero and invalid operations only.
Calls that should not even underflow run with ``all="raise"``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbtext import activations as act
from nbtext import losses
from nbtext.losses import LOG_FLOOR, softmax_cross_entropy, softmax_cross_entropy_grad


def raise_except_underflow() -> np.errstate:
    return np.errstate(over="raise", divide="raise", invalid="raise", under="ignore")


EXTREMES = np.array([[-1000.0, -745.0, -1.0, 0.0], [1.0, 709.0, 710.0, 1000.0]])

# (function, keyword arguments) for every activation and derivative.
FUNCTIONS = [
    pytest.param(fn, kw, id=f"{fn.__name__}{'-' + str(kw['alpha']) if kw else ''}")
    for base, kws in [
        ("step", [{}]),
        ("sigmoid", [{}]),
        ("tanh", [{}]),
        ("relu", [{}]),
        ("leaky_relu", [{}, {"alpha": 0.0}, {"alpha": 3.0}]),
        ("elu", [{}, {"alpha": 0.1}, {"alpha": 2.5}]),
        ("identity", [{}]),
    ]
    for kw in kws
    for fn in (getattr(act, base), getattr(act, f"{base}_grad"))
]


# ------------------------------------------------------------- activations ---


@pytest.mark.parametrize(("fn", "kwargs"), FUNCTIONS)
def test_activation_and_derivative_are_finite_at_plus_minus_1000(fn, kwargs) -> None:
    with raise_except_underflow():
        out = fn(EXTREMES, **kwargs)
    assert out.shape == EXTREMES.shape
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize(("fn", "kwargs"), FUNCTIONS)
def test_activation_and_derivative_raise_nothing_on_moderate_input(fn, kwargs) -> None:
    x = np.linspace(-30.0, 30.0, 61)  # e^-30 ≈ 1e-13: no underflow anywhere
    with np.errstate(all="raise"):
        assert np.all(np.isfinite(fn(x, **kwargs)))


def test_sigmoid_saturates_to_exactly_zero_and_one() -> None:
    with raise_except_underflow():
        s = act.sigmoid([-1000.0, 1000.0])
        g = act.sigmoid_grad([-1000.0, 1000.0])
    np.testing.assert_array_equal(s, [0.0, 1.0])
    np.testing.assert_array_equal(g, [0.0, 0.0])


def test_tanh_saturates_to_exactly_minus_one_and_one() -> None:
    with raise_except_underflow():
        np.testing.assert_array_equal(act.tanh([-1000.0, 1000.0]), [-1.0, 1.0])
        np.testing.assert_array_equal(act.tanh_grad([-1000.0, 1000.0]), [0.0, 0.0])


@pytest.mark.parametrize("alpha", [0.1, 1.0, 2.5])
def test_elu_at_minus_1000_is_minus_alpha_with_zero_slope_and_linear_at_1000(alpha) -> None:
    with raise_except_underflow():
        np.testing.assert_array_equal(act.elu([-1000.0, 1000.0], alpha=alpha), [-alpha, 1000.0])
        np.testing.assert_array_equal(act.elu_grad([-1000.0, 1000.0], alpha=alpha), [0.0, 1.0])


def test_piecewise_linear_activations_are_exact_at_plus_minus_1000() -> None:
    x = [-1000.0, 1000.0]
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(act.relu(x), [0.0, 1000.0])
        np.testing.assert_array_equal(act.leaky_relu(x, alpha=0.01), [-10.0, 1000.0])
        np.testing.assert_array_equal(act.identity(x), x)
        np.testing.assert_array_equal(act.step(x), [0.0, 1.0])


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([1000.0, -1000.0], [1.0, 0.0]),
        ([-1000.0, -1000.0, -1000.0], [1 / 3, 1 / 3, 1 / 3]),
        ([1000.0, 1000.0], [0.5, 0.5]),
        ([1000.0, 999.0], [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))]),
    ],
    ids=["one-wins", "all-very-negative", "tie-at-1000", "close-at-1000"],
)
def test_softmax_at_plus_minus_1000_is_finite_and_correct(scores, expected) -> None:
    with raise_except_underflow():
        p = act.softmax(scores)
    np.testing.assert_allclose(p, expected, rtol=1e-15, atol=0)


def test_softmax_of_a_batch_of_extremes_along_either_axis() -> None:
    with raise_except_underflow():
        for axis in (0, -1):
            p = act.softmax(EXTREMES, axis=axis)
            assert np.all(np.isfinite(p))
            np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=0, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=2, max_side=6),
        elements=st.floats(-1e3, 1e3, allow_nan=False),
    )
)
def test_every_activation_is_finite_for_any_input_up_to_1000(x) -> None:
    with raise_except_underflow():
        for param in FUNCTIONS:
            fn, kwargs = param.values
            assert np.all(np.isfinite(fn(x, **kwargs)))
        assert np.all(np.isfinite(act.softmax(x)))


# ------------------------------------------------------------------ losses ---


@pytest.mark.parametrize("name", ["mse", "mae"])
def test_regression_losses_at_plus_minus_1000(name) -> None:
    p = np.array([[1000.0, -1000.0], [1000.0, 0.0]])
    t = np.array([[-1000.0, 1000.0], [1000.0, 0.0]])
    # errors ±2000 twice and 0 twice: mse = 2 · 2000² / 4, mae = 2 · 2000 / 4
    expected = {"mse": 2e6, "mae": 1000.0}[name]
    with np.errstate(all="raise"):
        loss = getattr(losses, name)(p, t)
        grad = getattr(losses, f"{name}_grad")(p, t)
    assert loss == expected
    assert np.all(np.isfinite(grad))


# Probabilities of exactly 0 and 1: two rows right with certainty, two wrong with
# certainty. Each certain mistake costs −LOG_FLOOR = 100 (PyTorch's clamp of log at −100).
CERTAIN = {
    "binary_cross_entropy": ([0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]),
    "categorical_cross_entropy": (
        [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]],
        [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]],
    ),
    "sparse_categorical_cross_entropy": (
        [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]],
        [0, 1, 1, 0],
    ),
}


@pytest.mark.parametrize("name", list(CERTAIN))
def test_probability_losses_at_exactly_zero_and_one_are_finite_and_clamped(name) -> None:
    p, t = CERTAIN[name]
    with np.errstate(all="raise"):
        loss = getattr(losses, name)(p, t)
        grad = getattr(losses, f"{name}_grad")(p, t)
    # (0 + 0 + 100 + 100) / 4 samples
    assert loss == -2 * LOG_FLOOR / 4 == 50.0
    assert np.all(np.isfinite(grad))


@pytest.mark.parametrize("name", list(CERTAIN))
def test_probability_losses_are_zero_when_every_answer_is_certain_and_right(name) -> None:
    p, t = CERTAIN[name]
    p, t = p[:2], t[:2]  # only the right answers
    with np.errstate(all="raise"):
        assert getattr(losses, name)(p, t) == 0.0
        assert np.all(np.isfinite(getattr(losses, f"{name}_grad")(p, t)))


def test_binary_cross_entropy_gradient_at_a_certain_mistake_points_the_right_way() -> None:
    # p = 0 with t = 1 must push p up (negative gradient); p = 1 with t = 0 push it down
    with np.errstate(all="raise"):
        g = losses.binary_cross_entropy_grad([0.0, 1.0], [1.0, 0.0])
    assert g[0] < 0 < g[1]
    assert np.all(np.isfinite(g))


@pytest.mark.parametrize(
    ("logits", "labels", "expected_loss", "expected_grad"),
    [
        # log-sum-exp([1000, -1000]) = 1000 (+ log(1 + e^-2000) = 0); loss = 1000 − a_y
        ([[1000.0, -1000.0]], [1], 2000.0, [[1.0, -1.0]]),
        ([[1000.0, -1000.0]], [0], 0.0, [[0.0, 0.0]]),
        ([[-1000.0, 1000.0]], [0], 2000.0, [[-1.0, 1.0]]),
        ([[1000.0, 1000.0]], [0], np.log(2.0), [[-0.5, 0.5]]),
        # row 0: 1000 − 0 = 1000; row 1: 0; mean over N = 2
        (
            [[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]],
            [2, 1],
            500.0,
            [[0.5, 0.0, -0.5], [0.0, 0.0, 0.0]],
        ),
    ],
    ids=["wrong-by-2000", "right-by-2000", "wrong-other-way", "tie-at-1000", "batch"],
)
def test_softmax_cross_entropy_is_exact_at_logits_of_plus_minus_1000(
    logits, labels, expected_loss, expected_grad
) -> None:
    with raise_except_underflow():
        loss = softmax_cross_entropy(logits, labels)
        grad = softmax_cross_entropy_grad(logits, labels)
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-15, atol=0)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-15, atol=0)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=st.integers(1, 5), c=st.integers(2, 5))
def test_softmax_cross_entropy_is_finite_with_rows_of_gradient_summing_to_zero(data, n, c) -> None:
    logits = data.draw(
        hnp.arrays(np.float64, (n, c), elements=st.floats(-1e3, 1e3, allow_nan=False))
    )
    labels = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    with raise_except_underflow():
        loss = softmax_cross_entropy(logits, labels)
        grad = softmax_cross_entropy_grad(logits, labels)
    # the loss is at least the gap between the best logit and the true one, and at
    # most that gap plus log C
    gap = np.mean(logits.max(axis=1) - logits[np.arange(n), labels])
    assert gap - 1e-9 <= loss <= gap + np.log(c) + 1e-9
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, rtol=0, atol=1e-15)
