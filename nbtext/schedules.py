"""Learning-rate schedules: how the step size changes during training (Chapter 12).

A schedule is a function of the step number t = 0, 1, 2, … that returns the learning rate to
use for that step. ``fit(..., lr_schedule=schedule)`` asks it once per epoch (t = the epoch,
from 0, as PyTorch users call ``scheduler.step()`` once per epoch) or once per mini-batch
(``schedule_unit="iteration"``), and sets the optimizer's ``lr`` before the updates.

=================  ===================================================================
nbtext             torch.optim.lr_scheduler
=================  ===================================================================
StepDecay          ``StepLR(optimizer, step_size, gamma)``
CosineDecay        ``CosineAnnealingLR(optimizer, T_max=total_steps, eta_min=min_lr)``
LinearWarmup       ``LinearLR(optimizer, start_factor, end_factor=1.0, total_iters=warmup_steps)``,
                   followed by ``after`` with ``SequentialLR(..., milestones=[warmup_steps])``
=================  ===================================================================

The tests compare every schedule with its torch counterpart step by step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nbtext._validation import check_fraction, check_nonnegative, check_positive, check_positive_int

__all__ = ["Constant", "CosineDecay", "LinearWarmup", "StepDecay", "schedule_values"]


def _check_step(t: Any) -> int:
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
        raise ValueError(f"a schedule's step must be a whole number >= 0, got {t!r}")
    return int(t)


class Constant:
    """The same learning rate at every step: ``lr``."""

    def __init__(self, lr: float) -> None:
        self.lr = check_positive(lr, "lr")

    def __call__(self, t: int) -> float:
        _check_step(t)
        return self.lr

    def __repr__(self) -> str:
        return f"Constant(lr={self.lr:g})"


class StepDecay:
    """Multiply the learning rate by ``gamma`` every ``step_size`` steps.

    lr_t = lr · gamma^⌊t / step_size⌋: with ``StepDecay(0.1, 10, gamma=0.5)`` steps 0–9 use
    0.1, steps 10–19 use 0.05, and so on. torch: ``StepLR(optimizer, step_size, gamma)``.
    """

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1) -> None:
        self.lr = check_positive(lr, "lr")
        self.step_size = check_positive_int(step_size, "step_size")
        self.gamma = check_fraction(gamma, "gamma", inclusive_low=False, inclusive_high=True)

    def __call__(self, t: int) -> float:
        return self.lr * self.gamma ** (_check_step(t) // self.step_size)

    def __repr__(self) -> str:
        return f"StepDecay(lr={self.lr:g}, step_size={self.step_size}, gamma={self.gamma:g})"


class CosineDecay:
    """Lower the learning rate from ``lr`` to ``min_lr`` along half a cosine wave.

    lr_t = min_lr + (lr − min_lr) · (1 + cos(π·t / total_steps)) / 2 for t ≤ total_steps,
    then ``min_lr``. It starts slowly, falls fastest half-way and flattens out at the end.
    torch: ``CosineAnnealingLR(optimizer, T_max=total_steps, eta_min=min_lr)``, which agrees
    for t ≤ T_max (after T_max torch's cosine climbs back up; this one stays at ``min_lr``).
    """

    def __init__(self, lr: float, total_steps: int, min_lr: float = 0.0) -> None:
        self.lr = check_positive(lr, "lr")
        self.total_steps = check_positive_int(total_steps, "total_steps")
        self.min_lr = check_nonnegative(min_lr, "min_lr")
        if self.min_lr > self.lr:
            raise ValueError(f"min_lr must not exceed lr, got min_lr={min_lr} > lr={lr}")

    def __call__(self, t: int) -> float:
        t = min(_check_step(t), self.total_steps)
        cosine = (1.0 + math.cos(math.pi * t / self.total_steps)) / 2.0
        return self.min_lr + (self.lr - self.min_lr) * cosine

    def __repr__(self) -> str:
        return (
            f"CosineDecay(lr={self.lr:g}, total_steps={self.total_steps}, min_lr={self.min_lr:g})"
        )


class LinearWarmup:
    """Start small and raise the learning rate in a straight line to ``lr``, then go on with
    ``after``.

    For t < ``warmup_steps``: lr_t = lr · (f + (1 − f) · t / warmup_steps) with
    f = ``start_factor`` (default 0.1: the first step uses a tenth of ``lr``). From t =
    ``warmup_steps`` on: ``after(t − warmup_steps)`` if a schedule ``after`` is given (it
    should start at ``lr``, like ``CosineDecay(lr, …)``), else ``lr``. Large learning rates
    can wreck a freshly initialized network in its first steps; a warm-up avoids that.
    torch: ``LinearLR(optimizer, start_factor=f, total_iters=warmup_steps)``, and with
    ``after``, ``SequentialLR(optimizer, [warmup, after], milestones=[warmup_steps])``.
    """

    def __init__(
        self,
        lr: float,
        warmup_steps: int,
        after: Callable[[int], float] | None = None,
        *,
        start_factor: float = 0.1,
    ) -> None:
        self.lr = check_positive(lr, "lr")
        self.warmup_steps = check_positive_int(warmup_steps, "warmup_steps")
        self.start_factor = check_fraction(
            start_factor, "start_factor", inclusive_low=False, inclusive_high=True
        )
        if after is not None and not callable(after):
            raise TypeError(f"after must be a schedule (a callable of the step), got {after!r}")
        self.after = after

    def __call__(self, t: int) -> float:
        t = _check_step(t)
        if t >= self.warmup_steps:
            return self.lr if self.after is None else float(self.after(t - self.warmup_steps))
        f = self.start_factor
        return self.lr * (f + (1.0 - f) * t / self.warmup_steps)

    def __repr__(self) -> str:
        after = "" if self.after is None else f", after={self.after!r}"
        return (
            f"LinearWarmup(lr={self.lr:g}, warmup_steps={self.warmup_steps}{after}, "
            f"start_factor={self.start_factor:g})"
        )


def schedule_values(schedule: Callable[[int], float], steps: int) -> np.ndarray:
    """The learning rates of steps 0 … steps − 1 as an array ``(steps,)``: for plotting."""
    if not callable(schedule):
        raise TypeError(f"schedule must be callable with a step number, got {schedule!r}")
    steps = check_positive_int(steps, "steps")
    return np.array([float(schedule(t)) for t in range(steps)])
