"""
What a CNN learns: its kernels and feature maps
===============================================

The kernels of a convolutional layer are weights like any other: a
convolutional neural network (CNN) is not given edge detectors, it learns its
kernels by gradient descent. This example trains the small digit CNN of the
course and looks at what its convolutional layer learned: its 16 kernels, as
pictures, and the feature maps they make of one handwritten digit.
"""

# %%
# Train the digit CNN
# -------------------
# The network of the course chapter :doc:`/course/convolution`: a
# :class:`~nnbasics.layers.Conv2D` layer with 16 kernels of 3 × 3 and
# ``padding=1``, a ReLU, 2 × 2 max pooling, and a dense layer from the
# :math:`16 \times 4 \times 4 = 256` pooled values to 10 class scores. It is
# trained for 20 epochs on three quarters of the 1,797 digits and tested on
# the rest.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

import nnbasics as nb
from nnbasics.activations import ReLU, softmax
from nnbasics.datasets import digits, train_test_split
from nnbasics.layers import Conv2D, Dense, Flatten, MaxPool2D
from nnbasics.losses import CrossEntropyLoss
from nnbasics.optim import SGD

data = digits()
X_train, X_test, y_train, y_test = train_test_split(data.images[:, None], data.y, rng=0)
cnn = nb.Sequential(
    Conv2D(1, 16, 3, padding=1, rng=0),  # 16 maps of 8 × 8
    ReLU(),
    MaxPool2D(2),  # 16 maps of 4 × 4
    Flatten(),  # 256 numbers per image
    Dense(16 * 4 * 4, 10, rng=10),  # 10 class scores
)
conv = cnn[0]
initial = conv.weight.value.copy()
optimizer = SGD(cnn.parameters(), lr=0.02, momentum=0.9)
nb.fit(
    cnn,
    CrossEntropyLoss(),
    optimizer,
    X_train,
    y_train,
    epochs=20,
    batch_size=32,
    rng=0,
    verbose=False,
)
accuracy = nb.evaluate(cnn, CrossEntropyLoss(), X_test, y_test)[1]
print(f"test accuracy: {accuracy:.1%} of {len(y_test)} test digits")
kernels = conv.weight.value[:, 0]  # shape (16, 3, 3)
moved = np.linalg.norm(kernels - initial[:, 0]) / np.linalg.norm(initial)
print(f"training changed the kernels by {moved:.0%} of their initial size")

# %%
# The 16 kernels
# --------------
# Each kernel is a 3 × 3 picture of its weights: red where ink *raises* the
# weighted sum, blue where ink *lowers* it, white for weights near zero. All
# 16 are drawn on one colour scale, so a pale kernel has small weights.
#
# Many of them have a red side and a blue side: like the hand-made edge kernels
# of :doc:`the convolution example <plot_convolution_filter>`, they respond to
# edges, in directions that training chose. Others respond to a stroke of ink in
# one place and penalise ink around it. They are not as tidy as the hand-made
# kernels, because nothing asks them to be: any 16 kernels that make the digits
# easy to tell apart will do, and training started from random weights and moved
# them only as far as the loss required.

limit = np.abs(kernels).max()
fig, axes = plt.subplots(4, 4, figsize=(5.6, 5.0), layout="constrained")
for number, (ax, kernel) in enumerate(zip(axes.flat, kernels, strict=True)):
    shown = ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(f"kernel {number}", fontsize=8)
    ax.set_axis_off()
fig.colorbar(shown, ax=axes, label="weight", shrink=0.9)
fig.set_label(
    "The 16 kernels of 3 by 3 weights that the digit CNN learned, drawn in "
    "four rows of four on a red-white-blue scale centred on zero, weights "
    f"from {kernels.min():.2f} to {kernels.max():.2f}. Many have a red side "
    "and a blue side, like edge detectors in different directions."
)

# %%
# The feature maps of one digit
# -----------------------------
# Now the first 4 of the test set, through the convolution and the ReLU.
# Each kernel gives a map of 8 × 8 numbers (``padding=1`` keeps the digit's
# size), drawn in the same place as its kernel above: dark red where the
# kernel's pattern is strongly present, white where the ReLU cut the sum to
# zero. All maps share one colour scale.
#
# Each map picks out different parts of the 4. Map 5 lights up along all of
# its ink, map 11 along the left side of its strokes, map 2 mostly along the
# right side, map 13 under the horizontal bar. The 16 maps together are the
# network's new description of the digit, and max pooling then halves each of
# them to 4 × 4 before the dense layer reads them.
#
# Map 1 is zero everywhere, and not only for this digit: for every test
# digit. Its kernel is blue all over: its largest weight is +0.01 and its bias
# is -0.02, so even a black pixel (1) under that weight cannot make the sum
# positive, and the ReLU outputs zero. Such a *dead* channel passes no
# gradient back through its ReLU, so training cannot bring it back: the
# network has 15 working kernels, not 16.

four = np.flatnonzero(y_test == 4)[0]
digit = X_test[four : four + 1]  # shape (1, 1, 8, 8)
maps = ReLU()(conv(digit))[0]  # shape (16, 8, 8)
probabilities = softmax(cnn(digit))[0]
print(f"test digit {four}: P(4) = {probabilities[4]:.3f}")
all_maps = ReLU()(conv(X_test))
dead = np.flatnonzero(all_maps.max(axis=(0, 2, 3)) == 0)
print(f"kernels whose map is zero on all {len(X_test)} test digits: {dead}")
for number in dead:
    largest, bias = kernels[number].max(), conv.bias.value[number]
    print(f"kernel {number}: largest weight {largest:+.3f}, bias {bias:+.3f}")

# %%
# The text above, measured on this digit: the share of its ink (pixels above 0.3) where a map
# is positive, the share of a map's total on the left and on the right edges of the strokes
# (ink with no ink beside it on that side), and the row around which a map's total is centred.
# The asserts keep the text true if the training ever changes.

ink = digit[0, 0] > 0.3
left_edge = ink & ~np.pad(ink, ((0, 0), (1, 0)))[:, :-1]
right_edge = ink & ~np.pad(ink, ((0, 0), (0, 1)))[:, 1:]
on_ink = {k: np.mean(maps[k][ink] > 0) for k in range(16)}
on_left = {k: maps[k][left_edge].sum() / maps[k].sum() for k in range(16) if k not in dead}
on_right = {k: maps[k][right_edge].sum() / maps[k].sum() for k in range(16) if k not in dead}
bar_row = np.argmax(digit[0, 0].sum(axis=1))  # the row with the most ink: the 4's bar
centre_row_13 = maps[13].sum(axis=1) @ np.arange(8) / maps[13].sum()
print(f"map 5 is positive on {on_ink[5]:.0%} of the ink")
print(f"map 11: {on_left[11]:.0%} of it on left edges, {on_right[11]:.0%} on right edges")
print(f"map 2: {on_left[2]:.0%} of it on left edges, {on_right[2]:.0%} on right edges")
print(f"map 13 is centred on row {centre_row_13:.1f}; the bar is row {bar_row}")
assert on_ink[5] >= 0.9
assert on_left[11] > 3 * on_right[11]
assert on_right[2] > 3 * on_left[2]
assert centre_row_13 > bar_row
assert list(dead) == [1]
assert f"{kernels[1].max():+.2f} {conv.bias.value[1]:+.2f}" == "+0.01 -0.02"


def frame(ax, size):
    """A thin grey frame, so that an all-white image still shows its edges."""
    ax.add_patch(Rectangle((-0.5, -0.5), size, size, fill=False, edgecolor="0.7", linewidth=0.8))
    ax.set_axis_off()


layout = [["digit", *[str(k) for k in range(4 * row, 4 * row + 4)]] for row in range(4)]
fig, axd = plt.subplot_mosaic(
    layout, figsize=(8, 4.5), width_ratios=[3.2] + [1] * 4, layout="constrained"
)
axd["digit"].imshow(digit[0, 0], cmap="gray_r", vmin=0, vmax=1)
axd["digit"].set_title(f"test digit {four}", fontsize=9)
frame(axd["digit"], 8)
for number, feature in enumerate(maps):
    ax = axd[str(number)]
    shown = ax.imshow(feature, cmap="Reds", vmin=0, vmax=maps.max())
    ax.set_title(f"map {number}", fontsize=8)
    frame(ax, 8)
fig.colorbar(shown, ax=[axd[str(k)] for k in range(16)], label="value after ReLU", shrink=0.9)
silent = [str(k) for k in range(16) if maps[k].max() == 0]
fig.set_label(
    "A handwritten 4 from the test set and the 16 feature maps of 8 by 8 that "
    "the learned kernels make of it after the ReLU, each picking out "
    "different parts of the digit, such as its ink or one side of its strokes. "
    f"Zero everywhere: map {', '.join(silent)}. The network gives the digit a "
    f"probability of {probabilities[4]:.3f} of being a 4."
)

plt.show()
