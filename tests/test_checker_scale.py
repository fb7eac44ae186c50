"""A picture of where the count falls, in Chromium, on the page in each language: "What the numbers mean"
draws each table's ranges as a scale (built from checker.yaml, there without JavaScript), and after a result
the checker marks the reader's count on a copy of that same scale, or on the lab's range when it was typed,
with a text alternative that says the same. The appointment summary carries the marked scales too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from browser_support import ROOT
from playwright.sync_api import Browser, Page, expect
from support import PHONE, browser_tab

PAGES = {"en": "leucopenia/checker.html", "es": "es/leucopenia/checker.html"}
CHECKERS = {
    language: yaml.safe_load((ROOT / "content" / folder / "checker.yaml").read_text(encoding="utf-8"))
    for language, folder in {"en": "leucopenia", "es": "es/leucopenia"}.items()
}

# The marker's x and the band it sits in, for each marked scale of the result.
MARKS_SCRIPT = """selector => {
    const scales = document.querySelectorAll(selector + ' svg.checker-scale-marked');
    return [...scales].map(svg => {
        const x = svg.querySelector('.scale-marker').transform.baseVal.consolidate().matrix.e;
        const band = [...svg.querySelectorAll('rect')].findIndex(rect =>
            x >= rect.x.baseVal.value && x <= rect.x.baseVal.value + rect.width.baseVal.value);
        return {x, band, label: svg.getAttribute('aria-label'), role: svg.getAttribute('role'),
                limits: [...svg.querySelectorAll('text')].map(text => text.textContent)};
    });
}"""


@pytest.fixture(params=list(PAGES))
def language(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def checker(browser: Browser, served_site: str, language: str) -> Iterator[Page]:
    with browser_tab(browser, viewport=PHONE) as page:
        page.goto(served_site + PAGES[language])
        yield page


def submit(page: Page, count: str, **fields: str) -> None:
    for name, value in fields.items():
        page.fill(f"#checker-{name}", value)
    page.fill("#checker-count", count)
    page.check("#checker-unit-per-microlitre")
    page.check("#checker-age-adult")
    page.click("button[type=submit]")


def index_of(language: str, ranges: str, range_id: str) -> int:
    return [r["id"] for r in CHECKERS[language][ranges]].index(range_id)


def title_of(language: str, ranges: str, range_id: str) -> str:
    return CHECKERS[language][ranges][index_of(language, ranges, range_id)]["title"]


def test_the_count_and_the_neutrophils_are_marked_in_the_band_of_their_verdict(checker: Page, language: str):
    submit(checker, "3600", anc="1200")
    marks = checker.evaluate(MARKS_SCRIPT, "#checker-result")
    assert [mark["band"] for mark in marks] == [
        index_of(language, "count_ranges", "borderline"),
        index_of(language, "anc_ranges", "mild"),
    ]
    assert all(mark["role"] == "img" for mark in marks)
    count, anc = (mark["label"] for mark in marks)
    assert "3600" in count.replace(",", "") and title_of(language, "count_ranges", "borderline") in count
    assert "1200" in anc.replace(",", "") and title_of(language, "anc_ranges", "mild") in anc


def test_a_count_just_under_a_limit_is_marked_under_it(checker: Page, language: str):
    submit(checker, "3499.99" if language == "en" else "3499,99")
    (mark,) = checker.evaluate(MARKS_SCRIPT, "#checker-result")
    assert mark["band"] == index_of(language, "count_ranges", "low")


def test_with_the_labs_range_the_count_is_marked_on_that_range(checker: Page, language: str):
    submit(checker, "3600", **{"range-low": "4000", "range-high": "11000"})
    (mark,) = checker.evaluate(MARKS_SCRIPT, "#checker-result")
    assert mark["band"] == 0
    assert [limit.replace(",", "").replace("\u00a0", "") for limit in mark["limits"]] == ["4000", "11000"]
    assert CHECKERS[language]["lab_range_verdicts"]["low"]["title"] in mark["label"]


def test_the_appointment_summary_carries_the_marked_scales(checker: Page):
    submit(checker, "3600", anc="1200")
    assert len(checker.evaluate(MARKS_SCRIPT, "#appointment-scales")) == 2


def test_a_child_gets_no_adult_scale(checker: Page):
    checker.fill("#checker-count", "3600")
    checker.check("#checker-unit-per-microlitre")
    checker.check("#checker-age-child")
    checker.click("button[type=submit]")
    expect(checker.locator("#checker-result .checker-scale")).to_have_count(0)


def test_without_javascript_the_page_draws_each_tables_ranges_as_a_scale(
    browser: Browser, served_site: str, language: str
):
    with browser_tab(browser, java_script_enabled=False) as page:
        page.goto(served_site + PAGES[language])
        for scale, ranges in (("#scale-count", "count_ranges"), ("#scale-anc", "anc_ranges")):
            svg = page.locator(scale)
            expect(svg).to_be_visible()
            expect(svg).to_have_attribute("role", "img")
            expect(svg.locator("rect")).to_have_count(len(CHECKERS[language][ranges]))
            label = svg.get_attribute("aria-label")
            assert all(r["title"] in label for r in CHECKERS[language][ranges]), label
            assert not svg.locator(".scale-marker").is_visible(), "a scale with no count has no marker"
        limits = page.locator("#scale-anc text").all_text_contents()
        starts = [str(r["from"]) for r in CHECKERS[language]["anc_ranges"][1:]]
        assert [limit.replace(",", "").replace("\u00a0", "") for limit in limits] == starts
