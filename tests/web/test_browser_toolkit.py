"""The policymaker's toolkit in a real browser (Playwright driving Debian's Chromium against `kb serve`): select
practices from a search, compare them, remove one, take the brief away and read it back with python-docx; with
JavaScript and without it. The compare page of six practices is one of test_browser.PAGE_TYPES, so axe-core (and
the Nu Html Checker in test_markup) check it in four languages at desktop and phone width, with screenshots
compare-desktop.png and compare-phone.png."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as WordDocument
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from kb.config import Settings
from tests.serving import serving

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}
PICKED = ("Inclusive catering company", "Microloans for social enterprises", "Repair cafe network")


@pytest.fixture(scope="module")
def server(web_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)")
    with serving(web_settings, tmp_path_factory.mktemp("toolkit") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@dataclasses.dataclass
class Visit:
    """A browser tab, whether it runs JavaScript, and the script errors it saw."""

    page: Page
    javascript: bool
    errors: list[str]

    def close(self) -> None:
        self.page.context.close()
        assert [e for e in self.errors if "favicon" not in e and "404" not in e] == [], self.errors


def visit(browser: Browser, javascript: bool) -> Visit:
    context = browser.new_context(locale="en-GB", accept_downloads=True, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return Visit(page, javascript, errors)


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def tab(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Visit]:
    found = visit(browser, bool(request.param))
    yield found
    found.close()


def selection_box(page: Page, title: str) -> Locator:
    return page.get_by_role("checkbox", name=re.compile(f"^Add to selection ?: {title}$"))


def action(page: Page, name: str, title: str) -> Locator:
    return page.get_by_role("link", name=re.compile(f"^{name} ?: {title}$"))


def compared_titles(page: Page) -> list[str]:
    return page.locator("table.compare thead a.practice-title").all_inner_texts()


def read_brief(page: Page, tmp_path: Path) -> WordDocument:
    with page.expect_download() as info:
        page.get_by_role("link", name="Word (.docx)").click()
    download = info.value
    assert download.suggested_filename.startswith("secon-brief-2-practices-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return Document(str(path))


def test_select_three_compare_remove_one_and_take_the_brief(tab: Visit, server: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(server + "/search?q=social")
    for title in PICKED:
        selection_box(page, title).check()
    if tab.javascript:
        expect(page.locator("#selection-count")).to_have_text("3")
    page.get_by_role("button", name="Compare selected").click()
    page.wait_for_url("**/compare?p=**")
    assert sorted(compared_titles(page)) == sorted(PICKED)
    expect(page.locator("tr.differs").first).to_contain_text("differs")
    action(page, "Remove", "Microloans for social enterprises").click()
    expect(page.locator("table.compare thead th")).to_have_count(2)
    assert "microloans" not in page.url
    kept = compared_titles(page)
    assert sorted(kept) == ["Inclusive catering company", "Repair cafe network"]

    brief = read_brief(page, tmp_path)
    styles = [(p.style.name, p.text) for p in brief.paragraphs if p.style is not None]
    assert ("Title", "Practice brief: 2 practices compared") in styles
    assert [t for s, t in styles if s == "Heading 1"] == ["Practices in this brief", *kept]
    assert [t for s, t in styles if s == "Heading 2"].count("Sources") == 2
    links = {h.url: h.text for p in brief.paragraphs for h in p.hyperlinks}
    for slug in ("inclusive-catering", "repair-cafe-network"):
        assert links[f"https://example.org/{slug}"] == "Test source"
        assert links[f"https://example.org/{slug}/report"] == "Test report"
        assert links[f"{server}/practices/{slug}"] == f"{server}/practices/{slug}"


def test_the_selection_is_remembered_across_pages_with_javascript(browser: Browser, server: str) -> None:
    tab = visit(browser, javascript=True)
    page = tab.page
    page.goto(server + "/practices/inclusive-catering")
    page.get_by_role("button", name="Add to selection").click()
    expect(page.get_by_role("button", name="Remove from selection")).to_be_visible()
    expect(page.locator("#selection-count")).to_have_text("1")
    page.goto(server + "/search?q=cafe")
    selection_box(page, "Repair cafe network").check()
    page.goto(server + "/about")  # another page, later: the header still knows
    expect(page.locator("#selection-count")).to_have_text("2")
    page.get_by_role("link", name="My selection").click()
    page.wait_for_url("**/compare?p=inclusive-catering&p=repair-cafe-network")
    action(page, "Move left", "Repair cafe network").click()
    assert compared_titles(page) == ["Repair cafe network", "Inclusive catering company"]
    action(page, "Remove", "Inclusive catering company").click()
    expect(page.locator("#selection-count")).to_have_text("1")
    page.goto(server + "/search?q=social")
    expect(selection_box(page, "Repair cafe network")).to_be_checked()
    expect(selection_box(page, "Inclusive catering company")).not_to_be_checked()
    tab.close()


def test_a_practice_unticked_with_javascript_does_not_come_back_with_the_next_filter(
    browser: Browser, server: str
) -> None:
    tab = visit(browser, javascript=True)
    page = tab.page
    page.goto(server + "/search?q=social&p=repair-cafe-network")  # from "Add more practices"
    expect(selection_box(page, "Repair cafe network")).to_be_checked()
    assert "p=" not in page.url  # the browser holds the selection from now on
    selection_box(page, "Repair cafe network").uncheck()
    expect(page.locator("#selection-count")).to_have_text("0")
    page.get_by_role("checkbox", name="Mazovia").check()  # a filter applies at once and reloads the page
    page.wait_for_url("**region=mazovia**")
    page.get_by_role("link", name="Clear all filters").click()
    expect(selection_box(page, "Repair cafe network")).not_to_be_checked()
    expect(page.locator("#selection-count")).to_have_text("0")
    tab.close()


def test_a_full_selection_refuses_a_seventh_practice_with_a_message(browser: Browser, server: str) -> None:
    tab = visit(browser, javascript=True)
    page = tab.page
    page.goto(server + "/search")
    boxes = page.locator("input[form=compare-form]")
    for i in range(6):
        boxes.nth(i).check()
    boxes.nth(6).click()
    expect(boxes.nth(6)).not_to_be_checked()
    expect(page.get_by_role("status").last).to_contain_text("at most 6 practices")
    expect(page.locator("#selection-count")).to_have_text("6")
    tab.close()


def test_the_printed_comparison_is_a4_landscape_without_controls(browser: Browser, server: str) -> None:
    tab = visit(browser, javascript=True)
    page = tab.page
    page.goto(server + "/compare?p=inclusive-catering&p=repair-cafe-network&p=rural-products-label")
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    }
    assert sizes == {(842, 595)}  # A4 landscape, in points
    page.emulate_media(media="print")
    expect(page.locator("ul.column-actions").first).to_be_hidden()
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator("table.compare thead th")).to_have_count(3)
    tab.close()
