"""Small fixes to Sphinx's HTML so that every page passes axe-core's WCAG 2.1 A/AA checks.

- A toctree caption ("The course", "Reference") is written as
  ``<p class="caption" role="heading">`` without the ``aria-level`` that the ARIA heading
  role requires; we add ``aria-level="2"``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


class AccessibleHTMLTranslator(HTML5Translator):
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


def setup(app: Sphinx) -> dict[str, Any]:
    app.set_translator("html", AccessibleHTMLTranslator, override=True)
    app.set_translator("dirhtml", AccessibleHTMLTranslator, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
