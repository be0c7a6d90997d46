"""``batch_size_explorer``: mini-batch SGD on a small MLP, batch size 1 to the whole set (Ch. 07).

Two sliders, the batch size and the learning rate, and three views of the same training run:
the loss against epochs (a fair comparison of passes over the data), the loss against
iterations (a fair comparison of updates) and the decision regions the network ends with.

Training on every slider move would be too slow for a slider (10 epochs at batch size 1 are
2000 updates, ~0.4 s with :func:`nbtext.training.fit` on a slow machine), so the explorer
trains once, when it is built, for every batch size on the slider and every step of the
learning-rate slider: for each batch size, :func:`nbtext.training.fit_stack` trains a stack
of identical networks, one per learning rate (``MLP.stack`` and ``SGD`` with one rate per
copy), which is what ``fit(MLP(sizes, activation, seed=seed), X, y, SGD(lr), epochs,
batch_size, seed=seed)`` does for each rate, at about the cost of one run. A slider move
then only redraws. The time per epoch shown is measured with ``fit`` itself.

A run counts as diverged once a mini-batch loss passes ``BLOWUP`` (``max_loss``; softmax
cross-entropy computed with log-sum-exp may never reach inf), and its curve stops there.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.ticker import NullLocator

from nbtext.datasets import make_dataset
from nbtext.network import MLP
from nbtext.optimizers import SGD
from nbtext.plots import MARKERS, PALETTE, grid_over, tint
from nbtext.training import StackHistory, fit, fit_stack
from nbtext.widgets._explorer import (
    SLIDER_LAYOUT,
    SLIDER_STYLE,
    BoundedCache,
    Explorer,
    log_slider,
)

BLOWUP = 100.0
"""A run counts as diverged once a mini-batch loss passes this (or becomes inf/NaN).

Chance level for two classes is ln 2 ≈ 0.69; a loss of 100 means the network gives the right
class a probability of about e^-100: its weights have blown up."""

LR_STEP = 0.25
"""The learning-rate slider moves in quarter decades, steps of 10^0.25 (1, 1.78, 3.16, 5.62, 10,
…): every step is trained when the explorer is built, so fewer steps build faster."""

_GRID = 60  # decision regions are drawn from a _GRID × _GRID grid of predictions
_MAX_WORK = 20_000  # n × epochs: at batch size 1, the updates every learning rate needs
_Y_LIMITS = (1e-2, 3 * BLOWUP)
_FONTSIZE = 10
_COLUMNS = 250  # about the width of a loss panel in pixels
_TOP = 0.98  # figure fraction where the status lines start: matplotlib's suptitle position


def _envelope(x: np.ndarray, y: np.ndarray, lo: float, hi: float, *, log: bool = False) -> Any:
    """``(x, y)`` thinned to the lowest and highest y of each of ``_COLUMNS`` columns over
    ``lo`` … ``hi`` (log-spaced if ``log``): a long noisy curve draws the same band of pixels
    from a few hundred points instead of thousands, several times faster."""
    if len(x) <= 2 * _COLUMNS:
        return x, y
    pos = np.log10(x) if log else x
    lo, hi = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
    column = ((pos - lo) * (_COLUMNS / (hi - lo))).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    xs = np.repeat(x[starts], 2)
    ys = np.column_stack([np.maximum.reduceat(y, starts), np.minimum.reduceat(y, starts)])
    return xs, ys.reshape(-1)


@dataclass(frozen=True, eq=False)
class Trained:
    """One batch size, every learning rate (copy k has ``learning_rates[k]``).

    ``history``: what :func:`nbtext.training.fit_stack` recorded (``loss`` ``(T, K)``,
    ``epoch_loss`` ``(epochs, K)``, ``diverged_at``); ``accuracy``: ``(K,)`` on the training
    set after the last epoch; ``regions``: ``(K, G, G)`` predicted labels on a grid over the
    data (2-D inputs only).
    """

    history: StackHistory
    accuracy: np.ndarray
    regions: np.ndarray | None


def train_every_rate(
    X: np.ndarray,
    y: np.ndarray,
    sizes: list[int],
    activation: str,
    batch_size: int,
    learning_rates: np.ndarray,
    epochs: int,
    seed: int,
    grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Trained:
    """Mini-batch SGD with every learning rate at once, one copy of the network per rate."""
    stack = MLP(sizes, activation, output="softmax", seed=seed).stack(len(learning_rates))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # divergence is shown, not warned about
        history = fit_stack(stack, X, y, SGD(learning_rates), epochs, batch_size, seed=seed,
                            max_loss=BLOWUP)  # fmt: skip
    with np.errstate(all="ignore"):  # the diverged copies' weights are inf or NaN
        accuracy = stack.accuracy(X, y)
        regions = None
        if grid is not None:
            xx, _, points = grid
            regions = stack.predict(points).astype(np.uint8).reshape(-1, *xx.shape)
    return Trained(history, accuracy, regions)


def fit_epoch_seconds(
    X: np.ndarray, y: np.ndarray, sizes: list[int], activation: str, batch_size: int, seed: int
) -> float:
    """Seconds per epoch of ``nbtext.training.fit`` at this batch size, on this machine.

    The fastest of two epochs (the first pays for warming up). Wall time varies from run to
    run and machine to machine; the ratio between batch sizes is the lesson.
    """
    model = MLP(sizes, activation, output="softmax", seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = fit(model, X, y, SGD(1e-3), 2, batch_size, seed=seed)
    return min(history.epoch_time)


def batch_size_options(n: int, extra: int | None = None) -> list[int]:
    """Powers of two below ``n``, then ``n`` itself (full batch); plus ``extra`` if given."""
    options = {2**k for k in range(max(1, n.bit_length())) if 2**k < n} | {n}
    if extra is not None:
        options.add(int(extra))
    return sorted(options)


def _batch_label(batch_size: int, n: int) -> str:
    if batch_size == 1:
        return "1 (SGD)"
    if batch_size >= n:
        return f"{batch_size} (full batch)"
    return str(batch_size)


_TABLES = BoundedCache(4)
"""Trained tables by configuration, so building the same explorer twice trains once."""


def _train_table(
    X: np.ndarray,
    y: np.ndarray,
    sizes: list[int],
    activation: str,
    batch_sizes: list[int],
    learning_rates: np.ndarray,
    epochs: int,
    seed: int,
    grid: Any,
    timed: bool = True,
) -> tuple[dict[int, Trained], dict[int, float]]:
    """Every batch size and learning rate trained; seconds per epoch only when ``timed``."""
    digest = hashlib.sha1(X.tobytes() + y.tobytes()).hexdigest()
    key = (digest, X.shape, tuple(sizes), activation, tuple(batch_sizes),
           learning_rates.tobytes(), epochs, seed, grid is not None, timed)  # fmt: skip

    def train() -> tuple[dict[int, Trained], dict[int, float]]:
        table = {
            b: train_every_rate(X, y, sizes, activation, b, learning_rates, epochs, seed, grid)
            for b in batch_sizes
        }
        seconds = (
            {b: fit_epoch_seconds(X, y, sizes, activation, b, seed) for b in batch_sizes}
            if timed
            else {}
        )
        return table, seconds

    return _TABLES.get_or_make(key, train)


def _format_seconds(seconds: float) -> str:
    return f"{seconds * 1000:.2g} ms" if seconds < 1 else f"{seconds:.2g} s"


class BatchSizeExplorer(Explorer):
    """Loss per iteration and per epoch, and the decision regions, for any batch size.

    ``learning_rates`` holds every step of the learning-rate slider (and the starting value);
    a value set from code between two steps uses the nearest one, and the figure says which.
    """

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        title: str,
        sizes: list[int],
        activation: str,
        learning_rate: float,
        batch_size: int,
        epochs: int,
        seed: int,
        show_time: bool,
    ) -> None:
        self.X, self.y, self.n, self.epochs = X, y, X.shape[0], epochs
        self.dataset_title, self.sizes, self.show_time = title, sizes, show_time
        low = min(-2.5, math.floor(math.log10(learning_rate)))
        high = max(1.5, math.ceil(math.log10(learning_rate)))
        steps = round((high - low) / LR_STEP)
        rates = 10.0 ** (low + LR_STEP * np.arange(steps + 1))
        self.learning_rates = np.unique(np.append(rates, learning_rate))  # sorted
        self._log_rates = np.log10(self.learning_rates)
        self.batch_sizes = batch_size_options(self.n, batch_size)
        self._grid = grid_over(X, _GRID, margin=0.4) if X.shape[1] == 2 else None
        self.table, self.epoch_seconds = _train_table(
            X, y, sizes, activation, self.batch_sizes, self.learning_rates, epochs, seed,
            self._grid, timed=show_time,
        )  # fmt: skip
        controls = {
            "batch_size": widgets.SelectionSlider(
                options=[(_batch_label(b, self.n), b) for b in self.batch_sizes],
                value=batch_size, description="batch size", style=SLIDER_STYLE,
                layout=SLIDER_LAYOUT,
            ),
            "learning_rate": log_slider("learning rate α", learning_rate, low, high, LR_STEP),
        }  # fmt: skip
        regions = self._grid is not None
        super().__init__(controls, figsize=(11.5, 3.8) if regions else (8.5, 3.8))

    # ---------------------------------------------------------------- build --
    def build(self) -> None:
        regions = self._grid is not None
        # Fixed margins (in inches, so both widths get the same room for the y labels) instead
        # of constrained layout, whose first pass over these log axes took ~0.6 s; the labels
        # and titles are the same for every data set, so one set of margins fits all.
        width = self.figure.get_figwidth()
        self.figure.set_layout_engine("none")
        axes = self.figure.subplots(
            1, 3 if regions else 2, width_ratios=[1.1, 1.1, 0.9] if regions else [1, 1],
            gridspec_kw={"left": 0.68 / width, "right": 1 - 0.05 / width, "bottom": 0.135,
                         "top": 0.82, "wspace": 0.25},
        )  # fmt: skip
        self.ax_epoch, self.ax_iter = axes[0], axes[1]
        total = self.n * self.epochs
        for ax in (self.ax_epoch, self.ax_iter):
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())  # minor log ticks cost ~0.5 s to build
            ax.set_ylim(*_Y_LIMITS)
            ax.axhline(BLOWUP, color="0.6", lw=0.8, ls=":")
            ax.grid(alpha=0.3, which="major")
            ax.set_ylabel("cross-entropy loss")
        self.ax_epoch.set(xlim=(0, self.epochs), xlabel="epoch (one pass over the data)",
                          title="loss against epochs")  # fmt: skip
        self.ax_iter.set_xscale("log")
        self.ax_iter.xaxis.set_minor_locator(NullLocator())
        self.ax_iter.set(xlim=(0.8, total * 1.25), xlabel="iteration (one update), log scale",
                         title="loss against iterations")  # fmt: skip
        self.ax_iter.text(1.0, BLOWUP * 1.15, "diverged above", fontsize=8, color="0.4")
        self.iter_lines, self.epoch_marks = [], []
        for ax in (self.ax_epoch, self.ax_iter):
            line = ax.plot([], [], color=PALETTE[5], lw=0.8,
                           label="loss of one mini-batch (iteration)")[0]  # fmt: skip
            marks = ax.plot([], [], "o", color=PALETTE[1], ms=5, mec="black", mew=0.6,
                            label="mean loss over an epoch")[0]  # fmt: skip
            self.iter_lines.append(self.animate(line))
            self.epoch_marks.append(self.animate(marks))
        # Static, so animated curves may cover it: it sits where only diverging runs go.
        self.ax_epoch.legend(loc="upper right", fontsize=8, framealpha=0.9)
        # Two status lines. The first depends on the batch size only: an overlay, whose few
        # states are cached as pixels. The second changes with every move: animated, and short,
        # because drawing text is the slowest part of a redraw.
        self.status = self.overlay(self.figure.suptitle("\n", fontsize=_FONTSIZE))
        line = _FONTSIZE * 1.2 / 72 / self.figure.get_figheight()  # one line, figure fraction
        self.result = self.animate(
            self.figure.text(0.5, _TOP - line, "", ha="center", va="top", fontsize=_FONTSIZE)
        )
        if regions:
            self._build_regions(axes[2])

    def _build_regions(self, ax: Any) -> None:
        xx, yy, _ = self._grid
        n_classes = self.sizes[-1]
        cmap = ListedColormap([tint(PALETTE[k % len(PALETTE)], 0.7) for k in range(n_classes)])
        self.region_image = self.animate(
            ax.imshow(np.zeros(xx.shape), origin="lower", cmap=cmap, vmin=-0.5,
                      vmax=n_classes - 0.5, interpolation="nearest", aspect="auto",
                      extent=(xx.min(), xx.max(), yy.min(), yy.max()))
        )  # fmt: skip
        for k in range(n_classes):
            pts = self.X[self.y == k]
            # Animated, to be drawn over the regions; markers of a Line2D draw fastest.
            self.animate(
                ax.plot(pts[:, 0], pts[:, 1], ls="none", ms=4, color=PALETTE[k % len(PALETTE)],
                        marker=MARKERS[k % len(MARKERS)], mec="white", mew=0.4, zorder=3)[0]
            )  # fmt: skip
        ax.set(xlim=(xx.min(), xx.max()), ylim=(yy.min(), yy.max()), xlabel="$x_1$",
               ylabel="$x_2$")  # fmt: skip
        ax.set_title(f"decision regions after training: {self.dataset_title}")
        ax.title.set_fontsize(_FONTSIZE)
        self.region_note = self.animate(
            ax.text(0.5, 0.5, "diverged:\nno trained network", transform=ax.transAxes,
                    ha="center", va="center", fontsize=11, color=PALETTE[3], weight="bold",
                    bbox={"facecolor": "white", "edgecolor": PALETTE[3], "alpha": 0.9})
        )  # fmt: skip

    # --------------------------------------------------------------- update --
    def nearest_rate(self, learning_rate: float) -> tuple[int, float]:
        """Column of ``learning_rates`` nearest to ``learning_rate`` (on a log scale), and it."""
        k = int(np.argmin(np.abs(self._log_rates - math.log10(learning_rate))))
        return k, float(self.learning_rates[k])

    def update(self, values: dict[str, Any]) -> bool:
        batch = int(values["batch_size"])
        k, lr = self.nearest_rate(values["learning_rate"])
        trained = self.table[batch]
        curves = trained.history
        per_epoch = curves.iterations_per_epoch
        diverged = curves.diverged_at[k] or 0
        shown = diverged if diverged else curves.loss.shape[0]
        loss = np.clip(curves.loss[:shown, k], _Y_LIMITS[0], _Y_LIMITS[1])
        loss = np.where(np.isfinite(curves.loss[:shown, k]), loss, _Y_LIMITS[1])
        iterations = np.arange(1, shown + 1)
        # Epochs finished before the run blew up (as fit records them: not the one it blew up in).
        epochs_done = (shown - 1 if diverged else shown) // per_epoch
        ends = np.arange(1, epochs_done + 1)
        epoch_loss = curves.epoch_loss[:epochs_done, k]
        self.iter_lines[0].set_data(*_envelope(iterations / per_epoch, loss, 0, self.epochs))
        self.iter_lines[1].set_data(
            *_envelope(iterations, loss, *self.ax_iter.get_xlim(), log=True)
        )
        self.epoch_marks[0].set_data(ends, epoch_loss)
        self.epoch_marks[1].set_data(ends * per_epoch, epoch_loss)
        self.last = {"trained": trained, "column": k, "learning_rate": lr}

        last = self.n - (per_epoch - 1) * batch
        # ⌈n / B⌉ rounds up; the quotient is shown too, so the rounding reads plainly.
        quotient = "" if self.n % batch == 0 else f" = ⌈{self.n / batch:.4g}⌉"
        first = (
            f"batch size {batch}: ⌈{self.n} / {batch}⌉{quotient} = {per_epoch} iteration"
            f"{'s' if per_epoch > 1 else ''} per epoch"
            + (f" (the last batch has {last})" if last != batch else "")
            + f", {curves.loss.shape[0]} in {self.epochs} epochs"
        )
        if self.show_time:
            first += (
                f"  ·  fit takes {_format_seconds(self.epoch_seconds[batch])} per epoch "
                "here (measured once; varies)"
            )
        # Kept short: this line is redrawn on every move, and text is slow to draw.
        exact = abs(math.log10(values["learning_rate"]) - self._log_rates[k]) < 1e-6
        rate = f"α = {lr:.3g}" + ("" if exact else " (nearest slider step)")
        if diverged:
            s = "s" if diverged > 1 else ""
            second = f"{rate}: diverged after {diverged} iteration{s} (loss above {BLOWUP:g})"
        else:
            loss, accuracy = curves.epoch_loss[-1, k], trained.accuracy[k]
            second = f"{rate}: final loss {loss:.3f}, accuracy {accuracy:.0%}"
        self.status.set_text(f"{first}\n")
        self.result.set_text(second)
        self.result.set_color(PALETTE[3] if diverged else "black")
        if self._grid is not None:
            self.region_image.set_data(trained.regions[k])
            self.region_image.set_visible(not diverged)
            self.region_note.set_visible(bool(diverged))
        return False


def batch_size_explorer(
    dataset: str | tuple[Any, Any] = "moons",
    *,
    n: int = 200,
    noise: float | None = 0.2,
    hidden: int | list[int] | tuple[int, ...] = 16,
    activation: str = "relu",
    learning_rate: float = 0.1,
    batch_size: int = 32,
    epochs: int = 10,
    seed: int = 0,
    show_time: bool = True,
) -> BatchSizeExplorer:
    """Mini-batch SGD with a batch-size and a learning-rate slider. Chapter 07.

    Trains ``MLP([D, *hidden, C], activation, output="softmax", seed=seed)`` with
    ``SGD(learning_rate)`` for ``epochs`` epochs on ``dataset``: a name from
    ``nbtext.datasets.DATASETS`` (``n`` samples with ``noise``, seeded) or your own
    ``(X, y)`` with ``X`` ``(n, D)`` and integer labels ``y`` ``(n,)``; decision regions are
    drawn when D = 2. Controls: ``"batch_size"`` (powers of two below n, then n: 1 is SGD, n
    is full-batch gradient descent; ``.value`` is an int) and ``"learning_rate"``.

    Everything is trained when the explorer is built (about a second for 200 samples and
    10 epochs, growing with n × epochs, which may be at most 20 000); moving a slider only
    redraws. ``show_time=False`` hides the measured time per epoch, the one thing that
    differs from run to run.
    """
    if isinstance(dataset, str):
        X, y = make_dataset(dataset, n=n, noise=noise, seed=seed)
        title = dataset.strip().lower()
    elif isinstance(dataset, tuple) and len(dataset) == 2:
        X, y = dataset
        title = "your data"
    else:
        kind = type(dataset).__name__
        raise TypeError(f"dataset must be a name such as 'moons' or a tuple (X, y), got {kind}")
    hidden_sizes = [hidden] if isinstance(hidden, (int, np.integer)) else list(hidden)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y) or len(y) < 2:
        raise ValueError(
            f"dataset must be X of shape (n, D) and labels y of shape (n,), n >= 2; "
            f"got shapes {X.shape} and {y.shape}"
        )
    classes = int(np.max(y)) + 1 if y.size else 0
    sizes = [X.shape[1], *hidden_sizes, max(2, classes)]
    probe = MLP(sizes, activation, output="softmax", seed=seed)  # checks sizes and activation
    X, y = probe.check_data(X, y)
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    if batch_size > len(y):
        raise ValueError(f"batch_size must be at most the {len(y)} samples, got {batch_size}")
    if len(y) * epochs > _MAX_WORK:
        raise ValueError(
            f"n × epochs = {len(y)} × {epochs} is above {_MAX_WORK}: training every batch size "
            "and learning rate up front would take too long; use fewer samples or epochs"
        )
    if not (isinstance(learning_rate, (int, float)) and 0 < learning_rate < math.inf):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    return BatchSizeExplorer(
        X, y, title=title, sizes=sizes, activation=probe.activation,
        learning_rate=float(learning_rate), batch_size=int(batch_size), epochs=int(epochs),
        seed=seed, show_time=show_time,
    )  # fmt: skip
