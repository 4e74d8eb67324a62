"""Every course page runs top to bottom as plain Python, and every chapter ends in checked exercises.

The chapters in ``docs/course/`` are MyST-NB notebooks: their ```` ```{code-cell} ```` blocks run
when the site is built. These tests run the same cells without Sphinx or Jupyter, in order, in
one fresh namespace per page, so a page that would break the build fails here first, with the
page's name and the number of the cell that raised. Pages are found by globbing, so a new page is
tested as soon as it exists.
"""

from __future__ import annotations

import re
import sys
import textwrap
import traceback
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import pytest

mpl.use("Agg")  # figures are drawn off screen, whatever MPLBACKEND says

import matplotlib.pyplot as plt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs" / "_ext"))
from quiz_format import check_options, parse_options, quizzes

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


@pytest.mark.slow
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


def section(text: str, title: str) -> str | None:
    """The text from the level-2 heading ``## {title}`` to the next level-2 heading, or ``None``."""
    match = re.search(rf"^## {re.escape(title)}[ \t]*$", text, flags=re.MULTILINE)
    if match is None:
        return None
    rest = text[match.end() :]
    following = re.search(r"^## ", rest, flags=re.MULTILINE)
    return rest if following is None else rest[: following.start()]


def exercise_section(text: str) -> str | None:
    """The text from the ``## Exercises`` heading to the next level-2 heading, or ``None``."""
    return section(text, "Exercises")


def tags(cell: Cell) -> set[str]:
    """The cell's tags, from ``:tags: [a, b]`` or a YAML ``tags: [a, b]`` line."""
    match = re.search(r"^:?tags:\s*\[([^\]]*)\]", cell.options, flags=re.MULTILINE)
    return {tag.strip().strip("'\"") for tag in match.group(1).split(",")} if match else set()


def prompt(cell: Cell) -> str | None:
    """The label of the cell's toggle (myst-nb's cell-level ``code_prompt_show``), if it sets one."""
    match = re.search(r"^\s+code_prompt_show:\s*['\"]?(.*?)['\"]?\s*$", cell.options, flags=re.MULTILINE)
    return match.group(1) if match else None


HIDDEN = {"hide-input", "hide-cell", "remove-input", "remove-cell"}
"""Tags that keep a cell's code out of the reader's way (behind a toggle, or off the page)."""


def visible(cell: Cell) -> bool:
    """Whether the reader sees the cell's code without opening anything."""
    return not tags(cell) & HIDDEN


def code_lines(cell: Cell) -> int:
    """The cell's non-blank lines of code."""
    return sum(1 for line in cell.source.splitlines() if line.strip())


FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")


def prose(text: str) -> str:
    """The page's text without its front matter, code cells, code blocks and directive options."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    kept: list[str] = []
    code_fence: str | None = None  # inside a code cell or code block: skip until this closes it
    directives: list[str] = []  # open backtick directives ({math}, {note}, ...): their text is kept
    for line in text.splitlines():
        stripped = line.strip()
        if code_fence is not None:
            if stripped == code_fence:
                code_fence = None
            continue
        match = FENCE.match(stripped)
        if match:
            fence, info = match.group(1), match.group(2).strip()
            if directives and not info and fence == directives[-1]:
                directives.pop()
            elif info.startswith("{") and not info.startswith("{code-cell}"):
                directives.append(fence)
            else:
                code_fence = fence
            continue
        if not OPTION.match(stripped):
            kept.append(line)
    return "\n".join(kept)


def words(text: str) -> int:
    """Words of prose: maths and markup count as they are written, which slightly overcounts."""
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", prose(text)))


CHAPTERS = [page for page in PAGES if page.name not in WITHOUT_EXERCISES]
CHAPTER_IDS = [page.name for page in CHAPTERS]
MAX_VISIBLE_LINES = 20
MAX_PAGE_CODE = 150
MAX_PAGE_WORDS = 3000
EXAM_CHAPTERS = {
    "the-neuron.md",
    "layers-and-architectures.md",
    "loss-functions.md",
    "gradient-descent.md",
    "backpropagation.md",
    "training.md",
    "overfitting-and-regularisation.md",
}
# An exercise says what kind of work it asks for: "**Exercise 2 (derive).**"
EXERCISE = re.compile(
    r"^\*\*Exercise \d+ \((?P<kind>derive|explain|experiment|compute)\)\.\*\*", re.MULTILINE
)


@pytest.mark.parametrize("page", CHAPTERS, ids=CHAPTER_IDS)
def test_page_has_checked_exercises(page: Path) -> None:
    """A chapter ends in exercises of several kinds; each solution hides behind a toggle named "Solution".

    Code solutions are hidden cells whose toggle says "Solution"; the checks that keep them
    right run in removed cells beside them (the reader studies the solution, not the asserts).
    Written solutions are dropdowns titled "Solution".
    """
    section_text = exercise_section(page.read_text(encoding="utf-8"))
    assert section_text is not None, f"{page.name}: no '## Exercises' section"
    kinds = [match["kind"] for match in EXERCISE.finditer(section_text)]
    assert len(kinds) >= 3, f"{page.name}: write exercises as '**Exercise N (kind).**', found {len(kinds)}"
    assert {"derive", "explain"} & set(kinds), f"{page.name}: no derivation or explanation exercise"
    assert "experiment" in kinds, f"{page.name}: no experiment to run"
    cells = code_cells(section_text)
    for cell in cells:
        if "hide-cell" in tags(cell) or "hide-input" in tags(cell):
            assert prompt(cell) == "Solution", (
                f"{page.name}: the hidden cell at line {cell.line} of the exercises needs the toggle "
                "label 'Solution' (mystnb: code_prompt_show: \"Solution\")"
            )
    checks = [cell for cell in cells if "remove-cell" in tags(cell) and "assert" in cell.source]
    assert len(checks) >= 2, f"{page.name}: at least two solutions need checks in remove-cell cells"
    for title in re.findall(r"^:::+\{dropdown\}\s*(.*)$", section_text, flags=re.MULTILINE):
        assert title.startswith("Solution"), f"{page.name}: a dropdown in the exercises is titled {title!r}"


@pytest.mark.parametrize("page", CHAPTERS, ids=CHAPTER_IDS)
def test_page_reads_like_a_chapter(page: Path) -> None:
    """Figures where the ideas are, short visible code without asserts, a summary before the exercises."""
    text = page.read_text(encoding="utf-8")
    figures = re.findall(r"^:::+\{gallery-figure\}", text, flags=re.MULTILINE)
    assert len(figures) >= 2, f"{page.name}: {len(figures)} gallery figures, at least 2 wanted"
    cells = code_cells(text)
    shown = [cell for cell in cells if visible(cell)]
    for cell in shown:
        assert code_lines(cell) <= MAX_VISIBLE_LINES, (
            f"{page.name}: the visible cell at line {cell.line} has {code_lines(cell)} lines "
            f"(at most {MAX_VISIBLE_LINES}: hide set-up with hide-input, or move it into nnbasics)"
        )
    for cell in cells:
        if "remove-cell" not in tags(cell):
            assert not re.search(r"\bassert", cell.source), (
                f"{page.name}: the cell at line {cell.line} contains an assert; checks go in remove-cell cells"
            )
    visible_code = sum(code_lines(cell) for cell in shown)
    assert visible_code <= MAX_PAGE_CODE, f"{page.name}: {visible_code} lines of visible code"
    assert words(text) <= MAX_PAGE_WORDS, f"{page.name}: {words(text)} words of prose"
    headings = re.findall(r"^## (.*?)\s*$", text, flags=re.MULTILINE)
    assert "Summary" in headings, f"{page.name}: no '## Summary' section"
    assert "Exercises" in headings, f"{page.name}: no '## Exercises' section"
    assert headings.index("Summary") < headings.index("Exercises"), f"{page.name}: the summary comes first"


@pytest.mark.parametrize("name", sorted(EXAM_CHAPTERS))
def test_the_exam_students_carry_the_course(name: str) -> None:
    """The running example appears in every chapter from the neuron to overfitting."""
    assert "exam(" in (COURSE / name).read_text(encoding="utf-8"), f"{name} does not use the exam data"


def test_the_notes_network_is_built_and_trained() -> None:
    """The lesson notes' network, four inputs, one hidden neuron, one output, is built and trained."""
    built = re.compile(r"Dense\(4, 1\b.*?Dense\(1, 1\b", re.DOTALL)
    pages = [page for page in CHAPTERS if built.search(page.read_text(encoding="utf-8"))]
    assert pages, "no chapter builds Sequential(Dense(4, 1), ..., Dense(1, 1), ...)"
    assert any("fit(" in page.read_text(encoding="utf-8") for page in pages), (
        "the 4 -> 1 -> 1 network is never trained"
    )


MIN_QUIZZES = 3


@pytest.mark.parametrize("page", CHAPTERS, ids=CHAPTER_IDS)
def test_page_has_self_check_questions(page: Path) -> None:
    """At least three questions per chapter, each with one right answer and feedback on every option."""
    found = quizzes(page.read_text(encoding="utf-8"))
    assert len(found) >= MIN_QUIZZES, (
        f"{page.name}: {len(found)} self-check questions, {MIN_QUIZZES} wanted "
        "(the quiz directive: see its docstring in docs/_ext/quiz.py)"
    )
    for number, (fields, lines) in enumerate(found, start=1):
        if "answer" in fields:
            assert float(fields["answer"]) == float(fields["answer"]), f"{page.name}: quiz {number}"
            assert float(fields.get("tolerance", "0")) >= 0, f"{page.name}: quiz {number} tolerance"
            assert fields.get("explain"), f"{page.name}: quiz {number} needs :explain:"
        else:
            _, options = parse_options(lines)
            check_options(options)  # raises, naming what is wrong


def test_quiz_format_is_checked() -> None:
    """A question with two right answers, or an option without its explanation, is refused."""
    text = textwrap.dedent(
        """\
        :::{quiz}
        Which?

        - [x] This one.
          : Because.
        - [ ] That one,
          which is long.
          : Because not.
        :::
        """
    )
    ((fields, lines),) = quizzes(text)
    question, options = parse_options(lines)
    assert fields == {}
    assert question == ["Which?", ""]
    assert [(o.text, o.correct, o.why) for o in options] == [
        ("This one.", True, "Because."),
        ("That one, which is long.", False, "Because not."),
    ]
    with pytest.raises(ValueError, match="exactly one correct"):
        check_options([options[0], options[0]])
    options[1].why = ""
    with pytest.raises(ValueError, match="explanation"):
        check_options(options)


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
