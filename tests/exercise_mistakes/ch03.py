"""Typical mistakes for the Chapter 03 exercises added with the chapter (q3 on)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtext.activations import relu, sigmoid, softmax


def _naive_softmax(a: Any) -> Any:
    return np.exp(a) / np.sum(np.exp(a), axis=-1, keepdims=True)


def _naive_softmax_whole_sum(a: Any) -> Any:
    return np.exp(a) / np.sum(np.exp(a))


def _softmax_whole_sum(a: Any) -> Any:
    e = np.exp(a - np.max(a))
    return e / np.sum(e)


def _softmax_row_min(a: Any) -> Any:
    e = np.exp(a - np.min(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_batch_max(a: Any) -> Any:
    e = np.exp(a - np.max(a))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_no_keepdims(a: Any) -> Any:
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)


def _softmax_no_keepdims_anywhere(a: Any) -> Any:
    e = np.exp(a - np.max(a, axis=-1))
    return e / np.sum(e, axis=-1)


def _softmax_axis_1(a: Any) -> Any:
    e = np.exp(a - np.max(a, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def _softmax_no_return(a: Any) -> Any:
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    y = e / np.sum(e, axis=-1, keepdims=True)  # noqa: F841 - the mistake: no return


def _softmax_in_place(a: Any) -> Any:
    a -= np.max(a, axis=-1, keepdims=True)
    e = np.exp(a)
    return e / np.sum(e, axis=-1, keepdims=True)


def _logits(network: dict[str, Any], X: Any) -> Any:
    return relu(X @ network["W1"] + network["b1"]) @ network["W2"] + network["b2"]


def _naive_output(network: dict[str, Any], X: Any) -> Any:
    return _naive_softmax(_logits(network, X))


def _whole_batch_output(network: dict[str, Any], X: Any) -> Any:
    a = _logits(network, X)
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e)


def _predict_no_return(network: dict[str, Any], X: Any) -> Any:
    probabilities = softmax(_logits(network, X))  # noqa: F841 - the mistake: no return


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch03.q3": [
        (_naive_softmax, "np.exp overflowed: exp(1000) is inf"),
        (_naive_softmax_whole_sum, "np.exp overflowed"),
        (_softmax_row_min, "you subtracted each row's smallest value"),
        (_softmax_batch_max, "largest value of the whole batch"),
        (_softmax_whole_sum, "divide each row by its own sum"),
        (_softmax_no_keepdims, "add keepdims=True"),
        (_softmax_no_keepdims_anywhere, "add keepdims=True"),
        (_softmax_axis_1, "use axis=-1"),
        (_softmax_no_return, "did you forget the `return` line?"),
        (lambda a: np.exp(a - np.max(a, axis=-1, keepdims=True)), "divide the exponentials"),
        (_softmax_in_place, "changes the caller's logits"),
        (lambda a: softmax(a, axis=0), "you normalised each column (axis=0)"),
    ],
    "ch03.q4": [
        (_logits, "these are the logits"),
        (
            lambda n, X: softmax((X @ n["W1"] + n["b1"]) @ n["W2"] + n["b2"]),
            "Z1 = relu(X @ W1 + b1)",
        ),
        (
            lambda n, X: softmax(sigmoid(X @ n["W1"] + n["b1"]) @ n["W2"] + n["b2"]),
            "uses ReLU, not sigmoid",
        ),
        (lambda n, X: softmax(_logits(n, X), axis=0), "one row per sample"),
        (lambda n, X: softmax(relu(X @ n["W1"]) @ n["W2"]), "add the biases"),
        (lambda n, X: softmax(relu(n["W1"] @ X)), "raised ValueError"),
        (_naive_output, "np.exp overflowed"),
        (_whole_batch_output, "divide each row by its own sum"),
        (_predict_no_return, "did you forget the `return` line?"),
    ],
    "ch03.q5": [
        (45200, "counts the weights only"),
        (160, "counts the biases only"),
        (944, "counts neurons"),
        (46144, "input pixels are not neurons"),
        (45360.4, "is a whole number"),
    ],
    "ch03.q6": [
        ("a", "how sure the network is"),
        ("c", "avoids overflow"),
        ("d", "exp is increasing"),
        ("e", "not one of the choices"),
    ],
    "ch03.q7": [
        ("a", "nothing about how to find them"),
        ("b", "can be very large"),
        ("d", "depth can save units"),
        (7, "as a string"),
    ],
}
