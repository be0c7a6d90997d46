"""Chapter 07 exercises: feedback that the table of typical mistakes cannot hold.

Exercise 2's mistakes live in ``tests/test_exercises.py``; the other textbook form of
momentum (v = μv − αg, p + v), which section 5 calls equivalent, is told apart here.
"""

from __future__ import annotations

import numpy as np

from nbtext.exercises import ch07


def _book_form(p, g, v, lr, momentum):  # type: ignore[no-untyped-def]
    new_v = momentum * v - lr * g
    return p + new_v, new_v


def test_q2_names_the_other_textbook_form_of_momentum() -> None:
    result = ch07.q2.verdict(_book_form)
    assert result.status == "not yet"
    assert "other textbook form" in result.message
    assert "buffer collects g itself" in result.message


def test_q2_both_forms_move_p_alike_from_a_zero_buffer() -> None:
    # Why the two forms are easy to mix up: from an empty buffer the first step agrees.
    p, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    ours, _ = ch07.momentum_step(p, g, np.zeros(2), 0.1, 0.9)
    theirs, _ = _book_form(p, g, np.zeros(2), 0.1, 0.9)
    np.testing.assert_allclose(ours, theirs)


def test_q4_and_q5_use_the_chapter_symbols() -> None:
    assert ch07.q4.params == ("p", "g", "v", "lr", "rho", "eps")
    assert "alpha" not in ch07.q4.solution_text and "rho" in ch07.q4.solution_text
    for text in (ch07.q5.prompt, *ch07.q5.hints, ch07.q5.solution_text):
        assert " b " not in f" {text} " and "b1" not in text
    assert ch07.q5.reference == 5.0
