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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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
        An optional name, shown by :meth:`draw` and in the ``repr``.

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

    def draw(self, *, ax: object = None) -> Figure:
        """Draw the computation graph that produced this value (needs matplotlib).

        See :func:`draw_graph`.
        """
        return draw_graph(self, ax=ax)


def draw_graph(root: Value, *, ax: object = None) -> Figure:
    """Draw the computation graph of ``root`` as a matplotlib figure.

    Each value is a box showing its label, ``data`` and ``grad``; each
    operation is a circle just above the value it produces. Inputs are at the
    top and ``root`` at the bottom, so the forward pass reads downwards and
    backpropagation upwards. Values used more than once have several arrows
    leaving them: their gradients add up.

    Parameters
    ----------
    root:
        The value whose graph to draw.
    ax:
        A matplotlib ``Axes`` to draw into; a new figure is made if omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure that holds the drawing.
    """
    try:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - matplotlib is optional
        from matplotlib.axes import Axes  # noqa: PLC0415
        from matplotlib.patches import FancyBboxPatch  # noqa: PLC0415
    except ImportError as error:  # pragma: no cover - depends on the environment
        msg = "draw_graph needs matplotlib: pip install matplotlib"
        raise ImportError(msg) from error

    order = root.topological_order()
    level, slot, per_level = _layout(root, order)
    n_levels = max(level.values()) + 1
    widest = max(per_level.values())
    dx, dy = 2.0, 2.0  # distance between neighbouring boxes, in data units
    box_w, box_h, radius = 1.8, 0.85, 0.24

    if ax is None:
        fig, axes = plt.subplots(figsize=(0.8 * dx * widest + 0.4, 0.8 * dy * n_levels + 0.2))
    else:
        if not isinstance(ax, Axes):
            msg = f"draw_graph: ax must be a matplotlib Axes, got {type(ax).__name__}"
            raise TypeError(msg)
        axes = ax
        fig = axes.get_figure()  # type: ignore[assignment]

    def position(node: Value) -> tuple[float, float]:
        lvl = level[id(node)]
        offset = (widest - per_level[lvl]) / 2
        return (slot[id(node)] + offset) * dx, -lvl * dy

    arrow = {"arrowstyle": "->", "color": "#555555", "shrinkA": 0, "shrinkB": 0}
    for node in order:
        x, y = position(node)
        text = f"{node.label}\n" if node.label else ""
        text += f"data {node.data:.4g}\ngrad {node.grad:.4g}"
        axes.add_patch(
            FancyBboxPatch(
                (x - box_w / 2, y - box_h / 2),
                box_w,
                box_h,
                boxstyle="round,pad=0.04",
                facecolor="#dbe9f6",
                edgecolor="#1f4e79",
            )
        )
        axes.text(x, y, text, ha="center", va="center", fontsize=9, color="#0b2540")
        if node._children:
            op_y = y + box_h / 2 + 0.5
            axes.annotate("", xy=(x, y + box_h / 2 + 0.04), xytext=(x, op_y - radius), arrowprops=arrow)
            axes.text(
                x,
                op_y,
                node._op,
                ha="center",
                va="center",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fde3c8", "edgecolor": "#a0522d"},
            )
            for child in node._children:
                cx, cy = position(child)
                axes.annotate("", xy=(x, op_y + radius), xytext=(cx, cy - box_h / 2 - 0.04), arrowprops=arrow)
    axes.set_xlim(-box_w / 2 - 0.2, dx * (widest - 1) + box_w / 2 + 0.2)
    axes.set_ylim(-dy * (n_levels - 1) - box_h / 2 - 0.2, box_h / 2 + 0.2)
    axes.set_aspect("equal")
    axes.axis("off")
    return fig


def _layout(root: Value, order: list[Value]) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Levels (rows) and slots (places in a row) for :func:`draw_graph`.

    ``root`` is on the last level; every other value sits one level above the
    first value that uses it, so each arrow is as short as it can be.
    Returns the level and slot of each value (by ``id``) and how many values
    each level holds.
    """
    level = {id(root): 0}
    for node in reversed(order):  # from the root towards the inputs
        for child in node._children:
            level[id(child)] = min(level.get(id(child), 0), level[id(node)] - 1)
    lowest = min(level.values())
    level = {key: value - lowest for key, value in level.items()}
    slot: dict[int, int] = {}
    per_level: dict[int, int] = {}
    for node in order:
        slot[id(node)] = per_level.get(level[id(node)], 0)
        per_level[level[id(node)]] = slot[id(node)] + 1
    return level, slot, per_level
