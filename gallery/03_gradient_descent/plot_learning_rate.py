r"""
Choosing the learning rate
==========================

The learning rate :math:`\eta` is the size of each gradient-descent step,
:math:`w \leftarrow w - \eta\,\nabla L(w)`. It is a *hyperparameter*: we choose
it, training does not learn it. This example runs the same descent on the same
loss surface four times, with four learning rates, and shows the four things
that can happen: too small and training is slow; well chosen and it converges;
too large and it overshoots, zig-zagging across the valley; larger still and it
diverges, every step landing higher than the last.
"""

# sphinx_gallery_thumbnail_number = 2

# %%
# The surface, and the optimiser that walks on it
# -----------------------------------------------
# The loss is the stretched bowl :math:`L = w_1^2 + 3 w_2^2` of
# :ref:`the previous example
# <sphx_glr_auto_gallery_03_gradient_descent_plot_descent_surface.py>`.
# This time the step is taken by nnbasics' optimiser
# :class:`~nnbasics.optim.SGD`, the one that trains networks: the two weights
# are one :class:`~nnbasics.layers.Parameter`, backpropagation through
# :class:`~nnbasics.value.Value` fills its ``grad``, and ``optimizer.step()``
# moves it.

import matplotlib.pyplot as plt
import numpy as np

from nnbasics import Parameter, Value
from nnbasics.optim import SGD

MINIMUM = np.array([0.0, 0.0])
START = np.array([-4.0, 2.0])


def loss(w1, w2):
    return w1**2 + 3 * w2**2


def descend(lr, steps):
    """Positions visited by ``steps`` steps of SGD from ``START``."""
    w = Parameter(START.copy())
    optimizer = SGD([w], lr=lr)
    path = [w.value.copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        w1, w2 = Value(w.value[0]), Value(w.value[1])
        loss(w1, w2).backward()
        w.grad[:] = [w1.grad, w2.grad]
        optimizer.step()
        path.append(w.value.copy())
    return np.array(path)


# %%
# How large is too large?
# -----------------------
# For this bowl the answer can be computed exactly. The gradient is
# :math:`(2 w_1, 6 w_2)`, so one step multiplies :math:`w_1` by
# :math:`1 - 2\eta` and :math:`w_2` by :math:`1 - 6\eta`. The numbers 2 and 6
# are the bowl's curvatures (second derivatives) along the two axes. The
# descent converges only if both factors lie between :math:`-1` and :math:`1`,
# and the steeper direction decides: :math:`\eta < 2/6 = 1/3`. A factor
# between :math:`-1` and :math:`0` means each step overshoots to the other side
# of the valley, but by less than before.

curvatures = np.array([2.0, 6.0])
limit = 2 / curvatures.max()
print(
    f"curvatures {curvatures.round(3)}: the descent diverges for learning rates above {limit:.3f}"
)

RUNS = {
    # learning rate: (what happens, colour)
    0.01: ("too small: slow", "#0072b2"),
    0.1: ("good: converges", "#009e73"),
    0.32: ("too large: overshoots", "#e69f00"),
    0.35: ("much too large: diverges", "#d55e00"),
}  # Okabe-Ito colours, distinct for every kind of colour vision
STEPS = 30
paths = {lr: descend(lr, STEPS) for lr in RUNS}

# %%
# Four descents
# -------------
# Thirty steps each. The smallest rate has not reached the minimum yet;
# the good one is there after a handful of steps; the large one gets there by
# bouncing from wall to wall; the largest bounces ever higher and leaves the
# picture.

w1, w2 = np.meshgrid(np.linspace(-4.5, 4.5, 91), np.linspace(-3, 3, 61))
surface = loss(w1, w2)
levels = [0.25, 0.5, 1, 2, 4, 6, 9, 12, 16, 20, 25, 30, 36]

fig, axes = plt.subplots(2, 2, figsize=(7.6, 5.4), sharex=True, sharey=True, layout="constrained")
for ax, (lr, (what, colour)) in zip(axes.flat, RUNS.items(), strict=True):
    path = paths[lr]
    ax.contour(w1, w2, surface, levels=levels, colors="0.6", linewidths=0.8)
    ax.plot(path[:, 0], path[:, 1], color=colour, marker="o", markersize=3, linewidth=1.3)
    ax.plot(*START, marker="s", color=colour, markersize=7)
    ax.plot(
        *MINIMUM,
        marker="*",
        color="white",
        markeredgecolor="black",
        markersize=12,
        linestyle="none",
    )
    ax.set_xlim(-4.5, 4.5)
    ax.set_ylim(-3, 3)
    ax.set_aspect("equal")
    ax.set_title(f"η = {lr}: {what}", fontsize=10)
for ax in axes[1]:
    ax.set_xlabel("$w_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("$w_2$")
fig.set_label(
    "Four contour plots (two by two) of the same loss bowl, each with a "
    "gradient-descent path of 30 steps from (-4, 2): with learning rate 0.01 "
    "the path creeps and stops short of the minimum; with 0.1 it reaches it "
    "smoothly; with 0.32 it zig-zags across the valley but converges; with 0.35 "
    "it zig-zags ever wider and leaves the plot."
)

# %%
# The loss, step by step
# ----------------------
# The same four runs as loss curves, on a logarithmic scale. The good rate's
# loss falls fastest. The overshooting one still falls, but more slowly than it
# could: most of its effort goes into bouncing. The diverging one rises
# exponentially; in a real network its loss would soon be ``inf`` or ``nan``,
# which :func:`nnbasics.fit <nnbasics.training.fit>` reports as a
# :class:`~nnbasics.training.DivergenceError`.

fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
for lr, (what, colour) in RUNS.items():
    path = paths[lr]
    ax.semilogy(
        loss(path[:, 0], path[:, 1]),
        color=colour,
        marker="o",
        markersize=3,
        label=f"η = {lr}: {what}",
    )
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.set_title("Loss per step for four learning rates")
ax.grid(alpha=0.3)
ax.grid(alpha=0.1, which="minor")  # fainter lines between the powers of ten
ax.legend(fontsize=9)
final = {lr: loss(*paths[lr][-1]) for lr in RUNS}
fig.set_label(
    "Loss against step on a logarithmic axis for four learning rates. After 30 "
    "steps the loss is "
    + ", ".join(f"{final[lr]:.1e} for {lr}" for lr in RUNS)
    + ": the smallest rate is slow, 0.1 converges fastest, 0.32 converges while"
    " oscillating, 0.35 grows."
)

plt.show()
