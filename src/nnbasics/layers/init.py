r"""How a layer's first weights are drawn: ``nnbasics.layers.init``, a table of functions.

As in :mod:`torch.nn.init`, each scheme is one function. Each takes the weight's
``shape``, its fans (``fan_in`` and ``fan_out``: how many inputs and outputs each weight
connects; for a convolution, channels times kernel size) and a generator, and returns
the weight and its bias (of length ``shape[0]``). :data:`INITS` names them: its keys are
what ``Dense(..., init="he")`` accepts.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nnbasics._typing import Array

__all__ = ["INITS", "Initialiser", "he", "init_weight", "pytorch", "xavier", "zeros"]

Initialiser = Callable[..., tuple[Array, Array]]
"""``init(shape, *, fan_in, fan_out, rng) -> (weight, bias)``."""


def he(shape: tuple[int, ...], *, fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[Array, Array]:
    r"""Normal, :math:`\sigma = \sqrt{2/n_\text{in}}`, bias 0: for ReLU (He et al., 2015)."""
    return rng.normal(0.0, math.sqrt(2.0 / fan_in), size=shape), np.zeros(shape[0])


def xavier(
    shape: tuple[int, ...], *, fan_in: int, fan_out: int, rng: np.random.Generator
) -> tuple[Array, Array]:
    r"""Uniform in :math:`\pm\sqrt{6/(n_\text{in}+n_\text{out})}`, bias 0: for sigmoid and tanh (Glorot and Bengio, 2010)."""
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape), np.zeros(shape[0])


def pytorch(
    shape: tuple[int, ...], *, fan_in: int, fan_out: int, rng: np.random.Generator
) -> tuple[Array, Array]:
    r"""Weight and bias uniform in :math:`\pm 1/\sqrt{n_\text{in}}`: the default of :class:`torch.nn.Linear`."""
    k = 1.0 / math.sqrt(fan_in)
    weight = rng.uniform(-k, k, size=shape)
    return weight, rng.uniform(-k, k, size=shape[0])


def zeros(
    shape: tuple[int, ...], *, fan_in: int, fan_out: int, rng: np.random.Generator
) -> tuple[Array, Array]:
    """All zeros; only for demonstrations: every neuron stays identical."""
    return np.zeros(shape), np.zeros(shape[0])


INITS: dict[str, Initialiser] = {"he": he, "xavier": xavier, "pytorch": pytorch, "zeros": zeros}
"""Every initialisation scheme by the name that the layers accept."""


def init_weight(
    shape: tuple[int, ...], *, fan_in: int, fan_out: int, init: str, rng: np.random.Generator, where: str
) -> tuple[Array, Array]:
    """Draw a weight array of ``shape`` and its bias with the scheme named ``init`` in :data:`INITS`.

    An unknown name is an error naming ``where`` (the layer) and the known names.
    """
    if init not in INITS:
        msg = f"{where}: unknown init {init!r}; choose one of {sorted(INITS)}"
        raise ValueError(msg)
    return INITS[init](shape, fan_in=fan_in, fan_out=fan_out, rng=rng)
