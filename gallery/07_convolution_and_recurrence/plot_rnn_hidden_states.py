r"""
Inside a recurrent network: hidden states over time
===================================================

A recurrent network reads a sequence one step at a time and carries a
*hidden state* :math:`h_t` from each step to the next:

.. math:: h_t = \tanh\bigl(W_{ih}\, x_t + b_{ih} + W_{hh}\, h_{t-1} + b_{hh}
   \bigr), \qquad h_0 = 0 .

Unrolled over the steps, it is a network with one layer per step, all sharing
the same weights. This example trains the counting network of the course, an
:class:`~nnbasics.layers.RNN` that reads 10 bits and says how many of them are
1, and then looks at its hidden state at every step: what it holds, and how
the answer forms while the sequence is read.
"""

# %%
# Train the counting network
# --------------------------
# The task and the network are those of the course chapter
# :doc:`/course/recurrence`: sequences of 10 random bits, given as -1
# and +1 (which suits the tanh better than 0 and 1), and 11 classes, the counts
# 0 to 10. The network is an RNN with a hidden state of 32 numbers,
# :class:`~nnbasics.layers.LastStep` to keep only the final state
# :math:`h_{10}`, and a dense layer from it to 11 scores.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import softmax
from nnbasics.layers import RNN, Dense, LastStep
from nnbasics.losses import CrossEntropyLoss
from nnbasics.optim import SGD

STEPS = 10


def count_ones(n, seed):
    """n random bit sequences as -1/+1, shape (n, STEPS, 1), and their counts."""
    bits = np.random.default_rng(seed).integers(0, 2, size=(n, STEPS))
    return (2.0 * bits - 1.0)[..., None], bits.sum(axis=1)


S_train, c_train = count_ones(2000, seed=0)
S_test, c_test = count_ones(500, seed=1)
counter = nb.Sequential(RNN(1, 32, rng=0), LastStep(), Dense(32, 11, rng=1))
optimizer = SGD(counter.parameters(), lr=0.01, momentum=0.9)
nb.fit(
    counter,
    CrossEntropyLoss(),
    optimizer,
    S_train,
    c_train,
    epochs=40,
    batch_size=32,
    rng=0,
    verbose=False,
)
accuracy = nb.evaluate(counter, CrossEntropyLoss(), S_test, c_test)[1]
print(f"test accuracy: {accuracy:.1%} of {len(c_test)} sequences")

# %%
# Every hidden state, and the answer at every step
# ------------------------------------------------
# The :class:`~nnbasics.layers.RNN` layer returns the hidden state after
# *every* step, shape (sequences, steps, 32); ``LastStep`` only passes the
# last one on. We keep them all. The dense layer, the network's *head*, was
# trained to read the final state :math:`h_{10}`. Applied to an earlier state
# :math:`h_t`, it says what the network would answer if the sequence ended
# there.
#
# One number turns out to explain the hidden states: the *balance*, the
# number of ones read so far minus the number of zeros, which is the sum of
# the -1/+1 inputs so far. Most hidden units switch from -1 to +1 (or from +1
# to -1) as the balance rises, each at its own balance. To make this visible,
# the units are sorted: first those that rise with the balance, by the
# balance at which they switch, then those that fall, and last the few that
# follow the balance only loosely.

rnn, head = counter[0], counter[2]
states = rnn(S_test)  # (500, 10, 32): every hidden state of every sequence
probabilities = softmax(states @ head.weight.value.T + head.bias.value)
balance = np.cumsum(S_test[..., 0], axis=1)  # ones minus zeros, so far
ones_so_far = np.cumsum(S_test[..., 0] > 0, axis=1)

# Over all test sequences and steps: how closely each unit follows the
# balance (correlation), and at which balance its average changes sign.
flat_states, flat_balance = states.reshape(-1, 32), balance.ravel()
correlation = np.array([np.corrcoef(unit, flat_balance)[0, 1] for unit in flat_states.T])
LEVELS = np.arange(-6, 7)  # balances that many sequences reach
mean_at = np.array([flat_states[flat_balance == b].mean(axis=0) for b in LEVELS])
rising = np.sign(correlation)
switch = LEVELS[0] - 0.5 + np.sum(rising * mean_at < 0, axis=0)
group = np.where(np.abs(correlation) < 0.5, 2, np.where(correlation > 0, 0, 1))
order = np.lexsort((switch, group))  # by group, then by switching balance
GROUPS = ["rising", "falling", "other"]
sizes = np.bincount(group, minlength=3)
for name, size in zip(GROUPS, sizes, strict=True):
    print(f"{size:2d} units {name}")

# %%
# Below, for two test sequences whose balance swings from one side to the
# other, from top to bottom: the bits; the 32 hidden numbers after each step
# (one row per hidden unit, red for +1 and blue for -1, sorted as above); and
# the head's probability for each count after each step, with the number of
# ones read so far as orange dots.
#
# In the rising group, the boundary between red and blue moves down with
# every 1 and back up with every 0; the falling group does the
# same with the colours swapped. The hidden state works like a thermometer of
# the balance.
#
# The answer moves with it: after the first bit it is 5 or 6, and it steps up
# half a count with each 1 and down half a count with each 0. It is not the
# number of ones so far (the dots), but that number plus half of the bits
# still to come: the best guess of the final count, if the remaining bits are
# as likely 0 as 1. After the last bit it is the count itself.

SHOWN = [13, 45]  # balance down to -2, then up to +4; up to +3, down to -4
# Okabe-Ito orange: the ones read so far, and the 1 bits.
ORANGE = "#e69f00"
time = np.arange(1, STEPS + 1)
edges = np.cumsum(sizes)[:-1] - 0.5  # between the groups
OVER_TIME = {"aspect": "auto", "vmax": 1}  # one column per time step, values up to 1

fig, axes = plt.subplots(
    3, 2, figsize=(8, 6.6), height_ratios=[1.1, 6, 4], sharex=True, layout="constrained"
)
for column, index in enumerate(SHOWN):
    bits = (S_test[index, :, 0] > 0).astype(int)
    predicted = probabilities[index, -1].argmax()
    ax = axes[0, column]
    for t, bit in zip(time, bits, strict=True):
        if bit:
            ax.add_patch(plt.Rectangle((t - 0.45, 0.1), 0.9, 0.8, color=ORANGE, alpha=0.5))
        ax.text(t, 0.5, str(bit), ha="center", va="center", fontsize=11)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.set_title(f"sequence {index}: {c_test[index]} ones, predicted {predicted}", fontsize=10)

    ax = axes[1, column]
    extent = (0.5, STEPS + 0.5, 31.5, -0.5)
    hidden = ax.imshow(
        states[index][:, order].T, cmap="RdBu_r", vmin=-1, **OVER_TIME, extent=extent
    )
    ax.hlines(edges, 0.5, STEPS + 0.5, color="black", linewidth=1.5)
    middles = np.concatenate([[-0.5], edges]) + sizes / 2
    ax.set_yticks(middles, GROUPS)
    ax.set_ylabel("hidden units")

    ax = axes[2, column]
    extent = (0.5, STEPS + 0.5, -0.5, 10.5)
    answer = ax.imshow(
        probabilities[index].T, cmap="viridis", vmin=0, **OVER_TIME, origin="lower", extent=extent
    )
    dots = {"color": ORANGE, "markeredgecolor": "black", "markersize": 6}
    ax.plot(time, ones_so_far[index], "o", **dots, label="ones so far")
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel("count")
    ax.set_xlabel("time step $t$")
    ax.set_xticks(time)
axes[2, 0].legend(loc="upper left", fontsize=8)
fig.colorbar(hidden, ax=axes[1, :], label="hidden state $h_t$")
fig.colorbar(answer, ax=axes[2, :], label="probability")
a, b = SHOWN
fig.set_label(
    f"Two 10-bit test sequences, with {c_test[a]} and {c_test[b]} ones. For "
    "each: the bits; a heatmap of the 32 hidden units over the 10 time steps, "
    f"sorted into {sizes[0]} units that rise with the balance of ones minus "
    f"zeros, {sizes[1]} that fall and {sizes[2]} others, in which the boundary "
    "between red and blue moves with every bit; and the head's probability for "
    "each count after each step, which moves half a count up with each 1 and "
    "down with each 0, ending on the predicted counts "
    f"{probabilities[a, -1].argmax()} and {probabilities[b, -1].argmax()}."
)

# %%
# A running balance
# -----------------
# Two checks of the thermometer, over all 500 test sequences and all 10 steps.
# On the left, the average activation of every rising and falling unit at
# each balance: each unit is a soft switch, and the switches are spread over
# balances between about -4 and +4. Together they tell the balances apart; any
# one of them only says on which side of its own switching point the balance
# is.
#
# On the right, the answer of the head at each step, as the expected count
# (the average of the counts, weighted by their probabilities), against the
# balance at that step. The points lie close to the line (balance + 10) / 2,
# the final count that a balance gives after 10 steps. So a balance of +2
# after 4 steps (3 ones, 1 zero) gives the same answer, 6, as a balance of +2
# after 10 steps (6 ones, 4 zeros). Beyond about ±7 the points leave the
# line: there the switches have all flipped, and the hidden state hardly
# changes any more.

expected = probabilities @ np.arange(11)  # (500, 10): the expected count
deviation = np.abs(expected - (balance + STEPS) / 2)
close = np.mean(deviation <= 0.5)
print(f"expected count within half a count of (balance + 10) / 2: {close:.1%}")

jitter = np.random.default_rng(0).uniform(-0.2, 0.2, size=balance.shape)
# Okabe-Ito blue and vermillion: rising and falling units.
GROUP_COLOURS = ["#0072b2", "#d55e00"]
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
ax = axes[0]
for unit in range(32):
    if group[unit] < 2:
        ax.plot(
            LEVELS, mean_at[:, unit], color=GROUP_COLOURS[group[unit]], alpha=0.6, linewidth=1.2
        )
for name, colour in zip(GROUPS, GROUP_COLOURS, strict=False):
    ax.plot([], [], color=colour, label=f"{name} units")
ax.set_xlabel("balance so far (ones - zeros)")
ax.set_ylabel("average hidden state")
ax.set_title("Each unit switches at its own balance", fontsize=10)
ax.grid(alpha=0.3)
ax.legend(loc="center right", fontsize=8)
ax = axes[1]
ax.plot(
    np.arange(-STEPS, STEPS + 1),
    (np.arange(-STEPS, STEPS + 1) + STEPS) / 2,
    color="black",
    linewidth=1,
    label="(balance + 10) / 2",
)
ax.scatter(balance + jitter, expected, s=4, alpha=0.2, color=ORANGE, linewidths=0, label="network")
ax.set_xlabel("balance so far (ones - zeros)")
ax.set_ylabel("expected count")
ax.set_title("The head's answer, every step", fontsize=10)
ax.grid(alpha=0.3)
ax.legend(loc="upper left", fontsize=8, markerscale=3)
fig.set_label(
    f"Left: the average activation of the {sizes[0]} rising and {sizes[1]} "
    "falling hidden units against the balance (ones minus zeros so far): each "
    "is a soft switch from -1 to +1 or back, at its own balance. Right: the "
    "head's expected count at every step of 500 test sequences against the "
    f"balance: {close:.0%} of the points lie within half a count of the line "
    "(balance + 10) / 2."
)

# %%
# The network found a simple algorithm: add the inputs up. Because the bits
# are -1 and +1, their sum is the balance, and the final count is
# (balance + 10) / 2. Backpropagation through time found it by itself, from
# examples of sequences and their counts.
#
# Its mistakes are where the thermometer runs out and examples are few. All
# of them are sequences with 0, 9 or 10 ones: balances of -10, +8 and +10,
# beyond the last switches, and the rarest counts, which only 24 of the 2,000
# training sequences have.

wrong = probabilities[:, -1].argmax(axis=1) != c_test
rare = np.isin(c_train, [0, 9, 10])
print(f"wrong answers: {wrong.sum()}, for counts {np.unique(c_test[wrong])}")
print(f"training sequences with 0, 9 or 10 ones: {rare.sum()} of {len(c_train)}")

plt.show()
