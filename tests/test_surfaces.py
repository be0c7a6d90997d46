"""Tests for nbtext.surfaces: analytic gradients, lookups and descend() trajectories."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from nbtext.surfaces import (
    CURVES,
    SURFACES,
    Curve,
    Surface,
    Trajectory,
    bowl,
    descend,
    double_well,
    elongated,
    get_curve,
    get_surface,
    parabola,
    rosenbrock,
    saddle,
)

H = 1e-5


def _relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """CS231n relative error, elementwise then the worst: |a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


class Momentum:
    """A tiny heavy-ball optimizer standing in for nbtext.optimizers (written elsewhere)."""

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        self.lr, self.momentum, self.velocity = lr, momentum, {}
        self.calls: list[tuple[tuple[str, ...], tuple[int, ...], np.dtype]] = []

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.calls.append((tuple(params), params["p"].shape, grads["p"].dtype))
        for key, p in params.items():
            v = self.velocity.setdefault(key, np.zeros_like(p))
            v *= self.momentum
            v -= self.lr * grads[key]
            p += v


class WriteNaN:
    """An optimizer whose first step produces NaN."""

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        params["p"][...] = np.nan


# ---------------------------------------------------------------- gradients ---


@pytest.mark.parametrize("surface", list(SURFACES.values()), ids=list(SURFACES))
def test_surface_gradient_matches_central_differences(surface: Surface) -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(*surface.xlim, size=200)
    y = rng.uniform(*surface.ylim, size=200)
    dx, dy = surface.grad(x, y)
    num_dx = (surface.f(x + H, y) - surface.f(x - H, y)) / (2 * H)
    num_dy = (surface.f(x, y + H) - surface.f(x, y - H)) / (2 * H)
    assert _relative_error(dx, num_dx) < 1e-7
    assert _relative_error(dy, num_dy) < 1e-7


@pytest.mark.parametrize("curve", list(CURVES.values()), ids=list(CURVES))
def test_curve_gradient_matches_central_differences(curve: Curve) -> None:
    x = np.random.default_rng(1).uniform(*curve.xlim, size=200)
    numeric = (curve.f(x + H) - curve.f(x - H)) / (2 * H)
    assert _relative_error(curve.grad(x), numeric) < 1e-7


@pytest.mark.parametrize("surface", list(SURFACES.values()), ids=list(SURFACES))
def test_surface_works_on_scalars_and_meshgrids(surface: Surface) -> None:
    X, Y, Z = surface.grid(31)
    assert X.shape == Y.shape == Z.shape == (31, 31)
    dx, dy = surface.grad(X, Y)
    assert dx.shape == dy.shape == (31, 31)
    assert Z[4, 7] == pytest.approx(surface.f(X[4, 7], Y[4, 7]))
    assert float(surface.f(1.0, 2.0)) == pytest.approx(surface.f(np.array([1.0]), 2.0)[0])


def test_known_values() -> None:
    assert bowl.f(3.0, 4.0) == 25.0
    assert elongated.f(10.0, 1.0) == 6.0
    assert rosenbrock.f(1.0, 1.0) == 0.0
    assert saddle.f(1.0, 2.0) == -3.0
    assert parabola.f(-3.0) == 9.0
    assert elongated.default_start == (-7.0, 2.0)
    assert elongated.xlim == (-10.0, 10.0) and elongated.ylim == (-5.0, 5.0)
    assert "x^2/20" in elongated.title
    assert saddle.minimum is None


@pytest.mark.parametrize(
    "surface", [s for s in SURFACES.values() if s.minimum is not None], ids=lambda s: s.name
)
def test_surface_minimum_is_a_minimum(surface: Surface) -> None:
    mx, my = surface.minimum
    assert np.allclose(surface.grad(mx, my), 0.0)
    _, _, Z = surface.grid(51)
    assert surface.f(mx, my) <= Z.min()


def test_curve_minima() -> None:
    assert parabola.minimum == 0.0
    m = double_well.minimum
    assert abs(double_well.grad(m)) < 1e-9
    assert m == pytest.approx(-1.3008, abs=1e-4)
    _, fx = double_well.grid()
    assert double_well.f(m) <= fx.min()
    # it is non-convex: a second stationary point with positive curvature exists near 1.13
    assert abs(double_well.grad(1.1309)) < 1e-3


def test_lookup_by_name() -> None:
    assert get_surface("elongated") is elongated
    assert get_surface(" Rosenbrock ") is rosenbrock
    assert get_curve("PARABOLA") is parabola
    with pytest.raises(ValueError, match="valid names are 'bowl', 'elongated'"):
        get_surface("banana")
    with pytest.raises(ValueError, match="'parabola', 'double_well'"):
        get_curve("cubic")
    with pytest.raises(TypeError, match="must be a string"):
        get_surface(3)


def test_objectives_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        bowl.name = "cup"


# ------------------------------------------------------------------ descend ---


def test_gradient_descent_on_bowl_converges() -> None:
    traj = descend(bowl, (-2.5, 2.0), 0.1, 100)
    assert isinstance(traj, Trajectory)
    assert traj.points.shape == (101, 2) and traj.values.shape == (101,)
    assert traj.points.dtype == np.float64
    assert traj.diverged_at is None and not traj.diverged
    assert np.linalg.norm(traj.final) < 1e-8
    assert np.all(np.diff(traj.values) < 0)
    assert np.allclose(traj.values, bowl.f(traj.points[:, 0], traj.points[:, 1]))


def test_gradient_descent_step_is_p_minus_lr_grad() -> None:
    traj = descend(elongated, (-7.0, 2.0), 0.5, 1)
    expected = np.array([-7.0, 2.0]) - 0.5 * np.array(elongated.grad(-7.0, 2.0))
    assert np.allclose(traj.points[1], expected)


def test_first_point_is_start_and_start_not_mutated() -> None:
    start = np.array([-1.5, 2.0])
    traj = descend(rosenbrock, start, Momentum(1e-3), 50)
    assert np.array_equal(start, [-1.5, 2.0])
    assert np.array_equal(traj.points[0], start)
    assert traj.points[0] is not start


def test_start_none_uses_default_and_names_are_accepted() -> None:
    traj = descend("elongated", None, 0.9, 3)
    assert np.array_equal(traj.points[0], elongated.default_start)


def test_descend_is_deterministic() -> None:
    a = descend(rosenbrock, None, Momentum(1e-3), 300)
    b = descend(rosenbrock, None, Momentum(1e-3), 300)
    assert np.array_equal(a.points, b.points) and np.array_equal(a.values, b.values)


def test_optimizer_object_gets_one_float64_param_updated_in_place() -> None:
    opt = Momentum(0.05)
    traj = descend(elongated, None, opt, 200)
    assert len(opt.calls) == 200
    assert set(opt.calls) == {(("p",), (2,), np.dtype(np.float64))}
    assert np.linalg.norm(traj.final) < np.linalg.norm(traj.points[0])


def test_curves_give_one_column() -> None:
    traj = descend(parabola, 3.0, 0.1, 20)
    assert traj.points.shape == (21, 1)
    assert traj.points[1, 0] == pytest.approx(3.0 - 0.1 * 6.0)
    assert descend(parabola, [3.0], 0.1, 20).points.shape == (21, 1)


def test_double_well_small_steps_stop_in_the_local_minimum() -> None:
    traj = descend(double_well, 2.0, 0.01, 2000)
    assert traj.final[0] == pytest.approx(1.1309, abs=1e-3)
    assert traj.final[0] != pytest.approx(double_well.minimum, abs=0.5)


def test_zero_steps_returns_the_start() -> None:
    traj = descend(bowl, (1.0, 2.0), 0.1, 0)
    assert traj.points.shape == (1, 2) and traj.values.tolist() == [5.0]


def test_divergence_is_reported_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = descend(parabola, 3.0, 1.1, 200)
    assert traj.diverged
    # |x| grows by 1.2 per step: 3 * 1.2**k first exceeds 1e6 at k = 70
    assert traj.diverged_at == 70
    assert len(traj.points) == traj.diverged_at
    assert np.all(np.isfinite(traj.points)) and np.all(np.isfinite(traj.values))
    assert np.all(np.abs(traj.points) <= 1e6)


@pytest.mark.parametrize(
    ("objective", "lr"), [(parabola, 1.1), (rosenbrock, 0.1), (saddle, 1e300), (bowl, 1e308)]
)
def test_overflow_to_inf_is_caught_without_warnings(objective, lr) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = descend(objective, None, lr, 10_000, max_norm=1e307)
    assert traj.diverged_at is not None
    assert np.all(np.isfinite(traj.points)) and np.all(np.isfinite(traj.values))


def test_nan_from_the_optimizer_counts_as_divergence() -> None:
    traj = descend(bowl, (1.0, 1.0), WriteNaN(), 5)
    assert traj.diverged_at == 1
    assert traj.points.shape == (1, 2)


def test_trajectory_is_frozen() -> None:
    traj = descend(bowl, (1.0, 1.0), 0.1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        traj.diverged_at = 3


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"steps": -1}, ValueError, r"steps must be a whole number >= 0, got -1"),
        ({"steps": 2.5}, TypeError, r"steps must be a whole number >= 0, got float"),
        ({"steps": True}, TypeError, r"steps must be a whole number"),
        ({"start": (1.0, 2.0, 3.0)}, ValueError, r"2 coordinates \(x, y\).*got 3 value"),
        ({"start": (1.0,)}, ValueError, r"2 coordinates \(x, y\).*got 1 value"),
        ({"start": (np.nan, 0.0)}, ValueError, r"start must contain only finite"),
        ({"start": "origin"}, TypeError, r"start must be a number"),
        ({"start": (1e7, 0.0)}, ValueError, r"beyond max_norm"),
        ({"optimizer": 0.0}, ValueError, r"learning rate must be a positive"),
        ({"optimizer": -0.1}, ValueError, r"learning rate must be a positive"),
        ({"optimizer": "adam"}, TypeError, r"positive learning rate or an object with step"),
        ({"max_norm": 0}, ValueError, r"max_norm must be a positive"),
        ({"objective": "banana"}, ValueError, r"valid names are 'bowl'.*'parabola'"),
        ({"objective": 42}, TypeError, r"Surface, a Curve"),
    ],
)
def test_bad_input_is_rejected(kwargs, error, match) -> None:
    args = {"objective": bowl, "start": (1.0, 1.0), "optimizer": 0.1, "steps": 5, **kwargs}
    with pytest.raises(error, match=match):
        descend(**args)


def test_curve_start_must_be_one_number() -> None:
    with pytest.raises(ValueError, match=r"1 coordinate x for 'parabola', got 2"):
        descend(parabola, (1.0, 2.0), 0.1, 5)


def test_first_steps_cuts_a_run_and_drops_a_later_divergence() -> None:
    run = descend("parabola", 3.0, 1.5, 100, max_norm=100.0)  # x doubles, sign flips
    assert run.diverged_at == 6 and run.steps == 5
    assert run.first_steps(10) is run and run.first_steps(6) is run
    cut = run.first_steps(5)  # the blow-up happens at step 6, after this run ends
    assert cut.diverged_at is None and cut.steps == 5
    np.testing.assert_array_equal(cut.points, run.points)
    short = run.first_steps(2)
    assert short.steps == 2 and not short.diverged
    np.testing.assert_array_equal(short.values, run.values[:3])
    calm = descend("parabola", 3.0, 0.1, 10)
    assert calm.first_steps(10) is calm and calm.first_steps(3).steps == 3
