"""The built site, checked the way readers use it: in a real browser, offline, light and dark.

For every page: it loads with no console errors and no failed requests; no request leaves
localhost (such requests are blocked and counted); every image and internal link resolves,
and every figure has the width and height that keep its place while it loads;
every formula arrives rendered (KaTeX's HTML and MathML, written when the site is built; no
maths script is loaded) and no raw ``$$`` is left; axe-core finds no WCAG 2.1 A/AA
violation in the light or the dark theme. Across the site: search finds "backpropagation",
the theme switch works, the page weights stay within budget, and screenshots of key pages
are saved to ``site-report/screenshots`` for review. (test_html.py validates the HTML.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from axe_playwright_python.base import AxeResults
from playwright.sync_api import Browser, Page, Response, expect

from .conftest import KIB, ROOT, SITE, SIZES, Tab, Visit, settle, site_pages

PAGES = site_pages()
BUDGET_WITH_MATHS = 350 * KIB  # every page with maths: its formulas, KaTeX's stylesheet and fonts
# Only violations are reported in detail: axe then skips describing every passing node (faster).
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# The rules whose result depends on colours (axe's "cat.color" at WCAG A/AA). Every other rule
# reads the document, not the theme, so in the dark theme only these need to run again.
WCAG_COLOURS = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    "resultTypes": ["violations"],
}
# What axe runs on a page in each theme: every WCAG A/AA rule light, the colour rules again dark.
AXE_PER_THEME = {"light": WCAG, "dark": WCAG_COLOURS}
KEY_PAGES = [
    "index.html",
    "course/backpropagation.html",
    "course/pytorch.html",
    "auto_gallery/index.html",
    "auto_gallery/03_gradient_descent/plot_descent_surface.html",
    "api/layers.html",
]
# furo's theme follows the reader's colour scheme live, so one visit can check both.
THEMES: tuple[Literal["light"], Literal["dark"]] = ("light", "dark")
# axe-core from npm, pinned in tests/site/axe/package-lock.json (``nox -s site`` installs it).
# axe-playwright-python bundles an older axe (4.12), whose colour rules took twice as long.
AXE_SCRIPT = ROOT / "tests" / "site" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def open_page(
    browser: Browser, base_url: str, path: str, *, theme: str = "light", size: str = "desktop"
) -> tuple[Page, Visit]:
    """Load ``path`` in a browser context of its own (for the check of what the theme toggle stores)."""
    context = browser.new_context(viewport=SIZES[size], color_scheme=theme, device_scale_factor=1)
    page = context.new_page()
    return page, Tab(page, base_url).go(path)


def use_theme(page: Page, theme: str) -> None:
    """Turn the reader's colour scheme to ``theme`` and check that furo's page followed it.

    The scheme's change event fires at the next frame, and whatever redraws on it (the
    explorables) redraws inside it: two frames later the page shows ``theme``.
    """
    page.emulate_media(color_scheme=theme)
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (theme == "light"), f"{page.url}: {theme} not applied"


@cache
def axe_script() -> str:
    """The text of axe-core's script, installed by ``npm ci --prefix tests/site/axe``."""
    if not AXE_SCRIPT.is_file():
        msg = f"no {AXE_SCRIPT}: install axe-core with `npm ci --prefix tests/site/axe` (nox -s site does)"
        raise FileNotFoundError(msg)
    return AXE_SCRIPT.read_text(encoding="utf-8")


def run_axe(page: Page, options: Mapping[str, object], context: str | None = None) -> AxeResults:
    """axe-core's checks on the page as it is now, axe's script added to the page only once."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    results = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )
    return AxeResults(results)


@cache
def ids_in(file: Path) -> frozenset[str]:
    """Every ``id`` and ``name`` anchor of an HTML file."""
    return frozenset(re.findall(r'\b(?:id|name)="([^"]+)"', file.read_text(encoding="utf-8")))


def local_file(url: str, base_url: str) -> Path:
    """The file of the built site that ``url`` points to."""
    path = unquote(urlsplit(url).path)[len(urlsplit(base_url).path) :]
    file = SITE / path
    return file / "index.html" if file.is_dir() or not path else file


@dataclass
class Opened:
    """A page of the site as it was opened for the checks that share one visit."""

    path: str
    page: Page
    visit: Visit


def visits_of(paths: list[str]) -> list[object]:
    """Parameters for ``opened``: one per page, grouped so that a page's checks share a worker."""
    return [pytest.param(path, id=path, marks=pytest.mark.xdist_group(path)) for path in paths]


@pytest.fixture(scope="module", params=visits_of(PAGES))
def opened(request: pytest.FixtureRequest, tab: Tab) -> Opened:
    """Each page opened once, light, for all the checks of that page in this module.

    The fixture is parametrized per page at module scope, so pytest runs a page's checks one
    after the other (in the order they are written here: conftest.py sees to that), and its
    ``xdist_group`` keeps them on one worker (``--dist loadgroup``; conftest.py stops the run
    if xdist would not). The load check only reads the page and runs first; the
    accessibility check then switches the colour scheme, and each later check sets the scheme
    it needs. The chapter checks take the chapters' share of these visits (``indirect``).
    """
    return Opened(request.param, tab.page, tab.go(request.param))


def test_page_loads_offline_with_everything_resolved(opened: Opened, base_url: str, report_dir: Path) -> None:
    """Also weighs the page: a page with maths stays within its budget; the others are summed up
    (their median) by ``conftest.py`` when every page has been weighed, with the weight report."""
    path, page, visit = opened.path, opened.page, opened.visit
    kib = round(visit.transferred / KIB, 1)
    row = {"page": path, "kib": kib, "maths": visit.has_maths}
    (report_dir / "weights" / (path.replace("/", "_") + ".json")).write_text(json.dumps(row))
    if visit.has_maths:
        assert visit.transferred <= BUDGET_WITH_MATHS, (
            f"{path} has maths and weighs {kib:.0f} KiB > {BUDGET_WITH_MATHS / KIB:.0f} KiB"
        )
    assert not visit.external, f"{path} requests outside localhost: {visit.external}"
    assert not visit.console_errors, f"{path} logs errors: {visit.console_errors}"
    assert not visit.failed, f"{path} has failed requests: {visit.failed}"

    images = page.evaluate(
        "() => Array.from(document.images).flatMap(i => [i.src].concat("
        "(i.srcset || '').split(',').map(s => s.trim().split(' ')[0]).filter(Boolean).map(s => new URL(s, document.baseURI).href)))"
    )
    missing_images = [
        src for src in images if src.startswith(base_url) and not local_file(src, base_url).is_file()
    ]
    assert not missing_images, f"{path} shows images that do not exist: {missing_images}"

    links = page.evaluate("() => Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    broken = []
    for link in {link for link in links if link.startswith(base_url)}:
        target = local_file(link, base_url)
        fragment = unquote(urlsplit(link).fragment)
        if not target.is_file() or (fragment and target.suffix == ".html" and fragment not in ids_in(target)):
            broken.append(link)
    assert not broken, f"{path} has broken internal links: {sorted(broken)}"

    if visit.has_maths:
        unrendered = page.locator(".math:not(:has(.katex))").count()
        assert unrendered == 0, f"{path}: {unrendered} formulas were not rendered when the site was built"
        without_mathml = page.locator(".katex:not(:has(math))").count()
        assert without_mathml == 0, f"{path}: {without_mathml} formulas have no MathML for screen readers"
    unsized = page.locator("img.sphx-glr-single-img:not([width][height])").count()
    assert unsized == 0, f"{path}: {unsized} figures without width and height (the page moves as they load)"
    maths_scripts = page.locator("script[src*='katex'], script[src*='mathjax'], script[src*='MathJax']")
    assert maths_scripts.count() == 0, f"{path} loads a maths script: the formulas should arrive rendered"
    text = page.evaluate(
        """() => { const copy = document.body.cloneNode(true);
                   copy.querySelectorAll('pre, code, script, style, textarea').forEach(e => e.remove());
                   return copy.innerText; }"""
    )
    assert "$$" not in text, f"{path} shows raw $$ maths"
    assert "\\(" not in text, f"{path} shows raw \\( maths"


def test_page_is_accessible(opened: Opened) -> None:
    """axe finds no WCAG 2.1 A/AA violation, in the light theme and then, same page, in the dark one.

    The reader's colour scheme switches furo's theme live (its default theme follows the
    system), so one page load serves both checks. The dark theme changes only colours, so
    there axe runs its colour rules again (contrast, links told apart from text).
    """
    path, page = opened.path, opened.page
    reports = {}
    for theme in THEMES:
        use_theme(page, theme)
        results = run_axe(page, options=AXE_PER_THEME[theme])
        reports[theme] = "" if results.violations_count == 0 else results.generate_report()
    assert not any(reports.values()), "\n".join(
        f"{path} ({theme}):\n{r}" for theme, r in reports.items() if r
    )


PLANTED = """<!doctype html><html lang="en"><head><title>Planted faults</title><style>
  body { background: #fff; color: #000; }
  .faint { color: #bbb; }
  @media (prefers-color-scheme: dark) { body { background: #111; color: #eee; } .dark-faint { color: #333; } }
  a { color: #333; text-decoration: none; }
  @media (prefers-color-scheme: dark) { a { color: #ccc; } }
</style></head><body><main>
  <p class="faint">Light grey on white.</p>
  <p class="dark-faint">Dark grey on near black, in the dark theme only.</p>
  <p>A sentence with <a href="#here">a link</a> told apart from the text by a slightly different grey only.</p>
</main></body></html>"""


def test_axe_finds_planted_faults_in_each_theme(browser: Browser) -> None:
    """The accessibility checks can fail: the axe they inject, run with their options, flags
    low contrast and a link that looks like text, and in the dark theme sees the dark colours."""
    page = browser.new_page()
    try:
        page.set_content(PLANTED)
        found = {}
        for theme in THEMES:
            page.emulate_media(color_scheme=theme)
            results = run_axe(page, options=AXE_PER_THEME[theme])
            found[theme] = {
                (violation["id"], node["target"][0])
                for violation in results.response["violations"]
                for node in violation["nodes"]
            }
        assert found["light"] == {("color-contrast", ".faint"), ("link-in-text-block", "a")}, found
        # #bbb on #111 is readable: the dark run sees the dark theme's colours, not the light ones
        assert found["dark"] == {("color-contrast", ".dark-faint"), ("link-in-text-block", "a")}, found
    finally:
        page.close()


CHAPTERS = [path for path in PAGES if path.startswith("course/") and path != "course/further-reading.html"]


@pytest.mark.parametrize("opened", visits_of(CHAPTERS), indirect=True)
def test_chapter_shows_its_figures_in_the_reader_s_theme(opened: Opened) -> None:
    """Every chapter shows at least two figures, each drawn for the theme the reader has chosen.

    One visit for both themes: the reader's colour scheme turns light, then dark (furo's
    default theme follows it live), and every figure is looked at in each.
    """
    path, page = opened.path, opened.page
    # The still pictures inside explorables hide once the explorable is drawn: not counted.
    figures = page.locator("figure.gallery-figure:not(.explorable-static figure)")
    assert figures.count() >= 2, f"{path}: {figures.count()} figures"
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        for index in range(figures.count()):
            figure = figures.nth(index)
            figure.scroll_into_view_if_needed()  # the images load lazily, when about to be seen
            shown = figure.evaluate(
                """f => Promise.all(Array.from(f.querySelectorAll('img'))
                       .filter(img => getComputedStyle(img.parentElement).display !== 'none')
                       .map(img => img.decode().then(() => null, () => null).then(() => ({
                           src: img.getAttribute('src'), alt: img.alt,
                           natural: [img.naturalWidth, img.naturalHeight],
                           declared: [Number(img.getAttribute('width')), Number(img.getAttribute('height'))],
                           shown: [img.clientWidth, img.clientHeight]}))))"""
            )
            assert len(shown) == 1, f"{path}: figure {index + 1} shows {len(shown)} images in {theme}"
            (image,) = shown
            where = f"{path}: figure {index + 1} in {theme}"
            assert ("_dark" in image["src"]) == (theme == "dark"), f"{where} shows {image['src']}"
            assert image["natural"][0] > 0, f"{where} did not load"
            assert image["alt"].strip(), f"{where} has no alt text"
            # its place was kept while it loaded, and it is shown in its own shape
            assert image["declared"] == image["natural"], f"{where}: size {image['declared']} != picture's"
            (width, height), (shown_width, shown_height) = image["natural"], image["shown"]
            assert abs(shown_width * height - shown_height * width) <= width + height, f"{where} is distorted"
    toggles = page.locator("section#exercises details summary")
    labels = {text.strip() for text in toggles.all_inner_texts()}
    assert labels, f"{path}: the exercises have no solution toggles"
    assert all(label.startswith(("Solution", "Hide solution")) for label in labels), labels


@pytest.mark.parametrize("opened", visits_of(CHAPTERS), indirect=True)
def test_self_check_questions_give_feedback(opened: Opened) -> None:
    """Every option of every question answers with its verdict and explanation; numbers are checked."""
    path, page, visit = opened.path, opened.page, opened.visit
    quizzes = page.locator(".quiz")
    assert quizzes.count() >= 3, f"{path}: {quizzes.count()} questions"
    for index in range(quizzes.count()):
        quiz = quizzes.nth(index)
        status = quiz.locator(".quiz-status")
        if quiz.get_attribute("data-kind") == "choice":
            radios = quiz.locator("input[type=radio]")
            assert radios.count() >= 2
            for option in range(radios.count()):
                radio = radios.nth(option)
                option_id = radio.get_attribute("id")
                quiz.locator(f"label[for='{option_id}']").click()
                expected = "Correct." if radio.get_attribute("data-correct") == "true" else "Not quite"
                expect(status, f"{path} question {index + 1}").to_have_text(
                    re.compile("^" + re.escape(expected))
                )
                assert page.locator(f"#{option_id}-why").is_visible()
        else:
            answer = float(quiz.get_attribute("data-answer") or "nan")
            tolerance = float(quiz.get_attribute("data-tolerance") or "0")
            field = quiz.locator("input")
            field.fill(repr(answer + 2 * tolerance + 1))
            field.press("Enter")
            expect(status, f"{path} question {index + 1}").to_have_text(re.compile("^Not quite"))
            field.fill(repr(answer))
            quiz.locator("button.quiz-check").click()
            expect(status, f"{path} question {index + 1}").to_have_text(re.compile(r"^Correct\."))
    assert not visit.console_errors, visit.console_errors


def test_search_finds_backpropagation(tab: Tab) -> None:
    page, visit = tab.page, tab.go("search.html?q=backpropagation")
    page.wait_for_selector("#search-results li", timeout=15_000)
    titles = page.locator("#search-results li a").all_inner_texts()
    assert any("ackpropagation" in title for title in titles), titles
    assert not visit.console_errors


def test_theme_switch_changes_the_colours(browser: Browser, base_url: str) -> None:
    page, _ = open_page(browser, base_url, "index.html")
    try:

        def state() -> tuple[str | None, str]:
            return (
                page.evaluate("document.body.dataset.theme"),
                page.evaluate("getComputedStyle(document.body).backgroundColor"),
            )

        seen = {state()}
        toggle = page.locator("button.theme-toggle:visible").first
        for _ in range(3):  # furo cycles auto -> dark -> light (or auto -> light -> dark)
            toggle.click()
            seen.add(state())
        themes = {theme for theme, _ in seen}
        backgrounds = {background for _, background in seen}
        assert {"light", "dark"} <= themes, seen
        assert len(backgrounds) >= 2, f"the background never changed: {seen}"
    finally:
        page.context.close()


@pytest.mark.parametrize("missing", ["no-such-page.html", "course/deeper/still/missing.html"])
def test_404_page_works_from_any_depth(browser: Browser, base_url: str, missing: str) -> None:
    """A missing page at any depth shows the site's 404 page, styled, with working links."""
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []

    def on_response(r: Response) -> None:
        if r.status >= 400 and r.url != urljoin(base_url, missing):
            failed.append(r.url)

    page.on("response", on_response)
    try:
        response = page.goto(urljoin(base_url, missing), wait_until="networkidle")
        assert response is not None
        assert response.status == 404
        assert page.locator("h1").first.inner_text().startswith("Page not found")
        assert not failed, f"the 404 page at {missing} loads missing files: {failed}"
        # furo's stylesheet applied: the sidebar is laid out, not a bare list
        assert page.locator(".sidebar-drawer").first.is_visible()
        links = page.evaluate("() => Array.from(document.querySelectorAll('a[href]'), a => a.href)")
        # Every link except the skip-to-content link within the page itself.
        missing_url = urljoin(base_url, missing)
        local = [link for link in links if link.startswith(base_url) and not link.startswith(missing_url)]
        assert local
        assert all(local_file(link, base_url).exists() for link in local), local
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", KEY_PAGES)
def test_screenshots_of_key_pages(tab: Tab, report_dir: Path, path: str, size: str) -> None:
    """The key page opens light, is photographed, turns dark (the reader's scheme) and again."""
    if not (SITE / path).exists():
        pytest.skip(f"{path} is not in this build")
    page, visit = tab.page, tab.go(path, theme="light", size=size)
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        settle(page, visit)  # the dark theme's pictures load now
        name = path.replace("/", "_").removesuffix(".html")
        file = report_dir / "screenshots" / f"{name}-{theme}-{size}.png"
        page.screenshot(path=str(file), full_page=False)
        assert file.stat().st_size > 10_000, f"{file} looks empty"
