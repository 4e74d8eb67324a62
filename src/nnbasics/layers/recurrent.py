"""Recurrence: :class:`RNN`, a hidden state carried through time, and :class:`LastStep`."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import DTypeLike

from nnbasics._typing import Array, RandomLike, as_generator, float_dtype, saved
from nnbasics.layers import functional as F
from nnbasics.layers.base import Layer, Parameter

__all__ = ["RNN", "LastStep"]

NONLINEARITIES = {"tanh": (F.tanh, F.tanh_backward), "relu": (F.relu, F.relu_backward)}
"""What :class:`RNN` accepts as ``nonlinearity``: the function and its backward pass (from the output)."""


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
        if nonlinearity not in NONLINEARITIES:
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

    def extra_repr(self) -> str:
        """``RNN(1, 16)``, or ``RNN(1, 16, nonlinearity='relu')``."""
        extra = "" if self.nonlinearity == "tanh" else ", nonlinearity='relu'"
        return f"{self.input_size}, {self.hidden_size}{extra}"

    def forward(self, x: Array) -> Array:
        """Run over the time steps; return all hidden states ``(batch, time, hidden_size)``."""
        self._check_input(
            x, f"(batch, time, {self.input_size})", x.ndim == 3 and x.shape[2] == self.input_size
        )
        n, steps, _ = x.shape
        h = np.zeros((n, steps, self.hidden_size), dtype=self.weight_ih.value.dtype)
        # The input's contribution does not depend on the past: compute it for all steps at once.
        from_input = x @ self.weight_ih.value.T + self.bias_ih.value
        activation, _ = NONLINEARITIES[self.nonlinearity]
        previous = np.zeros((n, self.hidden_size), dtype=h.dtype)
        for t in range(steps):
            z = from_input[:, t] + previous @ self.weight_hh.value.T + self.bias_hh.value
            previous = activation(z)
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
        x, h = saved(self._x, self), saved(self._h, self)
        self._check_grad(grad_out, h.shape)
        n, steps, _ = x.shape
        _, activation_backward = NONLINEARITIES[self.nonlinearity]
        delta = np.zeros_like(h)  # dL/dz_t for every step
        carried = np.zeros((n, self.hidden_size), dtype=h.dtype)  # dL/dh_t from step t + 1
        for t in reversed(range(steps)):
            delta[:, t] = activation_backward(grad_out[:, t] + carried, h[:, t])
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

    def forward(self, x: Array) -> Array:
        """``x[:, -1]``."""
        self._check_input(x, "(batch, time, features)", x.ndim == 3 and x.shape[1] >= 1)
        self._shape = x.shape
        return x[:, -1]

    def backward(self, grad_out: Array) -> Array:
        """The gradient at the last step, zeros before it."""
        shape = saved(self._shape, self)
        self._check_grad(grad_out, (shape[0], shape[2]))
        grad_in = np.zeros(shape, dtype=grad_out.dtype)
        grad_in[:, -1] = grad_out
        return grad_in
