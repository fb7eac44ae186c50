"""A 360 × 740 phone, in both languages, with JavaScript on and off: every table fits its column (or is a
scroll region a keyboard can reach and a screen reader can name) and cuts no word off; a glossary word's card
has a Close button, closes with it and with Escape (the focus back on the word), and never covers the word,
wherever on the screen the word is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import html_pages
from playwright.sync_api import Browser, BrowserContext, Page, expect
from support import PHONE, browser_context

SECTIONS = ["leucopenia/causes.html", "es/leucopenia/causes.html"]
CLOSE = {"leucopenia": "Close", "es": "Cerrar"}
WORDS_TRIED = (
    5  # explained words a page's cards are opened for, each at the top and at the foot of the screen
)

# Each table, with what is cut off: a table wider than its box (unless the box is a scroll region one can
# reach with the keyboard and that has a name), a cell whose words stick out of it, a page wider than the
# phone.
TABLE_PROBLEMS = """() => {
  const problems = [];
  const main = document.querySelector('main');
  for (const table of main.querySelectorAll('table')) {
    const region = table.closest('[role=region]');
    const box = region || table;
    const label = table.caption?.textContent.trim() || table.rows[0]?.textContent.trim().slice(0, 40);
    const scrolls = box.scrollWidth > box.clientWidth;
    const reachable = region && region.tabIndex === 0 &&
      (region.getAttribute('aria-label') || region.getAttribute('aria-labelledby'));
    if (scrolls && !reachable)
      problems.push(`table "${label}" is ${box.scrollWidth}px wide in a box of ${box.clientWidth}px ` +
        'that is no scroll region');
    if (!scrolls && table.getBoundingClientRect().right > main.getBoundingClientRect().right + 0.5)
      problems.push(`table "${label}" sticks out of the page`);
    for (const cell of table.querySelectorAll('th, td'))
      if (cell.scrollWidth > cell.clientWidth)
        problems.push(`cell "${cell.textContent.trim().slice(0, 30)}" cuts its words off ` +
          `(${cell.scrollWidth}px in ${cell.clientWidth}px)`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth)
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  return problems;
}"""


@pytest.fixture(scope="module", params=["with JavaScript", "without JavaScript"])
def phone(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(
        browser, viewport=PHONE, java_script_enabled=request.param == "with JavaScript"
    ) as context:
        yield context


@pytest.fixture
def tab(phone: BrowserContext) -> Iterator[Page]:
    tab = phone.new_page()
    yield tab
    tab.close()


def pages_with_tables(site: Path) -> list[str]:
    return [page for page in html_pages(site) if "<table" in (site / page).read_text(encoding="utf-8")]


def test_every_table_fits_a_phone_or_scrolls_in_a_named_region_and_cuts_no_word_off(
    tab: Page, served_site: str, built_site: Path
) -> None:
    pages = pages_with_tables(built_site)
    assert {
        "leucopenia/numbers.html",
        "es/leucopenia/numbers.html",
        "leucopenia/checker.html",
        "es/leucopenia/checker.html",
    } <= set(pages)
    problems = []
    for page in pages:
        tab.goto(served_site + quote(page))
        problems += [f"{page}: {problem}" for problem in tab.evaluate(TABLE_PROBLEMS)]
    assert not problems, "\n".join(problems)


# --- glossary cards -----------------------------------------------------------------------------------------


def boxes_overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def open_card(tab: Page, index: int, where: str):
    """Put the page's index-th explained word at the top or the foot of the screen, tap it; its card."""
    word = tab.locator("button.term").nth(index)
    word.evaluate(f"word => word.scrollIntoView({{block: '{where}'}})")
    word.click()
    card = tab.locator(f"#{word.get_attribute('popovertarget')}")
    expect(card).to_be_visible()
    return word, card


@pytest.mark.parametrize("page", SECTIONS)
@pytest.mark.parametrize("where", ["start", "end"])
def test_a_card_never_covers_its_word_and_shows_its_close_button_on_screen(
    tab: Page, served_site: str, page: str, where: str
) -> None:
    tab.goto(served_site + page)
    count = tab.locator("button.term").count()
    assert count > 3
    for index in range(min(count, WORDS_TRIED)):
        word, card = open_card(tab, index, where)
        close = card.locator("button.term-close")
        expect(close).to_be_visible()
        expect(close).to_be_in_viewport()
        expect(card).to_be_in_viewport(ratio=1)
        word_box, card_box = word.bounding_box(), card.bounding_box()
        assert not boxes_overlap(word_box, card_box), (
            f"the card of {word.inner_text()!r} ({card_box}) covers the word ({word_box})"
        )
        tab.keyboard.press("Escape")
        expect(card).to_be_hidden()


@pytest.mark.parametrize("page", SECTIONS)
def test_the_close_button_is_named_in_the_language_of_the_page_and_closes_the_card(
    tab: Page, served_site: str, page: str
) -> None:
    tab.goto(served_site + page)
    word, card = open_card(tab, 0, "center")
    close = card.get_by_role("button", name=CLOSE[page.split("/")[0]], exact=True)
    expect(close).to_be_visible()
    box = close.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, f"a small target: {box}"
    close.click()
    expect(card).to_be_hidden()
    expect(word).to_be_visible()


@pytest.mark.parametrize("page", SECTIONS)
def test_escape_closes_the_card_and_leaves_the_focus_on_its_word(
    tab: Page, served_site: str, page: str
) -> None:
    tab.goto(served_site + page)
    word = tab.locator("button.term").first
    word.focus()
    tab.keyboard.press("Enter")
    card = tab.locator(f"#{word.get_attribute('popovertarget')}")
    expect(card).to_be_visible()
    tab.keyboard.press("Tab")  # to the card's Close button, the next thing in the page's order
    expect(card.locator("button.term-close")).to_be_focused()
    tab.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(word).to_be_focused()
