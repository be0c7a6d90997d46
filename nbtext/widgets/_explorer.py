"""The machinery every explorer shares: sliders, a figure, and fast redraws in place.

An explorer is an ``ipywidgets.VBox`` holding its controls and an
``ipywidgets.Image`` that shows its matplotlib figure as a PNG. The figure is a
plain ``matplotlib.figure.Figure`` on an Agg canvas: no pyplot, so no figure is
left behind per change, and no front-end extension is needed beyond ipywidgets.

Speed comes from blitting. Artists that move with the sliders are registered as
*animated*: a full ``canvas.draw()`` renders everything else (axes, ticks,
labels, contours) once and keeps a copy of those pixels; a slider change then
restores that background and draws only the animated artists (about 1 ms here
instead of 100 ms for a full draw) before encoding the PNG. When something static
must change (an axis range, a whole new curve), ``update`` asks for a full redraw.

Saved notebooks: ``_repr_mimebundle_`` adds the current figure as ``image/png``
and a fixed ``text/plain``, so GitHub shows the figure without a kernel and
strict nbval has nothing run-dependent to compare.
"""

from __future__ import annotations

import base64
import io
import numbers
import struct
import textwrap
import warnings
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from nbtext.surfaces import Trajectory

SLIDER_STYLE = {"description_width": "initial"}
"""Slider labels take the width they need, so "learning rate" is never cut to "learning r…"."""

SLIDER_LAYOUT = {"width": "420px"}

_FIXED_TITLES = {"axes.titley": 1.0}
"""Axes made by an explorer keep their titles just above the frame (no tick labels sit there)."""


class BoundedCache:
    """A dict that keeps at most ``size`` entries: when full, the least recently used goes.

    Every cache of the explorers is one of these (runs, trained tables, pixel layers), so
    none of them grows without bound while a reader plays with the sliders.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value kept under ``key`` (now the most recently used), else ``default``."""
        if key not in self._items:
            return default
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` under ``key``, dropping the least recently used beyond ``size``."""
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value under ``key``; made by ``make()`` and kept if there is none yet."""
        if key in self._items:
            return self.get(key)
        return self.put(key, make())

    def clear(self) -> None:
        self._items.clear()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)


class RunCache:
    """Descent runs kept by key, for explorers with a steps slider.

    ``get(key, steps, compute)`` returns the run cut to ``steps`` steps, where
    ``compute(n)`` makes a run ``n`` steps long. The first request for a key computes just
    ``steps`` steps; a longer one recomputes to ``max_steps`` once, so moving the steps slider
    recomputes at most once per setting of the other controls. At most ``size`` runs are kept.
    """

    def __init__(self, max_steps: int, size: int) -> None:
        self.max_steps = max_steps
        self._runs = BoundedCache(size)

    def get(self, key: Hashable, steps: int, compute: Callable[[int], Trajectory]) -> Trajectory:
        run = self._runs.get(key)
        if run is None or (run.steps < steps and not run.diverged):
            run = self._runs.put(key, compute(steps if run is None else self.max_steps))
        return run.first_steps(steps)


PIXEL_CACHE_SIZE = 24
"""How many figure-sized pixel layers an explorer keeps (scenes, and scenes with their
overlays drawn), each under 1.5 MB."""


def encode_png(rgba: np.ndarray) -> bytes:
    """An ``(H, W, 4)`` uint8 image as PNG bytes, written for speed: rows unfiltered, zlib at
    level 1. Lossless like any PNG; twice as fast as PIL's encoder for a figure, and no
    larger, because a figure is mostly flat colour. The browser shows this on every change."""
    height, width, _ = rgba.shape
    rows = np.empty((height, 4 * width + 1), dtype=np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, none
    rows[:, 1:] = rgba.reshape(height, -1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def check_choice(value: Any, options: tuple[str, ...], what: str) -> str:
    """``value`` as one of ``options`` (case and surrounding spaces ignored), or a
    ``ValueError`` that lists the valid names."""
    key = value.strip().lower() if isinstance(value, str) else value
    if key not in options:
        raise ValueError(f"unknown {what} {value!r}; valid names are {', '.join(options)}")
    return key


def check_range(value: Any, low: float, high: float, what: str) -> Any:
    """``value`` if it is a number in [low, high], else a ``TypeError``/``ValueError`` that says
    what was expected and what came."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{what} must be a number, got {type(value).__name__} {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{what} must lie in [{low}, {high}], got {value!r}")
    return value


def check_int(value: Any, low: int, high: int, what: str) -> int:
    """``value`` if it is a whole number in [low, high], else a ``TypeError``/``ValueError``
    (2.5 layers is an error, not 2)."""
    if not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be a whole number, got {type(value).__name__} {value!r}")
    return int(check_range(value, low, high, what))


def float_slider(
    description: str, value: float, min: float, max: float, step: float, **kw: Any
) -> widgets.FloatSlider:
    """A float slider whose label shows in full."""
    return widgets.FloatSlider(
        value=value, min=min, max=max, step=step, description=description,
        style=SLIDER_STYLE, layout=SLIDER_LAYOUT, **kw,
    )  # fmt: skip


def log_slider(
    description: str, value: float, min_exp: float, max_exp: float, step: float = 0.05, **kw: Any
) -> widgets.FloatLogSlider:
    """A slider over 10**min_exp … 10**max_exp, for learning rates."""
    return widgets.FloatLogSlider(
        value=value, base=10, min=min_exp, max=max_exp, step=step, description=description,
        readout_format=".3g", style=SLIDER_STYLE, layout=SLIDER_LAYOUT, **kw,
    )  # fmt: skip


def int_slider(
    description: str, value: int, min: int, max: int, step: int = 1, **kw: Any
) -> widgets.IntSlider:
    """An integer slider whose label shows in full."""
    return widgets.IntSlider(
        value=value, min=min, max=max, step=step, description=description,
        style=SLIDER_STYLE, layout=SLIDER_LAYOUT, **kw,
    )  # fmt: skip


def dropdown(description: str, options: Any, value: Any) -> widgets.Dropdown:
    """A drop-down menu whose label shows in full."""
    return widgets.Dropdown(
        options=options, value=value, description=description, style=SLIDER_STYLE
    )


class Explorer(widgets.VBox):
    """Base class: controls above, the figure below, redrawn in place on every change.

    A subclass creates its axes and artists in ``build()``, marks the ones that move with
    :meth:`animate`, and implements ``update(values) -> bool``, which sets their data from
    the controls' current ``values`` (a dict name → value) and returns True when the static
    part of the picture (the *scene*: axis ranges, tick labels, titles) changed too.

    Optional: :meth:`overlay` for texts that change now and then (drawn on a cached layer),
    :meth:`per_scene` and :meth:`scene_key` for scenes that differ only in a few artists
    (each scene's pixels are kept), and :meth:`draw_scene`, the hook that draws a scene.

    ``.controls``: dict name → widget; ``.figure``: the matplotlib Figure. Setting
    ``controls[name].value`` from code redraws ``.figure`` before it returns.
    """

    def __init__(
        self,
        controls: dict[str, widgets.Widget],
        *,
        figsize: tuple[float, float] = (9.0, 3.6),
        dpi: int = 80,
        header: Iterable[widgets.Widget] = (),
    ) -> None:
        self.controls = dict(controls)
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.image = widgets.Image(format="png", layout={"max_width": "100%"})
        self._animated: list[Artist] = []
        self._overlays: list[Text] = []
        self._scene_artists: list[Artist] = []
        self._static: Any = None  # pixels of what every scene shares (with per_scene artists)
        self._background: Any = None  # pixels of the scene shown, without overlays
        self._with_overlays: Any = None  # the same plus the overlays
        self._overlays_shown: list[tuple[Any, ...]] = []
        self._pixels = BoundedCache(PIXEL_CACHE_SIZE)  # scenes and overlay layers
        self._png = b""
        self.redraw_count = 0
        # Titles at a fixed height: matplotlib otherwise measures every tick label of the
        # y axis on each full draw to see whether a title must move up (~60 ms per axes here).
        with warnings.catch_warnings(), np.errstate(all="ignore"), rc_context(_FIXED_TITLES):
            warnings.simplefilter("ignore")
            self.build()
            self.update(self.values())
            # Lay the figure out once, for the first scene, and keep that layout: later
            # redraws skip it, and every scene's pixels line up with every other's.
            engine = self.figure.get_layout_engine()
            if engine is not None:
                engine.execute(self.figure)
            self.figure.set_layout_engine("none")
            self._show_scene()
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        super().__init__(children=[*header, *self._control_rows(), self.image])

    # ---------------------------------------------------------------- API --
    def build(self) -> None:  # pragma: no cover - abstract
        """Create axes and artists on ``self.figure``."""
        raise NotImplementedError

    def update(self, values: dict[str, Any]) -> bool:  # pragma: no cover - abstract
        """Set artists' data from ``values``; return True if the scene changed."""
        raise NotImplementedError

    def animate(self, *artists: Artist) -> Any:
        """Register artists that change with the controls; returns the first one."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)
        return artists[0] if artists else None

    def overlay(self, *texts: Text) -> Any:
        """Register texts that change now and then (a table cell, a status line).

        Text is slow to draw, so overlays are drawn once onto a cached layer and redrawn
        only when their text or colour changes; returns the first one.
        """
        for text in texts:
            text.set_animated(True)
            self._overlays.append(text)
        return texts[0] if texts else None

    def per_scene(self, *artists: Artist) -> Any:
        """Register the static artists that differ from one scene to the next (an axis whose
        range follows a slider). Everything else static is then drawn only once, and a new
        scene draws just these on a copy of it (see :meth:`draw_scene`); returns the first.
        """
        for artist in artists:
            artist.set_animated(True)
            self._scene_artists.append(artist)
        return artists[0] if artists else None

    def scene_key(self) -> Hashable | None:
        """A hashable description of the scene shown (axis ranges, titles), or None.

        The pixels of each scene are kept under its key, so coming back to a scene costs no
        drawing. None (the default) keeps nothing: every change of scene draws afresh.
        """
        return None

    def draw_scene(self) -> None:
        """Draw the static picture of the current scene onto the canvas.

        Called when ``update`` reports a new scene whose pixels are not kept. The default
        draws the whole figure except the animated artists and overlays, or, when there are
        :meth:`per_scene` artists, draws the rest once and then only those on top of it.
        Override it to draw a scene more cheaply still; it must leave the canvas showing
        the scene (nothing animated, no overlays).
        """
        canvas = self.figure.canvas
        if not self._scene_artists or self._static is None:
            canvas.draw()  # leaves out the animated artists, overlays and per-scene artists
            if not self._scene_artists:
                return
            self._static = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._static)
        for artist in self._scene_artists:
            if artist.get_visible():
                self.figure.draw_artist(artist)

    def values(self) -> dict[str, Any]:
        """The controls' current values, name → value."""
        return {name: w.value for name, w in self.controls.items()}

    def refresh(self) -> None:
        """Recompute from the controls and redraw (what a slider change does)."""
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if self.update(self.values()):
                self._show_scene()
            elif self._overlay_state() != self._overlays_shown:
                self._show_overlays()
            else:
                self.figure.canvas.restore_region(self._with_overlays)
                self._draw_animated()

    @property
    def png(self) -> bytes:
        """The figure as currently shown, PNG bytes."""
        return self._png

    # ----------------------------------------------------------- drawing --
    def _control_rows(self) -> list[widgets.Widget]:
        # One label width for all controls, wide enough for the longest label, so the
        # labels are shown in full and the sliders line up.
        longest = max((len(w.description) for w in self.controls.values()), default=0)
        width = f"{0.6 * longest + 1:.1f}em"
        for widget in self.controls.values():
            if hasattr(widget, "style") and hasattr(widget.style, "description_width"):
                widget.style.description_width = width
        return list(self.controls.values())

    def _on_change(self, _change: dict[str, Any]) -> None:
        self.refresh()

    def _show_scene(self) -> None:
        """Show the current scene: its kept pixels, or a new drawing of it."""
        scene = self.scene_key()
        kept = None if scene is None else self._pixels.get(("scene", scene))
        if kept is not None:
            self._background = kept
            self._show_overlays()
            return
        self.draw_scene()
        self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)
        if scene is None:
            self._pixels.clear()  # the overlay layers kept were drawn on another background
        else:
            self._pixels.put(("scene", scene), self._background)
        self._show_overlays(restore=False)

    def _overlay_state(self) -> list[tuple[Any, ...]]:
        return [(t.get_text(), t.get_color(), t.get_visible()) for t in self._overlays]

    def _show_overlays(self, restore: bool = True) -> None:
        """Draw the overlay texts on the scene, or reuse that layer if seen before.

        Drawing a line of text costs ~5 ms on a slow machine, and overlays (a truth
        table, a status line) cycle through few states, so each state's pixels are kept.
        """
        canvas = self.figure.canvas
        state = self._overlay_state()
        key = ("overlays", self.scene_key(), *state)
        layer = self._pixels.get(key)
        if layer is not None:
            canvas.restore_region(layer)
        else:
            if restore:
                canvas.restore_region(self._background)
            for text in self._overlays:
                if text.get_visible():
                    self.figure.draw_artist(text)
            layer = self._pixels.put(key, canvas.copy_from_bbox(self.figure.bbox))
        self._overlays_shown = state
        self._with_overlays = layer
        self._draw_animated()

    def _draw_animated(self) -> None:
        for artist in self._animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        self.redraw_count += 1
        self._png = encode_png(np.asarray(self.figure.canvas.buffer_rgba()))
        self.image.value = self._png

    # ---------------------------------------------------- static display --
    def settings_text(self) -> str:
        """The controls' current settings as one line: "w1 = 0.50 · gate = AND"."""
        parts = []
        for widget in self.controls.values():
            label = getattr(widget, "description", "")
            if not label or isinstance(widget, widgets.Play):
                continue
            value = widget.value
            if hasattr(widget, "label") and isinstance(getattr(widget, "label", None), str):
                shown = widget.label  # drop-downs, selection sliders: what the reader sees
            elif isinstance(value, bool):
                shown = "on" if value else "off"
            elif isinstance(value, float):
                shown = format(value, getattr(widget, "readout_format", ".3g") or ".3g")
            else:
                shown = str(value)
            parts.append(f"{label} = {shown}")
        return " · ".join(parts)

    def static_png(self) -> bytes:
        """The figure with a band above it naming each control's setting, PNG bytes.

        This is the picture a notebook stores for readers without a kernel (GitHub): the
        sliders are not drawn there, so the band says where they stood.
        """
        rgba = np.asarray(self.figure.canvas.buffer_rgba())
        width = rgba.shape[1]
        dpi = self.figure.dpi
        text = "Slider settings in this picture: " + self.settings_text()
        lines = textwrap.wrap(text, width=max(20, int(width / 6.5)))
        band = Figure(figsize=(width / dpi, (0.1 + 0.2 * len(lines)) * 80 / dpi), dpi=dpi)
        band.patch.set_facecolor("#f2f2f2")
        band.text(0.01, 0.5, "\n".join(lines), ha="left", va="center", fontsize=9,
                  color="#333333")  # fmt: skip
        FigureCanvasAgg(band).draw()
        top = np.asarray(band.canvas.buffer_rgba())[:, :width]
        # RGB at zlib's default level: the figure is opaque, and PIL's optimize=True takes
        # about four times as long for a file only 2 % smaller.
        buffer = io.BytesIO()
        Image.fromarray(np.vstack([top, rgba])[:, :, :3]).save(buffer, format="png")
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):  # (data, metadata)
            bundle = bundle[0]
        bundle = dict(bundle or {})
        bundle["text/plain"] = f"{type(self).__name__}: run the notebook to move the sliders"
        bundle["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        return bundle

    def close(self) -> None:
        """Close the widgets (the figure is garbage-collected with the explorer)."""
        # getattr: ipywidgets also calls close() from __del__, even on an explorer whose
        # __init__ failed before its controls and image existed.
        for widget in getattr(self, "controls", {}).values():
            widget.close()
        if getattr(self, "image", None) is not None:
            self.image.close()
        super().close()
