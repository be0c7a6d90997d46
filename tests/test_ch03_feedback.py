"""Chapter 03 exercises: feedback that the table of typical mistakes cannot express.

Rounding in q1, a single number for q2's shape, a fractional count in q5, a forgotten
``return`` versus an untouched stub (q3, q4), and the overflow cases that only a softmax
shifted by each row's own maximum passes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nbtext.exercises import ch03


def _verdict(exercise: Any, answer: Any) -> tuple[str, str]:
    result = exercise.verdict(answer)
    return result.status, result.message


def test_q1_asks_for_rounding_not_truncation_or_fewer_decimals() -> None:
    assert _verdict(ch03.q1, [0.2537, 0.0566, 0.6897])[0] == "correct"
    status, message = _verdict(ch03.q1, [0.2537, 0.0566, 0.6896])
    assert status == "not yet" and "truncated" in message
    status, message = _verdict(ch03.q1, [0.254, 0.057, 0.690])
    assert status == "not yet" and "4 decimal places" in message


def test_q1_is_not_the_example_the_chapter_prints() -> None:
    assert not np.allclose(ch03.q1.reference, [0.01821127, 0.24519181, 0.73659691], atol=1e-3)


@pytest.mark.parametrize("answer", [8, 8.0, (8,), np.int64(8)])
def test_q2_single_number_is_told_a_shape_has_two_entries(answer: Any) -> None:
    status, message = _verdict(ch03.q2, answer)
    assert status == "not yet"
    assert "tuple of two numbers" in message


def test_q5_fractional_count_is_told_counts_are_whole() -> None:
    status, message = _verdict(ch03.q5, 45360.4)
    assert status == "not yet"
    assert "45360.4" in message and "whole number" in message
    assert _verdict(ch03.q5, 45360.0)[0] == "correct"


def _stub_pass(a: Any) -> Any:
    pass


def _stub_docstring(a: Any) -> Any:
    """Your code here."""


def _stub_returns_ellipsis(a: Any) -> Any:
    return ...


def _forgot_return(a: Any) -> Any:
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    e / np.sum(e, axis=-1, keepdims=True)


@pytest.mark.parametrize("stub", [_stub_pass, _stub_docstring, _stub_returns_ellipsis])
def test_untouched_stubs_stay_not_attempted(stub: Any) -> None:
    assert _verdict(ch03.q3, stub)[0] == "not attempted"


def test_code_without_return_is_told_so() -> None:
    status, message = _verdict(ch03.q3, _forgot_return)
    assert status == "not yet"
    assert "forget the `return`" in message


def _row_min(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.min(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _batch_max(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - np.max(a))
    return e / np.sum(e, axis=-1, keepdims=True)


@pytest.mark.parametrize("wrong", [_row_min, _batch_max])
def test_q3_rejects_shifts_that_overflow_or_underflow(wrong: Any) -> None:
    status, message = _verdict(ch03.q3, wrong)
    assert status == "not yet"
    assert "nan or inf" in message
    assert "np.max(a, axis=-1, keepdims=True)" in message


def test_q3_accepts_other_correct_softmaxes() -> None:
    assert _verdict(ch03.q3, ch03.softmax_rows)[0] == "correct"
    assert _verdict(ch03.q3, lambda a: np.exp(a - a.max(-1, keepdims=True)) / np.exp(
        a - a.max(-1, keepdims=True)).sum(-1, keepdims=True))[0] == "correct"  # fmt: skip


def test_q4_rejects_a_naive_softmax_and_accepts_a_stable_one() -> None:
    def logits(n: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
        return np.maximum(0.0, X @ n["W1"] + n["b1"]) @ n["W2"] + n["b2"]

    def naive(n: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
        e = np.exp(logits(n, X))
        return e / e.sum(axis=1, keepdims=True)

    status, message = _verdict(ch03.q4, naive)
    assert status == "not yet" and "np.exp overflowed" in message
    assert _verdict(ch03.q4, lambda n, X: ch03.softmax_rows(logits(n, X)))[0] == "correct"
