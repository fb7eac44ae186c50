"""On a 360 px phone the header stays small (two rows, at most 120 px) in both languages, every link of the
header and the breadcrumb is a target of at least 24 × 24 px (WCAG 2.2, 2.5.8), and a guide card is a link
wherever the reader taps it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from support import PHONE, browser_tab

PAGES = [
    "index.html",
    "leucopenia/index.html",
    "leucopenia/causes.html",
    "leucopenia/checker.html",
    "a-z.html",
    "es/index.html",
    "es/leucopenia/when-to-get-help.html",
    "es/leucopenia/checker.html",
]

# The header's rows: its visible links and buttons grouped by the lines they stand on.
ROWS_SCRIPT = """() => {
    const boxes = [...document.querySelectorAll('.site-header a, .site-header button, .site-header input')]
        .filter(node => node.offsetParent).map(node => node.getBoundingClientRect())
        .sort((a, b) => a.top - b.top);
    const rows = [];
    for (const box of boxes) {
        const row = rows.find(r => box.top < r.bottom && box.bottom > r.top);
        if (row) { row.top = Math.min(row.top, box.top); row.bottom = Math.max(row.bottom, box.bottom); }
        else rows.push({top: box.top, bottom: box.bottom});
    }
    return {rows: rows.length, height: document.querySelector('.site-header').getBoundingClientRect().height};
}"""
SMALL_TARGETS_SCRIPT = """() =>
    [...document.querySelectorAll('.site-header a, .site-header button, .breadcrumb a')]
        .filter(node => node.offsetParent)
        .map(node => [node.textContent.trim(), node.getBoundingClientRect()])
        .filter(([, box]) => box.width < 24 || box.height < 24)
        .map(([text, box]) => `${text}: ${box.width}×${box.height}`)"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    with browser_tab(browser, viewport=PHONE) as page:
        yield page


@pytest.mark.parametrize("path", PAGES)
def test_the_header_takes_two_rows_of_at_most_120_px(phone: Page, served_site: str, path: str):
    phone.goto(served_site + path)
    header = phone.evaluate(ROWS_SCRIPT)
    assert header["rows"] <= 2 and header["height"] <= 120, header


@pytest.mark.parametrize("path", PAGES)
def test_every_link_of_the_header_and_the_breadcrumb_is_at_least_24_px(
    phone: Page, served_site: str, path: str
):
    phone.goto(served_site + path)
    assert phone.evaluate(SMALL_TARGETS_SCRIPT) == []


@pytest.mark.parametrize("home", ["index.html", "leucopenia/index.html"])
def test_a_tap_on_a_guide_card_anywhere_follows_its_link(phone: Page, served_site: str, home: str):
    phone.goto(served_site + home)
    card = phone.locator(".cards li").first
    target = card.locator("a").first.get_attribute("href")
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    phone.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] - 8)  # far from the title
    phone.wait_for_url(lambda url: url.split("#")[0].endswith(target.split("/")[-1]))
