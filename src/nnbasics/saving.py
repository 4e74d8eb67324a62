"""Saving and loading a model's weights as a NumPy ``.npz`` file (no pickle)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from nnbasics.layers.base import Layer

__all__ = ["load_weights", "save_weights"]


def save_weights(model: Layer, path: str | os.PathLike[str]) -> None:
    """Write every parameter of ``model`` to ``path`` (``.npz``), keyed by its name.

    The names are those of ``model.named_parameters()``, such as ``"0.weight"``:
    the same keys as the matching PyTorch ``state_dict``. Only arrays are
    written, so loading never runs code (unlike pickle).
    """
    arrays = {name: parameter.value for name, parameter in model.named_parameters().items()}
    with Path(path).open("wb") as file:
        np.savez(file, allow_pickle=False, **arrays)


def load_weights(model: Layer, path: str | os.PathLike[str]) -> None:
    """Copy the weights saved by :func:`save_weights` into ``model``, in place.

    The model must have the same architecture: the same parameter names and
    shapes. Values are converted to each parameter's dtype.
    """
    parameters = model.named_parameters()
    with np.load(path, allow_pickle=False) as data:
        saved = set(data.files)
        missing, unexpected = sorted(set(parameters) - saved), sorted(saved - set(parameters))
        if missing or unexpected:
            msg = (
                f"load_weights: {os.fspath(path)!r} does not fit this model: "
                f"missing {missing}, unexpected {unexpected}"
            )
            raise ValueError(msg)
        values = {name: data[name] for name in parameters}
    for name, parameter in parameters.items():  # check every shape before changing anything
        if values[name].shape != parameter.value.shape:
            msg = (
                f"load_weights: parameter {name!r} has shape {parameter.value.shape} in the model "
                f"but {values[name].shape} in {os.fspath(path)!r}"
            )
            raise ValueError(msg)
    for name, parameter in parameters.items():
        parameter.value[...] = values[name]
