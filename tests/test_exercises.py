"""Self-check exercises: references pass, mistakes get specific feedback, nothing crashes."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nbtext.exercises import (
    FunctionExercise,
    NumericExercise,
    Result,
    all_exercises,
    ch01,
    ch02,
    ch03,
    ch04,
    ch05,
    ch06,
    ch07,
    ch08,
    ch09,
    ch10,
    ch11,
    ch12,
)
from nbtext.exercises._core import fmt

EXERCISES = all_exercises()
BY_NAME = {ex.name: ex for ex in EXERCISES}
FUNCTION_EXERCISES = [ex for ex in EXERCISES if isinstance(ex, FunctionExercise)]
VERDICTS = ("Correct!", "Not yet:", "Not attempted yet:")
MIN_EXERCISES_PER_CHAPTER = 6


def load_chapter_mistakes() -> dict[str, list[tuple[Any, str]]]:
    """Merge the ``MISTAKES`` dicts of ``tests/exercise_mistakes/ch01.py``, ``ch02.py``, …"""
    merged: dict[str, list[tuple[Any, str]]] = {}
    folder = Path(__file__).parent / "exercise_mistakes"
    for path in sorted(folder.glob("ch[0-9][0-9].py")):
        spec = importlib.util.spec_from_file_location(f"exercise_mistakes_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, items in module.MISTAKES.items():
            assert name.startswith(f"{path.stem}."), f"{name} listed in {path.name}"
            assert name not in merged, f"{name} has mistakes listed twice"
            merged[name] = items
    return merged


def run_check(ex: Any, answer: Any, capsys: pytest.CaptureFixture[str]) -> tuple[Result, str]:
    """Check ``answer``, assert exactly one verdict line was printed, return (result, text)."""
    capsys.readouterr()
    result = ex.check(answer)
    out = capsys.readouterr().out
    assert sum(out.count(v) for v in VERDICTS) == 1, out
    assert out.startswith(VERDICTS), out
    return result, out


# ------------------------------------------------------------ typical mistakes ---


def _in_place_update(w: np.ndarray, x: np.ndarray, target: float, lr: float) -> np.ndarray:
    output = 1.0 if np.dot(w, x) > 0 else 0.0
    w += lr * (target - output) * x
    return w


def _scalar_step(x: Any) -> int:
    return 1 if x > 0 else 0


def _no_restore(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    h = 1e-5
    grad = np.zeros_like(x)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        flat[i] += h
        f_plus = f(x)
        flat[i] -= 2 * h
        g[i] = (f_plus - f(x)) / (2 * h)
    return grad


def _relu_in_place(dout: np.ndarray, x: np.ndarray) -> np.ndarray:
    dout[x <= 0] = 0
    return dout


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch01.q1": [
        ((0.5, 0.5, 0.2), "b must be ≤ 0"),
        ((0.5, 0.5, -1.2), "1 AND 1"),
        ((1.0, 0.2, -0.5), "a single 1 must not be enough"),
        ((0.5, 0.5), "expected three numbers"),
        ("0.5, 0.5, -0.7", "tuple of three numbers"),
    ],
    "ch01.q2": [
        (ch01._wrong_sign, "target − output"),
        (ch01._no_lr, "learning rate"),
        (ch01._no_x, "factor x"),
        (ch01._ge_zero, "strictly"),
        (_in_place_update, "in place"),
    ],
    "ch02.q1": [
        (lambda x: (x >= 0).astype(int), "not x >= 0"),
        (lambda x: (x <= 0).astype(int), "wrong way round"),
        (_scalar_step, "raised ValueError"),
        (lambda x: np.sign(x), "expected 0.0, got -1.0"),
    ],
    "ch02.q2": [
        (lambda x: 1 / (1 + np.exp(x)), "x = 2.0: expected 0.8808, got 0.1192 — did you forget"),
        (np.tanh, "tanh"),
        (lambda x: 1 / (1 - np.exp(-x)), "with a plus"),
        (lambda x: 1 / 1 + np.exp(-x), "mind the brackets"),
    ],
    "ch02.q3": [
        ("a", "sigmoid stays between 0 and 1"),
        ("tanh", "between −1 and 1"),
        ("(d)", "only takes the values 0 and 1"),
        ("z", "not one of the choices"),
    ],
    "ch03.q1": [
        (np.exp([1.0, -0.5, 2.0]), "divide by its sum"),
        (np.array([1.0, -0.5, 2.0]) / 2.5, "a / sum(a)"),
        ([0.6897, 0.0566, 0.2537], "reverse order"),
        ([0.2537, 0.0566], "wrong shape: expected (3,), got (2,)"),
        ([0.2537, 0.0566, 0.6896], "(± 6e-5)"),  # truncated, not rounded: an absolute tolerance
    ],
    "ch03.q2": [
        ((3, 3), "inner dimensions"),
        ((2, 4), "value number 1 of your answer (2) is too small"),
        ((4, 3, 2), "disappears"),
        ("(4, 2)", "without quotes"),
    ],
    "ch04.q1": [
        (lambda p, t: np.sum((p - t) ** 2), "you summed"),
        (lambda p, t: np.mean(p - t), "forget to square"),
        (lambda p, t: np.mean(np.abs(p - t)), "mean absolute error"),
        (lambda p, t: np.sqrt(np.mean((p - t) ** 2)), "square root"),
        (lambda p, t: 0.5 * np.sum((p - t) ** 2), "mean of the squared errors"),
        (lambda p, t: 0.5 * np.mean((p - t) ** 2), "half the MSE"),
    ],
    "ch04.q2": [
        ("a", "perfect prediction"),
        ("b", "1/e"),
        ("minus infinity", "the sign flips"),
    ],
    "ch05.q1": [
        (ch05._forward, "forward difference"),
        (ch05._no_half, "divides by 2h"),
        (_no_restore, "restore it"),
        (lambda f, x: np.zeros_like(x), "zeros"),
    ],
    "ch05.q2": [
        ("a", "still goes down"),
        ("c", "more epochs"),
        ("d", "accurate way"),
    ],
    "ch06.q1": [
        (0.235, "multiply by the upstream gradient"),
        (1.2449, "the local derivative is σ(a)(1 − σ(a))"),
        (0.5, "you used a(1 − a)"),
        ([0.47, 0.47], "expected a single number"),
    ],
    "ch06.q2": [
        (lambda d, x: (x > 0).astype(float), "multiply it by dout"),
        (lambda d, x: d * (x >= 0), "not x >= 0"),
        (lambda d, x: np.maximum(d, 0), "not from dout"),
        (lambda d, x: d * np.maximum(0, x), "not by ReLU's derivative"),
        (_relu_in_place, "leave dout alone"),
    ],
    "ch07.q1": [
        (56, "round up"),
        (56.15625, "whole number"),
        (1797, "not one sample"),
        ("57", "the text"),
    ],
    "ch07.q2": [
        (lambda p, g, b, lr, m: (p + lr * (m * b + g), m * b + g), "downhill"),
        (lambda p, g, b, lr, m: (p - lr * (m * b + g), b + g), "decays"),
        (lambda p, g, b, lr, m: (p - lr * g, m * b + g), "raw gradient"),
        (lambda p, g, b, lr, m: p - lr * (m * b + g), "expected a tuple of 2 values"),
    ],
    "ch08.q1": [
        (lambda s, y: np.sum(np.argmax(s, axis=1) == y), "number of correct rows"),
        (lambda s, y: 100 * np.mean(np.argmax(s, axis=1) == y), "percentage"),
        (lambda s, y: 1 - np.mean(np.argmax(s, axis=1) == y), "error rate"),
        (lambda s, y: np.mean(np.argmax(s, axis=0) == y), "raised ValueError"),
    ],
    "ch08.q2": [
        (2, "fraction of all 4 rows"),
        (50, "not a percentage"),
        (0.75, "row 3"),
    ],
}

# Chapters add their exercises' mistakes in tests/exercise_mistakes/chNN.py
# (a dict MISTAKES of the same form), so each chapter's table lives beside no other.
for _name, _extra in load_chapter_mistakes().items():
    assert _name not in MISTAKES, f"{_name} has mistakes listed twice"
    MISTAKES[_name] = _extra

MISTAKE_CASES = [
    pytest.param(name, answer, text, id=f"{name}-{i}")
    for name, items in MISTAKES.items()
    for i, (answer, text) in enumerate(items)
]


# ---------------------------------------------------------------------- tests ---


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.name)
def test_reference_passes_its_own_check(ex: Any, capsys: pytest.CaptureFixture[str]) -> None:
    result, out = run_check(ex, ex.reference, capsys)
    assert result
    assert out.startswith("Correct!")


@pytest.mark.parametrize(("name", "answer", "text"), MISTAKE_CASES)
def test_typical_mistakes_get_specific_feedback(
    name: str, answer: Any, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result, out = run_check(BY_NAME[name], answer, capsys)
    assert not result
    assert out.startswith("Not yet:")
    assert text in out


def test_every_exercise_has_at_least_three_mistakes_tested() -> None:
    assert set(MISTAKES) == set(BY_NAME)
    assert all(len(items) >= 3 for items in MISTAKES.values())


def _raises_value_error(*args: Any) -> Any:
    raise ValueError("boom")


def _no_arguments() -> float:
    return 1.0


def _generator(*args: Any) -> Any:
    yield 1.0


def _returns_generator(*args: Any) -> Any:
    return (v for v in range(3))


def _returns_nan(*args: Any) -> Any:
    return np.full((3, 4), np.nan)


def _wrong_shape(*args: Any) -> Any:
    return np.zeros((3, 4))


def _overflows(*args: Any) -> Any:
    return np.exp(np.full(3, 1000.0)) * 0.0


def _exits(*args: Any) -> Any:
    raise SystemExit(1)


GARBAGE = [
    "abc",
    42,
    [],
    {},
    object(),
    np.inf,
    float("nan"),
    True,
    np.zeros((3, 4)),
    _raises_value_error,
    _no_arguments,
    _generator,
    _returns_generator,
    _returns_nan,
    _wrong_shape,
    _overflows,
    _exits,
    len,
]


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.name)
def test_garbage_never_crashes(ex: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for answer in GARBAGE:
        result, out = run_check(ex, answer, capsys)
        assert not result, (answer, out)
        assert out.startswith(("Not yet:", "Not attempted yet:")), (answer, out)


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.name)
@pytest.mark.parametrize("blank", [None, ...], ids=["None", "Ellipsis"])
def test_blank_answer_is_not_attempted(
    ex: Any, blank: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    result, out = run_check(ex, blank, capsys)
    assert not result
    assert out.startswith("Not attempted yet:")


def _stub_ellipsis(*args: Any) -> Any: ...


def _stub_none(*args: Any) -> Any:
    return None


def _stub_raise(*args: Any) -> Any:
    raise NotImplementedError


@pytest.mark.parametrize("ex", FUNCTION_EXERCISES, ids=lambda ex: ex.name)
@pytest.mark.parametrize("stub", [_stub_ellipsis, _stub_none, _stub_raise])
def test_stubs_are_not_attempted(
    ex: Any, stub: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    result, out = run_check(ex, stub, capsys)
    assert not result
    assert out.startswith("Not attempted yet:")


def test_function_answers_report_specific_problems(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_check(ch02.q2, _raises_value_error, capsys)
    assert "your function raised ValueError on input x = 2.0: boom" in out
    _, out = run_check(ch02.q2, lambda x: 1 / x, capsys)  # 1 / 0.0 is inf under errstate
    assert out.startswith("Not yet:")
    _, out = run_check(ch08.q1, lambda s, y: float(1 / 0), capsys)
    assert "raised ZeroDivisionError" in out
    _, out = run_check(ch02.q1, lambda x: (x > 0).astype(int).reshape(1, -1), capsys)
    assert "wrong shape at input x = [-2.0, -0.5, 0.0, 0.5, 2.0]: expected (5,), got (1, 5)" in out
    _, out = run_check(ch02.q1, _generator, capsys)
    assert "yield" in out
    _, out = run_check(ch02.q1, _returns_generator, capsys)
    assert "its result is a generator, not an array" in out
    _, out = run_check(ch02.q1, 42, capsys)
    assert "pass your function itself" in out
    _, out = run_check(ch04.q1, _no_arguments, capsys)
    assert "raised TypeError" in out


def test_wrong_shape_message(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_check(ch06.q2, lambda d, x: d.T, capsys)
    assert "expected (2, 3), got (3, 2)" in out


def test_naive_sigmoid_is_accepted_without_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    # 1 / (1 + exp(-x)) overflows at x = -1000 but is still right; no warning may escape.
    result, _ = run_check(ch02.q2, lambda x: 1 / (1 + np.exp(-x)), capsys)
    assert result


def _clip_without_eps(grads: dict[str, np.ndarray], max_norm: float) -> dict[str, np.ndarray]:
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    if norm <= max_norm:
        return grads  # unchanged arrays, not copied: still fine
    return {name: g * (max_norm / norm) for name, g in grads.items()}


def _penalty_by_loop(params: dict[str, np.ndarray], lam: float) -> float:
    total = 0.0
    for name in params:
        if name.startswith("W"):
            total += float((params[name] ** 2).sum())
    return 0.5 * lam * total


def _early_stopping_with_argmin(val_losses: list[float], patience: int) -> tuple[int, int]:
    # A different way to the same rule: the best so far by argmin (which keeps the first of
    # equal values), stop once the best is patience epochs old.
    for epoch in range(1, len(val_losses) + 1):
        best = int(np.argmin(val_losses[:epoch])) + 1
        if epoch - best == patience:
            return best, epoch
    return int(np.argmin(val_losses)) + 1, len(val_losses)


def _standardize_with_keepdims(X_train: np.ndarray, X: np.ndarray) -> np.ndarray:
    mean = np.mean(X_train, axis=0, keepdims=True)
    return (X - mean) / np.sqrt(np.mean((X_train - mean) ** 2, axis=0, keepdims=True))


def test_alternative_correct_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(ch01.q1, (1.0, 1.0, -1.5), capsys)[0]
    assert run_check(ch01.q1, np.array([0.5, 0.5, -0.7]), capsys)[0]
    assert run_check(ch02.q1, lambda x: (x > 0).astype(int), capsys)[0]
    assert run_check(ch02.q3, " ReLU ", capsys)[0]
    assert run_check(ch02.q3, "C)", capsys)[0]
    assert run_check(ch03.q1, [0.2537, 0.0566, 0.6897], capsys)[0]
    assert run_check(ch03.q2, [4, 2], capsys)[0]
    assert run_check(ch04.q2, "inf", capsys)[0]
    assert run_check(ch05.q2, "Too large", capsys)[0]
    assert run_check(ch06.q1, 0.47, capsys)[0]
    assert run_check(ch07.q1, np.int64(57), capsys)[0]
    assert run_check(ch08.q1, lambda s, y: np.mean(s.argmax(axis=1) == y), capsys)[0]
    assert run_check(ch09.q2, lambda n_in, n_out: (2 / (n_in + n_out)) ** 0.5, capsys)[0]
    assert run_check(ch09.q3, 0.2, capsys)[0]
    assert run_check(ch09.q4, "He", capsys)[0]
    assert run_check(ch09.q5, 4**10, capsys)[0]
    assert run_check(ch09.q6, _clip_without_eps, capsys)[0]
    assert run_check(ch09.q7, "the first layer", capsys)[0]
    assert run_check(ch09.q8, 1e-5, capsys)[0]
    assert run_check(ch10.q1, (1 - 0.1 * 0.01) * 2.0 - 0.1 * 0.5, capsys)[0]
    assert run_check(ch10.q1, 1.948, capsys)[0]
    assert run_check(ch10.q2, _penalty_by_loop, capsys)[0]
    assert run_check(ch10.q3, _early_stopping_with_argmin, capsys)[0]
    assert run_check(ch10.q4, lambda x, keep, p: np.where(keep, x / (1 - p), 0.0), capsys)[0]
    assert run_check(ch10.q5, _standardize_with_keepdims, capsys)[0]
    assert run_check(ch10.q6, "the validation set", capsys)[0]
    assert run_check(ch10.q7, "Training for more epochs", capsys)[0]
    assert run_check(ch10.q8, [4, 0, 12, 0], capsys)[0]
    assert run_check(ch10.q8, np.array([4.0, 0.0, 12.0, 0.0]), capsys)[0]


def test_references_agree_with_the_package() -> None:
    assert ch07.q1.reference == 57
    np.testing.assert_allclose(ch03.q1.reference, [0.25371618, 0.05661173, 0.68967209], atol=1e-8)
    p, buf = ch07.momentum_step(np.array([1.0]), np.array([0.5]), np.array([1.0]), 0.1, 0.9)
    np.testing.assert_allclose(buf, [1.4])
    np.testing.assert_allclose(p, [0.86])


def test_chapter_09_references_and_claims_agree_with_the_package() -> None:
    from nbtext.network import MLP
    from nbtext.training import clip_grad_norm

    assert ch09.q1.reference == pytest.approx(10.24)
    assert ch09.q3.reference == pytest.approx(0.2)
    assert ch09.q5.reference == 4**10
    assert 3e-6 < ch09.q8.reference < 3e-5  # "about 1e-5" in its solution
    grads = {"W": np.array([[3.0, 4.0]]), "b": np.array([12.0])}
    clipped = ch09.clip_by_norm(grads, 6.5)
    np.testing.assert_array_equal(grads["b"], [12.0])  # the caller's arrays are untouched
    assert clip_grad_norm(grads, 6.5) == pytest.approx(13.0)
    for key in grads:
        np.testing.assert_allclose(clipped[key], grads[key])
    norms = ch09._NORMS7  # q7: in a deep sigmoid network the first layer's gradient is smallest
    assert min(norms, key=norms.get) == "W1" and max(norms, key=norms.get) == "W10"
    assert norms["W1"] < 1e-5 * norms["W10"]
    # q4's feedback: with ReLU, Xavier shrinks the signal by about √2 per layer; He keeps it.
    X = np.random.default_rng(0).normal(size=(500, 100))
    for init, low, high in (("xavier", 0.6, 0.8), ("he", 0.9, 1.15)):
        rms = [np.sqrt(np.mean(h**2)) for h in MLP([100] * 9 + [2], init=init).hidden_outputs(X)]
        assert low < (rms[-1] / rms[0]) ** (1 / (len(rms) - 1)) < high, init


def test_chapter_10_references_agree_with_the_package() -> None:
    from nbtext.layers import Dropout
    from nbtext.network import MLP
    from nbtext.optimizers import SGD
    from nbtext.preprocessing import Standardizer

    # q1: one step of MLP(weight_decay=λ) with SGD is w − η(g + λw) = (1 − ηλ)w − ηg.
    assert ch10.q1.reference == pytest.approx(1.948, abs=1e-12)
    for w, g, lr, lam in ((2.0, 0.5, 0.1, 0.01), (-1.5, 2.0, 0.05, 0.3), (0.7, -0.2, 1.0, 0.0)):
        assert ch10._step_with_decay(w, g, lr, lam) == pytest.approx((1 - lr * lam) * w - lr * g)
    # q2: the penalty is what weight_decay adds to MLP's loss, and what it does to the grads.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, size=8)
    plain, decayed = MLP([4, 6, 5, 3], seed=1), MLP([4, 6, 5, 3], seed=1, weight_decay=0.3)
    difference = decayed.loss(X, y) - plain.loss(X, y)
    assert difference == pytest.approx(ch10.penalty(plain.params, 0.3), rel=1e-12)
    assert ch10.penalty(ch10._HAND, 0.1) == pytest.approx(0.95)
    grads_plain = plain.loss_and_gradients(X, y)[1]
    grads_decayed = decayed.loss_and_gradients(X, y)[1]
    for key, value in plain.params.items():
        extra = 0.3 * value if key.startswith("W") else 0.0  # biases are not decayed
        np.testing.assert_allclose(grads_decayed[key], grads_plain[key] + extra, atol=1e-12)
    # q4 and q8: the reference is nbtext's Dropout with the given mask; a seeded layer draws
    # keep = rng.random(shape) >= p, and in evaluation mode it passes x through.
    x = rng.normal(size=(5, 7))
    for p in (0.1, 0.5, 0.9):
        keep = np.random.default_rng(3).random(x.shape) >= p
        np.testing.assert_allclose(Dropout(p, seed=3).forward(x), x * keep / (1 - p))
        np.testing.assert_allclose(ch10.dropout_forward(x, keep, p), x * keep / (1 - p))
    layer = Dropout(0.25)
    layer.training = False
    np.testing.assert_array_equal(layer.forward(ch10._X8), [3.0, 6.0, 9.0, 12.0])
    np.testing.assert_array_equal(ch10.q8.reference, [4.0, 0.0, 12.0, 0.0])
    # q5: Standardizer uses the training set's mean and population std.
    X_train, X_new = rng.normal(3.0, 5.0, size=(30, 4)), rng.normal(size=(6, 4))
    expected = (X_new - X_train.mean(axis=0)) / X_train.std(axis=0, ddof=0)
    np.testing.assert_allclose(ch10.standardize(X_train, X_new), expected)
    np.testing.assert_allclose(Standardizer().fit(X_train).transform(X_new), expected)
    # SGD is the plain step q1 builds on.
    params = {"w": np.array([2.0])}
    SGD(0.1).step(params, {"w": np.array([0.5 + 0.01 * 2.0])})
    assert params["w"][0] == pytest.approx(ch10.q1.reference)


def test_chapter_10_early_stopping_is_fits_rule() -> None:
    """q3's reference runs nbtext.training.fit: the plain loop of the solution agrees with it on
    many random loss curves (ties included), and fit restores the best epoch's weights."""
    rng = np.random.default_rng(0)
    for _ in range(200):
        losses = [float(v) for v in np.round(rng.uniform(0.0, 1.0, rng.integers(1, 15)), 1)]
        patience = int(rng.integers(1, 5))
        history, model = ch10.run_early_stopping(losses, patience)
        expected = ch10._stopping_loop(losses, patience)
        assert (history.best_epoch, history.epochs) == expected, (losses, patience)
        assert ch10.early_stopping(losses, patience) == expected
        assert model.params["epochs"][0] == history.best_epoch  # the best weights are back
        assert history.stopped_early == (history.epochs - history.best_epoch == patience)
        assert history.val_loss == losses[: history.epochs]


@pytest.mark.parametrize("ex", [ch10.q2, ch10.q3, ch10.q4, ch10.q5], ids=lambda ex: ex.name)
def test_chapter_10_printed_solutions_pass(ex: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"np": np}
    exec(ex.solution_text, namespace)  # the code a learner would copy from solution()
    function = namespace[ex.reference.__name__]
    assert run_check(ex, function, capsys)[0]


def test_chapter_10_wrong_mask_and_loose_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    # A learner who draws a fresh mask is told to use the one given.
    def own_mask(x: np.ndarray, keep: np.ndarray, p: float) -> np.ndarray:
        return x * (np.random.default_rng(3).random(x.shape) >= p) / (1 - p)

    result, out = run_check(ch10.q4, own_mask, capsys)
    assert not result and "use the mask keep that is passed in" in out
    # q1's typical mistakes are all within 1 % of the answer: named, not "keep more digits".
    for wrong in (1.95, 1.949, 1.952, 1.93, 0.999 * 1.95):
        result, out = run_check(ch10.q1, wrong, capsys)
        assert not result and "close but not within" not in out and " — " in out
    result, out = run_check(ch10.q1, 1.9485, capsys)  # not a typical mistake: just close
    assert not result and "close but not within the tolerance" in out


def test_chapter_11_references_agree_with_a_numerical_gradient() -> None:
    """q4 and q5: the compact backward and (dγ, dβ) are the gradients of the forward pass."""
    from nbtext.gradcheck import numerical_gradient, relative_error

    rng = np.random.default_rng(0)
    for n, d in ((4, 2), (7, 3), (3, 5)):
        x = rng.normal(rng.normal(0.0, 3.0, d), rng.uniform(0.5, 3.0, d), size=(n, d))
        gamma, beta, dout = rng.normal(size=d), rng.normal(size=d), rng.normal(size=(n, d))

        def loss(x=x, gamma=gamma, beta=beta, dout=dout):  # type: ignore[no-untyped-def]
            return float(np.sum(dout * ch11.batchnorm_forward(x, gamma, beta)))

        x_hat = ch11.normalize(x)
        inv_std = 1 / np.sqrt(x.var(axis=0) + ch11.EPS)
        dx = ch11.input_gradient(dout, x_hat, gamma, inv_std)
        # 1e-6, not 1e-7: some entries of dx are a thousand times smaller than the others
        assert relative_error(dx, numerical_gradient(lambda v: loss(x=v), x)) < 1e-6
        np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)  # the solution's claim
        dgamma, dbeta = ch11.param_grads(dout, x_hat)
        assert relative_error(dgamma, numerical_gradient(lambda g: loss(gamma=g), gamma)) < 1e-7
        assert relative_error(dbeta, numerical_gradient(lambda b: loss(beta=b), beta)) < 1e-7


def test_chapter_11_references_follow_torchs_conventions() -> None:
    # q1: each column of x̂ has mean 0 and a variance just under 1 (biased, with ε).
    x_hat = ch11.normalize(ch11._X1)
    np.testing.assert_allclose(x_hat.mean(axis=0), 0.0, atol=1e-12)
    assert np.all(x_hat.var(axis=0) < 1) and np.allclose(x_hat.var(axis=0), 1.0, atol=1e-5)
    # q2: γ and β set the mean and std of each output feature.
    y = ch11.q2.reference
    np.testing.assert_allclose(y.mean(axis=0), [1.0, -1.0], atol=1e-12)
    np.testing.assert_allclose(y.std(axis=0), [2.0, 0.5], rtol=1e-5)
    # q3: from (0, 1), one batch moves the running statistics a tenth of the way, with the
    # unbiased variance (N / (N − 1) times the biased one).
    x = ch11._X1
    mean, var = ch11.update_running_stats(np.zeros(2), np.ones(2), x)
    np.testing.assert_allclose(mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(var, 0.9 + 0.1 * x.var(axis=0) * 4 / 3)
    # q6: ε = 1e-5 hardly matters here; the answer without it passes.
    assert ch11.q6.verdict(np.array([2.75, -5.0, 1.25]))
    # q7: a γ and a β per hidden feature.
    assert ch11.q7.reference == 300
    # q8: Keras's update with momentum 0.99 is torch's with the reference.
    old, batch = np.array([2.0, -1.0]), np.array([0.5, 3.0])
    keras = 0.99 * old + (1 - 0.99) * batch
    torch = (1 - ch11.q8.reference) * old + ch11.q8.reference * batch
    np.testing.assert_allclose(torch, keras)


@pytest.mark.parametrize("ex", [ch11.q1, ch11.q3, ch11.q4, ch11.q5], ids=lambda ex: ex.name)
def test_chapter_11_printed_solutions_pass(ex: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"np": np}
    exec(ex.solution_text, namespace)  # the code a learner would copy from solution()
    function = namespace[ex.reference.__name__]
    assert run_check(ex, function, capsys)[0]


def test_chapter_11_printed_numbers_pass(capsys: pytest.CaptureFixture[str]) -> None:
    for ex in (ch11.q2, ch11.q6):
        code = ex.solution_text.split("# y ≈")[0]
        namespace: dict[str, Any] = {
            "np": np,
            "x": ch11._X6,
            "running_mean": ch11._MEAN6,
            "running_var": ch11._VAR6,
            "gamma": ch11._GAMMA6,
            "beta": ch11._BETA6,
        }
        exec(code, namespace)
        assert run_check(ex, namespace["y"], capsys)[0]


def _normalize_by_hand(x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    mu = np.mean(x, axis=0, keepdims=True)
    var = np.mean((x - mu) ** 2, axis=0, keepdims=True)
    return (x - mu) / np.sqrt(var + eps)


def _backward_with_means(
    dout: np.ndarray, x_hat: np.ndarray, gamma: np.ndarray, inv_std: np.ndarray
) -> np.ndarray:
    dx_hat = dout * gamma
    return inv_std * (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0))


def _running_as_a_step_towards_the_batch(
    m: np.ndarray, v: np.ndarray, x: np.ndarray, momentum: float = 0.1
) -> list[np.ndarray]:
    return [m + momentum * (x.mean(axis=0) - m), v + momentum * (x.var(axis=0, ddof=1) - v)]


def _param_grads_as_a_list(dout: np.ndarray, x_hat: np.ndarray) -> list[np.ndarray]:
    return [np.einsum("nd,nd->d", dout, x_hat), np.sum(dout, axis=0)]


def test_chapter_11_alternative_correct_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(ch11.q1, _normalize_by_hand, capsys)[0]
    assert run_check(ch11.q2, np.round(ch11.q2.reference, 3), capsys)[0]
    assert run_check(ch11.q2, np.round(ch11.q2.reference, 3).tolist(), capsys)[0]
    assert run_check(ch11.q3, _running_as_a_step_towards_the_batch, capsys)[0]
    assert run_check(ch11.q4, _backward_with_means, capsys)[0]
    assert run_check(ch11.q5, _param_grads_as_a_list, capsys)[0]
    assert run_check(ch11.q6, [2.75, -5.0, 1.25], capsys)[0]
    assert run_check(ch11.q7, 300.0, capsys)[0]
    assert run_check(ch11.q8, 1 - 0.99, capsys)[0]
    assert run_check(ch11.q8, 0.01, capsys)[0]


def test_result_is_truthy_only_when_correct_and_repr_is_short() -> None:
    result = ch07.q1.verdict(57)
    assert result and result.status == "correct"
    wrong = ch07.q1.verdict(56)
    assert not wrong
    assert wrong.message not in repr(wrong)
    assert len(repr(wrong)) < 20


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.name)
def test_hints_grow_stronger_then_repeat(ex: Any, capsys: pytest.CaptureFixture[str]) -> None:
    ex._hints_shown = 0
    shown = []
    for _ in range(len(ex.hints)):
        ex.hint()
        shown.append(capsys.readouterr().out)
    assert len(ex.hints) >= 2
    assert len(set(shown)) == len(shown)
    for i, text in enumerate(shown, start=1):
        assert text.startswith(f"Hint {i} of {len(ex.hints)}:")
    ex.hint()
    again = capsys.readouterr().out
    assert "last hint" in again
    assert ex.hints[-1] in again
    ex._hints_shown = 0


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.name)
def test_solution_and_metadata(ex: Any, capsys: pytest.CaptureFixture[str]) -> None:
    ex.solution()
    out = capsys.readouterr().out
    assert out.startswith(f"Solution to {ex.name}:")
    assert ex.solution_text in out
    assert ex.name.startswith(f"ch{ex.chapter:02d}.q")
    assert ex.prompt and "\n" not in ex.prompt


def test_all_exercises_unique_and_cover_every_chapter() -> None:
    names = [ex.name for ex in EXERCISES]
    assert len(names) == len(set(names))
    assert {ex.chapter for ex in EXERCISES} == set(range(1, 13))
    for module in (ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09, ch10, ch11, ch12):
        assert len(module.EXERCISES) >= MIN_EXERCISES_PER_CHAPTER, module.__name__
        assert module.q1 is module.EXERCISES[0]


def test_number_answers_do_not_give_the_answer_away(capsys: pytest.CaptureFixture[str]) -> None:
    """A learner works a number out: feedback says what is off, never the reference."""
    for ex in EXERCISES:
        if not isinstance(ex, NumericExercise):
            continue
        reference = np.asarray(ex.reference, dtype=np.float64)
        for factor in (1.5, 0.5, 1.003):
            wrong = reference * factor + (0.25 if not reference.any() else 0.0)
            if isinstance(ex.reference, tuple):
                wrong = tuple(float(v) for v in np.ravel(wrong))
            result, out = run_check(ex, wrong, capsys)
            if result:  # within this exercise's tolerance
                continue
            shown = [fmt(float(v)) for v in np.ravel(reference)]
            revealed = [re.search(rf"(?<![\d.]){re.escape(s)}(?!\d)", out) for s in shown]
            assert not all(revealed), f"{ex.name} reveals {shown}: {out}"


def test_close_numbers_are_told_they_are_close(capsys: pytest.CaptureFixture[str]) -> None:
    result, out = run_check(ch04.q5, 0.832, capsys)  # 5/6, to 0.1 %
    assert not result and "close but not within the tolerance" in out
    result, out = run_check(ch07.q1, 57.3, capsys)  # a count: no "keep more digits"
    assert not result and "your answer 57.3 is too large" in out


def _never_returns(x: Any) -> Any:
    while True:
        x = x + 0


def test_a_function_that_never_returns_is_stopped_and_told_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal
    import time

    from nbtext.exercises import _core

    monkeypatch.setattr(_core, "TIME_LIMIT", 0.2)
    handler = signal.getsignal(signal.SIGALRM)
    started = time.perf_counter()
    result, out = run_check(ch02.q2, _never_returns, capsys)
    assert time.perf_counter() - started < 5
    assert not result
    assert out.startswith("Not yet: your function did not return within 0.2 s on input x = ")
    assert "loop that never ends" in out
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # the timer is disarmed
    assert signal.getsignal(signal.SIGALRM) is handler  # and the old handler is back


def test_the_time_limit_leaves_a_running_timer_alone() -> None:
    import signal

    from nbtext.exercises._core import time_limit

    handler = signal.signal(signal.SIGALRM, lambda *_: None)
    try:
        signal.setitimer(signal.ITIMER_REAL, 60.0)  # someone else's timer (pytest-timeout)
        with time_limit(0.01):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 50.0 < remaining <= 60.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)
