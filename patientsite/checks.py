"""Checks: rules over the converted pages — links and #anchors resolve, and every page reads plainly enough."""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Callable, Iterator

from . import checker
from .markup import find_links
from .model import Content, Page
from .problems import Problems
from .render import TEMPLATE_IDS
from .texts import PageText
from .validate import page_texts

NOT_READ_ALOUD = re.compile(
    r"<table.*?</table>|<pre.*?</pre>|<sup class=\"cite\".*?</sup>|<p class=\"admonition-title\">.*?</p>", re.DOTALL)
BLOCK_END = re.compile(r"</(p|li|h[2-6]|dd|dt|div)>")
TAG = re.compile(r"<[^>]+>")


def all_pages(content: Content) -> Iterator[Page]:
    yield content.home
    for topic in content.topics:
        yield from topic.sections
        yield from topic.tools


def check_links(content: Content, texts: dict[str, PageText], problems: Problems) -> None:
    """Every link to another page names a page that exists, and every #anchor a place on it."""
    anchors = _anchors_by_page(content, texts)
    for page in all_pages(content):
        for text, first_line in page_texts(page):
            for line, target in find_links(text):
                _check_link(page, target, first_line + line - 1, anchors, problems)


def _check_link(page: Page, target: str, line: int, anchors: dict[str, set[str]], problems: Problems) -> None:
    if ":" in target.split("/")[0]:
        return  # a web address; validation has refused unsafe schemes
    path, _, anchor = target.partition("#")
    key = posixpath.normpath(posixpath.join(posixpath.dirname(page.key), path)) if path else page.key
    if key not in anchors:
        pages = sorted(k for k in anchors if posixpath.dirname(k) == posixpath.dirname(page.key))
        close = difflib.get_close_matches(key, pages, n=1)
        hint = f"did you mean '{posixpath.relpath(close[0], posixpath.dirname(page.key))}'?" if close else (
            "link to a page by its file name, e.g. causes.md, or to a web page with https://")
        problems.add(page.file, line, "link", f"'{target}' is not a page of the site", hint)
    elif anchor and anchor not in anchors[key]:
        close = difflib.get_close_matches(anchor, sorted(anchors[key]), n=3)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else (
            "link to a heading on that page: its id is its words in lower case joined by dashes")
        problems.add(page.file, line, "link", f"'#{anchor}' is not a heading or place on {key}", hint)


def _anchors_by_page(content: Content, texts: dict[str, PageText]) -> dict[str, set[str]]:
    anchors: dict[str, set[str]] = {}
    for page in all_pages(content):
        ids = set(TEMPLATE_IDS)
        for fragment in texts[page.key].fragments():
            ids.update(fragment.ids)
        ids.update(question.anchor for question in page.questions)
        ids.update(term.anchor for term in page.terms)
        anchors[page.key] = ids
    for topic in content.topics:
        anchors[topic.key] = set(TEMPLATE_IDS)
    return anchors


def check_readability(content: Content, texts: dict[str, PageText], problems: Problems,
                      reading_grade: Callable[[str, str], float] | None = None) -> dict[str, float]:
    """The reading grade of each page's main text; a page above the site's limit is a problem.

    `reading_grade(text, language)` measures; by default readability's, the build passes grading's cache.
    """
    if reading_grade is None:
        from .readability import reading_grade

    limit = content.site.max_grade
    grades: dict[str, float] = {}
    for page in all_pages(content):
        text = main_text(page, texts[page.key])
        if len(text.split()) < 30:
            continue
        grade = reading_grade(text, content.site.language)
        grades[page.key] = grade
        if grade > limit:
            problems.add(page.file, 1, "reading grade",
                         f"the page reads at grade {grade:.1f}, above the limit of {limit:g}",
                         "use shorter sentences and everyday words; the longest sentence is: "
                         f"'{_longest_sentence(text)}'")
    return grades


def main_text(page: Page, text: PageText) -> str:
    """The words a reader reads: summary, key points, body, questions and answers, terms and meanings."""
    parts = [text.summary.html, *(point.html for point in text.key_points)]
    if text.body is not None:
        parts.append(text.body.html)
    headings = [q.question for q in page.questions] + [t.term for t in page.terms]
    for heading, entry in zip(headings, text.entries, strict=False):
        parts.extend([html.escape(heading if heading.endswith(("?", ".")) else heading + "."), entry.html])
    if page.kind == "checker" and page.tool is not None:
        parts.extend(f"<p>{html.escape(sentence)}</p>" for sentence in checker.reader_texts(page.tool))
    return "\n".join(_words_of(part) for part in parts)


def _words_of(fragment_html: str) -> str:
    plain = BLOCK_END.sub(".\n", NOT_READ_ALOUD.sub(" ", fragment_html))
    plain = html.unescape(TAG.sub(" ", plain))
    plain = re.sub(r"([.?!:;])\s*\.", r"\1", plain)
    return re.sub(r"[ \t]+", " ", plain).strip()


def _longest_sentence(text: str) -> str:
    sentences = re.split(r"(?<=[.?!])\s+", text)
    longest = max(sentences, key=lambda s: len(s.split()))
    return longest if len(longest) < 160 else longest[:157] + "…"
