"""Typical mistakes for the chapter 07 exercises added with the notebook (q3 onwards)."""

from __future__ import annotations

from typing import Any

import numpy as np


def _rmsprop_old_average(p, g, v, lr, rho, eps):  # type: ignore[no-untyped-def]
    return p - lr * g / (np.sqrt(v) + eps), rho * v + (1 - rho) * g**2


def _rmsprop_no_sqrt(p, g, v, lr, rho, eps):  # type: ignore[no-untyped-def]
    new_v = rho * v + (1 - rho) * g**2
    return p - lr * g / (new_v + eps), new_v


def _rmsprop_swapped(p, g, v, lr, rho, eps):  # type: ignore[no-untyped-def]
    new_v = (1 - rho) * v + rho * g**2
    return p - lr * g / (np.sqrt(new_v) + eps), new_v


def _rmsprop_adagrad(p, g, v, lr, rho, eps):  # type: ignore[no-untyped-def]
    new_v = v + g**2
    return p - lr * g / (np.sqrt(new_v) + eps), new_v


def _rmsprop_in_place(p, g, v, lr, rho, eps):  # type: ignore[no-untyped-def]
    v *= rho
    v += (1 - rho) * g**2
    p -= lr * g / (np.sqrt(v) + eps)
    return p, v


def _rmsprop_swapped_lr_rho(p, g, v, lr, rho, eps):  # type: ignore[no-untyped-def]
    new_v = lr * v + (1 - lr) * g**2
    return p - rho * g / (np.sqrt(new_v) + eps), new_v


def _rmsprop_only_p(p, g, v, lr, rho, eps):  # type: ignore[no-untyped-def]
    new_v = rho * v + (1 - rho) * g**2
    return p - lr * g / (np.sqrt(new_v) + eps)


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch07.q3": [
        (lambda n, b: n % b, "divides n evenly"),
        (lambda n, b: n // b, "counts the full batches"),
        (lambda n, b: -(-n // b), "number of iterations per epoch"),
        (lambda n, b: b - n % b, "short of a full one"),
        (lambda n, b: b, "left over"),
    ],
    "ch07.q4": [
        (_rmsprop_old_average, "NEW average"),
        (_rmsprop_no_sqrt, "square root of the average"),
        (_rmsprop_swapped, "rho weighs the OLD average"),
        (_rmsprop_swapped_lr_rho, "lr and rho look swapped"),
        (_rmsprop_adagrad, "AdaGrad"),
        (_rmsprop_in_place, "in place"),
        (_rmsprop_only_p, "expected a tuple of 2 values"),
        (
            lambda p, g, v, lr, rho, eps: (
                p - lr * g / np.sqrt(rho * v + (1 - rho) * g**2 + eps),
                rho * v + (1 - rho) * g**2,
            ),
            "eps goes outside the root",
        ),
    ],
    "ch07.q5": [
        (0.8, "decay factor"),
        (1.8, "after two steps"),
        (4, "leaves out the first term"),
        (0.2, "reciprocal"),
        (10, "section 5's example"),
        ("5", "the text"),
    ],
    "ch07.q6": [
        ("b", "no schedule"),
        ("c", "no momentum buffer"),
        ("d", "constant gradient"),
        ("e", "not one of the choices"),
    ],
    "ch07.q7": [
        (150, "drops the last batch"),
        (157, "round up per epoch"),
        (156.25, "whole number"),
        (16, "one epoch"),
        (10000, "not one per sample"),
    ],
    "ch07.q8": [
        (0.05, "plain SGD"),
        (0.001 * 5.0 / np.sqrt(2.5), "bias correction"),
        (50, "multiply by the learning rate"),
        (-0.001, "positive number"),
    ],
}
