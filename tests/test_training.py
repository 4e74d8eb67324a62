"""``fit`` and ``evaluate``: what they record, print and raise, and that real networks learn."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from nnbasics import DivergenceError, History, Sequential, evaluate
from nnbasics.activations import ReLU, Sigmoid, Tanh
from nnbasics.datasets import digits, exam, spirals, standardize, train_test_split
from nnbasics.layers import Dense, Dropout, Layer
from nnbasics.losses import BCELoss, CrossEntropyLoss, MSELoss
from nnbasics.training import accuracy

Train = Callable[..., History]


class Spy(Layer):
    """The identity, recording the mode and the input of every forward call."""

    def __init__(self) -> None:
        self.calls: list[tuple[bool, np.ndarray]] = []

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.calls.append((self.training, x.copy()))
        return x

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out


def regression(rng: np.random.Generator, n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    X = rng.standard_normal((n, 3))
    return X, X @ np.array([[1.0], [2.0], [-1.0]]) + 0.5


# -- learning ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_exam_sigmoid_neuron_learns_and_ignores_the_name(train: Train) -> None:
    X, y = exam(200, rng=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, rng=0)
    X_train, X_test = standardize(X_train, X_test)
    model = Sequential(Dense(4, 1, rng=0), Sigmoid())
    train(model, BCELoss(), X_train, y_train.reshape(-1, 1).astype(np.float64), lr=0.5, epochs=200)
    test_accuracy = np.mean((model.forward(X_test)[:, 0] > 0.5) == y_test)
    assert test_accuracy >= 0.95, f"exam: test accuracy {test_accuracy:.1%}, expected at least 95%"
    weights = np.abs(model.named_parameters()["0.weight"].value[0])
    assert np.argmin(weights) == 3, (
        f"exam: |weights| {np.round(weights, 3)}; the name (column 3) should be smallest"
    )
    assert weights[3] < 0.1 * weights[:3].min(), f"exam: the name's weight {weights[3]:.3f} is not near zero"


@pytest.mark.slow
def test_spirals_need_a_hidden_layer(train: Train) -> None:
    X, y = spirals(100, 3, rng=0)
    mlp = Sequential(Dense(2, 100, init="he", rng=0), ReLU(), Dense(100, 3, rng=1))
    train(mlp, CrossEntropyLoss(), X, y, lr=1.0, epochs=1000)
    mlp_accuracy = np.mean(np.argmax(mlp.forward(X), axis=1) == y)
    linear = Sequential(Dense(2, 3, rng=0))
    train(linear, CrossEntropyLoss(), X, y, lr=1.0, epochs=200)
    linear_accuracy = np.mean(np.argmax(linear.forward(X), axis=1) == y)
    assert mlp_accuracy >= 0.97, (
        f"spirals: two-layer ReLU network reached {mlp_accuracy:.1%} training accuracy"
    )
    assert linear_accuracy < 0.60, f"spirals: a linear model should fail, yet reached {linear_accuracy:.1%}"
    assert linear_accuracy > 0.40, f"spirals: the linear model ({linear_accuracy:.1%}) did not learn at all"


@pytest.mark.slow
def test_digits_mlp(train: Train) -> None:
    X, y = digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, rng=0)
    model = Sequential(Dense(64, 64, init="he", rng=0), ReLU(), Dense(64, 10, rng=1))
    history = train(
        model,
        CrossEntropyLoss(),
        X_train,
        y_train,
        lr=0.1,
        momentum=0.9,
        epochs=30,
        batch_size=32,
        validation_data=(X_test, y_test),
        rng=0,
    )
    test_accuracy = np.mean(np.argmax(model.forward(X_test), axis=1) == y_test)
    assert test_accuracy >= 0.96, f"digits: test accuracy {test_accuracy:.1%}, expected at least 96%"
    assert history.val_accuracy[-1] == test_accuracy
    assert history.loss[-1] < 0.1 * history.loss[0], (
        f"digits: training loss {history.loss[0]:.3f} -> {history.loss[-1]:.3f}"
    )


# -- divergence --------------------------------------------------------------------------------------------


def test_a_huge_learning_rate_diverges_with_advice(rng: np.random.Generator, train: Train) -> None:
    X, y = regression(rng)
    model = Sequential(Dense(3, 1, rng=0))
    with pytest.raises(
        DivergenceError, match=r"Training diverged in epoch 1, batch 2: the loss exploded to .*e\+\d\d"
    ) as info:
        train(model, MSELoss(), X, y, lr=1e6, epochs=5, batch_size=16, rng=0)
    message = str(info.value)
    assert (
        "The learning rate (lr=1e+06) is probably too large: try a smaller one, such as lr=100000." in message
    )
    assert isinstance(info.value, RuntimeError)


def test_a_slowly_exploding_run_is_stopped(rng: np.random.Generator, train: Train) -> None:
    X, y = regression(rng)
    model = Sequential(Dense(3, 1, rng=0))
    with pytest.raises(
        DivergenceError, match=r"diverged in epoch \d+, batch 1.*try a smaller one, such as lr=0\.15"
    ):
        train(model, MSELoss(), X, y, lr=1.5, epochs=100)


class NaNAfter(MSELoss):
    """Mean squared error that returns NaN (or another value) from its ``n``-th call on."""

    def __init__(self, n: int, value: float = math.nan) -> None:
        super().__init__()
        self.n, self.value, self.calls = n, value, 0

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        self.calls += 1
        loss = super().forward(pred, target)
        return self.value if self.calls >= self.n else loss


@pytest.mark.parametrize(("value", "shown"), [(math.nan, "nan"), (math.inf, "inf")])
def test_a_non_finite_loss_stops_training(
    rng: np.random.Generator, value: float, shown: str, train: Train
) -> None:
    X, y = regression(rng, n=8)
    model = Sequential(Dense(3, 1, rng=0))
    pattern = rf"Training diverged in epoch 2, batch 1: the loss became {shown} .*lr=0\.01"
    with pytest.raises(DivergenceError, match=pattern):
        train(model, NaNAfter(5, value), X, y, lr=0.1, epochs=3, batch_size=2)


# -- what fit records and prints -------------------------------------------------------------------------------


def test_verbose_false_prints_nothing(
    rng: np.random.Generator, capsys: pytest.CaptureFixture[str], train: Train
) -> None:
    X, y = regression(rng)
    model = Sequential(Dense(3, 1, rng=0))
    train(model, MSELoss(), X, y, lr=0.01, epochs=5, batch_size=16, verbose=False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_verbose_prints_about_ten_progress_lines(capsys: pytest.CaptureFixture[str], train: Train) -> None:
    X, y = spirals(20, 3, rng=1)
    model = Sequential(Dense(2, 3, rng=0))
    history = train(
        model,
        CrossEntropyLoss(),
        X,
        y,
        lr=0.1,
        epochs=25,
        batch_size=10,
        validation_data=(X[:10], y[:10]),
        rng=0,
        verbose=True,
    )
    lines = capsys.readouterr().out.splitlines()
    # Every second epoch (25 // 10 = 2), plus the first and the last.
    shown = [1, *range(2, 25, 2), 25]
    assert [line[: len("epoch 25/25")] for line in lines] == [f"epoch {e:>2}/25" for e in shown]
    assert lines[0] == "  ".join(
        [
            "epoch  1/25",
            f"loss {history.loss[0]:.4f}",
            f"accuracy {history.accuracy[0]:.3f}",
            f"val_loss {history.val_loss[0]:.4f}",
            f"val_accuracy {history.val_accuracy[0]:.3f}",
        ]
    )


def test_verbose_regression_lines_have_no_accuracy(
    rng: np.random.Generator, capsys: pytest.CaptureFixture[str], train: Train
) -> None:
    X, y = regression(rng)
    model = Sequential(Dense(3, 1, rng=0))
    train(model, MSELoss(), X, y, lr=0.01, epochs=3, batch_size=16, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("epoch ") and "loss " in line and "accuracy" not in line for line in lines)


def test_history_has_one_entry_per_epoch(rng: np.random.Generator, train: Train) -> None:
    X, y = spirals(20, 3, rng=1)
    model = Sequential(Dense(2, 8, rng=0), Tanh(), Dense(8, 3, rng=1))
    history = train(
        model, CrossEntropyLoss(), X, y, lr=0.1, epochs=7, batch_size=16, validation_data=(X[:12], y[:12])
    )
    assert isinstance(history, History)
    assert history.epochs == 7
    assert [len(history.loss), len(history.accuracy), len(history.val_loss), len(history.val_accuracy)] == [
        7
    ] * 4
    assert all(0 <= a <= 1 for a in history.accuracy + history.val_accuracy)
    assert all(value > 0 for value in history.loss + history.val_loss)
    assert repr(history) == (
        f"History(epochs=7, last: loss={history.loss[-1]:.4g}, accuracy={history.accuracy[-1]:.4g}, "
        f"val_loss={history.val_loss[-1]:.4g}, val_accuracy={history.val_accuracy[-1]:.4g})"
    )


def test_history_without_validation_and_for_regression(rng: np.random.Generator, train: Train) -> None:
    X, y = regression(rng)
    model = Sequential(Dense(3, 1, rng=0))
    history = train(model, MSELoss(), X, y, lr=0.05, epochs=4, batch_size=16)
    assert len(history.loss) == 4
    assert history.accuracy == []
    assert history.val_loss == []
    assert history.val_accuracy == []
    assert history.loss[-1] < history.loss[0]
    with_val = train(model, MSELoss(), X, y, lr=0.05, epochs=2, batch_size=16, validation_data=(X, y))
    assert len(with_val.val_loss) == 2
    assert with_val.val_accuracy == []


def test_epoch_loss_is_the_mean_over_examples(rng: np.random.Generator, train: Train) -> None:
    X, y = regression(rng, n=10)
    model = Sequential(Dense(3, 1, rng=0))
    before = MSELoss().forward(model.forward(X), y)
    full = train(model, MSELoss(), X, y, lr=0.01, epochs=1, batch_size=10)
    assert full.loss == [pytest.approx(before, rel=1e-14)]  # full batch: the loss before the step

    spy = Spy()
    model = Sequential(spy, Dense(3, 1, rng=0))
    initial = model.forward(X)
    spy.calls.clear()
    history = train(model, MSELoss(), X, y, lr=1e-12, epochs=1, batch_size=4, shuffle=False)
    # Batches of 4, 4 and 2, in order; with a tiny step the weights barely move, so the epoch's
    # loss is the example-weighted mean of the three batch losses of the initial model.
    assert [len(x) for _, x in spy.calls] == [4, 4, 2]
    for (_, x), start in zip(spy.calls, [0, 4, 8], strict=True):
        np.testing.assert_array_equal(x, X[start : start + len(x)])
    batch_losses = [MSELoss().forward(initial[i : i + 4], y[i : i + 4]) for i in (0, 4, 8)]
    weighted = (4 * batch_losses[0] + 4 * batch_losses[1] + 2 * batch_losses[2]) / 10
    assert history.loss == [pytest.approx(weighted, rel=1e-9)]
    assert weighted != pytest.approx(np.mean(batch_losses), rel=1e-3)  # unweighted would differ


def test_shuffling_is_seeded(rng: np.random.Generator, train: Train) -> None:
    X, y = regression(rng, n=12)
    orders = []
    for seed in (1, 1, 2):
        spy = Spy()
        model = Sequential(spy, Dense(3, 1, rng=0))
        train(model, MSELoss(), X, y, lr=0.01, epochs=2, batch_size=12, rng=seed)
        orders.append(np.concatenate([x for _, x in spy.calls]))
    np.testing.assert_array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[0], orders[2])
    assert not np.array_equal(orders[0][:12], orders[0][12:])  # a new order every epoch
    np.testing.assert_array_equal(np.sort(orders[0][:12], axis=0), np.sort(X, axis=0))  # every example once


def test_validation_is_evaluated_in_eval_mode_and_the_model_is_left_in_eval_mode(
    rng: np.random.Generator,
    train: Train,
) -> None:
    X, y = spirals(20, 3, rng=1)
    X_val, y_val = X[:7], y[:7]
    spy = Spy()
    model = Sequential(Dense(2, 16, rng=0), ReLU(), Dropout(0.5, rng=0), spy, Dense(16, 3, rng=1))
    loss = CrossEntropyLoss()
    history = train(model, loss, X, y, lr=0.1, epochs=3, batch_size=20, validation_data=(X_val, y_val))
    modes = [(training, len(x)) for training, x in spy.calls]
    assert modes == [(True, 20), (True, 20), (True, 20), (False, 7)] * 3
    assert not model.training
    assert not any(layer.training for layer in model.layers)
    # The last validation loss is the eval-mode loss of the final model (dropout off) ...
    eval_loss = loss.forward(model.forward(X_val), y_val)
    assert history.val_loss[-1] == eval_loss
    # ... which differs from what dropout in training mode gives.
    model.train()
    assert loss.forward(model.forward(X_val), y_val) != eval_loss


def test_evaluate_restores_the_mode(rng: np.random.Generator) -> None:
    X = rng.standard_normal((10, 2))
    y = rng.integers(0, 2, size=10)
    model = Sequential(Dense(2, 4, rng=0), Dropout(0.5, rng=0), Dense(4, 2, rng=1))
    value, acc = evaluate(model, CrossEntropyLoss(), X, y)
    assert model.training
    assert all(layer.training for layer in model.layers)
    model.eval()
    expected = CrossEntropyLoss().forward(model.forward(X), y)
    assert value == expected
    assert acc == np.mean(np.argmax(model.forward(X), axis=1) == y)
    evaluate(model, CrossEntropyLoss(), X, y)
    assert not model.training


def test_evaluate_in_batches_gives_the_same_result(rng: np.random.Generator) -> None:
    """Batches of 4 on 10 examples (4 + 4 + 2), with dropout to be switched off: the same numbers."""
    X = rng.standard_normal((10, 2))
    y = rng.integers(0, 3, size=10)
    model = Sequential(Dense(2, 4, rng=0), Dropout(0.5, rng=0), Spy(), Dense(4, 3, rng=1))
    whole = evaluate(model, CrossEntropyLoss(), X, y)
    spy = model.layers[2]
    assert isinstance(spy, Spy)
    spy.calls.clear()
    batched = evaluate(model, CrossEntropyLoss(), X, y, batch_size=4)
    assert [len(x) for _, x in spy.calls] == [4, 4, 2]
    assert not any(training for training, _ in spy.calls)
    np.testing.assert_allclose(batched[0], whole[0], rtol=1e-15)  # the loss
    assert batched[1] == whole[1]  # the accuracy
    assert evaluate(model, CrossEntropyLoss(), X, y, batch_size=64) == whole  # one batch holds all
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        evaluate(model, CrossEntropyLoss(), X, y, batch_size=0)


def test_accuracy_by_loss() -> None:
    logits = np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0], [0.0, 1.0]])
    assert accuracy(CrossEntropyLoss(), logits, np.array([0, 1, 1, 1])) == 0.75
    probs = np.array([[0.9], [0.2], [0.6], [0.4]])
    assert accuracy(BCELoss(), probs, np.array([[1.0], [0.0], [0.0], [0.0]])) == 0.75
    assert accuracy(MSELoss(), probs, probs) is None


def test_fit_is_reproducible(train: Train) -> None:
    X, y = spirals(30, 3, rng=0)
    results = []
    for _ in range(2):
        model = Sequential(Dense(2, 10, rng=0, init="he"), ReLU(), Dropout(0.2, rng=1), Dense(10, 3, rng=2))
        history = train(model, CrossEntropyLoss(), X, y, lr=0.1, momentum=0.9, epochs=5, batch_size=16, rng=3)
        results.append((history.loss, model.named_parameters()["3.weight"].value.copy()))
    assert results[0][0] == results[1][0]
    np.testing.assert_array_equal(results[0][1], results[1][1])


def test_fit_in_float32_stays_float32(rng: np.random.Generator, train: Train) -> None:
    X, y = spirals(20, 3, rng=0)
    model = Sequential(Dense(2, 8, rng=0, dtype=np.float32), Tanh(), Dense(8, 3, rng=1, dtype=np.float32))
    history = train(
        model, CrossEntropyLoss(), X.astype(np.float32), y, lr=0.5, momentum=0.9, epochs=20, batch_size=15
    )
    assert all(p.value.dtype == np.float32 for p in model.parameters())
    assert history.loss[-1] < history.loss[0]
