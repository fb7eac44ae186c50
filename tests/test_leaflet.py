"""The key-facts leaflet, in Chromium, in each language: it prints on at most two sheets of A4 and of Letter,
with the emergency box and the advice on when to get help on the first; what it is, what the numbers mean
(with the checker's scales), what to ask and where to read more. Section pages offer a real print button
when JavaScript runs; printing works without it. The full handout starts with the emergency box too."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_support import ROOT, build_site
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader
from support import browser_context, browser_tab

LANGUAGES = {"en": "", "es": "es/"}
FOLDERS = {"en": ROOT / "content", "es": ROOT / "content" / "es"}
PAPER = ["A4", "Letter"]
BASE_URL = "https://editors.example.org/guide/"


def content_of(language: str, name: str) -> dict:
    text = (FOLDERS[language] / "leucopenia" / name).read_text(encoding="utf-8")
    if name.endswith(".md"):
        text = text.split("---")[1]
    return yaml.safe_load(text)


def words_of(language: str) -> dict:
    return yaml.safe_load((FOLDERS[language] / "strings.yaml").read_text(encoding="utf-8"))


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser) as context:
        yield context


def printed(page: Page, paper: str) -> PdfReader:
    page.emulate_media(media="print")
    try:
        return PdfReader(io.BytesIO(page.pdf(format=paper)))
    finally:
        page.emulate_media(media=None)


@pytest.mark.parametrize("paper", PAPER)
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_leaflet_prints_on_two_sheets_with_when_to_get_help_on_the_first(
    context: BrowserContext, built_site: Path, language: str, paper: str
):
    page = context.new_page()
    page.goto((built_site / LANGUAGES[language] / "leucopenia" / "leaflet.html").as_uri())
    pdf = printed(page, paper)
    page.close()
    assert len(pdf.pages) <= 2, f"{len(pdf.pages)} pages"
    first = one_line(pdf.pages[0].extract_text())
    urgent = content_of(language, "topic.yaml")["urgent"]
    assert one_line(urgent["title"]) in first
    help_now = content_of(language, "when-to-get-help.md")["key_points"][0]
    assert one_line(help_now)[:60] in first, "the advice on when to get help is not on the first sheet"
    assert "Print" not in first.split(one_line(urgent["title"]))[0], "a button was printed"


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_leaflet_says_what_it_is_what_the_numbers_mean_what_to_ask_and_where_to_read_more(
    built_site: Path, language: str
):
    html = (built_site / LANGUAGES[language] / "leucopenia" / "leaflet.html").read_text(encoding="utf-8")
    text = one_line(re.sub(r"<[^>]+>", " ", html))
    topic, checker, words = (
        content_of(language, "topic.yaml"),
        content_of(language, "checker.yaml"),
        words_of(language),
    )
    assert one_line(topic["summary"])[:50] in text
    assert html.count('class="checker-scale"') == 2 and 'role="img"' in html
    questions = [q if isinstance(q, str) else q["question"] for q in checker["appointment"]["questions"]]
    assert all(one_line(question) in text for question in questions)
    assert words["leaflet_read_more"].split("{")[0].strip() in text
    assert re.search(r'<p class="leaflet-made">.*<time datetime="\d{4}-\d\d-\d\d">', html)


def test_published_the_leaflet_names_the_guides_address(tmp_path: Path):
    site = build_site(tmp_path / "site", "--base-url", BASE_URL)
    html = (site / "leucopenia" / "leaflet.html").read_text(encoding="utf-8")
    assert f'<a href="{BASE_URL}leucopenia/">{BASE_URL}leucopenia/</a>' in html


def test_the_topic_page_links_to_its_leaflet(built_site: Path):
    for folder in LANGUAGES.values():
        assert 'href="leaflet.html"' in (built_site / folder / "leucopenia" / "index.html").read_text(
            encoding="utf-8"
        )


def test_the_handout_starts_with_the_emergency_box(built_site: Path):
    html = (built_site / "leucopenia" / "handout.html").read_text(encoding="utf-8")
    main = html[html.index("<h1") :]
    assert main.index('class="urgent-box"') < main.index('class="summary"')


def test_a_section_page_has_a_print_button_that_prints(context: BrowserContext, served_site: str):
    page = context.new_page()
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    page.goto(served_site + "leucopenia/causes.html")
    button = page.get_by_role("button", name=words_of("en")["print_page"])
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.printed") == 1
    page.close()


def test_without_javascript_the_print_button_is_hidden(browser: Browser, served_site: str):
    with browser_tab(browser, java_script_enabled=False) as page:
        page.goto(served_site + "es/leucopenia/causes.html")
        expect(page.locator(".print-button")).to_be_hidden()
