"""``softmax_explorer``: move three logits and a temperature, watch the probabilities (Ch. 03)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.patches import Rectangle

from nbtext.activations import softmax
from nbtext.plots import PALETTE
from nbtext.widgets._explorer import Explorer, float_slider, log_slider

_LOGIT_RANGE = (-6.0, 6.0)
_TEMPERATURE_EXPONENTS = (-1.0, 1.0)  # T from 0.1 to 10 on a log scale
_CLASSES = ("class 1", "class 2", "class 3")
_WIDTH = 0.6


class SoftmaxExplorer(Explorer):
    """Left: the logits a (what the sliders set); right: softmax(a / T), T, its sum and argmax."""

    def __init__(self, logits: tuple[float, float, float], temperature: float) -> None:
        lo, hi = _LOGIT_RANGE
        controls = {
            f"a{k}": float_slider(f"logit a{k}", value, lo, hi, 0.1)
            for k, value in enumerate(logits, start=1)
        }
        controls["temperature"] = log_slider("temperature T", temperature,
                                             *_TEMPERATURE_EXPONENTS)  # fmt: skip
        super().__init__(controls, figsize=(9.0, 3.4))

    def build(self) -> None:
        self.ax_a, self.ax_p = self.figure.subplots(1, 2)
        x = np.arange(len(_CLASSES))
        lo, hi = _LOGIT_RANGE
        for ax in (self.ax_a, self.ax_p):
            ax.set_xticks(x, _CLASSES)
            ax.set_xlim(-0.6, len(_CLASSES) - 0.4)
            ax.axhline(0, color="0.5", lw=0.8)
            ax.grid(axis="y", alpha=0.3)
        self.ax_a.set(ylim=(lo - 0.5, hi + 0.5), ylabel="logit $a_k$",
                      title="logits a (set by the sliders)")  # fmt: skip
        self.ax_p.set(ylim=(0.0, 1.1), ylabel="probability $y_k$ = softmax(a / T)$_k$")
        uniform = 1 / len(_CLASSES)
        self.ax_p.axhline(uniform, color="0.4", lw=1, ls=":")
        self.ax_p.text(len(_CLASSES) - 0.45, uniform + 0.01, "1/3", ha="right", va="bottom",
                       color="0.4", fontsize=9)  # fmt: skip
        self.logit_bars = [
            self.animate(Rectangle((k - _WIDTH / 2, 0.0), _WIDTH, 0.0, color=PALETTE[0])) for k in x
        ]
        self.prob_bars = [
            self.animate(Rectangle((k - _WIDTH / 2, 0.0), _WIDTH, 0.0, color=PALETTE[0])) for k in x
        ]
        for bar in self.logit_bars:
            self.ax_a.add_patch(bar)
        for bar in self.prob_bars:
            self.ax_p.add_patch(bar)
        # The probabilities printed on their bars move with them: animated texts. The logits
        # need no labels (the sliders show them), and text is the slowest thing to draw.
        self.prob_labels = [
            self.animate(self.ax_p.text(k, 0.0, "", ha="center", va="bottom", fontsize=10))
            for k in x
        ]
        # Sum and argmax change rarely (the sum never, to six decimals): the title is a
        # cached overlay.
        self.status = self.overlay(self.ax_p.set_title(" "))
        self.last_probabilities = np.full(len(_CLASSES), 1 / len(_CLASSES))

    def update(self, values: dict[str, Any]) -> bool:
        a = np.array([values[f"a{k}"] for k in range(1, len(_CLASSES) + 1)], dtype=np.float64)
        temperature = float(values["temperature"])
        y = softmax(a / temperature)
        self.last_probabilities = y
        # Equal logits give equal probabilities: every tied class is highlighted and the title
        # says "tie" (np.argmax alone would name the first of them).
        winners = [int(k) for k in np.flatnonzero(np.isclose(a, a.max(), rtol=0.0, atol=1e-9))]
        for bar, value in zip(self.logit_bars, a, strict=True):
            bar.set_height(value)
        for k, (bar, label, p) in enumerate(zip(self.prob_bars, self.prob_labels, y,
                                                strict=True)):  # fmt: skip
            bar.set_height(p)
            bar.set_color(PALETTE[1] if k in winners else PALETTE[0])
            label.set_position((k, p + 0.01))
            label.set_text(f"{p:.3f}")
        if len(winners) == 1:
            argmax = _CLASSES[winners[0]]
        else:
            argmax = "tie (classes " + ", ".join(str(k + 1) for k in winners) + ")"
        self.status.set_text(f"T = {temperature:.3g}:  sum = {y.sum():.6f},  argmax = {argmax}")
        return False


def softmax_explorer(
    logits: tuple[float, float, float] = (0.3, 2.9, 4.0), temperature: float = 1.0
) -> SoftmaxExplorer:
    """Sliders for three logits a1, a2, a3 and a temperature T; bar charts of the logits and of
    softmax(a / T), with T, the sum (always 1) and the argmax (the largest bar, or "tie" with
    every tied class highlighted when the largest logits are equal) in the title. Chapter 03.

    ``logits``: three numbers in [-6, 6]; ``temperature``: a positive number in [0.1, 10].
    """
    try:
        values = [float(v) for v in logits]
    except (TypeError, ValueError):
        raise ValueError(f"logits must be three numbers, got {logits!r}") from None
    lo, hi = _LOGIT_RANGE
    if len(values) != len(_CLASSES) or not all(lo <= v <= hi for v in values):
        raise ValueError(f"logits must be three numbers between {lo:g} and {hi:g}, got {logits!r}")
    t_lo, t_hi = (10**e for e in _TEMPERATURE_EXPONENTS)
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.number)):
        raise ValueError(f"temperature must be a number, got {temperature!r}")
    if not t_lo <= float(temperature) <= t_hi:
        raise ValueError(f"temperature must lie between {t_lo:g} and {t_hi:g}, got {temperature!r}")
    return SoftmaxExplorer((values[0], values[1], values[2]), float(temperature))
