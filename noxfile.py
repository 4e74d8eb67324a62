"""Every workflow a person runs: ``nox -s tests``, ``nox -s lint`` (and ``nox -l`` lists them).

Each session installs what it needs into its own virtual environment, from the
dependency groups in pyproject.toml, through one constraints file that pins
every version (torch to the 2.13.0 CPU build), so every environment is the same.
"""

from __future__ import annotations

from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = str(ROOT / ".ci" / "constraints.txt")

nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "virtualenv"  # pip finds the local CPU build of torch; uv does not
nox.options.sessions = ["lint", "tests"]


def install(session: nox.Session, *groups: str, editable: bool = True) -> None:
    """Install nnbasics and the given dependency groups, pinned by the constraints file."""
    requirements = [req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)]
    package = ["-e", "."] if editable else ["."]
    session.install("-c", CONSTRAINTS, *package, *requirements)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite: gradients, PyTorch parity, learning results, errors.

    Extra arguments go to pytest: ``nox -s tests -- -k dense -x``.
    """
    install(session, "test")
    session.run("pytest", *session.posargs, env={"OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"})


@nox.session
def lint(session: nox.Session) -> None:
    """Check style with ruff and types with mypy (strict on the package)."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
