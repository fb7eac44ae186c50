"""Private and safe to host: no page, the count checker in use included, asks any host but the site's own for
anything; every page carries a Content-Security-Policy that allows only the site's own files and no inline
code, and a no-referrer policy; and no page breaks its policy."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from reader_pages import RECORD_CSP_VIOLATIONS, FirstVisit, every_page, first_visits
from support import browser_context

UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:"}
# data: may stand only where a page cannot run it: images (the icon is one).
DATA_ALLOWED_IN = {"img-src"}


@pytest.fixture(scope="module")
def visits(browser: Browser, served_site: str, built_site: Path) -> dict[str, FirstVisit]:
    return first_visits(browser, served_site, built_site)


class HeadReader(HTMLParser):
    """The <meta> elements of a page's head, and the tags that come before the policy."""

    def __init__(self) -> None:
        super().__init__()
        self.metas: list[dict[str, str]] = []
        self.loads_before_policy: list[str] = []
        self.policy_seen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "meta":
            self.metas.append(attributes)
            self.policy_seen |= attributes.get("http-equiv", "").lower() == "content-security-policy"
        elif tag in ("link", "script", "style", "img") and not self.policy_seen:
            self.loads_before_policy.append(tag)

    def content_of(self, key: str, value: str) -> list[str]:
        return [meta.get("content", "") for meta in self.metas if meta.get(key, "").lower() == value]


def read_head(page: Path) -> HeadReader:
    reader = HeadReader()
    reader.feed(page.read_text(encoding="utf-8"))
    return reader


def policy_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        directives[name.lower()] = sources
    return directives


def policy_problems(policy: str) -> list[str]:
    directives = policy_directives(policy)
    problems = []
    if directives.get("default-src") != ["'self'"]:
        problems.append(f"default-src is {directives.get('default-src')}, not 'self' alone")
    for directive, sources in directives.items():
        unsafe = [source for source in sources if is_unsafe(directive, source)]
        if unsafe:
            problems.append(f"{directive} allows {unsafe}")
    return problems


def is_unsafe(directive: str, source: str) -> bool:
    if source == "data:":
        return directive not in DATA_ALLOWED_IN
    is_host = not source.startswith("'") and ("." in source or "//" in source)
    return source in UNSAFE_SOURCES or is_host


def test_no_page_asks_any_other_host_for_anything(visits: dict[str, FirstVisit], served_site: str) -> None:
    site = urlsplit(served_site)
    assert len(visits) > 1 and any(visit.kind == "checker" for visit in visits.values())
    elsewhere = {
        page: [url for url in visit.requests if urlsplit(url)[:2] != site[:2]]
        for page, visit in visits.items()
    }
    elsewhere = {page: urls for page, urls in elsewhere.items() if urls}
    assert not elsewhere, f"requests to other hosts: {elsewhere}"


def test_every_page_has_a_policy_of_own_files_only_and_no_inline_code(built_site: Path) -> None:
    problems = {}
    for page in every_page(built_site):
        head = read_head(built_site / page)
        policies = head.content_of("http-equiv", "content-security-policy")
        if len(policies) != 1:
            problems[page] = [f"{len(policies)} Content-Security-Policy <meta> elements, not 1"]
            continue
        found = policy_problems(policies[0])
        if head.loads_before_policy:
            found.append(f"{head.loads_before_policy} come before the policy, which does not cover them")
        if found:
            problems[page] = found
    assert not problems, f"pages with a wrong or missing policy: {problems}"


def test_every_page_sends_no_referrer(built_site: Path) -> None:
    wrong = {
        page: referrer
        for page in every_page(built_site)
        if (referrer := read_head(built_site / page).content_of("name", "referrer")) != ["no-referrer"]
    }
    assert not wrong, f"pages whose referrer policy is not no-referrer: {wrong}"


def test_no_page_breaks_its_policy_or_logs_an_error(visits: dict[str, FirstVisit]) -> None:
    problems = {
        page: list(visit.csp_violations + visit.console_errors)
        for page, visit in visits.items()
        if visit.csp_violations or visit.console_errors
    }
    assert not problems, f"policy violations or console errors: {problems}"


# The checks above pass vacuously if they cannot see a breakage; these prove they can.


def test_the_policy_check_refuses_inline_code_and_other_hosts() -> None:
    assert policy_problems("default-src 'self'; img-src 'self' data:; object-src 'none'") == []
    assert policy_problems("default-src 'self'; script-src 'self' 'unsafe-inline'")
    assert policy_problems("default-src 'self'; style-src 'self' https://fonts.example.com")
    assert policy_problems("default-src 'self'; script-src 'self' data:")
    assert policy_problems("default-src *")


def test_the_violation_recorder_sees_an_inline_script_the_policy_blocks(
    browser: Browser, served_site: str
) -> None:
    with browser_context(browser) as context:
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        tab = context.new_page()
        tab.goto(served_site + "index.html")
        tab.evaluate("""() => { const script = document.createElement('script');
            script.textContent = 'window.ranInline = true'; document.body.append(script); }""")
        tab.wait_for_function("window.__cspViolations.length > 0")
        assert tab.evaluate("window.ranInline") is None
