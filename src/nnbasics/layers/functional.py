r"""The functions the layers share, without any state: ``nnbasics.layers.functional``.

As :mod:`torch.nn.functional`, this module holds the computations; the layers hold
parameters and remember what their backward pass needs.

- the activation functions, their derivatives, and their backward passes written with
  the *output* :math:`y = f(z)` (what a layer remembers): :func:`tanh_backward`,
  :func:`sigmoid_backward` and :func:`relu_backward`. The activation layers
  (:mod:`nnbasics.activations`) and :class:`~nnbasics.layers.RNN` both use them;
- the sizes and patches of a convolution: :func:`output_size`, :func:`unfold`,
  :func:`fold`, and :func:`conv2d_naive`, the definition as plain loops.

:mod:`nnbasics.activations` compares the activation functions in a table.
"""

from __future__ import annotations

import numpy as np

from nnbasics._typing import Array

__all__ = [
    "conv2d_naive",
    "fold",
    "output_size",
    "pair",
    "relu",
    "relu_backward",
    "relu_derivative",
    "sigmoid",
    "sigmoid_backward",
    "sigmoid_derivative",
    "softmax",
    "tanh",
    "tanh_backward",
    "tanh_derivative",
    "unfold",
]


# -- Activation functions -------------------------------------------------------------------


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


def sigmoid_backward(grad: Array, out: Array) -> Array:
    r""":math:`\partial L/\partial z = g \odot y(1-y)`, from the output :math:`y = \sigma(z)`."""
    return grad * (out * (1.0 - out))


def tanh(z: Array) -> Array:
    r"""The hyperbolic tangent :math:`\tanh z = (e^z-e^{-z})/(e^z+e^{-z})`, between -1 and 1."""
    return np.tanh(z)


def tanh_derivative(z: Array) -> Array:
    r""":math:`\tanh'(z) = 1-\tanh^2 z`; at most 1, at :math:`z=0`."""
    return 1.0 - np.tanh(z) ** 2


def tanh_backward(grad: Array, out: Array) -> Array:
    r""":math:`\partial L/\partial z = g \odot (1-y^2)`, from the output :math:`y = \tanh z`."""
    return grad * (1.0 - out**2)


def relu(z: Array) -> Array:
    r"""The rectified linear unit :math:`\max(0, z)`: zero or more, with no upper bound."""
    return np.maximum(z, 0.0)


def relu_derivative(z: Array) -> Array:
    r""":math:`\operatorname{ReLU}'(z) = 1` for :math:`z > 0`, else 0 (0 at the kink, as PyTorch)."""
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64)


def relu_backward(grad: Array, out: Array) -> Array:
    r""":math:`\partial L/\partial z = g` where the output :math:`y = \max(0, z)` is positive, else 0."""
    return grad * (out > 0)  # times True is times 1, times False is times 0


def softmax(z: Array, axis: int = -1) -> Array:
    r"""Turn scores into probabilities: :math:`\operatorname{softmax}(z)_i = e^{z_i}/\sum_j e^{z_j}`.

    The largest score is subtracted first, which changes nothing mathematically
    but keeps :math:`e^{z}` from overflowing.
    """
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)  # type: ignore[no-any-return]


# -- Convolution: sizes, patches, and the definition -------------------------------------------


def pair(value: int | tuple[int, int]) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; a pair ``(3, 2)`` stays as it is: sizes, strides and paddings per axis."""
    first, second = (value, value) if isinstance(value, int) else value
    return first, second


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


def conv2d_naive(
    x: Array,
    weight: Array,
    bias: Array,
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> Array:
    r"""A 2-D convolution written as plain loops: the definition, for reading and for tests.

    .. math::

        y_{n,o,i,j} = b_o + \sum_{c} \sum_{u} \sum_{v}
            W_{o,c,u,v}\; x_{n,c,\,s_h i + u,\,s_w j + v}

    on the zero-padded input. (Deep learning calls this a convolution; mathematicians would
    call it a cross-correlation, because the kernel is not flipped. PyTorch does the same.)
    :class:`~nnbasics.layers.Conv2D` computes the same numbers with one matrix product per image.
    """
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    n, _, height, width = x.shape
    out_channels, _, kh, kw = weight.shape
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out, w_out = output_size(height, kh, sh, ph), output_size(width, kw, sw, pw)
    y = np.zeros((n, out_channels, h_out, w_out), dtype=x.dtype)
    for sample in range(n):
        for o in range(out_channels):
            for i in range(h_out):
                for j in range(w_out):
                    patch = padded[sample, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
                    y[sample, o, i, j] = np.sum(patch * weight[o]) + bias[o]
    return y
