"""
Underfitting, overfitting, L2 regularisation and dropout
========================================================

A network with thousands of weights, trained on forty points, can learn those
forty points by heart, noise included. Its training loss goes to zero while
its loss on new data, the *validation loss*, goes up, and it gets fewer new
points right than it did earlier in training: it has stopped learning the
pattern and started memorising the examples. That is *overfitting*. A model
that is too simple fails the other way: a straight line cannot follow two
interleaved moons, however long it trains. That is *underfitting*.

This example trains a straight-line model and a big network on the same few
noisy points, then the big network twice more: with L2 regularisation (weight
decay) and with dropout. These are the runs of the chapter
:doc:`/course/overfitting-and-regularisation`.
"""

# sphinx_gallery_thumbnail_number = 2

# %%
# Few points, big network
# -----------------------
# Forty training points from the "two moons" data with plenty of noise, and
# 1,000 more from the same distribution for validation. The big network has
# two hidden layers of 64 ReLU neurons: 4,417 parameters for 40 examples. The
# linear model is a single sigmoid neuron: its decision boundary is a
# straight line. Every run uses full-batch gradient descent with momentum
# (learning rate 0.1, momentum 0.9) for 300 epochs.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import ReLU, Sigmoid
from nnbasics.datasets import moons
from nnbasics.layers import Dense, Dropout
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

X_train, y_train = moons(40, noise=0.25, rng=4)
X_val, y_val = moons(1000, noise=0.25, rng=5)
y_train = y_train.reshape(-1, 1).astype(float)
y_val = y_val.reshape(-1, 1).astype(float)
EPOCHS = 300


def big_network(dropout=0.0):
    """2 → 64 → 64 → 1, with Dropout after each hidden layer if ``dropout``."""
    layers = [Dense(2, 64, rng=0, init="he"), ReLU()]
    if dropout:
        layers.append(Dropout(dropout, rng=5))
    layers += [Dense(64, 64, rng=1, init="he"), ReLU()]
    if dropout:
        layers.append(Dropout(dropout, rng=6))
    layers += [Dense(64, 1, rng=2), Sigmoid()]
    return nb.Sequential(*layers)


def train(model, weight_decay=0.0, epochs=EPOCHS):
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=weight_decay)
    return nb.fit(
        model,
        BCELoss(),
        optimizer,
        X_train,
        y_train,
        epochs=epochs,
        batch_size=len(X_train),
        validation_data=(X_val, y_val),
        rng=0,  # the same order of examples, and dropout masks, every run
        verbose=False,
    )


MODELS = {
    "straight line": nb.Sequential(Dense(2, 1, rng=0), Sigmoid()),
    "big network": big_network(),
    "big network, L2 (λ = 0.01)": big_network(),
    "big network, dropout (p = 0.5)": big_network(dropout=0.5),
}
DECAY = {"big network, L2 (λ = 0.01)": 0.01}
histories = {name: train(model, DECAY.get(name, 0.0)) for name, model in MODELS.items()}
for name, history in histories.items():
    print(f"{name:>30}: {history}")

# %%
# Learning curves of the big network
# ----------------------------------
# Left, the loss; right, the accuracy; the dotted lines are the straight-line
# model's validation numbers. For the first hundred or so epochs the big
# network learns the moons: both its losses fall, its validation accuracy
# climbs past the straight line's. Then the curves part. The training loss
# keeps falling towards zero and the training accuracy reaches 100 %, but the
# validation loss turns and climbs, and the validation accuracy sinks back
# from its peak. By epoch 300 the big network gets hardly more new points
# right than the straight line, and its validation loss is twice the line's:
# the few points it gets wrong, it gets wrong with great confidence.

plain = histories["big network"]
line = histories["straight line"]
best = int(np.argmin(plain.val_loss))
epochs = np.arange(1, EPOCHS + 1)
TRAIN, VALIDATION, LINE = "#0072b2", "#d55e00", "0.45"  # Okabe-Ito and grey
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
ax_loss.plot(epochs, plain.loss, color=TRAIN, label="training")
ax_loss.plot(epochs, plain.val_loss, "--", color=VALIDATION, label="validation")
ax_loss.axhline(line.val_loss[-1], color=LINE, linestyle=":", label="straight line, validation")
ax_loss.plot(epochs[best], plain.val_loss[best], "o", color=VALIDATION)
ax_loss.annotate(
    f"lowest validation loss\n(epoch {best + 1})",
    (epochs[best], plain.val_loss[best]),
    xytext=(0, -28),
    textcoords="offset points",
    ha="center",
    fontsize=8,
)
ax_loss.set_yscale("log")
ax_loss.set_ylabel("BCE loss (log scale)")
ax_loss.set_title("Loss: training falls, validation turns", fontsize=10)
ax_acc.plot(epochs, plain.accuracy, color=TRAIN, label="training")
ax_acc.plot(epochs, plain.val_accuracy, "--", color=VALIDATION, label="validation")
ax_acc.axhline(line.val_accuracy[-1], color=LINE, linestyle=":", label="straight line, validation")
ax_acc.set_ylim(0.8, 1.01)
ax_acc.set_ylabel("accuracy")
ax_acc.set_title("Accuracy: validation peaks, then sinks", fontsize=10)
for ax in (ax_loss, ax_acc):
    ax.set_xlabel("epoch")
    ax.grid(alpha=0.3)
ax_acc.legend(fontsize=8, loc="lower right")
peak = int(np.argmax(plain.val_accuracy))
fig.set_label(
    "Learning curves of a big network on 40 noisy points. Left, loss on a log "
    f"scale: the training loss falls to {plain.loss[-1]:.3f}; the validation "
    f"loss falls to {plain.val_loss[best]:.2f} at epoch {best + 1}, then rises "
    f"to {plain.val_loss[-1]:.2f}, above the straight-line model's "
    f"{line.val_loss[-1]:.2f}. Right, accuracy: training reaches 100 %; "
    f"validation peaks at {plain.val_accuracy[peak]:.1%} at epoch {peak + 1} and "
    f"sinks to {plain.val_accuracy[-1]:.1%}, close to the straight line's "
    f"{line.val_accuracy[-1]:.1%}."
)

# %%
# Decision boundaries
# -------------------
# The background shows each model's predicted probability of the lower moon
# (red), the black line is where it crosses one half: the decision boundary.
# Large markers are the forty training points, small ones the validation
# points. The straight line cuts through both moons: it underfits. The big
# network, trained for 300 epochs without regularisation, is sure of itself
# almost everywhere, and it bends its boundary to fit single training points:
# a red tongue reaches up through the blue moon to take in one red point.
# With L2 regularisation the boundary is smooth
# and follows the gap between the moons, with a wide band of uncertain
# probabilities along it; with dropout it is smooth too.

grid_x1, grid_x2 = np.meshgrid(np.linspace(-1.7, 2.7, 177), np.linspace(-1.3, 1.8, 125))
grid = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
CLASS_COLOURS = ["#2166ac", "#b2182b"]  # the two ends of RdBu

fig, axes = plt.subplots(2, 2, figsize=(8, 5.6), sharex=True, sharey=True, layout="constrained")
for ax, (name, model) in zip(axes.flat, MODELS.items(), strict=True):
    probability = model(grid).reshape(grid_x1.shape)
    filled = ax.contourf(
        grid_x1, grid_x2, probability, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55
    )
    # the boundary: a black line on a white halo
    for colour, width in (("white", 3.5), ("black", 1.5)):
        ax.contour(grid_x1, grid_x2, probability, levels=[0.5], colors=colour, linewidths=width)
    for label, colour in enumerate(CLASS_COLOURS):
        val = y_val[:, 0] == label
        ax.scatter(*X_val[val].T, s=5, color=colour, alpha=0.4, linewidths=0)
        train = y_train[:, 0] == label
        ax.scatter(*X_train[train].T, s=40, color=colour, edgecolors="black", linewidths=1)
    history = histories[name]
    ax.set_title(
        f"{name}\nvalidation: accuracy {history.val_accuracy[-1]:.1%}, "
        f"loss {history.val_loss[-1]:.2f}",
        fontsize=9,
    )
    ax.set_xlim(grid_x1.min(), grid_x1.max())
    ax.set_ylim(grid_x2.min(), grid_x2.max())
for ax in axes[1]:
    ax.set_xlabel("$x_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("$x_2$")
fig.colorbar(filled, ax=axes, label="P(lower moon)", shrink=0.8)
final = {name: history.val_accuracy[-1] for name, history in histories.items()}
fig.set_label(
    "Four panels of the two-moons data with each model's predicted probability "
    "as a blue-to-red background and its decision boundary as a black line. The "
    "straight line cuts across both moons; the unregularised big network's "
    "boundary sends a narrow tongue up through the blue moon to take in a single "
    "red training point; the L2 and dropout networks "
    "draw smooth boundaries along the gap between the moons. Validation "
    "accuracies: " + ", ".join(f"{name} {accuracy:.1%}" for name, accuracy in final.items()) + "."
)

# %%
# Validation loss of all four runs
# --------------------------------
# This is the picture to choose a model by. The straight line's validation
# loss levels off high: more training cannot help it. The big network's has a
# minimum (the dot): stopping there is *early stopping*. With L2 the
# validation loss keeps falling and ends lowest of all; with dropout it ends
# a little higher. A model is chosen by these validation numbers; the test set
# is used once, afterwards, to report how the chosen model does.

STYLES = {
    "straight line": ("0.45", ":"),
    "big network": ("#d55e00", "-"),
    "big network, L2 (λ = 0.01)": ("#0072b2", "-"),
    "big network, dropout (p = 0.5)": ("#009e73", "--"),
}
fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
for name, history in histories.items():
    colour, style = STYLES[name]
    ax.plot(epochs, history.val_loss, style, color=colour, label=name)
ax.plot(epochs[best], plain.val_loss[best], "o", color=STYLES["big network"][0])
ax.annotate(
    f"early stopping: epoch {best + 1}",
    (epochs[best], plain.val_loss[best]),
    xytext=(0, -16),
    textcoords="offset points",
    ha="center",
    fontsize=8,
)
ax.set_yscale("log")
ax.set_yticks([0.2, 0.3, 0.4, 0.6], ["0.2", "0.3", "0.4", "0.6"])
ax.set_yticks([], minor=True)
ax.set_xlabel("epoch")
ax.set_ylabel("validation loss (log scale)")
ax.grid(alpha=0.3)
ax.grid(alpha=0.1, which="minor")
ax.legend(fontsize=8, loc="upper left")
fig.set_label(
    "Validation loss per epoch of the four models on a log scale. The straight "
    f"line levels off at {line.val_loss[-1]:.2f}; the unregularised big network "
    f"reaches {plain.val_loss[best]:.2f} at epoch {best + 1} and then climbs to "
    f"{plain.val_loss[-1]:.2f}; with L2 it ends lowest, at "
    f"{histories['big network, L2 (λ = 0.01)'].val_loss[-1]:.2f}; with dropout "
    f"at {histories['big network, dropout (p = 0.5)'].val_loss[-1]:.2f}."
)

plt.show()
