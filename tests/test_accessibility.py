"""Accessible to every reader, to WCAG 2.2 AA as far as a machine can tell.

axe-core finds no violation on any page, the count checker after a check and after a mistake included, in the
light and the dark colour scheme. Every page reflows at 320 px wide (400 % zoom) and at 640 px (a 1280 px
screen at 200 %). The keyboard reaches the skip link first, and always sees where it is. Each page has one
h1 and no skipped heading level; no link says only "click here"; nothing moves for a reader who asks for
less motion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import ROOT
from colour_contrast import contrast
from playwright.sync_api import Browser, BrowserContext, Page
from reader_pages import check_a_count, every_page, make_a_mistake, page_kind
from support import browser_context, browser_tab

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe's best practices add what WCAG leaves to judgement: one h1, headings in order, landmarks, skip link.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [*WCAG_A_AND_AA, "best-practice"]},
    "resultTypes": ["violations"],
}
SCHEMES = ["light", "dark"]
REFLOW_WIDTHS = [320, 640]
MIN_FOCUS_OUTLINE_PX = 2
MIN_NON_TEXT_CONTRAST = 3.0
VAGUE_LINK_TEXTS = {"click here", "here", "more", "read more", "link", "this", "this page", "click", "go"}


@dataclass(frozen=True)
class PageState:
    """A page as a reader sees it, after what they did on it."""

    name: str
    path: str
    prepare: Callable[[Page], None] | None = None


def after_a_mistake(tab: Page) -> None:
    check_a_count(tab)
    make_a_mistake(tab)


def page_states(pages: list[str], folder: Path) -> list[PageState]:
    """The pages as they open, and the checker also after a check and after a mistake."""
    states = [PageState(page, page) for page in pages]
    for page in pages:
        if page_kind(folder, page) == "checker":
            states += [
                PageState(f"{page} after a check", page, check_a_count),
                PageState(f"{page} after a mistake", page, after_a_mistake),
            ]
    return states


def one_page_of_each_kind(folder: Path) -> list[str]:
    first_of_kind = {}
    for page in every_page(folder):
        first_of_kind.setdefault(page_kind(folder, page), page)
    return sorted(first_of_kind.values())


@pytest.fixture(scope="module")
def states(built_site: Path) -> list[PageState]:
    return page_states(every_page(built_site), built_site)


@pytest.fixture(scope="module")
def sample_states(built_site: Path) -> list[PageState]:
    """Fewer pages, for the slower checks: one of each template, and the checker's states."""
    return page_states(one_page_of_each_kind(built_site), built_site)


def open_state(tab: Page, site_url: str, state: PageState) -> None:
    tab.goto(site_url + quote(state.path))
    if state.prepare:
        state.prepare(tab)


# --- axe-core -----------------------------------------------------------------------------------------------


def axe_source() -> Path:
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"{AXE_SCRIPT.relative_to(ROOT)} is missing: run `npm ci --ignore-scripts`", pytrace=False
        )
    return AXE_SCRIPT


def describe(violation: dict) -> str:
    nodes = "; ".join(
        f"{' '.join(map(str, node['target']))}: {node['failureSummary']}" for node in violation["nodes"][:5]
    )
    return f"{violation['id']} ({violation['impact']}, {violation['helpUrl']}): {violation['help']} — {nodes}"


def axe_violations(tab: Page) -> list[str]:
    result = tab.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [describe(violation) for violation in result["violations"]]


@pytest.fixture(scope="module", params=SCHEMES)
def axe_report(
    request: pytest.FixtureRequest, browser: Browser, served_site: str, states: list[PageState]
) -> tuple[str, dict[str, list[str]]]:
    """axe-core run on every page state in one colour scheme, under each page's own security policy."""
    scheme = request.param
    with browser_context(browser, color_scheme=scheme) as context:
        context.add_init_script(path=axe_source())  # injected by the browser, so the page's policy allows it
        tab = context.new_page()
        report = {}
        for state in states:
            open_state(tab, served_site, state)
            report[state.name] = axe_violations(tab)
    return scheme, report


def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(
    axe_report: tuple[str, dict[str, list[str]]],
) -> None:
    scheme, report = axe_report
    assert len(report) > 1
    found = {state: violations for state, violations in report.items() if violations}
    count = sum(map(len, found.values()))
    assert not found, (
        f"{count} axe violations in the {scheme} scheme on {len(found)} of {len(report)}: {found}"
    )


PLANTED_PAGE = """<!doctype html><html><head><title>Planted</title></head><body>
<img src="data:,"><p style="color:#777;background:#888">faint</p><a href="#"></a><h1>A</h1><h4>B</h4>
</body></html>"""


def test_axe_finds_the_mistakes_planted_in_a_page(browser: Browser) -> None:
    tab = browser.new_page()
    try:
        tab.set_content(PLANTED_PAGE)
        tab.add_script_tag(path=axe_source())
        rules = {violation.split(" ")[0] for violation in axe_violations(tab)}
    finally:
        tab.close()
    expected = {"image-alt", "color-contrast", "link-name", "html-has-lang", "heading-order", "region"}
    assert expected <= rules, f"axe missed {expected - rules}"


# --- reflow -------------------------------------------------------------------------------------------------

# What sticks out to the right makes the whole page scroll sideways; a table may scroll inside its own box.
OVERFLOW_SCRIPT = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const culprits = Array.from(document.querySelectorAll('body *'))
        .filter(element => element.getBoundingClientRect().right > width + 0.5)
        .map(element => element.localName + (element.id ? '#' + element.id : '')
            + (element.classList.length ? '.' + Array.from(element.classList).join('.') : ''));
    return `${document.documentElement.scrollWidth} px wide: ${culprits.slice(0, 5).join(', ')}`;
}"""


@pytest.mark.parametrize("width", REFLOW_WIDTHS)
def test_every_page_reflows_without_scrolling_sideways(
    width: int, browser: Browser, served_site: str, states: list[PageState]
) -> None:
    with browser_tab(browser, viewport={"width": width, "height": 800}) as tab:
        overflowing = {}
        for state in states:
            open_state(tab, served_site, state)
            if problem := tab.evaluate(OVERFLOW_SCRIPT):
                overflowing[state.name] = problem
    assert not overflowing, f"pages wider than {width} px: {overflowing}"


# --- keyboard -----------------------------------------------------------------------------------------------

# How an element looks when focused: its outline's width and colour, the colour behind it, and whether it is
# in sight. Run on the focused element, or on every element the keyboard can reach, focused one by one from
# the script: after a first Tab, Chromium shows the focus ring for those as it would for the keyboard.
DESCRIBE_FOCUS = """element => {
    const style = getComputedStyle(element);
    let behind = element.parentElement;
    while (behind && getComputedStyle(behind).backgroundColor.match(/^rgba\\(.*, 0\\)$|^transparent$/))
        behind = behind.parentElement;
    const rect = element.getBoundingClientRect();
    return {
        name: element.localName + (element.id ? '#' + element.id : '') + ' "' +
            (element.textContent || element.value || '').trim().slice(0, 30) + '"',
        outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
        color: style.outlineColor,
        background: behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)',
        inView: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
    };
}"""
FOCUSED = f"() => ({DESCRIBE_FOCUS})(document.activeElement)"
KEYBOARD_TARGETS = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"
EVERY_FOCUS = f"""() => Array.from(document.querySelectorAll("{KEYBOARD_TARGETS}"))
    .filter(element => element.getClientRects().length > 0 && !element.disabled)
    .map(element => {{ element.focus(); return ({DESCRIBE_FOCUS})(element); }})"""


def focus_problem(focus: dict) -> str | None:
    if focus["outline"] < MIN_FOCUS_OUTLINE_PX:
        return f"{focus['name']}: focus outline {focus['outline']} px"
    if (ratio := contrast(focus["color"], focus["background"])) < MIN_NON_TEXT_CONTRAST:
        return (
            f"{focus['name']}: focus outline {focus['color']} on {focus['background']}, contrast {ratio:.1f}"
        )
    if not focus["inView"]:
        return f"{focus['name']}: focused but out of sight"
    return None


@pytest.fixture(scope="module", params=SCHEMES)
def keyboard_context(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(
        browser, color_scheme=request.param, viewport={"width": 375, "height": 700}
    ) as context:
        yield context


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_main_content(
    keyboard_context: BrowserContext, served_site: str, built_site: Path
) -> None:
    tab = keyboard_context.new_page()
    wrong = {}
    for page in one_page_of_each_kind(built_site):
        tab.goto(served_site + quote(page))
        tab.keyboard.press("Tab")
        first = tab.evaluate(
            "document.activeElement.className + ' ' + document.activeElement.getAttribute('href')"
        )
        problem = focus_problem(tab.evaluate(FOCUSED))
        tab.keyboard.press("Enter")
        focused = tab.evaluate("document.activeElement.id")
        if first != "skip-link #main" or problem or focused != "main":
            wrong[page] = f"first Tab on {first!r} ({problem or 'visible'}), Enter moved focus to #{focused}"
    tab.close()
    assert not wrong, wrong


def test_every_element_the_keyboard_reaches_shows_a_clear_focus_outline(
    keyboard_context: BrowserContext, served_site: str, sample_states: list[PageState]
) -> None:
    tab = keyboard_context.new_page()
    problems, checked = [], 0
    for state in sample_states:
        open_state(tab, served_site, state)
        tab.keyboard.press("Tab")  # from here on, Chromium draws focus as it does for the keyboard
        focuses = tab.evaluate(EVERY_FOCUS)
        checked += len(focuses)
        problems += [f"{state.name}: {problem}" for focus in focuses if (problem := focus_problem(focus))]
    tab.close()
    assert checked > 0 and not problems, "\n".join(problems)


MOVING_ELEMENTS = """() => Array.from(document.querySelectorAll('*')).filter(element => {
    const style = getComputedStyle(element);
    return style.animationName !== 'none' || style.scrollBehavior === 'smooth'
        || style.transitionDuration.split(',').some(duration => parseFloat(duration) > 0);
}).map(element => element.localName + '.' + element.className)"""


def test_nothing_moves_for_a_reader_who_asks_for_less_motion(
    browser: Browser, served_site: str, sample_states: list[PageState]
) -> None:
    with browser_context(browser, reduced_motion="reduce") as context:
        moving = {}
        tab = context.new_page()
        for state in sample_states:
            open_state(tab, served_site, state)
            if found := tab.evaluate(MOVING_ELEMENTS):
                moving[state.name] = found[:5]
    assert not moving, f"animations, transitions or smooth scrolling despite prefers-reduced-motion: {moving}"


# --- structure, from the built files ------------------------------------------------------------------------


class StructureReader(HTMLParser):
    """A page's heading levels in order, and the text of each link (visually hidden words included)."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.links: list[str] = []
        self.link_text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "a" and dict(attrs).get("href") is not None:
            label = dict(attrs).get("aria-label")
            self.link_text = [label] if label else []

    def handle_data(self, data: str) -> None:
        if self.link_text is not None:
            self.link_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.link_text is not None:
            self.links.append(" ".join("".join(self.link_text).split()))
            self.link_text = None


def read_structure(file: Path) -> StructureReader:
    reader = StructureReader()
    reader.feed(file.read_text(encoding="utf-8"))
    return reader


def heading_problem(levels: list[int]) -> str | None:
    if levels.count(1) != 1 or levels[0] != 1:
        return f"{levels.count(1)} h1 elements, first heading h{levels[0] if levels else '-'}"
    for before, after in pairwise(levels):
        if after > before + 1:
            return f"h{before} is followed by h{after}"
    return None


def test_every_page_has_one_h1_first_and_skips_no_heading_level(built_site: Path) -> None:
    problems = {
        page: problem
        for page in every_page(built_site)
        if (problem := heading_problem(read_structure(built_site / page).headings))
    }
    assert not problems, problems


def test_every_link_text_makes_sense_on_its_own(built_site: Path) -> None:
    vague = {}
    for page in every_page(built_site):
        texts = read_structure(built_site / page).links
        found = [text for text in texts if text.strip(" .:").lower() in VAGUE_LINK_TEXTS or not text.strip()]
        if found:
            vague[page] = found
    assert not vague, f"links whose text says nothing on its own: {vague}"
