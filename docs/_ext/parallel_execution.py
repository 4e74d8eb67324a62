"""Execute the pages' notebooks two at a time before Sphinx reads them.

myst-nb executes each page's code cells while Sphinx reads that page, one page after
another: on a machine with two cores, one core sits idle for the whole reading phase.
Running ``sphinx-build -j 2`` instead would let two processes write to jupyter-cache's
SQLite file at once, which fails ("database is locked").

So, before reading starts, this extension finds the pages whose code has no entry in the
cache yet, runs them in parallel (each in its own Jupyter kernel, from the page's folder,
as myst-nb would), and stores the results in the cache from this one process. They run
while sphinx-gallery runs the examples: sphinx-gallery runs one folder of examples at a
time, two at a time, so a folder with one example (or one long one) leaves a core idle,
which the notebooks fill. When Sphinx then reads the pages, myst-nb finds every result
in the cache. A page whose execution fails is not stored: myst-nb runs it again while
reading and reports the error as usual. Notebooks are read exactly as myst-nb reads them,
so that the cache keys match.

A page that Sphinx read in an earlier build and that has not changed since is not even
looked at: Sphinx will not read it again, so its code cannot need running. This keeps a
rebuild with nothing changed from parsing every notebook for nothing.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import create_nb_reader
from sphinx.application import Sphinx
from sphinx.environment import CONFIG_OK
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx_gallery.utils import get_md5sum

logger = logging.getLogger(__name__)

WORKERS = 2


def _read(app: Sphinx, path: Path) -> tuple[Any, dict[str, str]] | None:
    """The page as myst-nb reads it (notebook, format), kernel alias applied; None if not a notebook."""
    text = path.read_text(encoding="utf-8")
    nb_config = app.env.mystnb_config
    reader = create_nb_reader(str(path), app.env.myst_config, nb_config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    kernelspec = notebook.metadata.get("kernelspec", {})
    for pattern, alias in (nb_config.kernel_rgx_aliases or {}).items():
        if "name" in kernelspec and re.fullmatch(pattern, kernelspec["name"]):
            kernelspec["name"] = alias
            break
    return notebook, reader.read_fmt


def unchanged_since_read(app: Sphinx, path: Path) -> bool:
    """Whether Sphinx read ``path`` in an earlier build and the file is no newer than that reading.

    Sphinx records when it read each page (``env.all_docs``, in microseconds) and reads a
    page again only if its file is newer, or if the configuration changed.
    """
    env = app.env
    docname = path.relative_to(app.srcdir).with_suffix("").as_posix()
    read_at = env.all_docs.get(docname)
    if env.config_status != CONFIG_OK or read_at is None:
        return False
    modified = -(path.stat().st_mtime_ns // -1_000)  # rounded up, as Sphinx rounds it
    return modified <= read_at


def start_stale_notebooks(app: Sphinx) -> None:
    """Start running every page whose code is not in the cache, ``WORKERS`` at a time, in the background."""
    nb_config = getattr(app.env, "mystnb_config", None)
    if nb_config is None:
        msg = "parallel_execution: list it after myst_nb in conf.py's extensions"
        raise ExtensionError(msg)
    if nb_config.execution_mode != "cache":
        return
    cache = get_cache(nb_config.execution_cache_path)
    stale = []
    for path in sorted(Path(app.srcdir).rglob("*.md")):
        relative = path.relative_to(app.srcdir).as_posix()
        if relative.startswith(("_build/", "_static/", "auto_gallery/", "gen_modules/")):
            continue
        if unchanged_since_read(app, path):
            continue
        read = _read(app, path)
        if read is None:
            continue
        try:
            cache.match_cache_notebook(read[0])
        except KeyError:
            stale.append((path, *read))
    if not stale:
        return
    logger.info("executing %d notebooks, %d at a time, alongside the gallery", len(stale), WORKERS)

    def run(item: tuple[Path, Any, dict[str, str]]) -> tuple[Path, Any, dict[str, str], Any]:
        path, notebook, read_fmt = item
        result = single_nb_execution(
            notebook,
            cwd=str(path.parent),
            allow_errors=nb_config.execution_allow_errors,
            timeout=nb_config.execution_timeout,
            meta_override=True,
        )
        return path, notebook, read_fmt, result

    # Longest first, so that the two workers finish at about the same time.
    stale.sort(key=lambda item: -len(item[0].read_text(encoding="utf-8")))
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    futures = [pool.submit(run, item) for item in stale]
    app.notebooks_job = (pool, futures, time.perf_counter())  # type: ignore[attr-defined]


def store_executed_notebooks(app: Sphinx) -> None:
    """Wait for the notebooks started by :func:`start_stale_notebooks`; put their results in the cache."""
    job = getattr(app, "notebooks_job", None)
    if job is None:
        return
    pool, futures, start = job
    app.notebooks_job = None  # type: ignore[attr-defined]
    wait_start = time.perf_counter()
    results = [future.result() for future in futures]
    pool.shutdown()
    waited = time.perf_counter() - wait_start
    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    for path, notebook, read_fmt, result in results:  # one writer for the SQLite file: this thread
        if result.err is not None:
            logger.info("%s: execution failed; it runs again while reading", path.name)
            continue
        record = cache.add_nb_to_project(str(path), read_data=read_fmt)
        cache.cache_notebook_bundle(
            CacheBundleIn(notebook, record.uri, data={"execution_seconds": result.time}),
            check_validity=False,
            overwrite=True,
        )
        logger.info("%s: executed in %.1f s", path.relative_to(app.srcdir), result.time)
    logger.info(
        "executed %d notebooks in %.1f s; after the gallery, the build waited %.1f s for them",
        len(results),
        time.perf_counter() - start,
        waited,
    )


def gallery_workers_only_if_needed(app: Sphinx) -> None:
    """Run the gallery without worker processes when every example's output is up to date.

    sphinx-gallery reruns an example only when its script changed (the md5 of its text, kept
    beside the copy in ``auto_gallery/``), but with ``parallel`` set it starts its worker
    processes for every folder anyway: most of a second of a rebuild in which nothing runs.
    The setting is changed here, after sphinx-gallery has read its configuration and before it
    runs the examples, so that the configuration Sphinx compares between builds stays the same.
    """
    conf = app.config.sphinx_gallery_conf
    for source_dir, target_dir in zip(conf["examples_dirs"], conf["gallery_dirs"], strict=True):
        source = (Path(app.srcdir) / source_dir).resolve()
        for script in source.rglob("plot_*.py"):
            copy = Path(app.srcdir) / target_dir / script.relative_to(source)
            checksum = copy.parent / (copy.name + ".md5")
            if not checksum.is_file() or checksum.read_text() != get_md5sum(script, mode="t"):
                return  # an example will run: keep the workers
    conf["parallel"] = False


def setup(app: Sphinx) -> dict[str, Any]:
    """Start the notebooks before sphinx-gallery runs the examples; store them after.

    Both handlers of ``builder-inited`` that matter here have the default priority (500):
    myst-nb's, which sets up the configuration read here, and sphinx-gallery's, which runs
    the examples. Handlers of one priority run in the order the extensions were set up, and
    conf.py lists myst_nb, then this extension, then sphinx_gallery.
    """
    app.connect("builder-inited", gallery_workers_only_if_needed, priority=400)  # after its own, at 10
    app.connect("builder-inited", start_stale_notebooks, priority=500)
    app.connect("builder-inited", store_executed_notebooks, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
