"""Pictures of the engine's work: the computation graph of a :class:`~nnbasics.value.Value`.

Needs matplotlib (``pip install nnbasics[plot]``), imported only when a picture is drawn,
so that the rest of nnbasics needs NumPy alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from nnbasics.value import Value

__all__ = ["draw_graph"]


def draw_graph(root: Value, *, ax: object = None) -> Figure:
    """Draw the computation graph of ``root`` as a matplotlib figure.

    Each value is a box showing its label, ``data`` and ``grad``; each
    operation is a circle just above the value it produces. Inputs are at the
    top and ``root`` at the bottom, so the forward pass reads downwards and
    backpropagation upwards. Values used more than once have several arrows
    leaving them: their gradients add up.

    Parameters
    ----------
    root:
        The value whose graph to draw.
    ax:
        A matplotlib ``Axes`` to draw into; a new figure is made if omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure that holds the drawing.
    """
    try:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - matplotlib is optional
        from matplotlib.axes import Axes  # noqa: PLC0415
        from matplotlib.patches import FancyBboxPatch  # noqa: PLC0415
    except ImportError as error:  # pragma: no cover - depends on the environment
        msg = "draw_graph needs matplotlib: pip install matplotlib"
        raise ImportError(msg) from error

    order = root.topological_order()
    level, slot, per_level = _layout(root, order)
    n_levels = max(level.values()) + 1
    widest = max(per_level.values())
    dx, dy = 2.0, 2.0  # distance between neighbouring boxes, in data units
    box_w, box_h, radius = 1.8, 0.85, 0.24

    if ax is None:
        fig, axes = plt.subplots(figsize=(0.8 * dx * widest + 0.4, 0.8 * dy * n_levels + 0.2))
    else:
        if not isinstance(ax, Axes):
            msg = f"draw_graph: ax must be a matplotlib Axes, got {type(ax).__name__}"
            raise TypeError(msg)
        axes = ax
        fig = axes.get_figure()  # type: ignore[assignment]

    def position(node: Value) -> tuple[float, float]:
        lvl = level[id(node)]
        offset = (widest - per_level[lvl]) / 2
        return (slot[id(node)] + offset) * dx, -lvl * dy

    arrow = {"arrowstyle": "->", "color": "#555555", "shrinkA": 0, "shrinkB": 0}
    for node in order:
        x, y = position(node)
        text = f"{node.label}\n" if node.label else ""
        text += f"data {node.data:.4g}\ngrad {node.grad:.4g}"
        axes.add_patch(
            FancyBboxPatch(
                (x - box_w / 2, y - box_h / 2),
                box_w,
                box_h,
                boxstyle="round,pad=0.04",
                facecolor="#dbe9f6",
                edgecolor="#1f4e79",
            )
        )
        axes.text(x, y, text, ha="center", va="center", fontsize=9, color="#0b2540")
        if node.children:
            op_y = y + box_h / 2 + 0.5
            axes.annotate("", xy=(x, y + box_h / 2 + 0.04), xytext=(x, op_y - radius), arrowprops=arrow)
            axes.text(
                x,
                op_y,
                node.op,
                ha="center",
                va="center",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fde3c8", "edgecolor": "#a0522d"},
            )
            for child in node.children:
                cx, cy = position(child)
                axes.annotate("", xy=(x, op_y + radius), xytext=(cx, cy - box_h / 2 - 0.04), arrowprops=arrow)
    axes.set_xlim(-box_w / 2 - 0.2, dx * (widest - 1) + box_w / 2 + 0.2)
    axes.set_ylim(-dy * (n_levels - 1) - box_h / 2 - 0.2, box_h / 2 + 0.2)
    axes.set_aspect("equal")
    axes.axis("off")
    return fig


def _layout(root: Value, order: list[Value]) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Levels (rows) and slots (places in a row) for :func:`draw_graph`.

    ``root`` is on the last level; every other value sits one level above the
    first value that uses it, so each arrow is as short as it can be.
    Returns the level and slot of each value (by ``id``) and how many values
    each level holds.
    """
    level = {id(root): 0}
    for node in reversed(order):  # from the root towards the inputs
        for child in node.children:
            level[id(child)] = min(level.get(id(child), 0), level[id(node)] - 1)
    lowest = min(level.values())
    level = {key: value - lowest for key, value in level.items()}
    slot: dict[int, int] = {}
    per_level: dict[int, int] = {}
    for node in order:
        slot[id(node)] = per_level.get(level[id(node)], 0)
        per_level[level[id(node)]] = slot[id(node)] + 1
    return level, slot, per_level
