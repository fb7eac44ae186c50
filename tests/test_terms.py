"""Medical words explained where they are used: the glossary is the one source, and on every page but the
glossary the first use of each term becomes a button whose meaning opens in place — by tap, click or key, with
JavaScript off — that a screen reader hears as the button's description and paper prints in brackets. The
handout, which holds the glossary, links the word to its entry instead. `build.py check` warns of a term no
page uses; validation refuses a word that names two terms."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from projects import make_project, run_build
from pypdf import PdfReader
from reader_pages import every_page, page_kind
from support import browser_context, read

from patientsite.content.model import Term
from patientsite.markdown.glossary import Explanation, Glossary, plain_meaning, terms_used
from patientsite.render.terms import explain_terms

SECTION_KINDS = {"page", "faq", "checker"}
CAUSES = "leucopenia/causes.html"


def term(name: str, *also: str) -> Term:
    return Term(
        name, f"Meaning of {name}.", 1, "term-" + re.sub(r"\W+", "-", name.lower()).strip("-"), also=also
    )


def glossary_of(*terms: Term) -> Glossary:
    return Glossary(Explanation(t, t.meaning, t.anchor + "-meaning") for t in terms)


NEUTROPHIL = term("Neutrophil", "neutrophils")
BONE_MARROW = term("Bone marrow")
BONE_MARROW_TEST = term("Bone marrow test")
EMERGENCY = term("Emergency department", "A&E", "ER")
WHITE_CELL = term("White blood cell", "leukocyte")
GLOSSARY = glossary_of(NEUTROPHIL, BONE_MARROW, BONE_MARROW_TEST, EMERGENCY, WHITE_CELL)


def explained(html: str, glossary: Glossary = GLOSSARY) -> str:
    return explain_terms(html, glossary, set())


def buttons(html: str) -> list[tuple[str, str]]:
    """Each explained word with the id of its meaning."""
    return re.findall(
        r'<button type="button" class="term" popovertarget="([^"]+)"[^>]*>([^<]*)</button>', html
    )


# --- marking, on fragments ----------------------------------------------------------------------------------


def test_the_first_use_becomes_a_button_with_its_meaning_and_later_uses_stay_plain_words() -> None:
    html = explained("<p>Neutrophils fight germs. A neutrophil lives a day.</p><p>Neutrophils again.</p>")
    assert buttons(html) == [("term-neutrophil-meaning", "Neutrophils")]
    assert (
        'aria-describedby="term-neutrophil-meaning-text">Neutrophils</button><span popover '
        'id="term-neutrophil-meaning" class="term-meaning" role="note">'
        '<span id="term-neutrophil-meaning-text">'
        'Meaning of Neutrophil.</span> <button type="button" class="term-close" '
        'popovertarget="term-neutrophil-meaning" popovertargetaction="hide">Close</button></span>'
    ) in html
    assert html.endswith(" fight germs. A neutrophil lives a day.</p><p>Neutrophils again.</p>")


def test_the_first_use_on_a_page_counts_across_its_fragments() -> None:
    seen: set[str] = set()
    first = explain_terms("<p>The bone marrow makes cells.</p>", GLOSSARY, seen)
    second = explain_terms("<li>Bone marrow again, and a neutrophil.</li>", GLOSSARY, seen)
    assert [word for _, word in buttons(first)] == ["bone marrow"]
    assert [word for _, word in buttons(second)] == ["neutrophil"]


def test_a_term_is_found_in_any_case_in_the_plural_and_by_its_other_forms() -> None:
    assert [w for _, w in buttons(explained("<p>WHITE BLOOD CELLS and leukocytes.</p>"))] == [
        "WHITE BLOOD CELLS"
    ]
    assert [w for _, w in buttons(explained("<p>Many leukocytes.</p>"))] == ["leukocytes"]
    assert [w for _, w in buttons(explained("<p>Go to A&amp;E now.</p>"))] == ["A&amp;E"]


def test_whole_words_only_and_the_longest_form_first() -> None:
    assert buttons(explained("<p>Neutrophilia and neutrophilic are other words.</p>")) == []
    assert [w for _, w in buttons(explained("<p>A bone marrow test looks at bone marrow.</p>"))] == [
        "bone marrow test",
        "bone marrow",
    ]


def test_terms_that_begin_alike_are_told_apart() -> None:
    glossary = glossary_of(
        NEUTROPHIL, term("Neutropenia"), term("Neutropenic diet"), term("Neutropenic sepsis")
    )
    html = explained(
        "<p>A neutropenic diet, neutropenia, neutropenic sepsis and neutrophils; neutropenic.</p>", glossary
    )
    assert buttons(html) == [
        ("term-neutropenic-diet-meaning", "neutropenic diet"),
        ("term-neutropenia-meaning", "neutropenia"),
        ("term-neutropenic-sepsis-meaning", "neutropenic sepsis"),
        ("term-neutrophil-meaning", "neutrophils"),
    ]


def test_an_abbreviation_in_capitals_is_not_found_in_an_ordinary_word() -> None:
    assert buttons(explained("<p>Er, we went there.</p>")) == []
    assert [w for _, w in buttons(explained("<p>Go to the ER.</p>"))] == ["ER"]


@pytest.mark.parametrize(
    "html",
    [
        "<h2>Neutrophils</h2>",
        '<p><a href="page:x/causes.md">neutrophils</a></p>',
        "<p><code>neutrophil</code></p>",
        "<pre>neutrophil</pre>",
        "<p><strong>What is a neutrophil?</strong></p>",
        '<p class="admonition-title">Neutrophils</p>',
        "<dl><dt>Neutrophil</dt></dl>",
        '<p>text<sup class="cite" data-cite="neutrophil"></sup></p>',
        "<p><abbr>ER</abbr></p>",
    ],
)
def test_headings_links_code_bold_box_titles_and_citations_are_left_alone(html: str) -> None:
    assert explained(html) == html


def test_text_after_a_skipped_element_is_marked_again() -> None:
    html = explained('<h2 id="x">Neutrophils</h2><p>Your <a href="#y">count</a> of neutrophils.</p>')
    assert [w for _, w in buttons(html)] == ["neutrophils"]


def test_text_without_terms_is_left_byte_for_byte() -> None:
    html = '<p>5 &lt; 6 &amp; 7&nbsp;°C, “quoted” <em title="a > b">x</em></p>'
    assert explained(html) == html


def test_text_around_a_term_keeps_its_escapes() -> None:
    html = explained("<p>1 &lt; 2 &amp; neutrophils</p>")
    assert html.startswith("<p>1 &lt; 2 &amp; <button")


def test_a_page_that_holds_the_glossary_links_the_word_to_its_entry() -> None:
    html = explain_terms(
        "<p>Neutrophils.</p>", GLOSSARY, set(), lambda explanation: f"#glossary--{explanation.term.anchor}"
    )
    assert html == '<p><a class="term" href="#glossary--term-neutrophil">Neutrophils</a>.</p>'


def test_the_meaning_is_plain_text_without_its_citations() -> None:
    fragment = (
        '<p>A <em>kind</em> of cell\u00a0<sup class="cite" data-cite="merck mayo"></sup>. It &amp; more.</p>'
    )
    assert plain_meaning(fragment) == "A kind of cell. It & more."


def test_terms_used_counts_only_where_a_term_would_be_explained() -> None:
    used = terms_used("<h2>Bone marrow</h2><p>A neutrophil.</p>", GLOSSARY)
    assert {explanation.term.term for explanation in used} == {"Neutrophil"}


def test_a_long_page_with_many_terms_marks_each_term_once() -> None:
    # Speed lives in bench/, not in a timed test; this guards the one-pattern pass's result at size.
    terms = [term(f"Word{number}", f"other{number}") for number in range(300)]
    glossary = glossary_of(*terms)
    page = "".join(
        f"<p>Some text about word{n % 300} and other{(n * 7) % 300}, twice.</p>" for n in range(3000)
    )
    html = explain_terms(page, glossary, set())
    assert len(buttons(html)) == 300


# --- the build ----------------------------------------------------------------------------------------------


def section_pages(site: Path) -> list[str]:
    """The pages of every topic, in every language, made from a section file or a tool (not its glossary)."""
    return [
        page
        for page in every_page(site)
        if "/" in page.removeprefix("es/") and page_kind(site, page) in SECTION_KINDS
    ]


def test_every_section_page_in_every_language_explains_terms_of_its_own_glossary(built_site: Path) -> None:
    pages = section_pages(built_site)
    assert len(pages) > 10 and any(page.startswith("es/") for page in pages)
    wrong = {}
    for page in pages:
        glossary = read(built_site, str(Path(page).parent / "glossary.html"))
        targets = [target for target, _ in buttons(read(built_site, page))]
        unknown = [t for t in targets if f'id="{t.removesuffix("-meaning")}"' not in glossary]
        if not targets or unknown or len(set(targets)) != len(targets):
            wrong[page] = targets
    assert not wrong, f"pages without explained terms, with terms of another glossary, or twice: {wrong}"


def test_the_glossary_explains_nothing_and_the_handout_links_each_term_once_to_its_entry(
    built_site: Path,
) -> None:
    assert 'class="term' not in read(built_site, "leucopenia/glossary.html")
    handout = read(built_site, "leucopenia/handout.html")
    links = re.findall(r'<a class="term" href="#([^"]+)">', handout)
    assert len(links) > 20 and len(set(links)) == len(links)
    assert all(f'id="{anchor}"' in handout for anchor in links)


def test_an_also_form_that_names_another_term_is_refused_with_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    glossary = project / "content/anaemia/glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + (
            "  - term: Red cell\n"
            "    meaning: A cell that carries oxygen.\n"
            "    also: [haemoglobin, red cells]\n"
        ),
        encoding="utf-8",
    )
    result = run_build(project, "check")
    assert result.returncode == 1
    assert (
        "content/anaemia/glossary.yaml:11: terms.also: 'haemoglobin' is already a form of 'Haemoglobin' "
        "(line 6) — list each word under one term only"
    ) in result.stderr


def test_check_warns_of_a_glossary_term_that_no_page_uses(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    unused = run_build(project, "check")
    causes = project / "content/anaemia/causes.md"
    causes.write_text(
        causes.read_text(encoding="utf-8").replace(
            "Losing blood is", "Too little haemoglobin makes you tired. Losing blood is"
        ),
        encoding="utf-8",
    )
    used = run_build(project, "check")
    warning = "content/anaemia/glossary.yaml:6: warning: terms.term: 'Haemoglobin' is used on no page"
    assert unused.returncode == 0 and warning in unused.stderr
    assert used.returncode == 0 and "Haemoglobin" not in used.stderr


# --- in the browser -----------------------------------------------------------------------------------------


@pytest.fixture(params=["with JavaScript", "without JavaScript"])
def reader(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser, java_script_enabled=request.param == "with JavaScript") as context:
        yield context


def first_term(tab: Page) -> tuple[str, str]:
    """The first explained word on the page, and its meaning as the page holds it (without its Close
    button)."""
    button = tab.locator("button.term").first
    meaning = tab.locator(f"#{button.get_attribute('aria-describedby')}").text_content() or ""
    return button.text_content() or "", meaning


def test_the_keyboard_reaches_a_term_enter_shows_its_meaning_and_escape_hides_it(
    reader: BrowserContext, served_site: str
) -> None:
    tab = reader.new_page()
    tab.goto(served_site + CAUSES)
    word, meaning = first_term(tab)
    for _ in range(60):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.classList.contains('term')"):
            break
    assert tab.evaluate("document.activeElement.textContent") == word
    popover = tab.get_by_role("note").filter(has_text=meaning)
    expect(popover).to_be_hidden()
    tab.keyboard.press("Enter")
    expect(popover).to_be_visible()
    assert tab.url == served_site + CAUSES, "the meaning opens on the page itself"
    tab.keyboard.press("Escape")
    expect(popover).to_be_hidden()


def test_a_tap_shows_the_meaning_and_a_tap_elsewhere_hides_it(
    reader: BrowserContext, served_site: str
) -> None:
    tab = reader.new_page()
    tab.goto(served_site + CAUSES)
    _, meaning = first_term(tab)
    tab.locator("button.term").first.click()
    popover = tab.get_by_role("note").filter(has_text=meaning)
    expect(popover).to_be_visible()
    expect(popover).to_be_in_viewport()
    tab.locator("h1").click()
    expect(popover).to_be_hidden()


def test_a_screen_reader_hears_the_word_as_a_button_described_by_its_meaning(
    reader: BrowserContext, served_site: str
) -> None:
    tab = reader.new_page()
    tab.goto(served_site + CAUSES)
    word, meaning = first_term(tab)
    button = tab.locator("button.term").first
    expect(button).to_have_role("button")
    expect(button).to_have_accessible_name(word)
    expect(button).to_have_accessible_description(meaning)
    snapshot = tab.locator("main").aria_snapshot()
    assert f'button "{word}"' in snapshot


def without_space(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_a_printed_section_page_shows_each_meaning_in_brackets_after_its_word(
    browser: Browser, served_site: str
) -> None:
    tab = browser.new_page()
    try:
        tab.goto(served_site + quote(CAUSES))
        tab.emulate_media(media="print")
        explained_words = tab.evaluate("""() => Array.from(document.querySelectorAll('button.term'),
            button => [button.textContent,
                       document.getElementById(button.getAttribute('aria-describedby')).textContent])""")
        pdf = PdfReader(io.BytesIO(tab.pdf(format="A4")))
    finally:
        tab.close()
    text = without_space("".join(page.extract_text() for page in pdf.pages))
    assert len(explained_words) > 5
    missing = [word for word, meaning in explained_words if without_space(f"{word} ({meaning})") not in text]
    assert not missing, f"printed without their meaning: {missing}"
