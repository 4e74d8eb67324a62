"""
The network drawn from its weights
==================================

A network diagram draws each neuron as a circle and each weight as a line from a
neuron in one layer to a neuron in the next. Most diagrams are only sketches;
here every line is drawn from a network that nnbasics has actually trained, so
the picture shows what the network learned: the **colour** of a line is the
sign of its weight (red for positive, blue for negative) and its **width** is
the weight's size. A circle's fill is its neuron's bias, on the same colour
scale.

The data is the exam example: four features per student (hours studied, how
smart, previous knowledge, and the first letter of the name turned into a
number) and a label, pass (1) or fail (0). Only the first three features decide
the result.
"""

# sphinx_gallery_thumbnail_number = 2

# %%
# Train the exam network
# ----------------------
# One neuron with a sigmoid activation: four weights, one bias, and an output
# between 0 and 1 that we read as the probability of passing. The features are
# standardised (mean 0, standard deviation 1) so that the weights can be compared.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize

import nnbasics as nb
from nnbasics.activations import Sigmoid, Tanh
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = exam(200, seed=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)

exam_model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
history = nb.fit(
    exam_model,
    BCELoss(),
    SGD(exam_model.parameters(), lr=0.5),
    X,
    y,
    epochs=100,
    batch_size=20,
    seed=0,
)
for name, weight in zip(
    data.feature_names, exam_model[0].weight.value[0], strict=True
):
    print(f"{name:>20}: {weight:+.2f}")


# %%
# A function that draws any ``Sequential`` of dense layers
# ---------------------------------------------------------
# The columns are the layers: the inputs on the left, then one column per
# :class:`~nnbasics.layers.Dense` layer. Row ``j`` of a dense layer's weight
# matrix holds the weights *into* neuron ``j``, so ``weight[j, i]`` is the line
# from neuron ``i`` on the left to neuron ``j`` on the right.

CMAP = plt.get_cmap("RdBu_r")  # diverging and colour-blind safe: blue < 0 < red
# Horizontal distance between layers, in units of the distance between neurons.
STEP = 2.5


def draw_network(ax, model, input_names, output_name):
    """Draw the dense layers of ``model`` on ``ax``; return the colour scale."""
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    activation = {}  # column -> name of the activation after that dense layer
    column = 0
    for layer in model.layers:
        if isinstance(layer, Dense):
            column += 1
        else:
            activation[column] = type(layer).__name__.lower()
    sizes = [dense[0].in_features] + [layer.out_features for layer in dense]
    rows = [
        np.arange(n)[::-1] - (n - 1) / 2 for n in sizes
    ]  # centred, first neuron on top

    biggest = max(np.abs(layer.weight.value).max() for layer in dense)
    norm = Normalize(-biggest, biggest)
    for col, layer in enumerate(dense):
        w = layer.weight.value  # shape (out, in)
        j, i = np.meshgrid(
            np.arange(w.shape[0]), np.arange(w.shape[1]), indexing="ij"
        )
        segments = [
            [(STEP * col, rows[col][a]), (STEP * (col + 1), rows[col + 1][b])]
            for a, b in zip(i.ravel(), j.ravel(), strict=True)
        ]
        # A thin grey line for every connection: a weight near zero still shows.
        ax.add_collection(
            LineCollection(segments, colors="0.75", linewidths=0.6, zorder=0)
        )
        strength = np.abs(w.ravel()) / biggest
        edges = LineCollection(
            segments, array=w.ravel(), cmap=CMAP, norm=norm, zorder=1
        )
        edges.set_linewidth(6 * strength)
        edges.set_alpha(
            0.4 + 0.6 * strength
        )  # small weights fade on light and dark backgrounds
        ax.add_collection(edges)

    ax.scatter(
        np.zeros(sizes[0]),
        rows[0],
        s=700,
        c="white",
        edgecolors="black",
        linewidths=1.2,
        zorder=2,
    )
    for col, layer in enumerate(dense, start=1):
        ax.scatter(
            np.full(sizes[col], STEP * col),
            rows[col],
            s=700,
            c=layer.bias.value,
            cmap=CMAP,
            norm=norm,
            edgecolors="black",
            linewidths=1.2,
            zorder=2,
        )

    for name, row in zip(input_names, rows[0], strict=True):
        ax.annotate(
            name,
            (0, row),
            xytext=(-20, 0),
            textcoords="offset points",
            ha="right",
            va="center",
        )
    ax.annotate(
        output_name,
        (STEP * len(dense), rows[-1][0]),
        xytext=(20, 0),
        textcoords="offset points",
        va="center",
    )

    lowest = min(r.min() for r in rows)
    for col, n in enumerate(sizes):
        if col == 0:
            title = f"input layer\n{n} features"
        elif col == len(dense):
            title = f"output layer\n{n} neuron, {activation.get(col, 'linear')}"
        else:
            kind = activation.get(col, "linear")
            title = f"hidden layer {col}\n{n} neurons, {kind}"
        ax.text(
            STEP * col, lowest - 0.8, title, ha="center", va="top", fontsize=9
        )

    ax.set_xlim(-3.2, STEP * len(dense) + 1.8)
    ax.set_ylim(lowest - 1.9, -lowest + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return norm


# %%
# The exam network
# ----------------
# Three thick red lines and a hairline: the network has
# learned that more hours, more talent and more previous knowledge all raise
# the chance of passing, and that the name does not matter. The numbers on the
# lines are the weights.

w = exam_model[0].weight.value[0]
fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
norm = draw_network(ax, exam_model, data.feature_names, "P(pass)")
for row, weight in zip(np.arange(4)[::-1] - 1.5, w, strict=True):
    t = 0.35  # label each line 35 % of the way from its input to the output
    ax.text(
        STEP * t,
        row * (1 - t),
        f"{weight:+.2f}",
        ha="center",
        va="center",
        fontsize=9,
        bbox={
            "boxstyle": "round,pad=0.15",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.8,
        },
    )
fig.colorbar(
    ScalarMappable(norm, CMAP),
    ax=ax,
    shrink=0.8,
    label="weight (line width grows with |weight|)",
)
ax.set_title("The exam network: one sigmoid neuron")
fig.set_label(
    "Diagram of the trained exam network: four input nodes (hours studied, how "
    "smart, previous knowledge, name) joined to one sigmoid output node. The "
    f"first three lines are thick and red (weights {w[0]:+.1f}, {w[1]:+.1f}, "
    f"{w[2]:+.1f}); the line from the name is a hairline (weight {w[3]:+.2f})."
)

# %%
# A deeper network
# ----------------
# The same data, learned by a network with two hidden layers of tanh neurons.
# Now there are many paths from an input to the output, and a weight means
# something only together with the weights after it. Still, the lines that
# leave the name stay thin next to the others, and a few hidden neurons carry
# most of the signal: the ones with thick lines in and out.

deep_model = nb.Sequential(
    Dense(4, 5, rng=1),
    Tanh(),
    Dense(5, 3, rng=2),
    Tanh(),
    Dense(3, 1, rng=3),
    Sigmoid(),
)
nb.fit(
    deep_model,
    BCELoss(),
    SGD(deep_model.parameters(), lr=0.3, weight_decay=1e-3),
    X,
    y,
    epochs=200,
    batch_size=20,
    seed=0,
    verbose=False,
)
accuracy = np.mean((deep_model(X) > 0.5) == (y > 0.5))
print(f"deeper network: training accuracy {accuracy:.1%}")

fig, ax = plt.subplots(figsize=(8, 4.6), layout="constrained")
norm = draw_network(ax, deep_model, data.feature_names, "P(pass)")
fig.colorbar(
    ScalarMappable(norm, CMAP),
    ax=ax,
    shrink=0.8,
    label="weight (line width grows with |weight|)",
)
ax.set_title("A deeper network on the same data: 4 → 5 → 3 → 1")
name_weights = np.abs(deep_model[0].weight.value[:, 3])
other_weights = np.abs(deep_model[0].weight.value[:, :3])
fig.set_label(
    "Diagram of a trained network with four inputs, a hidden layer of five tanh "
    "neurons, a hidden layer of three tanh neurons and one sigmoid output, every "
    "line coloured by the sign and sized by the size of its weight. The lines "
    f"from the name are thin (at most {name_weights.max():.1f}) next to the "
    f"thickest lines from the other features (up to {other_weights.max():.1f})."
)

plt.show()
