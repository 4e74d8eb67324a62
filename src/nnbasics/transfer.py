"""The course's transfer-learning experiment: pretrain on the digits 0-4, learn 5-9 from few labels.

The chapter "Transfer learning and visualisation" and the gallery example
``plot_transfer_learning.py`` show the same experiment; both take it from here:

1. :func:`shifted_digits`: each 8 × 8 digit at a random place on a 12 × 12 canvas; the
   digits 0 to 4 for pretraining, 5 to 9 for the new task (labels 0-4 stand for 5-9).
2. :func:`pretrain`: :func:`two_blocks` of convolution, ReLU and max pooling (128 features
   out), trained with a dense head of 5 outputs on the shifted digits 0 to 4.
3. :func:`compare`: on the digits 5 to 9, from a few labelled examples per class, three ways
   to train the same architecture (:data:`METHODS`): the pretrained feature layers frozen with
   a new head; the whole network from scratch; random feature layers frozen with a new head.
   Each gets 100 full-batch gradient steps on the same examples and is tested on all the
   other images; every number of labels is repeated for several random draws, the same
   draws for the three methods.

Frozen feature layers never change, so their output for an image never changes either: the
features of every image are computed once, and the frozen heads train on those, which gives
the same model much faster.

:func:`shifted_experiment` runs steps 1-3 with fixed seeds. Its result can be kept on disk
(see :func:`shifted_experiment`), so that a build of the course computes it once for the
chapter and the gallery together.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from nnbasics._typing import Array
from nnbasics.activations import ReLU
from nnbasics.datasets import digits, on_canvas, train_test_split
from nnbasics.layers import Conv2D, Dense, Flatten, Layer, MaxPool2D, Parameter
from nnbasics.losses import CrossEntropyLoss
from nnbasics.model import Sequential
from nnbasics.optim import SGD
from nnbasics.training import evaluate, fit, forward_in_batches

__all__ = [
    "BATCH",
    "METHODS",
    "compare",
    "features_of",
    "few_labels",
    "pretrain",
    "shifted_digits",
    "shifted_experiment",
    "two_blocks",
]

METHODS = ("pretrained, frozen", "from scratch", "random, frozen")
"""The three ways to learn the new task, in the order of the results."""

BATCH = 128
"""How many images a network sees at a time when it only looks at them, to measure its test
accuracy or to compute frozen features. On this experiment's 900 images, 128 at a time takes
about a third less time than all at once, whose copies of every image's patches no longer fit
in the processor's cache; the numbers are the same."""


def shifted_digits() -> tuple[Array, Array, Array, Array, Array, Array]:
    """The digits on a 12 × 12 canvas: ``X_a, X_a_test, y_a, y_a_test`` (0-4) and ``X_b, y_b`` (5-9).

    Images have shape ``(n, 1, 12, 12)``: one channel, as :class:`~nnbasics.layers.Conv2D`
    expects. ``y_b`` holds 0-4 for the digits 5-9.
    """
    data = digits()
    images = data.X.reshape(-1, 8, 8)  # the same numbers as data.images
    first_five, last_five = data.y < 5, data.y >= 5
    X_a, X_a_test, y_a, y_a_test = train_test_split(
        on_canvas(images[first_five], rng=0)[:, None], data.y[first_five], rng=0
    )
    X_b = on_canvas(images[last_five], rng=1)[:, None]
    return X_a, X_a_test, y_a, y_a_test, X_b, data.y[last_five] - 5


def two_blocks(seed: int) -> Sequential:
    """Two convolution blocks: 12 × 12 canvas in, 32 × 2 × 2 = 128 features out.

    16 kernels of 3 × 3, ReLU, 2 × 2 max pooling (12 × 12 to 6 × 6), then 32 kernels of
    3 × 3, ReLU, 3 × 3 max pooling (6 × 6 to 2 × 2), flattened.
    """
    rng = np.random.default_rng(seed)
    return Sequential(
        Conv2D(1, 16, 3, padding=1, rng=rng),
        ReLU(),
        MaxPool2D(2),
        Conv2D(16, 32, 3, padding=1, rng=rng),
        ReLU(),
        MaxPool2D(3),
        Flatten(),
    )


def pretrain(seed: int) -> tuple[Sequential, float]:
    """:func:`two_blocks` trained with a head of 5 on the shifted 0-4 (10 epochs); their test accuracy."""
    X_a, X_a_test, y_a, y_a_test, _, _ = shifted_digits()
    blocks = two_blocks(seed)
    model = Sequential(blocks, Dense(128, 5, rng=seed + 1))
    optimizer = SGD(model.parameters(), lr=0.02, momentum=0.9)
    fit(model, CrossEntropyLoss(), optimizer, X_a, y_a, epochs=10, batch_size=32, rng=seed, verbose=False)
    return blocks, accuracy(model, X_a_test, y_a_test)


def accuracy(model: Layer, X: Array, y: Array) -> float:
    """The fraction of ``X`` whose most likely class is ``y`` (the model sees 128 images at a time)."""
    _, correct = evaluate(model, CrossEntropyLoss(), X, y, batch_size=BATCH)
    return float("nan") if correct is None else correct  # None only for regression losses


def features_of(blocks: Layer, X: Array) -> Array:
    """The output of ``blocks`` for every image of ``X``, :data:`BATCH` images at a time."""
    return forward_in_batches(blocks, X, BATCH)


def few_labels(y: Array, per_class: int, seed: int) -> tuple[Array, Array]:
    """Indices of ``per_class`` random examples of each class of ``y``, and of all the others."""
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    chosen = np.concatenate([rng.choice(np.flatnonzero(y == c), per_class, replace=False) for c in classes])
    return chosen, np.setdiff1d(np.arange(len(y)), chosen)


def train_and_test(
    model: Layer, trained: list[Parameter], inputs: Array, y: Array, *, per_class: int, seed: int, lr: float
) -> float:
    """Train ``trained`` (100 full-batch steps) on ``per_class`` examples per class; accuracy on the rest."""
    chosen, rest = few_labels(y, per_class, seed)
    optimizer = SGD(trained, lr=lr, momentum=0.9)
    fit(
        model,
        CrossEntropyLoss(),
        optimizer,
        inputs[chosen],
        y[chosen],
        epochs=100,
        batch_size=len(chosen),
        rng=seed,
        verbose=False,
    )
    return accuracy(model, inputs[rest], y[rest])


def compare(
    make_features: Callable[[int], Sequential],
    pretrained_codes: Array,
    inputs: Array,
    y: Array,
    *,
    sizes: Sequence[int],
    draws: int,
    scratch_lr: float,
) -> dict[str, Array]:
    """Test accuracies of the three :data:`METHODS`, each of shape ``(len(sizes), draws)``.

    ``pretrained_codes`` are the frozen pretrained features of ``inputs``; ``make_features(seed)``
    makes new, random feature layers. Draw ``d`` picks the labelled examples with seed ``d``,
    the heads start from seed ``100 + d`` and the random feature layers from ``200 + d``. The
    heads learn with a learning rate of 0.05, training from scratch with ``scratch_lr``.
    """
    classes = len(np.unique(y))
    results = {name: np.zeros((len(sizes), draws)) for name in METHODS}
    for d in range(draws):
        random_codes = features_of(make_features(200 + d), inputs)  # untrained feature layers, frozen
        n = random_codes.shape[1]
        for s, per_class in enumerate(sizes):
            head = Dense(n, classes, rng=100 + d)
            results[METHODS[0]][s, d] = train_and_test(
                head, head.parameters(), pretrained_codes, y, per_class=per_class, seed=d, lr=0.05
            )
            scratch = Sequential(make_features(200 + d), Dense(n, classes, rng=100 + d))
            results[METHODS[1]][s, d] = train_and_test(
                scratch, scratch.parameters(), inputs, y, per_class=per_class, seed=d, lr=scratch_lr
            )
            head = Dense(n, classes, rng=100 + d)
            results[METHODS[2]][s, d] = train_and_test(
                head, head.parameters(), random_codes, y, per_class=per_class, seed=d, lr=0.05
            )
    return results


def shifted_experiment(sizes: Sequence[int] = (1, 2, 5, 10), draws: int = 4) -> dict[str, Array]:
    """The whole experiment with fixed seeds: :func:`compare` after :func:`pretrain` with seed 0.

    Returns the accuracies of the three :data:`METHODS`, each of shape ``(len(sizes), draws)``,
    and under ``"pretraining accuracy"`` the pretrained network's test accuracy on the shifted
    digits 0-4. Training from scratch gets a learning rate of 0.1, the best tried for it.

    It takes a few seconds. When the environment variable ``NNBASICS_CACHE`` names a folder
    (the course's build sets it), the result is kept there in an ``.npz`` file, under a name
    made from the arguments and the source code of nnbasics, and read back by the next call:
    the chapter and the gallery example then share one run. Any change to nnbasics' code
    gives a new name, so a stale result is never read.
    """
    folder = os.environ.get("NNBASICS_CACHE")
    file = None
    if folder:
        source = b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.rglob("*.py")))
        key = hashlib.sha256(source + repr((tuple(sizes), draws)).encode()).hexdigest()[:16]
        file = Path(folder) / f"shifted_experiment-{key}.npz"
        if file.is_file():
            with np.load(file) as stored:
                return {name: stored[name] for name in stored.files}
    _, _, _, _, X_b, y_b = shifted_digits()
    features, accuracy = pretrain(seed=0)
    results = compare(
        two_blocks, features_of(features, X_b), X_b, y_b, sizes=sizes, draws=draws, scratch_lr=0.1
    )
    results["pretraining accuracy"] = np.array(accuracy)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_suffix(".partial.npz")
        np.savez(partial, **cast("dict[str, Any]", results))
        partial.replace(file)  # whole or not at all, even with two builds at once
    return results
