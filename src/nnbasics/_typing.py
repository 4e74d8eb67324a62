"""Type aliases and small helpers shared by the whole package."""

from __future__ import annotations

from typing import Any, TypeAlias, TypeVar

import numpy as np
from numpy.typing import DTypeLike, NDArray

Array: TypeAlias = NDArray[Any]
"""A NumPy array of any dtype; layers keep the floating dtype they were built with."""

RandomLike: TypeAlias = np.random.Generator | int | None
"""A seed (``int``), a :class:`numpy.random.Generator`, or ``None`` for fresh entropy."""

__all__ = ["Array", "DTypeLike", "RandomLike", "as_generator", "float_dtype", "saved"]

T = TypeVar("T")


def as_generator(rng: RandomLike) -> np.random.Generator:
    """Return ``rng`` as a :class:`numpy.random.Generator`.

    An ``int`` is used as a seed, so the same number always gives the same
    draws; ``None`` gives a generator seeded from the operating system (not
    reproducible: pass a seed when you need the same result twice).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    msg = f"rng must be an int seed, a numpy.random.Generator or None, got {type(rng).__name__}"
    raise TypeError(msg)


def float_dtype(dtype: DTypeLike, where: str) -> np.dtype[Any]:
    """Check that ``dtype`` is float32 or float64 and return it as a ``np.dtype``."""
    result = np.dtype(dtype)
    if result not in (np.dtype(np.float32), np.dtype(np.float64)):
        msg = f"{where}: dtype must be float32 or float64, got {result}"
        raise ValueError(msg)
    return result


def saved(value: T | None, owner: object) -> T:
    """What ``forward`` remembered for ``backward``; an error naming ``owner`` if ``forward`` has not run.

    The one way that layers and losses say "backward() called before forward()".
    """
    if value is None:
        msg = f"{owner!r}: backward() called before forward()"
        raise RuntimeError(msg)
    return value
