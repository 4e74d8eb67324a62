"""Print the single-page build of the course to one PDF with headless Chromium.

Run by ``nox -s pdf``, after ``sphinx-build -b singlehtml -t pdf`` has written
``docs/_build/singlehtml/pdf.html`` (the chapters and the glossary on one page)::

    python docs/print_pdf.py docs/_build/singlehtml docs/_build/pdf/nnbasics-course.pdf

The page is served over HTTP, opened in the light theme, and printed once everything on it is
ready: every image loaded (the site loads them lazily), the web fonts loaded, and the maths
rendered (no element of class ``math`` still holding TeX), whichever renderer the site uses.
The exercises' solutions are opened, so that the paper shows them. Links to pages that are
not in the PDF (gallery, API reference) lead to the published site, named by the page's
canonical address. The browser is ``$CHROMIUM`` or ``/usr/bin/chromium``.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TIMEOUT = 180_000  # ms, for the page to be ready

PREPARE = """() => {
  for (const image of document.images) image.loading = "eager";
  for (const details of document.querySelectorAll("details")) details.open = true;
  const canonical = document.querySelector('link[rel="canonical"]');
  const site = canonical ? new URL(".", canonical.href) : null;
  for (const link of document.querySelectorAll("a[href]")) {
    const href = link.getAttribute("href");
    if (site && !href.startsWith("#") && !/^[a-z]+:/i.test(href)) link.href = new URL(href, site).href;
  }
}"""
READY = """async () => {
  await document.fonts.ready;
  const images = [...document.images].filter((image) => image.getClientRects().length > 0);
  const tex = /^\\s*(\\\\\\(|\\\\\\[|\\$\\$)/;
  return images.every((image) => image.complete && image.naturalWidth > 0)
    && ![...document.querySelectorAll(".math")].some((math) => tex.test(math.textContent));
}"""
# On paper: no "skip to content" link (furo shows it on focus; Chromium prints it on every
# page), no link to report a problem with pdf.html (a page the site does not have), and no
# figure or code block cut in two.
PRINT_CSS = """
.skip-to-content, .report-problem { display: none !important; }
figure, .highlight, .cell_output img { break-inside: avoid; }
"""
FOOTER = (
    '<div style="font-size: 8px; width: 100%; text-align: center; color: #555;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def print_pdf(site: Path, target: Path, page: str = "pdf.html") -> None:
    """Serve ``site``, open ``page`` in Chromium and print it to ``target``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(color_scheme="light")
            context.add_init_script("localStorage.setItem('theme', 'light')")  # furo's choice
            tab = context.new_page()
            tab.goto(f"http://127.0.0.1:{server.server_address[1]}/{page}", wait_until="networkidle")
            tab.add_style_tag(content=PRINT_CSS)
            tab.evaluate(PREPARE)
            tab.wait_for_function(READY, timeout=TIMEOUT, polling=500)
            tab.wait_for_load_state("networkidle")
            target.parent.mkdir(parents=True, exist_ok=True)
            tab.pdf(
                path=target,
                format="A4",
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    print_pdf(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{sys.argv[2]}: {Path(sys.argv[2]).stat().st_size / 1e6:.1f} MB")
