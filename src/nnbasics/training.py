"""The training loop: mini-batches, epochs and a record of how it went."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nnbasics._typing import Array, RandomLike, as_generator
from nnbasics.layers.base import Layer
from nnbasics.losses import Loss
from nnbasics.optim import SGD

__all__ = [
    "EXPLODE_FACTOR",
    "DivergenceError",
    "History",
    "accuracy",
    "evaluate",
    "fit",
    "forward_in_batches",
]

EXPLODE_FACTOR = 1000.0
"""A batch loss this many times the first one (or 1, whichever is larger) counts as exploding."""


class DivergenceError(RuntimeError):
    """Training stopped because the loss became NaN or infinite, or exploded."""


@dataclass
class History:
    """What :func:`fit` measured, one entry per epoch.

    ``loss`` and ``accuracy`` are averages over the epoch's mini-batches, taken
    while training (so with dropout active); ``val_loss`` and
    ``val_accuracy`` are measured on ``validation_data`` in evaluation mode at
    the end of each epoch. The accuracy lists stay empty for a loss where
    accuracy does not apply (:class:`~nnbasics.losses.MSELoss`).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """How many epochs were completed."""
        return len(self.loss)

    def __repr__(self) -> str:
        last = {name: values[-1] for name, values in vars(self).items() if values}
        shown = ", ".join(f"{name}={value:.4g}" for name, value in last.items())
        return f"History(epochs={self.epochs}, last: {shown})"


def accuracy(loss: Loss, pred: Array, target: Array) -> float | None:
    """The fraction of correct predictions, or ``None`` where it does not apply: the loss knows.

    Each loss says what a correct prediction is (:meth:`~nnbasics.losses.Loss.accuracy`):

    - :class:`~nnbasics.losses.CrossEntropyLoss`: the class with the highest
      score is the prediction.
    - :class:`~nnbasics.losses.BCELoss`: a probability above 0.5 means 1.
    - Any other loss (regression): ``None``.
    """
    return loss.accuracy(pred, target)


def _check_data(X: Array, y: Array, name: str) -> None:
    if len(X) != len(y):
        msg = f"fit: {name} has {len(X)} samples in X but {len(y)} in y"
        raise ValueError(msg)
    if len(X) == 0:
        msg = f"fit: {name} is empty"
        raise ValueError(msg)
    for array, label in ((X, "X"), (y, "y")):
        if np.issubdtype(array.dtype, np.number) and not np.all(np.isfinite(array)):
            bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
            msg = f"fit: {name} {label} contains {bad} non-finite values (NaN or inf); remove or replace them"
            raise ValueError(msg)


def _diverged(
    loss_value: float, first_loss: float, epoch: int, batch: int, optimizer: SGD
) -> DivergenceError:
    what = "became " + str(loss_value) if not math.isfinite(loss_value) else f"exploded to {loss_value:.4g}"
    lr = getattr(optimizer, "lr", None)
    hint = (
        f"The learning rate (lr={lr:g}) is probably too large: try a smaller one, such as lr={lr / 10:g}."
        if lr is not None
        else "Try a smaller learning rate."
    )
    return DivergenceError(
        f"Training diverged in epoch {epoch}, batch {batch}: the loss {what} "
        f"(the first batch's loss was {first_loss:.4g}). {hint}"
    )


def fit(
    model: Layer,
    loss: Loss,
    optimizer: SGD,
    X: Array,
    y: Array,
    *,
    epochs: int,
    batch_size: int,
    shuffle: bool = True,
    validation_data: tuple[Array, Array] | None = None,
    rng: RandomLike = None,
    verbose: bool = True,
) -> History:
    """Train ``model`` with mini-batch gradient descent and return its :class:`History`.

    Each epoch visits every training example once, in mini-batches of
    ``batch_size`` (the last batch may be smaller). For every batch::

        optimizer.zero_grad()                          # forget the last batch's gradients
        pred = model.forward(X_batch)                  # forward pass
        value = loss.forward(pred, y_batch)            # how wrong is it?
        model.backward_parameters(loss.backward())     # backpropagation
        optimizer.step()                               # one step downhill

    ``backward_parameters`` is ``backward`` without the gradient of the input
    data, which nothing uses (see :meth:`~nnbasics.layers.Layer.backward_parameters`).

    ``batch_size=len(X)`` is full-batch gradient descent, ``batch_size=1`` is
    pure stochastic gradient descent. When ``fit`` returns, the model is in
    evaluation mode, ready to predict.

    Parameters
    ----------
    model, loss, optimizer:
        What to train, what to minimise, and how to step.
    X, y:
        Training inputs (first axis: examples) and targets.
    epochs:
        Number of passes over the training data.
    batch_size:
        Examples per gradient step.
    shuffle:
        Visit the examples in a new random order each epoch.
    validation_data:
        ``(X_val, y_val)``, evaluated after each epoch in evaluation mode.
    rng:
        The shuffling order's randomness: a seed (the same seed, the same batches)
        or a :class:`numpy.random.Generator`.
    verbose:
        Print a progress line on about ten of the epochs, and the last.

    Raises
    ------
    DivergenceError
        When a batch's loss is NaN or infinite, or grows to more than
        :data:`EXPLODE_FACTOR` times the first batch's; the message suggests a
        smaller learning rate.
    """
    if epochs < 1 or batch_size < 1:
        msg = f"fit: epochs and batch_size must be >= 1, got epochs={epochs}, batch_size={batch_size}"
        raise ValueError(msg)
    _check_data(X, y, "training data")
    if validation_data is not None:
        _check_data(*validation_data, "validation_data")
    rng = as_generator(rng)
    n = len(X)
    history = History()
    first_loss: float | None = None
    report_every = max(1, epochs // 10)

    for epoch in range(1, epochs + 1):
        model.train()
        order = rng.permutation(n) if shuffle else np.arange(n)
        total_loss, total_correct, has_accuracy = 0.0, 0.0, True
        for batch, start in enumerate(range(0, n, batch_size), start=1):
            index = order[start : start + batch_size]
            X_batch, y_batch = X[index], y[index]
            optimizer.zero_grad()
            pred = model.forward(X_batch)
            value = loss.forward(pred, y_batch)
            if first_loss is None:
                first_loss = value
            if not math.isfinite(value) or value > EXPLODE_FACTOR * max(first_loss, 1.0):
                raise _diverged(value, first_loss, epoch, batch, optimizer)
            model.backward_parameters(loss.backward())
            optimizer.step()
            total_loss += value * len(index)
            batch_accuracy = accuracy(loss, pred, y_batch)
            has_accuracy = batch_accuracy is not None
            total_correct += (batch_accuracy or 0.0) * len(index)
        history.loss.append(total_loss / n)
        if has_accuracy:
            history.accuracy.append(total_correct / n)
        if validation_data is not None:
            val_loss, val_accuracy = evaluate(model, loss, *validation_data)
            history.val_loss.append(val_loss)
            if val_accuracy is not None:
                history.val_accuracy.append(val_accuracy)
        if verbose and (epoch % report_every == 0 or epoch in (1, epochs)):
            print(_progress_line(history, epoch, epochs))  # noqa: T201 - the progress display
    model.eval()
    return history


def forward_in_batches(
    model: Layer, X: Array, batch_size: int | None, *, where: str = "forward_in_batches"
) -> Array:
    """``model.forward(X)``, computed ``batch_size`` examples at a time (all at once for ``None``).

    The outputs of the batches are put back together in order, so the result is the same
    as one forward pass over ``X``, with smaller arrays in memory at a time. ``where`` names
    the function to blame in the error for a ``batch_size`` below 1.
    """
    if batch_size is not None and batch_size < 1:
        msg = f"{where}: batch_size must be a positive int or None, got {batch_size!r}"
        raise ValueError(msg)
    if batch_size is None or len(X) <= batch_size:
        return model.forward(X)
    batches = [model.forward(X[start : start + batch_size]) for start in range(0, len(X), batch_size)]
    return np.concatenate(batches)


def evaluate(
    model: Layer, loss: Loss, X: Array, y: Array, *, batch_size: int | None = None
) -> tuple[float, float | None]:
    """Loss and accuracy (``None`` for regression) of ``model`` on ``(X, y)``, in evaluation mode.

    With ``batch_size``, the model sees ``X`` in batches of that many examples, and the
    predictions are put back together before the loss is taken: the same result, with
    smaller arrays in memory at a time. For a convolutional network on many images this is
    also faster, as its copies of every image's patches then fit in the processor's cache.
    """
    was_training = model.training
    model.eval()
    pred = forward_in_batches(model, X, batch_size, where="evaluate")
    value = loss.forward(pred, y)
    model.train(was_training)
    return value, accuracy(loss, pred, y)


def _progress_line(history: History, epoch: int, epochs: int) -> str:
    width = len(str(epochs))
    parts = [f"epoch {epoch:>{width}}/{epochs}", f"loss {history.loss[-1]:.4f}"]
    if history.accuracy:
        parts.append(f"accuracy {history.accuracy[-1]:.3f}")
    if history.val_loss:
        parts.append(f"val_loss {history.val_loss[-1]:.4f}")
    if history.val_accuracy:
        parts.append(f"val_accuracy {history.val_accuracy[-1]:.3f}")
    return "  ".join(parts)
