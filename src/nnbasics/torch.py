"""The PyTorch mirror: turn an nnbasics model into the identical ``torch.nn`` model.

PyTorch is imported only when :func:`to_torch` is called, so the rest of
nnbasics needs NumPy alone. Each nnbasics layer has one PyTorch twin with the
same parameter layout, so the weights are copied as they are::

    nnbasics                    torch.nn
    ------------------------    ------------------------
    Dense(i, o)                 Linear(i, o)
    Sigmoid(), Tanh(), ReLU()   Sigmoid(), Tanh(), ReLU()
    Softmax()                   Softmax(dim=-1)
    Dropout(p)                  Dropout(p)
    Flatten()                   Flatten()
    Sequential(...)             Sequential(...)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nnbasics import activations, layers
from nnbasics.model import Sequential

if TYPE_CHECKING:
    import torch

__all__ = ["to_torch"]


def _twin(layer: layers.Layer, nn: Any) -> Any:
    """The empty ``torch.nn`` module that mirrors ``layer`` (weights are copied afterwards)."""
    makers: dict[type, Callable[[Any], Any]] = {
        layers.Dense: lambda d: nn.Linear(d.in_features, d.out_features),
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


def to_torch(model: layers.Layer) -> torch.nn.Module:
    """A ``torch.nn`` module with the same architecture, weights, dtype and mode as ``model``.

    The parameter names match (``"0.weight"`` in both), so
    ``to_torch(model).state_dict()`` holds the same numbers as
    ``model.named_parameters()``. The copy is independent: training one does
    not change the other.
    """
    import torch  # noqa: PLC0415 - imported lazily: the core needs NumPy only

    module = _twin(model, torch.nn)
    named = model.named_parameters()
    dtypes = {parameter.value.dtype for parameter in named.values()}
    if len(dtypes) > 1:
        msg = f"to_torch: the model mixes dtypes {sorted(map(str, dtypes))}; use one"
        raise ValueError(msg)
    if dtypes:
        module = module.to(getattr(torch, dtypes.pop().name))
    state = {name: torch.from_numpy(parameter.value.copy()) for name, parameter in named.items()}
    module.load_state_dict(state, strict=True)
    module.train(model.training)
    return module  # type: ignore[no-any-return]
