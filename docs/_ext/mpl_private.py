"""The only place where the docs' helpers read private attributes of matplotlib.

The dark-theme scraper (gallery_helpers.py) needs five facts that matplotlib keeps in
private attributes and offers no public getter for. They are read here alone, through
:func:`private`, and only those listed in :data:`PRIVATE`. Checked against matplotlib
3.11.2 and sphinx-gallery 0.22.1 (.ci/constraints.txt); tests/test_mpl_private.py fails,
naming the attribute, when an upgrade removes one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PRIVATE", "private"]

PRIVATE = {
    ("matplotlib.animation.Animation", "_fig"): "the figure an animation draws",
    ("matplotlib.animation.Animation", "_html_representation"): "to_jshtml()'s cached player",
    ("matplotlib.collections.Collection", "_original_edgecolor"): "the edge colour as given ('face')",
    ("matplotlib.collections.Collection", "_edge_is_mapped"): "whether the edges are colour-mapped",
    ("mpl_toolkits.mplot3d.axis3d.Axis", "_axinfo"): "a 3-D axis's colours for its line and grid",
}
"""Every private attribute read, by (class, attribute), with what it holds."""

_MISSING = object()


def private(obj: Any, name: str, *, default: Any = _MISSING, forget: bool = False) -> Any:
    """``obj.<name>``, a private attribute listed in :data:`PRIVATE`; ``default`` if it is unset.

    ``forget=True`` deletes it after reading (to empty a cache, such as ``to_jshtml()``'s).
    """
    classes = {f"{cls.__module__}.{cls.__qualname__}" for cls in type(obj).__mro__}
    if not any(attribute == name and cls in classes for cls, attribute in PRIVATE):
        msg = f"{type(obj).__name__}.{name} is not in mpl_private.PRIVATE: add it there, with a test"
        raise KeyError(msg)
    value = getattr(obj, name) if default is _MISSING else getattr(obj, name, default)
    if forget and hasattr(obj, name):
        delattr(obj, name)
    return value
