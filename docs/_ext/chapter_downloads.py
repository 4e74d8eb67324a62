"""Every course chapter as a download: a Jupyter notebook and its MyST Markdown source.

At the top of each chapter (``course/*``), under its title, two links: ``<chapter>.ipynb``
and ``<chapter>.md``, written beside the chapter's page when the site is built. Both are made
by jupytext from the chapter's source, the notebook that myst-nb executes:

- cells tagged ``remove-cell`` (the build-time checks that keep the text honest) are left out;
- the exercises' solutions stay in; their cells (tagged ``hide-cell``, ``hide-input`` or
  ``hide-output``) are collapsed when the notebook opens, with the ``jupyter.source_hidden``
  and ``jupyter.outputs_hidden`` metadata that JupyterLab and Notebook follow.

``nox -s notebooks`` runs every generated notebook where only the nnbasics wheel is installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jupytext
import nbformat
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

CHAPTERS = "course/"
HOW_TO = "run-a-chapter"  # the label of the landing page's section on running a chapter
READ_IN_THIS_BUILD: set[str] = set()
HIDDEN = {
    "hide-cell": ("source_hidden", "outputs_hidden"),
    "hide-input": ("source_hidden",),
    "hide-output": ("outputs_hidden",),
}


def chapter_notebook(source: Path) -> nbformat.NotebookNode:
    """The chapter as a notebook for readers: no ``remove-cell`` cells, hidden cells collapsed."""
    notebook = jupytext.read(source, fmt="md:myst")
    cells = []
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "remove-cell" in tags:
            continue
        for tag, keys in HIDDEN.items():
            if tag in tags:
                cell.metadata.setdefault("jupyter", {}).update(dict.fromkeys(keys, True))
        cells.append(cell)
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # nbformat's are random: two builds would differ
    notebook.cells = cells
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def is_chapter(app: Sphinx, docname: str) -> bool:
    """Whether ``docname`` is a course chapter written as a MyST notebook."""
    if not docname.startswith(CHAPTERS):
        return False
    source = Path(app.env.doc2path(docname))
    return source.suffix == ".md" and source.read_text(encoding="utf-8").startswith(
        "---\nfile_format: mystnb"
    )


def add_download_links(app: Sphinx, doctree: nodes.document) -> None:
    """Put the two download links under the chapter's title.

    On the site they point beside the page; in the single-page build that the PDF is printed
    from, at the published site.
    """
    docname = app.env.docname
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not is_chapter(app, docname):
        return
    if app.builder.name == "singlehtml":
        base = app.config.html_baseurl + docname
        how = nodes.reference("", "how to run it", refuri=f"{app.config.html_baseurl}index.html#{HOW_TO}")
    else:
        base = docname.rpartition("/")[2]
        how = addnodes.pending_xref(
            "", refdomain="std", reftype="ref", reftarget=HOW_TO, refexplicit=True, refwarn=True
        )
        how += nodes.inline("", "how to run it")
    links = nodes.paragraph(classes=["chapter-downloads"])
    links += nodes.Text("Run this chapter yourself: download it as a ")
    links += nodes.reference("", "notebook (.ipynb)", refuri=f"{base}.ipynb")
    links += nodes.Text(" or as ")
    links += nodes.reference("", "MyST Markdown (.md)", refuri=f"{base}.md")
    links += nodes.Text(" (")
    links += how
    links += nodes.Text(").")
    section.insert(1, links)


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Write every chapter's notebook and MyST source beside its HTML page.

    Only where they may have changed: for the chapters Sphinx read in this build (its
    ``env-before-read-docs`` list), and wherever one of the two files is missing.
    """
    if exception is not None or app.builder.name != "html":
        return
    for docname in sorted(app.env.found_docs):
        target = Path(app.outdir) / docname
        present = target.with_suffix(".md").is_file() and target.with_suffix(".ipynb").is_file()
        if (present and docname not in READ_IN_THIS_BUILD) or not is_chapter(app, docname):
            continue
        notebook = chapter_notebook(Path(app.env.doc2path(docname)))
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target.with_suffix(".md"), fmt="md:myst")
        del notebook.metadata["file_format"]  # myst-nb's, meaningless in Jupyter
        jupytext.write(notebook, target.with_suffix(".ipynb"), fmt="ipynb")


def note_pages_to_read(app: Sphinx, env: Any, docnames: list[str]) -> None:  # noqa: ARG001 - the event's signature
    """Remember which pages this build reads: their downloads are written again."""
    READ_IN_THIS_BUILD.clear()
    READ_IN_THIS_BUILD.update(docnames)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-before-read-docs", note_pages_to_read)
    app.connect("doctree-read", add_download_links)
    app.connect("build-finished", write_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
