"""NumPy against PyTorch autograd, on the same weights in float64: every layer and whole models."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import DTypeLike

from nnbasics import Sequential, fit
from nnbasics.activations import ReLU, Sigmoid, Softmax, Tanh
from nnbasics.layers import Dense, Dropout, Flatten, Layer
from nnbasics.losses import BCELoss, CrossEntropyLoss, MSELoss
from nnbasics.optim import SGD
from nnbasics.torch import to_torch

pytestmark = pytest.mark.usefixtures("torch64")

RTOL = 1e-10
MatchesTorch = Callable[..., None]

ToTensor = Callable[[np.ndarray], torch.Tensor]


# -- single layers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("init", ["xavier", "he", "pytorch"])
def test_dense_matches_torch_linear(
    rng: np.random.Generator, init: str, assert_matches_torch: MatchesTorch
) -> None:
    layer = Dense(4, 3, rng=0, init=init)
    module = to_torch(layer)
    assert isinstance(module, torch.nn.Linear)
    x, g = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    assert_matches_torch(layer, module, x, g)


@given(
    batch=st.integers(1, 16),
    n_in=st.integers(1, 12),
    n_out=st.integers(1, 12),
    scale=st.floats(0.1, 10.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_dense_matches_torch_for_random_shapes(
    batch: int, n_in: int, n_out: int, scale: float, seed: int, assert_matches_torch: MatchesTorch
) -> None:
    generator = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, rng=generator, init="pytorch")
    x = scale * generator.standard_normal((batch, n_in))
    g = generator.standard_normal((batch, n_out))
    linear = to_torch(layer)
    assert_matches_torch(layer, linear, x, g)


ACTIVATIONS = {
    "Sigmoid": (Sigmoid, torch.nn.Sigmoid),
    "Tanh": (Tanh, torch.nn.Tanh),
    "ReLU": (ReLU, torch.nn.ReLU),
    "Softmax": (Softmax, lambda: torch.nn.Softmax(dim=-1)),
    "Flatten": (Flatten, torch.nn.Flatten),
}


@pytest.mark.parametrize(("ours", "theirs"), ACTIVATIONS.values(), ids=ACTIVATIONS.keys())
def test_parameterless_layer_matches_torch(
    rng: np.random.Generator,
    ours: type[Layer],
    theirs: Callable[[], torch.nn.Module],
    assert_matches_torch: MatchesTorch,
) -> None:
    x = 3.0 * rng.standard_normal((6, 5))
    x[0, 0] = 0.0  # ReLU's kink: the gradient is 0 there in both
    g = rng.standard_normal((6, 5))
    assert_matches_torch(ours(), theirs(), x, g)
    assert type(to_torch(ours())) is type(theirs())


def test_softmax_and_flatten_match_torch_on_three_dimensional_input(
    rng: np.random.Generator, assert_matches_torch: MatchesTorch
) -> None:
    x = rng.standard_normal((3, 4, 5))
    assert_matches_torch(Softmax(), torch.nn.Softmax(dim=-1), x, rng.standard_normal((3, 4, 5)))
    assert_matches_torch(Flatten(), torch.nn.Flatten(), x, rng.standard_normal((3, 20)))


def test_dropout_matches_torch_in_eval_mode(
    rng: np.random.Generator, assert_matches_torch: MatchesTorch
) -> None:
    layer = Dropout(0.5, rng=0).eval()
    module = to_torch(layer)
    assert isinstance(module, torch.nn.Dropout)
    assert module.p == 0.5
    assert not module.training
    x, g = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    assert_matches_torch(layer, module, x, g)


def test_dropout_has_the_form_of_torch_dropout_in_training(
    rng: np.random.Generator, to_tensor: ToTensor
) -> None:
    # The masks come from different generators, so compare the form: y is 0 or x / (1 - p), and the
    # gradient passes, scaled by 1 / (1 - p), exactly where y was kept.
    p = 0.25
    x = rng.uniform(0.5, 1.5, size=(50, 40))
    g = rng.standard_normal(x.shape)
    torch.manual_seed(0)
    x_t = to_tensor(x)
    y_t = torch.nn.Dropout(p)(x_t)
    y_t.backward(torch.from_numpy(g))
    assert x_t.grad is not None
    layer = Dropout(p, rng=0)
    y = layer.forward(x)
    grad_x = layer.backward(g)
    for output, grad in ((y, grad_x), (y_t.detach().numpy(), x_t.grad.numpy())):
        kept = output != 0
        np.testing.assert_allclose(output[kept], x[kept] / (1 - p), rtol=RTOL)
        np.testing.assert_allclose(grad, np.where(kept, g / (1 - p), 0.0), rtol=RTOL)
        assert abs(np.mean(~kept) - p) < 0.04


# -- whole models -------------------------------------------------------------------------------------


def mlp() -> Sequential:
    return Sequential(
        Flatten(),
        Dense(6, 8, rng=1, init="he"),
        ReLU(),
        Dropout(0.5, rng=0),
        Dense(8, 5, rng=2),
        Tanh(),
        Dense(5, 4, rng=3, init="pytorch"),
        Sigmoid(),
        Dense(4, 3, rng=4),
    )


def test_to_torch_copies_architecture_names_and_weights() -> None:
    model = mlp()
    module = to_torch(model)
    assert isinstance(module, torch.nn.Sequential)
    expected_types = [
        torch.nn.Flatten,
        torch.nn.Linear,
        torch.nn.ReLU,
        torch.nn.Dropout,
        torch.nn.Linear,
        torch.nn.Tanh,
        torch.nn.Linear,
        torch.nn.Sigmoid,
        torch.nn.Linear,
    ]
    assert [type(m) for m in module] == expected_types
    named = model.named_parameters()
    state = module.state_dict()
    assert list(state) == list(named) == [name for name, _ in module.named_parameters()]
    assert list(named) == [
        "1.weight",
        "1.bias",
        "4.weight",
        "4.bias",
        "6.weight",
        "6.bias",
        "8.weight",
        "8.bias",
    ]
    for name, parameter in named.items():
        assert state[name].dtype == torch.float64
        np.testing.assert_array_equal(state[name].numpy(), parameter.value)


def test_to_torch_copy_is_independent() -> None:
    model = Sequential(Dense(3, 2, rng=0))
    module = to_torch(model)
    assert isinstance(module, torch.nn.Sequential)
    linear = module[0]
    assert isinstance(linear, torch.nn.Linear)
    weight = model.named_parameters()["0.weight"]
    before = weight.value.copy()
    with torch.no_grad():
        linear.weight.add_(1.0)
    np.testing.assert_array_equal(weight.value, before)
    weight.value += 5.0
    np.testing.assert_array_equal(linear.weight.detach().numpy(), before + 1.0)


def test_to_torch_copies_the_mode() -> None:
    model = mlp()
    assert to_torch(model).training
    model.eval()
    module = to_torch(model)
    assert not module.training
    assert not any(m.training for m in module.modules())


@pytest.mark.parametrize(
    ("dtype", "torch_dtype"), [(np.float32, torch.float32), (np.float64, torch.float64)], ids=["f32", "f64"]
)
def test_to_torch_keeps_the_dtype(dtype: DTypeLike, torch_dtype: torch.dtype) -> None:
    model = Sequential(Dense(3, 4, rng=0, dtype=dtype), ReLU(), Dense(4, 2, rng=1, dtype=dtype))
    for default in (torch.float32, torch.float64):  # whatever PyTorch's default dtype is
        previous = torch.get_default_dtype()
        torch.set_default_dtype(default)
        try:
            module = to_torch(model)
        finally:
            torch.set_default_dtype(previous)
        assert all(p.dtype == torch_dtype for p in module.parameters())
        x = np.ones((2, 3), dtype=dtype)
        out = module(torch.from_numpy(x))
        assert out.dtype == torch_dtype
        np.testing.assert_allclose(
            out.detach().numpy(), model.forward(x), rtol=1e-6 if dtype == np.float32 else RTOL
        )


def test_model_forward_and_backward_match_torch(
    rng: np.random.Generator, assert_matches_torch: MatchesTorch
) -> None:
    model = mlp().eval()  # dropout off: both are deterministic
    module = to_torch(model)
    x = rng.standard_normal((7, 2, 3))
    g = rng.standard_normal((7, 3))
    assert_matches_torch(model, module, x, g)


def test_model_with_dropout_p0_matches_torch_in_training(
    rng: np.random.Generator, assert_matches_torch: MatchesTorch
) -> None:
    model = Sequential(Dense(4, 6, rng=0), Dropout(0.0), Tanh(), Dense(6, 2, rng=1), Softmax())
    module = to_torch(model)
    assert module.training
    assert_matches_torch(model, module, rng.standard_normal((5, 4)), rng.standard_normal((5, 2)))


LOSS_CASES = {
    "cross entropy": (
        lambda: Sequential(Dense(4, 8, rng=0, init="he"), ReLU(), Dense(8, 3, rng=1)),
        CrossEntropyLoss,
        torch.nn.CrossEntropyLoss,
        lambda g: g.integers(0, 3, size=10),
    ),
    "binary cross entropy": (
        lambda: Sequential(Dense(4, 8, rng=0), Tanh(), Dense(8, 1, rng=1), Sigmoid()),
        BCELoss,
        torch.nn.BCELoss,
        lambda g: g.integers(0, 2, size=(10, 1)).astype(np.float64),
    ),
    "mean squared error": (
        lambda: Sequential(Dense(4, 8, rng=0), Sigmoid(), Dense(8, 2, rng=1)),
        MSELoss,
        torch.nn.MSELoss,
        lambda g: g.standard_normal((10, 2)),
    ),
}


@pytest.mark.parametrize("case", LOSS_CASES)
def test_model_with_loss_matches_torch(rng: np.random.Generator, to_tensor: ToTensor, case: str) -> None:
    make_model, make_loss, make_torch_loss, make_target = LOSS_CASES[case]
    model, loss = make_model(), make_loss()
    module, torch_loss = to_torch(model), make_torch_loss()
    x, target = rng.standard_normal((10, 4)), make_target(rng)
    model.zero_grad()
    value = loss.forward(model.forward(x), target)
    grad_x = model.backward(loss.backward())
    x_t = to_tensor(x)
    value_t = torch_loss(module(x_t), torch.from_numpy(target))
    value_t.backward()
    assert x_t.grad is not None
    np.testing.assert_allclose(value, value_t.item(), rtol=RTOL)
    np.testing.assert_allclose(grad_x, x_t.grad.numpy(), rtol=RTOL)
    torch_params = dict(module.named_parameters())
    for name, parameter in model.named_parameters().items():
        torch_grad = torch_params[name].grad
        assert torch_grad is not None
        np.testing.assert_allclose(parameter.grad, torch_grad.numpy(), rtol=RTOL, err_msg=name)


def test_gradients_accumulate_like_torch(rng: np.random.Generator, to_tensor: ToTensor) -> None:
    model = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    module = to_torch(model)
    batches = [rng.standard_normal((5, 3)) for _ in range(2)]
    grads = [rng.standard_normal((5, 2)) for _ in range(2)]
    for x, g in zip(batches, grads, strict=True):  # two backward calls, no zero_grad in between
        model.forward(x)
        model.backward(g)
        module(to_tensor(x)).backward(torch.from_numpy(g))
    torch_params = dict(module.named_parameters())
    for name, parameter in model.named_parameters().items():
        torch_grad = torch_params[name].grad
        assert torch_grad is not None
        np.testing.assert_allclose(parameter.grad, torch_grad.numpy(), rtol=RTOL, err_msg=name)


def test_fit_matches_a_torch_training_loop(rng: np.random.Generator) -> None:
    """``fit`` with shuffling, mini-batches, momentum and weight decay is the textbook torch loop."""
    X = rng.standard_normal((30, 4))
    y = rng.integers(0, 3, size=30)
    model = Sequential(Dense(4, 10, rng=0, init="he"), ReLU(), Dense(10, 3, rng=1))
    module = to_torch(model)
    history = fit(
        model,
        CrossEntropyLoss(),
        SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3),
        X,
        y,
        epochs=4,
        batch_size=8,
        rng=5,
        verbose=False,
    )
    optimizer = torch.optim.SGD(module.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    order_rng = np.random.default_rng(5)  # fit's shuffling: one permutation per epoch
    epoch_losses = []
    for _ in range(4):
        order = order_rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), 8):
            index = order[start : start + 8]
            optimizer.zero_grad()
            value = loss_fn(module(torch.from_numpy(X[index])), torch.from_numpy(y[index]))
            value.backward()
            optimizer.step()
            total += value.item() * len(index)
        epoch_losses.append(total / len(X))
    np.testing.assert_allclose(history.loss, epoch_losses, rtol=RTOL)
    state = module.state_dict()
    for name, parameter in model.named_parameters().items():
        np.testing.assert_allclose(parameter.value, state[name].numpy(), rtol=RTOL, err_msg=name)
