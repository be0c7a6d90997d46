"""Learning works: the results chapters 01, 05 and 06 show, checked end to end.

The perceptron learns AND and OR and never settles on XOR; two layers of gates
compute XOR; an MLP trained by backpropagation learns XOR; and chapter 05's
single sigmoid unit learns OR exactly as the notes describe.
"""

from __future__ import annotations

import numpy as np
import pytest

from nbtext.network import MLP
from nbtext.optimizers import SGD, Adam
from nbtext.perceptron import Perceptron, xor_gate
from nbtext.training import fit

INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH = {
    "and": np.array([0, 0, 0, 1]),
    "or": np.array([0, 1, 1, 1]),
    "nand": np.array([1, 1, 1, 0]),
    "xor": np.array([0, 1, 1, 0]),
}


# ---------------------------------------------------------- chapter 01 --


@pytest.mark.parametrize("name", ["and", "or", "nand"])
def test_hand_chosen_gates_compute_their_truth_tables(name):
    np.testing.assert_array_equal(Perceptron.gate(name).predict(INPUTS), TRUTH[name])


def test_two_layers_of_gates_compute_xor():
    np.testing.assert_array_equal(xor_gate(INPUTS), TRUTH["xor"])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("gate", ["and", "or"])
def test_perceptron_learns_linearly_separable_gates(gate, seed):
    p = Perceptron(2, learning_rate=0.1, seed=seed)
    log = p.fit(INPUTS, TRUTH[gate], epochs=100)
    assert log.converged
    assert log.errors[-1] == 0
    np.testing.assert_array_equal(p.predict(INPUTS), TRUTH[gate])


@pytest.mark.parametrize("seed", range(5))
def test_perceptron_never_settles_on_xor(seed):
    p = Perceptron(2, learning_rate=0.1, seed=seed)
    log = p.fit(INPUTS, TRUTH["xor"], epochs=100)
    assert not log.converged
    assert len(log.errors) == 100
    assert min(log.errors) >= 1  # no line separates XOR, so every epoch has a mistake
    assert not np.array_equal(p.predict(INPUTS), TRUTH["xor"])


# ---------------------------------------------------------- chapter 06 --


@pytest.mark.parametrize(
    ("sizes", "activation", "output", "optimizer", "lr", "epochs"),
    [
        ([2, 4, 1], "tanh", "sigmoid", Adam, 0.05, 300),
        ([2, 8, 2], "tanh", "softmax", SGD, 0.5, 1000),
        ([2, 8, 2], "relu", "softmax", Adam, 0.05, 300),
    ],
    ids=["2-4-1 tanh sigmoid Adam", "2-8-2 tanh softmax SGD", "2-8-2 relu softmax Adam"],
)
def test_mlp_learns_xor(sizes, activation, output, optimizer, lr, epochs):
    model = MLP(sizes, activation, output, seed=0)
    history = fit(model, INPUTS, TRUTH["xor"], optimizer(lr), epochs=epochs, batch_size=4, seed=0)
    assert model.accuracy(INPUTS, TRUTH["xor"]) == 1.0
    np.testing.assert_array_equal(model.predict(INPUTS), TRUTH["xor"])
    assert history.epoch_loss[-1] < 0.05 < history.epoch_loss[0]


# ---------------------------------------------------------- chapter 05 --
#
# One sigmoid unit h = g(θ0 + θ1·x1 + θ2·x2), cost J = 1/(2m) Σ (h − y)²,
# gradient ∂J/∂θ_i = (1/m) Σ (h − y)·g·(1 − g)·x_i with x0 = 1, α = 40,
# 1000 full-batch epochs, θ initialised uniformly in [0, 1). Written here in
# plain NumPy, as the chapter derives it, independent of the package.

OR_ROWS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
OR_TARGETS = np.array([0.0, 1.0, 1.0, 1.0])
OR_SEED = 0


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train_or_unit_vectorized(seed=OR_SEED, alpha=40.0, epochs=1000):
    """Return (θ, cost per epoch) for the chapter 05 OR unit."""
    theta = np.random.default_rng(seed).uniform(0.0, 1.0, size=3)
    X = np.column_stack([np.ones(len(OR_ROWS)), OR_ROWS])  # x0 = 1
    m = len(OR_TARGETS)
    costs = []
    for _ in range(epochs):
        g = sigmoid(X @ theta)
        costs.append(np.sum((g - OR_TARGETS) ** 2) / (2 * m))
        theta = theta - alpha * (X.T @ ((g - OR_TARGETS) * g * (1 - g))) / m
    return theta, np.array(costs)


def train_or_unit_loops(seed=OR_SEED, alpha=40.0, epochs=1000):
    """The same unit with explicit per-weight loops, as in the notes."""
    theta = list(np.random.default_rng(seed).uniform(0.0, 1.0, size=3))
    m = len(OR_TARGETS)
    for _ in range(epochs):
        grad = [0.0, 0.0, 0.0]
        for (x1, x2), y in zip(OR_ROWS, OR_TARGETS, strict=True):
            x = (1.0, x1, x2)
            g = sigmoid(sum(t * xi for t, xi in zip(theta, x, strict=True)))
            for i in range(3):
                grad[i] += (g - y) * g * (1 - g) * x[i] / m
        theta = [t - alpha * d for t, d in zip(theta, grad, strict=True)]
    return np.array(theta)


def test_sigmoid_unit_learns_or_with_the_outputs_in_the_notes():
    theta, _ = train_or_unit_vectorized()
    outputs = sigmoid(theta[0] + OR_ROWS @ theta[1:])
    np.testing.assert_array_equal(np.round(outputs, 2), [0.02, 0.99, 0.99, 1.00])
    # the notes report weights near [-4.10, 8.67, 8.67]
    np.testing.assert_allclose(theta, [-4.10, 8.67, 8.67], atol=0.01)


def test_sigmoid_unit_or_boundary_separates_the_rows():
    theta, _ = train_or_unit_vectorized()
    # x2 = −(θ0 + θ1·x1)/θ2: (0, 0) below the line, the other three rows above it
    above = OR_ROWS[:, 1] > -(theta[0] + theta[1] * OR_ROWS[:, 0]) / theta[2]
    np.testing.assert_array_equal(above, OR_TARGETS.astype(bool))


def test_sigmoid_unit_cost_decreases_monotonically_after_the_first_epochs():
    _, costs = train_or_unit_vectorized()
    assert np.all(np.diff(costs[5:]) < 0)
    assert costs[-1] < 1e-3 < costs[0]


def test_sigmoid_unit_explicit_loops_agree_with_the_vectorized_version():
    np.testing.assert_allclose(
        train_or_unit_loops(epochs=50), train_or_unit_vectorized(epochs=50)[0], rtol=1e-12
    )


@pytest.mark.parametrize("seed", range(5))
def test_sigmoid_unit_learns_or_from_any_seed(seed):
    theta, _ = train_or_unit_vectorized(seed=seed)
    outputs = sigmoid(theta[0] + OR_ROWS @ theta[1:])
    np.testing.assert_array_equal(np.round(outputs, 2), [0.02, 0.99, 0.99, 1.00])
