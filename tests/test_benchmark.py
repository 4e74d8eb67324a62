"""The benchmark compares like with like: the same step, the same numbers, in both libraries."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nnbasics.benchmark import CASES, Result, dense_flops, machine, nnbasics_step, run, torch_step
from nnbasics.torch import to_torch, torch_name


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_both_steps_train_the_same_model_to_the_same_weights(case, torch64):
    """Three timed steps in nnbasics and in PyTorch leave identical weights (float64)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(case.input_shape)
    y = rng.integers(0, case.classes, size=case.input_shape[0])
    model = case.make_model(np.float64)
    twin = to_torch(model)
    ours, theirs = nnbasics_step(model, x, y), torch_step(twin, x, y)
    for _ in range(3):
        ours()
        theirs()
    torch_parameters = dict(twin.named_parameters())
    for name, parameter in model.named_parameters().items():
        np.testing.assert_allclose(
            parameter.value, torch_parameters[torch_name(name)].detach().numpy(), rtol=1e-10, atol=1e-13
        )


def test_run_times_every_case_in_both_dtypes():
    results = run(repeats=1, cases=CASES[:2])
    assert [(r.case.name, r.dtype) for r in results] == [
        (CASES[0].name, "float32"),
        (CASES[0].name, "float64"),
        (CASES[1].name, "float32"),
        (CASES[1].name, "float64"),
    ]
    for result in results:
        assert result.nnbasics_ms > 0
        assert result.torch_ms > 0
        assert result.ratio == result.nnbasics_ms / result.torch_ms
    assert torch.get_num_threads() == 1


def test_result_ratio_and_target():
    assert Result(CASES[0], "float32", nnbasics_ms=1.0, torch_ms=4.0).ratio == 0.25
    assert Result(CASES[0], "float32", nnbasics_ms=1.0, torch_ms=4.0).met
    assert not Result(CASES[0], "float32", nnbasics_ms=2.0, torch_ms=1.0).met  # target 1.0
    assert Result(CASES[2], "float32", nnbasics_ms=1.1, torch_ms=1.0).met  # target 1.2


def test_dense_flops_counts_the_products_actually_computed():
    # first layer: forward and weight gradient; second: those and the input gradient
    assert dense_flops((784, 512, 10), 1024) == 2 * 2 * 1024 * 784 * 512 + 3 * 2 * 1024 * 512 * 10


def test_machine_names_the_libraries():
    label = machine()
    assert f"NumPy {np.__version__}" in label
    assert f"PyTorch {torch.__version__}" in label
