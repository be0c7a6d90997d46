"""Headless tests of ``batchnorm_explorer`` (Chapter 11), with warnings as errors.

The contract test covers what every explorer does; these check what this picture says: the
chapter's lessons (from a tiny starting scale only batch normalization learns; near He's scale
both do; the spread collapses layer by layer without it), that the curves are the package's own
training run (the stacks trained at the build too), the controls, what a change redraws,
caching, the PNG a saved notebook keeps, determinism and argument errors.
"""

from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import numpy as np
import pytest
from conftest import snapshot
from PIL import Image

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
    train_from_scale,
    train_scales,
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


def test_the_chapters_count_of_scales_that_learn(explorer):
    # Chapter 11, section 5: above 90 % from 7 of the 16 scales with batch normalization (0.29
    # down to 0.0074), from 2 without (0.29 and 0.16); one plain run diverges (0.54).
    final = {True: {}, False: {}}
    for scale in SCALES:
        show(explorer, weight_scale=scale)
        final[True][scale] = explorer.run.accuracy
        final[False][scale] = explorer.other.accuracy
    learned = {flag: [s for s in SCALES if final[flag][s] > 0.9] for flag in (True, False)}
    assert learned[True] == list(SCALES[2:9]) and learned[False] == list(SCALES[2:4])
    assert [s for s in SCALES if np.isnan(final[False][s])] == [SCALES[1]]
    # Below 0.1 the plain network stays at chance; batch normalization learns something from
    # every scale down to 0.00018 (1e-3 included), only from 1e-4 nothing.
    for scale in SCALES[4:15]:
        assert final[False][scale] < 0.2 and final[True][scale] > final[False][scale] + 0.3
    assert final[True][SCALES[-1]] < 0.2


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


@pytest.mark.parametrize("batch_norm", [True, False])
def test_the_stacks_trained_at_the_build_are_the_single_runs(batch_norm):
    # train_scales (fit_stack over several scales) against train_from_scale (fit, one scale):
    # a scale that diverges without batch norm (0.54), one near He's, one tiny, the smallest.
    data = batchnorm_data()
    scales = [SCALES[1], SCALES[3], SCALES[8], SCALES[15]]
    for stacked, scale in zip(train_scales(data, scales, batch_norm), scales, strict=True):
        single = train_from_scale(data, scale, batch_norm)
        assert (stacked.weight_scale, stacked.batch_norm) == (scale, batch_norm)
        assert stacked.diverged == single.diverged == (scale == SCALES[1] and not batch_norm)
        np.testing.assert_allclose(stacked.loss, single.loss, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(stacked.spread_before, single.spread_before, rtol=1e-12)
        if single.diverged:
            assert np.isnan(stacked.accuracy) and np.isnan(single.accuracy)
        else:
            assert stacked.accuracy == single.accuracy
            np.testing.assert_allclose(stacked.spread_after, single.spread_after, rtol=1e-12)


def test_the_controls_offer_the_chapters_settings(explorer):
    assert list(explorer.controls) == ["weight_scale", "batch_norm"]
    scale, toggle = explorer.controls["weight_scale"], explorer.controls["batch_norm"]
    assert isinstance(scale, widgets.SelectionSlider)
    assert [value for _, value in scale.options] == list(SCALES) and len(SCALES) == 16
    np.testing.assert_allclose(SCALES, np.logspace(0, -4, 16))
    labels = [label for label, _ in scale.options]
    assert labels[:4] == ["1", "0.54", "0.29", "0.16"] and labels[-1] == "0.0001"
    assert isinstance(toggle, widgets.ToggleButtons)
    assert list(toggle.options) == [("on", True), ("off", False)]
    assert scale.value == TINY and scale.label == "0.0074" and toggle.value is True
    assert explorer.settings_text() == "weight scale (std) = 0.0074 · batch normalization = on"


def test_a_new_scale_redraws_both_curves_and_the_titles(explorer):
    show(explorer, weight_scale=TINY, batch_norm=True)
    count, png = explorer.redraw_count, explorer.png
    curves = {flag: line.get_ydata().copy() for flag, line in explorer.loss_lines.items()}
    loss_title, spread = explorer.loss_title.get_text(), explorer.before_line.get_ydata().copy()
    show(explorer, weight_scale=HE_LIKE)
    assert explorer.redraw_count == count + 1 and explorer.png != png
    assert explorer.image.value == explorer.png
    for flag, line in explorer.loss_lines.items():
        assert not np.array_equal(line.get_ydata(), curves[flag])
        assert line.get_xdata().tolist() == list(range(1, EPOCHS + 1))  # the axes stay
    assert explorer.loss_title.get_text() != loss_title
    assert explorer.loss_title.get_text() == (
        f"training loss; final accuracy with BN {explorer.run.accuracy:.0%} · "
        f"without {explorer.other.accuracy:.0%}"
    )
    assert not np.array_equal(explorer.before_line.get_ydata(), spread)


def test_the_toggle_swaps_the_bold_curve_and_the_spread_panel(explorer):
    show(explorer, weight_scale=TINY, batch_norm=True)
    curves = {flag: line.get_ydata().copy() for flag, line in explorer.loss_lines.items()}
    after, color = explorer.after_line.get_ydata().copy(), explorer.after_line.get_color()
    loss_title, count = explorer.loss_title.get_text(), explorer.redraw_count
    assert explorer.loss_lines[True].get_linewidth() > explorer.loss_lines[False].get_linewidth()
    show(explorer, batch_norm=False)
    assert explorer.redraw_count == count + 1
    for flag, line in explorer.loss_lines.items():  # the same two runs, the other one bold
        np.testing.assert_array_equal(line.get_ydata(), curves[flag])
    assert explorer.loss_lines[False].get_linewidth() > explorer.loss_lines[True].get_linewidth()
    assert explorer.loss_title.get_text() == loss_title
    assert explorer.spread_title.get_text() == "spread per layer, without batch norm"
    assert explorer.after_line.get_color() != color
    assert not np.array_equal(explorer.after_line.get_ydata(), after)


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


def test_every_scale_with_batch_norm_is_trained_at_the_build(monkeypatch):
    # The build trains the 16 runs with batch normalization as stacks; a slider move trains at
    # most the plain network, once per scale.
    import nbtext.widgets.explore_batchnorm as module

    trained = []

    def record(data, scale, batch_norm, **kwargs):
        trained.append((scale, batch_norm))
        return train_from_scale(data, scale, batch_norm, **kwargs)

    monkeypatch.setattr(module, "train_from_scale", record)
    explorer = batchnorm_explorer(n_train=100, epochs=2)
    assert trained == [(TINY, False)]
    for scale in [*SCALES, *SCALES[::-1]]:
        for flag in (False, True):
            show(explorer, weight_scale=scale, batch_norm=flag)
    assert sorted(trained) == sorted((scale, False) for scale in SCALES)


def test_a_saved_notebook_keeps_a_png_of_the_figure(explorer):
    show(explorer, weight_scale=HE_LIKE, batch_norm=False)
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == "BatchNormExplorer: run the notebook to move the sliders"
    picture = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert picture.format == "PNG"
    figure = np.asarray(explorer.figure.canvas.buffer_rgba())
    below_band = np.asarray(picture.convert("RGBA"))[-figure.shape[0] :]
    assert np.array_equal(below_band, figure)  # the figure as shown, under the settings band
    assert explorer.settings_text() == "weight scale (std) = 0.16 · batch normalization = off"


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
