"""Tests for nbtext.layers: shapes, gradient checks, initialisation, no mutation, misuse."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbtext.activations import ACTIVATIONS
from nbtext.gradcheck import check_layer, numerical_gradient, relative_error
from nbtext.initializers import initial_std
from nbtext.layers import (
    Activation,
    Dense,
    Dropout,
    MeanSquaredError,
    SigmoidBinaryCrossEntropy,
    SoftmaxCrossEntropy,
)

TOL = 1e-7
INITS = ["he", "xavier", 0.5]
KINKED = {"step", "relu", "leaky_relu", "elu"}


def read_only(*arrays):
    """Freeze arrays so any write into them raises: the strictest no-mutation test."""
    for a in arrays:
        a.setflags(write=False)
    return arrays


def away_from_kinks(rng, shape, gap=0.1):
    """Random inputs with |x| >= gap, so no central difference straddles x = 0."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(gap, 2.0, size=shape)


# -------------------------------------------------------------------- Dense --


def test_dense_shapes_of_output_input_gradient_and_parameter_gradients():
    layer = Dense(3, 5, rng=np.random.default_rng(0))
    assert layer.params["W"].shape == (3, 5)
    assert layer.params["b"].shape == (5,)
    x = np.ones((7, 3))
    assert layer.forward(x).shape == (7, 5)
    assert layer.backward(np.ones((7, 5))).shape == (7, 3)
    assert layer.grads["W"].shape == (3, 5)
    assert layer.grads["b"].shape == (5,)


def test_dense_forward_is_x_at_W_plus_b():
    layer = Dense(2, 2, rng=np.random.default_rng(0))
    layer.params["W"][...] = [[1.0, 2.0], [3.0, 4.0]]
    layer.params["b"][...] = [10.0, 20.0]
    np.testing.assert_array_equal(layer.forward(np.array([[1.0, 1.0]])), [[14.0, 26.0]])


def test_dense_forward_uses_the_live_params_arrays():
    layer = Dense(3, 2, rng=np.random.default_rng(0))
    layer.params["W"][...] = 0.0  # an optimizer writes in place like this
    layer.params["b"][...] = [1.0, -1.0]
    np.testing.assert_array_equal(layer.forward(np.ones((2, 3))), [[1.0, -1.0], [1.0, -1.0]])


@pytest.mark.parametrize("init", INITS)
def test_dense_backward_passes_gradient_check(init):
    rng = np.random.default_rng(1)
    layer = Dense(4, 3, rng=rng, init=init)
    layer.params["b"][...] = rng.normal(size=3)
    errors = check_layer(layer, rng.normal(size=(5, 4)), rng.normal(size=(5, 3)))
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < TOL, errors


@given(st.integers(0, 2**32 - 1))
def test_dense_same_seed_gives_identical_weights(seed):
    a = Dense(4, 3, rng=np.random.default_rng(seed))
    b = Dense(4, 3, rng=np.random.default_rng(seed))
    assert a.params["W"].tobytes() == b.params["W"].tobytes()
    np.testing.assert_array_equal(a.params["b"], np.zeros(3))


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_dense_different_seeds_give_different_weights(s1, s2):
    if s1 == s2:
        return
    a = Dense(4, 3, rng=np.random.default_rng(s1))
    b = Dense(4, 3, rng=np.random.default_rng(s2))
    assert not np.array_equal(a.params["W"], b.params["W"])


@pytest.mark.parametrize(
    ("init", "expected_std"),
    [
        ("he", np.sqrt(2 / 1000)),
        ("xavier", np.sqrt(2 / 1500)),
        (0.05, 0.05),
        ("HE", np.sqrt(2 / 1000)),
    ],
)
def test_dense_init_has_the_right_standard_deviation_on_a_big_layer(init, expected_std):
    W = Dense(1000, 500, rng=np.random.default_rng(0), init=init).params["W"]
    # 500 000 draws: the sample std is within ~0.1 % of the truth, the mean within ~5e-6.
    assert W.std() == pytest.approx(expected_std, rel=0.01)
    assert abs(W.mean()) < 5 * expected_std / np.sqrt(W.size)
    assert initial_std(init, 1000, 500) == pytest.approx(expected_std)


def test_dense_init_weights_are_gaussian_not_uniform():
    W = Dense(1000, 500, rng=np.random.default_rng(0), init=1.0).params["W"]
    # a normal puts ~68.3 % of its mass within one std; a uniform of std 1 puts 57.7 %
    assert np.mean(np.abs(W) < 1.0) == pytest.approx(0.6827, abs=0.005)


@pytest.mark.parametrize(
    ("init", "error", "match"),
    [
        ("glorot", ValueError, "unknown init 'glorot'; expected 'he', 'xavier', 'lecun'"),
        (0.0, ValueError, "must be positive"),
        (-0.1, ValueError, "must be positive"),
        (np.inf, ValueError, "must be positive and finite"),
        (True, TypeError, "got bool"),
        (None, TypeError, "got NoneType"),
    ],
)
def test_dense_refuses_bad_init(init, error, match):
    with pytest.raises(error, match=match):
        Dense(3, 2, init=init)


@pytest.mark.parametrize(
    ("n_in", "n_out"), [(0, 2), (2, 0), (-1, 2), (2.5, 2), (True, 2), ("3", 2)]
)
def test_dense_refuses_bad_sizes(n_in, n_out):
    with pytest.raises(ValueError, match="whole number >= 1"):
        Dense(n_in, n_out)


@pytest.mark.parametrize("shape", [(4, 2), (4, 4), (3,)])
def test_dense_forward_refuses_wrong_input_shape_naming_expected_and_got(shape):
    layer = Dense(3, 2)
    with pytest.raises(ValueError, match=rf"expects input of shape \(N, 3\), got \({shape[0]},"):
        layer.forward(np.ones(shape))


def test_dense_rng_must_be_a_generator():
    with pytest.raises(TypeError, match=r"numpy\.random\.Generator"):
        Dense(3, 2, rng=42)


# --------------------------------------------------------------- Activation --


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_backward_passes_gradient_check_away_from_kinks(name):
    rng = np.random.default_rng(2)
    x = away_from_kinks(rng, (6, 4))
    errors = check_layer(Activation(name), x, rng.normal(size=(6, 4)))
    assert errors == {"x": pytest.approx(0.0, abs=TOL)}


@pytest.mark.parametrize(("name", "alpha"), [("leaky_relu", 0.2), ("elu", 0.5), ("elu", 2.0)])
def test_activation_with_alpha_passes_gradient_check(name, alpha):
    rng = np.random.default_rng(3)
    errors = check_layer(
        Activation(name, alpha=alpha), away_from_kinks(rng, (5, 3)), rng.normal(size=(5, 3))
    )
    assert errors["x"] < TOL


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_keeps_shape_and_has_no_parameters(name):
    layer = Activation(name)
    x = np.linspace(-2, 2, 12).reshape(3, 4)
    assert layer.forward(x).shape == (3, 4)
    assert layer.backward(np.ones((3, 4))).shape == (3, 4)
    assert layer.params == {} and layer.grads == {}


def test_relu_backward_is_zero_at_the_kink():
    layer = Activation("relu")
    layer.forward(np.array([[-1.0, 0.0, 1.0]]))
    np.testing.assert_array_equal(layer.backward(np.ones((1, 3))), [[0.0, 0.0, 1.0]])


def test_activation_refuses_unknown_name_listing_the_valid_ones():
    with pytest.raises(
        ValueError, match="unknown activation 'swish'; expected one of step, sigmoid, tanh, relu"
    ):
        Activation("swish")


# -------------------------------------------------------------- loss layers --


def loss_case(kind, rng):
    """(layer, prediction, target) for each loss layer, with non-trivial values."""
    if kind == "softmax_ce":
        return SoftmaxCrossEntropy(), rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    if kind == "sigmoid_bce (N, 1) hard":
        return (
            SigmoidBinaryCrossEntropy(),
            rng.normal(size=(6, 1)),
            rng.integers(0, 2, size=6).astype(float),
        )
    if kind == "sigmoid_bce (N,) soft":
        return SigmoidBinaryCrossEntropy(), rng.normal(size=6), rng.uniform(0, 1, size=6)
    return MeanSquaredError(), rng.normal(size=(6, 3)), rng.normal(size=(6, 3))


LOSS_KINDS = ["softmax_ce", "sigmoid_bce (N, 1) hard", "sigmoid_bce (N,) soft", "mse"]


@pytest.mark.parametrize("kind", LOSS_KINDS)
def test_loss_layer_backward_with_random_upstream_gradient_passes_gradient_check(kind):
    rng = np.random.default_rng(4)
    layer, pred, target = loss_case(kind, rng)
    dout = rng.normal()
    layer.forward(pred, target)
    analytic = layer.backward(dout)
    numeric = numerical_gradient(lambda p: dout * layer.forward(p, target), pred)
    assert analytic.shape == pred.shape
    assert relative_error(analytic, numeric) < TOL


def test_softmax_cross_entropy_value_matches_the_definition():
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    labels = np.array([2, 0])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(p[[0, 1], labels]))
    assert SoftmaxCrossEntropy().forward(logits, labels) == pytest.approx(expected, rel=1e-14)


def test_softmax_cross_entropy_gradient_is_softmax_minus_one_hot_over_n():
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    layer = SoftmaxCrossEntropy()
    layer.forward(logits, np.array([2, 0]))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(layer.backward(), (p - np.eye(3)[[2, 0]]) / 2, rtol=1e-14)


def test_sigmoid_bce_value_matches_the_definition():
    z = np.array([[-2.0], [0.5], [3.0]])
    t = np.array([0.0, 1.0, 1.0])
    s = 1 / (1 + np.exp(-z[:, 0]))
    expected = -np.mean(t * np.log(s) + (1 - t) * np.log(1 - s))
    assert SigmoidBinaryCrossEntropy().forward(z, t) == pytest.approx(expected, rel=1e-13)


def test_mse_value_is_the_mean_of_all_squared_errors():
    pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert MeanSquaredError().forward(pred, np.zeros((2, 2))) == pytest.approx(30 / 4)


def test_loss_layers_are_finite_and_silent_for_huge_scores():
    big = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    ce = SoftmaxCrossEntropy()
    assert ce.forward(big, np.array([0, 0])) == pytest.approx(1000.0)  # one right, one 2000 off
    assert np.all(np.isfinite(ce.backward()))
    bce = SigmoidBinaryCrossEntropy()
    assert bce.forward(np.array([[1000.0], [-1000.0]]), np.array([0.0, 1.0])) == pytest.approx(
        1000.0
    )
    assert np.all(np.isfinite(bce.backward()))


# ------------------------------------------- no mutation, backward first --


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_forward_and_backward_do_not_write_into_caller_arrays(name):
    rng = np.random.default_rng(5)
    x, dout = read_only(rng.normal(size=(4, 3)), rng.normal(size=(4, 3)))
    layer = Activation(name)
    layer.forward(x)
    layer.backward(dout)  # a write into x or dout would raise "assignment destination is read-only"


def test_dense_forward_and_backward_do_not_write_into_caller_arrays():
    rng = np.random.default_rng(6)
    x, dout = read_only(rng.normal(size=(4, 3)), rng.normal(size=(4, 2)))
    layer = Dense(3, 2, rng=rng)
    layer.forward(x)
    layer.backward(dout)
    layer.forward(x)  # and again after backward


@pytest.mark.parametrize("kind", LOSS_KINDS)
def test_loss_layers_do_not_write_into_caller_arrays(kind):
    layer, pred, target = loss_case(kind, np.random.default_rng(7))
    read_only(pred, target)
    layer.forward(pred, target)
    grad = layer.backward(0.5)
    grad *= 2  # the returned gradient is a fresh array the caller may own
    layer.forward(pred, target)


LAYERS = {
    "Dense": lambda: Dense(2, 2),
    "Activation": lambda: Activation("tanh"),
    "Activation(relu)": lambda: Activation("relu"),
    "SoftmaxCrossEntropy": SoftmaxCrossEntropy,
    "SigmoidBinaryCrossEntropy": SigmoidBinaryCrossEntropy,
    "MeanSquaredError": MeanSquaredError,
}


@pytest.mark.parametrize("name", LAYERS)
def test_backward_before_forward_raises_runtime_error(name):
    layer = LAYERS[name]()
    args = (
        ()
        if not hasattr(layer, "n_in") and not isinstance(layer, Activation)
        else (np.ones((1, 2)),)
    )
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        layer.backward(*args)


def test_layer_repr_names_its_shape_or_function():
    assert repr(Dense(3, 2)) == "Dense(3, 2)"
    assert repr(Activation("relu")) == "Activation('relu')"


# ------------------------------------------------------------------ Dropout --


def test_dropout_keeps_each_input_with_probability_1_minus_p_and_scales_the_survivors():
    layer = Dropout(0.3, rng=np.random.default_rng(0))
    x = np.ones((400, 500))
    out = layer.forward(x)
    kept = out != 0
    assert kept.mean() == pytest.approx(0.7, abs=0.005)  # 200 000 draws: ±0.001
    np.testing.assert_array_equal(out[kept], 1 / 0.7)  # inverted: survivors scaled by 1/(1-p)
    assert out.mean() == pytest.approx(1.0, abs=0.01)  # so the expected output is the input
    dout = np.full_like(x, 2.0)
    np.testing.assert_array_equal(layer.backward(dout), np.where(kept, 2.0 / 0.7, 0.0))


def test_dropout_passes_through_in_evaluation_mode_and_at_p_0():
    x = np.random.default_rng(1).normal(size=(5, 4))
    layer = Dropout(0.5)
    layer.training = False
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(x), x)
    np.testing.assert_array_equal(Dropout(0.0).forward(x), x)
    assert not Dropout(1.0).forward(x).any()  # p = 1 silences everything, as in torch


def test_dropout_gradient_check_with_its_mask_held_fixed():
    # A fresh layer with the same seed draws the same mask, so the objective is deterministic.
    x = np.random.default_rng(2).normal(size=(6, 5))
    dout = np.random.default_rng(3).normal(size=(6, 5))

    def objective(xx: np.ndarray) -> float:
        return float(np.sum(Dropout(0.4, seed=7).forward(xx) * dout))

    layer = Dropout(0.4, seed=7)
    layer.forward(x)
    numeric = numerical_gradient(objective, x)
    assert relative_error(layer.backward(dout), numeric) < 1e-7


def test_dropout_has_torchs_semantics():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(4).uniform(1.0, 2.0, size=(300, 300))
    theirs = torch.nn.Dropout(p=0.25)
    theirs.train()
    t_out = theirs(torch.tensor(x)).numpy()
    ours = Dropout(0.25, seed=0).forward(x)
    for out in (t_out, ours):
        kept = out != 0
        assert kept.mean() == pytest.approx(0.75, abs=0.01)
        np.testing.assert_allclose(out[kept], (x / 0.75)[kept], rtol=1e-15)
    theirs.eval()
    np.testing.assert_array_equal(theirs(torch.tensor(x)).numpy(), x)


@pytest.mark.parametrize(
    ("p", "error"), [(-0.1, ValueError), (1.5, ValueError), ("0.5", TypeError)]
)
def test_dropout_refuses_a_probability_outside_0_1(p, error):
    with pytest.raises(error, match=r"p must be .*\[0, 1\]"):
        Dropout(p)
