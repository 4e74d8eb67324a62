"""Every bad input gets an error that says what is wrong: the layer, the shapes, the allowed values."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from numpy.typing import DTypeLike

from nnbasics import Sequential, Value, draw_graph, fit, gradcheck
from nnbasics.activations import ReLU, Sigmoid, Softmax, Tanh
from nnbasics.datasets import exam, moons, spirals, train_test_split
from nnbasics.layers import Dense, Dropout, Flatten, Layer
from nnbasics.losses import BCELoss, CrossEntropyLoss, Loss, MSELoss
from nnbasics.optim import SGD
from nnbasics.torch import to_torch


def exactly(message: str) -> str:
    """A ``match`` pattern for this literal text."""
    return re.escape(message)


# -- shapes -------------------------------------------------------------------------------------------


def test_sequential_names_the_layer_whose_input_does_not_fit() -> None:
    model = Sequential(Dense(4, 3), ReLU(), Dense(5, 2))
    message = "Sequential layer 2: Dense(5, 2): expected input of shape (batch, 5), got (7, 3)"
    with pytest.raises(ValueError, match=exactly(message)):
        model.forward(np.ones((7, 4)))


def test_sequential_names_the_first_layer_for_a_bad_input() -> None:
    model = Sequential(Dense(4, 3), ReLU())
    with pytest.raises(
        ValueError,
        match=exactly("Sequential layer 0: Dense(4, 3): expected input of shape (batch, 4), got (7, 5)"),
    ):
        model.forward(np.ones((7, 5)))


def test_dense_rejects_a_vector() -> None:
    with pytest.raises(
        ValueError, match=exactly("Dense(3, 2): expected input of shape (batch, 3), got (3,)")
    ):
        Dense(3, 2).forward(np.ones(3))


def test_softmax_and_flatten_reject_scalars() -> None:
    with pytest.raises(
        ValueError, match=exactly("Softmax(): expected input of shape (batch, classes), got ()")
    ):
        Softmax().forward(np.array(1.0))
    with pytest.raises(ValueError, match=exactly("Flatten(): expected input of shape (batch, ...), got ()")):
        Flatten().forward(np.array(1.0))


@pytest.mark.parametrize(
    ("layer", "x", "bad_grad", "message"),
    [
        (
            Dense(3, 2),
            np.ones((4, 3)),
            np.ones((4, 3)),
            "Dense(3, 2): backward expected grad_out of shape (4, 2)",
        ),
        (
            Sigmoid(),
            np.ones((4, 3)),
            np.ones((3, 4)),
            "Sigmoid(): backward expected grad_out of shape (4, 3)",
        ),
        (Tanh(), np.ones((4, 3)), np.ones(12), "Tanh(): backward expected grad_out of shape (4, 3)"),
        (ReLU(), np.ones((4, 3)), np.ones((4, 3, 1)), "ReLU(): backward expected grad_out of shape (4, 3)"),
        (
            Softmax(),
            np.ones((4, 3)),
            np.ones((4, 2)),
            "Softmax(): backward expected grad_out of shape (4, 3)",
        ),
        (
            Dropout(0.5),
            np.ones((4, 3)),
            np.ones((4, 2)),
            "Dropout(p=0.5): backward expected grad_out of shape (4, 3)",
        ),
        (
            Flatten(),
            np.ones((4, 3, 2)),
            np.ones((4, 3, 2)),
            "Flatten(): backward expected grad_out of shape (4, 6)",
        ),
    ],
    ids=["Dense", "Sigmoid", "Tanh", "ReLU", "Softmax", "Dropout", "Flatten"],
)
def test_backward_rejects_a_gradient_of_the_wrong_shape(
    layer: Layer, x: np.ndarray, bad_grad: np.ndarray, message: str
) -> None:
    layer.forward(x)
    full = f"{message} (the shape of the output), got {bad_grad.shape}"
    with pytest.raises(ValueError, match=exactly(full)):
        layer.backward(bad_grad)


@pytest.mark.parametrize(
    "layer",
    [Dense(3, 2), Sigmoid(), Tanh(), ReLU(), Softmax(), Dropout(0.5), Flatten()],
    ids=["Dense", "Sigmoid", "Tanh", "ReLU", "Softmax", "Dropout", "Flatten"],
)
def test_backward_before_forward(layer: Layer) -> None:
    with pytest.raises(RuntimeError, match=exactly(f"{layer!r}: backward() called before forward()")):
        layer.backward(np.ones((2, 2)))


@pytest.mark.parametrize("loss", [MSELoss(), BCELoss(), CrossEntropyLoss()], ids=repr)
def test_loss_backward_before_forward(loss: Loss) -> None:
    with pytest.raises(RuntimeError, match=exactly(f"{loss!r}: backward() called before forward()")):
        loss.backward()


def test_sequential_backward_before_forward_names_the_last_layer() -> None:
    with pytest.raises(RuntimeError, match=exactly("Dense(3, 1): backward() called before forward()")):
        Sequential(Dense(2, 3), ReLU(), Dense(3, 1)).backward(np.ones((1, 1)))


# -- losses ----------------------------------------------------------------------------------------------


def test_mse_shape_mismatch() -> None:
    message = "MSELoss(): pred has shape (5, 1) but target has shape (5,); they must match (reshape target, e.g. y.reshape(-1, 1))"
    with pytest.raises(ValueError, match=exactly(message)):
        MSELoss().forward(np.ones((5, 1)), np.ones(5))


def test_bce_shape_mismatch() -> None:
    with pytest.raises(
        ValueError, match=exactly("BCELoss(): pred has shape (5, 1) but target has shape (5,)")
    ):
        BCELoss().forward(np.full((5, 1), 0.5), np.ones(5))


def test_bce_pred_outside_zero_one() -> None:
    message = "BCELoss(): pred must hold probabilities in [0, 1], got values from -0.5 to 2; put a Sigmoid before the loss"
    with pytest.raises(ValueError, match=exactly(message)):
        BCELoss().forward(np.array([[-0.5], [2.0]]), np.array([[0.0], [1.0]]))


def test_bce_target_outside_zero_one() -> None:
    message = "BCELoss(): target must be in [0, 1] (1 for yes, 0 for no), got values from 0 to 2"
    with pytest.raises(ValueError, match=exactly(message)):
        BCELoss().forward(np.array([[0.5], [0.5]]), np.array([[0.0], [2.0]]))


def test_cross_entropy_float_labels() -> None:
    with pytest.raises(
        TypeError,
        match=exactly("target must hold integer class labels, got dtype float64 (use y.astype(int)"),
    ):
        CrossEntropyLoss().forward(np.zeros((3, 2)), np.array([0.0, 1.0, 1.0]))


def test_cross_entropy_label_too_large() -> None:
    message = "CrossEntropyLoss(): target labels must be in [0, 3) for 3 classes, got labels from 0 to 3"
    with pytest.raises(ValueError, match=exactly(message)):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0, 3]))


def test_cross_entropy_negative_label() -> None:
    with pytest.raises(
        ValueError, match=exactly("target labels must be in [0, 3) for 3 classes, got labels from -1 to 2")
    ):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([-1, 2]))


def test_cross_entropy_shapes() -> None:
    with pytest.raises(
        ValueError, match=exactly("pred must be logits of shape (batch, classes), got shape (3,)")
    ):
        CrossEntropyLoss().forward(np.zeros(3), np.array([0, 1, 2]))
    with pytest.raises(
        ValueError, match=exactly("target must have shape (2,), one class per row of pred, got (2, 1)")
    ):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([[0], [1]]))


# -- construction ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan")])
def test_learning_rate_must_be_positive(lr: float) -> None:
    with pytest.raises(ValueError, match=exactly(f"SGD: the learning rate lr must be > 0, got {lr}")):
        SGD(Dense(2, 1).parameters(), lr=lr)


@pytest.mark.parametrize("momentum", [-0.1, 1.0, 1.5])
def test_momentum_out_of_range(momentum: float) -> None:
    with pytest.raises(ValueError, match=exactly(f"SGD: momentum must be in [0, 1), got {momentum}")):
        SGD(Dense(2, 1).parameters(), lr=0.1, momentum=momentum)


def test_negative_weight_decay() -> None:
    with pytest.raises(ValueError, match=exactly("SGD: weight_decay must be >= 0, got -0.01")):
        SGD(Dense(2, 1).parameters(), lr=0.1, weight_decay=-0.01)


def test_sgd_without_parameters() -> None:
    with pytest.raises(ValueError, match=exactly("SGD: got no parameters to optimise")):
        SGD(Sequential(ReLU()).parameters(), lr=0.1)


@pytest.mark.parametrize("p", [-0.1, 1.0, 2.0])
def test_dropout_p_out_of_range(p: float) -> None:
    with pytest.raises(
        ValueError,
        match=exactly(f"Dropout: p is the probability of dropping a value and must be in [0, 1), got {p}"),
    ):
        Dropout(p)


def test_unknown_initialisation() -> None:
    message = "Dense(3, 2): unknown init 'gaussian'; choose one of ['he', 'pytorch', 'xavier', 'zeros']"
    with pytest.raises(ValueError, match=exactly(message)):
        Dense(3, 2, init="gaussian")


@pytest.mark.parametrize(
    ("dtype", "name"), [(np.float16, "float16"), (np.int64, "int64"), ("complex128", "complex128")]
)
def test_dtype_must_be_float32_or_float64(dtype: DTypeLike, name: str) -> None:
    with pytest.raises(
        ValueError, match=exactly(f"Dense(3, 2): dtype must be float32 or float64, got {name}")
    ):
        Dense(3, 2, dtype=dtype)


@pytest.mark.parametrize(
    ("rng", "name"), [("seed", "str"), (1.5, "float"), (np.random.RandomState(0), "RandomState")]
)
def test_bad_rng_type(rng: object, name: str) -> None:
    message = f"rng must be an int seed, a numpy.random.Generator or None, got {name}"
    with pytest.raises(TypeError, match=exactly(message)):
        Dense(3, 2, rng=rng)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=exactly(message)):
        Dropout(0.5, rng=rng)  # type: ignore[arg-type]


def test_dense_needs_positive_sizes() -> None:
    with pytest.raises(
        ValueError, match=exactly("Dense: in_features and out_features must be >= 1, got 0, 3")
    ):
        Dense(0, 3)


def test_sequential_takes_only_layers() -> None:
    with pytest.raises(TypeError, match=exactly("Sequential: argument 1 must be a layer, got function")):
        Sequential(Dense(2, 2), lambda x: x)  # type: ignore[arg-type]


# -- Value ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "combine",
    [lambda v: v + "2", lambda v: "2" + v, lambda v: v * "2", lambda v: v - "2", lambda v: v / "2"],
    ids=["add", "radd", "mul", "sub", "truediv"],
)
def test_value_with_a_string(combine) -> None:
    with pytest.raises(TypeError, match=exactly("Value: cannot combine a Value with str '2'")):
        combine(Value(1.0))


def test_value_power_needs_a_number() -> None:
    with pytest.raises(TypeError, match=exactly("Value ** n: n must be a plain number, got Value")):
        Value(2.0) ** Value(2.0)  # type: ignore[operator]


@pytest.mark.parametrize("x", [0.0, -1.5])
def test_value_log_of_a_non_positive_number(x: float) -> None:
    with pytest.raises(
        ValueError, match=exactly(f"Value.log: the logarithm needs a positive number, got {x}")
    ):
        Value(x).log()


def test_value_of_a_value() -> None:
    with pytest.raises(TypeError, match=exactly("Value(data): data is already a Value; use it directly")):
        Value(Value(1.0))  # type: ignore[arg-type]


def test_draw_graph_needs_axes() -> None:
    with pytest.raises(TypeError, match=exactly("draw_graph: ax must be a matplotlib Axes, got str")):
        draw_graph(Value(1.0) + 1, ax="axes")
    plt.close("all")


# -- PyTorch mirror ------------------------------------------------------------------------------------------


def test_to_torch_of_an_unknown_layer() -> None:
    class Square(Layer):
        def forward(self, x: np.ndarray) -> np.ndarray:
            return x**2

        def __repr__(self) -> str:
            return "Square()"

    with pytest.raises(TypeError, match=exactly("to_torch: no PyTorch twin for Square (Square())")):
        to_torch(Sequential(Dense(2, 2), Square()))


def test_to_torch_of_mixed_dtypes() -> None:
    model = Sequential(Dense(2, 2, dtype=np.float32), Dense(2, 1))
    with pytest.raises(
        ValueError, match=exactly("to_torch: the model mixes dtypes ['float32', 'float64']; use one")
    ):
        to_torch(model)


# -- fit -------------------------------------------------------------------------------------------------------


def small_problem() -> tuple[Sequential, SGD, np.ndarray, np.ndarray]:
    model = Sequential(Dense(2, 1, rng=0))
    return model, SGD(model.parameters(), lr=0.1), np.ones((6, 2)), np.ones((6, 1))


@pytest.mark.parametrize(
    ("where", "bad", "message"),
    [
        (
            "X",
            np.nan,
            "fit: training data X contains 1 non-finite values (NaN or inf); remove or replace them",
        ),
        ("X", np.inf, "fit: training data X contains 1 non-finite values (NaN or inf)"),
        ("y", -np.inf, "fit: training data y contains 1 non-finite values (NaN or inf)"),
    ],
)
def test_fit_rejects_non_finite_data(where: str, bad: float, message: str) -> None:
    model, optimizer, X, y = small_problem()
    (X if where == "X" else y)[2, 0] = bad
    with pytest.raises(ValueError, match=exactly(message)):
        fit(model, MSELoss(), optimizer, X, y, epochs=1, batch_size=2, verbose=False)


def test_fit_rejects_non_finite_validation_data() -> None:
    model, optimizer, X, y = small_problem()
    X_val = np.full((2, 2), np.nan)
    with pytest.raises(ValueError, match=exactly("fit: validation_data X contains 4 non-finite values")):
        fit(
            model,
            MSELoss(),
            optimizer,
            X,
            y,
            epochs=1,
            batch_size=2,
            validation_data=(X_val, y[:2]),
            verbose=False,
        )


def test_fit_rejects_mismatched_or_empty_data() -> None:
    model, optimizer, X, y = small_problem()
    with pytest.raises(ValueError, match=exactly("fit: training data has 6 samples in X but 5 in y")):
        fit(model, MSELoss(), optimizer, X, y[:5], epochs=1, batch_size=2, verbose=False)
    with pytest.raises(ValueError, match=exactly("fit: training data is empty")):
        fit(model, MSELoss(), optimizer, X[:0], y[:0], epochs=1, batch_size=2, verbose=False)


@pytest.mark.parametrize(("epochs", "batch_size"), [(0, 2), (1, 0)])
def test_fit_needs_positive_epochs_and_batch_size(epochs: int, batch_size: int) -> None:
    model, optimizer, X, y = small_problem()
    message = f"fit: epochs and batch_size must be >= 1, got epochs={epochs}, batch_size={batch_size}"
    with pytest.raises(ValueError, match=exactly(message)):
        fit(model, MSELoss(), optimizer, X, y, epochs=epochs, batch_size=batch_size, verbose=False)


def test_fit_passes_on_shape_errors_with_the_layer_named() -> None:
    model, optimizer, _, y = small_problem()
    with pytest.raises(
        ValueError,
        match=exactly("Sequential layer 0: Dense(2, 1): expected input of shape (batch, 2), got (2, 3)"),
    ):
        fit(model, MSELoss(), optimizer, np.ones((6, 3)), y, epochs=1, batch_size=2, verbose=False)


# -- gradcheck -------------------------------------------------------------------------------------------------


def test_gradcheck_needs_float64() -> None:
    with pytest.raises(
        TypeError,
        match=exactly("gradcheck: x must be float64 for finite differences to be accurate, got float32"),
    ):
        gradcheck(Tanh(), np.ones((2, 2), dtype=np.float32))
    with pytest.raises(
        TypeError, match=exactly("gradcheck: parameter weight of Dense(2, 2) must be float64, got float32")
    ):
        gradcheck(Dense(2, 2, dtype=np.float32), np.ones((2, 2)))


def test_gradcheck_needs_finite_input_and_targets() -> None:
    with pytest.raises(ValueError, match=exactly("gradcheck: x contains non-finite values (NaN or inf)")):
        gradcheck(Tanh(), np.array([[np.nan]]))
    with pytest.raises(ValueError, match=exactly("gradcheck: checking a loss needs a target")):
        gradcheck(MSELoss(), np.ones((2, 1)))
    with pytest.raises(ValueError, match=exactly("gradcheck: a loss needs a target")):
        gradcheck(Dense(2, 1), np.ones((2, 2)), loss=MSELoss())


# -- datasets --------------------------------------------------------------------------------------------------


def test_dataset_arguments() -> None:
    with pytest.raises(ValueError, match=exactly("exam: n must be >= 1, got 0")):
        exam(0, rng=0)
    with pytest.raises(
        ValueError, match=exactly("spirals: n_per_class and n_classes must be >= 1, got 0, 3")
    ):
        spirals(0, 3, rng=0)
    with pytest.raises(ValueError, match=exactly("moons: n must be >= 2, got 1")):
        moons(1, rng=0)
    with pytest.raises(ValueError, match=exactly("train_test_split: X has 4 samples but y has 3")):
        train_test_split(np.ones((4, 2)), np.ones(3), rng=0)
    with pytest.raises(
        ValueError, match=exactly("train_test_split: test_size must be between 0 and 1, got 1.0")
    ):
        train_test_split(np.ones((4, 2)), np.ones(4), test_size=1.0, rng=0)


def test_sequential_says_to_create_a_layer_from_a_class() -> None:
    with pytest.raises(TypeError, match=re.escape("argument 1 is the class ReLU; create a layer: ReLU()")):
        Sequential(Dense(2, 2), ReLU)  # type: ignore[arg-type]  # the mistake this test makes


def test_value_accepts_numpy_numbers() -> None:
    v = Value(3.0) * np.int64(2) + np.float32(0.5)  # type: ignore[operator]  # accepted at run time
    assert v.data == 6.5
