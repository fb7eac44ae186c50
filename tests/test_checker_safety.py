"""The count checker never falsely reassures, in Chromium, on the page in each language: figures shown never
cross the limit of their verdict, a very low result says what to do today, a neutropenia grade leads the
result with the emergency rule inside it, disagreeing numbers are named, and on a phone the verdict and
the action are on the first screen after submitting. The words expected are read from each checker.yaml."""

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
THOUSANDS = "thousands-per-microlitre"
PER_MICROLITRE = "per-microlitre"


def words(language: str, key: str, **values: str) -> str:
    text = " ".join(CHECKERS[language]["messages"][key].split())
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def title(language: str, ranges: str, range_id: str) -> str:
    return next(r["title"] for r in CHECKERS[language][ranges] if r["id"] == range_id)


@pytest.fixture(params=list(PAGES))
def language(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def checker(browser: Browser, served_site: str, language: str) -> Iterator[Page]:
    with browser_tab(browser, viewport=PHONE) as page:
        page.goto(served_site + PAGES[language])
        yield page


def submit(page: Page, count: str, unit: str, age: str = "adult", **fields: str) -> None:
    for name, value in fields.items():
        page.fill(f"#checker-{name}", value)
    page.fill("#checker-count", count)
    page.check(f"#checker-unit-{unit}")
    page.check(f"#checker-age-{age}")
    page.click("button[type=submit]")


def test_a_neutrophil_count_just_under_a_limit_is_shown_under_it(checker: Page, language: str):
    submit(
        checker,
        "3.03" if language == "en" else "3,03",
        THOUSANDS,
        neutrophils="49.5" if language == "en" else "49,5",
    )
    result = checker.locator("#checker-result")
    expect(result.locator(".checker-verdict").first).to_have_text(title(language, "anc_ranges", "mild"))
    shown = "1,499.85" if language == "en" else "1499,85"
    expect(result).to_contain_text(f"= {shown} ")
    text = result.inner_text()
    assert "1,500 per" not in text and "1500 por" not in text and "(1.5 ×10⁹/L)" not in text, text


def test_a_very_low_total_says_to_contact_the_care_team_today(checker: Page, language: str):
    submit(checker, "300", PER_MICROLITRE)
    lead = checker.locator(".checker-lead")
    expect(lead.locator(".checker-verdict")).to_have_text(title(language, "count_ranges", "very-low"))
    expect(lead.locator(".checker-action")).to_have_text(words(language, "same_day_action"))
    submit(checker, "3400", PER_MICROLITRE)
    expect(lead.locator(".checker-verdict")).to_have_text(title(language, "count_ranges", "low"))
    expect(lead.locator(".checker-action")).to_have_count(0)


def test_a_typical_total_with_low_neutrophils_leads_with_the_neutropenia(checker: Page, language: str):
    submit(checker, "5.0" if language == "en" else "5,0", THOUSANDS, neutrophils="10")
    verdicts = checker.locator(".checker-lead .checker-verdict")
    typical = title(language, "count_ranges", "typical")
    expect(verdicts).to_have_text(
        [title(language, "anc_ranges", "moderate"), words(language, "count_verdict", title=typical)]
    )
    expect(checker.locator(".checker-lead .checker-urgent")).to_have_text(words(language, "urgent_rule"))


def test_a_typical_total_alone_says_the_neutrophils_can_still_be_low(checker: Page, language: str):
    submit(checker, "6000", PER_MICROLITRE)
    expect(checker.locator("#checker-result")).to_contain_text(words(language, "neutrophils_unknown"))


def test_a_count_typed_and_a_percentage_that_disagree_are_named_and_the_lower_is_used(
    checker: Page, language: str
):
    submit(checker, "3600", PER_MICROLITRE, neutrophils="50", anc="900")
    result = checker.locator("#checker-result")
    expect(result).to_contain_text(
        words(
            language, "anc_disagrees", anc="900", worked="1,800" if language == "en" else "1800", used="900"
        )
    )
    expect(result.locator(".checker-verdict").first).to_have_text(title(language, "anc_ranges", "moderate"))


def test_a_childs_neutrophils_below_500_are_graded_severe(checker: Page, language: str):
    submit(checker, "6000", PER_MICROLITRE, age="child", anc="100")
    lead = checker.locator(".checker-lead")
    expect(lead.locator(".checker-verdict")).to_have_text(title(language, "anc_ranges", "severe"))
    expect(lead.locator(".checker-action")).to_be_visible()


def test_the_mild_band_sends_people_on_chemotherapy_to_their_care_team(checker: Page, language: str):
    submit(checker, "3000", PER_MICROLITRE, anc="1200")
    mild = next(r for r in CHECKERS[language]["anc_ranges"] if r["id"] == "mild")
    expect(checker.locator("#checker-result")).to_contain_text(" ".join(mild["message"].split()))
    assert "chemotherapy" in mild["message"] if language == "en" else "quimioterapia" in mild["message"]


def test_the_urgent_words_name_chemotherapy_and_the_lower_temperature(language: str):
    urgent = " ".join(CHECKERS[language]["labels"]["urgent"].split())
    assert (
        ("or while having chemotherapy" in urgent)
        if language == "en"
        else ("o durante la quimioterapia" in urgent)
    )
    assert "37.5 °C" in urgent or "37,5 °C" in urgent
    assert "chemotherapy" in words("en", "urgent_rule") and "quimioterapia" in words("es", "urgent_rule")


def test_the_duffy_null_note_is_never_the_largest_box(checker: Page, language: str):
    submit(checker, "3.0" if language == "en" else "3,0", THOUSANDS, anc="1.2" if language == "en" else "1,2")
    note = checker.locator("#checker-result .checker-note")
    expect(note).to_have_text(words(language, "duffy_note"))
    lead = checker.locator("#checker-result .checker-lead").bounding_box()
    assert note.bounding_box()["height"] < lead["height"]
    background = note.evaluate("node => getComputedStyle(node).backgroundColor")
    assert background in ("rgba(0, 0, 0, 0)", "transparent"), background


@pytest.mark.parametrize("case", ["severe", "moderate", "borderline", "typical"])
def test_on_a_phone_the_verdict_and_the_action_are_on_the_first_screen_after_submitting(
    checker: Page, language: str, case: str
):
    fields = {
        "severe": ("3000", {"anc": "300"}),
        "moderate": ("3000", {"anc": "700"}),
        "borderline": ("3600", {}),
        "typical": ("6000", {}),
    }[case]
    submit(checker, fields[0], PER_MICROLITRE, **fields[1])
    heading = checker.locator("#checker-result-heading")
    expect(heading).to_be_focused()
    wanted = [
        checker.locator(".checker-lead .checker-verdict").first,
        checker.locator(".checker-lead .checker-urgent"),
    ]
    if case == "severe":
        wanted.append(checker.locator(".checker-lead .checker-action"))
    for locator in wanted:
        box = locator.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (case, locator, box)
