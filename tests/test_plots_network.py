"""``nbtext.plots.draw_network``: the network diagram of Chapter 03."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nbtext.plots import PALETTE, draw_network


def test_one_circle_per_neuron_and_one_line_per_weight():
    ax = Figure().subplots()
    draw_network(ax, [2, 3, 2, 2], ["input", "hidden 1", "hidden 2", "output"])
    circles = sum(len(c.get_offsets()) for c in ax.collections)
    assert circles == 2 + 3 + 2 + 2
    assert len(ax.lines) == 2 * 3 + 3 * 2 + 2 * 2
    assert [t.get_text() for t in ax.texts] == ["input", "hidden 1", "hidden 2", "output"]
    assert not ax.axison


def test_layers_are_coloured_input_hidden_output():
    ax = Figure().subplots()
    draw_network(ax, [1, 2, 1])
    colours = [tuple(c.get_facecolor()[0]) for c in ax.collections]
    assert colours == [to_rgba(PALETTE[0]), to_rgba(PALETTE[2]), to_rgba(PALETTE[1])]
    assert len(ax.texts) == 0


@pytest.mark.parametrize(
    ("sizes", "labels", "match"),
    [
        ([3], None, "at least two"),
        ([2, 0], None, "positive integers"),
        ([2, 2], ["a"], "one label"),
    ],
)
def test_bad_arguments_are_named_errors(sizes, labels, match):
    with pytest.raises(ValueError, match=match):
        draw_network(Figure().subplots(), sizes, labels)
