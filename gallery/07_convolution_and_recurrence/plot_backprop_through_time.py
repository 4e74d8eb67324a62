r"""
Backpropagation through time: unrolling, and gradients over many steps
======================================================================

A recurrent layer reads a sequence :math:`x_1, \dots, x_T` one step at a time
and carries a hidden state from each step to the next:

.. math:: h_t = \tanh\bigl(W_{ih}\, x_t + b_{ih} + W_{hh}\, h_{t-1} + b_{hh}
   \bigr), \qquad h_0 = 0 .

Written out step by step, *unrolled*, the loop becomes a feed-forward network
with one layer per time step, every layer with the same weights.
Backpropagation on the unrolled network is called backpropagation through
time. This example draws the unrolled network, and then measures how much
gradient reaches the inputs of a long sequence, step by step back from its
end.
"""

# %%
# The loop, and the loop unrolled
# -------------------------------
# On the left, the recurrent layer as the lesson notes describe it: a loop
# that feeds the hidden state back in. On the right, the same layer unrolled
# over four steps. Each box is the same computation with the same weights:
# :math:`W_{ih}` on every arrow from an input, :math:`W_{hh}` on every arrow
# from one state to the next. The loss here depends on the last state only.
#
# The forward pass runs left to right (black arrows). Backpropagation runs the
# other way (orange arrows): the gradient of the loss arrives at
# :math:`h_4`, and each step back multiplies it by the local derivative
# :math:`\partial h_t / \partial h_{t-1}`. Because :math:`W_{hh}` is used at
# every step, its gradient is the sum of the contributions of all the steps.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from nnbasics.layers import RNN

# Okabe-Ito colours: orange for gradients, sky blue for the cells.
GRADIENT, CELL = "#e69f00", "#56b4e9"
# Text on the cells in a dark blue, not black: the dark theme turns black text
# light grey, which would not read on the light cells.
INK = "#1c2541"
STEPS = 4
GAP = 2.4  # from one step's box to the next


def box(ax, x, y, text, *, width=1.0, height=0.7, colour=CELL):
    """A rounded box centred on (x, y) with ``text`` in it."""
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.05",
            facecolor=colour,
            edgecolor="black",
            linewidth=1.2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=12, color=INK)


def arrow(ax, start, end, *, colour="black", label=None, offset=(0, 0.18), **style):
    """An arrow from ``start`` to ``end``, with an optional label beside it."""
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=14,
            color=colour,
            linewidth=1.5,
            shrinkA=0,
            shrinkB=0,
            **style,
        )
    )
    if label is not None:
        middle = (np.asarray(start) + np.asarray(end)) / 2 + np.asarray(offset)
        ax.text(*middle, label, ha="center", va="center", fontsize=10, color=colour)


fig, (folded, unrolled) = plt.subplots(
    1, 2, figsize=(8, 2.3), width_ratios=[1.3, 5], layout="constrained"
)

# Left: the loop.
box(folded, 0, 0, "RNN")
folded.text(0, -1.25, "$x_t$", ha="center", va="center", fontsize=13)
folded.text(0, 1.25, "$h_t$", ha="center", va="center", fontsize=13)
arrow(folded, (0, -1.05), (0, -0.42), label="$W_{ih}$", offset=(0.32, 0))
arrow(folded, (0, 0.42), (0, 1.05))
arrow(
    folded,
    (0.55, 0.15),
    (0.55, -0.15),
    connectionstyle="arc3,rad=-2.6",
    label="$W_{hh}$",
    offset=(0.75, 0),
)
folded.set_title("the loop", fontsize=12)
folded.set_xlim(-1.0, 1.6)
folded.set_ylim(-1.5, 1.55)

# Right: the same loop, unrolled over four steps.
unrolled.text(-0.2, 0.08, "$h_0 = 0$", ha="center", va="center", fontsize=13)
for t in range(1, STEPS + 1):
    x = GAP * t
    box(unrolled, x, 0, "RNN")
    unrolled.text(x, -1.25, f"$x_{t}$", ha="center", va="center", fontsize=13)
    arrow(unrolled, (x, -1.05), (x, -0.42), label="$W_{ih}$", offset=(0.36, 0))
    start = 0.45 if t == 1 else x - GAP + 0.55
    arrow(unrolled, (start, 0.08), (x - 0.55, 0.08), label="$W_{hh}$", offset=(0, 0.22))
    # The gradient on its way back: from h_t to h_{t-1}, below the forward arrow.
    if t > 1:
        arrow(
            unrolled,
            (x - 0.55, -0.16),
            (start, -0.16),
            colour=GRADIENT,
            label=rf"$\times\,\partial h_{t}/\partial h_{t - 1}$",
            offset=(0, -0.32),
        )
last = GAP * STEPS
unrolled.text(last, 1.25, f"$h_{STEPS}$", ha="center", va="center", fontsize=13)
arrow(unrolled, (last, 0.42), (last, 1.05))
unrolled.text(last + 1.5, 1.25, "loss $L$", ha="center", va="center", fontsize=13)
arrow(unrolled, (last + 0.3, 1.25), (last + 0.85, 1.25))
arrow(
    unrolled,
    (last + 1.45, 1.0),
    (last + 0.55, 0.1),
    colour=GRADIENT,
    label=r"$\partial L/\partial h_4$",
    offset=(0.55, 0),
)
unrolled.set_title("unrolled: one box per step, the same weights in every box", fontsize=12)
unrolled.set_xlim(-0.8, last + 2.05)
unrolled.set_ylim(-1.5, 1.55)
for ax in (folded, unrolled):
    ax.set_aspect("equal")
    ax.set_axis_off()
fig.set_label(
    "Left: a recurrent layer drawn as a box with input x_t, output h_t and a "
    "loop arrow labelled W_hh that feeds the hidden state back in. Right: the "
    "same layer unrolled over four steps: four boxes in a row, each reading "
    "one input through W_ih and passing its state to the next through W_hh, "
    "from h_0 = 0 to h_4, which feeds the loss. Orange arrows run backwards "
    "from the loss through the steps: the gradient, multiplied at each step by "
    "the derivative of h_t with respect to h_(t-1)."
)

# %%
# How much gradient reaches each step
# -----------------------------------
# Now a real layer, an :class:`~nnbasics.layers.RNN` with a hidden state of
# 32 numbers, reading 200 random sequences of 40 steps. The loss depends on
# the last hidden state only, so an input :math:`k` steps before the end can
# only reach it through :math:`k` multiplications by
# :math:`\partial h_t / \partial h_{t-1} = \operatorname{diag}(1 - h_t^2)\,
# W_{hh}`: the derivative of the tanh times the *same* matrix
# :math:`W_{hh}` at every step. The figure shows the size of the gradient of
# each input, divided by that of the last input: how much say an input
# :math:`k` steps back has, compared with the last one.
#
# With the weights that the layer starts with (:math:`W_{hh}` drawn from
# :math:`\mathcal U(-1/\sqrt{32}, 1/\sqrt{32})`, as in PyTorch), the gradient
# shrinks by a factor of ten every three or four steps: it *vanishes*, and an
# input 40 steps back has no say at all. Make :math:`W_{hh}` larger and the
# shrinking slows down; at five times the starting size, the gradient
# *explodes*: it grows step by step, and the input 39 steps back typically gets
# tens of thousands of times the last input's gradient. The same matrix at
# every step is what makes the change exponential in the number of steps, in
# one direction or the other. Only a narrow range of sizes in between lets the
# gradient travel far.

T, SEQUENCES = 40, 200
SCALES = [1, 2, 3, 5]  # W_hh times these factors
COLOURS = ["#0072b2", "#009e73", "#cc79a7", "#d55e00"]  # Okabe-Ito
x = np.random.default_rng(0).normal(size=(SEQUENCES, T, 1))
steps_back = np.arange(T)
relative = {}
for scale in SCALES:
    rnn = RNN(1, 32, rng=0)
    rnn.weight_hh.value *= scale
    states = rnn(x)
    grad_states = np.zeros_like(states)
    grad_states[:, -1] = 1.0  # the loss: the sum of the last state's 32 numbers
    grad_inputs = np.abs(rnn.backward(grad_states)[..., 0])  # (sequences, T)
    # Reversed, so that column k is the input k steps before the end.
    relative[scale] = grad_inputs[:, ::-1] / grad_inputs[:, -1:]
    median = np.median(relative[scale][:, -1])
    radius = np.abs(np.linalg.eigvals(rnn.weight_hh.value)).max()
    print(
        f"W_hh x {scale} (largest |eigenvalue| {radius:.2f}): "
        f"an input {T - 1} steps back gets {median:.1e} times "
        "the last one's gradient"
    )

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for (scale, ratio), colour in zip(relative.items(), COLOURS, strict=True):
    low, middle, high = np.percentile(ratio, [10, 50, 90], axis=0)
    name = "starting weights" if scale == 1 else f"starting weights × {scale}"
    ax.plot(steps_back, middle, color=colour, linewidth=2, label=f"$W_{{hh}}$: {name}")
    ax.fill_between(steps_back, low, high, color=colour, alpha=0.2, linewidth=0)
ax.set_yscale("log")
ax.axhline(1.0, color="0.5", linewidth=1)
ax.set_xlabel("steps back from the end of the sequence, $k$")
ax.set_ylabel("gradient of the input $k$ steps back\n/ gradient of the last input")
ax.set_title("Gradients through time: median, and 10-90 % of sequences", fontsize=10)
ax.grid(alpha=0.3)
ax.legend(loc="lower left", fontsize=8)
medians = {scale: np.median(ratio[:, -1]) for scale, ratio in relative.items()}
fig.set_label(
    "Line chart on a logarithmic scale: for a recurrent layer with 32 hidden "
    "units reading sequences of 40 steps, the size of the gradient that "
    "reaches the input k steps before the end, relative to the last input's, "
    "for four sizes of the recurrent weights. With the starting weights it "
    f"falls to about {medians[1]:.0e} after 39 steps (vanishing); with twice "
    f"the weights to about {medians[2]:.0e}; with five times the weights it "
    f"grows to about {medians[5]:.0e} (exploding)."
)

plt.show()
