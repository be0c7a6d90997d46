"""``activation_explorer``: an activation function and its derivative side by side (Ch. 02)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext.activations import ACTIVATIONS, get_activation
from nbtext.plots import PALETTE
from nbtext.widgets._explorer import Explorer, dropdown, float_slider

_X = np.linspace(-5.0, 5.0, 401)


class ActivationExplorer(Explorer):
    """Left: h(x); right: h'(x). ``alpha`` applies to leaky ReLU and ELU."""

    def __init__(self, name: str, alpha: float) -> None:
        controls = {
            "activation": dropdown("activation", list(ACTIVATIONS), name),
            "alpha": float_slider("alpha (leaky ReLU, ELU)", alpha, 0.0, 1.0, 0.01),
        }
        super().__init__(controls, figsize=(9.0, 3.4))

    def build(self) -> None:
        self.ax_f, self.ax_g = self.figure.subplots(1, 2)
        for ax, label in ((self.ax_f, "h(x)"), (self.ax_g, "h'(x)")):
            ax.axhline(0, color="0.7", lw=0.8)
            ax.axvline(0, color="0.7", lw=0.8)
            ax.set(xlabel="x", ylabel=label, xlim=(-5, 5))
            ax.grid(alpha=0.3)
        self.f_line = self.animate(self.ax_f.plot([], [], color=PALETTE[0], lw=2)[0])
        self.g_line = self.animate(self.ax_g.plot([], [], color=PALETTE[3], lw=2)[0])
        self.ax_f.set_title("the function")
        self.ax_g.set_title("its derivative")
        self._shown: str | None = None

    def scene_key(self) -> Any:
        return self._shown

    def update(self, values: dict[str, Any]) -> bool:
        name = values["activation"]
        takes_alpha = name in ("leaky_relu", "elu")
        self.controls["alpha"].disabled = not takes_alpha
        act = get_activation(name, alpha=values["alpha"] if takes_alpha else None)
        y, dy = act.fn(_X), act.grad(_X)
        self.f_line.set_data(_X, y)
        self.g_line.set_data(_X, dy)
        if name == self._shown:
            return False
        # A new function: fit the vertical ranges (with room for alpha up to 1) and redraw all.
        self._shown = name
        low = -1.2 if takes_alpha else min(-0.1, y.min() - 0.1)
        self.ax_f.set_ylim(low, max(1.1, y.max() + 0.1))
        self.ax_g.set_ylim(-0.1, 1.1)
        self.figure.suptitle(f"{name}", fontsize=12)
        return True


def activation_explorer(name: str = "sigmoid", alpha: float = 0.1) -> ActivationExplorer:
    """Choose any activation of ``nbtext.activations.ACTIVATIONS`` (and alpha for leaky ReLU /
    ELU); see the function and its derivative side by side. Chapter 02."""
    get_activation(name)  # checks the name
    return ActivationExplorer(name, alpha)
