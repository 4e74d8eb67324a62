"""Time the docs build: clean, with nothing changed, after editing one page, after editing one example.

Run with ``nox -s bench`` (after the speed benchmark) or ``python tests/bench/docs_build.py``.
The docs and the gallery are copied to a temporary folder first, so the edits never touch the
checkout. The targets on a 2-core machine: clean build <= 120 s, no-change rebuild <= 5 s, one
edited page <= 8 s, every gallery script <= 10 s on its own.

The clean build is broken down into its phases (``docs/_ext/build_phases.py``): start-up,
the gallery, the notebooks, reading the pages, writing them. Before it, the time to create
the docs environment as ``nox -s docs`` does on a new machine (a new virtual environment,
the docs dependencies installed through the constraints file, from pip's cache) is measured
too, and after it every gallery script is run on its own, as a learner runs it, three times
over: the report quotes each script's median.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]
PASSES = 3  # runs of the whole gallery, script by script
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "SOURCE_DATE_EPOCH": "1767225600"}
ENV.pop("MPLBACKEND", None)
PHASES = [  # (name, moment that ends it) as written by docs/_ext/build_phases.py
    ("start-up: Python, Sphinx, extensions, configuration", "started"),
    ("gallery, 2 at a time, with the notebooks alongside", "gallery run"),
    ("notebooks: what is left of them, 2 at a time", "notebooks run"),
    ("reading the pages (and waiting for the explorables)", "pages read"),
    ("writing the HTML, maths rendered", "written"),
]


def build(docs: Path, times: Path | None = None) -> float:
    """Run sphinx-build as ``nox -s docs`` does (without -W, to time even a warning build).

    With ``times``, the build writes the moments between its phases there.
    """
    start = time.time()
    env = {**ENV, "NNBASICS_CACHE": str(docs / "_build" / "experiments")}  # as `nox -s docs` does
    if times is not None:
        env |= {"NNBASICS_BUILD_TIMES": str(times), "NNBASICS_BUILD_START": str(start)}
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
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.time() - start


def environment(folder: Path) -> float:
    """Create the docs environment as ``nox -s docs`` does on a new machine; return the seconds."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [req for req in pyproject["dependency-groups"]["docs"] if isinstance(req, str)]
    start = time.time()
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-c", str(ROOT / ".ci" / "constraints.txt"), str(ROOT), *requirements], check=True)
    return time.time() - start


def gallery_scripts(folder: Path) -> dict[str, list[float]]:
    """Run every gallery script on its own, headless, as a learner would, :data:`PASSES` times.

    One pass runs the scripts one after the other; the result maps each script to its
    seconds in every pass. A single run can be a third slower than usual on a busy machine,
    so the report quotes the median of the passes, with the fastest and the slowest.
    """
    scripts = {
        script.relative_to(ROOT).as_posix(): script
        for script in sorted((ROOT / "gallery").glob("*/plot_*.py"))
    }
    seconds: dict[str, list[float]] = {name: [] for name in scripts}
    for _ in range(PASSES):
        for name, script in scripts.items():
            start = time.time()
            subprocess.run(
                [sys.executable, str(script)],
                check=True,
                cwd=folder,
                env={**ENV, "MPLBACKEND": "Agg"},
                stdout=subprocess.DEVNULL,
            )
            seconds[name].append(time.time() - start)
    return seconds


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder)
        setup = environment(copy / "venv")
        shutil.copytree(
            ROOT / "docs",
            copy / "docs",
            ignore=shutil.ignore_patterns("_build", "auto_gallery", "gen_modules", "generated"),
        )
        shutil.copytree(ROOT / "gallery", copy / "gallery")
        shutil.copytree(ROOT / "tests", copy / "tests")  # the "how it is built" page counts the tests
        docs = copy / "docs"
        times = copy / "build-times.json"
        rows = [("clean build, every page and example executed", build(docs, times), 120.0)]
        moments = json.loads(times.read_text(encoding="utf-8"))
        rows.append(("rebuild, nothing changed", build(docs), 5.0))
        append(docs / "course" / "training.md", "\nOne more sentence for the benchmark.\n")
        rows.append(("rebuild after editing one page", build(docs), 8.0))
        append(copy / "gallery" / "02_activations" / "plot_activation_functions.py", "\n# benchmark edit\n")
        rows.append(("rebuild after editing one example", build(docs), float("nan")))
        scripts = gallery_scripts(copy)
    print(f"Docs build on {os.cpu_count()} cores")
    print(f"{'creating the docs environment (pip cache warm)':52} {setup:7.1f} s  (not part of the build)")
    for name, seconds, target in rows:
        verdict = "" if math.isnan(target) else ("ok" if seconds <= target else "MISSED")
        limit = "" if math.isnan(target) else f"target <= {target:.0f} s"
        print(f"{name:52} {seconds:7.1f} s  {limit} {verdict}")
    print("The clean build, phase by phase:")
    previous = 0.0
    for name, moment in PHASES:
        print(f"  {name:50} {moments[moment] - previous:7.1f} s")
        previous = moments[moment]
    totals = [sum(runs[i] for runs in scripts.values()) for i in range(PASSES)]
    print(
        f"Gallery scripts run on their own, one after the other, {PASSES} times: "
        f"median {statistics.median(totals):.1f} s in all ({min(totals):.1f}-{max(totals):.1f}, target <= 60 s)"
    )
    medians = {name: statistics.median(runs) for name, runs in scripts.items()}
    for name in sorted(medians, key=lambda name: -medians[name])[:5]:
        runs = scripts[name]
        verdict = "ok" if medians[name] <= 10 else "MISSED (target <= 10 s)"
        print(f"  {name:60} median {medians[name]:5.1f} s ({min(runs):.1f}-{max(runs):.1f})  {verdict}")
    print(f"  ... the slowest of {len(scripts)} takes {max(medians.values()):.1f} s (median)")


if __name__ == "__main__":
    main()
