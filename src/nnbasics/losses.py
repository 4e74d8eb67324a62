r"""Loss functions: one number that says how wrong the predictions are.

Training minimises the loss, so a *lower* loss is better: the loss (or cost)
measures error, not accuracy. Every loss averages over the batch (PyTorch's
``reduction="mean"``) and follows one protocol:

``forward(pred, target) -> float``
    the loss;
``backward() -> array``
    :math:`\partial L/\partial\,\text{pred}`, the gradient to feed into the
    network's ``backward``.
"""

from __future__ import annotations

import numpy as np

from nnbasics._typing import Array, saved

__all__ = ["BCELoss", "CrossEntropyLoss", "Loss", "MSELoss"]


class Loss:
    """Base class of the losses; ``loss(pred, target)`` is ``loss.forward(pred, target)``."""

    def forward(self, pred: Array, target: Array) -> float:
        """The loss of ``pred`` against ``target``, averaged over the batch."""
        raise NotImplementedError

    def backward(self) -> Array:
        """The gradient of the last :meth:`forward` with respect to ``pred``."""
        raise NotImplementedError

    def accuracy(self, pred: Array, target: Array) -> float | None:  # noqa: ARG002 - for the subclasses
        """The fraction of correct predictions, or ``None`` where accuracy does not apply (regression)."""
        return None

    def __call__(self, pred: Array, target: Array) -> float:
        """``loss(pred, target)`` is ``loss.forward(pred, target)``."""
        return self.forward(pred, target)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _same_shape(self, pred: Array, target: Array) -> None:
        if pred.shape != target.shape:
            msg = (
                f"{self!r}: pred has shape {pred.shape} but target has shape {target.shape}; "
                "they must match (reshape target, e.g. y.reshape(-1, 1))"
            )
            raise ValueError(msg)


class MSELoss(Loss):
    r"""Mean squared error, for regression.

    .. math:: L = \frac1N \sum_i (\hat y_i - y_i)^2, \qquad
              \frac{\partial L}{\partial \hat y_i} = \frac{2}{N}(\hat y_i - y_i)

    where :math:`N` counts every element, as :class:`torch.nn.MSELoss`.
    """

    def __init__(self) -> None:
        self._diff: Array | None = None

    def forward(self, pred: Array, target: Array) -> float:
        """Mean of the squared differences."""
        self._same_shape(pred, target)
        self._diff = pred - target
        return float(np.mean(self._diff**2))

    def backward(self) -> Array:
        r""":math:`2(\hat y - y)/N`."""
        diff = saved(self._diff, self)
        return 2.0 * diff / diff.size


class BCELoss(Loss):
    r"""Binary cross-entropy, for yes/no outputs that are probabilities in :math:`[0, 1]`.

    .. math:: L = -\frac1N \sum_i \bigl[y_i \ln \hat y_i + (1-y_i)\ln(1-\hat y_i)\bigr]

    Put a :class:`~nnbasics.activations.Sigmoid` before it. As in
    :class:`torch.nn.BCELoss`, each logarithm is clamped at :math:`-100` so a
    confident wrong prediction (:math:`\hat y = 0` for :math:`y = 1`) gives a
    large but finite loss, and the gradient

    .. math:: \frac{\partial L}{\partial \hat y_i} = \frac{\hat y_i - y_i}{N\,\hat y_i (1-\hat y_i)}

    divides by at least :math:`10^{-12}`.
    """

    def __init__(self) -> None:
        self._pred_and_target: tuple[Array, Array] | None = None

    def forward(self, pred: Array, target: Array) -> float:
        """Binary cross-entropy of probabilities ``pred`` against 0/1 ``target``."""
        self._same_shape(pred, target)
        if pred.size and (np.min(pred) < 0 or np.max(pred) > 1):
            msg = (
                f"{self!r}: pred must hold probabilities in [0, 1], got values from "
                f"{np.min(pred):.4g} to {np.max(pred):.4g}; put a Sigmoid before the loss"
            )
            raise ValueError(msg)
        if target.size and (np.min(target) < 0 or np.max(target) > 1):
            msg = (
                f"{self!r}: target must be in [0, 1] (1 for yes, 0 for no), got values from "
                f"{np.min(target):.4g} to {np.max(target):.4g}"
            )
            raise ValueError(msg)
        self._pred_and_target = pred, target
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(pred), -100.0)
            log_1mp = np.maximum(np.log1p(-pred), -100.0)
        return float(-np.mean(target * log_p + (1.0 - target) * log_1mp))

    def backward(self) -> Array:
        r""":math:`(\hat y - y) / (N \max(\hat y(1-\hat y), 10^{-12}))`."""
        p, y = saved(self._pred_and_target, self)
        return (p - y) / np.maximum(p * (1.0 - p), 1e-12) / p.size

    def accuracy(self, pred: Array, target: Array) -> float:
        """A probability above 0.5 means 1."""
        return float(np.mean((pred > 0.5) == (target > 0.5)))


class CrossEntropyLoss(Loss):
    r"""Softmax followed by negative log-likelihood, for choosing one of :math:`C` classes.

    ``pred`` holds raw scores (logits) of shape ``(batch, C)``, ``target`` the
    integer class of each row, shape ``(batch,)``. With
    :math:`\log\operatorname{softmax}(z)_c = z_c - \log\sum_j e^{z_j}` computed by
    the log-sum-exp trick (subtract the row maximum first):

    .. math::

        L = -\frac1N \sum_i \log\operatorname{softmax}(z_i)_{y_i}, \qquad
        \frac{\partial L}{\partial z_i} = \frac{\operatorname{softmax}(z_i) - \operatorname{onehot}(y_i)}{N}

    As :class:`torch.nn.CrossEntropyLoss`.
    """

    def __init__(self) -> None:
        self._probs_and_target: tuple[Array, Array] | None = None

    def forward(self, pred: Array, target: Array) -> float:
        """Mean negative log-probability of the correct class."""
        if pred.ndim != 2:
            msg = f"{self!r}: pred must be logits of shape (batch, classes), got shape {pred.shape}"
            raise ValueError(msg)
        n, n_classes = pred.shape
        if target.shape != (n,):
            msg = f"{self!r}: target must have shape ({n},), one class per row of pred, got {target.shape}"
            raise ValueError(msg)
        if not np.issubdtype(target.dtype, np.integer):
            msg = (
                f"{self!r}: target must hold integer class labels, got dtype {target.dtype} "
                "(use y.astype(int); for 0/1 probabilities use BCELoss)"
            )
            raise TypeError(msg)
        if n and (target.min() < 0 or target.max() >= n_classes):
            msg = (
                f"{self!r}: target labels must be in [0, {n_classes}) for {n_classes} classes, "
                f"got labels from {target.min()} to {target.max()}"
            )
            raise ValueError(msg)
        shifted = pred - pred.max(axis=1, keepdims=True)
        log_sum_exp = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        log_probs = shifted - log_sum_exp
        self._probs_and_target = np.exp(log_probs), target
        return float(-np.mean(log_probs[np.arange(n), target]))

    def backward(self) -> Array:
        r""":math:`(\operatorname{softmax}(z) - \operatorname{onehot}(y)) / N`."""
        probs, target = saved(self._probs_and_target, self)
        grad = probs.copy()
        n = grad.shape[0]
        grad[np.arange(n), target] -= 1.0
        return grad / n  # type: ignore[no-any-return]

    def accuracy(self, pred: Array, target: Array) -> float:
        """The class with the highest score is the prediction."""
        return float(np.mean(np.argmax(pred, axis=1) == target))
