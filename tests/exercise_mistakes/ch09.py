"""Typical mistakes for the chapter 09 exercises (initialization and the flow of gradients)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def _total_norm(grads):  # type: ignore[no-untyped-def]
    return np.sqrt(sum(np.sum(g**2) for g in grads.values()))


def _clip_in_place(grads, max_norm):  # type: ignore[no-untyped-def]
    norm = _total_norm(grads)
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return grads


def _clip_in_place_no_return(grads, max_norm):  # type: ignore[no-untyped-def]
    norm = _total_norm(grads)
    for g in grads.values():
        g *= min(1.0, max_norm / norm)


def _clip_each_own_norm(grads, max_norm):  # type: ignore[no-untyped-def]
    out = {}
    for name, g in grads.items():
        norm = np.sqrt(np.sum(g**2))
        out[name] = g * max_norm / norm if norm > max_norm else g.copy()
    return out


def _clip_always(grads, max_norm):  # type: ignore[no-untyped-def]
    scale = max_norm / _total_norm(grads)
    return {name: g * scale for name, g in grads.items()}


def _clip_no_sqrt(grads, max_norm):  # type: ignore[no-untyped-def]
    squares = sum(np.sum(g**2) for g in grads.values())
    scale = min(1.0, max_norm / squares)
    return {name: g * scale for name, g in grads.items()}


def _clip_divide(grads, max_norm):  # type: ignore[no-untyped-def]
    return {name: g / max_norm for name, g in grads.items()}


def _clip_returns_norm(grads, max_norm):  # type: ignore[no-untyped-def]
    return _total_norm(grads)


def _clip_returns_list(grads, max_norm):  # type: ignore[no-untyped-def]
    scale = min(1.0, max_norm / _total_norm(grads))
    return [g * scale for g in grads.values()]


def _clip_unit_length(grads, max_norm):  # type: ignore[no-untyped-def]
    norm = _total_norm(grads)
    return {name: g / norm if norm > max_norm else g for name, g in grads.items()}


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch09.q1": [
        (0.04, "variance of one product"),
        (51.2, "standard deviations 0.1 and 2"),
        (2.56, "multiply it by the input's variance"),
        (5.12, "without a square root"),
        (3.2, "the question asks for its variance"),
        (1024, "Var(w) = 0.01 is missing"),
        ("10.24", "the text"),
    ],
    "ch09.q2": [
        (lambda n_in, n_out: 2 / (n_in + n_out), "its square root"),
        (lambda n_in, n_out: math.sqrt(1 / (n_in + n_out)), "a 2 on top"),
        (lambda n_in, n_out: math.sqrt(2 / n_in), "He's rule"),
        (lambda n_in, n_out: math.sqrt(1 / n_in), "LeCun's rule"),
        (lambda n_in, n_out: math.sqrt(1 / n_out), "n_out only"),
        (lambda n_in, n_out: np.sqrt((n_in + n_out) / 2), "upside down"),
        (lambda n_in, n_out: 2 / np.sqrt(n_in + n_out), "the whole fraction"),
        (lambda n_in, n_out: np.sqrt(6 / (n_in + n_out)), "uniform version"),
    ],
    "ch09.q3": [
        (0.04, "He's variance"),
        (math.sqrt(2 / 80), "Xavier's rule"),
        (1 / math.sqrt(50), "He doubles the variance"),
        (math.sqrt(2 / 30), "not its outputs"),
        (2 / math.sqrt(50), "not of n_in only"),
        (0.02, "LeCun's variance"),
    ],
    "ch09.q4": [
        ("a", "collapse"),
        ("b", "explode"),
        ("c", "by about √2 per layer"),
        ("xavier", "not one of the choices"),
    ],
    "ch09.q5": [
        (40, "do not add them"),
        (4, "factor of one layer"),
        (0.2**10, "not by the weights' std alone"),
        (20**10, "uses the standard deviation"),
        (1024, "how much the standard deviation grows"),
        (4**9, "count the factors again"),
        (1e6, "rounded"),
    ],
    "ch09.q6": [
        (lambda g, m: {k: np.clip(v, -m, m) for k, v in g.items()}, "np.clip"),
        (_clip_each_own_norm, "its own length"),
        (_clip_always, "already shorter than max_norm"),
        (_clip_divide, "dividing by max_norm"),
        (_clip_no_sqrt, "sum of squares itself"),
        (_clip_unit_length, "gives length 1"),
        (_clip_returns_norm, "which nbtext's clip_grad_norm returns"),
        (_clip_returns_list, "its result is a list, not a dict"),
        (_clip_in_place, "changed the arrays of grads in place"),
        (_clip_in_place_no_return, "return a new dict"),
    ],
    "ch09.q7": [
        ("b", "starts at the loss"),
        ("c", "those factors pile up"),
        ("d", "the right layer, but not the reason"),
        ("dW10", "not one of the choices"),
    ],
    "ch09.q8": [
        (0.5, "where a sigmoid unit sits"),
        (0.1, "after the first hidden layer"),
        (1e-6, "the last HIDDEN layer"),
        (1e-10, "every unit sums n = 100 inputs"),
        (0, "never become exactly 0"),
        (1.0, "does not stay at X's std"),
        (1e-2, "too large"),
        (-1e-5, "negative"),
    ],
}
