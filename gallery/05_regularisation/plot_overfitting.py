"""
Overfitting, L2 regularisation and dropout
==========================================

A network with thousands of weights, trained on thirty points, can learn those
thirty points by heart, noise included. Its training loss goes to zero while
its loss on new data, the *validation loss*, goes up: it has stopped learning
the pattern and started memorising the examples. That is *overfitting*.

This example trains the same big network on the same few noisy points three
times: without regularisation, with L2 regularisation (weight decay), and with
dropout, and compares their learning curves and decision boundaries.
"""

# sphinx_gallery_thumbnail_number = 2

# %%
# Few points, big network
# -----------------------
# Thirty training points from the "two moons" data with plenty of noise, and
# 400 more from the same distribution for validation. The network has two
# hidden layers of 64 ReLU neurons: 4,417 parameters for 30 examples.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import ReLU, Sigmoid
from nnbasics.datasets import moons
from nnbasics.layers import Dense, Dropout
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

X_train, y_train = moons(30, noise=0.25, seed=3)
X_val, y_val = moons(400, noise=0.25, seed=99)
y_train = y_train.reshape(-1, 1).astype(float)
y_val = y_val.reshape(-1, 1).astype(float)


def network(dropout=0.0):
    """2 → 64 → 64 → 1, with Dropout after each hidden layer if ``dropout``."""
    layers = [Dense(2, 64, rng=0, init="he"), ReLU()]
    if dropout:
        layers.append(Dropout(dropout, rng=5))
    layers += [Dense(64, 64, rng=1, init="he"), ReLU()]
    if dropout:
        layers.append(Dropout(dropout, rng=6))
    layers += [Dense(64, 1, rng=2), Sigmoid()]
    return nb.Sequential(*layers)


print(network())

# %%
# Three ways to train it
# ----------------------
# The same initial weights, optimiser settings and number of epochs each time.
#
# - **No regularisation.**
# - **L2 regularisation**: ``SGD(..., weight_decay=0.01)`` adds
#   :math:`\lambda\theta` to every gradient, the gradient of a penalty
#   :math:`\frac{\lambda}{2}\lVert\theta\rVert^2` on large weights. Every step
#   shrinks every weight a little towards zero, so the network can only keep
#   large weights that reduce the loss a lot.
# - **Dropout**: during training each :class:`~nnbasics.layers.Dropout` layer
#   zeroes each hidden activation with probability 0.5 (and doubles the rest),
#   a different random half at every step, so no neuron can rely on any
#   particular other one. :func:`~nnbasics.training.fit` switches it off for
#   validation and when training ends (evaluation mode).

EPOCHS = 800
RUNS = {
    "no regularisation": (network(), 0.0),
    "L2, weight_decay=0.01": (network(), 0.01),
    "dropout, p=0.5": (network(dropout=0.5), 0.0),
}
histories = {}
for name, (model, weight_decay) in RUNS.items():
    optimizer = SGD(
        model.parameters(), lr=0.1, momentum=0.9, weight_decay=weight_decay
    )
    histories[name] = nb.fit(
        model,
        BCELoss(),
        optimizer,
        X_train,
        y_train,
        epochs=EPOCHS,
        batch_size=len(X_train),
        validation_data=(X_val, y_val),
        seed=0,  # the same order of examples, and dropout masks, every run
        verbose=False,
    )
    print(f"{name:>22}: {histories[name]}")

# %%
# Learning curves
# ---------------
# Without regularisation, the training loss falls towards zero while the
# validation loss reaches its lowest point early (the dot) and then climbs:
# every epoch after that makes the network worse on new data, because it
# becomes ever more confident about points it has merely memorised. L2
# regularisation keeps the two curves together; its training loss stays well
# above zero, which is the point. Dropout sits in between here: it slows the
# memorising down a lot, but does not stop it. (Its training loss is jagged
# because :func:`~nnbasics.training.fit` measures it during training, with
# dropout on: a different half of the network at every step.)

COLOURS = {"training": "#0072b2", "validation": "#d55e00"}  # Okabe-Ito
fig, axes = plt.subplots(
    1, 3, figsize=(8, 3.4), sharey=True, layout="constrained"
)
for ax, (name, history) in zip(axes, histories.items(), strict=True):
    epochs = np.arange(1, EPOCHS + 1)
    ax.plot(
        epochs, history.loss, color=COLOURS["training"], label="training loss"
    )
    ax.plot(
        epochs,
        history.val_loss,
        color=COLOURS["validation"],
        linestyle="--",
        label="validation loss",
    )
    best = int(np.argmin(history.val_loss))
    ax.plot(
        epochs[best],
        history.val_loss[best],
        "o",
        color=COLOURS["validation"],
        label="lowest validation loss",
    )
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_title(
        f"{name}\nfinal validation loss {history.val_loss[-1]:.2f}", fontsize=9
    )
    ax.grid(alpha=0.3)
    ax.grid(alpha=0.1, which="minor")  # fainter lines between the powers of ten
axes[0].set_ylabel("BCE loss (log scale)")
axes[0].legend(loc="lower left", fontsize=8)
final = {name: history.val_loss[-1] for name, history in histories.items()}
fig.set_label(
    "Training and validation loss per epoch on a logarithmic axis, for three "
    "networks. Without regularisation the training loss falls towards zero while "
    "the validation loss climbs after an early minimum, ending at "
    f"{final['no regularisation']:.2f}; with L2 regularisation the two curves "
    f"stay together, ending at {final['L2, weight_decay=0.01']:.2f}; with "
    "dropout the validation loss rises more slowly, ending at "
    f"{final['dropout, p=0.5']:.2f}."
)

# %%
# Decision boundaries
# -------------------
# The background shows each network's predicted probability of the lower moon,
# the black line is where it crosses one half: the decision boundary. Large
# markers are the thirty training points, small ones the validation points.
# The unregularised network is sure of itself everywhere, right up to its
# boundary, and carves out a small blue island for the one blue training point
# that lies among the red ones. With L2 regularisation the boundary ignores
# that point and follows the gap between the moons, with a wide band of
# uncertain probabilities along it. The dropout network is less sure of itself
# than the unregularised one (hence its lower validation loss), but with only
# thirty points it still keeps the island.

grid_x1, grid_x2 = np.meshgrid(
    np.linspace(-1.7, 2.7, 177), np.linspace(-1.3, 1.8, 125)
)
grid = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
CLASS_COLOURS = ["#2166ac", "#b2182b"]  # the two ends of RdBu

fig, axes = plt.subplots(
    1, 3, figsize=(8, 3.1), sharex=True, sharey=True, layout="constrained"
)
for ax, (name, (model, _)) in zip(axes, RUNS.items(), strict=True):
    probability = model(grid).reshape(grid_x1.shape)
    filled = ax.contourf(
        grid_x1,
        grid_x2,
        probability,
        levels=np.linspace(0, 1, 11),
        cmap="RdBu_r",
        alpha=0.55,
    )
    for colour, width in (
        ("white", 3.5),
        ("black", 1.5),
    ):  # a black line on a white halo
        ax.contour(
            grid_x1,
            grid_x2,
            probability,
            levels=[0.5],
            colors=colour,
            linewidths=width,
        )
    for label, colour in enumerate(CLASS_COLOURS):
        val = y_val[:, 0] == label
        ax.scatter(*X_val[val].T, s=6, color=colour, alpha=0.5, linewidths=0)
        train = y_train[:, 0] == label
        ax.scatter(
            *X_train[train].T,
            s=45,
            color=colour,
            edgecolors="black",
            linewidths=1,
        )
    _, val_accuracy = nb.evaluate(model, BCELoss(), X_val, y_val)
    ax.set_title(f"{name}\nvalidation accuracy {val_accuracy:.0%}", fontsize=9)
    ax.set_xlim(grid_x1.min(), grid_x1.max())
    ax.set_ylim(grid_x2.min(), grid_x2.max())
    ax.set_xlabel("$x_1$")
axes[0].set_ylabel("$x_2$")
fig.colorbar(filled, ax=axes, label="P(lower moon)", shrink=0.9)
fig.set_label(
    "Decision boundaries of the three networks on the two-moons data, side by "
    "side, with the predicted probability as a blue-to-red background. Without "
    "regularisation the boundary is sharp and encloses a small island around one "
    "stray training point; with L2 regularisation it follows the gap between "
    "the moons with a wide uncertain band; with dropout it is less sharp but "
    "keeps the island."
)

plt.show()
