"""Tests for nbtext.optimizers: hand-computed answers, torch.optim parity, in-place updates."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbtext.optimizers import (
    NAMES,
    SGD,
    AdaGrad,
    Adam,
    Momentum,
    Nesterov,
    Optimizer,
    RMSProp,
    get_optimizer,
)

ALL_CLASSES = (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam)


def run(opt: Optimizer, p0: list[float], grads: list[list[float]]) -> list[np.ndarray]:
    """Step ``opt`` on a single parameter ``w`` starting at ``p0``; return each iterate."""
    params = {"w": np.array(p0, dtype=np.float64)}
    out = []
    for g in grads:
        opt.step(params, {"w": np.array(g, dtype=np.float64)})
        out.append(params["w"].copy())
    return out


# ------------------------------------------------------------ known answers ---


def test_sgd_one_step() -> None:
    (p1,) = run(SGD(lr=0.1), [1.0, -2.0], [[0.5, 4.0]])
    np.testing.assert_allclose(p1, [0.95, -2.4], rtol=1e-12, atol=0)


def test_momentum_three_steps_by_hand() -> None:
    # lr = 0.1, m = 0.9; b = m b + g (b starts at 0), p = p - lr b
    # coordinate 0: g = 1, 2, -1
    #   b = 1                  p = 1 - 0.1         = 0.9
    #   b = 0.9 + 2 = 2.9      p = 0.9 - 0.29      = 0.61
    #   b = 2.61 - 1 = 1.61    p = 0.61 - 0.161    = 0.449
    # coordinate 1: g = 0.5, -1, 0
    #   b = 0.5                p = -1 - 0.05       = -1.05
    #   b = 0.45 - 1 = -0.55   p = -1.05 + 0.055   = -0.995
    #   b = -0.495             p = -0.995 + 0.0495 = -0.9455
    iterates = run(
        Momentum(lr=0.1, momentum=0.9), [1.0, -1.0], [[1.0, 0.5], [2.0, -1.0], [-1.0, 0.0]]
    )
    expected = [[0.9, -1.05], [0.61, -0.995], [0.449, -0.9455]]
    np.testing.assert_allclose(iterates, expected, rtol=1e-12, atol=0)


def test_nesterov_three_steps_by_hand() -> None:
    # lr = 0.1, m = 0.9; b = m b + g, p = p - lr (g + m b)
    # coordinate 0: g = 1, 2, -1
    #   b = 1      g + m b = 1 + 0.9    = 1.9      p = 1 - 0.19       = 0.81
    #   b = 2.9    g + m b = 2 + 2.61   = 4.61     p = 0.81 - 0.461   = 0.349
    #   b = 1.61   g + m b = -1 + 1.449 = 0.449    p = 0.349 - 0.0449 = 0.3041
    # coordinate 1: g = 0.5, -1, 0
    #   b = 0.5    g + m b = 0.5 + 0.45   = 0.95   p = -1 - 0.095       = -1.095
    #   b = -0.55  g + m b = -1 - 0.495   = -1.495 p = -1.095 + 0.1495  = -0.9455
    #   b = -0.495 g + m b = 0 - 0.4455   = -0.4455 p = -0.9455 + 0.04455 = -0.90095
    iterates = run(
        Nesterov(lr=0.1, momentum=0.9), [1.0, -1.0], [[1.0, 0.5], [2.0, -1.0], [-1.0, 0.0]]
    )
    expected = [[0.81, -1.095], [0.349, -0.9455], [0.3041, -0.90095]]
    np.testing.assert_allclose(iterates, expected, rtol=1e-12, atol=0)


def test_adagrad_three_steps_by_hand() -> None:
    # lr = 0.1, eps = 1e-10; s = s + g^2, p = p - lr g / (sqrt(s) + eps)
    eps = 1e-10
    opt = AdaGrad(lr=0.1)
    params = {"w": np.array([1.0, 2.0])}
    sums, iterates = [], []
    for g in ([3.0, 0.0], [4.0, 1.0], [0.0, -1.0]):
        opt.step(params, {"w": np.array(g)})
        sums.append(opt.state["w"]["sum"].copy())
        iterates.append(params["w"].copy())
    np.testing.assert_allclose(sums, [[9.0, 0.0], [25.0, 1.0], [25.0, 2.0]], rtol=1e-12)
    p1 = [1.0 - 0.1 * 3.0 / (3.0 + eps), 2.0]  # a zero gradient does not move p
    p2 = [p1[0] - 0.1 * 4.0 / (5.0 + eps), 2.0 - 0.1 * 1.0 / (1.0 + eps)]
    p3 = [p2[0], p2[1] + 0.1 * 1.0 / (math.sqrt(2.0) + eps)]
    np.testing.assert_allclose(iterates, [p1, p2, p3], rtol=1e-12, atol=0)


def test_rmsprop_three_steps_by_hand() -> None:
    # lr = 0.01, alpha = 0.9, eps = 1e-8; v = 0.9 v + 0.1 g^2, p = p - lr g / (sqrt(v) + eps)
    # g = 2:  v = 0.1 * 4                = 0.4
    # g = -1: v = 0.36 + 0.1 * 1         = 0.46
    # g = 3:  v = 0.414 + 0.1 * 9        = 1.314
    eps = 1e-8
    opt = RMSProp(lr=0.01, alpha=0.9)
    params = {"w": np.array([1.0])}
    avgs, iterates = [], []
    for g in (2.0, -1.0, 3.0):
        opt.step(params, {"w": np.array([g])})
        avgs.append(opt.state["w"]["square_avg"][0])
        iterates.append(params["w"][0])
    np.testing.assert_allclose(avgs, [0.4, 0.46, 1.314], rtol=1e-12)
    p1 = 1.0 - 0.01 * 2.0 / (math.sqrt(0.4) + eps)
    p2 = p1 + 0.01 * 1.0 / (math.sqrt(0.46) + eps)
    p3 = p2 - 0.01 * 3.0 / (math.sqrt(1.314) + eps)
    np.testing.assert_allclose(iterates, [p1, p2, p3], rtol=1e-12, atol=0)


def test_rmsprop_first_step_is_about_ten_lr() -> None:
    # No bias correction: v = (1 - alpha) g^2, so the step is lr |g| / (0.1 |g| + eps).
    (p1,) = run(RMSProp(lr=0.01), [0.0, 0.0], [[5.0, -0.2]])
    expected = [-0.01 * 5.0 / (0.1 * 5.0 + 1e-8), 0.01 * 0.2 / (0.1 * 0.2 + 1e-8)]
    np.testing.assert_allclose(p1, expected, rtol=1e-12, atol=0)


def test_adam_first_step_is_lr_times_sign_up_to_eps() -> None:
    # Step 1: m_hat = g and sqrt(v_hat) = |g|, so p moves by -lr g / (|g| + eps):
    # lr in size when |g| >> eps, and lr / 11 when |g| = 1e-9 = eps / 10.
    lr, eps = 1e-3, 1e-8
    g = np.array([2.0, -1e-3, 0.0, 1e-9, -5e4])
    (p1,) = run(Adam(lr=lr), [0.0] * 5, [g.tolist()])
    expected = -lr * g / (np.abs(g) + eps)
    np.testing.assert_allclose(p1, expected, rtol=1e-12, atol=0)
    assert p1[2] == 0.0
    np.testing.assert_allclose(p1[3], -lr / 11, rtol=1e-12)


def test_adam_three_steps_by_hand() -> None:
    # lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, one coordinate with g = 1, -1, 2:
    #   m = 0.9 m + 0.1 g        v = 0.999 v + 0.001 g^2
    #   t=1: m = 0.1             v = 0.001
    #   t=2: m = 0.09 - 0.1 = -0.01      v = 0.000999 + 0.001 = 0.001999
    #   t=3: m = -0.009 + 0.2 = 0.191    v = 0.001997001 + 0.004 = 0.005997001
    #   bias corrections 1 - 0.9^t = 0.1, 0.19, 0.271; 1 - 0.999^t = 0.001, 0.001999, 0.002997001
    #   p = p - lr (m / bc1) / (sqrt(v / bc2) + eps)
    # A second coordinate with g = 0 throughout never moves (0 / (0 + eps) = 0).
    lr, eps = 0.1, 1e-8
    ms, vs = [0.1, -0.01, 0.191], [0.001, 0.001999, 0.005997001]
    bc1s, bc2s = [0.1, 0.19, 0.271], [0.001, 0.001999, 0.002997001]
    p, expected = 0.5, []
    for m, v, bc1, bc2 in zip(ms, vs, bc1s, bc2s, strict=True):
        p = p - lr * (m / bc1) / (math.sqrt(v / bc2) + eps)
        expected.append([p, -0.5])

    opt = Adam(lr=lr)
    params = {"w": np.array([0.5, -0.5])}
    iterates = []
    for t, g in enumerate((1.0, -1.0, 2.0)):
        opt.step(params, {"w": np.array([g, 0.0])})
        iterates.append(params["w"].copy())
        state = opt.state["w"]
        assert state["step"] == t + 1
        np.testing.assert_allclose(state["exp_avg"], [ms[t], 0.0], rtol=1e-12, atol=0)
        np.testing.assert_allclose(state["exp_avg_sq"], [vs[t], 0.0], rtol=1e-12, atol=0)
    np.testing.assert_allclose(iterates, expected, rtol=1e-12, atol=0)
    assert iterates[-1][1] == -0.5


# ------------------------------------------------------------- torch parity ---

# (nbtext optimizer factory, torch optimizer factory) with default and non-default settings.
TorchFactory = Callable[[Any, list[Any]], Any]
TORCH_CASES: list[tuple[Callable[[], Optimizer], TorchFactory]] = [
    (SGD, lambda torch, ps: torch.optim.SGD(ps)),
    (lambda: SGD(lr=0.1), lambda torch, ps: torch.optim.SGD(ps, lr=0.1)),
    (Momentum, lambda torch, ps: torch.optim.SGD(ps, momentum=0.9)),
    (
        lambda: Momentum(lr=0.05, momentum=0.5),
        lambda torch, ps: torch.optim.SGD(ps, lr=0.05, momentum=0.5),
    ),
    (Nesterov, lambda torch, ps: torch.optim.SGD(ps, momentum=0.9, nesterov=True)),
    (
        lambda: Nesterov(lr=0.02, momentum=0.7),
        lambda torch, ps: torch.optim.SGD(ps, lr=0.02, momentum=0.7, nesterov=True),
    ),
    (AdaGrad, lambda torch, ps: torch.optim.Adagrad(ps)),
    (
        lambda: AdaGrad(lr=0.3, eps=1e-6),
        lambda torch, ps: torch.optim.Adagrad(ps, lr=0.3, eps=1e-6),
    ),
    (RMSProp, lambda torch, ps: torch.optim.RMSprop(ps)),
    (
        lambda: RMSProp(lr=1e-3, alpha=0.9, eps=1e-6),
        lambda torch, ps: torch.optim.RMSprop(ps, lr=1e-3, alpha=0.9, eps=1e-6),
    ),
    (Adam, lambda torch, ps: torch.optim.Adam(ps)),
    (
        lambda: Adam(lr=0.05, beta1=0.5, beta2=0.9, eps=1e-4),
        lambda torch, ps: torch.optim.Adam(ps, lr=0.05, betas=(0.5, 0.9), eps=1e-4),
    ),
]
TORCH_IDS = [
    f"{name}-{kind}"
    for name in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
    for kind in ("default", "custom")
]
# Several shapes, including a scalar, and gradient scales from tiny (eps matters) to large.
SHAPES = {"W1": (4, 5), "b1": (5,), "W2": (2, 3, 4), "s": ()}
GRAD_SCALES = {"W1": 1.0, "b1": 1e-7, "W2": 30.0, "s": 0.5}


@pytest.mark.parametrize(("make_ours", "make_torch"), TORCH_CASES, ids=TORCH_IDS)
def test_matches_torch_optim_for_50_steps(
    make_ours: Callable[[], Optimizer], make_torch: TorchFactory
) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    params = {k: rng.standard_normal(s) for k, s in SHAPES.items()}
    tparams = {
        k: torch.nn.Parameter(torch.tensor(v, dtype=torch.float64)) for k, v in params.items()
    }
    ours, theirs = make_ours(), make_torch(torch, list(tparams.values()))
    for _ in range(50):
        grads = {k: GRAD_SCALES[k] * rng.standard_normal(s) for k, s in SHAPES.items()}
        ours.step(params, grads)
        for k, tp in tparams.items():
            tp.grad = torch.tensor(grads[k], dtype=torch.float64)
        theirs.step()
        for k, tp in tparams.items():
            np.testing.assert_allclose(params[k], tp.detach().numpy(), rtol=1e-12, atol=1e-13)


def test_default_hyperparameters_equal_torch_defaults() -> None:
    torch = pytest.importorskip("torch")

    def defaults(cls: Any) -> dict[str, Any]:
        return {k: v.default for k, v in inspect.signature(cls).parameters.items()}

    sgd, adagrad = defaults(torch.optim.SGD), defaults(torch.optim.Adagrad)
    rmsprop, adam = defaults(torch.optim.RMSprop), defaults(torch.optim.Adam)
    assert SGD().lr == Momentum().lr == Nesterov().lr == sgd["lr"]
    assert (AdaGrad().lr, AdaGrad().eps) == (adagrad["lr"], adagrad["eps"])
    assert (RMSProp().lr, RMSProp().alpha, RMSProp().eps) == (
        rmsprop["lr"],
        rmsprop["alpha"],
        rmsprop["eps"],
    )
    assert (Adam().lr, (Adam().beta1, Adam().beta2), Adam().eps) == (
        adam["lr"],
        adam["betas"],
        adam["eps"],
    )
    # The one deliberate difference: our momentum classes default to 0.9, torch's SGD to 0.
    assert Momentum().momentum == Nesterov().momentum == 0.9
    assert sgd["momentum"] == 0


# ----------------------------------------------------------------- in place ---


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_step_updates_the_same_arrays_and_leaves_grads_alone(cls: type[Optimizer]) -> None:
    rng = np.random.default_rng(0)
    params = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    grads = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    objects = {k: v for k, v in params.items()}
    before = {k: v.copy() for k, v in params.items()}
    grad_objects = dict(grads)
    grad_copies = {k: v.copy() for k, v in grads.items()}
    opt = cls(lr=0.1)
    for _ in range(3):
        assert opt.step(params, grads) is None
    for k in params:
        assert params[k] is objects[k]
        assert not np.allclose(params[k], before[k])
        assert grads[k] is grad_objects[k]
        np.testing.assert_array_equal(grads[k], grad_copies[k])


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_float32_params_stay_float32(cls: type[Optimizer]) -> None:
    params = {"w": np.ones(3, dtype=np.float32)}
    cls(lr=0.1).step(params, {"w": np.ones(3, dtype=np.float32)})
    assert params["w"].dtype == np.float32
    assert np.all(params["w"] < 1.0)


# ---------------------------------------------------------------- bad input ---


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_non_positive_lr_is_rejected(cls: type[Optimizer], lr: float) -> None:
    with pytest.raises(ValueError, match=rf"lr must be a positive finite number, got {lr}"):
        cls(lr=lr)


def test_lr_zero_message_is_exact() -> None:
    with pytest.raises(ValueError, match=r"^lr must be a positive finite number, got 0\.0$"):
        SGD(0)


def test_non_numeric_lr_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"lr must be a positive number, got str '0.1'"):
        Adam(lr="0.1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Momentum(momentum=1.0), r"momentum must be in \[0, 1\), got 1\.0"),
        (lambda: Momentum(momentum=-0.1), r"momentum must be in \[0, 1\), got -0\.1"),
        (lambda: Nesterov(momentum=1.5), r"momentum must be in \[0, 1\), got 1\.5"),
        (lambda: RMSProp(alpha=1.0), r"alpha must be in \[0, 1\), got 1\.0"),
        (lambda: Adam(beta1=1.0), r"beta1 must be in \[0, 1\), got 1\.0"),
        (lambda: Adam(beta2=-0.5), r"beta2 must be in \[0, 1\), got -0\.5"),
        (lambda: Adam(eps=0.0), r"eps must be a positive finite number, got 0\.0"),
        (lambda: AdaGrad(eps=-1e-10), r"eps must be a positive finite number, got -1e-10"),
        (lambda: RMSProp(eps=0), r"eps must be a positive finite number, got 0\.0"),
    ],
)
def test_out_of_range_hyperparameters_are_rejected(
    make: Callable[[], Optimizer], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_mismatched_keys_are_named(cls: type[Optimizer]) -> None:
    params = {"W": np.zeros((2, 3)), "b": np.zeros(3)}
    grads = {"W": np.zeros((2, 3)), "c": np.zeros(3)}
    with pytest.raises(
        ValueError,
        match=r"expected \['W', 'b'\], got \['W', 'c'\] \(missing \['b'\], unexpected \['c'\]\)",
    ):
        cls().step(params, grads)


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_mismatched_shapes_are_named_and_nothing_moves(cls: type[Optimizer]) -> None:
    params = {"W": np.ones((2, 3)), "b": np.ones(3)}
    grads = {"W": np.ones((2, 3)), "b": np.ones((3, 1))}
    opt = cls()
    with pytest.raises(
        ValueError,
        match=r"grads\['b'\] must have the same shape as params\['b'\]: "
        r"expected \(3,\), got \(3, 1\)",
    ):
        opt.step(params, grads)
    # Checks run before any update: W, which came first and was fine, is untouched.
    np.testing.assert_array_equal(params["W"], 1.0)
    assert opt.state == {}


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_integer_params_are_a_type_error(cls: type[Optimizer]) -> None:
    params = {"W": np.ones((2, 2), dtype=np.int64)}
    with pytest.raises(
        TypeError, match=r"params\['W'\] must be a floating-point array .*got dtype int64"
    ):
        cls().step(params, {"W": np.ones((2, 2))})


def test_non_array_params_and_grads_are_type_errors() -> None:
    with pytest.raises(TypeError, match=r"params\['w'\] must be a NumPy array .*got list"):
        SGD().step({"w": [1.0, 2.0]}, {"w": np.ones(2)})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"grads\['w'\] must be a NumPy array, got list"):
        SGD().step({"w": np.ones(2)}, {"w": [1.0, 2.0]})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"params must be a dict name -> array .*got list"):
        SGD().step([np.ones(2)], {"w": np.ones(2)})  # type: ignore[arg-type]


def test_state_for_a_different_shape_asks_for_reset() -> None:
    opt = Adam()
    opt.step({"W": np.ones((2, 3))}, {"W": np.ones((2, 3))})
    with pytest.raises(
        ValueError, match=r"built for shape \(2, 3\).*got params\['W'\] with shape \(3, 3\)"
    ):
        opt.step({"W": np.ones((3, 3))}, {"W": np.ones((3, 3))})
    opt.reset()
    opt.step({"W": np.ones((3, 3))}, {"W": np.ones((3, 3))})
    assert opt.state["W"]["step"] == 1


# -------------------------------------------------------------------- reset ---


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_reset_makes_the_next_step_like_the_first(cls: type[Optimizer]) -> None:
    rng = np.random.default_rng(1)
    opt = cls(lr=0.1)
    params = {"w": rng.standard_normal(4)}
    for _ in range(3):
        opt.step(params, {"w": rng.standard_normal(4)})
    opt.reset()
    assert opt.state == {}
    start, g = params["w"].copy(), rng.standard_normal(4)
    opt.step(params, {"w": g})
    fresh = {"w": start.copy()}
    cls(lr=0.1).step(fresh, {"w": g})
    np.testing.assert_array_equal(params["w"], fresh["w"])


# --------------------------------------------------------- names and repr ---


def test_get_optimizer_is_case_insensitive_and_passes_kwargs() -> None:
    assert NAMES == ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
    for name, cls in zip(NAMES, ALL_CLASSES, strict=True):
        assert type(get_optimizer(name)) is cls
        assert type(get_optimizer(name.upper())) is cls
    opt = get_optimizer("Adam", lr=0.01, beta2=0.99)
    assert (opt.lr, opt.beta2) == (0.01, 0.99)  # type: ignore[attr-defined]


def test_get_optimizer_unknown_name_lists_valid_names() -> None:
    with pytest.raises(
        ValueError,
        match=r"unknown optimizer 'adamw'; expected one of sgd, momentum, nesterov, adagrad, "
        r"rmsprop, adam",
    ):
        get_optimizer("adamw")


def test_repr_shows_hyperparameters() -> None:
    assert repr(Adam()) == "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(SGD(0.5)) == "SGD(lr=0.5)"
    assert repr(Nesterov()) == "Nesterov(lr=0.001, momentum=0.9)"
    assert repr(RMSProp()) == "RMSProp(lr=0.01, alpha=0.99, eps=1e-08)"
    assert repr(AdaGrad()) == "AdaGrad(lr=0.01, eps=1e-10)"


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_docstrings_state_rule_chapter_and_torch_class(cls: type[Optimizer]) -> None:
    doc = cls.__doc__ or ""
    assert ("Chapter 05" if cls is SGD else "Chapter 07") in doc
    assert "torch.optim." in doc
    assert "<-" in doc
    assert "in place" in (Optimizer.step.__doc__ or "")


# --------------------------------------------------------------- properties ---

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    shape=shapes,
    lr=st.floats(min_value=1e-6, max_value=10.0),
)
def test_sgd_step_is_p_minus_lr_g(data: st.DataObject, shape: tuple[int, ...], lr: float) -> None:
    p = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    g = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    params = {"p": p.copy()}
    SGD(lr).step(params, {"p": g})
    np.testing.assert_array_equal(params["p"], p - lr * g)


@settings(max_examples=60, deadline=None)
@given(g=hnp.arrays(np.float64, shapes, elements=finite), lr=st.floats(1e-6, 1.0))
def test_adam_first_step_is_at_most_lr_against_the_gradient(g: np.ndarray, lr: float) -> None:
    params = {"p": np.zeros_like(g)}
    Adam(lr).step(params, {"p": g})
    delta = params["p"]
    assert np.all(np.abs(delta) <= lr * (1 + 1e-12))
    normal = np.abs(g) >= 1e-290  # (1 - beta1) * g underflows to 0 for subnormal g
    assert np.all(np.sign(delta[normal]) == -np.sign(g[normal]))
    big = np.abs(g) >= 1e-3  # far above eps: the step is lr to within 1e-5
    np.testing.assert_allclose(np.abs(delta[big]), lr, rtol=1e-5)


@settings(max_examples=30, deadline=None)
@given(
    gs=st.lists(hnp.arrays(np.float64, (3,), elements=finite), min_size=1, max_size=5),
    lr=st.floats(1e-6, 1.0),
)
def test_momentum_zero_is_sgd(gs: list[np.ndarray], lr: float) -> None:
    a, b = {"p": np.zeros(3)}, {"p": np.zeros(3)}
    heavy, plain = Momentum(lr, momentum=0.0), SGD(lr)
    for g in gs:
        heavy.step(a, {"p": g})
        plain.step(b, {"p": g})
    np.testing.assert_array_equal(a["p"], b["p"])


# ----------------------------------------------------- one rate per copy --


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_one_learning_rate_per_copy_moves_each_copy_as_alone(name):
    rng = np.random.default_rng(0)
    rates = np.array([0.001, 0.01, 0.1])
    W, b = rng.normal(size=(3, 4, 2)), rng.normal(size=(3, 1, 2))
    stacked = {"W": W.copy(), "b": b.copy()}
    together = get_optimizer(name, lr=rates)
    alone = [get_optimizer(name, lr=float(lr)) for lr in rates]
    singles = [{"W": W[k].copy(), "b": b[k].copy()} for k in range(3)]
    for _ in range(5):
        grads = {"W": rng.normal(size=W.shape), "b": rng.normal(size=b.shape)}
        together.step(stacked, grads)
        for k in range(3):
            alone[k].step(singles[k], {key: grads[key][k] for key in grads})
    for k in range(3):
        for key in stacked:
            np.testing.assert_array_equal(stacked[key][k], singles[k][key])


@pytest.mark.parametrize("lr", [[0.1, -0.1], [[0.1]], [], [0.1, np.nan]])
def test_per_copy_rates_must_be_positive_and_one_dimensional(lr):
    with pytest.raises(ValueError, match="one per copy of a stack"):
        SGD(lr)


def test_per_copy_rates_need_stacked_parameters():
    params = {"W": np.zeros((2, 3))}
    with pytest.raises(ValueError, match=r"3 learning rates \(one per copy\) need every parameter"):
        SGD([0.1, 0.2, 0.3]).step(params, {"W": np.ones((2, 3))})
