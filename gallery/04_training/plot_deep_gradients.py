r"""
Vanishing and exploding gradients
=================================

Backpropagation carries the gradient from the loss back to the first layer,
and every layer on the way multiplies it: by its weights, and by the
derivative of its activation function. Ten layers mean ten such factors. If
they are smaller than one on average the gradient *vanishes*: the first layers
hardly learn. If they are larger than one it *explodes*: the first layers take
huge, erratic steps. The same happens to the signal on its way forward.

Here ten-layer networks of width 64 get one batch of 500 random inputs, and we
measure how large the signal is after each layer (forward) and how large the
gradient is when it reaches each layer (backward).
"""

# %%
# Four ten-layer networks
# -----------------------
# - sigmoid layers with Xavier initialisation: the sigmoid's derivative is at
#   most 1/4, and Xavier's weights are not large enough to make up for it;
# - ReLU layers with He initialisation, weights with standard deviation
#   :math:`\sqrt{2/n_\text{in}}`, chosen to keep both signals steady;
# - ReLU layers with weights half as large as He's,
#   :math:`\sqrt{0.5/n_\text{in}}`;
# - ReLU layers with weights 1.5 times as large as He's.
#
# The gradient fed into the last layer is random, the same for every network;
# what we record is the root mean square of the gradient with respect to each
# layer's weighted sums :math:`z`, the quantity from which that layer's weight
# gradients are made.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import ReLU, Sigmoid
from nnbasics.layers import Dense

WIDTH, DEPTH = 64, 10
inputs = np.random.default_rng(0).normal(size=(500, WIDTH))
upstream = np.random.default_rng(1).normal(size=(500, WIDTH))


def network(activation, init, scale=None):
    """DEPTH dense layers and activations; ``scale`` sets the weights' std."""
    layers = []
    for i in range(DEPTH):
        dense = Dense(WIDTH, WIDTH, rng=i, init=init)
        if scale is not None:  # weights with std scale * sqrt(2 / WIDTH)
            std = scale * np.sqrt(2 / WIDTH)
            dense.weight.value[:] = np.random.default_rng(i).normal(0, std, (WIDTH, WIDTH))
        layers += [dense, activation()]
    return nb.Sequential(*layers)


def signal_sizes(model):
    """Each layer's output spread, and the RMS gradient at each layer's z."""
    h, forward = inputs, []
    for layer in model.layers:
        h = layer.forward(h)
        if not isinstance(layer, Dense):
            forward.append(h.std())
    grad, backward = upstream, []
    for layer in reversed(model.layers):
        grad = layer.backward(grad)
        if not isinstance(layer, Dense):  # grad is now dL/dz of a dense layer
            backward.append(np.sqrt(np.mean(grad**2)))
    return np.array(forward), np.array(backward[::-1])


NETWORKS = {
    # name: (model, colour, line style); Okabe-Ito colours
    "sigmoid, Xavier": (network(Sigmoid, "xavier"), "#cc79a7", "-"),
    "ReLU, He": (network(ReLU, "he"), "#009e73", "-"),
    "ReLU, weights ½ × He": (network(ReLU, "he", scale=0.5), "#0072b2", "--"),
    "ReLU, weights 1.5 × He": (network(ReLU, "he", scale=1.5), "#d55e00", "--"),
}
sizes = {name: signal_sizes(model) for name, (model, _, _) in NETWORKS.items()}
for name, (_, backward) in sizes.items():
    print(
        f"{name:>24}: gradient at layer 10 {backward[-1]:.2g}, at layer 1 "
        f"{backward[0]:.2g}  (ratio {backward[0] / backward[-1]:.2g})"
    )

# %%
# Forward and backward
# --------------------
# Right, the gradient, read from right to left as backpropagation runs: it
# starts at layer 10 and travels to layer 1. In the sigmoid network it shrinks
# by a factor of about four at every layer, to a millionth of its size at
# layer 1: the first layers barely learn. ReLU with He initialisation passes it
# back at about the same size. Weights half as large make every ReLU layer
# shrink both signals by half; weights 1.5 times as large make every layer
# multiply them by 1.5, and after ten layers the gradient is about 50 times
# larger: it explodes. Left, the forward signal (the spread of each layer's
# outputs) tells the same story for the ReLU networks. The sigmoid network's
# outputs do not vanish (a sigmoid's output sits around 0.5); only its
# gradient does.

layers = np.arange(1, DEPTH + 1)
fig, (ax_forward, ax_backward) = plt.subplots(
    1, 2, figsize=(8, 3.6), sharey=True, layout="constrained"
)
for name, (_, colour, style) in NETWORKS.items():
    forward, backward = sizes[name]
    ax_forward.plot(layers, forward, style, marker="o", markersize=3, color=colour, label=name)
    ax_backward.plot(layers, backward, style, marker="o", markersize=3, color=colour, label=name)
ax_forward.set_title("Forward: spread of each layer's output", fontsize=10)
ax_backward.set_title("Backward: size of the gradient at each layer", fontsize=10)
ax_forward.set_ylabel("size (log scale)")
for ax in (ax_forward, ax_backward):
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_xticks(layers)
    ax.grid(alpha=0.3)
    ax.grid(alpha=0.1, which="minor")
ax_backward.annotate(
    "backpropagation runs\nfrom layer 10 to layer 1",
    xy=(2.5, 3e-5),
    xytext=(6.2, 3e-5),
    va="center",
    ha="center",
    fontsize=8,
    arrowprops={"arrowstyle": "->", "color": "0.4"},
)
ax_forward.legend(fontsize=8, loc="lower left")
sig_forward, sig_backward = sizes["sigmoid, Xavier"]
big = sizes["ReLU, weights 1.5 × He"][1]
fig.set_label(
    "Two panels with a logarithmic vertical axis, for four ten-layer networks. "
    "Right, the size of the gradient at layers 1 to 10: for the sigmoid network "
    f"it falls from {sig_backward[-1]:.1g} at layer 10 to {sig_backward[0]:.0e} "
    "at layer 1; for ReLU with He initialisation it stays level; with weights "
    "half as large it shrinks layer by layer; with weights 1.5 times as large it "
    f"grows to {big[0]:.0f} at layer 1. Left, the spread of each layer's output: "
    "level for the sigmoid and He networks, shrinking and growing for the "
    "other two."
)

plt.show()
