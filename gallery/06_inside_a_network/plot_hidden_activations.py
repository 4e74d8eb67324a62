"""
Inside a network: hidden activations
====================================

A trained network is not a black box: every number it computes on the way from
input to output can be printed and drawn. This example opens up a small
network trained to tell the two moons apart and looks at its *activations*, the
outputs of its neurons: first layer by layer for a few inputs, then neuron by
neuron over the whole input plane.
"""

# sphinx_gallery_thumbnail_number = 2

# %%
# Train a small network
# ---------------------
# Two inputs, two hidden layers of tanh neurons (six, then four), and a sigmoid
# output: the probability that a point belongs to the lower moon. A little
# weight decay keeps the weights moderate, so that the neurons are not all
# saturated at -1 or 1 and there is something to see.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import Sigmoid, Tanh
from nnbasics.datasets import moons
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = moons(200, noise=0.15, rng=0)
X, labels = data
y = labels.reshape(-1, 1).astype(float)

model = nb.Sequential(
    Dense(2, 6, rng=0), Tanh(), Dense(6, 4, rng=1), Tanh(), Dense(4, 1, rng=2), Sigmoid()
)
optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=3e-3)
history = nb.fit(model, BCELoss(), optimizer, X, y, epochs=100, batch_size=20, rng=0, verbose=False)
print(history)


def activations(inputs):
    """The output of each activation layer: the hidden layers, then the output."""
    outputs = []
    for layer in model.layers:
        inputs = layer(inputs)
        if not isinstance(layer, Dense):
            outputs.append(inputs)
    return outputs


LAYER_NAMES = ["hidden layer 1 (tanh)", "hidden layer 2 (tanh)", "output (sigmoid)"]

# %%
# Layer by layer, for five inputs
# -------------------------------
# Five points, A to E: two from each moon and one between them. Each row of the
# two heatmaps is one input, each column one neuron, the colour its activation:
# a tanh neuron outputs a number between -1 (blue) and 1 (red). The output
# neuron's probability, between 0 and 1, is drawn as a bar.
#
# Read a row from left to right to follow one input through the network. In
# the first layer, points from the same moon already give similar patterns
# (compare A with B, and C with D); by the second layer the two moons give
# nearly opposite patterns, which the output neuron only has to weigh and add.
# Point E, between the moons, gives weaker, mixed activations and an output
# near one half: the network is unsure about it, as it should be.

points = np.array([[-0.8, 0.6], [0.1, 1.0], [1.0, -0.45], [1.9, 0.2], [0.5, 0.17]])
names = ["A", "B", "C", "D", "E"]
point_acts = activations(points)
# Okabe-Ito blue and orange: upper and lower moon.
CLASS_COLOURS = ["#0072b2", "#e69f00"]

fig, axd = plt.subplot_mosaic(
    [["inputs", "layer 1"], ["layer 2", "output"]],
    figsize=(8, 6.4),
    width_ratios=[1, 1.25],
    layout="constrained",
)
ax = axd["inputs"]
for label, colour in enumerate(CLASS_COLOURS):
    ax.scatter(*X[labels == label].T, s=10, color=colour, alpha=0.6, label=data.target_names[label])
ax.scatter(*points.T, s=60, color="black", marker="X")
for name, point in zip(names, points, strict=True):
    ax.annotate(name, point, xytext=(6, 4), textcoords="offset points", fontweight="bold")
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("Inputs A to E", fontsize=10)
ax.legend(loc="lower left", fontsize=8)

for key, acts, layer_name in zip(["layer 1", "layer 2"], point_acts, LAYER_NAMES, strict=False):
    ax = axd[key]
    image = ax.imshow(acts, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(acts.shape[1]), range(1, acts.shape[1] + 1))
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("neuron")
    ax.set_ylabel("input")
    ax.set_title(layer_name, fontsize=10)
    fig.colorbar(image, ax=ax, label="tanh activation")

# The output is one number per input: a bar for each.
ax = axd["output"]
probability = point_acts[-1][:, 0]
ax.barh(names, probability, color=[CLASS_COLOURS[int(p > 0.5)] for p in probability], height=0.6)
for row, p in enumerate(probability):
    ax.annotate(f"{p:.2f}", (p, row), xytext=(4, 0), textcoords="offset points", va="center")
ax.axvline(0.5, color="black", linewidth=1, linestyle="--")
ax.invert_yaxis()  # A at the top, as in the heatmaps
ax.set_xlim(0, 1.15)
ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
ax.set_xlabel("P(lower moon)")
ax.set_ylabel("input")
ax.set_title(LAYER_NAMES[-1], fontsize=10)
fig.set_label(
    "Top left: the two-moons data with five marked inputs A to E. Then the "
    "activations these inputs produce, one row per input: a heatmap of the six "
    "neurons of the first hidden layer, one of the four of the second, and a bar "
    "chart of the output probability. Inputs from the same moon give similar "
    f"rows; E, between the moons, gives an output of {point_acts[-1][-1, 0]:.2f}."
)

# %%
# One neuron over the whole input plane
# -------------------------------------
# Now fix one neuron and compute its activation for every point of the plane.
# A first-layer neuron computes :math:`\tanh(w_1 x_1 + w_2 x_2 + b)`: a ramp
# from -1 to 1 across a *straight* line (drawn where the activation is 0). A
# second-layer neuron applies tanh to a weighted sum of six such ramps, so its
# boundary can bend. The output neuron combines four of those, and its
# boundary (where the probability is one half) curls between the two moons.
# This is what "deeper layers compute more complex features" means.

grid_x1, grid_x2 = np.meshgrid(np.linspace(-1.6, 2.6, 169), np.linspace(-1.1, 1.6, 109))
grid_acts = activations(np.column_stack([grid_x1.ravel(), grid_x2.ravel()]))
CHOSEN = [(0, 2), (1, 0), (2, 0)]  # (layer, neuron)

fig, axes = plt.subplots(1, 3, figsize=(8, 3.0), sharex=True, sharey=True, layout="constrained")
images = []
for ax, (layer, neuron) in zip(axes, CHOSEN, strict=True):
    values = grid_acts[layer][:, neuron].reshape(grid_x1.shape)
    output = layer == len(CHOSEN) - 1
    image = ax.imshow(
        values,
        origin="lower",
        extent=(grid_x1.min(), grid_x1.max(), grid_x2.min(), grid_x2.max()),
        cmap="viridis" if output else "RdBu_r",
        vmin=0 if output else -1,
        vmax=1,
        aspect="auto",
    )
    # A black line on a white halo: visible on every colour of the map.
    for colour, width in (("white", 3.5), ("black", 1.5)):
        ax.contour(
            grid_x1,
            grid_x2,
            values,
            levels=[0.5 if output else 0.0],
            colors=colour,
            linewidths=width,
        )
    for label, colour in enumerate(CLASS_COLOURS):
        ax.scatter(*X[labels == label].T, s=8, color=colour, edgecolors="black", linewidths=0.3)
    title = "output neuron" if output else f"hidden layer {layer + 1}, neuron {neuron + 1}"
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("$x_1$")
    images.append(image)
axes[0].set_ylabel("$x_2$")
fig.colorbar(images[0], ax=axes[:2], label="tanh activation")
fig.colorbar(images[2], ax=axes[2], label="probability")
fig.set_label(
    "Three maps of the input plane with the two-moons data on top, each coloured "
    "by one neuron's activation: a first-layer neuron changes from -1 to 1 "
    "across a straight line; a second-layer neuron across a bent line; the "
    "output neuron's probability crosses one half along a curve that separates "
    "the moons."
)

plt.show()
