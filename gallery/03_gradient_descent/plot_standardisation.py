r"""
Standardised features make a rounder bowl
=========================================

The exam features run from 0 to 10: every student has a positive number of
hours studied, 5.4 on average. Standardising a feature subtracts its mean and
divides by its standard deviation, so that it has mean 0 and spread 1. The
model can say exactly the same things either way (a weight on the standardised
feature is the raw weight times the standard deviation, and the bias absorbs
the means), so the lowest loss is the same. What changes is the *shape* of the
loss surface that gradient descent has to walk down, and with it how fast the
walk is.

We look at the exam neuron's loss over two of its parameters, the weight of
*hours studied* and the bias (the weight of an input that is always 1), with
the other three weights held at their trained values: once with the raw
features, once with standardised ones.
"""

# %%
# One model, two ways of writing it
# ---------------------------------
# Train the neuron on standardised features, then translate its parameters to
# the raw features: weight :math:`w_j / \sigma_j` for feature :math:`j`, and
# the bias minus :math:`\sum_j w_j \mu_j / \sigma_j`. Both give every student
# the same prediction, hence the same loss.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import Sigmoid, sigmoid
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = exam(200, rng=0)
X_raw, y = data.X, data.y.astype(float)
(X_std,) = standardize(X_raw)
mean, std = X_raw.mean(axis=0), X_raw.std(axis=0)

model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
optimizer = SGD(model.parameters(), lr=0.5)
nb.fit(
    model,
    BCELoss(),
    optimizer,
    X_std,
    y.reshape(-1, 1),
    epochs=100,
    batch_size=20,
    rng=0,
    verbose=False,
)
w_std, b_std = model[0].weight.value[0].copy(), model[0].bias.value[0]
w_raw, b_raw = w_std / std, b_std - np.sum(w_std * mean / std)
HOURS = 0


def bce(z):
    """Binary cross-entropy of the predictions sigmoid(z), for every row of z."""
    y_hat = np.clip(sigmoid(z), 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat), axis=-1)


print(
    f"same loss either way: {bce(X_raw @ w_raw + b_raw):.4f} (raw), "
    f"{bce(X_std @ w_std + b_std):.4f} (standardised)"
)


# %%
# Descend on two parameters
# -------------------------
# The same start in both cases: the model that ignores the hours (weight 0)
# and has the bias that matches it, the same model written in two ways. Then
# 50 steps of gradient descent on the hours weight and the bias, with the same
# learning rate. On the raw features we also try a smaller rate.


def surface_and_descent(X, w):
    """The loss over (hours weight, bias), and a function that descends on it.

    The bias is one of the two coordinates, so only the weights ``w`` are needed.
    """
    # the fixed weights' part
    rest = np.delete(X, HOURS, axis=1) @ np.delete(w, HOURS)

    def loss(w_hours, bias):
        w_hours, bias = np.asarray(w_hours), np.asarray(bias)
        return bce(np.multiply.outer(w_hours, X[:, HOURS]) + rest + bias[..., None])

    def descend(start, lr, steps=50):
        path = [np.array(start)]
        for _ in range(steps):
            w_hours, bias = path[-1]
            error = sigmoid(w_hours * X[:, HOURS] + rest + bias) - y  # y_hat - y
            # the gradient of the loss, as the backpropagation chapter derives it
            gradient = np.array([np.mean(error * X[:, HOURS]), np.mean(error)])
            path.append(path[-1] - lr * gradient)
        return np.array(path)

    return loss, descend


loss_raw, descend_raw = surface_and_descent(X_raw, w_raw)
loss_std, descend_std = surface_and_descent(X_std, w_std)
start_std = (0.0, 0.0)
start_raw = (0.0, -np.sum(np.delete(w_raw * mean, HOURS)))  # the same model, in raw terms
LR, SMALL_LR = 2.0, 0.5
runs = {
    "raw": {lr: descend_raw(start_raw, lr) for lr in (SMALL_LR, LR)},
    "standardised": {LR: descend_std(start_std, LR)},
}
losses = {
    "raw": {lr: loss_raw(*path[-1]) for lr, path in runs["raw"].items()},
    "standardised": {LR: loss_std(*runs["standardised"][LR][-1])},
}
print(f"start loss: {loss_raw(*start_raw):.3f} (raw), {loss_std(*start_std):.3f} (standardised)")
for features, result in losses.items():
    for lr, value in result.items():
        print(f"{features:>13}, learning rate {lr}: loss after 50 steps {value:.3f}")

# %%
# Two bowls
# ---------
# On the raw features the hours weight and the bias can stand in for each
# other: raising the weight by 1 raises every student's weighted sum by 5.4 on
# average, much as raising the bias by 5.4 would. So the loss hardly changes
# along a line where one goes up and the other down, and rises steeply across
# it: a long, narrow valley. A learning rate large enough to move along the
# valley overshoots across it and zigzags; a smaller one crawls. On the
# standardised features the two parameters do different things (the weight
# moves students above and below the average hours apart; the bias moves
# everyone), and the bowl is much rounder: the same rate goes straight in.

LEVELS = [0.06, 0.1, 0.2, 0.35, 0.6, 1, 1.5, 2.5, 4]
COLOURS = {SMALL_LR: "#1f77b4", LR: "#d55e00"}  # blue and vermillion, readable on light and dark
STAR = {"marker": "*", "color": "white", "markeredgecolor": "black", "markersize": 13}

# Both axes on the same scale (one unit is as long across as up), so that the
# valley looks as narrow as it is for gradient descent.
fig, axes = plt.subplots(1, 2, figsize=(8, 5), layout="constrained", width_ratios=[0.6, 1])
panels = [
    (
        axes[0],
        "raw features (0 to 10)",
        loss_raw,
        runs["raw"],
        (-1, 6),
        (-31, -15),
        (w_raw[HOURS], b_raw),
    ),
    (
        axes[1],
        "standardised features",
        loss_std,
        runs["standardised"],
        (-2, 11),
        (-4, 7),
        (w_std[HOURS], b_std),
    ),
]
for ax, title, loss, paths, xlim, ylim, best in panels:
    grid_w, grid_b = np.meshgrid(np.linspace(*xlim, 101), np.linspace(*ylim, 101))
    lines = ax.contour(
        grid_w, grid_b, loss(grid_w, grid_b), levels=LEVELS, colors="0.55", linewidths=0.8
    )
    ax.clabel(lines, fontsize=7, fmt="%g")
    finals = []
    for lr, path in paths.items():
        ax.plot(
            path[:, 0],
            path[:, 1],
            color=COLOURS[lr],
            marker="o",
            markersize=2.5,
            linewidth=1.2,
            label=f"gradient descent, η = {lr:g}",
        )
        ax.plot(*path[0], marker="s", color=COLOURS[lr], markersize=7)
        finals.append(f"η = {lr:g}: {loss(*path[-1]):.2f}")
    ax.plot(*best, **STAR, linestyle="none", label="trained model")
    ax.text(
        0.03,
        0.03,
        "loss after 50 steps\n" + "\n".join(finals),
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=8,
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.7"},
    )
    ax.set(xlim=xlim, ylim=ylim, title=title, xlabel="weight of hours studied", ylabel="bias")
    ax.set_aspect("equal")
handles, labels = axes[0].get_legend_handles_labels()
fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=9)
fig.set_label(
    "Two contour maps of the exam neuron's loss over the weight of hours studied "
    "(horizontal) and the bias (vertical). Left, raw features: a long narrow "
    f"diagonal valley; gradient descent with learning rate {LR} zigzags across "
    f"it and ends at loss {losses['raw'][LR]:.2f}, with {SMALL_LR} it crawls and "
    f"ends at {losses['raw'][SMALL_LR]:.2f}. Right, standardised features: a "
    f"much rounder bowl; the same rate {LR} goes straight to the bottom, loss "
    f"{losses['standardised'][LR]:.2f}."
)

plt.show()
