"""SGD: the update rule by hand and step for step against torch.optim.SGD."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nnbasics import Sequential
from nnbasics.activations import Tanh
from nnbasics.layers import Dense, Parameter
from nnbasics.losses import MSELoss
from nnbasics.optim import SGD
from nnbasics.torch import to_torch

pytestmark = pytest.mark.usefixtures("torch64")

RTOL = 1e-10


def test_plain_sgd_step_by_hand() -> None:
    parameter = Parameter(np.array([1.0, -2.0, 3.0]))
    parameter.grad[...] = [0.5, 0.5, -1.0]
    SGD([parameter], lr=0.1).step()
    np.testing.assert_allclose(parameter.value, [0.95, -2.05, 3.1], rtol=1e-15)


def test_momentum_and_weight_decay_by_hand() -> None:
    parameter = Parameter(np.array([2.0]))
    optimizer = SGD([parameter], lr=0.5, momentum=0.9, weight_decay=0.1)
    parameter.grad[...] = 1.0
    optimizer.step()  # g = 1 + 0.1 * 2 = 1.2; v = 1.2; theta = 2 - 0.6 = 1.4
    np.testing.assert_allclose(parameter.value, [1.4], rtol=1e-15)
    optimizer.step()  # g = 1 + 0.14 = 1.14; v = 0.9 * 1.2 + 1.14 = 2.22; theta = 1.4 - 1.11 = 0.29
    np.testing.assert_allclose(parameter.value, [0.29], rtol=1e-14)


def test_zero_grad_clears_the_optimised_gradients() -> None:
    model = Sequential(Dense(2, 3), Tanh(), Dense(3, 1))
    for parameter in model.parameters():
        parameter.grad[...] = 1.0
    SGD(model.parameters(), lr=0.1).zero_grad()
    assert all(np.all(p.grad == 0) for p in model.parameters())


def test_repr() -> None:
    assert (
        repr(SGD([Parameter(np.zeros(1))], lr=0.1, momentum=0.9))
        == "SGD(lr=0.1, momentum=0.9, weight_decay=0.0)"
    )


def train_both(
    steps: int, *, lr: float, momentum: float, weight_decay: float, rng: np.random.Generator
) -> tuple[Sequential, torch.nn.Module]:
    """Full-batch regression with the same model, data and hyperparameters in nnbasics and torch."""
    model = Sequential(Dense(3, 6, rng=0), Tanh(), Dense(6, 2, rng=1))
    module = to_torch(model)
    X, y = rng.standard_normal((16, 3)), rng.standard_normal((16, 2))
    loss = MSELoss()
    optimizer = SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    torch_optimizer = torch.optim.SGD(
        module.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay
    )
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    for _ in range(steps):
        optimizer.zero_grad()
        loss.forward(model.forward(X), y)
        model.backward(loss.backward())
        optimizer.step()
        torch_optimizer.zero_grad()
        torch.nn.functional.mse_loss(module(X_t), y_t).backward()
        torch_optimizer.step()
    return model, module


def assert_same_weights(model: Sequential, module: torch.nn.Module) -> None:
    state = module.state_dict()
    assert list(state) == list(model.named_parameters())
    for name, parameter in model.named_parameters().items():
        np.testing.assert_allclose(parameter.value, state[name].numpy(), rtol=RTOL, err_msg=name)


def test_one_plain_sgd_step_matches_torch(rng: np.random.Generator) -> None:
    model, module = train_both(1, lr=0.3, momentum=0.0, weight_decay=0.0, rng=rng)
    assert_same_weights(model, module)
    untouched = Dense(3, 6, rng=0)
    assert not np.allclose(
        model.named_parameters()["0.weight"].value, untouched.weight.value
    )  # the step did move them


def test_twenty_steps_with_momentum_and_weight_decay_match_torch(rng: np.random.Generator) -> None:
    model, module = train_both(20, lr=0.1, momentum=0.9, weight_decay=0.01, rng=rng)
    assert_same_weights(model, module)


def test_twenty_steps_with_momentum_only_match_torch(rng: np.random.Generator) -> None:
    model, module = train_both(20, lr=0.05, momentum=0.5, weight_decay=0.0, rng=rng)
    assert_same_weights(model, module)


def test_weight_decay_alone_shrinks_weights() -> None:
    parameter = Parameter(np.array([1.0, -4.0]))
    optimizer = SGD([parameter], lr=0.1, weight_decay=0.5)
    for _ in range(3):
        optimizer.step()  # the gradient stays 0: only decay acts
    np.testing.assert_allclose(parameter.value, np.array([1.0, -4.0]) * 0.95**3, rtol=1e-15)


def test_sgd_keeps_float32(rng: np.random.Generator) -> None:
    parameter = Parameter(rng.standard_normal(5).astype(np.float32))
    parameter.grad[...] = rng.standard_normal(5)
    optimizer = SGD([parameter], lr=0.1, momentum=0.9, weight_decay=0.01)
    for _ in range(3):
        optimizer.step()
    assert parameter.value.dtype == np.float32
    assert parameter.grad.dtype == np.float32
