"""Run chapter notebooks top to bottom, as a reader who downloaded them would.

Run by ``nox -s notebooks`` with the Python of a fresh environment that holds only the
nnbasics wheel with its ``plot`` extra, torch, ipykernel and nbclient. Each notebook runs in
an empty temporary folder; the first error in a notebook fails it, and every notebook is run.

    python run_notebooks.py docs/_build/html/course/*.ipynb
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

TIMEOUT = 600  # seconds per cell


def check_cells(notebook: nbformat.NotebookNode) -> str | None:
    """What is wrong with the cells as readers get them: build-time checks kept, solutions shown."""
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "remove-cell" in tags:
            return f"a remove-cell cell is in the download:\n{cell.source}"
        solution = cell.metadata.get("mystnb", {}).get("code_prompt_show") == "Solution"
        if solution and not cell.metadata.get("jupyter", {}).get("source_hidden"):
            return f"a solution is not hidden:\n{cell.source}"
    return None


def run(path: Path) -> str | None:
    """Check and execute one notebook; the error, or ``None`` if every cell ran."""
    notebook = nbformat.read(path, as_version=4)
    problem = check_cells(notebook)
    if problem is not None:
        return problem
    with tempfile.TemporaryDirectory() as folder:
        client = NotebookClient(
            notebook, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": folder}}
        )
        try:
            client.execute()
        except CellExecutionError as error:
            return str(error)
    return None


def main(paths: list[Path]) -> int:
    """Run every notebook and report; the number of failures is the exit status."""
    if not paths:
        sys.stderr.write("no notebooks given: build the site first (`nox -s docs`)\n")
        return 1
    failures = 0
    for path in paths:
        start = time.perf_counter()
        error = run(path)
        seconds = time.perf_counter() - start
        sys.stdout.write(f"{'ok  ' if error is None else 'FAIL'} {path.name} ({seconds:.0f} s)\n")
        if error is not None:
            failures += 1
            sys.stdout.write(f"{error}\n")
        sys.stdout.flush()
    return failures


if __name__ == "__main__":
    sys.exit(main([Path(arg) for arg in sys.argv[1:]]))
