"""Headless tests of ``initialization_explorer`` (Chapter 09), with warnings as errors.

The contract test covers what every explorer does; these check what this picture says: the
lessons of the chapter for a few settings, that the numbers shown are the package's own
(``MLP.hidden_outputs``, ``training.gradient_norms``), determinism and argument errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import snapshot

from nbtext.training import gradient_norms
from nbtext.widgets import initialization_explorer
from nbtext.widgets.explore_initialization import (
    BINS,
    GRADIENT_RANGE,
    OUTPUT_RANGE,
    ROW,
    SHARE_CAP,
    initialization_data,
    initialization_network,
)

HE = 10**0.15
"""The slider's position nearest √2 (its steps are 0.05 in log10 g)."""


@pytest.fixture(scope="module")
def explorer():
    """One explorer, put back to its defaults by each test that moves it."""
    return initialization_explorer()


def show(explorer, **values):
    for name, value in values.items():
        explorer.controls[name].value = value
    return explorer


@pytest.fixture(autouse=True)
def _defaults(explorer):
    yield
    show(explorer, depth=5, activation="tanh", weight_scale=1.0)


def package_numbers(depth, activation, g):
    """What the package computes for a setting: each hidden layer's outputs and each weight
    gradient's length, by the chapter's own calls."""
    X, y = initialization_data()
    model = initialization_network(depth, activation, g)
    hidden = model.hidden_outputs(X)
    model.loss(X, y)
    norms = gradient_norms(model.backward())
    return hidden, np.array([norms[f"W{k}"] for k in range(1, depth + 2)])


# ------------------------------------------------------------------ the lessons --
def test_sigmoid_with_g_10_saturates_the_first_layer_at_0_and_1(explorer):
    show(explorer, activation="sigmoid", weight_scale=10.0)
    hidden, _ = package_numbers(5, "sigmoid", 10.0)
    first = hidden[0]
    assert np.mean((first < 0.025) | (first > 0.975)) > 0.6
    start = explorer.start
    assert start.saturated[0] == pytest.approx(np.mean((first < 0.025) | (first >= 0.975)))
    # The edge bins of layer 1 reach the top of its row; the middle stays low.
    top = explorer.ridges[0]
    values, _edges, baseline = top.get_data()
    heights = values - baseline
    assert heights[0] == heights[-1] == pytest.approx(ROW)
    assert heights[BINS // 2] < 0.1 * ROW
    assert explorer.activation_status.get_text().startswith("saturated: ")
    assert "layer 1 at 0 or 1" in explorer.activation_status.get_text()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_g_0_1_collapses_the_activations(explorer, activation):
    show(explorer, activation=activation, weight_scale=0.1)
    stds = explorer.start.stds
    assert stds[-1] < 0.02
    assert explorer.activation_status.get_text().startswith("collapse: ")
    # Every output of the last layer falls within four bins (a tenth of the range shown),
    # around 0.5 for sigmoid, at 0 for tanh and ReLU.
    assert np.sort(explorer.start.shares[-1])[-4:].sum() == pytest.approx(1.0)


def test_deep_sigmoid_gradients_vanish(explorer):
    show(explorer, activation="sigmoid", depth=10, weight_scale=1.0)
    norms = explorer.start.gradient_norms
    assert len(norms) == 11
    assert norms[0] < 1e-4 * norms[-1]
    assert np.all(np.diff(norms) > 0)  # smaller with every layer back toward the input
    assert explorer.gradient_status.get_text().startswith("gradients vanish: layer 1 gets ")


def test_tanh_with_g_10_makes_the_first_layers_gradients_explode(explorer):
    show(explorer, activation="tanh", depth=10, weight_scale=10.0)
    norms = explorer.start.gradient_norms
    assert norms[0] > 1e3 * norms[-1]
    assert explorer.gradient_status.get_text() == (
        f"gradients explode: layer 1 gets {norms[0] / norms[-1]:.0e} × the last's".replace(
            "e+0", "e"
        )
    )


def test_relu_with_he_keeps_every_layers_spread(explorer):
    show(explorer, activation="relu", depth=10, weight_scale=math.sqrt(2.0))
    stds = explorer.start.stds
    assert stds.max() < 2 * stds.min()
    norms = explorer.start.gradient_norms
    assert 1e-2 < norms[0] / norms[-1] < 1e2
    assert explorer.activation_status.get_color() == "black"  # nothing wrong to report
    assert explorer.gradient_status.get_color() == "black"
    assert "He" in explorer.readout.value


def test_lengths_beyond_the_axis_are_triangles_on_its_edge(explorer):
    low, high = GRADIENT_RANGE
    show(explorer, activation="sigmoid", depth=10, weight_scale=0.01)
    norms = explorer.start.gradient_norms
    xs, ys = explorer.below.get_data()
    assert list(xs) == [k for k in range(1, 12) if norms[k - 1] < low]
    assert len(xs) > 0 and set(ys) == {low}
    show(explorer, activation="relu", weight_scale=10.0)
    xs, ys = explorer.above.get_data()
    assert len(xs) > 0 and set(ys) == {high}
    assert explorer.start.stds[-1] > 1e6  # outputs far beyond the panel: counted at 4
    assert explorer.start.shares[-1][-1] > 0.3
    assert explorer.activation_status.get_text().startswith("explosion: ")


# ------------------------------------------------------- the package's numbers --
@pytest.mark.parametrize(
    ("depth", "activation", "g"),
    [(5, "tanh", 1.0), (10, "sigmoid", 1.0), (3, "relu", 10.0), (7, "relu", 0.1)],
)
def test_the_numbers_shown_are_the_packages(explorer, depth, activation, g):
    show(explorer, depth=depth, activation=activation, weight_scale=g)
    hidden, norms = package_numbers(depth, activation, g)
    start = explorer.start
    lo, hi = OUTPUT_RANGE[activation]
    np.testing.assert_allclose(start.stds, [h.std() for h in hidden], rtol=1e-12)
    expected = [np.histogram(np.clip(h, lo, hi), BINS, (lo, hi))[0] / h.size for h in hidden]
    np.testing.assert_array_equal(start.shares, expected)
    np.testing.assert_allclose(start.gradient_norms, norms, rtol=1e-12)
    # ... and what is drawn: the line, the rows, the std column.
    xs, ys = explorer.gradient_line.get_data()
    np.testing.assert_array_equal(xs, np.arange(1, depth + 2))
    np.testing.assert_allclose(ys, np.clip(norms, *GRADIENT_RANGE), rtol=1e-12)
    for k, ridge in enumerate(explorer.ridges):
        assert ridge.get_visible() == (k < depth)
        assert explorer.std_labels[k].get_visible() == (k < depth)
        if k < depth:
            values, edges, baseline = ridge.get_data()
            assert baseline == depth - 1 - k  # layer 1 at the top
            np.testing.assert_allclose(edges, np.linspace(lo, hi, BINS + 1))
            np.testing.assert_allclose(
                values - baseline, np.minimum(expected[k] / SHARE_CAP, 1) * ROW, atol=1e-12
            )
            shown = explorer.std_labels[k].get_text()  # 2 digits, or 1 and a power of ten
            assert float(shown) == pytest.approx(
                hidden[k].std(), rel=0.26 if "e" in shown else 0.06
            )
    labels = [t.get_text() for t in explorer.ax_act.get_yticklabels()]
    assert labels == [f"layer {k}" for k in range(1, depth + 1)]


def test_the_weights_have_std_g_over_root_n():
    model = initialization_network(10, "tanh", 0.5, units=100, seed=3)
    weights = np.concatenate([model.params[f"W{k}"].ravel() for k in range(1, 12)])
    assert weights.std() == pytest.approx(0.05, rel=0.01)
    bigger = initialization_network(10, "tanh", 2.0, units=100, seed=3)
    np.testing.assert_allclose(bigger.params["W4"], 4 * model.params["W4"], rtol=1e-12)


def test_the_readout_names_the_rule_and_the_std(explorer):
    assert "weights' std = 1/√100 = 0.1" in explorer.readout.value
    assert "LeCun" in explorer.readout.value
    show(explorer, weight_scale=HE)
    assert "He" in explorer.readout.value and "0.141" in explorer.readout.value
    show(explorer, weight_scale=3.0)
    assert "(<b>" not in explorer.readout.value


# --------------------------------------------------------------- determinism --
def test_the_same_arguments_give_the_same_pixels():
    a = initialization_explorer(depth=4, activation="sigmoid", weight_scale=2.0, seed=1)
    b = initialization_explorer(depth=4, activation="sigmoid", weight_scale=2.0, seed=1)
    assert snapshot(a) == snapshot(b)
    assert a.static_png() == b.static_png()
    c = initialization_explorer(depth=4, activation="sigmoid", weight_scale=2.0, seed=2)
    assert snapshot(c) != snapshot(a)


def test_a_setting_reached_by_the_sliders_looks_as_if_built_with_it(explorer):
    show(explorer, depth=8, activation="relu", weight_scale=HE)
    built = initialization_explorer(depth=8, activation="relu", weight_scale=HE)
    assert snapshot(explorer) == snapshot(built)


# ------------------------------------------------------------- bad arguments --
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"depth": 1}, ValueError, r"depth must lie in \[2, 10\], got 1"),
        ({"depth": 11}, ValueError, r"depth must lie in \[2, 10\], got 11"),
        ({"depth": 2.5}, TypeError, "depth must be a whole number, got float"),
        ({"depth": True}, TypeError, "depth must be a number, got bool"),
        ({"activation": "softmax"}, ValueError, "valid names are sigmoid, tanh, relu"),
        ({"activation": None}, ValueError, "unknown activation None; valid names are"),
        ({"weight_scale": 0.0}, ValueError, r"weight_scale must lie in \[0.01, 10.0\], got 0.0"),
        ({"weight_scale": 20}, ValueError, r"weight_scale must lie in \[0.01, 10.0\]"),
        ({"weight_scale": float("nan")}, ValueError, "weight_scale must lie in"),
        ({"weight_scale": "big"}, TypeError, "weight_scale must be a number, got str"),
        ({"samples": 5}, ValueError, r"samples must lie in \[10, 5000\], got 5"),
        ({"units": 100.0}, TypeError, "units must be a whole number, got float"),
        ({"seed": -1}, ValueError, "seed must lie in"),
    ],
)
def test_bad_arguments_are_named_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        initialization_explorer(**kwargs)


def test_activation_names_are_matched_like_the_package_does():
    explorer = initialization_explorer(activation=" ReLU ", samples=20)
    assert explorer.controls["activation"].value == "relu"
