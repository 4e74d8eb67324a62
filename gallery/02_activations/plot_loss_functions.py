r"""
Cross-entropy or squared error for a yes/no output
==================================================

A network that answers a yes/no question ends in a sigmoid: its output
:math:`\hat y = \sigma(z)` is the probability of "yes". Two losses could
compare it with the label :math:`y \in \{0, 1\}`: the **binary cross-entropy**
:math:`-[y \ln \hat y + (1 - y) \ln(1 - \hat y)]` and the **squared error**
:math:`(\hat y - y)^2`. This example follows one student of the exam example who
*passed* (:math:`y = 1`) and asks, for both losses: how large is the loss when
the network gives this student a probability :math:`p` of passing, and how hard
does the loss push the weighted sum :math:`z` when the network is wrong? All
values come from :class:`~nnbasics.losses.BCELoss`,
:class:`~nnbasics.losses.MSELoss` and :class:`~nnbasics.activations.Sigmoid`.
"""

# %%
# The loss as a function of the predicted probability
# ---------------------------------------------------
# For a student who passed, cross-entropy is :math:`-\ln p` and squared error
# is :math:`(1 - p)^2`. Both are zero for :math:`p = 1` and grow as :math:`p`
# falls, but very differently: squared error can never exceed 1, however
# confident the mistake, while cross-entropy grows without limit as
# :math:`p \to 0`. A network that says "1 % chance of passing" to a student who
# passed pays 4.6 under cross-entropy and less than 1 under squared error.

import matplotlib.pyplot as plt
import numpy as np

from nnbasics.activations import Sigmoid
from nnbasics.losses import BCELoss, MSELoss

# sphinx_gallery_thumbnail_number = 2

BCE_COLOUR, MSE_COLOUR = "tab:blue", "tab:orange"
PASSED = np.array([[1.0]])  # the label of our student


def loss_of(loss, p):
    """The loss for one student who passed, given a probability p of passing."""
    return loss.forward(np.array([[p]]), PASSED)


p = np.linspace(0.005, 1.0, 400)
bce = np.array([loss_of(BCELoss(), pi) for pi in p])
mse = np.array([loss_of(MSELoss(), pi) for pi in p])

fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
ax.axvspan(0, 0.1, color="0.5", alpha=0.2, linewidth=0)
ax.text(0.11, 2.9, "← confidently wrong (p < 0.1)", fontsize=9, va="center")
ax.plot(p, bce, color=BCE_COLOUR, linewidth=2.2, label="cross-entropy  $-\\ln p$")
ax.plot(p, mse, color=MSE_COLOUR, linewidth=2.2, linestyle="--", label="squared error  $(1 - p)^2$")
# (p, loss, colour, where the label goes in points from the marker)
MARKED_P = (
    (0.01, BCELoss(), BCE_COLOUR, (8, -4)),
    (0.01, MSELoss(), MSE_COLOUR, (8, 6)),
    (0.5, BCELoss(), BCE_COLOUR, (6, 6)),
    (0.5, MSELoss(), MSE_COLOUR, (8, 6)),
)
for pi, loss, colour, offset in MARKED_P:
    value = loss_of(loss, pi)
    ax.plot(pi, value, "o", color=colour, markersize=6)
    ax.annotate(
        f"{value:.2f}",
        (pi, value),
        xytext=offset,
        textcoords="offset points",
        fontsize=9,
        color=colour,
    )
ax.set_xlim(0, 1.02)
ax.set_ylim(0, 5)
ax.set_xlabel("predicted probability of passing, $p$")
ax.set_ylabel("loss for a student who passed")
ax.set_title("A confident mistake: unbounded cost, or at most 1")
ax.legend(loc="upper right")
ax.grid(alpha=0.3)
fig.set_label(
    "The loss for one student who passed, as a function of the predicted "
    "probability p of passing. Cross-entropy, minus the log of p, falls from "
    f"{loss_of(BCELoss(), 0.01):.1f} at p = 0.01 to 0.69 at p = 0.5 and 0 at "
    "p = 1, and rises without limit as p approaches 0. Squared error, (1 - p) "
    f"squared, is {loss_of(MSELoss(), 0.01):.2f} at p = 0.01, 0.25 at "
    "p = 0.5 and never exceeds 1."
)

# %%
# The push on the weighted sum
# ----------------------------
# What the weights feel is not the loss but its gradient with respect to the
# weighted sum :math:`z` that goes into the sigmoid: the gradient of the loss,
# passed back through the :class:`~nnbasics.activations.Sigmoid` layer. For
# cross-entropy it is exactly :math:`\hat y - y = \sigma(z) - 1`: close to
# :math:`-1`, a full push, whenever the network is confidently wrong. For
# squared error it is :math:`2(\hat y - y)` times the sigmoid's slope, and on
# the sigmoid's flat left tail that slope is almost zero: the more confident
# the mistake, the *weaker* the push. The network learns least where it is
# most wrong.


def push_on_z(loss, z):
    """dL/dz for our student: the loss gradient, passed back through a Sigmoid."""
    sigmoid_layer = Sigmoid()
    y_hat = sigmoid_layer.forward(np.array([[z]]))
    loss.forward(y_hat, PASSED)
    return sigmoid_layer.backward(loss.backward())[0, 0]


z = np.linspace(-10, 4, 561)
bce_push = np.array([push_on_z(BCELoss(), zi) for zi in z])
mse_push = np.array([push_on_z(MSELoss(), zi) for zi in z])

fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
ax.axvspan(-10, -2.2, color="0.5", alpha=0.2, linewidth=0)  # p below 0.1
ax.text(-9.8, 0.12, "confidently wrong: p < 0.1", fontsize=9)
ax.axhline(0, color="0.5", linewidth=0.8)
ax.plot(z, bce_push, color=BCE_COLOUR, linewidth=2.2, label="cross-entropy")
ax.plot(z, mse_push, color=MSE_COLOUR, linewidth=2.2, linestyle="--", label="squared error")
# (z, loss, colour, where the label goes in points from the marker)
MARKED = (
    (-8.0, BCELoss(), BCE_COLOUR, (6, -14)),
    (-8.0, MSELoss(), MSE_COLOUR, (6, -14)),
    (0.0, BCELoss(), BCE_COLOUR, (6, -14)),
    (0.0, MSELoss(), MSE_COLOUR, (-42, 14)),
)
for zi, loss, colour, offset in MARKED:
    value = push_on_z(loss, zi)
    ax.plot(zi, value, "o", color=colour, markersize=6)
    ax.annotate(
        f"{value:.4f}" if abs(value) < 0.01 else f"{value:.2f}",
        (zi, value),
        xytext=offset,
        textcoords="offset points",
        fontsize=9,
        color=colour,
    )
ax.set_xlim(-10, 4)
ax.set_ylim(-1.15, 0.3)
ax.set_xlabel("weighted sum $z$ into the output sigmoid  ($p = \\sigma(z)$)")
ax.set_ylabel("gradient $\\partial L / \\partial z$")
ax.set_title("Squared error barely pushes a confident mistake")
ax.legend(loc="lower right")
ax.grid(alpha=0.3)
fig.set_label(
    "The gradient of the loss with respect to z, for a student who passed, as z "
    "runs from -10 to 4. The cross-entropy gradient, sigmoid(z) - 1, is close to "
    f"-1 for very negative z ({push_on_z(BCELoss(), -8.0):.2f} at z = -8) and "
    "rises to 0 as z grows. The squared-error gradient is "
    f"{push_on_z(MSELoss(), 0.0):.2f} at z = 0, largest in size near z = -0.7, "
    f"and almost zero for very negative z ({push_on_z(MSELoss(), -8.0):.4f} at "
    "z = -8): the more confident the mistake, the weaker the push."
)

# %%
# Learning from a confident mistake
# ---------------------------------
# Let the network correct itself: start at :math:`z = -6` (it gives the student
# a 0.25 % chance of passing) and repeatedly move :math:`z` a small step against
# its gradient, :math:`z \leftarrow z - 0.5\, \partial L / \partial z`, as
# gradient descent will do with the weights. With cross-entropy the probability
# climbs past one half within about a dozen steps. With squared error it creeps
# along the flat tail of the sigmoid for hundreds of steps before it gets going.

STEPS, LEARNING_RATE, START = 600, 0.5, -6.0


def probability_path(loss):
    """p = sigmoid(z) after each of STEPS steps of z <- z - lr * dL/dz."""
    path, zi = [], START
    for _ in range(STEPS + 1):
        path.append(1.0 / (1.0 + np.exp(-zi)))
        zi -= LEARNING_RATE * push_on_z(loss, zi)
    return np.array(path)


bce_path, mse_path = probability_path(BCELoss()), probability_path(MSELoss())
bce_half = int(np.argmax(bce_path > 0.5))
mse_half = int(np.argmax(mse_path > 0.5))

fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
ax.axhline(0.5, color="0.5", linewidth=0.8, linestyle=":")
ax.plot(bce_path, color=BCE_COLOUR, linewidth=2.2, label="cross-entropy")
ax.plot(mse_path, color=MSE_COLOUR, linewidth=2.2, linestyle="--", label="squared error")
for steps, colour in ((bce_half, BCE_COLOUR), (mse_half, MSE_COLOUR)):
    ax.plot(steps, 0.5, "o", color=colour, markersize=7)
    ax.annotate(
        f"p > 0.5 after {steps} steps",
        (steps, 0.5),
        xytext=(8, -16),
        textcoords="offset points",
        fontsize=9,
        color=colour,
    )
ax.set_xlim(0, STEPS)
ax.set_ylim(0, 1.02)
ax.set_xlabel("step")
ax.set_ylabel("predicted probability of passing, $p$")
ax.set_title(f"Starting confidently wrong (p = {bce_path[0]:.4f})")
ax.legend(loc="lower right")
ax.grid(alpha=0.3)
fig.set_label(
    "The predicted probability of passing for a student who passed, over 600 "
    f"steps that move z against its gradient, starting at z = {START:g}. With "
    f"cross-entropy p passes one half after {bce_half} steps and then approaches "
    f"1; with squared error it stays near 0 for a long time and passes one half "
    f"only after {mse_half} steps."
)

plt.show()
