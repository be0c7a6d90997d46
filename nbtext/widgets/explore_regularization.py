"""``regularization_explorer``: weight decay and dropout against overfitting (Chapter 10).

Data: the noisy two moons, ``make_dataset("moons", n=n_train + n_test, noise=0.35)``; the
first ``n_train`` points (60) train the network, the other ``n_test`` (300) test it. Model:
``MLP([2, 32, 32, 1], "relu", output="sigmoid", weight_decay=λ, dropout=p)``, far more
parameters (1185) than training points, trained with Adam(0.02) on the whole training set at
once for 200 epochs (200 updates), so that without regularization it learns the noise.

Left: the plane shaded by the trained network's P(class 1), its boundary (P = 0.5) in
black, the training points filled and the test points small and hollow; the title gives
the accuracy on both sets. Right: the *data* loss (binary cross-entropy, without the
penalty λ/2·‖W‖²) on the training and the test set after every fourth epoch, measured in
evaluation mode (every unit on), on a fixed log axis; a dot marks the epoch with the lowest
test loss, and the title states both losses at the end. Every setting is drawn on the same
axes, so pictures of different settings compare.

Speed: each setting trains one network the first time it is shown (200 updates, about
60 ms on a 2-core machine); the weights kept along the way are then measured at once, as a
stack of networks (``MLP.stack``, about 5 ms). What is drawn (two loss curves, a 60 × 60
map and its boundary) is kept per setting in a ``BoundedCache`` large enough for all 64, so
coming back costs no training.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import contourpy
import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection

from nbtext.datasets import make_dataset
from nbtext.network import MLP
from nbtext.optimizers import Adam
from nbtext.plots import MARKERS, PALETTE
from nbtext.training import fit, gradient_norms
from nbtext.widgets._explorer import (
    SLIDER_LAYOUT,
    SLIDER_STYLE,
    BoundedCache,
    Explorer,
    check_int,
    check_range,
)
from nbtext.widgets.explore_playground import log_loss_axis, probability_image

WEIGHT_DECAYS: tuple[float, ...] = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
"""The weight-decay slider's settings λ: none, then roughly ×3 apart."""

DROPOUTS: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
"""The dropout slider's settings p: the share of hidden units silenced in each update."""

SIZES: tuple[int, ...] = (2, 32, 32, 1)
LEARNING_RATE = 0.02
EPOCHS = 200
"""Full-batch Adam: one update per epoch."""

MEASURE_EVERY = 4
"""The losses are measured after every fourth epoch (51 points a curve, epoch 0 the untrained
network): 4 epochs are 5 pixels of the loss panel, so the curves look as if measured after
every epoch, and measuring them costs ~5 ms instead of ~30 ms for every epoch."""

MEASURED_EPOCHS: np.ndarray = np.arange(0, EPOCHS + 1, MEASURE_EVERY)

STACK_ROWS = 4000
"""Snapshots are measured in stacks of at most STACK_ROWS // N networks for N points, so that
a layer's outputs, K·N rows of 32 numbers, take about 1 MB: three times faster here than one
stack of all 51 on the 300 test points, whose fresh 4-MB arrays are slow to allocate."""

GRID = 60
"""The map shows GRID × GRID network outputs, drawn as flat cells (quick to encode)."""

X_VIEW: tuple[float, float] = (-2.1, 3.1)
Y_VIEW: tuple[float, float] = (-1.5, 2.3)
"""The plane shown, the same for every setting: the moons span x in [-1, 2], y in [-0.5, 1],
and noise 0.35 spreads them by about one unit more."""

LOSS_RANGE: tuple[float, float] = (5e-3, 5.0)
"""The loss panel's fixed log axis: below the lowest training loss (0.017, at λ = 0) and
above the highest test loss (2.04) of the default data; losses beyond it run along its edge."""

CACHE_SIZE = len(WEIGHT_DECAYS) * len(DROPOUTS)
"""Trained settings kept: all 64 (a few tens of kilobytes each)."""


def regularization_data(
    n_train: int = 60, n_test: int = 300, noise: float = 0.35, seed: int = 0
) -> dict[str, np.ndarray]:
    """The explorer's points: ``n_train + n_test`` noisy moons (shuffled by ``make_dataset``),
    the first ``n_train`` as ``X_train`` ``(n_train, 2)``, ``y_train`` ``(n_train,)``, the
    rest as ``X_test``, ``y_test``. Chapter 10."""
    X, y = make_dataset("moons", n=n_train + n_test, noise=noise, seed=seed)
    return {"X_train": X[:n_train], "y_train": y[:n_train],
            "X_test": X[n_train:], "y_test": y[n_train:]}  # fmt: skip


def regularized_network(weight_decay: float, dropout: float, seed: int = 0) -> MLP:
    """The explorer's untrained ``MLP([2, 32, 32, 1])``: ReLU, sigmoid output, penalty λ =
    ``weight_decay``, dropout p = ``dropout`` after each hidden layer; seeded (weights and
    dropout masks). Chapter 10."""
    return MLP(list(SIZES), "relu", output="sigmoid", weight_decay=weight_decay,
               dropout=dropout, seed=seed)  # fmt: skip


def data_loss_stack(snapshots: list[dict[str, np.ndarray]]) -> MLP:
    """K parameter dicts like ``model.params`` as one stack of K networks without weight
    decay or dropout: its ``loss(X, y)`` gives the K *data* losses (binary cross-entropy, no
    penalty, every unit on) at once, ``(K,)``. Chapter 10."""
    return MLP(list(SIZES), "relu", output="sigmoid").stack(snapshots)


def data_losses(snapshots: list[dict[str, np.ndarray]], X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The data loss of each parameter dict in ``snapshots`` on ``X`` ``(N, 2)``, ``y``
    ``(N,)``: ``(len(snapshots),)``, measured by :func:`data_loss_stack` a few at a time.
    Chapter 10."""
    size = max(1, STACK_ROWS // len(y))
    parts = range(0, len(snapshots), size)
    return np.concatenate([data_loss_stack(snapshots[i : i + size]).loss(X, y) for i in parts])


def _grid_points() -> np.ndarray:
    """The map's sample points ``(GRID², 2)`` over the view, row by row from the bottom."""
    xx, yy = np.meshgrid(np.linspace(*X_VIEW, GRID), np.linspace(*Y_VIEW, GRID))
    return np.column_stack([xx.ravel(), yy.ravel()])


_GRID_POINTS = _grid_points()


def probability_map(model: MLP) -> tuple[np.ndarray, list[np.ndarray]]:
    """``model``'s P(class 1) on the grid over the view, ``(GRID, GRID)`` float32 with row 0
    at the bottom, and its decision boundary: the curves where P = 0.5, each ``(n, 2)``."""
    probability = model.predict_proba(_GRID_POINTS).reshape(GRID, GRID)
    xs, ys = np.linspace(*X_VIEW, GRID), np.linspace(*Y_VIEW, GRID)
    boundary = contourpy.contour_generator(xs, ys, probability).lines(0.5)
    return probability.astype(np.float32), list(boundary)


@dataclass(frozen=True)
class RegularizedRun:
    """One trained setting, as the explorer shows it.

    ``train_loss``, ``test_loss``: the data loss after each epoch of ``MEASURED_EPOCHS``
    ``(EPOCHS // MEASURE_EVERY + 1,)``, entry 0 the untrained network; ``train_accuracy``,
    ``test_accuracy``: after the last epoch; ``probability``: P(class 1) on the grid
    ``(GRID, GRID)``, row 0 at the bottom; ``boundary``: the curves where it is 0.5, each
    ``(n, 2)``; ``weight_norm``: ‖W‖, the length of all weight matrices together (the
    biases, which weight decay leaves alone, not counted); ``params``: the trained weights.
    """

    weight_decay: float
    dropout: float
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_accuracy: float
    test_accuracy: float
    probability: np.ndarray
    boundary: list[np.ndarray]
    weight_norm: float
    params: dict[str, np.ndarray]

    @property
    def best_epoch(self) -> int:
        """The epoch measured with the lowest test loss (where early stopping would stop)."""
        return int(MEASURED_EPOCHS[np.argmin(self.test_loss)])


def train_regularized(
    data: dict[str, np.ndarray], weight_decay: float, dropout: float, seed: int = 0
) -> RegularizedRun:
    """Train :func:`regularized_network` on ``data["X_train"]`` with Adam(0.02), full batch,
    for ``EPOCHS`` epochs (``nbtext.training.fit``), and measure what the explorer shows."""
    model = regularized_network(weight_decay, dropout, seed)
    X, y = data["X_train"], data["y_train"]
    snapshots = [{k: p.copy() for k, p in model.params.items()}]

    def keep(epoch: int, _history: Any) -> None:
        if epoch % MEASURE_EVERY == 0:
            snapshots.append({k: p.copy() for k, p in model.params.items()})

    # shuffle=False: with one batch per epoch the order is immaterial, and no copy is made.
    fit(model, X, y, Adam(LEARNING_RATE), EPOCHS, len(y), shuffle=False, on_epoch_end=keep)
    probability, boundary = probability_map(model)
    # gradient_norms measures any dict of arrays: here the length of each weight matrix.
    lengths = gradient_norms({k: p for k, p in model.params.items() if k.startswith("W")})
    return RegularizedRun(
        weight_decay=weight_decay,
        dropout=dropout,
        train_loss=data_losses(snapshots, X, y),
        test_loss=data_losses(snapshots, data["X_test"], data["y_test"]),
        train_accuracy=model.accuracy(X, y),
        test_accuracy=model.accuracy(data["X_test"], data["y_test"]),
        probability=probability,
        boundary=boundary,
        weight_norm=math.hypot(*lengths.values()),
        params={k: p.copy() for k, p in model.params.items()},
    )


def _loss_text(loss: float) -> str:
    """A loss in few characters: 1.73, 0.31, and below 0.1 two digits, 0.017."""
    return f"{loss:.2f}" if loss >= 0.1 else f"{loss:.2g}"


def _setting_text(value: float) -> str:
    """A slider setting as the chapter writes it: 0, 1e-4, 3e-4, 0.001, 0.3."""
    if 0 < value < 1e-3:
        return f"{value:.0e}".replace("e-0", "e-")
    return f"{value:g}"


def _selection_slider(description: str, options: tuple[float, ...], value: float) -> Any:
    """A slider over a few fixed values, labelled as written ("1e-4", "0.3")."""
    labels = [_setting_text(v) for v in options]
    # By index: ipywidgets 8 leaves the label empty when given the value 0.0.
    return widgets.SelectionSlider(
        options=list(zip(labels, options, strict=True)), index=options.index(value),
        description=description, style=SLIDER_STYLE, layout=SLIDER_LAYOUT,
    )  # fmt: skip


class RegularizationExplorer(Explorer):
    """Left: the trained network's P(class 1) with its boundary and the points; right: the
    training and test data loss per epoch on a log axis.

    Attributes after every change: ``run`` (the :class:`RegularizedRun` shown), ``data``
    (the points), ``heatmap``, ``boundary``, ``train_line``, ``test_line``, ``best`` (the
    dot at the lowest test loss), ``accuracy_title`` and ``loss_title`` (the two titles),
    ``readout`` (an HTML line under the sliders: the weights' length ‖W‖).
    """

    def __init__(self, settings: dict[str, float], data: dict[str, np.ndarray], seed: int):
        self.data, self.seed = data, seed
        self._runs = BoundedCache(CACHE_SIZE)
        self.readout = widgets.HTML()
        controls = {
            "weight_decay": _selection_slider("weight decay λ", WEIGHT_DECAYS,
                                              settings["weight_decay"]),
            "dropout": _selection_slider("dropout p", DROPOUTS, settings["dropout"]),
        }  # fmt: skip
        super().__init__(controls, figsize=(9.4, 3.9))

    def _control_rows(self) -> list[widgets.Widget]:
        return [*super()._control_rows(), self.readout]

    # ----------------------------------------------------------- drawing --
    def build(self) -> None:
        # A fixed layout, found once: a layout engine would measure every text of the figure
        # at the build (150 ms). The map's frame has the plane's proportions, 5.2 : 3.8.
        self.figure.set_layout_engine("none")
        self.ax_map = self.figure.add_axes((0.065, 0.27, 0.36, 0.63))
        self.ax_loss = self.figure.add_axes((0.6, 0.27, 0.38, 0.63))
        self._build_map(self.ax_map, self.figure.add_axes((0.435, 0.27, 0.012, 0.63)))
        self._build_loss(self.ax_loss)

    def _build_map(self, ax: Any, cax: Any) -> None:
        """The plane: map, boundary and points (all drawn per change), colour bar, legend."""
        self.heatmap = self.animate(probability_image(ax, (*X_VIEW, *Y_VIEW), GRID, cax=cax))
        self.boundary = self.animate(
            ax.add_collection(LineCollection([], colors="black", linewidths=1.5,
                                             label="boundary, P = 0.5"), autolim=False)
        )  # fmt: skip
        d, shown = self.data, []
        for k in (0, 1):  # the points never move, but they lie on top of the map
            train, test = d["X_train"][d["y_train"] == k], d["X_test"][d["y_test"] == k]
            shown.append(self.animate(ax.scatter(*train.T, s=30, marker=MARKERS[k],
                                                 color=PALETTE[k], edgecolor="black",
                                                 linewidth=0.6, label=f"class {k}, train",
                                                 zorder=4)))  # fmt: skip
            shown.append(self.animate(ax.scatter(*test.T, s=9, marker=MARKERS[k],
                                                 facecolor="white", edgecolor=PALETTE[k],
                                                 linewidth=0.9, label=f"class {k}, test",
                                                 zorder=3)))  # fmt: skip
        ax.set(xlim=X_VIEW, ylim=Y_VIEW, xlabel="x₁", ylabel="x₂")  # no mathtext: 70 ms less
        # Filled column by column: train points above test points, the boundary last.
        ax.legend(handles=[*shown, self.boundary], loc="upper center",
                  bbox_to_anchor=(0.5, -0.17), ncols=3, fontsize=8, frameon=False,
                  handletextpad=0.2, columnspacing=0.8)  # fmt: skip
        self.accuracy_title = self.overlay(ax.set_title(" ", fontsize=10))

    def _build_loss(self, lx: Any) -> None:
        """The loss panel: fixed axes, two curves and the dot at the lowest test loss."""
        log_loss_axis(lx, (-4, EPOCHS + 4), LOSS_RANGE, "data loss, no penalty (log scale)")
        ones = np.ones(len(MEASURED_EPOCHS))
        self.train_line = self.animate(
            lx.plot(MEASURED_EPOCHS, ones, color=PALETTE[0], lw=2, label="train")[0]
        )
        self.test_line = self.animate(
            lx.plot(MEASURED_EPOCHS, ones, color=PALETTE[3], lw=2, ls="--", label="test")[0]
        )
        self.best = self.animate(
            lx.plot([], [], ls="none", marker="o", ms=6, color=PALETTE[3], markeredgecolor="black",
                    zorder=4, label="lowest test loss")[0]
        )  # fmt: skip
        lx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=3, fontsize=8,
                  frameon=False)  # fmt: skip
        self.loss_title = self.overlay(lx.set_title(" ", fontsize=10))

    def _run(self, weight_decay: float, dropout: float) -> RegularizedRun:
        return self._runs.get_or_make(
            (weight_decay, dropout),
            lambda: train_regularized(self.data, weight_decay, dropout, self.seed),
        )

    def update(self, values: dict[str, Any]) -> bool:
        run = self.run = self._run(values["weight_decay"], values["dropout"])
        self.heatmap.set_data(run.probability)
        self.boundary.set_segments(run.boundary)
        # NaN stays NaN; losses beyond the axis run along its edge.
        self.train_line.set_ydata(np.clip(run.train_loss, *LOSS_RANGE))
        self.test_line.set_ydata(np.clip(run.test_loss, *LOSS_RANGE))
        best, lowest = run.best_epoch, run.test_loss.min()
        self.best.set_data([best], [np.clip(lowest, *LOSS_RANGE)])
        self.accuracy_title.set_text(
            f"accuracy: train {run.train_accuracy:.0%} · test {run.test_accuracy:.0%}"
        )
        self.loss_title.set_text(
            f"after {EPOCHS} epochs: train {_loss_text(run.train_loss[-1])} · "
            f"test {_loss_text(run.test_loss[-1])}"
        )
        self.readout.value = (
            f"length of all weights ‖W‖ = {run.weight_norm:.3g} &nbsp;·&nbsp; lowest test "
            f"loss {_loss_text(lowest)}, after epoch {best}"
        )
        return False


def _check_option(value: Any, options: tuple[float, ...], what: str) -> float:
    """``value`` as the option it equals, or a ``TypeError``/``ValueError`` that says what
    was expected (a number, in the options' range, one of them) and what came."""
    check_range(value, min(options), max(options), what)  # NaN fails here
    for option in options:
        if math.isclose(value, option, rel_tol=1e-9, abs_tol=1e-12):
            return option
    listed = ", ".join(map(_setting_text, options))
    raise ValueError(f"{what} must be one of the slider's settings {listed}; got {value!r}")


def regularization_explorer(
    weight_decay: float = 0.0,
    dropout: float = 0.0,
    *,
    n_train: int = 60,
    n_test: int = 300,
    noise: float = 0.35,
    seed: int = 0,
) -> RegularizationExplorer:
    """Weight decay and dropout on a network that can overfit 60 noisy points. Chapter 10.

    ``weight_decay`` λ is one of ``WEIGHT_DECAYS`` (0, 1e-4, 3e-4, …, 0.1) and ``dropout``
    p one of ``DROPOUTS`` (0, 0.1, …, 0.7). The data are ``n_train`` (10–500) training and
    ``n_test`` (10–5000) test points of the two moons with Gaussian ``noise`` (0–1); the
    network is ``MLP([2, 32, 32, 1])`` with ReLU, trained full-batch with Adam(0.02) for
    200 epochs. Seeded by ``seed`` (data, weights, dropout masks): the same settings give
    the same picture. Controls: ``"weight_decay"``, ``"dropout"``.
    """
    settings = {
        "weight_decay": _check_option(weight_decay, WEIGHT_DECAYS, "weight_decay"),
        "dropout": _check_option(dropout, DROPOUTS, "dropout"),
    }
    n_train = check_int(n_train, 10, 500, "n_train")
    n_test = check_int(n_test, 10, 5000, "n_test")
    noise = float(check_range(noise, 0.0, 1.0, "noise"))
    seed = check_int(seed, 0, 2**32 - 1, "seed")
    data = regularization_data(n_train, n_test, noise, seed)
    return RegularizationExplorer(settings, data, seed)
