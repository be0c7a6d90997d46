"""``nbtext.plots.draw_diagram``: the labelled perceptron diagrams of Chapter 01."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from nbtext.plots import PALETTE, draw_diagram

NODES = {
    "x1": (0, 1, "$x_1$", PALETTE[5]),
    "one": (0, 0, "1", PALETTE[5]),
    "sum": (2, 0.5, r"$\Sigma$", PALETTE[1]),
}


def test_one_circle_per_node_one_arrow_per_edge_and_the_labels():
    ax = Figure().subplots()
    draw_diagram(ax, NODES, [("x1", "sum", "$w_1$"), ("one", "sum", "")], radius=0.3)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == 3
    assert {c.get_radius() for c in circles} == {0.3}
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["$x_1$", "1", r"$\Sigma$", "", "$w_1$", ""]  # arrows: empty annotations
    assert not ax.axison


def test_arrows_stop_at_the_circle_edges():
    ax = Figure().subplots()
    draw_diagram(ax, {"a": (0, 0, "a", "white"), "b": (2, 0, "b", "white")}, [("a", "b", "")])
    arrow = ax.texts[-1]
    assert arrow.xy == pytest.approx((2 - 0.32, 0))
    assert arrow.xyann == pytest.approx((0.32, 0))


def test_unknown_node_is_a_named_error():
    with pytest.raises(ValueError, match="unknown node 'out'"):
        draw_diagram(Figure().subplots(), NODES, [("sum", "out", "")])
