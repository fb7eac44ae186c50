"""Checks: links and #anchors resolve in every language, and every glossary term is used somewhere.
The readability gate is checks/reading.py.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterator

from patientsite.content.load import Memo
from patientsite.content.model import Content, Page, Topic
from patientsite.engine.cache import key_of
from patientsite.markdown.anchors import anchors_by_key
from patientsite.markdown.glossary import unused_terms
from patientsite.markdown.markup import find_links
from patientsite.markdown.texts import PageText
from patientsite.problems import Problems


def check_links(
    content: Content, texts: dict[str, PageText], problems: Problems, memo: Memo | None = None
) -> None:
    """Every link to another page names a page that exists, and every #anchor a place on it, in every
    language. A page not yet translated has the original's links, checked there: render leads them to the
    translation's pages, and to a place on one only where the translation has it. `memo` (the pipeline
    gives a cache store) keeps each page's links by what they are found in; they are checked every time."""
    anchors = anchors_by_key(content, texts)
    for _, item in content.every_page(topics=True):
        if item.untranslated:
            continue
        for line, target in _links(item, texts[item.key], memo):
            _check_link(item, target, line, anchors, problems)


def _links(item: Page | Topic, text: PageText, memo: Memo | None) -> list[tuple[int, str]]:
    """(file line, target) of every link in a page's Markdown, from `memo` when its texts and their lines
    are the same."""
    pieces = list(_markdown_texts(item))
    if memo is None:
        return _found_links(pieces)
    key = key_of("links", text.made_from(item, item.key), repr([first for _, first in pieces]))
    found: list[tuple[int, str]] | None = memo.get(key)  # type: ignore[assignment]
    if found is None:
        found = _found_links(pieces)
        memo.put(key, found)
    return found


def _found_links(pieces: list[tuple[str, int]]) -> list[tuple[int, str]]:
    return [(first + line - 1, target) for piece, first in pieces for line, target in find_links(piece)]


def _markdown_texts(item: Page | Topic) -> Iterator[tuple[str, int]]:
    """Where a page's links are: its Markdown; a topic's, its emergency box (its other texts have none)."""
    if isinstance(item, Page):
        yield from item.markdown_texts()
    elif item.urgent is not None:
        yield item.urgent.text, item.urgent.line


def _check_link(
    page: Page | Topic, target: str, line: int, anchors: dict[str, set[str]], problems: Problems
) -> None:
    if ":" in target.split("/")[0]:
        return  # a web address; validation has refused unsafe schemes
    path, _, anchor = target.partition("#")
    key = posixpath.normpath(posixpath.join(posixpath.dirname(page.key), path)) if path else page.key
    if key not in anchors:
        pages = sorted(k for k in anchors if posixpath.dirname(k) == posixpath.dirname(page.key))
        close = difflib.get_close_matches(key, pages, n=1)
        hint = (
            f"did you mean '{posixpath.relpath(close[0], posixpath.dirname(page.key))}'?"
            if close
            else ("link to a page by its file name, e.g. causes.md, or to a web page with https://")
        )
        problems.add(page.file, line, "link", f"'{target}' is not a page of the site", hint)
    elif anchor and anchor not in anchors[key]:
        close = difflib.get_close_matches(anchor, sorted(anchors[key]), n=3)
        hint = (
            f"did you mean {' or '.join(repr(c) for c in close)}?"
            if close
            else ("link to a heading on that page: its id is its words in lower case joined by dashes")
        )
        problems.add(page.file, line, "link", f"'#{anchor}' is not a heading or place on {key}", hint)


def check_glossary_use(content: Content, texts: dict[str, PageText], problems: Problems) -> None:
    """A term that no page uses (as the pages would explain it) is a warning: no reader meets it there. Each
    language's glossary is looked for on the pages in that language."""
    for page, term in (found for edition in content.editions for found in unused_terms(edition, texts)):
        problems.warn(
            page.file,
            term.line,
            "terms.term",
            f"'{term.term}' is used on no page",
            "use the word where it helps a reader, add the form the pages use to its 'also' list, "
            "or delete the term",
        )
