"""A multi-layer perceptron built from :mod:`nbtext.layers` (Chapters 03 and 06).

``MLP([2, 4, 1], activation="tanh", output="sigmoid")`` is a stack
Dense → Activation → Dense → loss layer. Its ``params`` dict ``{"W1", "b1",
"W2", "b2", …}`` holds the live weight arrays (an optimizer updates them in
place); ``loss(X, y)`` runs the forward pass and returns the loss;
``backward()`` then returns the gradients under the same keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nbtext import activations as act
from nbtext._validation import (
    as_float_array,
    as_label_array,
    check_fraction,
    check_nonnegative,
    make_rng,
)
from nbtext.initializers import default_init
from nbtext.layers import (
    Activation,
    BatchNorm,
    Dense,
    Dropout,
    MeanSquaredError,
    SigmoidBinaryCrossEntropy,
    SoftmaxCrossEntropy,
)

OUTPUTS: tuple[str, ...] = ("softmax", "sigmoid", "identity")
"""Output types: softmax + cross-entropy (integer labels), sigmoid + binary
cross-entropy (0/1 labels), identity + mean squared error (regression)."""


def check_features(x: Any, n_features: int, name: str = "X") -> np.ndarray:
    """Return ``x`` as a finite float64 ``(N, n_features)`` array or raise a clear error.

    A 1-D array is taken as one sample when its length is ``n_features`` (> 1), or as
    N samples of one feature when ``n_features`` is 1.
    """
    arr = as_float_array(x, name, ndim=(1, 2))
    if arr.ndim == 1:
        if n_features == 1:
            return arr.reshape(-1, 1)
        if arr.shape[0] == n_features:
            return arr.reshape(1, -1)
        raise ValueError(
            f"{name} must have shape (N, {n_features}) for this network (sizes[0] = "
            f"{n_features}), got 1-D shape {arr.shape}"
        )
    if arr.shape[1] != n_features:
        raise ValueError(
            f"{name} has {arr.shape[1]} features per sample but this network expects "
            f"{n_features} (sizes[0] = {n_features}); got shape {arr.shape}"
        )
    return arr


class Parameters(dict):  # type: ignore[type-arg]
    """``model.params``: parameter name → the live array a layer computes with (Chapter 06).

    Reading gives the very arrays of the layers, so an optimizer that changes them in place
    changes the network. Assigning ``params["W1"] = new_W`` (the CS231n idiom) copies ``new_W``
    into that array, so the layer sees it too; a name the network does not have, an array of
    another shape, or values that are not finite are refused with an error that says what was
    expected, and so is removing a parameter.
    """

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self:
            raise KeyError(
                f"this network has no parameter {key!r}; its parameters are {', '.join(self)}"
            )
        target = dict.__getitem__(self, key)
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"params[{key!r}] must be an array of numbers, got {value!r}") from None
        if array.shape != target.shape:
            raise ValueError(
                f"params[{key!r}] has shape {target.shape}; got an array of shape {array.shape}"
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(f"params[{key!r}] must hold finite numbers, got NaN or inf")
        target[...] = array  # into the layer's own array: the network sees the new values

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise TypeError(
            "a network's parameters cannot be added or removed; assign new values instead, "
            "e.g. model.params['W1'] = new_W1"
        )

    __delitem__ = pop = popitem = clear = setdefault = _refuse

    def _replace(self, key: str, array: np.ndarray) -> None:
        """Put another array under ``key`` (for :meth:`MLP.stack`, which builds new arrays)."""
        dict.__setitem__(self, key, array)

    def __reduce__(self) -> tuple[Any, ...]:
        # copy.deepcopy and pickle rebuild the dict from its items, not through __setitem__.
        return (Parameters, (dict(self),))


def _per_copy_decay(weight_decay: Any, k: int) -> np.ndarray:
    """K values of λ for a stack of K networks, checked: finite and >= 0."""
    try:
        lam = np.asarray(weight_decay, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"weight_decay must be {k} numbers >= 0, got {weight_decay!r}") from None
    if lam.shape != (k,):
        raise ValueError(f"weight_decay must hold one λ per copy ({k}), got shape {lam.shape}")
    if not np.all(np.isfinite(lam) & (lam >= 0)):
        raise ValueError(f"weight_decay must be finite numbers >= 0, got {lam}")
    return lam


class MLP:
    """Multi-layer perceptron: ``sizes = [D_in, H1, …, D_out]``.

    Hidden layers use ``activation`` (any name in
    :data:`nbtext.activations.ACTIVATIONS`; ``alpha`` for leaky ReLU / ELU).
    ``output`` picks the last activation and its loss: ``"softmax"`` (softmax
    cross-entropy; labels ``(N,)`` in 0..D_out−1), ``"sigmoid"`` (binary
    cross-entropy; D_out = 1, labels ``(N,)`` 0/1) or ``"identity"`` (MSE; targets
    ``(N, D_out)``, or ``(N,)`` when D_out = 1).

    ``init``: ``"he"`` (default for ReLU-like activations), ``"xavier"`` (default
    for sigmoid/tanh/identity), ``"lecun"`` or a float standard deviation; see
    :mod:`nbtext.initializers` (Chapter 09). ``weight_decay`` λ
    adds λ/2 · Σ‖W‖² over the weight matrices (not the biases) to the loss.
    ``dropout`` p puts an inverted-dropout layer after every hidden activation
    (:class:`nbtext.layers.Dropout`), active in training mode only (:meth:`train`).
    ``batch_norm=True`` puts a :class:`nbtext.layers.BatchNorm` layer after every hidden
    Dense layer, before its activation (Chapter 11); its scale and shift join ``params`` as
    ``gamma1``, ``beta1``, … (numbered like the hidden layer's ``W``; weight decay leaves
    them alone) and its running averages are in :attr:`buffers`.
    Seeded: the same ``seed`` (or ``rng`` state) gives the same weights.
    """

    def __init__(
        self,
        sizes: list[int] | tuple[int, ...],
        activation: str = "relu",
        output: str = "softmax",
        *,
        seed: int | None = 0,
        rng: np.random.Generator | None = None,
        init: str | float | None = None,
        weight_decay: float = 0.0,
        alpha: float | None = None,
        dropout: float = 0.0,
        batch_norm: bool = False,
    ) -> None:
        sizes = list(sizes) if isinstance(sizes, (list, tuple)) else sizes
        if not isinstance(sizes, list) or len(sizes) < 2:
            raise ValueError(
                f"sizes must be a list like [n_inputs, n_hidden, ..., n_outputs] with at least "
                f"2 entries, got {sizes!r}"
            )
        for s in sizes:
            if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
                raise ValueError(f"every layer size must be a whole number >= 1, got {sizes!r}")
        if not isinstance(output, str) or output.lower() not in OUTPUTS:
            raise ValueError(f"unknown output {output!r}; expected one of {', '.join(OUTPUTS)}")
        output = output.lower()
        if output == "sigmoid" and sizes[-1] != 1:
            raise ValueError(
                f"output='sigmoid' needs 1 output unit (binary classification), got "
                f"sizes[-1] = {sizes[-1]}; use output='softmax' for several classes"
            )
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError(
                f"output='softmax' needs at least 2 output units (one per class), got "
                f"sizes[-1] = {sizes[-1]}; use output='sigmoid' for a single probability"
            )
        hidden = act.get_activation(activation, alpha=alpha)  # checks the name
        if init is None:
            init = default_init(hidden.name)
        self.sizes = [int(s) for s in sizes]
        self.activation = hidden.name
        self.alpha = alpha
        self.output = output
        self.copies: int | None = None  # K for a stack of K networks (see stack)
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay")
        self.dropout = check_fraction(dropout, "dropout")
        if not isinstance(batch_norm, (bool, np.bool_)):
            raise TypeError(f"batch_norm must be True or False, got {batch_norm!r}")
        self.batch_norm = bool(batch_norm)
        self.training = False  # evaluation mode; fit switches to training mode while it trains
        rng = make_rng(rng, seed)

        self.layers: list[Any] = []
        self._dense: list[Dense] = []
        # name in params -> (layer, its own name for the array): "W1" -> (first Dense, "W")
        self._owners: dict[str, tuple[Any, str]] = {}
        self.buffers: dict[str, np.ndarray] = {}
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True)):
            dense = Dense(n_in, n_out, rng=rng, init=init)
            self.layers.append(dense)
            self._dense.append(dense)
            self._owners[f"W{i + 1}"] = (dense, "W")
            self._owners[f"b{i + 1}"] = (dense, "b")
            if i < len(self.sizes) - 2:
                if self.batch_norm:
                    norm = BatchNorm(n_out)
                    self.layers.append(norm)
                    self._owners[f"gamma{i + 1}"] = (norm, "gamma")
                    self._owners[f"beta{i + 1}"] = (norm, "beta")
                self.layers.append(Activation(hidden.name, alpha=alpha))
                if self.dropout:
                    self.layers.append(Dropout(self.dropout, rng=rng))
        self.train(False)
        self.loss_layer = {
            "softmax": SoftmaxCrossEntropy,
            "sigmoid": SigmoidBinaryCrossEntropy,
            "identity": MeanSquaredError,
        }[output]()
        self.params = Parameters(
            {key: layer.params[own] for key, (layer, own) in self._owners.items()}
        )
        self._collect_buffers()

    def _collect_buffers(self) -> None:
        """``buffers``: the live running averages of every batch-normalization layer."""
        self.buffers.clear()
        k = 0
        for layer in self.layers:
            if isinstance(layer, Dense):
                k += 1
            elif isinstance(layer, BatchNorm):
                self.buffers[f"running_mean{k}"] = layer.running_mean
                self.buffers[f"running_var{k}"] = layer.running_var

    # --------------------------------------------------------------- modes --
    def train(self, mode: bool = True) -> MLP:
        """Training mode (``mode=True``): dropout layers silence units at random and batch
        normalization uses each batch's own statistics (and updates its running averages).
        Evaluation mode (``train(False)`` or :meth:`eval`, the default): every unit takes
        part and batch normalization uses its running averages, so ``loss``, ``predict`` and
        ``accuracy`` give the same answer every time, for any batch. ``fit``
        switches to training mode while it trains and back afterwards. Returns the model.
        Chapter 10.
        """
        self.training = bool(mode)
        for layer in self.layers:
            if isinstance(layer, (Dropout, BatchNorm)):
                layer.training = self.training
        return self

    def eval(self) -> MLP:
        """Evaluation mode: the same as ``train(False)``."""
        return self.train(False)

    # -------------------------------------------------------------- checks --
    def check_data(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        """Validate a dataset for this network; return float64 ``X`` and clean ``y``.

        Raises ``ValueError`` naming what was expected and what came: wrong feature
        count, mismatched sample counts, labels out of range, NaN/inf values.
        """
        X = check_features(X, self.sizes[0], "X")
        n = X.shape[0]
        if self.output == "softmax":
            y = as_label_array(y, "y", n_classes=self.sizes[-1])
        elif self.output == "sigmoid":
            y = as_float_array(y, "y", ndim=(1, 2)).reshape(-1)
            if y.size and (y.min() < 0 or y.max() > 1):
                raise ValueError(
                    f"y must hold 0/1 labels (or probabilities in [0, 1]) for output='sigmoid', "
                    f"got values from {y.min():g} to {y.max():g}"
                )
        else:
            y = as_float_array(y, "y", ndim=(1, 2))
            if y.ndim == 1:
                y = y.reshape(-1, 1) if self.sizes[-1] == 1 else y.reshape(1, -1)
            if y.shape[1] != self.sizes[-1]:
                raise ValueError(
                    f"y must have {self.sizes[-1]} target value(s) per sample (sizes[-1]), "
                    f"got shape {y.shape}"
                )
        if y.shape[0] != n:
            raise ValueError(f"X has {n} samples but y has {y.shape[0]}")
        return X, y

    # ------------------------------------------------------------- forward --
    def _forward(self, X: np.ndarray) -> np.ndarray:
        out = X
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def forward(self, X: Any) -> np.ndarray:
        """Raw network output ``(N, D_out)`` before the output activation (the logits
        for softmax/sigmoid, the prediction itself for identity)."""
        return self._forward(check_features(X, self.sizes[0], "X"))

    def hidden_outputs(self, X: Any) -> list[np.ndarray]:
        """The output of every hidden layer for inputs ``X``, after its activation (and
        dropout): a list of ``(N, H_k)`` arrays, first hidden layer first. What chapter 09's
        histograms show. One forward pass; the network is not changed (in training mode, the
        running averages of batch normalization are put back as they were)."""
        out, outputs = check_features(X, self.sizes[0], "X"), []
        saved = {name: value.copy() for name, value in self.buffers.items()}
        try:
            for layer, following in zip(self.layers[:-1], self.layers[1:], strict=True):
                out = layer.forward(out)
                if isinstance(following, Dense):  # the end of a hidden layer
                    outputs.append(out)
        finally:
            for name, value in saved.items():
                self.buffers[name][...] = value  # the live arrays, in place
        return outputs

    def loss_unchecked(self, X: np.ndarray, y: np.ndarray) -> Any:
        """:meth:`loss` without checking ``X`` and ``y`` again: they must come from
        :meth:`check_data`. What a training loop calls for every mini-batch (checks cost
        more than the arithmetic on a small batch)."""
        value = self.loss_layer.forward(self._forward(X), y)  # a float, or K of them
        if np.any(self.weight_decay):  # a number, or K of them in a stack
            squares = sum(np.sum(d.params["W"] ** 2, axis=(-2, -1)) for d in self._dense)
            value = value + 0.5 * self.weight_decay * squares
            if self.copies is None:
                value = float(value)
        return value

    def loss(self, X: Any, y: Any) -> Any:
        """Run the forward pass on a batch and return the mean loss (+ weight decay).

        A float; for a stack of K networks, an array of K losses.
        """
        X, y = self.check_data(X, y)
        return self.loss_unchecked(X, y)

    def loss_and_gradients(self, X: Any, y: Any) -> tuple[Any, dict[str, np.ndarray]]:
        """``(loss, grads)`` for a batch: :meth:`loss` then :meth:`backward`, nothing updated.

        What one iteration of training computes before its step; chapter 09 looks at the
        gradients of a network that has not been trained at all.
        """
        value = self.loss(X, y)
        return value, self.backward()

    # ------------------------------------------------------------ backward --
    def backward(self) -> dict[str, np.ndarray]:
        """Backpropagate the last :meth:`loss` call; return ``{"W1": dL/dW1, "b1": …}``.

        Each gradient has the shape of its parameter. Chapter 06.
        """
        dout = self.loss_layer.backward()
        for layer in reversed(self.layers[1:]):
            dout = layer.backward(dout)
        self.layers[0].backward_params(dout)  # the input X needs no gradient
        lam = self.weight_decay
        grads = {key: layer.grads[own] for key, (layer, own) in self._owners.items()}
        if np.any(lam):
            if np.ndim(lam):  # one λ per copy of a stack: (K,) -> (K, 1, 1)
                lam = np.reshape(lam, (-1, 1, 1))
            for key, (layer, own) in self._owners.items():
                if own == "W":
                    grads[key] = grads[key] + lam * layer.params["W"]
        return grads

    # ---------------------------------------------------------- prediction --
    @property
    def is_classifier(self) -> bool:
        """True for softmax and sigmoid outputs (labels, accuracy), False for regression."""
        return self.output != "identity"

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities: ``(N, C)`` for softmax, ``(N,)`` P(y = 1) for sigmoid."""
        out = self.forward(X)
        if self.output == "softmax":
            return act._softmax(out, axis=-1)
        if self.output == "sigmoid":
            return act._sigmoid(out[..., 0])
        raise ValueError("predict_proba needs a classifier (output 'softmax' or 'sigmoid')")

    def predict(self, X: Any) -> np.ndarray:
        """Predicted labels ``(N,)`` for classifiers; values ``(N, D_out)`` for regression."""
        out = self.forward(X)
        if self.output == "softmax":
            return np.argmax(out, axis=-1)
        if self.output == "sigmoid":
            return (out[..., 0] > 0).astype(np.int64)
        return out

    def accuracy(self, X: Any, y: Any) -> Any:
        """Fraction of samples whose predicted label equals ``y`` (classifiers only).

        A float; for a stack of K networks, an array of K fractions.
        """
        if not self.is_classifier:
            raise ValueError("accuracy needs a classifier (output 'softmax' or 'sigmoid')")
        X, y = self.check_data(X, y)
        right = np.mean(self.predict(X) == y, axis=-1)
        return float(right) if self.copies is None else right

    # --------------------------------------------------------------- stacks --
    def stack(
        self, copies: int | Sequence[Mapping[str, np.ndarray]], *, weight_decay: Any = None
    ) -> MLP:
        """K networks of this shape side by side, for training or evaluating them at once.

        ``copies``: a number K (K copies of this network's current weights), or a list of K
        parameter dicts like ``model.params`` (say, the weights after each epoch). In the
        stack every weight matrix has shape ``(K, n_in, n_out)`` and every bias
        ``(K, 1, n_out)``; ``forward`` gives ``(K, N, D_out)``, ``loss`` and ``accuracy``
        give K numbers, ``predict`` ``(K, N)``, and ``backward`` gradients shaped like the
        stacked parameters. The layers' own formulas do all of it: NumPy's matmul
        broadcasts over the first axis. This network is not changed. Chapter 07.

        ``weight_decay``: K values of λ, one per copy (default: this network's λ for all),
        so that a search over λ trains in one stack (chapter 12).
        """
        if self.copies is not None:
            raise ValueError("this network is a stack already; stack the single network")
        if isinstance(copies, (int, np.integer)) and not isinstance(copies, bool):
            if copies < 1:
                raise ValueError(f"copies must be at least 1, got {copies}")
            weights = [self.params] * int(copies)
        elif (
            isinstance(copies, Sequence) and copies and all(isinstance(p, Mapping) for p in copies)
        ):
            weights = list(copies)
        else:
            raise TypeError(
                "copies must be a number K or a non-empty list of parameter dicts like "
                f"model.params, got {type(copies).__name__}"
            )
        stacked = MLP(self.sizes, self.activation, self.output, init=1.0, alpha=self.alpha,
                      weight_decay=self.weight_decay, dropout=self.dropout,
                      batch_norm=self.batch_norm)  # fmt: skip
        stacked.train(self.training)
        stacked.copies = len(weights)
        if weight_decay is not None:
            stacked.weight_decay = _per_copy_decay(weight_decay, len(weights))
        for key, own in self.params.items():
            try:
                arrays = [np.asarray(p[key], dtype=np.float64) for p in weights]
            except KeyError:
                raise ValueError(f"every parameter dict needs the key {key!r}") from None
            if any(a.shape != own.shape for a in arrays):
                shapes = sorted({a.shape for a in arrays})
                raise ValueError(f"{key} must have shape {own.shape} in every copy, got {shapes}")
            layer, own = stacked._owners[key]
            value = np.stack(arrays) if own == "W" else np.stack(arrays)[:, None, :]
            layer.params[own] = value
            stacked.params._replace(key, value)
        # Running averages of batch normalization: every copy starts from this network's.
        k = len(weights)
        for mine, theirs in zip(self.layers, stacked.layers, strict=True):
            if isinstance(mine, BatchNorm):
                theirs.running_mean = np.tile(mine.running_mean, (k, 1, 1))
                theirs.running_var = np.tile(mine.running_var, (k, 1, 1))
        stacked._collect_buffers()
        return stacked

    def __repr__(self) -> str:
        return (
            f"MLP({self.sizes}, activation={self.activation!r}, output={self.output!r}"
            + (f", weight_decay={self.weight_decay}" if np.any(self.weight_decay) else "")
            + (f", dropout={self.dropout}" if self.dropout else "")
            + (", batch_norm=True" if self.batch_norm else "")
            + ")"
            + (f".stack({self.copies})" if self.copies is not None else "")
        )
