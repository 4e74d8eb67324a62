r"""
The exam neuron as a computational graph
========================================

Backpropagation works on the *computational graph* of the loss: every number
computed on the way from the inputs to the loss is a node, and every
operation links the numbers it reads to the number it makes. This example
builds the graph of the exam neuron for one student with
:class:`~nnbasics.value.Value`, runs the backward pass, and draws every node
with its value (from the forward pass) and its gradient
:math:`\partial L/\partial(\text{node})` (from the backward pass).

The neuron is the untrained one that training starts from: the random weights
of ``Dense(4, 1, rng=0)`` and a bias of zero.
"""

# %%
# Forward and backward with Value
# -------------------------------
# One student, the first of the standardised exam data. The loss is the binary
# cross-entropy of the prediction :math:`\hat y = \sigma(z)` against the label.

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from nnbasics import Value
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense

data = exam(200, rng=0)
(X,) = standardize(data.X)
label = float(data.y[0])
SHORT = ("hours", "smart", "knowledge", "name")

xs = [Value(float(v), label=f"x_{name}") for v, name in zip(X[0], SHORT, strict=True)]
start = Dense(4, 1, rng=0)
ws = [
    Value(float(v), label=f"w_{name}") for v, name in zip(start.weight.value[0], SHORT, strict=True)
]
b = Value(0.0, label="b")
products = [w * x for w, x in zip(ws, xs, strict=True)]
z = sum(products, start=b)
y_hat = z.sigmoid()
loss = -(label * y_hat.log() + (1 - label) * (1 - y_hat).log())
loss.backward()
print(f"label {label:g}, z = {z.data:.4f}, y_hat = {y_hat.data:.4f}, loss = {loss.data:.4f}")
print(f"dL/dz = {z.grad:.4f} = y_hat - y = {y_hat.data - label:.4f}")
for w in ws:
    print(f"dL/d{w.label} = {w.grad:+.4f}")

# %%
# The graph, from left to right
# -----------------------------
# Forward, left to right: each weight times its input, the products and the
# bias summed into :math:`z`, the sigmoid, the loss. Backward, right to left:
# the loss has gradient 1; the cross-entropy and the sigmoid together turn it
# into :math:`\hat y - y` at :math:`z`; a sum passes its gradient unchanged
# to everything it added; a product gives each factor the gradient times the
# *other* factor, so :math:`w_j` gets :math:`(\hat y - y)\,x_j`.

GRAD = "#d55e00"  # Okabe-Ito vermillion: gradients
# blue (tab10, reads on light and dark): the parameters training changes
PARAM = "#1f77b4"
BOX_W, BOX_H = 2.0, 0.8

fig, ax = plt.subplots(figsize=(7.2, 5.0), layout="constrained")


def box(x, y, title, node, *, edge="0.45", show_grad=True):
    """A rounded box at (x, y): the node's name, its value and its gradient."""
    ax.add_patch(
        FancyBboxPatch(
            (x - BOX_W / 2, y - BOX_H / 2),
            BOX_W,
            BOX_H,
            boxstyle="round,pad=0.03",
            facecolor="white",
            edgecolor=edge,
            linewidth=1.6,
        )
    )
    ax.text(x, y + 0.2, title, ha="center", va="center", fontsize=9, fontweight="bold")
    ax.text(x, y - 0.02, f"value {node.data:+.3f}", ha="center", va="center", fontsize=8)
    if show_grad:
        ax.text(
            x, y - 0.22, f"grad {node.grad:+.3f}", ha="center", va="center", fontsize=8, color=GRAD
        )


def arrow(start, end, op=None):
    """A forward arrow, from the right edge of one box to another's left edge."""
    (x0, y0), (x1, y1) = start, end
    tail, head = (x0 + BOX_W / 2 + 0.05, y0), (x1 - BOX_W / 2 - 0.05, y1)
    ax.annotate(
        "", xy=head, xytext=tail, arrowprops={"arrowstyle": "->", "color": "0.45", "linewidth": 1}
    )
    if op:  # the operation's symbol, just above the middle of the arrow
        ax.text(
            (tail[0] + head[0]) / 2,
            (tail[1] + head[1]) / 2 + 0.1,
            op,
            ha="center",
            va="bottom",
            fontsize=9,
            color="0.3",
        )


COLUMNS = [0.0, 2.75, 5.5, 8.0, 10.6]
groups = [8.0, 5.9, 3.8, 1.7]  # one group per feature: its weight above its input
z_y = 4.85
b_y = z_y  # the bias sits between the products, level with z
for w, x, p, g, name in zip(ws, xs, products, groups, SHORT, strict=True):
    box(COLUMNS[0], g + 0.48, f"w_{name}", w, edge=PARAM)
    box(COLUMNS[0], g - 0.48, f"x_{name}", x)
    box(COLUMNS[1], g, "w × x", p)
    arrow((COLUMNS[0], g + 0.48), (COLUMNS[1], g), "×")
    arrow((COLUMNS[0], g - 0.48), (COLUMNS[1], g))
    arrow((COLUMNS[1], g), (COLUMNS[2], z_y))
box(COLUMNS[1], b_y, "b", b, edge=PARAM)
arrow((COLUMNS[1], b_y), (COLUMNS[2], z_y))
box(COLUMNS[2], z_y, "z = Σ w·x + b", z)
box(COLUMNS[3], z_y, "ŷ = σ(z)", y_hat)
arrow((COLUMNS[2], z_y), (COLUMNS[3], z_y), "σ")
label_node = Value(label)
box(
    COLUMNS[3], z_y - 2.2, f"label y ({data.target_names[int(label)]})", label_node, show_grad=False
)
box(COLUMNS[4], z_y, "loss L", loss)
arrow((COLUMNS[3], z_y), (COLUMNS[4], z_y), "BCE")
arrow((COLUMNS[3], z_y - 2.2), (COLUMNS[4], z_y))
ax.text(
    COLUMNS[3] + 1.2,
    8.3,
    "forward: values, left to right\nbackward: grads, right to left",
    ha="center",
    va="center",
    fontsize=9,
)
ax.text(
    COLUMNS[3] + 1.2,
    6.9,
    f"grad at z = ŷ − y = {y_hat.data:.3f} − {label:g}\nand each w gets (ŷ − y) · x",
    ha="center",
    va="center",
    fontsize=9,
    color=GRAD,
)
ax.set(xlim=(-1.1, 11.7), ylim=(0.7, 9.1))
ax.set_aspect("equal")
ax.axis("off")
fig.set_label(
    "The computational graph of the exam neuron for one student, drawn left to "
    "right: four weight boxes and four input boxes feed four products, which "
    "with the bias b sum to z, then the sigmoid gives y-hat and binary "
    f"cross-entropy against the label gives the loss {loss.data:.3f}. Every box "
    f"shows its value and its gradient; the gradient at z is {z.grad:.3f}, equal "
    "to y-hat minus y, and each weight's gradient is that number times its input."
)

plt.show()
