"""Speed of one SGD step in nnbasics against PyTorch, in the same run so machine noise cancels.

Run with ``nox -s bench`` (or ``python tests/bench/bench.py``). Both libraries run on the
CPU with one thread. For each case we time a full step: forward, loss, backward, update,
and print the ratio nnbasics / PyTorch (below 1: nnbasics is faster). For the large dense
case we also print the GFLOP/s reached next to the machine's single-thread matmul peak
measured in the same run. ``--quick`` runs fewer repetitions (for the docs page);
``--json FILE`` writes the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np
import torch

import nnbasics
from nnbasics.activations import ReLU, Tanh
from nnbasics.layers import RNN, Conv2D, Dense, LastStep, Layer
from nnbasics.losses import CrossEntropyLoss
from nnbasics.torch import to_torch

torch.set_num_threads(1)


@dataclass
class Case:
    """One benchmark: a model, an input batch and integer labels."""

    name: str
    make_model: Callable[[np.dtype], Layer]
    input_shape: tuple[int, ...]
    classes: int
    size: str  # "small" (nnbasics should be no slower) or "large" (within 1.2x)


def dense(*sizes: int, activation: type[Layer] = ReLU) -> Callable[[np.dtype], Layer]:
    def make(dtype: np.dtype) -> Layer:
        layers: list[Layer] = []
        for index, (n_in, n_out) in enumerate(pairwise(sizes)):
            if index:
                layers.append(activation())
            layers.append(Dense(n_in, n_out, rng=index, dtype=dtype))
        return nnbasics.Sequential(*layers)

    return make


CASES = [
    Case("2-16-2 tanh, batch 64", dense(2, 16, 2, activation=Tanh), (64, 2), 2, "small"),
    Case("64-64-10 ReLU (digits), batch 32", dense(64, 64, 10), (32, 64), 10, "small"),
    Case("784-128-10 ReLU, batch 64", dense(784, 128, 10), (64, 784), 10, "large"),
    Case("784-512-10 ReLU, batch 1024", dense(784, 512, 10), (1024, 784), 10, "large"),
    Case(
        "Conv2D 1->8 3x3 on 28x28, batch 64",
        lambda dtype: nnbasics.Sequential(
            Conv2D(1, 8, 3, rng=0, dtype=dtype),
            ReLU(),
            nnbasics.layers.Flatten(),
            Dense(8 * 26 * 26, 10, rng=1, dtype=dtype),
        ),
        (64, 1, 28, 28),
        10,
        "large",
    ),
    Case(
        "RNN 1->32 over 50 steps, batch 32",
        lambda dtype: nnbasics.Sequential(
            RNN(1, 32, rng=0, dtype=dtype), LastStep(), Dense(32, 10, rng=1, dtype=dtype)
        ),
        (32, 50, 1),
        10,
        "large",
    ),
]


def best_time(step: Callable[[], None], repeats: int) -> float:
    """The fastest of ``repeats`` timings of ``step`` (after two warm-up calls), in seconds."""
    step()
    step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def nnbasics_step(model: Layer, x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    loss = CrossEntropyLoss()
    optimizer = nnbasics.optim.SGD(model.parameters(), lr=0.01)

    def step() -> None:
        optimizer.zero_grad()
        loss.forward(model.forward(x), y)
        model.backward_parameters(loss.backward())  # as fit() does: no gradient for the data
        optimizer.step()

    return step


def torch_step(model: torch.nn.Module, x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    loss = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x_t, y_t = torch.from_numpy(x), torch.from_numpy(y)

    def step() -> None:
        optimizer.zero_grad()
        loss(model(x_t), y_t).backward()
        optimizer.step()

    return step


@dataclass
class Row:
    case: str
    dtype: str
    size: str
    nnbasics_ms: float
    torch_ms: float
    ratio: float


def run_cases(repeats: int) -> list[Row]:
    rows = []
    for case in CASES:
        for dtype in (np.float32, np.float64):
            rng = np.random.default_rng(0)
            x = rng.standard_normal(case.input_shape).astype(dtype)
            y = rng.integers(0, case.classes, size=case.input_shape[0])
            model = case.make_model(np.dtype(dtype))
            twin = to_torch(model)
            ours = best_time(nnbasics_step(model, x, y), repeats)
            theirs = best_time(torch_step(twin, x, y), repeats)
            rows.append(
                Row(case.name, np.dtype(dtype).name, case.size, ours * 1e3, theirs * 1e3, ours / theirs)
            )
    return rows


def matmul_peak(dtype: type, repeats: int) -> float:
    """Single-thread GFLOP/s of a large square matrix product: the most this machine's BLAS does."""
    n = 1024
    a = np.random.default_rng(0).standard_normal((n, n)).astype(dtype)
    seconds = best_time(lambda: a @ a, repeats)
    return 2 * n**3 / seconds / 1e9


def dense_flops(sizes: tuple[int, ...], batch: int) -> int:
    """Floating-point operations of one forward + backward through dense layers.

    Each layer does three matrix products (forward, weight gradient, input gradient), except
    the first, which skips the gradient of the input data: 2 * batch * n_in * n_out each.
    """
    products = [2 if index == 0 else 3 for index in range(len(sizes) - 1)]
    return sum(
        count * 2 * batch * n_in * n_out
        for count, (n_in, n_out) in zip(products, pairwise(sizes), strict=True)
    )


def machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}, torch {torch.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()
    repeats = 5 if args.quick else 30

    rows = run_cases(repeats)
    print(f"One SGD step, best of {repeats}, one thread; ratio = nnbasics / PyTorch (< 1: nnbasics faster)")
    print(f"machine: {machine()}\n")
    print(f"{'case':40} {'dtype':8} {'nnbasics':>10} {'PyTorch':>10} {'ratio':>6}  target")
    for row in rows:
        target = 1.0 if row.size == "small" else 1.2
        verdict = "ok" if row.ratio <= target else "MISSED"
        print(
            f"{row.case:40} {row.dtype:8} {row.nnbasics_ms:8.3f}ms {row.torch_ms:8.3f}ms {row.ratio:6.2f}  "
            f"<= {target} {verdict}"
        )

    large = next(row for row in rows if row.case.startswith("784-512-10") and row.dtype == "float32")
    flops = dense_flops((784, 512, 10), 1024)
    reached = flops / (large.nnbasics_ms / 1e3) / 1e9
    peak = matmul_peak(np.float32, repeats)
    print(
        f"\n784-512-10, batch 1024, float32: {reached:.1f} GFLOP/s; single-thread matmul peak {peak:.1f} GFLOP/s "
        f"({reached / peak:.0%} of peak; target >= 60 %)"
    )
    if args.json:
        with Path(args.json).open("w", encoding="utf-8") as file:
            json.dump(
                {
                    "machine": machine(),
                    "rows": [asdict(row) for row in rows],
                    "gflops": reached,
                    "peak": peak,
                },
                file,
                indent=1,
            )


if __name__ == "__main__":
    main()
