"""
What the exam network learned
=============================

Will a student pass the exam? The exam data has four features per student:
hours studied, how smart the student is, previous knowledge, and the student's
name (the first letter, as a number). We know how the data was made: the
result depends on the first three, and not at all on the name. The lesson
notes' network, four inputs, one hidden neuron and one output neuron, trained
on it should discover that on its own, by giving the name a weight near zero.
Does it?
"""

# %%
# Train the notes' network
# ------------------------
# ``Dense(4, 1)``, a sigmoid, ``Dense(1, 1)`` and a sigmoid: the output is the
# predicted probability of passing. The features are standardised first (mean
# 0, standard deviation 1). The training is the course's: binary
# cross-entropy, learning rate 0.5, batches of 20, 100 epochs. We write the
# loop out, exactly as :func:`nnbasics.fit <nnbasics.training.fit>` runs it
# with ``rng=0``, to record the hidden neuron's four weights after each
# epoch.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import Sigmoid
from nnbasics.datasets import EXAM_WEIGHTS, exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = exam(200, rng=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)

model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid(), Dense(1, 1, rng=1), Sigmoid())
loss = BCELoss()
optimizer = SGD(model.parameters(), lr=0.5)
EPOCHS, BATCH = 100, 20
rng = np.random.default_rng(0)  # fit's shuffling with seed=0
weights = [model[0].weight.value[0].copy()]
for _epoch in range(EPOCHS):
    order = rng.permutation(len(X))
    for first in range(0, len(X), BATCH):
        batch = order[first : first + BATCH]
        optimizer.zero_grad()
        loss(model(X[batch]), y[batch])
        model.backward(loss.backward())
        optimizer.step()
    weights.append(model[0].weight.value[0].copy())
weights = np.array(weights)  # shape (epochs + 1, 4)
final = weights[-1]
_, accuracy = nb.evaluate(model, loss, X, y)
print(f"training accuracy {accuracy:.1%}")
for name, weight in zip(data.feature_names, final, strict=True):
    print(f"{name:>20}: {weight:+.3f}")
print(
    f"hidden bias {model[0].bias.value[0]:+.2f}, output weight {model[2].weight.value[0, 0]:+.2f}"
)

# %%
# Compare with the truth
# ----------------------
# The data was generated with the weights ``EXAM_WEIGHTS``, 1.0, 0.6, 0.8 and
# 0, on the original 0-10 scales. Standardising divides each feature by its
# standard deviation, so on the standardised scale the true influence of a
# feature is its weight *times its standard deviation*. The hidden neuron's
# weights are larger, and negative: the neuron learned how likely a student is
# to *fail*, and the output neuron's negative weight turns that round. If it
# learned the right thing, its weights should be *proportional* to the true
# influences. We scale the truth by the best factor (least squares) to
# compare.

spread = data.X.std(axis=0)
truth = np.array([EXAM_WEIGHTS[name] for name in data.feature_names]) * spread
scale = (truth @ final) / (truth @ truth)
print("standard deviations:", spread.round(2))
print(f"learned weights ≈ {scale:.2f} × true influence")
print("learned ratios:", (final / final[0]).round(3), " true ratios:", (truth / truth[0]).round(3))

# %%
# The learned weights
# -------------------
# Three large weights, in the same proportions as the true influences, and a
# weight for the name that is almost exactly zero: the network has learned to
# ignore it. On the right, the weights epoch by epoch. The three real
# features grow quickly at first, and then keep growing slowly (the more
# confident the network, the lower its loss). The name's weight starts where
# the random initialisation put it, about -1, is pulled to zero within some
# fifteen epochs, and stays there.

# Okabe-Ito colours, one per feature
COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7"]
fig, (ax_bar, ax_time) = plt.subplots(1, 2, figsize=(8, 3.6), layout="constrained")
positions = np.arange(len(final))
ax_bar.bar(positions, final, color=COLOURS, width=0.6, label="learned weight")
ax_bar.scatter(
    positions,
    scale * truth,
    marker="D",
    s=45,
    color="white",
    edgecolors="black",
    zorder=3,
    label=f"true influence × ({scale:.2f})",
)
for x, weight, true in zip(positions, final, scale * truth, strict=True):
    ax_bar.annotate(
        f"{weight:+.2f}" if abs(weight) >= 0.05 else f"{weight:+.3f}",
        (x, min(weight, true, 0)),  # below the bar and the diamond
        xytext=(0, -6),
        textcoords="offset points",
        ha="center",
        va="top",
        fontsize=9,
    )
ax_bar.axhline(0, color="black", linewidth=0.8)
ax_bar.set_xticks(positions, [name.replace(" ", "\n") for name in data.feature_names])
ax_bar.set_xlabel("feature (standardised)")
ax_bar.set_ylabel("weight into the hidden neuron")
ax_bar.set_ylim(final.min() * 1.3, 1.0)
ax_bar.set_title(f"After {EPOCHS} epochs: the name's weight is {final[-1]:+.3f}", fontsize=10)
ax_bar.legend(loc="lower right", fontsize=8)

for name, series, colour in zip(data.feature_names, weights.T, COLOURS, strict=True):
    ax_time.plot(np.arange(EPOCHS + 1), series, color=colour, linewidth=2)
    ax_time.annotate(
        name,
        (EPOCHS, series[-1]),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=9,
    )
ax_time.axhline(0, color="0.5", linewidth=0.8)
ax_time.set_xlabel("epoch")
ax_time.set_ylabel("weight into the hidden neuron")
ax_time.set_title("The weights during training", fontsize=10)
ax_time.set_xlim(0, EPOCHS * 1.55)  # room for the names
ax_time.set_xticks(np.arange(0, EPOCHS + 1, 20))
ax_time.grid(alpha=0.3)
learned = ", ".join(
    f"{name} {weight:+.3f}" for name, weight in zip(data.feature_names, final, strict=True)
)
fig.set_label(
    "Left: bar chart of the weights into the exam network's hidden neuron "
    f"({learned}), the first three large and negative, with diamonds for the "
    "true influences rescaled, which "
    "match the bars. Right: the four weights over 100 epochs; the first three "
    "grow in size, fast at first and then slowly; the name's goes from about -1 "
    "to zero within some fifteen epochs and stays there."
)

plt.show()
