"""Helpers the explorer tests share: values across a control's range, the pixels shown, and a
quick-to-build instance of every explorer in ``nbtext.widgets.__all__``.

Test modules import the helpers (``from conftest import snapshot``); pytest puts this folder
on ``sys.path`` because it has no ``__init__.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np
import pytest

import nbtext.widgets as nw

EXPLORER_FACTORIES: dict[str, Callable[[], Any]] = {
    "perceptron_explorer": lambda: nw.perceptron_explorer(),
    "activation_explorer": lambda: nw.activation_explorer(),
    "softmax_explorer": lambda: nw.softmax_explorer(),
    "learning_rate_explorer": lambda: nw.learning_rate_explorer(),
    "optimizer_explorer": lambda: nw.optimizer_explorer(),
    "batch_size_explorer": lambda: nw.batch_size_explorer(n=60, epochs=2, show_time=False),
    "playground": lambda: nw.playground("xor", epochs=20, batch_size=100),
    "initialization_explorer": lambda: nw.initialization_explorer(samples=200),
    "regularization_explorer": lambda: nw.regularization_explorer(n_test=100),
    "batchnorm_explorer": lambda: nw.batchnorm_explorer(n_train=200, epochs=4),
}
"""Every explorer, built small where building trains (batch size, playground, regularization,
batch normalization)."""

EXPLORER_NAMES: list[str] = [name for name in nw.__all__ if name != "Explorer"]
"""The explorers the package exports: the contract tests run over each of them."""


def control_values(widget: widgets.Widget, count: int = 7) -> list[Any]:
    """``count`` values across a control's whole range, or every option of a menu."""
    if isinstance(widget, (widgets.Dropdown, widgets.SelectionSlider, widgets.ToggleButtons)):
        return [o[1] if isinstance(o, tuple) else o for o in widget.options]
    if isinstance(widget, widgets.FloatLogSlider):
        return [float(v) for v in widget.base ** np.linspace(widget.min, widget.max, count)]
    if isinstance(widget, (widgets.IntSlider, widgets.Play)):
        return sorted({round(float(v)) for v in np.linspace(widget.min, widget.max, count)})
    return [float(v) for v in np.linspace(widget.min, widget.max, count)]


def snapshot(explorer: Any) -> bytes:
    """The figure's pixels as shown."""
    return bytes(explorer.figure.canvas.buffer_rgba())


@pytest.fixture(scope="module")
def built_explorers() -> dict[str, Any]:
    """One explorer of each kind, built once per test module (a build costs a full draw)."""
    return {name: EXPLORER_FACTORIES[name]() for name in EXPLORER_NAMES}


@pytest.fixture
def explorers(built_explorers: dict[str, Any]) -> Any:
    """The shared explorers, with their controls put back where they were after each test."""
    start = {name: explorer.values() for name, explorer in built_explorers.items()}
    yield built_explorers
    for name, explorer in built_explorers.items():
        for control, value in start[name].items():
            explorer.controls[control].value = value
