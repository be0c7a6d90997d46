"""Chapter 12 exercises: a training recipe.

The schedules are nbtext.schedules' (each equal to its torch.optim.lr_scheduler counterpart):
the model answers call them, so the exercises cannot drift from the package.
"""

from __future__ import annotations

import math

import numpy as np

from nbtext.exercises._core import Case, ChoiceExercise, FunctionExercise, NumericExercise
from nbtext.schedules import CosineDecay, LinearWarmup, StepDecay

# ------------------------------------------------------------- step decay ---

_STEP = StepDecay(0.1, step_size=10, gamma=0.5)

q1 = NumericExercise(
    name="ch12.q1",
    chapter=12,
    prompt=(
        "Step decay starts at the learning rate 0.1 and halves it every 10 epochs "
        "(StepDecay(0.1, step_size=10, gamma=0.5)). Which rate does epoch 25 use, counting "
        "epochs from 0?"
    ),
    reference=_STEP(25),
    rtol=1e-6,
    atol=0.0,
    diagnoses=(
        (
            0.1 * 0.5 ** (25 / 10),
            "the rate changes in steps, not smoothly: the exponent is the number of whole "
            "periods completed, ⌊25 / 10⌋ = 2 (25 // 10 in Python), not 2.5.",
        ),
        (
            0.1 * 0.5**3,
            "that is three halvings; epochs 0–9 use 0.1, 10–19 the first halving, 20–29 the "
            "second: ⌊25 / 10⌋ = 2.",
        ),
        (
            0.1 * 0.5,
            "that is one halving; by epoch 25 two periods of 10 epochs have passed (at epochs "
            "10 and 20): ⌊25 / 10⌋ = 2.",
        ),
        (0.1, "the rate has already been halved twice by epoch 25 (at epochs 10 and 20)."),
        (
            0.1 - 2 * 0.05,
            "step decay multiplies by gamma at each step, it does not subtract: 0.1 · 0.5².",
        ),
    ),
    hints=(
        "Count how many whole periods of 10 epochs lie before epoch 25.",
        "The rate is lr · gamma^⌊t / step_size⌋.",
        "0.1 * 0.5 ** (25 // 10)",
    ),
    solution_text=(
        "rate = 0.1 * 0.5 ** (25 // 10)   # two halvings, at epochs 10 and 20\n"
        f"# = {_STEP(25):g}; nbtext.schedules.StepDecay(0.1, 10, gamma=0.5)(25) gives the same"
    ),
)

# ----------------------------------------------------------- cosine decay ---

_COSINE = CosineDecay(0.1, total_steps=100)
_C = math.cos(math.pi * 20 / 100)

q2 = NumericExercise(
    name="ch12.q2",
    chapter=12,
    prompt=(
        "Cosine decay lowers the learning rate from 0.1 to 0 over 100 epochs "
        "(CosineDecay(0.1, total_steps=100)). Which rate does epoch 20 use, counting epochs from "
        "0 (to 3 significant digits or more)?"
    ),
    reference=_COSINE(20),
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        (
            0.1 * (1 + _C),
            "you forgot to halve: (1 + cos) runs from 2 down to 0, so η·(1 + cos(πt/T))/2 "
            "runs from η down to 0.",
        ),
        (
            0.1 * _C / 2,
            "the formula is η·(1 + cos(πt/T))/2: without the 1 +, the rate would start at η/2 "
            "and end negative.",
        ),
        (
            0.1 * (1 + math.cos(math.radians(math.pi * 20 / 100))) / 2,
            "π·t/T is an angle in radians: math.cos and np.cos take radians, so do not convert "
            "to or from degrees.",
        ),
        (
            0.1 * (1 + math.sin(math.pi * 20 / 100)) / 2,
            "it is the cosine, which starts at 1 (the full rate) for t = 0, not the sine.",
        ),
        (
            _COSINE(19),
            "that is epoch 19's rate: epochs are counted from 0, so epoch 20 has t = 20.",
        ),
        (
            0.1 * (1 + math.cos(20 / 100)) / 2,
            "the angle is π·t/T, not t/T: without π the cosine hardly moves from 1 and the rate "
            "would barely fall in 100 epochs.",
        ),
        (
            0.1 * (1 - 20 / 100),
            "that is a straight line from 0.1 to 0; cosine decay follows "
            "half a cosine wave, slowly at first: η·(1 + cos(πt/T))/2.",
        ),
    ),
    hints=(
        "The rate is η·(1 + cos(π·t/T))/2 with η = 0.1, T = 100 and t = 20.",
        "π·20/100 = π/5, in radians.",
        "0.1 * (1 + math.cos(math.pi * 20 / 100)) / 2",
    ),
    solution_text=(
        "rate = 0.1 * (1 + math.cos(math.pi * 20 / 100)) / 2\n"
        f"# = {_COSINE(20):.6f}: after a fifth of the epochs the rate has lost under a tenth;\n"
        "# the cosine falls slowly at first, fastest half-way, slowly again at the end"
    ),
)

# -------------------------------------------------------- linear warm-up ---


def warmup(t: int, lr: float, warmup_steps: int, start_factor: float = 0.1) -> float:
    """The model answer: nbtext.schedules.LinearWarmup without a schedule after it."""
    return LinearWarmup(lr, warmup_steps, start_factor=start_factor)(t)


def _capped(value: float, lr: float) -> float:
    return min(value, lr)


q3 = FunctionExercise(
    name="ch12.q3",
    chapter=12,
    prompt=(
        "Write warmup(t, lr, warmup_steps, start_factor=0.1): the learning rate of step t "
        "(from 0) under a linear warm-up that starts at start_factor·lr, rises in a straight "
        "line to lr at step warmup_steps, and stays at lr after that."
    ),
    reference=warmup,
    params=("t", "lr", "warmup_steps", "start_factor"),
    cases=(
        Case((0, 1.0, 4)),
        Case((2, 1.0, 4)),
        Case((4, 0.5, 4)),
        Case((3, 0.5, 4)),
        Case((10, 0.5, 4), "t = 10, lr = 0.5, warmup_steps = 4 (after the warm-up)"),
        Case((1, 0.2, 5, 0.25)),
    ),
    rtol=1e-9,
    atol=1e-12,
    diagnoses=(
        (
            lambda t, lr, w, f=0.1: _capped(lr * t / w, lr),
            "the warm-up starts at start_factor·lr, not at 0 (a rate of 0 would waste the "
            "first step): lr·(f + (1 − f)·t / warmup_steps).",
        ),
        (
            lambda t, lr, w, f=0.1: _capped(lr * (f + (1 - f) * t / (w - 1)), lr),
            "the rate reaches lr at step warmup_steps itself, so divide by warmup_steps, not "
            "warmup_steps − 1.",
        ),
        (
            lambda t, lr, w, f=0.1: lr * (f + (1 - f) * t / w),
            "after the warm-up the rate stays at lr: the straight line must stop at "
            "t = warmup_steps (min(…, lr), or an if).",
        ),
        (
            lambda t, lr, w, f=0.1: f * lr,
            "the rate must rise during the warm-up: from start_factor·lr at t = 0 to lr at "
            "t = warmup_steps.",
        ),
        (
            lambda t, lr, w, f=0.1: _capped(lr * (f + t / w), lr),
            "the rise covers what is left above the start, (1 − start_factor)·lr: "
            "lr·(f + (1 − f)·t / warmup_steps).",
        ),
    ),
    hints=(
        "Two cases: t < warmup_steps (on the line) and t ≥ warmup_steps (the full rate).",
        "On the line, the fraction of lr grows from start_factor to 1: start_factor + "
        "(1 − start_factor)·t / warmup_steps.",
        "if t >= warmup_steps: return lr; else: return lr * (start_factor + (1 - start_factor) "
        "* t / warmup_steps)",
    ),
    solution_text=(
        "def warmup(t, lr, warmup_steps, start_factor=0.1):\n"
        "    if t >= warmup_steps:\n"
        "        return lr\n"
        "    return lr * (start_factor + (1 - start_factor) * t / warmup_steps)\n"
        "# nbtext.schedules.LinearWarmup(lr, warmup_steps, start_factor=...) is the same rule,\n"
        "# and torch.optim.lr_scheduler.LinearLR(..., start_factor, total_iters=warmup_steps)"
    ),
)

# ------------------------------------------------------- reading curves ---

q4 = ChoiceExercise(
    name="ch12.q4",
    chapter=12,
    prompt=(
        "Four runs printed their training loss per epoch. A: 2.2, 1.4, 1.8, 1.2, 0.9, 1.6. "
        "B: 2.77, 2.72, 2.68, 2.64, 2.60, 2.56. C: 1.96, 0.56, 0.30, 0.20, 0.15, 0.11. "
        "D: 2.80, 2.38, 2.27, 2.20, 2.14, 2.10, while its validation loss rises from 2.55 to "
        "2.70 and its accuracy stays near 10 %. Which run has a learning rate that is too high?"
    ),
    reference="a",
    options={"a": "A", "b": "B", "c": "C", "d": "D"},
    aliases=("run a", "a."),
    diagnoses={
        "b": "B falls slowly and almost in a straight line: steps too small, a learning rate "
        "that is too low (multiply it by about 10).",
        "c": "C drops fast, then flattens: the healthy shape of a good learning rate.",
        "d": "D's training loss creeps down while its validation loss rises from the start and "
        "its accuracy stays at chance: the network memorizes noise. That points to the data, "
        "such as labels shuffled apart from their inputs, not to the learning rate.",
    },
    hints=(
        "A learning rate that is too high overshoots the valley: the loss stops falling steadily.",
        "Look for a loss that jumps up as well as down.",
    ),
    solution_text=(
        "'a': A's loss jumps up and down (1.4, 1.8, 1.2, 0.9, 1.6): each step overshoots.\n"
        "B is too low a rate (slow and straight), C about right, D a bug in the data."
    ),
)

# ---------------------------------------------- the loss of a blind network ---

_COUNTS5 = np.array([5, 3, 2])
_P5 = _COUNTS5 / _COUNTS5.sum()

q5 = NumericExercise(
    name="ch12.q5",
    chapter=12,
    prompt=(
        "You overfit one batch of 10 digits whose labels are 5 zeros, 3 ones and 2 twos, but "
        "a bug keeps the inputs from reaching the network. At which value does the "
        "cross-entropy loss get stuck (natural logarithm)?"
    ),
    reference=float(-np.sum(_P5 * np.log(_P5))),
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        (
            math.log(3),
            "ln 3 is the loss of guessing all three labels equally often; a network that "
            "cannot see its inputs still learns how often each label occurs, and predicts "
            "0.5, 0.3, 0.2.",
        ),
        (
            2.0423,
            "that is the entropy of the 20 labels in section 3; this batch has 5 zeros, 3 ones "
            "and 2 twos: −Σ p ln p with p = 0.5, 0.3, 0.2.",
        ),
        (
            float(-np.sum(_P5 * np.log2(_P5))),
            "that is the entropy in bits (log base 2); cross-entropy uses the natural logarithm.",
        ),
        (
            float(-np.sum(_P5 * np.log10(_P5))),
            "that uses log base 10; cross-entropy uses the natural logarithm (np.log).",
        ),
        (
            float(np.sum(_P5 * np.log(_P5))),
            "a loss is never negative: the entropy is −Σ p·ln p.",
        ),
        (
            float(-np.mean(np.log(_P5))),
            "each label counts as often as it occurs: weight −ln p by the share p of the "
            "samples, −Σ p·ln p, rather than averaging over the three labels.",
        ),
    ),
    hints=(
        "Without inputs the best the network can do is predict the same probabilities for "
        "every sample: the share of each label, 0.5, 0.3 and 0.2.",
        "The mean cross-entropy is then −Σ p·ln p over the three labels: the entropy.",
        "-(0.5 * np.log(0.5) + 0.3 * np.log(0.3) + 0.2 * np.log(0.2))",
    ),
    solution_text=(
        "p = np.array([5, 3, 2]) / 10\n"
        "loss = -np.sum(p * np.log(p))\n"
        f"# ≈ {float(-np.sum(_P5 * np.log(_P5))):.4f}: below ln 3 ≈ 1.0986 (three labels "
        "equally often),\n# because the network learns that zeros are the most common"
    ),
)

# ------------------------------------------------------- a log scale ---


def log_uniform(rng: np.random.Generator, low: float, high: float, n: int) -> np.ndarray:
    """The model answer: n values spread evenly on a log scale between low and high."""
    return 10.0 ** rng.uniform(np.log10(low), np.log10(high), n)


def _fresh(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


q6 = FunctionExercise(
    name="ch12.q6",
    chapter=12,
    prompt=(
        "Write log_uniform(rng, low, high, n): n random values between low and high, spread "
        "evenly on a log scale (as many between 0.001 and 0.01 as between 0.01 and 0.1). "
        "Draw the exponents with one call rng.uniform(…, n)."
    ),
    reference=log_uniform,
    params=("rng", "low", "high", "n"),
    cases=(
        Case(
            (_fresh(0), 1e-4, 1.0, 5), "rng = np.random.default_rng(0), low = 1e-4, high = 1, n = 5"
        ),
        Case(
            (_fresh(1), 1e-6, 1e-1, 8),
            "rng = np.random.default_rng(1), low = 1e-6, high = 0.1, n = 8",
        ),
        Case(
            (_fresh(2), 0.5, 8.0, 3), "rng = np.random.default_rng(2), low = 0.5, high = 8, n = 3"
        ),
    ),
    rtol=1e-9,
    atol=0.0,
    diagnoses=(
        (
            lambda rng, low, high, n: rng.uniform(low, high, n),
            "that is uniform on the ordinary scale: between 1e-4 and 1 almost every value lands "
            "above 0.1. Draw the exponent uniformly, between log10(low) and log10(high), then "
            "take 10 to that power.",
        ),
        (
            lambda rng, low, high, n: rng.uniform(np.log10(low), np.log10(high), n),
            "those are the exponents; the values are 10 ** exponent.",
        ),
        (
            lambda rng, low, high, n: 10.0 ** rng.uniform(low, high, n),
            "the exponents must run from log10(low) to log10(high), not from low to high.",
        ),
        (
            lambda rng, low, high, n: np.exp(rng.uniform(np.log10(low), np.log10(high), n)),
            "log10 and exp do not undo each other: use 10 ** u with log10, or np.exp with np.log.",
        ),
    ),
    hints=(
        "Choose the exponent u at random, evenly between log10(low) and log10(high); the "
        "value is then 10^u.",
        "u = rng.uniform(np.log10(low), np.log10(high), n)",
        "return 10 ** rng.uniform(np.log10(low), np.log10(high), n)",
    ),
    solution_text=(
        "def log_uniform(rng, low, high, n):\n"
        "    exponents = rng.uniform(np.log10(low), np.log10(high), n)\n"
        "    return 10 ** exponents\n"
        "# np.exp(rng.uniform(np.log(low), np.log(high), n)) gives the very same numbers"
    ),
)

# -------------------------------------------------------- grid or random ---

q7 = NumericExercise(
    name="ch12.q7",
    chapter=12,
    prompt=(
        "A grid search tries 5 learning rates × 4 weight decays. How many training runs is "
        "that, and how many different learning rates does a random search with the same "
        "number of runs try? Answer with a tuple (runs, learning_rates)."
    ),
    reference=(20, 20),
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        (
            (20, 5),
            "5 is what the grid tries; random search draws a new learning rate for every run, "
            "so all its runs try different ones.",
        ),
        ((9, 9), "a grid tries every combination: 5 × 4 runs, not 5 + 4."),
        (
            (9, 5),
            "a grid tries every combination: 5 × 4 runs, not 5 + 4; and random search "
            "draws a new learning rate for every run.",
        ),
        (
            (20, 4),
            "random search draws a new learning rate (and weight decay) for every run, so "
            "every one of its runs tries a different learning rate.",
        ),
        ((5, 20), "the grid's runs are every pair: 5 × 4."),
        (
            (20, 16),
            "16 was the chapter's search; here the grid has 5 × 4 = 20 runs, and random search "
            "draws a new learning rate for each of them.",
        ),
    ),
    hints=(
        "A grid runs every combination of its values.",
        "Random search draws both hyper-parameters afresh for each run: two draws from a "
        "continuous range are never equal.",
    ),
    solution_text=(
        "(20, 20): the grid runs 5 × 4 = 20 combinations but tries only 5 learning rates, each\n"
        "4 times; 20 random runs try 20 learning rates, four times as many for the same price."
    ),
)

# ------------------------------------------------------- PyTorch's shape ---

q8 = NumericExercise(
    name="ch12.q8",
    chapter=12,
    prompt=(
        "nbtext's Dense(64, 32) keeps its weights W in an array of shape (64, 32). What is "
        "the shape of the weight of PyTorch's nn.Linear(64, 32)? Answer with a tuple."
    ),
    reference=(32, 64),
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        (
            (64, 32),
            "that is nbtext's shape; PyTorch stores the transpose, (out_features, "
            "in_features), and computes x·Wᵀ + b.",
        ),
        ((32,), "that is the shape of the bias, one number per output unit."),
        ((64,), "a weight matrix has two dimensions: (outputs, inputs) in PyTorch."),
    ),
    hints=(
        "PyTorch's Linear computes x·Wᵀ + b.",
        "Its weight is (out_features, in_features).",
    ),
    solution_text=(
        "(32, 64): nn.Linear(64, 32).weight has shape (out_features, in_features); copying\n"
        "nbtext weights into it needs W.T (chapter 12's listing does exactly that)"
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
