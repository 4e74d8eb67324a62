r"""
Convolution: a kernel sliding over a digit
==========================================

A convolution looks at an image through a small window of weights, the
*kernel* (or filter). At each position it multiplies the pixels under the
window by the weights on top of them and adds everything up:

.. math:: \text{out}[i, j] = \sum_{u=0}^{2} \sum_{v=0}^{2}
   x[i + u,\ j + v]\; K[u, v] .

Then the kernel moves one pixel on and does the same again. The grid of
results is the *feature map*: for every position, how strongly the patch there
matches the kernel. This example slides a 3 × 3 kernel over a real handwritten
zero, step by step, and then compares the feature maps of four hand-made edge
kernels.
"""

# %%
# One kernel, four positions
# --------------------------
# The digit is the first of the 8 × 8 scanned digits of
# :func:`~nnbasics.datasets.digits`, with pixels from 0 (white) to 1 (black).
# The kernel responds to **vertical edges**: its left column has weights +1,
# its right column -1, so it computes (ink on the left) minus (ink on the
# right) of each 3 × 3 patch.
#
# A 3 × 3 kernel fits in 6 positions along each side of an 8 × 8 image
# (:func:`~nnbasics.layers.functional.output_size` computes this), so the
# feature map is 6 × 6. The kernel visits the positions row by row, and each
# visit fills one cell of the map. Below, the top row shows the kernel (the
# orange square) at four of its 36 positions, and the bottom row the feature
# map as far as it is filled at that moment. Red cells are positive, blue ones
# negative.
#
# Look at the second and third snapshots. On the left side of the zero's left
# stroke the ink increases from left to right, and the kernel gives a large
# negative number; two pixels further right the same stroke ends, and it gives
# the same number with a plus sign. Where the stroke runs horizontally, at the
# top and the bottom of the zero, the vertical-edge kernel gives values near 0.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.patches import Rectangle

from nnbasics.datasets import digits
from nnbasics.layers import Conv2D, conv2d_naive, output_size

image = digits().images[0]
vertical_edges = np.array([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])
SIZE = output_size(8, kernel=3, stride=1)  # 6 positions along each side
feature_map = np.zeros((SIZE, SIZE))
for i in range(SIZE):
    for j in range(SIZE):
        patch = image[i : i + 3, j : j + 3]
        feature_map[i, j] = np.sum(patch * vertical_edges)

# One of the positions, in numbers (as grey levels 0-16, easier to read).
patch = image[2:5, 2:5]
print("patch at position (2, 2), grey levels 0-16:")
print((16 * patch).astype(int))
print("times the kernel, grey levels 0-16:")
print((16 * patch * vertical_edges).astype(int))
print(f"sum: {feature_map[2, 2]:.4f} (= {16 * feature_map[2, 2]:.0f} / 16)")

# Okabe-Ito orange: the kernel's window, visible on white and on black pixels.
WINDOW = "#e69f00"
LIMIT = np.abs(feature_map).max()  # one colour scale for every map, 0 = white
SNAPSHOTS = [(0, 0), (2, 0), (2, 2), (5, 5)]


def draw_digit(ax, row, col):
    """The digit, its pixel grid, and the kernel's window at (row, col)."""
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    ax.hlines(np.arange(-0.5, 8), -0.5, 7.5, color="0.75", linewidth=0.5)
    ax.vlines(np.arange(-0.5, 8), -0.5, 7.5, color="0.75", linewidth=0.5)
    window = Rectangle((col - 0.5, row - 0.5), 3, 3, fill=False, edgecolor=WINDOW, linewidth=3)
    ax.add_patch(window)
    ax.set_xlim(-0.6, 7.6)  # room for the whole window at the border
    ax.set_ylim(7.6, -0.6)
    ax.set_axis_off()
    return window


def filled_until(row, col):
    """The feature map with the cells after (row, col) not computed yet (NaN)."""
    visited = np.arange(SIZE * SIZE).reshape(SIZE, SIZE) <= row * SIZE + col
    return np.where(visited, feature_map, np.nan)


def draw_map(ax, row, col):
    """The feature map filled up to (row, col), that cell outlined."""
    # Cells not computed yet are transparent: they show the page.
    shown = ax.imshow(filled_until(row, col), cmap="RdBu_r", vmin=-LIMIT, vmax=LIMIT)
    ax.hlines(np.arange(-0.5, SIZE), -0.5, SIZE - 0.5, color="0.6", lw=0.5)
    ax.vlines(np.arange(-0.5, SIZE), -0.5, SIZE - 0.5, color="0.6", lw=0.5)
    cell = Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor=WINDOW, linewidth=3)
    ax.add_patch(cell)
    ax.set_xlim(-0.6, SIZE - 0.4)
    ax.set_ylim(SIZE - 0.4, -0.6)
    ax.set_axis_off()
    return shown, cell


fig, axes = plt.subplots(
    2, len(SNAPSHOTS), figsize=(8, 4.4), layout="constrained", height_ratios=[8, 6]
)
for column, (row, col) in enumerate(SNAPSHOTS):
    draw_digit(axes[0, column], row, col)
    number = row * SIZE + col + 1
    axes[0, column].set_title(
        f"step {number} of {SIZE * SIZE}\nposition ({row}, {col})", fontsize=9
    )
    shown, _ = draw_map(axes[1, column], row, col)
    axes[1, column].set_title(f"out[{row}, {col}] = {feature_map[row, col]:+.2f}", fontsize=9)
fig.colorbar(shown, ax=axes[1, :], label="feature map value", shrink=0.9)
fig.set_label(
    "Top: an 8 by 8 handwritten zero with a 3 by 3 window at four positions "
    "of the slide, (0, 0), (2, 0), (2, 2) and (5, 5). Bottom: the 6 by 6 "
    "feature map of the vertical-edge kernel, filled in up to each position. "
    f"The left edge of the zero's left stroke gives {feature_map[2, 0]:.2f}, "
    f"its right edge {feature_map[2, 2]:+.2f}."
)

# %%
# Four edge kernels, four feature maps
# ------------------------------------
# A convolutional layer has many kernels, and each makes its own feature map.
# :class:`~nnbasics.layers.Conv2D` holds them in one weight array of shape
# (kernels, channels, 3, 3) and computes all the maps at once. Here we give it
# four hand-made kernels instead of learned ones: edges in the four main
# directions. (A trained network learns its kernels by gradient descent;
# :doc:`what a CNN learns <plot_cnn_filters>` shows what it finds.)
#
# This layer also has ``padding=1``: a border of zeros around the digit lets
# the kernel sit on the edge pixels too. Each map then has the digit's size,
# 8 × 8, and its cell (i, j) belongs to the patch centred on pixel (i, j), so
# the maps can be laid over the digit. The inner 6 × 6 cells are the map we
# filled in above.
#
# Each map lights up where the digit has an edge in its kernel's direction,
# red on one side of a stroke and blue on the other. The vertical-edge map
# sees the two sides of the zero, the horizontal-edge map its top and bottom,
# and each diagonal map the two corners of the zero where the stroke runs in
# its direction.

KERNELS = {
    "vertical edges": vertical_edges,
    "horizontal edges": vertical_edges.T,
    "diagonal edges ↘": np.array([[0.0, 1.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, -1.0, 0.0]]),
    "diagonal edges ↗": np.array([[1.0, 1.0, 0.0], [1.0, 0.0, -1.0], [0.0, -1.0, -1.0]]),
}
conv = Conv2D(1, len(KERNELS), 3, padding=1)
conv.weight.value[:, 0] = list(KERNELS.values())
conv.bias.value[:] = 0.0
maps = conv(image[None, None])[0]  # shape (4, 8, 8)
# Inside the border, the layer computes exactly the sums of the loops above ...
np.testing.assert_allclose(maps[0, 1:-1, 1:-1], feature_map)
# ... and everywhere those of the definition, as loops over kernels and cells.
naive = conv2d_naive(image[None, None], conv.weight.value, conv.bias.value, padding=1)
np.testing.assert_allclose(maps, naive[0])
for name, feature in zip(KERNELS, maps, strict=True):
    print(f"{name:<17} from {feature.min():+.2f} to {feature.max():+.2f}")

# The weights are written on the kernels in a dark blue, not in black: the
# site's dark theme turns black text light grey, but leaves the pictures (and
# this blue) as they are. Pale colours (a weight of 1 is half way to the end
# of the scale) keep the numbers readable.
INK = "#1c2541"
map_limit = np.abs(maps).max()
fig, axes = plt.subplots(
    2, len(KERNELS) + 1, figsize=(8, 3.7), layout="constrained", height_ratios=[3, 8]
)
axes[0, 0].set_axis_off()
draw_digit(axes[1, 0], 0, 0).remove()  # the digit, without the window
axes[1, 0].set_title("the digit", fontsize=9)
for column, (name, kernel) in enumerate(KERNELS.items(), start=1):
    ax = axes[0, column]
    ax.imshow(kernel, cmap="RdBu_r", vmin=-2, vmax=2)
    for (u, v), weight in np.ndenumerate(kernel):
        label = f"{weight:+.0f}" if weight else "0"
        ax.text(v, u, label, ha="center", va="center", fontsize=8, color=INK)
    ax.set_title(name, fontsize=9)
    ax.set_axis_off()
    ax = axes[1, column]
    shown = ax.imshow(maps[column - 1], cmap="RdBu_r", vmin=-map_limit, vmax=map_limit)
    ax.set_axis_off()
fig.colorbar(shown, ax=axes[1, 1:], label="feature map value", shrink=0.9)
fig.set_label(
    "Four 3 by 3 edge kernels with weights +1, 0 and -1 (vertical, horizontal "
    "and the two diagonals) and, below each, its 8 by 8 feature map of the "
    "handwritten zero, drawn on the left. Each map is strong, red on one side "
    "of a stroke and blue on the other, where the zero has an edge in the "
    f"kernel's direction; values range from {maps.min():.2f} to "
    f"{maps.max():.2f}."
)

# %%
# The slide, as an animation
# --------------------------
# To end, the slide of the vertical-edge kernel again, position by position,
# over the first two of its six rows: press play, or step through it with the
# buttons. The window moves along a row, then jumps back to the start of the
# next row, and each stop adds one cell to the map. The other four rows go on
# in the same way.

# Small and plain: every frame is a picture embedded in the page.
fig, (ax_digit, ax_map) = plt.subplots(1, 2, figsize=(4.4, 2.4), dpi=80, width_ratios=[8, 6])
fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.86, wspace=0.15)
window = draw_digit(ax_digit, 0, 0)
shown, cell = draw_map(ax_map, 0, 0)
fig.set_label(
    "Animation: a 3 by 3 window slides over the first two rows of positions "
    "on the handwritten zero, and the 6 by 6 feature map of the vertical-edge "
    "kernel fills in one cell per step."
)


def show_step(step):
    row, col = divmod(step, SIZE)
    window.set_xy((col - 0.5, row - 0.5))
    cell.set_xy((col - 0.5, row - 0.5))
    shown.set_data(filled_until(row, col))
    fig.suptitle(f"position ({row}, {col}): out = {feature_map[row, col]:+.2f}", fontsize=10)
    return window, cell, shown


# Two rows of positions: few frames keep the page light.
animation = FuncAnimation(fig, show_step, frames=2 * SIZE, interval=400)

plt.show()
