"""Headless tests of the Chapter 08 playground: controls, scrubbing, caching, determinism."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest
from conftest import snapshot

from nbtext.widgets.explore_playground import (
    DATASET_NAMES,
    GRID,
    VIEW,
    Run,
    playground,
    playground_data,
)


@pytest.fixture
def small():
    """A quick playground: 20 epochs of full-batch training (20 updates)."""
    return playground("xor", epochs=20, batch_size=100)


def test_every_control_the_play_button_and_the_readout_are_on_screen(small):
    shown, stack = set(), [small]
    while stack:
        box = stack.pop()
        for child in box.children:
            shown.add(child)
            stack.extend([child] if isinstance(child, widgets.Box) else [])
    assert set(small.controls.values()) | {small.play, small.readout, small.image} <= shown
    assert small.readout.value.startswith("<b>epoch 20 of 20</b>: accuracy ")


def test_the_play_button_drives_the_epoch_slider(small):
    epoch = small.controls["epoch"]
    assert small.play.max == epoch.max == 20
    count = small.redraw_count
    before = snapshot(small)
    small.play.value = 4
    assert epoch.value == 4 and small.epoch_shown == 4
    assert small.redraw_count == count + 1  # one redraw per step, not one per widget
    assert snapshot(small) != before
    epoch.value = 7
    assert small.play.value == 7


def test_scrubbing_swaps_stored_maps_without_training_or_a_full_redraw(small):
    run, background = small.run, small._background
    maps = []
    for value in (0, 10, 20):
        small.controls["epoch"].value = value
        maps.append(small.heatmap.get_array().copy())
    assert small.run is run and run.epochs_trained == 20
    assert small._background is background  # blitted: the static figure was not redrawn
    assert not np.array_equal(maps[0], maps[-1])
    np.testing.assert_array_equal(maps[1], run.probability_map(10))
    # A training control retrains, and a new dataset moves no axis: still no full redraw.
    small.controls["dataset"].value = "circles"
    assert small.run is not run
    assert small._background is background


def test_a_training_control_shows_the_last_epoch(small):
    epoch = small.controls["epoch"]
    small.controls["epochs"].value = 40
    assert (epoch.max, epoch.value) == (40, 40)
    epoch.value = 15
    assert small.epoch_shown == 15 and "epoch 15 of 40" in small.readout.value
    small.controls["epochs"].value = 60
    assert (epoch.max, epoch.value, small.epoch_shown) == (60, 60, 60)
    epoch.value = 10
    small.controls["units"].value = 2  # same number of epochs, a new run: its end is shown
    assert (epoch.max, epoch.value, small.epoch_shown) == (60, 60, 60)
    assert small.play.value == 60
    assert small.readout.value.startswith("<b>epoch 60 of 60</b>")
    small.controls["epochs"].value = 10
    assert (epoch.max, epoch.value, small.epoch_shown) == (10, 10, 10)
    epoch.value = 3  # scrubbing alone moves only the epoch shown
    assert (epoch.max, epoch.value, small.epoch_shown) == (10, 3, 3)


def test_the_loss_axis_shows_large_and_small_losses():
    explorer = playground("spirals", activation="tanh", hidden_layers=2, units=8,
                          learning_rate=10.0, epochs=100)  # fmt: skip
    assert explorer.ax_loss.get_yscale() == "log"
    low, high = explorer.ax_loss.get_ylim()
    assert low <= 1e-3 and high >= 100
    train = explorer.train_line.get_ydata()
    assert np.nanmax(explorer.run.train_loss) > 10  # a too-large rate: losses far above 1 ...
    assert np.nanmax(train) > 10  # ... and the panel shows them
    assert np.all((train[np.isfinite(train)] >= low) & (train[np.isfinite(train)] <= high))
    # A diverged run's huge losses are drawn on the top edge, not lost.
    explorer = playground("circles", activation="leaky_relu", hidden_layers=3, units=8,
                          batch_size=10, epochs=10, learning_rate=10.0)  # fmt: skip
    assert np.nanmax(explorer.run.train_loss) > high
    assert np.nanmax(explorer.train_line.get_ydata()) == high


def test_runs_are_cached_and_a_longer_run_continues_the_shorter(small):
    run = small.run
    small.controls["epochs"].value = 35
    assert small.run is run and run.epochs_trained == 35  # continued, not restarted
    small.controls["units"].value = 2
    small.controls["units"].value = 4
    assert small.run is run  # back to a trained setting: from the cache
    fresh = Run(run.data, run.settings, seed=0)
    fresh.train_to(35)
    np.testing.assert_array_equal(fresh.train_loss, run.train_loss)
    np.testing.assert_array_equal(fresh.probability_map(35), run.probability_map(35))


def test_same_settings_give_the_same_pixels():
    settings = {"noise": 0.2, "activation": "relu", "units": 5, "epochs": 15, "batch_size": 50}
    first, second = playground("moons", **settings), playground("moons", **settings)
    assert first.png == second.png
    default = first.controls["learning_rate"].value
    first.controls["learning_rate"].value = 0.02
    first.controls["epoch"].value = 3
    first.controls["learning_rate"].value = default  # back to a cached run
    first.controls["epoch"].value = 15
    assert snapshot(first) == snapshot(second)
    assert playground("moons", seed=1, **settings).png != first.png


def test_the_trained_boundary_separates_the_blobs():
    explorer = playground("blobs", noise=0.3, epochs=30)
    assert explorer.train_accuracy >= 0.9
    assert explorer.test_accuracy >= 0.9
    # The picture agrees: the heat-map cell under each training point has its class.
    data = explorer.run.data
    p = explorer.heatmap.get_array()
    cells = np.clip(np.round((data["X_train"] - VIEW[0]) / np.ptp(VIEW) * (GRID - 1)), 0, GRID - 1)
    col, row = cells.astype(int).T
    assert np.mean((p[row, col] > 0.5) == data["y_train"]) >= 0.9
    assert f"accuracy {explorer.train_accuracy:.0%} train" in explorer.readout.value
    assert not explorer.unstable and explorer.status.get_text() == "loss after each epoch"


def test_divergence_is_a_message_not_a_warning():
    explorer = playground("circles", activation="leaky_relu", hidden_layers=3, units=8,
                          batch_size=10, epochs=10)  # fmt: skip
    assert "diverged" not in explorer.status.get_text()
    explorer.controls["learning_rate"].value = 10.0
    run = explorer.run
    assert run.diverged_at is not None and explorer.unstable
    assert run.diverged_epoch == (run.diverged_at - 1) // run.per_epoch + 1
    message = f"diverged in epoch {run.diverged_epoch}: lower the learning rate"
    assert explorer.status.get_text() == message
    assert message in explorer.readout.value
    assert np.all(np.isfinite(explorer.heatmap.get_array()))
    explorer.controls["epoch"].value = 0  # before the divergence: no message yet
    assert "diverged" not in explorer.status.get_text()
    explorer.controls["epoch"].value = 10
    explorer.controls["learning_rate"].value = 0.3
    assert "diverged" not in explorer.status.get_text() + explorer.readout.value


def test_a_rising_loss_is_flagged():
    explorer = playground("circles", activation="relu", units=8, epochs=40, learning_rate=10.0)
    assert explorer.unstable
    assert "the loss rose" in explorer.status.get_text()
    assert "the loss rose" in explorer.readout.value


def test_curves_match_the_networks_own_loss_and_accuracy():
    data = playground_data("xor", 0.2)
    settings = {"activation": "tanh", "hidden_layers": 2, "units": 4, "learning_rate": 0.3,
                "batch_size": 25}  # fmt: skip
    run = Run(data, settings, seed=0)
    run.train_to(5)
    model = run.model  # its weights are those after the last epoch
    assert run.train_loss[-1] == pytest.approx(model.loss(data["X_train"], data["y_train"]))
    assert run.test_loss[-1] == pytest.approx(model.loss(data["X_test"], data["y_test"]))
    assert run.test_accuracy[-1] == model.accuracy(data["X_test"], data["y_test"])
    assert len(run.train_loss) == 6  # epoch 0 (untrained) to 5


def test_every_dataset_fits_the_fixed_view():
    for name in DATASET_NAMES:
        data = playground_data(name, 0.1)
        points = np.concatenate([data["X_train"], data["X_test"]])
        assert len(points) == 200 and len(data["X_train"]) == 100
        assert np.all((points > VIEW[0]) & (points < VIEW[1])), name


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"dataset": "swiss_roll"}, "xor, circles, moons, spirals, blobs"),
        ({"activation": "swish"}, "relu, tanh, sigmoid, leaky_relu, elu"),
        ({"epochs": 500}, "epochs"),
        ({"hidden_layers": 0}, "hidden_layers"),
    ],
)
def test_bad_arguments_are_named_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        playground(**kwargs)
