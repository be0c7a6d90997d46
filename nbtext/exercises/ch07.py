"""Chapter 07 exercises: mini-batches, epochs, momentum and adaptive optimizers."""

from __future__ import annotations

import numpy as np

from nbtext.exercises._core import Case, ChoiceExercise, FunctionExercise, NumericExercise
from nbtext.optimizers import Adam, Momentum, RMSProp
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
    prompt="Write momentum_step(p, g, buf, lr, momentum) returning (new_p, new_buf), PyTorch form.",
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
        (
            lambda p, g, b, lr, m: (p + (m * b - lr * g), m * b - lr * g),
            "that is the other textbook form, v = momentum·v − lr·g and p + v, whose v is "
            "−lr times the buffer asked for here. This exercise uses the PyTorch form of "
            "section 5: the buffer collects g itself (new_buf = momentum·buf + g), and p "
            "moves by −lr·new_buf.",
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


# ------------------------------------------------------------ added with the notebook ---


def last_batch_size(n: int, batch_size: int) -> int:
    """How many samples the last mini-batch of an epoch holds (it is kept, as Keras does)."""
    return n - (iterations_per_epoch(n, batch_size) - 1) * batch_size


q3 = FunctionExercise(
    name="ch07.q3",
    chapter=7,
    prompt="Write last_batch_size(n, batch_size): how many samples the last mini-batch holds.",
    reference=last_batch_size,
    params=("n", "batch_size"),
    cases=(
        Case((1797, 32)),
        Case((1024, 32)),
        Case((100, 64)),
        Case((10, 1)),
        Case((5, 8)),
        Case((1797, 1797)),
    ),
    diagnoses=(
        (
            lambda n, b: n % b,
            "when batch_size divides n evenly, n % batch_size is 0, yet the last batch is "
            "then a full batch of batch_size samples.",
        ),
        (
            lambda n, b: n // b,
            "n // batch_size counts the full batches; the question asks how many samples "
            "the last batch holds.",
        ),
        (
            lambda n, b: -(-n // b),
            "that is the number of iterations per epoch; the question asks how many "
            "samples the last batch holds.",
        ),
        (
            lambda n, b: b - n % b,
            "that is how many samples the last batch is short of a full one, not how many "
            "it holds.",
        ),
        (
            lambda n, b: b,
            "the last batch holds only the samples that are left over, which can be fewer "
            "than batch_size.",
        ),
    ),
    hints=(
        "An epoch uses ceil(n / batch_size) batches; all but the last are full.",
        "The full batches hold (iterations − 1) · batch_size samples; the last batch gets "
        "the rest.",
        "n % batch_size is almost right, except when it is 0: then the last batch is full.",
    ),
    solution_text=(
        "import math\n\n"
        "def last_batch_size(n, batch_size):\n"
        "    iterations = math.ceil(n / batch_size)\n"
        "    return n - (iterations - 1) * batch_size"
    ),
)


def rmsprop_step(
    p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, rho: float, eps: float
) -> tuple[np.ndarray, np.ndarray]:
    """One step of nbtext.optimizers.RMSProp from average ``v``: returns ``(new_p, new_v)``."""
    opt = RMSProp(lr=lr, alpha=rho, eps=eps)
    new_p = np.array(p, dtype=np.float64)
    # A first step with a zero gradient creates the state (v stays 0); then load v into it.
    opt.step({"p": np.zeros_like(new_p)}, {"p": np.zeros_like(new_p)})
    opt.state["p"]["square_avg"][...] = v
    opt.step({"p": new_p}, {"p": np.array(g, dtype=np.float64)})
    return new_p, opt.state["p"]["square_avg"].copy()


q4 = FunctionExercise(
    name="ch07.q4",
    chapter=7,
    prompt="Write rmsprop_step(p, g, v, lr, rho, eps) returning (new_p, new_v).",
    reference=rmsprop_step,
    params=("p", "g", "v", "lr", "rho", "eps"),
    cases=(
        Case((np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.zeros(2), 0.01, 0.99, 1e-8)),
        Case(
            (np.array([1.0, -2.0]), np.array([0.5, -1.0]), np.array([1.0, 0.25]), 0.01, 0.9, 1e-8)
        ),
        Case(
            (np.array([[0.0, 1.0]]), np.array([[2.0, 0.0]]), np.array([[0.5, 0.5]]), 0.1, 0.5, 1e-8)
        ),
        # A large eps and a tiny gradient: here sqrt(v) + eps and sqrt(v + eps) differ clearly.
        Case((np.array([1.0, -1.0]), np.array([1e-3, -2e-3]), np.zeros(2), 0.1, 0.9, 0.01)),
    ),
    diagnoses=(
        (
            lambda p, g, v, lr, a, e: (p - lr * g / (np.sqrt(v) + e), a * v + (1 - a) * g**2),
            "update the average first, then divide by the square root of the NEW average.",
        ),
        (
            lambda p, g, v, lr, a, e: (
                p - lr * g / np.sqrt(a * v + (1 - a) * g**2 + e),
                a * v + (1 - a) * g**2,
            ),
            "eps goes outside the root, sqrt(v) + eps, as torch.optim.RMSprop (and the chapter) "
            "write it; sqrt(v + eps) is a different rule, which differs when v is small.",
        ),
        (
            lambda p, g, v, lr, a, e: (
                p - lr * g / ((a * v + (1 - a) * g**2) + e),
                a * v + (1 - a) * g**2,
            ),
            "divide by the square root of the average, sqrt(v) + eps, not by v itself.",
        ),
        (
            lambda p, g, v, lr, a, e: (
                p - lr * g / (np.sqrt((1 - a) * v + a * g**2) + e),
                (1 - a) * v + a * g**2,
            ),
            "rho weighs the OLD average: v = rho * v + (1 - rho) * g**2.",
        ),
        (
            lambda p, g, v, lr, a, e: (p - lr * g / (np.sqrt(v + g**2) + e), v + g**2),
            "that is AdaGrad's growing sum; RMSProp keeps a running average that forgets: "
            "rho * v + (1 - rho) * g**2.",
        ),
        (
            lambda p, g, v, lr, a, e: (
                p - lr * g / (np.sqrt(np.abs(a * v + (1 - a) * g)) + e),
                a * v + (1 - a) * g,
            ),
            "the running average is of the SQUARED gradient, g**2.",
        ),
        (
            lambda p, g, v, lr, a, e: (
                p + lr * g / (np.sqrt(a * v + (1 - a) * g**2) + e),
                a * v + (1 - a) * g**2,
            ),
            "the step goes downhill: subtract it from p.",
        ),
        (
            lambda p, g, v, lr, r, e: (
                p - r * g / (np.sqrt(lr * v + (1 - lr) * g**2) + e),
                lr * v + (1 - lr) * g**2,
            ),
            "lr and rho look swapped: rho (the decay, 0.99 by default) weighs the old "
            "average, v = rho * v + (1 - rho) * g**2, and lr scales the step on p.",
        ),
    ),
    hints=(
        "Two lines: first the new running average v of g**2, then the step on p.",
        "new_v = rho * v + (1 - rho) * g**2",
        "new_p = p - lr * g / (np.sqrt(new_v) + eps); return new_p, new_v",
    ),
    solution_text=(
        "def rmsprop_step(p, g, v, lr, rho, eps):\n"
        "    new_v = rho * v + (1 - rho) * g**2\n"
        "    new_p = p - lr * g / (np.sqrt(new_v) + eps)\n"
        "    return new_p, new_v"
    ),
)


def _buffer_limit(momentum: float = 0.9, steps: int = 400) -> float:
    """The momentum buffer after many steps of the gradient 1, run by nbtext's Momentum."""
    opt = Momentum(lr=1e-3, momentum=momentum)
    p = np.zeros(1)
    for _ in range(steps):
        opt.step({"p": p}, {"p": np.ones(1)})
    return float(opt.state["p"]["momentum_buffer"][0])


q5 = NumericExercise(
    name="ch07.q5",
    chapter=7,
    prompt="Momentum 0.8 and the same gradient g = 1 at every step: what value does m approach?",
    reference=round(_buffer_limit(0.8), 6),
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        (0.8, "0.8 is the decay factor; the buffer adds g = 1 on every step and keeps growing."),
        (1.0, "m starts at g = 1, but each step adds another g to the decayed old buffer."),
        (1.8, "1.8 is m after two steps; keep going: 1 + 0.8 + 0.64 + …"),
        (4.0, "0.8 + 0.64 + … = 4 leaves out the first term, g = 1 itself."),
        (0.2, "1 − 0.8 = 0.2; the limit of 1 + 0.8 + 0.64 + … is its reciprocal."),
        (10.0, "10 = 1 / (1 − 0.9) is section 5's example, momentum 0.9; here it is 0.8."),
    ),
    hints=(
        "Write out m for the first steps: m1 = 1, m2 = 0.8 · 1 + 1 = 1.8, m3 = …",
        "m is the geometric series 1 + 0.8 + 0.64 + 0.512 + … = 1 / (1 − 0.8).",
        "At the limit m = 0.8 · m + 1; solve for m.",
    ),
    solution_text=(
        "5 = 1 / (1 − 0.8): at the limit m = 0.8 m + 1. With a steady slope, momentum 0.8 "
        "moves about five times as far per step as plain SGD with the same learning rate "
        "(momentum 0.9: ten times)."
    ),
)

q6 = ChoiceExercise(
    name="ch07.q6",
    chapter=7,
    prompt="Why do AdaGrad's steps keep shrinking during a long run?",
    reference="a",
    options={
        "a": "its sum of squared gradients s only grows, so lr / sqrt(s) only shrinks",
        "b": "it lowers the learning rate by a fixed schedule",
        "c": "its momentum buffer cancels the gradient out",
        "d": "the gradients themselves always shrink to zero",
    },
    aliases=("the sum only grows", "s only grows", "accumulator only grows"),
    diagnoses={
        "b": "AdaGrad has no schedule of its own; the shrinking comes from the gradients "
        "it has seen.",
        "c": "AdaGrad has no momentum buffer; it keeps a sum of squared gradients.",
        "d": "even with a constant gradient the steps shrink: after t equal gradients the "
        "step is lr / sqrt(t).",
    },
    hints=(
        "Look at AdaGrad's state: what does it add on every step, and is it ever reduced?",
        "s ← s + g², and the step is lr · g / (sqrt(s) + eps).",
        "With a constant gradient g > 0 the step after t steps is lr · g / sqrt(t · g²) "
        "= lr / sqrt(t).",
    ),
    solution_text=(
        "(a): s ← s + g² adds a non-negative number on every step and never forgets, so the "
        "divisor sqrt(s) grows and the step lr · g / sqrt(s) shrinks, even where the gradient "
        "stays large. RMSProp replaces the sum by a running average that forgets."
    ),
)

q7 = NumericExercise(
    name="ch07.q7",
    chapter=7,
    prompt="1000 samples, batch size 64, 10 epochs: how many updates (iterations) in total?",
    reference=10 * iterations_per_epoch(1000, 64),
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        (
            150,
            "1000 // 64 = 15 drops the last batch of 40 samples; it is kept, so each epoch "
            "has 16 iterations.",
        ),
        (
            157,
            "ceil(10000 / 64) treats 10 epochs as one long pass; every epoch ends with its "
            "own smaller last batch, so round up per epoch, then multiply.",
        ),
        (156.25, "an iteration count is a whole number: round up per epoch, then multiply."),
        (16, "16 is one epoch; there are 10."),
        (10000, "one update per mini-batch of 64, not one per sample."),
    ),
    hints=(
        "First count the iterations in one epoch, then multiply by the number of epochs.",
        "One epoch: ceil(1000 / 64); the last batch holds the 40 samples left over.",
        "10 · ceil(1000 / 64)",
    ),
    solution_text=(
        "160 = 10 · ceil(1000 / 64) = 10 · 16: each epoch has 15 full batches of 64 and a "
        "last batch of 40."
    ),
)


def _adam_first_move(g: float = 50.0, lr: float = 1e-3) -> float:
    """How far nbtext's Adam moves a coordinate with gradient ``g`` on its first step."""
    p = np.zeros(1)
    Adam(lr=lr).step({"p": p}, {"p": np.array([g])})
    return float(-p[0])


q8 = NumericExercise(
    name="ch07.q8",
    chapter=7,
    prompt="Adam with lr = 0.001: how far does a coordinate with gradient 50 move on step 1?",
    reference=round(_adam_first_move(), 9),
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        (0.05, "lr · g is plain SGD's step; Adam divides the (average) gradient by its RMS."),
        (
            0.001 * 5.0 / np.sqrt(2.5),
            "without the bias correction m = 0.1·g and v = 0.001·g² are pulled towards their "
            "zero start; Adam divides them by 1 − β1 and 1 − β2 first.",
        ),
        (50.0, "multiply by the learning rate: the move is lr · m̂ / (sqrt(v̂) + eps)."),
        (-0.001, "give the distance moved, a positive number (the move itself is downhill)."),
    ),
    hints=(
        "On the first step the bias correction gives m̂ = g and v̂ = g².",
        "The move is lr · m̂ / (sqrt(v̂) + eps) = lr · g / (|g| + eps).",
        "g / |g| = 1 for any positive g: the size of the gradient drops out.",
    ),
    solution_text=(
        "0.001 (to 8 digits: lr · 50 / (50 + 1e-8)). On the first step m̂ = g and "
        "v̂ = g², so every coordinate moves by about lr, whatever the gradient's size: "
        "Adam's step is set by lr, SGD's by lr · g (here 0.05)."
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
