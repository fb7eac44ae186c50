"""Finding things: each language's A to Z page lists every topic (its other names pointing to it) and every
glossary term, and works without JavaScript; the navigation names it. On top of it, a search box (a classic
script, its index inside the page) finds pages by title, other names and glossary terms, misspellings
included, from a server or from disk, asking the network for nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from projects import make_project, run_build
from reader_pages import every_page
from support import browser_context, read
from test_accessibility import axe_source, axe_violations

A_Z = "a-z.html"
LANGUAGES = {"": "en", "es/": "es"}


def visible_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def glossary_terms(site: Path, folder: str) -> list[str]:
    glossary = read(site, f"{folder}leucopenia/glossary.html")
    return [visible_text(term) for term in re.findall(r'<dt id="[^"]+">(.*?)(?:<span|</dt>)', glossary)]


# --- the page, as built ------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", LANGUAGES)
def test_the_a_z_lists_each_topic_its_other_names_and_every_glossary_term(
    built_site: Path, folder: str
) -> None:
    html = read(built_site, folder + A_Z)
    assert f'<html lang="{LANGUAGES[folder]}"' in html
    lines = [
        visible_text(line) for line in re.findall(r"<li>(.*?)</li>", html.split('class="a-z-letters"')[1])
    ]
    topic = read(built_site, f"{folder}leucopenia/index.html")
    title = visible_text(re.search(r"<h1>(.*?)</h1>", topic).group(1))
    other_names = re.search(r"(?:Also called|También se llama)[^:]*: (.*?)\.", visible_text(topic)).group(1)
    assert any(line.startswith(f"{title}: ") for line in lines), f"no line for the topic {title}"
    for name in other_names.split(", "):
        assert any(line.startswith(name) and line.endswith(title) for line in lines), f"no line for {name}"
    missing = [
        term
        for term in glossary_terms(built_site, folder)
        if not any(line == term or line.startswith(f"{term}: ") for line in lines)
    ]
    assert not missing, f"glossary terms not in the A to Z: {missing}"


def test_every_line_of_the_a_z_links_to_its_topic_or_its_glossary_entry(built_site: Path) -> None:
    html = read(built_site, A_Z)
    assert 'href="leucopenia/index.html">Leucopenia</a>' in html
    assert '<li>Leukopenia: see <a href="leucopenia/index.html">Leucopenia</a></li>' in html
    assert '<li><a href="leucopenia/glossary.html#term-neutrophil">Neutrophil</a></li>' in html
    assert (
        '<li>Leukocyte: see <a href="leucopenia/glossary.html#term-white-blood-cell">'
        "White blood cell</a></li>" in html
    )


def test_every_page_of_the_original_links_to_its_a_z_page_in_the_navigation(built_site: Path) -> None:
    navigation = re.compile(r'<nav class="site-nav".*?</nav>', re.DOTALL)
    pages = [page for page in every_page(built_site) if not page.startswith("es/") and page != "404.html"]
    missing = [page for page in pages if "a-z.html" not in navigation.search(read(built_site, page)).group(0)]
    assert not missing, f"pages whose navigation does not name the A to Z: {missing}"


@pytest.mark.parametrize("folder", LANGUAGES)
def test_the_search_index_holds_topics_pages_and_terms_with_links_that_work(
    built_site: Path, folder: str
) -> None:
    html = read(built_site, folder + A_Z)
    index = json.loads(
        re.search(r'<script type="application/json" id="search-index">(.*?)</script>', html, re.DOTALL).group(
            1
        )
    )
    names = {entry["name"] for entry in index}
    assert set(glossary_terms(built_site, folder)) <= names
    assert len([entry for entry in index if "leucopenia/glossary.html#" not in entry["href"]]) > 10
    broken = [
        entry["href"] for entry in index if not (built_site / folder / entry["href"].split("#")[0]).is_file()
    ]
    assert not broken


def test_navigation_may_name_the_a_z_page_and_nothing_else_that_has_no_file(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    site_yaml = project / "content/site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8")
        + "  - title: A to Z\n    page: a-z\n  - title: Index\n    page: index\n",
        encoding="utf-8",
    )
    result = run_build(project, "check")
    assert result.returncode == 1
    assert "navigation.page: 'index' is not a page of the site — use one of: a-z," in result.stderr
    assert "'a-z' is not" not in result.stderr


# --- in the browser ----------------------------------------------------------------------------------------


@pytest.fixture
def no_script(browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser, java_script_enabled=False) as context:
        yield context


@pytest.fixture
def reader(browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser) as context:
        yield context


def test_without_javascript_the_a_z_hides_the_search_box_and_its_links_lead_to_the_topic(
    no_script: BrowserContext, served_site: str
) -> None:
    tab = no_script.new_page()
    tab.goto(served_site + A_Z)
    expect(tab.locator("#search-box")).to_be_hidden()  # the header's field stays: it leads here
    tab.get_by_role("navigation", name="Letters").get_by_role("link", name="L", exact=True).click()
    expect(tab.locator("#letter-l")).to_be_in_viewport()
    tab.get_by_role("listitem").filter(has_text="Leukopenia: see").get_by_role("link").click()
    expect(tab).to_have_url(served_site + "leucopenia/index.html")


def search(tab: Page, words: str) -> list[str]:
    """What the reader sees in the results after typing `words`: each result's name."""
    box = tab.locator("#search-box")
    box.fill(words)
    expect(tab.get_by_role("status")).not_to_be_empty()
    return tab.locator("#search-results a").all_text_contents()


@pytest.mark.parametrize(
    ("words", "first", "href"),
    [
        ("leukopenia", "Leucopenia", "leucopenia/index.html"),
        ("leucopenia", "Leucopenia", "leucopenia/index.html"),
        ("Leukocytopenia", "Leucopenia", "leucopenia/index.html"),
        ("neutrofil", "Neutrophil", "leucopenia/glossary.html#term-neutrophil"),
        ("nuetrophil", "Neutrophil", "leucopenia/glossary.html#term-neutrophil"),
        ("hematologist", "Haematologist", "leucopenia/glossary.html#term-haematologist"),
        (
            "acetaminophen",
            "Paracetamol and ibuprofen",
            "leucopenia/glossary.html#term-paracetamol-and-ibuprofen",
        ),
        ("when to get help", "When to get help", "leucopenia/when-to-get-help.html"),
        ("causes", "Causes", "leucopenia/causes.html"),
    ],
)
def test_search_finds_pages_other_names_glossary_terms_and_misspellings(
    reader: BrowserContext, served_site: str, words: str, first: str, href: str
) -> None:
    tab = reader.new_page()
    tab.goto(served_site + A_Z)
    names = search(tab, words)
    assert names and names[0] == first, names
    assert tab.locator("#search-results a").first.get_attribute("href") == href


def test_search_in_spanish_finds_spanish_words_with_or_without_accents(
    reader: BrowserContext, served_site: str
) -> None:
    tab = reader.new_page()
    tab.goto(served_site + "es/" + A_Z)
    assert search(tab, "neutrofilo")[0] == "Neutrófilo"
    assert search(tab, "leukopenia")[0] == "Leucopenia"


def test_a_search_that_finds_nothing_says_so_and_enter_follows_the_first_result(
    reader: BrowserContext, served_site: str
) -> None:
    tab = reader.new_page()
    tab.goto(served_site + A_Z)
    assert search(tab, "xylophone") == []
    expect(tab.get_by_role("status")).to_contain_text("Nothing found")
    search(tab, "leukopenia")
    expect(tab.get_by_role("status")).to_have_text(re.compile(r"Found \d+:"))
    tab.locator("#search-box").press("Enter")
    expect(tab).to_have_url(served_site + "leucopenia/index.html")


def test_search_works_from_disk_and_asks_the_network_for_nothing(
    reader: BrowserContext, built_site: Path
) -> None:
    tab = reader.new_page()
    requests: list[str] = []
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto((built_site / A_Z).as_uri())
    tab.on("request", lambda request: requests.append(request.url))
    assert search(tab, "leukopenia")[0] == "Leucopenia"
    assert search(tab, "neutrofil")[0] == "Neutrophil"
    assert requests == [] and errors == []


def test_axe_finds_nothing_wrong_with_the_search_and_its_results(
    reader: BrowserContext, served_site: str
) -> None:
    reader.add_init_script(path=axe_source())
    tab = reader.new_page()
    tab.goto(served_site + A_Z)
    search(tab, "neutro")
    assert axe_violations(tab) == []
