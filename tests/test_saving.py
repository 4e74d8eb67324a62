"""``save_weights`` / ``load_weights``: plain ``.npz`` files keyed like a PyTorch state_dict."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from nnbasics import Sequential, load_weights, save_weights
from nnbasics.activations import ReLU, Tanh
from nnbasics.layers import Dense, Dropout


def model(seed: int, *, dtype: type = np.float64) -> Sequential:
    return Sequential(
        Dense(3, 5, rng=seed, init="pytorch", dtype=dtype),
        ReLU(),
        Dropout(0.1),
        Dense(5, 2, rng=seed + 1, init="pytorch", dtype=dtype),
    )


def test_round_trip(tmp_path: Path, rng: np.random.Generator) -> None:
    path = tmp_path / "weights.npz"
    source, target = model(0), model(10)
    save_weights(source, path)
    x = rng.standard_normal((4, 3))
    assert not np.allclose(source.eval().forward(x), target.eval().forward(x))
    load_weights(target, path)
    for name, parameter in source.named_parameters().items():
        np.testing.assert_array_equal(target.named_parameters()[name].value, parameter.value)
    np.testing.assert_array_equal(target.forward(x), source.forward(x))


def test_loading_copies_in_place(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    source, target = model(0), model(1)
    save_weights(source, str(path))  # a str path works as well as a Path
    weight = target.named_parameters()["0.weight"].value
    load_weights(target, str(path))
    assert (
        target.named_parameters()["0.weight"].value is weight
    )  # optimisers holding the array see the new values
    source.named_parameters()["0.weight"].value += 1.0
    assert not np.array_equal(
        target.named_parameters()["0.weight"].value, source.named_parameters()["0.weight"].value
    )  # no shared memory


def test_file_is_a_plain_npz_with_state_dict_keys(tmp_path: Path) -> None:
    path = tmp_path / "weights.npz"
    source = model(0)
    save_weights(source, path)
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == sorted(["0.weight", "0.bias", "3.weight", "3.bias"])
        for name, parameter in source.named_parameters().items():
            assert data[name].dtype == np.float64
            np.testing.assert_array_equal(data[name], parameter.value)


def test_loading_converts_to_the_model_dtype(tmp_path: Path) -> None:
    path = tmp_path / "weights.npz"
    source = model(0)
    save_weights(source, path)
    target = model(1, dtype=np.float32)
    load_weights(target, path)
    for name, parameter in target.named_parameters().items():
        assert parameter.value.dtype == np.float32
        np.testing.assert_allclose(parameter.value, source.named_parameters()[name].value, rtol=1e-7)


def test_missing_and_unexpected_parameters(tmp_path: Path) -> None:
    path = tmp_path / "weights.npz"
    save_weights(model(0), path)
    other = Sequential(Dense(3, 5), Tanh(), Dense(5, 2))  # the second Dense is layer 2, not 3
    message = (
        f"load_weights: {str(path)!r} does not fit this model: "
        "missing ['2.bias', '2.weight'], unexpected ['3.bias', '3.weight']"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        load_weights(other, path)


def test_shape_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "weights.npz"
    save_weights(model(0), path)
    wider = Sequential(Dense(3, 6), ReLU(), Dropout(0.1), Dense(6, 2))
    before = wider.named_parameters()["0.weight"].value.copy()
    message = f"load_weights: parameter '0.weight' has shape (6, 3) in the model but (5, 3) in {str(path)!r}"
    with pytest.raises(ValueError, match=re.escape(message)):
        load_weights(wider, path)
    np.testing.assert_array_equal(wider.named_parameters()["0.weight"].value, before)


def test_a_failed_load_leaves_the_model_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "weights.npz"
    save_weights(model(0), path)
    # The first layer fits, the last does not: nothing may be loaded, not even the first layer.
    other = Sequential(Dense(3, 5, rng=5), ReLU(), Dropout(0.1), Dense(5, 4, rng=6))
    before = {name: p.value.copy() for name, p in other.named_parameters().items()}
    with pytest.raises(
        ValueError, match=re.escape("parameter '3.weight' has shape (4, 5) in the model but (2, 5)")
    ):
        load_weights(other, path)
    for name, parameter in other.named_parameters().items():
        np.testing.assert_array_equal(parameter.value, before[name], err_msg=name)
