"""What only a browser can tell: every page of the built site, opened in Chromium both from a server under
/repo/ (as GitHub Pages serves a project site) and straight from disk, has working links, anchors and
assets, and logs no error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from browser_support import (
    SiteCrawl,
    build_site,
    crawl_site,
    html_pages,
    route_to_folder,
    serve_folder,
)
from playwright.sync_api import Browser, BrowserContext
from support import browser_context

PUBLISHED_URL = "https://example.org/repo/"
FILES_FOR_GITHUB_PAGES = ["robots.txt", "404.html", ".nojekyll"]


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    with browser_context(browser) as context:
        yield context


@pytest.fixture(scope="module")
def served_crawl(context: BrowserContext, served_site: str, built_site: Path) -> SiteCrawl:
    return crawl_site(context, served_site, built_site, html_pages(built_site))


@pytest.fixture(scope="module")
def disk_crawl(context: BrowserContext, built_site: Path) -> SiteCrawl:
    return crawl_site(context, built_site.as_uri() + "/", built_site, html_pages(built_site))


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("published") / "site", "--base-url", PUBLISHED_URL)


def assert_crawl_saw_the_site(crawl: SiteCrawl) -> None:
    assert crawl.pages > 1 and crawl.links_checked > 0, f"nothing to check: {crawl.summary()}"


def assert_no_problems(crawl: SiteCrawl, what: str, problems: list[str]) -> None:
    if problems:
        pytest.fail(crawl.report(what, problems), pytrace=False)


def test_every_link_on_pages_served_under_a_prefix_reaches_an_existing_file_and_anchor(
    served_crawl: SiteCrawl,
) -> None:
    assert_crawl_saw_the_site(served_crawl)
    assert_no_problems(served_crawl, "broken links", served_crawl.broken_links)


def test_every_page_served_under_a_prefix_loads_all_its_assets(served_crawl: SiteCrawl) -> None:
    assert_crawl_saw_the_site(served_crawl)
    assert_no_problems(served_crawl, "failed requests", served_crawl.failed_requests)


def test_no_page_logs_a_console_error_or_throws(served_crawl: SiteCrawl) -> None:
    assert_crawl_saw_the_site(served_crawl)
    assert_no_problems(served_crawl, "console errors", served_crawl.console_errors)


def test_every_link_and_asset_works_when_pages_are_opened_from_disk(disk_crawl: SiteCrawl) -> None:
    assert_crawl_saw_the_site(disk_crawl)
    problems = disk_crawl.broken_links + disk_crawl.failed_requests
    assert_no_problems(disk_crawl, "broken links or failed requests from file://", problems)


def test_the_language_switcher_leads_from_every_page_to_its_translation_and_back(
    context: BrowserContext, served_site: str, built_site: Path
) -> None:
    """A reader on any page of the original language clicks the other language's name: the same page opens in
    that language (content/es/… is published at es/…), and its own switcher leads back to where they were."""
    original = html_language(built_site / "index.html")
    pages = [page for page in html_pages(built_site) if html_language(built_site / page) == original]
    tab = context.new_page()
    wrong = {}
    try:
        for page in pages:
            tab.goto(served_site + quote(page))
            switch = tab.locator(".language-switcher a").first
            language = switch.get_attribute("hreflang")
            switch.click()
            tab.wait_for_load_state()
            there = (tab.url, tab.evaluate("document.documentElement.lang"))
            tab.locator(f'.language-switcher a[hreflang="{original}"]').click()
            tab.wait_for_load_state()
            if there != (
                served_site + quote(f"{language}/{page}"),
                language,
            ) or tab.url != served_site + quote(page):
                wrong[page] = f"switched to {there}, back to {tab.url}"
    finally:
        tab.close()
    assert len(pages) > 10 and not wrong, wrong


def html_language(page: Path) -> str:
    return re.search(r'<html lang="([^"]+)"', page.read_text(encoding="utf-8")).group(1)


def test_build_without_base_url_writes_robots_404_and_nojekyll_but_no_sitemap(built_site: Path) -> None:
    missing = [name for name in FILES_FOR_GITHUB_PAGES if not (built_site / name).is_file()]
    assert not missing, f"the build did not write {missing}"
    assert not (built_site / "sitemap.xml").exists(), "a sitemap needs absolute URLs: only with --base-url"


def test_build_with_base_url_adds_a_sitemap_of_existing_pages(published_site: Path) -> None:
    missing = [
        name for name in [*FILES_FOR_GITHUB_PAGES, "sitemap.xml"] if not (published_site / name).is_file()
    ]
    assert not missing, f"the build with --base-url did not write {missing}"
    addresses = sitemap_addresses(published_site / "sitemap.xml")
    wrong = [address for address in addresses if not is_published_page(address, published_site)]
    assert addresses and not wrong, (
        f"{len(wrong)} of {len(addresses)} sitemap addresses are not pages under {PUBLISHED_URL}: {wrong}"
    )


def test_404_page_built_with_base_url_loads_without_errors_at_any_depth_and_links_to_existing_files(
    browser: Browser, published_site: Path
) -> None:
    missing_page = "leucopenia/no/such/page.html"
    with browser_context(browser) as context:
        # At the published address itself: the pages' Content-Security-Policy allows only their own origin.
        route_to_folder(context, PUBLISHED_URL, published_site)
        crawl = crawl_site(context, PUBLISHED_URL, published_site, ["404.html", missing_page])
    assert crawl.links_checked > 0, f"404.html links nowhere: {crawl.summary()}"
    problems = [
        problem
        for problem in crawl.broken_links + crawl.failed_requests + crawl.console_errors
        if not is_the_missing_page_itself(problem, missing_page)
    ]
    assert_no_problems(crawl, "problems on 404.html, opened directly and for a missing page", problems)


def is_the_missing_page_itself(problem: str, missing_page: str) -> bool:
    """Its own 404 status, a failed request that Chromium also logs as an error: expected, it is the point."""
    address = PUBLISHED_URL + missing_page
    own_status = f"{missing_page}: {address} (HTTP 404)"
    own_status_logged = f"{missing_page}: Failed to load resource: the server responded with a status of 404"
    return problem == own_status or (
        problem.startswith(own_status_logged) and problem.endswith(f"(at {address}:0)")
    )


def sitemap_addresses(sitemap: Path) -> list[str]:
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return [loc.text or "" for loc in ElementTree.parse(sitemap).iter(f"{namespace}loc")]


def is_published_page(address: str, folder: Path) -> bool:
    if not address.startswith(PUBLISHED_URL):
        return False
    target = folder / address.removeprefix(PUBLISHED_URL)
    return target.is_file() or (target / "index.html").is_file()


# The checks above pass vacuously if they cannot see a breakage; this proves they can.

BROKEN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="missing.css">
</head><body>
<a href="other.html#here">fine</a> <a href="#top">fine</a> <a href="https://example.net/">off the site</a>
<a href="#not-here">missing anchor on this page</a> <a href="nowhere.html">missing page</a>
<a href="other.html#gone">missing anchor</a>
<a href="/other.html">absolute path</a> <a href="sub/">folder</a>
<script>console.error("logged on purpose"); throw new Error("thrown on purpose");</script>
</body></html>"""

OTHER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Other</title><link rel="icon" href="data:,"></head>
<body><h1 id="here">Here</h1><a href="index.html">back</a></body></html>"""


@pytest.fixture
def broken_site(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text(OTHER_PAGE.replace("index.html", "../index.html"))
    (tmp_path / "index.html").write_text(BROKEN_PAGE)
    (tmp_path / "other.html").write_text(OTHER_PAGE)
    return tmp_path


def test_crawl_reports_broken_links_anchors_assets_and_errors_of_a_broken_site(
    context: BrowserContext, broken_site: Path
) -> None:
    with serve_folder(broken_site) as served_url:
        crawl = crawl_site(context, served_url, broken_site, html_pages(broken_site))
    assert (crawl.pages, crawl.links_checked) == (3, 10), crawl.summary()
    assert [problem.split(" — ")[0] for problem in crawl.broken_links] == [
        "index.html: missing.css",
        "index.html: index.html#not-here",
        "index.html: nowhere.html",
        "index.html: other.html#gone",
        f"index.html: {served_url.removesuffix('repo/')}other.html",
        "index.html: sub/",
    ]
    assert [problem.split(" (")[0] for problem in crawl.failed_requests] == [
        f"index.html: {served_url}missing.css"
    ]
    assert any("logged on purpose" in error for error in crawl.console_errors), crawl.console_errors
    assert any("thrown on purpose" in error for error in crawl.console_errors), crawl.console_errors


def test_crawl_from_disk_reports_links_that_leave_the_folder_or_point_at_folders(
    context: BrowserContext, broken_site: Path
) -> None:
    site_url = broken_site.as_uri() + "/"
    crawl = crawl_site(context, site_url, broken_site, html_pages(broken_site))
    reasons = [problem.split(" — ")[1] for problem in crawl.broken_links]
    assert len(reasons) == 6, crawl.broken_links
    assert "points outside the site's folder" in reasons[4] and "points at a folder" in reasons[5]
    assert [problem.split(" (")[0] for problem in crawl.failed_requests] == [
        f"index.html: {site_url}missing.css"
    ]
