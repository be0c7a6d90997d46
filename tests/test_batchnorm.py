"""Tests for batch normalization (Chapter 11): the layer, its gradients, torch's BatchNorm1d,
and MLP(batch_norm=True) in training, evaluation, stacks and early stopping."""

from __future__ import annotations

import numpy as np
import pytest

from nbtext.gradcheck import numerical_gradient, relative_error
from nbtext.layers import Activation, BatchNorm, Dense
from nbtext.network import MLP
from nbtext.optimizers import SGD, Adam
from nbtext.training import fit, fit_stack

TOL = 1e-7


def batch(seed=0, shape=(6, 4), loc=3.0, scale=2.0):
    return np.random.default_rng(seed).normal(loc, scale, size=shape)


def with_params(layer, seed=1):
    rng = np.random.default_rng(seed)
    layer.params["gamma"][...] = rng.normal(size=layer.n_features)
    layer.params["beta"][...] = rng.normal(size=layer.n_features)
    return layer


# ---------------------------------------------------------------- forward --
def test_training_output_has_mean_0_and_variance_1_per_feature():
    x = batch(shape=(50, 3)) * np.array([1.0, 100.0, 0.01])
    out = BatchNorm(3).forward(x)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-5))


def test_gamma_and_beta_scale_and_shift():
    x = batch()
    layer = with_params(BatchNorm(4))
    plain = BatchNorm(4).forward(x)
    np.testing.assert_allclose(
        layer.forward(x), layer.params["gamma"] * plain + layer.params["beta"]
    )


def test_gamma_sigma_beta_mu_gives_the_input_back():
    x = batch()
    layer = BatchNorm(4)
    layer.params["gamma"][...] = np.sqrt(x.var(axis=0) + 1e-5)
    layer.params["beta"][...] = x.mean(axis=0)
    np.testing.assert_allclose(layer.forward(x), x, atol=1e-12)


def test_running_averages_follow_torchs_momentum_convention():
    layer = BatchNorm(4, momentum=0.25)
    x1, x2 = batch(1), batch(2)
    layer.forward(x1)
    layer.forward(x2)
    mean = 0.75 * (0.75 * 0.0 + 0.25 * x1.mean(0)) + 0.25 * x2.mean(0)
    var = 0.75 * (0.75 * 1.0 + 0.25 * x1.var(0, ddof=1)) + 0.25 * x2.var(0, ddof=1)
    np.testing.assert_allclose(layer.running_mean, mean)
    np.testing.assert_allclose(layer.running_var, var)


def test_running_averages_converge_to_the_distributions_statistics():
    layer = BatchNorm(1)
    rng = np.random.default_rng(0)
    for _ in range(300):
        layer.forward(rng.normal(5.0, 2.0, size=(64, 1)))
    assert layer.running_mean[0] == pytest.approx(5.0, abs=0.1)
    assert layer.running_var[0] == pytest.approx(4.0, rel=0.1)


def test_evaluation_mode_uses_the_running_averages_and_changes_nothing():
    layer = with_params(BatchNorm(4))
    layer.forward(batch(1))
    layer.training = False
    mean, var = layer.running_mean.copy(), layer.running_var.copy()
    x = batch(2, shape=(1, 4))
    expected = (x - mean) / np.sqrt(var + 1e-5) * layer.params["gamma"] + layer.params["beta"]
    np.testing.assert_allclose(layer.forward(x), expected)
    np.testing.assert_array_equal(layer.running_mean, mean)
    np.testing.assert_array_equal(layer.running_var, var)


def test_evaluation_gives_each_sample_the_same_answer_in_any_batch():
    layer = with_params(BatchNorm(4))
    layer.forward(batch(1))
    layer.training = False
    x = batch(2)
    alone = np.vstack([layer.forward(row[None, :]) for row in x])
    np.testing.assert_allclose(layer.forward(x), alone, rtol=1e-13)


def test_training_needs_two_samples():
    with pytest.raises(ValueError, match="at least 2 samples"):
        BatchNorm(3).forward(np.ones((1, 3)))


def test_input_is_not_mutated():
    x = batch()
    x.setflags(write=False)
    layer = with_params(BatchNorm(4))
    dout = batch(5)
    dout.setflags(write=False)
    layer.forward(x)
    layer.backward(dout)
    layer.training = False
    layer.forward(x)
    layer.backward(dout)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"n_features": 0}, ValueError),
        ({"n_features": 2.5}, ValueError),
        ({"n_features": True}, ValueError),
        ({"n_features": 3, "momentum": 1.5}, ValueError),
        ({"n_features": 3, "momentum": -0.1}, ValueError),
        ({"n_features": 3, "momentum": "0.1"}, TypeError),
        ({"n_features": 3, "eps": 0.0}, ValueError),
    ],
)
def test_bad_arguments_are_refused(kwargs, error):
    with pytest.raises(error):
        BatchNorm(**kwargs)


def test_wrong_input_width_is_refused():
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        BatchNorm(3).forward(np.ones((4, 2)))


def test_backward_before_forward_is_refused():
    with pytest.raises(RuntimeError, match="before forward"):
        BatchNorm(3).backward(np.ones((4, 3)))


# -------------------------------------------------------------- gradients --
@pytest.mark.parametrize("training", [True, False])
def test_gradients_match_central_differences(training):
    x, dout = batch(0), batch(3, loc=0.0, scale=1.0)
    layer = with_params(BatchNorm(4))
    layer.forward(batch(7))  # running averages that are not 0 and 1
    layer.training = training
    running = (layer.running_mean.copy(), layer.running_var.copy())

    def loss(_):
        layer.running_mean[...], layer.running_var[...] = running  # forward moves them
        return float(np.sum(layer.forward(x) * dout))

    loss(None)
    dx = layer.backward(dout)
    grads = {k: v.copy() for k, v in layer.grads.items()}
    assert relative_error(dx, numerical_gradient(loss, x)) < TOL
    for name in ("gamma", "beta"):
        numeric = numerical_gradient(loss, layer.params[name])
        assert relative_error(grads[name], numeric) < TOL, name


def test_the_gradient_sent_back_cannot_shift_or_stretch_the_batch():
    x, dout = batch(0), batch(3, loc=0.0, scale=1.0)
    layer = with_params(BatchNorm(4))
    x_hat = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    layer.forward(x)
    dx = layer.backward(dout)
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)
    # Along x̂ only ε keeps it from 0: Σ dx·x̂ = s·Σ(dx̂·x̂)·ε/(σ² + ε), with dx̂ = dout·γ.
    inv_std, var = 1 / np.sqrt(x.var(0) + 1e-5), x.var(0)
    along = inv_std * (dout * layer.params["gamma"] * x_hat).sum(0) * 1e-5 / (var + 1e-5)
    np.testing.assert_allclose((dx * x_hat).sum(axis=0), along, rtol=1e-6, atol=1e-15)


# ------------------------------------------------------------------ torch --
@pytest.mark.parametrize("momentum", [0.1, 0.3])
def test_agrees_with_torch_batchnorm1d(momentum):
    torch = pytest.importorskip("torch")
    theirs = torch.nn.BatchNorm1d(4, momentum=momentum, eps=1e-5).double()
    ours = BatchNorm(4, momentum=momentum)
    rng = np.random.default_rng(0)
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(gamma))
        theirs.bias.copy_(torch.tensor(beta))
    ours.params["gamma"][...], ours.params["beta"][...] = gamma, beta
    for _ in range(5):  # training mode: outputs, gradients, running averages
        x, dout = rng.normal(2.0, 3.0, size=(8, 4)), rng.normal(size=(8, 4))
        x_t = torch.tensor(x, requires_grad=True)
        out_t = theirs(x_t)
        out_t.backward(torch.tensor(dout))
        out = ours.forward(x)
        dx = ours.backward(dout)
        np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.grads["gamma"], theirs.weight.grad.numpy(), rtol=1e-12)
        np.testing.assert_allclose(ours.grads["beta"], theirs.bias.grad.numpy(), rtol=1e-12)
        theirs.zero_grad()
        np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-13)
        np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-13)
    theirs.eval()  # evaluation mode: the running averages
    ours.training = False
    x, dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    x_t = torch.tensor(x, requires_grad=True)
    out_t = theirs(x_t)
    out_t.backward(torch.tensor(dout))
    np.testing.assert_allclose(ours.forward(x), out_t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.backward(dout), x_t.grad.numpy(), rtol=1e-12)


# -------------------------------------------------------------- the MLP ---
def digits_like(seed=0, n=40, d=5, classes=3):
    """Gaussian inputs labelled by which of their first ``classes`` features is largest."""
    X = np.random.default_rng(seed).normal(size=(n, d))
    return X, np.argmax(X[:, :classes], axis=1)


def test_mlp_puts_batchnorm_between_dense_and_activation():
    model = MLP([5, 8, 6, 3], batch_norm=True)
    kinds = [type(layer) for layer in model.layers]
    assert kinds == [Dense, BatchNorm, Activation, Dense, BatchNorm, Activation, Dense]
    assert list(model.params) == [
        "W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3",
    ]  # fmt: skip
    assert model.params["gamma2"].shape == (6,)
    assert list(model.buffers) == ["running_mean1", "running_var1", "running_mean2", "running_var2"]
    assert "batch_norm=True" in repr(model)
    assert MLP([5, 8, 3]).buffers == {}


def test_mlp_batchnorm_parameters_count():
    plain, normed = MLP([64, 100, 50, 10]), MLP([64, 100, 50, 10], batch_norm=True)
    count = lambda m: sum(p.size for p in m.params.values())  # noqa: E731
    assert count(normed) - count(plain) == 2 * (100 + 50)


def test_mlp_batch_norm_must_be_a_bool():
    with pytest.raises(TypeError, match="batch_norm"):
        MLP([2, 3, 2], batch_norm="yes")


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_mlp_gradients_match_central_differences_in_training_mode(weight_decay):
    X, y = digits_like()
    model = MLP([5, 8, 6, 3], activation="tanh", batch_norm=True, weight_decay=weight_decay)
    model.train()
    rng = np.random.default_rng(3)
    for key in model.params:  # move gamma and beta away from 1 and 0
        model.params[key] += 0.3 * rng.normal(size=model.params[key].shape)
    saved = {k: v.copy() for k, v in model.buffers.items()}

    def loss(_):
        for k, v in saved.items():
            model.buffers[k][...] = v
        return model.loss(X, y)

    loss(None)
    grads = {k: v.copy() for k, v in model.backward().items()}
    for key, param in model.params.items():
        numeric = numerical_gradient(loss, param)
        if key in ("b1", "b2"):
            # A bias before batch normalization is subtracted away with the mean: its true
            # gradient is 0, and both sides may differ from 0 only by rounding.
            assert np.abs(grads[key]).max() < 1e-14 and np.abs(numeric).max() < 1e-9, key
            continue
        # Entry by entry below 1e-6: the normalization's curvature leaves central differences
        # a truncation error near 1e-10, which is 1e-7 of the smallest entries (about 1e-4);
        # over the whole array the two agree to far better than 1e-7.
        assert relative_error(grads[key], numeric) < 1e-6, key
        whole = np.linalg.norm(grads[key] - numeric) / np.linalg.norm(grads[key] + numeric)
        assert whole < 1e-8, key


def test_weight_decay_leaves_gamma_and_beta_alone():
    X, y = digits_like()
    grads = {}
    for lam in (0.0, 0.5):
        model = MLP([5, 8, 3], batch_norm=True, weight_decay=lam).train()
        model.params["gamma1"][...] = 2.0
        model.params["beta1"][...] = 1.0
        model.loss(X, y)
        grads[lam] = model.backward()
    for key in ("gamma1", "beta1", "b1"):
        np.testing.assert_array_equal(grads[0.0][key], grads[0.5][key])
    assert not np.allclose(grads[0.0]["W1"], grads[0.5]["W1"])


def test_bias_before_batchnorm_gets_no_gradient():
    X, y = digits_like()
    model = MLP([5, 8, 3], batch_norm=True).train()
    model.loss(X, y)
    assert np.abs(model.backward()["b1"]).max() < 1e-14


def test_train_and_eval_modes():
    X, _ = digits_like()
    model = MLP([5, 8, 3], batch_norm=True)
    assert not model.training and not model.layers[1].training
    fresh = model.forward(X)  # evaluation at the start: running mean 0, variance 1
    model.train()
    assert model.layers[1].training
    in_batch = model.forward(X)
    assert not np.allclose(fresh, in_batch)
    model.eval()
    np.testing.assert_allclose(model.forward(X[:1]), model.forward(X)[:1], rtol=1e-13)


def test_fit_trains_in_training_mode_and_updates_the_running_averages():
    X, y = digits_like(n=60)
    model = MLP([5, 16, 3], batch_norm=True)
    before = model.loss(X, y)
    history = fit(model, X, y, Adam(0.01), epochs=30, batch_size=16)
    assert not model.training
    assert history.epoch_loss[-1] < 0.5 * history.epoch_loss[0]
    assert model.loss(X, y) < before
    assert not np.allclose(model.buffers["running_mean1"], 0.0)
    np.testing.assert_array_equal(model.buffers["running_mean1"], model.layers[1].running_mean)


def test_early_stopping_restores_the_running_averages_too():
    X, y = digits_like(n=60)
    Xv, yv = digits_like(seed=1, n=30)
    snapshots = {}

    def remember(epoch, history):
        snapshots[epoch] = {k: v.copy() for k, v in model.buffers.items()}

    model = MLP([5, 32, 3], batch_norm=True)
    history = fit(model, X, y, Adam(0.05), epochs=60, batch_size=8, validation=(Xv, yv),
                  patience=3, on_epoch_end=remember)  # fmt: skip
    assert history.stopped_early and history.best_epoch < history.epochs
    for key, value in model.buffers.items():
        np.testing.assert_array_equal(value, snapshots[history.best_epoch][key])


def test_a_stack_of_batchnorm_networks_matches_each_network_alone():
    X, y = digits_like(n=48)
    nets = [MLP([5, 8, 3], batch_norm=True, seed=s) for s in range(3)]
    stack = nets[0].stack([net.params for net in nets])
    assert stack.buffers["running_mean1"].shape == (3, 1, 8)
    lrs = np.array([0.01, 0.05, 0.1])
    stack_history = fit_stack(stack, X, y, SGD(lrs), epochs=4, batch_size=16)
    for k, net in enumerate(nets):
        history = fit(net, X, y, SGD(lrs[k]), epochs=4, batch_size=16)
        np.testing.assert_allclose(stack_history.loss[:, k], history.loss, rtol=1e-10)
        np.testing.assert_allclose(stack.params["gamma1"][k, 0], net.params["gamma1"], rtol=1e-10)
        np.testing.assert_allclose(
            stack.buffers["running_var1"][k, 0], net.buffers["running_var1"], rtol=1e-10
        )
    np.testing.assert_allclose(
        stack.accuracy(X, y), [net.accuracy(X, y) for net in nets], rtol=1e-12
    )


# ------------------------------------------------- chapter 11's exercises ---
def test_chapter_11_exercise_answers_are_the_layers_own():
    from nbtext.exercises import ch11

    layer = BatchNorm(2)
    layer.params["gamma"][...], layer.params["beta"][...] = ch11._GAMMA2, ch11._BETA2
    np.testing.assert_allclose(layer.forward(ch11._X2), ch11.q2.reference, rtol=1e-12)

    layer = BatchNorm(3)
    layer.params["gamma"][...], layer.params["beta"][...] = ch11._GAMMA6, ch11._BETA6
    layer.running_mean[...], layer.running_var[...] = ch11._MEAN6, ch11._VAR6
    layer.training = False
    out = layer.forward(ch11._X6[None, :])[0]
    np.testing.assert_allclose(out, np.ravel(ch11.q6.reference), rtol=1e-12)

    rng = np.random.default_rng(0)
    x, dout = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    mean, var = rng.normal(size=3), rng.uniform(0.5, 2.0, size=3)
    layer = BatchNorm(3)
    layer.running_mean[...], layer.running_var[...] = mean, var
    layer.forward(x)
    new_mean, new_var = ch11.update_running_stats(mean, var, x, 0.1)
    np.testing.assert_allclose(layer.running_mean, new_mean, rtol=1e-13)
    np.testing.assert_allclose(layer.running_var, new_var, rtol=1e-13)
    x_hat = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    dx = ch11.input_gradient(dout, x_hat, layer.params["gamma"], 1 / np.sqrt(x.var(0) + 1e-5))
    np.testing.assert_allclose(layer.backward(dout), dx, rtol=1e-12)

    plain, normed = MLP([64, 100, 50, 10]), MLP([64, 100, 50, 10], batch_norm=True)
    added = sum(p.size for p in normed.params.values()) - sum(p.size for p in plain.params.values())
    assert added == ch11.q7.reference
