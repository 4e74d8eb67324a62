"""
Watching a network learn
========================

Training repeats the same loop for many *epochs* (passes over the training
data): forward pass, loss, backpropagation, one step of gradient descent. Two
pictures show how it is going. The **learning curves** plot the loss and the
accuracy after every epoch, on the training data and on validation data that
the network never trains on. The **decision boundary** shows what the network
has learned: which class it predicts at every point of the input space.

The data are three interleaved spiral arms, which no straight line can
separate: the case study of Stanford's cs231n course. A linear classifier gets
about half of the points right; a network with one hidden layer of 100 ReLU
neurons gets nearly all of them.
"""

# %%
# Data and model
# --------------
# 300 points, a quarter of them held out for validation. The network is
# ``Dense(2, 100) → ReLU → Dense(100, 3)``: three scores (logits) per point,
# one per class, turned into probabilities by
# :class:`~nnbasics.losses.CrossEntropyLoss`. Each epoch is a single
# full-batch gradient-descent step with learning rate 1.

import itertools

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

import nnbasics as nb
from nnbasics.activations import ReLU
from nnbasics.datasets import spirals, train_test_split
from nnbasics.layers import Dense
from nnbasics.losses import CrossEntropyLoss
from nnbasics.optim import SGD

X, y = spirals(100, 3, rng=0)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, rng=0)

model = nb.Sequential(Dense(2, 100, rng=0, init="he"), ReLU(), Dense(100, 3, rng=1, init="he"))
loss = CrossEntropyLoss()
optimizer = SGD(model.parameters(), lr=1.0)

# %%
# Train, and take snapshots on the way
# ------------------------------------
# :func:`nnbasics.fit <nnbasics.training.fit>` trains for a given number of
# epochs and returns a :class:`~nnbasics.training.History`. Calling it several
# times continues the training, so we train up to each snapshot epoch, record
# the predicted class on a grid of points covering the plane, and carry on.

SNAPSHOTS = [0, 5, 15, 40, 100, 300]
grid_x1, grid_x2 = np.meshgrid(np.linspace(-1.2, 1.2, 161), np.linspace(-1.2, 1.2, 161))
grid = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])


def predicted_class():
    return np.argmax(model(grid), axis=1).reshape(grid_x1.shape)


history = nb.History()
regions = {0: predicted_class()}
for before, epoch in itertools.pairwise(SNAPSHOTS):
    part = nb.fit(
        model,
        loss,
        optimizer,
        X_train,
        y_train,
        epochs=epoch - before,
        batch_size=len(X_train),
        validation_data=(X_val, y_val),
        rng=epoch,
        verbose=False,
    )
    for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
        getattr(history, name).extend(getattr(part, name))
    regions[epoch] = predicted_class()
print(history)

# %%
# Learning curves
# ---------------
# The loss falls quickly for a few epochs and then ever more slowly: the
# network first learns the broad layout of the three arms, then the details of
# their tips. (The jagged start is the learning rate: at 1 it is large enough
# for the first steps to overshoot a little.) The validation curves follow the
# training curves with a small gap: the network does a little better on the
# points it trains on, but what it learned carries over to points it has never
# seen. When the two curves part, with the validation loss rising while the
# training loss still falls, the network is *overfitting*: see
# :ref:`the overfitting example
# <sphx_glr_auto_gallery_05_regularisation_plot_overfitting.py>`.

TRAIN, VALIDATION = "tab:blue", "tab:orange"
epochs = np.arange(1, history.epochs + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
ax_loss.plot(epochs, history.loss, color=TRAIN, label="training")
ax_loss.plot(epochs, history.val_loss, color=VALIDATION, linestyle="--", label="validation")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("cross-entropy loss")
ax_loss.set_title("Loss per epoch (lower is better)", fontsize=10)
ax_acc.plot(epochs, history.accuracy, color=TRAIN, label="training")
ax_acc.plot(epochs, history.val_accuracy, color=VALIDATION, linestyle="--", label="validation")
ax_acc.axhline(1 / 3, color="0.5", linewidth=1, linestyle=":", label="guessing (1/3)")
ax_acc.set_ylim(0, 1.02)
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("accuracy")
ax_acc.set_title("Accuracy per epoch (higher is better)", fontsize=10)
for ax in (ax_loss, ax_acc):
    ax.grid(alpha=0.3)
    ax.legend()
fig.set_label(
    f"Learning curves over {history.epochs} epochs on the spiral data. Left: "
    f"training and validation loss fall from about {history.loss[0]:.1f} to "
    f"{history.loss[-1]:.2f} and {history.val_loss[-1]:.2f}. Right: accuracy "
    f"rises from near one third to {history.accuracy[-1]:.0%} on the training "
    f"data and {history.val_accuracy[-1]:.0%} on the validation data."
)

# %%
# The decision boundary, epoch by epoch
# -------------------------------------
# Each panel colours the plane by the class the network predicts there, with
# the training points on top. At initialisation the regions are arbitrary
# wedges. After 5 and 15 epochs the network divides the plane roughly, with
# nearly straight boundaries; by epoch 40 the boundaries begin to curl with
# the spirals, and at epoch 300 only a few points near the centre, where the
# arms meet, are still on the wrong side.

COLOURS = ["tab:blue", "tab:orange", "tab:green"]
fig, axes = plt.subplots(2, 3, figsize=(8, 5.8), sharex=True, sharey=True, layout="constrained")
for ax, (epoch, region) in zip(axes.flat, regions.items(), strict=True):
    ax.contourf(
        grid_x1,
        grid_x2,
        region,
        levels=[-0.5, 0.5, 1.5, 2.5],
        cmap=ListedColormap(COLOURS),
        alpha=0.3,
    )
    for label, colour in enumerate(COLOURS):
        mine = y_train == label
        ax.scatter(
            *X_train[mine].T,
            s=12,
            color=colour,
            edgecolors="white",
            linewidths=0.5,
            label=f"arm {label}",
        )
    accuracy = (
        np.mean(np.argmax(model(X_train), axis=1) == y_train) if epoch == SNAPSHOTS[-1] else None
    )
    title = f"epoch {epoch}" if epoch else "epoch 0 (initial)"
    ax.set_title(title if accuracy is None else f"{title}: {accuracy:.0%} right", fontsize=10)
    ax.set_aspect("equal")
for ax in axes[1]:
    ax.set_xlabel("$x_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("$x_2$")
axes[-1, -1].legend(loc="lower right", fontsize=8, markerscale=1.5)
fig.set_label(
    "Six panels of the spiral data, three classes in blue, orange and green, "
    "with the plane coloured by the class the network predicts, at epochs "
    + ", ".join(str(epoch) for epoch in SNAPSHOTS)
    + ": the predicted regions go from arbitrary wedges to three curled regions "
    "that follow the spiral arms."
)

plt.show()
