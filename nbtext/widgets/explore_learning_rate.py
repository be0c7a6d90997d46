"""``learning_rate_explorer``: gradient descent on a 1-D curve and a 2-D surface (Ch. 05)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext.plots import PALETTE
from nbtext.surfaces import Curve, Surface, descend, get_curve, get_surface
from nbtext.widgets._explorer import Explorer, float_slider, int_slider, log_slider


def _gap_to_minimum(values: np.ndarray, floor: float) -> np.ndarray:
    """f − f(min), kept above a tiny floor so a log axis can show it."""
    return np.maximum(values - floor, 1e-12)


class LearningRateExplorer(Explorer):
    """Contours/curve with the descent path, and the loss per step on a log axis.

    A run that blows up stops at the plot's edge with "diverged after k steps";
    no NaN warning or exception reaches the reader.
    """

    def __init__(self, curve: Curve, surface: Surface, learning_rate: float, steps: int) -> None:
        self.curve, self.surface = curve, surface
        x0, (sx, sy) = curve.default_start, surface.default_start
        controls = {
            "learning_rate": log_slider("learning rate α", learning_rate, -3, 0.5),
            "steps": int_slider("steps", steps, 1, 100),
            "start_x": float_slider("1-D start x", x0, *curve.xlim, 0.05),
            "start_x2": float_slider("2-D start x", sx, *surface.xlim, 0.1),
            "start_y2": float_slider("2-D start y", sy, *surface.ylim, 0.1),
        }
        super().__init__(controls, figsize=(11.0, 3.6))

    def build(self) -> None:
        ax1, ax2, ax3 = self.figure.subplots(1, 3, width_ratios=[1, 1.25, 1])
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
        ax3.set(xlim=(0, 100), ylim=(1e-10, 1e4), xlabel="step",
                ylabel="f − f(minimum)", title="loss per step")  # fmt: skip
        self.loss1 = self.animate(ax3.plot([], [], color=PALETTE[0], label="1-D")[0])
        self.loss2 = self.animate(ax3.plot([], [], color=PALETTE[2], label="2-D")[0])
        ax3.legend(loc="lower left", fontsize=8)
        self.status = self.overlay(
            ax3.text(0.98, 0.97, "", transform=ax3.transAxes, ha="right", va="top", fontsize=9)
        )

    def update(self, values: dict[str, Any]) -> bool:
        lr, steps = values["learning_rate"], values["steps"]
        run1 = descend(self.curve, [values["start_x"]], lr, steps)
        run2 = descend(self.surface, [values["start_x2"], values["start_y2"]], lr, steps)
        self.path1.set_data(run1.points[:, 0], run1.values)
        self.path2.set_data(run2.points[:, 0], run2.points[:, 1])
        self.loss1.set_data(np.arange(len(run1.values)), _gap_to_minimum(run1.values, self._floor1))
        self.loss2.set_data(np.arange(len(run2.values)), _gap_to_minimum(run2.values, self._floor2))
        lines = []
        for label, run in (("1-D", run1), ("2-D", run2)):
            if run.diverged_after is not None:
                lines.append(f"{label}: diverged after {run.diverged_after} steps")
            else:
                lines.append(f"{label}: f = {run.values[-1]:.4g} after {steps} steps")
        self.status.set_text("\n".join(lines))
        self.status.set_color(PALETTE[3] if run1.diverged or run2.diverged else "black")
        self.last_runs = (run1, run2)
        return False


def learning_rate_explorer(
    curve: str | Curve = "parabola",
    surface: str | Surface = "elongated",
    learning_rate: float = 0.1,
    steps: int = 30,
) -> LearningRateExplorer:
    """Gradient descent with a learning-rate slider on a 1-D curve and a 2-D surface.

    ``curve``/``surface``: names from ``nbtext.surfaces.CURVES`` / ``SURFACES`` (or the
    objects). Controls: ``"learning_rate"``, ``"steps"``, and start points. Chapter 05.
    """
    c = curve if isinstance(curve, Curve) else get_curve(curve)
    s = surface if isinstance(surface, Surface) else get_surface(surface)
    return LearningRateExplorer(c, s, learning_rate, steps)
