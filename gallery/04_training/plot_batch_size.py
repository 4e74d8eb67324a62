"""
Full batch, mini-batch or one example at a time
===============================================

Each step of gradient descent needs the gradient of the loss. *Full-batch*
gradient descent computes it on the whole training set: an exact gradient, but
one step per pass over the data (an *epoch*). *Stochastic* gradient descent
(SGD) estimates it from a single example: a noisy gradient, but as many steps
per epoch as there are examples. *Mini-batch* SGD sits in between and is what
everyone uses: a few dozen examples per step.

Here the lesson notes' exam network (four inputs, one hidden neuron, one
output neuron) is trained in these three ways with the same learning rate, and
a fourth time one example at a time with a learning rate that drops after a
few epochs. Then we look at the noise itself: how far the gradient of one
batch strays from the gradient of all the data.
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

data = exam(200, rng=0)
(X,) = standardize(data.X)
y = data.y.reshape(-1, 1).astype(float)
EPOCHS = 20
LEARNING_RATE = 0.5
# For the decaying run: the learning rate is divided by 10 after this epoch.
DROP_AFTER = 5


def network():
    """The notes' 4 -> 1 -> 1 network, initialised as in the course."""
    return nb.Sequential(Dense(4, 1, rng=0), Sigmoid(), Dense(1, 1, rng=1), Sigmoid())


def train(batch_size, *, decay=False):
    """Train a new network; return the training loss after each step and epoch."""
    model = network()
    loss = BCELoss()
    optimizer = SGD(model.parameters(), lr=LEARNING_RATE)
    rng = np.random.default_rng(0)
    per_step, per_epoch = [], []
    for epoch in range(EPOCHS):
        if decay and epoch == DROP_AFTER:  # learning-rate decay: smaller steps
            optimizer.lr = LEARNING_RATE / 10
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
    # name: (batch size, decay, colour, line style); Okabe-Ito colours
    "full batch (200 examples)": (len(X), False, "#0072b2", "-"),
    "mini-batch (20 examples)": (20, False, "#009e73", "-"),
    "single example (SGD)": (1, False, "#d55e00", "-"),
    f"single example, lr ÷ 10 after epoch {DROP_AFTER}": (1, True, "#cc79a7", "--"),
}
results = {name: train(size, decay=decay) for name, (size, decay, _, _) in RUNS.items()}
for name, (per_step, per_epoch) in results.items():
    print(f"{name:>36}: {len(per_step):>4} steps, final training loss {per_epoch[-1]:.3f}")

# %%
# Per epoch and per step
# ----------------------
# **Per epoch** (left), small batches win by far: in one epoch, single-example
# SGD takes 200 steps and full-batch descent takes one. (All runs start on a
# plateau: the network's output weight starts small, so the first gradients
# are small too. Full-batch descent, with 20 steps in all, never leaves it.)
# **Per step** (right), the full-batch and mini-batch curves lie on top of each
# other: the gradient of 20 random examples is already a good estimate of the
# gradient of all 200, so a mini-batch step is as good as a full-batch step at
# a tenth of the cost. A single example is a poor estimate: its steps sometimes
# point the wrong way, and with a constant learning rate the loss never settles
# but keeps jumping up and down. The noise does not average out by itself:
# dividing the learning rate by ten after five epochs (dashed) makes the steps,
# and with them the noise, ten times smaller, and the loss settles lower.

fig, (ax_epoch, ax_step) = plt.subplots(1, 2, figsize=(8, 3.6), sharey=True, layout="constrained")
for name, (_, _, colour, style) in RUNS.items():
    per_step, per_epoch = results[name]
    epochs = np.arange(1, EPOCHS + 1)
    ax_epoch.plot(epochs, per_epoch, style, color=colour, marker="o", markersize=3, label=name)
    ax_step.plot(
        np.arange(1, len(per_step) + 1), per_step, style, color=colour, linewidth=1, label=name
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
ax_step.legend(fontsize=7, loc="lower left")
final = {name: per_epoch[-1] for name, (_, per_epoch) in results.items()}
decayed = final[f"single example, lr ÷ 10 after epoch {DROP_AFTER}"]
fig.set_label(
    "Training loss of the exam network for three batch sizes and a fourth run "
    f"with a decaying learning rate, on logarithmic axes. Left, per epoch: after "
    f"{EPOCHS} epochs the loss is {final['full batch (200 examples)']:.2f} with "
    f"full batches, {final['mini-batch (20 examples)']:.2f} with mini-batches of "
    f"20, {final['single example (SGD)']:.2f} with single examples, jumping up "
    "and down from epoch to epoch, and "
    f"{decayed:.2f} with single "
    "examples and a learning rate divided by ten after five epochs, falling "
    "smoothly. Right, per gradient step: the full-batch and mini-batch curves "
    "coincide, the single-example curve is jagged."
)

# %%
# How noisy is a batch's gradient?
# --------------------------------
# At the network's starting weights, we compute the gradient of the loss with
# respect to one weight (the hidden neuron's weight for "hours studied") on
# 1,000 random batches of each size, and compare with its gradient on all 200
# students. The batches' gradients are centred on the full gradient: on
# average a batch points the right way, whatever its size. Their spread
# shrinks with the batch size, by a factor of about :math:`\sqrt{B}`: a batch
# of 20 is about :math:`\sqrt{20} \approx 4.5` times less noisy than a single
# student. Single students often push the weight the wrong way (right of zero).

model = network()
loss = BCELoss()


def hours_gradient(batch):
    """The gradient of the loss on ``batch`` with respect to the hours weight."""
    model.zero_grad()
    loss(model(X[batch]), y[batch])
    model.backward(loss.backward())
    return model[0].weight.grad[0, 0]


full_gradient = hours_gradient(np.arange(len(X)))
rng = np.random.default_rng(0)
SIZES = (1, 5, 20)
samples = {
    size: np.array([hours_gradient(rng.choice(len(X), size, replace=False)) for _ in range(1000)])
    for size in SIZES
}
for size, gradients in samples.items():
    print(
        f"batch of {size:>2}: mean {gradients.mean():+.5f} (full gradient "
        f"{full_gradient:+.5f}), spread {gradients.std():.5f}"
    )
less_noisy = samples[1].std() / samples[20].std()
wrong_way = np.mean(np.sign(samples[1]) != np.sign(full_gradient))
print(f"a batch of 20 is {less_noisy:.1f} times less noisy than one student (sqrt(20) = 4.5)")
print(f"{wrong_way:.0%} of single students push the weight the wrong way")
assert abs(less_noisy / np.sqrt(20) - 1) < 0.15
assert wrong_way > 0.1

fig, axes = plt.subplots(len(SIZES), 1, figsize=(8, 4.6), sharex=True, layout="constrained")
bins = np.linspace(-0.012, 0.006, 73)
for ax, (size, gradients) in zip(axes, samples.items(), strict=True):
    ax.hist(gradients, bins=bins, color="#0072b2", alpha=0.8)
    ax.axvline(full_gradient, color="#d55e00", linewidth=2, label="gradient on all 200 students")
    ax.axvline(0, color="0.5", linewidth=0.8)
    ax.set_ylabel("batches")
    ax.set_title(f"batches of {size}: spread {gradients.std():.4f}", fontsize=9, loc="left")
axes[0].legend(fontsize=8, loc="upper left")
axes[-1].set_xlabel("gradient of the loss with respect to the hours weight, from one batch")
spreads = ", ".join(f"{samples[size].std():.4f} for batches of {size}" for size in SIZES)
fig.set_label(
    "Three histograms, one above the other, of the gradient with respect to one "
    "weight computed on 1,000 random batches of 1, 5 and 20 students. All three "
    f"are centred on the full-data gradient, {full_gradient:.4f}, marked by a "
    f"vertical line; their spread shrinks with the batch size: {spreads}."
)

plt.show()
