"""Tests for nbtext.initializers (Chapter 09): the variances, torch.nn.init's rules, the MLP."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nbtext.initializers import INITIALIZERS, default_init, initial_std, initial_weights
from nbtext.network import MLP


@pytest.mark.parametrize(
    ("init", "n_in", "n_out", "variance"),
    [
        ("he", 300, 100, 2 / 300),
        ("xavier", 300, 100, 2 / 400),
        ("lecun", 300, 100, 1 / 300),
        ("xavier", 64, 64, 1 / 64),  # equal widths: Xavier is 1 / n
        (0.01, 300, 100, 1e-4),
    ],
)
def test_each_rule_gives_its_variance(init, n_in, n_out, variance):
    assert initial_std(init, n_in, n_out) ** 2 == pytest.approx(variance, rel=1e-14)
    W = initial_weights(n_in, n_out, init, np.random.default_rng(0))
    assert W.shape == (n_in, n_out)
    # 30 000 normal draws: the sample variance is within ~2 % (5 standard errors) of the truth.
    assert W.var() == pytest.approx(variance, rel=5 * math.sqrt(2 / W.size))


@pytest.mark.parametrize(
    ("init", "n_in", "n_out"),
    [("he", 300, 100), ("xavier", 300, 100), ("lecun", 300, 100), ("xavier", 50, 200)],
)
def test_the_rules_are_torch_nn_inits(init, n_in, n_out):
    torch = pytest.importorskip("torch")
    # torch stores a Linear layer's weight as (out, in): fan_in = in, fan_out = out.
    weight = torch.empty(n_out, n_in, dtype=torch.float64)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(weight)
    if init == "xavier":
        std = torch.nn.init.calculate_gain("linear") * math.sqrt(2.0 / (fan_in + fan_out))
        torch.nn.init.xavier_normal_(weight, generator=torch.Generator().manual_seed(0))
    else:
        nonlinearity = "relu" if init == "he" else "linear"
        std = torch.nn.init.calculate_gain(nonlinearity) / math.sqrt(fan_in)
        torch.nn.init.kaiming_normal_(
            weight, nonlinearity=nonlinearity, generator=torch.Generator().manual_seed(0)
        )
    assert initial_std(init, n_in, n_out) == pytest.approx(std, rel=1e-14)
    assert float(weight.std()) == pytest.approx(std, rel=0.03)  # and torch draws it so


def test_every_named_rule_is_accepted_by_mlp_and_case_does_not_matter():
    for init in INITIALIZERS:
        model = MLP([200, 100, 2], "tanh", init=init.upper(), seed=0)
        expected = initial_std(init, 200, 100)
        assert model.params["W1"].std() == pytest.approx(expected, rel=0.03)
        assert not model.params["b1"].any()


def test_mlp_picks_he_for_relu_like_units_and_xavier_otherwise():
    assert [default_init(a) for a in ("relu", "leaky_relu", "elu")] == ["he"] * 3
    assert [default_init(a) for a in ("sigmoid", "tanh", "identity")] == ["xavier"] * 3
    relu, tanh = MLP([400, 300, 2], "relu", seed=0), MLP([400, 300, 2], "tanh", seed=0)
    assert relu.params["W1"].std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert tanh.params["W1"].std() == pytest.approx(math.sqrt(2 / 700), rel=0.02)


def test_the_variance_formula_holds_for_a_layer():
    # Var(a) = n · Var(w) · Var(x) for independent zero-mean weights and inputs.
    rng = np.random.default_rng(1)
    n = 256
    x = rng.normal(0.0, 2.0, size=(4000, n))
    W = initial_weights(n, 128, "lecun", rng)
    a = x @ W
    assert a.var() == pytest.approx(n * W.var() * x.var(), rel=0.05)
    assert a.var() == pytest.approx(x.var(), rel=0.05)  # lecun keeps the variance


@pytest.mark.parametrize(
    ("init", "error", "match"),
    [
        ("glorot", ValueError, "expected 'he', 'xavier', 'lecun' or a positive float"),
        (0.0, ValueError, "must be positive and finite"),
        (np.nan, ValueError, "must be positive and finite"),
        (None, TypeError, "got NoneType"),
    ],
)
def test_bad_rules_are_named_errors(init, error, match):
    with pytest.raises(error, match=match):
        initial_std(init, 3, 2)
