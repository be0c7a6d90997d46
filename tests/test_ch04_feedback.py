"""Chapter 04, exercise q1: (N,) and (N, D) inputs, and the feedback for loops and axes.

The table in ``tests/test_exercises.py`` already lists q1's classic mistakes; these are the
ones that only show with 2-D inputs or that raise instead of returning a wrong number.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext.exercises import ch04


def _verdict(answer: Any) -> tuple[bool, str]:
    result = ch04.q1.verdict(answer)
    return bool(result), result.message


def _mse_rows(prediction: np.ndarray, target: np.ndarray) -> Any:
    total = 0.0
    for p, t in zip(prediction, target, strict=True):
        total += (p - t) ** 2
    return total / len(prediction)


def _mse_flat(prediction: np.ndarray, target: np.ndarray) -> float:
    total = 0.0
    for p, t in zip(np.ravel(prediction), np.ravel(target), strict=True):
        total += (p - t) ** 2
    return total / np.size(prediction)


def test_flattening_loop_and_numpy_versions_are_accepted() -> None:
    assert _verdict(_mse_flat)[0]
    assert _verdict(lambda p, t: ((p - t) ** 2).mean())[0]


def test_loop_over_rows_is_told_about_2d_inputs() -> None:
    ok, message = _verdict(_mse_rows)
    assert not ok
    assert "it must also work for (N, D) arrays" in message


def test_axis_error_gets_a_diagnosis() -> None:
    ok, message = _verdict(lambda p, t: np.mean(np.sum((p - t) ** 2, axis=1)))
    assert not ok
    assert "raised AxisError" in message
    assert "no axis needed" in message


def test_squaring_the_mean_is_not_called_forgetting_to_square() -> None:
    ok, message = _verdict(lambda p, t: np.mean(p - t) ** 2)
    assert not ok
    assert "square each error *before* averaging" in message
    assert "forget" not in message


def test_prompt_states_the_accepted_shapes() -> None:
    assert "(N,) or (N, D)" in ch04.q1.prompt
