"""The explorables (docs/_ext/explorables.py) in the built site, in Chromium, as readers use them.

For every explorable on every page: its data loads only when it scrolls into view; moving each
control with the keyboard changes the picture, the snippet and the description; the snippet is
the one explorable_data.py writes for the state shown; the neuron's numbers equal nnbasics'
Dense + Sigmoid and the capacity network's equal nnbasics' forward pass; axe finds nothing in
the light and the dark theme; the theme switch redraws it; without JavaScript the code for the
starting state stands in; the page with its data stays within 1.5 MiB; no console error, no
request leaves the site. Screenshots go to site-report/screenshots/explorable-*.png.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Browser, Locator, Page

from .conftest import ROOT, SITE, SIZES, Tab, settle, site_pages, transferred
from .test_site import THEMES, WCAG, run_axe, use_theme

sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import explorable_data as ed

from nnbasics.layers import Dense

MIB = 1024 * 1024
PAGE_BUDGET = 1.5 * MIB  # a page with its explorables' data, gzip, first visit
ROOT_MARGIN = 400  # explorables.js starts loading this many pixels before an explorable is in view


def explorables_in_site() -> list[tuple[str, str, str]]:
    """(page, element id, kind) of every explorable in the built site."""
    found = []
    for path in site_pages():
        text = (SITE / path).read_text(encoding="utf-8")
        for tag in re.findall(r'<div class="explorable"[^>]*>', text):
            ident, kind = re.search(r'id="([^"]+)"', tag), re.search(r'data-kind="([^"]+)"', tag)
            if ident and kind:
                found.append((path, ident[1], kind[1]))
    return found


EXPLORABLES = explorables_in_site()
IDS = [f"{kind}-{path}" for path, _, kind in EXPLORABLES]
PAGES_WITH_EXPLORABLES = sorted({path for path, _, _ in EXPLORABLES})


def show(page: Page, ident: str) -> Locator:
    """Scroll the explorable into view and wait until it has drawn itself."""
    root = page.locator(f"#{ident}")
    root.scroll_into_view_if_needed()
    page.wait_for_selector(f"#{ident}.explorable-ready", timeout=15_000)
    return root


def state_of(root: Locator) -> dict[str, float]:
    state: dict[str, float] = json.loads(root.get_attribute("data-state") or "{}")
    return state


def snapshot(root: Locator) -> tuple[str, str, str]:
    """What the reader sees: the picture (SVG and images), the numbers, and the snippet."""
    return (
        root.locator(".explorable-figure").inner_html(),
        root.locator(".explorable-readout").inner_text(),
        root.locator(".explorable-code pre").text_content() or "",
    )


def set_state(root: Locator, state: dict[str, float]) -> None:
    """Put every control at ``state`` as if the reader had moved it."""
    root.evaluate(
        """(root, state) => {
            for (const [key, value] of Object.entries(state)) {
                const radio = root.querySelector(`input[type=radio][data-key="${key}"][value="${value}"]`);
                const input = radio || root.querySelector(`input[data-key="${key}"]`);
                if (radio) radio.checked = true; else input.value = String(value);
                input.dispatchEvent(new Event("input", {bubbles: true}));
            }
        }""",
        state,
    )


def pick(rng: np.random.Generator, values: list[float]) -> float:
    return values[int(rng.integers(len(values)))]


def random_states(kind: str, seed: int, count: int = 3) -> list[dict[str, float]]:
    rng = np.random.default_rng(seed)
    controls = ed.EXPLORABLES[kind].controls
    return [{c.key: pick(rng, c.values()) for c in controls} for _ in range(count)]


def data_of(page: str, kind: str) -> dict[str, Any]:
    """The data file the page loads."""
    html = (SITE / page).read_text(encoding="utf-8")
    src = re.search(rf'data-kind="{kind}" data-src="([^"]+)"', html)
    assert src, f"{page}: no data-src for {kind}"
    return ed.read((SITE / page).parent / src[1])


def test_every_explorable_is_on_a_page() -> None:
    missing = set(ed.EXPLORABLES) - {kind for _, _, kind in EXPLORABLES}
    assert not missing, f"explorables not used on any page: {sorted(missing)}"


@pytest.mark.parametrize(("path", "ident", "kind"), EXPLORABLES, ids=IDS)
def test_data_loads_when_the_explorable_comes_into_view(tab: Tab, path: str, ident: str, kind: str) -> None:
    page, visit = tab.page, tab.go(path)
    requested = "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/explorables/generated/')).length"
    top = page.locator(f"#{ident}").evaluate("e => e.getBoundingClientRect().top")
    if (
        top > page.viewport_size["height"] + ROOT_MARGIN + 50
        and page.locator(".explorable-ready").count() == 0
    ):
        assert page.evaluate(requested) == 0, "the data was loaded before the explorable came into view"
    show(page, ident)
    assert page.evaluate(requested) >= 1
    assert not visit.console_errors, visit.console_errors
    assert not visit.external, visit.external


@pytest.mark.parametrize(("path", "ident", "kind"), EXPLORABLES, ids=IDS)
def test_each_control_changes_picture_and_snippet(tab: Tab, path: str, ident: str, kind: str) -> None:
    """Arrow keys on every slider and radio group: the picture, numbers, snippet and description change."""
    page, visit = tab.page, tab.go(path)
    root = show(page, ident)
    description = root.locator(".explorable-description")
    assert (description.text_content() or "").strip(), "no text alternative for the picture"
    assert root.locator(".explorable-figure").get_attribute("role") == "img"
    assert ed.snippet(kind, state_of(root)) == snapshot(root)[2], "the starting snippet is not the state's"
    for control in ed.EXPLORABLES[kind].controls:
        checked = ":checked" if control.kind == "radio" else ""
        target = root.locator(f"input[data-key='{control.key}']{checked}")
        before, text_before = snapshot(root), description.text_content()
        valuetext = target.get_attribute("aria-valuetext")
        at_end = control.kind != "radio" and float(target.input_value()) >= float(
            target.get_attribute("max") or 0
        )
        target.focus()
        target.press("ArrowLeft" if at_end else "ArrowRight")
        after = snapshot(root)
        assert after[0] != before[0], f"{kind}: moving {control.key} did not change the picture"
        assert after[2] != before[2], f"{kind}: moving {control.key} did not change the snippet"
        assert after[2] == ed.snippet(kind, state_of(root)), f"{kind}: the snippet is not the state's"
        if control.kind != "radio":
            assert target.get_attribute("aria-valuetext") != valuetext, (
                f"{kind}: {control.key} aria-valuetext"
            )
        page.wait_for_function(
            "([e, old]) => e.textContent !== old",
            arg=[description.element_handle(), text_before],
            timeout=3000,
        )
    play = root.locator("button.explorable-play")
    if play.count():  # the play button steps through the path by itself
        before = snapshot(root)
        play.click()
        page.wait_for_timeout(600)
        assert snapshot(root)[2] != before[2], f"{kind}: playing did not move the state"
        assert snapshot(root)[2] == ed.snippet(kind, state_of(root))
    assert not visit.console_errors, visit.console_errors
    assert not visit.external, visit.external


@pytest.mark.parametrize(("path", "ident", "kind"), EXPLORABLES, ids=IDS)
def test_snippet_is_the_state_s_for_random_states(tab: Tab, path: str, ident: str, kind: str) -> None:
    page, visit = tab.page, tab.go(path)
    root = show(page, ident)
    for state in random_states(kind, seed=7):
        set_state(root, state)
        assert state_of(root) == state
        assert snapshot(root)[2] == ed.snippet(kind, state)
    assert not visit.console_errors, visit.console_errors


NEURONS = [e for e in EXPLORABLES if e[2] == "neuron"]


@pytest.mark.parametrize(("path", "ident", "kind"), NEURONS, ids=[f"{p}" for p, _, _ in NEURONS])
def test_neuron_numbers_equal_dense_and_sigmoid(tab: Tab, path: str, ident: str, kind: str) -> None:
    """The page computes z and P(pass) itself: they must be nnbasics' Dense + Sigmoid's."""
    import nnbasics as nb  # noqa: PLC0415 - only these checks need the library
    from nnbasics.activations import Sigmoid  # noqa: PLC0415
    from nnbasics.layers import Dense  # noqa: PLC0415

    X, y = nb.datasets.exam(200, rng=0)
    page, _ = tab.page, tab.go(path)
    root = show(page, ident)
    for state in [ed.NEURON.defaults(), *random_states(kind, seed=8, count=5)]:
        set_state(root, state)
        layer = Dense(4, 1, rng=0)
        layer.weight.value[:] = [state[f"w{i}"] for i in range(4)]
        layer.bias.value[:] = state["b"]
        z = layer(X)[:, 0]
        p = nb.Sequential(layer, Sigmoid())(X)[:, 0]
        result = root.locator(".explorable-result")
        student = int(state["student"])
        np.testing.assert_allclose(
            float(result.get_attribute("data-z") or "nan"), z[student], rtol=1e-12, atol=1e-12
        )
        np.testing.assert_allclose(
            float(result.get_attribute("data-p") or "nan"), p[student], rtol=1e-12, atol=1e-15
        )
        assert int(result.get_attribute("data-right") or -1) == int(np.sum((p > 0.5) == y))


CAPACITIES = [e for e in EXPLORABLES if e[2] == "capacity"]


@pytest.mark.parametrize(("path", "ident", "kind"), CAPACITIES, ids=[f"{p}" for p, _, _ in CAPACITIES])
def test_capacity_boundary_is_nnbasics_forward_pass(tab: Tab, path: str, ident: str, kind: str) -> None:
    """The page draws the network's output from the stored weights: nnbasics' forward pass, same weights."""
    data = data_of(path, kind)
    points = np.random.default_rng(9).uniform([-1.5, -1.0], [2.5, 1.5], size=(6, 2))
    page, _ = tab.page, tab.go(path)
    root = show(page, ident)
    for state in random_states(kind, seed=10):
        set_state(root, state)
        activation = ed.CAPACITY.controls[1].choices[int(state["activation"])].label.lower()
        model = ed.capacity_model(int(ed.CAPACITY_HIDDEN[int(state["hidden"])]), activation)
        w1, b1, w2, b2 = data["runs"][activation][int(state["hidden"])]["snapshots"][int(state["epoch"])]
        first, second = model[0], model[2]
        assert isinstance(first, Dense)
        assert isinstance(second, Dense)
        first.weight.value[:] = np.reshape(w1, first.weight.shape)
        first.bias.value[:] = b1
        second.weight.value[:] = np.reshape(w2, second.weight.shape)
        second.bias.value[:] = b2
        expected = model(points)[:, 0]
        got = [
            root.evaluate("(root, [a, b]) => root.explorableForward(a, b)", list(point)) for point in points
        ]
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    ("size", "themes"),
    [
        pytest.param("desktop", THEMES, id="desktop-light-dark"),
        pytest.param("phone", ("light",), id="phone-light"),
    ],
)
@pytest.mark.parametrize(("path", "ident", "kind"), EXPLORABLES, ids=IDS)
def test_explorable_is_accessible(
    tab: Tab, path: str, ident: str, kind: str, size: str, themes: tuple[str, ...]
) -> None:
    """axe on the drawn explorable, its code open: light and dark at desktop width, light on a phone.

    The dark check turns the reader's colour scheme dark on the same page: furo's theme and
    the explorable follow it live.
    """
    page, visit = tab.page, tab.go(path, theme=themes[0], size=size)
    show(page, ident)
    page.locator(f"#{ident} .explorable-code summary").click()  # the code too
    for theme in themes:
        use_theme(page, theme)  # the explorable redraws in the theme's colours
        results = run_axe(page, options=WCAG, context=f"#{ident}")
        assert results.violations_count == 0, f"{kind} ({theme}, {size}):\n{results.generate_report()}"
    assert not visit.console_errors, visit.console_errors


# The descent map is drawn in viridis, the same in both themes; the others colour their classes per theme.
THEMED = [e for e in EXPLORABLES if e[2] != "descent"][:1]


@pytest.mark.parametrize(("path", "ident", "kind"), THEMED, ids=[f"{k}-{p}" for p, _, k in THEMED])
def test_theme_switch_redraws(tab: Tab, path: str, ident: str, kind: str) -> None:
    page, _ = tab.page, tab.go(path, theme="light")
    root = show(page, ident)
    before = root.locator(".explorable-figure").inner_html()
    page.evaluate("document.body.dataset.theme = 'dark'")
    page.wait_for_function(
        "([e, old]) => e.innerHTML !== old",
        arg=[root.locator(".explorable-figure").element_handle(), before],
    )


@pytest.mark.parametrize(("path", "ident", "kind"), EXPLORABLES, ids=IDS)
def test_without_javascript_the_code_stands_in(
    browser: Browser, base_url: str, path: str, ident: str, kind: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + path)
        root = page.locator(f"#{ident}")
        assert root.locator(".explorable-fallback").is_visible()
        assert not root.locator(".explorable-live").is_visible()
        assert root.locator(".explorable-code pre").text_content() == ed.snippet(
            kind, ed.EXPLORABLES[kind].defaults()
        )
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGES_WITH_EXPLORABLES)
def test_page_with_explorables_stays_light(tab: Tab, path: str, report_dir: Path) -> None:
    page, visit = tab.page, tab.go(path)
    for _, ident, _ in [e for e in EXPLORABLES if e[0] == path]:
        show(page, ident)
    height = page.evaluate("document.body.scrollHeight")
    for top in range(0, height, 500):  # as a reader scrolls through: every lazy image loads
        # "instant": furo scrolls smoothly, and each smooth step took ~0.45 s of animation.
        page.evaluate(f"window.scrollTo({{top: {top}, behavior: 'instant'}})")
        page.wait_for_timeout(30)
    settle(page, visit)
    total = transferred(page)
    data = page.evaluate(
        """() => performance.getEntriesByType('resource').filter(e => e.name.includes('/explorables'))
                 .map(e => [e.name.split('/').pop(), e.transferSize || e.encodedBodySize])"""
    )
    line = f"{path}: {total / 1024:.0f} KiB with the explorables' files {data}\n"
    with (report_dir / "explorable-weights.txt").open("a", encoding="utf-8") as file:
        file.write(line)
    assert total <= PAGE_BUDGET, line
    assert not visit.external, visit.external
    assert not visit.failed, visit.failed


# furo's floating parts (the phone's header, "Back to top", the skip link) would lie across a
# photograph of an explorable taller than the screen: hidden while it is taken.
FLOATING_CHROME = ".mobile-header, .back-to-top, .skip-to-content { visibility: hidden !important; }"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("path", "ident", "kind"), EXPLORABLES, ids=IDS)
def test_screenshots_of_explorables(
    tab: Tab, report_dir: Path, path: str, ident: str, kind: str, size: str
) -> None:
    """The explorable photographed light, then dark on the same page (the reader's scheme).

    The dark theme's pictures above an explorable load when the scheme turns, and shift the
    page: the picture is taken once the page has settled again."""
    page, visit = tab.page, tab.go(path, theme="light", size=size)
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        root = show(page, ident)
        settle(page, visit)  # the other theme's pictures, if any came into view
        root.scroll_into_view_if_needed()
        if theme == THEMES[0]:
            page.wait_for_timeout(400)  # the first description appears after a pause; a redraw's at once
        file = report_dir / "screenshots" / f"explorable-{kind}-{theme}-{size}.png"
        root.screenshot(path=str(file), style=FLOATING_CHROME)
        assert file.stat().st_size > 10_000, f"{file} looks empty"
