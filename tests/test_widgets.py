"""Headless tests of the explorers: every control moves the figure, with warnings as errors."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nbtext.widgets import activation_explorer, learning_rate_explorer, perceptron_explorer

EXPLORERS = {
    "perceptron_explorer": perceptron_explorer,
    "activation_explorer": activation_explorer,
    "learning_rate_explorer": learning_rate_explorer,
}


def control_values(widget: widgets.Widget) -> list:
    """A handful of values across a control's whole range (or all its options)."""
    if isinstance(widget, widgets.Dropdown):
        return (
            [value for _, value in widget.options]
            if isinstance(widget.options[0], tuple)
            else list(widget.options)
        )
    if isinstance(widget, widgets.FloatLogSlider):
        return [float(v) for v in widget.base ** np.linspace(widget.min, widget.max, 7)]
    if isinstance(widget, widgets.IntSlider):
        return [int(v) for v in np.linspace(widget.min, widget.max, 7)]
    return [float(v) for v in np.linspace(widget.min, widget.max, 7)]


def snapshot(explorer) -> bytes:
    """The figure's pixels as shown."""
    return bytes(explorer.figure.canvas.buffer_rgba())


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_control_changes_the_figure_across_its_range(name):
    explorer = EXPLORERS[name]()
    for control_name, widget in explorer.controls.items():
        if widget.disabled:
            continue
        seen = set()
        for value in control_values(widget):
            widget.value = value
            seen.add(snapshot(explorer))
        assert len(seen) >= 2, f"{name}: moving {control_name!r} never changed the figure"


@pytest.mark.parametrize("name", EXPLORERS)
def test_explorer_contract(name):
    explorer = EXPLORERS[name]()
    assert isinstance(explorer, widgets.Box)
    assert isinstance(explorer.figure, plt.Figure)
    assert explorer.controls and all(
        isinstance(w, widgets.ValueWidget) for w in explorer.controls.values()
    )
    for widget in explorer.controls.values():
        # Labels are shown in full, never cut to "learning r...".
        width = widget.style.description_width
        assert width == "initial" or float(width.removesuffix("em")) >= 0.6 * len(
            widget.description
        )
    assert explorer.png.startswith(b"\x89PNG")
    assert explorer.image.value == explorer.png


@pytest.mark.parametrize("name", EXPLORERS)
def test_saved_notebooks_get_a_png_and_a_fixed_text(name):
    first, second = EXPLORERS[name](), EXPLORERS[name]()
    bundle = first._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == first.static_png()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # nbval compares text/plain: it must not depend on widget ids.
    assert bundle["text/plain"] == second._repr_mimebundle_()["text/plain"]


@pytest.mark.parametrize("name", EXPLORERS)
def test_no_pyplot_figure_is_left_behind(name):
    before = plt.get_fignums()
    explorer = EXPLORERS[name]()
    for widget in explorer.controls.values():
        if not widget.disabled:
            widget.value = control_values(widget)[-1]
    assert plt.get_fignums() == before


def test_redraw_happens_before_the_assignment_returns():
    explorer = learning_rate_explorer()
    count = explorer.redraw_count
    explorer.controls["learning_rate"].value = 0.5
    assert explorer.redraw_count == count + 1


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
