"""``playground``: train a small network on a 2-D dataset and watch its boundary form (Ch. 08).

A TensorFlow-Playground-like explorer. The left panel shades the plane by the network's
P(class 1), with the training points filled and the test points hollow; the right panel
shows the training and test loss after every epoch, with a marker at the epoch shown, on a
fixed log axis from 0.001 to 100 (losses outside that range run along its edge), so that
both a loss of 0.01 and the losses far above 1 that a too-large learning rate produces
are seen. Changing a training control shows the new run's last epoch; the "show epoch"
slider then scrubs back through it.

Speed: training is the expensive part, so a *training* control (dataset, noise,
activation, layers, units, learning rate, batch size, epochs) trains a run once and keeps
the network's weights after every epoch (a few hundred numbers each). Scrubbing the
"show epoch" slider, or pressing play, then only computes one 60 × 60 heat map from the
stored weights (cached) and blits it, with no training. Runs are kept in a small
least-recently-used cache keyed by the training settings, so returning to a setting is
instant; "epochs" is not part of the key, because a longer run of the same settings
starts with the shorter one: lowering it slices a stored run, raising it continues
training where the run stopped (same iterates as one long run, since the shuffling
generator and the optimizer's state are kept).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import FixedLocator, FormatStrFormatter, NullLocator

from nbtext.datasets import DATASETS, make_dataset, train_test_split
from nbtext.network import MLP
from nbtext.optimizers import Momentum
from nbtext.plots import MARKERS, PALETTE, tint
from nbtext.training import fit, iterations_per_epoch
from nbtext.widgets._explorer import (
    SLIDER_STYLE,
    BoundedCache,
    Explorer,
    check_choice,
    check_range,
    dropdown,
    float_slider,
    int_slider,
    log_slider,
)

DATASET_NAMES: tuple[str, ...] = tuple(DATASETS)
"""The datasets the playground offers: xor, circles, moons, spirals, blobs."""

ACTIVATION_NAMES: tuple[str, ...] = ("relu", "tanh", "sigmoid", "leaky_relu", "elu")
"""Hidden-layer activations the playground offers."""

N_POINTS = 200
"""Points per dataset; half train the network, half test it (Playground's default ratio)."""

TEST_FRACTION = 0.5
GRID = 60
"""The heat map is GRID × GRID network outputs, drawn as flat cells (quick to encode)."""

MAX_EPOCHS = 100
MOMENTUM = 0.9
RUN_CACHE_SIZE = 16
"""Training runs kept: weights per epoch (kilobytes) and the heat maps shown (14 kB each)."""

VIEW: tuple[float, float] = (-2.4, 2.4)
"""Both axes of the plane shown, for every dataset and noise level: one fixed frame, as in
TensorFlow Playground, so that changing the dataset never redraws the axes."""

_OPTIONS: dict[str, dict[str, Any]] = {
    "blobs": {"centers": np.array([[-1.0, -1.0], [1.0, 1.0]])},
}
"""Generator options that bring a dataset into the frame (blobs default to centers at ±2)."""

_SHIFT: dict[str, np.ndarray] = {"moons": np.array([0.5, 0.25])}
"""Subtracted from a dataset's points to center it on the origin (the moons span x in
[-1, 2], y in [-0.5, 1])."""

LOSS_RANGE: tuple[float, float] = (1e-3, 1e2)
"""The loss panel's fixed log axis. Losses outside it are drawn on its edge (clipped)."""

_TITLE = "loss after each epoch"
_RISE = 1.1
"""A training loss this many times its starting value counts as unstable (too large a step)."""


PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "playground_blue_orange",
    [tint(PALETTE[0], 0.55), (1.0, 1.0, 1.0), tint(PALETTE[1], 0.55)],
)
"""Okabe–Ito blue (class 0) through white (P = 0.5, the boundary) to orange (class 1):
a two-color diverging map that stays distinct under the common color blindnesses."""


def probability_image(
    ax: Any,
    extent: tuple[float, float, float, float],
    grid: int = GRID,
    *,
    cax: Any = None,
    fraction: float = 0.06,
    pad: float = 0.03,
) -> Any:
    """Shade ``ax`` by a classifier's P(class 1): a ``grid × grid`` image over ``extent``
    (x0, x1, y0, y1) in ``PROBABILITY_CMAP``, 0.5 everywhere to begin with, and a colour bar
    "P(class 1)" marked 0, 0.5, 1 in ``cax``, or beside ``ax`` (``fraction``, ``pad``: its
    width and gap). Returns the image, for the caller to animate and fill. The playground's
    and Chapter 10's maps."""
    # "nearest": flat cells keep the PNG small and quick to encode (bilinear costs 2x).
    image = ax.imshow(np.full((grid, grid), 0.5), origin="lower", cmap=PROBABILITY_CMAP,
                      vmin=0.0, vmax=1.0, interpolation="nearest", aspect="auto",
                      extent=extent)  # fmt: skip
    colorbar = ax.figure.colorbar(image, ax=ax, cax=cax, fraction=fraction, pad=pad)
    colorbar.set_ticks([0.0, 0.5, 1.0], labels=["0", "0.5", "1"])
    colorbar.set_label("P(class 1)")
    return image


def log_loss_axis(
    ax: Any, xlim: tuple[float, float], ylim: tuple[float, float], ylabel: str
) -> None:
    """Fixed ranges for a loss per epoch on a log scale: ticks at the powers of ten within
    ``ylim``, written as plain numbers (0.01, 1, 10), no minor ticks, a light grid. Fixed, so
    that runs compare at a glance and a new run never redraws the axes."""
    ax.set(xlim=xlim, ylim=ylim, yscale="log", xlabel="epoch", ylabel=ylabel)
    low, high = math.ceil(math.log10(ylim[0])), math.floor(math.log10(ylim[1]))
    ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(low, high + 1)))
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.grid(alpha=0.3)


def playground_data(dataset: str, noise: float, seed: int = 0) -> dict[str, np.ndarray]:
    """The playground's points for ``dataset``: ``N_POINTS`` points centered in ``VIEW``, split
    half and half (stratified) into ``X_train``, ``y_train``, ``X_test``, ``y_test``."""
    X, y = make_dataset(dataset, n=N_POINTS, noise=noise, seed=seed, **_OPTIONS.get(dataset, {}))
    X = X - _SHIFT.get(dataset, 0.0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, TEST_FRACTION, seed=seed)
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test}


def _grid_points() -> np.ndarray:
    """The heat map's sample points ``(GRID², 2)`` over ``VIEW``, row by row from the bottom."""
    axis = np.linspace(*VIEW, GRID)
    xx, yy = np.meshgrid(axis, axis)
    return np.column_stack([xx.ravel(), yy.ravel()])


_GRID_POINTS = _grid_points()


class Run:
    """One training run: the weights after every epoch, and the curves they give.

    ``train_loss``, ``test_loss``, ``train_accuracy``, ``test_accuracy`` have one entry per
    stored epoch, index 0 being the untrained network; losses are measured on the whole
    set after the epoch (not averaged over its mini-batches). ``diverged_at`` is the
    iteration whose loss became inf/NaN (training stopped there), else None;
    ``diverged_epoch`` the epoch it fell in.
    """

    def __init__(self, data: dict[str, Any], settings: dict[str, Any], seed: int) -> None:
        self.data = data
        self.settings = settings
        sizes = [2] + [settings["units"]] * settings["hidden_layers"] + [1]
        self.model = MLP(sizes, settings["activation"], output="sigmoid", seed=seed)
        self.optimizer = Momentum(settings["learning_rate"], momentum=MOMENTUM)
        self.rng = np.random.default_rng(seed)
        self.per_epoch = iterations_per_epoch(len(data["y_train"]), settings["batch_size"])
        self.diverged_at: int | None = None
        self._snapshots: list[dict[str, np.ndarray]] = []
        self._maps = BoundedCache(MAX_EPOCHS + 1)
        self.train_loss = self.test_loss = np.zeros(0)
        self.train_accuracy = self.test_accuracy = np.zeros(0)
        self._keep(0, None)
        self._measure()  # epoch 0 only: cheap, and a run has its curves from the start

    @property
    def epochs_trained(self) -> int:
        """Epochs whose weights are stored (the last finite one if training diverged)."""
        return len(self._snapshots) - 1

    @property
    def diverged_epoch(self) -> int | None:
        """The epoch (from 1) in which training diverged, else None."""
        return None if self.diverged_at is None else (self.diverged_at - 1) // self.per_epoch + 1

    def _keep(self, _epoch: int, _history: Any) -> None:
        self._snapshots.append({k: p.copy() for k, p in self.model.params.items()})

    def train_to(self, epochs: int) -> None:
        """Continue training until ``epochs`` epochs are stored (or training diverged)."""
        more = epochs - self.epochs_trained
        if more <= 0 or self.diverged_at is not None:
            return
        before = self.epochs_trained
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.filterwarnings("ignore", message="training diverged", category=UserWarning)
            history = fit(self.model, self.data["X_train"], self.data["y_train"],
                          self.optimizer, more, self.settings["batch_size"], rng=self.rng,
                          on_epoch_end=self._keep)  # fmt: skip
        if history.diverged_at is not None:
            self.diverged_at = before * self.per_epoch + history.diverged_at
        self._measure()

    def _measure(self) -> None:
        """Loss and accuracy on both sets for every stored epoch: one stack of networks, one
        per epoch, evaluated in one pass."""
        every_epoch = self.model.stack(self._snapshots)
        with np.errstate(all="ignore"):
            for part in ("train", "test"):
                X, y = self.data[f"X_{part}"], self.data[f"y_{part}"]
                loss = every_epoch.loss(X, y)
                setattr(self, f"{part}_loss", np.where(np.isfinite(loss), loss, np.nan))
                setattr(self, f"{part}_accuracy", every_epoch.accuracy(X, y))

    def probability_map(self, epoch: int) -> np.ndarray:
        """P(class 1) on the grid over ``VIEW`` after ``epoch`` (at most the last stored one),
        ``(GRID, GRID)`` float32, row 0 at the bottom."""
        epoch = min(epoch, self.epochs_trained)

        def compute() -> np.ndarray:
            with np.errstate(all="ignore"):
                p = self.model.stack([self._snapshots[epoch]]).predict_proba(_GRID_POINTS)[0]
            # An undefined output (weights blown up to inf) is shown as undecided, white.
            return np.nan_to_num(p, nan=0.5).reshape(GRID, GRID).astype(np.float32)

        return self._maps.get_or_make(epoch, compute)


class Playground(Explorer):
    """Decision-boundary heat map with train/test points, and loss curves per epoch.

    Attributes after every change: ``run`` (the :class:`Run` shown), ``epoch_shown``,
    ``train_accuracy`` and ``test_accuracy`` at that epoch, ``unstable`` (training diverged
    or the loss rose), ``status`` (the loss panel's title, which turns into a warning then),
    ``readout`` (an HTML line beside the epoch slider: the epoch shown and its accuracies),
    and ``play`` (the play button, linked to the ``"epoch"`` slider).
    """

    def __init__(self, settings: dict[str, Any], seed: int) -> None:
        self.seed = seed
        self._runs = BoundedCache(RUN_CACHE_SIZE)  # training settings -> Run
        self._datasets = BoundedCache(RUN_CACHE_SIZE)  # (dataset, noise) -> points
        self._data_shown: dict[str, Any] | None = None
        self._syncing = False
        self._jump_to_end = False
        epochs = settings["epochs"]
        controls = {
            "dataset": dropdown("dataset", list(DATASET_NAMES), settings["dataset"]),
            "noise": float_slider("noise", settings["noise"], 0.0, 0.5, 0.05,
                                  continuous_update=False),
            "activation": dropdown("activation", list(ACTIVATION_NAMES), settings["activation"]),
            "hidden_layers": int_slider("hidden layers", settings["hidden_layers"], 1, 3,
                                        continuous_update=False),
            "units": int_slider("units per layer", settings["units"], 1, 8,
                                continuous_update=False),
            "learning_rate": log_slider("learning rate (momentum 0.9)", settings["learning_rate"],
                                        -3, 1, 0.1, continuous_update=False),
            "batch_size": int_slider("batch size", settings["batch_size"], 10, 100, 5,
                                     continuous_update=False),
            "epochs": int_slider("train for (epochs)", epochs, 5, MAX_EPOCHS, 5,
                                 continuous_update=False),
            "epoch": int_slider("show epoch", epochs, 0, epochs),
        }  # fmt: skip
        self.play = widgets.Play(value=epochs, min=0, max=epochs, step=1, interval=120,
                                 description="play the epochs", style=SLIDER_STYLE)  # fmt: skip
        # Numbers that change with every epoch are drawn by the browser, not the figure:
        # rendering a line of text costs as much as the rest of a frame.
        self.readout = widgets.HTML()
        # Kernel-side links, so that play also works headless (tests, benchmarks).
        widgets.link((self.play, "value"), (controls["epoch"], "value"))
        widgets.link((controls["epoch"], "max"), (self.play, "max"))
        super().__init__(controls, figsize=(9.4, 3.8))

    # ------------------------------------------------------------ layout --
    def _control_rows(self) -> list[widgets.Widget]:
        c = self.controls
        for name in ("noise", "hidden_layers", "units", "batch_size", "epochs"):
            c[name].layout.width = "300px"
        wrap = {"flex_flow": "row wrap"}
        return [
            widgets.HBox([c["dataset"], c["noise"], c["activation"]], layout=wrap),
            widgets.HBox([c["hidden_layers"], c["units"], c["learning_rate"]], layout=wrap),
            widgets.HBox([c["batch_size"], c["epochs"]], layout=wrap),
            widgets.HBox([self.play, c["epoch"], self.readout], layout=wrap),
        ]

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._syncing:  # the explorer moving its own epoch slider is not a new change
            # A training control shows the new run's result, its last epoch; only the
            # "show epoch" slider (or play) shows an earlier one.
            self._jump_to_end = change.get("owner") is not self.controls["epoch"]
            super()._on_change(change)

    # ----------------------------------------------------------- drawing --
    def build(self) -> None:
        self.ax_map, self.ax_loss = self.figure.subplots(1, 2, width_ratios=[1.0, 1.2])
        self.figure.get_layout_engine().set(wspace=0.08)  # the color bar's label needs room
        ax = self.ax_map
        ax.set_box_aspect(1)
        self.heatmap = self.animate(probability_image(ax, (*VIEW, *VIEW)))
        self.train_points, self.test_points = [], []
        for k in (0, 1):
            self.train_points.append(self.animate(
                ax.scatter([], [], s=26, marker=MARKERS[k], color=PALETTE[k], edgecolor="black",
                           linewidth=0.5, label=f"class {k}, train", zorder=3)
            ))  # fmt: skip
        # Test points are hollow: a ring in the class color around a white center, which
        # stands out on either color of the map.
        for k in (0, 1):
            self.test_points.append(self.animate(
                ax.scatter([], [], s=24, marker=MARKERS[k], facecolor="white",
                           edgecolor=PALETTE[k], linewidth=1.4, label=f"class {k}, test",
                           zorder=3)
            ))  # fmt: skip
        ax.set(xlim=VIEW, ylim=VIEW, xlabel="$x_1$", ylabel="$x_2$")
        ax.set_title("the network's P(class 1)", fontsize=10)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=9,
                  frameon=False, handletextpad=0.2, columnspacing=1.0)  # fmt: skip

        lx = self.ax_loss
        # One x range for every run length, so runs compare at a glance and changing
        # "epochs" never redraws the axes.
        # A margin on both sides, so the marker at epoch 0 or 100 is not hidden in the frame.
        # Log scale: a diverging loss (10, 40, ...) and a converged one (0.01) both show.
        log_loss_axis(lx, (-2, MAX_EPOCHS + 2), LOSS_RANGE,
                      "loss (binary cross-entropy, log scale)")  # fmt: skip
        self.train_line = self.animate(lx.plot([], [], color=PALETTE[0], lw=2, label="train")[0])
        self.test_line = self.animate(
            lx.plot([], [], color=PALETTE[3], lw=2, ls="--", label="test")[0]
        )
        self.marker = self.animate(lx.axvline(0, color="0.2", lw=1, ls=":", label="epoch shown"))
        self.dots = self.animate(
            lx.plot([], [], ls="none", marker="o", ms=5, color="black", zorder=4, clip_on=False)[0]
        )
        lx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3, fontsize=9,
                  frameon=False)  # fmt: skip
        # The panel's title turns into a warning when training goes wrong; it is an overlay,
        # redrawn only when its text changes (text is the slowest thing to draw).
        self.status = self.overlay(lx.set_title(_TITLE, fontsize=10))

    def _run(self, values: dict[str, Any]) -> Run:
        settings = {name: values[name] for name in
                    ("dataset", "noise", "activation", "hidden_layers", "units",
                     "learning_rate", "batch_size")}  # fmt: skip
        data = self._datasets.get_or_make(
            (settings["dataset"], settings["noise"]),
            lambda: playground_data(settings["dataset"], settings["noise"], self.seed),
        )
        return self._runs.get_or_make(
            tuple(settings.values()), lambda: Run(data, settings, self.seed)
        )

    def _sync_epoch_slider(self, epochs: int) -> int:
        """Fit the scrubber to 0..epochs; after a training control changed, move it to the
        last epoch (so the result shown is the new run's), else leave it where it is."""
        slider = self.controls["epoch"]
        jump, self._jump_to_end = self._jump_to_end, False
        if slider.max == epochs and (slider.value == epochs or not jump):
            return slider.value
        self._syncing = True
        try:
            slider.max = epochs  # clamps the value if it was beyond
            if jump:
                slider.value = epochs
        finally:
            self._syncing = False
        return slider.value

    def _warning(self, run: Run, epoch: int, shown: int) -> str | None:
        """What went wrong by the epoch shown, if anything."""
        if run.diverged_epoch is not None and epoch >= run.diverged_epoch:
            return f"diverged in epoch {run.diverged_epoch}: lower the learning rate"
        if shown >= 3 and run.train_loss[shown] > _RISE * run.train_loss[0]:
            return "the loss rose: learning rate too large?"
        return None

    def update(self, values: dict[str, Any]) -> bool:
        epochs = values["epochs"]
        run = self._run(values)
        run.train_to(epochs)
        epoch = self._sync_epoch_slider(epochs)
        last = min(epochs, run.epochs_trained)  # earlier than epochs if training diverged
        shown = min(epoch, last)
        self.run, self.epoch_shown = run, shown
        self.train_accuracy = float(run.train_accuracy[shown])
        self.test_accuracy = float(run.test_accuracy[shown])

        self.heatmap.set_data(run.probability_map(shown))
        if run.data is not self._data_shown:
            self._data_shown = data = run.data
            for k in (0, 1):
                self.train_points[k].set_offsets(data["X_train"][data["y_train"] == k])
                self.test_points[k].set_offsets(data["X_test"][data["y_test"] == k])
        xs = np.arange(last + 1)
        train_loss, test_loss = (np.clip(curve[: last + 1], *LOSS_RANGE)  # NaN stays NaN
                                 for curve in (run.train_loss, run.test_loss))  # fmt: skip
        self.train_line.set_data(xs, train_loss)
        self.test_line.set_data(xs, test_loss)
        self.marker.set_xdata([epoch, epoch])
        self.dots.set_data([shown, shown], [train_loss[shown], test_loss[shown]])

        warning = self._warning(run, epoch, shown)
        self.unstable = warning is not None
        self.status.set_text(warning or _TITLE)
        self.status.set_color(PALETTE[3] if warning else "black")
        readout = (
            f"<b>epoch {epoch} of {epochs}</b>: accuracy {self.train_accuracy:.0%} train, "
            f"{self.test_accuracy:.0%} test"
        )
        if warning:
            readout += f' &nbsp;<span style="color:{PALETTE[3]}">{warning}</span>'
        self.readout.value = readout
        return False


def playground(
    dataset: str = "circles",
    *,
    noise: float = 0.1,
    activation: str = "tanh",
    hidden_layers: int = 2,
    units: int = 4,
    learning_rate: float = 0.5,
    batch_size: int = 50,
    epochs: int = 30,
    seed: int = 0,
) -> Playground:
    """Train a small network on a 2-D dataset and watch its decision boundary form. Chapter 08.

    ``dataset`` is one of ``xor, circles, moons, spirals, blobs``; ``activation`` one of
    ``relu, tanh, sigmoid, leaky_relu, elu``. The network has ``hidden_layers`` (1–3)
    layers of ``units`` (1–8) and a sigmoid output; it learns with SGD with momentum 0.9
    (``learning_rate``), mini-batches of ``batch_size`` from the 100 training points, for
    ``epochs`` (5–100) epochs. Controls: ``"dataset"``, ``"noise"``, ``"activation"``,
    ``"hidden_layers"``, ``"units"``, ``"learning_rate"``, ``"batch_size"``, ``"epochs"``,
    and ``"epoch"``, the epoch shown (the ``.play`` button steps it; a change of any other
    control moves it to the new run's last epoch). The loss panel has a fixed log axis,
    ``LOSS_RANGE``. Seeded by ``seed``: the same settings give the same figure.
    """
    settings = {
        "dataset": check_choice(dataset, DATASET_NAMES, "dataset"),
        "noise": float(check_range(noise, 0.0, 0.5, "noise")),
        "activation": check_choice(activation, ACTIVATION_NAMES, "activation"),
        "hidden_layers": int(check_range(hidden_layers, 1, 3, "hidden_layers")),
        "units": int(check_range(units, 1, 8, "units")),
        "learning_rate": float(check_range(learning_rate, 1e-3, 10.0, "learning_rate")),
        "batch_size": int(check_range(batch_size, 10, 100, "batch_size")),
        "epochs": int(check_range(epochs, 5, MAX_EPOCHS, "epochs")),
    }
    return Playground(settings, seed)
