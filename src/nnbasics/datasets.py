"""Small datasets for the course, made on the spot or shipped with the package.

Nothing is downloaded. Every function returns a :class:`Dataset`, which
unpacks like a tuple: ``X, y = spirals(100, 3, rng=0)``. What is drawn at random
comes from ``rng``, a seed or a :class:`numpy.random.Generator`, as for the layers: the
same seed gives the same data. Labels are integer
classes of shape ``(n,)``; for :class:`~nnbasics.losses.BCELoss`, whose
prediction has shape ``(n, 1)``, use ``y.reshape(-1, 1)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import numpy as np

from nnbasics._typing import Array, RandomLike, as_generator

__all__ = [
    "EXAM_THRESHOLD",
    "EXAM_WEIGHTS",
    "Dataset",
    "digits",
    "exam",
    "moons",
    "on_canvas",
    "spirals",
    "standardize",
    "train_test_split",
    "xor",
]


@dataclass(frozen=True)
class Dataset:
    """Inputs, labels and what they mean. Unpacks as ``X, y``."""

    X: Array
    """Inputs, shape ``(n, features)``, float64."""
    y: Array
    """Labels, shape ``(n,)``, int64."""
    feature_names: tuple[str, ...]
    """What each column of :attr:`X` is."""
    target_names: tuple[str, ...]
    """The meaning of each label value, ``target_names[k]`` for label ``k``."""
    description: str
    """Where the data comes from and how it was made."""
    images: Array | None = None
    """For image data, :attr:`X` as images of shape ``(n, height, width)``."""

    def __iter__(self) -> Iterator[Array]:
        yield self.X
        yield self.y

    def __len__(self) -> int:
        return len(self.X)


EXAM_WEIGHTS = {"hours studied": 1.0, "how smart": 0.6, "previous knowledge": 0.8, "name": 0.0}
"""The true influence of each exam feature on the score; the name has none."""
EXAM_THRESHOLD = 12.0
"""A student passes when the weighted score (plus a little noise) exceeds this."""


def exam(n: int = 200, *, rng: RandomLike) -> Dataset:
    r"""The lesson notes' example: will a student pass the exam.

    Four features per student, each on a 0-10 scale:

    0. hours studied,
    1. how smart the student is,
    2. previous knowledge of the subject,
    3. the student's name, turned into a number: the place of its first
       letter in the alphabet (A = 0 ... Z = 10).

    The label is 1 (pass) when
    :math:`1.0\,x_\text{hours} + 0.6\,x_\text{smart} + 0.8\,x_\text{knowledge} + \varepsilon > 12`,
    with noise :math:`\varepsilon \sim \mathcal N(0, 0.3^2)`, else 0 (fail). The
    name is not in the formula, so a trained model should give it a weight
    near zero. About half of the students pass.

    Returns ``X`` of shape ``(n, 4)`` and ``y`` of shape ``(n,)``.
    """
    if n < 1:
        msg = f"exam: n must be >= 1, got {n}"
        raise ValueError(msg)
    rng = as_generator(rng)
    hours, smart, knowledge = rng.uniform(0.0, 10.0, size=(3, n))
    first_letter = rng.integers(0, 26, size=n)
    name = first_letter / 25.0 * 10.0
    score = (
        EXAM_WEIGHTS["hours studied"] * hours
        + EXAM_WEIGHTS["how smart"] * smart
        + EXAM_WEIGHTS["previous knowledge"] * knowledge
        + rng.normal(0.0, 0.3, size=n)
    )
    return Dataset(
        X=np.column_stack([hours, smart, knowledge, name]),
        y=(score > EXAM_THRESHOLD).astype(np.int64),
        feature_names=tuple(EXAM_WEIGHTS),
        target_names=("fail", "pass"),
        description="Synthetic exam results; the name carries no signal.",
    )


def xor() -> Dataset:
    """The four points of exclusive or: the label is 1 when exactly one input is 1.

    No straight line separates the classes, so a network needs a hidden layer.
    Returns ``X`` of shape ``(4, 2)`` and ``y`` of shape ``(4,)``.
    """
    return Dataset(
        X=np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
        y=np.array([0, 1, 1, 0], dtype=np.int64),
        feature_names=("a", "b"),
        target_names=("0", "1"),
        description="Exclusive or of two bits.",
    )


def spirals(n_per_class: int = 100, n_classes: int = 3, *, rng: RandomLike) -> Dataset:
    r"""Interleaved spiral arms, one per class: the cs231n case study.

    Point :math:`i` of class :math:`k` has radius :math:`r_i` evenly spaced in
    :math:`[0, 1]` and angle :math:`\theta_i` evenly spaced in
    :math:`[4k, 4k+4]` plus noise :math:`\mathcal N(0, 0.2^2)`; its position
    is :math:`(r_i \sin\theta_i, r_i \cos\theta_i)`. A linear classifier gets
    about half of them right; a small network with one hidden layer nearly all.

    Returns ``X`` of shape ``(n_per_class * n_classes, 2)`` and ``y`` of shape
    ``(n_per_class * n_classes,)``.
    """
    if n_per_class < 1 or n_classes < 1:
        msg = f"spirals: n_per_class and n_classes must be >= 1, got {n_per_class}, {n_classes}"
        raise ValueError(msg)
    rng = as_generator(rng)
    radius = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    label = np.repeat(np.arange(n_classes), n_per_class)
    start = np.tile(np.linspace(0.0, 4.0, n_per_class), n_classes) + 4.0 * label
    angle = start + rng.normal(0.0, 0.2, size=n_per_class * n_classes)
    return Dataset(
        X=np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]),
        y=label.astype(np.int64),
        feature_names=("x1", "x2"),
        target_names=tuple(f"arm {k}" for k in range(n_classes)),
        description="Spiral arms as in Stanford's cs231n notes.",
    )


def moons(n: int = 200, *, noise: float = 0.1, rng: RandomLike) -> Dataset:
    r"""Two interleaving half circles ("two moons"), one per class.

    Class 0 lies on :math:`(\cos t, \sin t)`, class 1 on
    :math:`(1 - \cos t, \tfrac12 - \sin t)` for :math:`t \in [0, \pi]`, plus
    Gaussian noise of standard deviation ``noise``. Returns ``X`` of shape
    ``(n, 2)`` and ``y`` of shape ``(n,)``.
    """
    if n < 2:
        msg = f"moons: n must be >= 2, got {n}"
        raise ValueError(msg)
    rng = as_generator(rng)
    n_upper = n // 2
    n_lower = n - n_upper
    t_upper = np.linspace(0.0, math.pi, n_upper)
    t_lower = np.linspace(0.0, math.pi, n_lower)
    X = np.concatenate(
        [
            np.column_stack([np.cos(t_upper), np.sin(t_upper)]),
            np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)]),
        ]
    )
    X += rng.normal(0.0, noise, size=X.shape)
    y = np.concatenate([np.zeros(n_upper, dtype=np.int64), np.ones(n_lower, dtype=np.int64)])
    order = rng.permutation(n)
    return Dataset(
        X=X[order],
        y=y[order],
        feature_names=("x1", "x2"),
        target_names=("upper moon", "lower moon"),
        description="Two interleaving half circles with Gaussian noise.",
    )


def digits() -> Dataset:
    """The 1,797 real 8x8 handwritten digits (0-9) of the UCI collection.

    ``X`` has shape ``(1797, 64)``: each image flattened row by row, pixels
    scaled from 0-16 to 0-1. ``images`` holds the same numbers with shape
    ``(1797, 8, 8)``; ``y`` the digits, shape ``(1797,)``. About 180 of each.

    The data is the copy scikit-learn ships (E. Alpaydin and C. Kaynak,
    "Optical Recognition of Handwritten Digits", UCI Machine Learning
    Repository, 1998, CC BY 4.0), stored in this package.
    """
    source = resources.files("nnbasics").joinpath("data/digits.npz")
    with source.open("rb") as file, np.load(file, allow_pickle=False) as data:
        images = data["images"].astype(np.float64) / 16.0
        labels = data["labels"].astype(np.int64)
    return Dataset(
        X=images.reshape(len(images), -1),
        y=labels,
        feature_names=tuple(f"pixel ({row}, {col})" for row in range(8) for col in range(8)),
        target_names=tuple(str(d) for d in range(10)),
        description="UCI optical recognition of handwritten digits, 8x8, as shipped by scikit-learn.",
        images=images,
    )


def on_canvas(images: Array, size: int = 12, *, rng: RandomLike) -> Array:
    """Put each image at a random position on a blank ``size`` by ``size`` canvas.

    ``images`` has shape ``(n, height, width)``; the result has shape ``(n, size, size)``,
    zero (no ink) around each image. Every position that fits is equally likely. On a
    12 by 12 canvas an 8 by 8 digit can move by up to 4 pixels each way: the same digit,
    at 25 different places, so a model has to recognise it wherever it is.
    """
    n, height, width = images.shape
    if size < max(height, width):
        msg = f"on_canvas: a canvas of {size} by {size} cannot hold images of {height} by {width}"
        raise ValueError(msg)
    rng = as_generator(rng)
    rows = rng.integers(0, size - height + 1, size=n)
    cols = rng.integers(0, size - width + 1, size=n)
    canvas = np.zeros((n, size, size), dtype=images.dtype)
    for index, (row, col) in enumerate(zip(rows, cols, strict=True)):
        canvas[index, row : row + height, col : col + width] = images[index]
    return canvas


def train_test_split(
    X: Array, y: Array, *, test_size: float = 0.25, rng: RandomLike
) -> tuple[Array, Array, Array, Array]:
    """Shuffle and split into ``X_train, X_test, y_train, y_test``.

    ``test_size`` is the fraction of examples held out for testing (rounded
    up), as in scikit-learn.
    """
    if len(X) != len(y):
        msg = f"train_test_split: X has {len(X)} samples but y has {len(y)}"
        raise ValueError(msg)
    if not 0.0 < test_size < 1.0:
        msg = f"train_test_split: test_size must be between 0 and 1, got {test_size}"
        raise ValueError(msg)
    n_test = math.ceil(test_size * len(X))
    order = as_generator(rng).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def standardize(X_train: Array, *others: Array) -> tuple[Array, ...]:
    r"""Scale every feature to mean 0 and standard deviation 1, using the training data's statistics.

    :math:`x' = (x - \mu) / \sigma` with :math:`\mu, \sigma` of ``X_train``
    (a constant feature keeps :math:`\sigma = 1`). The same shift and scale
    are applied to ``others`` (validation, test), which must not leak into
    :math:`\mu` and :math:`\sigma`. Returns the scaled arrays in the order given.
    """
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return tuple((X - mean) / std for X in (X_train, *others))
