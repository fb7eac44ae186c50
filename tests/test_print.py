"""Printable: the handout, printed to PDF by Chromium, fills a sane number of A4 pages and carries its title,
its date, every section and every source with its address; on paper no page shows navigation or buttons,
external links print their address, boxes and tables are not split, and text stays dark on white even when
the screen uses the dark scheme."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from colour_contrast import contrast
from playwright.sync_api import Browser, Page
from pypdf import PdfReader
from reader_pages import every_page, page_kind
from support import browser_tab

HANDOUT_KIND = "handout"
SANE_PAGE_COUNT = range(3, 31)  # A4 sheets for the whole guide: fewer means lost text, more a broken layout
HIDDEN_ON_PAPER = ".site-nav, .language-switcher, .breadcrumb, .skip-link, .pager, .no-print, button, form"
KEPT_WHOLE = ".summary, .admonition, table"
MIN_TEXT_CONTRAST = 4.5


def handout_pages(folder: Path) -> list[str]:
    """Each handout of the site: one a topic, in each language."""
    pages = [page for page in every_page(folder) if page_kind(folder, page) == HANDOUT_KIND]
    assert pages, "the build made no handout"
    return pages


@pytest.fixture(scope="module")
def printing(browser: Browser) -> Iterator[Page]:
    """A tab that shows pages as they print, with a dark screen scheme: paper must not follow it."""
    with browser_tab(browser, color_scheme="dark") as tab:
        tab.emulate_media(media="print", color_scheme="dark")
        yield tab


@pytest.fixture(scope="module")
def printed_handouts(browser: Browser, served_site: str, built_site: Path) -> dict[str, PdfReader]:
    tab = browser.new_page()
    printed = {}
    try:
        for page in handout_pages(built_site):
            tab.goto(served_site + quote(page))
            printed[page] = PdfReader(io.BytesIO(tab.pdf(format="A4")))
        return printed
    finally:
        tab.close()


def without_space(text: str) -> str:
    """Text compared across line breaks and ligatures: a PDF breaks long addresses where it likes, and
    its "fi" may be one character."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class HandoutReader(HTMLParser):
    """What must be on paper: the h1, every h2, when it was last updated, and every source's address."""

    def __init__(self) -> None:
        super().__init__()
        self.expected: list[str] = []
        self.addresses: list[str] = []
        self.in_heading = False
        self.in_sources = False
        self.page_info: int | None = None  # where "Last updated …" is in `expected` while it is read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("h1", "h2"):
            self.in_heading = True
            self.expected.append("")
        elif tag == "section" and "sources" in (attributes.get("class") or "").split():
            self.in_sources = True
        elif tag == "a" and self.in_sources and (attributes.get("href") or "").startswith("http"):
            self.addresses.append(attributes["href"] or "")
        elif tag == "time" and attributes.get("datetime"):
            self.expected.append("")
            self.in_heading = True
        elif tag == "footer" and attributes.get("class") == "page-info":
            self.page_info = len(self.expected)
            self.expected.append("")  # "Last updated …", in the page's language

    def handle_data(self, data: str) -> None:
        if self.in_heading:
            self.expected[-1] += data
        if self.page_info is not None:
            self.expected[self.page_info] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "time"):
            self.in_heading = False
        elif tag in ("p", "footer"):
            self.page_info = None
        elif tag == "section":
            self.in_sources = False


def test_the_handout_prints_on_a_sane_number_of_a4_pages(printed_handouts: dict[str, PdfReader]) -> None:
    counts = {page: len(printed.pages) for page, printed in printed_handouts.items()}
    assert all(count in SANE_PAGE_COUNT for count in counts.values()), counts


def test_the_printed_handout_has_its_title_date_every_section_and_every_source_address(
    printed_handouts: dict[str, PdfReader], built_site: Path
) -> None:
    missing = {}
    for page, printed in printed_handouts.items():
        reader = HandoutReader()
        reader.feed((built_site / page).read_text(encoding="utf-8"))
        assert len(reader.expected) > 3 and reader.addresses, f"{page} has no sections or no sources"
        text = without_space("".join(sheet.extract_text() for sheet in printed.pages))
        missing[page] = [
            item for item in [*reader.expected, *reader.addresses] if without_space(item) not in text
        ]
    assert not any(missing.values()), f"not on paper: {missing}"


def test_no_page_prints_its_navigation_buttons_or_form(
    printing: Page, served_site: str, built_site: Path
) -> None:
    shown = {}
    for page in every_page(built_site):
        printing.goto(served_site + quote(page))
        visible = printing.evaluate(
            """selector => Array.from(document.querySelectorAll(selector))
                .filter(element => element.getClientRects().length > 0)
                .map(element => element.outerHTML.slice(0, 60))""",
            HIDDEN_ON_PAPER,
        )
        if visible:
            shown[page] = visible
    assert not shown, f"printed although only of use on a screen: {shown}"


def test_every_external_link_prints_its_address(printing: Page, served_site: str, built_site: Path) -> None:
    silent = {}
    for page in every_page(built_site):
        printing.goto(served_site + quote(page))
        links = printing.evaluate("""() => Array.from(document.querySelectorAll('main a[href^="http"]'))
            .filter(link => !getComputedStyle(link, '::after').content.includes(link.getAttribute('href')))
            .map(link => link.getAttribute('href'))""")
        if links:
            silent[page] = links
    assert not silent, f"external links that print no address: {silent}"


def test_boxes_and_tables_are_not_split_between_printed_pages(
    printing: Page, served_site: str, built_site: Path
) -> None:
    for page in handout_pages(built_site):
        printing.goto(served_site + quote(page))
        split = printing.evaluate(
            """selector => Array.from(document.querySelectorAll(selector))
                .filter(element => getComputedStyle(element).breakInside !== 'avoid')
                .map(element => element.localName + '.' + element.className)""",
            KEPT_WHOLE,
        )
        count = printing.evaluate("selector => document.querySelectorAll(selector).length", KEPT_WHOLE)
        assert count > 0 and not split, (
            f"{page}: {len(split)} of {count} boxes and tables may break across pages: {split}"
        )


# Each element's own text, with its colour; paper is white (browsers print no backgrounds by default).
TEXT_COLOURS_SCRIPT = """() => Array.from(document.querySelectorAll('body *'))
    .filter(element => element.getClientRects().length > 0 && Array.from(element.childNodes)
        .some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim()))
    .map(element => [element.localName + '.' + element.className, getComputedStyle(element).color])"""


def test_printed_text_is_dark_on_white_even_from_a_dark_screen(
    printing: Page, served_site: str, built_site: Path
) -> None:
    faint = {}
    for page in every_page(built_site):
        printing.goto(served_site + quote(page))
        colours = printing.evaluate(TEXT_COLOURS_SCRIPT)
        low = {
            name: colour
            for name, colour in colours
            if contrast(colour, "rgb(255, 255, 255)") < MIN_TEXT_CONTRAST
        }
        if low:
            faint[page] = low
    assert not faint, f"text too faint on white paper: {faint}"
