"""Headless tests of ``softmax_explorer`` (Chapter 03), with warnings as errors."""

from __future__ import annotations

import numpy as np
import pytest

from nbtext.activations import softmax
from nbtext.widgets import softmax_explorer


def test_bars_show_softmax_of_the_logits_over_the_temperature():
    explorer = softmax_explorer(logits=(0.3, 2.9, 4.0))
    heights = [bar.get_height() for bar in explorer.prob_bars]
    np.testing.assert_allclose(heights, [0.01821127, 0.24519181, 0.73659691], atol=1e-8)
    assert [bar.get_height() for bar in explorer.logit_bars] == [0.3, 2.9, 4.0]
    assert explorer.status.get_text() == "T = 1:  sum = 1.000000,  argmax = class 3"
    assert [label.get_text() for label in explorer.prob_labels] == ["0.018", "0.245", "0.737"]
    explorer.controls["temperature"].value = 2.0
    assert explorer.status.get_text().startswith("T = 2:  ")
    np.testing.assert_allclose(
        explorer.last_probabilities, softmax(np.array([0.3, 2.9, 4.0]) / 2.0), atol=1e-12
    )


def test_argmax_follows_the_largest_logit_and_is_highlighted():
    explorer = softmax_explorer(logits=(0.3, 2.9, 4.0))
    explorer.controls["a1"].value = 5.0
    assert explorer.status.get_text().endswith("argmax = class 1")
    colours = [bar.get_facecolor() for bar in explorer.prob_bars]
    assert colours[0] != colours[1] == colours[2]


def test_a_tie_is_named_and_every_tied_bar_highlighted():
    explorer = softmax_explorer(logits=(0.3, 2.9, 4.0))
    explorer.controls["a1"].value = 4.0  # equal to a3
    assert explorer.status.get_text().endswith("argmax = tie (classes 1, 3)")
    colours = [bar.get_facecolor() for bar in explorer.prob_bars]
    assert colours[0] == colours[2] != colours[1]
    explorer.controls["a1"].value = 4.1  # just past a3: class 1 alone
    assert explorer.status.get_text().endswith("argmax = class 1")
    colours = [bar.get_facecolor() for bar in explorer.prob_bars]
    assert colours[0] != colours[1] == colours[2]


def test_equal_logits_are_a_three_way_tie_with_uniform_probabilities():
    explorer = softmax_explorer(logits=(-2.0, -2.0, -2.0), temperature=0.1)
    assert explorer.status.get_text() == "T = 0.1:  sum = 1.000000,  argmax = tie (classes 1, 2, 3)"
    np.testing.assert_allclose(explorer.last_probabilities, [1 / 3, 1 / 3, 1 / 3], atol=1e-15)
    assert len({bar.get_facecolor() for bar in explorer.prob_bars}) == 1


def test_temperature_flattens_or_sharpens_but_keeps_the_order():
    explorer = softmax_explorer(logits=(0.3, 2.9, 4.0))
    explorer.controls["temperature"].value = 10.0
    hot = explorer.last_probabilities.copy()
    explorer.controls["temperature"].value = 0.1
    cold = explorer.last_probabilities.copy()
    assert np.ptp(hot) < 0.15  # nearly uniform
    assert cold[2] > 0.99  # nearly one-hot on the largest logit
    for probabilities in (hot, cold):
        assert np.all(np.diff(probabilities) > 0)  # the order of 0.3 < 2.9 < 4.0 is kept
        assert probabilities.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"logits": (1.0, 2.0)}, "three numbers"),
        ({"logits": (1.0, 2.0, 30.0)}, "between -6 and 6"),
        ({"logits": (1.0, 2.0, float("nan"))}, "between -6 and 6"),
        ({"logits": "abc"}, "three numbers"),
        ({"temperature": 0.0}, "between 0.1 and 10"),
        ({"temperature": "hot"}, "must be a number"),
    ],
)
def test_bad_arguments_are_named_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        softmax_explorer(**kwargs)
