"""Chapter 06: computational graphs and the chain rule, one number at a time.

A :class:`Value` wraps one float. Every arithmetic operation on Values makes a new
Value that remembers its parents and the operation (``.op``) that made it, so an
expression such as ``sigmoid(w1*x1 + w2*x2 + b)`` leaves behind a *computational
graph*. Each operation also stores a tiny closure, written right next to its forward
rule, that knows the *local* derivative of its output with respect to each input.
:meth:`Value.backward` visits the graph from the output back to the inputs and
multiplies these local derivatives along every path: the chain rule, automated. That
is reverse-mode automatic differentiation, the idea behind backpropagation and
PyTorch's ``loss.backward()``; the layers of ``nbtext.layers`` do the same thing with
whole arrays.

The design follows Andrej Karpathy's micrograd (``engine.py``). One deliberate
difference: :meth:`Value.backward` *resets* every gradient in the graph before it
propagates, so calling it twice gives the same gradients, not twice as much.

>>> x = Value(2.0, label="x")
>>> y = (x * x + 1).log()
>>> y.backward()
>>> round(x.grad, 4)  # d/dx log(x² + 1) = 2x / (x² + 1) = 0.8
0.8

:func:`topological_order` lists a graph's nodes inputs-first, and :func:`draw_graph`
draws the graph with matplotlib.
"""

from __future__ import annotations

import math
import numbers
import reprlib
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["Value", "draw_graph", "topological_order"]

Number = int | float


def _check_data(data: Any) -> float:
    """Return ``data`` as a float after checking it is a finite real number (Chapter 06)."""
    if isinstance(data, Value):
        raise TypeError(
            f"Value data must be a real number (int or float), got a Value {data!r}; "
            "use that Value directly instead of wrapping it again"
        )
    if isinstance(data, bool) or not isinstance(data, numbers.Real):
        hint = (
            " (a Value holds one number: make one Value per element)"
            if hasattr(data, "__len__") and not isinstance(data, (str, bytes))
            else ""
        )
        raise TypeError(
            f"Value data must be a real number (int or float), got "
            f"{type(data).__name__} {reprlib.repr(data)}{hint}"
        )
    value = float(data)
    if not math.isfinite(value):
        raise ValueError(f"Value data must be a finite number, got {value}")
    return value


def _fmt(x: float) -> str:
    """Format a number with 4 decimals, switching to scientific notation when tiny or huge."""
    x = x + 0.0  # turn -0.0 into 0.0
    if x == 0 or 1e-4 <= abs(x) < 1e6:
        return f"{x:.4f}"
    return f"{x:.4e}"


class Value:
    """Chapter 06: one number in a computational graph, with the gradient of the output.

    ``data`` is the number computed on the forward pass; ``grad`` is d(output)/d(this
    value), filled in by :meth:`backward` on the output (0.0 until then). ``op`` names
    the operation that made this Value ("" for inputs you create yourself) and
    ``parents`` holds its inputs, once per use (``a * a`` has parents ``(a, a)``).
    ``label`` is a name used by ``repr`` and :func:`draw_graph`.
    """

    def __init__(
        self,
        data: Number,
        label: str = "",
        *,
        _parents: tuple[Value, ...] = (),
        _op: str = "",
    ) -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a string, got {type(label).__name__} {label!r}")
        self.data: float = _check_data(data)
        self.grad: float = 0.0
        self.label = label
        self.op = _op
        self.parents = tuple(_parents)
        # Sends out.grad to the parents' grads; inputs have nothing to send.
        self._backward: Callable[[], None] = lambda: None

    def _result(self, data: float, parents: tuple[Value, ...], op: str) -> Value:
        """Make the output Value of ``op``, refusing results that overflowed to inf/NaN."""
        if not math.isfinite(data):
            args = ", ".join(repr(p) for p in parents)
            raise OverflowError(f"{op} of {args} is not a finite number: {data}")
        return Value(data, _parents=parents, _op=op)

    @staticmethod
    def _lift(other: Any) -> Value:
        """Wrap a plain number as a constant Value; pass Values through unchanged."""
        return other if isinstance(other, Value) else Value(other)

    # ----- operations: forward rule, then the local derivative in a closure -----

    def __add__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        out = self._result(self.data + other.data, (self, other), "+")

        def _backward() -> None:  # d(a+b)/da = 1, d(a+b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __sub__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        out = self._result(self.data - other.data, (self, other), "-")

        def _backward() -> None:  # d(a-b)/da = 1, d(a-b)/db = -1
            self.grad += out.grad
            other.grad -= out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        out = self._result(self.data * other.data, (self, other), "*")

        def _backward() -> None:  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __truediv__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        if other.data == 0:
            raise ZeroDivisionError(f"division by zero: the divisor {other!r} is 0")
        out = self._result(self.data / other.data, (self, other), "/")

        def _backward() -> None:  # d(a/b)/da = 1/b, d(a/b)/db = -a/b²
            self.grad += out.grad / other.data
            other.grad -= self.data / other.data**2 * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: Number) -> Value:
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent of ** must be a plain number, got a Value; "
                "for a Value exponent b write (b * a.log()).exp()"
            )
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise TypeError(
                f"the exponent of ** must be a real number, got "
                f"{type(exponent).__name__} {reprlib.repr(exponent)}"
            )
        k = float(exponent)
        if not math.isfinite(k):
            raise ValueError(f"the exponent of ** must be finite, got {k}")
        x = self.data
        if x == 0 and k < 0:
            raise ZeroDivisionError(f"{self!r} ** {k:g} divides by zero")
        if x < 0 and not k.is_integer():
            raise ValueError(f"{self!r} ** {k:g}: a negative number to a fractional power")
        out = self._result(x**k, (self,), f"**{k:g}")

        def _backward() -> None:  # d(x^k)/dx = k·x^(k-1)
            if k == 0:
                local = 0.0
            elif x == 0 and k < 1:
                local = math.inf  # e.g. sqrt has a vertical tangent at 0
            else:
                local = k * x ** (k - 1)
            self.grad += local * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        out = self._result(-self.data, (self,), "neg")

        def _backward() -> None:  # d(-a)/da = -1
            self.grad -= out.grad

        out._backward = _backward
        return out

    def __radd__(self, other: Number) -> Value:  # 2 + a, and sum([...]) which starts at 0
        return self._lift(other) + self

    def __rsub__(self, other: Number) -> Value:  # 2 - a
        return self._lift(other) - self

    def __rmul__(self, other: Number) -> Value:  # 2 * a
        return self._lift(other) * self

    def __rtruediv__(self, other: Number) -> Value:  # 2 / a
        return self._lift(other) / self

    def exp(self) -> Value:
        """Return e**self (Chapter 06)."""
        try:
            e = math.exp(self.data)
        except OverflowError:  # above log(largest float) ≈ 709.78
            raise OverflowError(f"exp of {self!r} is too large for a float") from None
        out = self._result(e, (self,), "exp")

        def _backward() -> None:  # d(e^x)/dx = e^x, which is out.data
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self) -> Value:
        """Return the natural logarithm of self, defined for data > 0 only (Chapter 06)."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self!r}")
        out = self._result(math.log(self.data), (self,), "log")

        def _backward() -> None:  # d(log x)/dx = 1/x
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        """Return tanh(self), in (-1, 1); stable for any finite input (Chapter 06)."""
        out = self._result(math.tanh(self.data), (self,), "tanh")

        def _backward() -> None:  # d(tanh x)/dx = 1 - tanh²(x)
            self.grad += (1.0 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self) -> Value:
        """Return 1 / (1 + e**-self), in [0, 1]; no overflow for any finite input (Chapter 06).

        e**-x overflows for x below about -710, so for negative x we use the equal form
        e**x / (1 + e**x), whose exponential can only underflow to 0.
        """
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        out = self._result(s, (self,), "sigmoid")

        def _backward() -> None:  # dσ/dx = σ(x)·(1 - σ(x))
            self.grad += out.data * (1.0 - out.data) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Value:
        """Return max(0, self); its derivative is taken as 0 at 0 (Chapter 06)."""
        out = self._result(max(0.0, self.data), (self,), "relu")

        def _backward() -> None:  # d relu/dx = 1 if x > 0 else 0
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    # ----- the backward pass -----

    def backward(self) -> None:
        """Fill in ``.grad`` = d(self)/d(node) for every node of the graph that made self.

        Chapter 06: list the nodes so that each comes after all its inputs
        (:func:`topological_order`), set every grad to 0 and this output's grad to 1
        (dself/dself = 1), then walk the list backwards: each node's closure multiplies
        the gradient that has reached it by its local derivatives and *adds* the result
        to its parents' grads. Adding is the chain rule's sum over paths: a value used
        twice (``a * a``, ``a + a``) collects a contribution from each use.

        Unlike micrograd and PyTorch, which add to whatever is already in ``.grad``
        (so you must zero gradients between steps), this resets every grad in the graph
        first: calling ``backward()`` twice gives the same gradients, not double. The
        price: gradients of several outputs are not summed for you; build their sum as
        one Value and call ``backward()`` on that.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={_fmt(self.data)}, grad={_fmt(self.grad)}{label})"


def topological_order(root: Value) -> list[Value]:
    """Return every Value that ``root`` depends on, each after all of its parents (Chapter 06).

    Inputs come first and ``root`` last; each node appears once even when it is used
    several times. Reversed, this is the order in which :meth:`Value.backward` visits
    the nodes. An explicit stack (instead of recursion) handles graphs of any depth.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {reprlib.repr(root)}")
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:  # all parents are in `order` already
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for parent in reversed(node.parents):
            if id(parent) not in visited:
                stack.append((parent, False))
    return order


# ----- drawing the graph -----

# Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
_FILL = {"leaf": "#BFE3F5", "inner": "#F9E0B0", "root": "#B3E2D4", "op": "#FFFFFF"}
_EDGE = {"leaf": "#0072B2", "inner": "#E69F00", "root": "#009E73", "op": "#000000"}
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
