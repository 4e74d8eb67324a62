"""Shared configuration and fixtures of the nnbasics test suite.

- a Hypothesis profile that is deterministic and quick (``derandomize=True``, no deadline);
- ``rng``: a seeded NumPy generator, new for every test;
- ``torch64``: PyTorch with float64 as its default dtype for the duration of a test;
- ``to_tensor``: a NumPy array as a float64 leaf tensor that records its gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import matplotlib as mpl
import numpy as np
import pytest
import torch
from hypothesis import settings

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
