"""Tests for nbtext.activations: gradient checks, known values, properties, bad input.

Stability at extreme inputs (±1000) lives in test_stability.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbtext import activations as act
from nbtext.activations import ACTIVATIONS, get_activation, sigmoid, sigmoid_grad, softmax
from nbtext.gradcheck import numerical_gradient, relative_error

H = 1e-5  # central-difference step (CS231n)
GRAD_TOL = 1e-7  # relative error allowed on a smooth path

LEAKY_ALPHAS = (0.0, 0.01, 0.2, 1.0, 3.0)
ELU_ALPHAS = (0.1, 1.0, 2.5)

# (activation, its derivative, keyword arguments) for every elementwise activation.
ELEMENTWISE = [
    pytest.param(act.step, act.step_grad, {}, id="step"),
    pytest.param(act.sigmoid, act.sigmoid_grad, {}, id="sigmoid"),
    pytest.param(act.tanh, act.tanh_grad, {}, id="tanh"),
    pytest.param(act.relu, act.relu_grad, {}, id="relu"),
    *[
        pytest.param(act.leaky_relu, act.leaky_relu_grad, {"alpha": a}, id=f"leaky_relu-{a}")
        for a in LEAKY_ALPHAS
    ],
    *[pytest.param(act.elu, act.elu_grad, {"alpha": a}, id=f"elu-{a}") for a in ELU_ALPHAS],
    pytest.param(act.identity, act.identity_grad, {}, id="identity"),
]

# (name, alpha) for get_activation: every name, and the alphas of those that take one.
BY_NAME = [
    *[pytest.param(n, None, id=n) for n in ACTIVATIONS],
    *[pytest.param("leaky_relu", a, id=f"leaky_relu-{a}") for a in LEAKY_ALPHAS],
    *[pytest.param("elu", a, id=f"elu-{a}") for a in ELU_ALPHAS],
]

# Every public array function, each as a one-argument callable.
PUBLIC: dict[str, Callable[[Any], np.ndarray]] = {
    "step": act.step,
    "step_grad": act.step_grad,
    "sigmoid": act.sigmoid,
    "sigmoid_grad": act.sigmoid_grad,
    "tanh": act.tanh,
    "tanh_grad": act.tanh_grad,
    "relu": act.relu,
    "relu_grad": act.relu_grad,
    "leaky_relu": act.leaky_relu,
    "leaky_relu_grad": act.leaky_relu_grad,
    "elu": act.elu,
    "elu_grad": act.elu_grad,
    "identity": act.identity,
    "identity_grad": act.identity_grad,
    "softmax": act.softmax,
    "softmax_axis0": lambda x: act.softmax(x, axis=0),
    "get_activation(leaky_relu).fn": get_activation("leaky_relu", alpha=0.3).fn,
    "get_activation(leaky_relu).grad": get_activation("leaky_relu", alpha=0.3).grad,
    "get_activation(elu).fn": get_activation("elu", alpha=0.5).fn,
    "get_activation(elu).grad": get_activation("elu", alpha=0.5).grad,
}


def away_from_kinks(seed: int, shape: tuple[int, ...] = (4, 5)) -> np.ndarray:
    """Float64 points of both signs with 2e-3 <= |x| <= 3: no kink within h of any point."""
    rng = np.random.default_rng(seed)
    return rng.uniform(2e-3, 3.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def check_elementwise_derivative(fn: Callable, grad: Callable, seed: int) -> float:
    """Relative error between ``grad`` and a central difference of ``fn``.

    The scalar is Σ fn(x) * w with random positive weights w, whose gradient is
    grad(x) * w: a mix-up between entries would show, unlike with a plain sum.
    """
    x = away_from_kinks(seed)
    w = np.random.default_rng(seed + 100).uniform(0.5, 1.5, size=x.shape)
    numeric = numerical_gradient(lambda z: np.sum(fn(z) * w), x, h=H)
    return relative_error(grad(x) * w, numeric)


# ---------------------------------------------------------- gradient checks ---


@pytest.mark.parametrize(("fn", "grad", "kwargs"), ELEMENTWISE)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_derivative_agrees_with_central_difference(fn, grad, kwargs, seed) -> None:
    err = check_elementwise_derivative(lambda z: fn(z, **kwargs), lambda z: grad(z, **kwargs), seed)
    assert err < GRAD_TOL


@pytest.mark.parametrize(("name", "alpha"), BY_NAME)
def test_get_activation_grad_agrees_with_its_fn_numerically(name, alpha) -> None:
    a = get_activation(name, alpha=alpha)
    assert a.name == name
    assert check_elementwise_derivative(a.fn, a.grad, seed=3) < GRAD_TOL


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if get_activation(n).grad_from_output])
def test_grad_from_output_equals_grad_at_the_same_input(name) -> None:
    a = get_activation(name)
    x = np.concatenate([away_from_kinks(4).ravel(), np.linspace(-40.0, 40.0, 161)])
    np.testing.assert_allclose(a.grad_from_output(a.fn(x)), a.grad(x), rtol=0, atol=1e-15)


def test_grad_from_output_is_set_exactly_where_the_output_determines_the_derivative() -> None:
    with_shortcut = {n for n in ACTIVATIONS if get_activation(n).grad_from_output is not None}
    assert with_shortcut == {"sigmoid", "tanh", "relu"}


@pytest.mark.parametrize(
    ("name", "fn", "grad"),
    [
        ("step", act.step, act.step_grad),
        ("sigmoid", act.sigmoid, act.sigmoid_grad),
        ("tanh", act.tanh, act.tanh_grad),
        ("relu", act.relu, act.relu_grad),
        ("leaky_relu", act.leaky_relu, act.leaky_relu_grad),
        ("elu", act.elu, act.elu_grad),
        ("identity", act.identity, act.identity_grad),
    ],
)
def test_get_activation_without_alpha_matches_the_module_functions(name, fn, grad) -> None:
    x = np.linspace(-3.0, 3.0, 13)  # includes 0
    a = get_activation(name)
    np.testing.assert_array_equal(a.fn(x), fn(x))
    np.testing.assert_array_equal(a.grad(x), grad(x))
    np.testing.assert_array_equal(a(x), fn(x))  # calling the object calls fn


@pytest.mark.parametrize("spelling", ["Leaky-ReLU", " leaky relu ", "LEAKY_RELU"])
def test_get_activation_accepts_case_hyphen_and_space_variants(spelling) -> None:
    assert get_activation(spelling).name == "leaky_relu"


# ------------------------------------------------------------- known values ---


def test_sigmoid_is_one_half_at_zero_with_slope_one_quarter() -> None:
    assert sigmoid(0.0) == 0.5
    assert sigmoid_grad(0.0) == 0.25


def test_sigmoid_grad_is_largest_at_zero() -> None:
    x = np.linspace(-10.0, 10.0, 2001)  # step 0.01, includes 0 exactly
    g = sigmoid_grad(x)
    assert g.max() == 0.25
    assert x[np.argmax(g)] == 0.0
    assert np.all(g[x != 0.0] < 0.25)


def test_step_over_arange_is_zero_up_to_zero_and_one_after() -> None:
    x = np.arange(-5.0, 5.0, 0.1)  # 100 points; x[50] is -1.8e-14, not 0, and rounds to "<= 0"
    expected = np.concatenate([np.zeros(51), np.ones(49)])
    np.testing.assert_array_equal(act.step(x), expected)
    np.testing.assert_array_equal(act.step_grad(x), np.zeros(100))


def test_step_is_zero_at_zero() -> None:
    assert act.step(0.0) == 0.0


@pytest.mark.parametrize(
    ("grad", "kwargs", "expected"),
    [
        (act.relu_grad, {}, 0.0),
        (act.leaky_relu_grad, {"alpha": 0.2}, 0.2),
        (act.elu_grad, {"alpha": 2.0}, 2.0),
        (act.step_grad, {}, 0.0),
    ],
    ids=["relu", "leaky_relu", "elu", "step"],
)
def test_derivative_at_the_kink_takes_the_left_hand_value(grad, kwargs, expected) -> None:
    assert grad(0.0, **kwargs) == expected


def test_piecewise_activations_on_hand_picked_points() -> None:
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu(x), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu_grad(x), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(act.leaky_relu(x, alpha=0.1), [-0.2, 0.0, 3.0], rtol=1e-15)
    np.testing.assert_array_equal(act.leaky_relu_grad(x, alpha=0.1), [0.1, 0.1, 1.0])
    np.testing.assert_array_equal(act.leaky_relu(x), [-0.02, 0.0, 3.0])  # default alpha 0.01
    # elu(-2) = alpha (e^-2 - 1); elu'(-2) = alpha e^-2
    np.testing.assert_allclose(act.elu(x, alpha=2.0), [2 * (np.exp(-2) - 1), 0, 3], rtol=1e-15)
    np.testing.assert_allclose(act.elu_grad(x, alpha=2.0), [2 * np.exp(-2), 2, 1], rtol=1e-15)
    np.testing.assert_allclose(act.elu(x), [np.exp(-2) - 1, 0, 3], rtol=1e-15)  # alpha 1
    np.testing.assert_array_equal(act.identity(x), x)
    np.testing.assert_array_equal(act.identity_grad(x), [1.0, 1.0, 1.0])


def test_smooth_activations_on_hand_picked_points() -> None:
    # sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4, σ' = 3/4 · 1/4 = 3/16
    np.testing.assert_allclose(sigmoid(np.log(3.0)), 0.75, rtol=1e-15)
    np.testing.assert_allclose(sigmoid_grad(np.log(3.0)), 3 / 16, rtol=1e-15)
    # tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 3/5, tanh' = 1 − 9/25 = 16/25
    np.testing.assert_allclose(act.tanh(np.log(2.0)), 0.6, rtol=1e-15)
    np.testing.assert_allclose(act.tanh_grad(np.log(2.0)), 0.64, rtol=1e-15)
    assert act.tanh(0.0) == 0.0
    assert act.tanh_grad(0.0) == 1.0


def test_softmax_of_a_textbook_example() -> None:
    np.testing.assert_allclose(
        softmax([0.3, 2.9, 4.0]), [0.01821127, 0.24519181, 0.73659691], rtol=0, atol=1e-8
    )


def test_softmax_of_large_scores_is_finite_and_equals_the_shifted_scores() -> None:
    big = softmax([1010.0, 1000.0, 990.0])
    assert np.all(np.isfinite(big))
    np.testing.assert_allclose(big, softmax([20.0, 10.0, 0.0]), rtol=1e-15, atol=0)


def test_softmax_axis_zero_normalises_columns_and_axis_minus_one_rows() -> None:
    x = np.array([[1.0, 2.0, 3.0], [4.0, 0.0, -1.0]])
    rows = softmax(x)  # default axis=-1
    cols = softmax(x, axis=0)
    np.testing.assert_allclose(rows.sum(axis=1), [1.0, 1.0], rtol=1e-15)
    np.testing.assert_allclose(cols.sum(axis=0), [1.0, 1.0, 1.0], rtol=1e-15)
    np.testing.assert_allclose(cols, softmax(x.T, axis=-1).T, rtol=1e-15)
    np.testing.assert_array_equal(softmax(x, axis=1), rows)
    # column 0 by hand: e^1 / (e^1 + e^4) = 1 / (1 + e^3)
    np.testing.assert_allclose(cols[0, 0], 1.0 / (1.0 + np.exp(3.0)), rtol=1e-15)


def test_softmax_of_equal_scores_is_uniform() -> None:
    np.testing.assert_allclose(softmax(np.full((2, 4), 7.0)), np.full((2, 4), 0.25), rtol=1e-15)


@pytest.mark.parametrize("name", list(PUBLIC))
@pytest.mark.parametrize(
    "x",
    [[[1, -2, 3], [0, 5, -6]], np.array([[1.5, -2.0], [0.0, 3.0]], dtype=np.float32)],
    ids=["int-list", "float32"],
)
def test_every_function_returns_a_new_float64_array_of_the_input_shape(name, x) -> None:
    out = PUBLIC[name](x)
    assert isinstance(out, np.ndarray)
    assert out.dtype == np.float64
    assert out.shape == np.shape(x)


@pytest.mark.parametrize("name", list(PUBLIC))
def test_every_function_returns_memory_independent_of_a_float64_input(name) -> None:
    # as_float_array does not copy float64 input, so this is where aliasing would show
    x = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -0.5]])
    assert not np.shares_memory(PUBLIC[name](x), x)


# ----------------------------------------------------------------- properties ---

FINITE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
FINITE_2D = hnp.arrays(
    np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8), elements=FINITE
)
FINITE_ANY = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3), elements=FINITE)


@settings(max_examples=100, deadline=None)
@given(FINITE_2D)
def test_softmax_rows_sum_to_one_and_keep_the_order_of_their_scores(x) -> None:
    p = softmax(x)
    assert np.all(np.isfinite(p))
    assert np.all((p >= 0.0) & (p <= 1.0))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    for scores, probs in zip(x, p, strict=True):
        # Sorting by probability, ties broken by score, must give the order of the
        # scores: larger score -> probability no smaller; equal score -> equal probability.
        # (Distinct scores may share a probability only when both underflow or round
        # to the same float.)
        np.testing.assert_array_equal(
            np.lexsort((scores, probs)), np.argsort(scores, kind="stable")
        )
        for value in np.unique(scores):
            assert np.ptp(probs[scores == value]) == 0.0


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.integers(2, 8),
        elements=st.floats(-30, 30, allow_nan=False, allow_infinity=False),
        unique=True,
    )
)
def test_softmax_of_distinct_moderate_scores_has_the_same_argsort(x) -> None:
    # Within ±30 nothing underflows, and scores at least 1e-6 apart give probabilities
    # at least a factor e^(1e-6) apart, far more than rounding.
    assume(np.min(np.diff(np.sort(x))) >= 1e-6)
    np.testing.assert_array_equal(np.argsort(softmax(x)), np.argsort(x))


@settings(max_examples=100, deadline=None)
@given(FINITE_ANY)
def test_sigmoid_lies_in_zero_one_and_is_antisymmetric_about_one_half(x) -> None:
    s = sigmoid(x)
    assert np.all((s >= 0.0) & (s <= 1.0))
    np.testing.assert_allclose(sigmoid(-x), 1.0 - s, rtol=0, atol=1e-15)
    g = sigmoid_grad(x)
    assert np.all((g >= 0.0) & (g <= 0.25))


@settings(max_examples=50, deadline=None)
@given(FINITE_ANY)
def test_tanh_is_odd_and_bounded(x) -> None:
    t = act.tanh(x)
    assert np.all(np.abs(t) <= 1.0)
    np.testing.assert_array_equal(act.tanh(-x), -t)


@settings(max_examples=50, deadline=None)
@given(x=FINITE_2D)
def test_no_activation_mutates_its_input(x) -> None:
    original = x.copy()
    for fn in PUBLIC.values():
        fn(x)
        np.testing.assert_array_equal(x, original)


# ------------------------------------------------------------------ bad input ---


@pytest.mark.parametrize("name", list(PUBLIC))
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_nan_or_infinite_input_raises_value_error_naming_finite(name, bad) -> None:
    with pytest.raises(ValueError, match="finite"):
        PUBLIC[name](np.array([[1.0, bad], [0.0, 2.0]]))


@pytest.mark.parametrize("name", list(PUBLIC))
@pytest.mark.parametrize("bad", ["1.0", None, ["a", "b"], [1.0, None]], ids=repr)
def test_strings_or_none_raise_type_error(name, bad) -> None:
    with pytest.raises(TypeError, match="number"):
        PUBLIC[name](bad)


def test_unknown_activation_name_lists_every_valid_name() -> None:
    with pytest.raises(ValueError, match="unknown activation 'softplus'") as info:
        get_activation("softplus")
    for name in ACTIVATIONS:
        assert name in str(info.value)


def test_activation_name_that_is_not_a_string_raises_type_error() -> None:
    with pytest.raises(TypeError, match="must be a string"):
        get_activation(None)


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n not in ("leaky_relu", "elu")])
def test_alpha_on_an_activation_without_one_raises(name) -> None:
    with pytest.raises(
        ValueError, match=f"alpha only applies to 'leaky_relu' and 'elu', not '{name}'"
    ):
        get_activation(name, alpha=0.1)


@pytest.mark.parametrize(
    "call",
    [
        lambda: act.leaky_relu([1.0], alpha=-0.1),
        lambda: act.leaky_relu_grad([1.0], alpha=-0.1),
        lambda: act.elu([1.0], alpha=-1.0),
        lambda: act.elu_grad([1.0], alpha=np.nan),
        lambda: get_activation("elu", alpha=-1.0),
        lambda: get_activation("leaky_relu", alpha=np.inf),
    ],
    ids=["leaky", "leaky_grad", "elu", "elu_grad-nan", "get-elu", "get-leaky-inf"],
)
def test_negative_or_nonfinite_alpha_raises_value_error(call) -> None:
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        call()


def test_alpha_that_is_not_a_number_raises_type_error() -> None:
    with pytest.raises(TypeError, match="alpha must be a number"):
        act.leaky_relu([1.0], alpha="0.1")


@pytest.mark.parametrize("axis", [2, -3])
def test_softmax_axis_out_of_range_names_the_valid_range(axis) -> None:
    with pytest.raises(ValueError, match=r"axis must be in \[-2, 1\] for a 2-D array"):
        softmax(np.zeros((2, 3)), axis=axis)


def test_softmax_of_a_single_number_raises() -> None:
    with pytest.raises(ValueError, match="at least a 1-D array"):
        softmax(3.0)


def test_sigmoid_grad_is_even_and_accurate_in_both_tails() -> None:
    x = np.linspace(0.0, 700.0, 7001)
    g = sigmoid_grad(x)
    np.testing.assert_array_equal(sigmoid_grad(-x), g)  # exactly even
    exact = 0.25 / np.cosh(x / 2) ** 2  # the same function, with no subtraction in it
    np.testing.assert_allclose(g, exact, rtol=1e-13, atol=0)
    assert sigmoid_grad(40.0) > 0  # 4.2e-18, not 0 from 1 - sigmoid(40) rounding to 0
    tiny = np.array([0.0, 1e-12, 1e-9, 3e-9, 1e-8, 1e-7])  # where rounding could pass 1/4
    assert np.all(sigmoid_grad(np.concatenate([tiny, -tiny])) <= 0.25)
