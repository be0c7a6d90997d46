"""Whatever a learner hands to check(), the verdict comes quickly, briefly and without ending
the kernel (issue 14): answers of 10**7 numbers, functions returning 10**6, and answers that
raise SystemExit while being read. Also: a perfect prediction has loss 0.0, not -0.0."""

from __future__ import annotations

import time

import numpy as np
import pytest

from nbtext import losses
from nbtext.exercises import all_exercises
from nbtext.exercises._core import MAX_MESSAGE, FunctionExercise

EXERCISES = all_exercises()
HUGE = np.zeros(10**7)
LONG_RESULT = np.zeros(10**6)


def returns_a_huge_array(*_args, **_kwargs):
    return LONG_RESULT


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.name)
def test_a_huge_answer_gets_a_quick_short_verdict(exercise):
    answer = returns_a_huge_array if isinstance(exercise, FunctionExercise) else HUGE
    start = time.perf_counter()
    result = exercise.verdict(answer)
    elapsed = time.perf_counter() - start
    assert not result
    assert len(result.message) < MAX_MESSAGE
    assert elapsed < 1.0, f"{exercise.name}: {elapsed:.2f} s"


@pytest.mark.parametrize(
    "exercise",
    [ex for ex in EXERCISES if not isinstance(ex, FunctionExercise)],
    ids=lambda ex: ex.name,
)
def test_a_huge_list_or_tuple_gets_a_short_verdict(exercise):
    for answer in ([0.5] * 10**5, (0.5,) * 10**5):
        result = exercise.verdict(answer)
        assert not result and len(result.message) < MAX_MESSAGE


class EndsTheKernel:
    """An answer that raises SystemExit whenever anything tries to read it."""

    def __float__(self):
        raise SystemExit(3)

    def __array__(self, *args, **kwargs):
        raise SystemExit(3)

    def __len__(self):
        raise SystemExit(3)

    def __iter__(self):
        raise SystemExit(3)

    def __eq__(self, other):
        raise SystemExit(3)

    __hash__ = None


def exits(*_args, **_kwargs):
    raise SystemExit(1)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.name)
def test_system_exit_from_an_answer_never_escapes_check(exercise, capsys):
    for answer in (EndsTheKernel(), exits):
        result = exercise.check(answer)  # must not raise
        assert not result
        assert capsys.readouterr().out.startswith("Not yet:")


def test_keyboard_interrupt_still_stops_a_check():
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    function_exercise = next(ex for ex in EXERCISES if isinstance(ex, FunctionExercise))
    with pytest.raises(KeyboardInterrupt):
        function_exercise.verdict(interrupted)


@pytest.mark.parametrize(
    "loss, prediction, target",
    [
        (losses.binary_cross_entropy, np.array([1.0, 0.0]), np.array([1.0, 0.0])),
        (losses.categorical_cross_entropy, np.eye(3), np.eye(3)),
        (losses.sparse_categorical_cross_entropy, np.eye(3), np.arange(3)),
        (losses.softmax_cross_entropy, np.array([[800.0, 0.0]]), np.array([0])),
        (losses.binary_cross_entropy_with_logits, np.array([800.0, -800.0]), np.array([1, 0])),
    ],
)
def test_a_perfect_prediction_has_loss_zero_not_minus_zero(loss, prediction, target):
    value = loss(prediction, target)
    assert value == 0.0 and str(value) == "0.0"
