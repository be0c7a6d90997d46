"""learning_rate_explorer: honest status lines, α in the picture, a step axis that follows the
steps slider, and runs that agree with ``nbtext.surfaces.descend`` (chapter 05)."""

from __future__ import annotations

import numpy as np
import pytest

from nbtext.surfaces import descend, get_curve, get_surface
from nbtext.widgets import learning_rate_explorer
from nbtext.widgets.explore_learning_rate import describe_run

PARABOLA = get_curve("parabola")


def chapter_explorer(**kwargs):
    """The explorer as chapter 05 shows it."""
    options = {"curve": "parabola", "surface": "bowl", "learning_rate": 0.3, "steps": 50}
    return learning_rate_explorer(**(options | kwargs))


@pytest.mark.parametrize(
    ("alpha", "verdict"),
    [
        (0.02, "f = 0.152"),  # still crawling: no verdict word, just where it is
        (0.3, "converged: f = "),
        (0.99, "f = 1.19"),  # oscillating, shrinking slowly
        (1.0, "bouncing: f stays at 9"),  # ±3 for ever
        (1.02, "diverging: f grew to 455"),  # growing, still inside descend's box
        (1.05, "diverging: f grew to 1.24e+05"),
        (1.1, "diverging: f grew to 7.45e+08"),
        (1.2, "diverged after 38 steps"),  # left the box |x| <= 1e6
    ],
)
def test_describe_run_names_each_regime_of_the_parabola(alpha, verdict):
    run = descend(PARABOLA, 3.0, alpha, 50)
    text = describe_run(run, 0.0, abs(PARABOLA.grad(run.final[0])))
    assert text.startswith(verdict), text


def test_describe_run_edge_cases():
    start = descend(PARABOLA, 3.0, 0.1, 0)
    assert describe_run(start, 0.0, 6.0) == "f = 9"
    at_minimum = descend(PARABOLA, 0.0, 0.5, 5)
    assert describe_run(at_minimum, 0.0, 0.0).startswith("converged")
    # The double well from x = 2: small steps stop in the shallow valley (a local minimum).
    well = get_curve("double_well")
    run = descend(well, 2.0, 0.01, 300)
    text = describe_run(run, well.f(well.minimum), abs(well.grad(run.final[0])))
    assert text == "converged: f = -1.07"


@pytest.mark.parametrize(
    ("alpha", "words"),
    [
        (1.02, ("1-D: diverging", "2-D: diverging")),
        (1.0, ("1-D: bouncing", "2-D: bouncing")),
        (1.2, ("1-D: diverged after 38 steps", "2-D: diverged after 38 steps")),
        (0.3, ("1-D: converged", "2-D: converged")),
    ],
)
def test_status_reports_divergence_honestly(alpha, words):
    explorer = chapter_explorer()
    explorer.controls["learning_rate"].value = alpha
    status = explorer.status.get_text()
    for word in words:
        assert word in status
    assert "diverg" not in status or alpha > 1


def test_the_picture_states_the_learning_rate_and_the_steps():
    explorer = chapter_explorer()
    assert explorer.status.get_text().splitlines()[0] == "α = 0.3, 50 steps"
    explorer.controls["learning_rate"].value = 0.05
    explorer.controls["steps"].value = 20
    assert explorer.status.get_text().splitlines()[0] == "α = 0.05, 20 steps"


@pytest.mark.parametrize("steps", [1, 7, 50, 100])
def test_the_step_axis_spans_the_steps_used(steps):
    explorer = chapter_explorer(learning_rate=0.05)
    explorer.controls["steps"].value = steps
    labels = [label.get_text() for label in explorer.ax_loss.get_xticklabels()]
    assert labels == ["0", f"{steps / 2:g}", f"{steps}"]
    # The loss is drawn against step / steps on a 0…1 axis: the last step is at the right edge.
    for line in (explorer.loss1, explorer.loss2):
        x = line.get_xdata()
        assert x[0] == 0.0 and x[-1] == pytest.approx(1.0) and len(x) == steps + 1
    assert explorer.ax_loss.get_xlim() == (0.0, 1.0)


def test_a_new_step_count_does_not_redraw_the_whole_figure(monkeypatch):
    explorer = chapter_explorer()
    calls = []
    monkeypatch.setattr(explorer.figure.canvas, "draw", lambda *a, **k: calls.append(1))
    for steps in (10, 37, 100, 3):
        before = explorer.png
        explorer.controls["steps"].value = steps
        assert explorer.png != before
    assert calls == []


def test_the_two_loss_lines_look_different():
    explorer = chapter_explorer()
    one, two = explorer.loss1, explorer.loss2
    assert one.get_color() != two.get_color()
    assert one.get_linestyle() != two.get_linestyle()
    assert [t.get_text() for t in explorer.ax_loss.get_legend().get_texts()] == ["1-D", "2-D"]


@pytest.mark.parametrize("alpha", [0.3, 1.2])
def test_runs_agree_with_descend_whatever_the_order_of_the_sliders(alpha):
    explorer = chapter_explorer(learning_rate=alpha)
    bowl = get_surface("bowl")
    for steps in (50, 20, 100, 37, 38, 39, 1):
        explorer.controls["steps"].value = steps
        run1, run2 = explorer.last_runs
        want1 = descend(PARABOLA, 3.0, alpha, steps)
        want2 = descend(bowl, (-2.5, 2.0), alpha, steps)
        for got, want in ((run1, want1), (run2, want2)):
            np.testing.assert_array_equal(got.points, want.points)
            np.testing.assert_array_equal(got.values, want.values)
            assert got.diverged_at == want.diverged_at


def test_every_learning_rate_of_the_slider_gives_a_clean_status():
    explorer = learning_rate_explorer()
    slider = explorer.controls["learning_rate"]
    for alpha in 10 ** np.linspace(slider.min, slider.max, 15):
        slider.value = float(alpha)
        lines = explorer.status.get_text().splitlines()
        assert len(lines) == 3 and lines[1].startswith("1-D: ") and lines[2].startswith("2-D: ")
        assert "nan" not in explorer.status.get_text()
