r"""The layer protocol: :class:`Parameter` and :class:`Layer`.

Every layer follows one protocol, the same for a dense layer, an activation or
a convolution:

``forward(x)``
    computes the output from the input and remembers what the backward pass
    will need;
``backward(grad_out)``
    receives :math:`\partial L/\partial\,\text{output}`, adds
    :math:`\partial L/\partial\,\text{parameter}` to each parameter's ``.grad``
    and returns :math:`\partial L/\partial\,\text{input}`;
``named_parameters()``
    the layer's :class:`Parameter` objects by name (``"weight"``, ``"bias"``),
    in the order and with the names that PyTorch uses.

Gradients are *accumulated* (``+=``), as in PyTorch: call ``zero_grad()``
before each backward pass.
"""

from __future__ import annotations

import numpy as np

from nnbasics._typing import Array

__all__ = ["Layer", "Parameter"]


class Parameter:
    r"""A trainable array and the gradient of the loss with respect to it.

    Attributes
    ----------
    value:
        The current numbers, e.g. a weight matrix.
    grad:
        :math:`\partial L/\partial\,\text{value}`, same shape and dtype as
        ``value``; filled by ``backward`` and cleared by ``zero_grad``.
    """

    def __init__(self, value: Array) -> None:
        self.value = value
        self.grad = np.zeros_like(value)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of :attr:`value`."""
        return tuple(self.value.shape)

    @property
    def size(self) -> int:
        """How many numbers :attr:`value` holds."""
        return int(self.value.size)

    def __repr__(self) -> str:
        return f"Parameter(shape={self.shape}, dtype={self.value.dtype})"


class Layer:
    """Base class of every layer (and of :class:`~nnbasics.model.Sequential`).

    Subclasses implement :meth:`forward` and :meth:`backward`; parameters are
    found automatically among the attributes that are :class:`Parameter`.
    A layer's ``repr`` is its class name around :meth:`extra_repr`: ``Dense(2, 3)``.
    """

    training: bool = True
    """Whether the layer is in training mode (matters for dropout)."""

    def forward(self, x: Array) -> Array:
        """Compute the output for input ``x``."""
        raise NotImplementedError

    def backward(self, grad_out: Array) -> Array:
        """Accumulate parameter gradients and return the gradient for the input."""
        raise NotImplementedError

    def backward_parameters(self, grad_out: Array) -> None:
        """The backward pass without the input's gradient: only accumulate parameter gradients.

        A training loop has no use for the gradient of its input data, so it calls this on
        the model instead of :meth:`backward` (PyTorch skips that gradient too: data does not
        require grad). :class:`~nnbasics.layers.Dense`, :class:`~nnbasics.layers.Conv2D` and
        :class:`~nnbasics.layers.RNN`, whose input gradient is a real cost, skip computing it;
        other layers run :meth:`backward` and drop the result.
        """
        self.backward(grad_out)

    def __call__(self, x: Array) -> Array:
        """``layer(x)`` is ``layer.forward(x)``."""
        return self.forward(x)

    def extra_repr(self) -> str:
        """What the ``repr`` shows between the parentheses: the arguments that built the layer."""
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def named_parameters(self) -> dict[str, Parameter]:
        """The layer's parameters by attribute name, in definition order."""
        return {name: value for name, value in vars(self).items() if isinstance(value, Parameter)}

    def parameters(self) -> list[Parameter]:
        """The layer's parameters, in the order of :meth:`named_parameters`."""
        return list(self.named_parameters().values())

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to zero."""
        for parameter in self.parameters():
            parameter.grad[...] = 0

    def train(self, mode: bool = True) -> Layer:  # noqa: FBT001, FBT002 - mirrors torch
        """Switch to training mode (or evaluation mode with ``mode=False``)."""
        self.training = mode
        return self

    def eval(self) -> Layer:
        """Switch to evaluation mode: dropout does nothing."""
        return self.train(mode=False)

    def _check_input(self, x: Array, expected: str, ok: bool) -> None:  # noqa: FBT001
        """Raise a ``ValueError`` naming this layer when ``ok`` is false."""
        if not ok:
            msg = f"{self!r}: expected input of shape {expected}, got {tuple(np.shape(x))}"
            raise ValueError(msg)

    def _check_grad(self, grad_out: Array, expected: tuple[int, ...]) -> None:
        """Raise a ``ValueError`` naming this layer when ``grad_out`` is not the output's shape."""
        if grad_out.shape != expected:
            msg = (
                f"{self!r}: backward expected grad_out of shape {expected} "
                f"(the shape of the output), got {grad_out.shape}"
            )
            raise ValueError(msg)
