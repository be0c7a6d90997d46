"""Objectives with analytic gradients, and gradient-descent trajectories (Chapters 05 and 07).

Chapter 05 walks down a 1-D curve and a 2-D bowl with a learning-rate slider; chapter 07 races
SGD, Momentum, AdaGrad, RMSProp and Adam across the same surfaces, including the elongated bowl
f(x, y) = x²/20 + y² of *Deep Learning from Scratch*, chapter 6. Each objective keeps its
gradient in closed form next to its formula, so a reader sees both on one screen.

``f`` and ``grad`` work elementwise: give them numbers for one point or ``np.meshgrid`` arrays
for a whole contour plot. ``descend`` runs any optimizer with a ``step(params, grads)`` method
(a bare learning rate means ``nbtext.optimizers.SGD``, plain gradient descent) and returns
the path it took.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nbtext._validation import as_float_array, check_positive
from nbtext.optimizers import SGD

__all__ = [
    "CURVES",
    "SURFACES",
    "Curve",
    "Surface",
    "Trajectory",
    "bowl",
    "descend",
    "double_well",
    "elongated",
    "get_curve",
    "get_surface",
    "parabola",
    "rosenbrock",
    "saddle",
]

Number = Any  # a float or an ndarray: every formula below works elementwise on both


@dataclass(frozen=True)
class Surface:
    """A 2-D objective f(x, y) with its gradient and good plotting defaults (Chapters 05, 07).

    ``f(x, y)`` and ``grad(x, y) -> (df/dx, df/dy)`` take numbers or same-shaped arrays (a
    meshgrid) and work elementwise. ``minimum`` is the (x, y) of the global minimum, or
    ``None`` when there is none (the saddle). ``default_start`` is an instructive starting
    point; ``xlim`` and ``ylim`` frame a contour plot around the interesting part.
    """

    name: str
    title: str
    f: Callable[[Number, Number], Number]
    grad: Callable[[Number, Number], tuple[Number, Number]]
    minimum: tuple[float, float] | None
    default_start: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def grid(self, num: int = 201) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(X, Y, Z)``, each of shape ``(num, num)``, covering ``xlim`` × ``ylim``."""
        x = np.linspace(*self.xlim, num)
        y = np.linspace(*self.ylim, num)
        X, Y = np.meshgrid(x, y)
        return X, Y, self.f(X, Y)


@dataclass(frozen=True)
class Curve:
    """A 1-D objective f(x) with its derivative, for the 1-D learning-rate slider (Chapter 05).

    ``f(x)`` and ``grad(x)`` work elementwise on numbers and arrays. ``minimum`` is the x of
    the global minimum; ``xlim`` frames a plot.
    """

    name: str
    title: str
    f: Callable[[Number], Number]
    grad: Callable[[Number], Number]
    minimum: float | None
    default_start: float
    xlim: tuple[float, float]

    def grid(self, num: int = 401) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(x, f(x))``, each of shape ``(num,)``, covering ``xlim``."""
        x = np.linspace(*self.xlim, num)
        return x, self.f(x)


# ------------------------------------------------------------- 2-D surfaces ---


def _bowl(x: Number, y: Number) -> Number:
    return x**2 + y**2


def _bowl_grad(x: Number, y: Number) -> tuple[Number, Number]:
    return 2 * x, 2 * y


def _elongated(x: Number, y: Number) -> Number:
    return x**2 / 20 + y**2


def _elongated_grad(x: Number, y: Number) -> tuple[Number, Number]:
    return x / 10, 2 * y


def _rosenbrock(x: Number, y: Number) -> Number:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(x: Number, y: Number) -> tuple[Number, Number]:
    # d/dx: -2(1 - x) + 100 * 2(y - x²) * (-2x);  d/dy: 100 * 2(y - x²)
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def _saddle(x: Number, y: Number) -> Number:
    return x**2 - y**2


def _saddle_grad(x: Number, y: Number) -> tuple[Number, Number]:
    return 2 * x, -2 * y


bowl = Surface(
    name="bowl",
    title=r"$f(x, y) = x^2 + y^2$",
    f=_bowl,
    grad=_bowl_grad,
    minimum=(0.0, 0.0),
    default_start=(-2.5, 2.0),
    xlim=(-3.0, 3.0),
    ylim=(-3.0, 3.0),
)
"""The round bowl x² + y²: the gradient points straight at the minimum."""

elongated = Surface(
    name="elongated",
    title=r"$f(x, y) = x^2/20 + y^2$",
    f=_elongated,
    grad=_elongated_grad,
    minimum=(0.0, 0.0),
    default_start=(-7.0, 2.0),
    xlim=(-10.0, 10.0),
    ylim=(-5.0, 5.0),
)
"""x²/20 + y² (Deep Learning from Scratch, ch. 6): steep in y, flat in x, so SGD zig-zags."""

rosenbrock = Surface(
    name="rosenbrock",
    title=r"$f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$",
    f=_rosenbrock,
    grad=_rosenbrock_grad,
    minimum=(1.0, 1.0),
    default_start=(-1.5, 2.0),
    xlim=(-2.0, 2.0),
    ylim=(-1.0, 3.0),
)
"""Rosenbrock's banana: a curved, flat-bottomed valley that is easy to find, slow to follow."""

saddle = Surface(
    name="saddle",
    title=r"$f(x, y) = x^2 - y^2$",
    f=_saddle,
    grad=_saddle_grad,
    minimum=None,
    default_start=(-2.0, 0.01),
    xlim=(-3.0, 3.0),
    ylim=(-3.0, 3.0),
)
"""x² - y²: no minimum; a start just off the ridge y = 0 stalls near the saddle, then escapes."""

SURFACES: dict[str, Surface] = {s.name: s for s in (bowl, elongated, rosenbrock, saddle)}
"""Every 2-D surface by name."""


# --------------------------------------------------------------- 1-D curves ---


def _parabola(x: Number) -> Number:
    return x**2


def _parabola_grad(x: Number) -> Number:
    return 2 * x


def _double_well(x: Number) -> Number:
    return x**4 - 3 * x**2 + x


def _double_well_grad(x: Number) -> Number:
    return 4 * x**3 - 6 * x + 1


def _double_well_minimum() -> float:
    # f'(x) = 4x³ - 6x + 1 has three real roots: two minima and the maximum between them.
    roots = np.roots([4.0, 0.0, -6.0, 1.0]).real
    return float(min(roots, key=_double_well))


parabola = Curve(
    name="parabola",
    title=r"$f(x) = x^2$",
    f=_parabola,
    grad=_parabola_grad,
    minimum=0.0,
    default_start=3.0,
    xlim=(-4.0, 4.0),
)
"""x²: plain gradient descent converges for 0 < lr < 1 and diverges for lr > 1."""

double_well = Curve(
    name="double_well",
    title=r"$f(x) = x^4 - 3x^2 + x$",
    f=_double_well,
    grad=_double_well_grad,
    minimum=_double_well_minimum(),
    default_start=2.0,
    xlim=(-2.2, 2.2),
)
"""x⁴ - 3x² + x: two minima; from x = 2 a small step size stops in the shallower one (x ≈ 1.13),
while the global minimum is at x ≈ -1.30."""

CURVES: dict[str, Curve] = {c.name: c for c in (parabola, double_well)}
"""Every 1-D curve by name."""


def _lookup(table: dict[str, Any], name: Any, kind: str) -> Any:
    if not isinstance(name, str):
        raise TypeError(f"{kind} name must be a string, got {type(name).__name__} {name!r}")
    key = name.strip().lower()
    if key not in table:
        valid = ", ".join(repr(k) for k in table)
        raise ValueError(f"unknown {kind} {name!r}; valid names are {valid}")
    return table[key]


def get_surface(name: str) -> Surface:
    """Return the 2-D surface called ``name`` (case-insensitive) from ``SURFACES``."""
    return _lookup(SURFACES, name, "surface")


def get_curve(name: str) -> Curve:
    """Return the 1-D curve called ``name`` (case-insensitive) from ``CURVES``."""
    return _lookup(CURVES, name, "curve")


# --------------------------------------------------------------- trajectories ---


@dataclass(frozen=True, eq=False)
class Trajectory:
    """The path an optimizer took (Chapters 05 and 07).

    ``points`` has shape ``(k + 1, d)`` (d = 1 for a curve, 2 for a surface): row 0 is the
    start, row i the position after i steps. ``values`` has shape ``(k + 1,)``: the objective
    at each point. ``diverged_at`` is ``None`` if every step stayed finite, else the number
    of the step that blew up (non-finite or beyond ``max_norm``); that point is not kept, so
    then ``len(points) == diverged_at``.
    """

    points: np.ndarray
    values: np.ndarray
    diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        """True if the run stopped early because the iterates blew up."""
        return self.diverged_at is not None

    @property
    def steps(self) -> int:
        """Number of steps whose points are kept: ``len(points) - 1``."""
        return len(self.points) - 1

    @property
    def final(self) -> np.ndarray:
        """The last kept point, shape ``(d,)``."""
        return self.points[-1]

    def first_steps(self, steps: int) -> Trajectory:
        """The same run stopped after ``steps`` steps (all of it if it is no longer).

        A divergence at a later step is not part of the shorter run.
        """
        if self.diverged_at is not None and self.diverged_at <= steps:
            return self
        if self.diverged_at is None and self.steps <= steps:
            return self
        return Trajectory(self.points[: steps + 1], self.values[: steps + 1])


def _resolve_objective(objective: Any) -> Surface | Curve:
    if isinstance(objective, (Surface, Curve)):
        return objective
    if isinstance(objective, str):
        key = objective.strip().lower()
        if key in SURFACES:
            return SURFACES[key]
        if key in CURVES:
            return CURVES[key]
        valid = ", ".join(repr(k) for k in (*SURFACES, *CURVES))
        raise ValueError(f"unknown objective {objective!r}; valid names are {valid}")
    kind = type(objective).__name__
    raise TypeError(f"objective must be a Surface, a Curve or one of their names, got {kind}")


def _value_and_grad(objective: Surface | Curve, p: np.ndarray) -> tuple[float, np.ndarray]:
    """Objective value (float) and gradient (new float64 array of shape ``(d,)``) at ``p``."""
    if isinstance(objective, Surface):
        x, y = p[0], p[1]
        return float(objective.f(x, y)), np.array(objective.grad(x, y), dtype=np.float64)
    return float(objective.f(p[0])), np.array([objective.grad(p[0])], dtype=np.float64)


def descend(
    objective: Surface | Curve | str,
    start: Any,
    optimizer: Any,
    steps: int,
    *,
    max_norm: float = 1e6,
) -> Trajectory:
    """Run ``steps`` optimizer steps on ``objective`` from ``start`` (Chapters 05 and 07).

    ``objective`` is a ``Surface`` (``start`` = (x, y)), a ``Curve`` (``start`` = x) or the
    name of either; ``start=None`` uses its ``default_start``. ``optimizer`` is either a
    positive learning rate, meaning plain gradient descent p ← p - lr·∇f (``SGD(lr)``), or
    any object with ``step(params, grads)`` that updates ``params["p"]`` in place from
    ``grads["p"]`` (both float64 arrays of shape ``(d,)``), such as
    ``nbtext.optimizers.Adam(lr=0.3)``. The
    optimizer keeps its state between calls, so pass a fresh one for each run.

    The run stops early when a point is NaN/infinite or its norm exceeds ``max_norm``; the
    result then records ``diverged_at`` and holds only the finite points before it. No
    overflow warning escapes. ``start`` is never modified.

    Returns a ``Trajectory`` with ``points`` ``(k + 1, d)`` and ``values`` ``(k + 1,)``.
    """
    objective = _resolve_objective(objective)
    d = 2 if isinstance(objective, Surface) else 1

    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise TypeError(f"steps must be a whole number >= 0, got {type(steps).__name__} {steps!r}")
    if steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps}")
    max_norm = check_positive(max_norm, "max_norm")

    if start is None:
        start = objective.default_start
    point = as_float_array(start, "start", ndim=(0, 1)).reshape(-1).copy()
    if point.shape != (d,):
        expected = "2 coordinates (x, y)" if d == 2 else "1 coordinate x"
        raise ValueError(
            f"start must have {expected} for {objective.name!r}, got {point.size} value(s)"
        )
    if np.linalg.norm(point) > max_norm:
        raise ValueError(f"start lies beyond max_norm={max_norm}: norm {np.linalg.norm(point)}")

    if isinstance(optimizer, numbers.Real) and not isinstance(optimizer, bool):
        optimizer = SGD(check_positive(optimizer, "learning rate"))  # p ← p − lr·∇f
    elif not callable(getattr(optimizer, "step", None)):
        raise TypeError(
            "optimizer must be a positive learning rate or an object with "
            f"step(params, grads), got {type(optimizer).__name__}"
        )

    points = [point.copy()]
    diverged_at = None
    params = {"p": point}
    # Diverging runs overflow to inf before we can stop them: silence those warnings here and
    # detect the blow-up ourselves, so learners see a clean "diverged" instead of a warning.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        value, grad = _value_and_grad(objective, point)
        values = [value]
        for step in range(1, steps + 1):
            optimizer.step(params, {"p": grad})
            p = np.asarray(params["p"], dtype=np.float64)
            if p.shape != (d,):
                raise ValueError(
                    f"optimizer.step changed params['p'] from shape {(d,)} to {p.shape}"
                )
            if not math.hypot(*p) <= max_norm:  # also false for a NaN or infinite coordinate
                diverged_at = step
                break
            value, grad = _value_and_grad(objective, p)
            if not (math.isfinite(value) and np.isfinite(grad).all()):
                diverged_at = step
                break
            points.append(p.copy())
            values.append(value)

    return Trajectory(
        points=np.array(points, dtype=np.float64),
        values=np.array(values, dtype=np.float64),
        diverged_at=diverged_at,
    )
