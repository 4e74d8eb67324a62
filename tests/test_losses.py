"""Losses: values, gradient checks, agreement with torch.nn losses, numerical stability."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from nnbasics import gradcheck
from nnbasics.activations import sigmoid
from nnbasics.losses import BCELoss, CrossEntropyLoss, MSELoss

pytestmark = pytest.mark.usefixtures("torch64")

GRADCHECK_TOL = 1e-7
RTOL = 1e-10

ToTensor = Callable[[np.ndarray], torch.Tensor]


# -- known values ------------------------------------------------------------------------------------


def test_mse_known_value() -> None:
    loss = MSELoss()
    assert loss(np.array([[1.0], [2.0], [4.0]]), np.array([[1.0], [0.0], [1.0]])) == pytest.approx(13 / 3)
    np.testing.assert_allclose(loss.backward(), [[0.0], [4 / 3], [2.0]], rtol=1e-15)


def test_bce_known_value() -> None:
    loss = BCELoss()
    value = loss(np.array([[0.8], [0.4]]), np.array([[1.0], [0.0]]))
    assert value == pytest.approx(-(math.log(0.8) + math.log(0.6)) / 2, rel=1e-14)
    np.testing.assert_allclose(loss.backward(), [[-1 / 0.8 / 2], [1 / 0.6 / 2]], rtol=1e-14)


def test_cross_entropy_known_value() -> None:
    loss = CrossEntropyLoss()
    logits = np.array([[0.0, math.log(3.0)], [2.0, 2.0]])
    value = loss(logits, np.array([1, 0]))
    assert value == pytest.approx(-(math.log(0.75) + math.log(0.5)) / 2, rel=1e-14)
    np.testing.assert_allclose(loss.backward(), [[0.25 / 2, -0.25 / 2], [-0.5 / 2, 0.5 / 2]], rtol=1e-14)


def test_cross_entropy_of_a_uniform_guess_is_log_classes() -> None:
    assert CrossEntropyLoss()(np.zeros((5, 10)), np.arange(5)) == pytest.approx(math.log(10), rel=1e-15)


def test_repr() -> None:
    assert repr(MSELoss()) == "MSELoss()"
    assert repr(CrossEntropyLoss()) == "CrossEntropyLoss()"


# -- gradient checks ----------------------------------------------------------------------------------


def test_gradcheck_mse(rng: np.random.Generator) -> None:
    pred = rng.standard_normal((6, 3))
    assert gradcheck(MSELoss(), pred, rng.standard_normal((6, 3))) <= GRADCHECK_TOL


def test_gradcheck_bce(rng: np.random.Generator) -> None:
    pred = rng.uniform(0.05, 0.95, size=(8, 2))
    target = rng.integers(0, 2, size=(8, 2)).astype(np.float64)
    assert gradcheck(BCELoss(), pred, target) <= GRADCHECK_TOL


def test_gradcheck_bce_with_soft_targets(rng: np.random.Generator) -> None:
    pred = rng.uniform(0.05, 0.95, size=(8, 1))
    assert gradcheck(BCELoss(), pred, rng.uniform(0, 1, size=(8, 1))) <= GRADCHECK_TOL


def test_gradcheck_cross_entropy(rng: np.random.Generator) -> None:
    logits = 2.0 * rng.standard_normal((7, 4))
    assert gradcheck(CrossEntropyLoss(), logits, rng.integers(0, 4, size=7)) <= GRADCHECK_TOL


# -- agreement with PyTorch --------------------------------------------------------------------------------


def assert_loss_matches_torch(
    ours: MSELoss | BCELoss | CrossEntropyLoss,
    theirs: torch.nn.Module,
    pred: np.ndarray,
    target: np.ndarray,
    to_tensor: ToTensor,
) -> None:
    value = ours.forward(pred, target)
    grad = ours.backward()
    pred_t = to_tensor(pred)
    target_t = torch.from_numpy(target)
    value_t = theirs(pred_t, target_t)
    value_t.backward()
    assert pred_t.grad is not None
    np.testing.assert_allclose(value, value_t.item(), rtol=RTOL)
    np.testing.assert_allclose(grad, pred_t.grad.numpy(), rtol=RTOL)


def test_mse_matches_torch(rng: np.random.Generator, to_tensor: ToTensor) -> None:
    pred, target = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    assert_loss_matches_torch(MSELoss(), torch.nn.MSELoss(), pred, target, to_tensor)


def test_bce_matches_torch(rng: np.random.Generator, to_tensor: ToTensor) -> None:
    pred = rng.uniform(0.01, 0.99, size=(10, 1))
    target = rng.integers(0, 2, size=(10, 1)).astype(np.float64)
    assert_loss_matches_torch(BCELoss(), torch.nn.BCELoss(), pred, target, to_tensor)


def test_bce_matches_torch_at_the_clamps(to_tensor: ToTensor) -> None:
    # Confidently wrong (log clamped at -100, gradient divided by 1e-12) and confidently right.
    pred = np.array([[0.0], [1.0], [0.0], [1.0], [1e-300]])
    target = np.array([[1.0], [0.0], [0.0], [1.0], [1.0]])
    loss = BCELoss()
    pred_t = to_tensor(pred)
    value_t = torch.nn.BCELoss()(pred_t, torch.from_numpy(target))
    value_t.backward()
    assert pred_t.grad is not None
    value = loss(pred, target)
    assert value == pytest.approx(300 / 5, rel=1e-12)  # three clamped terms of 100
    np.testing.assert_allclose(value, value_t.item(), rtol=RTOL)
    grad = loss.backward()
    np.testing.assert_array_equal(grad[[2, 3]], 0.0)  # right and certain: no gradient
    np.testing.assert_allclose(grad, -(target - pred) / 1e-12 / 5, rtol=1e-15)
    # PyTorch's kernel divides by 1e-12 rounded to float32 (9.99999996e-13), so its clamped
    # gradients are 4e-9 larger; everywhere else (test above) the two agree to 1e-10.
    torch_epsilon = float(np.float32(1e-12))
    np.testing.assert_allclose(pred_t.grad.numpy(), -(target - pred) / torch_epsilon / 5, rtol=1e-15)


def test_cross_entropy_matches_torch(rng: np.random.Generator, to_tensor: ToTensor) -> None:
    logits = 3.0 * rng.standard_normal((9, 5))
    target = rng.integers(0, 5, size=9)
    assert_loss_matches_torch(CrossEntropyLoss(), torch.nn.CrossEntropyLoss(), logits, target, to_tensor)


def test_cross_entropy_matches_torch_for_large_logits(rng: np.random.Generator, to_tensor: ToTensor) -> None:
    logits = 1e4 * rng.standard_normal((6, 3))
    target = rng.integers(0, 3, size=6)
    assert_loss_matches_torch(CrossEntropyLoss(), torch.nn.CrossEntropyLoss(), logits, target, to_tensor)


@given(
    batch=st.integers(1, 12),
    classes=st.integers(1, 8),
    scale=st.floats(0.01, 50.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_cross_entropy_matches_torch_for_random_shapes(
    batch: int, classes: int, scale: float, seed: int
) -> None:
    generator = np.random.default_rng(seed)
    logits = scale * generator.standard_normal((batch, classes))
    target = generator.integers(0, classes, size=batch)
    pred_t = torch.tensor(logits, requires_grad=True)
    torch.nn.functional.cross_entropy(pred_t, torch.from_numpy(target)).backward()
    assert pred_t.grad is not None
    loss = CrossEntropyLoss()
    value = loss.forward(logits, target)
    expected = torch.nn.functional.cross_entropy(torch.from_numpy(logits), torch.from_numpy(target)).item()
    # A single class gives a loss and gradient of exactly 0 in both: rtol alone compares them.
    np.testing.assert_allclose(value, expected, rtol=RTOL)
    np.testing.assert_allclose(loss.backward(), pred_t.grad.numpy(), rtol=RTOL)


@given(shape=st.tuples(st.integers(1, 10), st.integers(1, 4)), seed=st.integers(0, 2**32 - 1))
def test_bce_matches_torch_for_random_probabilities(shape: tuple[int, int], seed: int) -> None:
    generator = np.random.default_rng(seed)
    pred = sigmoid(3.0 * generator.standard_normal(shape))
    target = generator.uniform(0.0, 1.0, size=shape)
    pred_t = torch.tensor(pred, requires_grad=True)
    value_t = torch.nn.functional.binary_cross_entropy(pred_t, torch.from_numpy(target))
    value_t.backward()
    assert pred_t.grad is not None
    loss = BCELoss()
    np.testing.assert_allclose(loss.forward(pred, target), value_t.item(), rtol=RTOL)
    np.testing.assert_allclose(loss.backward(), pred_t.grad.numpy(), rtol=RTOL)


# -- stability -----------------------------------------------------------------------------------------------


@given(
    batch=st.integers(1, 8),
    classes=st.integers(2, 6),
    magnitude=st.floats(1.0, 1e100),
    seed=st.integers(0, 2**32 - 1),
)
def test_cross_entropy_is_finite_for_huge_logits(
    batch: int, classes: int, magnitude: float, seed: int
) -> None:
    generator = np.random.default_rng(seed)
    logits = magnitude * generator.uniform(-1.0, 1.0, size=(batch, classes))
    target = generator.integers(0, classes, size=batch)
    loss = CrossEntropyLoss()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss.forward(logits, target)
        grad = loss.backward()
    assert math.isfinite(value)
    assert value >= 0
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)  # atol: the exact sum is 0
    correct = logits[np.arange(batch), target]
    # The loss of each row is at most the gap to the row's best score, plus log(classes).
    bound = np.mean(logits.max(axis=1) - correct) + math.log(classes)
    assert value <= bound * (1 + 1e-12)


def test_cross_entropy_confident_and_right_is_zero() -> None:
    loss = CrossEntropyLoss()
    assert loss(np.array([[1000.0, -1000.0]]), np.array([0])) == 0.0
    assert loss(np.array([[1000.0, -1000.0]]), np.array([1])) == 2000.0


def test_bce_handles_certain_predictions_without_warnings() -> None:
    loss = BCELoss()
    with np.errstate(all="raise"):
        loss_value = loss(np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]]))
        grad = loss.backward()
    assert loss_value == 0.0
    np.testing.assert_array_equal(grad, [[0.0], [0.0]])
