"""``initialization_explorer``: a deep network at its start, layer by layer (Ch. 09).

Inputs ``X``: ``samples`` points of ``units`` standard-normal features; labels: random classes
0..9, only so that there is a loss to differentiate. The network,
``MLP([units] * (depth + 1) + [10], activation, init=g / sqrt(units))``, has ``depth`` hidden
layers whose weights have the standard deviation g/√n (n = units): g = 1 is LeCun's rule
(and Xavier's, for layers as wide as their inputs), g = √2 is He's.

Left: the distribution of every hidden layer's outputs (``model.hidden_outputs(X)``), one
histogram a row, layer 1 at the top, on a fixed scale (a bin holding ``SHARE_CAP`` of a
layer's outputs fills its row, more is cut off) over a range that suits the activation;
each row's standard deviation stands at its right. Right: the length of each layer's weight
gradient, ``gradient_norms`` of the backward pass of the loss on ``X``, on the fixed log
axis ``GRADIENT_RANGE`` (points beyond it are triangles on its edge), with the last layer's
length dotted across for comparison. The two titles say what happens: saturated, collapsing
or exploding activations; vanishing or exploding gradients.

Speed: each setting costs one forward and one backward pass; its numbers (histograms,
standard deviations, gradient lengths: a few hundred numbers) are kept in a ``BoundedCache``.
The axes of the left panel follow the activation and the depth: only they are drawn per scene.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import StepPatch
from matplotlib.ticker import FixedLocator, NullLocator

from nbtext.network import MLP
from nbtext.plots import PALETTE, tint
from nbtext.training import gradient_norms
from nbtext.widgets._explorer import (
    BoundedCache,
    Explorer,
    check_choice,
    check_int,
    check_range,
    dropdown,
    int_slider,
    log_slider,
)

ACTIVATION_NAMES: tuple[str, ...] = ("sigmoid", "tanh", "relu")
"""Hidden-layer activations the explorer offers."""

DEPTH_RANGE: tuple[int, int] = (2, 10)
"""Hidden layers: the depth slider's range."""

SCALE_EXPONENTS: tuple[float, float] = (-2.0, 1.0)
"""The weight scale g runs from 10**-2 to 10**1 on a log slider."""

CLASSES = 10
BINS = 40

OUTPUT_RANGE: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "relu": (0.0, 4.0),
}
"""The left panel's horizontal range per activation. ReLU outputs above 4 (an exploding
network's) are counted in the last bin."""

SHARE_CAP = 0.08
"""A bin holding this share of a layer's outputs fills its row; a taller peak is cut off."""

ROW = 0.9
"""A full bin's height, in rows (rows are one unit apart: a full bin never touches the next)."""

COLLAPSE = 0.025
"""The last hidden layer's outputs have collapsed when their standard deviation is below this
share of the panel's range (0.025 for sigmoid, 0.05 for tanh, 0.1 for ReLU)."""

GRADIENT_RANGE: tuple[float, float] = (1e-12, 1e6)
"""The right panel's fixed log axis; lengths beyond it are drawn on its edge."""

VANISH, EXPLODE = 1e-2, 1e2
"""Layer 1's gradient below 1/100 of the last layer's: vanishing; above 100 times: exploding."""

TINY, HUGE = 1e-4, 1e2
"""Every layer's gradient below TINY (or above HUGE): too small (too large) everywhere."""

CACHE_SIZE = 128
"""Settings whose numbers are kept (a few kilobytes each)."""

_STATUS_OK, _STATUS_BAD = "black", PALETTE[3]


def initialization_data(
    samples: int = 500, units: int = 100, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The explorer's inputs ``X`` ``(samples, units)``, standard normal, and random labels
    ``y`` ``(samples,)`` in 0..9, both from a generator seeded with ``seed``."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((samples, units)), rng.integers(0, CLASSES, samples)


def initialization_network(
    depth: int, activation: str, weight_scale: float, units: int = 100, seed: int = 0
) -> MLP:
    """``depth`` hidden layers of ``units`` and 10 softmax outputs, every weight drawn with
    standard deviation ``weight_scale / sqrt(units)`` (seeded: a larger scale gives the same
    weights, scaled)."""
    sizes = [units] * (depth + 1) + [CLASSES]
    return MLP(sizes, activation, init=weight_scale / math.sqrt(units), seed=seed)


@dataclass(frozen=True)
class NetworkAtStart:
    """What the explorer shows for one setting.

    ``stds``: each hidden layer's output standard deviation ``(depth,)``; ``shares``: the
    share of its outputs in each of ``BINS`` bins over ``OUTPUT_RANGE`` ``(depth, BINS)``
    (outputs beyond the range counted in the edge bins); ``saturated``: the share in the edge
    bins, where sigmoid's or tanh's slope is below a tenth of its largest (0 for ReLU);
    ``gradient_norms``: ‖∂L/∂W_k‖ for k = 1 … depth + 1 (NaN if the loss overflowed);
    ``loss``: the loss at the start.
    """

    activation: str
    stds: np.ndarray
    shares: np.ndarray
    saturated: np.ndarray
    gradient_norms: np.ndarray
    loss: float


def network_at_start(model: MLP, X: np.ndarray, y: np.ndarray) -> NetworkAtStart:
    """Run ``model`` forward on ``X`` and backward from its loss on ``y`` (no step is taken)
    and collect what the explorer draws."""
    activation = model.activation
    lo, hi = OUTPUT_RANGE[activation]
    hidden = model.hidden_outputs(X)
    counts = []
    for h in hidden:  # np.histogram's bins, with outliers in the edge bins, 5 times as fast
        bins = ((h - lo) * (BINS / (hi - lo))).astype(np.intp)
        np.clip(bins, 0, BINS - 1, out=bins)
        counts.append(np.bincount(bins.ravel(), minlength=BINS))
    shares = np.array(counts) / hidden[0].size
    with np.errstate(all="ignore"):  # an overflowing network: NaN lengths, drawn on the edge
        loss, grads = model.loss_and_gradients(X, y)
    lengths = gradient_norms(grads)
    norms = [lengths[f"W{k}"] for k in range(1, len(hidden) + 2)]
    # Saturated: in an edge bin of sigmoid or tanh, where its slope is below a tenth of its
    # largest (ReLU has no flat end above 0).
    saturated = shares[:, 0] + shares[:, -1] if activation != "relu" else np.zeros(len(hidden))
    return NetworkAtStart(activation, np.array([h.std() for h in hidden]), shares, saturated,
                          np.array(norms), float(loss))  # fmt: skip


def _short(x: float) -> str:
    """A number in few characters: 0.62, 48, and beyond 0.001 … 1000 one digit and a power
    of ten, 3e-7 or 2e3."""
    if 1e-3 <= abs(x) < 1e3:
        return f"{x:.2g}"
    return f"{x:.0e}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


def _power_of_ten(exponent: int) -> str:
    """10**-6 as "10⁻⁶", 1 as "1"."""
    if exponent == 0:
        return "1"
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def describe_activations(start: NetworkAtStart) -> tuple[str, bool]:
    """One phrase for the left panel and whether it names a problem: saturated (most of a
    layer's outputs at the flat ends of sigmoid or tanh), collapsed (the last layer's spread
    below ``COLLAPSE`` of the range shown), exploding (ReLU outputs spread beyond it), or
    the spread from layer 1 to the last."""
    lo, hi = OUTPUT_RANGE[start.activation]
    last, std = len(start.stds), start.stds[-1]
    worst = int(np.argmax(start.saturated))
    if start.saturated[worst] >= 0.5:
        ends = "0 or 1" if start.activation == "sigmoid" else "±1"
        share = start.saturated[worst]
        return f"saturated: {share:.0%} of layer {worst + 1} at {ends}", True
    if std < COLLAPSE * (hi - lo):
        return f"collapse: std {_short(std)} in layer {last}", True
    if std > hi - lo:
        return f"explosion: std {_short(std)} in layer {last}", True
    return f"std {_short(start.stds[0])} in layer 1, {_short(std)} in layer {last}", False


def describe_gradients(start: NetworkAtStart) -> tuple[str, bool]:
    """One phrase for the right panel and whether it names a problem: gradients that are
    tiny or huge in every layer, or layer 1's length as a share of the last layer's
    (vanishing below ``VANISH``, exploding above ``EXPLODE``)."""
    norms = start.gradient_norms
    if not np.all(np.isfinite(norms)):
        return "the loss overflowed: no gradients", True
    if norms.max() < TINY:
        return f"gradients vanish everywhere: ≤ {_short(norms.max())}", True
    if norms.min() > HUGE:
        return f"gradients explode everywhere: ≥ {_short(norms.min())}", True
    ratio = norms[0] / norms[-1]
    if ratio < VANISH:
        return f"gradients vanish: layer 1 gets {_short(ratio)} × the last's", True
    if ratio > EXPLODE:
        return f"gradients explode: layer 1 gets {_short(ratio)} × the last's", True
    return f"layer 1 gets {_short(ratio)} × the last layer's gradient", False


NAMED_RULES: dict[str, float] = {"LeCun; Xavier too, for equal widths": 1.0, "He": math.sqrt(2.0)}
"""The weight scales g of the named rules: Var(w) = g²/n is 1/n (LeCun) or 2/n (He)."""


def named_rule(weight_scale: float) -> str:
    """The named rule a weight scale g matches to half a slider step ("He" for 1.41), or ""."""
    for name, g in NAMED_RULES.items():
        if abs(math.log10(weight_scale / g)) < 0.025:
            return name
    return ""


class InitializationExplorer(Explorer):
    """Left: each hidden layer's outputs as a histogram, layer 1 at the top, with its std;
    right: each layer's weight-gradient length on a log axis. Titles say what happens.

    Attributes after every change: ``start`` (the :class:`NetworkAtStart` shown),
    ``ridges`` (one ``StepPatch`` a layer), ``std_labels``, ``gradient_line``,
    ``activation_status`` and ``gradient_status`` (the two titles), ``readout`` (an HTML
    line beside the weight-scale slider: the weights' std and the rule it matches).
    """

    def __init__(self, settings: dict[str, Any], samples: int, units: int, seed: int) -> None:
        self.units, self.seed = units, seed
        self.X, self.y = initialization_data(samples, units, seed)
        self._starts = BoundedCache(CACHE_SIZE)
        self._scene: tuple[str, int] | None = None
        self.readout = widgets.HTML()
        controls = {
            "depth": int_slider("hidden layers (depth)", settings["depth"], *DEPTH_RANGE),
            "activation": dropdown("activation", list(ACTIVATION_NAMES), settings["activation"]),
            "weight_scale": log_slider("weight scale g", settings["weight_scale"],
                                       *SCALE_EXPONENTS),
        }  # fmt: skip
        super().__init__(controls, figsize=(9.4, 4.2))

    def _control_rows(self) -> list[widgets.Widget]:
        rows = super()._control_rows()
        return [*rows[:-1], widgets.HBox([rows[-1], self.readout])]

    # ----------------------------------------------------------- drawing --
    def build(self) -> None:
        # A fixed layout: room for the row labels, the std column and the axis labels, found
        # once (a layout engine would measure every text of the figure on the first draw).
        self.figure.set_layout_engine("none")
        self.ax_act = self.figure.add_axes((0.085, 0.25, 0.33, 0.64))
        self.ax_grad = self.figure.add_axes((0.6, 0.25, 0.38, 0.64))
        ax = self.ax_act
        ax.tick_params(axis="y", length=0)
        ax.spines[["left", "right", "top"]].set_visible(False)
        # The axes that follow the scene (the activation's range, one row per layer) are the
        # only static artists drawn again when it changes.
        self.per_scene(ax.xaxis, ax.yaxis)
        self.ridges = [
            self.animate(ax.add_patch(StepPatch(np.zeros(BINS), np.arange(BINS + 1.0),
                                                facecolor=tint(PALETTE[0], 0.6),
                                                edgecolor=PALETTE[0], lw=1.0)))
            for _ in range(DEPTH_RANGE[1])
        ]  # fmt: skip
        # Each row's std, right of the panel under "std": text is slow to draw (~0.3 ms a
        # label and 0.07 ms a character), so these are short overlays, drawn once per setting.
        ax.text(1.02, 1.0, "std", transform=ax.transAxes, ha="left", va="bottom", fontsize=8)
        self.std_labels = [
            self.overlay(ax.text(1.02, 0.0, "", transform=ax.get_yaxis_transform(),
                                 ha="left", va="center", fontsize=8, clip_on=False))
            for _ in range(DEPTH_RANGE[1])
        ]  # fmt: skip

        gx = self.ax_grad
        n = DEPTH_RANGE[1] + 1
        gx.set(xlim=(0.4, n + 0.6), ylim=GRADIENT_RANGE, yscale="log",
               xlabel="weight layer k (the last one feeds the 10 outputs)",
               ylabel="‖∂L/∂W⁽ᵏ⁾‖ (log scale)")  # fmt: skip
        gx.xaxis.set_major_locator(FixedLocator(range(1, n + 1)))
        low, high = (round(math.log10(v)) for v in GRADIENT_RANGE)
        # Powers of ten as "10⁻⁶", without mathtext (whose parser costs ~70 ms at the build).
        exponents = range(low, high + 1, 3)
        gx.set_yticks([10.0**e for e in exponents], [_power_of_ten(e) for e in exponents])
        gx.yaxis.set_minor_locator(NullLocator())
        gx.grid(alpha=0.3)
        self.reference = self.animate(gx.axhline(1.0, color="0.4", lw=1, ls=":",
                                                 label="dotted: the last layer's"))  # fmt: skip
        self.gradient_line = self.animate(gx.plot([], [], color=PALETTE[3], lw=1.5, marker="o",
                                                  ms=5, label="‖∂L/∂W⁽ᵏ⁾‖")[0])  # fmt: skip
        style = {"ls": "none", "ms": 8, "color": PALETTE[3], "clip_on": False, "zorder": 4}
        self.below = self.animate(gx.plot([], [], marker="v", **style)[0])
        self.above = self.animate(gx.plot([], [], marker="^", label="▲▼ beyond the axis",
                                          **style)[0])  # fmt: skip
        gx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, fontsize=8,
                  frameon=False, handlelength=1.6)  # fmt: skip

        self.activation_status = self.overlay(ax.set_title(" ", loc="left", fontsize=10))
        self.gradient_status = self.overlay(gx.set_title(" ", loc="left", fontsize=10))

    def scene_key(self) -> tuple[str, int] | None:
        return self._scene

    def _set_scene(self, activation: str, depth: int) -> bool:
        """Fit the left panel's axes to the activation's range and ``depth`` rows."""
        if self._scene == (activation, depth):
            return False
        self._scene = (activation, depth)
        lo, hi = OUTPUT_RANGE[activation]
        ax = self.ax_act
        label = "output of the layer's units"
        if activation == "relu":
            label += f" (above {hi:g}: counted at {hi:g})"
        ax.set(xlim=(lo, hi), ylim=(-0.05, depth), xlabel=label)
        # Layer 1 at the top: row k sits on the line y = depth − k.
        ax.set_yticks([depth - k + 0.3 for k in range(1, depth + 1)],
                      [f"layer {k}" for k in range(1, depth + 1)])  # fmt: skip
        return True

    def _start(self, depth: int, activation: str, weight_scale: float) -> NetworkAtStart:
        def compute() -> NetworkAtStart:
            model = initialization_network(depth, activation, weight_scale, self.units, self.seed)
            return network_at_start(model, self.X, self.y)

        return self._starts.get_or_make((depth, activation, weight_scale), compute)

    def update(self, values: dict[str, Any]) -> bool:
        depth, activation, g = values["depth"], values["activation"], float(values["weight_scale"])
        start = self.start = self._start(depth, activation, g)
        lo, hi = OUTPUT_RANGE[activation]
        edges = np.linspace(lo, hi, BINS + 1)
        heights = np.minimum(start.shares / SHARE_CAP, 1.0) * ROW
        for k, (ridge, label) in enumerate(zip(self.ridges, self.std_labels, strict=True)):
            shown = k < depth
            ridge.set_visible(shown)
            label.set_visible(shown)
            if shown:
                baseline = depth - 1 - k
                ridge.set_data(heights[k] + baseline, edges, baseline)
                label.set_y(baseline + 0.3)
                label.set_text(_short(start.stds[k]))

        norms = start.gradient_norms
        layers = np.arange(1, depth + 2)
        low, high = GRADIENT_RANGE
        self.gradient_line.set_data(layers, np.clip(norms, low, high))
        self.below.set_data(layers[norms < low], np.full(np.sum(norms < low), low))
        self.above.set_data(layers[norms > high], np.full(np.sum(norms > high), high))
        self.reference.set_ydata([min(max(norms[-1], low), high)] * 2)

        for title, (text, bad) in ((self.activation_status, describe_activations(start)),
                                   (self.gradient_status, describe_gradients(start))):  # fmt: skip
            title.set_text(text)
            title.set_color(_STATUS_BAD if bad else _STATUS_OK)
        std = g / math.sqrt(self.units)
        rule = named_rule(g)
        self.readout.value = f"weights' std = {g:.3g}/√{self.units} = {std:.3g}" + (
            f" &nbsp;(<b>{rule}</b>)" if rule else ""
        )
        return self._set_scene(activation, depth)


def initialization_explorer(
    depth: int = 5,
    activation: str = "tanh",
    weight_scale: float = 1.0,
    *,
    samples: int = 500,
    units: int = 100,
    seed: int = 0,
) -> InitializationExplorer:
    """A deep network at its start: each hidden layer's outputs and each layer's gradient
    length, for a depth, an activation and a weight scale. Chapter 09.

    ``depth``: hidden layers, 2–10; ``activation``: ``sigmoid``, ``tanh`` or ``relu``;
    ``weight_scale`` g in [0.01, 10]: every weight is drawn with std g/√units (g = 1 is
    LeCun's rule, and Xavier's for equal widths; g = √2 is He's). ``samples`` standard-normal
    inputs (10–5000) of ``units`` features (10–1000), random labels 0..9; seeded by ``seed``:
    the same arguments give the same picture. Controls: ``"depth"``, ``"activation"``,
    ``"weight_scale"``.
    """
    depth = check_int(depth, *DEPTH_RANGE, "depth")
    key = check_choice(activation, ACTIVATION_NAMES, "activation")
    g_lo, g_hi = (10**e for e in SCALE_EXPONENTS)
    weight_scale = float(check_range(weight_scale, g_lo, g_hi, "weight_scale"))  # nan fails
    samples = check_int(samples, 10, 5000, "samples")
    units = check_int(units, 10, 1000, "units")
    seed = check_int(seed, 0, 2**32 - 1, "seed")
    settings = {"depth": depth, "activation": key, "weight_scale": weight_scale}
    return InitializationExplorer(settings, samples, units, seed)
