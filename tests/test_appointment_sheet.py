"""The appointment summary of the count checker, in Chromium: after a result the page offers a one-page
summary to print — the numbers as typed and as read, what they mean, where the range comes from, the "Get
help now" box and the questions from checker.yaml. It is made in the page: no request, nothing stored, the
address unchanged, from file:// too. Without a result, printing prints the page as usual."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
import yaml
from browser_support import ROOT
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader
from support import browser_context, browser_tab

CHECKER_PAGE = "leucopenia/checker.html"
CONTENT = yaml.safe_load((ROOT / "content" / "leucopenia" / "checker.yaml").read_text(encoding="utf-8"))
# A question is text, or `question:` with the number that, once typed, makes it go (`unless_typed:`).
QUESTIONS = [q if isinstance(q, str) else q["question"] for q in CONTENT["appointment"]["questions"]]
LABELS = CONTENT["labels"]
THOUSANDS = "thousands-per-microlitre"
PAPER = ["A4", "Letter"]

# The longest summaries the checker can make: a count with no unit chosen (the note on that), percentages
# worked out to a neutrophil grade, the typical range and its source, and the Duffy-null note; and every
# field filled in with the lab's range.
LONGEST = {
    "no unit, percentages, typical range": {"count": "3000", "neutrophils": "40", "bands": "5"},
    "every field": {
        "count": "3,0",
        "unit": THOUSANDS,
        "neutrophils": "40",
        "bands": "5",
        "anc": "1.35",
        "range-low": "4.0",
        "range-high": "11.0",
    },
}

# Whatever a page keeps in the browser: web storage, cookies, databases, caches, service workers. From file://
# the last ones are refused with a SecurityError: nothing can be kept there.
STORED_SCRIPT = """async () => {
    const count = async read => {
        try {
            return await read();
        } catch (error) {
            return error.name === 'SecurityError' ? 0 : String(error);
        }
    };
    return {
        local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
        databases: await count(async () => (await indexedDB.databases()).length),
        caches: await count(async () => (await caches.keys()).length),
        workers: await count(async () => (await navigator.serviceWorker.getRegistrations()).length),
    };
}"""
NOTHING_STORED = {"local": 0, "session": 0, "cookie": "", "databases": 0, "caches": 0, "workers": 0}


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser) as context:
        yield context


@pytest.fixture
def checker(context: BrowserContext, served_site: str) -> Iterator[Page]:
    page = context.new_page()
    page.goto(served_site + CHECKER_PAGE)
    yield page
    page.close()


def check_count(
    page: Page, count: str, unit: str | None = THOUSANDS, age: str = "adult", **fields: str
) -> None:
    """Fill in the form as a reader does and press the button; `fields` by their id after 'checker-'."""
    page.fill("#checker-count", count)
    if unit:
        page.check(f"#checker-unit-{unit}")
    for name, value in fields.items():
        page.fill(f"#checker-{name}", value)
    page.check(f"#checker-age-{age}")
    page.click("button[type=submit]")


def printed(page: Page, paper: str = "A4") -> PdfReader:
    page.emulate_media(media="print")
    try:
        return PdfReader(io.BytesIO(page.pdf(format=paper)))
    finally:
        page.emulate_media(media=None)


def text_of(pdf: PdfReader) -> str:
    """The printed words on one line each run of spaces, with the PDF's ligatures ("ﬀ") spelt out."""
    text = "".join(page.extract_text() for page in pdf.pages)
    for ligature, letters in {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"}.items():
        text = text.replace(ligature, letters)
    return re.sub(r"\s+", " ", text)


# --- on paper -----------------------------------------------------------------------------------------------


def test_the_printed_summary_of_3_6_has_the_typed_value_its_unit_the_verdict_and_the_questions(checker: Page):
    check_count(checker, "3.6")
    text = text_of(printed(checker))
    wanted = [
        "You typed 3.6 ×10⁹/L",
        "3,600 per µL",
        "Borderline",
        "4,500 to 11,000 per µL, from MedlinePlus",
        "https://medlineplus.gov/ency/article/003643.htm",
        LABELS["urgent_title"],
        "38 °C (100.4 °F)",
        CONTENT["appointment"]["questions_heading"],
        *QUESTIONS,
    ]
    assert [item for item in wanted if item not in text] == [], text


def test_the_printed_summary_leaves_out_the_form_and_the_rest_of_the_page(checker: Page):
    check_count(checker, "3.6")
    text = text_of(printed(checker))
    page_only = [
        LABELS["submit"],
        LABELS["count_hint"],
        LABELS["how_to_read"],
        LABELS["table"],
        CONTENT["title"],
        CONTENT["appointment"]["heading"],
        CONTENT["appointment"]["print"],
        "Last updated",
    ]
    assert [item for item in page_only if item in text] == []


@pytest.mark.parametrize("paper", PAPER)
@pytest.mark.parametrize("case", ["3.6", *LONGEST])
def test_the_summary_prints_on_one_page(checker: Page, case: str, paper: str):
    fields = dict(LONGEST.get(case, {"count": case, "unit": THOUSANDS}))
    check_count(checker, fields.pop("count"), fields.pop("unit", None), **fields)
    expect(checker.locator("#appointment")).to_be_visible()
    assert len(printed(checker, paper).pages) == 1


def test_without_a_result_printing_gives_the_page_as_usual(checker: Page):
    expect(checker.locator("#appointment")).to_be_hidden()
    text = text_of(printed(checker))
    assert CONTENT["title"] in text and LABELS["how_to_read"] in text
    assert CONTENT["appointment"]["title"] not in text and QUESTIONS[0] not in text


def test_a_mistake_after_a_result_takes_the_summary_away(checker: Page):
    check_count(checker, "3.6")
    expect(checker.locator("#appointment")).to_be_visible()
    check_count(checker, "nonsense")
    expect(checker.locator("#appointment")).to_be_hidden()
    assert LABELS["how_to_read"] in text_of(printed(checker))


# --- on the screen ------------------------------------------------------------------------------------------


def test_each_number_is_shown_as_typed_and_as_read(checker: Page):
    check_count(
        checker,
        "3,0",
        neutrophils="40",
        bands="5%",
        anc="1.35 x10^9/L",
        **{"range-low": "4,0", "range-high": "11"},
    )
    rows = {
        name: checker.locator(f"#appointment-{name} dd")
        for name in ("count", "neutrophils", "bands", "anc", "lab_range", "age")
    }
    expect(rows["count"]).to_have_text("You typed 3,0 ×10⁹/L. That is 3,000 per µL (3 ×10⁹/L).")
    expect(rows["neutrophils"]).to_have_text("40%")
    expect(rows["bands"]).to_have_text("5%")
    expect(rows["anc"]).to_have_text("You typed 1.35 x10^9/L. That is 1,350 per µL (1.35 ×10⁹/L).")
    expect(rows["lab_range"]).to_contain_text("You typed 4,0 to 11 ×10⁹/L. That is 4,000 to 11,000 per µL")
    expect(rows["age"]).to_have_text(LABELS["adult"])
    expect(checker.locator("#appointment-meaning")).to_contain_text("Below your lab's range")
    expect(checker.locator("#appointment-range-source")).to_be_hidden()  # the lab's range was used


def asked(page: Page) -> list[str]:
    return page.locator(".appointment-questions li:visible").all_inner_texts()


RANGE_QUESTION, NEUTROPHIL_QUESTION = QUESTIONS[1], QUESTIONS[2]


def test_the_summary_does_not_ask_for_a_number_the_reader_typed(checker: Page):
    check_count(checker, "3.6")
    assert asked(checker) == QUESTIONS
    check_count(checker, "3.6", anc="1.2")
    assert NEUTROPHIL_QUESTION not in asked(checker) and RANGE_QUESTION in asked(checker)
    checker.fill("#checker-anc", "")
    check_count(checker, "3.6", neutrophils="40")
    assert NEUTROPHIL_QUESTION not in asked(checker)
    check_count(checker, "3.6", neutrophils="", **{"range-low": "4.0", "range-high": "11.0"})
    assert RANGE_QUESTION not in asked(checker) and NEUTROPHIL_QUESTION in asked(checker)


def test_percentages_are_written_alike_in_the_summary_and_the_result(checker: Page):
    check_count(checker, "3.0", neutrophils="20 %", bands="5%")
    expect(checker.locator("#appointment-neutrophils dd")).to_have_text("20%")
    expect(checker.locator("#appointment-bands dd")).to_have_text("5%")
    expect(checker.locator("#checker-result")).to_contain_text("× 25% ÷ 100")


def test_a_count_with_no_unit_says_on_the_summary_how_it_was_read(checker: Page):
    check_count(checker, "3600", unit=None)
    count = checker.locator("#appointment-count dd")
    expect(count).to_contain_text("You typed 3600. That is 3,600 per µL")
    expect(count).to_contain_text("You did not choose a unit")
    for empty in ("neutrophils", "bands", "anc", "lab_range"):
        expect(checker.locator(f"#appointment-{empty}")).to_be_hidden()
    expect(checker.locator("#appointment-range-source")).to_be_visible()


def test_a_child_summary_gives_no_verdict_and_names_no_typical_range(checker: Page):
    check_count(checker, "3.6", age="child")
    expect(checker.locator("#appointment-meaning")).to_contain_text(
        "For a child, the checker gives no verdict"
    )
    expect(checker.locator("#appointment-meaning .checker-verdict")).to_have_count(0)
    expect(checker.locator("#appointment-range-source")).to_be_hidden()


# --- private and offline ------------------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["served", "file"])
def test_making_and_printing_the_summary_sends_stores_and_changes_nothing(
    context: BrowserContext, served_site: str, built_site: Path, origin: str
):
    """From the web and from a copy on disk: no request once the page has loaded, nothing kept in the
    browser, the same address and history, and no error or policy violation."""
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(served_site + CHECKER_PAGE if origin == "served" else (built_site / CHECKER_PAGE).as_uri())
    page.evaluate(
        # The button must call the browser's print; the real dialog cannot open in a headless browser, and
        # some Chromium builds then stay "being printed", refusing the PDF below, so the call is counted.
        """() => { window.printed = 0; window.print = () => { window.printed++; }; }"""
    )
    address, history = page.evaluate("[location.href, history.length]")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    check_count(page, "3.6", neutrophils="40", **{"range-low": "4.0", "range-high": "11.0"})
    page.click("#appointment-print")
    pdf = printed(page)

    assert page.evaluate("window.printed") >= 1, "the button did not print"
    assert "You typed 3.6 ×10⁹/L" in text_of(pdf) and len(pdf.pages) == 1
    assert requests == []
    assert page.evaluate(STORED_SCRIPT) == NOTHING_STORED
    assert context.cookies() == []
    assert page.evaluate("[location.href, history.length]") == [address, history]
    assert problems == []
    page.close()


# --- the content --------------------------------------------------------------------------------------------


def test_every_question_on_the_summary_is_explained_on_the_appointment_page(built_site: Path):
    page = (built_site / "leucopenia" / "appointment.html").read_text(encoding="utf-8")
    missing = [
        question for question in QUESTIONS if f"<strong>{escape(question, quote=False)}</strong>" not in page
    ]
    assert missing == [], "questions in checker.yaml that appointment.md does not explain, in bold"


def test_the_appointment_page_links_to_the_checker_and_to_when_to_get_help(built_site: Path):
    page = (built_site / "leucopenia" / "appointment.html").read_text(encoding="utf-8")
    assert 'href="checker.html"' in page and 'href="when-to-get-help.html"' in page


# The privacy check above passes vacuously if it cannot see a request or stored data; this proves it can.


def test_the_privacy_check_sees_a_request_and_anything_stored(browser: Browser, served_site: str):
    with browser_tab(browser) as page:
        page.goto(served_site + CHECKER_PAGE)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.evaluate("""async () => {
            localStorage.setItem('count', '3.6'); sessionStorage.setItem('count', '3.6');
            document.cookie = 'count=3.6';
            await fetch(location.href);
        }""")
        stored = page.evaluate(STORED_SCRIPT)
    assert requests and stored != NOTHING_STORED
    assert {key for key in stored if stored[key] != NOTHING_STORED[key]} == {"local", "session", "cookie"}
