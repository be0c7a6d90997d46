"""Gradient-descent optimizers that update a model's parameters in place (Chapters 05 and 07).

Every optimizer sees the model only through two dicts with the same keys, name
-> float array (``model.params`` and the ``grads`` from ``model.backward()``,
e.g. ``{"W1": (2, 8), "b1": (8,), ...}``), and ``opt.step(params, grads)``
changes the parameter arrays in place, so the model sees the new weights
without being told. Per-parameter state (momentum buffers, running averages,
step counts) lives in ``opt.state[name]`` under the names torch uses;
``opt.reset()`` forgets it.

Each class reproduces the update rule of the matching ``torch.optim`` class
with its default options, to rounding error (the tests compare 50 steps):

=============  ==========================================  ================
nbtext         torch.optim                                 default lr
=============  ==========================================  ================
SGD            ``SGD(lr)``                                 1e-3
Momentum       ``SGD(lr, momentum=m)``                     1e-3
Nesterov       ``SGD(lr, momentum=m, nesterov=True)``      1e-3
AdaGrad        ``Adagrad(lr, eps=1e-10)``                  1e-2
RMSProp        ``RMSprop(lr, alpha=0.99, eps=1e-8)``       1e-2
Adam           ``Adam(lr, betas=(0.9, 0.999), eps=1e-8)``  1e-3
=============  ==========================================  ================

Default learning rates and other hyper-parameters equal torch's defaults, with
one exception: ``Momentum`` and ``Nesterov`` use ``momentum=0.9`` by default,
where torch's ``SGD`` defaults to ``momentum=0`` (plain SGD). Unlike torch,
``lr`` must be positive and ``eps`` must be positive here.

``step`` is the inner loop of training, so it checks only what is cheap (same
keys, same shapes, floating-point parameters), not finiteness, and does its
arithmetic in place with one reusable scratch array per parameter.

One extension beyond torch: ``lr`` may be an array of K learning rates for a
stack of K networks (:meth:`nbtext.network.MLP.stack`, whose every parameter has
a first axis of length K); copy k then moves exactly as with ``lr[k]`` alone.
That is how :func:`nbtext.training.fit_stack` compares learning rates in one run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from nbtext._validation import check_fraction, check_positive

__all__ = [
    "NAMES",
    "SGD",
    "AdaGrad",
    "Adam",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "RMSProp",
    "get_optimizer",
]

Arrays = Mapping[str, np.ndarray]


def _per_copy(lr: np.ndarray, key: str, p: np.ndarray) -> np.ndarray:
    """K learning rates shaped (K, 1, …, 1) to broadcast against a stacked parameter ``p``."""
    k = lr.shape[0]
    if p.ndim < 1 or p.shape[0] != k:
        raise ValueError(
            f"{k} learning rates (one per copy) need every parameter stacked along a first "
            f"axis of length {k} (model.stack({k})), got params[{key!r}] with shape {p.shape}"
        )
    return lr.reshape((k,) + (1,) * (p.ndim - 1))


class Optimizer:
    """Base class: per-parameter state keyed by name, input checks, ``step`` and ``reset``.

    A subclass sets ``name`` and ``hyperparameter_names``, and implements
    ``_init_state(p)`` (the state dict for a new parameter, e.g. zero buffers
    shaped like ``p``) and ``_update(p, g, state, work, lr)``, which changes ``p``
    in place using ``work``, a scratch array shaped like ``p``, and ``lr``, the
    learning rate (a float, or per-copy rates shaped to broadcast against ``p``).
    """

    name: ClassVar[str] = "optimizer"
    hyperparameter_names: ClassVar[tuple[str, ...]] = ("lr",)

    def __init__(self, lr: float | np.ndarray) -> None:
        self.lr = _check_lr(lr)
        self.state: dict[str, dict[str, Any]] = {}
        self._work: dict[str, np.ndarray] = {}
        self._shaped_lr: dict[str, np.ndarray] = {}  # per-copy rates shaped for each parameter

    @property
    def hyperparameters(self) -> dict[str, float]:
        """The hyper-parameters as a dict, e.g. ``{"lr": 0.001, "beta1": 0.9, ...}``."""
        return {k: getattr(self, k) for k in self.hyperparameter_names}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters.items())
        return f"{type(self).__name__}({args})"

    def reset(self) -> None:
        """Forget all state (buffers, averages, step counts): the next step acts like the first."""
        self.state.clear()
        self._work.clear()
        self._shaped_lr.clear()

    def step(self, params: Arrays, grads: Arrays) -> None:
        """Take one optimization step, updating the arrays of ``params`` in place.

        ``params``: dict name -> floating-point array of any shape (e.g. ``W1``
        of shape ``(n_in, n_out)``, ``b1`` of shape ``(n_out,)``); these very
        arrays are overwritten, so a model holding them sees the new values.
        ``grads``: dict with the same keys, each array of the same shape as
        its parameter (d loss / d param); a NumPy scalar is accepted for a
        0-d parameter. ``grads`` is never modified.

        Raises ``ValueError`` if the keys or shapes of ``grads`` differ from
        ``params`` and ``TypeError`` if a parameter is not a floating-point
        NumPy array (an in-place update of an integer array would truncate).
        """
        if not (type(params) is dict and type(grads) is dict and params.keys() == grads.keys()):
            self._check_dicts(params, grads)
        state, work, lr = self.state, self._work, self.lr
        # Every parameter is checked before any is changed. The common case (the same float64
        # arrays as last step) costs a few comparisons; anything else gets the full checks.
        for key, p in params.items():
            g, w = grads[key], work.get(key)
            if not (
                type(p) is np.ndarray
                and type(g) is np.ndarray
                and w is not None
                and p.shape == g.shape == w.shape
                and p.dtype == w.dtype
            ):
                self._check_one(key, p, g, w)
        per_copy = isinstance(lr, np.ndarray)
        for key, p in params.items():
            w = work.get(key)
            if w is None:
                w = work[key] = np.empty_like(p)
                state[key] = self._init_state(p)
            if per_copy:
                shaped = self._shaped_lr.get(key)
                if shaped is None or shaped.base is not lr:  # new parameter, or a new lr array
                    shaped = self._shaped_lr[key] = _per_copy(lr, key, p)
                self._update(p, grads[key], state[key], w, shaped)
            else:
                self._update(p, grads[key], state[key], w, lr)

    # ------------------------------------------------------------ subclass API ---

    def _init_state(self, p: np.ndarray) -> dict[str, Any]:
        return {}

    def _update(
        self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], w: np.ndarray, lr: Any
    ) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ checks ---

    def _check_dicts(self, params: Arrays, grads: Arrays) -> None:
        if not (type(params) is dict or isinstance(params, Mapping)) or not (
            type(grads) is dict or isinstance(grads, Mapping)
        ):
            bad, obj = ("params", params) if not isinstance(params, Mapping) else ("grads", grads)
            raise TypeError(
                f"{bad} must be a dict name -> array (e.g. model.params), got {type(obj).__name__}"
            )
        if params.keys() != grads.keys():
            missing = [k for k in params if k not in grads]
            extra = [k for k in grads if k not in params]
            raise ValueError(
                f"grads must have the same keys as params: expected {list(params)}, "
                f"got {list(grads)} (missing {missing}, unexpected {extra})"
            )

    def _check_one(self, key: str, p: Any, g: Any, w: np.ndarray | None) -> None:
        if not isinstance(p, np.ndarray):
            raise TypeError(
                f"params[{key!r}] must be a NumPy array (it is updated in place), "
                f"got {type(p).__name__}"
            )
        if p.dtype.kind != "f":
            raise TypeError(
                f"params[{key!r}] must be a floating-point array to be updated in place, "
                f"got dtype {p.dtype} (convert it with .astype(np.float64))"
            )
        if not (isinstance(g, np.ndarray) or isinstance(g, np.generic)):  # generic: 0-d 2*g
            raise TypeError(f"grads[{key!r}] must be a NumPy array, got {type(g).__name__}")
        if g.shape != p.shape:
            raise ValueError(
                f"grads[{key!r}] must have the same shape as params[{key!r}]: "
                f"expected {p.shape}, got {g.shape}"
            )
        if w is not None and (w.shape != p.shape or w.dtype != p.dtype):
            raise ValueError(
                f"this optimizer's state for {key!r} was built for shape {w.shape} "
                f"({w.dtype}), got params[{key!r}] with shape {p.shape} ({p.dtype}); "
                f"call reset() before stepping a different model"
            )


def _check_lr(lr: Any) -> float | np.ndarray:
    """A positive learning rate, or a 1-D array of them (one per copy of a stack)."""
    if isinstance(lr, (list, tuple, np.ndarray)):
        rates = np.array(lr, dtype=np.float64)
        if rates.ndim != 1 or rates.size == 0 or not np.all(np.isfinite(rates) & (rates > 0)):
            raise ValueError(
                f"lr must be a positive number, or a 1-D array of positive numbers (one per "
                f"copy of a stack), got {lr!r}"
            )
        rates.setflags(write=False)
        return rates
    return check_positive(lr, "lr")


class SGD(Optimizer):
    """Plain (stochastic) gradient descent, derived in Chapter 05.

    Update, for each parameter ``p`` with gradient ``g``::

        p <- p - lr * g

    Same iterates as ``torch.optim.SGD(params, lr)`` (momentum 0). No state.
    """

    name = "sgd"

    def __init__(self, lr: float = 1e-3) -> None:
        super().__init__(lr)

    def _update(
        self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], w: np.ndarray, lr: Any
    ) -> None:
        np.multiply(g, lr, out=w)
        p -= w


class Momentum(Optimizer):
    """Gradient descent with (heavy-ball) momentum, derived in Chapter 07.

    With momentum ``m`` and a buffer ``b`` that starts at zero::

        b <- m * b + g
        p <- p - lr * b

    so the first step is a plain SGD step and ``b`` is a running sum of past
    gradients, each decayed by ``m`` per step (about ``1 / (1 - m)`` steps of
    memory). Same iterates as ``torch.optim.SGD(params, lr, momentum=m)``,
    which writes the first step as ``b = g`` (identical, since ``m * 0 + g = g``).
    State: ``momentum_buffer``, shaped like ``p``.
    """

    name = "momentum"
    hyperparameter_names = ("lr", "momentum")

    def __init__(self, lr: float = 1e-3, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = check_fraction(momentum, "momentum")

    def _init_state(self, p: np.ndarray) -> dict[str, Any]:
        return {"momentum_buffer": np.zeros_like(p)}

    def _update(
        self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], w: np.ndarray, lr: Any
    ) -> None:
        buf = state["momentum_buffer"]
        buf *= self.momentum
        buf += g
        np.multiply(buf, lr, out=w)
        p -= w


class Nesterov(Momentum):
    """Nesterov accelerated gradient (look-ahead momentum), derived in Chapter 07.

    With momentum ``m`` and a buffer ``b`` that starts at zero::

        b <- m * b + g
        p <- p - lr * (g + m * b)

    This is the rewritten form (Sutskever et al., 2013) that needs only the
    gradient at the current ``p``, not at the look-ahead point ``p - lr*m*b``.
    Same iterates as ``torch.optim.SGD(params, lr, momentum=m, nesterov=True)``.
    State: ``momentum_buffer``, shaped like ``p``.
    """

    name = "nesterov"

    def _update(
        self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], w: np.ndarray, lr: Any
    ) -> None:
        buf = state["momentum_buffer"]
        buf *= self.momentum
        buf += g
        np.multiply(buf, self.momentum, out=w)
        w += g
        w *= lr
        p -= w


class AdaGrad(Optimizer):
    """AdaGrad: a per-coordinate step size that shrinks with the gradients seen, Chapter 07.

    With an accumulator ``s`` that starts at zero (all operations elementwise)::

        s <- s + g**2
        p <- p - lr * g / (sqrt(s) + eps)

    ``s`` only grows, so steps shrink for ever: coordinates with large
    gradients slow down first. Same iterates as
    ``torch.optim.Adagrad(params, lr, eps=eps)``. State: ``sum``, shaped like ``p``.
    """

    name = "adagrad"
    hyperparameter_names = ("lr", "eps")

    def __init__(self, lr: float = 1e-2, eps: float = 1e-10) -> None:
        super().__init__(lr)
        self.eps = check_positive(eps, "eps")

    def _init_state(self, p: np.ndarray) -> dict[str, Any]:
        return {"sum": np.zeros_like(p)}

    def _update(
        self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], w: np.ndarray, lr: Any
    ) -> None:
        s = state["sum"]
        np.multiply(g, g, out=w)
        s += w
        np.sqrt(s, out=w)
        w += self.eps
        np.divide(g, w, out=w)
        w *= lr
        p -= w


class RMSProp(Optimizer):
    """RMSProp: AdaGrad with a forgetting running average of g**2, derived in Chapter 07.

    With decay ``alpha`` and an average ``v`` that starts at zero (elementwise)::

        v <- alpha * v + (1 - alpha) * g**2
        p <- p - lr * g / (sqrt(v) + eps)

    There is no bias correction: ``v`` starts small, so the first step is
    ``lr * g / (sqrt(1 - alpha) * |g| + eps)``, about ``10 * lr`` per coordinate
    for ``alpha = 0.99``. Same iterates as
    ``torch.optim.RMSprop(params, lr, alpha=alpha, eps=eps)``.
    State: ``square_avg``, shaped like ``p``.
    """

    name = "rmsprop"
    hyperparameter_names = ("lr", "alpha", "eps")

    def __init__(self, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.alpha = check_fraction(alpha, "alpha")
        self.eps = check_positive(eps, "eps")

    def _init_state(self, p: np.ndarray) -> dict[str, Any]:
        return {"square_avg": np.zeros_like(p)}

    def _update(
        self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], w: np.ndarray, lr: Any
    ) -> None:
        v = state["square_avg"]
        v *= self.alpha
        np.multiply(g, 1.0 - self.alpha, out=w)
        w *= g
        v += w
        np.sqrt(v, out=w)
        w += self.eps
        np.divide(g, w, out=w)
        w *= lr
        p -= w


class Adam(Optimizer):
    """Adam: momentum plus RMSProp, with bias correction, derived in Chapter 07.

    With averages ``m`` and ``v`` that start at zero and step count ``t = 1, 2, ...``
    (all operations elementwise)::

        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)        v_hat = v / (1 - beta2**t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    The bias correction undoes the pull towards the zero start: on the first
    step ``m_hat = g`` and ``sqrt(v_hat) = |g|``, so every coordinate moves by
    ``lr * |g| / (|g| + eps)``, just under ``lr``, against the sign of ``g``.
    Same iterates as ``torch.optim.Adam(params, lr, betas=(beta1, beta2), eps=eps)``,
    which computes ``denom = sqrt(v) / sqrt(1 - beta2**t) + eps`` and
    ``p <- p - (lr / (1 - beta1**t)) * m / denom`` (the same numbers).
    State: ``step`` (int), ``exp_avg`` (m), ``exp_avg_sq`` (v), shaped like ``p``.
    """

    name = "adam"
    hyperparameter_names = ("lr", "beta1", "beta2", "eps")

    def __init__(
        self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        super().__init__(lr)
        self.beta1 = check_fraction(beta1, "beta1")
        self.beta2 = check_fraction(beta2, "beta2")
        self.eps = check_positive(eps, "eps")

    def _init_state(self, p: np.ndarray) -> dict[str, Any]:
        return {"step": 0, "exp_avg": np.zeros_like(p), "exp_avg_sq": np.zeros_like(p)}

    def _update(
        self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], w: np.ndarray, lr: Any
    ) -> None:
        t = state["step"] = state["step"] + 1
        m, v = state["exp_avg"], state["exp_avg_sq"]
        # m <- m + (1 - beta1) (g - m), torch's lerp form of beta1 m + (1 - beta1) g
        np.subtract(g, m, out=w)
        w *= 1.0 - self.beta1
        m += w
        v *= self.beta2
        np.multiply(g, 1.0 - self.beta2, out=w)
        w *= g
        v += w
        # denom = sqrt(v_hat) + eps, then p -= (lr / (1 - beta1^t)) * m / denom
        np.sqrt(v, out=w)
        w /= math.sqrt(1.0 - self.beta2**t)
        w += self.eps
        np.divide(m, w, out=w)
        w *= lr / (1.0 - self.beta1**t)
        p -= w


_REGISTRY: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam)
}

#: The names ``get_optimizer`` accepts, in the order the chapters meet them.
NAMES: tuple[str, ...] = tuple(_REGISTRY)


def get_optimizer(name: str, **kwargs: Any) -> Optimizer:
    """Build an optimizer by name (case-insensitive), e.g. ``get_optimizer("adam", lr=0.01)``.

    ``name`` is one of ``NAMES``; ``kwargs`` go to the class (``lr``,
    ``momentum``, ``alpha``, ``beta1``, ``beta2``, ``eps``). Raises
    ``ValueError`` listing the valid names for an unknown one.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'adam', got {type(name).__name__}")
    cls = _REGISTRY.get(name.strip().lower())
    if cls is None:
        raise ValueError(f"unknown optimizer {name!r}; expected one of {', '.join(NAMES)}")
    return cls(**kwargs)
