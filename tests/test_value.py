"""``Value``, the scalar autograd engine, replayed micrograd-style in PyTorch float64 scalars."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from nnbasics import Value, draw_graph

pytestmark = pytest.mark.usefixtures("torch64")

RTOL = 1e-10


def scalars(*numbers: float) -> list[torch.Tensor]:
    """Float64 leaf scalars that record their gradients."""
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in numbers]


def check_against_torch(expression: Callable[..., Any], *inputs: float) -> None:
    """Run ``expression`` on Values and on torch scalars; compare the result and every input's gradient."""
    values = [Value(x) for x in inputs]
    out = expression(*values)
    out.backward()
    tensors = scalars(*inputs)
    out_t = expression(*tensors)
    out_t.backward()
    np.testing.assert_allclose(out.data, out_t.item(), rtol=RTOL)
    for i, (v, t) in enumerate(zip(values, tensors, strict=True)):
        assert t.grad is not None
        np.testing.assert_allclose(v.grad, t.grad.item(), rtol=RTOL, err_msg=f"gradient of input {i}")


def micrograd_sanity(x: Any) -> Any:
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    return h + q + q * x


def micrograd_more_ops(a: Any, b: Any) -> Any:
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    return g + 10.0 / f


def every_operation(a: Any, b: Any) -> Any:
    """Each operation once, numbers on either side, ``a`` and ``b`` used several times."""
    s = 2 * a + b * 3 - 1 - a / 3 + 3 / b + 1 - b
    t = (a * a + 1).log() + (b / 4).exp() + (a - b).tanh() + (a * b).sigmoid() + (a + 0.5).relu()
    u = (b**2 + 1) ** 0.5 + a**3 - (-b)
    return s * t / u + 4 - s


EXPRESSIONS = {
    "micrograd sanity check": (micrograd_sanity, (-4.0,)),
    "micrograd more ops": (micrograd_more_ops, (-4.0, 2.0)),
    "every operation": (every_operation, (0.7, -1.3)),
    "value used twice": (lambda a: a * a + a, (3.0,)),
    "number on the left": (lambda a: 2 * a + (1 - a) + 3 / a + 5 + a, (1.5,)),
    "number on the right": (lambda a: a * 2 + (a - 1) + a / 3 + (a + 5), (1.5,)),
    "power": (lambda a: a**3 + a**-2 + a**0.5, (2.5,)),
    "exp and log": (lambda a: (a.exp() + 1).log(), (-0.8,)),
    "tanh": (lambda a: (a * 2).tanh(), (0.3,)),
    "sigmoid positive": (lambda a: a.sigmoid(), (2.0,)),
    "sigmoid negative": (lambda a: a.sigmoid() * a, (-3.0,)),
    "relu active": (lambda a: a.relu() * a, (1.2,)),
    "relu inactive": (lambda a: a.relu() + a * 0.5, (-1.2,)),
    "relu at zero": (lambda a: a.relu(), (0.0,)),
    "neuron": (lambda x1, x2, w1, w2, b: (x1 * w1 + x2 * w2 + b).tanh(), (2.0, 0.0, -3.0, 1.0, 6.88137358)),
}


@pytest.mark.parametrize(("expression", "inputs"), EXPRESSIONS.values(), ids=EXPRESSIONS.keys())
def test_value_matches_torch(expression: Callable[..., Any], inputs: tuple[float, ...]) -> None:
    check_against_torch(expression, *inputs)


@given(
    a=st.floats(-3.0, 3.0, allow_subnormal=False),
    b=st.floats(0.2, 3.0, allow_subnormal=False),
)
def test_value_matches_torch_for_random_inputs(a: float, b: float) -> None:
    check_against_torch(every_operation, a, b)
    check_against_torch(micrograd_more_ops, a, b)


def test_known_neuron_gradients() -> None:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    y = (x1 * w1 + x2 * w2 + b).tanh()
    y.backward()
    assert y.data == pytest.approx(math.sqrt(0.5), rel=1e-12)
    # dy/dn = 1 - tanh^2 = 0.5 at this bias; then dy/dw1 = x1 * 0.5, dy/dx1 = w1 * 0.5.
    assert (w1.grad, x1.grad, w2.grad, x2.grad, b.grad) == pytest.approx((1.0, -1.5, 0.0, 0.5, 0.5))


def test_value_used_twice_gets_both_contributions() -> None:
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    c = Value(-2.0)
    d = c * c * c  # d = c^3, dd/dc = 3 c^2
    d.backward()
    assert c.grad == 12.0


def test_sigmoid_is_stable_for_large_inputs() -> None:
    assert Value(800.0).sigmoid().data == 1.0
    assert Value(-800.0).sigmoid().data == 0.0
    assert Value(-30.0).sigmoid().data == pytest.approx(math.exp(-30.0), rel=1e-12)


def test_backward_twice_gives_the_same_gradients() -> None:
    a, b = Value(-4.0), Value(2.0)
    out = micrograd_more_ops(a, b)
    out.backward()
    first = (a.grad, b.grad, out.grad)
    out.backward()
    assert (a.grad, b.grad, out.grad) == first
    assert out.grad == 1.0


def test_deep_chain_does_not_hit_the_recursion_limit() -> None:
    depth = 5000
    assert depth > sys.getrecursionlimit()
    x = Value(1.0)
    total = x
    for _ in range(depth):
        total = total + x
    total.backward()
    assert total.data == depth + 1
    assert x.grad == depth + 1
    order = total.topological_order()
    assert len(order) == depth + 1
    assert order[0] is x
    assert order[-1] is total


def test_topological_order_puts_children_first() -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    order = e.topological_order()
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order)  # nothing twice
    for node in order:
        for child in node._children:
            assert position[id(child)] < position[id(node)]
    assert order[-1] is e


def test_repr_is_readable() -> None:
    a = Value(2.0, label="a")
    assert repr(a) == "Value(label='a', data=2, grad=0)"
    b = a * 3.14159
    b.backward()
    assert repr(b) == "Value(data=6.283, grad=1)"
    assert repr(a) == "Value(label='a', data=2, grad=3.142)"


def test_constants_and_data_are_floats() -> None:
    v = Value(3)
    assert isinstance(v.data, float)
    assert v.data == 3.0
    assert v.grad == 0.0
    assert (v + True).data == 4.0


def test_draw_returns_a_figure_with_one_box_per_value() -> None:
    assert mpl.get_backend().lower() == "agg"
    x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(1.0, label="b")
    y = (x1 * w1 + b).tanh()
    y.label = "y"
    y.backward()
    fig = draw_graph(y)
    try:
        assert isinstance(fig, Figure)
        (ax,) = fig.axes
        # 6 values (x1, w1, x1*w1, b, the sum, y) as boxes; 3 operations (*, +, tanh) as labels.
        assert len(ax.patches) == 6
        texts = [t.get_text() for t in ax.texts]
        assert "y\ndata -0.9999\ngrad 1" in texts
        assert "x1\ndata 2\ngrad -0.0005447" in texts
        assert sorted(t for t in texts if t and "\n" not in t) == ["*", "+", "tanh"]
    finally:
        plt.close(fig)


def test_draw_graph_into_given_axes() -> None:
    fig, ax = plt.subplots()
    try:
        a = Value(1.0, label="a")
        result = draw_graph(a.exp(), ax=ax)
        assert result is fig
        assert len(ax.patches) == 2  # a and exp(a); the operation is a label
        assert "exp" in [t.get_text() for t in ax.texts]
    finally:
        plt.close(fig)
