"""The course's take-home forms stay in step with the site: the PDF has every chapter.

docs/pdf.md, the root of the PDF (``nox -s pdf``), lists the chapters itself; it must list
those of the landing page, in the same order. (The chapter notebooks are checked by running
them: ``nox -s notebooks``.)
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).parents[1] / "docs"
TOCTREE = re.compile(r"```\{toctree\}\n(.*?)```", re.DOTALL)


def chapters(page: str) -> list[str]:
    """The course/ entries of a page's toctrees, in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    entries = [line.strip() for block in TOCTREE.findall(text) for line in block.splitlines()]
    return [entry for entry in entries if entry.startswith("course/")]


def test_pdf_has_the_landing_page_s_chapters_in_order() -> None:
    expected = sorted(f"course/{path.stem}" for path in (DOCS / "course").glob("*.md"))
    assert sorted(chapters("index.md")) == expected
    assert chapters("pdf.md") == chapters("index.md")


def test_pdf_has_the_glossary() -> None:
    assert "\nglossary\n" in (DOCS / "pdf.md").read_text(encoding="utf-8")
