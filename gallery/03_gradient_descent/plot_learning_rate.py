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
# The loss is the stretched bowl of
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

MINIMUM = np.array([1.0, -0.5])
START = np.array([-3.0, 2.0])


def loss(w1, w2):
    a, b = w1 - MINIMUM[0], w2 - MINIMUM[1]
    return 0.5 * a**2 + 2.0 * b**2 + 0.5 * a * b


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
# For this bowl the answer can be computed exactly. Along its steepest
# direction the loss curves with second derivative :math:`\lambda_\max`, the
# largest eigenvalue of the matrix of second derivatives (the Hessian). A step
# multiplies the distance to the minimum in that direction by
# :math:`1 - \eta\lambda_\max`: the descent converges only if that factor lies
# between :math:`-1` and :math:`1`, that is for :math:`\eta < 2/\lambda_\max`.
# A factor between :math:`-1` and :math:`0` means each step overshoots to the
# other side of the valley, but by less than before.

hessian = np.array([[1.0, 0.5], [0.5, 4.0]])
curvatures = np.linalg.eigvalsh(hessian)
limit = 2 / curvatures.max()
print(
    f"curvatures {curvatures.round(3)}: the descent diverges for learning rates "
    f"above {limit:.3f}"
)

RUNS = {
    # learning rate: (what happens, colour)
    0.03: ("too small: slow", "#0072b2"),
    0.3: ("good: converges", "#009e73"),
    0.45: ("too large: overshoots", "#e69f00"),
    0.52: ("much too large: diverges", "#d55e00"),
}  # Okabe-Ito colours, distinct for every kind of colour vision
STEPS = 25
paths = {lr: descend(lr, STEPS) for lr in RUNS}

# %%
# Four descents
# -------------
# Twenty-five steps each. The smallest rate has not reached the minimum yet;
# the good one is there after a handful of steps; the large one gets there by
# bouncing from wall to wall; the largest bounces ever higher and leaves the
# picture.

w1, w2 = np.meshgrid(np.linspace(-4, 4, 81), np.linspace(-3, 3, 61))
surface = loss(w1, w2)
levels = [0.25, 0.5, 1, 2, 3, 4, 6, 8, 10, 13, 16, 20, 25, 30]

fig, axes = plt.subplots(
    2, 2, figsize=(7.6, 6.2), sharex=True, sharey=True, layout="constrained"
)
for ax, (lr, (what, colour)) in zip(axes.flat, RUNS.items(), strict=True):
    path = paths[lr]
    ax.contour(w1, w2, surface, levels=levels, colors="0.6", linewidths=0.8)
    ax.plot(
        path[:, 0],
        path[:, 1],
        color=colour,
        marker="o",
        markersize=3,
        linewidth=1.3,
    )
    ax.plot(*START, marker="s", color=colour, markersize=7)
    ax.plot(
        *MINIMUM,
        marker="*",
        color="white",
        markeredgecolor="black",
        markersize=12,
        linestyle="none",
    )
    ax.set_xlim(-4, 4)
    ax.set_ylim(-3, 3)
    ax.set_aspect("equal")
    ax.set_title(f"η = {lr}: {what}", fontsize=10)
for ax in axes[1]:
    ax.set_xlabel("$w_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("$w_2$")
fig.set_label(
    "Four contour plots (two by two) of the same loss bowl, each with a "
    "gradient-descent path of 25 steps from (-3, 2): with learning rate 0.03 the "
    "path creeps and stops short of the minimum; with 0.3 it reaches it in a "
    "few steps; with 0.45 it zig-zags across the valley but converges; with 0.52 "
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
    "Loss against step on a logarithmic axis for four learning rates. After 25 "
    "steps the loss is "
    + ", ".join(f"{final[lr]:.1e} for {lr}" for lr in RUNS)
    + ": the smallest rate is slow, 0.3 converges fastest, 0.45 converges while"
    " oscillating, 0.52 grows."
)

plt.show()
