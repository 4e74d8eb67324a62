"""
What a dense layer cannot see: shuffled pixels
==============================================

A dense layer takes its input as a list of numbers. Every input has its own
weight, and nothing in the layer says which inputs are next to each other: to
the layer, pixel (0, 0) is as far from pixel (0, 1) as from pixel (7, 7). So
the layer ignores the pixels' *spatial arrangement*, the fact that they form a
picture.

This example puts that to the test. It shuffles the 64 pixels of every 8 × 8
digit in the same way, which makes the digits unreadable to us, and trains the
same dense network on the shuffled digits as on the real ones.
"""

# %%
# The same network, on real and on shuffled digits
# ------------------------------------------------
# The network is the dense network of the course chapter
# :doc:`/course/convolution`: 64 pixels, a hidden layer of 64 ReLUs and 10
# class scores, trained with SGD for 20 epochs on three quarters of the 1,797
# digits and tested on the rest.
#
# The second network starts from the same weights as the first, with its
# first layer's columns shuffled like the pixels: the weight that the first
# network gives to pixel (2, 3) is the one the second gives to wherever pixel
# (2, 3) went. Then both compute the same weighted sums, at the start and at
# every step of training, since the gradient of each weight moves with its
# pixel. They end with the same predictions for every test digit, to
# rounding: shuffling the pixels changed nothing for a dense network.
# (Starting from other random weights changes its accuracy a little, as any
# new start does, but not because the picture was lost.)

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

import nnbasics as nb
from nnbasics.activations import ReLU
from nnbasics.datasets import digits, train_test_split
from nnbasics.layers import Dense
from nnbasics.losses import CrossEntropyLoss
from nnbasics.optim import SGD

data = digits()
X_train, X_test, y_train, y_test = train_test_split(data.images.reshape(-1, 64), data.y, rng=0)
order = np.random.default_rng(0).permutation(64)  # where each pixel goes


def trained(X, first_columns=None):
    """The chapter's dense network trained on X.

    With ``first_columns``, the columns of its first weights are reordered first.
    """
    model = nb.Sequential(Dense(64, 64, rng=0, init="he"), ReLU(), Dense(64, 10, rng=10))
    if first_columns is not None:
        model[0].weight.value[...] = model[0].weight.value[:, first_columns]
    optimizer = SGD(model.parameters(), lr=0.02, momentum=0.9)
    nb.fit(
        model,
        CrossEntropyLoss(),
        optimizer,
        X,
        y_train,
        epochs=20,
        batch_size=32,
        rng=0,
        verbose=False,
    )
    return model


real = trained(X_train)
shuffled = trained(X_train[:, order], first_columns=order)
scores_real = real(X_test)
scores_shuffled = shuffled(X_test[:, order])
difference = np.abs(scores_real - scores_shuffled).max()
accuracy_real = nb.evaluate(real, CrossEntropyLoss(), X_test, y_test)[1]
accuracy_shuffled = nb.evaluate(shuffled, CrossEntropyLoss(), X_test[:, order], y_test)[1]
print(f"real digits:     test accuracy {accuracy_real:.1%}")
print(f"shuffled digits: test accuracy {accuracy_shuffled:.1%}")
print(f"largest difference between their scores: {difference:.1e}")

# %%
# What the two networks see
# -------------------------
# The top row shows ten test digits as they were scanned; the bottom row the
# same ten digits with their pixels shuffled, which is how the second network
# sees every digit. We cannot read the bottom row. The dense network reads
# both rows equally well, because it never used the arrangement of the top
# row in the first place.
#
# A convolution is different: its kernel looks at a patch of neighbouring
# pixels, so it *uses* the arrangement, and shuffled pixels destroy the edges
# and strokes it looks for.

# One test digit of each class: the first that the network gets right.
predictions = scores_real.argmax(axis=1)
shown = [np.flatnonzero((y_test == c) & (predictions == c))[0] for c in range(10)]
fig, axes = plt.subplots(2, len(shown), figsize=(8, 2.4), layout="constrained")
rows = [
    (X_test[shown], f"as scanned\n{accuracy_real:.1%} right"),
    (X_test[shown][:, order], f"shuffled\n{accuracy_shuffled:.1%} right"),
]
for row, (images, name) in enumerate(rows):
    for column, image in enumerate(images):
        ax = axes[row, column]
        ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        # A thin grey frame, so that the white background of a digit shows.
        ax.add_patch(Rectangle((-0.5, -0.5), 8, 8, fill=False, edgecolor="0.7", lw=0.8))
        ax.set_axis_off()
        if row == 0:
            ax.set_title(f"predicted {predictions[shown[column]]}", fontsize=8)
    axes[row, 0].text(
        -0.15,
        0.5,
        name,
        transform=axes[row, 0].transAxes,
        rotation=90,
        ha="right",
        va="center",
        fontsize=10,
    )
fig.set_label(
    "Top: ten handwritten test digits as scanned, 0 to 9, each predicted "
    "right by a dense network. Bottom: the same digits "
    "with their 64 pixels shuffled in one fixed way, unreadable to a person. "
    f"The dense network gets {accuracy_real:.1%} of the test digits right in "
    f"both cases, with the same predictions."
)

plt.show()
