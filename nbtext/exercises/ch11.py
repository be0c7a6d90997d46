"""Chapter 11 exercises: batch normalization.

The conventions are those of torch.nn.BatchNorm1d: a batch x of shape (N, D); per feature, the
batch mean μ and the biased variance σ² (divided by N); x̂ = (x − μ) / sqrt(σ² + ε) with
ε = 1e-5; y = γ·x̂ + β. In training mode the running statistics move towards the batch's,
running ← (1 − momentum)·running + momentum·batch, with momentum = 0.1 and the unbiased
variance (divided by N − 1); in evaluation mode the layer normalizes with them instead.

The model answers below are written with plain NumPy, one line of arithmetic each, so that
they read like the chapter's derivation.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from nbtext.exercises._core import Case, NumericExercise, fmt

# The function exercise that also explains errors (a missing parameter, a broadcasting
# error) is chapter 10's; it lives there once.
from nbtext.exercises.ch10 import _ExplainedFunctionExercise

EPS = 1e-5
"""ε of torch.nn.BatchNorm1d (Keras's BatchNormalization uses 1e-3)."""

MOMENTUM = 0.1
"""torch.nn.BatchNorm1d's momentum: the weight of the NEW batch in the running statistics."""


def normalize(x: np.ndarray, eps: float = EPS) -> np.ndarray:
    """x̂ of a batch x (N, D): each feature (column) shifted and scaled by the batch's mean
    and biased variance."""
    x = np.asarray(x, dtype=np.float64)
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)


def batchnorm_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = EPS
) -> np.ndarray:
    """y = γ·x̂ + β in training mode (normalized with the batch's own statistics)."""
    return gamma * normalize(x, eps) + beta


def update_running_stats(
    running_mean: np.ndarray, running_var: np.ndarray, x: np.ndarray, momentum: float = MOMENTUM
) -> tuple[np.ndarray, np.ndarray]:
    """(new running_mean, new running_var) after one training batch x (N, D), as torch's:
    the unbiased batch variance (divided by N − 1) goes into the running variance."""
    x = np.asarray(x, dtype=np.float64)
    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)
    new_var = (1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)
    return new_mean, new_var


def input_gradient(
    dout: np.ndarray, x_hat: np.ndarray, gamma: np.ndarray, inv_std: np.ndarray
) -> np.ndarray:
    """dx of batch normalization in training mode, the compact formula:
    dx = (γ·inv_std / N)·(N·dout − Σ dout − x̂·Σ(dout·x̂)), sums over the batch."""
    n = dout.shape[0]
    return (gamma * inv_std / n) * (
        n * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0)
    )


def param_grads(dout: np.ndarray, x_hat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dγ, dβ) = (Σ dout·x̂, Σ dout), summed over the batch: one value per feature."""
    return (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def batchnorm_eval(
    x: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    eps: float = EPS,
) -> np.ndarray:
    """y in evaluation mode: normalized with the running statistics, not the batch's."""
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta


# --------------------------------------------------------------- normalize ---


def _by_axis(x: np.ndarray, eps: float, axis: int | None, ddof: int = 0) -> np.ndarray:
    mean = x.mean(axis=axis, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=axis, ddof=ddof, keepdims=True) + eps)


def _nan_reason(result: Any, case: Case) -> str | None:
    """A result with nan where a feature is the same in every sample: ε was left out."""
    try:
        got = np.asarray(result, dtype=np.float64)
    except Exception:
        return None
    x = np.asarray(case.args[0])
    if np.isnan(got).any() and (x.var(axis=0) == 0).any():
        return (
            "a feature that is the same in every sample has variance 0, and 0 / 0 is nan: "
            "ε under the square root, sqrt(σ² + ε), keeps the division finite (x̂ is then 0)."
        )
    return None


_MISSING_PARAMETER = (
    "positional argument",
    "your function needs every parameter of the prompt, with its default value, e.g. "
    "def normalize(x, eps=1e-5): the check passes eps too.",
)

_BROADCAST_AXIS = (
    "broadcast",
    "the statistics belong to the features: x.mean(axis=0) has one entry per column, shape "
    "(D,), which lines up with the columns of x; axis=1 gives one per sample.",
)

_X1 = np.array([[1.0, 20.0], [3.0, 60.0], [5.0, 40.0], [7.0, 0.0]])
_RNG1 = np.random.default_rng(11)
_X1_SCALES = np.round(
    np.array([0.005, 150.0, -1.0]) + _RNG1.normal(size=(5, 3)) * np.array([0.002, 40.0, 1.0]), 4
)
_X1_SMALL = np.round(_RNG1.normal(0.0, 0.2, size=(6, 2)), 3)
_X1_CONSTANT = np.array([[2.0, 1.0], [2.0, 3.0], [2.0, 5.0]])

q1 = _ExplainedFunctionExercise(
    name="ch11.q1",
    chapter=11,
    prompt=(
        "Write normalize(x, eps=1e-5): x̂ of a batch x of shape (N, D), each feature "
        "normalized with the batch's mean and (biased) variance, x̂ = (x − μ) / sqrt(σ² + ε)."
    ),
    reference=normalize,
    params=("x", "eps"),
    cases=(
        Case((_X1,)),
        Case((_X1_SCALES,), "x of shape (5, 3) (features in very different units)"),
        Case((_X1_SMALL, 0.1), f"x = {fmt(_X1_SMALL)}, eps = 0.1"),
        Case((_X1_CONSTANT,), f"x = {fmt(_X1_CONSTANT)} (the first feature never changes)"),
    ),
    rtol=1e-7,  # tight enough to notice a missing ε of 1e-5 on a variance of 5
    atol=1e-9,
    diagnoses=(
        (
            lambda x, eps=EPS: _by_axis(x, eps, axis=1),
            "axis=1 averages along each row, over the features of one sample; batch "
            "normalization gives each feature (column) its own mean and variance over the "
            "batch: axis=0.",
        ),
        (
            lambda x, eps=EPS: _by_axis(x, eps, axis=None),
            "without axis, np.mean and np.var give one number for the whole array; each "
            "feature (column) needs its own: axis=0.",
        ),
        (
            lambda x, eps=EPS: _by_axis(x, eps, axis=0, ddof=1),
            "batch normalization uses the biased variance, divided by N (np.var's default, "
            "ddof=0), not the unbiased one with ddof=1.",
        ),
        (
            lambda x, eps=EPS: (x - x.mean(axis=0)) / x.std(axis=0),
            "you left out ε: divide by sqrt(σ² + ε) with ε = eps, which keeps the division "
            "safe when a feature hardly varies.",
        ),
        (
            lambda x, eps=EPS: (x - x.mean(axis=0)) / (x.std(axis=0) + eps),
            "ε goes under the square root: sqrt(σ² + ε), not sqrt(σ²) + ε.",
        ),
        (
            lambda x, eps=EPS: normalize(x, 1e-3),
            "1e-3 is Keras's ε; this chapter follows torch, whose default is eps=1e-5.",
        ),
        (
            lambda x, eps=EPS: normalize(x, EPS),
            "use the parameter eps that is passed in, not the number 1e-5 written into the "
            "function.",
        ),
        (
            lambda x, eps=EPS: (x - x.mean(axis=0)) / (x.var(axis=0) + eps),
            "divide by the standard deviation, the square root of σ² + ε, not by the "
            "variance itself.",
        ),
        (
            lambda x, eps=EPS: x / np.sqrt(x.var(axis=0) + eps),
            "subtract the batch mean first: x̂ = (x − μ) / sqrt(σ² + ε).",
        ),
        (
            lambda x, eps=EPS: x - x.mean(axis=0),
            "after subtracting the mean, divide by sqrt(σ² + ε), so that each feature's "
            "variance becomes 1.",
        ),
        (
            lambda x, eps=EPS: x - x.mean(axis=0) / np.sqrt(x.var(axis=0) + eps),
            "mind the brackets: (x − μ) / sqrt(σ² + ε), not x − μ / sqrt(σ² + ε).",
        ),
    ),
    explainer=_nan_reason,
    error_hints=(_MISSING_PARAMETER, _BROADCAST_AXIS),
    mutation_message=(
        "leave the caller's array alone and return a new one (e.g. (x - mean) / std "
        "instead of x -= mean)."
    ),
    hints=(
        "Each feature is a column of x: compute its mean μ and variance σ² over the N samples "
        "(the rows).",
        "mu = x.mean(axis=0) and var = x.var(axis=0), each of shape (D,); np.var divides by "
        "N, as batch normalization does.",
        "return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)",
    ),
    solution_text=(
        "def normalize(x, eps=1e-5):\n"
        "    mu = x.mean(axis=0)      # (D,): one mean per feature\n"
        "    var = x.var(axis=0)      # biased: divided by N\n"
        "    return (x - mu) / np.sqrt(var + eps)\n"
        "# every column of the result has mean 0 and variance just under 1"
    ),
)

# --------------------------------------------------------- the layer's output ---

_X2 = np.array([[2.0, 10.0], [6.0, 14.0], [4.0, 10.0], [0.0, 14.0]])
_GAMMA2 = np.array([2.0, 0.5])
_BETA2 = np.array([1.0, -1.0])
_XHAT2 = normalize(_X2)

q2 = NumericExercise(
    name="ch11.q2",
    chapter=11,
    prompt=(
        "A batch x = [[2, 10], [6, 14], [4, 10], [0, 14]] passes BatchNorm in training mode "
        "with γ = [2, 0.5] and β = [1, −1]. What is its output y (a 4 × 2 array, to 3 decimal "
        "places)?"
    ),
    reference=batchnorm_forward(_X2, _GAMMA2, _BETA2),
    rtol=1e-3,
    atol=1e-3,
    diagnoses=(
        (
            _BETA2 * _XHAT2 + _GAMMA2,
            "γ and β are swapped: γ is the scale, multiplying x̂, and β the shift that is "
            "added, y = γ·x̂ + β.",
        ),
        (_GAMMA2 * _XHAT2, "you scaled x̂ by γ but left out the shift: add β."),
        (
            _XHAT2,
            "that is x̂, the normalized batch; the layer's output scales and shifts it, "
            "y = γ·x̂ + β.",
        ),
        (
            _XHAT2 + _BETA2,
            "you added β but left out the scale: multiply x̂ by γ first.",
        ),
        (
            _GAMMA2 * _by_axis(_X2, EPS, axis=0, ddof=1) + _BETA2,
            "batch normalization uses the biased variance, divided by N = 4, not N − 1.",
        ),
        (
            _GAMMA2 * _by_axis(_X2, EPS, axis=1) + _BETA2,
            "you normalized each row (sample); each column (feature) gets its own mean and "
            "variance over the batch.",
        ),
        (
            _GAMMA2 * _by_axis(_X2, EPS, axis=None) + _BETA2,
            "each feature (column) gets its own mean and variance, not one for the whole batch.",
        ),
        (
            _GAMMA2 * (_X2 - _X2.mean(axis=0)) / (_X2.var(axis=0) + EPS) + _BETA2,
            "divide by the standard deviation, sqrt(σ² + ε), not by the variance.",
        ),
        (
            _GAMMA2 * (_X2 - _X2.mean(axis=0)) + _BETA2,
            "after subtracting the mean, divide by sqrt(σ² + ε): x̂ has variance 1.",
        ),
        (
            _GAMMA2 * _X2 + _BETA2,
            "normalize first: γ and β act on x̂ = (x − μ) / sqrt(σ² + ε), not on x.",
        ),
    ),
    hints=(
        "First normalize each column with its own mean and variance over the 4 samples, then "
        "scale and shift: y = γ·x̂ + β, column by column.",
        "Column 1: μ = 3, σ² = 5; column 2: μ = 12, σ² = 4 (the biased variance, divided by "
        "N = 4).",
        "x = np.array([[2, 10], [6, 14], [4, 10], [0, 14]]); "
        "x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5); "
        "y = np.array([2, 0.5]) * x_hat + np.array([1, -1])",
    ),
    solution_text=(
        "x = np.array([[2, 10], [6, 14], [4, 10], [0, 14]], dtype=float)\n"
        "x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)\n"
        "y = np.array([2, 0.5]) * x_hat + np.array([1, -1])\n"
        f"# y ≈ {fmt(np.round(batchnorm_forward(_X2, _GAMMA2, _BETA2), 3))}\n"
        "# column 2 is x̂ = ±1 scaled by 0.5 and shifted by −1: whatever the batch, the layer\n"
        "# gives each feature the mean β and the standard deviation |γ| (just under)"
    ),
)

# ------------------------------------------------------- running statistics ---


def _around_new_mean(
    running_mean: np.ndarray, running_var: np.ndarray, x: np.ndarray, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """A typical mistake: the batch's spread measured around the updated running mean."""
    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)
    spread = ((x - new_mean) ** 2).sum(axis=0) / (x.shape[0] - 1)
    return new_mean, (1 - momentum) * running_var + momentum * spread


def _blend(
    running_mean: np.ndarray,
    running_var: np.ndarray,
    x: np.ndarray,
    momentum: float,
    *,
    keras: bool = False,
    ddof: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """The running update with switches for two typical mistakes: ``keras`` puts the weight
    momentum on the old value; ``ddof=0`` blends in the biased variance."""
    new = 1 - momentum if keras else momentum
    return (
        (1 - new) * running_mean + new * x.mean(axis=0),
        (1 - new) * running_var + new * x.var(axis=0, ddof=ddof),
    )


def _running_label(
    running_mean: np.ndarray, running_var: np.ndarray, x: np.ndarray, momentum: float | None
) -> str:
    shown_x = fmt(x) if x.size <= 8 else f"a batch of shape {x.shape}"
    text = f"running_mean = {fmt(running_mean)}, running_var = {fmt(running_var)}, x = {shown_x}"
    return text if momentum is None else f"{text}, momentum = {fmt(momentum)}"


def _running_case(
    running_mean: np.ndarray, running_var: np.ndarray, x: np.ndarray, momentum: float | None = None
) -> Case:
    args = (
        (running_mean, running_var, x)
        if momentum is None
        else (*(running_mean, running_var, x), momentum)
    )
    return Case(args, _running_label(running_mean, running_var, x, momentum))


_RNG3 = np.random.default_rng(3)

q3 = _ExplainedFunctionExercise(
    name="ch11.q3",
    chapter=11,
    prompt=(
        "Write update_running_stats(running_mean, running_var, x, momentum=0.1) → "
        "(new_mean, new_var): one update of the running statistics by a training batch x "
        "(N, D), as torch.nn.BatchNorm1d does it."
    ),
    reference=update_running_stats,
    params=("running_mean", "running_var", "x", "momentum"),
    cases=(
        _running_case(np.zeros(2), np.ones(2), _X1),
        _running_case(
            np.array([0.5, -1.0, 2.0]),
            np.array([1.2, 0.8, 3.0]),
            np.round(_RNG3.normal(1.0, 2.0, size=(6, 3)), 2),
        ),
        _running_case(
            np.array([1.0, 0.0]), np.array([2.0, 0.5]), np.round(_RNG3.normal(size=(5, 2)), 2), 0.3
        ),
        _running_case(
            np.array([0.0, 4.0]), np.array([1.0, 1.0]), np.array([[1.0, 2.0], [3.0, 8.0]])
        ),
    ),
    rtol=1e-7,
    atol=1e-9,
    diagnoses=(
        (
            lambda m, v, x, momentum=MOMENTUM: _blend(m, v, x, momentum, keras=True),
            "that is Keras's convention, where momentum weights the OLD value; in torch's, "
            "momentum = 0.1 weights the NEW batch: (1 − momentum)·running + momentum·batch.",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: _blend(m, v, x, momentum, keras=True, ddof=0),
            "two things: in torch's convention momentum weights the NEW batch, "
            "(1 − momentum)·running + momentum·batch, and the running variance takes the "
            "unbiased batch variance (ddof=1).",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: _blend(m, v, x, momentum, ddof=0),
            "the running variance takes the unbiased batch variance, divided by N − 1 "
            "(x.var(axis=0, ddof=1)), although x̂ itself uses the biased one: it estimates "
            "the variance of all the data, not just of this batch.",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: (x.mean(axis=0), x.var(axis=0, ddof=1)),
            "those are the batch's own statistics; the running ones blend them in a little at "
            "a time: (1 − momentum)·running + momentum·batch.",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: (x.mean(axis=0), x.var(axis=0)),
            "those are the batch's own statistics; the running ones blend them in a little at "
            "a time, (1 − momentum)·running + momentum·batch, with the unbiased variance.",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: (m.copy(), v.copy()),
            "the running statistics have not moved: blend in the batch's, "
            "(1 − momentum)·running + momentum·batch.",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: _blend(m, v, x, MOMENTUM),
            "use the parameter momentum that is passed in, not the number 0.1 written into "
            "the function.",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: _around_new_mean(m, v, x, momentum),
            "the batch variance is taken around the batch's own mean (x.var(axis=0, ddof=1)), "
            "not around the updated running mean.",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: _blend(m, v, x, momentum)[::-1],
            "return the two arrays in the order (new_mean, new_var).",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: (
                (1 - momentum) * m + momentum * x.mean(axis=0),
                (1 - momentum) * v + momentum * x.std(axis=0, ddof=1),
            ),
            "the running variance blends in the batch's variance, not its standard deviation.",
        ),
        (
            lambda m, v, x, momentum=MOMENTUM: (
                m + momentum * x.mean(axis=0),
                v + momentum * x.var(axis=0, ddof=1),
            ),
            "the old value is weighted too: (1 − momentum)·running + momentum·batch, so that "
            "the weights add up to 1.",
        ),
    ),
    error_hints=(
        (
            "positional argument",
            "your function needs all four parameters, the last with its default: def "
            "update_running_stats(running_mean, running_var, x, momentum=0.1).",
        ),
        _BROADCAST_AXIS,
    ),
    mutation_message=(
        "leave them alone and return new arrays, e.g. (1 - momentum) * running_mean + "
        "momentum * mu instead of running_mean *= 1 - momentum."
    ),
    hints=(
        "Compute the batch's mean and variance per feature, then move each running value a "
        "step of size momentum towards it.",
        "new = (1 − momentum)·running + momentum·batch, for the mean and for the variance; "
        "the variance is the unbiased one, x.var(axis=0, ddof=1).",
        "return ((1 - momentum) * running_mean + momentum * x.mean(axis=0), "
        "(1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1))",
    ),
    solution_text=(
        "def update_running_stats(running_mean, running_var, x, momentum=0.1):\n"
        "    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)\n"
        "    new_var = (1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)\n"
        "    return new_mean, new_var\n"
        "# torch's convention: momentum (0.1) weights the NEW batch; the running variance\n"
        "# takes the unbiased batch variance (divided by N − 1), x̂ the biased one"
    ),
)

# ---------------------------------------------------------------- backward ---


def _forward_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x_hat, inv_std) of a batch x, as the forward pass keeps them for the backward."""
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + EPS)
    return (x - x.mean(axis=0)) * inv_std, inv_std


def _backward_args(
    x: np.ndarray, gamma: np.ndarray, dout: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x_hat, inv_std = _forward_parts(x)
    return dout, x_hat, gamma, inv_std


def _backward_case(x: np.ndarray, gamma: np.ndarray, dout: np.ndarray, note: str = "") -> Case:
    args = _backward_args(x, gamma, dout)
    if x.size <= 8:
        label = (
            f"dout = {fmt(dout)}, x_hat = normalize({fmt(x)}), gamma = {fmt(gamma)}, "
            f"inv_std = {fmt(args[3])}"
        )
    else:
        label = (
            f"dout and x_hat of shape {x.shape} (x_hat of a random batch), gamma = {fmt(gamma)}, "
            f"inv_std = {fmt(args[3])}"
        )
    return Case(args, label + note)


def _random_backward_case(n: int, d: int, seed: int) -> Case:
    rng = np.random.default_rng(seed)
    x = rng.normal(rng.normal(0.0, 3.0, d), rng.uniform(0.5, 3.0, d), size=(n, d))
    gamma = np.round(rng.normal(1.0, 1.0, d), 2)
    return _backward_case(x, gamma, np.round(rng.normal(size=(n, d)), 2))


def _bracket(
    dout: np.ndarray, x_hat: np.ndarray, *, n_dout: bool = True, mean: bool = True, var: bool = True
) -> np.ndarray:
    """N·dout − Σ dout − x̂·Σ(dout·x̂), with switches to leave a term out (or N off)."""
    n = dout.shape[0]
    out = (n if n_dout else 1) * dout
    if mean:
        out = out - dout.sum(axis=0)
    if var:
        out = out - x_hat * (dout * x_hat).sum(axis=0)
    return out


_CONSTANTS = (
    "that treats μ and σ as constants. They are computed from the batch, so every x moves "
    "them too: dx = (γ·inv_std / N)·(N·dout − Σ dout − x̂·Σ(dout·x̂))."
)

q4 = _ExplainedFunctionExercise(
    name="ch11.q4",
    chapter=11,
    prompt=(
        "Write input_gradient(dout, x_hat, gamma, inv_std) → dx, the gradient of "
        "batch normalization (training mode) with respect to its input x, in compact form "
        "(dout is ∂L/∂y; remember ∂L/∂x̂ = γ·dout)."
    ),
    reference=input_gradient,
    params=("dout", "x_hat", "gamma", "inv_std"),
    cases=(
        _backward_case(
            _X1, np.array([2.0, 0.5]), np.array([[0.5, -1.0], [1.0, 0.2], [-0.3, 0.4], [0.2, 1.5]])
        ),
        _random_backward_case(6, 3, seed=4),
        _random_backward_case(16, 5, seed=5),
        _backward_case(  # the smallest batch training mode accepts
            np.array([[2.0, -1.0, 3.0], [0.0, 1.0, -1.0]]),
            np.array([1.5, -0.5, 2.0]),
            np.array([[0.3, -2.0, 1.0], [-0.7, 0.5, 0.25]]),
            " (a batch of two samples)",
        ),
    ),
    rtol=1e-6,
    atol=1e-9,
    diagnoses=(
        (lambda d, xh, g, inv: d * g * inv, _CONSTANTS),
        (
            lambda d, xh, g, inv: (
                g
                * g
                * inv
                / d.shape[0]
                * (d.shape[0] * d - d.sum(axis=0) - xh * (d * xh).sum(axis=0))
            ),
            "γ appears once: either turn dout into ∂L/∂x̂ = γ·dout and use that inside the "
            "bracket, or keep dout inside and put γ in front, not both.",
        ),
        (
            lambda d, xh, g, inv: g * inv / d.shape[0] * _bracket(d, xh, var=False),
            "the term − x̂·Σ(dout·x̂) is missing: it is the gradient's path through σ², "
            "which every sample of the batch changes.",
        ),
        (
            lambda d, xh, g, inv: g * inv / d.shape[0] * _bracket(d, xh, mean=False),
            "the term − Σ dout is missing: it is the gradient's path through μ, which every "
            "sample of the batch changes.",
        ),
        (
            lambda d, xh, g, inv: g * inv * _bracket(d, xh),
            "the whole bracket is divided by N: dx = (γ·inv_std / N)·(N·dout − Σ dout − "
            "x̂·Σ(dout·x̂)).",
        ),
        (
            lambda d, xh, g, inv: g * inv / d.shape[0] * _bracket(d, xh, n_dout=False),
            "the first term in the bracket is N·dout, not dout: dx = (γ·inv_std / N)·(N·dout "
            "− Σ dout − x̂·Σ(dout·x̂)).",
        ),
        (
            lambda d, xh, g, inv: g * inv * _bracket(d, xh, n_dout=False),
            "N is in the wrong place: dx = (γ·inv_std / N)·(N·dout − Σ dout − x̂·Σ(dout·x̂)); "
            "written with means, γ·inv_std·(dout − mean(dout) − x̂·mean(dout·x̂)).",
        ),
        (
            lambda d, xh, g, inv: (
                g
                * inv
                / d.shape[0]
                * (d.shape[0] * d - d.mean(axis=0) - xh * (d * xh).mean(axis=0))
            ),
            "sums or means, not both: either (γ·inv_std / N)·(N·dout − Σ dout − x̂·Σ(dout·x̂)) "
            "with sums, or γ·inv_std·(dout − mean(dout) − x̂·mean(dout·x̂)) with means.",
        ),
        (
            lambda d, xh, g, inv: (
                g * inv / d.shape[0] * (d.shape[0] * d - d.sum(axis=0) + xh * (d * xh).sum(axis=0))
            ),
            "mind the sign of the last term: − x̂·Σ(dout·x̂).",
        ),
        (
            lambda d, xh, g, inv: inv / d.shape[0] * _bracket(d, xh),
            "γ is missing: y = γ·x̂ + β, so the gradient reaching x̂ is γ·dout.",
        ),
        (
            lambda d, xh, g, inv: g / inv / d.shape[0] * _bracket(d, xh),
            "inv_std is already 1 / sqrt(σ² + ε): multiply by it, do not divide.",
        ),
        (
            lambda d, xh, g, inv: (
                g
                * inv
                / d.shape[0]
                * (
                    d.shape[0] * d
                    - d.sum(axis=1, keepdims=True)
                    - xh * (d * xh).sum(axis=1, keepdims=True)
                )
            ),
            "sum over the batch, axis=0 (one sum per feature); axis=1 sums over the features "
            "of one sample.",
        ),
        (
            lambda d, xh, g, inv: (
                g * inv / d.shape[0] * (d.shape[0] * d - d.sum() - xh * (d * xh).sum())
            ),
            "without axis, np.sum adds up the whole array; sum over the batch only, axis=0, "
            "one sum per feature.",
        ),
    ),
    error_hints=(_BROADCAST_AXIS,),
    mutation_message=(
        "leave the caller's arrays alone and return a new array (e.g. dout - mean instead "
        "of dout -= mean)."
    ),
    hints=(
        "μ and σ² are computed from the whole batch, so x reaches the loss along three paths: "
        "directly through x̂, through μ and through σ². The compact formula adds them up.",
        "With N = dout.shape[0] and sums over the batch (axis=0): dx = (γ·inv_std / N)·"
        "(N·dout − Σ dout − x̂·Σ(dout·x̂)).",
        "n = dout.shape[0]; return gamma * inv_std / n * (n * dout - dout.sum(axis=0) "
        "- x_hat * (dout * x_hat).sum(axis=0))",
    ),
    solution_text=(
        "def input_gradient(dout, x_hat, gamma, inv_std):\n"
        "    n = dout.shape[0]\n"
        "    return gamma * inv_std / n * (\n"
        "        n * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0)\n"
        "    )\n"
        "# − dout.sum(axis=0) is the path through μ, − x_hat·(…) the path through σ²;\n"
        "# each column of dx sums to 0: shifting a whole feature changes nothing after it"
    ),
)

# ------------------------------------------------------ dγ and dβ ---

_SUMS = "dγ and dβ are sums over the batch, like the gradient of a bias in a Dense layer"

q5 = _ExplainedFunctionExercise(
    name="ch11.q5",
    chapter=11,
    prompt=(
        "Write param_grads(dout, x_hat) → (dgamma, dbeta): the gradients of the loss with "
        "respect to γ and β, one value per feature."
    ),
    reference=param_grads,
    params=("dout", "x_hat"),
    cases=(
        Case(
            q4.cases[0].args[:2],
            f"dout = {fmt(q4.cases[0].args[0])}, x_hat = normalize({fmt(_X1)})",
        ),
        Case(q4.cases[1].args[:2], "dout and x_hat of shape (6, 3)"),
        Case(q4.cases[2].args[:2], "dout and x_hat of shape (16, 5)"),
        Case(
            q4.cases[3].args[:2],
            f"dout = {fmt(q4.cases[3].args[0])}, x_hat = {fmt(q4.cases[3].args[1])} (a batch of "
            "one sample)",
        ),
    ),
    rtol=1e-7,
    atol=1e-9,
    diagnoses=(
        (
            lambda d, xh: ((d * xh).mean(axis=0), d.mean(axis=0)),
            f"{_SUMS}: every sample adds its share, so use sums, not means.",
        ),
        (
            lambda d, xh: (d.sum(axis=0), (d * xh).sum(axis=0)),
            "dγ and dβ are swapped: γ multiplies x̂, so dγ = Σ dout·x̂; β is added, so dβ = Σ dout.",
        ),
        (
            lambda d, xh: (d.sum(axis=0), d.sum(axis=0)),
            "γ multiplies x̂ (y = γ·x̂ + β), so dγ = Σ dout·x̂ carries the factor x̂.",
        ),
        (
            lambda d, xh: ((d * xh).sum(axis=1), d.sum(axis=1)),
            f"{_SUMS}: axis=0, one value per feature; axis=1 sums over the features of one sample.",
        ),
        (
            lambda d, xh: ((d * xh).sum(), d.sum()),
            f"{_SUMS} only: axis=0 gives one value per feature, while np.sum without axis adds "
            "up the whole array.",
        ),
        (
            lambda d, xh: (d * xh, d.copy()),
            f"{_SUMS}: each sample's dout·x̂ and dout are added up over the batch, axis=0.",
        ),
        (
            lambda d, xh: ((d * xh).sum(axis=0), d.sum(axis=0) * 0),
            "β is added to every sample, so each sample passes its dout to it: dβ = Σ dout.",
        ),
    ),
    hints=(
        "y = γ·x̂ + β for every sample; γ and β are shared by all N samples of the batch.",
        "Each sample contributes dout·x̂ to dγ and dout to dβ; add the contributions up over "
        "the batch, axis=0.",
        "return (dout * x_hat).sum(axis=0), dout.sum(axis=0)",
    ),
    solution_text=(
        "def param_grads(dout, x_hat):\n"
        "    dgamma = (dout * x_hat).sum(axis=0)   # (D,): γ multiplies x̂\n"
        "    dbeta = dout.sum(axis=0)              # (D,): β is added, like a bias\n"
        "    return dgamma, dbeta"
    ),
)

# ---------------------------------------------------------- evaluation mode ---

_X6 = np.array([4.0, -1.0, 2.5])
_MEAN6 = np.array([1.0, 0.0, 2.0])
_VAR6 = np.array([4.0, 0.25, 1.0])
_GAMMA6 = np.array([1.5, 2.0, 0.5])
_BETA6 = np.array([0.5, -1.0, 1.0])
_XHAT6 = (_X6 - _MEAN6) / np.sqrt(_VAR6 + EPS)

q6 = NumericExercise(
    name="ch11.q6",
    chapter=11,
    prompt=(
        "In evaluation mode, BatchNorm with running_mean = [1, 0, 2], running_var = [4, 0.25, "
        "1], γ = [1.5, 2, 0.5], β = [0.5, −1, 1] gets the single sample x = [4, −1, 2.5]. "
        "What does it output?"
    ),
    reference=batchnorm_eval(_X6, _MEAN6, _VAR6, _GAMMA6, _BETA6),
    rtol=1e-4,  # ε = 1e-5 changes the answer by less than that: with or without, it passes
    atol=1e-6,
    diagnoses=(
        (
            _BETA6,
            "normalized with its own statistics, a single sample is its own mean, so x̂ = 0 "
            "and y = β. In evaluation mode the layer uses running_mean and running_var "
            "instead: that is what they are for.",
        ),
        (
            np.zeros(3),
            "normalized with its own statistics, a single sample is its own mean: x̂ = 0. In "
            "evaluation mode the layer uses running_mean and running_var, then γ and β.",
        ),
        (
            _GAMMA6 * (_X6 - _X6.mean()) / np.sqrt(_X6.var() + EPS) + _BETA6,
            "you normalized the sample over its three features; each feature has its own "
            "statistics, and in evaluation mode they are running_mean and running_var.",
        ),
        (
            _GAMMA6 * (_X6 - _MEAN6) / (_VAR6 + EPS) + _BETA6,
            "running_var is a variance: divide by its square root, sqrt(running_var + ε).",
        ),
        (
            _GAMMA6 * (_X6 - _MEAN6) / np.sqrt(np.sqrt(_VAR6 + EPS)) + _BETA6,
            "running_var is already the variance: divide by sqrt(running_var + ε), one square "
            "root, not two.",
        ),
        (_XHAT6, "that is x̂; the layer's output scales and shifts it: y = γ·x̂ + β."),
        (_GAMMA6 * _XHAT6, "you scaled x̂ by γ but left out the shift: add β."),
        (
            _BETA6 * _XHAT6 + _GAMMA6,
            "γ and β are swapped: γ scales x̂ and β is added, y = γ·x̂ + β.",
        ),
        (
            _GAMMA6 * _X6 / np.sqrt(_VAR6 + EPS) + _BETA6,
            "subtract running_mean first: x̂ = (x − running_mean) / sqrt(running_var + ε).",
        ),
        (
            _GAMMA6 * _X6 + _BETA6,
            "normalize first, with the running statistics: γ and β act on x̂, not on x.",
        ),
    ),
    hints=(
        "In evaluation mode the layer does not look at the batch's statistics: it normalizes "
        "with running_mean and running_var.",
        "x̂ = (x − running_mean) / sqrt(running_var + ε), feature by feature; then y = γ·x̂ + β.",
        "np.array([1.5, 2, 0.5]) * (np.array([4, -1, 2.5]) - np.array([1, 0, 2])) "
        "/ np.sqrt(np.array([4, 0.25, 1]) + 1e-5) + np.array([0.5, -1, 1])",
    ),
    solution_text=(
        "x_hat = (x - running_mean) / np.sqrt(running_var + 1e-5)   # ≈ [1.5, −2, 0.5]\n"
        "y = gamma * x_hat + beta\n"
        f"# y ≈ {fmt(np.round(batchnorm_eval(_X6, _MEAN6, _VAR6, _GAMMA6, _BETA6), 3))}: "
        "[1.5·1.5 + 0.5, 2·(−2) − 1, 0.5·0.5 + 1]\n"
        "# With the sample's own statistics, x̂ would be 0 and y = β whatever x is: that is\n"
        "# why evaluation uses the running statistics (and why a batch of one cannot train)"
    ),
)

# -------------------------------------------------------- counting parameters ---

_SIZES7 = (64, 100, 50, 10)
_HIDDEN7 = sum(_SIZES7[1:-1])  # 150 features are normalized: one BatchNorm per hidden Dense
_DENSE7 = sum(a * b + b for a, b in itertools.pairwise(_SIZES7))

q7 = NumericExercise(
    name="ch11.q7",
    chapter=11,
    prompt=(
        "MLP([64, 100, 50, 10], batch_norm=True) puts a BatchNorm after each hidden Dense "
        "layer. How many learnable parameters does batch normalization add to the network?"
    ),
    reference=2 * _HIDDEN7,
    rtol=0.0,
    atol=0.0,
    diagnoses=(
        (
            2 * (_HIDDEN7 + _SIZES7[-1]),
            "the output layer has no BatchNorm: its 10 logits go straight to the softmax.",
        ),
        (
            4 * _HIDDEN7,
            "running_mean and running_var are statistics, not learnable parameters: they are "
            "averaged, not trained by gradient descent. Only γ and β are learned.",
        ),
        (
            4 * (_HIDDEN7 + _SIZES7[-1]),
            "the running statistics are not learned (only γ and β are), and the output layer "
            "has no BatchNorm.",
        ),
        (
            _HIDDEN7,
            "each normalized feature has two learnable parameters: a scale γ and a shift β.",
        ),
        (
            _HIDDEN7 + _SIZES7[-1],
            "each normalized feature has two learnable parameters (γ and β), and the output "
            "layer has no BatchNorm.",
        ),
        (
            2 * sum(_SIZES7[:-1]),
            "the BatchNorms come after the hidden Dense layers and normalize their outputs; "
            "the 64 inputs are not normalized.",
        ),
        (
            2 * sum(_SIZES7),
            "only the outputs of the two hidden Dense layers are normalized, not the inputs "
            "and not the logits.",
        ),
        (
            _DENSE7 + 2 * _HIDDEN7,
            "that counts the whole network; the question asks only for what batch "
            "normalization adds.",
        ),
        (
            _DENSE7,
            "that counts the weights and biases of the Dense layers; the question asks for "
            "what batch normalization adds.",
        ),
        (2, "that is the parameters of one feature (γ and β); count them for every one."),
        (4, "γ and β are learned for every normalized feature; count them all."),
    ),
    hints=(
        "For each feature it normalizes, a BatchNorm learns a scale γ and a shift β; the "
        "running statistics are not learned.",
        "BatchNorms sit after the hidden Dense layers only, of 100 and 50 units; the output "
        "layer has none.",
        "2 · (100 + 50)",
    ),
    solution_text=(
        "300 = 2 · (100 + 50): a γ and a β for each of the 100 + 50 hidden features. The "
        "running mean and variance (another 300 numbers) are kept by the layer but not "
        "learned, and the 10 logits are not normalized. Next to the Dense layers' 12060 "
        "weights and biases, that is little."
    ),
)

# ------------------------------------------------------- Keras's momentum ---

q8 = NumericExercise(
    name="ch11.q8",
    chapter=11,
    prompt=(
        "A Keras model uses BatchNormalization(momentum=0.99). What momentum makes torch's "
        "BatchNorm1d (and this chapter's layer) weight each new batch the same way in its running "
        "averages?"
    ),
    reference=round(1 - 0.99, 12),
    rtol=1e-3,
    atol=0.0,
    diagnoses=(
        (
            0.99,
            "the two libraries use the word the other way round: Keras computes "
            "momentum·running + (1 − momentum)·batch, torch (1 − momentum)·running + "
            "momentum·batch.",
        ),
        (
            0.9,
            "Keras's momentum weights the OLD value, torch's the NEW batch: the same update "
            "needs the weight Keras gives to the batch.",
        ),
        (
            0.1,
            "0.1 is torch's default, which matches Keras's momentum=0.9; here Keras's is 0.99.",
        ),
        (
            1.0,
            "with momentum 1, torch would replace the running statistics by each batch's; "
            "Keras's 0.99 keeps most of the old value.",
        ),
        (99.0, "momentum is a fraction between 0 and 1, not a percentage."),
        (
            1.0 / 0.99,
            "torch's momentum is not the reciprocal of Keras's; both are weights that "
            "add up to 1 with their partner.",
        ),
    ),
    hints=(
        "Keras: running = momentum·running + (1 − momentum)·batch. torch: running = "
        "(1 − momentum)·running + momentum·batch.",
        "With Keras's momentum = 0.99, what weight does the new batch get? That weight is "
        "torch's momentum.",
        "torch's momentum = 1 − Keras's momentum",
    ),
    solution_text=(
        "0.01 = 1 − 0.99. Keras keeps 99 % of the old running value and blends in 1 % of the "
        "batch's; torch's momentum is the weight of the batch, so torch.nn.BatchNorm1d("
        "momentum=0.01) does the same. Their defaults differ too: Keras 0.99, torch 0.1 "
        "(= Keras 0.9)."
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
