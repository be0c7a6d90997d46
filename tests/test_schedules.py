"""Tests for nbtext.schedules and the training recipe's tools (Chapter 12): each schedule by
hand and against torch.optim.lr_scheduler, fit with a schedule, the learning-rate range test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nbtext.network import MLP
from nbtext.optimizers import SGD, Adam
from nbtext.schedules import Constant, CosineDecay, LinearWarmup, StepDecay, schedule_values
from nbtext.training import RangeTest, fit, lr_range_test


# ----------------------------------------------------------------- by hand --
def test_step_decay_by_hand():
    schedule = StepDecay(0.1, step_size=3, gamma=0.5)
    np.testing.assert_allclose(
        schedule_values(schedule, 8), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]
    )


def test_cosine_decay_by_hand():
    schedule = CosineDecay(0.2, total_steps=4, min_lr=0.02)
    values = schedule_values(schedule, 7)
    half = 0.02 + 0.18 * (1 + math.cos(math.pi / 4)) / 2
    np.testing.assert_allclose(values[:3], [0.2, half, 0.11])
    np.testing.assert_allclose(values[4:], 0.02)  # the end, and held there


def test_linear_warmup_by_hand():
    schedule = LinearWarmup(1.0, warmup_steps=4, start_factor=0.2)
    np.testing.assert_allclose(schedule_values(schedule, 6), [0.2, 0.4, 0.6, 0.8, 1.0, 1.0])
    then = LinearWarmup(1.0, warmup_steps=2, after=StepDecay(1.0, 1, gamma=0.5))
    np.testing.assert_allclose(schedule_values(then, 5), [0.1, 0.55, 1.0, 0.5, 0.25])


def test_constant():
    assert schedule_values(Constant(0.3), 3).tolist() == [0.3, 0.3, 0.3]


@pytest.mark.parametrize(
    "make, error",
    [
        (lambda: StepDecay(0.0, 3), ValueError),
        (lambda: StepDecay(0.1, 0), ValueError),
        (lambda: StepDecay(0.1, 2, gamma=1.5), ValueError),
        (lambda: StepDecay(0.1, 2.5), TypeError),
        (lambda: CosineDecay(0.1, 10, min_lr=0.2), ValueError),
        (lambda: CosineDecay(-0.1, 10), ValueError),
        (lambda: LinearWarmup(0.1, 0), ValueError),
        (lambda: LinearWarmup(0.1, 5, after=0.3), TypeError),
        (lambda: LinearWarmup(0.1, 5, start_factor=0.0), ValueError),
        (lambda: Constant("fast"), TypeError),
    ],
)
def test_bad_arguments_are_refused(make, error):
    with pytest.raises(error):
        make()


@pytest.mark.parametrize("t", [-1, 1.5, True])
def test_bad_steps_are_refused(t):
    with pytest.raises(ValueError, match="step"):
        CosineDecay(0.1, 10)(t)


def test_reprs_name_the_settings():
    assert repr(StepDecay(0.1, 5, gamma=0.5)) == "StepDecay(lr=0.1, step_size=5, gamma=0.5)"
    assert "after=CosineDecay" in repr(LinearWarmup(0.1, 5, after=CosineDecay(0.1, 20)))


# ------------------------------------------------------------------- torch --
def torch_rates(make_scheduler, steps, lr):
    torch = pytest.importorskip("torch")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = make_scheduler(torch.optim.lr_scheduler, optimizer)
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return np.array(rates)


def test_step_decay_is_torchs_steplr():
    theirs = torch_rates(lambda s, o: s.StepLR(o, step_size=7, gamma=0.3), 50, 0.2)
    np.testing.assert_allclose(schedule_values(StepDecay(0.2, 7, gamma=0.3), 50), theirs, 1e-12)


def test_cosine_decay_is_torchs_cosine_annealing_up_to_t_max():
    make = lambda s, o: s.CosineAnnealingLR(o, T_max=40, eta_min=0.001)  # noqa: E731
    theirs = torch_rates(make, 41, 0.05)
    ours = schedule_values(CosineDecay(0.05, 40, min_lr=0.001), 41)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_linear_warmup_is_torchs_linearlr():
    make = lambda s, o: s.LinearLR(o, start_factor=0.1, total_iters=8)  # noqa: E731
    theirs = torch_rates(make, 30, 0.4)
    np.testing.assert_allclose(schedule_values(LinearWarmup(0.4, 8), 30), theirs, rtol=1e-12)


def test_warmup_then_cosine_is_torchs_sequentiallr():
    def make(s, o):
        warm = s.LinearLR(o, start_factor=0.25, total_iters=5)
        cosine = s.CosineAnnealingLR(o, T_max=30)
        return s.SequentialLR(o, [warm, cosine], milestones=[5])

    theirs = torch_rates(make, 36, 0.1)
    ours = LinearWarmup(0.1, 5, after=CosineDecay(0.1, 30), start_factor=0.25)
    np.testing.assert_allclose(schedule_values(ours, 36), theirs, rtol=1e-12, atol=1e-15)


# --------------------------------------------------------- fit with a schedule --
def blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


@pytest.mark.parametrize("unit", ["epoch", "iteration"])
def test_fit_uses_the_scheduled_rates(unit):
    X, y = blobs()
    schedule = StepDecay(0.5, step_size=3, gamma=0.5)
    model = MLP([2, 4, 2], seed=1)
    history = fit(model, X, y, SGD(1.0), epochs=4, batch_size=20, lr_schedule=schedule,
                  schedule_unit=unit)  # fmt: skip
    steps = np.arange(12) // 3 if unit == "epoch" else np.arange(12)
    expected = [schedule(int(t)) for t in steps]
    np.testing.assert_allclose(history.lr, expected)

    # The same updates by hand: set the rate, then take the step fit would take.
    by_hand = MLP([2, 4, 2], seed=1)
    by_hand.train()
    optimizer = SGD(1.0)
    gen = np.random.default_rng(0)
    for epoch in range(4):
        order = gen.permutation(len(X))
        for i in range(3):
            idx = order[i * 20 : (i + 1) * 20]
            optimizer.lr = expected[3 * epoch + i]
            by_hand.loss(X[idx], y[idx])
            optimizer.step(by_hand.params, by_hand.backward())
    for key, value in model.params.items():
        np.testing.assert_allclose(value, by_hand.params[key], rtol=1e-12)


def test_fit_without_a_schedule_keeps_the_rate_and_records_none():
    X, y = blobs()
    optimizer = SGD(0.3)
    history = fit(MLP([2, 4, 2]), X, y, optimizer, epochs=2, batch_size=20)
    assert optimizer.lr == 0.3 and history.lr == []


def test_fit_refuses_bad_schedules():
    X, y = blobs()
    with pytest.raises(ValueError, match="schedule_unit"):
        fit(MLP([2, 4, 2]), X, y, SGD(0.1), 1, 20, lr_schedule=Constant(0.1), schedule_unit="x")
    with pytest.raises(TypeError, match="lr_schedule"):
        fit(MLP([2, 4, 2]), X, y, SGD(0.1), 1, 20, lr_schedule=0.1)
    with pytest.raises(ValueError, match="finite rate"):
        fit(MLP([2, 4, 2]), X, y, SGD(0.1), 1, 20, lr_schedule=lambda t: -1.0)
    with pytest.raises(TypeError, match="must return a number"):
        fit(MLP([2, 4, 2]), X, y, SGD(0.1), 1, 20, lr_schedule=lambda t: "fast")


# ------------------------------------------------------- the range test ---
def test_range_test_leaves_model_and_optimizer_alone():
    X, y = blobs(200)
    model, optimizer = MLP([2, 16, 2], seed=0), Adam(1e-3)
    fit(model, X, y, optimizer, epochs=1, batch_size=50)  # the optimizer now has state
    params = {k: v.copy() for k, v in model.params.items()}
    state = {k: {n: np.copy(a) for n, a in v.items()} for k, v in optimizer.state.items()}
    lr_range_test(model, X, y, optimizer, steps=30)
    for key, value in params.items():
        np.testing.assert_array_equal(model.params[key], value)
    assert optimizer.lr == 1e-3 and not model.training
    for key, entries in state.items():
        for name, value in entries.items():
            np.testing.assert_array_equal(optimizer.state[key][name], value)


def test_range_test_grid_smoothing_and_suggestion():
    X, y = blobs(200)
    result = lr_range_test(MLP([2, 16, 2]), X, y, SGD(0.1), min_lr=1e-4, max_lr=100.0, steps=60)
    assert isinstance(result, RangeTest)
    full = 1e-4 * (1e6) ** (np.arange(60) / 59)
    np.testing.assert_allclose(result.lr, full[: len(result.lr)], rtol=1e-12)
    smoothed, average = [], 0.0
    for t, value in enumerate(result.loss):
        average = 0.9 * average + 0.1 * value
        smoothed.append(average / (1 - 0.9 ** (t + 1)))
    np.testing.assert_allclose(result.smoothed_loss, smoothed, rtol=1e-12)
    assert result.suggestion == pytest.approx(result.lr[np.argmin(result.smoothed_loss)] / 10)
    assert result.lr[0] / 10 <= result.suggestion <= result.lr[-1]


def test_range_test_stops_when_the_loss_explodes():
    X, y = blobs(200)
    result = lr_range_test(MLP([2, 16, 2]), X, y, SGD(0.1), min_lr=1e-3, max_lr=1e6, steps=80)
    assert len(result.lr) < 80
    assert result.smoothed_loss[-1] > 4 * result.smoothed_loss.min()  # why it stopped
    assert (result.smoothed_loss[:-1] <= 4 * result.smoothed_loss.min()).all()  # not before


def test_range_test_stops_at_an_infinite_loss():
    X, y = blobs(200)
    result = lr_range_test(MLP([2, 16, 2]), X, y, SGD(0.1), min_lr=1e-3, max_lr=1e9, steps=80,
                           stop_factor=1e300)  # fmt: skip
    assert len(result.lr) < 80 and np.isfinite(result.loss).all()


def test_range_test_is_deterministic():
    X, y = blobs(200)
    a = lr_range_test(MLP([2, 16, 2]), X, y, Adam(), steps=40, seed=3)
    b = lr_range_test(MLP([2, 16, 2]), X, y, Adam(), steps=40, seed=3)
    np.testing.assert_array_equal(a.loss, b.loss)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"min_lr": 1.0, "max_lr": 0.1}, ValueError),
        ({"steps": 1}, ValueError),
        ({"min_lr": 0.0}, ValueError),
        ({"smoothing": 1.0}, ValueError),
        ({"batch_size": 0}, ValueError),
    ],
)
def test_range_test_refuses_bad_arguments(kwargs, error):
    X, y = blobs()
    with pytest.raises(error):
        lr_range_test(MLP([2, 4, 2]), X, y, SGD(0.1), **kwargs)


# ------------------------------------------------- chapter 12's exercises ---
def test_chapter_12_exercise_answers_follow_the_formulas_and_accept_equivalents():
    from nbtext.exercises import ch12

    assert ch12.q1.reference == pytest.approx(0.1 * 0.5 ** (25 // 10))
    assert ch12.q2.reference == pytest.approx(0.1 * (1 + math.cos(math.pi * 20 / 100)) / 2)
    assert ch12.q3.reference(2, 1.0, 4) == pytest.approx(0.1 + 0.9 * 2 / 4)
    assert ch12.q3.reference(9, 0.5, 4) == 0.5
    assert ch12.q7.reference == (20, 20)

    def natural_log(rng, low, high, n):
        return np.exp(rng.uniform(np.log(low), np.log(high), n))

    def power_of_a_fraction(rng, low, high, n):
        return low * (high / low) ** rng.random(n)

    assert ch12.q6.verdict(natural_log)
    assert ch12.q6.verdict(power_of_a_fraction)
    for seed in (0, 1):  # the answer spreads evenly over the exponents
        values = ch12.log_uniform(np.random.default_rng(seed), 1e-4, 1.0, 20000)
        counts, _ = np.histogram(np.log10(values), bins=4, range=(-4, 0))
        assert counts.min() > 0.9 * counts.max()
