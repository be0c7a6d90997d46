"""Tests for nbtext.perceptron: the unit, its learning rule, and its input checks.

Whether it learns AND/OR and fails on XOR is in test_learning.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbtext.perceptron import GATE_WEIGHTS, Perceptron, TrainingLog, xor_gate

INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def test_weighted_sum_is_x_dot_w_plus_b():
    p = Perceptron(3, weights=[1.0, -2.0, 0.5], bias=0.25)
    np.testing.assert_allclose(p.weighted_sum([[1.0, 1.0, 2.0], [0.0, 0.0, 0.0]]), [0.25, 0.25])


def test_predict_is_a_step_that_outputs_0_at_exactly_zero():
    p = Perceptron(1, weights=[1.0], bias=0.0)
    pred = p.predict([[-1.0], [0.0], [1e-12], [2.0]])
    np.testing.assert_array_equal(pred, [0, 0, 1, 1])
    assert pred.dtype == np.int64


def test_predict_accepts_a_single_1d_sample():
    np.testing.assert_array_equal(Perceptron.gate("and").predict([1.0, 1.0]), [1])


def test_learning_rule_one_update_by_hand():
    # a = 0 → output 0; target 1 → error 1: w ← w + 0.1·1·x, b ← b + 0.1·1
    p = Perceptron(2, weights=[0.0, 0.0], bias=0.0, learning_rate=0.1)
    log = p.fit([[1.0, 2.0]], [1], epochs=1)
    np.testing.assert_allclose(p.weights, [0.1, 0.2])
    assert p.bias == pytest.approx(0.1)
    assert log.errors == [1] and not log.converged
    np.testing.assert_allclose(log.weights[0], [0.1, 0.2, 0.1])


def test_learning_rule_lowers_weights_when_output_is_too_high():
    p = Perceptron(2, weights=[1.0, 1.0], bias=0.0, learning_rate=0.5)
    p.fit([[1.0, 0.0]], [0], epochs=1)
    np.testing.assert_allclose(p.weights, [0.5, 1.0])
    assert p.bias == pytest.approx(-0.5)


def test_fit_stops_after_the_first_epoch_without_mistakes():
    p = Perceptron(2, weights=[0.0, 0.0], bias=0.0, learning_rate=0.1)
    log = p.fit([[1.0, 2.0]], [1], epochs=50)
    assert log.converged
    assert log.errors == [1, 0]
    assert len(log.weights) == 2


def test_fit_makes_no_change_when_already_correct():
    p = Perceptron.gate("and")
    log = p.fit(INPUTS, [0, 0, 0, 1])
    assert isinstance(log, TrainingLog)
    assert log.converged and log.errors == [0]
    np.testing.assert_array_equal(p.weights, GATE_WEIGHTS["and"][:2])


@given(st.integers(0, 2**32 - 1))
def test_same_seed_gives_same_initial_weights_in_half_open_unit_interval(seed):
    a, b = Perceptron(4, seed=seed), Perceptron(4, seed=seed)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.bias == b.bias
    assert np.all((a.weights >= -0.5) & (a.weights < 0.5)) and -0.5 <= a.bias < 0.5


def test_given_weights_are_copied_not_aliased():
    w = np.array([0.0, 0.0])
    p = Perceptron(2, weights=w, bias=0.0)
    p.fit(INPUTS, [0, 1, 1, 1])
    np.testing.assert_array_equal(w, [0.0, 0.0])


def test_fit_and_predict_do_not_write_into_caller_arrays():
    X, y = INPUTS.copy(), np.array([0, 1, 1, 1])
    X.setflags(write=False)
    y.setflags(write=False)
    p = Perceptron(seed=1)
    p.fit(X, y)
    p.predict(X)


@pytest.mark.parametrize("name", ["and", "or", "nand", "AND"])
def test_gate_uses_the_hand_chosen_weights(name):
    p = Perceptron.gate(name)
    w1, w2, b = GATE_WEIGHTS[name.lower()]
    np.testing.assert_array_equal(p.weights, [w1, w2])
    assert p.bias == b


def test_xor_gate_refuses_inputs_with_the_wrong_width():
    with pytest.raises(ValueError, match=r"X must have 2 input\(s\) per row"):
        xor_gate(np.ones((4, 3)))


def test_repr_shows_weights_and_bias():
    assert repr(Perceptron.gate("or")) == "Perceptron(weights=[0.5, 0.5], bias=-0.2)"


# -------------------------------------------------------------- bad input --


@pytest.mark.parametrize(
    ("lr", "error", "match"),
    [
        (0.0, ValueError, "learning_rate must be a positive finite number, got 0.0"),
        (-0.1, ValueError, "learning_rate must be a positive finite number, got -0.1"),
        (np.inf, ValueError, "learning_rate must be a positive finite number"),
        ("0.1", TypeError, "learning_rate must be a positive number"),
    ],
)
def test_non_positive_learning_rate_is_refused(lr, error, match):
    with pytest.raises(error, match=match):
        Perceptron(2, learning_rate=lr)


def test_unknown_gate_is_refused_listing_the_valid_ones():
    with pytest.raises(
        ValueError, match="no single-perceptron gate 'xor'; expected one of and, or, nand"
    ):
        Perceptron.gate("xor")


@pytest.mark.parametrize(
    ("n_inputs", "error"), [(0, ValueError), (-2, ValueError), (2.0, TypeError)]
)
def test_bad_number_of_inputs_is_refused(n_inputs, error):
    with pytest.raises(error, match="n_inputs"):
        Perceptron(n_inputs)


def test_weights_of_wrong_length_are_refused():
    with pytest.raises(ValueError, match=r"weights must have 2 entries .* got 3"):
        Perceptron(2, weights=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("method", ["predict", "fit"])
def test_wrong_input_count_is_refused_naming_expected_and_got(method):
    p = Perceptron(2)
    args = (np.ones((4, 3)), [0, 1, 1, 1]) if method == "fit" else (np.ones((4, 3)),)
    with pytest.raises(ValueError, match=r"X must have 2 input\(s\) per row .* got shape \(4, 3\)"):
        getattr(p, method)(*args)


def test_mismatched_sample_counts_are_refused():
    with pytest.raises(ValueError, match="X has 4 samples but y has 3"):
        Perceptron(2).fit(INPUTS, [0, 1, 1])


@pytest.mark.parametrize("y", [[0, 1, 2, 1], [0, 1, -1, 1], [0, 0.5, 1, 1]])
def test_targets_other_than_0_1_are_refused(y):
    with pytest.raises(ValueError, match="0/1 targets"):
        Perceptron(2).fit(INPUTS, y)


@pytest.mark.parametrize("where", ["X", "y"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_is_refused(where, bad):
    X, y = INPUTS.copy(), np.array([0.0, 1.0, 1.0, 1.0])
    if where == "X":
        X[2, 1] = bad
    else:
        y[0] = bad
    with pytest.raises(ValueError, match=f"{where} must contain only finite numbers"):
        Perceptron(2).fit(X, y)


@pytest.mark.parametrize(("epochs", "error"), [(0, ValueError), (-1, ValueError), (1.5, TypeError)])
def test_bad_epochs_is_refused(epochs, error):
    with pytest.raises(error, match="epochs"):
        Perceptron(2).fit(INPUTS, [0, 1, 1, 1], epochs=epochs)
