"""What tells a reader how far to trust a page, on a phone, in both languages: every page says when it was
last updated and when its next review is due (site.yaml's review interval after that, or the planned date of a
clinical review), and its footer links to About this site, which says who writes the guide, where its facts
come from, that no clinician has reviewed it yet, how to report a mistake, and that nothing is sent
anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from browser_support import ROOT, html_pages
from playwright.sync_api import Browser, BrowserContext, Page
from projects import FIXTURES, make_project, run_build
from support import PHONE, browser_context

from patientsite.content.model import years_after

# The A to Z page is a list of the other pages, made by the build: it has no date of its own to review.
UNDATED = {"a-z.html", "es/a-z.html"}
REVIEW_DATES = {
    "en": re.compile(r"Last updated (?P<updated>.+?)\. Next review due (?P<due>.+?)\."),
    "es": re.compile(r"Última actualización: (?P<updated>.+?)\. Próxima revisión prevista: (?P<due>.+?)\."),
}
ABOUT = {"en": ("about.html", "About this site"), "es": ("es/about.html", "Sobre este sitio")}


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser, viewport=PHONE) as context:
        yield context


@pytest.fixture(scope="module")
def tab(phone: BrowserContext) -> Page:
    return phone.new_page()


def language_of(page: str) -> str:
    return "es" if page.startswith("es/") else "en"


def review_interval_years() -> int:
    return yaml.safe_load((ROOT / "content/site.yaml").read_text(encoding="utf-8"))["review_interval_years"]


def dated_pages(site: Path) -> list[str]:
    return [page for page in html_pages(site) if page not in UNDATED]


def review_dates(tab: Page) -> dict[str, str]:
    """The page's review line as the reader sees it, and the dates its two <time>s hold."""
    line = tab.locator(".page-info .review-dates")
    times = line.locator("time")
    return {
        "text": line.inner_text(),
        "updated": times.nth(0).get_attribute("datetime") or "",
        "due": times.nth(1).get_attribute("datetime") or "",
    }


def test_every_page_says_when_it_was_updated_and_when_its_next_review_is_due(
    tab: Page, served_site: str, built_site: Path
) -> None:
    years, wrong = review_interval_years(), []
    pages = dated_pages(built_site)
    for page in pages:
        tab.goto(served_site + quote(page))
        line = tab.locator(".page-info .review-dates")
        if line.count() != 1 or not line.is_visible():
            wrong.append(f"{page}: no visible review dates")
            continue
        dates = review_dates(tab)
        due = years_after(date.fromisoformat(dates["updated"]), years)
        if not REVIEW_DATES[language_of(page)].fullmatch(dates["text"]):
            wrong.append(f"{page}: {dates['text']!r}")
        elif dates["due"] != due.isoformat():
            wrong.append(
                f"{page}: next review due {dates['due']}, but updated {dates['updated']} + {years} years "
                f"is {due}"
            )
    assert len(pages) > 30
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("leucopenia/causes.html", "Last updated 3 December 2026. Next review due 3 December 2029."),
        (
            "es/leucopenia/causes.html",
            "Última actualización: 3 de diciembre de 2026. "
            "Próxima revisión prevista: 3 de diciembre de 2029.",
        ),
    ],
)
def test_the_dates_are_written_in_the_language_of_the_page(
    tab: Page, served_site: str, page: str, expected: str
) -> None:
    tab.goto(served_site + page)
    assert review_dates(tab)["text"] == expected


def test_a_clinically_reviewed_page_is_due_on_its_planned_date_or_the_interval_after_its_review(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "overdue-review" / "content")
    assert run_build(project).returncode == 0
    topic = (project / "site/anaemia/index.html").read_text(encoding="utf-8")
    causes = (project / "site/anaemia/causes.html").read_text(encoding="utf-8")
    assert 'Next review due <time datetime="2026-06-01">1 June 2026</time>.' in topic  # its next_review
    assert 'Next review due <time datetime="2025-05-10">10 May 2025</time>.' in causes  # reviewed + 2 years
    assert "Clinically reviewed by Dr Example Reviewer" in causes


def test_every_page_links_to_about_this_site_in_its_language_from_its_footer(
    tab: Page, served_site: str, built_site: Path
) -> None:
    wrong = []
    for page in html_pages(built_site):
        target, words = ABOUT[language_of(page)]
        tab.goto(served_site + quote(page))
        link = tab.locator("footer.site-footer a", has_text=words)
        if link.count() != 1 or not link.is_visible():
            wrong.append(f"{page}: no visible link {words!r} in the footer")
        elif (href := link.evaluate("a => a.href")) != served_site + target:
            wrong.append(f"{page}: {words!r} leads to {href}")
    assert not wrong, "\n".join(wrong)
    for target, _ in ABOUT.values():
        assert (built_site / target).is_file()


ABOUT_FACTS = {
    "en": {
        "who writes it": r"written by its editors",
        "where facts come from": r"Each fact in the guide comes from a published source",
        "how pages are checked": r"we check it against its sources",
        "no clinician has reviewed it": r"No doctor, nurse or other clinician has reviewed this guide yet",
        "how to report a mistake": r"If you find a mistake.*open an issue on the GitHub page",
        "no cookies or trackers": r"does not use cookies.*no trackers",
        "nothing typed is sent": r"What you type stays there\. It is not sent to us or to anyone else",
    },
    "es": {
        "who writes it": r"la escriben sus editores",
        "where facts come from": r"Cada dato de la guía sale de una fuente publicada",
        "how pages are checked": r"la comparamos con sus fuentes",
        "no clinician has reviewed it": (
            r"Ningún médico, enfermera u otro profesional de la salud ha revisado todavía"
        ),
        "how to report a mistake": r"Si encuentra un error.*abrir un aviso.*GitHub",
        "no cookies or trackers": r"no usa cookies.*ni rastreadores",
        "nothing typed is sent": (
            r"Lo que usted escribe se queda allí\. No se nos envía a nosotros ni a nadie"
        ),
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_about_this_site_says_who_writes_how_facts_are_checked_how_to_report_a_mistake_and_what_is_private(
    tab: Page, served_site: str, language: str
) -> None:
    target, title = ABOUT[language]
    tab.goto(served_site + target)
    assert tab.locator("h1").inner_text() == title
    text = " ".join(tab.locator("main").inner_text().split())
    missing = [
        fact for fact, pattern in ABOUT_FACTS[language].items() if not re.search(pattern, text, re.DOTALL)
    ]
    assert not missing, f"{target} does not say: {missing}"
    assert "@" not in text, "no e-mail address: the project has none to give"
    assert tab.locator("html").get_attribute("lang") == language
