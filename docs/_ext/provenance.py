"""What produced each page, and where to report a problem with it.

- Every executed page (a chapter or other notebook page whose cells ran, a gallery example),
  and the single page that the course PDF is printed from, ends with a line in small print: the nnbasics version and the commit it was built from,
  the versions of NumPy, PyTorch and matplotlib, and the date of that commit. The date is the
  commit's, not the build's, so that two builds of one commit give identical files.
- Every page has a "Report a problem with this page" link (docs/_templates/page.html) that
  opens a new issue in the repository with the page's title and address filled in.
"""

from __future__ import annotations

import functools
import html
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx

import nnbasics

ROOT = Path(__file__).parents[2]


@dataclass(frozen=True)
class Provenance:
    """The versions and the commit that a build ran with."""

    nnbasics: str
    numpy: str
    torch: str
    matplotlib: str
    commit: str | None
    """Full hash of the checked-out commit; ``None`` outside a git checkout."""
    date: str | None
    """The commit's date, ``YYYY-MM-DD``."""
    changed: bool
    """Whether tracked files differ from the commit."""


def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.strip()


@functools.cache
def collect() -> Provenance:
    """The versions installed in this environment and the commit of the checkout (once per build)."""
    commit = _git("rev-parse", "HEAD")
    return Provenance(
        nnbasics=nnbasics.__version__,
        numpy=metadata.version("numpy"),
        torch=metadata.version("torch"),
        matplotlib=metadata.version("matplotlib"),
        commit=commit,
        date=_git("log", "-1", "--format=%cs") if commit else None,
        changed=bool(_git("status", "--porcelain", "--untracked-files=no")) if commit else False,
    )


def stamp(info: Provenance, repository: str) -> nodes.paragraph:
    """The "Verified with" line, as a paragraph with a link to the commit."""
    paragraph = nodes.paragraph(classes=["verified-with"])
    paragraph += nodes.Text(f"Verified with nnbasics {info.nnbasics}")
    if info.commit:
        paragraph += nodes.Text(" (commit ")
        paragraph += nodes.reference(
            "", info.commit[:7], refuri=f"{repository}/commit/{info.commit}", internal=False
        )
        paragraph += nodes.Text(" with uncommitted changes)" if info.changed else ")")
    paragraph += nodes.Text(f", NumPy {info.numpy}, PyTorch {info.torch} and matplotlib {info.matplotlib}")
    paragraph += nodes.Text(f", on {info.date}." if info.date else ".")
    return paragraph


def is_executed(app: Sphinx, doctree: nodes.document, docname: str) -> bool:
    """Whether the page's code ran in this build: a gallery example, or a notebook page with code."""
    if docname.startswith("auto_gallery/"):
        return docname.rpartition("/")[2].startswith("plot_")
    return NbMetadataCollector.get_exec_data(app.env, docname) is not None and any(
        node.get("nb_element") == "cell_code" for node in doctree.findall(nodes.container)
    )


def add_stamp(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Append the "Verified with" line to an executed page, and to the single page of the PDF."""
    whole_course = app.builder.name == "singlehtml" and docname == app.config.root_doc
    if app.builder.format == "html" and (whole_course or is_executed(app, doctree, docname)):
        doctree += stamp(collect(), app.config.html_theme_options["source_repository"])


def report_url(repository: str, title: str, page_url: str) -> str:
    """The address of a new issue about one page, its title and address filled in."""
    query = urlencode({"title": f"Problem on the page “{title}”", "body": f"Page: {page_url}\n\n"})
    return f"{repository}/issues/new?{query}"


def add_report_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Give the page template the address of a new issue about this page."""
    del templatename, doctree
    title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title", ""))) or pagename
    page_url = app.config.html_baseurl + app.builder.get_target_uri(pagename)
    context["report_problem_url"] = report_url(
        app.config.html_theme_options["source_repository"], title, page_url
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", add_stamp)
    app.connect("html-page-context", add_report_link)
    app.add_css_file("provenance.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
