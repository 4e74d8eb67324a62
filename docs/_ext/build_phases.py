"""Where a docs build spends its time: start-up, gallery, notebooks, reading, writing.

Used by the docs benchmark (``tests/bench/docs_build.py``, run by ``nox -s bench``). When the
environment variable ``NNBASICS_BUILD_TIMES`` names a file, the moments at which the build
passes from one phase to the next are written there as JSON, in seconds since
``NNBASICS_BUILD_START`` (a ``time.time()`` taken by whoever started the build) or, without
it, since this extension was loaded. Without ``NNBASICS_BUILD_TIMES`` nothing is recorded.

The phases follow the order in which the extensions of ``conf.py`` act on ``builder-inited``:
explorables start their data in the background (priority 100), the notebooks not yet cached
start two at a time in the background and sphinx-gallery runs every example (both at the
default priority 500), the build waits for the notebooks to finish (900); then Sphinx reads
every page, and writes the HTML.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

START = float(os.environ.get("NNBASICS_BUILD_START", time.time()))
MOMENTS: dict[str, float] = {}


def record(name: str) -> Any:
    """An event handler that notes when the build reaches ``name``."""

    def handler(app: Sphinx, *args: Any) -> None:  # noqa: ARG001 - any event's signature
        MOMENTS[name] = round(time.time() - START, 2)

    return handler


def write(app: Sphinx, exception: Exception | None) -> None:  # noqa: ARG001 - the event's signature
    """Note the end of the build and write every moment to ``$NNBASICS_BUILD_TIMES``."""
    MOMENTS["written"] = round(time.time() - START, 2)
    Path(os.environ["NNBASICS_BUILD_TIMES"]).write_text(json.dumps(MOMENTS, indent=1), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    if os.environ.get("NNBASICS_BUILD_TIMES"):
        app.connect("builder-inited", record("started"), priority=1)
        app.connect("builder-inited", record("gallery run"), priority=800)
        app.connect("builder-inited", record("notebooks run"), priority=999)
        app.connect("env-updated", record("pages read"), priority=999)  # after the explorables wait
        app.connect("build-finished", write, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
