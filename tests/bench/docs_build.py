"""Time the docs build: clean, with nothing changed, after editing one page, after editing one example.

Run with ``nox -s bench`` (after the speed benchmark) or ``python tests/bench/docs_build.py``.
The docs and the gallery are copied to a temporary folder first, so the edits never touch the
checkout. The
targets on a 2-core machine: clean build <= 120 s, no-change rebuild <= 5 s, one edited page
<= 8 s.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[2]
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "SOURCE_DATE_EPOCH": "1767225600"}
ENV.pop("MPLBACKEND", None)


def build(docs: Path) -> float:
    """Run sphinx-build as ``nox -s docs`` does (without -W, to time even a warning build)."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-n",
            "-b",
            "html",
            "-d",
            str(docs / "_build" / "doctrees"),
            str(docs),
            str(docs / "_build" / "html"),
        ],
        check=True,
        env=ENV,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder)
        shutil.copytree(
            ROOT / "docs",
            copy / "docs",
            ignore=shutil.ignore_patterns("_build", "auto_gallery", "gen_modules"),
        )
        shutil.copytree(ROOT / "gallery", copy / "gallery")
        shutil.copytree(ROOT / "tests", copy / "tests")  # the "how it is built" page counts the tests
        docs = copy / "docs"
        rows = [("clean build, every page and example executed", build(docs), 120.0)]
        rows.append(("rebuild, nothing changed", build(docs), 5.0))
        append(docs / "course" / "training.md", "\nOne more sentence for the benchmark.\n")
        rows.append(("rebuild after editing one page", build(docs), 8.0))
        append(copy / "gallery" / "02_activations" / "plot_activation_functions.py", "\n# benchmark edit\n")
        rows.append(("rebuild after editing one example", build(docs), float("nan")))
    print(f"Docs build on {os.cpu_count()} cores")
    for name, seconds, target in rows:
        verdict = "" if math.isnan(target) else ("ok" if seconds <= target else "MISSED")
        limit = "" if math.isnan(target) else f"target <= {target:.0f} s"
        print(f"{name:48} {seconds:7.1f} s  {limit} {verdict}")


if __name__ == "__main__":
    main()
