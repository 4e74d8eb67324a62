"""Shared configuration and fixtures of the nnbasics test suite.

- a Hypothesis profile that is deterministic and quick (``derandomize=True``, no deadline);
- ``rng``: a seeded NumPy generator, new for every test;
- ``torch64``: PyTorch with float64 as its default dtype for the duration of a test;
- ``to_tensor``: a NumPy array as a float64 leaf tensor that records its gradient;
- ``assert_matches_torch``: a layer or model against its PyTorch twin, forward and backward;
- ``train``: :func:`nnbasics.fit` with plain SGD, quietly, the way most tests train a model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import matplotlib as mpl
import numpy as np
import pytest
import torch
from hypothesis import settings

from nnbasics import History, fit
from nnbasics.layers import Layer
from nnbasics.losses import Loss
from nnbasics.optim import SGD
from nnbasics.torch import torch_name

mpl.use("Agg")  # figures are drawn off screen, whatever MPLBACKEND says
torch.set_num_threads(1)  # the machines running the suite are small and shared

settings.register_profile(
    "nnbasics",
    deadline=None,
    derandomize=True,
    max_examples=25,
    print_blob=True,
    database=None,  # nothing written to .hypothesis/: every run is the same anyway
)
settings.load_profile("nnbasics")


@pytest.fixture
def rng() -> np.random.Generator:
    """A NumPy generator with a fixed seed, fresh for every test."""
    return np.random.default_rng(12345)


@pytest.fixture
def torch64() -> Iterator[None]:
    """Make float64 PyTorch's default dtype during the test, then restore the previous default."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


@pytest.fixture
def to_tensor() -> Callable[[np.ndarray], torch.Tensor]:
    """Turn a NumPy array into a float64 leaf tensor with ``requires_grad=True`` (a copy)."""

    def convert(array: np.ndarray) -> torch.Tensor:
        return torch.tensor(np.array(array, dtype=np.float64), dtype=torch.float64, requires_grad=True)

    return convert


RTOL = 1e-10
"""NumPy and PyTorch agree to this relative tolerance in float64."""


@pytest.fixture(scope="session")  # no state: usable in Hypothesis tests too
def assert_matches_torch() -> Callable[..., None]:
    """Check that ``layer`` and its PyTorch twin ``module`` compute the same, to ``rtol=1e-10``.

    The same weights (by PyTorch's names), then for input ``x`` and output gradient ``grad_out``:
    the forward pass, the input's gradient and every parameter's gradient. ``atol`` allows for
    values that should be 0 and come out as rounding noise.
    """

    def check(
        layer: Layer, module: torch.nn.Module, x: np.ndarray, grad_out: np.ndarray, *, atol: float = 0.0
    ) -> None:
        names = {name: torch_name(name) for name in layer.named_parameters()}
        state = module.state_dict()
        assert list(state) == list(names.values())
        for name, parameter in layer.named_parameters().items():
            np.testing.assert_array_equal(state[names[name]].numpy(), parameter.value, err_msg=name)
        layer.zero_grad()
        y = layer.forward(x)
        grad_x = layer.backward(grad_out)
        x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        y_t = module(x_t)
        y_t.backward(torch.from_numpy(grad_out))
        assert x_t.grad is not None
        np.testing.assert_allclose(y, y_t.detach().numpy(), rtol=RTOL, atol=atol, err_msg="forward")
        np.testing.assert_allclose(grad_x, x_t.grad.numpy(), rtol=RTOL, atol=atol, err_msg="input gradient")
        torch_parameters = dict(module.named_parameters())
        assert list(torch_parameters) == list(names.values())
        for name, parameter in layer.named_parameters().items():
            torch_grad = torch_parameters[names[name]].grad
            assert torch_grad is not None
            np.testing.assert_allclose(parameter.grad, torch_grad.numpy(), rtol=RTOL, atol=atol, err_msg=name)

    return check


@pytest.fixture(scope="session")
def train() -> Callable[..., History]:
    """``train(model, loss, X, y, lr=0.1, epochs=20)``: :func:`~nnbasics.fit` with SGD, without output.

    Full-batch unless ``batch_size`` is given; mini-batches are shuffled with seed 0 unless
    ``rng`` is given; other options go to ``fit`` as they are.
    """

    def run(
        model: Layer,
        loss: Loss,
        X: np.ndarray,
        y: np.ndarray,
        *,
        lr: float,
        epochs: int,
        batch_size: int | None = None,
        momentum: float = 0.0,
        **options: Any,
    ) -> History:
        options.setdefault("verbose", False)
        options.setdefault("rng", 0)  # the same shuffles every run: a test never depends on luck
        optimizer = SGD(model.parameters(), lr=lr, momentum=momentum)
        size = len(X) if batch_size is None else batch_size
        return fit(model, loss, optimizer, X, y, epochs=epochs, batch_size=size, **options)

    return run
