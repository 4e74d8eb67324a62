"""What the explorables show, computed with nnbasics; importable without Sphinx (the tests use it).

Every state a reader can reach in an explorable (``docs/_ext/explorables.py`` puts them on the
page, ``docs/_static/explorables.js`` draws them) is computed here when the site is built, and
stored as one small data file per explorable (JSON, wrapped in a script). Each explorable has:

- its **controls** (:class:`Control`): sliders and radio buttons, each value of which stands for
  some text in the snippet;
- a **snippet**: the few lines of nnbasics that compute exactly what the picture shows for the
  current state (placeholders such as ``<<lr>>`` are filled in from the controls);
- a **generator** that runs nnbasics for every state and returns the data to draw.

The tests (``tests/test_explorables.py``) fill the snippet for states picked at random, run it,
and compare what it computes with the stored data.

The files are deterministic (rounded numbers, sorted keys, no time stamps) and carry a key made
from this file's source and nnbasics' source: :func:`generate` computes a file again only when
that key has changed.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import nnbasics as nb
from nnbasics.activations import ReLU, Sigmoid, Tanh
from nnbasics.datasets import exam, moons, standardize
from nnbasics.layers import Dense, Dropout
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

FORMAT = 1
"""Changes whenever the layout of the data files changes."""
GENERATED = "_static/explorables/generated"
"""Where the data files go, relative to the Sphinx source folder (inside ``html_static_path``)."""


# -- Controls -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One value of a stepped control: what the reader sees and what it puts in the snippet."""

    label: str
    subs: dict[str, str]


@dataclass(frozen=True)
class Control:
    """A labelled control.

    ``kind`` is ``"range"`` (a slider from ``low`` to ``high`` in ``step``, shown with ``decimals``;
    its value goes into the snippet as placeholder ``key``), ``"steps"`` (a slider over
    ``choices``) or ``"radio"`` (radio buttons, one per choice). ``default`` is the starting value
    (``range``) or the index of the starting choice. ``valuetext`` is what a screen reader says
    for a value, with ``{}`` standing for the value's label.
    """

    key: str
    label: str
    kind: str
    default: float
    valuetext: str = "{}"
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0
    decimals: int = 0
    choices: tuple[Choice, ...] = ()

    def text(self, value: float) -> str:
        """The label of ``value`` (a number for ``range``, an index otherwise)."""
        if self.kind == "range":
            return f"{value + 0.0:.{self.decimals}f}"  # + 0.0: never "-0.0"
        return self.choices[int(value)].label

    def subs(self, value: float) -> dict[str, str]:
        """The snippet's placeholders filled by this control at ``value``."""
        if self.kind == "range":
            return {self.key: self.text(value)}
        return self.choices[int(value)].subs

    def values(self) -> list[float]:
        """Every value the control can take."""
        if self.kind == "range":
            count = round((self.high - self.low) / self.step)
            return [round(self.low + i * self.step, self.decimals) for i in range(count + 1)]
        return [float(i) for i in range(len(self.choices))]


def choices(key: str, values: list[str], labels: list[str] | None = None) -> tuple[Choice, ...]:
    """Choices that put ``values`` into placeholder ``key``, labelled ``labels`` (or the values)."""
    return tuple(Choice(label, {key: value}) for value, label in zip(values, labels or values, strict=True))


@dataclass(frozen=True)
class Explorable:
    """An explorable's title, controls and snippet template."""

    name: str
    title: str
    controls: tuple[Control, ...]
    template: str
    aria: str
    """What the picture is, for screen readers (the live description says what it shows)."""

    def defaults(self) -> dict[str, float]:
        """The starting state: every control at its default."""
        return {control.key: control.default for control in self.controls}

    def snippet(self, state: dict[str, float]) -> str:
        """The code that computes what the explorable shows in ``state``."""
        code = self.template
        for control in self.controls:
            for key, text in control.subs(state[control.key]).items():
                code = code.replace(f"<<{key}>>", text)
        return code


# -- 1. A neuron you can set --------------------------------------------------------------------

NEURON_TEMPLATE = """\
import numpy as np
import nnbasics as nb
from nnbasics.activations import Sigmoid
from nnbasics.layers import Dense

X, y = nb.datasets.exam(200, rng=0)
neuron = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
# weights of: hours studied, how smart, previous knowledge, name
neuron[0].weight.value[:] = [<<w0>>, <<w1>>, <<w2>>, <<w3>>]
neuron[0].bias.value[:] = <<b>>
z = neuron[0](X)[:, 0]  # the weighted sums (Dense)
p = neuron(X)[:, 0]  # P(pass): Dense, then Sigmoid
print(f"student <<student>>: z = {z[<<student>>]:.2f}, P(pass) = {p[<<student>>]:.3f}")
print(f"right for {np.sum((p > 0.5) == y)} of {len(y)} students")
"""

EXAM_FEATURES = ("hours studied", "how smart", "previous knowledge", "name")

NEURON = Explorable(
    name="neuron",
    title="A neuron you can set",
    controls=(
        *(
            Control(
                f"w{i}",
                f"weight of {feature}",
                "range",
                default,
                f"weight of {feature}: {{}}",
                low=-2.0,
                high=2.0,
                step=0.1,
                decimals=1,
            )
            for i, (feature, default) in enumerate(zip(EXAM_FEATURES, (1.0, 0.6, 0.8, 0.0), strict=True))
        ),
        Control("b", "bias", "range", -12.0, "bias: {}", low=-24.0, high=4.0, step=0.5, decimals=1),
        Control("student", "student", "range", 0, "student {}", low=0, high=199, step=1, decimals=0),
    ),
    template=NEURON_TEMPLATE,
    aria="Students plotted by hours studied (across) and previous knowledge (up), with the "
    "neuron's pass/fail boundary.",
)


def neuron_data() -> dict[str, Any]:
    """The 200 students, at full precision: the browser computes z and P(pass) from them."""
    data = exam(200, rng=0)
    return {"X": data.X.tolist(), "y": data.y.tolist(), "features": list(data.feature_names)}


# -- 2. Gradient descent and the learning rate --------------------------------------------------

DESCENT_LRS = ("0.1", "0.3", "1", "3", "10", "30", "100")
DESCENT_LR_LABELS = (
    "0.1 (too small)",
    "0.3 (small)",
    "1 (slow)",
    "3 (good)",
    "10 (good)",
    "30 (fast)",
    "100 (too large)",
)
DESCENT_START_HOURS = ("-1.5", "4.0", "10.0", "15.0")
DESCENT_START_NAME = ("-5.0", "0.0", "5.0")
DESCENT_STEPS = 50
DESCENT_HOURS = (-2.0, 16.0, 61)  # the surface's grid: from, to, points (the gallery's)
DESCENT_NAME = (-6.0, 6.0, 49)

DESCENT_TEMPLATE = """\
import nnbasics as nb
from nnbasics.activations import Sigmoid
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

# The exam neuron, trained on standardised features (the gallery's loss surface)
data = exam(200, rng=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)
model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
bce = BCELoss()
nb.fit(model, bce, SGD(model.parameters(), lr=0.5), X, y,
       epochs=100, batch_size=20, rng=0, verbose=False)
# Move two weights (hours studied, name) to the start; descend on those two only
weight = model[0].weight
weight.value[0, [0, 3]] = <<start_hours>>, <<start_name>>
optimizer = SGD([weight], lr=<<lr>>)
for step in range(<<step>>):
    optimizer.zero_grad()
    bce(model(X), y)
    model.backward(bce.backward())
    weight.grad[0, [1, 2]] = 0.0  # hold the other two weights
    optimizer.step()
print("hours, name:", weight.value[0, [0, 3]], "loss:", bce(model(X), y))
"""

DESCENT = Explorable(
    name="descent",
    title="Gradient descent and the learning rate",
    controls=(
        Control(
            "lr",
            "learning rate",
            "steps",
            3,
            "learning rate {}",
            choices=choices("lr", list(DESCENT_LRS), list(DESCENT_LR_LABELS)),
        ),
        Control(
            "start_hours",
            "start: weight of hours studied",
            "steps",
            0,
            "start at hours weight {}",
            choices=choices("start_hours", list(DESCENT_START_HOURS)),
        ),
        Control(
            "start_name",
            "start: weight of name",
            "steps",
            2,
            "start at name weight {}",
            choices=choices("start_name", list(DESCENT_START_NAME)),
        ),
        Control("step", "step", "range", DESCENT_STEPS, "step {} of 50", low=0, high=DESCENT_STEPS, step=1),
    ),
    template=DESCENT_TEMPLATE,
    aria="Map of the exam neuron's loss over the weights of hours studied (across) and name (up), "
    "with the descent path, and the loss at every step.",
)


def _exam_neuron() -> tuple[nb.Sequential, BCELoss, np.ndarray, np.ndarray]:
    """The trained exam neuron of the gradient-descent chapter and gallery (DESCENT_TEMPLATE's lines)."""
    data = exam(200, rng=0)
    (X,) = standardize(data.X)
    y = data.y.reshape(-1, 1).astype(float)
    model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
    bce = BCELoss()
    nb.fit(model, bce, SGD(model.parameters(), lr=0.5), X, y, epochs=100, batch_size=20, rng=0, verbose=False)
    return model, bce, X, y


def descent_path(
    model: nb.Sequential, bce: BCELoss, X: np.ndarray, y: np.ndarray, *, lr: float, start: tuple[float, float]
) -> list[tuple[float, float, float]]:
    """(hours weight, name weight, loss) before each step and after the last: DESCENT_TEMPLATE's loop."""
    weight = model[0].weight
    trained = weight.value.copy()
    weight.value[0, [0, 3]] = start
    optimizer = SGD([weight], lr=lr)
    path = []
    for step in range(DESCENT_STEPS + 1):
        optimizer.zero_grad()
        loss = bce(model(X), y)
        path.append((float(weight.value[0, 0]), float(weight.value[0, 3]), float(loss)))
        if step == DESCENT_STEPS:
            break
        model.backward(bce.backward())
        weight.grad[0, [1, 2]] = 0.0
        optimizer.step()
    weight.value[...] = trained
    return path


def descent_data() -> dict[str, Any]:
    """The loss surface over two weights, and a descent path for every learning rate and start."""
    model, bce, X, y = _exam_neuron()
    layer = model[0]
    trained = layer.weight.value.copy()
    hours = np.linspace(*DESCENT_HOURS)
    names = np.linspace(*DESCENT_NAME)
    # The surface: the loss with two weights set, the others as trained (the gallery's loss_at),
    # for all grid points at once (rows: name weight); BCELoss's formula, logarithms clamped at -100.
    w = np.broadcast_to(trained[0], (len(names), len(hours), 4)).copy()
    w[..., 0], w[..., 3] = np.meshgrid(hours, names)
    pred = nb.activations.sigmoid(np.einsum("nf,ijf->ijn", X, w) + layer.bias.value[0])
    with np.errstate(divide="ignore"):
        log_p, log_1mp = np.maximum(np.log(pred), -100.0), np.maximum(np.log1p(-pred), -100.0)
    surface = -np.mean(y[:, 0] * log_p + (1.0 - y[:, 0]) * log_1mp, axis=-1)
    paths = [
        [
            [
                [
                    v
                    for point in descent_path(model, bce, X, y, lr=float(lr), start=(float(h), float(n)))
                    for v in point
                ]
                for n in DESCENT_START_NAME
            ]
            for h in DESCENT_START_HOURS
        ]
        for lr in DESCENT_LRS
    ]
    return {
        "hours": list(DESCENT_HOURS),
        "name": list(DESCENT_NAME),
        "surface": rounded(surface, 4),
        "trained": rounded([trained[0, 0], trained[0, 3], bce(model(X), y)], 4),
        "paths": rounded(paths, 5),
    }


# -- 3. Capacity: hidden neurons and epochs ----------------------------------------------------

CAPACITY_HIDDEN = ("1", "2", "4", "8", "16")
CAPACITY_EPOCHS = (1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 75, 100, 150)
CAPACITY_BOX = (-1.5, 2.5, -1.0, 1.5)  # x1 from, to; x2 from, to

CAPACITY_TEMPLATE = """\
from nnbasics import Sequential, datasets, fit
from nnbasics.activations import <<activation>>, Sigmoid
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

X, y = datasets.moons(200, noise=0.2, rng=0)
X_val, y_val = datasets.moons(200, noise=0.2, rng=1)
y, y_val = y.reshape(-1, 1).astype(float), y_val.reshape(-1, 1).astype(float)
model = Sequential(Dense(2, <<hidden>>, rng=0<<init>>), <<activation>>(), Dense(<<hidden>>, 1, rng=1), Sigmoid())
optimizer = SGD(model.parameters(), lr=1.0, momentum=0.9)
history = fit(model, BCELoss(), optimizer, X, y, epochs=<<epoch>>, batch_size=200,
              shuffle=False, validation_data=(X_val, y_val), verbose=False)
print(f"loss {history.loss[-1]:.3f}, validation loss {history.val_loss[-1]:.3f}")
hidden = model[1](model[0](X))  # each hidden neuron's response (the small maps)
"""

CAPACITY = Explorable(
    name="capacity",
    title="Capacity: hidden neurons and training time",
    controls=(
        Control(
            "hidden",
            "hidden neurons",
            "steps",
            3,
            "{} hidden neurons",
            choices=choices("hidden", list(CAPACITY_HIDDEN)),
        ),
        Control(
            "activation",
            "activation",
            "radio",
            0,
            "{}",
            choices=(
                Choice("tanh", {"activation": "Tanh", "init": ""}),
                Choice("ReLU", {"activation": "ReLU", "init": ', init="he"'}),
            ),
        ),
        Control(
            "epoch",
            "epochs trained",
            "steps",
            len(CAPACITY_EPOCHS) - 1,
            "{} epochs",
            choices=choices("epoch", [str(e) for e in CAPACITY_EPOCHS]),
        ),
    ),
    template=CAPACITY_TEMPLATE,
    aria="The two moons with the network's decision boundary, each hidden neuron's response, "
    "and the training and validation loss by epoch.",
)


def capacity_model(hidden: int, activation: str) -> nb.Sequential:
    """CAPACITY_TEMPLATE's network."""
    act, init = (Tanh(), "xavier") if activation == "tanh" else (ReLU(), "he")
    return nb.Sequential(Dense(2, hidden, rng=0, init=init), act, Dense(hidden, 1, rng=1), Sigmoid())


def capacity_snapshot(model: nb.Sequential) -> list[list[float]]:
    """The weights the browser needs: hidden weights (rows), hidden biases, output weights, output bias."""
    first, last = model[0], model[2]
    return rounded(
        [first.weight.value.ravel(), first.bias.value, last.weight.value.ravel(), last.bias.value], 6
    )


def moons_points(X: np.ndarray, y: np.ndarray) -> list[list[float]]:
    """Points as ``[x1, x2, label]``, rounded for drawing."""
    return [[*rounded(x, 3), int(label)] for x, label in zip(X, np.ravel(y), strict=True)]


def capacity_data() -> dict[str, Any]:
    """Training runs for every width and activation: losses by epoch, weights at chosen epochs."""
    X, y = moons(200, noise=0.2, rng=0)
    X_val, y_val = moons(200, noise=0.2, rng=1)
    Y, Y_val = y.reshape(-1, 1).astype(float), y_val.reshape(-1, 1).astype(float)
    runs: dict[str, list[dict[str, Any]]] = {}
    for choice in CAPACITY.controls[1].choices:
        activation = choice.label.lower()
        runs[activation] = []
        for hidden in CAPACITY_HIDDEN:
            model = capacity_model(int(hidden), activation)
            optimizer = SGD(model.parameters(), lr=1.0, momentum=0.9)
            history = nb.History()
            snapshots = []
            # One epoch at a time, so as to keep the weights at each snapshot: without shuffling
            # (shuffle=False, one full batch) this is the same as a single fit(epochs=...).
            for epoch in range(1, CAPACITY_EPOCHS[-1] + 1):
                step = nb.fit(
                    model,
                    BCELoss(),
                    optimizer,
                    X,
                    Y,
                    epochs=1,
                    batch_size=len(X),
                    shuffle=False,
                    validation_data=(X_val, Y_val),
                    verbose=False,
                )
                for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
                    getattr(history, name).extend(getattr(step, name))
                if epoch in CAPACITY_EPOCHS:
                    snapshots.append(capacity_snapshot(model))
            runs[activation].append(
                {
                    "loss": rounded(history.loss, 4),
                    "val_loss": rounded(history.val_loss, 4),
                    "accuracy": rounded(history.accuracy, 4),
                    "val_accuracy": rounded(history.val_accuracy, 4),
                    "snapshots": snapshots,
                }
            )
    return {
        "box": list(CAPACITY_BOX),
        "epochs": list(CAPACITY_EPOCHS),
        "train": moons_points(X, y),
        "val": moons_points(X_val, y_val),
        "runs": runs,
    }


# -- 4. Regularisation --------------------------------------------------------------------------

REGULARISATION_L2 = ("0.0", "0.001", "0.01", "0.03", "0.1")
REGULARISATION_DROPOUT = ("0.0", "0.1", "0.3", "0.5", "0.7")
REGULARISATION_BOX = (-1.75, 2.75, -1.25, 1.75)
REGULARISATION_GRID = 50
LEVELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
"""64 levels of a probability on the grids: LEVELS[round(63 p)]."""

# The overfitting chapter's two moons and big network (and gallery/05_regularisation/plot_overfitting.py's).
REGULARISATION_TEMPLATE = """\
import numpy as np
from nnbasics import Sequential, datasets, fit
from nnbasics.activations import ReLU, Sigmoid
from nnbasics.layers import Dense, Dropout
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

X_train, y_train = datasets.moons(40, noise=0.25, rng=4)
X_val, y_val = datasets.moons(1000, noise=0.25, rng=5)
y_train, y_val = y_train.reshape(-1, 1).astype(float), y_val.reshape(-1, 1).astype(float)
p, weight_decay = <<dropout>>, <<weight_decay>>  # dropout rate, L2 strength
layers = [Dense(2, 64, rng=0, init="he"), ReLU()] + ([Dropout(p, rng=5)] if p else [])
layers += [Dense(64, 64, rng=1, init="he"), ReLU()] + ([Dropout(p, rng=6)] if p else [])
model = Sequential(*layers, Dense(64, 1, rng=2), Sigmoid())
optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=weight_decay)
history = fit(model, BCELoss(), optimizer, X_train, y_train, epochs=300, batch_size=40,
              validation_data=(X_val, y_val), rng=0, verbose=False)
print(f"loss {history.loss[-1]:.3f}, validation loss {history.val_loss[-1]:.3f}")
# the picture: P(lower moon) on a 50 x 50 grid
g1, g2 = np.meshgrid(np.linspace(-1.75, 2.75, 50), np.linspace(-1.25, 1.75, 50))
P = model(np.column_stack([g1.ravel(), g2.ravel()])).reshape(50, 50)
"""

REGULARISATION = Explorable(
    name="regularisation",
    title="Regularisation: L2 and dropout",
    controls=(
        Control(
            "method",
            "regulariser",
            "radio",
            0,
            "{}",
            choices=(Choice("L2 (weight decay)", {"method": "l2"}), Choice("dropout", {"method": "dropout"})),
        ),
        Control(
            "level",
            "strength",
            "steps",
            REGULARISATION_L2.index("0.01"),
            "{}",
            # Labelled for L2, the starting method; the page relabels them for dropout.
            choices=tuple(
                Choice("none" if i == 0 else f"\u03bb = {value}", {"level": str(i)})
                for i, value in enumerate(REGULARISATION_L2)
            ),
        ),
    ),
    template=REGULARISATION_TEMPLATE,
    aria="The network's decision boundary over the noisy moons, with the training points, and "
    "the training and validation loss by epoch, with and without regularisation.",
)


def _regularisation_subs(state: dict[str, float]) -> dict[str, str]:
    """The strength control means λ or p depending on the method."""
    level = int(state["level"])
    if int(state["method"]) == 0:
        return {"weight_decay": REGULARISATION_L2[level], "dropout": "0.0"}
    return {"weight_decay": "0.0", "dropout": REGULARISATION_DROPOUT[level]}


def regularisation_snippet(state: dict[str, float]) -> str:
    """REGULARISATION_TEMPLATE filled in: the two controls together choose λ and p."""
    code = REGULARISATION_TEMPLATE
    for key, text in _regularisation_subs(state).items():
        code = code.replace(f"<<{key}>>", text)
    return code


def regularisation_model(dropout: float) -> nb.Sequential:
    """REGULARISATION_TEMPLATE's network."""
    layers = [Dense(2, 64, rng=0, init="he"), ReLU()] + ([Dropout(dropout, rng=5)] if dropout else [])
    layers += [Dense(64, 64, rng=1, init="he"), ReLU()] + ([Dropout(dropout, rng=6)] if dropout else [])
    return nb.Sequential(*layers, Dense(64, 1, rng=2), Sigmoid())


def regularisation_moons() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """REGULARISATION_TEMPLATE's data: 40 training points, 1,000 validation points."""
    X_train, y_train = moons(40, noise=0.25, rng=4)
    X_val, y_val = moons(1000, noise=0.25, rng=5)
    return X_train, y_train.reshape(-1, 1).astype(float), X_val, y_val.reshape(-1, 1).astype(float)


def grid_points(box: tuple[float, float, float, float], size: int) -> np.ndarray:
    """The grid's points, row by row from the bottom (second coordinate) up: shape (size * size, 2)."""
    g1, g2 = np.meshgrid(np.linspace(box[0], box[1], size), np.linspace(box[2], box[3], size))
    return np.column_stack([g1.ravel(), g2.ravel()])


def quantise(p: np.ndarray) -> str:
    """Probabilities as one character each, 64 levels."""
    return "".join(LEVELS[i] for i in np.rint(np.clip(p, 0.0, 1.0) * 63).astype(int).ravel())


def regularisation_run(weight_decay: float, dropout: float) -> dict[str, Any]:
    """One training run of REGULARISATION_TEMPLATE and its final boundary grid."""
    X_train, y_train, X_val, y_val = regularisation_moons()
    model = regularisation_model(dropout)
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=weight_decay)
    history = nb.fit(
        model,
        BCELoss(),
        optimizer,
        X_train,
        y_train,
        epochs=300,
        batch_size=40,
        validation_data=(X_val, y_val),
        rng=0,
        verbose=False,
    )
    grid = model(grid_points(REGULARISATION_BOX, REGULARISATION_GRID))[:, 0]
    return {
        "loss": rounded(history.loss, 4),
        "val_loss": rounded(history.val_loss, 4),
        "accuracy": rounded(history.accuracy[-1], 4),
        "val_accuracy": rounded(history.val_accuracy[-1], 4),
        "grid": quantise(grid),
    }


def regularisation_data() -> dict[str, Any]:
    """A run without regularisation, and one for every L2 strength and dropout rate."""
    X_train, y_train, X_val, y_val = regularisation_moons()
    return {
        "box": list(REGULARISATION_BOX),
        "size": REGULARISATION_GRID,
        "l2": list(REGULARISATION_L2),
        "dropout": list(REGULARISATION_DROPOUT),
        "train": moons_points(X_train, y_train),
        "val": [[*rounded(x, 2), int(label)] for x, label in zip(X_val, y_val[:, 0], strict=True)],
        "none": regularisation_run(0.0, 0.0),
        "runs": {
            "l2": [regularisation_run(float(wd), 0.0) for wd in REGULARISATION_L2[1:]],
            "dropout": [regularisation_run(0.0, float(p)) for p in REGULARISATION_DROPOUT[1:]],
        },
    }


# -- All of them --------------------------------------------------------------------------------

EXPLORABLES = {e.name: e for e in (NEURON, DESCENT, CAPACITY, REGULARISATION)}
GENERATORS = {
    "neuron": neuron_data,
    "descent": descent_data,
    "capacity": capacity_data,
    "regularisation": regularisation_data,
}


def snippet(name: str, state: dict[str, float]) -> str:
    """The snippet of explorable ``name`` for ``state``."""
    if name == "regularisation":
        return regularisation_snippet(state)
    return EXPLORABLES[name].snippet(state)


def rounded(values: Any, digits: int) -> Any:
    """``values`` (a number, an array or nested lists) as lists of floats with ``digits`` significant digits."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if isinstance(values, list | tuple):
        return [rounded(v, digits) for v in values]
    value = float(f"{float(values):.{digits}g}")
    return 0.0 if value == 0 else value  # no "-0.0"


def source_key() -> str:
    """A hash of what the data depends on: this file, nnbasics' source and NumPy's version."""
    digest = hashlib.sha256(f"{FORMAT} {np.__version__}".encode())
    files = [Path(__file__), *sorted(Path(nb.__file__).parent.glob("*.py"))]
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def payload(name: str, key: str) -> str:
    """The data file of explorable ``name``: a script that hands its data, snippet template and key over.

    A script rather than JSON, so that the explorables also work on a site opened from disk
    (``file://``), where browsers refuse ``fetch``.
    """
    data = GENERATORS[name]()
    data["template"] = EXPLORABLES[name].template
    data["key"] = key
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return f"// Computed by nnbasics: docs/_ext/explorable_data.py\nnnbasicsExplorable({json.dumps(name)},{text});\n"


def read(file: Path) -> dict[str, Any]:
    """The data of a file written by :func:`payload`."""
    text = file.read_text(encoding="utf-8")
    return dict(json.loads(text[text.index(",{") + 1 : text.rindex(");")]))


def stored_key(file: Path) -> str | None:
    """The key a data file was made with, or ``None`` if there is no readable file."""
    try:
        return str(read(file)["key"])
    except (OSError, ValueError, KeyError):
        return None


def stale(folder: Path, names: list[str] | None = None) -> list[str]:
    """The explorables whose data file in ``folder`` is missing or was made from other sources."""
    key = source_key()
    return [name for name in names or list(GENERATORS) if stored_key(folder / f"{name}.js") != key]


def generate(folder: Path, names: list[str] | None = None, *, force: bool = False) -> dict[str, float | None]:
    """Write ``<name>.js`` into ``folder`` for each explorable whose file is missing or stale.

    Returns the seconds each one took to compute, ``None`` for those that were up to date.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key = source_key()
    todo = list(names or GENERATORS) if force else stale(folder, names)
    times: dict[str, float | None] = {}
    for name in names or list(GENERATORS):
        if name not in todo:
            times[name] = None
            continue
        start = time.perf_counter()
        text = payload(name, key)
        times[name] = time.perf_counter() - start
        (folder / f"{name}.js").write_text(text, encoding="utf-8")
    return times


if __name__ == "__main__":
    # python explorable_data.py FOLDER [NAME ...]: compute these (default: all) into FOLDER.
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / GENERATED
    for name, seconds in generate(target, sys.argv[2:] or None, force=True).items():
        size = (target / f"{name}.js").stat().st_size
        print(f"{name} {seconds:.2f} s ({size / 1024:.0f} KiB)")
