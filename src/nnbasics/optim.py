r"""Optimisers: turn gradients into parameter updates."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from nnbasics._typing import Array
from nnbasics.layers.base import Parameter

__all__ = ["SGD"]


class SGD:
    r"""Stochastic gradient descent with optional momentum and weight decay.

    For each parameter :math:`\theta` with gradient :math:`g`, one :meth:`step` does,
    exactly as :class:`torch.optim.SGD` (with ``dampening=0``, ``nesterov=False``):

    .. math::

        g &\leftarrow g + \lambda\,\theta
            &&\text{weight decay: the gradient of } \tfrac{\lambda}{2}\lVert\theta\rVert^2 \\
        v &\leftarrow \mu\,v + g \quad (v = g \text{ on the first step})
            &&\text{momentum} \\
        \theta &\leftarrow \theta - \eta\,v
            &&\text{the step downhill}

    with learning rate :math:`\eta` (``lr``), momentum :math:`\mu` and weight
    decay :math:`\lambda`. Without momentum, :math:`v = g` and this is the
    plain rule :math:`\theta \leftarrow \theta - \eta\,g`.

    Parameters
    ----------
    parameters:
        What to update, usually ``model.parameters()``.
    lr:
        The learning rate :math:`\eta > 0`: the size of each step.
    momentum:
        :math:`\mu \in [0, 1)`; 0.9 is common.
    weight_decay:
        :math:`\lambda \ge 0`, the strength of L2 regularisation.
    """

    def __init__(
        self,
        parameters: Iterable[Parameter],
        lr: float,
        *,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        if not lr > 0:
            msg = f"SGD: the learning rate lr must be > 0, got {lr}"
            raise ValueError(msg)
        if not 0.0 <= momentum < 1.0:
            msg = f"SGD: momentum must be in [0, 1), got {momentum}"
            raise ValueError(msg)
        if not weight_decay >= 0.0:
            msg = f"SGD: weight_decay must be >= 0, got {weight_decay}"
            raise ValueError(msg)
        self.parameters = list(parameters)
        if not self.parameters:
            msg = "SGD: got no parameters to optimise"
            raise ValueError(msg)
        self.lr = lr
        self.momentum = momentum
        self.weight_decay = weight_decay
        self._velocity: list[Array | None] = [None] * len(self.parameters)

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zero (before the next backward pass).

        Only this optimiser's parameters are cleared: the gradients of parameters it does not
        update (a frozen layer) keep adding up, harmlessly; ``model.zero_grad()`` clears all.
        """
        for parameter in self.parameters:
            parameter.grad[...] = 0

    def step(self) -> None:
        """Update every parameter in place with the rule above."""
        for index, parameter in enumerate(self.parameters):
            grad = parameter.grad
            if self.weight_decay:
                grad = grad + self.weight_decay * parameter.value
            if self.momentum:
                velocity = self._velocity[index]
                if velocity is None:
                    velocity = np.array(grad, copy=True)
                else:
                    velocity *= self.momentum
                    velocity += grad
                self._velocity[index] = velocity
                grad = velocity
            parameter.value -= self.lr * grad
