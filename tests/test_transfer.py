"""The transfer-learning experiment shared by the chapter and the gallery (nnbasics.transfer)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnbasics import transfer


def test_shifted_digits_split_the_classes_and_sit_on_a_canvas() -> None:
    X_a, X_a_test, y_a, y_a_test, X_b, y_b = transfer.shifted_digits()
    assert X_a.shape[1:] == X_a_test.shape[1:] == X_b.shape[1:] == (1, 12, 12)
    assert set(np.unique(y_a)) == set(np.unique(y_a_test)) == set(np.unique(y_b)) == {0, 1, 2, 3, 4}
    assert len(X_a) + len(X_a_test) + len(X_b) == 1797  # every digit once
    assert transfer.two_blocks(seed=0)(X_b[:3]).shape == (3, 128)


def test_features_of_many_images_are_those_of_each_image() -> None:
    """300 images go through in batches of transfer.BATCH: the same as one image at a time."""
    X = transfer.shifted_digits()[4][:300]
    blocks = transfer.two_blocks(seed=3)
    features = transfer.features_of(blocks, X)
    assert features.shape == (300, 128)
    one_at_a_time = np.concatenate([blocks(X[i : i + 1]) for i in range(0, 300, 37)])
    np.testing.assert_allclose(features[::37], one_at_a_time, rtol=1e-12, atol=1e-12)


def test_few_labels_takes_the_same_number_of_each_class() -> None:
    y = np.repeat(np.arange(5), 20)
    chosen, rest = transfer.few_labels(y, 3, seed=0)
    assert np.array_equal(np.bincount(y[chosen]), [3] * 5)
    assert np.array_equal(np.sort(np.concatenate([chosen, rest])), np.arange(100))
    assert np.array_equal(chosen, transfer.few_labels(y, 3, seed=0)[0])  # the same draw again


def test_shifted_experiment_is_computed_once_with_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With $NNBASICS_CACHE, the second call reads the first call's file; new arguments, new file."""
    monkeypatch.setenv("NNBASICS_CACHE", str(tmp_path))
    first = transfer.shifted_experiment(sizes=(1,), draws=1)
    (file,) = tmp_path.glob("shifted_experiment-*.npz")
    assert set(first) == {*transfer.METHODS, "pretraining accuracy"}
    assert all(first[name].shape == (1, 1) for name in transfer.METHODS)
    assert 0.9 < first["pretraining accuracy"] < 1  # pretraining on the shifted 0-4 works

    # What the file holds is what the next call returns: nothing is computed again.
    stored = {**first, "from scratch": np.array([[0.123]])}
    np.savez(file, **stored)  # type: ignore[arg-type]  # the stubs read **stored as allow_pickle
    again = transfer.shifted_experiment(sizes=(1,), draws=1)
    assert again["from scratch"][0, 0] == 0.123

    transfer.shifted_experiment(sizes=(2,), draws=1)
    assert len(list(tmp_path.glob("shifted_experiment-*.npz"))) == 2


def test_shifted_experiment_writes_nothing_without_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NNBASICS_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    result = transfer.shifted_experiment(sizes=(1,), draws=1)
    assert list(tmp_path.iterdir()) == []
    assert result["pretrained, frozen"].shape == (1, 1)
