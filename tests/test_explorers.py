"""The contract every explorer in ``nbtext.widgets.__all__`` keeps, tested headless over each.

What a reader relies on: every control redraws the figure before the assignment returns, the
picture changes across each control's range and comes back the same when the controls do (so
no cache shows stale pixels), no pyplot figure is left behind, labels are shown in full, and a
saved notebook keeps a PNG of the figure with a band naming where each control stood. Warnings
are errors in this suite, so no explorer warns either.
"""

from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import EXPLORER_FACTORIES, EXPLORER_NAMES, control_values, snapshot
from PIL import Image

from nbtext.widgets import Explorer


def test_every_exported_explorer_is_covered():
    assert set(EXPLORER_NAMES) == set(EXPLORER_FACTORIES)


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_the_contract(name, explorers):
    explorer = explorers[name]
    assert isinstance(explorer, Explorer) and isinstance(explorer, widgets.Box)
    assert isinstance(explorer.figure, plt.Figure)
    assert explorer.controls
    for control, widget in explorer.controls.items():
        assert isinstance(widget, widgets.ValueWidget), control
        # Labels are shown in full, never cut to "learning r...".
        width = widget.style.description_width
        assert width == "initial" or float(width.removesuffix("em")) >= 0.6 * len(
            widget.description
        ), control
    if "learning_rate" in explorer.controls:  # DESIGN.md's names for the two common sliders
        assert isinstance(explorer.controls["learning_rate"], widgets.FloatLogSlider)
    if "batch_size" in explorer.controls:
        assert isinstance(explorer.controls["batch_size"].value, int)
    assert explorer.image.value == explorer.png
    shown = np.asarray(Image.open(io.BytesIO(explorer.png)).convert("RGBA"))
    assert np.array_equal(shown, np.asarray(explorer.figure.canvas.buffer_rgba()))


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_every_control_redraws_before_returning_and_changes_the_figure(name, explorers):
    explorer = explorers[name]
    for control, widget in explorer.controls.items():
        seen = {snapshot(explorer)}
        for value in control_values(widget):
            if widget.disabled:  # e.g. alpha, for an activation that has none
                break
            count, changed = explorer.redraw_count, value != widget.value
            widget.value = value
            assert explorer.redraw_count == count + changed, (control, value)
            assert explorer.image.value == explorer.png
            seen.add(snapshot(explorer))
        assert widget.disabled or len(seen) >= 2, f"moving {control!r} never changed the figure"


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_controls_moved_and_put_back_give_the_first_picture_again(name, explorers):
    # The second visit of every state comes from the explorers' caches (runs, scenes, overlay
    # layers): they must hold the same pixels as the first drawing.
    explorer = explorers[name]
    start, first = explorer.values(), snapshot(explorer)
    for widget in explorer.controls.values():
        for value in control_values(widget, count=4):
            if not widget.disabled:
                widget.value = value
    for control, value in start.items():
        explorer.controls[control].value = value
    assert snapshot(explorer) == first


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_no_pyplot_figure_is_left_behind(name):
    before = plt.get_fignums()
    explorer = EXPLORER_FACTORIES[name]()
    for widget in explorer.controls.values():
        if not widget.disabled:
            widget.value = control_values(widget)[-1]
    assert plt.get_fignums() == before


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_a_saved_notebook_keeps_the_picture_and_where_the_sliders_stood(name, explorers):
    explorer = explorers[name]
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # nbval compares text/plain: it must not depend on widget ids or settings.
    expected = f"{type(explorer).__name__}: run the notebook to move the sliders"
    assert bundle["text/plain"] == expected
    assert base64.b64decode(bundle["image/png"]) == explorer.static_png()
    text = explorer.settings_text()
    for widget in explorer.controls.values():
        if widget.description and not isinstance(widget, widgets.Play):
            assert f"{widget.description} = " in text, widget.description
    picture = Image.open(io.BytesIO(explorer.static_png()))
    figure = np.asarray(explorer.figure.canvas.buffer_rgba())
    assert picture.width == figure.shape[1]
    assert picture.height > figure.shape[0]  # the settings band sits on top
    below_band = np.asarray(picture.convert("RGBA"))[-figure.shape[0] :]
    assert np.array_equal(below_band, figure)  # and the figure itself is unchanged
