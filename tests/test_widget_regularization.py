"""Headless tests of ``regularization_explorer`` (Chapter 10), with warnings as errors.

The contract test covers what every explorer does; these check what this picture says: the
chapter's lessons at the ends of the sliders (overfitting without regularization, a narrower
gap with weight decay or dropout, underfitting at λ = 0.1), that the curves are the *data*
loss of the package's own training run (no penalty, every unit on), what is drawn, caching,
determinism and argument errors.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import snapshot

from nbtext.losses import binary_cross_entropy_with_logits
from nbtext.optimizers import Adam
from nbtext.training import fit
from nbtext.widgets import regularization_explorer
from nbtext.widgets.explore_regularization import (
    DROPOUTS,
    EPOCHS,
    GRID,
    LOSS_RANGE,
    MEASURE_EVERY,
    MEASURED_EPOCHS,
    WEIGHT_DECAYS,
    X_VIEW,
    Y_VIEW,
    regularization_data,
    regularized_network,
)


@pytest.fixture(scope="module")
def explorer():
    """One explorer at its defaults (λ = 0, p = 0), shared: each setting trains once."""
    return regularization_explorer()


def show(explorer, **values):
    for name, value in values.items():
        explorer.controls[name].value = value
    return explorer.run


@pytest.fixture(autouse=True)
def _defaults(explorer):
    yield
    show(explorer, weight_decay=0.0, dropout=0.0)


# ------------------------------------------------------------------ the lessons --
def test_without_regularization_the_network_learns_the_noise(explorer):
    run = show(explorer)
    assert run.train_accuracy == 1.0
    assert run.test_accuracy < 0.85
    assert run.train_loss[-1] < 0.05
    assert run.test_loss[-1] > 1.5  # and rising: far above its lowest point
    assert run.test_loss[-1] > 4 * run.test_loss.min()
    assert 0 < run.best_epoch < EPOCHS // 2
    assert explorer.accuracy_title.get_text() == (
        f"accuracy: train 100% · test {run.test_accuracy:.0%}"
    )
    assert explorer.loss_title.get_text() == (
        f"after 200 epochs: train {run.train_loss[-1]:.2g} · test {run.test_loss[-1]:.2f}"
    )


def test_weight_decay_0_01_closes_most_of_the_gap(explorer):
    free = show(explorer, weight_decay=0.0)
    run = show(explorer, weight_decay=1e-2)
    assert 0.88 <= run.train_accuracy < 1.0
    assert run.test_accuracy >= 0.85 and run.test_accuracy > free.test_accuracy
    assert run.test_loss[-1] < 0.35
    assert run.test_loss[-1] - run.train_loss[-1] < 0.15


def test_weight_decay_0_1_underfits_with_an_almost_straight_boundary(explorer):
    run = show(explorer, weight_decay=0.1)
    assert run.train_accuracy < 0.85  # the moons' bend is not learned
    assert abs(run.train_accuracy - run.test_accuracy) < 0.03
    assert run.train_loss[-1] > 0.4
    (line,) = run.boundary
    slope, intercept = np.polyfit(line[:, 0], line[:, 1], 1)
    assert np.max(np.abs(line[:, 1] - (slope * line[:, 0] + intercept))) < 0.1


def test_larger_weight_decay_gives_smaller_weights_and_a_smaller_gap(explorer):
    runs = [show(explorer, weight_decay=lam) for lam in WEIGHT_DECAYS]
    norms = [run.weight_norm for run in runs]
    assert all(a > b for a, b in itertools.pairwise(norms))
    assert norms[0] > 10 * norms[-1]
    gaps = [run.test_loss[-1] - run.train_loss[-1] for run in runs]
    assert gaps[0] > 1.5 and abs(gaps[-1]) < 0.05
    assert gaps[0] > gaps[3] > gaps[5] > abs(gaps[-1])
    # What ‖W‖ means: the length of all weight matrices together, biases left out.
    weights = np.concatenate([w.ravel() for k, w in runs[0].params.items() if k[0] == "W"])
    assert runs[0].weight_norm == pytest.approx(np.sqrt(np.sum(weights**2)), rel=1e-12)
    assert f"‖W‖ = {norms[-1]:.3g}" in explorer.readout.value


@pytest.mark.parametrize("p", [0.3, 0.5])
def test_dropout_narrows_the_gap(explorer, p):
    free = show(explorer, dropout=0.0)
    run = show(explorer, dropout=p)
    assert run.dropout == p
    assert not np.array_equal(run.probability, free.probability)
    assert run.train_accuracy < 1.0
    assert run.test_accuracy > free.test_accuracy
    assert run.test_loss[-1] - run.train_loss[-1] < 0.5 * (free.test_loss[-1] - free.train_loss[-1])


# ------------------------------------------------------- the package's numbers --
@pytest.mark.parametrize(("lam", "p"), [(1e-2, 0.3), (3e-3, 0.0), (0.0, 0.5)])
def test_the_curves_are_the_data_loss_of_the_packages_training_run(explorer, lam, p):
    run = show(explorer, weight_decay=lam, dropout=p)
    data = regularization_data()
    X, y, X_test, y_test = data["X_train"], data["y_train"], data["X_test"], data["y_test"]
    model = regularized_network(lam, p)
    losses, penalized = [], []

    def measure(_epoch=0, _history=None):
        # fit measures in evaluation mode; the data loss is the cross-entropy of the logits.
        losses.append([binary_cross_entropy_with_logits(model.forward(A)[:, 0], b)
                       for A, b in ((X, y), (X_test, y_test))])  # fmt: skip
        penalized.append(model.loss(X, y))

    measure()
    fit(model, X, y, Adam(0.02), EPOCHS, len(y), shuffle=False, on_epoch_end=measure)
    losses = np.array(losses)[::MEASURE_EVERY]
    np.testing.assert_allclose(run.train_loss, losses[:, 0], rtol=1e-9)
    np.testing.assert_allclose(run.test_loss, losses[:, 1], rtol=1e-9)
    if lam:  # the penalty λ/2·‖W‖² is left out of the curves
        gap = np.array(penalized)[::MEASURE_EVERY][-1] - run.train_loss[-1]
        assert gap == pytest.approx(lam / 2 * run.weight_norm**2, rel=1e-9)
    assert run.train_accuracy == model.accuracy(X, y)
    assert run.test_accuracy == model.accuracy(X_test, y_test)
    np.testing.assert_allclose(
        run.probability.ravel(), model.predict_proba(explorer_grid()), rtol=1e-6
    )


def explorer_grid():
    """The map's points, as the explorer's docstring says: row by row from the bottom."""
    xx, yy = np.meshgrid(np.linspace(*X_VIEW, GRID), np.linspace(*Y_VIEW, GRID))
    return np.column_stack([xx.ravel(), yy.ravel()])


def test_what_is_drawn_is_the_run(explorer):
    run = show(explorer, weight_decay=3e-4, dropout=0.2)
    xs, ys = explorer.train_line.get_data()
    np.testing.assert_array_equal(xs, MEASURED_EPOCHS)
    np.testing.assert_array_equal(ys, np.clip(run.train_loss, *LOSS_RANGE))
    np.testing.assert_array_equal(
        explorer.test_line.get_ydata(), np.clip(run.test_loss, *LOSS_RANGE)
    )
    assert list(explorer.best.get_xdata()) == [run.best_epoch]
    assert run.test_loss[list(MEASURED_EPOCHS).index(run.best_epoch)] == run.test_loss.min()
    np.testing.assert_array_equal(explorer.heatmap.get_array(), run.probability)
    segments = explorer.boundary.get_segments()
    assert len(segments) == len(run.boundary) >= 1
    for segment, line in zip(segments, run.boundary, strict=True):
        np.testing.assert_allclose(segment, line)
    # The boundary is where the trained network says 0.5 (to the map's interpolation).
    trained = regularized_network(3e-4, 0.2).stack([run.params])
    on_boundary = trained.predict_proba(np.concatenate(run.boundary))[0]
    assert np.all(np.abs(on_boundary - 0.5) < 0.1)


def test_the_axes_stay_fixed_for_every_setting(explorer):
    limits = (explorer.ax_map.get_xlim(), explorer.ax_map.get_ylim(), explorer.ax_loss.get_ylim())
    background = explorer._background
    for lam, p in [(0.1, 0.0), (0.0, 0.7), (3e-2, 0.4)]:
        show(explorer, weight_decay=lam, dropout=p)
        assert (explorer.ax_map.get_xlim(), explorer.ax_map.get_ylim(),
                explorer.ax_loss.get_ylim()) == limits  # fmt: skip
        assert explorer._background is background  # blitted: no full redraw


def test_a_setting_trains_once_and_is_kept(explorer):
    run = show(explorer, weight_decay=1e-3, dropout=0.1)
    show(explorer, weight_decay=0.1, dropout=0.6)
    assert show(explorer, weight_decay=1e-3, dropout=0.1) is run


def test_the_sliders_offer_the_chapters_settings(explorer):
    lam, p = explorer.controls["weight_decay"], explorer.controls["dropout"]
    assert [value for _, value in lam.options] == list(WEIGHT_DECAYS)
    assert [label for label, _ in lam.options] == [
        "0", "1e-4", "3e-4", "0.001", "0.003", "0.01", "0.03", "0.1",
    ]  # fmt: skip
    assert [value for _, value in p.options] == list(DROPOUTS)
    assert lam.description == "weight decay λ" and lam.label == "0" and p.label == "0"
    assert explorer.settings_text() == "weight decay λ = 0 · dropout p = 0"


# --------------------------------------------------------------- determinism --
def test_the_same_arguments_give_the_same_pixels():
    a = regularization_explorer(weight_decay=1e-2, dropout=0.5, n_test=50, seed=1)
    b = regularization_explorer(weight_decay=1e-2, dropout=0.5, n_test=50, seed=1)
    assert snapshot(a) == snapshot(b)
    np.testing.assert_array_equal(a.run.test_loss, b.run.test_loss)
    c = regularization_explorer(weight_decay=1e-2, dropout=0.5, n_test=50, seed=2)
    assert snapshot(c) != snapshot(a)


def test_a_setting_reached_by_the_sliders_looks_as_if_built_with_it(explorer):
    show(explorer, weight_decay=3e-3, dropout=0.4)
    built = regularization_explorer(weight_decay=3e-3, dropout=0.4)
    assert snapshot(explorer) == snapshot(built)


# ------------------------------------------------------------- bad arguments --
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"weight_decay": 5e-3},
            ValueError,
            "weight_decay must be one of the slider's settings "
            r"0, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1; "
            "got 0.005",
        ),
        ({"weight_decay": -1e-3}, ValueError, r"weight_decay must lie in \[0.0, 0.1\]"),
        ({"weight_decay": 1.0}, ValueError, r"weight_decay must lie in \[0.0, 0.1\], got 1.0"),
        ({"weight_decay": float("nan")}, ValueError, "weight_decay must lie in"),
        ({"weight_decay": "1e-2"}, TypeError, "weight_decay must be a number, got str"),
        ({"dropout": 0.25}, ValueError, "dropout must be one of the slider's settings 0, 0.1"),
        ({"dropout": 0.8}, ValueError, r"dropout must lie in \[0.0, 0.7\], got 0.8"),
        ({"dropout": True}, TypeError, "dropout must be a number, got bool"),
        ({"n_train": 5}, ValueError, r"n_train must lie in \[10, 500\], got 5"),
        ({"n_train": 60.0}, TypeError, "n_train must be a whole number, got float"),
        ({"n_test": 0}, ValueError, r"n_test must lie in \[10, 5000\], got 0"),
        ({"noise": -0.1}, ValueError, r"noise must lie in \[0.0, 1.0\], got -0.1"),
        ({"noise": None}, TypeError, "noise must be a number, got NoneType"),
        ({"seed": -1}, ValueError, "seed must lie in"),
    ],
)
def test_bad_arguments_are_named_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        regularization_explorer(**kwargs)


def test_settings_written_another_way_are_the_sliders_own():
    explorer = regularization_explorer(weight_decay=0.01, dropout=0.1 + 0.2, n_test=20)
    assert explorer.controls["weight_decay"].value == 1e-2
    assert explorer.controls["dropout"].value == 0.3 and explorer.run.dropout == 0.3
