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
    "fold",
    "init_weight",
    "output_size",
    "unfold",
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

    def backward_parameters(self, grad_out: Array) -> None:
        """The backward pass without the input's gradient: only accumulate parameter gradients.

        A training loop has no use for the gradient of its input data, so it calls this on
        the model instead of :meth:`backward` (PyTorch skips that gradient too: data does not
        require grad). :class:`Dense`, :class:`Conv2D` and :class:`RNN`, whose input gradient
        is a real cost, skip computing it; other layers run :meth:`backward` and drop the
        result.
        """
        self.backward(grad_out)

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
        self.backward_parameters(grad_out)
        return grad_out @ self.weight.value

    def backward_parameters(self, grad_out: Array) -> None:
        r"""Only add :math:`g^\top x` and :math:`\sum g`; skip :math:`g W` (see :meth:`Layer.backward_parameters`)."""
        x = self._cached(self._x)
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


def unfold(x: Array, kernel_size: tuple[int, int], stride: tuple[int, int] = (1, 1)) -> Array:
    r"""Copy every ``kernel_size`` patch of ``x`` into one column: "im2col".

    ``x`` has shape ``(N, C, H, W)``; the result has shape ``(N, C * kh * kw, L)`` with
    :math:`L = H_\text{out} W_\text{out}` patches per image, as
    :func:`torch.nn.functional.unfold`. Column :math:`l = i W_\text{out} + j` holds the patch
    that output position :math:`(i, j)` sees, channel by channel and row by row.

    :func:`numpy.lib.stride_tricks.sliding_window_view` finds the patches without copying
    (a view of shape ``(N, C, H_out, W_out, kh, kw)``); the ``reshape`` then copies them into
    a contiguous matrix, on which a matrix product runs at full speed.
    """
    n, c = x.shape[:2]
    kh, kw = kernel_size
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel_size, axis=(2, 3))
    windows = windows[:, :, :: stride[0], :: stride[1]]  # (N, C, H_out, W_out, kh, kw)
    h_out, w_out = windows.shape[2:4]
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, h_out * w_out)


def fold(
    columns: Array,
    input_shape: tuple[int, ...],
    kernel_size: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
) -> Array:
    """The reverse of :func:`unfold`: add every column back onto its patch of an image.

    ``columns`` has shape ``(N, C * kh * kw, L)``; the result has ``input_shape``
    ``(N, C, H, W)``. Where patches overlap, their values add up, as in
    :func:`torch.nn.functional.fold`. This is how a gradient computed for the patches
    becomes the gradient of the image: every pixel collects the gradient of every patch
    it belongs to. The loop runs over the ``kh * kw`` positions inside a patch; each step
    adds to all patches at once.
    """
    n, c, height, width = input_shape
    kh, kw = kernel_size
    sh, sw = stride
    h_out, w_out = output_size(height, kh, sh), output_size(width, kw, sw)
    patches = columns.reshape(n, c, kh, kw, h_out, w_out)
    image = np.zeros(input_shape, dtype=columns.dtype)
    for u in range(kh):
        for v in range(kw):
            image[:, :, u : u + sh * h_out : sh, v : v + sw * w_out : sw] += patches[:, :, u, v]
    return image


def conv2d_naive(x: Array, weight: Array, bias: Array, *, stride: int = 1, padding: int = 0) -> Array:
    r"""A 2-D convolution written as plain loops: the definition, for reading and for tests.

    .. math::

        y_{n,o,i,j} = b_o + \sum_{c} \sum_{u} \sum_{v}
            W_{o,c,u,v}\; x_{n,c,\,s i + u,\,s j + v}

    on the zero-padded input. (Deep learning calls this a convolution; mathematicians would
    call it a cross-correlation, because the kernel is not flipped. PyTorch does the same.)
    :class:`Conv2D` computes the same numbers with one matrix product per image.
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

    See :func:`conv2d_naive` for the same sum as loops. Here the patches of each image are
    copied into the columns of a matrix :math:`P_n` (:func:`unfold`, "im2col"), and the
    whole sum is one matrix product with the kernels flattened into the rows of :math:`W`:
    :math:`Y_n = W P_n + b`. The backward pass, with :math:`G_n = \partial L/\partial Y_n`:

    .. math::

        \frac{\partial L}{\partial W} = \sum_n G_n P_n^\top, \qquad
        \frac{\partial L}{\partial b} = \sum_{n,\text{positions}} G_n, \qquad
        \frac{\partial L}{\partial P_n} = W^\top G_n,

    the three formulas of :class:`Dense`; :func:`fold` then adds each patch's gradient
    back onto the pixels it came from.

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
        self._columns: Array | None = None
        self._padded_shape: tuple[int, ...] | None = None
        self._output_shape: tuple[int, ...] | None = None

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
        p, s = self.padding, self.stride
        self._check_input(
            x,
            f"(batch, {self.in_channels}, height >= {kh - 2 * p}, width >= {kw - 2 * p})",
            x.ndim == 4
            and x.shape[1] == self.in_channels
            and x.shape[2] + 2 * p >= kh
            and x.shape[3] + 2 * p >= kw,
        )
        padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
        self._padded_shape = padded.shape
        self._columns = unfold(padded, self.kernel_size, (s, s))  # P: (N, C * kh * kw, L)
        kernels = self.weight.value.reshape(self.out_channels, -1)  # W: (O, C * kh * kw)
        y = kernels @ self._columns + self.bias.value[:, None]  # W P + b: (N, O, L)
        y = y.reshape(
            x.shape[0],
            self.out_channels,
            output_size(x.shape[2], kh, s, p),
            output_size(x.shape[3], kw, s, p),
        )
        self._output_shape = y.shape
        return y

    def backward(self, grad_out: Array) -> Array:
        """Accumulate the kernels' and biases' gradients; return the input's gradient."""
        grad = self._parameter_gradients(grad_out)
        kernels = self.weight.value.reshape(self.out_channels, -1)
        grad_columns = kernels.T @ grad  # dL/dP = W^T G: (N, C * kh * kw, L)
        grad_padded = fold(
            grad_columns, self._cached(self._padded_shape), self.kernel_size, (self.stride,) * 2
        )
        p = self.padding
        return grad_padded[:, :, p:-p, p:-p] if p else grad_padded

    def backward_parameters(self, grad_out: Array) -> None:
        """Accumulate the kernels' and biases' gradients only (see :meth:`Layer.backward_parameters`)."""
        self._parameter_gradients(grad_out)

    def _parameter_gradients(self, grad_out: Array) -> Array:
        """Add dL/dW and dL/db; return ``grad_out`` as the matrices G, shape (N, O, L)."""
        columns = self._cached(self._columns)
        n, _, positions = columns.shape
        self._check_grad(grad_out, self._cached(self._output_shape))
        grad = grad_out.reshape(n, self.out_channels, positions)
        # dL/dW = sum over the batch of G_n P_n^T, reshaped to the kernels' shape
        self.weight.grad += (grad @ columns.transpose(0, 2, 1)).sum(axis=0).reshape(self.weight.shape)
        self.bias.grad += grad.sum(axis=(0, 2))
        return grad


class Pool2D(Layer):
    """Base class of :class:`MaxPool2D` and :class:`AvgPool2D`: window sizes and shape checks.

    Both pool every channel on its own: the channels are moved into the batch axis, so that
    :func:`unfold` gives one column per window, of ``kh * kw`` values.
    """

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

    def _output_shape(self) -> tuple[int, int, int, int]:
        n, c, height, width = self._cached(self._input_shape)
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        return n, c, output_size(height, kh, sh), output_size(width, kw, sw)

    def _windows_of(self, x: Array) -> Array:
        """Every window of every channel as a column: shape ``(N * C, kh * kw, H_out * W_out)``."""
        kh, kw = self.kernel_size
        self._check_input(
            x,
            f"(batch, channels, height >= {kh}, width >= {kw})",
            x.ndim == 4 and x.shape[2] >= kh and x.shape[3] >= kw,
        )
        self._input_shape = x.shape
        n, c, height, width = x.shape
        return unfold(x.reshape(n * c, 1, height, width), self.kernel_size, self.stride)

    def _fold_windows(self, grad_windows: Array) -> Array:
        """Add each window's gradient ``(N * C, kh * kw, L)`` back onto the input's pixels."""
        n, c, height, width = self._cached(self._input_shape)
        grad_in = fold(grad_windows, (n * c, 1, height, width), self.kernel_size, self.stride)
        return grad_in.reshape(n, c, height, width)


class MaxPool2D(Pool2D):
    r"""Keep the largest value of each ``kernel_size`` window, channel by channel.

    .. math:: y_{n,c,i,j} = \max_{u,v}\; x_{n,c,\,s_h i + u,\,s_w j + v}

    ``stride`` defaults to ``kernel_size`` (windows side by side, no overlap), as in
    :class:`torch.nn.MaxPool2d`. The maximum passes its gradient to the one input that was
    largest; every other input of the window gets zero.

    The loops run over the ``kh * kw`` positions :math:`(u, v)` inside a window, like
    :func:`fold`'s: ``x[:, :, u::s_h, v::s_w]`` (cut to the output's size) holds the
    :math:`(u, v)` element of every window at once, so each step compares all windows in one
    array operation. A NaN wins its window, as in PyTorch; on a tie the first position wins.
    """

    def __init__(self, kernel_size: int | tuple[int, int], *, stride: int | tuple[int, int] | None = None):
        super().__init__(kernel_size, stride=stride)
        self._argmax: Array | None = None

    def _at(self, x: Array, u: int, v: int) -> Array:
        """The element at position ``(u, v)`` of every window: a view of shape ``(N, C, H_out, W_out)``."""
        _, _, h_out, w_out = self._output_shape()
        sh, sw = self.stride
        return x[:, :, u : u + sh * h_out : sh, v : v + sw * w_out : sw]

    def forward(self, x: Array) -> Array:
        """The maximum of every window."""
        kh, kw = self.kernel_size
        self._check_input(
            x,
            f"(batch, channels, height >= {kh}, width >= {kw})",
            x.ndim == 4 and x.shape[2] >= kh and x.shape[3] >= kw,
        )
        self._input_shape = x.shape
        best = self._at(x, 0, 0).copy()
        argmax = np.zeros(best.shape, dtype=np.intp)  # which of the kh * kw positions won
        for position in range(1, kh * kw):
            candidate = self._at(x, *divmod(position, kw))
            larger = (candidate > best) | np.isnan(candidate)
            np.maximum(best, candidate, out=best)  # a NaN stays: it is the maximum
            np.copyto(argmax, position, where=larger)
        self._argmax = argmax
        return best

    def backward(self, grad_out: Array) -> Array:
        """Send each gradient to the position of its window's maximum."""
        argmax = self._cached(self._argmax)
        self._check_grad(grad_out, self._output_shape())
        kh, kw = self.kernel_size
        grad_in = np.zeros(self._cached(self._input_shape), dtype=grad_out.dtype)
        for position in range(kh * kw):  # overlapping windows add up
            self._at(grad_in, *divmod(position, kw))[...] += np.where(argmax == position, grad_out, 0.0)
        return grad_in


class AvgPool2D(Pool2D):
    r"""Average each ``kernel_size`` window, channel by channel.

    .. math:: y_{n,c,i,j} = \frac{1}{k_h k_w}\sum_{u,v} x_{n,c,\,s_h i + u,\,s_w j + v}

    ``stride`` defaults to ``kernel_size``, as in :class:`torch.nn.AvgPool2d`. Every input
    of a window receives :math:`1/(k_h k_w)` of the window's gradient.
    """

    def forward(self, x: Array) -> Array:
        """The mean of every window."""
        means: Array = self._windows_of(x).mean(axis=1)
        return means.reshape(self._output_shape())

    def backward(self, grad_out: Array) -> Array:
        """Spread each gradient evenly over its window."""
        self._check_grad(grad_out, self._output_shape())
        kh, kw = self.kernel_size
        n, c, h_out, w_out = grad_out.shape
        share = grad_out.reshape(n * c, 1, h_out * w_out) / (kh * kw)
        return self._fold_windows(np.broadcast_to(share, (n * c, kh * kw, h_out * w_out)))


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
        delta = self._backpropagate_through_time(grad_out)
        return delta @ self.weight_ih.value  # dL/dx_t = delta_t W_ih

    def backward_parameters(self, grad_out: Array) -> None:
        """Backpropagation through time, without the inputs' gradient (see :meth:`Layer.backward_parameters`)."""
        self._backpropagate_through_time(grad_out)

    def _backpropagate_through_time(self, grad_out: Array) -> Array:
        """Accumulate the four parameters' gradients; return dL/dz_t for every step."""
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
        return delta


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
