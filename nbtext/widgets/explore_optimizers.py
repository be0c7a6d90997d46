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
from matplotlib import rcParams
from matplotlib.collections import LineCollection
from matplotlib.ticker import NullLocator
from matplotlib.transforms import Bbox

from nbtext.optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, Optimizer, RMSProp
from nbtext.plots import PALETTE
from nbtext.surfaces import SURFACES, Surface, Trajectory, descend, get_surface
from nbtext.widgets._explorer import (
    BoundedCache,
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
_LAYER_CACHE_SIZE = 8  # surfaces (and axis ranges) whose pixels are kept, each under 1.5 MB
_STRIP_CACHE_SIZE = 128  # pixels of the loss panel's step axis, one strip per range
_SOURCE = "AdaGrad"  # drawn for a new surface and copied (bottom left: both tick labels)


def _levels(Z: np.ndarray) -> np.ndarray:
    """Contour levels dense near the bottom of the surface, where the paths end."""
    return np.unique(np.quantile(Z, np.linspace(0.0, 0.95, 16) ** 2))


class OptimizerExplorer(Explorer):
    """2×3 contour panels, one path each, and the loss per step of all six.

    A new surface is drawn in layers (see :meth:`draw_scene`): what all surfaces share is
    drawn once; one panel's contours, ticks and labels are drawn and copied as pixels into
    the other five, which sit whole pixels apart and show the same contours, ranges and ticks.
    """

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
            # Tick labels on the outer panels only: all six share the ranges.
            ax.tick_params(labelsize=8, labelbottom=i >= 3, labelleft=i % 3 == 0)
            ax.set_xlabel("x" if i >= 3 else "", fontsize=9)
            ax.set_ylabel("y" if i % 3 == 0 else "", fontsize=9)
            self.panels[name] = ax
            self.paths[name] = self.animate(
                ax.plot([], [], "o-", color=color, ms=2.5, lw=1.2, zorder=3)[0]
            )
            self.ends[name] = self.animate(
                ax.plot([], [], "o", color=color, ms=7, mec="black", mew=1, zorder=4)[0]
            )
            # Where a run diverged shows in its path and the loss panel; the note says so.
            self.notes[name] = ax.text(
                0.5, 0.06, "diverged", transform=ax.transAxes, ha="center", va="bottom",
                fontsize=9, color=PALETTE[3], weight="bold", zorder=5,
                bbox={"facecolor": "white", "edgecolor": PALETTE[3], "alpha": 0.9},
            )  # fmt: skip
            self.per_scene(ax.xaxis, ax.yaxis, *ax.spines.values(), self.notes[name])
        self.ax_loss = self.figure.add_subplot(outer[1])
        for name in OPTIMIZERS:
            self.losses[name] = self.animate(
                self.ax_loss.plot([], [], color=_COLORS[name], ls=_STYLES[name], lw=1.8,
                                  label=name)[0]
            )  # fmt: skip
        self.ax_loss.set(xlim=(0, self.max_steps), xlabel="step", title="loss per step")
        # No vertical grid lines: the step axis follows the steps slider, and its ticks are
        # kept as a strip of pixels below the panel per range (see draw_scene).
        self.ax_loss.grid(axis="y", alpha=0.3)
        self.legend = self.ax_loss.legend(loc="upper right", fontsize=9, framealpha=0.9)
        self.per_scene(self.ax_loss.xaxis, self.ax_loss.yaxis, *self.ax_loss.spines.values())
        self.title = self.per_scene(self.figure.suptitle(" ", fontsize=11))
        self._plan_pixels()
        self._surface_artists: dict[str, list[Any]] = {}
        self._loss_axis: dict[str, tuple[float | None, str, tuple[float, float]]] = {}
        self._base: Any = None  # pixels of what every surface shares: titles, the legend
        self._layers = BoundedCache(_LAYER_CACHE_SIZE)  # a surface's picture, per surface
        self._ticks = BoundedCache(_LAYER_CACHE_SIZE)  # the source panel's axes, per range
        self._strips = BoundedCache(_STRIP_CACHE_SIZE)  # the step axis, per range

    def _plan_pixels(self) -> None:
        """Put the six panels whole pixels apart from the source panel (each moves by less
        than half a pixel), and mark out which of its pixels go where: its frame (contours,
        tick marks) to all five, its y tick labels to the panel above, its x ones to those
        beside; and the strip below the loss panel that the step axis takes."""
        width, height = self.figure.bbox.size
        source = self.panels[_SOURCE].get_position()
        for ax in self.panels.values():
            at = ax.get_position()
            x0 = source.x0 + round((at.x0 - source.x0) * width) / width
            y0 = source.y0 + round((at.y0 - source.y0) * height) / height
            ax.set_position((x0, y0, source.width, source.height))
        # From a frame to halfway between its tick marks' ends and their labels.
        edge = (
            (rcParams["xtick.major.size"] + rcParams["xtick.major.pad"] / 2) * self.figure.dpi / 72
        )
        box = self.panels[_SOURCE].get_window_extent()
        gap = (self.panels["RMSProp"].get_window_extent().x0 - box.x1) / 2  # between panels
        # No tick marks on the top and right: the frame's line ends within 2 pixels there.
        frame = Bbox.from_extents(box.x0 - edge, box.y0 - edge, box.x1 + 2, box.y1 + 2)
        left = Bbox.from_extents(0, box.y0 - edge, box.x0 - edge, box.y1 + edge)
        below = Bbox.from_extents(box.x0 - gap, 0, box.x1 + gap, box.y0 - edge)
        self._source_box = _whole(Bbox.union([frame, left, below]))
        self._offsets = {name: ax.get_window_extent().p0 - box.p0
                         for name, ax in self.panels.items()}  # fmt: skip
        self._copies = []
        for name, ax in self.panels.items():
            if name != _SOURCE:
                self._copies.append((frame, self._offsets[name]))
                if ax.get_ylabel():  # the panels with tick labels are those with axis labels
                    self._copies.append((left, self._offsets[name]))
                if ax.get_xlabel():
                    self._copies.append((below, self._offsets[name]))
        # Below the pixel row of the loss panel's frame and right of its y tick labels: the
        # step axis, and nothing that depends on the surface.
        loss = self.ax_loss.get_window_extent()
        self._strip = _whole(Bbox.from_extents(loss.x0 - edge, 0, width, round(loss.y0) - 1))

    def _draw_surface(self, name: str) -> None:
        """Show surface ``name``: its contours, minimum and start, and its axis ranges.

        Its contours are made once, in the source panel only (the others get its pixels),
        and then only hidden or shown.
        """
        for other, artists in self._surface_artists.items():
            for artist in artists:
                artist.set_visible(other == name)
        s, (x0, y0) = self.surfaces[name], self.starts[name]
        if name not in self._surface_artists:
            X, Y, Z = s.grid(121)
            contours = contourpy.contour_generator(X, Y, Z)
            lines = [line for level in _levels(Z) for line in contours.lines(level)]
            ax = self.panels[_SOURCE]
            collection = LineCollection(lines, colors="0.72", linewidths=0.7)
            artists = [ax.add_collection(collection, autolim=False)]  # ranges are set below
            if s.minimum is not None:
                artists += ax.plot(*s.minimum, marker="*", ms=11, color="black", ls="none")
            artists += ax.plot(x0, y0, marker="s", ms=6, color="black", ls="none")
            self.per_scene(*artists)
            self._surface_artists[name] = artists
            if s.minimum is not None:
                floor = float(s.f(*s.minimum))
                gap = float(s.f(x0, y0)) - floor
                top = max(gap, float(Z.max()) - floor)
                low = 10.0 ** np.floor(np.log10(_DEPTH * (gap if gap > 0 else top)))
                self._loss_axis[name] = (floor, "log", (low, 10 * top))
            else:  # no minimum (the saddle): plain f on a linear axis
                self._loss_axis[name] = (None, "linear", (float(Z.min()), float(Z.max())))
        for ax in self.panels.values():
            ax.set(xlim=s.xlim, ylim=s.ylim)
        self.title.set_text(
            f"{s.title}, from ({x0:g}, {y0:g}) (black square)"
            + ("; the star is the minimum" if s.minimum is not None else "")
            + "; a large dot ends each path"
        )
        self._floor, scale, limits = self._loss_axis[name]
        self._low = limits[0]
        self.ax_loss.set_yscale(scale)
        self.ax_loss.yaxis.set_minor_locator(NullLocator())  # ~0.2 s less per new surface
        self.ax_loss.set_ylim(*limits)
        self.ax_loss.set_ylabel(
            "f(x, y) − f(minimum), log scale" if self._floor is not None else "f(x, y)"
        )

    # -------------------------------------------------------------- drawing --
    def scene_key(self) -> Any:
        diverged = tuple(note.get_visible() for note in self.notes.values())
        return self._shown, self.ax_loss.get_xlim(), diverged

    def draw_scene(self) -> None:
        """Draw the surface's picture (kept per surface), restore the step axis on it (kept
        per range: its tick labels are slow to draw), then the notes of runs that diverged."""
        canvas = self.figure.canvas
        layer = self._layers.get(self._shown)
        if layer is None:
            layer = self._layers.put(self._shown, self._draw_layer())
        else:
            canvas.restore_region(layer)
        steps = self.ax_loss.get_xlim()
        strip = self._strips.get(steps)
        if strip is None:
            self.figure.draw_artist(self.ax_loss.xaxis)
            _fix_label(self.ax_loss.xaxis)
            strip = self._strips.put(steps, canvas.copy_from_bbox(self._strip))
            canvas.restore_region(layer)  # its tick marks reach into the frame: not those
        canvas.restore_region(strip)
        # One note drawn and copied: every panel shows the same contours behind it.
        names = [name for name, note in self.notes.items() if note.get_visible()]
        if names:
            self.figure.draw_artist(self.notes[names[0]])
            box = _whole(self.notes[names[0]].get_bbox_patch().get_window_extent().padded(1))
            note = canvas.copy_from_bbox(box)
            for name in names[1:]:
                _copy(canvas, note, box, self._offsets[name] - self._offsets[names[0]])

    def _draw_layer(self) -> Any:
        """Draw the surface shown (without the step axis) and return its pixels."""
        canvas, figure = self.figure.canvas, self.figure
        if self._base is None:
            canvas.draw()  # leaves out what per_scene registered
            self._base = canvas.copy_from_bbox(figure.bbox)
            self._legend_box = self.legend.get_window_extent()
        else:
            canvas.restore_region(self._base)
        # Tick marks and labels come first, as in a full drawing, so those of a range drawn
        # before are restored (the bowl and the saddle share theirs).
        s, source = self.surfaces[self._shown], self.panels[_SOURCE]
        ticks = self._ticks.get((s.xlim, s.ylim))
        if ticks is None:
            figure.draw_artist(source.xaxis)
            figure.draw_artist(source.yaxis)
            _fix_label(source.xaxis)
            ticks = self._ticks.put((s.xlim, s.ylim), canvas.copy_from_bbox(self._source_box))
        else:
            canvas.restore_region(ticks)
        for artist in (*self._surface_artists[self._shown], *source.spines.values()):
            figure.draw_artist(artist)
        drawn = canvas.copy_from_bbox(self._source_box)
        for part, offset in self._copies:
            _copy(canvas, drawn, part, offset)
        for artist in (self.ax_loss.yaxis, *self.ax_loss.spines.values()):
            figure.draw_artist(artist)
        # The legend as drawn on the empty panel, over the y grid lines just drawn.
        _copy(canvas, self._base, self._legend_box, (0, 0))
        figure.draw_artist(self.title)
        return canvas.copy_from_bbox(figure.bbox)

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
        scene = self.scene_key()
        if surface != self._shown:
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
        return self.scene_key() != scene


def _fix_label(axis: Any) -> None:
    """Keep an x axis's label where it was just drawn: below one line of digits it sits at
    that height for any range, and the axis need no longer measure its tick labels."""
    label = axis.label
    axis.set_label_coords(*label.get_position(), transform=label.get_transform())


def _whole(box: Bbox) -> Bbox:
    """``box`` grown to whole pixels (``copy_from_bbox`` would cut the partial ones off)."""
    return Bbox.from_extents(*np.floor(box.p0), *np.ceil(box.p1))


def _copy(canvas: Any, pixels: Any, box: Bbox, offset: Any) -> None:
    """Put the pixels of ``box`` (display coordinates, grown to whole pixels) from ``pixels``
    (a ``copy_from_bbox``) back on ``canvas``, ``offset`` whole pixels away (x right, y up)."""
    height = canvas.get_width_height()[1]
    x0, y0, x1, y1 = _whole(box).extents
    left, top = pixels.get_extents()[:2]
    dx, dy = (round(float(v)) for v in offset)
    canvas.restore_region(pixels, bbox=(x0, height - y1, x1, height - y0), xy=(left + dx, top - dy))


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
