"""Figures that several chapters share.

Colours come from the Okabe–Ito palette, which stays distinguishable for the
common forms of colour blindness.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe–Ito colours, in the order lines and classes use them."""

MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
"""One marker per class, so classes differ by shape as well as colour."""


def tint(color: str, amount: float) -> tuple[float, float, float]:
    """``color`` mixed with white: ``amount`` 0 keeps it, 1 gives white. For the regions
    and backgrounds behind data points, which must stay lighter than the points."""
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(color))
    return tuple(rgb + (1.0 - rgb) * amount)


def grid_over(X: np.ndarray, resolution: int = 200, margin: float = 0.5) -> tuple[np.ndarray, ...]:
    """A ``resolution × resolution`` grid covering the points ``X (N, 2)`` plus ``margin``.

    Returns ``(xx, yy, points)`` with ``points`` of shape ``(resolution², 2)``.
    """
    X = np.asarray(X, dtype=np.float64)
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def scatter_classes(ax: Any, X: np.ndarray, y: np.ndarray, *, size: float = 30.0) -> None:
    """Scatter 2-D points ``X (N, 2)`` coloured and shaped by integer class ``y (N,)``."""
    y = np.asarray(y).astype(int)
    for k in np.unique(y):
        pts = X[y == k]
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            s=size,
            color=PALETTE[k % len(PALETTE)],
            marker=MARKERS[k % len(MARKERS)],
            edgecolor="white",
            linewidth=0.6,
            label=f"class {k}",
            zorder=3,
        )


def plot_decision_regions(
    ax: Any,
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    *,
    resolution: int = 200,
    margin: float = 0.5,
) -> Any:
    """Shade the plane by ``predict(points) -> labels`` and draw the data on top.

    ``predict`` maps ``(M, 2)`` points to ``(M,)`` integer labels. Returns the
    image artist so a widget can update it in place. Used from Chapter 01 on.
    """
    from matplotlib.colors import ListedColormap

    xx, yy, points = grid_over(X, resolution, margin)
    labels = np.asarray(predict(points)).reshape(xx.shape)
    n_classes = int(max(labels.max(), np.max(y))) + 1
    cmap = ListedColormap(PALETTE[:n_classes])
    image = ax.imshow(
        labels,
        origin="lower",
        extent=(xx.min(), xx.max(), yy.min(), yy.max()),
        cmap=cmap,
        vmin=-0.5,
        vmax=n_classes - 0.5,
        alpha=0.25,
        aspect="auto",
        interpolation="nearest",
    )
    scatter_classes(ax, X, y)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return image


def plot_loss_curve(
    ax: Any,
    losses: Any,
    *,
    label: str = "loss",
    xlabel: str = "iteration",
    color: str | None = None,
    log: bool = False,
) -> Any:
    """Plot a loss curve on ``ax``; returns the Line2D so widgets can update it."""
    (line,) = ax.plot(np.arange(1, len(losses) + 1), losses, label=label, color=color or PALETTE[0])
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    if log:
        ax.set_yscale("log")
    return line


def draw_network(ax: Any, sizes: Sequence[int], labels: Sequence[str] | None = None) -> None:
    """Draw a fully connected network on ``ax``: a column of circles per layer, grey lines
    for the weights between neighbouring layers (Chapter 03).

    ``sizes``: neurons per layer, input first, e.g. ``[2, 3, 2, 2]``; ``labels``: one text per
    layer, written under its column. Inputs are blue, hidden neurons green, outputs orange.
    """
    sizes = list(sizes)
    if len(sizes) < 2 or not all(isinstance(n, (int, np.integer)) and n >= 1 for n in sizes):
        raise ValueError(f"sizes must be at least two positive integers, got {sizes!r}")
    if labels is not None and len(labels) != len(sizes):
        raise ValueError(f"give one label per layer: {len(sizes)} layers, {len(labels)} labels")
    half = (max(sizes) - 1) / 2
    columns = [[(col, (n - 1) / 2 - i) for i in range(n)] for col, n in enumerate(sizes)]
    for left, right in itertools.pairwise(columns):
        for x0, y0 in left:
            for x1, y1 in right:
                ax.plot([x0, x1], [y0, y1], color="0.75", lw=1, zorder=1)
    for col, column in enumerate(columns):
        colour = PALETTE[0] if col == 0 else PALETTE[1] if col == len(sizes) - 1 else PALETTE[2]
        xs, ys = zip(*column, strict=True)
        ax.scatter(xs, ys, s=500, color=colour, edgecolor="black", zorder=2)
        if labels is not None:
            ax.text(col, -half - 0.9, labels[col], ha="center", va="top", fontsize=10)
    ax.set(xlim=(-0.5, len(sizes) - 0.5), ylim=(-half - 1.6, half + 0.6))
    ax.set_axis_off()


def draw_diagram(
    ax: Any,
    nodes: dict[str, tuple[float, float, str, Any]],
    edges: Sequence[tuple[str, str, str]],
    *,
    radius: float = 0.32,
    fontsize: float = 11,
) -> None:
    """Draw a small diagram of labelled circles joined by arrows (Chapter 01's perceptron).

    ``nodes``: ``{key: (x, y, text, colour)}``, a circle of ``radius`` centred at ``(x, y)``
    with ``text`` inside; ``edges``: ``[(from_key, to_key, label)]``, an arrow from circle to
    circle with ``label`` (may be ``""``) written just above its first half.
    """
    from matplotlib.patches import Circle

    for start, end, _ in edges:
        for key in (start, end):
            if key not in nodes:
                raise ValueError(f"edge ({start!r}, {end!r}) names an unknown node {key!r}")
    for x, y, text, colour in nodes.values():
        ax.add_patch(Circle((x, y), radius, facecolor=colour, edgecolor="black", zorder=2))
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=3)
    for start, end, label in edges:
        (x0, y0), (x1, y1) = nodes[start][:2], nodes[end][:2]
        length = float(np.hypot(x1 - x0, y1 - y0))
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        ax.annotate(
            "",
            xy=(x1 - radius * ux, y1 - radius * uy),
            xytext=(x0 + radius * ux, y0 + radius * uy),
            arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.2},
        )
        if label:
            ax.text(
                x0 + 0.45 * (x1 - x0),
                y0 + 0.45 * (y1 - y0) + 0.13,
                label,
                ha="center",
                fontsize=11,
                color=PALETTE[3],
            )
    ax.set_aspect("equal")
    ax.set_axis_off()
