"""``perceptron_explorer``: move w1, w2, b and watch the decision line and truth table (Ch. 01)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.patches import Polygon

from nbtext.datasets import LOGIC_GATES, logic_gate
from nbtext.perceptron import Perceptron
from nbtext.plots import MARKERS, PALETTE, tint
from nbtext.widgets._explorer import Explorer, dropdown, float_slider

_LIMITS = (-0.5, 1.5)
_ROW = "{:>3} {:>3} {:>7} {:>7}  {}"


def _positive_half(unit: Perceptron) -> np.ndarray:
    """Corners of {x in the plot box : w1·x1 + w2·x2 + b > 0}, a convex polygon ``(k, 2)``."""
    lo, hi = _LIMITS
    box = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]])
    side = unit.weighted_sum(box)
    corners = []
    for i in range(4):
        p, q, sp, sq = box[i], box[(i + 1) % 4], side[i], side[(i + 1) % 4]
        if sp > 0:
            corners.append(p)
        if (sp > 0) != (sq > 0):  # the line crosses this edge
            corners.append(p + (q - p) * sp / (sp - sq))
    return np.array(corners) if len(corners) >= 3 else np.zeros((3, 2))


class PerceptronExplorer(Explorer):
    """Decision region of step(w1·x1 + w2·x2 + b) over the four inputs, and its truth table."""

    def __init__(self, gate: str, w1: float, w2: float, b: float) -> None:
        controls = {
            "gate": dropdown("gate", [g.upper() for g in LOGIC_GATES], gate.upper()),
            "w1": float_slider("weight w1", w1, -1.5, 1.5, 0.05),
            "w2": float_slider("weight w2", w2, -1.5, 1.5, 0.05),
            "b": float_slider("bias b", b, -1.5, 1.5, 0.05),
        }
        super().__init__(controls, figsize=(8.5, 3.6))

    def build(self) -> None:
        self.ax, self.table_ax = self.figure.subplots(1, 2, width_ratios=[1.2, 1])
        ax = self.ax
        # The plane is blue (output 0); the half-plane where the perceptron outputs 1 is
        # an orange polygon, cheap to redraw compared with an image.
        ax.set_facecolor(tint(PALETTE[0], 0.75))
        orange = tint(PALETTE[1], 0.75)
        self.region = self.animate(
            Polygon(np.zeros((3, 2)), closed=True, color=orange, lw=0, label="output 1")
        )
        ax.add_patch(self.region)
        self.line = self.animate(ax.plot([], [], color="black", lw=2, label="boundary $a = 0$")[0])
        X, _ = logic_gate("and")
        self._X = X
        self.points = [
            self.animate(ax.scatter(X[:, 0], X[:, 1], s=120, zorder=3, marker=MARKERS[k],
                                    color=PALETTE[k], edgecolor="black", label=f"target {k}"))
            for k in (0, 1)
        ]  # fmt: skip
        ax.set(
            xlim=_LIMITS, ylim=_LIMITS, xticks=[0, 1], yticks=[0, 1], xlabel="$x_1$", ylabel="$x_2$"
        )
        self.title = self.overlay(ax.set_title(" "))
        tax = self.table_ax
        tax.set_axis_off()
        tax.set(xlim=(0, 1), ylim=(0, 1))
        tax.text(0.02, 0.9, _ROW.format("x1", "x2", "target", "output", ""), family="monospace",
                 fontsize=11, weight="bold")  # fmt: skip
        # One text for the whole table: text is slow to draw, one block is drawn fastest.
        self.table = self.overlay(
            tax.text(0.02, 0.84, "", family="monospace", fontsize=11, va="top", linespacing=1.9)
        )
        tax.legend(handles=[self.line, *self.points], loc="lower left", fontsize=9, ncols=3,
                   frameon=False)  # fmt: skip

    def update(self, values: dict[str, Any]) -> bool:
        w1, w2, b = values["w1"], values["w2"], values["b"]
        _, target = logic_gate(values["gate"].lower())
        unit = Perceptron(2, weights=[w1, w2], bias=b)
        output = unit.predict(self._X)
        self.region.set_xy(_positive_half(unit))
        xs = np.array(_LIMITS)
        if abs(w2) > 1e-12:
            self.line.set_data(xs, -(w1 * xs + b) / w2)
        elif abs(w1) > 1e-12:
            self.line.set_data([-b / w1, -b / w1], list(_LIMITS))
        else:
            self.line.set_data([], [])
        for k, scatter in enumerate(self.points):
            scatter.set_offsets(self._X[target == k].reshape(-1, 2))
        rows = [
            _ROW.format(x[0], x[1], t, o, "right" if t == o else "<- WRONG")
            for x, t, o in zip(self._X.astype(int), target, output, strict=True)
        ]
        right = int(np.sum(target == output))
        rows += ["", f"{right} of 4 rows right" + (": the gate works!" if right == 4 else "")]
        self.table.set_text("\n".join(rows))
        self.title.set_text(f"{values['gate']}: output 1 where $w_1x_1 + w_2x_2 + b > 0$")
        return False


def perceptron_explorer(
    gate: str = "and", w1: float = 0.5, w2: float = 0.5, b: float = -0.7
) -> PerceptronExplorer:
    """Sliders for w1, w2, b and a gate choice; the decision line over the four inputs and the
    live truth table (which rows are right). Chapter 01.

    ``gate`` is one of ``nbtext.datasets.LOGIC_GATES``; the defaults are the AND weights.
    """
    logic_gate(gate)  # checks the name
    return PerceptronExplorer(gate, w1, w2, b)
