"""Tests for nbtext.training: iterations per epoch, mini-batches, and the fit loop."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbtext.network import MLP
from nbtext.optimizers import SGD, Adam
from nbtext.training import (
    History,
    clip_grad_norm,
    fit,
    fit_stack,
    gradient_norms,
    iterations_per_epoch,
    minibatches,
)

sizes_and_batches = st.tuples(st.integers(1, 300), st.integers(1, 400))


def blobs(n=20, seed=0):
    """Two Gaussian clusters in 2-D around (-1, -1) and (1, 1): labels 0 and 1."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(scale=0.5, size=(n, 2)) + np.where(y[:, None] == 1, 1.0, -1.0)
    return X, y


def regression(n=20, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 1))
    return X, 3.0 * X[:, 0]


# ----------------------------------------------------- iterations_per_epoch --


@given(sizes_and_batches)
def test_iterations_per_epoch_is_ceil_n_over_b_and_the_number_of_batches(nb):
    n, b = nb
    expected = math.ceil(n / b)
    assert iterations_per_epoch(n, b) == expected
    assert len(list(minibatches(n, b, seed=0))) == expected
    assert len(list(minibatches(n, b, shuffle=False))) == expected


@pytest.mark.parametrize(
    ("n", "b", "expected"),
    [(1797, 32, 57), (1000, 100, 10), (1001, 100, 11), (5, 10, 1), (7, 1, 7)],
)
def test_iterations_per_epoch_known_values(n, b, expected):
    assert iterations_per_epoch(n, b) == expected


def test_iterations_per_epoch_is_exact_for_huge_n():
    # integer arithmetic: float division would round 10**17 + 1 down to 10**17
    assert iterations_per_epoch(10**17 + 1, 10**17) == 2


@pytest.mark.parametrize(
    ("n", "b", "error", "match"),
    [
        (0, 32, ValueError, "n must be >= 1, got 0"),
        (10, 0, ValueError, "batch_size must be >= 1, got 0"),
        (10, -4, ValueError, "batch_size must be >= 1, got -4"),
        (10, 2.5, TypeError, "batch_size must be a whole number >= 1, got float 2.5"),
        (10, 2.0, TypeError, "batch_size must be a whole number"),
        (10, True, TypeError, "batch_size must be a whole number"),
        (10.0, 2, TypeError, "n must be a whole number"),
    ],
)
def test_bad_n_or_batch_size_is_refused_at_the_call(n, b, error, match):
    with pytest.raises(error, match=match):
        iterations_per_epoch(n, b)
    with pytest.raises(error, match=match):
        minibatches(n, b)  # before any batch is drawn


# -------------------------------------------------------------- minibatches --


@given(sizes_and_batches, st.integers(0, 2**32 - 1))
def test_minibatches_cover_each_index_exactly_once_and_keep_the_remainder(nb, seed):
    n, b = nb
    batches = list(minibatches(n, b, rng=np.random.default_rng(seed)))
    k = len(batches)
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    assert all(len(batch) == b for batch in batches[:-1])
    assert len(batches[-1]) == n - (k - 1) * b
    assert all(np.issubdtype(batch.dtype, np.integer) for batch in batches)


@given(sizes_and_batches, st.integers(0, 2**32 - 1))
def test_minibatches_same_seed_gives_same_batches(nb, seed):
    n, b = nb
    a = list(minibatches(n, b, rng=np.random.default_rng(seed)))
    c = list(minibatches(n, b, rng=np.random.default_rng(seed)))
    d = list(minibatches(n, b, seed=seed))  # a seed means the same generator
    for x, y, z in zip(a, c, d, strict=True):
        np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(x, z)


@given(sizes_and_batches)
def test_minibatches_without_shuffle_yield_indices_in_order(nb):
    n, b = nb
    batches = list(minibatches(n, b, shuffle=False))
    np.testing.assert_array_equal(np.concatenate(batches), np.arange(n))


def test_minibatches_shuffle_and_a_shared_generator_gives_a_new_order_each_epoch():
    gen = np.random.default_rng(0)
    first = np.concatenate(list(minibatches(100, 32, gen)))
    second = np.concatenate(list(minibatches(100, 32, gen)))
    assert not np.array_equal(first, np.arange(100))
    assert not np.array_equal(first, second)


def test_minibatches_default_rng_is_seed_0_and_leaves_global_state_alone():
    state = np.random.get_state()[1].copy()  # noqa: NPY002 (the legacy global state is the point)
    default = np.concatenate(list(minibatches(50, 8)))
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002
    np.testing.assert_array_equal(default, np.concatenate(list(minibatches(50, 8, seed=0))))


def test_minibatches_refuse_a_legacy_random_state_and_say_how_to_give_a_seed():
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        minibatches(10, 3, rng=np.random.RandomState(0))
    with pytest.raises(TypeError, match="to give a seed, write seed=3 instead"):
        minibatches(10, 3, rng=3)


# ---------------------------------------------------------------------- fit --


@pytest.mark.parametrize(("n", "batch_size"), [(20, 1), (20, 3), (20, 8), (20, 20), (20, 64)])
def test_fit_history_has_one_loss_per_iteration_and_one_epoch_loss_per_epoch(n, batch_size):
    X, y = blobs(n)
    epochs = 3
    history = fit(MLP([2, 4, 2]), X, y, SGD(0.1), epochs=epochs, batch_size=batch_size, seed=0)
    ipe = math.ceil(n / batch_size)
    assert isinstance(history, History)
    assert history.iterations_per_epoch == ipe
    assert len(history.loss) == epochs * ipe
    assert len(history.epoch_loss) == len(history.epoch_time) == history.epochs == epochs
    assert history.val_loss == [] and history.val_accuracy == []
    assert history.diverged_at is None
    assert all(np.isfinite(history.loss)) and all(t >= 0 for t in history.epoch_time)


def test_fit_epoch_loss_is_the_per_sample_mean_of_its_iterations():
    X, y = blobs(20)
    history = fit(MLP([2, 4, 2]), X, y, SGD(0.1), epochs=2, batch_size=8, seed=0)
    sizes = np.array([8, 8, 4])
    for epoch in range(2):
        losses = np.array(history.loss[3 * epoch : 3 * epoch + 3])
        assert history.epoch_loss[epoch] == pytest.approx(np.sum(losses * sizes) / 20, rel=1e-12)


def test_fit_is_deterministic_given_seeds():
    X, y = blobs(30)
    runs = []
    for _ in range(2):
        model = MLP([2, 5, 2], seed=3)
        history = fit(model, X, y, Adam(0.01), epochs=4, batch_size=7, seed=11)
        runs.append((history.loss, {k: v.copy() for k, v in model.params.items()}))
    assert runs[0][0] == runs[1][0]
    for key in runs[0][1]:
        assert runs[0][1][key].tobytes() == runs[1][1][key].tobytes()
    other = fit(MLP([2, 5, 2], seed=3), X, y, Adam(0.01), epochs=4, batch_size=7, seed=12)
    assert other.loss != runs[0][0]  # the shuffling seed matters


def test_fit_takes_a_seed_or_a_generator_like_mlp_and_the_datasets():
    X, y = blobs(20)
    a = fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=2, batch_size=6, seed=5)
    b = fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=2, batch_size=6, rng=np.random.default_rng(5))
    assert a.loss == b.loss
    with pytest.raises(TypeError, match="to give a seed, write seed=5 instead"):
        fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=2, batch_size=6, rng=5)


def test_fit_with_one_full_batch_is_batch_gradient_descent():
    X, y = blobs(20)
    model = MLP([2, 3, 2], seed=0)
    start = model.loss(X, y)
    grads = model.backward()
    expected_W1 = model.params["W1"] - 0.5 * grads["W1"]
    history = fit(model, X, y, SGD(0.5), epochs=1, batch_size=100, shuffle=False)
    assert history.loss == [pytest.approx(start, rel=1e-14)]
    np.testing.assert_allclose(model.params["W1"], expected_W1, rtol=1e-13)


def test_fit_with_batch_size_1_takes_one_step_per_sample():
    X, y = blobs(10)
    history = fit(MLP([2, 3, 2]), X, y, SGD(0.05), epochs=2, batch_size=1, seed=0)
    assert history.iterations_per_epoch == 10 and len(history.loss) == 20


def test_fit_reduces_the_loss_on_separable_blobs():
    X, y = blobs(40)
    model = MLP([2, 4, 2], "tanh", seed=0)
    history = fit(model, X, y, SGD(0.5), epochs=30, batch_size=8, seed=0)
    assert history.epoch_loss[-1] < 0.25 * history.epoch_loss[0]
    assert model.accuracy(X, y) == 1.0


def test_fit_records_validation_loss_and_accuracy_each_epoch():
    X, y = blobs(20, seed=0)
    X_val, y_val = blobs(10, seed=1)
    model = MLP([2, 4, 2], seed=0)
    history = fit(model, X, y, SGD(0.1), epochs=3, batch_size=5, seed=0, validation=(X_val, y_val))
    assert len(history.val_loss) == len(history.val_accuracy) == 3
    assert history.val_loss[-1] == pytest.approx(model.loss(X_val, y_val), rel=1e-14)
    assert history.val_accuracy[-1] == model.accuracy(X_val, y_val)


def test_fit_records_validation_accuracy_for_sigmoid_output():
    X, y = blobs(20)
    model = MLP([2, 3, 1], "tanh", "sigmoid", seed=0)
    history = fit(model, X, y, SGD(0.5), epochs=2, batch_size=5, validation=(X, y))
    assert history.val_accuracy[-1] == model.accuracy(X, y)


def test_fit_records_validation_loss_only_for_regression():
    X, y = regression()
    history = fit(MLP([1, 4, 1], "tanh", "identity"), X, y, SGD(0.01), 2, 5, validation=(X, y))
    assert len(history.val_loss) == 2 and history.val_accuracy == []


def test_fit_calls_on_epoch_end_after_every_epoch_with_the_history():
    X, y = blobs(12)
    calls = []

    def record(epoch, history):
        calls.append((epoch, history.epochs, len(history.loss)))

    history = fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=4, batch_size=5, on_epoch_end=record)
    assert calls == [(1, 1, 3), (2, 2, 6), (3, 3, 9), (4, 4, 12)]
    assert history.epochs == 4


def test_fit_stops_on_divergence_with_a_user_warning_and_no_runtime_warning():
    X, y = regression(20)
    model = MLP([1, 8, 1], "tanh", "identity", seed=0)
    with pytest.warns(
        UserWarning, match=r"training diverged: the loss became (inf|nan).*smaller learning rate"
    ) as record:
        history = fit(model, X, y, SGD(1e6), epochs=50, batch_size=5, seed=0)
    assert not [w for w in record if issubclass(w.category, RuntimeWarning)]
    assert history.diverged_at is not None
    assert 1 <= history.diverged_at < 50 * 4
    assert len(history.loss) == history.diverged_at  # training stopped at that iteration
    assert not np.isfinite(history.loss[-1])
    assert np.all(np.isfinite(history.loss[:-1]))
    assert history.epochs < 50
    assert len(history.epoch_time) == len(history.epoch_loss) == history.epochs
    assert f"diverged at iteration {history.diverged_at}" in repr(history)


def test_fit_does_not_warn_when_training_is_stable():
    X, y = blobs(20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=2, batch_size=5)
    assert history.diverged_at is None


def test_fit_with_progress_bar_runs_and_reports_on_stderr(capsys):
    X, y = blobs(20)
    history = fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=3, batch_size=5, progress=True)
    assert history.epochs == 3
    err = capsys.readouterr().err
    assert "training" in err and "3/3" in err


def test_in_a_notebook_the_stored_progress_bar_is_the_finished_one():
    # In a kernel the bar is a widget; the output a notebook stores (and GitHub shows) is
    # its text form, which must say 100 %, not the 0 % it started as.
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    code = (
        "from nbtext.datasets import blobs\nfrom nbtext.network import MLP\n"
        "from nbtext.optimizers import SGD\nfrom nbtext.training import fit\n"
        "X, y = blobs(20)\n"
        "history = fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=3, batch_size=5, progress=True)"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    (output,) = notebook.cells[0].outputs
    text = output["data"]["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in output["data"]
    assert text.startswith("training: 100%") and "3/3" in text and "loss=" in text


def test_fit_does_not_write_into_caller_arrays():
    X, y = blobs(20)
    X.setflags(write=False)
    y.setflags(write=False)
    fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=2, batch_size=6, validation=(X, y))


def test_history_repr_summarises_the_run():
    X, y = blobs(20)
    history = fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=2, batch_size=5)
    assert repr(history).startswith("History(2 epochs, 8 iterations, final epoch loss ")


# -------------------------------------------------------------- bad input --


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "epochs must be >= 1, got 0"),
        ({"epochs": -1}, ValueError, "epochs must be >= 1"),
        ({"epochs": 2.5}, TypeError, "epochs must be a whole number"),
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1, got 0"),
        ({"batch_size": 4.0}, TypeError, "batch_size must be a whole number >= 1, got float"),
        ({"batch_size": "32"}, TypeError, "batch_size must be a whole number"),
        (
            {"validation": [np.ones((2, 2)), [0, 1]]},
            TypeError,
            r"validation must be a tuple \(X_val, y_val\)",
        ),
        ({"seed": "seed"}, TypeError, "seed must be a whole number"),
        ({"rng": "seed"}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_fit_refuses_bad_arguments(kwargs, error, match):
    X, y = blobs(10)
    args = {"epochs": 1, "batch_size": 4} | kwargs
    with pytest.raises(error, match=match):
        fit(MLP([2, 3, 2]), X, y, SGD(0.1), **args)


@pytest.mark.parametrize("lr", [0.0, -0.1, np.nan])
@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_fit_with_non_positive_learning_rate_is_refused(optimizer, lr):
    X, y = blobs(10)
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        fit(MLP([2, 3, 2]), X, y, optimizer(lr), epochs=1, batch_size=4)


def test_fit_refuses_an_optimizer_without_step():
    X, y = blobs(10)
    with pytest.raises(TypeError, match=r"optimizer must have a step\(params, grads\) method"):
        fit(MLP([2, 3, 2]), X, y, 0.1, epochs=1, batch_size=4)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda X, y: (X[:, :1], y), "X has 1 features per sample but this network expects 2"),
        (lambda X, y: (X, y[:9]), "X has 10 samples but y has 9"),
        (lambda X, y: (X, y + 2), r"labels in 0\.\.1 for 2 classes, got 3"),
        (
            lambda X, y: (np.vstack([X[:-1], [[np.nan, 0.0]]]), y),
            "X must contain only finite numbers",
        ),
        (lambda X, y: (X, np.where(y == 1, np.inf, y)), "y must contain only finite numbers"),
    ],
    ids=["feature count", "sample count", "label range", "NaN in X", "inf in y"],
)
def test_fit_refuses_bad_data_before_training(make, match):
    X, y = make(*blobs(10))
    model = MLP([2, 3, 2])
    before = model.params["W1"].copy()
    with pytest.raises(ValueError, match=match):
        fit(model, X, y, SGD(0.1), epochs=1, batch_size=4)
    np.testing.assert_array_equal(model.params["W1"], before)


def test_fit_refuses_bad_validation_data():
    X, y = blobs(10)
    with pytest.raises(ValueError, match="X has 3 features per sample"):
        fit(MLP([2, 3, 2]), X, y, SGD(0.1), 1, 4, validation=(np.ones((4, 3)), [0, 1, 0, 1]))


# ---------------------------------------------------------------- fit_stack --


@pytest.mark.parametrize(
    ("sizes", "activation", "output", "batch", "epochs"),
    [
        ([2, 16, 2], "relu", "softmax", 1, 2),
        ([2, 16, 2], "relu", "softmax", 6, 4),
        ([2, 16, 2], "relu", "softmax", 30, 4),
        ([2, 8, 6, 2], "leaky_relu", "softmax", 7, 3),
        ([2, 5, 1], "tanh", "sigmoid", 4, 3),
        ([1, 6, 1], "sigmoid", "identity", 5, 3),
    ],
)
def test_each_copy_of_a_stack_makes_the_updates_fit_makes(sizes, activation, output, batch, epochs):
    X, y = regression(30) if output == "identity" else blobs(30, seed=4)
    rates = np.array([0.01, 0.3, 2.0])
    stack = MLP(sizes, activation, output, seed=3).stack(len(rates))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lr 2.0 may diverge: that is compared too
        record = fit_stack(stack, X, y, SGD(rates), epochs, batch, seed=5)
        for k, lr in enumerate(rates):
            model = MLP(sizes, activation, output, seed=3)
            history = fit(model, X, y, SGD(lr), epochs, batch, seed=5)
            mine = record.history(k)
            np.testing.assert_allclose(mine.loss, history.loss, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(mine.epoch_loss, history.epoch_loss, rtol=1e-9)
            assert mine.diverged_at == history.diverged_at
            if not history.diverged:
                for key, value in model.params.items():
                    np.testing.assert_allclose(stack.params[key][k].reshape(value.shape), value,
                                               rtol=1e-9, atol=1e-12)  # fmt: skip


def test_fit_stack_with_adam_per_copy_matches_separate_runs():
    X, y = blobs(24)
    rates = [0.001, 0.01, 0.1]
    stack = MLP([2, 4, 2], seed=1).stack(3)
    record = fit_stack(stack, X, y, Adam(rates), epochs=3, batch_size=5, seed=2)
    for k, lr in enumerate(rates):
        history = fit(MLP([2, 4, 2], seed=1), X, y, Adam(lr), epochs=3, batch_size=5, seed=2)
        np.testing.assert_allclose(record.loss[:, k], history.loss, rtol=1e-9)


def test_a_diverging_copy_is_marked_and_the_others_go_on():
    X, y = blobs(20)
    stack = MLP([2, 8, 2], seed=0).stack(2)
    with pytest.warns(UserWarning, match=r"diverged for 1 of 2 copies \(copies \[1\]\)"):
        record = fit_stack(stack, X, y, SGD([0.1, 1e6]), epochs=5, batch_size=4, max_loss=50.0)
    at = record.diverged_at[1]
    assert record.diverged_at[0] is None and at is not None
    assert not record.loss[at - 1, 1] <= 50.0  # the loss that blew up is kept ...
    assert np.all(np.isnan(record.loss[at:, 1]))  # ... and nothing after it
    assert np.all(np.isfinite(record.loss[:, 0])) and np.all(np.isfinite(record.epoch_loss[:, 0]))
    assert record.history(1).diverged and not record.history(0).diverged


def test_fit_and_fit_stack_share_the_meaning_of_max_loss():
    X, y = blobs(20)
    with pytest.warns(UserWarning, match="training diverged"):
        history = fit(MLP([2, 8, 2], seed=0), X, y, SGD(1e6), 5, 4, max_loss=50.0)
    record = None
    with pytest.warns(UserWarning):
        record = fit_stack(MLP([2, 8, 2], seed=0).stack(1), X, y, SGD([1e6]), 5, 4, max_loss=50.0)
    assert history.diverged_at == record.diverged_at[0]


def test_fit_and_fit_stack_refuse_the_other_kind():
    X, y = blobs(10)
    with pytest.raises(TypeError, match="train it with fit_stack"):
        fit(MLP([2, 3, 2]).stack(2), X, y, SGD(0.1), 1, 4)
    with pytest.raises(TypeError, match=r"model.stack\(k\)"):
        fit_stack(MLP([2, 3, 2]), X, y, SGD(0.1), 1, 4)


def test_fit_stack_is_deterministic():
    X, y = blobs(20)
    first = fit_stack(MLP([2, 4, 2]).stack(2), X, y, SGD([0.1, 0.5]), 2, 3, seed=7)
    second = fit_stack(MLP([2, 4, 2]).stack(2), X, y, SGD([0.1, 0.5]), 2, 3, seed=7)
    np.testing.assert_array_equal(first.loss, second.loss)


# ----------------------------------------------------------- clip_grad_norm --


def test_clip_grad_norm_shortens_a_long_gradient_and_keeps_its_direction():
    grads = {"W1": np.array([[3.0, 0.0], [0.0, 0.0]]), "b1": np.array([4.0, 0.0])}
    before = {k: v.copy() for k, v in grads.items()}
    assert clip_grad_norm(grads, 1.0) == 5.0  # the length before clipping
    scale = 1.0 / (5.0 + 1e-6)
    for key in grads:
        np.testing.assert_allclose(grads[key], before[key] * scale, rtol=1e-15)
    total = math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
    assert total < 1.0 and total == pytest.approx(1.0, rel=1e-5)


def test_clip_grad_norm_leaves_a_short_gradient_alone():
    grads = {"W": np.array([0.3, 0.4])}
    assert clip_grad_norm(grads, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(grads["W"], [0.3, 0.4])


def test_clip_grad_norm_is_torchs_rule():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for max_norm in (0.1, 2.0, 100.0):
        grads = {
            "W1": rng.normal(size=(4, 3)),
            "b1": rng.normal(size=3),
            "W2": rng.normal(size=(3,)),
        }
        params = [
            torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads.values()
        ]
        for p, g in zip(params, grads.values(), strict=True):
            p.grad = torch.tensor(g)
        theirs = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
        ours = clip_grad_norm(grads, max_norm)
        assert ours == pytest.approx(theirs, rel=1e-12)
        for p, g in zip(params, grads.values(), strict=True):
            np.testing.assert_allclose(g, p.grad.numpy(), rtol=1e-12)


def test_fit_clips_every_update():
    X, y = blobs(20)
    plain, clipped = MLP([2, 8, 2], seed=0), MLP([2, 8, 2], seed=0)
    fit(plain, X, y, SGD(1.0), epochs=1, batch_size=20, shuffle=False)
    fit(clipped, X, y, SGD(1.0), epochs=1, batch_size=20, shuffle=False, max_grad_norm=1e-3)
    start = MLP([2, 8, 2], seed=0).params
    moved = math.sqrt(sum(float(np.sum((clipped.params[k] - start[k]) ** 2)) for k in start))
    assert moved == pytest.approx(1e-3, rel=1e-3)  # one step of lr 1 × a gradient of length 1e-3
    assert not np.allclose(plain.params["W1"], clipped.params["W1"])


@pytest.mark.parametrize("max_norm", [0.0, -1.0, np.inf])
def test_clip_grad_norm_needs_a_positive_length(max_norm):
    with pytest.raises(ValueError, match="max_norm must be a positive finite number"):
        clip_grad_norm({"W": np.ones(2)}, max_norm)


# ----------------------------------------------------------- early stopping --


def test_early_stopping_stops_after_patience_epochs_and_restores_the_best_weights():
    # Labels that are pure noise: the network memorises the training set, and the validation
    # loss soon rises.
    rng = np.random.default_rng(5)
    X, y, X_val, y_val = (
        rng.normal(size=(30, 2)),
        rng.integers(0, 2, 30),
        rng.normal(size=(30, 2)),
        rng.integers(0, 2, 30),
    )
    kept = {}

    def remember(epoch, history):
        kept[epoch] = {k: v.copy() for k, v in model.params.items()}

    model = MLP([2, 32, 2], seed=0)
    history = fit(model, X, y, SGD(2.0), epochs=200, batch_size=4, validation=(X_val, y_val),
                  patience=3, on_epoch_end=remember)  # fmt: skip
    best = int(np.argmin(history.val_loss)) + 1
    assert history.best_epoch == best
    assert history.stopped_early and history.epochs == best + 3 < 200
    assert all(v >= history.val_loss[best - 1] for v in history.val_loss[best:])
    for key, value in model.params.items():
        np.testing.assert_array_equal(value, kept[best][key])
    assert model.loss(X_val, y_val) == pytest.approx(min(history.val_loss), rel=1e-12)


def test_without_patience_training_runs_every_epoch():
    X, y = blobs(20)
    history = fit(MLP([2, 4, 2]), X, y, SGD(0.1), epochs=6, batch_size=5, validation=(X, y))
    assert history.epochs == 6 and history.best_epoch is None and not history.stopped_early


def test_early_stopping_needs_validation_data():
    X, y = blobs(10)
    with pytest.raises(ValueError, match="early stopping watches the validation loss"):
        fit(MLP([2, 3, 2]), X, y, SGD(0.1), epochs=2, batch_size=5, patience=2)


def test_fit_trains_with_dropout_and_measures_without_it():
    X, y = blobs(30)
    model = MLP([2, 16, 2], dropout=0.5, seed=0)
    seen = []
    history = fit(model, X, y, SGD(0.1), epochs=3, batch_size=10, validation=(X, y),
                  on_epoch_end=lambda e, h: seen.append(model.training))  # fmt: skip
    assert seen == [False, False, False]  # evaluation mode after each epoch's updates
    assert not model.training  # left as it was found
    assert history.val_loss[-1] == model.loss(X, y)  # measured with every unit
    model.train()
    fit(model, X, y, SGD(0.1), epochs=1, batch_size=10)
    assert model.training


def test_gradient_norms_are_the_length_of_each_gradient():
    norms = gradient_norms({"W1": np.array([[3.0, 4.0]]), "b1": np.zeros(2)})
    assert norms == {"W1": 5.0, "b1": 0.0}


def test_fit_stack_clips_each_copy_as_fit_clips_one_network():
    X, y = blobs(24, seed=3)
    nets = [MLP([2, 8, 8, 2], "tanh", init=1.0, seed=s) for s in range(3)]
    stack = nets[0].stack([net.params for net in nets])
    record = fit_stack(stack, X, y, SGD(0.5), epochs=3, batch_size=6, seed=1, max_grad_norm=0.5)
    for k, net in enumerate(nets):
        history = fit(net, X, y, SGD(0.5), epochs=3, batch_size=6, seed=1, max_grad_norm=0.5)
        np.testing.assert_allclose(record.loss[:, k], history.loss, rtol=1e-9)


def test_per_copy_gradient_norms_and_clipping():
    grads = {"W": np.array([[[3.0]], [[0.3]]]), "b": np.array([[[4.0]], [[0.4]]])}
    np.testing.assert_allclose(gradient_norms(grads, per_copy=True)["W"], [3.0, 0.3])
    total = clip_grad_norm(grads, 1.0, per_copy=True)
    np.testing.assert_allclose(total, [5.0, 0.5])
    np.testing.assert_allclose(grads["W"][:, 0, 0], [3.0 / (5.0 + 1e-6), 0.3])  # only copy 0
