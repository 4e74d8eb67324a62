"""Small fixes to the HTML that Sphinx and sphinx-gallery write, for readers' sake.

- Accessibility: a toctree caption ("The course", "Reference") is written as
  ``<p class="caption" role="heading">`` without the ``aria-level`` that the ARIA heading
  role requires; we add ``aria-level="2"``.
- Page weight: every gallery figure exists twice, for the light and the dark theme, and only
  one of them is shown. Images get ``loading="lazy"``, so the browser fetches an image only
  when it is about to be seen, and never the hidden twin.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

IMG_WITHOUT_LOADING = re.compile(r"<img\b(?![^>]*\bloading=)")


class SiteHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 writer, with an ``aria-level`` on toctree captions."""

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            self.body.append(
                self.starttag(node, "p", "", CLASS="caption", ROLE="heading", **{"aria-level": "2"})
            )
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)


def lazy_images(app: Sphinx, exception: Exception | None) -> None:
    """Add ``loading="lazy"`` to every image of the built HTML pages."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lazy = IMG_WITHOUT_LOADING.sub('<img loading="lazy"', text)
        if lazy != text:
            page.write_text(lazy, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.set_translator("html", SiteHTMLTranslator, override=True)
    app.set_translator("dirhtml", SiteHTMLTranslator, override=True)
    app.connect("build-finished", lazy_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
