"""The count checker in Chromium: every case of checker_cases.yaml through the real script and content, on the
page in each language, and the page itself — the form, the result read out to screen readers, keyboard use,
no network, file://, no JavaScript at all, and numbers as Spanish readers write them."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from browser_support import ROOT
from playwright.sync_api import Browser, BrowserContext, Page, expect
from support import browser_context, browser_tab

from patientsite.checker.numbers import written

CASES = yaml.safe_load((Path(__file__).parent / "checker_cases.yaml").read_text(encoding="utf-8"))["cases"]
CONTENT = yaml.safe_load((ROOT / "content" / "leucopenia" / "checker.yaml").read_text(encoding="utf-8"))
CHECKER_PAGE = "leucopenia/checker.html"
# The checker page in each language, and the locale its numbers are written in (site.yaml).
PAGES = {"en": CHECKER_PAGE, "es": "es/leucopenia/checker.html"}
LOCALES = {"en": "en_GB", "es": "es"}
CHECKER_FILES = {
    "en": ROOT / "content" / "leucopenia" / "checker.yaml",
    "es": ROOT / "content" / "es" / "leucopenia" / "checker.yaml",
}
SPANISH_PAGE = PAGES["es"]
SCRIPT = ROOT / "static" / "checker.js"
FORM_FIELDS = {
    "count": "",
    "unit": "",
    "neutrophils": "",
    "bands": "",
    "anc": "",
    "anc_unit": "",
    "range_low": "",
    "range_high": "",
    "age": "adult",
}

# What the tests compare, taken from the script's answer as plain data.
CONCLUSIONS_SCRIPT = """cases => cases.map(input => {
    const result = WbcChecker.check(input);
    return {
        errors: Object.fromEntries(result.errors.map(error => [error.field, error.code])),
        messages: result.errors.map(error => error.message),
        category: result.category, cells: result.count && result.count.cells,
        inferred: result.count && result.count.inferred,
        anc: result.neutrophils ? result.neutrophils.cells : null, grade: result.grade, duffy: result.duffy,
        same_day: result.sameDay,
    };
})"""

AXE_SCRIPT = """async () => {
    const rules = {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']};
    return (await axe.run(document, rules)).violations
        .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
}"""


def script_input(case_input: dict) -> dict:
    fields = {**FORM_FIELDS, **case_input}
    return {
        "count": fields["count"],
        "unit": fields["unit"],
        "neutrophils": fields["neutrophils"],
        "bands": fields["bands"],
        "anc": fields["anc"],
        "ancUnit": fields["anc_unit"],
        "rangeLow": fields["range_low"],
        "rangeHigh": fields["range_high"],
        "age": fields["age"],
    }


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser) as context:
        yield context


@contextmanager
def opened(context: BrowserContext, address: str) -> Iterator[Page]:
    page = context.new_page()
    page.goto(address)
    yield page
    page.close()


@pytest.fixture
def checker(context: BrowserContext, served_site: str) -> Iterator[Page]:
    with opened(context, served_site + CHECKER_PAGE) as page:
        yield page


def cases_in(language: str) -> list[dict]:
    """The cases of the table that run on the page in `language`."""
    return [case for case in CASES if case.get("only_in", language) == language]


def expected_in(case: dict, language: str) -> dict:
    return case.get("expect_in", {}).get(language, case["expect"])


@pytest.fixture(scope="module")
def conclusions(context: BrowserContext, served_site: str) -> dict[str, dict[str, dict]]:
    """Every case run through the script at once, on the page in each language: language → name → answer."""
    answers = {}
    for language, path in PAGES.items():
        cases = cases_in(language)
        with opened(context, served_site + path) as page:
            found = page.evaluate(CONCLUSIONS_SCRIPT, [script_input(case["input"]) for case in cases])
        answers[language] = {case["name"]: answer for case, answer in zip(cases, found, strict=True)}
    return answers


def test_the_case_table_is_well_formed():
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "two cases share a name"
    for case in CASES:
        assert set(case) <= {"name", "input", "expect", "expect_in", "only_in"}, case["name"]
        assert set(case["input"]) <= set(FORM_FIELDS), case["name"]
        assert case.get("only_in", "en") in PAGES and set(case.get("expect_in", {})) <= set(PAGES), case[
            "name"
        ]
        for expected in (case["expect"], *case.get("expect_in", {}).values()):
            assert set(expected) <= {
                "errors",
                "category",
                "cells",
                "inferred",
                "anc",
                "grade",
                "duffy",
                "same_day",
            }
            assert "errors" not in expected or len(expected) == 1, case["name"]


# A number with a mark before three digits: "3.600", "3,600", "12.000,5" read one way in some countries and
# another way in others.
TWO_WAYS = re.compile(r"\d[.,]\d{3}")


def test_every_language_reads_numbers_written_two_ways_by_the_same_rule():
    two_ways = [
        case for case in CASES if any(TWO_WAYS.search(str(value)) for value in case["input"].values())
    ]
    assert len(two_ways) >= 15, [case["name"] for case in two_ways]
    differing = [case["name"] for case in two_ways if expected_in(case, "es") != expected_in(case, "en")]
    assert differing == [], "the English and Spanish pages must read these numbers alike"
    assert len(cases_in("es")) > len(CASES) - 5 and len(cases_in("en")) > len(CASES) - 5


@pytest.mark.parametrize(
    ("language", "name"),
    [(language, case["name"]) for language in PAGES for case in cases_in(language)],
    ids=[f"{language}: {case['name']}" for language in PAGES for case in cases_in(language)],
)
def test_case(conclusions: dict[str, dict[str, dict]], language: str, name: str):
    case = next(case for case in CASES if case["name"] == name)
    answer = conclusions[language][name]
    expected = expected_in(case, language)
    if "errors" in expected:
        assert answer["errors"] == expected["errors"], f"{case['input']} → {answer}"
        assert answer["category"] is None and answer["cells"] is None, "a verdict was given despite an error"
        assert all(answer["messages"]) and not any("{" in m for m in answer["messages"]), answer["messages"]
        return
    assert answer["errors"] == {}, f"{case['input']} → {answer['messages']}"
    for key, value in expected.items():
        assert answer[key] == value, f"{key}: expected {value!r}, got {answer[key]!r} for {case['input']}"


def test_no_spelling_of_a_unit_means_two_units(checker: Page):
    clashes = checker.evaluate("""() => WbcChecker.data.units.flatMap(unit => unit.spellings
        .filter(spelling => WbcChecker.unitBySpelling(spelling) !== null
            && WbcChecker.unitBySpelling(spelling).id !== unit.id)
        .map(spelling => spelling + ' (' + unit.id + ')'))""")
    assert clashes == []


# --- the page -----------------------------------------------------------------------------------------------


def fill_form(page: Page, count: str, unit: str | None = None, age: str = "adult") -> None:
    page.fill("#checker-count", count)
    if unit:
        page.check(f"#checker-unit-{unit}")
    page.check(f"#checker-age-{age}")
    page.click("button[type=submit]")


def test_borderline_count_points_the_reader_to_their_labs_range(checker: Page):
    fill_form(checker, "3.6", "thousands-per-microlitre")
    result = checker.locator("#checker-result")
    expect(result).to_have_attribute("aria-live", "polite")
    expect(result.locator(".checker-verdict")).to_have_text("Borderline")
    expect(result).to_contain_text("3,600 per µL")
    expect(result).to_contain_text("range printed on your lab report")
    expect(result).to_contain_text("This is not a diagnosis")
    expect(result.locator(".checker-urgent")).to_contain_text("38 °C (100.4 °F)")
    expect(result).to_contain_text("The neutrophil count can be low even when the total count is not")
    expect(result).not_to_contain_text("Duffy-null")


def test_a_number_with_no_unit_asks_for_the_unit_next_to_the_field(checker: Page):
    fill_form(checker, "3.6")
    error = checker.locator("#checker-unit-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Choose the unit")
    expect(checker.locator("#checker-result .checker-verdict")).to_have_count(0)
    expect(checker.locator("#checker-result")).to_contain_text("Please check what you typed")
    expect(checker.locator("#checker-unit-per-microlitre")).to_have_attribute("aria-invalid", "true")
    expect(checker.locator("#checker-unit-per-microlitre")).to_be_focused()
    described = checker.get_attribute("#checker-unit-per-microlitre", "aria-describedby")
    assert "checker-unit-error" in described.split()


def test_a_corrected_mistake_clears_its_message(checker: Page):
    fill_form(checker, "abc", "per-microlitre")
    expect(checker.locator("#checker-count-error")).to_be_visible()
    fill_form(checker, "3600", "per-microlitre")
    expect(checker.locator("#checker-count-error")).to_be_hidden()
    expect(checker.locator("#checker-count")).not_to_have_attribute("aria-invalid", "true")
    expect(checker.locator("#checker-result .checker-verdict")).to_have_text("Borderline")


def test_an_inferred_unit_is_shown_to_the_reader(checker: Page):
    fill_form(checker, "3600")
    expect(checker.locator("#checker-result")).to_contain_text("You did not choose a unit")
    expect(checker.locator("#checker-result")).to_contain_text("3,600 per µL (3.6 ×10⁹/L)")


def test_a_child_gets_no_verdict_and_is_told_why(checker: Page):
    fill_form(checker, "3.6", "thousands-per-microlitre", age="child")
    expect(checker.locator("#checker-result .checker-verdict")).to_have_count(0)
    expect(checker.locator("#checker-result")).to_contain_text("For a child, the checker gives no verdict")


def test_the_neutrophil_count_and_grade_are_shown(checker: Page):
    checker.fill("#checker-neutrophils", "20")
    fill_form(checker, "3,000", "per-microlitre")
    result = checker.locator("#checker-result")
    expect(result).to_contain_text("3,000 × 20% ÷ 100 = 600 per µL")
    expect(result.locator(".checker-anc-moderate")).to_have_text("Moderate neutropenia")
    checker.fill("#checker-range-low", "4,000")
    checker.fill("#checker-range-high", "11,000")
    fill_form(checker, "3000")
    expect(result).to_contain_text("Compared with your lab's range of 4,000 to 11,000 per µL")
    assert "{" not in result.inner_text(), "a placeholder was left unfilled"


def test_the_urgent_box_is_always_shown(checker: Page):
    box = checker.locator("#get-help-now")
    expect(box).to_be_visible()
    expect(box).to_contain_text("38 °C (100.4 °F)")
    for count in ("3.6", "abc", "12000"):
        fill_form(checker, count, "thousands-per-microlitre")
        expect(box).to_be_visible()


def test_keyboard_alone_fills_and_submits_the_form(checker: Page):
    checker.locator("#checker-count").focus()
    checker.keyboard.type("4,2")
    checker.keyboard.press("Tab")  # into the unit choices
    checker.keyboard.press("ArrowDown")  # the second unit: ×10⁹/L
    expect(checker.locator("#checker-unit-thousands-per-microlitre")).to_be_checked()
    for _ in range(6):  # neutrophils, bands, ANC, its unit, range low, range high
        checker.keyboard.press("Tab")
    checker.keyboard.press("Tab")  # into the age choices
    checker.keyboard.press("Space")
    expect(checker.locator("#checker-age-adult")).to_be_checked()
    checker.keyboard.press("Tab")
    expect(checker.locator("button[type=submit]")).to_be_focused()
    checker.keyboard.press("Enter")
    expect(checker.locator("#checker-result .checker-verdict")).to_have_text("Borderline")


def test_checking_makes_no_network_request(checker: Page):
    requests: list[str] = []
    checker.on("request", lambda request: requests.append(request.url))
    fill_form(checker, "3.6", "thousands-per-microlitre")
    checker.fill("#checker-anc", "1.2")
    checker.fill("#checker-range-low", "4.0")
    checker.fill("#checker-range-high", "11.0")
    checker.click("button[type=submit]")
    fill_form(checker, "nonsense")
    expect(checker.locator("#checker-result")).to_contain_text("Please check what you typed")
    assert requests == []


def test_the_checker_works_from_file_and_under_the_pages_policy(context: BrowserContext, built_site: Path):
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((built_site / CHECKER_PAGE).as_uri())
    fill_form(page, "3.6", "thousands-per-microlitre")
    expect(page.locator("#checker-result .checker-verdict")).to_have_text("Borderline")
    page.close()
    assert problems == []


def test_without_javascript_the_page_still_explains_how_to_read_a_report(browser: Browser, served_site: str):
    with browser_tab(browser, java_script_enabled=False) as page:
        page.goto(served_site + CHECKER_PAGE)
        expect(page.locator("#checker-form")).to_be_hidden()
        expect(page.locator(".checker-no-script")).to_be_visible()
        expect(page.locator("#get-help-now")).to_be_visible()
        expect(page.locator(".checker-steps li").first).to_be_visible()
        rows = page.locator(".checker-table").first.locator("tbody tr")
        expect(rows).to_have_count(len(CONTENT["count_ranges"]))
        expect(page.locator(".checker-table").first).to_contain_text("below 1,000")
        expect(page.locator(".checker-table").first).to_contain_text("1,000 to 3,499")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_form_its_errors_and_its_result_pass_axe(browser: Browser, built_site: Path, scheme: str):
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.is_file(), "axe-core is missing: run `python3 dev.py test`, which installs the npm test tools"
    with browser_tab(browser, color_scheme=scheme, bypass_csp=True) as page:
        page.goto((built_site / CHECKER_PAGE).as_uri())
        page.add_script_tag(path=axe)
        states = {
            "the empty form": lambda: None,
            "errors": lambda: fill_form(page, "abc"),
            "a result": lambda: fill_form(page, "3.6", "thousands-per-microlitre"),
        }
        violations = {}
        for state, reach in states.items():
            reach()
            violations[state] = page.evaluate(AXE_SCRIPT)
    assert violations == {state: [] for state in states}


# --- numbers in each language -------------------------------------------------------------------------------


@pytest.fixture
def spanish_checker(context: BrowserContext, served_site: str) -> Iterator[Page]:
    with opened(context, served_site + SPANISH_PAGE) as page:
        yield page


@pytest.mark.parametrize("language", list(PAGES))
def test_the_script_writes_numbers_as_the_build_does_with_babel(
    context: BrowserContext, served_site: str, language: str
):
    numbers = [3600, 12000, 500000, 999, 3.6, 4.49, 0.01, 1234.5, 37.5]
    with opened(context, served_site + PAGES[language]) as page:
        by_script = page.evaluate("numbers => numbers.map(n => WbcChecker.number(n))", numbers)
    groups = yaml.safe_load(CHECKER_FILES[language].read_text(encoding="utf-8"))["number_groups"]
    assert by_script == [written(n, LOCALES[language], groups) for n in numbers]


def test_a_spanish_reader_types_a_decimal_comma_and_reads_the_result_in_spanish(spanish_checker: Page):
    fill_form(spanish_checker, "3,6", "thousands-per-microlitre")
    result = spanish_checker.locator("#checker-result")
    expect(result.locator(".checker-verdict")).to_have_text("En el límite")
    expect(result).to_contain_text("Escribió 3,6 ×10⁹/L. Eso son 3600 por µL (3,6 ×10⁹/L).")
    expect(result).to_contain_text("rango típico en adultos, de 4500 a 11\u00a0000 por µL")
    assert "{" not in result.inner_text() and " to " not in result.inner_text()


def test_a_number_that_reads_two_ways_is_settled_by_the_unit_and_the_reader_is_told(spanish_checker: Page):
    fill_form(spanish_checker, "3.600", "per-microlitre")
    result = spanish_checker.locator("#checker-result")
    expect(result.locator(".checker-verdict")).to_have_text("En el límite")
    expect(result).to_contain_text(
        "«3.600» se puede leer de dos maneras, pero aquí solo 3600 por µL es posible"
    )
    fill_form(spanish_checker, "3,600", "thousands-per-microlitre")
    expect(result.locator(".checker-verdict")).to_have_text("En el límite")
    expect(result).to_contain_text("solo 3,6 ×10⁹/L es posible")


def test_a_number_that_reads_two_ways_with_no_unit_asks_the_reader_to_type_it_again(spanish_checker: Page):
    fill_form(spanish_checker, "3.600")
    error = spanish_checker.locator("#checker-count-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("«3.600» puede ser 3600 o 3,6")
    expect(spanish_checker.locator("#checker-result .checker-verdict")).to_have_count(0)
    expect(spanish_checker.locator("#checker-count")).to_be_focused()


def test_an_unambiguous_spanish_number_gets_no_note(spanish_checker: Page):
    fill_form(spanish_checker, "12.000,5", "per-microlitre")
    result = spanish_checker.locator("#checker-result")
    expect(result.locator(".checker-verdict")).to_have_text("Más alto que el rango típico")
    expect(result).to_contain_text("Eso son 12\u00a0000,5 por µL (12,001 ×10⁹/L)")
    expect(result).not_to_contain_text("dos maneras")


def test_a_spanish_labs_range_and_neutrophils_are_said_in_spanish(spanish_checker: Page):
    spanish_checker.fill("#checker-range-low", "4.000")
    spanish_checker.fill("#checker-range-high", "11.000")
    spanish_checker.fill("#checker-neutrophils", "37,5")
    fill_form(spanish_checker, "3600", "per-microlitre")
    result = spanish_checker.locator("#checker-result")
    verdicts = result.locator(".checker-verdict")
    expect(verdicts).to_have_text(
        ["Neutropenia leve", "Glóbulos blancos: Por debajo del rango de su laboratorio"]
    )
    expect(result).to_contain_text("Comparado con el rango de su laboratorio, de 4000 a 11\u00a0000 por µL.")
    expect(result).to_contain_text("3600 × 37,5 % ÷ 100 = 1350 por µL (1,35 ×10⁹/L)")
    expect(result).to_contain_text(
        "«4.000» se puede leer de dos maneras, pero aquí solo 4000 por µL es posible"
    )
    summary = spanish_checker.locator("#appointment-lab_range dd")  # the summary to take to an appointment
    expect(summary).to_contain_text(
        "Escribió 4.000 a 11.000 por µL. Eso son 4000 a 11\u00a0000 por µL (4 a 11 ×10⁹/L)."
    )


def test_without_javascript_the_spanish_tables_write_numbers_as_the_spanish_text_does(
    browser: Browser, served_site: str
):
    with browser_tab(browser, java_script_enabled=False) as page:
        page.goto(served_site + SPANISH_PAGE)
        table = page.locator(".checker-table").first
        expect(table).to_contain_text("menos de 1000")
        expect(table).to_contain_text("1000 a 3499")
        expect(table).to_contain_text("3,5 a 4,49")
        expect(table).to_contain_text("más de 11\u00a0000")


# --- the files ----------------------------------------------------------------------------------------------


def test_the_page_has_no_inline_script_style_or_handler(built_site: Path):
    html = (built_site / CHECKER_PAGE).read_text(encoding="utf-8")
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL)
    inline = [attributes for attributes, body in scripts if body.strip() and "application/" not in attributes]
    assert inline == []
    assert re.search(r'<script src="[^"]*checker\.js" defer>', html)


def test_the_script_holds_no_threshold_of_its_own():
    code = re.sub(r"/\*.*?\*/", "", SCRIPT.read_text(encoding="utf-8"), flags=re.DOTALL)
    numbers = set(re.findall(r"(?<![\w.\\])\d+(?:\.\d+)?", code))
    # indexes, digits in patterns ([1-9], groups of 3), per cent, decimal places (10, at most 9)
    allowed = {"0", "1", "2", "3", "9", "10", "100"}
    assert numbers <= allowed, f"numbers in checker.js that belong in checker.yaml: {numbers - allowed}"


def test_the_script_is_small():
    """The page's whole budget (test_budget.py) is what counts; this catches a script growing by accident.
    (Reading numbers each way a language writes them, and writing them its way, took it from 15.3 KB; grading
    exact values, leading with what to do now and checking inputs against each other, from 19.4 KB; marking
    the count on the page's scales, from 24.8 KB.)"""
    raw = SCRIPT.read_bytes()
    assert len(raw) < 30_000, len(raw)
    assert len(gzip.compress(raw, 9)) < 9_500, len(gzip.compress(raw, 9))


def test_the_script_writes_text_never_markup():
    """What a reader types reaches the page only as text: the script never parses a string as HTML."""
    code = SCRIPT.read_text(encoding="utf-8")
    assert not re.search(
        r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment", code
    )


def test_every_page_links_to_the_checker_in_its_navigation(built_site: Path):
    navigation = re.compile(r'<nav class="site-nav".*?href="[^"]*checker\.html".*?</nav>', re.DOTALL)
    pages = [page for page in sorted(built_site.rglob("*.html")) if page.name != "404.html"]
    missing = [
        page.relative_to(built_site).as_posix()
        for page in pages
        if not navigation.search(page.read_text(encoding="utf-8"))
    ]
    assert missing == []


def test_the_numbers_section_links_to_the_checker(built_site: Path):
    assert 'href="checker.html"' in (built_site / "leucopenia" / "numbers.html").read_text(encoding="utf-8")
