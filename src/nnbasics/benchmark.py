"""How fast is nnbasics? One SGD step timed in nnbasics and in PyTorch, side by side.

Each case times one full training step (forward, loss, backward, update) of the same
model in both libraries, on the CPU, in the same run, so that the noise of the machine
cancels out in the ratio nnbasics / PyTorch (below 1: nnbasics is faster). Run it as::

    OMP_NUM_THREADS=1 python -m nnbasics.benchmark [--quick]

PyTorch is imported only when a benchmark runs. Set ``OMP_NUM_THREADS=1`` before
starting Python to keep NumPy's BLAS on one thread; :func:`run` puts PyTorch on one
thread itself. The :doc:`/about/performance` page shows a table made by this module when
the site is built.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nnbasics.activations import ReLU, Tanh
from nnbasics.layers import RNN, Conv2D, Dense, Flatten, LastStep, Layer
from nnbasics.losses import CrossEntropyLoss
from nnbasics.model import Sequential
from nnbasics.optim import SGD

if TYPE_CHECKING:
    import torch

__all__ = [
    "CASES",
    "Case",
    "Result",
    "best_time",
    "dense_flops",
    "machine",
    "matmul_peak",
    "run",
]


@dataclass(frozen=True)
class Case:
    """One benchmark: how to build the model, the input batch's shape and the number of classes."""

    name: str
    make_model: Callable[[type[np.floating]], Layer]
    input_shape: tuple[int, ...]
    classes: int
    target: float
    """The ratio nnbasics / PyTorch to stay below, 1.0 for small networks and 1.2 for large ones."""


def dense_network(*sizes: int, activation: type[Layer] = ReLU) -> Callable[[type[np.floating]], Layer]:
    """A builder of dense layers of ``sizes`` with ``activation`` between them."""

    def make(dtype: type[np.floating]) -> Layer:
        layers: list[Layer] = []
        for index, (n_in, n_out) in enumerate(pairwise(sizes)):
            if index:
                layers.append(activation())
            layers.append(Dense(n_in, n_out, rng=index, dtype=dtype))
        return Sequential(*layers)

    return make


def _conv_network(dtype: type[np.floating]) -> Layer:
    return Sequential(
        Conv2D(1, 8, 3, rng=0, dtype=dtype), ReLU(), Flatten(), Dense(8 * 26 * 26, 10, rng=1, dtype=dtype)
    )


def _rnn_network(dtype: type[np.floating]) -> Layer:
    return Sequential(RNN(1, 32, rng=0, dtype=dtype), LastStep(), Dense(32, 10, rng=1, dtype=dtype))


CASES = [
    Case("2-16-2 tanh, batch 64", dense_network(2, 16, 2, activation=Tanh), (64, 2), 2, 1.0),
    Case("64-64-10 ReLU (digits), batch 32", dense_network(64, 64, 10), (32, 64), 10, 1.0),
    Case("784-128-10 ReLU, batch 64", dense_network(784, 128, 10), (64, 784), 10, 1.2),
    Case("784-512-10 ReLU, batch 1024", dense_network(784, 512, 10), (1024, 784), 10, 1.2),
    Case("Conv2D 1->8 3x3 on 28x28, batch 64", _conv_network, (64, 1, 28, 28), 10, 1.2),
    Case("RNN 1->32 over 50 steps, batch 32", _rnn_network, (32, 50, 1), 10, 1.2),
]
"""The six cases of the benchmark, two small networks and then four large ones."""


@dataclass(frozen=True)
class Result:
    """The time of one step of one case in one dtype, in both libraries, in milliseconds."""

    case: Case
    dtype: str
    nnbasics_ms: float
    torch_ms: float

    @property
    def ratio(self) -> float:
        """The time of nnbasics over that of PyTorch; below 1, nnbasics is faster."""
        return self.nnbasics_ms / self.torch_ms

    @property
    def met(self) -> bool:
        """Whether the ratio is within the case's target."""
        return self.ratio <= self.case.target


def best_time(step: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` timings of ``step()``, after two warm-up calls, in seconds.

    The minimum, not the mean: noise from other programs only ever adds time.
    """
    step()
    step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def nnbasics_step(model: Layer, x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    """One SGD step of ``model`` on the batch ``(x, y)``, as :func:`~nnbasics.training.fit` takes it."""
    loss = CrossEntropyLoss()
    optimizer = SGD(model.parameters(), lr=0.01)

    def step() -> None:
        optimizer.zero_grad()
        loss.forward(model.forward(x), y)
        model.backward_parameters(loss.backward())  # no gradient for the data, as in fit()
        optimizer.step()

    return step


def torch_step(model: torch.nn.Module, x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    """The same step in PyTorch: zero the gradients, forward, loss, ``backward()``, update."""
    import torch  # noqa: PLC0415 - imported lazily: the core needs NumPy only

    loss = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x_t, y_t = torch.from_numpy(x), torch.from_numpy(y)

    def step() -> None:
        optimizer.zero_grad()
        loss(model(x_t), y_t).backward()
        optimizer.step()

    return step


def run(repeats: int = 30, cases: list[Case] | None = None) -> list[Result]:
    """Time every case in float32 and float64, in nnbasics and in PyTorch (one thread)."""
    import torch  # noqa: PLC0415

    from nnbasics.torch import to_torch  # noqa: PLC0415

    torch.set_num_threads(1)
    results = []
    for case in CASES if cases is None else cases:
        for dtype in (np.float32, np.float64):
            rng = np.random.default_rng(0)
            x = rng.standard_normal(case.input_shape).astype(dtype)
            y = rng.integers(0, case.classes, size=case.input_shape[0])
            model = case.make_model(dtype)
            ours = best_time(nnbasics_step(model, x, y), repeats)
            theirs = best_time(torch_step(to_torch(model), x, y), repeats)
            results.append(Result(case, np.dtype(dtype).name, ours * 1e3, theirs * 1e3))
    return results


def matmul_peak(dtype: type[np.floating] = np.float32, repeats: int = 10, n: int = 1024) -> float:
    """GFLOP/s of a large square matrix product: about the most this machine's BLAS can do."""
    a = np.random.default_rng(0).standard_normal((n, n)).astype(dtype)
    seconds = best_time(lambda: a @ a, repeats)
    return 2 * n**3 / seconds / 1e9


def dense_flops(sizes: tuple[int, ...], batch: int) -> int:
    r"""Floating-point operations of one forward and backward pass through dense layers.

    A layer from :math:`n_\text{in}` to :math:`n_\text{out}` does three matrix products of
    :math:`2 \cdot \text{batch} \cdot n_\text{in} n_\text{out}` operations (forward, weight
    gradient, input gradient), except the first, which skips the input's gradient.
    """
    products = [2 if index == 0 else 3 for index in range(len(sizes) - 1)]
    return sum(
        count * 2 * batch * n_in * n_out
        for count, (n_in, n_out) in zip(products, pairwise(sizes), strict=True)
    )


def machine() -> str:
    """What the numbers depend on: the processor, the threads, the BLAS libraries, the versions."""
    import torch  # noqa: PLC0415

    processor = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                processor = line.split(":", 1)[1].strip()
                break
    numpy_blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    torch_blas = "MKL" if torch.backends.mkl.is_available() else "its own kernels"  # type: ignore[no-untyped-call]
    limited = any(os.environ.get(name) == "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"))
    threads = "one thread each" if limited else "PyTorch on one thread, NumPy's BLAS not limited"
    return (
        f"{processor} ({os.cpu_count()} cores; {threads}); Python {platform.python_version()}, "
        f"NumPy {np.__version__} with {numpy_blas}, PyTorch {torch.__version__} with {torch_blas}"
    )


def main() -> None:
    """Print the table of ratios, and the large dense case's GFLOP/s next to the matmul peak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="5 repetitions instead of 30")
    args = parser.parse_args()
    repeats = 5 if args.quick else 30

    results = run(repeats)
    print(f"One SGD step, best of {repeats}, one thread; ratio = nnbasics / PyTorch (< 1: nnbasics faster)")
    print(f"machine: {machine()}\n")
    print(f"{'case':36} {'dtype':8} {'nnbasics':>10} {'PyTorch':>10} {'ratio':>6}  target")
    for result in results:
        verdict = "ok" if result.met else "MISSED"
        print(
            f"{result.case.name:36} {result.dtype:8} {result.nnbasics_ms:8.3f}ms {result.torch_ms:8.3f}ms "
            f"{result.ratio:6.2f}  <= {result.case.target} {verdict}"
        )
    large = next(r for r in results if r.case.name.startswith("784-512-10") and r.dtype == "float32")
    reached = dense_flops((784, 512, 10), 1024) / (large.nnbasics_ms / 1e3) / 1e9
    peak = matmul_peak(np.float32, repeats)
    print(
        f"\n784-512-10, batch 1024, float32: {reached:.1f} GFLOP/s; single-thread matmul peak "
        f"{peak:.1f} GFLOP/s ({reached / peak:.0%} of peak; target >= 60 %)"
    )


if __name__ == "__main__":
    main()
