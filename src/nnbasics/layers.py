r"""Layers: the building blocks of a network.

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

import math
from typing import TypeVar

import numpy as np
from numpy.typing import DTypeLike

from nnbasics._typing import Array, RandomLike, as_generator, float_dtype

T = TypeVar("T")

__all__ = ["INITS", "Dense", "Dropout", "Flatten", "Layer", "Parameter", "init_weight"]


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
    """

    training: bool = True
    """Whether the layer is in training mode (matters for dropout)."""

    def forward(self, x: Array) -> Array:
        """Compute the output for input ``x``."""
        raise NotImplementedError

    def backward(self, grad_out: Array) -> Array:
        """Accumulate parameter gradients and return the gradient for the input."""
        raise NotImplementedError

    def __call__(self, x: Array) -> Array:
        """``layer(x)`` is ``layer.forward(x)``."""
        return self.forward(x)

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

    def _cached(self, value: T | None) -> T:
        """Return what ``forward`` stored for ``backward``, or raise if ``forward`` has not run."""
        if value is None:
            msg = f"{self!r}: backward() called before forward()"
            raise RuntimeError(msg)
        return value

    def _check_grad(self, grad_out: Array, expected: tuple[int, ...]) -> None:
        """Raise a ``ValueError`` naming this layer when ``grad_out`` is not the output's shape."""
        if grad_out.shape != expected:
            msg = (
                f"{self!r}: backward expected grad_out of shape {expected} "
                f"(the shape of the output), got {grad_out.shape}"
            )
            raise ValueError(msg)


INITS: dict[str, str] = {
    "he": "normal, std = sqrt(2 / in_features); for ReLU (He et al., 2015)",
    "xavier": "uniform in ±sqrt(6 / (in_features + out_features)); for sigmoid and tanh "
    "(Glorot and Bengio, 2010)",
    "pytorch": "uniform in ±1/sqrt(in_features) for weight and bias; torch.nn.Linear's default",
    "zeros": "all zeros; only for demonstrations: every neuron stays identical",
}
"""The initialisation schemes :class:`Dense` knows, with what each one draws."""


def init_weight(
    shape: tuple[int, ...],
    *,
    fan_in: int,
    fan_out: int,
    init: str,
    rng: np.random.Generator,
    where: str,
) -> tuple[Array, Array]:
    r"""Draw a weight array of ``shape`` and its bias (of length ``shape[0]``).

    ``fan_in`` and ``fan_out`` are the number of inputs and outputs that each
    weight connects (for a convolution: channels times kernel size).

    - ``"he"``: :math:`W \sim \mathcal N(0, \sigma^2)`, :math:`\sigma = \sqrt{2/n_\text{in}}`; bias 0.
    - ``"xavier"``: :math:`W \sim \mathcal U(-a, a)`, :math:`a = \sqrt{6/(n_\text{in}+n_\text{out})}`;
      bias 0.
    - ``"pytorch"``: weight and bias :math:`\sim \mathcal U(-k, k)`, :math:`k = 1/\sqrt{n_\text{in}}`.
    - ``"zeros"``: everything 0.
    """
    n_out = shape[0]
    if init == "he":
        weight = rng.normal(0.0, math.sqrt(2.0 / fan_in), size=shape)
        bias = np.zeros(n_out)
    elif init == "xavier":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        weight = rng.uniform(-limit, limit, size=shape)
        bias = np.zeros(n_out)
    elif init == "pytorch":
        k = 1.0 / math.sqrt(fan_in)
        weight = rng.uniform(-k, k, size=shape)
        bias = rng.uniform(-k, k, size=n_out)
    elif init == "zeros":
        weight = np.zeros(shape)
        bias = np.zeros(n_out)
    else:
        msg = f"{where}: unknown init {init!r}; choose one of {sorted(INITS)}"
        raise ValueError(msg)
    return weight, bias


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
        ``"pytorch"`` or ``"zeros"``; see :data:`INITS`.
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

    def __repr__(self) -> str:
        return f"Dense({self.in_features}, {self.out_features})"

    def forward(self, x: Array) -> Array:
        r""":math:`y = x W^\top + b`; ``x`` has shape ``(batch, in_features)``."""
        self._check_input(x, f"(batch, {self.in_features})", x.ndim == 2 and x.shape[1] == self.in_features)
        self._x = x
        return x @ self.weight.value.T + self.bias.value

    def backward(self, grad_out: Array) -> Array:
        r"""Add :math:`g^\top x` to the weight's and :math:`\sum g` to the bias's gradient; return :math:`g W`."""
        x = self._cached(self._x)
        self._check_grad(grad_out, (x.shape[0], self.out_features))
        self.weight.grad += grad_out.T @ x
        self.bias.grad += grad_out.sum(axis=0)
        return grad_out @ self.weight.value


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

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"

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
        self._check_grad(grad_out, self._cached(self._shape))
        if self._scaled_mask is None:
            return grad_out
        return grad_out * self._scaled_mask


class Flatten(Layer):
    """Reshape ``(batch, d1, d2, ...)`` to ``(batch, d1 * d2 * ...)``, as :class:`torch.nn.Flatten`.

    The backward pass reshapes the gradient back to the input's shape.
    """

    def __init__(self) -> None:
        self._shape: tuple[int, ...] | None = None

    def __repr__(self) -> str:
        return "Flatten()"

    def forward(self, x: Array) -> Array:
        """Keep the first (batch) axis and merge all the others."""
        self._check_input(x, "(batch, ...)", x.ndim >= 1)
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out: Array) -> Array:
        """Reshape the gradient back to the input's shape."""
        shape = self._cached(self._shape)
        self._check_grad(grad_out, (shape[0], math.prod(shape[1:])))
        return grad_out.reshape(shape)
