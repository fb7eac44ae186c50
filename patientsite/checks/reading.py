"""Reading: the readability gate. Each page's words as a reader reads them, its reading score in its
language, and a problem when a page is past its language's limit in site.yaml."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from patientsite.checker.script_data import reader_texts
from patientsite.content.load import Memo
from patientsite.content.model import Content, Page, Site
from patientsite.engine.cache import key_of
from patientsite.engine.workers import map_in_order
from patientsite.markdown.texts import PageText
from patientsite.problems import Problems

NOT_READ_ALOUD = re.compile(
    r"<table.*?</table>|<pre.*?</pre>|<sup class=\"cite\".*?</sup>|<p class=\"admonition-title\">.*?</p>",
    re.DOTALL,
)
BLOCK_END = re.compile(r"</(p|li|h[2-6]|dd|dt|div)>")
TAG = re.compile(r"<[^>]+>")
MIN_WORDS = 30  # fewer words than this are not graded: the scores mean little on so few
WORDS_PER_WORKER = 100  # pages whose words are worth a worker of their own (about 50 ms of work)


@dataclass(frozen=True)
class GradedPage:
    """A page the readability gate grades: the language it is measured in, the key of its words (what they are
    made from: a grade is kept by it) and its converted text, from which the words are worked out again only
    to quote the longest sentence of a page past the limit."""

    page: Page
    language: str
    words_key: str
    text: PageText = field(repr=False, compare=False)

    @property
    def words(self) -> str:
        return main_text(self.page, self.text)


def pages_to_grade(
    content: Content, texts: dict[str, PageText], memo: Memo | None = None
) -> tuple[list[GradedPage], dict[str, str]]:
    """Every page the gate grades: in every language, each page in the language itself (a page not yet
    translated is graded as the original), of 30 words or more; and the words of those new to `memo`, by
    their key (for grade_texts, which lets them go once they are sent to be measured). They are worked out
    on every core; `memo` (the pipeline gives a cache store) keeps, by what the words are made from, whether
    there are enough of them: an unchanged page costs a lookup, and its words are not even made."""
    pages = [(page, edition.site.language) for edition, page in content.every_page() if not page.untranslated]
    keys = [_words_key(page, texts[page.key]) for page, _ in pages]
    enough: list[bool | None] = [memo.get(key) if memo else None for key in keys]  # type: ignore[misc]
    missing = [index for index, found in enumerate(enough) if found is None]
    made = map_in_order(
        lambda index: main_text(pages[index][0], texts[pages[index][0].key]),
        missing,
        items_per_worker=WORDS_PER_WORKER,
    )
    words: dict[str, str] = {}
    for index, text in zip(missing, made, strict=True):
        enough[index] = len(text.split(maxsplit=MIN_WORDS - 1)) >= MIN_WORDS  # counts to 30 at most
        if enough[index]:
            words[keys[index]] = text
        if memo:
            memo.put(keys[index], enough[index])
    graded = [
        GradedPage(page, language, key, texts[page.key])
        for index, ((page, language), key) in enumerate(zip(pages, keys, strict=True))
        if enough[index]
    ]
    return graded, words


def _words_key(page: Page, text: PageText) -> str:
    """What main_text reads of a page: its Markdown (as its converted text's key names it), its questions'
    and terms' headings, its kind and its checker."""
    headings = repr(([q.question for q in page.questions], [t.term for t in page.terms]))
    return key_of("words", text.made_from(page, page.key), headings, page.kind, repr(page.tool))


def check_readability(
    content: Content,
    graded: list[GradedPage],
    problems: Problems,
    score: Callable[[GradedPage], float] | None = None,
) -> dict[str, float]:
    """Each graded page's reading score in its language (`reading_score`); a page past its language's limit
    is a problem. `score(graded page)` measures: by default `reading_score` of its words, the build passes
    grading's."""
    score = score or (lambda graded_page: reading_score(graded_page.words, graded_page.language))
    scores: dict[str, float] = {}
    for graded_page in graded:
        page, language = graded_page.page, graded_page.language
        scores[page.key] = score(graded_page)
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
    return {page.key: score_name(edition.site.language) for edition, page in content.every_page()}


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
        parts.extend(f"<p>{html.escape(sentence)}</p>" for sentence in reader_texts(page.tool))
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
