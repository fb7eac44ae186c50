"""Model: the content as typed, frozen values, made once by validate and read by every later stage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    date: str
    note: str | None = None


@dataclass(frozen=True)
class Review:
    """A clinical review. Empty unless a named person really reviewed the page."""

    reviewed_by: str | None = None
    reviewed_on: date | None = None
    next_review: date | None = None

    @property
    def is_reviewed(self) -> bool:
        return bool(self.reviewed_by and self.reviewed_on)

    def due(self, updated: date, years: int) -> date:
        """When the next review is due: as planned; else `years` after the last review, or after the last
        update of a page no clinician has reviewed."""
        if self.is_reviewed and self.next_review:
            return self.next_review
        return years_after(self.reviewed_on if self.is_reviewed else updated, years)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class NavItem:
    title: str
    page: str  # content key of the page, e.g. 'leucopenia/topic.yaml'


@dataclass(frozen=True)
class Strings:
    """The words the templates say in one language: each string's text and the line it is on in `file`."""

    file: str
    texts: dict[str, str]
    lines: dict[str, int]


@dataclass(frozen=True)
class Site:
    file: str
    title: str
    language: str
    description: str
    base_url: str | None
    disclaimer: str
    navigation: tuple[NavItem, ...]
    max_grade: float = 8.0
    review_interval_years: int = 3  # a page is due for review this long after its last review (NHS: 3)
    min_fernandez_huerta: float = 60.0  # the readability limit of Spanish pages (higher is easier)
    locale: str = (
        "en"  # how dates are written (Babel): en_GB writes 25 November 2026, es 25 de noviembre de 2026
    )
    translations: tuple[str, ...] = ()  # the other languages, each in content/<code>/ (in the original only)
    missing_translation: str = (
        "fallback"  # a page not yet translated: 'fallback' publishes the original, 'fail'
    )
    folder: str = ""  # where this language's files are in content/: '' for the original, 'es' for Spanish
    strings: Strings | None = None


@dataclass(frozen=True)
class Question:
    question: str
    answer: str  # Markdown
    line: int
    anchor: str
    answer_line: int = 0  # where the answer's text starts, for problems inside it


@dataclass(frozen=True)
class Term:
    term: str
    meaning: str  # Markdown, one paragraph
    line: int
    anchor: str
    pronunciation: str | None = None
    also: tuple[str, ...] = ()
    meaning_line: int = 0


@dataclass(frozen=True)
class UrgentBox:
    """A topic's emergency box: when to get help at once and whom to call, in a few lines. It stands first,
    under the title, on the topic's overview and handout and on each page whose `urgent_box` is true."""

    title: str
    text: str  # Markdown, one paragraph, citing its sources
    line: int  # where the text starts, for problems inside it


@dataclass(frozen=True)
class Page:
    """One page made from one content file: the home page, a topic section, its FAQ, glossary or a tool."""

    key: str  # path relative to content/, e.g. 'leucopenia/causes.md'
    file: str  # path shown to editors, e.g. 'content/leucopenia/causes.md'
    # 'home', 'page' (another page of the whole site, as about.md), 'section', 'faq', 'glossary', 'checker'
    kind: str
    slug: str
    title: str
    summary: str
    updated: date
    summary_line: int = 1  # where summary and key points stand, for problems inside them
    key_points: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()  # named in front matter, besides those cited in the text
    review: Review = field(default_factory=Review)
    body: str = ""  # Markdown
    body_line: int = 1
    questions: tuple[Question, ...] = ()
    terms: tuple[Term, ...] = ()
    tool: object | None = None  # the validated configuration of an interactive tool such as the checker
    translation_of: date | None = None  # a translation: the original's `updated` date it was translated from
    untranslated: bool = False  # in a translation, the original's page published until it is translated
    original_updated: date | None = (
        None  # a translation out of date: the later `updated` date of its original
    )
    urgent_box: bool = False  # the page opens with its topic's emergency box (the home page: every topic's)

    def markdown_texts(self) -> Iterator[tuple[str, int]]:
        """Each piece of Markdown on the page with the file line it starts on."""
        yield self.summary, self.summary_line
        for point in self.key_points:
            yield point, self.summary_line
        yield self.body, self.body_line
        for question in self.questions:
            yield question.answer, question.answer_line
        for term in self.terms:
            yield term.meaning, term.meaning_line


@dataclass(frozen=True)
class Topic:
    key: str  # 'leucopenia/topic.yaml'
    file: str
    slug: str
    title: str
    summary: str
    key_points: tuple[str, ...]
    updated: date
    sources: tuple[Source, ...]
    sections: tuple[Page, ...]
    tools: tuple[Page, ...] = ()
    pronunciation: str | None = None
    other_names: tuple[str, ...] = ()
    review: Review = field(default_factory=Review)
    draft: bool = False  # not for readers yet: may lack sources; its pages say so and are not indexed
    translation_of: date | None = None
    untranslated: bool = False
    original_updated: date | None = None
    urgent: UrgentBox | None = None

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


@dataclass(frozen=True)
class Content:
    """The site in its original language, with each translation inside it (keys under its folder: 'es/…')."""

    site: Site
    home: Page
    topics: tuple[Topic, ...]
    translations: tuple[Content, ...] = ()
    pages: tuple[Page, ...] = ()  # the site's other pages of its own, outside any topic: about.md

    @property
    def site_pages(self) -> tuple[Page, ...]:
        """The pages of the whole site, outside any topic: the home page first."""
        return (self.home, *self.pages)

    @property
    def editions(self) -> tuple[Content, ...]:
        """The site in each of its languages, the original first."""
        return (self, *self.translations)

    def pages_and_topics(self) -> Iterator[Page | Topic]:
        """This language's pages, in the order of the site: the home page and the site's other pages, then
        each topic followed by its sections and tools."""
        yield from self.site_pages
        for topic in self.topics:
            yield topic
            yield from topic.sections
            yield from topic.tools

    def own_pages(self) -> Iterator[Page]:
        """This language's pages made from a page file: every one of pages_and_topics but the topics."""
        return (item for item in self.pages_and_topics() if isinstance(item, Page))

    def every_page(self, topics: bool = False) -> Iterator[tuple[Content, Page | Topic]]:
        """Every page of every language (with `topics`, each topic too), each beside the site in its language:
        the one loop over "every page of every language"."""
        for edition in self.editions:
            for item in edition.pages_and_topics() if topics else edition.own_pages():
                yield edition, item
