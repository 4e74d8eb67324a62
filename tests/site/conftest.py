"""Fixtures for the checks of the built site: a local web server and headless Chromium.

The site must already be built (``nox -s docs``); ``nox -s site`` runs these checks. The
browser is Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``), driven by Playwright,
which cannot download a browser of its own on these machines.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import shutil
import statistics
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urljoin

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    sync_playwright,
)

if TYPE_CHECKING:
    from xdist.workermanage import WorkerController

ROOT = Path(__file__).parents[2]
SITE = Path(os.environ.get("NNBASICS_SITE", ROOT / "docs" / "_build" / "html"))
REPORT = Path(os.environ.get("NNBASICS_SITE_REPORT", ROOT / "site-report"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
KIB = 1024
BUDGET_WITHOUT_MATHS = 300 * KIB  # median page without maths, with its assets, on a first visit
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def site_pages() -> list[str]:
    """Every HTML page of the built site, relative to its root, in a stable order."""
    if not (SITE / "index.html").exists():
        msg = f"no built site at {SITE}: build it first with `nox -s docs`"
        raise pytest.UsageError(msg)
    skipped = ("_static/", "_sources/", "_images/", "_downloads/")
    return sorted(
        path.relative_to(SITE).as_posix()
        for path in SITE.rglob("*.html")
        if not path.relative_to(SITE).as_posix().startswith(skipped)
    )


class _Handler(SimpleHTTPRequestHandler):
    """Serve the site as a static host does: text compressed with gzip, and no request log.

    Read the Docs and GitHub Pages send HTML, CSS, JavaScript and SVG gzip-compressed to
    browsers that accept it, so the page weights measured here are what readers download.
    """

    COMPRESSED = (".html", ".css", ".js", ".svg", ".json", ".txt", ".xml")

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in self.COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing page with the site's own 404 page, as Read the Docs and GitHub Pages do."""
        page = SITE / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The site served on a free port of 127.0.0.1 for the whole test session."""
    handler = functools.partial(_Handler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# How the checks open the site's pages: each visit recorded, nothing loaded from outside.

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@dataclass
class Visit:
    """What happened while one page loaded."""

    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    transferred: int = 0
    has_maths: bool = False
    in_flight: set[Request] = field(default_factory=set)
    requests: int = 0


class Tab:
    """A browser page that records what happens while it loads one site page after another.

    Every non-local request is blocked and recorded, with console errors, failed requests and
    the bytes transferred, in the ``Visit`` of the page loaded last (``go``).
    """

    def __init__(self, page: Page, base_url: str) -> None:
        self.page, self.base_url, self.visit = page, base_url, Visit()
        self.devtools = page.context.new_cdp_session(page)
        page.route("**/*", self._route)
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._failed)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.visit.console_errors.append(str(error)))
        page.on("response", self._response)

    def _route(self, route: Route) -> None:
        if route.request.url.startswith(self.base_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.visit.external.append(route.request.url)
            route.abort()

    def _started(self, request: Request) -> None:
        self.visit.in_flight.add(request)
        self.visit.requests += 1

    def _ended(self, request: Request) -> None:
        self.visit.in_flight.discard(request)

    def _failed(self, request: Request) -> None:
        self._ended(request)
        if request.url not in self.visit.external:
            self.visit.failed.append(f"{request.url} ({request.failure})")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.visit.console_errors.append(message.text)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.visit.failed.append(f"{response.url} ({response.status})")

    def go(self, path: str, *, theme: str = "light", size: str = "desktop") -> Visit:
        """Load ``path`` afresh, in the reader's colour scheme ``theme`` on a screen of ``size``,
        and wait until it has settled: what happened is the returned ``Visit``."""
        self.page.goto("about:blank")  # the last page's requests end before this visit starts counting
        # and what it stored is forgotten: the search remembers its words, to mark them on the next page
        origin = self.base_url.rstrip("/")
        self.devtools.send(
            "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "local_storage,session_storage"}
        )
        self.page.set_viewport_size(SIZES[size])
        self.page.emulate_media(color_scheme=theme)
        self.visit = Visit()
        self.page.goto(urljoin(self.base_url, path), wait_until="load")
        self.visit.has_maths = self.page.locator(".math").count() > 0
        settle(self.page, self.visit)
        self.visit.transferred = transferred(self.page)
        return self.visit


def transferred(page: Page) -> int:
    """The bytes the page and everything it has loaded so far took to arrive (gzip, first visit)."""
    total: int = page.evaluate(
        """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                 .reduce((total, entry) => total + (entry.transferSize || entry.encodedBodySize || 0), 0)"""
    )
    return total


def settle(page: Page, visit: Visit, quiet_ms: int = 100, timeout_ms: int = 15_000) -> None:
    """Wait until the page's fonts are ready and no request has started or run for ``quiet_ms``.

    Playwright's "networkidle" is the same wait with 500 ms of quiet, which over the 350 page
    loads of these checks was minutes of waiting. The pages here start every request while
    they load, or in the first frames after (the explorables' data, the lazy images in view),
    well within 100 ms.
    """
    page.evaluate("document.fonts.ready.then(() => null)")
    quiet, waited, seen = 0, 0, visit.requests
    while quiet < quiet_ms:
        if waited > timeout_ms:
            pending = sorted(request.url for request in visit.in_flight)
            msg = f"{page.url}: requests still running after {timeout_ms} ms: {pending}"
            raise TimeoutError(msg)
        page.wait_for_timeout(20)
        busy = bool(visit.in_flight) or visit.requests != seen
        quiet, waited, seen = (0 if busy else quiet + 20), waited + 20, visit.requests


@pytest.fixture(scope="module")
def tab(browser: Browser, base_url: str) -> Iterator[Tab]:
    """One browser page per worker for a module's checks, with the browser's cache off.

    A new browser context for each check cost about 0.45 s; with the cache off, every load in
    this one is still a first visit (what the page weights measure), and ``Tab.go`` opens each
    page afresh, with the site's storage emptied. The check of the theme toggle, which is
    about what the site stores, opens a context of its own.
    """
    context = browser.new_context(viewport=SIZES["desktop"], color_scheme="light", device_scale_factor=1)
    tab = Tab(context.new_page(), base_url)
    tab.devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    yield tab
    context.close()


@pytest.fixture(scope="session")
def report_dir() -> Path:
    """Where screenshots and the page-weight report go (``site-report/``, not committed)."""
    (REPORT / "screenshots").mkdir(parents=True, exist_ok=True)
    (REPORT / "weights").mkdir(exist_ok=True)
    return REPORT


# The checks of one page share one visit of it (the ``opened`` fixture of test_site.py).


@pytest.hookimpl(trylast=True)  # after pytest has grouped the checks by the page they visit
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the checks that share a page's visit one after the other, in the order they are written.

    pytest runs the checks of one page together, but in an order of its own that changes
    between its versions; the first check written, the load check, must see the page as it
    loaded, before the others change the colour scheme, scroll, or answer the questions.
    """
    pages = {index: page for index, item in enumerate(items) if (page := page_visited_by(item))}
    first_seen: dict[str, int] = {}
    for page in pages.values():
        first_seen.setdefault(page, len(first_seen))
    in_order = iter(sorted(pages, key=lambda index: (first_seen[pages[index]], items[index].location[1])))
    items[:] = [items[next(in_order)] if index in pages else item for index, item in enumerate(items)]


def page_visited_by(item: pytest.Item) -> str | None:
    """The page whose shared visit (``opened``) the check ``item`` takes, if it takes one."""
    callspec = getattr(item, "callspec", None)
    page = callspec.params.get("opened") if callspec else None
    return page if isinstance(page, str) else None


def pytest_xdist_node_collection_finished(node: WorkerController, ids: list[str]) -> None:
    """Stop if ``--dist loadgroup`` would not keep a page's checks on one worker.

    The checks of a page share one visit only if xdist sends them to the same worker: it
    marks them by adding ``@<group>`` to their ids. With pytest 9.2, pytest-xdist 3.8 no longer
    can (pytest-xdist#1386), and nothing failed: every page was loaded twice, once on each
    worker. Hence pytest 9.1 in the constraints.
    """
    if node.config.getvalue("dist") != "loadgroup":
        return
    grouped = [nodeid for nodeid in ids if "test_page_is_accessible[" in nodeid]
    if grouped and not all("@" in nodeid for nodeid in grouped):
        msg = (
            f"pytest-xdist did not group the checks of each page (first: {grouped[0]}): "
            "see pytest-xdist#1386 and the pytest pin in .ci/constraints.txt"
        )
        pytest.exit(msg, returncode=pytest.ExitCode.USAGE_ERROR)


# The page weights. Each page is weighed during its load check (test_site.py), which may run in
# any xdist worker; each writes one row to site-report/weights/. When the run ends, the main
# process gathers the rows into the report and checks the budget of the median page.


_WEIGHTS = pytest.StashKey[tuple[list[str], str | None]]()


def _is_main_process(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)  # before xdist starts its workers
def pytest_sessionstart(session: pytest.Session) -> None:
    if _is_main_process(session.config):
        folder = REPORT / "weights"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (REPORT / "explorable-weights.txt").unlink(missing_ok=True)  # appended to by each check


def page_weight_report() -> tuple[list[str], str | None]:
    """The report's lines, and what is over budget (None if nothing), once every page is weighed."""
    rows = [json.loads(file.read_text()) for file in (REPORT / "weights").glob("*.json")]
    if not rows or len(rows) < len(site_pages()):
        return [], None  # not every page was checked (``-k``, or a failure): no total to judge
    rows.sort(key=lambda row: -row["kib"])
    (REPORT / "page-weights.json").write_text(json.dumps(rows, indent=1))
    lines = ["Page weight with assets, transferred on a first visit:"]
    lines += [f"{row['kib']:9.1f} KiB  {'maths ' if row['maths'] else '      '}{row['page']}" for row in rows]
    maths = [row for row in rows if row["maths"]]
    if maths:
        lines.append(f"Largest page with maths: {maths[0]['page']}, {maths[0]['kib']:.0f} KiB")
    median = statistics.median(row["kib"] * KIB for row in rows if not row["maths"])
    lines.append(f"Median page without maths: {median / KIB:.0f} KiB")
    over = None
    if median > BUDGET_WITHOUT_MATHS:
        over = f"the median page without maths weighs {median / KIB:.0f} KiB > {BUDGET_WITHOUT_MATHS / KIB:.0f} KiB"
    return lines, over


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _is_main_process(session.config):
        return
    lines, over = page_weight_report()
    session.config.stash[_WEIGHTS] = (lines, over)
    if over and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines, over = config.stash.get(_WEIGHTS, ([], None))
    if lines:
        terminalreporter.section("page weights")
        for line in lines:
            terminalreporter.write_line(line)
    if over:
        terminalreporter.write_line(f"FAILED page weight budget: {over}", red=True, bold=True)
