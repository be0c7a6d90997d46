"""Typical mistakes for the chapter 12 exercises (a training recipe)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# ------------------------------------------------------------ q3: warmup ---


def _warmup_from_zero(t, lr, warmup_steps, start_factor=0.1):  # type: ignore[no-untyped-def]
    return min(lr * t / warmup_steps, lr)


def _warmup_one_step_late(t, lr, warmup_steps, start_factor=0.1):  # type: ignore[no-untyped-def]
    return min(lr * (start_factor + (1 - start_factor) * t / (warmup_steps - 1)), lr)


def _warmup_never_stops(t, lr, warmup_steps, start_factor=0.1):  # type: ignore[no-untyped-def]
    return lr * (start_factor + (1 - start_factor) * t / warmup_steps)


def _warmup_flat(t, lr, warmup_steps, start_factor=0.1):  # type: ignore[no-untyped-def]
    return start_factor * lr


def _warmup_too_steep(t, lr, warmup_steps, start_factor=0.1):  # type: ignore[no-untyped-def]
    return min(lr * (start_factor + t / warmup_steps), lr)


def _warmup_no_default(t, lr, warmup_steps, start_factor):  # type: ignore[no-untyped-def]
    return lr if t >= warmup_steps else lr * (start_factor + (1 - start_factor) * t / warmup_steps)


# ------------------------------------------------------- q6: log_uniform ---


def _linear_uniform(rng, low, high, n):  # type: ignore[no-untyped-def]
    return rng.uniform(low, high, n)


def _exponents_only(rng, low, high, n):  # type: ignore[no-untyped-def]
    return rng.uniform(np.log10(low), np.log10(high), n)


def _ends_not_logged(rng, low, high, n):  # type: ignore[no-untyped-def]
    return 10 ** rng.uniform(low, high, n)


def _exp_of_log10(rng, low, high, n):  # type: ignore[no-untyped-def]
    return np.exp(rng.uniform(np.log10(low), np.log10(high), n))


def _one_value(rng, low, high, n):  # type: ignore[no-untyped-def]
    return 10 ** rng.uniform(np.log10(low), np.log10(high))


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch12.q1": [
        (0.1 * 0.5**2.5, "⌊25 / 10⌋ = 2"),
        (0.0125, "three halvings"),
        (0.05, "one halving"),
        (0.1, "halved twice"),
        (0.0, "does not subtract"),
    ],
    "ch12.q2": [
        (0.1 * (1 + math.cos(math.pi / 5)), "forgot to halve"),
        (0.1 * math.cos(math.pi / 5) / 2, "without the 1 +"),
        (0.1 * (1 + math.cos(math.radians(math.pi / 5))) / 2, "radians"),
        (0.1 * (1 + math.sin(math.pi / 5)) / 2, "not the sine"),
        (0.08, "straight line"),
        (0.1 * (1 + math.cos(0.2)) / 2, "not t/T"),
        (0.1 * (1 + math.cos(math.pi * 19 / 100)) / 2, "counted from 0"),
    ],
    "ch12.q3": [
        (_warmup_from_zero, "not at 0"),
        (_warmup_one_step_late, "not warmup_steps − 1"),
        (_warmup_never_stops, "stays at lr"),
        (_warmup_flat, "must rise"),
        (_warmup_too_steep, "(1 − start_factor)·lr"),
        (_warmup_no_default, "positional argument"),
    ],
    "ch12.q4": [
        ("b", "too low"),
        ("c", "healthy shape"),
        ("d", "points to the data"),
        ("e", "not one of the choices"),
    ],
    "ch12.q5": [
        (math.log(3), "equally often"),
        (1.4855, "in bits"),
        (0.4472, "base 10"),
        (-1.0297, "never negative"),
        (1.1689, "weight −ln p"),
        (2.0423, "20 labels in section 3"),
    ],
    "ch12.q6": [
        (_linear_uniform, "ordinary scale"),
        (_exponents_only, "those are the exponents"),
        (_ends_not_logged, "not from low to high"),
        (_exp_of_log10, "do not undo each other"),
        (_one_value, "wrong shape"),
    ],
    "ch12.q7": [
        ((20, 5), "new learning rate for every run"),
        ((9, 9), "not 5 + 4"),
        ((20, 4), "every one of its runs"),
        ((5, 20), "every pair"),
        ("20, 20", "without quotes"),
        ((20, 16), "16 was the chapter's search"),
    ],
    "ch12.q8": [
        ((64, 32), "stores the transpose"),
        ((32,), "shape of the bias"),
        ((64,), "two dimensions"),
        ((32, 64, 1), "tuple of 2 numbers"),
    ],
}
