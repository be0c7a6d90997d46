"""``optimizer_explorer``: SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam side by side (Ch. 07).

Six small panels show the path each optimizer takes over the same surface from the same
start; a seventh compares their losses step by step. One learning-rate slider drives all
six, on purpose: the same number means different things to different optimizers (SGD and
Momentum move by lr × gradient, AdaGrad, RMSProp and Adam by about lr per coordinate,
whatever the gradient's size), so no single value suits them all, and which one does best
depends on the surface. The momentum slider sets Momentum's and Nesterov's ``momentum``;
the others keep torch's defaults (RMSProp alpha 0.99, Adam betas 0.9 and 0.999).

Each run is ``nbtext.surfaces.descend`` with a fresh optimizer from
:mod:`nbtext.optimizers`, computed for the largest number of steps on the slider and kept,
so the steps slider only shows a shorter prefix of the same path. A large dot marks where
each path is after ``steps`` steps.

The loss panel's step axis follows the steps slider. Its log axis shows f − f(minimum)
from above f(start) down to a millionth of f(start) − f(minimum) (rounded down to a power
of ten); smaller values, a run that has reached the minimum, are drawn on that floor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import contourpy
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import NullLocator
from matplotlib.transforms import Bbox

from nbtext.optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, Optimizer, RMSProp
from nbtext.plots import PALETTE
from nbtext.surfaces import SURFACES, Surface, Trajectory, descend, get_surface
from nbtext.widgets._explorer import (
    Explorer,
    RunCache,
    dropdown,
    float_slider,
    int_slider,
    log_slider,
)

OPTIMIZERS: dict[str, Callable[[float, float], Optimizer]] = {
    "SGD": lambda lr, momentum: SGD(lr),
    "Momentum": lambda lr, momentum: Momentum(lr, momentum=momentum),
    "Nesterov": lambda lr, momentum: Nesterov(lr, momentum=momentum),
    "AdaGrad": lambda lr, momentum: AdaGrad(lr),
    "RMSProp": lambda lr, momentum: RMSProp(lr),
    "Adam": lambda lr, momentum: Adam(lr),
}
"""A fresh optimizer per name, given the shared learning rate and momentum."""

_USES_MOMENTUM = ("Momentum", "Nesterov")
_COLORS = dict(zip(OPTIMIZERS, PALETTE[:6], strict=True))  # Okabe–Ito, without the yellow
_STYLES = dict(zip(OPTIMIZERS, ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 2))], strict=True))
_DEPTH = 1e-6  # the loss axis reaches down to this fraction of f(start) − f(minimum)
_MAX_NORM = 1e4  # a run that goes this far from the origin has diverged
_RUN_CACHE_SIZE = 512
_STRIP_CACHE_SIZE = 256  # pixels of the loss panel's step axis, one strip per range


def _levels(Z: np.ndarray) -> np.ndarray:
    """Contour levels dense near the bottom of the surface, where the paths end."""
    return np.unique(np.quantile(Z, np.linspace(0.0, 0.95, 16) ** 2))


class OptimizerExplorer(Explorer):
    """2×3 contour panels, one path each, and the loss per step of all six."""

    def __init__(
        self,
        surfaces: dict[str, Surface],
        surface: str,
        start: Any,
        learning_rate: float,
        momentum: float,
        steps: int,
        max_steps: int,
    ) -> None:
        self.surfaces, self.max_steps = surfaces, max_steps
        self.starts = {
            name: np.asarray(s.default_start, dtype=float) for name, s in surfaces.items()
        }
        if start is not None:
            self.starts[surface] = np.asarray(start, dtype=float).reshape(2)
        self._runs = RunCache(max_steps, _RUN_CACHE_SIZE)
        self._shown: str | None = None
        controls = {
            "surface": dropdown("surface", list(surfaces), surface),
            "learning_rate": log_slider(
                "learning rate α (all six)",
                learning_rate,
                min(-3.0, np.floor(np.log10(learning_rate))),
                max(0.5, np.ceil(np.log10(learning_rate))),
            ),
            "momentum": float_slider("momentum (Momentum, Nesterov)", momentum, 0.0, 0.99, 0.01),
            "steps": int_slider("steps", steps, 1, max_steps),
        }
        super().__init__(controls, figsize=(10.5, 4.8))

    # ---------------------------------------------------------------- build --
    def build(self) -> None:
        # Fixed margins instead of constrained layout: a new surface brings new tick labels,
        # and the axes must not move, or the pixels kept for other surfaces would no longer
        # line up with them.
        self.figure.set_layout_engine("none")
        outer = self.figure.add_gridspec(1, 2, width_ratios=[3, 1.15], left=0.055, right=0.975,
                                         bottom=0.1, top=0.875, wspace=0.24)  # fmt: skip
        grid = outer[0].subgridspec(2, 3, wspace=0.22, hspace=0.32)
        self.panels: dict[str, Any] = {}
        self.paths: dict[str, Any] = {}
        self.ends: dict[str, Any] = {}
        self.notes: dict[str, Any] = {}
        self.losses: dict[str, Any] = {}
        for i, name in enumerate(OPTIMIZERS):
            ax = self.figure.add_subplot(grid[i // 3, i % 3])
            color = _COLORS[name]
            ax.set_title(name, color=color, fontsize=11, weight="bold")
            self.panels[name] = ax
            self.paths[name] = self.animate(
                ax.plot([], [], "o-", color=color, ms=2.5, lw=1.2, zorder=3)[0]
            )
            self.ends[name] = self.animate(
                ax.plot([], [], "o", color=color, ms=7, mec="black", mew=1, zorder=4)[0]
            )
            # An overlay, not animated: it changes only when a run's fate does, and text is
            # slow to draw. Where it diverged shows in the path and the loss panel.
            self.notes[name] = self.overlay(
                ax.text(0.5, 0.06, "diverged", transform=ax.transAxes, ha="center", va="bottom",
                        fontsize=9, color=PALETTE[3], weight="bold", zorder=5,
                        bbox={"facecolor": "white", "edgecolor": PALETTE[3], "alpha": 0.9})
            )  # fmt: skip
        self.ax_loss = self.figure.add_subplot(outer[1])
        for name in OPTIMIZERS:
            self.losses[name] = self.animate(
                self.ax_loss.plot([], [], color=_COLORS[name], ls=_STYLES[name], lw=1.8,
                                  label=name)[0]
            )  # fmt: skip
        self.ax_loss.set(xlim=(0, self.max_steps), xlabel="step", title="loss per step")
        # The step axis follows the steps slider, so it is animated: a move redraws only its
        # ticks (kept as pixels per range, see _draw_animated), never the whole figure. No
        # vertical grid lines, which would have to be redrawn inside the panel too.
        self.ax_loss.xaxis.set_animated(True)
        self.ax_loss.grid(axis="y", alpha=0.3)
        self.ax_loss.legend(loc="upper right", fontsize=9, framealpha=0.9)
        self._surface_artists: dict[str, list[Any]] = {}
        self._loss_axis: dict[str, tuple[float | None, str, tuple[float, float]]] = {}
        self._strips: dict[tuple[Any, ...], Any] = {}

    def _draw_surface(self, name: str) -> None:
        """Show surface ``name``: its contours, minimum and start, and its axis ranges.

        Each surface's static artists are made once and then only hidden or shown, so coming
        back to a surface whose pixels are kept costs no contouring.
        """
        for other, artists in self._surface_artists.items():
            for artist in artists:
                artist.set_visible(other == name)
        s, (x0, y0) = self.surfaces[name], self.starts[name]
        if name not in self._surface_artists:
            X, Y, Z = s.grid(121)
            # The contour lines are found once and drawn in all six panels (ax.contour would
            # trace them six times).
            contours = contourpy.contour_generator(X, Y, Z)
            lines = [line for level in _levels(Z) for line in contours.lines(level)]
            artists = []
            for ax in self.panels.values():
                artists.append(
                    ax.add_collection(LineCollection(lines, colors="0.72", linewidths=0.7))
                )
                if s.minimum is not None:
                    artists += ax.plot(*s.minimum, marker="*", ms=11, color="black", ls="none")
                artists += ax.plot(x0, y0, marker="s", ms=6, color="black", ls="none")
            self._surface_artists[name] = artists
            if s.minimum is not None:
                floor = float(s.f(*s.minimum))
                gap = float(s.f(x0, y0)) - floor
                top = max(gap, float(Z.max()) - floor)
                low = 10.0 ** np.floor(np.log10(_DEPTH * (gap if gap > 0 else top)))
                self._loss_axis[name] = (floor, "log", (low, 10 * top))
            else:  # no minimum (the saddle): plain f on a linear axis
                self._loss_axis[name] = (None, "linear", (float(Z.min()), float(Z.max())))
        for i, ax in enumerate(self.panels.values()):
            ax.set(xlim=s.xlim, ylim=s.ylim)
            # Tick labels on the outer panels only: all six share the ranges, and text is
            # the slowest thing a full redraw draws.
            ax.tick_params(labelsize=8, labelbottom=i >= 3, labelleft=i % 3 == 0)
            ax.set_xlabel("x" if i >= 3 else "", fontsize=9)
            ax.set_ylabel("y" if i % 3 == 0 else "", fontsize=9)
        self.figure.suptitle(
            f"{s.title}, from ({x0:g}, {y0:g}) (black square)"
            + ("; the star is the minimum" if s.minimum is not None else "")
            + "; a large dot ends each path",
            fontsize=11,
        )
        self._floor, scale, limits = self._loss_axis[name]
        self._low = limits[0]
        self.ax_loss.set_yscale(scale)
        self.ax_loss.yaxis.set_minor_locator(NullLocator())  # ~0.2 s less per new surface
        self.ax_loss.set_ylim(*limits)
        self.ax_loss.set_ylabel(
            "f(x, y) − f(minimum), log scale" if self._floor is not None else "f(x, y)"
        )

    def scene_key(self) -> Any:
        return self._shown

    # --------------------------------------------------------------- update --
    def run(
        self, name: str, surface: str, learning_rate: float, momentum: float, steps: int
    ) -> Trajectory:
        """The path of optimizer ``name``, stopped after ``steps`` steps (or where it diverged).

        Runs are kept (see :class:`RunCache`), so the steps slider recomputes at most once
        per setting of the others.
        """
        key = (surface, name, learning_rate, momentum if name in _USES_MOMENTUM else None)

        def compute(length: int) -> Trajectory:
            optimizer = OPTIMIZERS[name](learning_rate, momentum)
            return descend(self.surfaces[surface], self.starts[surface], optimizer, length,
                           max_norm=_MAX_NORM)  # fmt: skip

        return self._runs.get(key, steps, compute)

    def update(self, values: dict[str, Any]) -> bool:
        surface, steps = values["surface"], int(values["steps"])
        lr, momentum = float(values["learning_rate"]), float(values["momentum"])
        full = surface != self._shown
        if full:
            self._draw_surface(surface)
            self._shown = surface
        self.ax_loss.set_xlim(0, steps)
        self.last_runs: dict[str, Trajectory] = {}
        for name in OPTIMIZERS:
            run = self.last_runs[name] = self.run(name, surface, lr, momentum, steps)
            points, f = run.points, run.values
            self.paths[name].set_data(points[:, 0], points[:, 1])
            self.ends[name].set_data(points[-1:, 0], points[-1:, 1])
            if self._floor is not None:
                f = np.maximum(f - self._floor, self._low)
            self.losses[name].set_data(np.arange(len(f)), f)
            self.notes[name].set_visible(run.diverged)
        return full

    def _draw_animated(self) -> None:
        # The step axis of the loss panel, drawn for this range once and then restored as
        # pixels: its tick labels are text, slow to draw. The canvas shows the background here,
        # so the strip below the panel holds nothing else that moves.
        canvas = self.figure.canvas
        key = (self._shown, self.ax_loss.get_xlim())
        strip = self._strips.get(key)
        if strip is None:
            self.figure.draw_artist(self.ax_loss.xaxis)
            panel, figure = self.ax_loss.get_window_extent(), self.figure.bbox
            strip = canvas.copy_from_bbox(
                Bbox.from_extents(panel.x0 - 24, figure.y0, figure.x1, panel.y0 + 2)
            )
            if len(self._strips) >= _STRIP_CACHE_SIZE:
                self._strips.pop(next(iter(self._strips)))
            self._strips[key] = strip
        else:
            canvas.restore_region(strip)
        super()._draw_animated()


def optimizer_explorer(
    surface: str | Surface = "elongated",
    *,
    start: Any = None,
    learning_rate: float = 0.1,
    momentum: float = 0.9,
    steps: int = 50,
    max_steps: int = 100,
) -> OptimizerExplorer:
    """Six optimizers on one 2-D surface, one shared learning rate. Chapter 07.

    ``surface``: a name from ``nbtext.surfaces.SURFACES`` (default ``"elongated"``,
    x²/20 + y² from (−7, 2)) or a ``Surface``; ``start`` = (x, y) overrides its default start.
    Controls: ``"surface"`` (a full redraw), ``"learning_rate"`` (shared by all six),
    ``"momentum"`` (Momentum and Nesterov) and ``"steps"`` (1 … ``max_steps``). A run that
    leaves the plot for good (norm above 10⁴, or inf/NaN) stops there and its panel says
    "diverged"; ``explorer.last_runs[name].diverged_at`` holds the step.
    """
    surfaces = dict(SURFACES)
    if isinstance(surface, Surface):
        surfaces[surface.name] = surface
        name = surface.name
    else:
        name = get_surface(surface).name  # checks the name, listing the valid ones
    if isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer)) or max_steps < 1:
        raise ValueError(f"max_steps must be a whole number >= 1, got {max_steps!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a whole number >= 1, got {steps!r}")
    if steps > max_steps:
        raise ValueError(f"steps must be at most max_steps={max_steps}, got {steps}")
    if not (isinstance(learning_rate, (int, float)) and 0 < learning_rate < np.inf):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if not (isinstance(momentum, (int, float)) and 0 <= momentum < 1):
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
    if start is not None and np.asarray(start, dtype=float).size != 2:
        raise ValueError(f"start must be a point (x, y), got {start!r}")
    return OptimizerExplorer(
        surfaces, name, start, float(learning_rate), float(momentum), int(steps), int(max_steps)
    )
