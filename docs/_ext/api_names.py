"""The API pages name every class by the path a learner imports it from.

``Dense`` is defined in ``nnbasics/layers/dense.py`` but imported as
``from nnbasics.layers import Dense``, and documented as ``nnbasics.layers.Dense``. autodoc
names a base class by where it is defined (``nnbasics.layers.base.Layer``), a name that
the pages do not document; this hook gives the shortest importable name instead.
"""

from __future__ import annotations

import importlib
from typing import Any

from sphinx.application import Sphinx


def public_name(cls: type) -> str:
    """``nnbasics.layers.base.Layer`` -> ``nnbasics.layers.Layer``: the shortest package that exports it."""
    parts = cls.__module__.split(".")
    for end in range(1, len(parts) + 1):
        package = ".".join(parts[:end])
        if getattr(importlib.import_module(package), cls.__qualname__, None) is cls:
            return f"{package}.{cls.__qualname__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def public_bases(_app: Sphinx, _name: str, _obj: object, _options: object, bases: list[Any]) -> None:
    """Replace each of this project's base classes by a reference to its public name."""
    for index, base in enumerate(bases):
        if isinstance(base, type) and base.__module__.startswith("nnbasics."):
            bases[index] = f":py:class:`~{public_name(base)}`"


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("autodoc-process-bases", public_bases)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
