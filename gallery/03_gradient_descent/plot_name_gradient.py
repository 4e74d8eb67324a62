r"""
Why the name's weight is pushed towards zero
============================================

For the exam neuron (one sigmoid neuron with binary cross-entropy), the
gradient of the loss with respect to the weight of feature :math:`j` is

.. math:: \frac{\partial L}{\partial w_j}
   = \frac1N \sum_{n=1}^{N} (\hat y_n - y_n)\, x_{nj},

the average, over the students, of each student's error :math:`\hat y_n - y_n`
times their value of that feature. For the student's *name* this average is
large only if the errors go with the name: if students late in the alphabet
tend to be predicted too high, or too low. The name has nothing to do with
passing, so the only way the errors can go with the name is through the
name's own weight. This example shows that, and what it means for gradient
descent.
"""

# %%
# A trained neuron, and a name weight set by hand
# -----------------------------------------------
# Train the neuron on the standardised exam data, then keep its other weights
# and set the name's weight to chosen values.

import matplotlib.pyplot as plt
import numpy as np

import nnbasics as nb
from nnbasics.activations import Sigmoid, sigmoid
from nnbasics.datasets import exam, standardize
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss
from nnbasics.optim import SGD

data = exam(200, rng=0)
(X,) = standardize(data.X)
y = data.y.astype(float)
NAME = data.feature_names.index("name")

model = nb.Sequential(Dense(4, 1, rng=0), Sigmoid())
optimizer = SGD(model.parameters(), lr=0.5)
nb.fit(
    model,
    BCELoss(),
    optimizer,
    X,
    y.reshape(-1, 1),
    epochs=100,
    batch_size=20,
    rng=0,
    verbose=False,
)
trained_w, bias = model[0].weight.value[0].copy(), model[0].bias.value[0]


def errors(w_name):
    """Every student's error y_hat - y, with the name's weight set to w_name."""
    w = trained_w.copy()
    w[NAME] = w_name
    return sigmoid(X @ w + bias) - y


def name_gradient(w_name):
    """dL/dw_name = mean((y_hat - y) * x_name)."""
    return np.mean(errors(w_name) * X[:, NAME])


for w_name in (-2.0, 0.0, 2.0):
    print(f"name weight {w_name:+.0f}: dL/dw_name = {name_gradient(w_name):+.4f}")
print(
    f"trained name weight {trained_w[NAME]:+.3f}: dL/dw_name = "
    f"{name_gradient(trained_w[NAME]):+.5f}"
)
correlation = np.corrcoef(X[:, NAME], y)[0, 1]
print(f"correlation of the name with passing: {correlation:.3f}")
assert round(correlation, 2) == 0.01  # "about 0.01", below

# %%
# The errors against the name, and the gradient
# ---------------------------------------------
# Left: each student's error against their (standardised) name, for a name
# weight of +2 and of 0; the thick lines are the average error in five groups
# of letters. With +2, students late in the alphabet get a push
# towards "pass" they did not earn: the ones near the pass mark are predicted
# too high (positive errors on the right), and early names too low (negative
# errors on the left). The products error times name are then mostly positive,
# and so is their average, the gradient: gradient descent lowers the weight.
# With a weight of 0 the errors show no trend.
#
# Right: the gradient for every name weight from -3 to 3. It has the sign of
# the weight, so a step against it always moves the weight towards the point
# where it crosses zero. That point is not exactly 0: in 200 students the
# name happens to go with passing very slightly (a correlation of about 0.01),
# and the minimum sits where that accident is fitted.

PUSHED, FAIR = ("#d55e00", "#1f77b4")  # vermillion and a blue that reads on light and dark
fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.8), layout="constrained")
jitter = np.random.default_rng(0).uniform(-0.04, 0.04, size=len(y))
edges = np.linspace(X[:, NAME].min(), X[:, NAME].max() + 1e-9, 6)  # five groups of letters
group = np.digitize(X[:, NAME], edges) - 1
centres = [X[group == g, NAME].mean() for g in range(5)]
for w_name, colour, marker in ((2.0, PUSHED, "o"), (0.0, FAIR, "x")):
    error = errors(w_name)
    left.scatter(X[:, NAME] + jitter, error, s=12, color=colour, marker=marker, alpha=0.45)
    left.plot(
        centres,
        [error[group == g].mean() for g in range(5)],
        color=colour,
        marker=marker,
        markersize=7,
        linewidth=2.2,
        label=f"name weight {w_name:+g}: gradient {name_gradient(w_name):+.3f}",
    )
left.axhline(0, color="0.5", linewidth=0.8)
left.set(
    xlabel="name (standardised: early letters left, late right)",
    ylabel="error  $\\hat y - y$",
    title="Each student's error, and group averages",
)
left.legend(loc="upper left", fontsize=8)

weights = np.linspace(-3, 3, 61)
slopes = np.array([name_gradient(w) for w in weights])
right.plot(weights, slopes, color=PUSHED, linewidth=2)
right.axhline(0, color="0.5", linewidth=0.8)
right.axvline(0, color="0.5", linewidth=0.8, linestyle=":")
for w_name in (-2.0, 2.0):
    step = -0.8 * np.sign(name_gradient(w_name))  # an arrow against the gradient
    right.annotate(
        "",
        xy=(w_name + step, 0.0),
        xytext=(w_name, 0.0),
        arrowprops={"arrowstyle": "->", "color": FAIR, "linewidth": 2},
    )
right.text(
    0.03,
    0.95,
    "arrows: the direction of a\ngradient-descent step",
    transform=right.transAxes,
    va="top",
    fontsize=8,
    color=FAIR,
)
right.set(
    xlabel="weight of the name",
    ylabel="$\\partial L / \\partial w_\\mathrm{name}$",
    title="The gradient has the sign of the weight",
)
fig.set_label(
    "Left: a scatter plot of every exam student's prediction error against their "
    "standardised name, with the average error of five groups of letters as "
    "thick lines. With a name weight of +2 (circles) late names have positive "
    "errors and early names negative ones, a rising line; with a weight of 0 "
    "(crosses) the line is flat. Right: the gradient of the loss with respect to "
    f"the name's weight, from {slopes[0]:.2f} at weight -3 to {slopes[-1]:.2f} "
    "at weight +3, crossing zero near zero; arrows show that gradient descent "
    "moves the weight towards zero from either side."
)

plt.show()
