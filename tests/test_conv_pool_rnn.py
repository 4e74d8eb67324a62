"""Convolution, pooling and recurrence: finite differences, PyTorch parity, learning, errors.

Every case is checked twice, as for the dense layers: the backward pass against centred
finite differences (relative error <= 1e-7), and forward and backward against PyTorch
autograd on the same weights in float64 (rtol 1e-10), over combinations of stride,
padding, kernel size and sequence length.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import nnbasics
from nnbasics.activations import ReLU
from nnbasics.datasets import digits, train_test_split
from nnbasics.layers import (
    RNN,
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    LastStep,
    Layer,
    MaxPool2D,
    conv2d_naive,
    fold,
    output_size,
    unfold,
)
from nnbasics.losses import CrossEntropyLoss
from nnbasics.torch import to_torch, torch_name

RTOL = 1e-10

CONV_CASES = [
    # in, out, kernel, stride, padding, height, width
    (1, 2, 3, 1, 0, 5, 6),
    (2, 3, 3, 2, 1, 7, 8),
    (3, 2, (2, 3), 1, 2, 5, 5),
    (2, 4, 4, 3, 1, 9, 7),
    (1, 1, 1, 1, 0, 4, 4),
    (2, 2, 5, 1, 2, 5, 5),
]
POOL_CASES = [(2, None), (3, 1), (2, (1, 2)), ((2, 3), 2), (3, None)]
SEQUENCE_LENGTHS = [1, 2, 5, 17, 40]


def compare_with_torch(
    layer: Layer, x: np.ndarray, rng: np.random.Generator, assert_matches_torch: Callable[..., None]
) -> None:
    """Forward, input gradient and every parameter gradient equal those of ``to_torch(layer)`` (rtol 1e-10)."""
    grad_out = rng.standard_normal(layer.forward(x).shape)
    assert_matches_torch(layer, to_torch(layer), x, grad_out, atol=1e-14)


# -- Conv2D ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("c_in", "c_out", "kernel", "stride", "padding", "height", "width"), CONV_CASES)
def test_conv2d_matches_naive_loops_torch_and_finite_differences(
    c_in, c_out, kernel, stride, padding, height, width, rng, assert_matches_torch
):
    conv = Conv2D(c_in, c_out, kernel, stride=stride, padding=padding, rng=1, init="pytorch")
    x = rng.standard_normal((2, c_in, height, width))
    y = conv.forward(x)
    kh, kw = conv.kernel_size
    assert y.shape == (
        2,
        c_out,
        output_size(height, kh, stride, padding),
        output_size(width, kw, stride, padding),
    )
    # The vectorised layer and the loops of the definition agree.
    if kh == kw:
        naive = conv2d_naive(x, conv.weight.value, conv.bias.value, stride=stride, padding=padding)
        np.testing.assert_allclose(y, naive, rtol=RTOL, atol=1e-14)
    compare_with_torch(conv, x, rng, assert_matches_torch)
    assert nnbasics.gradcheck(conv, x) <= 1e-7


@given(
    batch=st.integers(1, 3),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 3),
    kernel=st.integers(1, 4),
    stride=st.integers(1, 3),
    padding=st.integers(0, 2),
    size=st.integers(4, 9),
    seed=st.integers(0, 2**16),
)
def test_conv2d_equals_naive_for_random_shapes(batch, c_in, c_out, kernel, stride, padding, size, seed):
    rng = np.random.default_rng(seed)
    conv = Conv2D(c_in, c_out, kernel, stride=stride, padding=padding, rng=seed, init="pytorch")
    x = rng.standard_normal((batch, c_in, size, size + 1))
    naive = conv2d_naive(x, conv.weight.value, conv.bias.value, stride=stride, padding=padding)
    np.testing.assert_allclose(conv.forward(x), naive, rtol=RTOL, atol=1e-13)


def test_conv2d_float32_stays_float32():
    conv = Conv2D(1, 2, 3, rng=0, dtype=np.float32)
    x = np.ones((1, 1, 5, 5), dtype=np.float32)
    y = conv.forward(x)
    assert y.dtype == np.float32
    assert conv.backward(np.ones_like(y)).dtype == np.float32
    assert conv.weight.grad.dtype == np.float32


# -- Pooling --------------------------------------------------------------------------------


@pytest.mark.parametrize("pool_class", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize(("kernel", "stride"), POOL_CASES)
def test_pooling_matches_torch_and_finite_differences(pool_class, kernel, stride, rng, assert_matches_torch):
    pool = pool_class(kernel, stride=stride)
    x = rng.standard_normal((2, 3, 7, 8))  # continuous values: no ties for the maximum
    compare_with_torch(pool, x, rng, assert_matches_torch)
    assert nnbasics.gradcheck(pool, x) <= 1e-7


def test_max_pool_sends_each_gradient_to_the_position_of_the_max():
    x = np.array([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 9.0, 1.0], [0.0, 0.0, 1.0, 1.0], [7.0, 0.0, 1.0, 2.0]]]])
    pool = MaxPool2D(2)
    np.testing.assert_array_equal(pool.forward(x), [[[[5.0, 9.0], [7.0, 2.0]]]])
    grad = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    expected = np.zeros_like(x)
    expected[0, 0, 0, 1], expected[0, 0, 1, 2], expected[0, 0, 3, 0], expected[0, 0, 3, 3] = 10, 20, 30, 40
    np.testing.assert_array_equal(grad, expected)


@pytest.mark.parametrize(("kernel", "stride"), POOL_CASES)
def test_max_pool_breaks_ties_and_passes_nan_as_torch_does(kernel, stride, rng):
    """Whole numbers tie often: the first maximum of a window wins, and a NaN wins its window."""
    x = rng.integers(0, 3, size=(2, 3, 7, 8)).astype(float)
    x[0, 0, 1, 1] = x[1, 2, 4, 5] = np.nan
    pool = MaxPool2D(kernel, stride=stride)
    y = pool.forward(x)
    grad_out = rng.standard_normal(y.shape)
    x_t = torch.tensor(x, requires_grad=True)
    y_t = torch.nn.MaxPool2d(kernel, stride=stride)(x_t)
    y_t.backward(torch.tensor(grad_out))
    np.testing.assert_array_equal(y, y_t.detach().numpy())  # NaN where torch has NaN
    assert x_t.grad is not None
    # Overlapping windows add their gradients in another order than torch: last-bit differences.
    np.testing.assert_allclose(pool.backward(grad_out), x_t.grad.numpy(), rtol=1e-14, atol=0)


def test_average_pool_spreads_the_gradient_evenly():
    pool = AvgPool2D(2)
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(pool.forward(x), [[[[2.5, 4.5], [10.5, 12.5]]]])
    grad = pool.backward(np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(grad, np.full((1, 1, 4, 4), 0.25))


# -- RNN ------------------------------------------------------------------------------------


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("steps", SEQUENCE_LENGTHS)
def test_rnn_matches_torch_and_finite_differences(nonlinearity, steps, rng, assert_matches_torch):
    rnn = RNN(3, 5, nonlinearity=nonlinearity, rng=2)
    x = rng.standard_normal((4, steps, 3))
    compare_with_torch(rnn, x, rng, assert_matches_torch)
    assert nnbasics.gradcheck(rnn, x) <= 1e-7


def test_rnn_last_hidden_state_is_torch_h_n(rng):
    rnn = RNN(2, 4, rng=0)
    x = rng.standard_normal((3, 6, 2))
    twin = torch.nn.RNN(2, 4, batch_first=True).double()
    twin.load_state_dict(
        {torch_name(n): torch.from_numpy(p.value) for n, p in rnn.named_parameters().items()}
    )
    output, h_n = twin(torch.from_numpy(x))
    ours = rnn.forward(x)
    np.testing.assert_allclose(ours, output.detach().numpy(), rtol=RTOL)
    np.testing.assert_allclose(ours[:, -1], h_n[0].detach().numpy(), rtol=RTOL)


@pytest.mark.parametrize("steps", [1, 8, 25])
def test_sequence_classifier_matches_torch_with_loss(steps, rng, assert_matches_torch):
    model = nnbasics.Sequential(RNN(2, 6, rng=0), LastStep(), Dense(6, 3, rng=1))
    x = rng.standard_normal((5, steps, 2))
    target = rng.integers(0, 3, size=5)
    compare_with_torch(model, x, rng, assert_matches_torch)
    assert nnbasics.gradcheck(model, x, target, loss=CrossEntropyLoss()) <= 1e-7


def test_cnn_model_matches_torch_and_finite_differences(rng, assert_matches_torch):
    model = nnbasics.Sequential(
        Conv2D(1, 3, 3, padding=1, rng=0), ReLU(), MaxPool2D(2), Flatten(), Dense(3 * 3 * 3, 4, rng=1)
    )
    x = rng.standard_normal((2, 1, 6, 6))
    compare_with_torch(model, x, rng, assert_matches_torch)
    # ReLU's kink: finite differences are exact only away from 0, which random inputs are.
    assert nnbasics.gradcheck(model, x, rng.integers(0, 4, size=2), loss=CrossEntropyLoss()) <= 1e-6


# -- Learning -------------------------------------------------------------------------------


@pytest.mark.slow
def test_small_cnn_reaches_97_percent_on_digits(train):
    data = digits()
    assert data.images is not None
    X_train, X_test, y_train, y_test = train_test_split(data.images[:, None], data.y, rng=0)
    model = nnbasics.Sequential(
        Conv2D(1, 16, 3, padding=1, rng=0), ReLU(), MaxPool2D(2), Flatten(), Dense(16 * 4 * 4, 10, rng=10)
    )
    history = train(
        model,
        CrossEntropyLoss(),
        X_train,
        y_train,
        lr=0.02,
        momentum=0.9,
        epochs=20,
        batch_size=32,
        validation_data=(X_test, y_test),
        rng=0,
    )
    assert history.val_accuracy[-1] >= 0.97, f"CNN test accuracy {history.val_accuracy[-1]:.3f} < 0.97"


def count_ones(n: int, steps: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Sequences of ``steps`` random bits (as -1/+1) labelled with how many are 1 (0 to steps)."""
    bits = np.random.default_rng(seed).integers(0, 2, size=(n, steps))
    return (2.0 * bits - 1.0)[..., None], bits.sum(axis=1)


@pytest.mark.slow
def test_rnn_learns_to_count_the_ones_in_a_bit_sequence(train):
    steps = 10
    X_train, y_train = count_ones(2000, steps, seed=0)
    X_test, y_test = count_ones(500, steps, seed=1)
    model = nnbasics.Sequential(RNN(1, 32, rng=0), LastStep(), Dense(32, steps + 1, rng=1))
    history = train(
        model,
        CrossEntropyLoss(),
        X_train,
        y_train,
        lr=0.01,
        momentum=0.9,
        epochs=40,
        batch_size=32,
        validation_data=(X_test, y_test),
        rng=0,
    )
    # 11 classes: guessing the most common count (5) is right 25 % of the time.
    assert history.val_accuracy[-1] >= 0.95, f"RNN test accuracy {history.val_accuracy[-1]:.3f} < 0.95"


# -- Errors ---------------------------------------------------------------------------------


def test_conv2d_rejects_wrong_channels_with_shapes():
    conv = Conv2D(3, 4, 3)
    with pytest.raises(
        ValueError, match=r"Conv2D\(3, 4, 3\): expected input of shape \(batch, 3, .*got \(2, 1, 8, 8\)"
    ):
        conv.forward(np.zeros((2, 1, 8, 8)))


def test_conv2d_rejects_an_image_smaller_than_the_kernel():
    with pytest.raises(ValueError, match=r"Conv2D\(1, 1, 5\).*got \(1, 1, 3, 3\)"):
        Conv2D(1, 1, 5).forward(np.zeros((1, 1, 3, 3)))


def test_conv2d_rejects_flat_input_inside_a_model():
    model = nnbasics.Sequential(Conv2D(1, 2, 3), Flatten())
    with pytest.raises(ValueError, match=r"Sequential layer 0: Conv2D\(1, 2, 3\).*got \(4, 64\)"):
        model.forward(np.zeros((4, 64)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kernel_size": 0}, "kernel_size must be a positive int"),
        ({"kernel_size": 3, "stride": 0}, "stride must be >= 1"),
        ({"kernel_size": 3, "padding": -1}, "padding >= 0"),
        ({"kernel_size": 3, "init": "magic"}, "unknown init 'magic'"),
    ],
)
def test_conv2d_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2D(1, 2, **kwargs)


def test_pooling_rejects_wrong_rank_and_small_images():
    with pytest.raises(ValueError, match=r"MaxPool2D\(2\): expected input of shape \(batch, channels"):
        MaxPool2D(2).forward(np.zeros((4, 8, 8)))
    with pytest.raises(ValueError, match=r"AvgPool2D\(3\).*got \(1, 1, 2, 2\)"):
        AvgPool2D(3).forward(np.zeros((1, 1, 2, 2)))


def test_pool_backward_rejects_a_wrong_gradient_shape():
    pool = MaxPool2D(2)
    pool.forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"backward expected grad_out of shape \(1, 1, 2, 2\)"):
        pool.backward(np.zeros((1, 1, 4, 4)))


def test_rnn_rejects_bad_input_and_settings():
    with pytest.raises(
        ValueError, match=r"RNN\(3, 5\): expected input of shape \(batch, time, 3\), got \(4, 3\)"
    ):
        RNN(3, 5).forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="nonlinearity must be 'tanh' or 'relu'"):
        RNN(3, 5, nonlinearity="sigmoid")
    with pytest.raises(RuntimeError, match=r"RNN\(3, 5\): backward\(\) called before forward\(\)"):
        RNN(3, 5).backward(np.zeros((1, 1, 5)))


# -- unfold and fold (im2col and back) ------------------------------------------------------

UNFOLD_CASES = [
    # channels, kernel, stride, height, width
    (1, (3, 3), (1, 1), 6, 6),
    (2, (2, 3), (2, 1), 7, 8),
    (3, (3, 3), (3, 3), 9, 9),
    (2, (1, 1), (1, 2), 4, 5),
]


@pytest.mark.parametrize(("channels", "kernel", "stride", "height", "width"), UNFOLD_CASES)
def test_unfold_and_fold_equal_torch(channels, kernel, stride, height, width, rng):
    x = rng.standard_normal((2, channels, height, width))
    columns = unfold(x, kernel, stride)
    expected = torch.nn.functional.unfold(torch.from_numpy(x), kernel, stride=stride).numpy()
    np.testing.assert_array_equal(columns, expected)  # only copies: exactly equal
    assert columns.flags.c_contiguous
    grad_columns = rng.standard_normal(columns.shape)
    folded = fold(grad_columns, x.shape, kernel, stride)
    expected = torch.nn.functional.fold(
        torch.from_numpy(grad_columns), (height, width), kernel, stride=stride
    ).numpy()
    np.testing.assert_allclose(folded, expected, rtol=RTOL, atol=1e-14)


@given(
    kernel=st.integers(1, 4),
    stride=st.integers(1, 3),
    size=st.integers(4, 8),
    seed=st.integers(0, 2**16),
)
def test_fold_is_the_adjoint_of_unfold(kernel, stride, size, seed):
    """<unfold(x), c> = <x, fold(c)>: fold sends each column's gradient back to its pixels."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 2, size, size + 1))
    columns = unfold(x, (kernel, kernel), (stride, stride))
    c = rng.standard_normal(columns.shape)
    np.testing.assert_allclose(
        np.sum(columns * c), np.sum(x * fold(c, x.shape, (kernel, kernel), (stride, stride))), rtol=1e-12
    )


# -- backward_parameters: the backward pass without the input's gradient ---------------------


@pytest.mark.parametrize(
    ("make_model", "input_shape"),
    [
        (lambda: Dense(5, 3, rng=0), (4, 5)),
        (lambda: Conv2D(2, 3, 3, stride=2, padding=1, rng=0), (3, 2, 6, 6)),
        (lambda: RNN(2, 4, rng=0), (3, 6, 2)),
        (lambda: MaxPool2D(2), (3, 2, 6, 6)),
        (
            lambda: nnbasics.Sequential(Conv2D(2, 3, 3, padding=1, rng=0), ReLU(), MaxPool2D(2), Flatten()),
            (3, 2, 6, 6),
        ),
        (
            lambda: nnbasics.Sequential(
                nnbasics.Sequential(RNN(2, 4, rng=0), LastStep()), Dense(4, 2, rng=1)
            ),
            (3, 6, 2),
        ),
    ],
)
def test_backward_parameters_gives_the_same_parameter_gradients(make_model, input_shape, rng):
    model = make_model()
    y = model.forward(rng.standard_normal(input_shape))
    grad_out = rng.standard_normal(y.shape)
    model.backward(grad_out)
    expected = {name: p.grad.copy() for name, p in model.named_parameters().items()}
    model.zero_grad()
    assert model.backward_parameters(grad_out) is None
    for name, parameter in model.named_parameters().items():
        np.testing.assert_array_equal(parameter.grad, expected[name])
