"""Convolution and pooling: :class:`Conv2D`, :class:`MaxPool2D`, :class:`AvgPool2D`.

Every one of them works on patches: :func:`~nnbasics.layers.functional.unfold` copies the
patches of an image into the columns of a matrix, and
:func:`~nnbasics.layers.functional.fold` adds gradients back onto the pixels they came from.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

from nnbasics._typing import Array, RandomLike, as_generator, float_dtype, saved
from nnbasics.layers.base import Layer, Parameter
from nnbasics.layers.functional import fold, output_size, pair, unfold
from nnbasics.layers.init import init_weight

__all__ = ["AvgPool2D", "Conv2D", "MaxPool2D", "Pool2D"]


def _positive_pair(value: int | tuple[int, int], name: str, where: str) -> tuple[int, int]:
    """:func:`~nnbasics.layers.functional.pair`, and an error naming ``where`` for anything below 1."""
    both = pair(value)
    if min(both) < 1:
        msg = f"{where}: {name} must be a positive int or a pair of them, got {value!r}"
        raise ValueError(msg)
    return both


def _shown(sizes: tuple[int, int]) -> str:
    """``(3, 3)`` -> ``"3"``, ``(3, 2)`` -> ``"(3, 2)"``: a size as a layer's ``repr`` shows it."""
    return str(sizes[0]) if sizes[0] == sizes[1] else str(sizes)


class Conv2D(Layer):
    r"""A 2-D convolution: one small kernel per output channel, slid over the image.

    Input ``(batch, in_channels, height, width)``; ``weight`` of shape
    ``(out_channels, in_channels, kh, kw)`` and ``bias`` of shape ``(out_channels,)``: the
    layout of :class:`torch.nn.Conv2d`. Each output value is a dot product of the kernel with
    one patch of the (zero-padded) input, plus the bias:

    .. math::

        y_{n,o,i,j} = b_o + \sum_{c,u,v} W_{o,c,u,v}\; x_{n,c,\,s i + u,\,s j + v}

    See :func:`~nnbasics.layers.functional.conv2d_naive` for the same sum as loops. Here the patches of each image are
    copied into the columns of a matrix :math:`P_n` (:func:`~nnbasics.layers.functional.unfold`, "im2col"), and the
    whole sum is one matrix product with the kernels flattened into the rows of :math:`W`:
    :math:`Y_n = W P_n + b`. The backward pass, with :math:`G_n = \partial L/\partial Y_n`:

    .. math::

        \frac{\partial L}{\partial W} = \sum_n G_n P_n^\top, \qquad
        \frac{\partial L}{\partial b} = \sum_{n,\text{positions}} G_n, \qquad
        \frac{\partial L}{\partial P_n} = W^\top G_n,

    the three formulas of :class:`Dense`; :func:`~nnbasics.layers.functional.fold` then adds each patch's gradient
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
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        rng: RandomLike = None,
        init: str = "he",
        dtype: DTypeLike = np.float64,
    ) -> None:
        where = f"Conv2D({in_channels}, {out_channels}, {kernel_size})"
        if in_channels < 1 or out_channels < 1:
            msg = f"{where}: in_channels and out_channels must be >= 1"
            raise ValueError(msg)
        self.stride, self.padding = pair(stride), pair(padding)
        if min(self.stride) < 1 or min(self.padding) < 0:
            msg = f"{where}: stride must be >= 1 and padding >= 0, got stride={stride}, padding={padding}"
            raise ValueError(msg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _positive_pair(kernel_size, "kernel_size", where)
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

    def extra_repr(self) -> str:
        """``Conv2D(1, 8, 3, stride=2, padding=1)``: the settings that are not the defaults."""
        stride = f", stride={_shown(self.stride)}" if self.stride != (1, 1) else ""
        padding = f", padding={_shown(self.padding)}" if self.padding != (0, 0) else ""
        return f"{self.in_channels}, {self.out_channels}, {_shown(self.kernel_size)}{stride}{padding}"

    def forward(self, x: Array) -> Array:
        """Convolve ``x`` of shape ``(batch, in_channels, height, width)`` with every kernel."""
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        self._check_input(
            x,
            f"(batch, {self.in_channels}, height >= {kh - 2 * ph}, width >= {kw - 2 * pw})",
            x.ndim == 4
            and x.shape[1] == self.in_channels
            and x.shape[2] + 2 * ph >= kh
            and x.shape[3] + 2 * pw >= kw,
        )
        n, c, height, width = x.shape
        padded = x
        if ph or pw:  # zeros on every side, as np.pad gives; np.pad is 2 to 20 times slower here
            padded = np.zeros((n, c, height + 2 * ph, width + 2 * pw), dtype=x.dtype)
            padded[:, :, ph : ph + height, pw : pw + width] = x
        self._padded_shape = padded.shape
        self._columns = unfold(padded, self.kernel_size, self.stride)  # P: (N, C * kh * kw, L)
        kernels = self.weight.value.reshape(self.out_channels, -1)  # W: (O, C * kh * kw)
        y = kernels @ self._columns  # W P: (N, O, L)
        y += self.bias.value[:, None]  # + b, in place: no second (N, O, L) array
        h_out, w_out = output_size(height, kh, sh, ph), output_size(width, kw, sw, pw)
        y = y.reshape(n, self.out_channels, h_out, w_out)
        self._output_shape = y.shape
        return y

    def backward(self, grad_out: Array) -> Array:
        """Accumulate the kernels' and biases' gradients; return the input's gradient."""
        self.backward_parameters(grad_out)  # dL/dW and dL/db
        grad = grad_out.reshape(self._columns_shape_of_output())  # G: (N, O, L)
        kernels = self.weight.value.reshape(self.out_channels, -1)
        grad_columns = kernels.T @ grad  # dL/dP = W^T G: (N, C * kh * kw, L)
        grad_padded = fold(grad_columns, saved(self._padded_shape, self), self.kernel_size, self.stride)
        (ph, pw), (height, width) = self.padding, grad_padded.shape[2:]
        return grad_padded[:, :, ph : height - ph, pw : width - pw]

    def backward_parameters(self, grad_out: Array) -> None:
        r"""Only add :math:`\partial L/\partial W` and :math:`\partial L/\partial b`, skip the input's gradient."""
        columns = saved(self._columns, self)
        self._check_grad(grad_out, saved(self._output_shape, self))
        grad = grad_out.reshape(self._columns_shape_of_output())  # G: (N, O, L)
        # dL/dW = sum over the batch of G_n P_n^T, reshaped to the kernels' shape
        self.weight.grad += (grad @ columns.transpose(0, 2, 1)).sum(axis=0).reshape(self.weight.shape)
        self.bias.grad += grad.sum(axis=(0, 2))

    def _columns_shape_of_output(self) -> tuple[int, int, int]:
        """The output's gradient as one matrix per image: ``(N, out_channels, L)``."""
        n, _, positions = saved(self._columns, self).shape
        return n, self.out_channels, positions


class Pool2D(Layer):
    """Base class of :class:`MaxPool2D` and :class:`AvgPool2D`: window sizes and shape checks.

    Both pool every channel on its own: the channels are moved into the batch axis, so that
    :func:`~nnbasics.layers.functional.unfold` gives one column per window, of ``kh * kw`` values.
    """

    def __init__(self, kernel_size: int | tuple[int, int], *, stride: int | tuple[int, int] | None = None):
        where = f"{type(self).__name__}({kernel_size})"
        self.kernel_size = _positive_pair(kernel_size, "kernel_size", where)
        self.stride = self.kernel_size if stride is None else _positive_pair(stride, "stride", where)
        self._input_shape: tuple[int, ...] | None = None

    def extra_repr(self) -> str:
        """``MaxPool2D(2)``, or ``MaxPool2D(3, stride=(2, 2))`` when windows overlap."""
        stride = "" if self.stride == self.kernel_size else f", stride={self.stride}"
        return f"{_shown(self.kernel_size)}{stride}"

    def _output_shape(self) -> tuple[int, int, int, int]:
        n, c, height, width = saved(self._input_shape, self)
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        return n, c, output_size(height, kh, sh), output_size(width, kw, sw)

    def _remember_input(self, x: Array) -> None:
        """Check that ``x`` is a batch of images at least one window large, and keep its shape."""
        kh, kw = self.kernel_size
        self._check_input(
            x,
            f"(batch, channels, height >= {kh}, width >= {kw})",
            x.ndim == 4 and x.shape[2] >= kh and x.shape[3] >= kw,
        )
        self._input_shape = x.shape

    def _windows_of(self, x: Array) -> Array:
        """Every window of every channel as a column: shape ``(N * C, kh * kw, H_out * W_out)``."""
        self._remember_input(x)
        n, c, height, width = x.shape
        return unfold(x.reshape(n * c, 1, height, width), self.kernel_size, self.stride)

    def _fold_windows(self, grad_windows: Array) -> Array:
        """Add each window's gradient ``(N * C, kh * kw, L)`` back onto the input's pixels."""
        n, c, height, width = saved(self._input_shape, self)
        grad_in = fold(grad_windows, (n * c, 1, height, width), self.kernel_size, self.stride)
        return grad_in.reshape(n, c, height, width)


class MaxPool2D(Pool2D):
    r"""Keep the largest value of each ``kernel_size`` window, channel by channel.

    .. math:: y_{n,c,i,j} = \max_{u,v}\; x_{n,c,\,s_h i + u,\,s_w j + v}

    ``stride`` defaults to ``kernel_size`` (windows side by side, no overlap), as in
    :class:`torch.nn.MaxPool2d`. The maximum passes its gradient to the one input that was
    largest; every other input of the window gets zero.

    The loops run over the ``kh * kw`` positions :math:`(u, v)` inside a window, like
    :func:`~nnbasics.layers.functional.fold`'s: ``x[:, :, u::s_h, v::s_w]`` (cut to the
    output's size) holds the :math:`(u, v)` element of every window at once, so each step
    compares all windows in one array operation. The forward pass first copies these
    ``kh * kw`` slices into one array, so that the comparisons run over contiguous memory
    (two to three times faster than on the strided slices). A NaN wins its window, as in
    PyTorch; on a tie the first position wins.
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
        self._remember_input(x)
        kh, kw = self.kernel_size
        # element (u, v) of every window, position u * kw + v first: (kh * kw, N, C, H_out, W_out)
        elements = np.stack([self._at(x, u, v) for u in range(kh) for v in range(kw)])
        best: Array = elements[0].copy()
        argmax = np.zeros(best.shape, dtype=np.intp)  # which of the kh * kw positions won
        for position in range(1, kh * kw):
            candidate = elements[position]
            larger = (candidate > best) | np.isnan(candidate)
            np.maximum(best, candidate, out=best)  # a NaN stays: it is the maximum
            # argmax = position where larger: positions only grow, so the maximum does it.
            # Arithmetic, unlike np.copyto(where=larger), is not slowed down by a mask that
            # changes at random (the performance page times both).
            np.maximum(argmax, larger * position, out=argmax)
        self._argmax = argmax
        return best

    def backward(self, grad_out: Array) -> Array:
        """Send each gradient to the position of its window's maximum.

        Each position receives the gradient times 1 where it won and times 0 elsewhere. A
        gradient of ``inf`` or NaN would reach the positions that lost as NaN, where PyTorch
        gives them 0; by then the run has diverged, which :func:`~nnbasics.training.fit` reports.
        """
        argmax = saved(self._argmax, self)
        self._check_grad(grad_out, self._output_shape())
        kh, kw = self.kernel_size
        grad_in = np.zeros(saved(self._input_shape, self), dtype=grad_out.dtype)
        for position in range(kh * kw):  # overlapping windows add up
            self._at(grad_in, *divmod(position, kw))[...] += grad_out * (argmax == position)
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
