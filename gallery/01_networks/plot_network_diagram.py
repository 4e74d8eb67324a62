"""
The network drawn from its weights
==================================

A network diagram draws each neuron as a circle and each weight as a line from a
neuron in one layer to a neuron in the next. Most diagrams are only sketches;
here every line is drawn from real numbers: the **colour** of a line is the
sign of its weight (red for positive, blue for negative) and its **width** is
the weight's size. A circle's fill is its neuron's bias, on the same colour
scale.

The data is the exam example of the course: four features per student (hours
studied, how smart, previous knowledge, and the first letter of the name turned
into a number) and a label, pass (1) or fail (0). Only the first three features
decide the result. Three pictures, from small to large: the exam neuron of
:doc:`/course/the-neuron` with the weights chosen by hand, the lesson notes'
network (four inputs, one hidden neuron, one output neuron) after training, and
a wider and deeper network trained on the same students.
"""

# sphinx_gallery_thumbnail_number = 2

# %%
# A function that draws any ``Sequential`` of dense layers
# ---------------------------------------------------------
# The columns are the layers: the inputs on the left, then one column per
# :class:`~nnbasics.layers.Dense` layer. Row ``j`` of a dense layer's weight
# matrix holds the weights *into* neuron ``j``, so ``weight[j, i]`` is the line
# from neuron ``i`` on the left to neuron ``j`` on the right.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.patches import FancyArrowPatch

import nnbasics as nb
from nnbasics.activations import Sigmoid, Tanh, sigmoid
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

CMAP = plt.get_cmap("RdBu_r")  # diverging and colour-blind safe: blue < 0 < red
# Horizontal distance between layers, in units of the distance between neurons.
STEP = 2.5
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
NEURON = {"edgecolors": "black", "linewidths": 1.2, "zorder": 2}  # a circle for each neuron
ON_LINE = {"ha": "center", "va": "center", "bbox": LABEL_BOX, "zorder": 3}  # a number on a line
BESIDE = {"textcoords": "offset points", "va": "center"}  # a name beside a neuron

data = exam(200, rng=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)


def rows_of(n):
    """Vertical positions of ``n`` neurons, centred, the first one on top."""
    return np.arange(n)[::-1] - (n - 1) / 2


def layout(model):
    """The dense layers of ``model``, their activations and neuron positions."""
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    activation = {}  # column -> name of the activation after that dense layer
    column = 0
    for layer in model.layers:
        if isinstance(layer, Dense):
            column += 1
        else:
            activation[column] = type(layer).__name__.lower()
    sizes = [dense[0].in_features] + [layer.out_features for layer in dense]
    return dense, activation, sizes, [rows_of(n) for n in sizes]


def segments_of(rows, col):
    """The lines from column ``col`` to the next, in ``weight.ravel()`` order."""
    j, i = np.meshgrid(np.arange(len(rows[col + 1])), np.arange(len(rows[col])), indexing="ij")
    return [
        [(STEP * col, rows[col][a]), (STEP * (col + 1), rows[col + 1][b])]
        for a, b in zip(i.ravel(), j.ravel(), strict=True)
    ]


def draw_network(ax, model, input_names, output_name):
    """Draw the dense layers of ``model`` on ``ax``; return the colour scale."""
    dense, activation, sizes, rows = layout(model)
    biggest = max(np.abs(layer.weight.value).max() for layer in dense)
    norm = Normalize(-biggest, biggest)
    for col, layer in enumerate(dense):
        w = layer.weight.value.ravel()  # shape (out, in), flattened row by row
        segments = segments_of(rows, col)
        # A thin grey line for every connection: a weight near zero still shows.
        ax.add_collection(LineCollection(segments, colors="0.75", linewidths=0.6, zorder=0))
        strength = np.abs(w) / biggest
        edges = LineCollection(segments, array=w, cmap=CMAP, norm=norm, zorder=1)
        edges.set_linewidth(6 * strength)
        # Small weights fade, on light and dark backgrounds alike.
        edges.set_alpha(0.4 + 0.6 * strength)
        ax.add_collection(edges)

    ax.scatter(np.zeros(sizes[0]), rows[0], s=700, c="white", **NEURON)
    for col, layer in enumerate(dense, start=1):
        x = np.full(sizes[col], STEP * col)
        ax.scatter(x, rows[col], s=700, c=layer.bias.value, cmap=CMAP, norm=norm, **NEURON)

    for name, row in zip(input_names, rows[0], strict=True):
        ax.annotate(name, (0, row), xytext=(-20, 0), ha="right", **BESIDE)
    ax.annotate(output_name, (STEP * len(dense), rows[-1][0]), xytext=(20, 0), **BESIDE)

    lowest = min(r.min() for r in rows)
    for col, n in enumerate(sizes):
        neurons = "1 neuron" if n == 1 else f"{n} neurons"
        kind = activation.get(col, "linear")
        hidden = f"hidden layer {col}" if len(dense) > 2 else "hidden layer"
        if col == 0:
            title = f"input layer\n{n} features"
        elif col == len(dense):
            title = f"output layer\n{neurons}, {kind}"
        else:
            title = f"{hidden}\n{neurons}, {kind}"
        ax.text(STEP * col, lowest - 0.8, title, ha="center", va="top", fontsize=9)

    ax.set_xlim(-3.2, STEP * len(dense) + 1.8)
    ax.set_ylim(lowest - 1.9, -lowest + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return norm


def label_parameters(ax, model):
    """Write each weight on its line and each bias under its neuron."""
    dense, _, _, rows = layout(model)
    for col, layer in enumerate(dense):
        lines = segments_of(rows, col)
        t = 0.3 if len(lines) > 1 else 0.5
        for (start, end), w in zip(lines, layer.weight.value.ravel(), strict=True):
            x, y = start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])
            ax.text(x, y, f"{w:+.2f}" if abs(w) >= 0.05 else f"{w:+.3f}", fontsize=9, **ON_LINE)
        for row, b in zip(rows[col + 1], layer.bias.value, strict=True):
            x = STEP * (col + 1)
            ax.text(x, row - 0.45, f"b = {b:+.2f}", ha="center", va="top")


def add_colorbar(fig, ax, norm):
    fig.colorbar(
        ScalarMappable(norm, CMAP),
        ax=ax,
        shrink=0.8,
        label="weight or bias (width grows with |weight|)",
    )


# %%
# One neuron: the exam neuron
# ---------------------------
# The neuron of :doc:`/course/the-neuron`, with weights chosen by hand: an hour
# of study is worth 1 point, a point of "how smart" 0.6, a point of previous
# knowledge 0.8, the name nothing, and a student needs 12 points (the bias is
# :math:`-12`). The neuron does two things: it adds up the weighted inputs and
# the bias, :math:`z = w \cdot x + b`, then squashes :math:`z` with the sigmoid
# into :math:`a = \sigma(z)`, read as the probability of passing.

weights = np.array([1.0, 0.6, 0.8, 0.0])
bias = -12.0
names = data.feature_names
rows = rows_of(4) * 1.1
SUM, SQUASH = (3.2, 0.0), (5.4, 0.0)  # where the sum and the sigmoid are drawn

fig, ax = plt.subplots(figsize=(7.2, 3.4), layout="constrained")
norm = Normalize(-1.0, 1.0)
for k, (name, w, row) in enumerate(zip(names, weights, rows, strict=True)):
    ax.plot([0, SUM[0]], [row, 0], color="0.75", linewidth=0.8, zorder=0)
    ax.plot([0, SUM[0]], [row, 0], color=CMAP(norm(w)), linewidth=1 + 5 * abs(w), zorder=1)
    ax.text(0.3 * SUM[0], row * 0.7, f"$w_{k + 1} = {w:.1f}$", fontsize=10, **ON_LINE)
    ax.annotate(f"$x_{k + 1}$: {name}", (0, row), xytext=(-18, 0), ha="right", **BESIDE)
ax.scatter(np.zeros(4), rows, s=500, c="white", **NEURON)
ax.scatter(*SUM, s=2600, c="white", edgecolors="black", linewidths=1.4, zorder=2)
ax.text(*SUM, r"$\Sigma$", ha="center", va="center", fontsize=20, zorder=3)
ax.text(
    SUM[0], -0.78, f"$z = w \\cdot x + b$\n$b = {bias:.0f}$", ha="center", va="top", fontsize=10
)
# the sigmoid, drawn as a small curve in a box
ax.add_patch(
    plt.Rectangle(
        (SQUASH[0] - 0.55, -0.55), 1.1, 1.1, facecolor="white", edgecolor="black", zorder=2
    )
)
curve = np.linspace(-6, 6, 100)
ax.plot(
    SQUASH[0] + curve / 12, -0.4 + 0.8 * sigmoid(curve), color="tab:blue", linewidth=2, zorder=3
)
ax.text(SQUASH[0], -0.78, r"$a = \sigma(z)$", ha="center", va="top", fontsize=10)
for start, end in [
    ((SUM[0] + 0.5, 0), (SQUASH[0] - 0.57, 0)),
    ((SQUASH[0] + 0.57, 0), (SQUASH[0] + 1.4, 0)),
]:
    ax.add_patch(
        FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color="black", zorder=2)
    )
ax.text(SQUASH[0] + 1.5, 0, "P(pass)", ha="left", va="center")
ax.set_xlim(-4.2, 8.0)
ax.set_ylim(-1.9, 1.9)
ax.set_aspect("equal")
ax.axis("off")
ax.set_title("The exam neuron: weigh, add, squash")
fig.set_label(
    "Diagram of one neuron. Four inputs (hours studied, how smart, previous "
    "knowledge, name) are joined by lines to a circle marked with a summation "
    "sign; the lines are labelled with their weights w1 = 1.0, w2 = 0.6, "
    "w3 = 0.8 and w4 = 0, thick for large weights and a hairline for the name. "
    "Under the circle: z = w . x + b with b = -12. An arrow leads from the "
    "circle to a box with the S-shaped sigmoid curve, a = sigma(z), and on to "
    "the output P(pass)."
)

# %%
# The lesson notes' network: 4 → 1 → 1, trained
# ----------------------------------------------
# The network of the lesson notes: the four inputs, **one** hidden sigmoid
# neuron and one sigmoid output neuron, seven parameters in all. It starts
# with random weights and zero biases and is trained as in
# :doc:`/course/training`: binary cross-entropy, stochastic gradient descent
# with learning rate 0.5, batches of 20, 100 epochs, on the 200 students with
# standardised features (mean 0, standard deviation 1).
#
# All four weights into the hidden neuron came out **negative** (blue): it
# learned "how likely is this student to *fail*". The output neuron turns
# that around with a large negative weight of its own. The name's line is a
# hairline: its weight is close to zero.

notes_model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid(), Dense(1, 1, rng=1), Sigmoid())
optimizer = SGD(notes_model.parameters(), lr=0.5)
history = nb.fit(
    notes_model, BCELoss(), optimizer, X, y, epochs=100, batch_size=20, rng=0, verbose=False
)
hidden_w = notes_model[0].weight.value[0]
out_w = notes_model[2].weight.value[0, 0]
for name, weight in zip(data.feature_names, hidden_w, strict=True):
    print(f"{name:>20}: {weight:+.3f}")
hidden_b = notes_model[0].bias.value[0]
out_b = notes_model[2].bias.value[0]
print(f"hidden bias {hidden_b:+.2f}, output weight {out_w:+.2f}, bias {out_b:+.2f}")
print(f"training accuracy {history.accuracy[-1]:.1%}")

fig, ax = plt.subplots(figsize=(7.2, 4), layout="constrained")
norm = draw_network(ax, notes_model, data.feature_names, "P(pass)")
label_parameters(ax, notes_model)
add_colorbar(fig, ax, norm)
ax.set_title("The lesson notes' network, 4 → 1 → 1, after training")
fig.set_label(
    "Diagram of the trained 4-1-1 exam network: four input nodes (hours "
    "studied, how smart, previous knowledge, name) joined to one hidden sigmoid "
    "neuron, joined to one sigmoid output neuron. The weights into the hidden "
    f"neuron are blue (negative): {hidden_w[0]:+.2f}, {hidden_w[1]:+.2f} and "
    f"{hidden_w[2]:+.2f} for the first three features and a hairline "
    f"{hidden_w[3]:+.3f} for the name. The line from the hidden to the output "
    f"neuron is thick and blue, weight {out_w:+.2f}."
)

# %%
# A wider and deeper network
# --------------------------
# The same data, learned by a network with two hidden layers of tanh neurons,
# five and three wide. Now there are many paths from an input to the output,
# and a weight means something only together with the weights after it.
# Still, the lines that leave the name stay thin next to the others, and a few
# hidden neurons carry most of the signal: the ones with thick lines in and out.

deep_model = nb.Sequential(
    Dense(4, 5, rng=1), Tanh(), Dense(5, 3, rng=2), Tanh(), Dense(3, 1, rng=3), Sigmoid()
)
optimizer = SGD(deep_model.parameters(), lr=0.3, weight_decay=1e-3)
nb.fit(deep_model, BCELoss(), optimizer, X, y, epochs=200, batch_size=20, rng=0, verbose=False)
accuracy = np.mean((deep_model(X) > 0.5) == (y > 0.5))
print(f"deeper network: training accuracy {accuracy:.1%}")

fig, ax = plt.subplots(figsize=(8, 4.6), layout="constrained")
norm = draw_network(ax, deep_model, data.feature_names, "P(pass)")
add_colorbar(fig, ax, norm)
ax.set_title("A wider and deeper network on the same data: 4 → 5 → 3 → 1")
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
