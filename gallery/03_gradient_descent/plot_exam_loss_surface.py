r"""
The loss surface of a real model
================================

The bowl in the first two examples of this section was made up. This one is not:
it is the binary cross-entropy loss of the exam model, one neuron
(:class:`~nnbasics.layers.Dense` with four inputs, then
:class:`~nnbasics.activations.Sigmoid`) trained on the standardised exam data.
That model has five parameters, four weights and a bias, so its loss surface
lives in six dimensions. To draw it we keep three of them fixed at their
trained values and vary two weights: the weight of *hours studied*, which
matters, and the weight of the student's *name*, which should not.
"""

# %%
# Train the model
# ---------------

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import Sigmoid
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = exam(200, rng=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)
HOURS, NAME = (data.feature_names.index("hours studied"), data.feature_names.index("name"))

model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
bce = BCELoss()
optimizer = SGD(model.parameters(), lr=0.5)
nb.fit(model, bce, optimizer, X, y, epochs=100, batch_size=20, rng=0, verbose=False)
layer = model[0]
trained = layer.weight.value.copy()
for name, weight in zip(data.feature_names, trained[0], strict=True):
    print(f"{name:>20}: {weight:+.2f}")
print(f"trained bias: {layer.bias.value[0]:.2f}, loss {bce(model(X), y):.4f}")


def loss_at(w_hours, w_name):
    """The loss on all the data, two weights set, the others as trained."""
    layer.weight.value[0, [HOURS, NAME]] = w_hours, w_name
    return bce(model(X), y)


# %%
# The surface
# -----------
# Evaluate the loss on a grid of the two weights. Along the *name* axis the
# surface is a valley with a flat floor near zero: giving the name any weight
# only adds error. Along the *hours* axis the loss drops steeply from negative
# weights (more hours predicted to mean failing: very wrong), and rises slowly
# again when the weight gets too large and the model too sure of itself.

hours_grid = np.linspace(-2, 16, 61)
name_grid = np.linspace(-6, 6, 49)
surface = np.array([[loss_at(a, b) for a in hours_grid] for b in name_grid])
layer.weight.value[...] = trained

# %%
# A descent across it
# -------------------
# Start from a poor guess, a negative weight for the hours and a large one for
# the name, and run gradient descent on these two weights only, as the chapter
# on gradient descent does before it meets backpropagation: each step uses all
# 200 students, and the gradient is estimated by nudging each weight a little
# either way (centred finite differences) and watching the loss.

START = (-1.5, 5.0)
LEARNING_RATE = 2.0
STEPS = 60
NUDGE = 1e-6


def gradient(w_hours, w_name):
    """The slopes of the loss along the two weights, by finite differences."""
    along_hours = loss_at(w_hours + NUDGE, w_name) - loss_at(w_hours - NUDGE, w_name)
    along_name = loss_at(w_hours, w_name + NUDGE) - loss_at(w_hours, w_name - NUDGE)
    return np.array([along_hours, along_name]) / (2 * NUDGE)


path = [np.array(START)]
for _step in range(STEPS):
    path.append(path[-1] - LEARNING_RATE * gradient(*path[-1]))
path = np.array(path)
path_loss = np.array([loss_at(a, b) for a, b in path])
layer.weight.value[...] = trained
print(
    f"gradient descent: {STEPS} steps, loss {path_loss[0]:.3f} -> "
    f"{path_loss[-1]:.3f}, ends at {path[-1].round(2)}"
)

# %%
# Both views
# ----------
# The 3-D surface on the left and its contour map on the right. The star is
# the trained model; the descent ends close to it, with a name weight near
# zero.

PATH_COLOUR = "#d55e00"  # Okabe-Ito vermillion
A, B = np.meshgrid(hours_grid, name_grid)
levels = np.quantile(surface, np.linspace(0, 1, 16)) + np.linspace(
    0, 1e-9, 16
)  # strictly increasing

fig = plt.figure(figsize=(8, 3.8), layout="constrained")
grid = fig.add_gridspec(1, 2, width_ratios=[1.15, 1])
ax3d = fig.add_subplot(grid[0], projection="3d", computed_zorder=False)
ax3d.plot_surface(
    A, B, surface, cmap="viridis", alpha=0.8, rstride=2, cstride=2, linewidth=0, zorder=1
)
ax3d.plot(path[:, 0], path[:, 1], path_loss, color=PATH_COLOUR, linewidth=1.2, zorder=2)
STAR = {"marker": "*", "color": "white", "markeredgecolor": "black"}
ax3d.plot(
    [trained[0, HOURS]],
    [trained[0, NAME]],
    [bce(model(X), y)],
    **STAR,
    markersize=12,
    linestyle="none",
    zorder=3,
)
ax3d.set_xlabel("hours weight")
ax3d.set_ylabel("name weight")
ax3d.set_zlabel("loss")
ax3d.view_init(elev=30, azim=-60)
ax3d.set_xticks([0, 5, 10, 15])
ax3d.set_yticks([-5, 0, 5])
ax3d.set_zticks([0, 1, 2, 3])
ax3d.set_box_aspect(None, zoom=0.8)
ax3d.set_title("BCE loss of the exam model", fontsize=10)

ax = fig.add_subplot(grid[1])
filled = ax.contourf(A, B, surface, levels=levels, cmap="viridis")
fig.colorbar(filled, ax=ax, label="BCE loss", format="%.2f")
ax.plot(path[:, 0], path[:, 1], color=PATH_COLOUR, linewidth=1.2, label="gradient descent")
ax.plot(*START, marker="s", color=PATH_COLOUR, markersize=8, linestyle="none", label="start")
ax.plot(
    trained[0, HOURS],
    trained[0, NAME],
    **STAR,
    markersize=14,
    linestyle="none",
    label="trained model",
)
ax.set_xlabel("weight of hours studied")
ax.set_ylabel("weight of name")
ax.set_title("Seen from above", fontsize=10)
ax.legend(loc="lower right", fontsize=8)
fig.set_label(
    "Binary cross-entropy loss of the trained exam model as a function of two "
    "weights, hours studied (horizontal) and name (vertical), the other "
    "parameters fixed: a 3-D surface on the left and a contour map on the right. "
    "The lowest loss lies along a name weight of zero; a gradient-descent path "
    f"starts at hours {START[0]:g}, name {START[1]:g} and runs down to the "
    f"trained model at hours {trained[0, HOURS]:.1f}, name "
    f"{trained[0, NAME]:.2f}."
)

plt.show()
