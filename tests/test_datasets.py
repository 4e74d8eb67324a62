"""The datasets: shapes, dtypes, determinism, and the properties the course relies on."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnbasics.datasets import (
    EXAM_THRESHOLD,
    EXAM_WEIGHTS,
    Dataset,
    digits,
    exam,
    moons,
    on_canvas,
    spirals,
    standardize,
    train_test_split,
    xor,
)


def assert_well_formed(data: Dataset, n: int, features: int, classes: int) -> None:
    assert data.X.shape == (n, features)
    assert data.y.shape == (n,)
    assert data.X.dtype == np.float64
    assert data.y.dtype == np.int64
    assert len(data) == n
    assert len(data.feature_names) == features
    assert len(data.target_names) == classes
    assert set(np.unique(data.y)) <= set(range(classes))
    assert data.description
    X, y = data  # unpacks like a tuple
    assert X is data.X
    assert y is data.y


def test_exam() -> None:
    data = exam(200, rng=0)
    assert_well_formed(data, 200, 4, 2)
    assert data.feature_names == ("hours studied", "how smart", "previous knowledge", "name")
    assert data.target_names == ("fail", "pass")
    assert np.all((data.X >= 0) & (data.X <= 10))
    letters = data.X[:, 3] / 10 * 25  # the name column is the first letter's place, scaled to 0-10
    np.testing.assert_allclose(letters, np.round(letters), atol=1e-12)  # atol: whole numbers
    assert data.images is None


def test_exam_labels_follow_the_formula() -> None:
    X, y = exam(2000, rng=1)
    weights = np.array(
        [EXAM_WEIGHTS[name] for name in ("hours studied", "how smart", "previous knowledge", "name")]
    )
    noiseless = (X @ weights > EXAM_THRESHOLD).astype(np.int64)
    agreement = np.mean(noiseless == y)
    assert agreement > 0.95, f"only {agreement:.1%} of labels follow the formula without noise"
    assert EXAM_WEIGHTS["name"] == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exam_pass_rate_is_balanced(seed: int) -> None:
    rate = np.mean(exam(1000, rng=seed).y)
    assert 0.4 < rate < 0.6, f"pass rate {rate:.1%} for seed {seed}"


def test_xor() -> None:
    data = xor()
    assert_well_formed(data, 4, 2, 2)
    np.testing.assert_array_equal(data.y, np.logical_xor(data.X[:, 0], data.X[:, 1]))


def test_spirals() -> None:
    data = spirals(100, 3, rng=0)
    assert_well_formed(data, 300, 2, 3)
    np.testing.assert_array_equal(np.bincount(data.y), [100, 100, 100])
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    np.testing.assert_allclose(radius, np.tile(np.linspace(0, 1, 100), 3), atol=1e-15)  # atol: radius 0
    assert spirals(7, 5, rng=0).X.shape == (35, 2)


def test_moons() -> None:
    data = moons(201, rng=0)
    assert_well_formed(data, 201, 2, 2)
    np.testing.assert_array_equal(np.bincount(data.y), [100, 101])
    exact = moons(50, noise=0.0, rng=0)
    upper, lower = exact.X[exact.y == 0], exact.X[exact.y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, rtol=1e-12)


def test_digits() -> None:
    data = digits()
    assert_well_formed(data, 1797, 64, 10)
    assert data.X.min() == 0.0
    assert data.X.max() == 1.0
    np.testing.assert_array_equal(data.X * 16, np.round(data.X * 16))  # pixels were 0..16
    counts = np.bincount(data.y, minlength=10)
    assert counts.sum() == 1797
    assert counts.min() >= 170, f"digit counts {counts}"
    assert data.images is not None
    assert data.images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(data.images.reshape(1797, 64), data.X)
    assert data.feature_names[9] == "pixel (1, 1)"
    assert data.target_names == tuple("0123456789")


@pytest.mark.parametrize(
    "make", [lambda s: exam(50, rng=s), lambda s: spirals(20, 3, rng=s), lambda s: moons(40, rng=s)]
)
def test_seeded_datasets_are_deterministic(make) -> None:
    first, again, other = make(3), make(3), make(4)
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.y, again.y)
    assert not np.array_equal(first.X, other.X)


def test_digits_is_the_same_every_time() -> None:
    np.testing.assert_array_equal(digits().X, digits().X)


@pytest.mark.parametrize(("n", "test_size", "n_test"), [(100, 0.25, 25), (10, 0.25, 3), (1797, 0.2, 360)])
def test_train_test_split_sizes_and_no_overlap(n: int, test_size: float, n_test: int) -> None:
    X = np.arange(n, dtype=np.float64).reshape(-1, 1) * np.ones((1, 3))
    y = np.arange(n)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, rng=0)
    assert n_test == math.ceil(test_size * n)
    assert (len(X_test), len(y_test), len(X_train), len(y_train)) == (n_test, n_test, n - n_test, n - n_test)
    assert set(y_train).isdisjoint(y_test)
    assert set(y_train) | set(y_test) == set(range(n))
    np.testing.assert_array_equal(X_train[:, 0], y_train)  # rows stay with their labels
    np.testing.assert_array_equal(X_test[:, 0], y_test)
    assert not np.array_equal(y_train, np.sort(y_train))  # shuffled


def test_train_test_split_is_seeded() -> None:
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20)
    first, again, other = (train_test_split(X, y, rng=s) for s in (5, 5, 6))
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[3], other[3])


def test_standardize(rng: np.random.Generator) -> None:
    X_train = rng.normal(5.0, 3.0, size=(50, 3))
    X_train[:, 2] = 7.0  # a constant feature
    X_test = rng.normal(5.0, 3.0, size=(20, 3))
    with np.errstate(all="raise"):
        train, test = standardize(X_train, X_test)
    np.testing.assert_allclose(train[:, :2].mean(axis=0), 0.0, atol=1e-14)  # atol: the target is 0
    np.testing.assert_allclose(train[:, :2].std(axis=0), 1.0, rtol=1e-14)
    np.testing.assert_array_equal(train[:, 2], 0.0)  # shifted, not divided by zero
    mean, std = X_train[:, :2].mean(axis=0), X_train[:, :2].std(axis=0)
    np.testing.assert_allclose(test[:, :2], (X_test[:, :2] - mean) / std, rtol=1e-14)  # training statistics
    assert abs(test[:, 0].mean()) > 1e-3  # the test set is not standardised on its own
    assert len(standardize(X_train)) == 1


def test_on_canvas_moves_each_image_without_changing_it() -> None:
    all_images = digits().images
    assert all_images is not None
    images = all_images[:200]
    canvas = on_canvas(images, 12, rng=0)
    assert canvas.shape == (200, 12, 12)
    np.testing.assert_allclose(canvas.sum(axis=(1, 2)), images.sum(axis=(1, 2)))  # no ink lost
    places = set()
    for original, placed in zip(images, canvas, strict=True):
        # the 8 x 8 window that holds the image: exactly one position matches
        matches = [
            (row, col)
            for row in range(5)
            for col in range(5)
            if np.array_equal(placed[row : row + 8, col : col + 8], original)
            and placed.sum() == original.sum()
        ]
        assert matches
        places.add(matches[0])
    assert len(places) == 25  # every one of the 5 x 5 positions is used
    np.testing.assert_array_equal(on_canvas(images, 12, rng=0), canvas)  # seeded
    assert not np.array_equal(on_canvas(images, 12, rng=1), canvas)


def test_on_canvas_that_is_too_small() -> None:
    with pytest.raises(ValueError, match="on_canvas: a canvas of 6 by 6 cannot hold images of 8 by 8"):
        on_canvas(np.zeros((2, 8, 8)), 6, rng=0)
