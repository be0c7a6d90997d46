"""Mini-batch training: the loop every later chapter runs (Chapter 07).

One *iteration* is one update from one mini-batch; one *epoch* is a pass over
every training sample once. With ``n`` samples and batch size ``B`` an epoch
has ceil(n / B) iterations: the last, smaller batch is kept, as Keras does.

:func:`fit` trains one network; :func:`fit_stack` runs the same loop for a stack
of K networks (:meth:`nbtext.network.MLP.stack`) at once, say one per learning
rate: the same mini-batches, each copy's own updates, one NumPy call for all K.
Randomness comes from ``seed=`` (an int, default 0) or ``rng=`` (a
``np.random.Generator``, which wins), as everywhere in the package.
"""

from __future__ import annotations

import copy
import math
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nbtext._validation import check_fraction, check_positive, check_positive_int, make_rng


def iterations_per_epoch(n: int, batch_size: int) -> int:
    """ceil(n / batch_size), in integer arithmetic: 1797 samples at 32 → 57. Chapter 07."""
    n = check_positive_int(n, "n")
    batch_size = check_positive_int(batch_size, "batch_size")
    return -(-n // batch_size)


def minibatches(
    n: int,
    batch_size: int,
    rng: np.random.Generator | None = None,
    shuffle: bool = True,
    *,
    seed: int | None = 0,
) -> Iterator[np.ndarray]:
    """Yield index arrays for one epoch: every index in 0..n−1 exactly once.

    Indices are a fresh permutation drawn from ``rng`` (a Generator; without one, a
    generator seeded with ``seed``) when ``shuffle`` is true, else in order. Batches
    have ``batch_size`` indices except the last, which keeps the remainder.
    Sampling is without replacement. Chapter 07.
    """
    # Check the arguments now, at the call, not at the first next() of a generator.
    count = iterations_per_epoch(n, batch_size)
    order = make_rng(rng, seed).permutation(n) if shuffle else np.arange(n)
    return (order[i * batch_size : (i + 1) * batch_size] for i in range(count))


class _ProgressBar:
    """tqdm's bar over epochs: a widget in a notebook, text on stderr elsewhere.

    In a notebook the bar is displayed with a display id and shown once more when
    training ends, so the output a notebook stores (what GitHub shows, the widget's
    text form) is the finished bar, not the empty one it started as.
    """

    def __init__(self, epochs: int) -> None:
        from tqdm.auto import tqdm
        from tqdm.notebook import tqdm as notebook_tqdm

        options = {"total": epochs, "desc": "training", "unit": "epoch"}
        self._handle = None
        if issubclass(tqdm, notebook_tqdm):
            from IPython.display import display

            self._tqdm = tqdm(**options, display=False)
            self._handle = display(self._tqdm.container, display_id=True)
        else:
            self._tqdm = tqdm(**options)

    def update(self, loss: float) -> None:
        # No refresh of its own: update() redraws at most every 0.1 s, and every redraw of a
        # notebook bar is a message to the browser (a few ms each).
        self._tqdm.set_postfix(loss=f"{loss:.4f}", refresh=False)
        self._tqdm.update(1)

    def close(self) -> None:
        self._tqdm.close()
        if self._handle is not None:
            self._handle.update(self._tqdm.container)


@dataclass
class History:
    """What :func:`fit` recorded.

    ``loss``: the loss of every iteration (mini-batch), in order; ``epoch_loss``:
    the mean loss per sample over each epoch; ``epoch_time``: seconds per epoch;
    ``val_loss`` / ``val_accuracy``: after each epoch, when validation data was
    given; ``diverged_at``: the iteration whose loss became inf/NaN (or passed
    ``max_loss``), where training stopped, else None. With early stopping
    (``fit(..., patience=k)``): ``best_epoch``, the epoch (from 1) with the lowest
    validation loss, whose weights the model holds after ``fit``, and
    ``stopped_early``, True when ``patience`` epochs without improvement ended training.
    ``lr``: the learning rate of every iteration when a schedule set it
    (``fit(..., lr_schedule=...)``), else empty.
    """

    loss: list[float] = field(default_factory=list)
    epoch_loss: list[float] = field(default_factory=list)
    epoch_time: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    iterations_per_epoch: int = 0
    diverged_at: int | None = None
    best_epoch: int | None = None
    stopped_early: bool = False
    lr: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.epoch_loss)

    @property
    def diverged(self) -> bool:
        """True if training stopped early because the loss blew up."""
        return self.diverged_at is not None

    def __repr__(self) -> str:
        last = f", final epoch loss {self.epoch_loss[-1]:.4g}" if self.epoch_loss else ""
        div = f", diverged at iteration {self.diverged_at}" if self.diverged_at is not None else ""
        return f"History({self.epochs} epochs, {len(self.loss)} iterations{last}{div})"


def gradient_norms(grads: dict[str, np.ndarray], *, per_copy: bool = False) -> dict[str, Any]:
    """The length ‖g‖ = sqrt(Σ g²) of each gradient in ``grads`` (name → array, as
    ``model.backward()`` returns them): how strongly each layer is being pushed. In a deep
    network whose gradients vanish, the first layers' norms are orders of magnitude below
    the last ones'. ``per_copy=True``, for a stack's gradients: K lengths per name, one per
    copy (the sums run over every axis but the first). Chapter 09."""
    if per_copy:
        return {
            key: np.sqrt(np.sum(g * g, axis=tuple(range(1, g.ndim)))) for key, g in grads.items()
        }
    return {key: math.sqrt(float(np.sum(g * g))) for key, g in grads.items()}


def clip_grad_norm(grads: dict[str, np.ndarray], max_norm: float, *, per_copy: bool = False) -> Any:
    """Shorten the gradient to at most ``max_norm``, in place; return its length before.

    ``grads`` is a dict name → array, as ``model.backward()`` returns it. All its entries
    together are one long vector g, of length ‖g‖ = sqrt(Σ g²). When ‖g‖ > ``max_norm``,
    every entry is multiplied by max_norm / (‖g‖ + 1e-6): the step keeps its direction and
    loses only length, so one huge gradient cannot throw the weights far away (exploding
    gradients). The rule, the 1e-6 included, is ``torch.nn.utils.clip_grad_norm_``'s.
    ``per_copy=True`` clips each copy of a stack to its own length (K lengths returned).
    Chapter 09.
    """
    max_norm = check_positive(max_norm, "max_norm")
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict name -> array (model.backward()), got "
                        f"{type(grads).__name__}")  # fmt: skip
    norms = gradient_norms(grads, per_copy=per_copy).values()
    if not per_copy:
        total = math.sqrt(sum(norm * norm for norm in norms))
        scale = min(max_norm / (total + 1e-6), 1.0)
        if scale < 1.0 or not math.isfinite(scale):
            for g in grads.values():
                g *= scale
        return total
    total = np.sqrt(sum(norm * norm for norm in norms))
    scale = np.minimum(max_norm / (total + 1e-6), 1.0)
    for g in grads.values():
        g *= scale.reshape((-1,) + (1,) * (g.ndim - 1))
    return total


def _check_training(model: Any, optimizer: Any, epochs: int, batch_size: int) -> tuple[int, int]:
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(
            f"optimizer must have a step(params, grads) method (e.g. nbtext.optimizers.SGD(0.1)), "
            f"got {type(optimizer).__name__}"
        )
    if not callable(getattr(model, "loss_unchecked", None)):
        raise TypeError(f"model must be an nbtext.network.MLP, got {type(model).__name__}")
    return epochs, batch_size


def _scheduler(
    schedule: Callable[[int], float] | None, unit: str, optimizer: Any
) -> Callable[[int], None] | None:
    """Check ``fit``'s schedule arguments; return a function that sets the rate of step t."""
    if unit not in ("epoch", "iteration"):
        raise ValueError(f"schedule_unit must be 'epoch' or 'iteration', got {unit!r}")
    if schedule is None:
        return None
    if not callable(schedule):
        raise TypeError(
            f"lr_schedule must be a function of the step (e.g. nbtext.schedules.CosineDecay), "
            f"got {type(schedule).__name__}"
        )

    def set_lr(t: int) -> None:
        value = schedule(t)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise TypeError(f"lr_schedule({t}) must return a number, got {value!r}")
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"lr_schedule({t}) must return a finite rate > 0, got {value}")
        optimizer.lr = float(value)

    return set_lr


def _blew_up(loss: Any, max_loss: float) -> Any:
    """True where a loss is inf, NaN or above ``max_loss``: the run has diverged."""
    return ~(np.isfinite(loss) & (loss <= max_loss))


def fit(
    model: Any,
    X: Any,
    y: Any,
    optimizer: Any,
    epochs: int,
    batch_size: int,
    *,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
    shuffle: bool = True,
    progress: bool = False,
    validation: tuple[Any, Any] | None = None,
    on_epoch_end: Callable[[int, History], None] | None = None,
    max_loss: float = math.inf,
    max_grad_norm: float | None = None,
    patience: int | None = None,
    lr_schedule: Callable[[int], float] | None = None,
    schedule_unit: str = "epoch",
) -> History:
    """Train ``model`` with mini-batch gradient descent; return a :class:`History`.

    Each iteration: forward pass and loss on a mini-batch
    (``model.loss_unchecked``), backward pass (``model.backward()``), and
    ``optimizer.step(model.params, grads)``, which updates the weights in place.
    ``X``: ``(N, D_in)``; ``y``: labels or targets as ``model.check_data`` accepts;
    ``batch_size`` = 1 is SGD, ``batch_size`` >= N is batch gradient descent.
    Each epoch is shuffled with ``rng``, or a generator seeded with ``seed``.
    ``progress=True`` shows a tqdm progress bar over epochs. ``validation=(X_val,
    y_val)`` records validation loss (and accuracy for classifiers) per epoch.
    ``on_epoch_end(epoch, history)`` is called after every epoch (epoch counts from 1).

    ``max_grad_norm`` clips every gradient to that length before its update
    (:func:`clip_grad_norm`, chapter 09).

    ``lr_schedule`` (chapter 12, :mod:`nbtext.schedules`): a function of the step t = 0, 1, …
    returning a learning rate; ``optimizer.lr`` is set to ``lr_schedule(epoch)`` at the start
    of each epoch (``schedule_unit="epoch"``, as ``scheduler.step()`` once per epoch in
    PyTorch) or to ``lr_schedule(iteration)`` before each update
    (``schedule_unit="iteration"``). ``history.lr`` records the rate of every iteration.

    Early stopping (chapter 10): with ``patience=k`` and ``validation``, training stops
    once the validation loss has not improved for k epochs in a row, and the model gets
    back the weights (and batch normalization's running averages) of its best epoch
    (``history.best_epoch``), as Keras's
    ``EarlyStopping(patience=k, restore_best_weights=True)`` does.

    The model is in training mode (:meth:`nbtext.network.MLP.train`: dropout active)
    for its updates and in evaluation mode for everything measured after each epoch
    (validation, ``on_epoch_end``); ``fit`` leaves it in the mode it found it in.

    If the loss becomes inf or NaN (a learning rate that is too large), or passes
    ``max_loss``, training stops, ``history.diverged_at`` records the iteration and a
    warning says so. Chapter 07.
    """
    epochs, batch_size = _check_training(model, optimizer, epochs, batch_size)
    if getattr(model, "copies", None) is not None:
        raise TypeError("model is a stack of networks: train it with fit_stack")
    if max_grad_norm is not None:
        max_grad_norm = check_positive(max_grad_norm, "max_grad_norm")
    set_lr = _scheduler(lr_schedule, schedule_unit, optimizer)
    if patience is not None:
        patience = check_positive_int(patience, "patience")
        if validation is None:
            raise ValueError(
                "early stopping watches the validation loss: pass validation=(X_val, y_val) "
                "with patience"
            )
    X, y = model.check_data(X, y)
    if validation is not None:
        if not (isinstance(validation, tuple) and len(validation) == 2):
            raise TypeError("validation must be a tuple (X_val, y_val)")
        X_val, y_val = model.check_data(*validation)
    gen = make_rng(rng, seed)
    n = X.shape[0]
    history = History(iterations_per_epoch=iterations_per_epoch(n, batch_size))
    full_batch = batch_size >= n and not shuffle

    bar = _ProgressBar(epochs) if progress else None
    params, step = model.params, optimizer.step
    batch_loss, backward = model.loss_unchecked, model.backward
    set_mode, was_training = getattr(model, "train", None), getattr(model, "training", False)
    best_loss, best_params, waited = math.inf, None, 0
    buffers = getattr(model, "buffers", {})  # batch normalization's running averages
    best_buffers: dict[str, np.ndarray] = {}
    iteration = 0
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for epoch in range(1, epochs + 1):
                if set_mode is not None:
                    set_mode(True)
                start = time.perf_counter()
                total = 0.0
                if set_lr is not None and schedule_unit == "epoch":
                    set_lr(epoch - 1)
                for idx in minibatches(n, batch_size, gen, shuffle=shuffle):
                    if set_lr is not None:
                        if schedule_unit == "iteration":
                            set_lr(iteration)
                        history.lr.append(optimizer.lr)
                    if full_batch:
                        value = batch_loss(X, y)
                    else:
                        value = batch_loss(X[idx], y[idx])
                    iteration += 1
                    history.loss.append(value)
                    if not (math.isfinite(value) and value <= max_loss):
                        history.diverged_at = iteration
                        break
                    total += value * idx.shape[0]
                    grads = backward()
                    if max_grad_norm is not None:
                        clip_grad_norm(grads, max_grad_norm)
                    step(params, grads)
                if history.diverged_at is not None:
                    break  # an unfinished epoch records no epoch_loss, so no epoch_time either
                history.epoch_time.append(time.perf_counter() - start)
                history.epoch_loss.append(total / n)
                if set_mode is not None:
                    set_mode(False)  # measure with every unit
                if validation is not None:
                    history.val_loss.append(model.loss_unchecked(X_val, y_val))
                    if model.is_classifier:
                        history.val_accuracy.append(float(np.mean(model.predict(X_val) == y_val)))
                if bar is not None:
                    bar.update(history.epoch_loss[-1])
                if on_epoch_end is not None:
                    on_epoch_end(epoch, history)
                if patience is not None:
                    if history.val_loss[-1] < best_loss:
                        best_loss, waited = history.val_loss[-1], 0
                        best_params = {k: v.copy() for k, v in params.items()}
                        best_buffers = {k: v.copy() for k, v in buffers.items()}
                        history.best_epoch = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            history.stopped_early = True
                            break
    finally:
        if bar is not None:
            bar.close()
        if set_mode is not None:
            set_mode(was_training)
    if best_params is not None:
        for key, value in params.items():
            value[...] = best_params[key]  # in place: the model and optimizer keep their arrays
        for key, value in best_buffers.items():
            buffers[key][...] = value
    if history.diverged_at is not None:
        warnings.warn(
            f"training diverged: the loss became {history.loss[-1]} at iteration "
            f"{history.diverged_at} (epoch {len(history.epoch_loss) + 1}); "
            "try a smaller learning rate",
            UserWarning,
            stacklevel=2,
        )
    return history


@dataclass(eq=False)
class StackHistory:
    """What :func:`fit_stack` recorded for a stack of K networks, one column per copy.

    ``loss``: ``(T, K)``, the loss of every iteration (T = epochs × iterations per epoch);
    ``epoch_loss``: ``(epochs, K)``, the mean loss per sample over each epoch;
    ``diverged_at``: K entries, the iteration where each copy's loss became inf/NaN (or
    passed ``max_loss``), else None. After a copy diverged its entries are NaN.
    ``history(k)`` is what :func:`fit` returns for copy k alone (without epoch times).
    """

    loss: np.ndarray
    epoch_loss: np.ndarray
    diverged_at: list[int | None]
    iterations_per_epoch: int

    def history(self, k: int) -> History:
        """Copy ``k``'s record as a :class:`History`, as ``fit`` would have made it."""
        end = self.diverged_at[k] or len(self.loss)
        epochs = self.epoch_loss[:, k]
        return History(
            loss=[float(v) for v in self.loss[:end, k]],
            epoch_loss=[float(v) for v in epochs[~np.isnan(epochs)]],
            iterations_per_epoch=self.iterations_per_epoch,
            diverged_at=self.diverged_at[k],
        )


def fit_stack(
    stack: Any,
    X: Any,
    y: Any,
    optimizer: Any,
    epochs: int,
    batch_size: int,
    *,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
    shuffle: bool = True,
    max_loss: float = math.inf,
    max_grad_norm: float | None = None,
) -> StackHistory:
    """Train a stack of K networks side by side (``model.stack(k)``); return a
    :class:`StackHistory`.

    The loop of :func:`fit`, run once for all K: the same shuffled mini-batches (from
    ``seed`` or ``rng``), one forward and backward pass through the stack, one
    ``optimizer.step``. Give each copy its own learning rate with an array, e.g.
    ``SGD(lr=np.array([0.01, 0.1, 1.0]))``: copy k then makes exactly the updates
    ``fit(model, X, y, SGD(lr[k]), ...)`` makes (same iterates, to rounding error), at
    about the cost of one run, because Python's per-call overhead dominates small networks.
    A copy whose loss becomes inf, NaN or passes ``max_loss`` is marked diverged (with a
    warning) and its entries become NaN; the others go on. ``max_grad_norm`` clips each
    copy's gradient to that length, as ``fit`` does for one network. Chapter 07.
    """
    epochs, batch_size = _check_training(stack, optimizer, epochs, batch_size)
    copies = getattr(stack, "copies", None)
    if copies is None:
        raise TypeError("fit_stack trains a stack of networks (model.stack(k)); use fit for one")
    X, y = stack.check_data(X, y)
    gen = make_rng(rng, seed)
    n = X.shape[0]
    per_epoch = iterations_per_epoch(n, batch_size)
    loss = np.full((per_epoch * epochs, copies), np.nan)
    epoch_loss = np.full((epochs, copies), np.nan)
    iteration = 0
    was_training = stack.training
    stack.train(True)  # dropout, if any, is active while training
    with np.errstate(all="ignore"):  # diverging copies overflow; their entries become NaN
        for epoch in range(epochs):
            total = np.zeros(copies)
            for idx in minibatches(n, batch_size, gen, shuffle=shuffle):
                value = stack.loss_unchecked(X[idx], y[idx])
                loss[iteration] = value
                iteration += 1
                total += value * idx.shape[0]
                grads = stack.backward()
                if max_grad_norm is not None:
                    clip_grad_norm(grads, max_grad_norm, per_copy=True)
                optimizer.step(stack.params, grads)
            epoch_loss[epoch] = total / n
            # Divergence is read off the losses once per epoch, for all copies at once: a
            # copy that blew up goes on computing (NaN, harmlessly), and its record is cut below.
            if _blew_up(loss[:iteration], max_loss).any(axis=0).all():
                break  # every copy diverged: nothing left to train
    stack.train(was_training)
    blew_up = _blew_up(loss[:iteration], max_loss)
    diverged = blew_up.any(axis=0)
    first = blew_up.argmax(axis=0)  # index of each copy's first blow-up
    diverged_at: list[int | None] = [
        int(first[k]) + 1 if diverged[k] else None for k in range(copies)
    ]
    for k in np.flatnonzero(diverged):
        loss[first[k] + 1 :, k] = np.nan  # the loss that blew up is kept, nothing after it
        epoch_loss[first[k] // per_epoch :, k] = np.nan  # nor the epoch it fell in
    if diverged.any():
        which = [k for k in range(copies) if diverged[k]]
        warnings.warn(
            f"training diverged for {len(which)} of {copies} copies (copies {which}); "
            "their losses are NaN from there on",
            UserWarning,
            stacklevel=2,
        )
    return StackHistory(loss, epoch_loss, diverged_at, per_epoch)


@dataclass(eq=False)
class RangeTest:
    """What :func:`lr_range_test` measured: ``lr`` and ``loss`` per step (``(T,)`` each),
    ``smoothed_loss`` (an exponential moving average of ``loss``, bias-corrected), and
    ``suggestion``: a tenth of the learning rate where ``smoothed_loss`` was lowest."""

    lr: np.ndarray
    loss: np.ndarray
    smoothed_loss: np.ndarray
    suggestion: float

    def __repr__(self) -> str:
        return (
            f"RangeTest({len(self.lr)} steps, lr {self.lr[0]:.2g} to {self.lr[-1]:.2g}, "
            f"suggestion {self.suggestion:.3g})"
        )


def lr_range_test(
    model: Any,
    X: Any,
    y: Any,
    optimizer: Any,
    *,
    min_lr: float = 1e-6,
    max_lr: float = 10.0,
    steps: int = 100,
    batch_size: int = 32,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
    smoothing: float = 0.9,
    stop_factor: float = 4.0,
) -> RangeTest:
    """The learning-rate range test (Smith 2017; fastai's ``lr_find``): one short run whose
    learning rate grows by the same factor every mini-batch, from ``min_lr`` to ``max_lr``
    over ``steps`` updates, recording the loss of each. Chapter 12.

    While the rate is tiny the loss hardly moves; then it falls fast; past a certain rate it
    turns and shoots up. A good learning rate lies where it still falls steeply, somewhat
    below the bottom: ``suggestion`` is a tenth of the rate at the lowest smoothed loss. The
    run stops early once the smoothed loss exceeds ``stop_factor`` times its lowest value or
    a loss is inf/NaN. The smoothing is an exponential moving average with weight
    ``smoothing`` on the past, divided by 1 − smoothing^(t+1) as Adam does.

    Trains copies: ``model`` and ``optimizer`` are not changed (the copy of the optimizer
    starts without state). Mini-batches as in :func:`fit`, shuffled with ``seed``/``rng``.
    """
    min_lr, max_lr = check_positive(min_lr, "min_lr"), check_positive(max_lr, "max_lr")
    if min_lr >= max_lr:
        raise ValueError(f"min_lr must be below max_lr, got {min_lr} and {max_lr}")
    steps = check_positive_int(steps, "steps")
    if steps < 2:
        raise ValueError(f"steps must be at least 2, got {steps}")
    _, batch_size = _check_training(model, optimizer, 1, batch_size)
    if getattr(model, "copies", None) is not None:
        raise TypeError("model is a stack of networks: run the range test on one network")
    smoothing = check_fraction(smoothing, "smoothing")
    stop_factor = check_positive(stop_factor, "stop_factor")
    X, y = model.check_data(X, y)
    model, optimizer = copy.deepcopy(model), copy.deepcopy(optimizer)
    optimizer.reset()
    model.train(True)
    grid = min_lr * (max_lr / min_lr) ** (np.arange(steps) / (steps - 1))
    gen = make_rng(rng, seed)
    n = X.shape[0]
    losses: list[float] = []
    smoothed: list[float] = []
    average, lowest = 0.0, math.inf
    batches = iter(())
    with np.errstate(over="ignore", invalid="ignore"):
        for t, lr in enumerate(grid):
            idx = next(batches, None)
            if idx is None:  # a new epoch
                batches = minibatches(n, batch_size, gen)
                idx = next(batches)
            value = model.loss_unchecked(X[idx], y[idx])
            if not math.isfinite(value):
                break
            average = smoothing * average + (1 - smoothing) * value
            smooth = average / (1 - smoothing ** (t + 1))
            losses.append(value)
            smoothed.append(smooth)
            lowest = min(lowest, smooth)
            if smooth > stop_factor * lowest:
                break
            optimizer.lr = float(lr)
            optimizer.step(model.params, model.backward())
    if not losses:
        raise ValueError("the loss was not finite at the first step: check the data and model")
    smooth_arr = np.array(smoothed)
    used = grid[: len(losses)]
    return RangeTest(used, np.array(losses), smooth_arr, float(used[np.argmin(smooth_arr)] / 10))
