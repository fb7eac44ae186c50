"""Checks: rules over the converted pages — links and #anchors resolve, every page reads plainly enough, and
every glossary term is used somewhere."""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from patientsite.checker import config as checker
from patientsite.content.model import Content, Page, Site, Topic
from patientsite.content.validate import page_texts
from patientsite.engine.workers import map_in_order
from patientsite.markdown.markup import find_links
from patientsite.markdown.texts import PageText
from patientsite.problems import Problems
from patientsite.render.site import TEMPLATE_IDS, page_anchors
from patientsite.render.terms import unused_terms

NOT_READ_ALOUD = re.compile(
    r"<table.*?</table>|<pre.*?</pre>|<sup class=\"cite\".*?</sup>|<p class=\"admonition-title\">.*?</p>",
    re.DOTALL,
)
BLOCK_END = re.compile(r"</(p|li|h[2-6]|dd|dt|div)>")
TAG = re.compile(r"<[^>]+>")
WORDS_PER_WORKER = 100  # pages whose words are worth a worker of their own (about 50 ms of work)


def all_pages(content: Content) -> Iterator[Page]:
    yield from content.site_pages
    for topic in content.topics:
        yield from topic.sections
        yield from topic.tools


def check_links(content: Content, texts: dict[str, PageText], problems: Problems) -> None:
    """Every link to another page names a page that exists, and every #anchor a place on it, in every
    language. A page not yet translated has the original's links, checked there: render leads them to the
    translation's pages, and to a place on one only where the translation has it."""
    anchors = _anchors_by_page(content, texts)
    for edition in content.editions:
        for page in all_pages(edition):
            if page.untranslated:
                continue
            for text, first_line in page_texts(page):
                for line, target in find_links(text):
                    _check_link(page, target, first_line + line - 1, anchors, problems)
        for topic in edition.topics:
            if topic.urgent is not None and not topic.untranslated:
                for line, target in find_links(topic.urgent.text):
                    _check_link(topic, target, topic.urgent.line + line - 1, anchors, problems)


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


def _anchors_by_page(content: Content, texts: dict[str, PageText]) -> dict[str, set[str]]:
    anchors: dict[str, set[str]] = {}
    for edition in content.editions:
        for page in all_pages(edition):
            anchors[page.key] = page_anchors(page, texts[page.key])
        for topic in edition.topics:
            anchors[topic.key] = set(TEMPLATE_IDS)
    return anchors


@dataclass(frozen=True)
class GradedPage:
    """A page the readability gate grades, with its words and the language they are measured in."""

    page: Page
    language: str
    words: str


def pages_to_grade(content: Content, texts: dict[str, PageText]) -> list[GradedPage]:
    """Every page the gate grades, with its words (worked out once a build, on every core): in every language,
    each page in the language itself (a page not yet translated is graded as the original), 30 words or more."""
    pages = [
        (page, edition.site.language)
        for edition in content.editions
        for page in all_pages(edition)
        if not page.untranslated
    ]
    words = map_in_order(
        lambda item: main_text(item[0], texts[item[0].key]), pages, items_per_worker=WORDS_PER_WORKER
    )
    return [
        GradedPage(page, language, text)
        for (page, language), text in zip(pages, words, strict=True)
        if len(text.split()) >= 30
    ]


def check_readability(
    content: Content,
    graded: list[GradedPage],
    problems: Problems,
    score: Callable[[str, str], float] | None = None,
) -> dict[str, float]:
    """Each graded page's reading score in its language (`reading_score`); a page past its language's limit
    is a problem. `score(text, language)` measures: by default `reading_score`, the build passes grading's."""
    score = score or reading_score
    scores: dict[str, float] = {}
    for graded_page in graded:
        page, language = graded_page.page, graded_page.language
        scores[page.key] = score(graded_page.words, language)
        problem = _past_the_limit(scores[page.key], language, content.site)
        if problem:
            field_name, message = problem
            problems.add(
                page.file,
                1,
                field_name,
                message,
                "use shorter sentences and everyday words; the "
                f"longest sentence is: '{_longest_sentence(graded_page.words)}'",
            )
    return scores


def reading_score(text: str, language: str) -> float:
    """How easy a text is to read: a Fernández-Huerta reading ease for Spanish (higher is easier), else a
    Flesch–Kincaid grade (lower is easier). readability.py measures, in the process that calls this."""
    from patientsite.checks.readability import fernandez_huerta, reading_grade

    return fernandez_huerta(text) if is_spanish(language) else reading_grade(text, language)


def is_spanish(language: str) -> bool:
    return re.split(r"[-_]", language)[0].lower() == "es"


def score_name(language: str) -> str:
    """What `reading_score` measures in a language, as check prints it."""
    return "Fernández-Huerta" if is_spanish(language) else "reading grade"


def score_names(content: Content) -> dict[str, str]:
    """What each page's reading score is, by page key."""
    return {
        page.key: score_name(edition.site.language)
        for edition in content.editions
        for page in all_pages(edition)
    }


def _past_the_limit(score: float, language: str, site: Site) -> tuple[str, str] | None:
    """(field, message) when a score is past its language's limit in site.yaml; else None."""
    if is_spanish(language):
        if score < site.min_fernandez_huerta:
            return "reading ease", (
                f"the page reads at Fernández-Huerta {score:.1f}, below the limit of "
                f"{site.min_fernandez_huerta:g} (higher is easier)"
            )
    elif score > site.max_grade:
        return "reading grade", f"the page reads at grade {score:.1f}, above the limit of {site.max_grade:g}"
    return None


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
    return re.sub("  +", " ", plain.replace("\t", " ")).strip()  # as r"[ \t]+" → " ", in a third of the time


def _longest_sentence(text: str) -> str:
    sentences = re.split(r"(?<=[.?!])\s+", text)
    longest = " ".join(max(sentences, key=lambda s: len(s.split())).split())
    return longest if len(longest) < 160 else longest[:157] + "…"
