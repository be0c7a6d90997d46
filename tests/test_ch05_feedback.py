"""Chapter 05, exercise q1: the feedback for forward/backward differences with any step, a
too coarse central difference, and the chapter's 1-D loop used on a 2-D array.

The table in ``tests/test_exercises.py`` already lists q1's classic mistakes; these are the
variants a learner meets when adapting the chapter's ``central_difference_gradient``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from nbtext.exercises import ch05


def _verdict(answer: Any) -> tuple[bool, str]:
    result = ch05.q1.verdict(answer)
    return bool(result), result.message


def _difference(kind: str, h: float) -> Callable[[Any, np.ndarray], np.ndarray]:
    """A learner's loop over x.reshape(-1): central, forward or backward, step h."""

    def gradient(f: Any, x: np.ndarray) -> np.ndarray:
        grad = np.zeros_like(x)
        flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
        for i in range(flat_x.size):
            original = flat_x[i]
            flat_x[i] = original + (0.0 if kind == "backward" else h)
            upper = f(x)
            flat_x[i] = original - (0.0 if kind == "forward" else h)
            lower = f(x)
            flat_x[i] = original
            flat_g[i] = (upper - lower) / (2 * h if kind == "central" else h)
        return grad

    return gradient


def _chapter_loop(f: Any, theta: np.ndarray, h: float = 1e-5) -> np.ndarray:
    # The chapter's central_difference_gradient, written for 1-D arrays, with len(theta).
    grad = np.zeros_like(theta)
    for i in range(len(theta)):
        nudge = np.zeros_like(theta)
        nudge[i] = h
        grad[i] = (f(theta + nudge) - f(theta - nudge)) / (2 * h)
    return grad


@pytest.mark.parametrize("h", [1e-4, 1e-5, 1e-6])
def test_central_differences_with_a_small_step_are_accepted(h):
    assert _verdict(_difference("central", h))[0]


@pytest.mark.parametrize("h", [1e-2, 1e-3, 1e-4, 1e-5, 1e-6])
@pytest.mark.parametrize("kind", ["forward", "backward"])
def test_one_sided_differences_are_named(kind, h):
    ok, message = _verdict(_difference(kind, h))
    assert not ok
    assert f"{kind} difference" in message


@pytest.mark.parametrize("h", [1e-3, 1e-2])
def test_a_coarse_central_difference_is_told_to_use_a_smaller_step(h):
    ok, message = _verdict(_difference("central", h))
    assert not ok
    assert "too coarse" in message and "h = 1e-5" in message


def test_the_chapters_1d_loop_on_a_2d_array_is_pointed_to_reshape():
    ok, message = _verdict(_chapter_loop)
    assert not ok
    assert "whole row" in message and "x.reshape(-1)" in message


def test_an_index_error_on_the_2d_case_mentions_reshape():
    def by_size(f: Any, theta: np.ndarray, h: float = 1e-5) -> np.ndarray:
        grad = np.zeros_like(theta)
        for i in range(theta.size):
            nudge = np.zeros_like(theta)
            nudge[i] = h
            grad[i] = (f(theta + nudge) - f(theta - nudge)) / (2 * h)
        return grad

    ok, message = _verdict(by_size)
    assert not ok
    assert "raised IndexError" in message and "x.reshape(-1)" in message


def test_the_solution_uses_the_name_the_prompt_asks_for():
    assert "my_numerical_gradient" in ch05.q1.prompt
    assert ch05.q1.solution_text.startswith("def my_numerical_gradient(")
    assert "numerical_gradient(" not in ch05.q1.solution_text.replace("my_numerical_", "")
