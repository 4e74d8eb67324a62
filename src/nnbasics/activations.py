r"""Activation functions, as plain functions (with their derivatives) and as layers.

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

from nnbasics._typing import Array
from nnbasics.layers import Layer

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


def sigmoid(z: Array) -> Array:
    r"""The logistic sigmoid :math:`\sigma(z) = 1/(1+e^{-z})`, between 0 and 1.

    Computed as :math:`e^{-|z|}`-based fractions so that large :math:`|z|`
    never overflows: for :math:`z<0`, :math:`\sigma(z) = e^{z}/(1+e^{z})`.
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z: Array) -> Array:
    r""":math:`\sigma'(z) = \sigma(z)\,(1-\sigma(z))`; at most 1/4, at :math:`z=0`."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: Array) -> Array:
    r"""The hyperbolic tangent :math:`\tanh z = (e^z-e^{-z})/(e^z+e^{-z})`, between -1 and 1."""
    return np.tanh(z)


def tanh_derivative(z: Array) -> Array:
    r""":math:`\tanh'(z) = 1-\tanh^2 z`; at most 1, at :math:`z=0`."""
    return 1.0 - np.tanh(z) ** 2


def relu(z: Array) -> Array:
    r"""The rectified linear unit :math:`\max(0, z)`: zero or more, with no upper bound."""
    return np.maximum(z, 0.0)


def relu_derivative(z: Array) -> Array:
    r""":math:`\operatorname{ReLU}'(z) = 1` for :math:`z > 0`, else 0 (0 at the kink, as PyTorch)."""
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64)


def softmax(z: Array, axis: int = -1) -> Array:
    r"""Turn scores into probabilities: :math:`\operatorname{softmax}(z)_i = e^{z_i}/\sum_j e^{z_j}`.

    The largest score is subtracted first, which changes nothing mathematically
    but keeps :math:`e^{z}` from overflowing.
    """
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)  # type: ignore[no-any-return]


class Activation(Layer):
    r"""Base class of the elementwise activations: :math:`y_i = f(z_i)` for every entry.

    ``forward`` remembers its output :math:`y`; ``backward`` multiplies the incoming
    gradient by the local derivative :math:`f'(z)`, written in terms of :math:`y`.
    Activations have no parameters.
    """

    def __init__(self) -> None:
        self._out: Array | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _local_derivative(self, out: Array) -> Array:
        """:math:`f'(z)` computed from the output :math:`y = f(z)`."""
        raise NotImplementedError

    def backward(self, grad_out: Array) -> Array:
        r""":math:`\partial L/\partial z = f'(z) \odot g`."""
        out = self._cached(self._out)
        self._check_grad(grad_out, out.shape)
        return grad_out * self._local_derivative(out)


class Sigmoid(Activation):
    r"""Layer form of :func:`sigmoid`; backward uses :math:`\sigma' = \sigma(1-\sigma)`."""

    def forward(self, x: Array) -> Array:
        r""":math:`\sigma(x)`, elementwise."""
        self._out = sigmoid(x)
        return self._out

    def _local_derivative(self, out: Array) -> Array:
        return out * (1.0 - out)


class Tanh(Activation):
    r"""Layer form of :func:`tanh`; backward uses :math:`\tanh' = 1-\tanh^2`."""

    def forward(self, x: Array) -> Array:
        r""":math:`\tanh(x)`, elementwise."""
        self._out = np.tanh(x)
        return self._out

    def _local_derivative(self, out: Array) -> Array:
        return 1.0 - out**2


class ReLU(Activation):
    r"""Layer form of :func:`relu`; the gradient passes where the output is positive."""

    def forward(self, x: Array) -> Array:
        r""":math:`\max(0, x)`, elementwise."""
        self._out = np.maximum(x, 0.0)
        return self._out

    def _local_derivative(self, out: Array) -> Array:
        return (out > 0).astype(out.dtype)


class Softmax(Layer):
    r"""Layer form of :func:`softmax` over the last axis, as ``torch.nn.Softmax(dim=-1)``.

    Its Jacobian is :math:`\partial s_i/\partial z_j = s_i(\delta_{ij} - s_j)`, so

    .. math:: \frac{\partial L}{\partial z} = s \odot \Bigl(g - \textstyle\sum_j g_j s_j\Bigr).

    To train a classifier, give :class:`~nnbasics.losses.CrossEntropyLoss` the
    scores (logits) instead: it applies softmax itself, more stably.
    """

    def __init__(self) -> None:
        self._out: Array | None = None

    def __repr__(self) -> str:
        return "Softmax()"

    def forward(self, x: Array) -> Array:
        """Probabilities along the last axis."""
        self._check_input(x, "(batch, classes)", x.ndim >= 1)
        self._out = softmax(x, axis=-1)
        return self._out

    def backward(self, grad_out: Array) -> Array:
        r""":math:`s \odot (g - \sum_j g_j s_j)`."""
        s = self._cached(self._out)
        self._check_grad(grad_out, s.shape)
        return s * (grad_out - np.sum(grad_out * s, axis=-1, keepdims=True))  # type: ignore[no-any-return]
