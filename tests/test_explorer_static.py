"""What a reader without a kernel sees of each explorer: its figure, and where the sliders were."""

from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

import nbtext.widgets as nw

FACTORIES = {
    "perceptron_explorer": lambda: nw.perceptron_explorer(),
    "activation_explorer": lambda: nw.activation_explorer(),
    "softmax_explorer": lambda: nw.softmax_explorer(),
    "learning_rate_explorer": lambda: nw.learning_rate_explorer(),
    "optimizer_explorer": lambda: nw.optimizer_explorer(),
    "batch_size_explorer": lambda: nw.batch_size_explorer(n=60, epochs=2, show_time=False),
    "playground": lambda: nw.playground(),
}


def test_every_explorer_is_covered():
    explorers = {name for name in nw.__all__ if name != "Explorer"}
    assert explorers == set(FACTORIES)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_saved_picture_names_every_setting_above_the_figure(name: str) -> None:
    explorer = FACTORIES[name]()
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
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == explorer.static_png()
    assert "run the notebook" in bundle["text/plain"]


def test_settings_follow_the_controls() -> None:
    explorer = nw.perceptron_explorer()
    explorer.controls["gate"].value = "OR"
    explorer.controls["w1"].value = 1.0
    text = explorer.settings_text()
    assert "= OR" in text and "w1 = 1.00" in text
