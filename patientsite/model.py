"""Model: the content as typed, frozen values, made once by validate and read by every later stage."""

from __future__ import annotations

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


@dataclass(frozen=True)
class NavItem:
    title: str
    page: str  # content key of the page, e.g. 'leucopenia/topic.yaml'


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
class Page:
    """One page made from one content file: the home page, a topic section, its FAQ, glossary or a tool."""

    key: str  # path relative to content/, e.g. 'leucopenia/causes.md'
    file: str  # path shown to editors, e.g. 'content/leucopenia/causes.md'
    kind: str  # 'home', 'section', 'faq', 'glossary' or 'checker'
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

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


@dataclass(frozen=True)
class Content:
    site: Site
    home: Page
    topics: tuple[Topic, ...]
