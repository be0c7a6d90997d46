"""Chapter 07 exercises: mini-batches, epochs and momentum."""

from __future__ import annotations

import numpy as np

from nbtext.exercises._core import Case, FunctionExercise, NumericExercise
from nbtext.optimizers import Momentum
from nbtext.training import iterations_per_epoch

q1 = NumericExercise(
    name="ch07.q1",
    chapter=7,
    prompt="How many iterations make one epoch over 1797 samples with batch size 32?",
    reference=iterations_per_epoch(1797, 32),
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        (
            1797 // 32,
            "1797 / 32 = 56.16: the last, smaller batch of 5 samples is one more "
            "iteration (round up).",
        ),
        (1797 / 32, "an iteration count is a whole number: round 56.16 up."),
        (1797 * 32, "divide the number of samples by the batch size."),
        (1797, "one iteration processes a whole batch of 32 samples, not one sample."),
    ),
    hints=(
        "One iteration processes one mini-batch; an epoch visits every sample once.",
        "1797 / 32 = 56.16; what happens to the 5 samples left over?",
        "math.ceil(1797 / 32)",
    ),
    solution_text="57 = ceil(1797 / 32): 56 full batches of 32 and one last batch of 5.",
)


def momentum_step(
    p: np.ndarray, g: np.ndarray, buf: np.ndarray, lr: float, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """One heavy-ball step of nbtext.optimizers.Momentum: returns ``(new_p, new_buf)``.

    The optimizer's first step sets its buffer to the gradient it sees, so a step on a
    scratch copy with gradient ``buf`` loads ``buf``; the real step then follows.
    """
    opt = Momentum(lr=lr, momentum=momentum)
    opt.step({"p": np.zeros_like(p, dtype=np.float64)}, {"p": np.array(buf, dtype=np.float64)})
    new_p = np.array(p, dtype=np.float64)
    opt.step({"p": new_p}, {"p": np.array(g, dtype=np.float64)})
    return new_p, opt.state["p"]["momentum_buffer"].copy()


q2 = FunctionExercise(
    name="ch07.q2",
    chapter=7,
    prompt="Write momentum_step(p, g, buf, lr, momentum) returning (new_p, new_buf).",
    reference=momentum_step,
    params=("p", "g", "buf", "lr", "momentum"),
    cases=(
        Case((np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.zeros(2), 0.1, 0.9)),
        Case((np.array([1.0, -2.0]), np.array([0.5, -1.0]), np.array([1.0, 2.0]), 0.1, 0.9)),
        Case((np.array([[0.0, 1.0]]), np.array([[2.0, 0.0]]), np.array([[-1.0, 1.0]]), 0.5, 0.5)),
    ),
    diagnoses=(
        (
            lambda p, g, b, lr, m: (p + lr * (m * b + g), m * b + g),
            "the step goes downhill: subtract lr · buf from p.",
        ),
        (
            lambda p, g, b, lr, m: (p - lr * (m * b + g), b + g),
            "the old buffer decays: multiply it by momentum before adding g.",
        ),
        (
            lambda p, g, b, lr, m: (p - lr * g, m * b + g),
            "p should move by the new buffer, not by the raw gradient g.",
        ),
        (
            lambda p, g, b, lr, m: (p - lr * (m * b + lr * g), m * b + lr * g),
            "in this (PyTorch) "
            "form the buffer collects g itself; lr is applied only when p is updated.",
        ),
    ),
    hints=(
        "First update the buffer, then use it to move p.",
        "new_buf = momentum * buf + g",
        "return p - lr * new_buf, new_buf",
    ),
    solution_text=(
        "def momentum_step(p, g, buf, lr, momentum):\n"
        "    new_buf = momentum * buf + g\n"
        "    return p - lr * new_buf, new_buf"
    ),
)

EXERCISES = (q1, q2)
