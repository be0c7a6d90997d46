"""``activation_explorer``: an activation function and its derivative side by side (Ch. 02)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from nbtext.activations import ACTIVATIONS, get_activation
from nbtext.plots import PALETTE
from nbtext.widgets._explorer import Explorer, dropdown, float_slider

_X = np.linspace(-5.0, 5.0, 401)
_ALPHA_RANGE = (0.0, 1.0)
"""The alpha slider's range: leaky ReLU from ReLU (0) to the identity (1); ELU's usual 1."""


def _function_ylim(name: str, y: np.ndarray) -> tuple[float, float]:
    """The vertical range of the left panel for ``name``, fixed while alpha moves.

    For leaky ReLU and ELU the range holds the curve for every alpha on the slider, so
    dragging alpha never pushes the curve out of the frame: leaky ReLU reaches
    alpha_max * min(x) = -5 at alpha = 1, ELU levels off above -alpha_max = -1.
    """
    if name == "leaky_relu":
        return _ALPHA_RANGE[1] * _X.min() - 0.2, _X.max() + 0.1
    if name == "elu":
        return -_ALPHA_RANGE[1] - 0.2, _X.max() + 0.1
    return min(-0.1, float(y.min()) - 0.1), max(1.1, float(y.max()) + 0.1)


class ActivationExplorer(Explorer):
    """Left: h(x); right: h'(x). ``alpha`` applies to leaky ReLU and ELU.

    Only the left panel's vertical range changes with the function: its y axis (ticks,
    labels, grid) is the one artist drawn per scene, so a new function costs one axis, not
    a full draw.
    """

    def __init__(self, name: str, alpha: float) -> None:
        controls = {
            "activation": dropdown("activation", list(ACTIVATIONS), name),
            "alpha": float_slider("alpha (leaky ReLU, ELU)", alpha, *_ALPHA_RANGE, 0.01),
        }
        super().__init__(controls, figsize=(9.0, 3.4))

    def build(self) -> None:
        self.ax_f, self.ax_g = self.figure.subplots(1, 2)
        for ax, label in ((self.ax_f, "h(x)"), (self.ax_g, "h'(x)")):
            ax.axvline(0, color="0.7", lw=0.8)
            ax.set(xlabel="x", ylabel=label, xlim=(-5, 5))
            ax.grid(alpha=0.3)
        self.ax_g.axhline(0, color="0.7", lw=0.8)
        self.ax_g.set_ylim(-0.1, 1.1)  # every derivative here lies in [0, 1]
        self.per_scene(self.ax_f.yaxis)  # the one static part that follows the function
        # A fixed place for "h(x)", left of the widest tick labels ("−0.5"): the layout is
        # found once, for the first function, and must hold every other one.
        self.ax_f.yaxis.set_label_coords(-0.13, 0.5)
        self.animate(self.ax_f.axhline(0, color="0.7", lw=0.8))  # moves with the y range
        self.f_line = self.animate(self.ax_f.plot([], [], color=PALETTE[0], lw=2)[0])
        self.g_line = self.animate(self.ax_g.plot([], [], color=PALETTE[3], lw=2)[0])
        self.ax_f.set_title("the function")
        self.ax_g.set_title("its derivative")
        self.title = self.overlay(self.figure.suptitle(" ", fontsize=12))
        self._ylim: tuple[float, float] | None = None

    def scene_key(self) -> Any:
        return self._ylim

    def update(self, values: dict[str, Any]) -> bool:
        name = values["activation"]
        takes_alpha = name in ("leaky_relu", "elu")
        self.controls["alpha"].disabled = not takes_alpha
        act = get_activation(name, alpha=values["alpha"] if takes_alpha else None)
        y, dy = act.fn(_X), act.grad(_X)
        self.f_line.set_data(_X, y)
        self.g_line.set_data(_X, dy)
        self.title.set_text(name)
        # The vertical range fits the function, for every alpha on the slider.
        ylim = _function_ylim(name, y)
        if ylim == self._ylim:
            return False
        self._ylim = ylim
        self.ax_f.set_ylim(*ylim)
        return True


def activation_explorer(name: str = "sigmoid", alpha: float = 0.1) -> ActivationExplorer:
    """Choose any elementwise activation of ``nbtext.activations`` (``ACTIVATIONS``; softmax
    is not elementwise) and, for leaky ReLU and ELU, alpha in [0, 1]; see the function and
    its derivative side by side. Chapter 02.

    ``name`` is matched like ``get_activation`` does ("ReLU" means "relu"). A name that is
    not one of ``ACTIVATIONS``, or an alpha outside the slider's range [0, 1], raises a
    ``ValueError`` that says what is allowed.
    """
    valid = ", ".join(ACTIVATIONS)
    key = name.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(name, str) else ""
    if key not in ACTIVATIONS:
        why = ""
        if key == "softmax":
            why = " (softmax maps a vector to a vector, so it has no curve h(x))"
        raise ValueError(f"unknown activation {name!r}{why}; valid names are {valid}")
    low, high = _ALPHA_RANGE
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise ValueError(
            f"alpha must be a number in [{low:g}, {high:g}], got {type(alpha).__name__} {alpha!r}"
        )
    if not low <= alpha <= high:  # also catches nan
        raise ValueError(
            f"alpha must be in [{low:g}, {high:g}] (the alpha slider's range), got {alpha!r}"
        )
    return ActivationExplorer(key, float(alpha))
