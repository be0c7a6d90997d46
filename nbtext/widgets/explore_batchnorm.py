"""``batchnorm_explorer``: batch normalization against a bad starting scale (Chapter 11).

The experiment of chapter 11's section 5, one setting at a time. Data: the first ``n_train``
(500) training digits of chapter 08's split (``train_val_test_split(seed=0)``), standardized
with the training set's statistics. Model: ``MLP([64, 50, 50, 50, 50, 50, 10])`` with ReLU,
every weight drawn with standard deviation *weight scale* (``init=scale``), with or without
batch normalization, trained with plain SGD (learning rate 0.05, batches of 100) for 20
epochs.

Left: the training loss per epoch for the chosen scale, with batch normalization (blue) and
without (orange); the chosen setting is drawn bold, the other thin, so the toggle compares
them. The title gives both final training accuracies. Right: the spread (standard deviation)
of each hidden layer's output, before and after training, for the chosen setting, measured in
training mode (the mode in which batch statistics are used). Fixed log axes, so pictures of
different settings compare.

Speed: training with batch normalization costs more than twice as much as without (about
100 ms against 40 ms a scale on a 2-core machine), too much for a slider that must answer
within 0.1 s. So the build trains the network with batch normalization from all 16 scales,
as two stacks of ``STACK_SIZE`` copies (``MLP.stack`` and ``nbtext.training.fit_stack``:
each copy makes the very updates ``fit`` makes for it alone), about 0.85 s; a scale shown for
the first time then trains only the plain network (``fit``, about 40 ms). Every trained
setting is kept, so the toggle and coming back cost no training.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from nbtext.datasets import digits, train_val_test_split
from nbtext.network import MLP
from nbtext.optimizers import SGD
from nbtext.plots import PALETTE
from nbtext.preprocessing import Standardizer
from nbtext.training import fit, fit_stack
from nbtext.widgets._explorer import SLIDER_LAYOUT, SLIDER_STYLE, BoundedCache, Explorer, check_int
from nbtext.widgets.explore_playground import log_loss_axis

SCALES: tuple[float, ...] = tuple(float(s) for s in np.logspace(0, -4, 16))
"""The weight-scale slider's settings: 16 standard deviations from 1 down to 1e-4, evenly
spaced on a log scale (chapter 11's figure)."""

SIZES: tuple[int, ...] = (64, 50, 50, 50, 50, 50, 10)
LEARNING_RATE = 0.05
BATCH_SIZE = 100
EPOCHS = 20

LOSS_RANGE: tuple[float, float] = (1e-3, 10.0)
"""The loss panel's fixed log axis; losses beyond it run along its edge."""

SPREAD_RANGE: tuple[float, float] = (1e-7, 1e4)
"""The spread panel's fixed log axis: from a signal that has all but vanished (a scale of 1e-4
leaves about 1e-7 after five layers without batch normalization) to one that has grown about
fivefold per layer (a scale of 1: 5⁵ ≈ 3000 after five layers)."""

HIDDEN = len(SIZES) - 2

STACK_SIZE = 8
"""Scales trained side by side in one stack at the build: two stacks of 8 train the 16 scales
with batch normalization in half the time of 16 separate runs (one stack of 16 is slower
again: its arrays, 16 × 100 × 50 numbers a layer, outgrow the CPU's cache)."""


def batchnorm_data(n_train: int = 500) -> dict[str, np.ndarray]:
    """The explorer's digits: ``X`` ``(n_train, 64)``, standardized with the whole training
    set's mean and standard deviation, and their labels ``y`` ``(n_train,)``. Chapter 11."""
    X, y = digits()
    X_train, _, _, y_train, _, _ = train_val_test_split(X, y, seed=0)
    scaled = Standardizer().fit(X_train).transform(X_train)
    return {"X": scaled[:n_train], "y": y_train[:n_train]}


def _spreads(model: MLP, X: np.ndarray) -> np.ndarray:
    """The standard deviation of each hidden layer's output ``(HIDDEN,)`` (``(K, HIDDEN)``
    for a stack of K networks), in training mode, without changing the model (its running
    averages are put back)."""
    kept = {k: v.copy() for k, v in model.buffers.items()}
    was_training = model.training
    model.train()
    spreads = np.array([h.std(axis=(-2, -1)) for h in model.hidden_outputs(X)]).T
    model.train(was_training)
    for key, value in kept.items():
        model.buffers[key][...] = value
    return spreads


@dataclass(frozen=True)
class ScaleRun:
    """One trained setting, as the explorer shows it.

    ``loss``: the training loss of each epoch ``(epochs,)``, NaN after a divergence;
    ``accuracy``: the final training accuracy (chance, 10 %, if it diverged);
    ``spread_before``, ``spread_after``: the standard deviation of each hidden layer's
    output ``(HIDDEN,)`` before and after training.
    """

    weight_scale: float
    batch_norm: bool
    loss: np.ndarray
    accuracy: float
    spread_before: np.ndarray
    spread_after: np.ndarray
    diverged: bool


def train_from_scale(
    data: dict[str, np.ndarray],
    weight_scale: float,
    batch_norm: bool,
    *,
    epochs: int = EPOCHS,
    seed: int = 0,
) -> ScaleRun:
    """Train the explorer's network from weights of standard deviation ``weight_scale``, with
    or without batch normalization, on ``data`` (``nbtext.training.fit``). Chapter 11."""
    model = MLP(list(SIZES), init=weight_scale, batch_norm=batch_norm, seed=seed)
    X, y = data["X"], data["y"]
    before = _spreads(model, X)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # a divergence is shown, not warned about
        history = fit(model, X, y, SGD(LEARNING_RATE), epochs, BATCH_SIZE, seed=seed)
        loss = np.full(epochs, np.nan)
        loss[: history.epochs] = history.epoch_loss
        accuracy = model.accuracy(X, y) if not history.diverged else math.nan
        after = _spreads(model, X)
    return ScaleRun(weight_scale, batch_norm, loss, accuracy, before, after, history.diverged)


def train_scales(
    data: dict[str, np.ndarray],
    weight_scales: tuple[float, ...] | list[float],
    batch_norm: bool,
    *,
    epochs: int = EPOCHS,
    seed: int = 0,
) -> list[ScaleRun]:
    """:func:`train_from_scale` for several scales at once: one stack of networks, one copy
    per scale, trained by ``nbtext.training.fit_stack`` on the same mini-batches, so copy k
    makes the updates ``train_from_scale(data, weight_scales[k], batch_norm)`` makes (the
    same numbers). A copy that diverges goes on with NaN weights while the others train, so
    its spread after training is NaN. Chapter 11."""
    models = [MLP(list(SIZES), init=s, batch_norm=batch_norm, seed=seed) for s in weight_scales]
    stack = models[0].stack([m.params for m in models])
    X, y = data["X"], data["y"]
    before = _spreads(stack, X)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # a divergence is shown, not warned about
        history = fit_stack(stack, X, y, SGD(LEARNING_RATE), epochs, BATCH_SIZE, seed=seed)
        accuracy = stack.accuracy(X, y)
        after = _spreads(stack, X)
    runs = []
    for k, scale in enumerate(weight_scales):
        diverged = history.diverged_at[k] is not None
        runs.append(ScaleRun(scale, batch_norm, history.epoch_loss[:, k].copy(),
                             math.nan if diverged else float(accuracy[k]), before[k],
                             after[k], diverged))  # fmt: skip
    return runs


def _scale_text(scale: float) -> str:
    return f"{scale:.2g}"


class BatchNormExplorer(Explorer):
    """Left: training loss per epoch with and without batch normalization (the chosen one
    bold); right: each hidden layer's spread before and after training.

    Attributes after every change: ``run`` (the chosen :class:`ScaleRun`), ``other`` (the
    same scale with the other setting), ``data``, ``loss_lines`` (``{True: with, False:
    without}``), ``before_line``, ``after_line``, ``loss_title``, ``spread_title``.
    """

    def __init__(self, settings: dict[str, Any], data: dict[str, np.ndarray], epochs: int):
        self.data, self.epochs = data, epochs
        self._runs = BoundedCache(2 * len(SCALES))  # every setting: 32 runs of a few kB
        # With batch normalization every scale is trained now, in stacks (the slow half);
        # without it, a scale is trained the first time it is shown (see _run).
        for start in range(0, len(SCALES), STACK_SIZE):
            chunk = SCALES[start : start + STACK_SIZE]
            for run in train_scales(data, chunk, True, epochs=epochs):
                self._runs.put((run.weight_scale, True), run)
        labels = [_scale_text(s) for s in SCALES]
        controls = {
            "weight_scale": widgets.SelectionSlider(
                options=list(zip(labels, SCALES, strict=True)),
                index=SCALES.index(settings["weight_scale"]),
                description="weight scale (std)", style=SLIDER_STYLE, layout=SLIDER_LAYOUT,
            ),
            "batch_norm": widgets.ToggleButtons(
                options=[("on", True), ("off", False)], value=settings["batch_norm"],
                description="batch normalization", style=SLIDER_STYLE,
            ),
        }  # fmt: skip
        super().__init__(controls, figsize=(9.4, 3.6))

    def build(self) -> None:
        self.figure.set_layout_engine("none")
        lx = self.figure.add_axes((0.075, 0.3, 0.38, 0.6))
        sx = self.figure.add_axes((0.6, 0.3, 0.38, 0.6))
        log_loss_axis(lx, (0.5, self.epochs + 0.5), LOSS_RANGE, "training loss (log scale)")
        lx.set_xticks([1, *range(5, self.epochs + 1, 5)] if self.epochs >= 5 else [1])
        epochs = np.arange(1, self.epochs + 1)
        self.loss_lines = {
            flag: self.animate(lx.plot(epochs, np.ones(self.epochs), color=PALETTE[i])[0])
            for i, flag in enumerate((True, False))
        }
        lx.legend(handles=[Line2D([], [], color=PALETTE[0], lw=2, label="with batch norm"),
                           Line2D([], [], color=PALETTE[1], lw=2, label="without")],
                  loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, fontsize=8,
                  frameon=False)  # fmt: skip
        self.loss_title = self.overlay(lx.set_title(" ", fontsize=10))

        layers = np.arange(1, HIDDEN + 1)
        sx.set(xlim=(0.7, HIDDEN + 0.3), ylim=SPREAD_RANGE, yscale="log", xlabel="hidden layer",
               ylabel="std of the layer's output", xticks=layers)  # fmt: skip
        sx.grid(alpha=0.3)
        self.before_line = self.animate(sx.plot(layers, np.ones(HIDDEN), ls=":", marker="o")[0])
        self.after_line = self.animate(sx.plot(layers, np.ones(HIDDEN), ls="-", marker="s")[0])
        sx.legend(handles=[Line2D([], [], color="0.3", ls=":", marker="o", label="before training"),
                           Line2D([], [], color="0.3", marker="s", label="after training")],
                  loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, fontsize=8,
                  frameon=False)  # fmt: skip
        self.spread_title = self.overlay(sx.set_title(" ", fontsize=10))

    def _run(self, scale: float, batch_norm: bool) -> ScaleRun:
        return self._runs.get_or_make(
            (scale, batch_norm),
            lambda: train_from_scale(self.data, scale, batch_norm, epochs=self.epochs),
        )

    def update(self, values: dict[str, Any]) -> bool:
        scale, chosen = values["weight_scale"], bool(values["batch_norm"])
        runs = {flag: self._run(scale, flag) for flag in (True, False)}
        self.run, self.other = runs[chosen], runs[not chosen]
        for flag, line in self.loss_lines.items():
            line.set_ydata(np.clip(runs[flag].loss, *LOSS_RANGE))
            line.set_linewidth(2.6 if flag == chosen else 1.2)
            line.set_alpha(1.0 if flag == chosen else 0.5)
            line.set_zorder(3 if flag == chosen else 2)
        color = PALETTE[0] if chosen else PALETTE[1]
        for line, spread in ((self.before_line, self.run.spread_before),
                             (self.after_line, self.run.spread_after)):  # fmt: skip
            line.set_ydata(np.clip(spread, *SPREAD_RANGE))
            line.set_color(color)

        def accuracy(run: ScaleRun) -> str:
            return "diverged" if run.diverged else f"{run.accuracy:.0%}"

        self.loss_title.set_text(
            f"training loss; final accuracy with BN {accuracy(runs[True])} · "
            f"without {accuracy(runs[False])}"
        )
        which = "with" if chosen else "without"
        self.spread_title.set_text(f"spread per layer, {which} batch norm")
        return False


def batchnorm_explorer(
    weight_scale: float = SCALES[8], batch_norm: bool = True, *, n_train: int = 500,
    epochs: int = EPOCHS,
) -> BatchNormExplorer:  # fmt: skip
    """A deep network trained from a chosen starting scale, with and without batch
    normalization. Chapter 11.

    ``weight_scale`` is one of ``SCALES`` (16 values from 1 down to 1e-4; default 0.0074, a
    scale from which only batch normalization learns); ``batch_norm`` picks the setting drawn
    bold. The network (``MLP([64, 50, 50, 50, 50, 50, 10])``, ReLU) trains with SGD(0.05) in
    batches of 100 on ``n_train`` (100–1257) standardized digits for ``epochs`` (1–50)
    epochs, seeded. Controls: ``"weight_scale"`` (a ``SelectionSlider`` over ``SCALES``,
    labelled "1" … "0.0001") and ``"batch_norm"`` (``ToggleButtons``: "on" is True, "off"
    False). The build trains the network with batch normalization from every scale (about
    1 s in all); the plain network is trained the first time its scale is shown (40 ms).
    """
    number = not isinstance(weight_scale, bool) and isinstance(weight_scale, (int, float))
    matches = [s for s in SCALES if number and math.isclose(weight_scale, s, rel_tol=1e-6)]
    if not matches:
        listed = ", ".join(map(_scale_text, SCALES))
        raise ValueError(f"weight_scale must be one of the slider's settings {listed}; "
                         f"got {weight_scale!r}")  # fmt: skip
    if not isinstance(batch_norm, (bool, np.bool_)):
        raise TypeError(f"batch_norm must be True or False, got {batch_norm!r}")
    n_train = check_int(n_train, 100, 1257, "n_train")
    epochs = check_int(epochs, 1, 50, "epochs")
    settings = {"weight_scale": matches[0], "batch_norm": bool(batch_norm)}
    return BatchNormExplorer(settings, batchnorm_data(n_train), epochs)
