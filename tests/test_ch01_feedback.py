"""Chapter 01 exercises: feedback the shared mistake table cannot express.

ch01.q1 and ch01.q2 keep their original mistakes in ``tests/test_exercises.py``; the
newer feedback for q2 (bias position, extra diagnoses) is tested here, with the index's
demo exercise; q3 onwards list their mistakes in ``tests/exercise_mistakes/ch01.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from nbtext.exercises import all_exercises, ch01, demo


def judge(exercise, answer):
    result = exercise.verdict(answer)
    return bool(result), result.message


def _bias_first(w, x, target, lr):
    """Reads w[0] as the bias although q2 puts it last: skips the real bias."""
    output = 1.0 if np.dot(w, x) > 0 else 0.0
    new = w + lr * (target - output) * x
    new[0] = w[0]
    return new


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        (ch01._target_as_error, "not the target alone"),
        (ch01._bias_skipped, "the bias b (the last entry of w"),
        (ch01._output_without_bias, "the bias included"),
        (ch01._weighted_sum_as_output, "not the weighted sum w · x itself"),
    ],
)
def test_q2_diagnoses(answer, text):
    correct, message = judge(ch01.q2, answer)
    assert not correct
    assert text in message


def test_q2_bias_is_last_like_q1_q3_q6():
    for case in ch01.q2.cases:
        w, x, _, _ = case.args
        assert w.shape == x.shape == (3,)
        assert x[-1] == 1.0  # x = (x1, x2, 1)
    assert not judge(ch01.q2, _bias_first)[0]


def test_q5_still_accepts_numpy_scalars():
    # a list for a number x1 is rejected (tests/exercise_mistakes/ch01.py); numpy scalars are fine
    assert judge(ch01.q5, lambda w1, w2, b, x1: np.float64(-(w1 * x1 + b) / w2))[0]
    assert judge(ch01.q5, lambda w1, w2, b, x1: -(w1 * x1 + b) / np.asarray(w2))[0]


def test_index_demo_gives_the_three_verdicts_and_stays_out_of_the_chapters(capsys):
    assert demo.q1.check(...).status == "not attempted"
    assert "forget to add the bias" in judge(demo.q1, 5)[1]
    assert demo.q1.check(4)
    assert demo.q1 not in all_exercises()
    capsys.readouterr()
