"""
Activation functions and where they saturate
============================================

A neuron computes a weighted sum :math:`z` of its inputs and then applies an
*activation function* :math:`f(z)`. Without that function, a stack of layers
would be a single linear map. This example draws the three classic choices of
:mod:`nnbasics.activations`, their derivatives, and the regions where each one
*saturates*: where its derivative is so small that gradient descent can barely
move the weights that feed it.
"""

# %%
# Three functions, three ranges
# -----------------------------
# The sigmoid squashes every number into :math:`(0, 1)`, tanh into
# :math:`(-1, 1)`. ReLU is different: it is zero for negative inputs and the
# identity for positive ones, so its output is any number :math:`\ge 0`, with no
# upper limit. Only the sigmoid gives "a value between zero and one".

import matplotlib.pyplot as plt
import numpy as np

from nnbasics.activations import (
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)

z = np.linspace(-6, 6, 1201)
FUNCTIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative, "tab:blue"),
    "tanh": (tanh, tanh_derivative, "tab:orange"),
    "ReLU": (relu, relu_derivative, "tab:green"),
}

fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
for name, (f, _, colour) in FUNCTIONS.items():
    ax.plot(z, f(z), color=colour, linewidth=2.2, label=name)
for level in (-1, 0, 1):
    ax.axhline(level, color="0.6", linewidth=0.8, linestyle=":", zorder=0)
ax.set_ylim(-1.4, 3.2)
ax.set_xlabel("weighted sum $z$")
ax.set_ylabel("activation $f(z)$")
ax.set_title("Sigmoid: (0, 1).  tanh: (−1, 1).  ReLU: [0, ∞)")
ax.legend(loc="upper left")
fig.set_label(
    "The sigmoid, tanh and ReLU activation functions for z from -6 to 6: the "
    "sigmoid rises from 0 to 1, tanh from -1 to 1, and ReLU is zero for negative "
    "z and grows without limit for positive z."
)

# %%
# Derivatives and saturation
# --------------------------
# Backpropagation multiplies the gradient by :math:`f'(z)` at every neuron it
# passes. We call a region *saturated* where :math:`f'(z)` is below a tenth of
# its largest value (shaded grey): a neuron that sits there passes on less than
# a tenth of the gradient it receives.
#
# - The sigmoid's derivative is :math:`\sigma(z)(1-\sigma(z))`, at most
#   :math:`1/4` (at :math:`z = 0`): even unsaturated, it shrinks every gradient
#   by four. It saturates for :math:`|z| > 3.6` or so, on both sides.
# - tanh's derivative is :math:`1 - \tanh^2 z`, at most 1: it saturates sooner,
#   beyond :math:`|z| \approx 1.8`, but passes the full gradient near zero.
# - ReLU never saturates for positive :math:`z` (its derivative is exactly 1),
#   but for negative :math:`z` its derivative is exactly 0: a neuron whose
#   weighted sum is negative for every input gets no gradient at all.

THRESHOLD = 0.1  # saturated: derivative below 10 % of its maximum

fig, axes = plt.subplots(2, 3, figsize=(8, 5.2), sharex=True, layout="constrained")
for column, (name, (f, derivative, colour)) in enumerate(FUNCTIONS.items()):
    slope = derivative(z)
    saturated = slope < THRESHOLD * slope.max()
    for row, (values, what) in enumerate(((f(z), f"{name}(z)"), (slope, f"{name}′(z)"))):
        ax = axes[row, column]
        ax.fill_between(
            z,
            0,
            1,
            where=saturated,
            transform=ax.get_xaxis_transform(),
            color="0.5",
            alpha=0.25,
            linewidth=0,
        )
        ax.plot(z, values, color=colour, linewidth=2.2, linestyle="-" if row == 0 else "--")
        ax.set_ylabel(what)
        ax.grid(alpha=0.3)
    edges = z[np.flatnonzero(np.diff(saturated.astype(int)))]
    note = "no gradient for z < 0" if name == "ReLU" else f"saturated for |z| > {edges.max():.1f}"
    axes[0, column].set_title(f"{name}: {note}", fontsize=10)
    axes[1, column].set_xlabel("weighted sum $z$")
    axes[1, column].text(
        0.97,
        0.6,  # clear of the curves
        f"largest slope\n{slope.max():g}",
        transform=axes[1, column].transAxes,
        ha="right",
        va="center",
        fontsize=9,
    )
axes[0, 2].set_ylim(-0.3, 6.3)
for ax in axes[1]:
    ax.set_ylim(-0.05, 1.15)
fig.suptitle("Grey: saturated, the derivative is below a tenth of its largest value", fontsize=11)
fig.set_label(
    "A grid of six plots. Top row: sigmoid, tanh and ReLU; bottom row: their "
    "derivatives. Grey bands mark where each derivative is below a tenth of its "
    "maximum: the sigmoid beyond |z| of about 3.6, tanh beyond |z| of about 1.8, "
    "and ReLU for all negative z, where its derivative is exactly zero."
)

plt.show()
