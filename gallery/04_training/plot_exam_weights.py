"""
What the exam model learned
===========================

Will a student pass the exam? The exam data has four features per student:
hours studied, how smart the student is, previous knowledge, and the student's
name (the first letter, as a number). We know how the data was made: the
result depends on the first three, and not at all on the name. A neuron
trained on it should discover that on its own, by giving the name a weight near
zero. Does it?
"""

# %%
# Train one neuron
# ----------------
# ``Dense(4, 1)`` followed by a sigmoid: the output is the predicted probability
# of passing. The features are standardised first, so that each has mean 0 and
# standard deviation 1 and the four weights are on the same footing. We train
# one epoch at a time to record the weights after each epoch.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import Sigmoid
from nnbasics.datasets import EXAM_WEIGHTS, exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = exam(200, seed=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)

model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
loss = BCELoss()
optimizer = SGD(model.parameters(), lr=0.5)
EPOCHS = 100
weights = [model[0].weight.value[0].copy()]
for epoch in range(EPOCHS):
    nb.fit(
        model,
        loss,
        optimizer,
        X,
        y,
        epochs=1,
        batch_size=20,
        seed=epoch,
        verbose=False,
    )
    weights.append(model[0].weight.value[0].copy())
weights = np.array(weights)  # shape (epochs + 1, 4)
final = weights[-1]
_, accuracy = nb.evaluate(model, loss, X, y)
print(f"training accuracy {accuracy:.1%}")
for name, weight in zip(data.feature_names, final, strict=True):
    print(f"{name:>20}: {weight:+.2f}")
print(f"{'bias':>20}: {model[0].bias.value[0]:+.2f}")

# %%
# Compare with the truth
# ----------------------
# The data was generated with the weights ``EXAM_WEIGHTS`` on the original
# 0-10 scales. Standardising divides each feature by its standard deviation, so
# on the standardised scale the true influence of a feature is its weight times
# its standard deviation. The neuron's weights are larger, because its sigmoid
# must be steep to match a sharp pass mark, but if it learned the right thing
# they should be *proportional* to the true ones. We scale the truth by the
# best factor (least squares) to compare.

truth = np.array(
    [EXAM_WEIGHTS[name] for name in data.feature_names]
) * data.X.std(axis=0)
scale = (truth @ final) / (truth @ truth)
print(f"learned weights ≈ {scale:.2f} × true influence")

# %%
# The learned weights
# -------------------
# Three large positive weights, in the same proportions as the truth, and a
# weight for the name that is almost exactly zero: the model has learned to
# ignore it. On the right, the weights epoch by epoch: the three real features
# grow quickly and then keep growing slowly (the more confident the model, the
# lower its loss). The name's weight starts where the random initialisation
# put it, near -1, is pulled to zero within a few epochs, and stays there.

# Okabe-Ito colours, one per feature.
COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7"]
fig, (ax_bar, ax_time) = plt.subplots(
    1, 2, figsize=(8, 3.6), layout="constrained"
)
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
    label=f"true influence × {scale:.2f}",
)
for x, weight, true in zip(positions, final, scale * truth, strict=True):
    ax_bar.annotate(
        f"{weight:+.2f}",
        (x, max(weight, true, 0)),  # above the bar and the diamond
        xytext=(0, 6),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=9,
    )
ax_bar.axhline(0, color="black", linewidth=0.8)
ax_bar.set_xticks(
    positions, [name.replace(" ", "\n") for name in data.feature_names]
)
ax_bar.set_xlabel("feature (standardised)")
ax_bar.set_ylabel("weight")
ax_bar.set_ylim(-0.8, final.max() * 1.25)
ax_bar.set_title(
    f"After {EPOCHS} epochs: the name's weight is {final[-1]:+.2f}", fontsize=10
)
ax_bar.legend(loc="upper right", fontsize=8)

for name, series, colour in zip(
    data.feature_names, weights.T, COLOURS, strict=True
):
    ax_time.plot(np.arange(EPOCHS + 1), series, color=colour, linewidth=2)
    ax_time.annotate(
        name,
        (EPOCHS, series[-1]),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=9,
    )
ax_time.set_xlabel("epoch")
ax_time.set_ylabel("weight")
ax_time.set_title("The weights during training", fontsize=10)
ax_time.set_xlim(0, EPOCHS * 1.55)  # room for the names
ax_time.set_xticks(np.arange(0, EPOCHS + 1, 20))
ax_time.grid(alpha=0.3)
learned = ", ".join(
    f"{name} {weight:+.2f}"
    for name, weight in zip(data.feature_names, final, strict=True)
)
fig.set_label(
    f"Left: bar chart of the exam neuron's learned weights ({learned}), with "
    "diamonds for the true influences rescaled, which match the bars. Right: the "
    "four weights over 100 epochs; the first three grow, the name's goes from "
    "about -1 to zero in a few epochs and stays there."
)

plt.show()
