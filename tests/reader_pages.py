"""The pages of a built site as the reader tests see them: which pages there are and what kind each is, what
a reader does on the count checker, and a first visit to each page as a new phone makes it (nothing cached):
every request, with the bytes that came back, the icon the page declares, and its policy violations.

The budget and privacy tests read the same visits, so they are made once per session.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Browser, ConsoleMessage, Page, Response
from playwright.sync_api import Error as PlaywrightError
from support import browser_context

NETWORK_IDLE_MS = 500

# An init script runs before the page's own and is not subject to its policy.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'} ` +
    `(${event.sourceFile}:${event.lineNumber})`));
"""

# A page without an icon link makes the browser ask for /favicon.ico; a data: icon costs no request.
DECLARED_ICON = """() => {
    const link = document.querySelector('link[rel~="icon"]');
    return link ? link.href : new URL('/favicon.ico', location.href).href;
}"""


@dataclass(frozen=True)
class Fetch:
    url: str
    resource_type: str  # Chromium's: document, stylesheet, script, image, font, fetch, …
    body: bytes  # empty when the request failed


@dataclass(frozen=True)
class FirstVisit:
    page: str
    kind: str  # the page's template, from <body class="page-…">: page, checker, handout, …
    requested: tuple[str, ...]  # every URL the page asked for, in order, data: URLs left out
    fetches: tuple[Fetch, ...]  # the ones that were answered
    icon: str  # the icon the browser shows, an absolute URL or a data: URL
    csp_violations: tuple[str, ...]
    console_errors: tuple[str, ...]

    @property
    def requests(self) -> tuple[str, ...]:
        """What the visit costs in requests: the page's own, and its icon if that is a file."""
        icon = () if self.icon.startswith("data:") or self.icon in self.requested else (self.icon,)
        return self.requested + icon


def every_page(folder: Path) -> list[str]:
    """Every HTML file of a built site, 404.html included, relative to its root."""
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))


def page_kind(folder: Path, page: str) -> str:
    """The template a built page was made with, from its <body class="page-…">: page, checker, handout, …"""
    match = re.search(r'<body class="page-([\w-]+)"', (folder / page).read_text(encoding="utf-8"))
    return match.group(1) if match else "unknown"


@cache
def first_visits(browser: Browser, site_url: str, folder: Path) -> dict[str, FirstVisit]:
    """Every page of the site built in `folder` and served at `site_url`, in one tab that caches nothing."""
    with browser_context(browser) as context:
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        context.route("**/*", lambda route: route.continue_())  # a routed context uses no HTTP cache
        tab = context.new_page()
        return {page: visit(tab, site_url, page, page_kind(folder, page)) for page in every_page(folder)}


def visit(tab: Page, site_url: str, page_path: str, kind: str) -> FirstVisit:
    requested: list[str] = []
    responses: list[Response] = []
    console_errors: list[str] = []
    listeners: dict[str, Callable] = {
        "request": lambda request: requested.append(request.url),
        "response": lambda response: responses.append(response),
        "console": lambda message: record_console_error(console_errors, message),
        "pageerror": lambda error: console_errors.append(f"uncaught {error}"),
    }
    for event, listener in listeners.items():
        tab.on(event, listener)
    try:
        # "networkidle" (nothing for half a second) also catches what a script asks for after the load.
        tab.goto(site_url + quote(page_path), wait_until="networkidle")
        if kind == "checker":
            use_the_checker(tab)
        icon = tab.evaluate(DECLARED_ICON)
        violations = tab.evaluate("window.__cspViolations")
        fetches = tuple(Fetch(r.url, r.request.resource_type, body_of(r)) for r in responses)
    finally:
        for event, listener in listeners.items():
            tab.remove_listener(event, listener)
    urls = tuple(url for url in requested if not url.startswith("data:"))
    return FirstVisit(page_path, kind, urls, fetches, icon, tuple(violations), tuple(console_errors))


def use_the_checker(tab: Page) -> None:
    """What a reader does on the checker page: a full set of numbers, then a mistake; then the time in
    which a request the script made would have started (what Playwright calls network idle)."""
    check_a_count(tab)
    make_a_mistake(tab)
    tab.wait_for_timeout(NETWORK_IDLE_MS)


def check_a_count(tab: Page) -> None:
    tab.fill("#checker-count", "3.6")
    tab.check("#checker-unit-thousands-per-microlitre")
    tab.fill("#checker-anc", "1.2")
    tab.fill("#checker-range-low", "4.0")
    tab.fill("#checker-range-high", "11.0")
    tab.check("#checker-age-adult")
    tab.click("button[type=submit]")
    tab.wait_for_selector("#checker-result .checker-verdict")


def make_a_mistake(tab: Page) -> None:
    tab.fill("#checker-count", "nonsense")
    tab.click("button[type=submit]")
    tab.wait_for_selector("#checker-count-error:visible")


def body_of(response: Response) -> bytes:
    try:
        return response.body()
    except PlaywrightError:  # a redirect or an aborted request has no body to read
        return b""


def record_console_error(console_errors: list[str], message: ConsoleMessage) -> None:
    if message.type == "error":
        console_errors.append(message.text)
