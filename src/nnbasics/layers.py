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

__all__ = [
    "INITS",
    "RNN",
    "AvgPool2D",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "LastStep",
    "Layer",
    "MaxPool2D",
    "Parameter",
    "Pool2D",
    "conv2d_naive",
    "init_weight",
    "output_size",
]


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


# -- Convolution and pooling ----------------------------------------------------------------


def _pair(value: int | tuple[int, int], name: str, where: str) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; ``(3, 2)`` stays; anything below 1 is an error naming ``where``."""
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or min(pair) < 1:
        msg = f"{where}: {name} must be a positive int or a pair of them, got {value!r}"
        raise ValueError(msg)
    return pair[0], pair[1]


def output_size(size: int, kernel: int, stride: int, padding: int = 0) -> int:
    r"""Length of a convolution's or pooling's output along one axis.

    .. math:: n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1

    for input length :math:`n`, kernel size :math:`k`, stride :math:`s` and padding :math:`p`.
    """
    return (size + 2 * padding - kernel) // stride + 1


def _windows(x: Array, kernel: tuple[int, int], stride: tuple[int, int]) -> Array:
    """All ``kernel``-sized patches of ``x`` (``(N, C, H, W)``), without copying.

    Returns a view of shape ``(N, C, H_out, W_out, kh, kw)``: ``windows[n, c, i, j]`` is the
    patch that output position ``(i, j)`` sees (the "im2col" matrix, as a strided view).
    """
    view = np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(2, 3))
    return view[:, :, :: stride[0], :: stride[1]]


def conv2d_naive(x: Array, weight: Array, bias: Array, *, stride: int = 1, padding: int = 0) -> Array:
    r"""A 2-D convolution written as plain loops: the definition, for reading and for tests.

    .. math::

        y_{n,o,i,j} = b_o + \sum_{c} \sum_{u} \sum_{v}
            W_{o,c,u,v}\; x_{n,c,\,s i + u,\,s j + v}

    on the zero-padded input. (Deep learning calls this a convolution; mathematicians would
    call it a cross-correlation, because the kernel is not flipped. PyTorch does the same.)
    :class:`Conv2D` computes the same numbers with one tensor product.
    """
    n, _, height, width = x.shape
    out_channels, _, kh, kw = weight.shape
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out = output_size(height, kh, stride, padding)
    w_out = output_size(width, kw, stride, padding)
    y = np.zeros((n, out_channels, h_out, w_out), dtype=x.dtype)
    for sample in range(n):
        for o in range(out_channels):
            for i in range(h_out):
                for j in range(w_out):
                    patch = padded[sample, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
                    y[sample, o, i, j] = np.sum(patch * weight[o]) + bias[o]
    return y


class Conv2D(Layer):
    r"""A 2-D convolution: one small kernel per output channel, slid over the image.

    Input ``(batch, in_channels, height, width)``; ``weight`` of shape
    ``(out_channels, in_channels, kh, kw)`` and ``bias`` of shape ``(out_channels,)``: the
    layout of :class:`torch.nn.Conv2d`. Each output value is a dot product of the kernel with
    one patch of the (zero-padded) input, plus the bias:

    .. math::

        y_{n,o,i,j} = b_o + \sum_{c,u,v} W_{o,c,u,v}\; x_{n,c,\,s i + u,\,s j + v}

    See :func:`conv2d_naive` for the same sum as loops. Here the patches are taken as a
    strided view (:func:`numpy.lib.stride_tricks.sliding_window_view`, "im2col" without
    copying) and the whole sum is one :func:`numpy.tensordot`. The backward pass, with
    :math:`g = \partial L/\partial y` and :math:`P` the patches:

    .. math::

        \frac{\partial L}{\partial W_{o,c,u,v}} = \sum_{n,i,j} g_{n,o,i,j}\, P_{n,c,i,j,u,v}, \quad
        \frac{\partial L}{\partial b_o} = \sum_{n,i,j} g_{n,o,i,j}, \quad
        \frac{\partial L}{\partial x} \mathrel{+}= \text{each } g_{n,o,i,j} W_{o} \text{ put back on its patch}.

    Parameters
    ----------
    in_channels, out_channels:
        Channels of the input (1 for a grey image) and number of kernels.
    kernel_size:
        ``k`` for a ``k``-by-``k`` kernel, or ``(kh, kw)``.
    stride:
        Step between neighbouring patches.
    padding:
        Zeros added on every side of the image.
    rng, init, dtype:
        As for :class:`Dense`; the fans are ``in_channels * kh * kw`` and
        ``out_channels * kh * kw``. The default ``"he"`` suits the ReLU that usually follows.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        *,
        stride: int = 1,
        padding: int = 0,
        rng: RandomLike = None,
        init: str = "he",
        dtype: DTypeLike = np.float64,
    ) -> None:
        where = f"Conv2D({in_channels}, {out_channels}, {kernel_size})"
        if in_channels < 1 or out_channels < 1:
            msg = f"{where}: in_channels and out_channels must be >= 1"
            raise ValueError(msg)
        if stride < 1 or padding < 0:
            msg = f"{where}: stride must be >= 1 and padding >= 0, got stride={stride}, padding={padding}"
            raise ValueError(msg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _pair(kernel_size, "kernel_size", where)
        self.stride = stride
        self.padding = padding
        kh, kw = self.kernel_size
        weight, bias = init_weight(
            (out_channels, in_channels, kh, kw),
            fan_in=in_channels * kh * kw,
            fan_out=out_channels * kh * kw,
            init=init,
            rng=as_generator(rng),
            where=where,
        )
        dtype = float_dtype(dtype, where)
        self.weight = Parameter(weight.astype(dtype))
        self.bias = Parameter(bias.astype(dtype))
        self._patches: Array | None = None
        self._input_shape: tuple[int, ...] | None = None

    def __repr__(self) -> str:
        kh, kw = self.kernel_size
        kernel = str(kh) if kh == kw else str(self.kernel_size)
        extra = (f", stride={self.stride}" if self.stride != 1 else "") + (
            f", padding={self.padding}" if self.padding else ""
        )
        return f"Conv2D({self.in_channels}, {self.out_channels}, {kernel}{extra})"

    def forward(self, x: Array) -> Array:
        """Convolve ``x`` of shape ``(batch, in_channels, height, width)`` with every kernel."""
        kh, kw = self.kernel_size
        p = self.padding
        self._check_input(
            x,
            f"(batch, {self.in_channels}, height >= {kh - 2 * p}, width >= {kw - 2 * p})",
            x.ndim == 4
            and x.shape[1] == self.in_channels
            and x.shape[2] + 2 * p >= kh
            and x.shape[3] + 2 * p >= kw,
        )
        self._input_shape = x.shape
        padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
        self._patches = _windows(padded, self.kernel_size, (self.stride, self.stride))
        # (N, C, Ho, Wo, kh, kw) . (O, C, kh, kw) over C, kh, kw -> (N, Ho, Wo, O)
        y = np.tensordot(self._patches, self.weight.value, axes=([1, 4, 5], [1, 2, 3]))
        return y.transpose(0, 3, 1, 2) + self.bias.value[:, None, None]

    def backward(self, grad_out: Array) -> Array:
        """Accumulate the kernels' and biases' gradients; return the input's gradient."""
        patches = self._cached(self._patches)
        input_shape = self._cached(self._input_shape)
        n, _, h_out, w_out = patches.shape[:4]
        self._check_grad(grad_out, (n, self.out_channels, h_out, w_out))
        # dL/dW[o, c, u, v] = sum over n, i, j of g[n, o, i, j] * patches[n, c, i, j, u, v]
        self.weight.grad += np.tensordot(grad_out, patches, axes=([0, 2, 3], [0, 2, 3]))
        self.bias.grad += grad_out.sum(axis=(0, 2, 3))
        # Each output position sends g * W back onto the patch it came from. Loop over the
        # kernel's kh * kw offsets; each step adds to all patches at once.
        p, s = self.padding, self.stride
        grad_padded = np.zeros(
            (n, self.in_channels, input_shape[2] + 2 * p, input_shape[3] + 2 * p), dtype=grad_out.dtype
        )
        kh, kw = self.kernel_size
        for u in range(kh):
            for v in range(kw):
                # (N, O, Ho, Wo) . (O, C) -> (N, Ho, Wo, C)
                contribution = np.tensordot(grad_out, self.weight.value[:, :, u, v], axes=([1], [0]))
                grad_padded[:, :, u : u + s * h_out : s, v : v + s * w_out : s] += contribution.transpose(
                    0, 3, 1, 2
                )
        if p:
            return grad_padded[:, :, p:-p, p:-p]
        return grad_padded


class Pool2D(Layer):
    """Base class of :class:`MaxPool2D` and :class:`AvgPool2D`: window sizes and shape checks."""

    def __init__(self, kernel_size: int | tuple[int, int], *, stride: int | tuple[int, int] | None = None):
        where = f"{type(self).__name__}({kernel_size})"
        self.kernel_size = _pair(kernel_size, "kernel_size", where)
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride", where)
        self._input_shape: tuple[int, ...] | None = None

    def __repr__(self) -> str:
        kh, kw = self.kernel_size
        kernel = str(kh) if kh == kw else str(self.kernel_size)
        stride = "" if self.stride == self.kernel_size else f", stride={self.stride}"
        return f"{type(self).__name__}({kernel}{stride})"

    def _patches_of(self, x: Array) -> Array:
        kh, kw = self.kernel_size
        self._check_input(
            x,
            f"(batch, channels, height >= {kh}, width >= {kw})",
            x.ndim == 4 and x.shape[2] >= kh and x.shape[3] >= kw,
        )
        self._input_shape = x.shape
        return _windows(x, self.kernel_size, self.stride)


class MaxPool2D(Pool2D):
    r"""Keep the largest value of each ``kernel_size`` window, channel by channel.

    .. math:: y_{n,c,i,j} = \max_{u,v}\; x_{n,c,\,s_h i + u,\,s_w j + v}

    ``stride`` defaults to ``kernel_size`` (windows side by side, no overlap), as in
    :class:`torch.nn.MaxPool2d`. The maximum passes its gradient to the one input that was
    largest; every other input of the window gets zero.
    """

    def __init__(self, kernel_size: int | tuple[int, int], *, stride: int | tuple[int, int] | None = None):
        super().__init__(kernel_size, stride=stride)
        self._argmax: Array | None = None

    def forward(self, x: Array) -> Array:
        """The maximum of every window."""
        patches = self._patches_of(x)
        flat = patches.reshape(*patches.shape[:4], -1)
        self._argmax = np.argmax(flat, axis=-1)  # which of the kh * kw positions won
        return np.take_along_axis(flat, self._argmax[..., None], axis=-1)[..., 0]

    def backward(self, grad_out: Array) -> Array:
        """Send each gradient to the position of its window's maximum."""
        argmax = self._cached(self._argmax)
        input_shape = self._cached(self._input_shape)
        self._check_grad(grad_out, argmax.shape)
        n, c, h_out, w_out = argmax.shape
        kw = self.kernel_size[1]
        sh, sw = self.stride
        rows = np.arange(h_out)[:, None] * sh + argmax // kw
        cols = np.arange(w_out)[None, :] * sw + argmax % kw
        grad_in = np.zeros(input_shape, dtype=grad_out.dtype)
        batch = np.arange(n)[:, None, None, None]
        channel = np.arange(c)[None, :, None, None]
        np.add.at(grad_in, (batch, channel, rows, cols), grad_out)  # add: windows may overlap
        return grad_in


class AvgPool2D(Pool2D):
    r"""Average each ``kernel_size`` window, channel by channel.

    .. math:: y_{n,c,i,j} = \frac{1}{k_h k_w}\sum_{u,v} x_{n,c,\,s_h i + u,\,s_w j + v}

    ``stride`` defaults to ``kernel_size``, as in :class:`torch.nn.AvgPool2d`. Every input
    of a window receives :math:`1/(k_h k_w)` of the window's gradient.
    """

    def forward(self, x: Array) -> Array:
        """The mean of every window."""
        return self._patches_of(x).mean(axis=(4, 5))  # type: ignore[no-any-return]

    def backward(self, grad_out: Array) -> Array:
        """Spread each gradient evenly over its window."""
        input_shape = self._cached(self._input_shape)
        kh, kw = self.kernel_size
        sh, sw = self.stride
        n, c = input_shape[:2]
        h_out = output_size(input_shape[2], kh, sh)
        w_out = output_size(input_shape[3], kw, sw)
        self._check_grad(grad_out, (n, c, h_out, w_out))
        grad_in = np.zeros(input_shape, dtype=grad_out.dtype)
        share = grad_out / (kh * kw)
        for u in range(kh):
            for v in range(kw):
                grad_in[:, :, u : u + sh * h_out : sh, v : v + sw * w_out : sw] += share
        return grad_in


# -- Recurrence -----------------------------------------------------------------------------


class RNN(Layer):
    r"""A recurrent layer (Elman RNN): a hidden state carried from one time step to the next.

    For an input sequence ``x`` of shape ``(batch, time, input_size)``, starting from
    :math:`h_{-1} = 0`:

    .. math:: h_t = \tanh\bigl(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}\bigr)

    (or ReLU with ``nonlinearity="relu"``). ``forward`` returns every hidden state, shape
    ``(batch, time, hidden_size)``; the last one, ``output[:, -1]``, summarises the whole
    sequence. This matches ``torch.nn.RNN(input_size, hidden_size, batch_first=True)``
    with one layer: its ``output``, and its ``h_n[0]`` equals ``output[:, -1]``.
    Parameters ``weight_ih`` ``(hidden, input)``, ``weight_hh`` ``(hidden, hidden)``,
    ``bias_ih`` and ``bias_hh`` ``(hidden,)`` have torch's names and layout, and torch's
    initialisation :math:`\mathcal U(-1/\sqrt{H}, 1/\sqrt{H})`.

    The backward pass is backpropagation through time: walk the steps in reverse, and at
    each step add the gradient that arrives from the output to the one carried back from
    step :math:`t+1`:

    .. math::

        \delta_t = \bigl(g_t + \delta_{t+1} W_{hh}\bigr) \odot (1 - h_t^2), \qquad
        \frac{\partial L}{\partial W_{hh}} = \sum_t \delta_t^\top h_{t-1}, \qquad
        \frac{\partial L}{\partial x_t} = \delta_t W_{ih}.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        *,
        nonlinearity: str = "tanh",
        rng: RandomLike = None,
        dtype: DTypeLike = np.float64,
    ) -> None:
        where = f"RNN({input_size}, {hidden_size})"
        if input_size < 1 or hidden_size < 1:
            msg = f"{where}: input_size and hidden_size must be >= 1"
            raise ValueError(msg)
        if nonlinearity not in ("tanh", "relu"):
            msg = f"{where}: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}"
            raise ValueError(msg)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.nonlinearity = nonlinearity
        generator = as_generator(rng)
        dtype = float_dtype(dtype, where)
        k = 1.0 / math.sqrt(hidden_size)

        def draw(*shape: int) -> Parameter:
            return Parameter(generator.uniform(-k, k, size=shape).astype(dtype))

        self.weight_ih = draw(hidden_size, input_size)
        self.weight_hh = draw(hidden_size, hidden_size)
        self.bias_ih = draw(hidden_size)
        self.bias_hh = draw(hidden_size)
        self._x: Array | None = None
        self._h: Array | None = None

    def __repr__(self) -> str:
        extra = "" if self.nonlinearity == "tanh" else ", nonlinearity='relu'"
        return f"RNN({self.input_size}, {self.hidden_size}{extra})"

    def forward(self, x: Array) -> Array:
        """Run over the time steps; return all hidden states ``(batch, time, hidden_size)``."""
        self._check_input(
            x, f"(batch, time, {self.input_size})", x.ndim == 3 and x.shape[2] == self.input_size
        )
        n, steps, _ = x.shape
        h = np.zeros((n, steps, self.hidden_size), dtype=self.weight_ih.value.dtype)
        # The input's contribution does not depend on the past: compute it for all steps at once.
        from_input = x @ self.weight_ih.value.T + self.bias_ih.value
        previous = np.zeros((n, self.hidden_size), dtype=h.dtype)
        for t in range(steps):
            z = from_input[:, t] + previous @ self.weight_hh.value.T + self.bias_hh.value
            previous = np.tanh(z) if self.nonlinearity == "tanh" else np.maximum(z, 0.0)
            h[:, t] = previous
        self._x, self._h = x, h
        return h

    def backward(self, grad_out: Array) -> Array:
        """Backpropagation through time; return the gradient for every input step."""
        x = self._cached(self._x)
        h = self._cached(self._h)
        self._check_grad(grad_out, h.shape)
        n, steps, _ = x.shape
        local = 1.0 - h**2 if self.nonlinearity == "tanh" else (h > 0).astype(h.dtype)
        delta = np.zeros_like(local)  # dL/dz_t for every step
        carried = np.zeros((n, self.hidden_size), dtype=h.dtype)  # dL/dh_t from step t + 1
        for t in reversed(range(steps)):
            delta[:, t] = (grad_out[:, t] + carried) * local[:, t]
            carried = delta[:, t] @ self.weight_hh.value
        previous = np.concatenate([np.zeros_like(h[:, :1]), h[:, :-1]], axis=1)  # h_{t-1}
        self.weight_ih.grad += np.einsum("nth,nti->hi", delta, x)
        self.weight_hh.grad += np.einsum("nth,ntk->hk", delta, previous)
        self.bias_ih.grad += delta.sum(axis=(0, 1))
        self.bias_hh.grad += delta.sum(axis=(0, 1))
        return delta @ self.weight_ih.value


class LastStep(Layer):
    """Keep only the last time step: ``(batch, time, features)`` -> ``(batch, features)``.

    Put it after an :class:`RNN` to classify a whole sequence from its final hidden state:
    ``Sequential(RNN(1, 16), LastStep(), Dense(16, 2))``. The backward pass puts the
    gradient at the last step and zeros elsewhere.
    """

    def __init__(self) -> None:
        self._shape: tuple[int, ...] | None = None

    def __repr__(self) -> str:
        return "LastStep()"

    def forward(self, x: Array) -> Array:
        """``x[:, -1]``."""
        self._check_input(x, "(batch, time, features)", x.ndim == 3 and x.shape[1] >= 1)
        self._shape = x.shape
        return x[:, -1]

    def backward(self, grad_out: Array) -> Array:
        """The gradient at the last step, zeros before it."""
        shape = self._cached(self._shape)
        self._check_grad(grad_out, (shape[0], shape[2]))
        grad_in = np.zeros(shape, dtype=grad_out.dtype)
        grad_in[:, -1] = grad_out
        return grad_in
