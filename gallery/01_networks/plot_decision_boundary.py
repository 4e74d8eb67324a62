"""
A neuron draws a straight line
==============================

A sigmoid neuron says "pass" when its output is above 0.5, that is when its
weighted sum :math:`z = w \\cdot x + b` is above zero. The students for whom
:math:`z = 0` exactly form the neuron's *decision boundary*. Over two features
this boundary is a straight line, and the weights and the bias decide where it
lies. This example draws it for the exam neuron of :doc:`/course/the-neuron`,
shows how the weights and the bias move it, that the activation function does
not change it (:doc:`/course/activation-functions`), and why no line, and so no
single neuron, can compute exclusive or.
"""

# %%
# The exam neuron over two features
# ---------------------------------
# The exam neuron has four inputs, too many to draw. Its weights are
# :math:`w = (1.0, 0.6, 0.8, 0)`, its bias :math:`-12`: a student passes with
# 12 points or more. The name's weight is zero, so the name never matters.
# Hold "how smart" fixed and only hours studied and previous knowledge are
# left: the neuron says "pass" above the line
# :math:`x_\text{hours} + 0.8\,x_\text{knowledge} = 12 - 0.6\,x_\text{smart}`.
# The three panels split the 200 students into three groups by how smart they
# are, and draw the line for the middle of each group. Smarter students need
# fewer points from the other two features: the line moves down and left.

import matplotlib.pyplot as plt
import numpy as np

from nnbasics.activations import relu, sigmoid, tanh
from nnbasics.datasets import exam, xor

W = np.array([1.0, 0.6, 0.8, 0.0])  # hours, smart, knowledge, name
B = -12.0
PASS, FAIL = "#0072B2", "#D55E00"  # Okabe-Ito blue and vermillion

data = exam(200, rng=0)
hours, smart, knowledge, _ = data.X.T
grid = np.linspace(0, 10, 201)
H, K = np.meshgrid(grid, grid)  # hours across, knowledge up


def knowledge_on_line(h, smart_value, w=W, b=B):
    """Previous knowledge on the line z = 0, for hours ``h`` and one smartness."""
    return -(w[0] * h + w[1] * smart_value + b) / w[2]


STUDENT = {"s": 28, "edgecolors": "white", "linewidths": 0.4, "zorder": 3}  # one dot each


def scatter_students(ax, keep):
    """The students in ``keep``: circles passed, crosses failed."""
    for label, colour, marker, name in ((1, PASS, "o", "passed"), (0, FAIL, "X", "failed")):
        chosen = keep & (data.y == label)
        ax.scatter(hours[chosen], knowledge[chosen], c=colour, marker=marker, **STUDENT, label=name)


edges = [0.0, 10 / 3, 20 / 3, 10.0]
fig, axes = plt.subplots(1, 3, figsize=(9, 4.1), sharex=True, sharey=True, layout="constrained")
wrong = 0
for ax, low, high in zip(axes, edges[:-1], edges[1:], strict=True):
    middle = (low + high) / 2
    keep = (smart >= low) & (smart < high)
    p = sigmoid(W[0] * H + W[1] * middle + W[2] * K + B)
    ax.contourf(H, K, p, levels=[0, 0.5, 1], colors=[FAIL, PASS], alpha=0.12)
    ax.plot(grid, knowledge_on_line(grid, middle), color="black", linewidth=1.8)
    scatter_students(ax, keep)
    # The neuron's own answer for each student uses the student's own smartness.
    said_pass = data.X @ W + B > 0
    wrong += np.sum(keep & (said_pass != (data.y == 1)))
    ax.set_title(f"how smart: {low:.1f} to {high:.1f}\nline for {middle:.1f}")
    ax.set_xlabel("hours studied")
    ax.set(xlim=(0, 10), ylim=(0, 10), aspect="equal")
axes[0].set_ylabel("previous knowledge")
axes[0].text(0.4, 0.4, "fail", fontsize=11, fontweight="bold", color=FAIL)
axes[0].text(9.6, 9.3, "pass", fontsize=11, fontweight="bold", color=PASS, ha="right")
axes[2].legend(loc="upper right", fontsize=8, framealpha=0.9)
fig.suptitle("The exam neuron's decision boundary: z = 0, P(pass) = 0.5")
print(f"students the neuron gets wrong: {wrong} of {len(data.y)}")
fig.set_label(
    "Three scatter plots of the 200 exam students, previous knowledge against "
    "hours studied, one panel each for students who score 0 to 3.3, 3.3 to 6.7 "
    "and 6.7 to 10 on how smart. In each panel a straight line, the exam "
    "neuron's decision boundary for the middle of that group, separates the "
    "students who passed (blue circles, above and right) from those who failed "
    "(vermillion crosses, below and left); the line moves down and left for the "
    "smarter groups."
)

# %%
# What the weights and the bias do to the line
# --------------------------------------------
# Keep "how smart" at 5. Changing the **bias** moves the line without turning
# it: with :math:`b = -10` a student needs two points fewer, with
# :math:`b = -14` two points more. Changing a **weight** turns the line: if an
# hour of study were worth 2 points instead of 1, fewer hours would do for the
# same knowledge, and the line would stand up more steeply. The arrow is the
# weight vector :math:`(w_\text{hours}, w_\text{knowledge})`: it is at right
# angles to the line and points to the "pass" side.

fig, (left, right) = plt.subplots(1, 2, figsize=(8, 4.4), sharey=True, layout="constrained")
for bias, style in ((-14.0, ":"), (-12.0, "-"), (-10.0, "--")):
    left.plot(
        grid,
        knowledge_on_line(grid, 5.0, b=bias),
        style,
        color="black",
        linewidth=1.8,
        label=f"b = {bias:.0f}",
    )
for w_hours, style, colour in ((0.5, ":", PASS), (1.0, "-", "black"), (2.0, "--", FAIL)):
    w = np.array([w_hours, 0.6, 0.8, 0.0])
    right.plot(
        grid,
        knowledge_on_line(grid, 5.0, w=w),
        style,
        color=colour,
        linewidth=1.8,
        label=f"$w_{{hours}}$ = {w_hours:g}",
    )
# the weight vector, drawn from a point on the line b = -12, smart = 5
start = np.array([5.0, knowledge_on_line(5.0, 5.0)])
direction = np.array([W[0], W[2]]) * 2.0
left.annotate(
    "",
    xy=start + direction,
    xytext=start,
    arrowprops={"arrowstyle": "-|>", "color": PASS, "linewidth": 1.8},
)
left.text(*(start + direction + [0.2, 0.1]), "w", color=PASS, fontsize=12)
left.set_title("the bias moves the line")
right.set_title("a weight turns it")
for ax in (left, right):
    ax.set(xlim=(0, 10), ylim=(0, 10), aspect="equal", xlabel="hours studied")
    ax.legend(loc="lower left", fontsize=9, framealpha=0.9)
    ax.text(9.6, 9.3, "pass", fontsize=11, fontweight="bold", color=PASS, ha="right")
left.set_ylabel("previous knowledge")
fig.set_label(
    "Two panels of boundary lines over hours studied and previous knowledge, "
    "with how smart fixed at 5. Left: the lines for biases -14, -12 and -10 are "
    "parallel, shifted up and down, and an arrow at right angles to the middle "
    "line, the weight vector, points towards the pass side. Right: the lines "
    "for an hours weight of 0.5, 1 and 2 all start from one point at zero "
    "hours, just above the plot, and get steeper as the weight grows."
)

# %%
# The activation bends the output, not the line
# ---------------------------------------------
# The same weighted sum :math:`z`, through three activation functions. The
# colours (the neuron's output) differ: sigmoid between 0 and 1, tanh between
# -1 and 1, ReLU zero on one side and growing without limit on the other. But
# each function only ever *grows* with :math:`z`, so any threshold on the
# output is a threshold on :math:`z`, and the sigmoid's 0.5, tanh's 0 and the
# place where ReLU starts to grow all lie on the same line :math:`z = 0`.

Z = W[0] * H + W[1] * 5.0 + W[2] * K + B
fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.6), sharey=True, layout="constrained")
for ax, (name, f, level) in zip(
    axes, (("sigmoid", sigmoid, 0.5), ("tanh", tanh, 0.0), ("ReLU", relu, 0.0)), strict=True
):
    image = ax.contourf(H, K, f(Z), levels=20, cmap="viridis")
    fig.colorbar(image, ax=ax, shrink=0.85, label=f"{name}(z)")
    ax.plot(grid, knowledge_on_line(grid, 5.0), color="tab:red", linewidth=2.2)
    ax.set_title(f"{name}: {level:g} on the line")
    ax.set(xlim=(0, 10), ylim=(0, 10), aspect="equal", xlabel="hours studied")
axes[0].set_ylabel("previous knowledge")
fig.set_label(
    "Three colour maps of the exam neuron's output over hours studied and "
    "previous knowledge (how smart fixed at 5), with a sigmoid, a tanh and a "
    "ReLU activation. The colours and their scales differ, sigmoid 0 to 1, tanh "
    "-1 to 1, ReLU 0 to 9, but the same straight red line, z = 0, "
    "crosses all three panels where the output is 0.5, 0 and starts to rise."
)

# %%
# Exclusive or: no line will do
# -----------------------------
# XOR of two bits is 1 when exactly one of them is 1. Its four points sit at
# the corners of a square, the two 1s on one diagonal and the two 0s on the
# other. A line can put any *one* corner on its own side, or two neighbouring
# corners, but never the two ends of a diagonal: every line gets at least one
# corner wrong. Three tries, each ringed where it fails:

X_xor, y_xor = xor()
tries = [  # (w1, w2, b): "1" where w1 a + w2 b + b > 0
    ("a OR b: a + b > 0.5", (1.0, 1.0, -0.5)),
    ("NOT (a AND b): a + b < 1.5", (-1.0, -1.0, 1.5)),
    ("a: a > 0.5", (1.0, 0.0, -0.5)),
]
fig, axes = plt.subplots(1, 3, figsize=(9, 3.8), sharex=True, sharey=True, layout="constrained")
span = np.linspace(-0.5, 1.5, 101)
A, Bv = np.meshgrid(span, span)
for ax, (title, (w1, w2, b)) in zip(axes, tries, strict=True):
    ax.contourf(A, Bv, w1 * A + w2 * Bv + b, levels=[-9, 0, 9], colors=[FAIL, PASS], alpha=0.12)
    ax.contour(A, Bv, w1 * A + w2 * Bv + b, levels=[0], colors="black", linewidths=1.8)
    says = (X_xor @ np.array([w1, w2]) + b > 0).astype(int)
    for (a, bit), label, said in zip(X_xor, y_xor, says, strict=True):
        colour, marker = (PASS, "o") if label == 1 else (FAIL, "X")
        ax.scatter(a, bit, s=160, c=colour, marker=marker, zorder=3)
        if said != label:
            ax.scatter(a, bit, s=650, facecolors="none", edgecolors="black", linewidths=1.5)
    ax.set_title(f"{title}\n{np.sum(says == y_xor)} of 4 right", fontsize=10)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal", xlabel="input a")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
axes[0].set_ylabel("input b")
fig.set_label(
    "Three panels with the four XOR points at the corners of a unit square: "
    "blue circles (label 1) at (0, 1) and (1, 0), vermillion crosses (label 0) "
    "at (0, 0) and (1, 1). Each panel draws one straight line: a + b = 0.5 gets "
    "3 of 4 right and misses (1, 1); a + b = 1.5 gets 3 of 4 and misses (0, 0); "
    "a = 0.5 gets 2 of 4. The misclassified corners are ringed."
)

plt.show()
