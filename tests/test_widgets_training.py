"""Headless tests of the Chapter 07 explorers, batch size and optimizers, beyond the contract
every explorer keeps (tests/test_explorers.py); warnings are errors."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import snapshot

import nbtext.widgets.explore_batch_size as batch_module
from nbtext.datasets import moons
from nbtext.network import MLP
from nbtext.optimizers import SGD, Adam, Momentum
from nbtext.surfaces import SURFACES, Surface, descend
from nbtext.training import fit, iterations_per_epoch
from nbtext.widgets.explore_batch_size import BLOWUP, batch_size_explorer
from nbtext.widgets.explore_optimizers import OPTIMIZERS, optimizer_explorer


@pytest.fixture(scope="module")
def built():
    """The two explorers as chapter 07 builds them by default, shared: a build costs ~1 s."""
    return {
        "batch_size_explorer": batch_size_explorer(),
        "optimizer_explorer": optimizer_explorer(),
    }


@pytest.fixture
def defaults(built):
    """The shared explorers, with their controls put back to the defaults after each test."""
    start = {name: explorer.values() for name, explorer in built.items()}
    yield built
    for name, explorer in built.items():
        for control, value in start[name].items():
            explorer.controls[control].value = value


@pytest.mark.parametrize(
    ("factory", "kwargs", "match"),
    [
        (batch_size_explorer, {"dataset": "spiral"}, "moons"),
        (batch_size_explorer, {"activation": "swish"}, "relu"),
        (optimizer_explorer, {"surface": "volcano"}, "elongated"),
    ],
)
def test_unknown_names_are_errors_listing_the_valid_ones(factory, kwargs, match):
    with pytest.raises(ValueError, match=match):
        factory(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [{"batch_size": 0}, {"batch_size": 201}, {"epochs": 0}, {"learning_rate": -0.1},
     {"n": 5000, "epochs": 10}],
)  # fmt: skip
def test_batch_size_explorer_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        batch_size_explorer(**kwargs)


# ---------------------------------------------------------------- batch size --


def test_batch_size_1_and_n_are_reachable_and_iterations_per_epoch_are_right(defaults):
    explorer = defaults["batch_size_explorer"]
    slider = explorer.controls["batch_size"]
    options = [value for _, value in slider.options]
    assert options[0] == 1 and options[-1] == 200
    assert all(isinstance(v, int) for v in options)
    for batch, text in [
        (1, "⌈200 / 1⌉ = 200 iterations per epoch, 2000 in 10 epochs"),
        (32, "⌈200 / 32⌉ = ⌈6.25⌉ = 7 iterations per epoch (the last batch has 8), 70 in 10"),
        (64, "⌈200 / 64⌉ = ⌈3.125⌉ = 4 iterations per epoch (the last batch has 8)"),
        (200, "⌈200 / 200⌉ = 1 iteration per epoch, 10 in 10 epochs"),
    ]:
        slider.value = batch
        assert isinstance(slider.value, int)
        assert text in explorer.status.get_text()
        per_epoch = iterations_per_epoch(200, batch)
        assert explorer.last["trained"].history.iterations_per_epoch == per_epoch
        # The loss-per-iteration line has one point per update (when not thinned for drawing).
        if per_epoch * 10 <= 2 * batch_module._COLUMNS:
            assert len(explorer.iter_lines[1].get_xdata()) == per_epoch * 10
        assert len(explorer.epoch_marks[0].get_xdata()) == 10
    assert "fit takes" in explorer.status.get_text()


def test_the_table_holds_what_fit_does_for_each_rate(defaults):
    explorer = defaults["batch_size_explorer"]
    X, y = moons(200, noise=0.2, seed=0)
    for batch in (1, 32, 200):
        trained = explorer.table[batch]
        for lr in (0.01, 1.0):
            k, _ = explorer.nearest_rate(lr)
            model = MLP([2, 16, 2], "relu", seed=0)
            history = fit(model, X, y, SGD(explorer.learning_rates[k]), 10, batch, seed=0)
            np.testing.assert_allclose(trained.history.loss[:, k], history.loss, rtol=1e-9)
            np.testing.assert_allclose(trained.history.epoch_loss[:, k], history.epoch_loss,
                                       rtol=1e-9)  # fmt: skip
            assert trained.accuracy[k] == pytest.approx(model.accuracy(X, y))


def test_batch_size_explorer_is_deterministic_and_leaves_no_pyplot_figure():
    before = plt.get_fignums()
    options = {"n": 100, "batch_size": 10, "epochs": 3, "learning_rate": 0.05, "show_time": False}
    batch_module._TABLES.clear()
    first = batch_size_explorer(**options)
    batch_module._TABLES.clear()  # the second trains again, from scratch
    second = batch_size_explorer(**options)
    start = snapshot(second)
    assert snapshot(first) == start
    assert first._repr_mimebundle_()["text/plain"] == second._repr_mimebundle_()["text/plain"]
    for explorer in (first, second):
        explorer.controls["batch_size"].value = 4
        explorer.controls["learning_rate"].value = 10**0.5
    assert snapshot(first) == snapshot(second)
    # Back to where it started, through other states: the same pixels as at the start.
    first.controls["batch_size"].value = 10
    first.controls["learning_rate"].value = 0.05
    assert snapshot(first) == start
    assert plt.get_fignums() == before
    # Other sizes: powers of two below n, the starting value, n itself.
    slider = first.controls["batch_size"]
    assert [value for _, value in slider.options] == [1, 2, 4, 8, 10, 16, 32, 64, 100]
    assert "(SGD)" in slider.options[0][0] and "(full batch)" in slider.options[-1][0]
    assert "⌈100 / 10⌉ = 10 iterations per epoch, 30 in 3 epochs" in first.status.get_text()
    assert "fit takes" not in first.status.get_text()  # show_time=False
    assert first.epoch_seconds == {}  # and nothing was timed for it
    # A learning rate off the slider's steps, given as an argument, is trained exactly.
    assert first.last["learning_rate"] == 0.05
    assert "α = 0.05:" in first.result.get_text()


def test_batch_size_divergence_is_a_message_not_a_warning(defaults):
    explorer = defaults["batch_size_explorer"]  # warnings are errors in this test suite
    lr = explorer.controls["learning_rate"]
    assert "diverged" not in explorer.result.get_text()
    assert not explorer.region_note.get_visible()
    lr.value = lr.base**lr.max
    text = explorer.result.get_text()
    assert "diverged after" in text and "iteration" in text
    assert explorer.region_note.get_visible() and not explorer.region_image.get_visible()
    trained, k = explorer.last["trained"], explorer.last["column"]
    assert trained.history.diverged_at[k] >= 1
    for line in (*explorer.iter_lines, *explorer.epoch_marks):
        assert np.all(np.isfinite(line.get_ydata()))
    assert np.max(explorer.iter_lines[1].get_ydata()) >= BLOWUP  # the curve ends off the top
    lr.value = 0.1
    assert "diverged" not in explorer.result.get_text()
    assert explorer.region_image.get_visible()


def test_learning_rates_between_slider_steps_use_the_nearest_and_say_so(defaults):
    explorer = defaults["batch_size_explorer"]
    explorer.controls["learning_rate"].value = 0.0123
    assert explorer.last["learning_rate"] == pytest.approx(10**-2)
    assert "nearest slider step" in explorer.result.get_text()
    explorer.controls["learning_rate"].value = 10**-1.75
    assert "nearest slider step" not in explorer.result.get_text()


def test_batch_size_explorer_takes_your_own_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] + X[:, 2] > 0).astype(int)
    explorer = batch_size_explorer((X, y), hidden=(8,), batch_size=60, epochs=3)
    assert len(explorer.figure.axes) == 2  # no decision regions for 3-D inputs
    explorer.controls["batch_size"].value = 1
    assert "⌈60 / 1⌉ = 60 iterations per epoch" in explorer.status.get_text()


# ---------------------------------------------------------------- optimizers --


def test_optimizer_explorer_runs_the_package_optimizers(defaults):
    explorer = defaults["optimizer_explorer"]
    explorer.controls["learning_rate"].value = 0.1
    explorer.controls["momentum"].value = 0.8
    explorer.controls["steps"].value = 40
    runs = explorer.last_runs
    assert list(runs) == list(OPTIMIZERS)
    surface = SURFACES["elongated"]
    adam = descend(surface, None, Adam(0.1), 40, max_norm=1e4)
    momentum = descend(surface, None, Momentum(0.1, momentum=0.8), 40, max_norm=1e4)
    np.testing.assert_array_equal(runs["Adam"].points, adam.points)
    np.testing.assert_array_equal(runs["Momentum"].points, momentum.points)
    path = explorer.paths["Adam"]
    np.testing.assert_array_equal(path.get_xdata(), adam.points[:, 0])
    assert runs["Adam"].points.shape == (41, 2)


def test_steps_show_a_prefix_and_momentum_moves_only_momentum_methods(defaults):
    explorer = defaults["optimizer_explorer"]
    explorer.controls["learning_rate"].value = 0.03
    explorer.controls["steps"].value = 20
    short = {name: run.points for name, run in explorer.last_runs.items()}
    explorer.controls["steps"].value = 100
    for name, run in explorer.last_runs.items():
        assert run.steps == 100
        np.testing.assert_array_equal(run.points[:21], short[name])
    before = {name: run.points for name, run in explorer.last_runs.items()}
    explorer.controls["momentum"].value = 0.5
    for name, run in explorer.last_runs.items():
        changed = not np.array_equal(run.points, before[name])
        assert changed == (name in ("Momentum", "Nesterov")), name


def test_optimizer_divergence_is_a_message_not_a_warning(defaults):
    explorer = defaults["optimizer_explorer"]
    assert not any(note.get_visible() for note in explorer.notes.values())
    explorer.controls["learning_rate"].value = 10**0.5  # SGD's y-step overshoots: 1 - 2α < -1
    runs = explorer.last_runs
    assert runs["SGD"].diverged and explorer.notes["SGD"].get_visible()
    assert "diverged" in explorer.notes["SGD"].get_text()
    assert not runs["Adam"].diverged and not explorer.notes["Adam"].get_visible()
    for run in runs.values():
        assert np.all(np.isfinite(run.points))
    for line in explorer.losses.values():
        assert np.all(np.isfinite(line.get_ydata()))
    explorer.controls["learning_rate"].value = 0.1
    assert not any(note.get_visible() for note in explorer.notes.values())


def test_optimizer_explorer_surfaces_start_and_determinism():
    before = plt.get_fignums()
    explorer = optimizer_explorer("rosenbrock", start=(-1.0, 2.5), learning_rate=1e-3)
    np.testing.assert_array_equal(explorer.last_runs["SGD"].points[0], [-1.0, 2.5])
    explorer.controls["surface"].value = "saddle"
    assert explorer.ax_loss.get_yscale() == "linear"  # the saddle has no minimum
    explorer.controls["surface"].value = "rosenbrock"
    assert explorer.ax_loss.get_yscale() == "log"
    again = optimizer_explorer("rosenbrock", start=(-1.0, 2.5), learning_rate=1e-3)
    assert snapshot(explorer) == snapshot(again)  # back from the saddle: the same pixels
    assert explorer._repr_mimebundle_()["text/plain"] == again._repr_mimebundle_()["text/plain"]
    assert plt.get_fignums() == before
    bowl = Surface(name="tilted", title="tilted bowl", f=lambda x, y: (x - 1) ** 2 + y**2,
                   grad=lambda x, y: (2 * (x - 1), 2 * y), minimum=(1.0, 0.0),
                   default_start=(-2.0, 1.5), xlim=(-3.0, 3.0), ylim=(-2.0, 2.0))  # fmt: skip
    custom = optimizer_explorer(bowl, learning_rate=0.1)
    assert custom.controls["surface"].value == "tilted"
    assert math.isclose(custom.last_runs["SGD"].final[0], 1.0, abs_tol=1e-3)


def test_loss_panel_follows_the_steps_down_to_a_millionth_of_the_start(defaults):
    explorer = defaults["optimizer_explorer"]
    for steps in (5, 30, 100):
        explorer.controls["steps"].value = steps
        assert explorer.ax_loss.get_xlim() == (0, steps)
    surface = SURFACES["elongated"]
    gap = surface.f(*surface.default_start) - surface.f(*surface.minimum)  # 6.45
    low, high = explorer.ax_loss.get_ylim()
    assert low == pytest.approx(1e-6) and high > gap
    explorer.controls["learning_rate"].value = 10**0.5  # AdaGrad and RMSProp reach ~1e-30
    assert min(explorer.last_runs[name].values[-1] for name in ("AdaGrad", "RMSProp")) < low
    for line in explorer.losses.values():  # drawn on the floor, not below the panel
        assert np.all(line.get_ydata() >= low)


def test_kept_step_axis_pixels_match_a_fresh_drawing(defaults):
    explorer = defaults["optimizer_explorer"]
    explorer.controls["learning_rate"].value = 0.05
    for steps in (17, 80, 17):  # the second visit to 17 restores the kept step-axis pixels
        explorer.controls["steps"].value = steps
    fresh = optimizer_explorer(learning_rate=0.05, steps=17)
    assert snapshot(explorer) == snapshot(fresh)


def test_kept_tick_pixels_match_a_fresh_drawing():
    explorer = optimizer_explorer("saddle")
    explorer.controls["surface"].value = "bowl"  # the saddle's ranges: its ticks are restored
    assert snapshot(explorer) == snapshot(optimizer_explorer("bowl"))


def test_copied_pixels_match_a_full_drawing():
    """A new surface is drawn in one panel and copied into the others, the step axis and the
    legend come from kept pixels. Outside the panels (whose contours Agg draws a few pixels
    differently at different offsets), that must equal an ordinary full drawing."""

    def full_drawing(explorer) -> np.ndarray:
        flagged = explorer.figure.findobj(lambda artist: artist.get_animated())
        for artist in flagged:
            artist.set_animated(False)
        explorer.figure.canvas.draw()
        pixels = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
        for artist in flagged:
            artist.set_animated(True)
        explorer.refresh()
        return pixels

    explorer = optimizer_explorer(learning_rate=10**0.5)
    height = explorer.figure.canvas.get_width_height()[1]
    outside = np.ones((height, explorer.figure.canvas.get_width_height()[0]), dtype=bool)
    for ax in explorer.figure.axes:
        x0, y0, x1, y1 = ax.get_window_extent().padded(2).extents
        outside[int(height - y1) : int(np.ceil(height - y0)), int(x0) : int(np.ceil(x1))] = False
    for surface, steps in [("elongated", 50), ("saddle", 50), ("bowl", 17), ("rosenbrock", 17)]:
        explorer.controls["surface"].value = surface
        explorer.controls["steps"].value = steps
        shown = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
        assert np.array_equal(shown[outside], full_drawing(explorer)[outside]), surface


def test_copied_notes_match_the_drawn_one():
    explorer = optimizer_explorer("saddle", learning_rate=10**0.5)
    for line in [*explorer.paths.values(), *explorer.ends.values()]:
        line.set_visible(False)  # the paths cross the notes differently in each panel
    explorer.refresh()
    shown = np.asarray(explorer.figure.canvas.buffer_rgba())
    height = shown.shape[0]
    shown_notes = [name for name, note in explorer.notes.items() if note.get_visible()]
    assert len(shown_notes) >= 2
    # Where the first note was drawn, and the same place in the other panels.
    first = explorer.notes[shown_notes[0]].get_bbox_patch().get_window_extent().padded(3)
    patches = []
    for name in shown_notes:
        offset = (
            explorer.panels[name].get_window_extent().p0
            - explorer.panels[shown_notes[0]].get_window_extent().p0
        )
        x0, y0, x1, y1 = first.translated(*np.round(offset)).extents
        patches.append(shown[int(height - y1) : int(height - y0), int(x0) : int(x1)])
    for patch in patches[1:]:
        assert np.array_equal(patch, patches[0])


@pytest.mark.parametrize(
    "kwargs",
    [{"steps": 0}, {"steps": 101}, {"momentum": 1.0}, {"learning_rate": 0.0}, {"start": (1,)}],
)
def test_optimizer_explorer_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        optimizer_explorer(**kwargs)
