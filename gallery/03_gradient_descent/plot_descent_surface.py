r"""
Gradient descent on a loss surface
==================================

Training a network means finding weights that make the loss small. Picture the
loss as a landscape: two weights :math:`w_1, w_2` are the position on the
ground, the loss :math:`L(w_1, w_2)` is the height. Gradient descent starts
somewhere on that surface and repeats one rule: compute the gradient
:math:`\nabla L` (the direction in which the loss rises fastest) and take a
small step the other way,

.. math:: w \leftarrow w - \eta\, \nabla L(w),

where :math:`\eta` is the learning rate. Here the surface is a
stretched bowl, small enough to draw, and the gradient at each step is computed
by backpropagation with nnbasics' :class:`~nnbasics.value.Value`. It is the
bowl of the course's chapter on gradient descent.
"""

# %%
# The surface and its gradient
# ----------------------------
# The loss is the bowl :math:`L(w_1, w_2) = w_1^2 + 3 w_2^2`, whose lowest point
# is :math:`(0, 0)`. It curves three times more steeply along :math:`w_2` than
# along :math:`w_1`, as the loss of a real network often does in some
# directions. The same Python function
# computes it for NumPy grids (to draw it) and for :class:`~nnbasics.value.Value`
# objects (to differentiate it).

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

from nnbasics import Value

MINIMUM = np.array([0.0, 0.0])


def loss(w1, w2):
    return w1**2 + 3 * w2**2


def gradient(w):
    """The gradient of the loss at ``w``, by backpropagation."""
    w1, w2 = Value(w[0], label="w1"), Value(w[1], label="w2")
    loss(w1, w2).backward()
    return np.array([w1.grad, w2.grad])


print("gradient at (-4, 2):", gradient([-4.0, 2.0]))

# %%
# Descend
# -------
# Twenty steps with learning rate :math:`\eta = 0.1`, starting from
# :math:`(-4, 2)`. Each step moves against the gradient, so the path crosses
# the contour lines at right angles. Because the bowl is steeper across than
# along, the first steps go mostly *down the steep side*: each step shrinks
# :math:`w_2` by 60 % but :math:`w_1` by only 20 %. Then the path creeps along
# the valley floor towards the minimum.

LEARNING_RATE = 0.1
w = np.array([-4.0, 2.0])
path = [w]
for _ in range(20):
    w = w - LEARNING_RATE * gradient(w)
    path.append(w)
path = np.array(path)
losses = loss(path[:, 0], path[:, 1])
print(
    f"start loss {losses[0]:.3f}, after {len(path) - 1} steps {losses[-1]:.2e}, "
    f"at w = {path[-1].round(4)}"
)

w1, w2 = np.meshgrid(np.linspace(-4.5, 4.5, 91), np.linspace(-2.5, 2.5, 51))
surface = loss(w1, w2)
# Contour levels, closer together near the bottom.
levels = [0, 0.25, 0.5, 1, 2, 4, 6, 9, 12, 16, 20, 25, 30, 36, 40]
# Okabe-Ito vermillion: stands out on viridis, for every kind of colour vision.
PATH_COLOUR = "#d55e00"
PATH = {"color": PATH_COLOUR, "marker": "o", "linewidth": 1.5}
STAR = {"marker": "*", "color": "white", "markeredgecolor": "black", "linestyle": "none"}

fig = plt.figure(figsize=(8, 3.8), layout="constrained")
# computed_zorder=False: draw the path over the surface, not sorted by depth.
ax3d = fig.add_subplot(1, 2, 1, projection="3d", computed_zorder=False)
ax3d.plot_surface(
    w1, w2, surface, cmap="viridis", alpha=0.8, rstride=2, cstride=2, linewidth=0, zorder=1
)
ax3d.plot(path[:, 0], path[:, 1], losses, **PATH, markersize=3, zorder=2)
ax3d.set_xlabel("$w_1$")
ax3d.set_ylabel("$w_2$")
ax3d.set_zlabel("loss $L$")
ax3d.view_init(elev=35, azim=-65)
ax3d.set_box_aspect(None, zoom=0.88)
ax3d.set_title("The loss surface", fontsize=10)

ax = fig.add_subplot(1, 2, 2)
filled = ax.contourf(w1, w2, surface, levels=levels, cmap="viridis")
fig.colorbar(filled, ax=ax, label="loss $L$")
ax.plot(path[:, 0], path[:, 1], **PATH, markersize=4, label="descent path")
ax.plot(*path[0], marker="s", color=PATH_COLOUR, markersize=8, linestyle="none", label="start")
ax.plot(*MINIMUM, **STAR, markersize=14, label="minimum")
ax.set_xlabel("$w_1$")
ax.set_ylabel("$w_2$")
ax.set_aspect("equal")
ax.set_title("Seen from above: lines of equal loss", fontsize=10)
ax.legend(loc="lower right", fontsize=8)
fig.set_label(
    "Left: a 3-D bowl-shaped loss surface over two weights, with the path of "
    "gradient descent running down it. Right: the same surface as filled "
    "contours seen from above; the path starts at (-4, 2), first drops across "
    "the steep direction, then follows the valley floor to the minimum at (0, 0)."
)

# %%
# The loss at every step
# ----------------------
# On a logarithmic scale, the loss of this bowl falls along a straight line:
# each step multiplies the remaining distance to the minimum by about the same
# factor. That steady, geometric decrease is what *convergence* looks like.

fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
ax.semilogy(losses, color=PATH_COLOUR, marker="o", markersize=4)
ax.set_xlabel("step")
ax.set_ylabel("loss $L$ (log scale)")
ax.set_title(f"Gradient descent with learning rate {LEARNING_RATE}")
ax.grid(alpha=0.3)
ax.grid(alpha=0.1, which="minor")  # fainter lines between the powers of ten
fig.set_label(
    f"The loss after each of the {len(losses) - 1} steps of gradient descent, on "
    f"a logarithmic axis: it falls from {losses[0]:.1f} to {losses[-1]:.0e}, "
    "along a nearly straight line after the first few steps."
)

# %%
# The descent, step by step
# -------------------------
# Press play. The dot is the current pair of weights, the line behind it the
# way it came; the title shows the loss. Each step is shorter than the one
# before, because the gradient shrinks as the bowl flattens out.

# Few frames and a small figure: every frame is a picture embedded in the page.
FRAMES = 12
fig, ax = plt.subplots(figsize=(3.8, 2.8), dpi=96)
fig.subplots_adjust(left=0.16, right=0.96, bottom=0.16, top=0.9)  # fixed: quicker to redraw
ax.contour(w1, w2, surface, levels=levels, colors="0.6", linewidths=1)
ax.plot(*MINIMUM, **STAR, markersize=12)
(trail,) = ax.plot([], [], color=PATH_COLOUR, linewidth=1.5)
(dot,) = ax.plot([], [], color=PATH_COLOUR, marker="o", markersize=8, linestyle="none")
ax.set_xlabel("$w_1$")
ax.set_ylabel("$w_2$")
ax.set_aspect("equal")
fig.set_label(
    "Animation of gradient descent on the contour plot of the loss: a dot moves "
    "from (-4, 2) to the minimum at (0, 0)."
)


def show_step(step):
    trail.set_data(path[: step + 1, 0], path[: step + 1, 1])
    dot.set_data([path[step, 0]], [path[step, 1]])
    ax.set_title(f"step {step}: loss {losses[step]:.3f}")
    return trail, dot


animation = FuncAnimation(fig, show_step, frames=FRAMES, interval=400)

plt.show()
