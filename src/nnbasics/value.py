"""A scalar that remembers how it was computed, so that it can backpropagate.

:class:`Value` is the smallest possible automatic-differentiation engine, in the
style of micrograd. Every operation creates a new ``Value`` that stores its
inputs (its *children*) and a small function, ``_backward``, that applies the
chain rule for that one operation::

    a = Value(2.0); b = Value(-3.0)
    c = a * b            # c.data == -6.0
    c.backward()         # dc/da = b = -3.0, dc/db = a = 2.0
    a.grad, b.grad       # (-3.0, 2.0)

:meth:`Value.backward` visits the graph in reverse topological order, so every
node's gradient is complete before it is passed on to its children. Gradients
are *added* (``+=``), which is what makes a value used twice, as in ``a * a``,
receive the sum of both contributions (the multivariable chain rule).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

Number = int | float


class Value:
    r"""A scalar with a gradient.

    ``data`` is its value; ``grad`` is :math:`\partial L / \partial\,\text{self}`
    once ``L.backward()`` has run for some result ``L``.

    Parameters
    ----------
    data:
        The number this value holds.
    label:
        An optional name, shown in the ``repr`` and by :func:`~nnbasics.plotting.draw_graph`.

    Examples
    --------
    A neuron with two inputs, :math:`y = \tanh(w_1 x_1 + w_2 x_2 + b)`:

    >>> x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    >>> w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    >>> b = Value(6.8813735870195432, label="b")
    >>> y = (x1 * w1 + x2 * w2 + b).tanh()
    >>> y.backward()
    >>> round(w1.grad, 4), round(x1.grad, 4)
    (1.0, -1.5)
    """

    __slots__ = ("_backward", "_children", "_op", "data", "grad", "label")

    def __init__(
        self,
        data: Number,
        label: str = "",
        *,
        _children: tuple[Value, ...] = (),
        _op: str = "",
    ) -> None:
        if isinstance(data, Value):
            msg = "Value(data): data is already a Value; use it directly"
            raise TypeError(msg)
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._children = _children
        self._op = _op
        self._backward: Callable[[], None] = lambda: None

    # -- helpers ---------------------------------------------------------------

    @staticmethod
    def _wrap(other: Value | Number) -> Value:
        """Turn a plain number into a constant ``Value`` (its gradient is unused)."""
        if isinstance(other, Value):
            return other
        if isinstance(other, numbers.Real):  # int, float, and NumPy's numbers
            return Value(float(other))
        msg = f"Value: cannot combine a Value with {type(other).__name__} {other!r}"
        raise TypeError(msg)

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.4g}, grad={self.grad:.4g})"

    # -- arithmetic --------------------------------------------------------------

    def __add__(self, other: Value | Number) -> Value:
        r""":math:`z = x + y`, so :math:`\partial z/\partial x = \partial z/\partial y = 1`."""
        other = self._wrap(other)
        out = Value(self.data + other.data, _children=(self, other), _op="+")

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | Number) -> Value:
        r""":math:`z = x y`, so :math:`\partial z/\partial x = y` and :math:`\partial z/\partial y = x`."""
        other = self._wrap(other)
        out = Value(self.data * other.data, _children=(self, other), _op="*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: Number) -> Value:
        r""":math:`z = x^n` for a plain number :math:`n`, so :math:`\partial z/\partial x = n x^{n-1}`."""
        if not isinstance(exponent, numbers.Real):
            msg = f"Value ** n: n must be a plain number, got {type(exponent).__name__}"
            raise TypeError(msg)
        out = Value(self.data**exponent, _children=(self,), _op=f"**{exponent:g}")

        def _backward() -> None:
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        """:math:`-x`, computed as ``x * -1``."""
        return self * -1

    def __sub__(self, other: Value | Number) -> Value:
        """:math:`x - y`, computed as ``x + (-y)``."""
        return self + (-self._wrap(other))

    def __truediv__(self, other: Value | Number) -> Value:
        """:math:`x / y`, computed as ``x * y**-1``."""
        return self * self._wrap(other) ** -1

    def __radd__(self, other: Number) -> Value:
        """``2 + v``."""
        return self + other

    def __rmul__(self, other: Number) -> Value:
        """``2 * v``."""
        return self * other

    def __rsub__(self, other: Number) -> Value:
        """``1 - v``."""
        return self._wrap(other) - self

    def __rtruediv__(self, other: Number) -> Value:
        """``1 / v``."""
        return self._wrap(other) / self

    # -- functions ---------------------------------------------------------------

    def exp(self) -> Value:
        r""":math:`z = e^x`, so :math:`\partial z/\partial x = e^x = z`."""
        out = Value(math.exp(self.data), _children=(self,), _op="exp")

        def _backward() -> None:
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self) -> Value:
        r""":math:`z = \ln x` for :math:`x > 0`, so :math:`\partial z/\partial x = 1/x`."""
        if self.data <= 0:
            msg = f"Value.log: the logarithm needs a positive number, got {self.data}"
            raise ValueError(msg)
        out = Value(math.log(self.data), _children=(self,), _op="log")

        def _backward() -> None:
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        r""":math:`z = \tanh x`, so :math:`\partial z/\partial x = 1 - z^2`."""
        out = Value(math.tanh(self.data), _children=(self,), _op="tanh")

        def _backward() -> None:
            self.grad += (1.0 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self) -> Value:
        r""":math:`z = \sigma(x) = 1/(1+e^{-x})`, so :math:`\partial z/\partial x = z(1-z)`."""
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        out = Value(s, _children=(self,), _op="sigmoid")

        def _backward() -> None:
            self.grad += out.data * (1.0 - out.data) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Value:
        r""":math:`z = \max(0, x)`, so :math:`\partial z/\partial x` is 1 for :math:`x > 0`, else 0."""
        out = Value(max(0.0, self.data), _children=(self,), _op="relu")

        def _backward() -> None:
            self.grad += (self.data > 0) * out.grad

        out._backward = _backward
        return out

    # -- backpropagation ---------------------------------------------------------

    @property
    def children(self) -> tuple[Value, ...]:
        """The values this one was computed from; empty for an input."""
        return self._children

    @property
    def op(self) -> str:
        """The operation that produced this value (``"+"``, ``"tanh"``, ...); empty for an input."""
        return self._op

    def topological_order(self) -> list[Value]:
        """Every value this one depends on, each after all of its children.

        Computed without recursion, so that long chains do not hit Python's
        recursion limit.
        """
        order: list[Value] = []
        visited: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._children if id(child) not in visited)
        return order

    def backward(self) -> None:
        r"""Fill ``.grad`` of every value this one depends on.

        Each ``value.grad`` becomes :math:`\partial\,\text{self}/\partial\,\text{value}`.

        The gradients of the whole graph are reset first, so calling
        ``backward`` twice gives the same result (unlike PyTorch, which
        accumulates across calls).
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
