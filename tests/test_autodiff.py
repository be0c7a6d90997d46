"""Tests for nbtext.autodiff (Chapter 06): gradients against central differences, graphs."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes

from nbtext.autodiff import Value, topological_order
from nbtext.plots import draw_graph

H = 1e-5
TOL = 1e-7


def rel_error(a: float, b: float) -> float:
    """CS231n relative error, as in nbtext.gradcheck: |a-b| / max(1e-8, |a|+|b|)."""
    return abs(a - b) / max(1e-8, abs(a) + abs(b))


def grads_vs_numeric(f: Callable[..., Value], *xs: float) -> list[tuple[float, float]]:
    """Return (backprop, central-difference) derivative pairs of f at xs, one per input."""
    values = [Value(x) for x in xs]
    f(*values).backward()
    pairs = []
    for i, x in enumerate(xs):
        up = [Value(v) for v in xs]
        down = [Value(v) for v in xs]
        up[i], down[i] = Value(x + H), Value(x - H)
        numeric = (f(*up).data - f(*down).data) / (2 * H)
        pairs.append((values[i].grad, numeric))
    return pairs


def assert_grads_match(f: Callable[..., Value], *xs: float) -> None:
    for i, (analytic, numeric) in enumerate(grads_vs_numeric(f, *xs)):
        err = rel_error(analytic, numeric)
        assert err < TOL, f"input {i} at {xs}: backprop {analytic}, numeric {numeric}, err {err}"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ----- every operation against a numerical derivative -----

UNARY = {
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
    "radd": lambda a: 2.5 + a,
    "rsub": lambda a: 2.5 - a,
    "rmul": lambda a: 2.5 * a,
    "add_number": lambda a: a + 2.5,
    "sub_number": lambda a: a - 2.5,
    "mul_number": lambda a: a * -1.5,
    "div_number": lambda a: a / 4.0,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("x", [-2.3, -0.7, 0.4, 1.9])
def test_unary_gradient_matches_central_difference(name: str, x: float) -> None:
    assert_grads_match(UNARY[name], x)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize(("x", "y"), [(1.5, -2.0), (-0.3, 0.8), (2.2, 3.1), (-1.7, -0.6)])
def test_binary_gradient_matches_central_difference(name: str, x: float, y: float) -> None:
    assert_grads_match(BINARY[name], x, y)


@pytest.mark.parametrize("x", [0.2, 0.9, 1.0, 3.7])
def test_log_rtruediv_and_fractional_powers_on_positive_inputs(x: float) -> None:
    assert_grads_match(lambda a: a.log(), x)
    assert_grads_match(lambda a: 1.0 / a, x)
    assert_grads_match(lambda a: a**0.5, x)
    assert_grads_match(lambda a: a**-1.5, x)


@settings(max_examples=60, deadline=None)
@given(
    x=st.floats(-3, 3, allow_nan=False).filter(
        lambda v: abs(v) > 0.1
    ),  # off relu's kink, x³'s flat spot
    name=st.sampled_from(sorted(UNARY)),
)
def test_unary_gradients_hypothesis(x: float, name: str) -> None:
    assert_grads_match(UNARY[name], x)


@settings(max_examples=60, deadline=None)
@given(
    x=st.floats(-5, 5, allow_nan=False),
    y=st.floats(0.5, 5, allow_nan=False),
    sign=st.sampled_from([-1.0, 1.0]),
    name=st.sampled_from(sorted(BINARY)),
)
def test_binary_gradients_hypothesis(x: float, y: float, sign: float, name: str) -> None:
    assert_grads_match(BINARY[name], x, sign * y)


@settings(max_examples=60, deadline=None)
@given(
    x=st.floats(0.3, 4, allow_nan=False),
    k=st.sampled_from([-2.0, -1.0, -0.5, 0.5, 1.5, 2.0, 3.0]),
)
def test_power_and_log_gradients_hypothesis(x: float, k: float) -> None:
    assert_grads_match(lambda a: a**k, x)
    assert_grads_match(lambda a: (a * k).exp().log(), x)


def test_relu_gradient_is_zero_at_and_below_zero() -> None:
    for x, expected in [(-1.0, 0.0), (0.0, 0.0), (2.0, 1.0)]:
        a = Value(x)
        a.relu().backward()
        assert a.grad == expected


# ----- composite expressions -----


def test_sigmoid_neuron_matches_hand_computed_gradients() -> None:
    x1, x2, w1, w2, b = 2.0, -1.0, 0.5, -0.3, 0.1
    X1, X2 = Value(x1, "x1"), Value(x2, "x2")
    W1, W2, B = Value(w1, "w1"), Value(w2, "w2"), Value(b, "b")
    y = (W1 * X1 + W2 * X2 + B).sigmoid()
    y.backward()
    v = w1 * x1 + w2 * x2 + b
    s = 1 / (1 + math.exp(-v))
    ds = s * (1 - s)  # chain rule: dy/dv, then dv/dw1 = x1, ...
    assert y.data == pytest.approx(s, rel=1e-15)
    assert W1.grad == pytest.approx(ds * x1, rel=1e-12)
    assert W2.grad == pytest.approx(ds * x2, rel=1e-12)
    assert X1.grad == pytest.approx(ds * w1, rel=1e-12)
    assert X2.grad == pytest.approx(ds * w2, rel=1e-12)
    assert B.grad == pytest.approx(ds, rel=1e-12)


def test_squared_error_through_a_sigmoid_matches_the_chapter_formula() -> None:
    # Curriculum 06: L = ½(x − y)², output delta e = (x − y)·x·(1 − x) with x = σ(v).
    v, target = Value(0.8, "v"), 0.25
    x = v.sigmoid()
    loss = 0.5 * (x - target) ** 2
    loss.backward()
    s = 1 / (1 + math.exp(-0.8))
    assert v.grad == pytest.approx((s - target) * s * (1 - s), rel=1e-12)


def test_composite_expression_against_numerical_gradient() -> None:
    def f(a: Value, b: Value, c: Value) -> Value:
        return ((a * b).tanh() + (c - a) ** 2 / (b.exp() + 1)).log() - a.sigmoid() * c

    assert_grads_match(f, 0.7, 0.4, -1.3)
    assert_grads_match(f, -0.2, 1.1, 0.9)


# ----- shared sub-expressions -----


def test_value_used_twice_accumulates_its_gradients() -> None:
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0
    b = Value(3.0)
    (b + b).backward()
    assert b.grad == 2.0
    c = Value(-1.5)
    (c - c).backward()
    assert c.grad == 0.0
    d = Value(2.0)
    (d / d).backward()
    assert d.grad == pytest.approx(0.0, abs=1e-15)


def test_diamond_graph_sums_over_paths() -> None:
    a = Value(0.6, "a")
    b = a * 2.0
    c = a.exp()
    out = b * c + b  # a reaches out through b (twice) and c
    out.backward()
    e = math.exp(0.6)
    assert a.grad == pytest.approx(2 * e + 2 * 0.6 * e + 2, rel=1e-12)
    assert b.grad == pytest.approx(e + 1, rel=1e-12)


def test_parents_keep_one_entry_per_use_and_topological_order_lists_nodes_once() -> None:
    a = Value(1.0, "a")
    sq = a * a
    assert sq.op == "*" and sq.parents == (a, a)
    out = sq + a
    order = topological_order(out)
    assert len(order) == 3 and order[-1] is out
    for i, node in enumerate(order):  # every node comes after its parents
        assert all(order.index(p) < i for p in node.parents)


def test_topological_order_handles_deep_graphs_without_recursion() -> None:
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y + 0.001
    y.backward()
    assert x.grad == 1.0
    assert len(topological_order(y)) == 10001


# ----- backward twice -----


def test_backward_twice_gives_identical_gradients() -> None:
    a, b = Value(0.3, "a"), Value(-1.2, "b")
    out = (a * b + a.tanh()) * b
    out.backward()
    first = [(n.label, n.grad) for n in topological_order(out)]
    out.backward()
    second = [(n.label, n.grad) for n in topological_order(out)]
    assert first == second
    assert out.grad == 1.0


def test_backward_resets_stale_gradients_from_another_output() -> None:
    a = Value(2.0)
    (a * 10).backward()
    assert a.grad == 10.0
    (a * a).backward()
    assert a.grad == 4.0


# ----- stability -----


@pytest.mark.parametrize("x", [-1000.0, 1000.0, -745.0, 710.0])
def test_sigmoid_and_tanh_are_stable_at_extremes(x: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method, limit in [("sigmoid", (0.0, 1.0)), ("tanh", (-1.0, 1.0))]:
            a = Value(x)
            out = getattr(a, method)()
            out.backward()
            assert math.isfinite(out.data) and math.isfinite(a.grad)
            assert limit[0] <= out.data <= limit[1]
            assert out.data == pytest.approx(limit[0] if x < 0 else limit[1], abs=1e-300)
            assert a.grad == pytest.approx(0.0, abs=1e-300)


def test_sigmoid_is_one_half_at_zero_and_symmetric() -> None:
    assert Value(0.0).sigmoid().data == 0.5
    for x in [0.3, 5.0, 40.0]:
        assert Value(x).sigmoid().data + Value(-x).sigmoid().data == pytest.approx(1.0)


# ----- input checks -----


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("1.0", r"real number.*got str '1.0'"),
        (None, r"real number.*got NoneType None"),
        (np.array([1.0, 2.0]), r"real number.*got ndarray.*one Value per element"),
        ([1.0], r"real number.*got list"),
        (True, r"real number.*got bool"),
        (1 + 2j, r"real number.*got complex"),
    ],
)
def test_bad_data_types_raise_type_error(bad: object, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        Value(bad)  # type: ignore[arg-type]


def test_value_of_a_value_is_refused() -> None:
    with pytest.raises(TypeError, match="got a Value"):
        Value(Value(1.0))  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -math.inf, np.float64("nan")])
def test_non_finite_data_raises_value_error(bad: float) -> None:
    with pytest.raises(ValueError, match="finite number"):
        Value(bad)


def test_numpy_and_integer_scalars_are_accepted() -> None:
    assert Value(np.float32(1.5)).data == 1.5
    assert Value(np.int64(3)).data == 3.0
    assert type(Value(2).data) is float


def test_operand_and_label_checks() -> None:
    with pytest.raises(TypeError, match="got str 'x'"):
        Value(1.0) + "x"  # type: ignore[operator]
    with pytest.raises(TypeError, match="label must be a string"):
        Value(1.0, label=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="exponent of \\*\\* must be a plain number"):
        Value(2.0) ** Value(3.0)  # type: ignore[operator]


@pytest.mark.parametrize("x", [0.0, -2.0])
def test_log_of_non_positive_names_the_value(x: float) -> None:
    with pytest.raises(ValueError, match=r"log needs a positive number, got Value\(data=.*'z'"):
        Value(x, "z").log()


def test_domain_and_overflow_errors() -> None:
    with pytest.raises(ZeroDivisionError, match="divisor"):
        Value(1.0) / Value(0.0, "d")
    with pytest.raises(ZeroDivisionError, match="divides by zero"):
        Value(0.0) ** -1
    with pytest.raises(ValueError, match="fractional power"):
        Value(-4.0) ** 0.5
    with pytest.raises(OverflowError, match="exp of"):
        Value(1000.0).exp()
    with pytest.raises(OverflowError, match="not a finite number"):
        Value(1e300) * Value(1e300)


# ----- repr -----


def test_repr_shows_data_grad_and_label() -> None:
    x = Value(2.0, "x")
    y = x.sigmoid()
    y.label = "y"
    y.backward()
    assert repr(y) == "Value(data=0.8808, grad=1.0000, label='y')"
    assert repr(x) == "Value(data=2.0000, grad=0.1050, label='x')"
    assert repr(Value(-0.5)) == "Value(data=-0.5000, grad=0.0000)"


# ----- drawing -----


def _neuron() -> tuple[Value, int, int]:
    """A 2-input sigmoid neuron; returns the output, the number of Values and of ops."""
    x1, x2 = Value(2.0, "x1"), Value(-1.0, "x2")
    w1, w2, b = Value(0.5, "w1"), Value(-0.3, "w2"), Value(0.1, "b")
    y = (x1 * w1 + x2 * w2 + b).sigmoid()
    y.label = "y"
    y.backward()
    order = topological_order(y)
    return y, len(order), sum(1 for n in order if n.parents)


def test_draw_graph_returns_axes_with_one_text_per_node() -> None:
    y, n_values, n_ops = _neuron()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = draw_graph(y)
        ax.figure.canvas.draw()  # lay out and render: must not warn either
    assert isinstance(ax, Axes)
    value_texts = [t for t in ax.texts if t.get_gid() == "value"]
    op_texts = [t for t in ax.texts if t.get_gid() == "op"]
    assert len(value_texts) == n_values == 10
    assert len(op_texts) == n_ops == 5
    assert len(ax.texts) == n_values + n_ops
    contents = "\n".join(t.get_text() for t in value_texts)
    assert "data 0.8022" in contents and "grad 1.0000" in contents and "w1" in contents
    assert {t.get_text() for t in op_texts} == {"×", "+", "σ"}
    plt.close(ax.figure)


def test_draw_graph_into_given_axes_without_grads() -> None:
    y, n_values, _ = _neuron()
    fig, ax = plt.subplots(figsize=(8, 3))
    before = plt.get_fignums()
    assert draw_graph(y, ax, show_grad=False) is ax
    assert plt.get_fignums() == before
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    assert len(texts) == n_values and not any("grad" in t for t in texts)
    fig.canvas.draw()
    plt.close(fig)


def test_draw_graph_twice_does_not_leak_figures() -> None:
    y, _, _ = _neuron()
    before = set(plt.get_fignums())
    for _ in range(2):
        ax = draw_graph(y)
        assert len(set(plt.get_fignums()) - before) == 1
        plt.close(ax.figure)
    assert set(plt.get_fignums()) == before


def test_draw_graph_handles_a_single_value_and_shared_inputs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = draw_graph(Value(3.0, "a"))
        ax.figure.canvas.draw()
        assert len(ax.texts) == 1
        plt.close(ax.figure)
        a = Value(1.5, "a")
        out = (a * a + a) * 2 + a / 3  # a used four times, some arrows skip columns
        out.backward()
        ax = draw_graph(out)
        ax.figure.canvas.draw()
        assert len(ax.texts) == len(topological_order(out)) + 5
        plt.close(ax.figure)


def test_figure_size_grows_with_the_graph_but_stays_bounded() -> None:
    small = draw_graph(Value(1.0) + Value(2.0)).figure.get_size_inches()
    y = Value(0.1, "x")
    for i in range(12):
        y = (y * 1.1 + i).tanh()
    big = draw_graph(y).figure.get_size_inches()
    assert big[0] > small[0]
    assert big[0] <= 12.0 and big[1] <= 9.5


def test_draw_graph_still_imports_from_autodiff() -> None:
    import nbtext.autodiff
    from nbtext.autodiff import draw_graph as old_draw_graph

    assert old_draw_graph is draw_graph is nbtext.autodiff.draw_graph
    assert "draw_graph" not in nbtext.autodiff.__all__
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        nbtext.autodiff.nothing_here  # noqa: B018


def test_draw_graph_rejects_non_values() -> None:
    with pytest.raises(TypeError, match="root must be a Value"):
        draw_graph(3.0)  # type: ignore[arg-type]
