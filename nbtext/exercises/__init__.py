"""Self-check exercises, one module per chapter: ``from nbtext.exercises import ch05``.

Each exercise (``ch05.q1`` …) has ``check(answer)``, ``hint()`` and ``solution()``;
``check`` prints one verdict (correct / not yet, with the reason / not attempted) and
returns a result that is truthy only when the answer is correct. No network, no telemetry.
"""

from __future__ import annotations

from nbtext.exercises import (
    ch01,
    ch02,
    ch03,
    ch04,
    ch05,
    ch06,
    ch07,
    ch08,
    ch09,
    ch10,
    ch11,
    ch12,
)
from nbtext.exercises._core import (
    ChoiceExercise,
    CustomExercise,
    Exercise,
    FunctionExercise,
    NumericExercise,
    Result,
)

_CHAPTERS = (ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09, ch10, ch11, ch12)

__all__ = [
    "ChoiceExercise",
    "CustomExercise",
    "Exercise",
    "FunctionExercise",
    "NumericExercise",
    "Result",
    "all_exercises",
    "ch01",
    "ch02",
    "ch03",
    "ch04",
    "ch05",
    "ch06",
    "ch07",
    "ch08",
    "ch09",
    "ch10",
    "ch11",
    "ch12",
]


def all_exercises() -> list[Exercise]:
    """Every exercise object of every chapter module, in chapter and question order."""
    return [ex for module in _CHAPTERS for ex in module.EXERCISES]
