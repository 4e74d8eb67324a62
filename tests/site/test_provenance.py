"""What produced each page, and the way to report a problem with it (docs/_ext/provenance.py).

Reads the built HTML; no browser needed. Every page links a new GitHub issue that names the
page's address; every executed page (chapters with code, gallery examples, the Performance
page) ends with the versions and the commit it was built from.
"""

from __future__ import annotations

import re
import subprocess
from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import SITE, site_pages

PAGES = [path for path in site_pages() if path != "404.html" and not path.startswith("_modules/")]
EXECUTED = [
    path
    for path in PAGES
    if (path.startswith("course/") and path != "course/further-reading.html")
    or re.fullmatch(r"auto_gallery/.*/plot_\w+\.html", path)
    or path == "about/performance.html"
]
STAMP = re.compile(r'<p class="verified-with">(.*?)</p>', re.DOTALL)
REPORT = re.compile(r'<p class="report-problem"><a href="([^"]+)">Report a problem with this page</a></p>')
ROOT = Path(__file__).parents[2]


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize("path", PAGES)
def test_page_links_a_new_issue_about_itself(path: str) -> None:
    html = (SITE / path).read_text(encoding="utf-8")
    links = REPORT.findall(html)
    assert len(links) == 1, f"{path}: {len(links)} report links"
    url = urlsplit(links[0].replace("&amp;", "&"))
    assert (url.netloc, url.path) == ("github.com", "/nnbasics/nnbasics/issues/new")
    query = parse_qs(url.query)
    assert query["body"][0].startswith("Page: http")
    assert query["body"][0].split()[1].endswith("/" + path)
    assert query["title"][0].startswith("Problem on the page")


@pytest.mark.parametrize("path", EXECUTED)
def test_executed_page_says_what_produced_it(path: str) -> None:
    html = (SITE / path).read_text(encoding="utf-8")
    stamps = STAMP.findall(html)
    assert len(stamps) == 1, f"{path}: {len(stamps)} verified-with lines"
    text = re.sub(r"<[^>]+>", "", stamps[0])
    commit = git("rev-parse", "HEAD")
    assert f"/commit/{commit}" in stamps[0]
    # This environment has nnbasics and NumPy, not the docs' PyTorch and matplotlib.
    version = r"\d+\.\d+(\.\d+)?\S*"
    expected = (
        rf"Verified with nnbasics {re.escape(metadata.version('nnbasics'))} \(commit {commit[:7]}\), "
        rf"NumPy {re.escape(metadata.version('numpy'))}, PyTorch {version} and matplotlib {version}, "
        rf"on {git('log', '-1', '--format=%cs')}\."
    )
    assert re.fullmatch(expected, text), text


def test_pages_without_code_have_no_stamp() -> None:
    assert "verified-with" not in (SITE / "course" / "further-reading.html").read_text(encoding="utf-8")
    assert "verified-with" not in (SITE / "glossary.html").read_text(encoding="utf-8")
