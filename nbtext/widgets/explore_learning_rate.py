"""``learning_rate_explorer``: gradient descent on a 1-D curve and a 2-D surface (Ch. 05)."""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.transforms import offset_copy

from nbtext.plots import PALETTE
from nbtext.surfaces import Curve, Surface, Trajectory, descend, get_curve, get_surface
from nbtext.widgets._explorer import (
    Explorer,
    RunCache,
    float_slider,
    int_slider,
    log_slider,
)

_GAP_FLOOR = 1e-12
"""f − f(minimum) is kept above this, so the log axis can show a run that reached the bottom."""

_SAME = 1e-9
"""Relative change of f − f(minimum) below which a run made no progress at all."""

_CONVERGED_GRAD = 1e-6
"""A run whose last point has a gradient norm below this has converged (maybe to a local
minimum, such as the shallow valley of the double well)."""


_MAX_STEPS = 100
"""The steps slider's maximum: a run is computed this far once, then cut to the slider."""

_RUN_CACHE_SIZE = 16


def _gap_to_minimum(values: np.ndarray, floor: float) -> np.ndarray:
    """f − f(min), kept above a tiny floor so a log axis can show it."""
    return np.maximum(values - floor, _GAP_FLOOR)


def describe_run(run: Trajectory, floor: float, grad_norm: float) -> str:
    """One honest phrase for how a run ended, as the explorer's status line shows it.

    ``floor`` is f at the minimum, ``grad_norm`` the gradient's norm at the run's last point.

    * ``"diverged after k steps"``: ``descend`` stopped it (beyond ``max_norm`` or not finite);
    * ``"diverging: f grew to …"``: f − f(minimum) rose above its start and kept rising over
      the last steps (on x², any α > 1): it is blowing up, just not yet out of the box;
    * ``"bouncing: f stays at …"``: no progress, every second point the same (α = 1 on x²);
    * ``"stuck: f stays at …"`` / ``"f rose to …"``: no progress, or ended above the start;
    * ``"converged: f = …"``: the gradient at the last point is (almost) zero;
    * ``"f = …"``: still on its way down.
    """
    if run.diverged_at is not None:
        return f"diverged after {run.diverged_at} steps"
    f_end = run.values[-1]
    if run.steps == 0:
        return f"f = {f_end:.3g}"
    gaps = _gap_to_minimum(run.values, floor)
    tail = gaps[-min(4, len(gaps)) :]
    if gaps[-1] > gaps[0] * (1 + _SAME):
        if np.all(np.diff(tail) > 0):
            return f"diverging: f grew to {f_end:.3g}"
        return f"f rose to {f_end:.3g}"
    if gaps[0] > _GAP_FLOOR and gaps[-1] >= gaps[0] * (1 - _SAME):
        period_two = run.steps >= 2 and np.allclose(run.points[-1], run.points[-3])
        moved = not np.allclose(run.points[-1], run.points[-2])
        if period_two and moved:
            return f"bouncing: f stays at {f_end:.3g}"
        return f"stuck: f stays at {f_end:.3g}"
    if grad_norm < _CONVERGED_GRAD:
        return f"converged: f = {f_end:.3g}"
    return f"f = {f_end:.3g}"


class LearningRateExplorer(Explorer):
    """Contours/curve with the descent path, and the loss per step on a log axis.

    A run that blows up stops at the plot's edge with "diverged after k steps" (``descend``'s
    box, ``max_norm`` = 10⁶); one that grows but is still inside the box is reported as
    "diverging" (see :func:`describe_run`). The status text's first line states the learning
    rate and the number of steps, so the picture saved in a notebook says what it shows, and
    the loss panel's step axis runs from 0 to the steps chosen. No NaN warning or exception
    reaches the reader.
    """

    def __init__(self, curve: Curve, surface: Surface, learning_rate: float, steps: int) -> None:
        self.curve, self.surface = curve, surface
        x0, (sx, sy) = curve.default_start, surface.default_start
        self._steps_shown: int | None = None
        self._runs = RunCache(_MAX_STEPS, _RUN_CACHE_SIZE)
        controls = {
            "learning_rate": log_slider("learning rate α", learning_rate, -3, 0.5),
            "steps": int_slider("steps", steps, 1, _MAX_STEPS),
            "start_x": float_slider("1-D start x", x0, *curve.xlim, 0.05),
            "start_x2": float_slider("2-D start x", sx, *surface.xlim, 0.1),
            "start_y2": float_slider("2-D start y", sy, *surface.ylim, 0.1),
        }
        super().__init__(controls, figsize=(11.0, 3.6))

    def build(self) -> None:
        ax1, ax2, ax3 = self.figure.subplots(1, 3, width_ratios=[1, 1.25, 1])
        self.ax_loss = ax3
        c, s = self.curve, self.surface
        x, fx = c.grid()
        ax1.plot(x, fx, color="0.4", lw=1.5)
        ax1.set(xlim=c.xlim, xlabel="x", ylabel="f(x)", title=f"1-D: {c.title}")
        ax1.set_ylim(fx.min() - 0.05 * np.ptp(fx), fx.max() + 0.05 * np.ptp(fx))
        self.path1 = self.animate(
            ax1.plot([], [], "o-", color=PALETTE[3], ms=4, lw=1, label="descent")[0]
        )
        X, Y, Z = s.grid(151)
        levels = np.quantile(Z, np.linspace(0.0, 0.95, 16) ** 2)
        ax2.contour(X, Y, Z, levels=np.unique(levels), cmap="viridis", linewidths=0.8)
        if s.minimum is not None:
            ax2.plot(*s.minimum, marker="*", ms=12, color=PALETTE[1], ls="none", label="minimum")
        ax2.set(xlim=s.xlim, ylim=s.ylim, xlabel="x", ylabel="y", title=f"2-D: {s.title}")
        self.path2 = self.animate(
            ax2.plot([], [], "o-", color=PALETTE[3], ms=3, lw=1, label="descent")[0]
        )
        ax2.legend(loc="lower right", fontsize=8)
        self._floor1 = c.f(c.minimum) if c.minimum is not None else fx.min()
        self._floor2 = s.f(*s.minimum) if s.minimum is not None else Z.min()
        ax3.set_yscale("log")
        # Up to 1e13: a run that grows until descend's box (|x| = 1e6) stays in view.
        ax3.set(ylim=(1e-10, 1e13), xlabel="step", ylabel="f − f(minimum)",
                title="loss per step")  # fmt: skip
        # The step axis spans the steps slider's value: the loss is plotted against
        # step / steps on a fixed 0…1 axis, whose ticks sit at 0, ½ and 1 and are labelled
        # for the steps chosen. That axis is the one static part drawn per scene.
        ax3.set_xlim(0.0, 1.0)
        ax3.set_xticks([0.0, 0.5, 1.0])
        self.per_scene(ax3.xaxis)
        # An invisible "100" where the last tick label goes: the layout, found once, leaves
        # room for the widest label the steps slider can bring.
        below = offset_copy(ax3.get_xaxis_transform(), fig=self.figure, y=-7.0, units="points")
        ax3.text(1.0, 0.0, f"{_MAX_STEPS}", transform=below, ha="center", va="top",
                 fontsize=mpl.rcParams["xtick.labelsize"], color="none")  # fmt: skip
        self.loss1 = self.animate(ax3.plot([], [], color=PALETTE[0], lw=2, label="1-D")[0])
        self.loss2 = self.animate(ax3.plot([], [], "--", color=PALETTE[4], lw=2, label="2-D")[0])
        ax3.legend(loc="lower right", fontsize=8)
        self.status = self.overlay(
            ax3.text(0.98, 0.97, "", transform=ax3.transAxes, ha="right", va="top", fontsize=9)
        )

    def scene_key(self) -> Any:
        return self._steps_shown

    def run(
        self, objective: Curve | Surface, start: list[float], lr: float, steps: int
    ) -> Trajectory:
        """Gradient descent from ``start``, ``steps`` steps long (or diverged before).

        The first request runs just ``steps`` steps; a longer one reruns to the slider's
        maximum once, so moving the steps slider recomputes at most once per setting.
        """
        key = (objective.name, *start, lr)
        return self._runs.get(key, steps, lambda n: descend(objective, start, lr, n))

    def update(self, values: dict[str, Any]) -> bool:
        lr, steps = values["learning_rate"], int(values["steps"])
        run1 = self.run(self.curve, [values["start_x"]], lr, steps)
        run2 = self.run(self.surface, [values["start_x2"], values["start_y2"]], lr, steps)
        self.path1.set_data(run1.points[:, 0], run1.values)
        self.path2.set_data(run2.points[:, 0], run2.points[:, 1])
        self.loss1.set_data(
            np.arange(len(run1.values)) / steps, _gap_to_minimum(run1.values, self._floor1)
        )
        self.loss2.set_data(
            np.arange(len(run2.values)) / steps, _gap_to_minimum(run2.values, self._floor2)
        )
        grad1 = abs(float(self.curve.grad(run1.final[0])))
        grad2 = float(np.hypot(*self.surface.grad(*run2.final)))
        verdicts = (
            describe_run(run1, self._floor1, grad1),
            describe_run(run2, self._floor2, grad2),
        )
        self.status.set_text(f"α = {lr:.3g}, {steps} steps\n1-D: {verdicts[0]}\n2-D: {verdicts[1]}")
        trouble = any(v.startswith(("diverg", "bouncing", "stuck", "f rose")) for v in verdicts)
        self.status.set_color(PALETTE[3] if trouble else "black")
        self.last_runs = (run1, run2)
        full = steps != self._steps_shown
        if full:
            self._steps_shown = steps
            self.ax_loss.set_xticklabels(["0", f"{steps / 2:g}", f"{steps:g}"])
        return full


def learning_rate_explorer(
    curve: str | Curve = "parabola",
    surface: str | Surface = "elongated",
    learning_rate: float = 0.1,
    steps: int = 30,
) -> LearningRateExplorer:
    """Gradient descent with a learning-rate slider on a 1-D curve and a 2-D surface.

    ``curve``/``surface``: names from ``nbtext.surfaces.CURVES`` / ``SURFACES`` (or the
    objects). Controls: ``"learning_rate"``, ``"steps"``, and start points. The status line
    says how each run ends (see :func:`describe_run`). Chapter 05.
    """
    c = curve if isinstance(curve, Curve) else get_curve(curve)
    s = surface if isinstance(surface, Surface) else get_surface(surface)
    return LearningRateExplorer(c, s, learning_rate, steps)
