r"""
Padding and stride: where the kernel goes
=========================================

A 3 × 3 kernel cannot be centred on the border pixels of an image: part of
it would hang over the edge. So without help, the feature map is smaller than
the image. Two settings of a convolutional layer decide where the kernel goes:

- **padding** :math:`p` adds :math:`p` rows and columns of zeros around the
  image, so that the kernel can also sit on the border;
- **stride** :math:`s` is the step from one position of the kernel to the
  next.

For an :math:`n \times n` input and a :math:`k \times k` kernel, the feature map
is :math:`m \times m` with

.. math:: m = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1 .

This example draws the positions of the kernel on a 5 × 5 image for three
settings, and the feature map that each gives.
"""

# %%
# Three settings, three feature maps
# ----------------------------------
# In each column, the top picture is the input: the 5 × 5 image in grey, with
# the ring of padding zeros (dashed) around it when there is padding. The
# kernel's first position is the orange square, and its second position, one
# stride further along the row, the blue one. Below is the feature map, with
# the two cells those positions fill in the same colours.
#
# Without padding, the kernel fits in 3 positions along each side: the map is
# 3 × 3, and the border pixels are covered by fewer positions than the middle
# ones. One ring of zeros ("same" padding for a 3 × 3 kernel) gives it 5
# positions, and the map keeps the image's size. A stride of 2 skips every
# other position, and the map shrinks to 3 × 3 again, now covering the whole
# image with half as many steps in each direction.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from nnbasics.layers import Conv2D, output_size

N, K = 5, 3  # a 5 × 5 image, a 3 × 3 kernel
SETTINGS = [(0, 1), (1, 1), (1, 2)]  # (padding, stride)
# Okabe-Ito orange and blue: the first and the second position of the kernel.
FIRST, SECOND = "#e69f00", "#0072b2"
LARGEST = N + 2 * max(p for p, _ in SETTINGS)  # the widest padded input: 7 cells


def cell(ax, row, col, **style):
    """One square cell of a grid, with its top-left corner at (col, row)."""
    ax.add_patch(Rectangle((col, row), 1, 1, **style))


def draw_input(ax, padding, stride):
    """The image (grey), its padding (dashed zeros) and two kernel positions."""
    size = N + 2 * padding
    for row in range(size):
        for col in range(size):
            inside = padding <= row < N + padding and padding <= col < N + padding
            if inside:
                cell(ax, row, col, facecolor="0.8", edgecolor="0.45", linewidth=1)
            else:
                cell(
                    ax,
                    row,
                    col,
                    facecolor="none",
                    edgecolor="0.6",
                    linewidth=1,
                    linestyle=(0, (2, 2)),
                )
                ax.text(
                    col + 0.5, row + 0.5, "0", ha="center", va="center", fontsize=8, color="0.45"
                )
    # The second window is drawn a little inside the first, so both stay visible.
    for position, colour, style, inset in ((0, FIRST, "-", 0.05), (stride, SECOND, "--", 0.16)):
        ax.add_patch(
            Rectangle(
                (position + inset, inset),
                K - 2 * inset,
                K - 2 * inset,
                fill=False,
                edgecolor=colour,
                linewidth=3,
                linestyle=style,
            )
        )
    # Centre every input in the same frame, so that cells have one size.
    margin = (LARGEST - size) / 2
    ax.set_xlim(-margin - 0.1, size + margin + 0.1)
    ax.set_ylim(size + margin + 0.1, -margin - 0.1)
    ax.set_aspect("equal")
    ax.set_axis_off()


def draw_output(ax, m):
    """The m × m feature map, its first two cells in the colours of the kernel."""
    for row in range(m):
        for col in range(m):
            cell(ax, row, col, facecolor="none", edgecolor="0.45", linewidth=1)
    cell(ax, 0, 0, facecolor=FIRST, edgecolor="0.45", linewidth=1)
    cell(ax, 0, 1, facecolor=SECOND, edgecolor="0.45", linewidth=1)
    margin = (N - m) / 2
    ax.set_xlim(-margin - 0.1, m + margin + 0.1)
    ax.set_ylim(m + margin + 0.1, -margin - 0.1)
    ax.set_aspect("equal")
    ax.set_axis_off()


image = np.random.default_rng(0).random((1, 1, N, N))
fig, axes = plt.subplots(
    2, len(SETTINGS), figsize=(8, 5.2), height_ratios=[LARGEST, N], layout="constrained"
)
sizes = []
for column, (padding, stride) in enumerate(SETTINGS):
    m = output_size(N, K, stride, padding)
    # The formula agrees with what a convolutional layer really outputs.
    layer = Conv2D(1, 1, K, stride=stride, padding=padding, rng=0)
    rows, cols = layer(image).shape[2:]
    if (rows, cols) != (m, m):
        message = f"the formula gives {m} × {m}, the Conv2D layer {rows} × {cols}"
        raise RuntimeError(message)
    sizes.append(m)
    draw_input(axes[0, column], padding, stride)
    axes[0, column].set_title(f"padding {padding}, stride {stride}\ninput {N} × {N}", fontsize=10)
    draw_output(axes[1, column], m)
    axes[1, column].set_title(
        f"⌊({N} + {2 * padding} − {K}) / {stride}⌋ + 1 = {m}\nfeature map {m} × {m}", fontsize=10
    )
    print(f"padding {padding}, stride {stride}: feature map {m} × {m}")
fig.set_label(
    "Three ways to slide a 3 by 3 kernel over a 5 by 5 image, with the "
    "kernel's first position in orange and its second in blue, and the feature "
    f"map below each. No padding, stride 1: a {sizes[0]} by {sizes[0]} map. "
    f"Padding 1 (a dashed ring of zeros), stride 1: {sizes[1]} by {sizes[1]}, "
    f"the image's size. Padding 1, stride 2: the kernel jumps two cells and the "
    f"map is {sizes[2]} by {sizes[2]}."
)

plt.show()
