"""Tests for nbtext.preprocessing (Chapter 10): the Standardizer against StandardScaler."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

from nbtext.preprocessing import Standardizer


def data(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(50, 3)) * [1000.0, 0.001, 5.0] + [300.0, -2.0, 0.0]


def test_the_training_set_gets_mean_0_and_std_1():
    Z = Standardizer().fit_transform(data())
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=1e-12)


def test_it_is_scikit_learns_standard_scaler():
    train, test = data(0), data(1)
    ours, theirs = Standardizer().fit(train), StandardScaler().fit(train)
    np.testing.assert_allclose(ours.transform(test), theirs.transform(test), rtol=1e-12)
    np.testing.assert_allclose(ours.mean, theirs.mean_, rtol=1e-15)
    np.testing.assert_allclose(ours.std, theirs.scale_, rtol=1e-15)


def test_other_sets_use_the_training_statistics_and_inverse_undoes_it():
    train, test = data(0), data(1)
    scaler = Standardizer().fit(train)
    Z = scaler.transform(test)
    assert not np.allclose(Z.mean(axis=0), 0.0, atol=1e-3)  # not its own mean
    np.testing.assert_allclose(scaler.inverse_transform(Z), test, rtol=1e-12)


def test_a_constant_feature_is_shifted_not_divided_by_zero():
    X = np.column_stack([np.arange(5.0), np.full(5, 7.0)])
    Z = Standardizer().fit_transform(X)
    np.testing.assert_array_equal(Z[:, 1], 0.0)
    assert np.all(np.isfinite(Z))


def test_the_callers_array_is_not_changed():
    X = data()
    before = X.copy()
    Standardizer().fit_transform(X)
    np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize(
    ("action", "error", "match"),
    [
        (lambda: Standardizer().transform(np.ones((2, 2))), RuntimeError, "call fit"),
        (lambda: Standardizer().fit(np.ones((3, 2))).transform(np.ones((3, 3))), ValueError,
         "X has 3 features but the Standardizer was fitted on 2"),
        (lambda: Standardizer().fit(np.ones(3)), ValueError, "2-D"),
        (lambda: Standardizer().fit(np.empty((0, 2))), ValueError, "no samples"),
    ],
)  # fmt: skip
def test_misuse_is_a_named_error(action, error, match):
    with pytest.raises(error, match=match):
        action()
