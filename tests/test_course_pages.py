"""Every course page runs top to bottom as plain Python, and every chapter ends in checked exercises.

The chapters in ``docs/course/`` are MyST-NB notebooks: their ```` ```{code-cell} ```` blocks run
when the site is built. These tests run the same cells without Sphinx or Jupyter, in order, in
one fresh namespace per page, so a page that would break the build fails here first, with the
page's name and the number of the cell that raised. Pages are found by globbing, so a new page is
tested as soon as it exists.
"""

from __future__ import annotations

import re
import textwrap
import traceback
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import pytest

mpl.use("Agg")  # figures are drawn off screen, whatever MPLBACKEND says

import matplotlib.pyplot as plt

COURSE = Path(__file__).resolve().parent.parent / "docs" / "course"
PAGES = sorted(COURSE.glob("*.md"))
WITHOUT_EXERCISES = {"further-reading.md"}

# An opening fence: three or more backticks (or tildes) followed by {code-cell} and a language.
OPENING = re.compile(r"^(?P<fence>`{3,}|~{3,})\{code-cell\}")
# A short option line such as ":tags: [hide-cell]".
OPTION = re.compile(r"^:[\w-]+:")


@dataclass(frozen=True)
class Cell:
    """One code cell of a page: where it starts, its options and its Python source."""

    number: int
    line: int
    options: str
    source: str


def code_cells(text: str) -> list[Cell]:
    """The page's code cells in order, with the option lines taken off their source.

    Options come either as a ``---``-delimited YAML header or as ``:key: value`` lines at the
    top of the cell; both are returned as ``options`` and removed from ``source``.
    """
    lines = text.splitlines()
    cells: list[Cell] = []
    index = 0
    while index < len(lines):
        match = OPENING.match(lines[index])
        if match is None:
            index += 1
            continue
        fence, start = match["fence"], index + 1
        end = start
        while end < len(lines) and not (
            lines[end].strip().startswith(fence[0] * len(fence)) and set(lines[end].strip()) == {fence[0]}
        ):
            end += 1
        body = lines[start:end]
        options: list[str] = []
        if body and body[0].strip() == "---":
            closing = next(i for i in range(1, len(body)) if body[i].strip() == "---")
            options, body = body[1:closing], body[closing + 1 :]
        while body and OPTION.match(body[0]):
            options.append(body.pop(0))
        cells.append(Cell(len(cells) + 1, start, "\n".join(options), "\n".join(body) + "\n"))
        index = end + 1
    return cells


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every code cell of the page in order, as the site build does."""
    monkeypatch.chdir(tmp_path)  # files a page writes (saved weights) land in a scratch folder
    # In a notebook plt.show() displays the figure; with Agg it would only warn (an error here).
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)
    namespace: dict[str, object] = {"__name__": "__main__"}
    failure = None
    try:
        for cell in code_cells(page.read_text(encoding="utf-8")):
            try:
                code = compile(cell.source, f"{page.name}, cell {cell.number}", "exec")
                exec(code, namespace)  # noqa: S102 - running the page's own code is the test
            except Exception as error:  # noqa: BLE001 - any error (even a SyntaxError) is reported
                details = "".join(traceback.format_exception(error))
                failure = (
                    f"{page.name}: code cell {cell.number} (line {cell.line}) raised "
                    f"{type(error).__name__}: {error}\n\n{details}"
                )
                break
    finally:
        plt.close("all")
    if failure is not None:
        pytest.fail(failure, pytrace=False)


def exercise_section(text: str) -> str | None:
    """The text from the ``## Exercises`` heading to the next level-2 heading, or ``None``."""
    match = re.search(r"^## Exercises[ \t]*$", text, flags=re.MULTILINE)
    if match is None:
        return None
    rest = text[match.end() :]
    following = re.search(r"^## ", rest, flags=re.MULTILINE)
    return rest if following is None else rest[: following.start()]


@pytest.mark.parametrize(
    "page",
    [page for page in PAGES if page.name not in WITHOUT_EXERCISES],
    ids=[page.name for page in PAGES if page.name not in WITHOUT_EXERCISES],
)
def test_page_has_checked_exercises(page: Path) -> None:
    """A chapter ends in exercises whose hidden solutions check themselves with ``assert``."""
    section = exercise_section(page.read_text(encoding="utf-8"))
    assert section is not None, f"{page.name}: no '## Exercises' section"
    solutions = [
        cell for cell in code_cells(section) if "hide-cell" in cell.options and "assert" in cell.source
    ]
    assert len(solutions) >= 2, (
        f"{page.name}: the exercises need at least two solution cells tagged hide-cell "
        f"that contain assert statements, found {len(solutions)}"
    )


def test_code_cells_are_parsed() -> None:
    """Both ways of giving cell options are recognised and kept out of the source."""
    text = textwrap.dedent(
        """\
        Some text.
        ```{code-cell} ipython3
        :tags: [hide-cell]

        assert 1 + 1 == 2
        ```
        ````{code-cell} ipython3
        ---
        tags: [hide-input]
        ---
        x = 1
        ```
        ````
        ```python
        not_a_cell()
        ```
        """
    )
    first, second = code_cells(text)
    assert first.options == ":tags: [hide-cell]"
    assert first.source == "\nassert 1 + 1 == 2\n"
    assert second.options == "tags: [hide-input]"
    assert second.source == "x = 1\n```\n"
    assert (first.number, second.number) == (1, 2)
