"""Tests for nbtext.network.MLP: gradient checks, params dict, seeding, prediction, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbtext.activations import ACTIVATIONS
from nbtext.gradcheck import check_model, numerical_gradient, relative_error
from nbtext.layers import Activation, Dense
from nbtext.network import MLP, OUTPUTS

TOL = 1e-7
N_OUT = {"softmax": 3, "sigmoid": 1, "identity": 2}


def data_for(output, n_in=3, n=6, seed=0):
    """A small random batch (X, y) in the form each output type expects."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    if output == "softmax":
        y = np.arange(n) % N_OUT["softmax"]  # every class present
    elif output == "sigmoid":
        y = np.arange(n) % 2
    else:
        y = rng.normal(size=(n, N_OUT["identity"]))
    return X, y


def read_only(*arrays):
    for a in arrays:
        a.setflags(write=False)
    return arrays


# --------------------------------------------------------- gradient checks --
#
# With h = 1e-5 a central difference of a loss near 1 carries about 1e-11 of float64
# rounding noise, so a gradient entry below ~1e-4 cannot show a relative error under
# 1e-7 however right it is. The check data therefore keep inputs away from 0, give the
# biases random values (zero biases put ReLU/step units exactly on their kink when a
# whole hidden layer is off) and use GRADCHECK_SEED, for which every one of these
# models has all its entries above that floor (worst error ~2e-8). A wrong backward
# pass gives errors above 1e-2 (see test_gradcheck.py), so the margin is wide.

GRADCHECK_SEED = 38
PIECEWISE = {"step", "relu", "leaky_relu", "elu"}


def gradcheck_case(sizes, activation, output, weight_decay=0.0, seed=GRADCHECK_SEED, **kwargs):
    """A model with random biases and a batch of 4 inputs with 0.5 <= |x| <= 1.5."""
    rng = np.random.default_rng(seed)
    X = rng.choice([-1.0, 1.0], size=(4, sizes[0])) * rng.uniform(0.5, 1.5, size=(4, sizes[0]))
    if output == "softmax":
        y = np.arange(4) % sizes[-1]
    elif output == "sigmoid":
        y = np.arange(4) % 2
    else:
        y = rng.normal(size=(4, sizes[-1]))
    model = MLP(sizes, activation, output, seed=seed, weight_decay=weight_decay, **kwargs)
    rng = np.random.default_rng(seed)
    for key, value in model.params.items():
        if key.startswith("b"):
            value[...] = rng.normal(size=value.shape)
    if activation in PIECEWISE:  # no hidden pre-activation within reach of the kink at 0
        out = X
        for layer in model.layers[:-1]:
            out = layer.forward(out)
            if isinstance(layer, Dense):
                assert np.min(np.abs(out)) > 1e-3
    return model, X, y


@pytest.mark.parametrize("hidden", [[3], [3, 3]], ids=["1 hidden", "2 hidden"])
@pytest.mark.parametrize("weight_decay", [0.0, 0.1], ids=["no decay", "decay"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_mlp_backward_passes_gradient_check(activation, output, weight_decay, hidden):
    sizes = [2, *hidden, N_OUT[output]]
    model, X, y = gradcheck_case(sizes, activation, output, weight_decay)
    errors = check_model(model, X, y)
    assert set(errors) == set(model.params)
    assert max(errors.values()) < TOL, errors


@pytest.mark.parametrize(("activation", "alpha"), [("leaky_relu", 0.3), ("elu", 0.5)])
def test_mlp_with_alpha_passes_gradient_check(activation, alpha):
    model, X, y = gradcheck_case([2, 3, 3], activation, "softmax", alpha=alpha)
    assert max(check_model(model, X, y).values()) < TOL


def test_mlp_identity_with_one_output_accepts_1d_targets_and_passes_gradient_check():
    model, X, y = gradcheck_case([2, 3, 1], "tanh", "identity")
    assert max(check_model(model, X, y[:, 0]).values()) < TOL


# ------------------------------------------------------ structure, params --


def test_mlp_stacks_dense_and_activation_layers():
    model = MLP([4, 8, 6, 3], "tanh")
    kinds = [type(layer) for layer in model.layers]
    assert kinds == [Dense, Activation, Dense, Activation, Dense]
    assert [layer.name for layer in model.layers if isinstance(layer, Activation)] == [
        "tanh",
        "tanh",
    ]


def test_mlp_params_have_conventional_keys_and_shapes():
    model = MLP([4, 8, 6, 3])
    shapes = {k: v.shape for k, v in model.params.items()}
    assert shapes == {"W1": (4, 8), "b1": (8,), "W2": (8, 6), "b2": (6,), "W3": (6, 3), "b3": (3,)}
    assert all(v.dtype == np.float64 for v in model.params.values())


def test_mlp_params_dict_holds_the_layers_live_arrays():
    model = MLP([4, 8, 3])
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    for k, layer in enumerate(dense, start=1):
        assert model.params[f"W{k}"] is layer.params["W"]
        assert model.params[f"b{k}"] is layer.params["b"]


def test_in_place_update_of_params_changes_the_model_output():
    model = MLP([2, 3, 2], seed=0)
    for value in model.params.values():
        value[...] = 0.0  # what an optimizer's step does
    model.params["b2"][...] = [1.0, 2.0]
    np.testing.assert_array_equal(model.forward(np.ones((3, 2))), np.tile([1.0, 2.0], (3, 1)))


def test_backward_returns_grads_with_the_keys_and_shapes_of_params():
    X, y = data_for("softmax")
    model = MLP([3, 5, 4, 3])
    model.loss(X, y)
    grads = model.backward()
    assert grads.keys() == model.params.keys()
    for key in grads:
        assert grads[key].shape == model.params[key].shape


def test_weight_decay_adds_half_lambda_sum_of_squared_weights_to_the_loss_not_biases():
    X, y = data_for("softmax")
    plain = MLP([3, 5, 3], seed=0)
    decayed = MLP([3, 5, 3], seed=0, weight_decay=0.2)
    for model in (plain, decayed):
        model.params["b1"][...] = 1.0  # biases must not count
    penalty = 0.1 * (np.sum(plain.params["W1"] ** 2) + np.sum(plain.params["W2"] ** 2))
    assert decayed.loss(X, y) == pytest.approx(plain.loss(X, y) + penalty, rel=1e-13)
    g_plain, g_decayed = plain.backward(), decayed.backward()
    np.testing.assert_allclose(
        g_decayed["W1"], g_plain["W1"] + 0.2 * plain.params["W1"], rtol=1e-13
    )
    np.testing.assert_array_equal(g_decayed["b1"], g_plain["b1"])


@pytest.mark.parametrize(
    ("activation", "expected_std"),
    [
        ("relu", np.sqrt(2 / 1000)),
        ("elu", np.sqrt(2 / 1000)),
        ("tanh", np.sqrt(2 / 1500)),
        ("sigmoid", np.sqrt(2 / 1500)),
    ],
)
def test_default_init_is_he_for_relu_like_and_xavier_otherwise(activation, expected_std):
    model = MLP([1000, 500, 2], activation)
    assert model.params["W1"].std() == pytest.approx(expected_std, rel=0.01)


def test_init_float_sets_the_weight_std():
    model = MLP([1000, 500, 2], init=0.03)
    assert model.params["W1"].std() == pytest.approx(0.03, rel=0.01)


# ------------------------------------------------------------------ seeding --


@given(st.integers(0, 2**32 - 1))
def test_same_seed_gives_identical_params(seed):
    a, b = MLP([3, 4, 2], seed=seed), MLP([3, 4, 2], seed=seed)
    for key in a.params:
        assert a.params[key].tobytes() == b.params[key].tobytes()


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_different_seeds_give_different_params(s1, s2):
    if s1 == s2:
        return
    assert not np.array_equal(
        MLP([3, 4, 2], seed=s1).params["W1"], MLP([3, 4, 2], seed=s2).params["W1"]
    )


def test_rng_argument_is_equivalent_to_the_same_seed():
    a = MLP([3, 4, 2], seed=7)
    b = MLP([3, 4, 2], rng=np.random.default_rng(7))
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])


def test_construction_does_not_touch_numpy_global_random_state():
    state = np.random.get_state()[1].copy()  # noqa: NPY002 (the legacy global state is the point)
    MLP([3, 4, 2], seed=None)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


# ---------------------------------------------------- prediction semantics --


def test_softmax_predict_proba_rows_are_distributions_and_predict_is_their_argmax():
    X, _ = data_for("softmax", n=10)
    model = MLP([3, 5, 3], seed=0)
    proba = model.predict_proba(X)
    assert proba.shape == (10, 3)
    assert np.all(proba > 0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-14)
    pred = model.predict(X)
    assert pred.shape == (10,)
    np.testing.assert_array_equal(pred, np.argmax(proba, axis=1))


def test_sigmoid_predict_proba_is_one_probability_per_sample_and_predict_thresholds_it():
    X, _ = data_for("sigmoid", n=10)
    model = MLP([3, 5, 1], "tanh", "sigmoid", seed=0)
    proba = model.predict_proba(X)
    assert proba.shape == (10,)
    assert np.all((proba > 0) & (proba < 1))
    pred = model.predict(X)
    assert pred.shape == (10,) and np.issubdtype(pred.dtype, np.integer)
    np.testing.assert_array_equal(pred, (proba > 0.5).astype(int))


def test_identity_predict_is_the_raw_output_and_classifier_methods_refuse():
    X, y = data_for("identity")
    model = MLP([3, 5, 2], "tanh", "identity", seed=0)
    np.testing.assert_array_equal(model.predict(X), model.forward(X))
    assert model.predict(X).shape == (6, 2)
    with pytest.raises(ValueError, match="predict_proba needs a classifier"):
        model.predict_proba(X)
    with pytest.raises(ValueError, match="accuracy needs a classifier"):
        model.accuracy(X, y)


def test_accuracy_is_the_fraction_of_correct_labels():
    # A linear softmax model with W = I, b = 0 predicts the index of the larger feature.
    model = MLP([2, 2], output="softmax")
    model.params["W1"][...] = np.eye(2)
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0], [0.0, 3.0]])
    np.testing.assert_array_equal(model.predict(X), [0, 1, 0, 1])
    assert model.accuracy(X, [0, 1, 0, 1]) == 1.0
    assert model.accuracy(X, [0, 1, 1, 1]) == 0.75
    assert model.accuracy(X, [1, 0, 1, 0]) == 0.0


def test_sigmoid_accuracy_compares_thresholded_outputs_with_0_1_labels():
    model = MLP([1, 1], output="sigmoid")
    model.params["W1"][...] = 1.0  # predicts 1 exactly when x > 0
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    assert model.accuracy(X, [0, 0, 1, 1]) == 1.0
    assert model.accuracy(X, [0.0, 1.0, 1.0, 1.0]) == 0.75


def test_a_single_1d_sample_is_accepted():
    model = MLP([3, 4, 2])
    assert model.forward(np.ones(3)).shape == (1, 2)
    assert model.predict([0.5, -0.5, 1.0]).shape == (1,)


def test_loss_backward_predict_do_not_write_into_caller_arrays():
    for output in OUTPUTS:
        X, y = read_only(*data_for(output))
        model = MLP([3, 5, N_OUT[output]], output=output)
        model.loss(X, y)
        model.backward()
        model.forward(X)
        model.predict(X)
        if output != "identity":
            model.predict_proba(X)
            model.accuracy(X, y)


def test_backward_before_loss_raises_runtime_error():
    with pytest.raises(RuntimeError, match="before forward"):
        MLP([3, 4, 2]).backward()


def test_repr_shows_sizes_activation_and_output():
    assert (
        repr(MLP([2, 4, 1], "tanh", "sigmoid"))
        == "MLP([2, 4, 1], activation='tanh', output='sigmoid')"
    )
    assert "weight_decay=0.1" in repr(MLP([2, 2], weight_decay=0.1))


# -------------------------------------------------------------- bad input --


@pytest.mark.parametrize(
    "sizes",
    [[3], [], [3, 0, 2], [3, -1, 2], [3, 2.5, 2], [3, True, 2], "32", None, np.array([3, 2])],
)
def test_bad_sizes_list_is_refused(sizes):
    with pytest.raises(ValueError, match=r"sizes must be a list|every layer size"):
        MLP(sizes)


def test_unknown_activation_is_refused_listing_the_valid_ones():
    with pytest.raises(
        ValueError, match="unknown activation 'swish'; expected one of " + ", ".join(ACTIVATIONS)
    ):
        MLP([2, 3, 2], "swish")


@pytest.mark.parametrize("output", ["linear", "softplus", 3])
def test_unknown_output_is_refused_listing_the_valid_ones(output):
    with pytest.raises(ValueError, match="expected one of softmax, sigmoid, identity"):
        MLP([2, 3, 2], output=output)


def test_sigmoid_output_with_two_units_is_refused():
    with pytest.raises(
        ValueError, match=r"output='sigmoid' needs 1 output unit.*got sizes\[-1\] = 2"
    ):
        MLP([2, 3, 2], output="sigmoid")


def test_softmax_output_with_one_unit_is_refused():
    with pytest.raises(ValueError, match="output='softmax' needs at least 2 output units"):
        MLP([2, 3, 1], output="softmax")


@pytest.mark.parametrize(
    ("value", "error"), [(-0.1, ValueError), (np.nan, ValueError), ("0.1", TypeError)]
)
def test_bad_weight_decay_is_refused(value, error):
    with pytest.raises(error, match="weight_decay"):
        MLP([2, 2], weight_decay=value)


@pytest.mark.parametrize("method", ["loss", "accuracy"])
def test_wrong_feature_count_names_expected_and_got(method):
    model = MLP([3, 4, 2])
    with pytest.raises(ValueError, match=r"X has 4 features per sample but this network expects 3"):
        getattr(model, method)(np.ones((5, 4)), np.zeros(5, dtype=int))


@pytest.mark.parametrize("method", ["forward", "predict", "predict_proba"])
def test_wrong_feature_count_in_prediction_names_expected_and_got(method):
    with pytest.raises(ValueError, match=r"X has 2 features per sample but this network expects 3"):
        getattr(MLP([3, 4, 2]), method)(np.ones((5, 2)))


@pytest.mark.parametrize("output", OUTPUTS)
def test_mismatched_sample_counts_are_refused(output):
    X, y = data_for(output, n=10)
    with pytest.raises(ValueError, match="X has 10 samples but y has 9"):
        MLP([3, 4, N_OUT[output]], output=output).loss(X, y[:9])


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        ([0, 1, 3], r"labels in 0\.\.2 for 3 classes, got 3"),
        ([0, -1, 2], "labels 0 and above, got -1"),
        ([0, 1.5, 2], "whole-number class labels"),
    ],
)
def test_softmax_labels_out_of_range_are_refused(labels, match):
    with pytest.raises(ValueError, match=match):
        MLP([2, 3]).loss(np.ones((3, 2)), labels)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.float64, np.float32, bool])
def test_labels_of_any_real_dtype_give_the_same_int64_labels(dtype):
    X, y = np.ones((4, 2)), np.array([0, 1, 1, 0])
    checked_X, checked_y = MLP([2, 3, 2]).check_data(X.astype(np.float32), y.astype(dtype))
    assert checked_X.dtype == np.float64
    assert checked_y.dtype == np.int64
    np.testing.assert_array_equal(checked_y, [0, 1, 1, 0])


@pytest.mark.parametrize("dtype", [np.int64, np.int16, np.uint16])
@pytest.mark.parametrize(
    ("labels", "match"),
    [
        ([0, 1, 3], r"labels in 0\.\.2 for 3 classes, got 3"),
        ([[0, 1, 2]], r"y must be a 1-D array, got 2-D with shape \(1, 3\)"),
    ],
)
def test_integer_array_labels_are_checked_like_lists(dtype, labels, match):
    with pytest.raises(ValueError, match=match):
        MLP([2, 3]).loss(np.ones((3, 2)), np.array(labels, dtype=dtype))
    with pytest.raises(ValueError, match="labels 0 and above, got -1"):
        MLP([2, 3]).loss(np.ones((3, 2)), np.array([0, -1, 2], dtype=np.int64))


def test_sigmoid_labels_outside_0_1_are_refused():
    with pytest.raises(ValueError, match=r"0/1 labels.*got values from 0 to 2"):
        MLP([2, 1], output="sigmoid").loss(np.ones((3, 2)), [0, 1, 2])


def test_identity_targets_of_wrong_width_are_refused():
    with pytest.raises(ValueError, match=r"2 target value\(s\) per sample.*got shape \(3, 3\)"):
        MLP([2, 2], output="identity").loss(np.ones((3, 2)), np.ones((3, 3)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["X", "y"])
def test_nan_or_inf_in_data_is_refused(where, bad):
    X, y = np.ones((3, 2)), np.array([0.0, 1.0, 0.5])
    if where == "X":
        X[1, 0] = bad
    else:
        y[2] = bad
    with pytest.raises(
        ValueError, match=f"{where} must contain only finite numbers, got 1 NaN or infinite"
    ):
        MLP([2, 1], output="identity").loss(X, y)


def test_non_numeric_data_is_refused_with_type_error():
    with pytest.raises(TypeError, match="X must be a real number or an array of real numbers"):
        MLP([2, 2]).predict([["a", "b"]])


# ------------------------------------------------------------------ stacks --


@pytest.mark.parametrize(
    ("sizes", "activation", "output"),
    [([2, 5, 3, 4], "tanh", "softmax"), ([2, 6, 1], "relu", "sigmoid"), ([3, 4, 2], "elu",
                                                                        "identity")],
)  # fmt: skip
def test_a_stack_computes_what_each_of_its_networks_computes(sizes, activation, output):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, sizes[0]))
    if output == "softmax":
        y = rng.integers(0, sizes[-1], size=7)
    elif output == "sigmoid":
        y = rng.integers(0, 2, size=7)
    else:
        y = rng.normal(size=(7, sizes[-1]))
    nets = [MLP(sizes, activation, output, seed=s, weight_decay=0.01) for s in range(3)]
    stack = nets[0].stack([net.params for net in nets])
    assert stack.copies == 3 and stack.params["W1"].shape == (3, sizes[0], sizes[1])
    assert stack.params["b1"].shape == (3, 1, sizes[1])
    losses = stack.loss(X, y)
    grads = stack.backward()
    for k, net in enumerate(nets):
        assert losses[k] == pytest.approx(net.loss(X, y), rel=1e-13)
        for key, grad in net.backward().items():
            np.testing.assert_allclose(grads[key][k].reshape(grad.shape), grad, rtol=1e-12,
                                       atol=1e-15)  # fmt: skip
        np.testing.assert_allclose(stack.forward(X)[k], net.forward(X), rtol=1e-13)
        if output != "identity":
            np.testing.assert_array_equal(stack.predict(X)[k], net.predict(X))
            np.testing.assert_allclose(stack.predict_proba(X)[k], net.predict_proba(X), rtol=1e-13)
            assert stack.accuracy(X, y)[k] == net.accuracy(X, y)


def test_stacking_copies_the_weights_and_leaves_the_network_alone():
    model = MLP([2, 3, 2], seed=0)
    before = {k: v.copy() for k, v in model.params.items()}
    stack = model.stack(4)
    for key, value in model.params.items():
        np.testing.assert_array_equal(value, before[key])
        for k in range(4):
            np.testing.assert_array_equal(stack.params[key][k].reshape(value.shape), value)
    stack.params["W1"][0] += 1.0  # the copies are the stack's own arrays
    np.testing.assert_array_equal(model.params["W1"], before["W1"])
    assert repr(stack) == "MLP([2, 3, 2], activation='relu', output='softmax').stack(4)"


@pytest.mark.parametrize(
    ("copies", "error", "match"),
    [
        (0, ValueError, "copies must be at least 1"),
        ("3", TypeError, "copies must be a number K or a non-empty list"),
        ([], TypeError, "copies must be a number K or a non-empty list"),
        ([{"W1": np.zeros((2, 3))}], ValueError, "every parameter dict needs the key 'b1'"),
    ],
)
def test_stack_refuses_bad_copies(copies, error, match):
    with pytest.raises(error, match=match):
        MLP([2, 3, 2]).stack(copies)


def test_a_stack_of_a_stack_is_refused_and_shapes_must_agree():
    model = MLP([2, 3, 2])
    with pytest.raises(ValueError, match="a stack already"):
        model.stack(2).stack(2)
    bad = dict(model.params, W1=np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"W1 must have shape \(2, 3\) in every copy"):
        model.stack([model.params, bad])


# ----------------------------------------------------------------- dropout --


def test_dropout_layers_sit_after_each_hidden_activation_and_act_only_in_training_mode():
    model = MLP([4, 8, 8, 3], "relu", dropout=0.5, seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Activation", "Dropout", "Dense", "Activation", "Dropout", "Dense"]
    X, y = np.random.default_rng(0).normal(size=(20, 4)), np.arange(20) % 3
    assert not model.training  # evaluation mode until told otherwise
    assert model.loss(X, y) == model.loss(X, y)  # deterministic
    assert model.loss(X, y) == MLP([4, 8, 8, 3], "relu", seed=0).loss(X, y)  # same weights
    model.train()
    assert model.training and model.loss(X, y) != model.loss(X, y)  # new masks each time
    assert model.eval() is model and not model.training
    assert repr(model) == "MLP([4, 8, 8, 3], activation='relu', output='softmax', dropout=0.5)"


def test_dropout_network_gradients_pass_a_check_with_the_masks_held_fixed():
    X, y = np.random.default_rng(1).normal(size=(6, 3)), np.array([0, 1, 1, 0, 1, 0])

    def fresh():  # same weights, same mask generator: the same masks on every forward pass
        return MLP([3, 5, 2], "tanh", dropout=0.3, seed=4).train()

    model = fresh()
    model.loss(X, y)
    grads = model.backward()
    for key in grads:
        param = fresh().params[key]

        def objective(p, key=key):
            net = fresh()
            net.params[key][...] = p
            return net.loss(X, y)

        assert relative_error(grads[key], numerical_gradient(objective, param.copy())) < 1e-7


def test_hidden_outputs_are_each_hidden_layers_activations():
    model = MLP([3, 5, 4, 2], "tanh", seed=0)
    X = np.random.default_rng(0).normal(size=(7, 3))
    first, second = model.hidden_outputs(X)
    a1 = np.tanh(X @ model.params["W1"] + model.params["b1"])
    a2 = np.tanh(a1 @ model.params["W2"] + model.params["b2"])
    np.testing.assert_allclose(first, a1, rtol=1e-15)
    np.testing.assert_allclose(second, a2, rtol=1e-15)
    with_dropout = MLP([3, 5, 4, 2], "tanh", seed=0, dropout=0.5)
    assert [h.shape for h in with_dropout.hidden_outputs(X)] == [(7, 5), (7, 4)]
    assert MLP([3, 2]).hidden_outputs(X) == []  # no hidden layer


def test_loss_and_gradients_is_loss_then_backward():
    X, y = np.random.default_rng(0).normal(size=(9, 3)), np.arange(9) % 2
    model = MLP([3, 4, 2], "tanh", seed=1)
    loss, grads = model.loss_and_gradients(X, y)
    assert loss == model.loss(X, y)
    for key, value in model.backward().items():
        np.testing.assert_array_equal(grads[key], value)


# ------------------------------------------- a stack with one λ per copy ---
def test_stack_with_one_weight_decay_per_copy_matches_each_network():
    from nbtext.optimizers import SGD
    from nbtext.training import fit, fit_stack

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > X[:, 1]).astype(int)
    lams = np.array([0.0, 0.01, 0.3])
    base = MLP([3, 6, 2], seed=2)
    stack = base.stack(3, weight_decay=lams)
    assert "weight_decay=[" in repr(stack)
    history = fit_stack(stack, X, y, SGD(0.2), epochs=5, batch_size=8)
    for k, lam in enumerate(lams):
        single = MLP([3, 6, 2], seed=2, weight_decay=lam)
        alone = fit(single, X, y, SGD(0.2), epochs=5, batch_size=8)
        np.testing.assert_allclose(history.loss[:, k], alone.loss, rtol=1e-12)
        np.testing.assert_allclose(stack.params["W1"][k], single.params["W1"], rtol=1e-12)


@pytest.mark.parametrize(
    "weight_decay, error",
    [([0.1, 0.2], ValueError), ([0.1, -1.0, 0.0], ValueError), ([0.1, np.nan, 0], ValueError),
     ("abc", TypeError)],
)  # fmt: skip
def test_stack_weight_decay_is_checked(weight_decay, error):
    with pytest.raises(error):
        MLP([3, 6, 2]).stack(3, weight_decay=weight_decay)


# ------------------------------------------------ assigning through params ---
def test_assigning_through_params_reaches_the_layer():
    model = MLP([3, 4, 2], seed=0)
    live = model.params["W1"]
    new = np.full((3, 4), 0.5)
    model.params["W1"] = new
    assert model.params["W1"] is live  # the same array, now holding the new values
    np.testing.assert_array_equal(model.layers[0].params["W"], new)
    new[0, 0] = 9.0  # the caller's array stays the caller's
    assert model.params["W1"][0, 0] == 0.5
    X = np.ones((2, 3))
    manual = np.maximum(X @ np.full((3, 4), 0.5) + model.params["b1"], 0)
    np.testing.assert_allclose(model.forward(X), manual @ model.params["W2"] + model.params["b2"])
    model.params.update({"b2": [1.0, -1.0]})
    np.testing.assert_array_equal(model.layers[-1].params["b"], [1.0, -1.0])


@pytest.mark.parametrize(
    "action, error, match",
    [
        (lambda p: p.__setitem__("W9", np.ones((3, 4))), KeyError, "no parameter 'W9'"),
        (lambda p: p.__setitem__("W1", np.ones((4, 3))), ValueError, r"shape \(3, 4\)"),
        (lambda p: p.__setitem__("b1", [0.0, np.nan, 0.0, 0.0]), ValueError, "finite"),
        (lambda p: p.__setitem__("b1", "zeros"), TypeError, "array of numbers"),
        (lambda p: p.pop("W1"), TypeError, "cannot be added or removed"),
        (lambda p: p.__delitem__("W1"), TypeError, "cannot be added or removed"),
        (lambda p: p.clear(), TypeError, "cannot be added or removed"),
    ],
)
def test_params_refuse_what_would_be_ignored(action, error, match):
    model = MLP([3, 4, 2], seed=0)
    before = {k: v.copy() for k, v in model.params.items()}
    with pytest.raises(error, match=match):
        action(model.params)
    for key, value in before.items():
        np.testing.assert_array_equal(model.params[key], value)


def test_params_survive_deepcopy_and_pickle_as_live_arrays():
    import copy
    import pickle

    model = MLP([3, 4, 2], seed=0)
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert twin.params["W1"] is twin.layers[0].params["W"]
        twin.params["W1"] = np.zeros((3, 4))
        assert not np.any(twin.layers[0].params["W"])
        assert np.any(model.params["W1"])  # the original is untouched


def test_hidden_outputs_leave_batch_norm_running_averages_alone():
    """hidden_outputs promises an unchanged network: in training mode a batch-normalization
    forward pass would move the running averages, so they are put back."""
    model = MLP([4, 6, 5, 3], batch_norm=True, seed=0).train()
    before = {name: value.copy() for name, value in model.buffers.items()}
    X = np.random.default_rng(1).normal(3.0, 2.0, size=(16, 4))
    outputs = model.hidden_outputs(X)
    assert [h.shape for h in outputs] == [(16, 6), (16, 5)]
    for name, value in model.buffers.items():
        np.testing.assert_array_equal(value, before[name])
    # ... while an ordinary training-mode forward pass does move them
    model.forward(X)
    assert not np.array_equal(model.buffers["running_mean1"], before["running_mean1"])
