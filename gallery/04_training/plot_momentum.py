r"""
Momentum damps the zigzag
=========================

Where the loss surface is a long, narrow valley, gradient descent has a
problem. The learning rate must be small enough for the steep walls, or the
steps across the valley overshoot and grow (the descent diverges). At the
largest learning rate that is still stable, the steps across the valley
overshoot *almost* as much as they could: the path zigzags from wall to wall,
while the steps along the gentle valley floor stay short.

*Momentum* gives the optimiser a memory, a velocity :math:`v` that adds up the
gradients with fading weights, :math:`v \leftarrow \mu v + g`, and steps along
it, :math:`\theta \leftarrow \theta - \eta v`. Gradient components that flip
sign from step to step (across the valley) cancel in :math:`v`; components that
keep their sign (along the floor) add up. Here both optimisers get the **same**
learning rate, just below the largest stable one, on the bowl
:math:`L = \theta_1^2 + 50\,\theta_2^2`.
"""

# %%
# The bowl and the two optimisers
# -------------------------------
# The gradient is :math:`(2\theta_1,\ 100\,\theta_2)`. Without momentum one step
# multiplies :math:`\theta_2` by :math:`1 - 100\eta`, which lies between
# :math:`-1` and :math:`1` only for :math:`\eta < 0.02`: the steep direction sets
# the largest stable learning rate, 0.02. We use 0.019. The steps are taken by
# :class:`~nnbasics.optim.SGD`, the optimiser that trains the networks of the
# course, on a single :class:`~nnbasics.layers.Parameter` holding both weights.

import matplotlib.pyplot as plt
import numpy as np

from nnbasics import Parameter
from nnbasics.optim import SGD

CURVATURE = np.array([1.0, 50.0])  # L = 1 * theta_1^2 + 50 * theta_2^2
START = np.array([-4.0, 0.5])
LR = 0.019  # just below the largest stable learning rate, 2 / 100 = 0.02
STEPS = 100


def loss(theta):
    return float(np.sum(CURVATURE * theta**2))


def descend(momentum, lr=LR, steps=STEPS):
    """The points that ``steps`` steps of SGD visit from START; their losses."""
    theta = Parameter(START.copy())
    optimizer = SGD([theta], lr=lr, momentum=momentum)
    path = [theta.value.copy()]
    for _ in range(steps):
        theta.grad[...] = 2 * CURVATURE * theta.value  # the exact gradient
        optimizer.step()
        path.append(theta.value.copy())
    path = np.array(path)
    return path, np.array([loss(point) for point in path])


RUNS = {
    # momentum: (label, colour, line style); Okabe-Ito colours
    0.0: ("no momentum", "#d55e00", "-"),
    0.7: ("momentum 0.7", "#0072b2", "-"),
    0.9: ("momentum 0.9", "#009e73", "--"),
}
results = {momentum: descend(momentum) for momentum in RUNS}
for momentum, (_, losses) in results.items():
    print(f"momentum {momentum}: loss after {STEPS} steps {losses[-1]:.2e}")
_, too_large = descend(0.0, lr=0.021)
print(f"no momentum, lr 0.021: loss after {STEPS} steps {too_large[-1]:.2e}")

# %%
# The paths and the losses
# ------------------------
# Left, the first 40 steps on the contour lines of the bowl. Without momentum
# the path bounces from one wall of the valley to the other, each bounce only
# 10 % smaller than the one before (:math:`1 - 100 \times 0.019 = -0.9`), and
# creeps along the floor. With momentum 0.7 the bounces die out within a few
# steps, because the velocity's cross-valley parts cancel, and the path heads
# along the floor towards the minimum. Right, the loss at every step: after 100
# steps the loss with momentum 0.7 is lower by a factor of almost a trillion.
# Too much momentum (0.9) overshoots along the floor and rings like a bell:
# still better than none here, but slower than 0.7. Note what momentum did
# *not* do: it did not take larger steps across the valley, which a learning
# rate of 0.021 shows would diverge.

SHOWN = 40
fig, (ax_path, ax_loss) = plt.subplots(
    1, 2, figsize=(8, 3.6), layout="constrained", width_ratios=[1.25, 1]
)
grid1, grid2 = np.meshgrid(np.linspace(-4.5, 1.5, 300), np.linspace(-0.7, 0.7, 200))
ax_path.contour(
    grid1,
    grid2,
    CURVATURE[0] * grid1**2 + CURVATURE[1] * grid2**2,
    levels=[0.25, 1, 2.5, 5, 9, 14, 20],
    colors="0.7",
    linewidths=0.8,
)
for momentum in (0.0, 0.7):
    label, colour, style = RUNS[momentum]
    path = results[momentum][0][: SHOWN + 1]
    ax_path.plot(
        path[:, 0],
        path[:, 1],
        style,
        marker="o",
        markersize=2.5,
        linewidth=1.2,
        color=colour,
        label=label,
    )
ax_path.plot(*START, "s", color="0.3", markersize=6, label="start")
ax_path.plot(0, 0, "*", color="0.3", markersize=12, label="minimum")
ax_path.set_xlabel(r"$\theta_1$ (along the valley)")
ax_path.set_ylabel(r"$\theta_2$ (across it)")
ax_path.set_title(f"The first {SHOWN} steps, learning rate {LR}", fontsize=10)
ax_path.legend(loc="lower right", fontsize=8)

steps = np.arange(STEPS + 1)
for momentum, (label, colour, style) in RUNS.items():
    ax_loss.plot(steps, results[momentum][1], style, color=colour, label=label)
ax_loss.set_yscale("log")
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
ax_loss.set_title("The loss at every step", fontsize=10)
ax_loss.grid(alpha=0.3)
ax_loss.legend(fontsize=8)
final = {momentum: results[momentum][1][-1] for momentum in RUNS}
fig.set_label(
    "Left: contour lines of a long narrow valley with two descent paths from "
    "the same start. Without momentum the path zigzags between the walls of the "
    "valley while creeping along it; with momentum 0.7 the zigzag dies out after "
    "a few steps and the path follows the valley floor to the minimum. Right: "
    f"loss per step on a log scale; after {STEPS} steps it is {final[0.0]:.0e} "
    f"without momentum, {final[0.7]:.0e} with momentum 0.7 and {final[0.9]:.0e} "
    "with momentum 0.9, whose curve oscillates."
)

plt.show()
