"""
Inside the exam network: its seven parameters and its hidden neuron
===================================================================

The lesson notes' network decides whether a student passes the exam from four
features (hours studied, how smart, previous knowledge and the name). It has
**one** hidden sigmoid neuron and one sigmoid output neuron: seven parameters
in all. This example trains it as the course chapter :doc:`/course/training`
does, watches the seven parameters move during training, and then looks at
what the hidden neuron computes for each of the 200 students.
"""

# sphinx_gallery_thumbnail_number = 2

# %%
# Train, and keep the parameters of every epoch
# ---------------------------------------------
# The recipe of the training chapter: features standardised to mean 0 and
# standard deviation 1, binary cross-entropy, stochastic gradient descent with
# learning rate 0.5 on batches of 20, 100 epochs. The loop is the one that
# :func:`nnbasics.fit <nnbasics.training.fit>` runs (with ``rng=0`` it
# visits the very same batches); it is written out here only to copy the
# parameters after every epoch.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter, ScalarFormatter

import nnbasics as nb
from nnbasics.activations import Sigmoid
from nnbasics.datasets import EXAM_THRESHOLD, EXAM_WEIGHTS, exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = exam(200, rng=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)

model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid(), Dense(1, 1, rng=1), Sigmoid())
loss_fn = BCELoss()
optimizer = SGD(model.parameters(), lr=0.5)
EPOCHS, BATCH = 100, 20


def parameters():
    """The seven parameters as one flat array: w_1..w_4, b, v, c."""
    return np.concatenate([p.value.ravel() for p in model.parameters()])


rng = np.random.default_rng(0)  # fit's shuffling, with seed=0
snapshots = [parameters()]
losses = []
for _ in range(EPOCHS):
    order = rng.permutation(len(X))
    total = 0.0
    for start in range(0, len(X), BATCH):
        batch = order[start : start + BATCH]
        optimizer.zero_grad()
        total += loss_fn(model(X[batch]), y[batch]) * len(batch)
        model.backward(loss_fn.backward())
        optimizer.step()
    losses.append(total / len(X))
    snapshots.append(parameters())
snapshots = np.array(snapshots)  # shape (101, 7): epoch 0 (the start) to 100
model.eval()
print(f"loss: epoch 1 {losses[0]:.3f}, epoch {EPOCHS} {losses[-1]:.3f}")
print("final parameters:", snapshots[-1].round(2))

# %%
# The seven parameters during training
# ------------------------------------
# Left, the training loss, epoch by epoch (on a logarithmic scale). Middle,
# the four weights into the hidden neuron; right, the hidden neuron's bias
# :math:`b` and the output neuron's weight :math:`v` and bias :math:`c`. At
# epoch 0 the weights are small random numbers and the biases zero.
#
# The weights of the three features that matter grow, all **negative**, the
# hours' most and the smartness' least, as in the exam's rule (1 : 0.6 : 0.8;
# the three features have about the same spread, so their weights can be
# compared). The name's weight starts at about -1 and goes to zero within a
# few epochs: the name does not help predict the result, so the gradient
# pushes its weight towards zero. The output weight :math:`v` grows large and
# negative, turning the hidden neuron's answer around (the next figure shows
# why).

# Okabe-Ito colours; grey for the name (greys are inverted for the dark theme).
COLOURS = ["#0072b2", "#e69f00", "#009e73", "0.45", "#cc79a7", "#d55e00", "#56b4e9"]
NAMES = [
    "hours",
    "smart",
    "knowledge",
    "name",
    "$b$ (hidden bias)",
    "$v$ (output weight)",
    "$c$ (output bias)",
]
epochs = np.arange(EPOCHS + 1)

fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), layout="constrained", width_ratios=[1, 1.25, 1.25])
ax = axes[0]
ax.plot(np.arange(1, EPOCHS + 1), losses, color=COLOURS[0])
ax.set_yscale("log")
ax.yaxis.set_major_formatter(ScalarFormatter())
ax.yaxis.set_minor_formatter(NullFormatter())
ax.set_yticks([0.03, 0.1, 0.3, 0.7])
ax.set_xlabel("epoch")
ax.set_ylabel("training loss (BCE)")
ax.set_title("Loss", fontsize=10)
for ax, columns, title in (
    (axes[1], range(4), "Weights into the hidden neuron"),
    (axes[2], range(4, 7), "The other three parameters"),
):
    for k in columns:
        dashed = k == 3  # the name
        ax.plot(
            epochs,
            snapshots[:, k],
            color=COLOURS[k],
            linestyle="--" if dashed else "-",
            linewidth=2 if dashed else 1.5,
        )
        # Each line is labelled at its end, in its own colour.
        ax.annotate(
            NAMES[k],
            (EPOCHS, snapshots[-1, k]),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            color=COLOURS[k],
            fontsize=8,
        )
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_xlim(0, EPOCHS * (1.35 if columns[0] == 0 else 1.75))
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("epoch")
    ax.set_ylabel("value")
    ax.set_title(title, fontsize=10)
final = snapshots[-1]
fig.set_label(
    "Three line charts over 100 epochs of training the 4-1-1 exam network. Left: "
    f"the training loss falls from {losses[0]:.2f} to {losses[-1]:.3f} (log "
    "scale). Middle: the weights into the hidden neuron grow negative, ending at "
    f"{final[0]:.1f} (hours), {final[1]:.1f} (smart) and {final[2]:.1f} "
    "(knowledge), while the name's weight, a dashed line, stays near zero "
    f"({final[3]:+.3f}). Right: the hidden bias ends at {final[4]:.1f}, the "
    f"output weight at {final[5]:.1f} and the output bias at {final[6]:.1f}."
)

# %%
# What the hidden neuron computes
# -------------------------------
# Each student gives the hidden neuron one number,
# :math:`h = \sigma(w \cdot x + b)`, between 0 and 1. Left: that number for
# each of the 200 students, against the score of the exam's rule,
# :math:`1.0\,x_\text{hours} + 0.6\,x_\text{smart} + 0.8\,x_\text{knowledge}`;
# a student passes when it is above 12 (plus a little noise). The students who
# fail get :math:`h` near 1, those who pass :math:`h` near 0: the hidden neuron
# has learned "how likely is this student to *fail*".
#
# Right: the output neuron sees only :math:`h` and computes
# :math:`\sigma(v h + c)`. With :math:`v` large and negative, that curve falls
# steeply: it turns "likely to fail" into the probability of passing. Every
# student lies on the same curve, because the output depends on :math:`h`
# alone.

hidden = model[1](model[0](X))[:, 0]  # h for each student
p_pass = model(X)[:, 0]
score = data.X[:, :3] @ np.array(list(EXAM_WEIGHTS.values())[:3])
CLASS_COLOURS = {0: "#0072b2", 1: "#e69f00"}  # fail, pass

fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
ax = axes[0]
for label, colour in CLASS_COLOURS.items():
    chosen = data.y == label
    ax.scatter(
        score[chosen], hidden[chosen], s=14, color=colour, alpha=0.8, label=data.target_names[label]
    )
ax.axvline(EXAM_THRESHOLD, color="0.4", linestyle="--", linewidth=1)
ax.annotate(
    "pass mark", (EXAM_THRESHOLD, 0.5), xytext=(4, 0), textcoords="offset points", fontsize=8
)
ax.set_xlabel("score of the exam's rule")
ax.set_ylabel("hidden activation $h$")
ax.set_title("The hidden neuron, student by student", fontsize=10)
ax.legend(fontsize=8, loc="upper right")

ax = axes[1]
h_grid = np.linspace(0, 1, 200)
v, c = final[5], final[6]
ax.plot(
    h_grid,
    1 / (1 + np.exp(-(v * h_grid + c))),
    color="0.3",
    linewidth=1.2,
    label=r"$\sigma(v h + c)$",
)
for label, colour in CLASS_COLOURS.items():
    chosen = data.y == label
    ax.scatter(
        hidden[chosen],
        p_pass[chosen],
        s=14,
        color=colour,
        alpha=0.8,
        label=data.target_names[label],
        zorder=3,
    )
ax.axhline(0.5, color="0.6", linewidth=0.8)
ax.set_xlabel("hidden activation $h$")
ax.set_ylabel("output P(pass)")
ax.set_title("The output neuron turns it around", fontsize=10)
ax.legend(fontsize=8, loc="upper right")
fail_h, pass_h = np.median(hidden[data.y == 0]), np.median(hidden[data.y == 1])
fig.set_label(
    "Two scatter plots of the 200 students, failing students in blue, passing in "
    "orange. Left: the hidden neuron's activation against the score of the "
    "exam's rule; it falls from near 1 to near 0 across the pass mark of 12 "
    f"(median {fail_h:.2f} for failing students, {pass_h:.3f} for passing ones). "
    "Right: the output probability of passing against the hidden activation; "
    "every student lies on one falling sigmoid curve, high for small activations."
)

plt.show()
