"""Headless tests of the chapter 01, 02 and 05 explorers beyond the contract every explorer
keeps (tests/test_explorers.py), with warnings as errors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import snapshot

from nbtext.widgets import activation_explorer, learning_rate_explorer, perceptron_explorer


def test_learning_rate_divergence_is_a_message_not_a_warning():
    explorer = learning_rate_explorer(learning_rate=0.1, steps=40)
    assert "diverged" not in explorer.status.get_text()
    explorer.controls["learning_rate"].value = 2.5
    assert "diverged after" in explorer.status.get_text()
    run1, run2 = explorer.last_runs
    assert run1.diverged and run2.diverged
    assert np.all(np.isfinite(run1.points)) and np.all(np.isfinite(run2.points))
    explorer.controls["learning_rate"].value = 0.1
    assert "diverged" not in explorer.status.get_text()


def test_learning_rate_explorer_takes_other_objectives():
    explorer = learning_rate_explorer(curve="double_well", surface="rosenbrock", steps=5)
    explorer.controls["steps"].value = 50
    assert explorer.last_runs[0].points.shape == (51, 1)


def test_perceptron_truth_table_follows_the_weights():
    explorer = perceptron_explorer(gate="and")
    assert "4 of 4 rows right" in explorer.table.get_text()
    explorer.controls["gate"].value = "OR"
    assert "4 of 4" not in explorer.table.get_text()
    explorer.controls["b"].value = -0.2  # the OR weights
    assert "4 of 4 rows right" in explorer.table.get_text()
    explorer.controls["gate"].value = "XOR"
    assert "4 of 4" not in explorer.table.get_text()


def test_activation_explorer_disables_alpha_where_it_does_not_apply():
    explorer = activation_explorer("sigmoid")
    assert explorer.controls["alpha"].disabled
    explorer.controls["activation"].value = "elu"
    assert not explorer.controls["alpha"].disabled


@pytest.mark.parametrize(
    ("factory", "kwargs", "match"),
    [
        (perceptron_explorer, {"gate": "xnor"}, "xor"),
        (activation_explorer, {"name": "swish"}, "sigmoid"),
        (learning_rate_explorer, {"surface": "volcano"}, "elongated"),
        (learning_rate_explorer, {"curve": "cubic"}, "parabola"),
    ],
)
def test_unknown_names_are_named_errors(factory, kwargs, match):
    with pytest.raises(ValueError, match=match):
        factory(**kwargs)


@pytest.mark.parametrize(
    "weights", [(0.5, 0.5, -0.7), (-1.0, 0.2, 0.1), (0.0, 1.0, -0.5), (1, 1, 5)]
)
def test_perceptron_region_is_the_positive_half_plane(weights):
    from nbtext.perceptron import Perceptron
    from nbtext.widgets.explore_perceptron import _LIMITS, _positive_half

    w1, w2, b = weights
    polygon = _positive_half(Perceptron(2, weights=[w1, w2], bias=b))
    x, y = polygon[:, 0], polygon[:, 1]
    area = 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
    grid = np.linspace(*_LIMITS, 801)
    xx, yy = np.meshgrid(grid, grid)
    fraction = np.mean(w1 * xx + w2 * yy + b > 0)
    assert area / (_LIMITS[1] - _LIMITS[0]) ** 2 == pytest.approx(fraction, abs=0.01)


def test_cached_scenes_and_overlays_give_the_same_pixels_as_a_fresh_draw():
    explorer = activation_explorer("sigmoid")
    explorer.controls["activation"].value = "relu"  # drawn in full
    first = snapshot(explorer)
    for name in ("tanh", "elu", "relu"):  # relu again: from the scene cache
        explorer.controls["activation"].value = name
    assert snapshot(explorer) == first
    perceptron = perceptron_explorer()
    for b in (0.3, -0.2, -1.0, -0.7):
        perceptron.controls["b"].value = b
    assert snapshot(perceptron) == snapshot(perceptron_explorer())


_VALID_ACTIVATIONS = "valid names are step, sigmoid, tanh, relu, leaky_relu, elu, identity"


@pytest.mark.parametrize("name", ["swish", "softmax", "", "relu6", 3, None])
def test_activation_explorer_bad_name_lists_the_valid_names(name):
    with pytest.raises(ValueError, match=_VALID_ACTIVATIONS):
        activation_explorer(name=name)


def test_activation_explorer_says_why_softmax_is_missing():
    with pytest.raises(ValueError, match="softmax maps a vector to a vector"):
        activation_explorer(name="softmax")


@pytest.mark.parametrize(("name", "key"), [("ReLU", "relu"), (" Leaky-ReLU ", "leaky_relu")])
def test_activation_explorer_reads_names_like_get_activation(name, key):
    assert activation_explorer(name=name).controls["activation"].value == key


@pytest.mark.parametrize("alpha", [2.0, -0.1, 1.01, float("nan"), float("inf")])
def test_activation_explorer_alpha_outside_the_slider_is_an_error(alpha):
    # Never clamped silently to the slider's range.
    with pytest.raises(ValueError, match=r"alpha must be in \[0, 1\] \(the alpha slider's range\)"):
        activation_explorer(name="leaky_relu", alpha=alpha)


@pytest.mark.parametrize("alpha", ["0.1", True, None, [0.1]])
def test_activation_explorer_alpha_must_be_a_number(alpha):
    with pytest.raises(ValueError, match=r"alpha must be a number in \[0, 1\]"):
        activation_explorer(alpha=alpha)


def test_activation_explorer_keeps_every_curve_in_the_frame():
    # Chapter 02 asks readers to drag alpha up to 1 (leaky ReLU becomes the identity).
    explorer = activation_explorer()
    slider = explorer.controls["alpha"]
    for name in explorer.controls["activation"].options:
        explorer.controls["activation"].value = name
        for alpha in [slider.min, 0.25, 0.5, 0.75, slider.max]:
            slider.value = alpha
            for line in (explorer.f_line, explorer.g_line):
                low, high = line.axes.get_ylim()
                y = np.asarray(line.get_ydata())
                assert low < y.min() and y.max() < high, (name, alpha, (low, high))


def test_activation_explorer_left_axis_labels_stay_in_the_figure():
    # The layout is fixed for the first function; wider tick labels must still fit.
    for first in ("sigmoid", "leaky_relu"):
        explorer = activation_explorer(first)
        renderer = explorer.figure.canvas.get_renderer()
        for name in explorer.controls["activation"].options:
            explorer.controls["activation"].value = name
            yaxis = explorer.ax_f.yaxis
            label = yaxis.label.get_window_extent(renderer)
            low, high = explorer.ax_f.get_ylim()
            ticks = [
                t.get_window_extent(renderer)
                for t in yaxis.get_ticklabels()
                if t.get_text() and low <= t.get_position()[1] <= high  # the ones drawn
            ]
            assert label.x0 >= 0, (first, name)
            assert all(label.x1 <= t.x0 for t in ticks), (first, name)


def test_settings_follow_the_controls() -> None:
    explorer = perceptron_explorer()
    explorer.controls["gate"].value = "OR"
    explorer.controls["w1"].value = 1.0
    text = explorer.settings_text()
    assert "= OR" in text and "w1 = 1.00" in text


def test_bounded_cache_keeps_the_most_recently_used():
    from nbtext.widgets._explorer import BoundedCache

    cache = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent ...
    cache.put("c", 3)  # ... so "b" goes
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2
    made = []
    assert cache.get_or_make("d", lambda: made.append(1) or 4) == 4
    assert cache.get_or_make("d", lambda: made.append(1) or 5) == 4
    assert made == [1] and cache.get("missing", "default") == "default"
