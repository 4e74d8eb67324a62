"""
Full batch, mini-batch or one example at a time
===============================================

Each step of gradient descent needs the gradient of the loss. *Full-batch*
gradient descent computes it on the whole training set: an exact gradient, but
one step per pass over the data (an *epoch*). *Stochastic* gradient descent
(SGD) estimates it from a single example: a noisy gradient, but as many steps
per epoch as there are examples. *Mini-batch* SGD sits in between and is what
everyone uses: a few dozen examples per step.

Here the same neuron is trained on the exam data three ways, with the same
learning rate, and we compare the loss per epoch and per gradient step.
"""

# %%
# The training loop, written out
# ------------------------------
# This is the loop that :func:`nnbasics.fit <nnbasics.training.fit>` runs,
# written out so that we can record the loss after every single step. For
# each mini-batch: forget the old gradients, forward pass, loss, backward pass,
# one step. After each step we also measure the loss on the whole training
# set, the quantity that training is trying to reduce.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import Sigmoid
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = exam(200, seed=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)
EPOCHS = 20
LEARNING_RATE = 0.5


def train(batch_size):
    """Train a new neuron; return the training loss after each step and epoch."""
    model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
    loss = BCELoss()
    optimizer = SGD(model.parameters(), lr=LEARNING_RATE)
    rng = np.random.default_rng(0)
    per_step, per_epoch = [], []
    for _epoch in range(EPOCHS):
        order = rng.permutation(len(X))  # a new random order every epoch
        for first in range(0, len(X), batch_size):
            batch = order[first : first + batch_size]
            optimizer.zero_grad()
            loss(model(X[batch]), y[batch])
            model.backward(loss.backward())
            optimizer.step()
            per_step.append(loss(model(X), y))  # on the whole training set
        per_epoch.append(per_step[-1])
    return np.array(per_step), np.array(per_epoch)


RUNS = {
    # batch size: (name, colour)
    len(X): ("full batch (200 examples)", "#0072b2"),
    20: ("mini-batch (20 examples)", "#009e73"),
    1: ("single example (SGD)", "#d55e00"),
}  # Okabe-Ito colours
results = {batch_size: train(batch_size) for batch_size in RUNS}
for batch_size, (per_step, per_epoch) in results.items():
    print(
        f"batch size {batch_size:>3}: {len(per_step):>4} steps, final training "
        f"loss {per_epoch[-1]:.3f}"
    )

# %%
# Per epoch and per step
# ----------------------
# **Per epoch** (left), small batches win by far: in one epoch, single-example
# SGD takes 200 steps and full-batch descent takes one. **Per step** (right),
# the full-batch and mini-batch curves lie on top of each other: the gradient of
# 20 random examples is already a good estimate of the gradient of all 200, so
# a mini-batch step is as good as a full-batch step at a tenth of the cost. A
# single example is a poor estimate: its steps sometimes point the wrong way,
# and the loss jumps up and down on its way down. Mini-batches get the best of
# both: steps nearly as good as full-batch ones, and many of them per epoch.
# (On real hardware a batch of 20 also costs little more time than a single
# example, because the arithmetic is done in parallel.)

fig, (ax_epoch, ax_step) = plt.subplots(
    1, 2, figsize=(8, 3.6), sharey=True, layout="constrained"
)
for batch_size, (name, colour) in RUNS.items():
    per_step, per_epoch = results[batch_size]
    ax_epoch.plot(
        np.arange(1, EPOCHS + 1),
        per_epoch,
        color=colour,
        marker="o",
        markersize=4,
        label=name,
    )
    ax_step.plot(
        np.arange(1, len(per_step) + 1),
        per_step,
        color=colour,
        linewidth=1.2,
        label=name,
    )
ax_epoch.set_xlabel("epoch")
ax_epoch.set_ylabel("training loss (BCE, all 200 students)")
ax_epoch.set_title("Per epoch: smaller batches learn faster", fontsize=10)
ax_epoch.set_xticks(np.arange(0, EPOCHS + 1, 5))
ax_step.set_xscale("log")
ax_step.set_xlabel("gradient step (log scale)")
ax_step.set_title("Per step: a batch of 20 is nearly as good as 200", fontsize=10)
for ax in (ax_epoch, ax_step):
    ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.grid(alpha=0.1, which="minor")  # fainter lines between the powers of ten
ax_epoch.legend(fontsize=8)
final = {batch_size: results[batch_size][1][-1] for batch_size in RUNS}
fig.set_label(
    "Training loss of the exam neuron for three batch sizes, on logarithmic "
    f"axes. Left, per epoch: after {EPOCHS} epochs the loss is "
    f"{final[len(X)]:.2f} with full batches, {final[20]:.2f} with mini-batches "
    f"of 20 and {final[1]:.2f} with single examples. Right, per gradient step: "
    "the full-batch and mini-batch curves coincide and fall smoothly, the "
    "single-example curve is jagged."
)

plt.show()
