r"""Gradient checking: compare backpropagation with finite differences.

For each number :math:`\theta_i` (an input or a parameter), the centred
difference

.. math:: \frac{\partial f}{\partial \theta_i} \approx \frac{f(\theta_i + \varepsilon) - f(\theta_i - \varepsilon)}{2\varepsilon}

has an error of order :math:`\varepsilon^2`, so in float64 with
:math:`\varepsilon = 10^{-6}` it agrees with a correct analytic gradient to
about eight digits. The comparison is a relative error, so that it means the
same for large and small gradients:

.. math:: \text{error} = \frac{\max_i |a_i - n_i|}{\max\bigl(\max_i |a_i|, \max_i |n_i|\bigr)}

for the analytic gradient :math:`a` and the numerical one :math:`n` of each
array (the input and each parameter), and the largest over the arrays is
returned. Rules of thumb from cs231n: above :math:`10^{-2}` there is a bug,
below :math:`10^{-7}` all is well, :math:`10^{-4}` is acceptable only where
the function has kinks (ReLU at 0).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnbasics._typing import Array, RandomLike, as_generator
from nnbasics.layers.base import Layer
from nnbasics.losses import Loss

__all__ = ["gradcheck", "numerical_gradient", "relative_error"]


def numerical_gradient(f: Callable[[], float], array: Array, eps: float = 1e-6) -> Array:
    r"""Centred differences of ``f()`` with respect to every entry of ``array``.

    ``array`` is changed in place, one entry at a time, and restored:
    :math:`n_i = (f(\theta_i + \varepsilon) - f(\theta_i - \varepsilon)) / 2\varepsilon`.
    """
    grad = np.zeros_like(array, dtype=np.float64)
    flat = array.reshape(-1)  # a view: writing to it changes ``array``
    flat_grad = grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        f_plus = f()
        flat[i] = original - eps
        f_minus = f()
        flat[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(analytic: Array, numerical: Array) -> float:
    r""":math:`\max|a-n| \,/\, \max(\max|a|, \max|n|)`; 0 when both are exactly zero."""
    scale = max(float(np.max(np.abs(analytic), initial=0.0)), float(np.max(np.abs(numerical), initial=0.0)))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(analytic - numerical))) / scale


def gradcheck(
    module: Layer | Loss,
    x: Array,
    target: Array | None = None,
    *,
    loss: Loss | None = None,
    eps: float = 1e-6,
    rng: RandomLike = 20250101,
) -> float:
    r"""The largest relative error between backpropagation and finite differences.

    Three uses:

    - ``gradcheck(layer, x)`` checks a layer or a whole model. The output is
      reduced to the scalar :math:`f = \sum_i r_i\,y_i` with fixed random
      weights :math:`r` (drawn from ``rng``, a seed or a generator), so every output matters and
      :math:`\partial f/\partial y = r` is what ``backward`` receives.
    - ``gradcheck(model, x, target, loss=loss)`` uses the loss as :math:`f`.
    - ``gradcheck(loss, pred, target)`` checks a loss itself.

    The input's gradient and every parameter's gradient are compared; see
    :func:`relative_error`. Everything must be float64, and the module must
    be deterministic (put models with dropout in ``eval()`` mode).
    """
    if x.dtype != np.float64:
        msg = f"gradcheck: x must be float64 for finite differences to be accurate, got {x.dtype}"
        raise TypeError(msg)
    if not np.all(np.isfinite(x)):
        msg = "gradcheck: x contains non-finite values (NaN or inf)"
        raise ValueError(msg)
    x = x.copy()

    if isinstance(module, Loss):
        if target is None:
            msg = "gradcheck: checking a loss needs a target"
            raise ValueError(msg)
        module.forward(x, target)
        analytic = module.backward()
        return relative_error(analytic, numerical_gradient(lambda: module.forward(x, target), x, eps))

    parameters = module.named_parameters()
    for name, parameter in parameters.items():
        if parameter.value.dtype != np.float64:
            msg = f"gradcheck: parameter {name} of {module!r} must be float64, got {parameter.value.dtype}"
            raise TypeError(msg)

    if loss is not None:
        if target is None:
            msg = "gradcheck: a loss needs a target"
            raise ValueError(msg)
        chosen_loss, chosen_target = loss, target

        def f() -> float:
            return chosen_loss.forward(module.forward(x), chosen_target)

        f()
        grad_out = chosen_loss.backward()
    else:
        weights = as_generator(rng).standard_normal(module.forward(x).shape)

        def f() -> float:
            return float(np.sum(module.forward(x) * weights))

        f()
        grad_out = weights

    module.zero_grad()
    grad_x = module.backward(grad_out)
    analytic_grads = {name: parameter.grad.copy() for name, parameter in parameters.items()}
    errors = [relative_error(grad_x, numerical_gradient(f, x, eps))]
    errors += [
        relative_error(analytic_grads[name], numerical_gradient(f, parameter.value, eps))
        for name, parameter in parameters.items()
    ]
    return max(errors)
