"""Draw the picture at the top of README.md: a network learning the spiral data.

Run ``python tools/readme_figure.py`` after changing it; it writes
docs/_static/readme-spirals.png (committed, because a README cannot run code).
"""

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import nnbasics
from nnbasics.activations import ReLU
from nnbasics.datasets import spirals
from nnbasics.layers import Dense
from nnbasics.losses import CrossEntropyLoss

OUT = Path(__file__).parents[1] / "docs" / "_static" / "readme-spirals.png"


def main() -> None:
    X, y = spirals(100, 3, rng=0)
    grid = np.linspace(-1.1, 1.1, 300)
    xx, yy = np.meshgrid(grid, grid)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    colours = ["#0072B2", "#E69F00", "#009E73"]  # Okabe-Ito: safe for colour-blind readers
    cmap = mpl.colors.ListedColormap(colours)

    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), layout="constrained")
    linear = nnbasics.Sequential(Dense(2, 3, rng=0))
    network = nnbasics.Sequential(Dense(2, 100, rng=0, init="he"), ReLU(), Dense(100, 3, rng=1))
    for ax, model, name in zip(axes, (linear, network), ("a linear model", "one hidden layer"), strict=True):
        optimizer = nnbasics.optim.SGD(model.parameters(), lr=1.0)
        history = nnbasics.fit(
            model, CrossEntropyLoss(), optimizer, X, y, epochs=300, batch_size=300, verbose=False
        )
        regions = np.argmax(model.forward(points), axis=1).reshape(xx.shape)
        ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5, 2.5], cmap=cmap, alpha=0.25)
        ax.scatter(X[:, 0], X[:, 1], c=[colours[k] for k in y], s=12, edgecolors="white", linewidths=0.4)
        ax.set_title(f"{name}: {history.accuracy[-1]:.0%} of points right")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_aspect("equal")
    fig.savefig(OUT, dpi=100, metadata={"Software": None})


if __name__ == "__main__":
    main()
