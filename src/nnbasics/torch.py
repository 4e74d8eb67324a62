"""The PyTorch mirror: turn an nnbasics model into the identical ``torch.nn`` model.

PyTorch is imported only when :func:`to_torch` is called, so the rest of
nnbasics needs NumPy alone. Each nnbasics layer has one PyTorch twin with the
same parameter layout, so the weights are copied as they are::

    nnbasics                      torch.nn
    --------------------------    -------------------------------------------
    Dense(i, o)                   Linear(i, o)
    Conv2D(c, o, k, stride, pad)  Conv2d(c, o, k, stride, padding)
    MaxPool2D(k), AvgPool2D(k)    MaxPool2d(k), AvgPool2d(k)
    RNN(i, h)                     RNN(i, h, batch_first=True), returning its output only
    LastStep()                    a module returning x[:, -1]
    Sigmoid(), Tanh(), ReLU()     Sigmoid(), Tanh(), ReLU()
    Softmax()                     Softmax(dim=-1)
    Dropout(p), Flatten()         Dropout(p), Flatten()
    Sequential(...)               Sequential(...)

Parameter names match (``"0.weight"`` in both), except that torch calls the
RNN's ``weight_ih`` ``weight_ih_l0`` (layer 0), and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from nnbasics import activations, layers
from nnbasics.model import Sequential

if TYPE_CHECKING:
    import torch

__all__ = ["to_torch", "torch_name"]

_RNN_NAMES = {
    "weight_ih": "weight_ih_l0",
    "weight_hh": "weight_hh_l0",
    "bias_ih": "bias_ih_l0",
    "bias_hh": "bias_hh_l0",
}


@cache
def _extra_modules() -> tuple[type, type]:
    """Two small ``torch.nn`` modules that torch lacks, made once torch is imported."""
    from torch import nn  # noqa: PLC0415 - imported lazily: the core needs NumPy only

    class RNNOutput(nn.RNN):
        """``torch.nn.RNN(batch_first=True)`` that returns all hidden states, like nnbasics' RNN."""

        def forward(self, x: Any) -> Any:  # type: ignore[override]
            return super().forward(x)[0]

    class LastStep(nn.Module):
        """``x[:, -1]``: the last time step."""

        def forward(self, x: Any) -> Any:
            return x[:, -1]

    return RNNOutput, LastStep


def _twin(layer: layers.Layer, nn: Any) -> Any:
    """The ``torch.nn`` module that mirrors ``layer``, with default weights."""
    rnn_output, last_step = _extra_modules()
    makers: dict[type, Callable[[Any], Any]] = {
        layers.Dense: lambda d: nn.Linear(d.in_features, d.out_features),
        layers.Conv2D: lambda c: nn.Conv2d(
            c.in_channels, c.out_channels, c.kernel_size, stride=c.stride, padding=c.padding
        ),
        layers.MaxPool2D: lambda p: nn.MaxPool2d(p.kernel_size, stride=p.stride),
        layers.AvgPool2D: lambda p: nn.AvgPool2d(p.kernel_size, stride=p.stride),
        layers.RNN: lambda r: rnn_output(
            r.input_size, r.hidden_size, nonlinearity=r.nonlinearity, batch_first=True
        ),
        layers.LastStep: lambda _: last_step(),
        layers.Dropout: lambda d: nn.Dropout(d.p),
        layers.Flatten: lambda _: nn.Flatten(),
        activations.Sigmoid: lambda _: nn.Sigmoid(),
        activations.Tanh: lambda _: nn.Tanh(),
        activations.ReLU: lambda _: nn.ReLU(),
        activations.Softmax: lambda _: nn.Softmax(dim=-1),
        Sequential: lambda s: nn.Sequential(*(_twin(child, nn) for child in s.layers)),
    }
    maker = makers.get(type(layer))
    if maker is None:
        msg = f"to_torch: no PyTorch twin for {type(layer).__name__} ({layer!r})"
        raise TypeError(msg)
    return maker(layer)


def torch_name(name: str) -> str:
    """The name PyTorch gives the parameter that nnbasics calls ``name`` (``"0.weight_ih"`` -> ``"0.weight_ih_l0"``)."""
    prefix, _, last = name.rpartition(".")
    renamed = _RNN_NAMES.get(last, last)
    return f"{prefix}.{renamed}" if prefix else renamed


def to_torch(model: layers.Layer) -> torch.nn.Module:
    """A ``torch.nn`` module with the same architecture, weights, dtype and mode as ``model``.

    ``to_torch(model).state_dict()[torch_name(name)]`` holds the same numbers as
    ``model.named_parameters()[name]``. The copy is independent: training one does not
    change the other.
    """
    import torch  # noqa: PLC0415 - imported lazily: the core needs NumPy only

    module = _twin(model, torch.nn)
    named = model.named_parameters()
    dtypes = {parameter.value.dtype for parameter in named.values()}
    if len(dtypes) > 1:
        msg = f"to_torch: the model mixes dtypes {sorted(map(str, dtypes))}; use one"
        raise ValueError(msg)
    dtype = dtypes.pop() if dtypes else np.dtype(np.float64)
    module = module.to(getattr(torch, dtype.name))
    state = {torch_name(name): torch.from_numpy(parameter.value.copy()) for name, parameter in named.items()}
    module.load_state_dict(state, strict=True)
    module.train(model.training)
    return module  # type: ignore[no-any-return]
