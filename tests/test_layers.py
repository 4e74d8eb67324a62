"""Layers and activations: gradient checks, the layer protocol, dropout, initialisation, dtypes."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import DTypeLike

from nnbasics import Sequential, gradcheck
from nnbasics.activations import (
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh,
    tanh_derivative,
)
from nnbasics.gradcheck import numerical_gradient, relative_error
from nnbasics.layers import INITS, Dense, Dropout, Flatten, Layer, Parameter
from nnbasics.losses import BCELoss, CrossEntropyLoss, MSELoss
from nnbasics.optim import SGD

GRADCHECK_TOL = 1e-7


class FixedMaskDropout(Dropout):
    """Dropout whose generator is reseeded before every forward pass: the same mask every time."""

    def __init__(self, p: float, *, seed: int) -> None:
        super().__init__(p, rng=seed)
        self.seed = seed

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.rng = np.random.default_rng(self.seed)
        return super().forward(x)


def away_from_zero(x: np.ndarray, margin: float = 0.1) -> np.ndarray:
    """Push every entry at least ``margin`` away from 0, keeping its sign (ReLU's kink is at 0)."""
    return np.where(x >= 0, x + margin, x - margin)


# -- gradient checks: backward against centred finite differences in float64 ----------------------


@pytest.mark.parametrize("init", sorted(INITS))
def test_gradcheck_dense(rng: np.random.Generator, init: str) -> None:
    layer = Dense(4, 3, rng=1, init=init)
    if init == "zeros":  # a zero weight makes dL/dx zero; check with non-zero weights as well
        layer.weight.value[...] = rng.standard_normal(layer.weight.shape)
    assert gradcheck(layer, rng.standard_normal((5, 4))) <= GRADCHECK_TOL


@pytest.mark.parametrize(
    "make_layer",
    [Sigmoid, Tanh, Softmax, Flatten],
    ids=["Sigmoid", "Tanh", "Softmax", "Flatten"],
)
def test_gradcheck_parameterless_layers(rng: np.random.Generator, make_layer: type[Layer]) -> None:
    assert gradcheck(make_layer(), 2.0 * rng.standard_normal((4, 5))) <= GRADCHECK_TOL


def test_gradcheck_relu_away_from_the_kink(rng: np.random.Generator) -> None:
    x = away_from_zero(rng.standard_normal((6, 5)))
    assert np.min(np.abs(x)) > 0.1
    assert np.sum(x > 0) > 5  # both branches are checked
    assert np.sum(x < 0) > 5
    assert gradcheck(ReLU(), x) <= GRADCHECK_TOL


def test_gradcheck_flatten_of_images(rng: np.random.Generator) -> None:
    assert gradcheck(Flatten(), rng.standard_normal((3, 2, 4, 5))) <= GRADCHECK_TOL


def test_gradcheck_softmax_of_three_dimensional_input(rng: np.random.Generator) -> None:
    assert gradcheck(Softmax(), rng.standard_normal((2, 3, 4))) <= GRADCHECK_TOL


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5])
def test_gradcheck_dropout_with_a_fixed_mask(rng: np.random.Generator, p: float) -> None:
    layer = FixedMaskDropout(p, seed=7)
    x = rng.standard_normal((8, 6))
    y = layer.forward(x)
    if p > 0:
        assert 0 < np.sum(y == 0) < y.size  # some values dropped, some kept
    np.testing.assert_array_equal(layer.forward(x), y)  # the mask is the same every time
    assert gradcheck(layer, x) <= GRADCHECK_TOL


def test_gradcheck_sequential_without_loss(rng: np.random.Generator) -> None:
    model = Sequential(
        Dense(3, 5, rng=1), Tanh(), Dense(5, 4, rng=2), Sigmoid(), Dense(4, 2, rng=3), Softmax()
    )
    # Through sigmoid (slope <= 1/4) and a two-class softmax the first bias's gradient is small
    # (about 1e-3, its terms cancel over the batch), so with eps = 1e-6 the rounding error of f,
    # about 1e-16 |f| / eps, alone is 2e-7 of it; eps = 1e-5 trades it for a 1e-10 truncation error.
    assert gradcheck(model, rng.standard_normal((6, 3)), eps=1e-5) <= GRADCHECK_TOL


def test_gradcheck_sequential_with_relu_and_dropout(rng: np.random.Generator) -> None:
    model = Sequential(
        Flatten(), Dense(6, 8, rng=1, init="he"), ReLU(), FixedMaskDropout(0.25, seed=3), Dense(8, 3, rng=2)
    )
    x = rng.standard_normal((5, 2, 3))
    hidden = model[1].forward(model[0].forward(x))
    assert np.min(np.abs(hidden)) > 1e-3  # finite differences (eps 1e-6) never cross ReLU's kink
    assert gradcheck(model, x) <= GRADCHECK_TOL


@pytest.mark.parametrize(
    ("head", "loss", "target"),
    [
        (Sigmoid(), BCELoss(), np.array([[1.0], [0.0], [1.0], [0.0], [1.0]])),
        (Tanh(), MSELoss(), np.array([[0.5], [-0.2], [0.1], [0.9], [-0.7]])),
        (None, CrossEntropyLoss(), np.array([0, 2, 1, 2, 0])),
    ],
    ids=["BCELoss", "MSELoss", "CrossEntropyLoss"],
)
def test_gradcheck_sequential_with_loss(
    rng: np.random.Generator,
    head: Layer | None,
    loss: BCELoss | MSELoss | CrossEntropyLoss,
    target: np.ndarray,
) -> None:
    out = 3 if head is None else 1
    layers: list[Layer] = [Dense(4, 6, rng=1), Tanh(), Dense(6, out, rng=2)]
    if head is not None:
        layers.append(head)
    model = Sequential(*layers)
    assert gradcheck(model, rng.standard_normal((5, 4)), target, loss=loss) <= GRADCHECK_TOL


def test_gradcheck_detects_a_wrong_backward(rng: np.random.Generator) -> None:
    class WrongTanh(Tanh):
        def _backward_from_output(self, grad: np.ndarray, out: np.ndarray) -> np.ndarray:
            return grad * (1.0 - out)  # should be 1 - out**2

    assert gradcheck(WrongTanh(), rng.standard_normal((3, 4))) > 1e-2


def test_numerical_gradient_and_relative_error() -> None:
    x = np.array([1.0, -2.0, 3.0])
    grad = numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-9)
    np.testing.assert_array_equal(x, [1.0, -2.0, 3.0])  # restored
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.5])) == pytest.approx(0.2)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


# -- dropout ---------------------------------------------------------------------------------------


def test_dropout_backward_is_grad_times_mask_over_keep_probability(rng: np.random.Generator) -> None:
    p = 0.4
    layer = Dropout(p, rng=0)
    x = rng.uniform(0.5, 1.5, size=(20, 10))  # never 0, so a 0 in the output means dropped
    y = layer.forward(x)
    kept = y != 0
    np.testing.assert_array_equal(y[kept], x[kept] / (1 - p))
    grad = rng.standard_normal(x.shape)
    np.testing.assert_array_equal(layer.backward(grad), np.where(kept, grad / (1 - p), 0.0))


def test_dropout_eval_mode_is_the_identity(rng: np.random.Generator) -> None:
    layer = Dropout(0.5, rng=0).eval()
    x = rng.standard_normal((4, 5))
    assert layer.forward(x) is x
    grad = rng.standard_normal((4, 5))
    assert layer.backward(grad) is grad


def test_dropout_with_p_zero_is_the_identity_in_training(rng: np.random.Generator) -> None:
    layer = Dropout(0.0, rng=0)
    x = rng.standard_normal((4, 5))
    np.testing.assert_array_equal(layer.forward(x), x)


def test_dropout_preserves_the_mean_in_training() -> None:
    p = 0.3
    layer = Dropout(p, rng=np.random.default_rng(2024))
    x = np.full((400, 500), 2.0)
    y = layer.forward(x)
    dropped = np.mean(y == 0)
    # 200,000 Bernoulli draws: the standard error of the drop rate is about 0.001.
    assert abs(dropped - p) < 0.005, f"dropped {dropped:.4f} of the values, expected {p}"
    assert abs(np.mean(y) - 2.0) < 0.02, f"mean {np.mean(y):.4f} after dropout, expected 2.0"


def test_dropout_draws_a_new_mask_each_call_and_is_reproducible(rng: np.random.Generator) -> None:
    x = rng.uniform(1.0, 2.0, size=(10, 10))
    first, second = Dropout(0.5, rng=3), Dropout(0.5, rng=3)
    a1, a2 = first.forward(x), first.forward(x)
    assert not np.array_equal(a1 == 0, a2 == 0)
    np.testing.assert_array_equal(second.forward(x), a1)


# -- flatten -----------------------------------------------------------------------------------------


@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=5, min_side=1, max_side=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_flatten_round_trip(shape: tuple[int, ...], seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal(shape)
    layer = Flatten()
    y = layer.forward(x)
    assert y.shape == (shape[0], math.prod(shape[1:]))
    np.testing.assert_array_equal(y.ravel(), x.ravel())  # the same numbers in the same (C) order
    back = layer.backward(y)
    assert back.shape == x.shape
    np.testing.assert_array_equal(back, x)


# -- activations as functions ------------------------------------------------------------------------


def test_activation_functions_known_values() -> None:
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    assert sigmoid(np.array(0.0)) == 0.5
    np.testing.assert_array_equal(relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu_derivative(z), [0.0, 0.0, 1.0])  # 0 at the kink, as PyTorch
    assert relu_derivative(np.array([-1, 0, 2])).dtype == np.float64
    np.testing.assert_array_equal(tanh(z), np.tanh(z))
    np.testing.assert_allclose(softmax(np.array([0.0, math.log(3.0)])), [0.25, 0.75], rtol=1e-15)


@pytest.mark.parametrize(
    ("function", "derivative"),
    [(sigmoid, sigmoid_derivative), (tanh, tanh_derivative), (relu, relu_derivative)],
    ids=["sigmoid", "tanh", "relu"],
)
def test_activation_derivatives_match_finite_differences(function, derivative) -> None:
    z = np.array([-3.0, -1.2, -0.3, 0.4, 1.1, 2.5])
    numerical = np.array([(function(v + 1e-6) - function(v - 1e-6)) / 2e-6 for v in z])
    assert relative_error(derivative(z), numerical) <= GRADCHECK_TOL


def test_activation_derivative_maxima() -> None:
    z = np.linspace(-5, 5, 1001)
    assert np.max(sigmoid_derivative(z)) == pytest.approx(0.25) == sigmoid_derivative(np.array(0.0))
    assert np.max(tanh_derivative(z)) == pytest.approx(1.0) == tanh_derivative(np.array(0.0))


@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(0.01, 100.0),
    shift=st.floats(-100.0, 100.0),
)
def test_softmax_rows_sum_to_one_and_ignore_a_constant(
    shape: tuple[int, ...], seed: int, scale: float, shift: float
) -> None:
    z = scale * np.random.default_rng(seed).standard_normal(shape)
    s = softmax(z)
    assert np.all(s >= 0)
    assert np.all(s <= 1)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(softmax(z + shift), s, rtol=1e-10)
    np.testing.assert_array_equal(Softmax().forward(z), s)


@given(z=hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e308, 1e308)))
def test_sigmoid_stays_in_range_and_never_warns(z: np.ndarray) -> None:
    layer = Sigmoid()
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        s = sigmoid(z)
        out = layer.forward(z)
        grad = layer.backward(np.ones_like(z))
    assert np.all((s >= 0) & (s <= 1))
    moderate = np.abs(z) < 30  # beyond, the float64 result rounds to exactly 0 or 1
    assert np.all((s[moderate] > 0) & (s[moderate] < 1))
    np.testing.assert_array_equal(out, s)
    assert np.all(np.isfinite(grad))
    assert np.all((grad >= 0) & (grad <= 0.25))
    order = np.argsort(z, kind="stable")
    assert np.all(np.diff(s[order]) >= 0)  # monotone


def test_sigmoid_of_huge_values() -> None:
    z = np.array([-1e308, -800.0, -40.0, 40.0, 800.0, 1e308, -np.inf, np.inf])
    with np.errstate(all="raise", under="ignore"):
        s = sigmoid(z)
    np.testing.assert_array_equal(s[[0, 1, 6]], 0.0)
    np.testing.assert_array_equal(s[[4, 5, 7]], 1.0)
    assert s[2] == pytest.approx(math.exp(-40.0), rel=1e-12)
    np.testing.assert_allclose(sigmoid(-z[:6]), 1.0 - s[:6], atol=1e-17)  # symmetry; atol: exact 0s


# -- the layer protocol --------------------------------------------------------------------------------


def test_named_parameters_order_and_names() -> None:
    model = Sequential(Dense(2, 3), ReLU(), Dense(3, 4), Dropout(0.5), Dense(4, 1), Sigmoid())
    named = model.named_parameters()
    assert list(named) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    assert [p.shape for p in named.values()] == [(3, 2), (3,), (4, 3), (4,), (1, 4), (1,)]
    dense = model[2]
    assert isinstance(dense, Dense)
    assert named["2.weight"] is dense.weight
    assert model.parameters() == list(named.values())
    assert list(Dense(2, 3).named_parameters()) == ["weight", "bias"]
    assert ReLU().named_parameters() == {}


def test_nested_sequential_names() -> None:
    model = Sequential(Sequential(Dense(2, 3), Tanh()), Dense(3, 1))
    assert list(model.named_parameters()) == ["0.0.weight", "0.0.bias", "1.weight", "1.bias"]


def test_parameter_and_sequential_reprs() -> None:
    param = Parameter(np.zeros((3, 2)))
    assert (param.shape, param.size) == ((3, 2), 6)
    assert repr(param) == "Parameter(shape=(3, 2), dtype=float64)"
    np.testing.assert_array_equal(param.grad, np.zeros((3, 2)))
    model = Sequential(Dense(2, 3), ReLU(), Dense(3, 1))
    assert (
        repr(model) == "Sequential(\n  (0) Dense(2, 3)\n  (1) ReLU()\n  (2) Dense(3, 1)\n)  # 13 parameters"
    )
    assert len(model) == 3
    assert repr(Dropout(0.25)) == "Dropout(p=0.25)"
    assert repr(Softmax()) == "Softmax()"
    assert repr(Flatten()) == "Flatten()"


def test_zero_grad_clears_every_gradient(rng: np.random.Generator) -> None:
    model = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    model.forward(rng.standard_normal((5, 3)))
    model.backward(rng.standard_normal((5, 2)))
    assert all(np.any(p.grad != 0) for p in model.parameters())
    model.zero_grad()
    assert all(np.all(p.grad == 0) for p in model.parameters())


def test_gradients_accumulate_across_backward_calls(rng: np.random.Generator) -> None:
    model = Sequential(Dense(3, 4, rng=0), Sigmoid(), Dense(4, 2, rng=1))
    x, g = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    model.forward(x)
    model.backward(g)
    once = [p.grad.copy() for p in model.parameters()]
    model.backward(g)
    for grad, single in zip((p.grad for p in model.parameters()), once, strict=True):
        np.testing.assert_allclose(grad, 2 * single, rtol=1e-15)


def test_train_and_eval_propagate_through_sequential() -> None:
    inner = Sequential(Dense(2, 2), Dropout(0.5))
    model = Sequential(Dense(2, 2), Dropout(0.5), inner)
    everything = [model, model[0], model[1], inner, inner[0], inner[1]]
    assert all(layer.training for layer in everything)
    assert model.eval() is model
    assert not any(layer.training for layer in everything)
    assert model.train() is model
    assert all(layer.training for layer in everything)
    model.train(mode=False)
    assert not any(layer.training for layer in everything)


def test_layer_call_is_forward(rng: np.random.Generator) -> None:
    layer = Dense(3, 2, rng=0)
    x = rng.standard_normal((4, 3))
    np.testing.assert_array_equal(layer(x), x @ layer.weight.value.T + layer.bias.value)


# -- initialisation --------------------------------------------------------------------------------------


def test_he_init_statistics() -> None:
    layer = Dense(400, 300, init="he", rng=0)
    std = layer.weight.value.std()
    expected = math.sqrt(2 / 400)
    assert abs(std / expected - 1) < 0.01, f"He std {std:.5f}, expected {expected:.5f}"
    assert abs(layer.weight.value.mean()) < 0.01 * expected
    np.testing.assert_array_equal(layer.bias.value, 0.0)


def test_xavier_init_statistics() -> None:
    layer = Dense(400, 200, rng=0)  # xavier is the default
    limit = math.sqrt(6 / 600)
    w = layer.weight.value
    assert np.all(np.abs(w) <= limit)
    assert np.max(np.abs(w)) > 0.99 * limit
    assert abs(w.std() / (limit / math.sqrt(3)) - 1) < 0.01  # std of U(-a, a) is a / sqrt(3)
    np.testing.assert_array_equal(layer.bias.value, 0.0)


def test_pytorch_init_bounds() -> None:
    layer = Dense(100, 300, init="pytorch", rng=0)
    k = 1 / math.sqrt(100)
    for values in (layer.weight.value, layer.bias.value):
        assert np.all(np.abs(values) <= k)
        assert np.max(np.abs(values)) > 0.95 * k


def test_zeros_init() -> None:
    layer = Dense(3, 2, init="zeros")
    assert np.all(layer.weight.value == 0)
    assert np.all(layer.bias.value == 0)


def test_init_is_reproducible_for_a_seed() -> None:
    np.testing.assert_array_equal(Dense(5, 4, rng=3).weight.value, Dense(5, 4, rng=3).weight.value)
    assert not np.array_equal(Dense(5, 4, rng=3).weight.value, Dense(5, 4, rng=4).weight.value)
    generator = np.random.default_rng(3)
    first, second = Dense(5, 4, rng=generator), Dense(5, 4, rng=generator)
    assert not np.array_equal(first.weight.value, second.weight.value)  # the generator moves on
    np.testing.assert_array_equal(first.weight.value, Dense(5, 4, rng=3).weight.value)


# -- dtypes ---------------------------------------------------------------------------------------------


def test_float64_is_the_default() -> None:
    layer = Dense(3, 2)
    assert layer.weight.value.dtype == np.float64
    assert layer.bias.value.dtype == np.float64
    assert layer.weight.grad.dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64, "float32"])
def test_dtype_is_kept_through_forward_backward_and_sgd(rng: np.random.Generator, dtype: DTypeLike) -> None:
    expected = np.dtype(dtype)
    model = Sequential(
        Flatten(),
        Dense(6, 5, rng=0, dtype=dtype),
        ReLU(),
        Dropout(0.2, rng=0),
        Dense(5, 4, rng=1, dtype=dtype),
        Tanh(),
        Dense(4, 3, rng=2, dtype=dtype),
        Sigmoid(),
        Softmax(),
    )
    x = rng.standard_normal((7, 2, 3)).astype(expected)
    out = model.forward(x)
    assert out.dtype == expected
    grad_in = model.backward(np.ones_like(out))
    assert grad_in.dtype == expected
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
    for _ in range(2):
        optimizer.step()
    for name, param in model.named_parameters().items():
        assert param.value.dtype == expected, name
        assert param.grad.dtype == expected, name


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_keep_the_dtype(rng: np.random.Generator, dtype: DTypeLike) -> None:
    logits = rng.standard_normal((4, 3)).astype(dtype)
    ce = CrossEntropyLoss()
    ce.forward(logits, np.array([0, 1, 2, 0]))
    assert ce.backward().dtype == dtype
    probs = sigmoid(logits)
    bce = BCELoss()
    bce.forward(probs, (probs > 0.5).astype(dtype))
    assert bce.backward().dtype == dtype
    mse = MSELoss()
    mse.forward(logits, np.zeros_like(logits))
    assert mse.backward().dtype == dtype
