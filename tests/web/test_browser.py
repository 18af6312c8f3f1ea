"""End to end in a real browser: Playwright driving Debian's Chromium against `kb serve` (gunicorn) on 127.0.0.1.

Screenshots of every page type at desktop and phone width are saved to `test-artifacts/screenshots/`, and axe-core
checks every page type for WCAG 2.1 A/AA violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from kb.config import Settings
from kb.reindex import reindex
from tests import hostile
from tests.serving import serving

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
PAGE_TYPES = {
    "home": "/",
    "search": "/search?q=social+cooperatives",
    "search-filtered": "/search?region=Masowien&theme=inclusion",
    "search-empty": "/search?q=zzyzzx",
    "practice": "/practices/social-cooperatives-support",
    "region": "/regions/mazovia",
    "theme": "/themes/social-inclusion",
    "about": "/about",
    "not-found": "/practices/social-cooperative-support",
    "bad-request": "/search?page=abc",
    "compare": "/compare?p=inclusive-catering&p=social-cooperatives-support&p=repair-cafe-network"
    "&p=digital-skills-for-seniors&p=rural-products-label&p=microloans-for-social-enterprises",
}
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}


def _need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)")


@pytest.fixture(scope="module")
def server(web_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_chromium()
    with serving(web_settings, tmp_path_factory.mktemp("server") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The mixed folder of tests/hostile.py (broken, hostile and good entries), reindexed, served."""
    base = tmp_path_factory.mktemp("hostile")
    mixed = hostile.build(base)
    settings = Settings(content_dir=mixed.content, index_dir=base / "index")
    assert reindex(settings, full=True).added == len(mixed.good_slugs)
    _need_chromium()
    with serving(settings, base / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    # Nothing may fail in the page, a Content-Security-Policy violation included; only the error pages' own
    # status (a 404 or 400 the test asked for) is reported by the browser as a failed resource.
    assert not [e for e in errors if not re.search(r"status of 40[04]", e)], errors


def test_search_filter_by_typed_region_and_open_a_practice(page: Page, server: str) -> None:
    page.goto(server + "/")
    page.get_by_label("Search practices").fill("cooperatives")
    page.keyboard.press("Enter")
    expect(page.locator("ol.hits mark").first).to_be_visible()
    page.get_by_label("Type a region").fill("Masowien")
    page.get_by_label("Type a region").press("Enter")
    expect(page.locator("ul.chips")).to_contain_text("Region: Mazovia")
    expect(page.locator(".results")).to_contain_text("Showing Mazovia for")
    assert "region=" in page.url  # the state is in the address, so it can be shared
    page.locator("ol.hits h3 a").first.click()
    expect(page.locator("h1")).to_have_text("Support centres for social cooperatives")
    expect(page.locator(".facts")).to_contain_text("Mazovia (Poland)")


def test_ticking_a_facet_applies_it_at_once_with_javascript(page: Page, server: str) -> None:
    page.goto(server + "/search")
    page.get_by_role("checkbox", name="Haskovo").check()
    page.wait_for_url("**region=haskovo**")
    expect(page.locator("ol.hits li.result")).to_have_count(1)


def test_language_switch_is_remembered(page: Page, server: str) -> None:
    page.goto(server + "/search?q=loans")
    page.locator(".langs summary").click()  # the menu is a <details>: it opens without JavaScript
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text("Suchergebnisse")
    page.goto(server + "/about")
    expect(page.locator("h1")).to_have_text("Über diese Wissensdatenbank")


def test_export_downloads_a_csv_of_the_search(page: Page, server: str, tmp_path: Path) -> None:
    page.goto(server + "/search?theme=social-inclusion")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("slug,title,summary") and len(lines) == 3


def test_keyboard_only_search(page: Page, server: str) -> None:
    page.goto(server + "/")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("microloans")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=microloans**")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"  # focus is visible and moves on


def test_hostile_entry_runs_no_script_and_keeps_no_handler(page: Page, server: str) -> None:
    page.goto(server + "/practices/hostile-markdown")
    expect(page.locator("h1")).to_have_text("Social economy law")
    assert page.evaluate("window.__pwned") is None
    handlers = page.evaluate(
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
    )
    assert handlers == []
    hrefs: list[str] = page.evaluate(
        "[...document.querySelectorAll('a[href]')].map(a => a.href.toLowerCase())"
    )
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "vbscript:"))]


@pytest.mark.parametrize("slug", hostile.XSS)
def test_entries_carrying_script_run_none_of_it(page: Page, hostile_server: str, slug: str) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(f"{hostile_server}/practices/{slug}")
    expect(page.locator("h1")).to_be_visible()
    for link in page.locator("main a").all():  # following a link must not run script either
        href = (link.get_attribute("href") or "").strip().lower()
        assert not href.startswith(("javascript:", "vbscript:", "data:")), href
    page.mouse.move(200, 300)  # hover handlers, had any survived
    assert page.evaluate("window.__pwned") is None and dialogs == []
    handlers = page.evaluate(
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
    )
    assert handlers == []
    assert (
        page.evaluate("document.querySelectorAll('iframe, object, embed, svg, style, main script').length")
        == 0
    )


@pytest.mark.parametrize("lang", ["en", "el", "bg", "de"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_passes_axe_and_fits_a_phone(page: Page, server: str, name: str, lang: str) -> None:
    """axe (WCAG 2.1 A and AA) finds nothing, in English and in languages with other scripts and longer words."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = PAGE_TYPES[name] + ("&" if "?" in PAGE_TYPES[name] else "?") + f"lang={lang}"
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(server + url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        shot = f"{name}-{label}.png" if lang == "en" else f"{name}-{lang}-{label}.png"
        page.screenshot(path=str(SHOTS / shot), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        results = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
        )
        assert results.violations_count == 0, results.generate_report()
