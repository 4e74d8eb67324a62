"""Dense layers and their helpers: :class:`Dense`, :class:`Dropout`, :class:`Flatten`."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import DTypeLike

from nnbasics._typing import Array, RandomLike, as_generator, float_dtype, saved
from nnbasics.layers.base import Layer, Parameter
from nnbasics.layers.init import init_weight

__all__ = ["Dense", "Dropout", "Flatten"]


class Dense(Layer):
    r"""A fully connected layer: every output is a weighted sum of every input.

    .. math:: y = x W^\top + b

    with input :math:`x` of shape ``(batch, in_features)``, ``weight``
    :math:`W` of shape ``(out_features, in_features)`` and ``bias`` :math:`b` of
    shape ``(out_features,)``: the layout of :class:`torch.nn.Linear`. Row
    :math:`j` of :math:`W` holds the weights of output neuron :math:`j`.

    The backward pass, for :math:`g = \partial L/\partial y`:

    .. math::

        \frac{\partial L}{\partial W} = g^\top x, \qquad
        \frac{\partial L}{\partial b} = \textstyle\sum_\text{batch} g, \qquad
        \frac{\partial L}{\partial x} = g W.

    Parameters
    ----------
    in_features, out_features:
        Number of inputs and of outputs (neurons).
    rng:
        Seed or generator for the initial weights.
    init:
        ``"xavier"`` (the default; for sigmoid and tanh), ``"he"`` (for ReLU),
        ``"pytorch"`` or ``"zeros"``; see :data:`~nnbasics.layers.init.INITS`.
    dtype:
        ``float64`` (default, for exact gradient checks) or ``float32``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        rng: RandomLike = None,
        init: str = "xavier",
        dtype: DTypeLike = np.float64,
    ) -> None:
        if in_features < 1 or out_features < 1:
            msg = f"Dense: in_features and out_features must be >= 1, got {in_features}, {out_features}"
            raise ValueError(msg)
        self.in_features = in_features
        self.out_features = out_features
        self.init = init
        dtype = float_dtype(dtype, repr(self))
        weight, bias = init_weight(
            (out_features, in_features),
            fan_in=in_features,
            fan_out=out_features,
            init=init,
            rng=as_generator(rng),
            where=repr(self),
        )
        self.weight = Parameter(weight.astype(dtype))
        self.bias = Parameter(bias.astype(dtype))
        self._x: Array | None = None

    def extra_repr(self) -> str:
        """``Dense(in_features, out_features)``."""
        return f"{self.in_features}, {self.out_features}"

    def forward(self, x: Array) -> Array:
        r""":math:`y = x W^\top + b`; ``x`` has shape ``(batch, in_features)``."""
        self._check_input(x, f"(batch, {self.in_features})", x.ndim == 2 and x.shape[1] == self.in_features)
        self._x = x
        return x @ self.weight.value.T + self.bias.value

    def backward(self, grad_out: Array) -> Array:
        r"""Add :math:`g^\top x` to the weight's and :math:`\sum g` to the bias's gradient; return :math:`g W`."""
        self.backward_parameters(grad_out)
        return grad_out @ self.weight.value

    def backward_parameters(self, grad_out: Array) -> None:
        r"""Only add :math:`g^\top x` and :math:`\sum g`; skip :math:`g W` (see :meth:`Layer.backward_parameters`)."""
        x = saved(self._x, self)
        self._check_grad(grad_out, (x.shape[0], self.out_features))
        self.weight.grad += grad_out.T @ x
        self.bias.grad += grad_out.sum(axis=0)


class Dropout(Layer):
    r"""Inverted dropout: in training, zero each input with probability ``p``.

    .. math:: y = \frac{m \odot x}{1 - p}, \qquad m_i \sim \text{Bernoulli}(1 - p)

    Dividing by :math:`1-p` keeps the expected value of every output equal to
    its input, so in evaluation mode (``model.eval()``) the layer simply
    returns :math:`x` unchanged. The backward pass lets the gradient through
    the same kept positions: :math:`\partial L/\partial x = m \odot g / (1-p)`.
    As :class:`torch.nn.Dropout`.

    Parameters
    ----------
    p:
        Probability of dropping each value, in :math:`[0, 1)`.
    rng:
        Seed or generator for the masks.
    """

    def __init__(self, p: float = 0.5, *, rng: RandomLike = None) -> None:
        if not 0.0 <= p < 1.0:
            msg = f"Dropout: p is the probability of dropping a value and must be in [0, 1), got {p}"
            raise ValueError(msg)
        self.p = p
        self.rng = as_generator(rng)
        self._scaled_mask: Array | None = None
        self._shape: tuple[int, ...] | None = None

    def extra_repr(self) -> str:
        """``Dropout(p=0.5)``."""
        return f"p={self.p}"

    def forward(self, x: Array) -> Array:
        """Drop and rescale in training mode; identity in evaluation mode."""
        self._shape = x.shape
        if not self.training or self.p == 0.0:
            self._scaled_mask = None
            return x
        keep = self.rng.random(x.shape) >= self.p
        self._scaled_mask = keep.astype(x.dtype) / (1.0 - self.p)
        return x * self._scaled_mask

    def backward(self, grad_out: Array) -> Array:
        r""":math:`\partial L/\partial x = m \odot g / (1-p)` (or :math:`g` in evaluation mode)."""
        self._check_grad(grad_out, saved(self._shape, self))
        if self._scaled_mask is None:
            return grad_out
        return grad_out * self._scaled_mask


class Flatten(Layer):
    """Reshape ``(batch, d1, d2, ...)`` to ``(batch, d1 * d2 * ...)``, as :class:`torch.nn.Flatten`.

    The backward pass reshapes the gradient back to the input's shape.
    """

    def __init__(self) -> None:
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: Array) -> Array:
        """Keep the first (batch) axis and merge all the others."""
        self._check_input(x, "(batch, ...)", x.ndim >= 1)
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out: Array) -> Array:
        """Reshape the gradient back to the input's shape."""
        shape = saved(self._shape, self)
        self._check_grad(grad_out, (shape[0], math.prod(shape[1:])))
        return grad_out.reshape(shape)
