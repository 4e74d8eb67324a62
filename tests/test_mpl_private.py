"""The private matplotlib attributes that the docs' dark-theme scraper reads still exist.

docs/_ext/mpl_private.py lists them; after a matplotlib upgrade this test names any that
is gone, before a docs build fails somewhere less clear.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.animation import FuncAnimation

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
from mpl_private import PRIVATE, private


def examples() -> dict[str, object]:
    """One object of every class named in PRIVATE, in the state where the scraper reads it."""
    fig = plt.figure()
    ax3d = fig.add_subplot(1, 2, 1, projection="3d")
    ax = fig.add_subplot(1, 2, 2)
    points = ax.scatter([0, 1], [1, 0], c=[0.2, 0.8])
    line = ax.plot([0, 1], [0, 1])[0]
    animation = FuncAnimation(fig, lambda frame: line.set_ydata([0, frame]), frames=2)
    animation.to_jshtml()
    fig.canvas.draw()
    return {
        "matplotlib.animation.Animation": animation,
        "matplotlib.collections.Collection": points,
        "mpl_toolkits.mplot3d.axis3d.Axis": ax3d.xaxis,
    }


@pytest.mark.parametrize(("owner", "name"), sorted(PRIVATE), ids=lambda part: part.rsplit(".", 1)[-1])
def test_every_private_attribute_still_exists(owner: str, name: str) -> None:
    try:
        obj = examples()[owner]
        assert hasattr(obj, name), (
            f"matplotlib no longer has {owner}.{name} ({PRIVATE[owner, name]}): "
            "docs/_ext/mpl_private.py and gallery_helpers.py need another way to read it"
        )
        assert private(obj, name) is not None or name == "_edge_is_mapped"
    finally:
        plt.close("all")


def test_an_unlisted_private_attribute_is_refused() -> None:
    fig = plt.figure()
    try:
        with pytest.raises(KeyError, match=r"Figure._suptitle is not in mpl_private.PRIVATE"):
            private(fig, "_suptitle")
    finally:
        plt.close(fig)


def test_forget_empties_the_players_cache() -> None:
    fig, ax = plt.subplots()
    line = ax.plot([0, 1], [0, 1])[0]
    try:
        animation = FuncAnimation(fig, lambda frame: line.set_ydata(np.array([0, frame])), frames=2)
        player = animation.to_jshtml()
        assert private(animation, "_html_representation", default=None, forget=True) == player
        assert private(animation, "_html_representation", default=None) is None
    finally:
        plt.close(fig)
