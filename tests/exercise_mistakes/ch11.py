"""Typical mistakes for the chapter 11 exercises (batch normalization)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# ---------------------------------------------------------------- q1: normalize ---


def _normalize_over_features(x, eps=1e-5):  # type: ignore[no-untyped-def]
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps)


def _normalize_axis1_no_keepdims(x, eps=1e-5):  # type: ignore[no-untyped-def]
    return (x - x.mean(axis=1)) / np.sqrt(x.var(axis=1) + eps)


def _normalize_unbiased(x, eps=1e-5):  # type: ignore[no-untyped-def]
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps)


def _normalize_no_eps(x, eps=1e-5):  # type: ignore[no-untyped-def]
    return (x - np.mean(x, axis=0)) / np.std(x, axis=0)


def _normalize_by_variance(x, eps=1e-5):  # type: ignore[no-untyped-def]
    return (x - x.mean(axis=0)) / (x.var(axis=0) + eps)


def _normalize_whole_array(x, eps=1e-5):  # type: ignore[no-untyped-def]
    return (x - x.mean()) / np.sqrt(x.var() + eps)


def _normalize_eps_outside(x, eps=1e-5):  # type: ignore[no-untyped-def]
    return (x - x.mean(axis=0)) / (np.sqrt(x.var(axis=0)) + eps)


def _normalize_keras_eps(x, eps=1e-3):  # type: ignore[no-untyped-def]
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)


def _normalize_fixed_eps(x, eps=1e-5):  # type: ignore[no-untyped-def]
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)


def _normalize_without_eps_parameter(x):  # type: ignore[no-untyped-def]
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)


def _normalize_brackets(x, eps=1e-5):  # type: ignore[no-untyped-def]
    return x - x.mean(axis=0) / np.sqrt(x.var(axis=0) + eps)


def _normalize_in_place(x, eps=1e-5):  # type: ignore[no-untyped-def]
    x -= x.mean(axis=0)
    x /= np.sqrt(x.var(axis=0) + eps)
    return x


# ------------------------------------------------------- q3: running statistics ---


def _running_keras(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    new_mean = momentum * running_mean + (1 - momentum) * x.mean(axis=0)
    new_var = momentum * running_var + (1 - momentum) * x.var(axis=0, ddof=1)
    return new_mean, new_var


def _running_biased(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)
    new_var = (1 - momentum) * running_var + momentum * x.var(axis=0)
    return new_mean, new_var


def _running_no_blend(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    return x.mean(axis=0), x.var(axis=0, ddof=1)


def _running_fixed_momentum(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    new_mean = 0.9 * running_mean + 0.1 * x.mean(axis=0)
    new_var = 0.9 * running_var + 0.1 * x.var(axis=0, ddof=1)
    return new_mean, new_var


def _running_std(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)
    new_var = (1 - momentum) * running_var + momentum * x.std(axis=0, ddof=1)
    return new_mean, new_var


def _running_added(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    return running_mean + momentum * x.mean(axis=0), running_var + momentum * x.var(axis=0, ddof=1)


def _running_swapped(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)
    new_var = (1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)
    return new_var, new_mean


def _running_in_place(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    running_mean *= 1 - momentum
    running_mean += momentum * x.mean(axis=0)
    running_var *= 1 - momentum
    running_var += momentum * x.var(axis=0, ddof=1)
    return running_mean, running_var


def _running_three_parameters(running_mean, running_var, x):  # type: ignore[no-untyped-def]
    return 0.9 * running_mean + 0.1 * x.mean(axis=0), 0.9 * running_var + 0.1 * x.var(
        axis=0, ddof=1
    )


# --------------------------------------------------------------- q4: backward ---


def _backward_constants(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    return dout * gamma * inv_std


def _backward_no_xhat_term(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = dout.shape[0]
    return gamma * inv_std / n * (n * dout - dout.sum(axis=0))


def _backward_no_mean_term(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = dout.shape[0]
    return gamma * inv_std / n * (n * dout - x_hat * np.sum(dout * x_hat, axis=0))


def _backward_no_division(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = len(dout)
    return gamma * inv_std * (n * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))


def _backward_dout_without_n(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = len(dout)
    return gamma * inv_std / n * (dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))


def _backward_sums_and_n(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    return gamma * inv_std * (dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))


def _backward_plus(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = dout.shape[0]
    return gamma * inv_std / n * (n * dout - dout.sum(axis=0) + x_hat * (dout * x_hat).sum(axis=0))


def _backward_no_gamma(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = dout.shape[0]
    return inv_std / n * (n * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))


def _backward_gamma_twice(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n, dx_hat = dout.shape[0], gamma * dout
    return gamma * inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(0))


def _running_around_new_mean(running_mean, running_var, x, momentum=0.1):  # type: ignore[no-untyped-def]
    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)
    spread = ((x - new_mean) ** 2).sum(axis=0) / (len(x) - 1)
    return new_mean, (1 - momentum) * running_var + momentum * spread


def _backward_divides_by_inv_std(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = dout.shape[0]
    return gamma / inv_std / n * (n * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))


def _backward_axis1(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = dout.shape[0]
    return gamma * inv_std / n * (n * dout - dout.sum(axis=1) - x_hat * (dout * x_hat).sum(axis=1))


def _backward_whole_sums(dout, x_hat, gamma, inv_std):  # type: ignore[no-untyped-def]
    n = dout.shape[0]
    return gamma * inv_std / n * (n * dout - np.sum(dout) - x_hat * np.sum(dout * x_hat))


# ------------------------------------------------------------- q5: dγ and dβ ---


def _grads_means(dout, x_hat):  # type: ignore[no-untyped-def]
    return np.mean(dout * x_hat, axis=0), np.mean(dout, axis=0)


def _grads_swapped(dout, x_hat):  # type: ignore[no-untyped-def]
    return dout.sum(axis=0), (dout * x_hat).sum(axis=0)


def _grads_no_xhat(dout, x_hat):  # type: ignore[no-untyped-def]
    return dout.sum(axis=0), dout.sum(axis=0)


def _grads_axis1(dout, x_hat):  # type: ignore[no-untyped-def]
    return (dout * x_hat).sum(axis=1), dout.sum(axis=1)


def _grads_no_axis(dout, x_hat):  # type: ignore[no-untyped-def]
    return np.sum(dout * x_hat), np.sum(dout)


def _grads_not_summed(dout, x_hat):  # type: ignore[no-untyped-def]
    return dout * x_hat, dout


def _grads_dgamma_only(dout, x_hat):  # type: ignore[no-untyped-def]
    return (dout * x_hat).sum(axis=0)


# ------------------------------------------------------------------- q6: evaluation ---

_X6 = np.array([4.0, -1.0, 2.5])
_MEAN6 = np.array([1.0, 0.0, 2.0])
_VAR6 = np.array([4.0, 0.25, 1.0])
_GAMMA6 = np.array([1.5, 2.0, 0.5])
_BETA6 = np.array([0.5, -1.0, 1.0])


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch11.q1": [
        (_normalize_over_features, "axis=1 averages along each row"),
        (_normalize_axis1_no_keepdims, "could not be broadcast"),
        (_normalize_unbiased, "not the unbiased one with ddof=1"),
        (_normalize_no_eps, "you left out ε"),
        (_normalize_by_variance, "not by the variance itself"),
        (_normalize_whole_array, "one number for the whole array"),
        (_normalize_eps_outside, "ε goes under the square root"),
        (_normalize_keras_eps, "1e-3 is Keras's ε"),
        (_normalize_fixed_eps, "use the parameter eps that is passed in"),
        (_normalize_without_eps_parameter, "needs every parameter of the prompt"),
        (lambda x, eps=1e-5: x / np.sqrt(x.var(axis=0) + eps), "subtract the batch mean first"),
        (lambda x, eps=1e-5: x - x.mean(axis=0), "so that each feature's variance becomes 1"),
        (_normalize_brackets, "mind the brackets"),
        (_normalize_in_place, "changed its input array in place"),
    ],
    "ch11.q2": [
        (
            np.array([[1.5528, 1.5], [3.3416, -0.5], [2.4472, 1.5], [0.6584, -0.5]]),
            "γ and β are swapped",
        ),
        (
            np.array([[-0.8944, -0.5], [2.6833, 0.5], [0.8944, -0.5], [-2.6833, 0.5]]),
            "left out the shift",
        ),
        (
            np.array([[-0.4472, -1.0], [1.3416, 1.0], [0.4472, -1.0], [-1.3416, 1.0]]),
            "that is x̂",
        ),
        (
            np.array([[0.2254, -1.433], [3.3238, -0.567], [1.7746, -1.433], [-1.3238, -0.567]]),
            "divided by N = 4, not N − 1",
        ),
        (
            np.array([[1.0, 0.0], [3.0, 0.0], [2.0, -1.0], [-5.0, 6.0]]),
            "too large.",
        ),
        (np.zeros((2, 4)), "wrong shape: expected (4, 2), got (2, 4)"),
    ],
    "ch11.q3": [
        (_running_keras, "Keras's convention"),
        (_running_biased, "takes the unbiased batch variance, divided by N − 1"),
        (_running_no_blend, "those are the batch's own statistics"),
        (_running_fixed_momentum, "use the parameter momentum that is passed in"),
        (_running_std, "not its standard deviation"),
        (_running_added, "the weights add up to 1"),
        (_running_around_new_mean, "around the batch's own mean"),
        (lambda m, v, x, momentum=0.1: (m, v), "have not moved"),
        (_running_swapped, "in the order (new_mean, new_var)"),
        (_running_in_place, "changed its input array in place"),
        (_running_three_parameters, "needs all four parameters"),
    ],
    "ch11.q4": [
        (_backward_constants, "treats μ and σ as constants"),
        (_backward_no_xhat_term, "path through σ²"),
        (_backward_no_mean_term, "path through μ"),
        (_backward_no_division, "the whole bracket is divided by N"),
        (_backward_dout_without_n, "the first term in the bracket is N·dout"),
        (_backward_sums_and_n, "N is in the wrong place"),
        (_backward_plus, "mind the sign"),
        (_backward_no_gamma, "γ is missing"),
        (_backward_gamma_twice, "γ appears once"),
        (_backward_divides_by_inv_std, "multiply by it, do not divide"),
        (_backward_axis1, "could not be broadcast"),
        (_backward_whole_sums, "np.sum adds up the whole array"),
    ],
    "ch11.q5": [
        (_grads_means, "use sums, not means"),
        (_grads_swapped, "swapped"),
        (_grads_no_xhat, "carries the factor x̂"),
        (_grads_axis1, "axis=1 sums over the features"),
        (_grads_no_axis, "np.sum without axis"),
        (_grads_not_summed, "added up over the batch"),
        (_grads_dgamma_only, "expected a tuple of 2 values"),
    ],
    "ch11.q6": [
        (_BETA6, "its own statistics"),
        (np.zeros(3), "a single sample is its own mean"),
        (
            _GAMMA6 * (_X6 - _X6.mean()) / np.sqrt(_X6.var() + 1e-5) + _BETA6,
            "over its three features",
        ),
        (_GAMMA6 * (_X6 - _MEAN6) / _VAR6 + _BETA6, "divide by its square root"),
        (_GAMMA6 * (_X6 - _MEAN6) / _VAR6**0.25 + _BETA6, "one square root, not two"),
        ([1.5, -2.0, 0.5], "that is x̂"),
        ([2.25, 4.0, 1.0], "γ and β are swapped"),
        ([3.5, -5.0, 2.25], "subtract running_mean first"),
        ([2.75, -5.0], "wrong shape: expected (3,), got (2,)"),
    ],
    "ch11.q7": [
        (320, "the output layer has no BatchNorm"),
        (600, "not learnable parameters"),
        (150, "a scale γ and a shift β"),
        (428, "the 64 inputs are not normalized"),
        (12360, "counts the whole network"),
        (12060, "weights and biases of the Dense layers"),
        (301, "too large."),
        ("300", "the text"),
    ],
    "ch11.q8": [
        (0.99, "the other way round"),
        (0.9, "weights the OLD value"),
        (0.1, "torch's default"),
        (99, "not a percentage"),
        (1 / 0.99, "not the reciprocal"),
        (math.nan, "nan"),
    ],
}
