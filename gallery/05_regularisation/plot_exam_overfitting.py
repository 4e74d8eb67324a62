"""
Eight students are not enough
=============================

The exam data has four features per student: hours studied, how smart the
student is, previous knowledge, and the student's name (its first letter, as
a number). The result depends on the first three only. Trained on 200
students, the lesson notes' network (four inputs, one hidden neuron, one
output neuron) gives the name a weight of almost exactly zero. Trained on a
handful of students, it does not: in a small sample, the names happen to line
up with the results, and the network learns that accident as if it were a
rule. That is overfitting. Here we compare three runs, and then watch the
name's weight as the class grows.
"""

# %%
# Three runs of the notes' network
# --------------------------------
# - the first **8 students** of the class, trained until the network gets all
#   of them right with great confidence (1,000 full-batch steps);
# - the same 8 students with **L2 regularisation** (weight decay
#   :math:`\lambda = 0.01`), which pulls every weight towards zero at every step;
# - all **200 students**, trained as in :doc:`/course/training` (batches of 20,
#   100 epochs).
#
# Each run standardises the features with the statistics of its own training
# students, and is then tested on 1,000 new students.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import Sigmoid
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

students = exam(200, rng=0)
new = exam(1000, rng=1)
y_new = new.y.reshape(-1, 1).astype(float)


def train(X, y, *, weight_decay=0.0, epochs, batch_size):
    """Train the notes' network on (X, y); its hidden weights and accuracy."""
    X_train, X_new = standardize(X, new.X)
    model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid(), Dense(1, 1, rng=1), Sigmoid())
    optimizer = SGD(model.parameters(), lr=0.5, weight_decay=weight_decay)
    y_train = y.reshape(-1, 1).astype(float)
    nb.fit(
        model,
        BCELoss(),
        optimizer,
        X_train,
        y_train,
        epochs=epochs,
        batch_size=batch_size,
        rng=0,
        verbose=False,
    )
    _, accuracy = nb.evaluate(model, BCELoss(), X_new, y_new)
    return model[0].weight.value[0], accuracy


few_X, few_y = students.X[:8], students.y[:8]
RUNS = {
    "8 students": train(few_X, few_y, epochs=1000, batch_size=8),
    "8 students, L2": train(few_X, few_y, weight_decay=0.01, epochs=1000, batch_size=8),
    "200 students": train(students.X, students.y, epochs=100, batch_size=20),
}
for name, (weights, accuracy) in RUNS.items():
    print(f"{name:>15}: weights {np.round(weights, 2)}, new students {accuracy:.1%}")

# %%
# The weights into the hidden neuron
# ----------------------------------
# The hidden neuron's weights are negative: it learned how likely a student is
# to *fail*, and the output neuron turns that round. With 8 students the
# name's weight (purple) is about half the size of the others.
# In those eight, a name late in the alphabet happens to go with passing, and
# the network cannot know that this is chance. L2 regularisation shrinks
# every weight, and the name's most, to less than half: the penalty cannot
# tell which weights are noise, but a weight that only a coincidence supports
# gains the least from being large. With 200 students the name's weight is
# practically zero.

FEATURES = students.feature_names
# Okabe-Ito colours, one per feature
COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7"]
fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
width = 0.2
for index, (feature, colour) in enumerate(zip(FEATURES, COLOURS, strict=True)):
    positions = np.arange(len(RUNS)) + (index - 1.5) * width
    values = [weights[index] for weights, _ in RUNS.values()]
    ax.bar(positions, values, width=width * 0.9, color=colour, label=feature)
    if feature == "name":
        for x, value in zip(positions, values, strict=True):
            text = f"{value:+.2f}" if abs(value) >= 0.05 else f"{value:+.3f}"
            ax.annotate(
                text,
                (x, value),
                xytext=(0, -4),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=8,
            )
ax.axhline(0, color="black", linewidth=0.8)
ax.set_xticks(
    np.arange(len(RUNS)),
    [f"{name}\n{accuracy:.1%} right on new students" for name, (_, accuracy) in RUNS.items()],
)
ax.set_xlabel("training run")
ax.set_ylabel("weight into the hidden neuron")
ax.set_ylim(top=0.5)
ax.legend(fontsize=8, loc="lower left", ncols=2)
ax.grid(alpha=0.3, axis="y")
name_weights = {name: weights[3] for name, (weights, _) in RUNS.items()}
fig.set_label(
    "Grouped bar chart of the four weights into the exam network's hidden neuron "
    "for three training runs. Trained on 8 students, the name's weight is "
    f"{name_weights['8 students']:+.2f}, about half the size of the other "
    "weights; with L2 regularisation it is "
    f"{name_weights['8 students, L2']:+.2f} and all weights are smaller; "
    f"trained on 200 students it is {name_weights['200 students']:+.3f}. "
    "The accuracies on new students are "
    + ", ".join(f"{accuracy:.1%}" for _, accuracy in RUNS.values())
    + "."
)

# %%
# The name's weight as the class grows
# ------------------------------------
# One class of eight could be an unlucky draw. So we draw eight classes of each
# size from a large pool of students, train the network on each (200
# full-batch steps, with and without L2) and average the size of the name's
# weight. It shrinks steadily as the classes grow: in a larger sample the
# accidental link between names and results is weaker, and the network finds
# less to learn from it. L2 helps where students are few, and matters less and
# less as they grow in number. More data is the cure that knows *which*
# weight is noise.

pool = exam(2000, rng=2)
rng = np.random.default_rng(0)
SIZES = [8, 16, 32, 64, 128, 256]
DRAWS = 8
STEPS = 200
name_size = {0.0: [], 0.01: []}
for size in SIZES:
    classes = [rng.choice(len(pool), size, replace=False) for _ in range(DRAWS)]
    for decay, sizes in name_size.items():
        weights = [
            train(pool.X[index], pool.y[index], weight_decay=decay, epochs=STEPS, batch_size=size)[
                0
            ]
            for index in classes
        ]
        sizes.append(np.mean([abs(w[3]) for w in weights]))
for decay, sizes in name_size.items():
    print(f"lambda {decay}: mean |name weight|", np.round(sizes, 3))

fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
ax.plot(SIZES, name_size[0.0], "o-", color="#d55e00", label="no regularisation")
ax.plot(SIZES, name_size[0.01], "s--", color="#0072b2", label="L2, λ = 0.01")
ax.set_xscale("log", base=2)
ax.set_xticks(SIZES, [str(size) for size in SIZES])
ax.set_xlabel("students in the training set (log scale)")
ax.set_ylabel(f"size of the name's weight\n(mean of {DRAWS} classes)")
ax.set_ylim(bottom=0)
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
fig.set_label(
    "Line chart: the mean size of the name's weight in the exam network, over "
    f"{DRAWS} random classes of each size, against the number of students from "
    "8 to 256 on a log scale. Without regularisation it falls from "
    f"{name_size[0.0][0]:.2f} to {name_size[0.0][-1]:.2f}; with L2 it starts "
    f"lower, at {name_size[0.01][0]:.2f}, "
    "and the two curves meet as the classes grow."
)

plt.show()
