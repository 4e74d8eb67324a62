"""The ``gallery-figure`` directive: a gallery example's figure, shown where a chapter teaches its idea.

The figures of the course are drawn once, by the scripts in ``gallery/``, and saved by the
gallery's scraper for furo's light and dark themes (``gallery_helpers.light_dark_scraper``).
A chapter shows one of them with::

    :::{gallery-figure} 03_gradient_descent/plot_descent_surface
    :number: 1

    Gradient descent on a bowl: each step goes straight downhill.
    :::

The argument names the example (its theme folder and file name, without ``.py``), ``:number:``
which of its figures (1 for the first; the default), and the content is the caption. The
directive writes a numbered-free ``figure`` with both images, each in a container with class
``only-light`` or ``only-dark`` (furo shows the one that matches the reader's theme), with the
gallery's own alt text and 2x copy for high-density screens, and ends the caption with a link
to the example that draws it, so a reader can see and run the code.

sphinx-gallery runs the examples when the builder starts, before any page is read, so the
images and their alt text (read from the example's generated ``.rst``) exist when this runs.
With ``plot_gallery`` off (``NNBASICS_SKIP_GALLERY=1``) the images are missing: the directive
then says so in a warning rather than failing silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_gallery.directives import imgsgnode

GALLERY_DIR = "auto_gallery"
# One image of the generated example page: its path, then its alt text on the next line.
IMAGE = re.compile(r"\.\. image-sg:: (?P<uri>\S+)\n\s+:alt: (?P<alt>[^\n]*)")


def gallery_images(rst: str) -> dict[str, str]:
    """Every image path of a generated example page, mapped to its alt text (sphinx-gallery escapes it)."""
    return {match["uri"]: match["alt"] for match in IMAGE.finditer(rst)}


class GalleryFigure(SphinxDirective):
    """Show figure ``:number:`` of a gallery example, in the light and the dark theme, with a caption."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "number": directives.positive_int,
        "width": directives.length_or_percentage_or_unitless,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        example = self.arguments[0].removesuffix(".py").strip("/")
        folder, _, stem = example.rpartition("/")
        number = self.options.get("number", 1)
        page = Path(self.env.srcdir) / GALLERY_DIR / folder / f"{stem}.rst"
        if not folder or not (Path(self.env.srcdir).parent / "gallery" / f"{example}.py").is_file():
            msg = f"gallery-figure: no gallery example gallery/{example}.py"
            raise self.error(msg)
        light = f"/{GALLERY_DIR}/{folder}/images/sphx_glr_{stem}_{number:03d}.png"
        dark = light.removesuffix(".png") + "_dark.png"
        images = gallery_images(page.read_text(encoding="utf-8")) if page.is_file() else {}
        if light not in images or dark not in images:
            msg = (
                f"gallery-figure: {example}.py has no figure {number} in the built gallery "
                f"(was the gallery run? found {len(images) // 2} figures)"
            )
            raise self.error(msg)
        self.env.note_dependency(str(page))

        figure = nodes.figure(classes=["gallery-figure"])
        if "width" in self.options:
            figure["width"] = self.options["width"]
        for theme, uri in (("only-light", light), ("only-dark", dark)):
            image = imgsgnode()
            image["uri"] = uri
            image["alt"] = images[uri]
            image["class"] = ["sphx-glr-single-img"]
            hi = uri.removesuffix(".png") + "_2_00x.png"
            image["srcset"] = f"{uri}, {hi} 2.00x"
            figure += nodes.container("", image, classes=[theme])

        caption = nodes.caption()
        if self.content:
            for child in self.parse_content_to_nodes():
                caption.extend(child.children if isinstance(child, nodes.paragraph) else [child])
            caption += nodes.Text(" ")
        target = f"sphx_glr_{GALLERY_DIR}_{folder}_{stem}.py".replace("/", "_")
        link = addnodes.pending_xref(
            "", refdomain="std", reftype="ref", reftarget=target, refexplicit=True, refwarn=True
        )
        link += nodes.inline("", "Code for this figure.")
        caption += link
        figure += caption
        self.add_name(figure)
        return [figure]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("gallery-figure", GalleryFigure)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
