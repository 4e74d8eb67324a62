"""
Pooling: what max and average pooling keep
==========================================

A pooling layer shrinks an image or a feature map. It cuts it into small
blocks, here 2 × 2, and replaces each block by one number: **max pooling**
keeps the largest value of the block, **average pooling** the mean. An 8 × 8
input becomes 4 × 4. Pooling has no weights to learn, and it works on every
channel separately. This example pools a handwritten digit and a feature map,
with :class:`~nnbasics.layers.MaxPool2D` and
:class:`~nnbasics.layers.AvgPool2D`, and measures what pooling does to a digit
that moves by one pixel.
"""

# %%
# Pooling a digit, number by number
# ---------------------------------
# The digit is a handwritten zero from :func:`~nnbasics.datasets.digits`,
# written here as its grey levels, 0 (white) to 16 (black). The orange lines
# cut it into sixteen 2 × 2 blocks, and in each block an orange square marks
# the pixel that max pooling keeps. (When a block holds its maximum twice,
# :class:`~nnbasics.layers.MaxPool2D` keeps the first, row by row.)
#
# Max pooling keeps the darkest pixel of each block. Every block that touches
# the stroke becomes as dark as the stroke, so the stroke gets thicker, and
# the zero's narrow hole, which shares its blocks with the stroke, is filled
# in. Max pooling reports *whether* a block holds something strong, not how
# much of it. Average pooling mixes each block's ink with its white pixels:
# the stroke turns grey where it is thin, and the hole survives as four
# lighter blocks in the middle. Either way, three quarters of the numbers are
# gone.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from nnbasics.activations import ReLU
from nnbasics.datasets import digits
from nnbasics.layers import AvgPool2D, Conv2D, MaxPool2D

data = digits()
grey = 16 * data.images[0]  # the zero, as grey levels 0-16
max_pooled = MaxPool2D(2)(grey[None, None])[0, 0]
average_pooled = AvgPool2D(2)(grey[None, None])[0, 0]
print("max pooling:\n", max_pooled)
print("average pooling:\n", average_pooled)

# The pixel each block keeps: the first maximum of the block, as MaxPool2D.
blocks = grey.reshape(4, 2, 4, 2).transpose(0, 2, 1, 3).reshape(4, 4, 4)
kept = [
    (2 * i + k // 2, 2 * j + k % 2)
    for (i, j), k in np.ndenumerate(blocks.argmax(axis=2))
    if blocks[i, j].max() > 0  # an empty block keeps a 0: nothing to mark
]
np.testing.assert_array_equal(
    [grey[row, col] for row, col in kept], [max_pooled[row // 2, col // 2] for row, col in kept]
)

# Okabe-Ito orange: the blocks, visible on white and on black pixels.
BLOCK = "#e69f00"
# Numbers on the pixels in a dark blue or a cream, not black or white: the
# site's dark theme turns black text light grey, but leaves the pictures (and
# these two colours) as they are.
INK, PAPER = "#1c2541", "#fff4d6"
# Okabe-Ito blue: the blocks on a red feature map.
BLUE = "#0072b2"


def draw(ax, values, title, *, cmap="gray_r", vmax=16, lines=BLOCK, numbers=True):
    """``values`` stretched over the 8 × 8 square, with the 2 × 2 blocks."""
    shown = ax.imshow(values, cmap=cmap, vmin=0, vmax=vmax, extent=(-0.5, 7.5, 7.5, -0.5))
    step = 8 / values.shape[0]  # 1 for the input, 2 for a pooled map
    if numbers:
        for (i, j), value in np.ndenumerate(values):
            ax.text(
                (j + 0.5) * step - 0.5,
                (i + 0.5) * step - 0.5,
                f"{value:g}",
                ha="center",
                va="center",
                fontsize=8 if step == 1 else 9,
                color=PAPER if value > vmax / 2 else INK,
            )
    ax.hlines([1.5, 3.5, 5.5], -0.5, 7.5, color=lines, linewidth=2)
    ax.vlines([1.5, 3.5, 5.5], -0.5, 7.5, color=lines, linewidth=2)
    ax.add_patch(Rectangle((-0.5, -0.5), 8, 8, fill=False, edgecolor=lines, linewidth=2))
    ax.set_xlim(-0.6, 7.6)
    ax.set_ylim(7.6, -0.6)
    ax.set_title(title, fontsize=9)
    ax.set_axis_off()
    return shown


fig, axes = plt.subplots(1, 3, figsize=(8, 3.1), layout="constrained")
draw(axes[0], grey, "the digit, 8 × 8")
for row, col in kept:
    axes[0].add_patch(
        Rectangle((col - 0.4, row - 0.4), 0.8, 0.8, fill=False, edgecolor=BLOCK, linewidth=1.8)
    )
draw(axes[1], max_pooled, "max pooling, 4 × 4")
draw(axes[2], average_pooled, "average pooling, 4 × 4")
fig.set_label(
    "A handwritten zero as 8 by 8 grey levels from 0 to 16, cut into sixteen "
    "2 by 2 blocks, the largest pixel of each block marked; next to it the "
    "4 by 4 results of max pooling, which keeps each block's largest value "
    f"(up to {max_pooled.max():g}), and of average pooling, which keeps the "
    f"block's mean (up to {average_pooled.max():g}). Max pooling makes every "
    "block that touches the stroke dark and fills the zero's hole; average "
    "pooling keeps the hole as four lighter blocks."
)

# %%
# Pooling a feature map
# ---------------------
# In a convolutional network, pooling usually comes after a convolution and a
# ReLU, so what it pools is a feature map. Here the vertical-edge kernel of
# :doc:`the convolution example <plot_convolution_filter>`, with ``padding=1``
# so that its map has the digit's 8 × 8 size, and a ReLU, which keeps its
# positive values: the right-hand edges of the strokes.
#
# Then the same digit moved one pixel to the right. Its feature map moves with
# it: compare the two maps on the left, cell by cell, and almost every edge
# cell has changed. After pooling, an edge that moved *within* its 2 × 2
# block still counts for the same block, so the pooled maps change less: for
# this zero, the move changes the feature map completely (100 %, defined
# below) and either pooled map by about 70 %. Pooling does not make the
# network blind to the shift (an edge that moves into the next block still
# changes the result), but it makes a small shift matter less.
#
# The titles measure the change: the size of the difference between before
# and after, as a fraction of the size of the output before the move (sizes
# are square roots of sums of squares). 100 % means the difference is as
# large as the output itself.

vertical_edges = np.array([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])
conv = Conv2D(1, 1, 3, padding=1)
conv.weight.value[0, 0] = vertical_edges
conv.bias.value[:] = 0.0


def edge_map(images):
    """ReLU of the vertical-edge map, for images of shape (N, 1, 8, 8)."""
    return ReLU()(conv(images))


def moved_right(images):
    """The images moved one pixel to the right; a column of zeros comes in."""
    moved = np.zeros_like(images)
    moved[..., 1:] = images[..., :-1]
    return moved


STAGES = {
    "feature map, 8 × 8": lambda maps: maps,
    "max pooled, 4 × 4": MaxPool2D(2),
    "average pooled, 4 × 4": AvgPool2D(2),
}


def relative_change(stage, images):
    """How much a one-pixel move changes the output of ``stage``, per image.

    The size of the change, as a fraction of the size of the output (both
    measured as the square root of the sum of squares).
    """
    before = stage(edge_map(images)).reshape(len(images), -1)
    after = stage(edge_map(moved_right(images))).reshape(len(images), -1)
    return np.linalg.norm(after - before, axis=1) / np.linalg.norm(before, axis=1)


zero = data.images[:1, None]  # shape (1, 1, 8, 8)
rows = {"the digit": zero, "moved 1 pixel right": moved_right(zero)}
limit = edge_map(zero).max()

fig, axes = plt.subplots(2, 3, figsize=(8, 5.6), layout="constrained")
for row, (row_name, images) in enumerate(rows.items()):
    for column, (name, stage) in enumerate(STAGES.items()):
        values = stage(edge_map(images))[0, 0]
        title = name
        if row == 1:
            change = relative_change(stage, zero)[0]
            title = f"{name}\nchanged by {change:.0%}"
        shown = draw(
            axes[row, column], values, title, cmap="Reds", vmax=limit, lines=BLUE, numbers=False
        )
    axes[row, 0].text(-1.2, 3.5, row_name, rotation=90, ha="center", va="center", fontsize=9)
fig.colorbar(shown, ax=axes, label="value after ReLU", shrink=0.6)
changes = {name: relative_change(stage, zero)[0] for name, stage in STAGES.items()}
for name, change in changes.items():
    print(f"this zero, {name:<22} changed by {change:.0%}")
feature_change, *pooled_changes = changes.values()
assert feature_change >= 0.95  # "completely"
assert all(0.6 <= change <= 0.8 for change in pooled_changes)  # "about 70 %"
fig.set_label(
    "Top: the ReLU of the vertical-edge feature map of a handwritten zero, 8 by "
    "8, and its max-pooled and average-pooled 4 by 4 versions, with the 2 by 2 "
    "blocks drawn. Bottom: the same for the zero moved one pixel to the right. "
    f"The move changes the feature map by {changes['feature map, 8 × 8']:.0%}, "
    f"the max-pooled map by {changes['max pooled, 4 × 4']:.0%} and the "
    f"average-pooled map by {changes['average pooled, 4 × 4']:.0%}."
)

# %%
# Over all the digits
# -------------------
# One digit could be lucky. Here is the same measurement for every digit of
# the data set whose rightmost column is empty, so that moving it loses no
# ink, measured in the same way. Each box holds the middle half of the
# digits, the orange line is the median, and the whiskers and dots show the
# rest.

empty_right = data.images[:, :, -1].max(axis=1) == 0
images = data.images[empty_right][:, None]
print(f"{len(images)} digits with an empty rightmost column")
all_changes = {name: relative_change(stage, images) for name, stage in STAGES.items()}
for name, change in all_changes.items():
    print(f"{name:<22} median change {np.median(change):.0%}")

fig, ax = plt.subplots(figsize=(6.4, 3.2), layout="constrained")
ax.boxplot(
    list(all_changes.values()),
    orientation="horizontal",
    tick_labels=[name.split(",")[0] for name in all_changes],
    widths=0.5,
    medianprops={"color": BLOCK, "linewidth": 2},
    flierprops={"markersize": 3, "markerfacecolor": "0.5", "markeredgewidth": 0},
)
ax.invert_yaxis()  # in the order of the figure above
ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
ax.set_xlabel("change after moving the digit one pixel right")
ax.set_ylabel("output")
ax.set_title(f"{len(images):,} digits: median (orange) and spread", fontsize=10)
ax.grid(axis="x", alpha=0.3)
medians = {name: np.median(change) for name, change in all_changes.items()}
fig.set_label(
    f"Box plots of how much a one-pixel move changes the output, over "
    f"{len(images):,} digits: the median change is "
    f"{medians['feature map, 8 × 8']:.0%} for the feature map, "
    f"{medians['max pooled, 4 × 4']:.0%} after max pooling and "
    f"{medians['average pooled, 4 × 4']:.0%} after average pooling."
)

# %%
# Both kinds of pooling make a one-pixel move matter less, and max pooling
# most: it only reports *whether* a block holds a strong edge, not where in
# the block. None of them makes the move disappear. Stacking several
# convolution and pooling blocks, as real networks do, takes this further:
# each pooling halves the resolution again, and later layers see coarser and
# coarser positions.

plt.show()
