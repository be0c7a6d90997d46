"""Layers with mirrored forward and backward passes (Chapters 03 and 06).

Each layer has ``forward(x)``, ``backward(dout) -> dx`` and two dicts,
``params`` (the learnable arrays, updated in place by an optimizer) and
``grads`` (dL/d param after ``backward``, same keys and shapes). Shapes are
batch-first: ``x`` is ``(N, D_in)``, the output ``(N, D_out)``. ``dout`` is the
gradient of the loss with respect to the layer's output, shaped like the
output; ``backward`` returns the gradient with respect to the input, shaped
like ``x``. No layer writes into the arrays it is given.

Loss layers end the chain: ``forward(x, target) -> float`` and
``backward() -> dx``; they call the kernels of :mod:`nbtext.losses`.

Stacks: the same formulas serve K networks side by side when their parameters
carry a first axis of length K (``W`` ``(K, n_in, n_out)``, ``b`` ``(K, 1, n_out)``,
see :meth:`nbtext.network.MLP.stack`): NumPy's matmul broadcasts over it, the
outputs become ``(K, N, D)`` and a loss layer returns K losses. Chapter 07 trains
a stack to compare many learning rates at the cost of one run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext import activations as act
from nbtext import losses
from nbtext._validation import check_fraction, check_positive, make_rng
from nbtext.initializers import initial_weights


def _need_forward(layer: object, name: str) -> Any:
    value = getattr(layer, name)
    if value is None:
        raise RuntimeError(f"{type(layer).__name__}.backward() called before forward()")
    return value


def _transposed(a: np.ndarray) -> np.ndarray:
    """``a`` with its last two axes swapped: ``a.T`` for a matrix, each matrix of a stack."""
    return a.T if a.ndim == 2 else np.swapaxes(a, -1, -2)


class Dense:
    """Fully connected layer: ``out = x @ W + b``.

    ``W`` has shape ``(n_in, n_out)``, ``b`` shape ``(n_out,)``; ``x`` is ``(N, n_in)``
    and the output ``(N, n_out)``. Weights are drawn from a normal distribution
    with the standard deviation of :func:`nbtext.initializers.initial_std` for ``init``
    (``"he"``, ``"xavier"``, ``"lecun"`` or a float), biases start at 0.
    Backward (Chapter 06): dW = xᵀ·dout, db = Σ_n dout, dx = dout·Wᵀ.
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        *,
        rng: np.random.Generator | None = None,
        init: str | float = "he",
    ) -> None:
        for name, value in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.params: dict[str, np.ndarray] = {
            "W": initial_weights(self.n_in, self.n_out, init, make_rng(rng)),
            "b": np.zeros(self.n_out),
        }
        self.grads: dict[str, np.ndarray] = {
            "W": np.zeros((self.n_in, self.n_out)),
            "b": np.zeros(self.n_out),
        }
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``(N, n_in)`` → ``(N, n_out)``; remembers ``x`` for the backward pass."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim < 2 or x.shape[-1] != self.n_in:
            raise ValueError(f"Dense layer expects input of shape (N, {self.n_in}), got {x.shape}")
        self._x = x
        out = x @ self.params["W"]
        out += self.params["b"]  # in place: one array less to allocate per batch
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """``(N, n_out)`` upstream gradient → ``(N, n_in)``; fills ``grads``."""
        self.backward_params(dout)
        return dout @ _transposed(self.params["W"])

    def backward_params(self, dout: np.ndarray) -> None:
        """Fill ``grads`` only, skipping dx: what a network's first layer needs."""
        x = _need_forward(self, "_x")
        self.grads["W"] = _transposed(x) @ dout
        # Summed over the batch axis, shaped like b: (n_out,), or (K, 1, n_out) in a stack.
        self.grads["b"] = dout.sum(axis=-2, keepdims=dout.ndim > 2)

    def __repr__(self) -> str:
        return f"Dense({self.n_in}, {self.n_out})"


class Activation:
    """An elementwise activation as a layer: ``out = h(x)``, ``dx = dout * h'(x)``.

    ``name`` is any of :data:`nbtext.activations.ACTIVATIONS`; ``alpha`` sets the
    leaky-ReLU slope or ELU scale. No parameters. Chapter 06.
    """

    def __init__(self, name: str = "relu", *, alpha: float | None = None) -> None:
        self.activation = act.get_activation(name, alpha=alpha)  # checks the name
        self.name = self.activation.name
        self._fn, self._grad, self._grad_from_output = act._kernels(self.name, alpha)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._x: np.ndarray | None = None
        self._out: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Any shape in, same shape out."""
        self._x = np.asarray(x, dtype=np.float64)
        self._out = self._fn(self._x)
        return self._out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Upstream gradient (shape of the output) → gradient w.r.t. the input."""
        if self._grad_from_output is not None:
            dx = self._grad_from_output(_need_forward(self, "_out"))
        else:
            dx = self._grad(_need_forward(self, "_x"))
        dx *= dout  # h'(x) · dout, in place in the fresh array h' came in
        return dx

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


class Dropout:
    """Inverted dropout: during training, silence each input with probability ``p``.

    In training mode (``training = True``) each entry of ``x`` is kept with probability
    1 − p and multiplied by 1 / (1 − p), else set to 0, so the expected output equals the
    input and nothing needs rescaling at test time; ``backward`` multiplies ``dout`` by the
    same mask. In evaluation mode the layer passes ``x`` through unchanged. These are
    ``torch.nn.Dropout``'s semantics (``p = 1`` silences everything). The masks are drawn
    from ``rng`` (a Generator; else one seeded with ``seed``). No parameters. Chapter 10.
    """

    def __init__(
        self, p: float = 0.5, *, rng: np.random.Generator | None = None, seed: int | None = 0
    ) -> None:
        self.p = check_fraction(p, "p", inclusive_high=True)
        self.rng = make_rng(rng, seed)
        self.training = True
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._mask: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Any shape in, same shape out: ``x · mask`` in training, ``x`` in evaluation."""
        x = np.asarray(x, dtype=np.float64)
        if not self.training or self.p == 0.0:
            self._mask = None
            return x
        keep = self.rng.random(x.shape) >= self.p
        scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)
        self._mask = keep * scale
        return x * self._mask

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Upstream gradient → gradient w.r.t. the input: ``dout`` times the same mask."""
        return dout if self._mask is None else dout * self._mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"


class BatchNorm:
    """Batch normalization (Chapter 11): normalize each feature over the batch, scale, shift.

    In training mode (``training = True``, the default) a batch ``x`` of shape ``(N, D)`` is
    normalized with its own per-feature mean μ and variance σ² (dividing by N):
    x̂ = (x − μ) / sqrt(σ² + eps) and ``out = gamma · x̂ + beta``, where ``gamma`` and ``beta``
    (each ``(D,)``, starting at 1 and 0) are learned. The layer also keeps running averages
    for evaluation: running_mean ← (1 − momentum)·running_mean + momentum·μ, and the same for
    running_var with the unbiased variance N/(N − 1)·σ². ``momentum`` is the weight of the new
    batch, as in ``torch.nn.BatchNorm1d`` (Keras's ``momentum=0.99`` is the weight of the old
    average: torch's 0.01). In evaluation mode (``training = False``) the running averages
    replace μ and σ², so every sample gets the same affine map whatever its batch.

    Backward, training mode (the compact formula derived in chapter 11), with
    s = 1/sqrt(σ² + eps) and dx̂ = dout · gamma::

        dx = s / N · (N·dx̂ − Σ_n dx̂ − x̂ · Σ_n dx̂·x̂),  dgamma = Σ_n dout·x̂,  dbeta = Σ_n dout.

    Evaluation mode: dx = dout · gamma · s with the running variance. Training needs N ≥ 2
    (one sample has no variance), as in torch. Stacks of K networks: ``gamma``, ``beta`` and
    the running averages have shape ``(K, 1, D)`` and ``x`` ``(K, N, D)``; statistics are
    taken over axis −2.
    """

    def __init__(self, n_features: int, *, momentum: float = 0.1, eps: float = 1e-5) -> None:
        if (
            isinstance(n_features, bool)
            or not isinstance(n_features, (int, np.integer))
            or n_features < 1
        ):
            raise ValueError(f"n_features must be a whole number >= 1, got {n_features!r}")
        self.n_features = int(n_features)
        self.momentum = check_fraction(momentum, "momentum", inclusive_high=True)
        self.eps = check_positive(eps, "eps")
        self.training = True
        self.params: dict[str, np.ndarray] = {
            "gamma": np.ones(self.n_features),
            "beta": np.zeros(self.n_features),
        }
        self.grads: dict[str, np.ndarray] = {
            "gamma": np.zeros(self.n_features),
            "beta": np.zeros(self.n_features),
        }
        self.running_mean = np.zeros(self.n_features)
        self.running_var = np.ones(self.n_features)
        self._x_hat: np.ndarray | None = None
        self._inv_std: np.ndarray | None = None
        self._batch_mode = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``(N, D)`` → ``(N, D)`` (or ``(K, N, D)`` in a stack); remembers what backward needs."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim < 2 or x.shape[-1] != self.n_features:
            raise ValueError(
                f"BatchNorm layer expects input of shape (N, {self.n_features}), got {x.shape}"
            )
        gamma, beta = self.params["gamma"], self.params["beta"]
        keep = x.ndim > 2  # a stack: statistics per copy, shaped (K, 1, D)
        if self.training:
            n = x.shape[-2]
            if n < 2:
                raise ValueError(
                    f"batch normalization needs at least 2 samples per batch in training mode "
                    f"(a single sample has no variance), got a batch of {n}; switch to "
                    f"evaluation mode (model.eval()) to use the running averages"
                )
            # Sums times 1/N rather than np.mean: the same numbers, fewer calls per batch.
            mean = x.sum(axis=-2, keepdims=keep)
            mean *= 1.0 / n
            centered = x - mean
            var = (centered * centered).sum(axis=-2, keepdims=keep)
            var *= 1.0 / n
            self._update_running(mean, var * (n / (n - 1)))
        else:
            centered = x - self.running_mean
            var = self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = centered
        x_hat *= inv_std  # in place: centered is not needed again
        self._x_hat, self._inv_std, self._batch_mode = x_hat, inv_std, self.training
        out = x_hat * gamma
        out += beta
        return out

    def _update_running(self, mean: np.ndarray, unbiased_var: np.ndarray) -> None:
        """Blend a batch's statistics into the running averages, in place when the shapes
        allow (so a network's ``buffers`` stay the live arrays)."""
        m = self.momentum
        for name, new in (("running_mean", mean), ("running_var", unbiased_var)):
            old = getattr(self, name)
            if old.shape == new.shape:
                old *= 1.0 - m
                old += m * new
            else:  # first batch of a stack: the averages take the stack's shape
                setattr(self, name, (1.0 - m) * old + m * new)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Upstream gradient ``(N, D)`` → gradient w.r.t. the input; fills ``grads``."""
        x_hat = _need_forward(self, "_x_hat")
        keep = dout.ndim > 2
        dbeta = self.grads["beta"] = dout.sum(axis=-2, keepdims=keep)
        dgamma = self.grads["gamma"] = (dout * x_hat).sum(axis=-2, keepdims=keep)
        scale = self.params["gamma"] * self._inv_std  # γ·s, one number per feature
        dx = dout * scale
        if not self._batch_mode:
            return dx
        # The compact formula with dx̂ = dout·γ, whose sums are γ·dbeta and γ·dgamma:
        # dx = s/N·(N·dx̂ − Σ dx̂ − x̂·Σ dx̂·x̂) = γs·dout − γs/N·(dbeta + x̂·dgamma).
        n = dout.shape[-2]
        dx -= scale * dbeta / n
        dx -= x_hat * (scale * dgamma / n)
        return dx

    def __repr__(self) -> str:
        return f"BatchNorm({self.n_features}, momentum={self.momentum:g}, eps={self.eps:g})"


class SoftmaxCrossEntropy:
    """Softmax output and cross-entropy loss in one layer, from raw scores.

    ``forward(logits (N, C), labels (N,)) -> float`` computes the mean loss with
    log-sum-exp; ``backward() -> (N, C)`` returns (softmax − one_hot) / N, the
    famously simple gradient of the pair. Chapters 04 and 06.
    """

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._probs: np.ndarray | None = None
        self._labels: np.ndarray | None = None

    def forward(self, logits: np.ndarray, labels: np.ndarray) -> Any:
        loss, self._probs = losses._softmax_cross_entropy(logits, labels)
        self._labels = labels
        return float(loss) if logits.ndim == 2 else loss

    def backward(self, dout: float = 1.0) -> np.ndarray:
        probs = _need_forward(self, "_probs")
        return losses._softmax_cross_entropy_grad(probs, self._labels, dout)


class SigmoidBinaryCrossEntropy:
    """Sigmoid output and binary cross-entropy in one layer, from raw scores.

    ``forward(logits (N, 1) or (N,), targets same length) -> float`` uses the stable
    form max(z, 0) − z·t + log(1 + e^(−|z|)); ``backward()`` returns (σ(z) − t) / N
    shaped like ``logits``. Chapters 04 and 06.
    """

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._z: np.ndarray | None = None
        self._t: np.ndarray | None = None

    def forward(self, logits: np.ndarray, targets: np.ndarray) -> Any:
        # (N, 1) or (N,) logits, one per sample; (K, N, 1) in a stack of K networks.
        z = logits.reshape(logits.shape[:-1] if logits.ndim > 1 else -1)
        t = np.asarray(targets, dtype=np.float64).reshape(-1)
        self._z, self._t, self._shape = z, t, logits.shape
        loss = losses._bce_with_logits(z, t)
        return float(loss) if z.ndim == 1 else loss

    def backward(self, dout: float = 1.0) -> np.ndarray:
        z = _need_forward(self, "_z")
        return losses._bce_with_logits_grad(z, self._t, dout).reshape(self._shape)


class MeanSquaredError:
    """Identity output with mean squared error (mean over all elements).

    ``forward(pred (N, D), target (N, D)) -> float``; ``backward()`` returns
    2 (pred − target) / (N·D). Chapters 04 and 06.
    """

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._diff: np.ndarray | None = None

    def forward(self, pred: np.ndarray, target: np.ndarray) -> Any:
        target = np.asarray(target, dtype=np.float64)
        self._diff = pred - target.reshape(pred.shape[-2:])
        loss = losses._mse(self._diff)
        return float(loss) if pred.ndim == 2 else loss

    def backward(self, dout: float = 1.0) -> np.ndarray:
        return losses._mse_grad(_need_forward(self, "_diff"), dout)
