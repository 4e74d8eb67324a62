r"""Activation functions, as plain functions (with their derivatives) and as layers.

The functions live in :mod:`nnbasics.layers.functional` (the recurrent layer uses them
too) and are imported here as well: ``from nnbasics.activations import sigmoid``.

An activation is applied to each number on its own, after a layer's weighted
sum. Without it, a stack of dense layers would collapse into a single linear
map: :math:`(x W_1^\top) W_2^\top = x (W_2 W_1)^\top`.

=========  ==================================  =======================  ===================
name       :math:`f(z)`                        :math:`f'(z)`            range
=========  ==================================  =======================  ===================
sigmoid    :math:`1/(1+e^{-z})`                :math:`f(z)(1-f(z))`     :math:`(0, 1)`
tanh       :math:`\tanh z`                     :math:`1-f(z)^2`         :math:`(-1, 1)`
ReLU       :math:`\max(0, z)`                  1 if :math:`z>0` else 0  :math:`[0, \infty)`
=========  ==================================  =======================  ===================

Softmax acts on a whole row instead: it turns scores into probabilities that
sum to one.
"""

from __future__ import annotations

import numpy as np

from nnbasics._typing import Array, saved
from nnbasics.layers.base import Layer
from nnbasics.layers.functional import (
    relu,
    relu_backward,
    relu_derivative,
    sigmoid,
    sigmoid_backward,
    sigmoid_derivative,
    softmax,
    tanh,
    tanh_backward,
    tanh_derivative,
)

__all__ = [
    "Activation",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "tanh",
    "tanh_derivative",
]


class Activation(Layer):
    r"""Base class of the elementwise activations: :math:`y_i = f(z_i)` for every entry.

    ``forward`` remembers its output :math:`y`; ``backward`` multiplies the incoming
    gradient by the local derivative :math:`f'(z)`, written in terms of :math:`y`. A
    subclass names the two functions of :mod:`nnbasics.layers.functional` that it uses.
    Activations have no parameters.
    """

    def __init__(self) -> None:
        self._out: Array | None = None

    def _function(self, z: Array) -> Array:
        """:math:`f(z)`, elementwise."""
        raise NotImplementedError

    def _backward_from_output(self, grad: Array, out: Array) -> Array:
        r""":math:`f'(z) \odot g`, with :math:`f'(z)` computed from the output :math:`y = f(z)`."""
        raise NotImplementedError

    def forward(self, x: Array) -> Array:
        """:math:`f(x)`, elementwise."""
        self._out = self._function(x)
        return self._out

    def backward(self, grad_out: Array) -> Array:
        r""":math:`\partial L/\partial z = f'(z) \odot g`."""
        out = saved(self._out, self)
        self._check_grad(grad_out, out.shape)
        return self._backward_from_output(grad_out, out)


class Sigmoid(Activation):
    r"""Layer form of :func:`~nnbasics.layers.functional.sigmoid`; backward uses :math:`\sigma' = \sigma(1-\sigma)`."""

    def _function(self, z: Array) -> Array:
        return sigmoid(z)

    def _backward_from_output(self, grad: Array, out: Array) -> Array:
        return sigmoid_backward(grad, out)


class Tanh(Activation):
    r"""Layer form of :func:`~nnbasics.layers.functional.tanh`; backward uses :math:`\tanh' = 1-\tanh^2`."""

    def _function(self, z: Array) -> Array:
        return tanh(z)

    def _backward_from_output(self, grad: Array, out: Array) -> Array:
        return tanh_backward(grad, out)


class ReLU(Activation):
    r"""Layer form of :func:`~nnbasics.layers.functional.relu`; the gradient passes where the output is positive."""

    def _function(self, z: Array) -> Array:
        return relu(z)

    def _backward_from_output(self, grad: Array, out: Array) -> Array:
        return relu_backward(grad, out)


class Softmax(Layer):
    r"""Layer form of :func:`~nnbasics.layers.functional.softmax` over the last axis, as ``torch.nn.Softmax(dim=-1)``.

    Its Jacobian is :math:`\partial s_i/\partial z_j = s_i(\delta_{ij} - s_j)`, so

    .. math:: \frac{\partial L}{\partial z} = s \odot \Bigl(g - \textstyle\sum_j g_j s_j\Bigr).

    To train a classifier, give :class:`~nnbasics.losses.CrossEntropyLoss` the
    scores (logits) instead: it applies softmax itself, more stably.
    """

    def __init__(self) -> None:
        self._out: Array | None = None

    def forward(self, x: Array) -> Array:
        """Probabilities along the last axis."""
        self._check_input(x, "(batch, classes)", x.ndim >= 1)
        self._out = softmax(x, axis=-1)
        return self._out

    def backward(self, grad_out: Array) -> Array:
        r""":math:`s \odot (g - \sum_j g_j s_j)`."""
        s = saved(self._out, self)
        self._check_grad(grad_out, s.shape)
        return s * (grad_out - np.sum(grad_out * s, axis=-1, keepdims=True))  # type: ignore[no-any-return]
