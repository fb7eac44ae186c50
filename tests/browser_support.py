"""What the browser tests share: build the site, serve a folder as GitHub Pages does, open pages in
Chromium and check their links, anchors and assets. Plain functions; conftest.py makes fixtures of them."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urlsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Response, Route

ROOT = Path(__file__).resolve().parent.parent

# Without the background-networking flags Chromium keeps calling Google's hosts, which this closed
# network refuses many times a second.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# GitHub Pages serves a project site under /<repository>/, so a link that starts with "/" breaks there.
PROJECT_PREFIX = "/repo/"


def build_site(out: Path, *options: str) -> Path:
    """Run the editors' build command into `out` and return it; fail with its output if it fails."""
    command = [sys.executable, "build.py", "--out", str(out), *options]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        pytest.fail(
            f"{' '.join(command[1:])} exited with {completed.returncode}:\n"
            f"{completed.stdout}{completed.stderr}",
            pytrace=False,
        )
    return out


class PrefixedFolderHandler(SimpleHTTPRequestHandler):
    """Serves `directory` under a URL prefix only; every other path is 404, as on a project site."""

    def __init__(self, *args, prefix: str, **kwargs) -> None:
        self.prefix = prefix  # set before super().__init__, which handles the request
        super().__init__(*args, **kwargs)

    def send_head(self):
        if not urlsplit(self.path).path.startswith(self.prefix):
            self.send_error(HTTPStatus.NOT_FOUND, f"outside the site's prefix {self.prefix}")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def log_message(self, format: str, *args) -> None:
        pass  # failed requests are reported by the browser side, with the page that made them


@contextmanager
def serve_folder(folder: Path, prefix: str = PROJECT_PREFIX) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at an ephemeral port under `prefix`; yield the site's base URL."""
    handler = partial(PrefixedFolderHandler, prefix=prefix, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def route_to_folder(context: BrowserContext, site_url: str, folder: Path) -> None:
    """Answer every request under `site_url` (the published https address) from `folder`, as GitHub Pages
    does: a missing file gets the site's 404.html with status 404, whatever its depth."""

    def answer(route: Route) -> None:
        path = unquote(urlsplit(route.request.url).path).removeprefix(urlsplit(site_url).path)
        target = folder / path
        if target.is_file():
            route.fulfill(path=target)
        else:
            route.fulfill(status=HTTPStatus.NOT_FOUND, path=folder / "404.html")

    context.route(site_url + "**", answer)


@dataclass(frozen=True)
class PageVisit:
    """What Chromium saw while loading one page."""

    url: str
    links: tuple[str, ...]  # every <a href> and asset reference, resolved by the browser
    ids: frozenset[str]  # every anchor target: id attributes and <a name>
    failed_requests: tuple[str, ...]
    console_errors: tuple[str, ...]


# Every <a href> and every file the page asks for, resolved by the browser to absolute URLs, and every
# anchor target. Assets are checked here as well as by the requests: a favicon loads after "load", too late.
LINKS_AND_ANCHOR_TARGETS_SCRIPT = """() => [
    Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'), element =>
        new URL(element.getAttribute('href') ?? element.getAttribute('src'), document.baseURI).href),
    Array.from(document.querySelectorAll('[id], a[name]'), element =>
        [element.id, element.localName === 'a' ? element.getAttribute('name') : '']).flat().filter(Boolean),
]"""


def visit_page(context: BrowserContext, url: str) -> PageVisit:
    """Open `url` in a new tab and record its links, anchor targets, failed requests and errors.

    A tab of its own, closed after: a request still running when the next page loads is not blamed on it.
    """
    failures: dict[str, list[str]] = {}  # a 404 stylesheet is both an HTTP error and an aborted request
    console_errors: list[str] = []
    listeners: dict[str, Callable] = {
        "requestfailed": lambda request: record_failure(failures, request.url, request.failure or "failed"),
        "response": partial(record_http_error, failures),
        "console": partial(record_console_error, console_errors),
        "pageerror": lambda error: console_errors.append(f"uncaught {error}"),
    }
    tab = context.new_page()
    for event, listener in listeners.items():
        tab.on(event, listener)
    try:
        # Stylesheets, classic scripts and images all finish before "load".
        tab.goto(url, wait_until="load")
        links, ids = tab.evaluate(LINKS_AND_ANCHOR_TARGETS_SCRIPT)
    finally:
        tab.close()
    failed_requests = tuple(f"{request} ({'; '.join(reasons)})" for request, reasons in failures.items())
    return PageVisit(url, tuple(links), frozenset(ids), failed_requests, tuple(console_errors))


def record_failure(failures: dict[str, list[str]], url: str, reason: str) -> None:
    failures.setdefault(url, []).append(reason)


def record_http_error(failures: dict[str, list[str]], response: Response) -> None:
    if response.status >= 400:
        record_failure(failures, response.url, f"HTTP {response.status}")


def record_console_error(console_errors: list[str], message: ConsoleMessage) -> None:
    if message.type == "error":
        location = message.location
        console_errors.append(f"{message.text} (at {location['url']}:{location['lineNumber']})")


def html_pages(folder: Path) -> list[str]:
    """Every page of a built site, relative to its root, except 404.html, whose links are absolute."""
    pages = (path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))
    return sorted(page for page in pages if page != "404.html")


def is_off_site(link: str, site_url: str) -> bool:
    link_parts, site_parts = urlsplit(link), urlsplit(site_url)
    return (link_parts.scheme, link_parts.netloc) != (site_parts.scheme, site_parts.netloc)


def path_in_site(link: str, site_url: str) -> str | None:
    """The file `link` points at, relative to the site's root; None when it is outside the site."""
    link_path, site_path = unquote(urlsplit(link).path), unquote(urlsplit(site_url).path)
    if not link_path.startswith(site_path):
        return None
    return link_path.removeprefix(site_path)


def problem_with_link(
    link: str, visit: PageVisit, site_url: str, folder: Path, ids_on: Callable[[str], frozenset[str]]
) -> str | None:
    if urldefrag(link).url == urldefrag(visit.url).url:  # "#anchor" on the page itself
        return problem_with_anchor(link, visit.ids, "this page")
    path = path_in_site(link, site_url)
    if path is None:
        return "points outside the site's folder (an absolute path breaks under /repo/ and file://)"
    target = folder / path
    if target.is_dir():
        return "points at a folder, not a file (breaks from file://)"
    if not target.is_file():
        return "no such file"
    if target.suffix == ".html":
        return problem_with_anchor(link, ids_on(path), path)
    return None


def problem_with_anchor(link: str, ids: frozenset[str], page: str) -> str | None:
    anchor = unquote(urlsplit(link).fragment)
    # "#top" and "#" scroll to the top of any page, by the HTML standard.
    if anchor and anchor.lower() != "top" and anchor not in ids:
        return f"no element with id {anchor!r} on {page}"
    return None


@dataclass
class SiteCrawl:
    """Every page of a site opened in Chromium, with what went wrong."""

    pages: int
    links_checked: int
    broken_links: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.pages} pages opened, {self.links_checked} links and asset references checked"

    def report(self, title: str, problems: list[str]) -> str:
        listed = "\n".join(f"  {problem}" for problem in problems)
        return f"{len(problems)} {title} ({self.summary()}):\n{listed}"


def crawl_site(
    context: BrowserContext,
    open_url: str,
    folder: Path,
    pages: list[str],
    link_url: str | None = None,
) -> SiteCrawl:
    """Open `pages` of `folder` at `open_url` and check every link that stays on the site.

    Links are judged against `link_url` (default `open_url`): 404.html links from the published address.
    """
    link_url = link_url or open_url
    visits = {page: visit_page(context, open_url + quote(page)) for page in pages}
    return check_visits(visits, folder, link_url, anchor_targets_loader(context, open_url, visits))


def check_visits(
    visits: Mapping[str, PageVisit], folder: Path, link_url: str, ids_on: Callable[[str], frozenset[str]]
) -> SiteCrawl:
    crawl = SiteCrawl(pages=len(visits), links_checked=0)
    for page, visit in visits.items():
        crawl.failed_requests += [f"{page}: {request}" for request in visit.failed_requests]
        crawl.console_errors += [f"{page}: {error}" for error in visit.console_errors]
        on_site = [link for link in visit.links if not is_off_site(link, link_url)]
        crawl.links_checked += len(on_site)
        for link in on_site:
            problem = problem_with_link(link, visit, link_url, folder, ids_on)
            if problem:
                crawl.broken_links.append(f"{page}: {link.removeprefix(link_url)} — {problem}")
    return crawl


def anchor_targets_loader(
    context: BrowserContext, open_url: str, visits: Mapping[str, PageVisit]
) -> Callable[[str], frozenset[str]]:
    """A function giving a page's anchor targets: from the crawl, or by opening a page it skipped."""
    opened_for_anchors: dict[str, frozenset[str]] = {}

    def ids_on(page: str) -> frozenset[str]:
        if page in visits:
            return visits[page].ids
        if page not in opened_for_anchors:
            opened_for_anchors[page] = visit_page(context, open_url + quote(page)).ids
        return opened_for_anchors[page]

    return ids_on
