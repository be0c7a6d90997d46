"""Tests for nbtext.gradcheck: the numerical gradient, the relative error and the check helpers.

The helpers are only worth something if they catch a wrong backward pass, so
each one is also run on a deliberately broken layer or model.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbtext.gradcheck import check_layer, check_model, numerical_gradient, relative_error
from nbtext.layers import Activation, Dense
from nbtext.network import MLP

TOL = 1e-7  # CS231n: above this on a smooth path means a bug

finite_floats = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
float_arrays = hnp.arrays(
    np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=finite_floats
)


# ------------------------------------------------------- numerical_gradient --

KNOWN_GRADIENTS = {
    "sum of squares": (lambda x: np.sum(x**2), lambda x: 2 * x),
    "sum of sines": (lambda x: np.sum(np.sin(x)), np.cos),
    "sum of cubes / 3": (lambda x: np.sum(x**3) / 3, lambda x: x**2),
    "log-sum-exp": (
        lambda x: np.log(np.sum(np.exp(x))),
        lambda x: np.exp(x) / np.sum(np.exp(x)),
    ),
    "product of first two": (
        lambda x: x.flat[0] * x.flat[1],
        lambda x: np.concatenate([[x.flat[1], x.flat[0]], np.zeros(x.size - 2)]).reshape(x.shape),
    ),
}


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)])
@pytest.mark.parametrize("name", KNOWN_GRADIENTS)
def test_numerical_gradient_matches_known_gradient(name, shape):
    f, grad = KNOWN_GRADIENTS[name]
    x = np.random.default_rng(0).uniform(0.5, 1.5, size=shape)
    numeric = numerical_gradient(f, x)
    assert numeric.shape == x.shape
    assert numeric.dtype == np.float64
    assert relative_error(numeric, grad(x)) < TOL


def test_numerical_gradient_of_quadratic_form_is_symmetrised_matrix_times_x():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    numeric = numerical_gradient(lambda v: v @ A @ v, x)
    assert relative_error(numeric, (A + A.T) @ x) < TOL


def test_numerical_gradient_works_through_a_closure_that_ignores_its_argument():
    w = np.array([1.0, -2.0, 3.0])
    numeric = numerical_gradient(lambda _: float(np.sum(w**2)), w)
    assert relative_error(numeric, 2 * w) < TOL


def test_numerical_gradient_uses_central_differences_with_step_h():
    # For f(x) = x**3 the central difference is exactly 3x² + h², the forward one 3x² + 3xh + h².
    x = np.array([2.0])
    h = 1e-2
    numeric = numerical_gradient(lambda v: float(v[0] ** 3), x, h=h)
    assert numeric[0] == pytest.approx(3 * 4 + h**2, rel=1e-10)


@settings(max_examples=50, deadline=None)
@given(float_arrays)
def test_numerical_gradient_restores_x_bit_for_bit(x):
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(v)), x)
    assert x.tobytes() == before.tobytes()


def test_numerical_gradient_restores_float32_x_bit_for_bit():
    x = np.random.default_rng(2).normal(size=(3, 3)).astype(np.float32)
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(v**2)), x, h=1e-2)
    assert x.dtype == np.float32
    assert x.tobytes() == before.tobytes()


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
def test_numerical_gradient_refuses_non_float_arrays_naming_the_dtype(dtype):
    x = np.ones(3, dtype=dtype)
    with pytest.raises(TypeError, match=f"dtype {np.dtype(dtype)}"):
        numerical_gradient(lambda v: float(np.sum(v)), x)


@pytest.mark.parametrize(
    "x", [[1.0, 2.0], (1.0,), 3.0, None], ids=["list", "tuple", "float", "None"]
)
def test_numerical_gradient_refuses_non_arrays(x):
    with pytest.raises(TypeError, match="NumPy float array"):
        numerical_gradient(lambda v: 0.0, x)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_numerical_gradient_refuses_non_finite_x(bad):
    with pytest.raises(ValueError, match="finite"):
        numerical_gradient(lambda v: 0.0, np.array([1.0, bad]))


@pytest.mark.parametrize("h", [0.0, -1e-5, np.inf])
def test_numerical_gradient_refuses_non_positive_or_infinite_h(h):
    with pytest.raises(ValueError, match="h must be a positive"):
        numerical_gradient(lambda v: 0.0, np.ones(2), h=h)


def test_numerical_gradient_refuses_f_returning_an_array():
    with pytest.raises(ValueError, match="single number"):
        numerical_gradient(lambda v: v * 2, np.ones(3))


def test_numerical_gradient_perturbs_a_strided_view_in_place():
    base = np.arange(12.0).reshape(3, 4)
    x = base[:, ::2]  # strided, but flattenable without a copy
    numeric = numerical_gradient(lambda v: float(np.sum(v**2)), x)
    assert relative_error(numeric, 2 * x) < TOL
    assert np.array_equal(base, np.arange(12.0).reshape(3, 4))


def test_numerical_gradient_refuses_x_it_cannot_perturb_in_place():
    x = np.ones((4, 3)).T  # flattening a transpose needs a copy
    with pytest.raises(ValueError, match="contiguous"):
        numerical_gradient(lambda v: float(np.sum(v)), x)


# ----------------------------------------------------------- relative_error --


def test_relative_error_known_values():
    assert relative_error([1.0], [1.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == 1.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0, 1.0], [1.0, 2.0]) == pytest.approx(1 / 3)  # max over entries
    assert relative_error([1.0], [1.0 + 2e-9]) == pytest.approx(1e-9, rel=1e-3)
    # the 1e-8 floor keeps two tiny numbers from looking wildly different
    assert relative_error([0.0], [1e-9]) == pytest.approx(0.1)


@given(float_arrays)
def test_relative_error_of_an_array_with_itself_is_zero(a):
    assert relative_error(a, a) == 0.0


@given(st.data())
def test_relative_error_is_symmetric_and_between_zero_and_one(data):
    a = data.draw(float_arrays)
    b = data.draw(hnp.arrays(np.float64, a.shape, elements=finite_floats))
    err = relative_error(a, b)
    assert err == relative_error(b, a)
    assert 0.0 <= err <= 1.0


@given(st.data(), st.floats(1e-3, 1e3))
def test_relative_error_is_scale_invariant_above_the_floor(data, scale):
    a = data.draw(hnp.arrays(np.float64, 4, elements=st.floats(1.0, 10.0)))
    b = data.draw(hnp.arrays(np.float64, 4, elements=st.floats(1.0, 10.0)))
    assert relative_error(scale * a, scale * b) == pytest.approx(
        relative_error(a, b), rel=1e-9, abs=1e-15
    )


def test_relative_error_refuses_different_shapes():
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))


def test_relative_error_refuses_non_numeric_input():
    with pytest.raises(TypeError, match="a must be"):
        relative_error("abc", [1.0])


def test_relative_error_of_empty_arrays_is_zero():
    assert relative_error(np.zeros(0), np.zeros(0)) == 0.0


# -------------------------------------------------- check_layer / check_model --


class DenseWithWrongWeightGradient(Dense):
    """dW off by a factor of 2: the bug check_layer must catch (and pin on "W")."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.grads["W"] = 2 * self.grads["W"]
        return dx


class DenseWithWrongInputGradient(Dense):
    """dx uses W instead of Wᵀ on a square layer: shapes fit, numbers do not."""

    def backward(self, dout):
        super().backward(dout)
        return dout @ self.params["W"]


class SigmoidWithTanhDerivative(Activation):
    def backward(self, dout):
        return dout * (1 - np.tanh(self._x) ** 2)


def _layer_inputs(n_in, n_out, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(4, n_in)), rng.normal(size=(4, n_out))


def test_check_layer_reports_tiny_errors_for_a_correct_dense_layer():
    layer = Dense(3, 2, rng=np.random.default_rng(0))
    x, dout = _layer_inputs(3, 2)
    errors = check_layer(layer, x, dout)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < TOL


def test_check_layer_catches_a_wrong_weight_gradient_and_names_it():
    layer = DenseWithWrongWeightGradient(3, 2, rng=np.random.default_rng(0))
    x, dout = _layer_inputs(3, 2)
    errors = check_layer(layer, x, dout)
    assert errors["W"] == pytest.approx(1 / 3, rel=1e-6)  # |2g − g| / (|2g| + |g|)
    assert errors["x"] < TOL
    assert errors["b"] < TOL


def test_check_layer_catches_a_wrong_input_gradient():
    layer = DenseWithWrongInputGradient(3, 3, rng=np.random.default_rng(0))
    x, dout = _layer_inputs(3, 3)
    errors = check_layer(layer, x, dout)
    assert errors["x"] > 0.1
    assert errors["W"] < TOL


def test_check_layer_catches_a_wrong_activation_derivative():
    x, dout = _layer_inputs(3, 3)
    assert check_layer(SigmoidWithTanhDerivative("sigmoid"), x, dout)["x"] > 0.1
    assert check_layer(Activation("sigmoid"), x, dout)["x"] < TOL


def test_check_layer_leaves_the_layer_parameters_and_caller_arrays_unchanged():
    layer = Dense(3, 2, rng=np.random.default_rng(0))
    W, b = layer.params["W"], layer.params["b"]
    W_before, b_before = W.copy(), b.copy()
    x, dout = _layer_inputs(3, 2)
    x.setflags(write=False)
    dout.setflags(write=False)
    check_layer(layer, x, dout)
    assert layer.params["W"] is W and layer.params["b"] is b
    assert W.tobytes() == W_before.tobytes() and b.tobytes() == b_before.tobytes()


class MLPWithWrongFirstLayerGradient(MLP):
    def backward(self):
        grads = super().backward()
        grads["W1"] = grads["W1"] * 1.5
        return grads


def _xor():
    return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1, 0])


def test_check_model_reports_tiny_errors_for_a_correct_mlp():
    X, y = _xor()
    errors = check_model(MLP([2, 3, 2], "tanh", "softmax", seed=0), X, y)
    assert set(errors) == {"W1", "b1", "W2", "b2"}
    assert max(errors.values()) < TOL


def test_check_model_catches_a_wrong_gradient_and_names_the_parameter():
    X, y = _xor()
    errors = check_model(MLPWithWrongFirstLayerGradient([2, 3, 2], "tanh", "softmax", seed=0), X, y)
    assert errors["W1"] == pytest.approx(0.2, rel=1e-5)  # |1.5g − g| / (1.5|g| + |g|)
    assert max(errors[k] for k in ("b1", "W2", "b2")) < TOL


def test_check_model_leaves_the_model_parameters_unchanged():
    X, y = _xor()
    model = MLP([2, 3, 2], "tanh", "softmax", seed=0)
    before = {k: v.copy() for k, v in model.params.items()}
    check_model(model, X, y)
    for key, value in model.params.items():
        assert value.tobytes() == before[key].tobytes()
