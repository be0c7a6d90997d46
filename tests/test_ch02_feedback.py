"""Chapter 02 exercises: feedback the shared mistake table cannot express.

ch02.q1 and ch02.q2 keep their original mistakes in ``tests/test_exercises.py``; the
newer feedback for them (True/False results, math.exp, `if` on arrays) is tested here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nbtext.exercises import ch02


def judge(exercise, answer):
    result = exercise.verdict(answer)
    return bool(result), result.message


@pytest.mark.parametrize(
    "answer",
    [
        lambda x: x > 0,
        lambda x: np.where(x > 0, True, False),
        lambda x: np.greater(x, 0),
    ],
)
def test_step_with_booleans_is_not_yet_correct(answer):
    correct, message = judge(ch02.q1, answer)
    assert not correct
    assert "returns True/False values, not numbers" in message
    assert "the exercise asks for 1 and 0, so cast the booleans with .astype(int)" in message


def test_step_with_wrong_booleans_gets_both_messages():
    correct, message = judge(ch02.q1, lambda x: x >= 0)
    assert not correct
    assert "not x >= 0" in message and "cast it with .astype(int)" in message


@pytest.mark.parametrize(
    "answer",
    [
        lambda x: (x > 0).astype(int),
        lambda x: (x > 0).astype(float),
        lambda x: np.where(x > 0, 1, 0),
        lambda x: np.heaviside(x, 0.0),
    ],
)
def test_step_with_numbers_is_correct(answer):
    assert judge(ch02.q1, answer)[0]


def test_scalar_step_on_arrays_is_explained():
    def step_function(x):
        return 1 if x > 0 else 0

    correct, message = judge(ch02.q1, step_function)
    assert not correct
    assert "raised ValueError" in message and "(x > 0).astype(int)" in message


def test_sigmoid_with_math_exp_is_told_to_use_np_exp():
    correct, message = judge(ch02.q2, lambda x: 1 / (1 + math.exp(-x)))
    assert not correct
    assert "raised TypeError" in message and "use np.exp" in message


def test_other_errors_keep_the_plain_message():
    def broken(x):
        raise KeyError("nope")

    correct, message = judge(ch02.q2, broken)
    assert not correct
    assert message.startswith("your function raised KeyError") and "np.exp" not in message
