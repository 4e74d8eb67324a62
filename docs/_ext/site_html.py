"""Small fixes to the HTML that Sphinx and sphinx-gallery write, for readers' sake.

- Accessibility: a toctree caption ("The course", "Reference") is written as
  ``<p class="caption" role="heading">`` without the ``aria-level`` that the ARIA heading
  role requires; we add ``aria-level="2"``.
- Page weight: every gallery figure exists twice, for the light and the dark theme, and only
  one of them is shown. Images get ``loading="lazy"``, so the browser fetches an image only
  when it is about to be seen, and never the hidden twin. The gallery's thumbnails (shown in
  the gallery and under every API entry that an example uses) are stored with a palette of 256
  colours instead of full colour: a quarter of the bytes, no difference to see at their size.
- Layout: a gallery figure's ``<img>`` gets the ``width`` and ``height`` of its picture, so
  the browser keeps the figure's place while the lazy image loads (and when the theme swaps
  in the other twin) instead of moving the text below it as it arrives. furo's ``height:
  auto`` and ``max-width: 100%`` still scale it down on a narrow screen, keeping its shape.
- Valid HTML (the Nu HTML checker), for markup that the tools write:

  - furo's sidebar checkboxes carry ``role="switch"``, which requires an ``aria-checked`` that
    nothing updates: they stay plain checkboxes, whose checked state browsers announce;
  - myst-nb puts ``<p>`` titles inside ``<summary>``, where only phrasing content is allowed:
    they become ``<span>`` (custom.css styles them as myst-nb styles the ``<p>``);
  - sphinx-gallery writes a ``tooltip`` attribute, which HTML does not have, and the same
    ``id="sg-tag-list"`` once per section: ``data-tooltip`` (custom.css shows it as
    sphinx-gallery does) and no id;
  - matplotlib's animation player has a ``<style>`` inside the page body: it moves to the head;
  - KaTeX gives the MathML table of an aligned formula an empty ``columnspacing``, which is not
    a valid length: the attribute goes (browsers then use the default spacing, as for "").

- Accessible names: myst-nb labels every hidden cell's toggle ``aria-label="Toggle hidden
  content"``, which hides its visible title ("Solution", "Show code") from screen readers. The
  label is dropped, so the toggle is announced by the title the reader sees.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from PIL import Image
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

IMG_WITHOUT_LOADING = re.compile(r"<img\b(?![^>]*\bloading=)")
SUMMARY = re.compile(r"<summary\b[^>]*>.*?</summary>", re.DOTALL)
BODY_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


FIGURE_IMG = re.compile(r'<img\b(?![^>]*\bwidth=)(?=[^>]*class ?= ?"sphx-glr-single-img")[^>]*>')
IMG_SRC = re.compile(r'\bsrc="([^"]+)"')


@functools.cache
def picture_size(path: Path) -> tuple[int, int]:
    """Width and height in pixels of the picture in ``path``."""
    with Image.open(path) as image:
        return image.size


def with_figure_sizes(text: str, folder: Path) -> str:
    """Give every gallery figure's ``<img>`` of a page in ``folder`` its picture's width and height."""

    def sized(match: re.Match[str]) -> str:
        tag = match.group(0)
        source = IMG_SRC.search(tag)
        file = folder / source.group(1) if source else None
        if file is None or not file.is_file():
            return tag
        width, height = picture_size(file.resolve())
        return tag.replace("<img", f'<img width="{width}" height="{height}"', 1)

    return FIGURE_IMG.sub(sized, text)


def _summary_without_paragraphs(match: re.Match[str]) -> str:
    return re.sub(r"<(/?)p\b", r"<\1span", match.group(0))


def fix_html(text: str) -> str:
    """Apply the fixes listed in the module docstring to one page."""
    text = IMG_WITHOUT_LOADING.sub('<img loading="lazy"', text)
    text = re.sub(r'(<input\b[^>]*\bclass="toctree-checkbox"[^>]*?) role="switch"', r"\1", text)
    text = SUMMARY.sub(_summary_without_paragraphs, text)
    text = text.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    text = text.replace(
        '<div class="sphx-glr-thumbcontainer" tooltip=', '<div class="sphx-glr-thumbcontainer" data-tooltip='
    )
    text = text.replace("<div id='sg-tag-list' class='sphx-glr-tag-list'>", "<div class='sphx-glr-tag-list'>")
    text = re.sub(r'(<mtable\b[^>]*?) columnspacing=""', r"\1", text)
    head, separator, body = text.partition("</head>")
    if separator:
        styles = BODY_STYLE.findall(body)
        if styles:
            body = BODY_STYLE.sub("", body)
            head += "".join(dict.fromkeys(styles))  # the same player style once
        text = head + separator + body
    return text


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


def shrink_thumbnail(path: Path) -> None:
    """Store a full-colour PNG thumbnail with a palette of 256 colours (same picture, fewer bytes)."""
    with Image.open(path) as image:
        if image.mode == "P":  # done in an earlier build
            return
        palette = image.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE)
    palette.save(path, optimize=True)


def fix_pages(app: Sphinx, exception: Exception | None) -> None:
    """Apply :func:`fix_html` and :func:`with_figure_sizes` to every page of the built site, and
    shrink the gallery's thumbnails."""
    if exception is not None or app.builder.format != "html":
        return
    for thumbnail in Path(app.outdir, "_images").glob("sphx_glr_*_thumb.png"):
        shrink_thumbnail(thumbnail)
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = with_figure_sizes(fix_html(text), page.parent)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.set_translator("html", SiteHTMLTranslator, override=True)
    app.set_translator("dirhtml", SiteHTMLTranslator, override=True)
    app.connect("build-finished", fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
