"""A made-up exercise for the index notebook, to show the three verdicts and the help.

``from nbtext.exercises import demo`` then ``demo.q1.check(4)``. It belongs to no chapter,
so :func:`nbtext.exercises.all_exercises` leaves it out.
"""

from __future__ import annotations

from nbtext.exercises._core import NumericExercise

q1 = NumericExercise(
    name="demo.q1",
    chapter=0,
    prompt="The weighted sum a = w·x + b for w = (1, 2), b = -1, x = (3, 1)?",
    reference=4.0,
    diagnoses=((5.0, "did you forget to add the bias b?"),),
    hints=("a = w1·x1 + w2·x2 + b.", "a = 1·3 + 2·1 + (−1)."),
    solution_text="a = 1*3 + 2*1 - 1 = 4",
)

EXERCISES = (q1,)
