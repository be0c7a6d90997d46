"""Figures that several chapters share, and Chapter 06's computational graphs (``draw_graph``).

Colours come from the Okabe–Ito palette, which stays distinguishable for the
common forms of colour blindness.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from nbtext.autodiff import Value, _fmt, topological_order

__all__ = [
    "MARKERS",
    "PALETTE",
    "draw_diagram",
    "draw_graph",
    "draw_network",
    "grid_over",
    "plot_decision_regions",
    "plot_loss_curve",
    "scatter_classes",
    "tint",
]

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


# ----- computational graphs (Chapter 06) -----

# Edges in Okabe–Ito blue, orange, green and black; fills are light tints of the same.
_FILL = {"leaf": "#BFE3F5", "inner": "#F9E0B0", "root": "#B3E2D4", "op": "#FFFFFF"}
_EDGE = {"leaf": PALETTE[0], "inner": PALETTE[1], "root": PALETTE[2], "op": PALETTE[7]}
_ARROW = "#555555"
_KIND_NAME = {"leaf": "input", "inner": "intermediate", "root": "output", "op": "operation"}
_OP_SYMBOL = {"+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−x", "sigmoid": "σ", "relu": "ReLU"}

_BOX_W = 1.7  # a Value's box, in data units
_OP_R = 0.3  # radius of an operation's circle
_COL = 2.9  # distance between two columns of Values
_OP_DX = 1.45  # an operation's circle sits this far left of the Value it makes
_ROW = 1.35  # height of a Value's slot in its column
_VIA_ROW = 0.5  # height of the slot an arrow takes when it passes through a column
_MARGIN = 0.3
_MAX_FIG = (12.0, 9.0)  # largest figure drawn when no Axes is given, in inches


def _kind(node: Value, root: Value) -> str:
    """Which colour a node gets in :func:`draw_graph`: "root", "leaf", "inner" or "op"."""
    if node is root:
        return "root"
    return "leaf" if not node.parents else "inner"


def _layout(
    order: list[Value],
) -> tuple[dict[int, int], dict[Hashable, float], dict[tuple[int, int], list[Hashable]], float]:
    """Place the nodes of a graph for :func:`draw_graph` (Chapter 06).

    Returns the column of each Value (keyed by ``id``), the height ``y`` of each Value
    and of each waypoint, the waypoints of every arrow that skips columns, and the
    height of the tallest column. A Value's column is the longest path from the inputs
    to it; an input moves right to sit just before the first operation that uses it, so
    a bias appears next to its ``+``. An arrow that skips columns gets a waypoint in
    each column it crosses, which takes a thin slot there, so it passes between boxes
    instead of behind them. Within a column, nodes are sorted a few times by the mean
    height of their neighbours on the left, then on the right (the barycenter
    heuristic), which keeps arrows short and crossings few.
    """
    col: dict[int, int] = {}
    for node in order:
        col[id(node)] = 1 + max((col[id(p)] for p in node.parents), default=-1)
    first_use: dict[int, int] = {}
    for node in order:
        for p in node.parents:
            if not p.parents:
                first_use[id(p)] = min(first_use.get(id(p), col[id(node)]), col[id(node)])
    for key, c in first_use.items():
        col[key] = c - 1

    columns: list[list[Hashable]] = [[] for _ in range(max(col.values()) + 1)]
    left: dict[Hashable, list[Hashable]] = {}
    right: dict[Hashable, list[Hashable]] = {}
    for node in order:
        columns[col[id(node)]].append(id(node))
        left[id(node)], right[id(node)] = [], []
    chains: dict[tuple[int, int], list[Hashable]] = {}
    for node in order:
        for p in dict.fromkeys(node.parents):  # each distinct parent once
            prev: Hashable = id(p)
            chain: list[Hashable] = []
            for c in range(col[id(p)] + 1, col[id(node)]):
                via = ("via", id(p), id(node), c)
                columns[c].append(via)
                left[via], right[via] = [prev], []
                right[prev].append(via)
                chain.append(via)
                prev = via
            right[prev].append(id(node))
            left[id(node)].append(prev)
            if chain:
                chains[(id(p), id(node))] = chain

    y: dict[Hashable, float] = {}

    def place(column: list[Hashable]) -> None:
        sizes = [_VIA_ROW if isinstance(k, tuple) else _ROW for k in column]
        top = sum(sizes) / 2
        for key, size in zip(column, sizes, strict=True):
            y[key] = top - size / 2
            top -= size

    def mean_y(keys: list[Hashable], default: float) -> float:
        return sum(y[k] for k in keys) / len(keys) if keys else default

    for column in columns:
        place(column)
    for _ in range(4):
        for column in columns[1:]:  # left to right: follow the inputs
            column.sort(key=lambda k: -mean_y(left[k], y[k]))
            place(column)
        for column in reversed(columns[:-1]):  # right to left: follow the users
            column.sort(key=lambda k: -mean_y(right[k], y[k]))
            place(column)
    tallest = max(sum(_VIA_ROW if isinstance(k, tuple) else _ROW for k in c) for c in columns)
    return col, y, chains, tallest


def draw_graph(root: Value, ax: Any = None, *, show_grad: bool = True) -> Any:
    """Draw the computational graph that produced ``root``; return the matplotlib Axes.

    Chapter 06. Data flows left to right: every Value is a box showing its label, its
    data and (with ``show_grad``) its grad to 4 decimals; every operation is a small
    circle just left of the Value it makes, with arrows from its inputs. Inputs are
    blue, intermediate values orange, the output green (Okabe–Ito colours, safe for
    colour-blind readers). Call ``root.backward()`` first to see gradients. Without
    ``ax`` a new figure is sized to fit the graph; nothing is shown until the notebook
    displays it. The Axes holds exactly one text per Value (gid ``"value"``) and one per
    operation (gid ``"op"``). Needs only matplotlib.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch
    from matplotlib.path import Path

    order = topological_order(root)
    col, y, chains, tallest = _layout(order)
    box_h = 0.95 if show_grad else 0.72
    x_lo = -_BOX_W / 2 - _MARGIN
    x_hi = max(col.values()) * _COL + _BOX_W / 2 + _MARGIN
    y_hi = tallest / 2 + _MARGIN
    width, height = x_hi - x_lo, 2 * y_hi

    present = {_kind(n, root) for n in order} | ({"op"} if root.parents else set())
    kinds = [k for k in _KIND_NAME if k in present]
    if ax is None:
        # wide enough for the legend too: about 0.45 in per entry plus 0.09 in per letter
        legend_w = sum(0.45 + 0.09 * len(_KIND_NAME[k]) for k in kinds)
        scale = min(0.75, _MAX_FIG[0] / width, _MAX_FIG[1] / height)  # inches per data unit
        figsize = (max(width * scale, 3.0, legend_w), max(height * scale + 0.4, 1.8))
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    else:
        fig_w, fig_h = ax.figure.get_size_inches()
        pos = ax.get_position()
        scale = min(pos.width * fig_w / width, pos.height * fig_h / height)

    # One font size for every box, the largest at which the longest number line fits.
    texts = {}
    for node in order:
        texts[id(node)] = [f"data {_fmt(node.data)}"]
        if show_grad:
            texts[id(node)].append(f"grad {_fmt(node.grad)}")
    longest = max(len(line) for lines in texts.values() for line in lines)
    box_pt = _BOX_W * scale * 72  # a box's width in points
    size = max(4.0, min(11.0, 0.88 * box_pt / (0.6 * longest)))  # monospace: 0.6 em a char
    max_label = max(longest, int(0.88 * box_pt / (0.6 * size)))

    boxes: dict[int, Any] = {}
    for node in order:
        x0, y0 = col[id(node)] * _COL, y[id(node)]
        kind = _kind(node, root)
        box = FancyBboxPatch(
            (x0 - _BOX_W / 2, y0 - box_h / 2),
            _BOX_W,
            box_h,
            boxstyle="round,pad=0,rounding_size=0.12",
            facecolor=_FILL[kind],
            edgecolor=_EDGE[kind],
            linewidth=1.5,
            zorder=2,
        )
        boxes[id(node)] = ax.add_patch(box)
        label = node.label if len(node.label) <= max_label else node.label[: max_label - 1] + "…"
        lines = ([label] if label else []) + texts[id(node)]
        text = ax.text(
            x0,
            y0,
            "\n".join(lines),
            ha="center",
            va="center",
            family="monospace",
            fontsize=size,
            zorder=3,
        )
        text.set_gid("value")

    arrow = {"arrowstyle": "-|>", "mutation_scale": 11, "color": _ARROW, "lw": 1.2, "zorder": 1}
    for node in order:
        if not node.parents:
            continue
        cx, cy = col[id(node)] * _COL - _OP_DX, y[id(node)]
        circle = ax.add_patch(
            Circle((cx, cy), _OP_R, facecolor=_FILL["op"], edgecolor=_EDGE["op"], lw=1.2, zorder=2)
        )
        symbol = _OP_SYMBOL.get(node.op, node.op)
        op_size = min(size + 1, 2 * _OP_R * scale * 72 * 0.85 / (0.62 * len(symbol)))
        text = ax.text(cx, cy, symbol, ha="center", va="center", fontsize=max(op_size, 4.0))
        text.set_gid("op")
        text.set_zorder(3)
        ax.add_patch(
            FancyArrowPatch(
                (cx, cy),
                (cx + _OP_DX, cy),
                patchA=circle,
                patchB=boxes[id(node)],
                shrinkA=0,
                shrinkB=1,
                **arrow,
            )
        )
        for parent in dict.fromkeys(node.parents):
            uses = sum(1 for p in node.parents if p is parent)  # a * a uses a twice
            for k in range(uses):
                offset = k - (uses - 1) / 2  # spread several arrows apart
                px, py = col[id(parent)] * _COL, y[id(parent)]
                chain = chains.get((id(parent), id(node)))
                if chain is None:  # neighbouring columns: straight, parallel when used twice
                    sx, sy = px + _BOX_W / 2, py  # from the middle of the box's right side
                    length = math.hypot(cx - sx, cy - sy)
                    nx, ny = -(cy - sy) / length, (cx - sx) / length  # unit normal
                    shift = 0.14 * offset
                    patch = FancyArrowPatch(
                        (sx + shift * nx, sy + shift * ny),
                        (cx + shift * nx, cy + shift * ny),
                        patchB=circle,
                        shrinkA=0,
                        shrinkB=1,
                        **arrow,
                    )
                else:  # pass through the waypoints between the boxes of skipped columns
                    dy = 0.12 * offset
                    verts = [(px + _BOX_W / 2, py + dy)]
                    for via in chain:
                        vx = via[3] * _COL  # type: ignore[index]
                        verts += [(vx - _BOX_W / 2, y[via] + dy), (vx + _BOX_W / 2, y[via] + dy)]
                    (lx, ly), (ex, ey) = verts[-1], (cx, cy + dy)
                    dist = math.hypot(ex - lx, ey - ly)
                    verts.append(
                        (
                            ex - (_OP_R + 0.02) * (ex - lx) / dist,
                            ey - (_OP_R + 0.02) * (ey - ly) / dist,
                        )
                    )
                    patch = FancyArrowPatch(path=Path(verts), **arrow)
                ax.add_patch(patch)

    legend = [
        Patch(facecolor=_FILL[kind], edgecolor=_EDGE[kind], label=_KIND_NAME[kind])
        for kind in kinds
    ]
    ax.legend(
        handles=legend,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=4,
        frameon=False,
        fontsize=max(size, 7.0),
        handlelength=1.2,
    )
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(-y_hi, y_hi)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax
