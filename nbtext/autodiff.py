"""Chapter 06: reverse-mode automatic differentiation, one number at a time.

A :class:`Value` wraps one float. Every operation on Values makes a new Value that
remembers its parents and its operation (``.op``), so an expression leaves behind a
*computational graph*, and stores a closure, right next to its forward rule, with the
*local* derivative of its output. :meth:`Value.backward` walks the graph from the output
back to the inputs and multiplies local derivatives along every path: the chain rule,
automated, as in backpropagation and PyTorch's ``loss.backward()``. The design follows
Karpathy's micrograd (``engine.py``), except that ``backward`` first *resets* every
gradient, so calling it twice gives the same gradients, not twice as much.

>>> x = Value(2.0, label="x")
>>> y = (x * x + 1).log()
>>> y.backward()
>>> round(x.grad, 4)  # d/dx log(x² + 1) = 2x / (x² + 1) = 0.8
0.8

:func:`topological_order` lists a graph's nodes inputs-first; ``nbtext.plots.draw_graph`` draws it.
"""

from __future__ import annotations

import math
import numbers
import reprlib
from collections.abc import Callable
from typing import Any

__all__ = ["Value", "topological_order"]

Number = int | float


def _check_data(data: Any) -> float:
    """Return ``data`` as a float after checking it is a finite real number (Chapter 06)."""
    if isinstance(data, Value):
        raise TypeError(
            f"Value data must be a real number (int or float), got a Value {data!r}; "
            "use that Value directly instead of wrapping it again"
        )
    if isinstance(data, bool) or not isinstance(data, numbers.Real):
        hint = (
            " (a Value holds one number: make one Value per element)"
            if hasattr(data, "__len__") and not isinstance(data, (str, bytes))
            else ""
        )
        raise TypeError(
            f"Value data must be a real number (int or float), got "
            f"{type(data).__name__} {reprlib.repr(data)}{hint}"
        )
    value = float(data)
    if not math.isfinite(value):
        raise ValueError(f"Value data must be a finite number, got {value}")
    return value


def _fmt(x: float) -> str:
    """Format a number with 4 decimals, switching to scientific notation when tiny or huge."""
    x = x + 0.0  # turn -0.0 into 0.0
    if x == 0 or 1e-4 <= abs(x) < 1e6:
        return f"{x:.4f}"
    return f"{x:.4e}"


def topological_order(root: Value) -> list[Value]:
    """Return every Value that ``root`` depends on, each after all of its parents (Chapter 06).

    Inputs first, ``root`` last, each node once; :meth:`Value.backward` walks it reversed.
    An explicit stack instead of recursion handles graphs of any depth.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {reprlib.repr(root)}")
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:  # all parents are in `order` already
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in visited)
    return order


class Value:
    """Chapter 06: one number in a computational graph, with the gradient of the output.

    ``data`` is the number computed on the forward pass; ``grad`` is d(output)/d(this
    value), filled in by :meth:`backward` on the output (0.0 until then). ``op`` names
    the operation that made this Value ("" for inputs you create yourself) and
    ``parents`` holds its inputs, once per use (``a * a`` has parents ``(a, a)``).
    ``label`` is a name used by ``repr`` and ``nbtext.plots.draw_graph``.
    """

    def __init__(
        self, data: Number, label: str = "", *, _parents: tuple[Value, ...] = (), _op: str = ""
    ) -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a string, got {type(label).__name__} {label!r}")
        self.data: float = _check_data(data)
        self.grad: float = 0.0
        self.label = label
        self.op = _op
        self.parents = tuple(_parents)
        # Sends out.grad to the parents' grads; inputs have nothing to send.
        self._backward: Callable[[], None] = lambda: None

    # ----- the backward pass: the chain rule over the whole graph -----

    def backward(self) -> None:
        """Fill in ``.grad`` = d(self)/d(node) for every node of the graph that made self.

        Chapter 06: set every grad to 0 and self's to 1, then visit the nodes outputs-first
        (:func:`topological_order` reversed); each closure *adds* its local derivatives
        times the node's grad to its parents' grads, the chain rule's sum over paths (``a * a``
        collects from both uses). Unlike micrograd and PyTorch, nothing accumulates across
        calls: for the gradients of several outputs, call ``backward()`` on their sum.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={_fmt(self.data)}, grad={_fmt(self.grad)}{label})"

    # ----- helpers for the operations -----

    def _result(self, data: float, parents: tuple[Value, ...], op: str) -> Value:
        """Make the output Value of ``op``, refusing results that overflowed to inf/NaN."""
        if not math.isfinite(data):
            args = ", ".join(repr(p) for p in parents)
            raise OverflowError(f"{op} of {args} is not a finite number: {data}")
        return Value(data, _parents=parents, _op=op)

    @staticmethod
    def _lift(other: Any) -> Value:
        """Wrap a plain number as a constant Value; pass Values through unchanged."""
        return other if isinstance(other, Value) else Value(other)

    # ----- operations: forward rule, then the local derivative in a closure -----

    def __add__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        out = self._result(self.data + other.data, (self, other), "+")

        def _backward() -> None:  # d(a+b)/da = 1, d(a+b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __sub__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        out = self._result(self.data - other.data, (self, other), "-")

        def _backward() -> None:  # d(a-b)/da = 1, d(a-b)/db = -1
            self.grad += out.grad
            other.grad -= out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        out = self._result(self.data * other.data, (self, other), "*")

        def _backward() -> None:  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __truediv__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        if other.data == 0:
            raise ZeroDivisionError(f"division by zero: the divisor {other!r} is 0")
        out = self._result(self.data / other.data, (self, other), "/")

        def _backward() -> None:  # d(a/b)/da = 1/b, d(a/b)/db = -a/b²
            self.grad += out.grad / other.data
            other.grad -= self.data / other.data**2 * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: Number) -> Value:
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent of ** must be a plain number, got a Value; "
                "for a Value exponent b write (b * a.log()).exp()"
            )
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise TypeError(
                f"the exponent of ** must be a real number, got "
                f"{type(exponent).__name__} {reprlib.repr(exponent)}"
            )
        k = float(exponent)
        if not math.isfinite(k):
            raise ValueError(f"the exponent of ** must be finite, got {k}")
        x = self.data
        if x == 0 and k < 0:
            raise ZeroDivisionError(f"{self!r} ** {k:g} divides by zero")
        if x < 0 and not k.is_integer():
            raise ValueError(f"{self!r} ** {k:g}: a negative number to a fractional power")
        out = self._result(x**k, (self,), f"**{k:g}")

        def _backward() -> None:  # d(x^k)/dx = k·x^(k-1)
            if k == 0:
                local = 0.0
            elif x == 0 and k < 1:
                local = math.inf  # e.g. sqrt has a vertical tangent at 0
            else:
                local = k * x ** (k - 1)
            self.grad += local * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        out = self._result(-self.data, (self,), "neg")

        def _backward() -> None:  # d(-a)/da = -1
            self.grad -= out.grad

        out._backward = _backward
        return out

    def __radd__(self, other: Number) -> Value:  # 2 + a, and sum([...]) which starts at 0
        return self._lift(other) + self

    def __rsub__(self, other: Number) -> Value:  # 2 - a
        return self._lift(other) - self

    def __rmul__(self, other: Number) -> Value:  # 2 * a
        return self._lift(other) * self

    def __rtruediv__(self, other: Number) -> Value:  # 2 / a
        return self._lift(other) / self

    def exp(self) -> Value:
        """Return e**self (Chapter 06)."""
        try:
            e = math.exp(self.data)
        except OverflowError:  # above log(largest float) ≈ 709.78
            raise OverflowError(f"exp of {self!r} is too large for a float") from None
        out = self._result(e, (self,), "exp")

        def _backward() -> None:  # d(e^x)/dx = e^x, which is out.data
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self) -> Value:
        """Return the natural logarithm of self, defined for data > 0 only (Chapter 06)."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self!r}")
        out = self._result(math.log(self.data), (self,), "log")

        def _backward() -> None:  # d(log x)/dx = 1/x
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        """Return tanh(self), in (-1, 1); stable for any finite input (Chapter 06)."""
        out = self._result(math.tanh(self.data), (self,), "tanh")

        def _backward() -> None:  # d(tanh x)/dx = 1 - tanh²(x)
            self.grad += (1.0 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self) -> Value:
        """Return 1 / (1 + e**-self), in [0, 1]; no overflow for any finite input (Chapter 06)."""
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:  # e**-x would overflow below x ≈ -710; e**x / (1 + e**x) only underflows
            e = math.exp(x)
            s = e / (1.0 + e)
        out = self._result(s, (self,), "sigmoid")

        def _backward() -> None:  # dσ/dx = σ(x)·(1 - σ(x))
            self.grad += out.data * (1.0 - out.data) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Value:
        """Return max(0, self); its derivative is taken as 0 at 0 (Chapter 06)."""
        out = self._result(max(0.0, self.data), (self,), "relu")

        def _backward() -> None:  # d relu/dx = 1 if x > 0 else 0
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out


def __getattr__(name: str) -> Any:
    """``draw_graph`` moved to ``nbtext.plots``; old imports of it from here still work."""
    if name == "draw_graph":  # imported lazily: plots imports this module, not the other way
        from nbtext.plots import draw_graph

        return draw_graph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
