"""Search from every page: a field in the header of every page, in each language, searches the whole text of
that language's pages section by section, misspellings and other names included, from a server or from disk.
Its index loads only when the reader starts searching; without JavaScript the field leads to the A to Z page.
The index stays small, and grows with the pages and no faster."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from projects import REPO, make_project, run_build
from reader_pages import every_page
from support import PHONE, browser_context, browser_tab
from test_accessibility import axe_source, axe_violations

from patientsite.markdown.convert import Fragment
from patientsite.markdown.texts import PageText
from patientsite.render.search import page_sections

KB = 1024
INDEX_BUDGET = 30 * KB  # every language's index together, gzipped as a server sends it
INDEXES = ("assets/search-index-en.js", "assets/search-index-es.js")
EMERGENCY_ADVICE = {"": "leucopenia/when-to-get-help.html", "es/": "es/leucopenia/when-to-get-help.html"}
# A page of each kind, in both languages: the checker's script carries the search too.
PAGES = [
    "index.html",
    "leucopenia/causes.html",
    "leucopenia/checker.html",
    "a-z.html",
    "es/leucopenia/glossary.html",
    "es/leucopenia/checker.html",
]


@pytest.fixture
def reader(browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser, viewport={"width": 1280, "height": 900}) as context:
        yield context


def search(tab: Page, words: str) -> list[str]:
    """Type `words` in the header's field; the href of each result, in order."""
    tab.locator("#header-search-box").fill(words)
    expect(tab.locator("#header-search-status")).not_to_be_empty()
    return [link.get_attribute("href") or "" for link in tab.locator("#header-search-results li > a").all()]


def page_of(href: str, site: str) -> str:
    """The page a result leads to, from the site's root, without its #anchor."""
    return unquote(urlsplit(href).path).removeprefix(urlsplit(site).path)


# --- the pages, as built -----------------------------------------------------------------------------------


def test_every_page_has_the_search_field_which_leads_to_its_own_languages_a_z_page(built_site: Path) -> None:
    wrong = []
    for page in every_page(built_site):
        html = (built_site / page).read_text(encoding="utf-8")
        form = re.search(r'<form class="header-search"[^>]*action="([^"]+)" method="get"', html)
        language = "es/" if page.startswith("es/") else ""
        target = (built_site / page).parent / form.group(1) if form else None
        if target is None or target.resolve() != (built_site / language / "a-z.html").resolve():
            wrong.append(page)
    assert len(every_page(built_site)) > 30 and not wrong, (
        f"pages without a field that leads to the A to Z: {wrong}"
    )


def test_the_index_of_both_languages_together_stays_within_its_gzipped_budget(built_site: Path) -> None:
    sizes = {name: len(gzip.compress((built_site / name).read_bytes(), 6)) for name in INDEXES}
    assert sum(sizes.values()) <= INDEX_BUDGET, f"{sizes}: more than {INDEX_BUDGET // KB} KB gzipped"


def index_size(tmp_path: Path, copies: int) -> int:
    """The English index's bytes for the shipped content with its topic there `copies` times."""
    project = make_project(tmp_path / f"copies-{copies}", REPO / "content")
    shutil.rmtree(project / "content" / "es")
    site_yaml = project / "content" / "site.yaml"
    site_yaml.write_text(
        re.sub(r"(?m)^translations:.*\n(  .*\n)*", "", site_yaml.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    for copy in range(2, copies + 1):
        shutil.copytree(project / "content" / "leucopenia", project / "content" / f"leucopenia-{copy}")
    result = run_build(project, "--out", str(project / "site"))
    assert result.returncode == 0, result.stderr
    return (project / "site" / INDEXES[0]).stat().st_size


def test_the_index_grows_with_the_pages_and_no_faster(tmp_path: Path) -> None:
    one, two, three = (index_size(tmp_path, copies) for copies in (1, 2, 3))
    assert two > one * 1.5, "a second copy of the topic is not in the index"
    assert abs((three - two) - (two - one)) <= 0.02 * (two - one), (one, two, three)


# --- in the browser ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_the_header_field_finds_the_emergency_advice_first_from_any_page(
    reader: BrowserContext, served_site: str, page: str
) -> None:
    folder = "es/" if page.startswith("es/") else ""
    tab = reader.new_page()
    tab.goto(served_site + page)
    words = (
        ["fiebre", "temperatura alta", "urgencia"] if folder else ["fever", "high temperature", "emergency"]
    )
    for query in words:
        found = search(tab, query)
        assert found and page_of(found[0], served_site) == EMERGENCY_ADVICE[folder], (query, found[:3])


@pytest.mark.parametrize(
    ("folder", "query", "wanted"),
    [
        ("", "low white count", "white"),
        ("", "what is a normal count", "normal"),
        ("", "nutropenia", "Neutropenia"),
        ("", "leukopenia", "Leucopenia"),
        ("", "leucopaenia", "Leucopenia"),
        ("es/", "neutropenya", "Neutropenia"),
        ("es/", "leukopenia", "Leucopenia"),
        ("es/", "recuento normal", "normal"),
    ],
)
def test_whole_text_search_forgives_misspellings_and_other_names_and_marks_the_words(
    reader: BrowserContext, served_site: str, folder: str, query: str, wanted: str
) -> None:
    tab = reader.new_page()
    tab.goto(served_site + folder + "leucopenia/causes.html")
    assert search(tab, query)
    results = tab.locator("#header-search-results li")
    assert wanted.casefold() in " ".join(results.all_text_contents()[:3]).casefold()
    assert results.locator("mark").count() > 0, "no word marked in the snippets"


def anchor_exists(tab: Page, href: str) -> bool:
    page, _, anchor = href.partition("#")
    tab.goto(page)
    return not anchor or tab.locator(f'[id="{anchor}"]').count() == 1


def test_every_result_leads_to_a_page_and_a_place_on_it_that_exist(
    reader: BrowserContext, served_site: str
) -> None:
    tab = reader.new_page()
    tab.goto(served_site + "index.html")
    found = {
        href
        for query in ("fever", "neutrophil count", "chemotherapy", "vaccines")
        for href in search(tab, query)
    }
    tab.goto(served_site + "es/index.html")
    found |= {href for query in ("fiebre", "vacunas") for href in search(tab, query)}
    assert len([href for href in found if "#" in href]) > 10
    checker = reader.new_page()
    missing = [href for href in sorted(found) if not anchor_exists(checker, href)]
    assert not missing, f"results that lead nowhere: {missing}"


def test_the_index_loads_only_when_the_reader_starts_searching(
    reader: BrowserContext, served_site: str
) -> None:
    tab = reader.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(served_site + "leucopenia/index.html", wait_until="networkidle")
    assert not [url for url in requested if "search-index" in url]
    with tab.expect_request("**/assets/search-index-en.js"):
        tab.locator("#header-search-box").focus()
    assert search(tab, "fever")
    tab.goto(served_site + "es/leucopenia/index.html", wait_until="networkidle")
    with tab.expect_request("**/assets/search-index-es.js"):
        search(tab, "fiebre")


def test_search_works_from_disk_without_a_policy_violation_or_an_error(
    reader: BrowserContext, built_site: Path
) -> None:
    tab = reader.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.goto((built_site / "leucopenia/numbers.html").as_uri())
    found = search(tab, "emergency")
    assert found[0] == (built_site / EMERGENCY_ADVICE[""]).as_uri()
    tab.locator("#header-search-results a").first.click()
    expect(tab.locator("h1")).to_have_text("When to get help")
    assert errors == []


def test_on_a_phone_the_button_opens_the_field_and_enter_follows_the_first_result(
    browser: Browser, served_site: str
) -> None:
    with browser_tab(browser, viewport=PHONE) as tab:
        tab.goto(served_site + "leucopenia/causes.html")
        box = tab.locator("#header-search-box")
        expect(box).to_be_hidden()
        tab.locator("#header-search button").click()
        expect(box).to_be_focused()
        search(tab, "fever")
        box.press("Enter")
        expect(tab).to_have_url(served_site + EMERGENCY_ADVICE[""])


@pytest.mark.parametrize("where", ["served", "disk"])
def test_without_javascript_the_field_leads_to_the_a_z_page(
    browser: Browser, served_site: str, built_site: Path, where: str
) -> None:
    with browser_tab(browser, java_script_enabled=False, viewport={"width": 1280, "height": 900}) as tab:
        start = (
            served_site + "es/leucopenia/causes.html"
            if where == "served"
            else (built_site / "es/leucopenia/causes.html").as_uri()
        )
        tab.goto(start)
        tab.locator("#header-search-box").fill("fiebre")
        tab.locator("#header-search-box").press("Enter")
        expect(tab).to_have_url(re.compile(r"/es/a-z\.html\?q=fiebre$"))
        expect(tab.locator("h1")).to_have_text("De la A a la Z")


def test_axe_finds_nothing_wrong_with_the_header_search_and_its_results(
    reader: BrowserContext, served_site: str
) -> None:
    reader.add_init_script(path=axe_source())
    tab = reader.new_page()
    tab.goto(served_site + "leucopenia/symptoms.html")
    search(tab, "fever")
    assert axe_violations(tab) == []


def test_the_index_splits_a_page_at_its_headings_and_keeps_box_titles_and_words_apart() -> None:
    body = (
        '<p>Intro &amp; more</p><!-- a note --><div class="admonition danger">'
        '<p class="admonition-title">Fever &lt; 38 °C</p><p>Call <a href="#x">now</a>.</p></div>'
        '<h2 id="causes">Causes <em>here</em></h2><ul><li>One</li><li>Two</li></ul>'
        '<table><tr><th>Count</th><td>3.6</td></tr></table><h3 id="more-&amp;-less">More</h3>'
    )
    text = PageText(Fragment("Sum", frozenset(), ()), (), Fragment(body, frozenset(), ()), (), "Sum")
    sections = page_sections(SimpleNamespace(title="Title"), text)
    assert [(s.anchor, s.heading, s.boxes, s.text) for s in sections] == [
        ("", "Title", ["Fever < 38 °C"], ["Intro & more Call now."]),
        ("causes", "Causes here", [], ["One Two Count 3.6"]),
        ("more-&-less", "More", [], []),
    ]
