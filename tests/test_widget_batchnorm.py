"""Headless tests of ``batchnorm_explorer`` (Chapter 11), with warnings as errors.

The contract test covers what every explorer does; these check what this picture says: the
chapter's lessons (from a tiny starting scale only batch normalization learns; near He's scale
both do; the spread collapses layer by layer without it), that the curves are the package's own
training run, what is drawn, caching, determinism and argument errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import snapshot

from nbtext.network import MLP
from nbtext.optimizers import SGD
from nbtext.training import fit
from nbtext.widgets import batchnorm_explorer
from nbtext.widgets.explore_batchnorm import (
    BATCH_SIZE,
    EPOCHS,
    LEARNING_RATE,
    LOSS_RANGE,
    SCALES,
    SIZES,
    batchnorm_data,
)

TINY, HE_LIKE = SCALES[8], SCALES[3]  # 0.0074 and 0.16 (He's sqrt(2/50) is 0.2)


@pytest.fixture(scope="module")
def explorer():
    """One explorer at its defaults, shared: each scale trains once."""
    return batchnorm_explorer()


def show(explorer, **values):
    for name, value in values.items():
        explorer.controls[name].value = value
    return explorer


@pytest.fixture(autouse=True)
def _defaults(explorer):
    yield
    show(explorer, weight_scale=TINY, batch_norm=True)


def test_from_a_tiny_scale_only_batch_normalization_learns(explorer):
    show(explorer, weight_scale=TINY, batch_norm=True)
    assert explorer.run.batch_norm and explorer.run.accuracy > 0.95
    assert not explorer.other.batch_norm and explorer.other.accuracy < 0.2
    assert explorer.other.loss[-1] > 2.0  # stuck near ln 10: no learning at all


def test_near_hes_scale_both_learn(explorer):
    show(explorer, weight_scale=HE_LIKE)
    assert explorer.run.accuracy > 0.9 and explorer.other.accuracy > 0.9


def test_without_batch_norm_the_spread_collapses_layer_by_layer(explorer):
    show(explorer, weight_scale=TINY, batch_norm=False)
    before = explorer.run.spread_before
    assert np.all(np.diff(np.log10(before)) < -0.5)  # shrinks at every layer
    show(explorer, batch_norm=True)
    healthy = explorer.run.spread_before
    assert np.all((healthy > 0.3) & (healthy < 1.0))  # ReLU of a unit-variance input


def test_the_curves_are_the_packages_training_run(explorer):
    show(explorer, weight_scale=HE_LIKE, batch_norm=True)
    data = batchnorm_data()
    model = MLP(list(SIZES), init=HE_LIKE, batch_norm=True, seed=0)
    history = fit(model, data["X"], data["y"], SGD(LEARNING_RATE), EPOCHS, BATCH_SIZE, seed=0)
    np.testing.assert_allclose(explorer.run.loss, history.epoch_loss, rtol=1e-12)
    assert explorer.run.accuracy == model.accuracy(data["X"], data["y"])
    drawn = explorer.loss_lines[True].get_ydata()
    np.testing.assert_allclose(drawn, np.clip(history.epoch_loss, *LOSS_RANGE))


def test_the_chosen_setting_is_bold_and_named(explorer):
    show(explorer, weight_scale=TINY, batch_norm=False)
    assert explorer.loss_lines[False].get_linewidth() > explorer.loss_lines[True].get_linewidth()
    assert "without batch norm" in explorer.spread_title.get_text()
    assert "with BN 100%" in explorer.loss_title.get_text()


def test_a_diverged_run_is_shown_as_such(explorer):
    show(explorer, weight_scale=SCALES[1], batch_norm=False)  # 0.54 without batch norm
    assert explorer.run.diverged and "without diverged" in explorer.loss_title.get_text()
    assert np.isnan(explorer.run.loss[-1])


def test_the_toggle_and_coming_back_train_nothing(explorer, monkeypatch):
    show(explorer, weight_scale=HE_LIKE)
    first = snapshot(explorer)
    import nbtext.widgets.explore_batchnorm as module

    def refuse(*_args, **_kwargs):
        raise AssertionError("trained again")

    monkeypatch.setattr(module, "train_from_scale", refuse)
    show(explorer, batch_norm=False)
    show(explorer, batch_norm=True)
    show(explorer, weight_scale=TINY)
    show(explorer, weight_scale=HE_LIKE)
    assert snapshot(explorer) == first


def test_deterministic():
    a = batchnorm_explorer(n_train=150, epochs=3)
    b = batchnorm_explorer(n_train=150, epochs=3)
    assert snapshot(a) == snapshot(b)
    np.testing.assert_array_equal(a.run.loss, b.run.loss)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"weight_scale": 0.3}, ValueError),
        ({"weight_scale": "1"}, ValueError),
        ({"weight_scale": True}, ValueError),
        ({"batch_norm": "yes"}, TypeError),
        ({"n_train": 50}, ValueError),
        ({"epochs": 0}, ValueError),
    ],
)
def test_bad_arguments_are_refused(kwargs, error):
    with pytest.raises(error):
        batchnorm_explorer(**kwargs)
