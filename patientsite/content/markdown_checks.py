"""Markdown checks: what the Markdown of a page may not hold (raw HTML, pictures, broken tables, unsafe
links, links out of the site)."""

from __future__ import annotations

import hashlib

from patientsite.content.fields import shown
from patientsite.content.load import Memo
from patientsite.content.model import Page
from patientsite.markdown.markup import (
    find_broken_tables,
    find_links,
    find_pictures,
    find_raw_html,
    leaves_site,
    resolve_link,
)
from patientsite.problems import Problems

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")

TABLE_HINT = (
    "a table needs a blank line above it, its first row, straight under that a separator row with one "
    "--- for each column (| --- | --- | for two), then its rows; or write the text without |"
)


def check_page_markdown(page: Page, problems: Problems, memo: Memo | None = None) -> None:
    """Every piece of Markdown on a page, checked with the lines of its file."""
    for text, first_line in page.markdown_texts():
        check_markdown(text, page.file, first_line, page.key, problems, memo)


def check_markdown(
    text: str, file: str, first_line: int, key: str, problems: Problems, memo: Memo | None = None
) -> None:
    """What Markdown may not hold: raw HTML, pictures, links with an unsafe scheme or out of the site.
    `memo` keeps the problems each text gave, by the text, where it stands and the page it is on."""
    if memo is None:
        _check_markdown(text, file, first_line, key, problems)
        return
    memo_key = hashlib.sha256("\0".join((text, file, str(first_line), key)).encode()).hexdigest()
    found = memo.get(memo_key)
    if found is None:
        fresh = Problems()
        _check_markdown(text, file, first_line, key, fresh)
        found = tuple(fresh.items)
        memo.put(memo_key, found)
    problems.items.extend(found)


def _check_markdown(text: str, file: str, first_line: int, key: str, problems: Problems) -> None:
    for line, tag in find_raw_html(text):
        problems.add(
            file,
            first_line + line - 1,
            "text",
            f"contains raw HTML ({tag})",
            "use Markdown instead of HTML tags: **bold**, [link](page.md), lists, tables",
        )
    for line, message in find_broken_tables(text):
        problems.add(file, first_line + line - 1, "table", message, TABLE_HINT)
    for line in find_pictures(text):
        problems.add(
            file,
            first_line + line - 1,
            "picture",
            "contains a picture (![…](…)), which the site cannot show",
            "describe in words what the picture shows; pictures are not part of the guide yet",
        )
    for line, target in find_links(text):
        lowered = target.strip().lower()
        if ":" in lowered.split("/")[0] and not lowered.startswith(SAFE_SCHEMES):
            problems.add(
                file,
                first_line + line - 1,
                "link",
                f"{shown(target)} is not a safe link",
                "link to a page with https://, or to another page of the guide by its file name",
            )
        elif ":" not in lowered.split("/")[0] and leaves_site(resolve_link(key, target)):
            problems.add(
                file,
                first_line + line - 1,
                "link",
                f"{shown(target)} points outside the site",
                "link to a page of the guide by its file name, e.g. causes.md, or to a web page with https://",
            )
