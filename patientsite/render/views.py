"""Views: what a template receives to show one page (PageView and the values inside it), and the file a page
becomes (OutputFile). Plain values: page_views.py and printed_views.py make them, site.py renders them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from patientsite.content.model import Page, Review, Source, Topic
from patientsite.render.a_z import Letter

NO_HTML = Markup("")


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site, in memory: where it goes (from the site root) and its bytes."""

    path: str
    content: bytes


@dataclass(frozen=True)
class Link:
    title: str
    href: str


@dataclass(frozen=True)
class Entry:
    """A question with its answer, or a glossary term with its meaning, placed on a page."""

    title: str
    anchor: str
    html: Markup
    pronunciation: str | None = None
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """One section of a topic as it stands inside the handout."""

    anchor: str
    title: str
    summary_html: Markup
    body_html: Markup
    entries: tuple[Entry, ...]
    language: str = ""  # its words' language, when not the handout's: a section not yet translated


@dataclass(frozen=True)
class UrgentBoxView:
    """A topic's emergency box as it stands under a page's title."""

    title: str
    html: Markup
    anchor: str
    language: str  # the language of its words


@dataclass(frozen=True)
class Alternate:
    """The same page in one language (or hreflang's x-default), for <link rel="alternate"> and the sitemap."""

    language: str
    href: str


@dataclass(frozen=True)
class LanguageLink:
    """The language switcher's link to the same page in another language, named in that language."""

    language: str
    name: str
    href: str


@dataclass
class PageView:
    """What a template needs to show one page."""

    path: str
    template: str
    title: str
    description: str
    updated: date
    urgent_boxes: tuple[UrgentBoxView, ...] = ()  # first under the title
    summary_html: Markup = NO_HTML
    key_points_html: tuple[Markup, ...] = ()
    body_html: Markup = NO_HTML
    entries: tuple[Entry, ...] = ()
    parts: tuple[Part, ...] = ()
    sources: tuple[Source, ...] = ()
    review: Review = field(default_factory=Review)
    breadcrumbs: tuple[Link, ...] = ()
    previous: Link | None = None
    next: Link | None = None
    topic: Topic | None = None
    page: Page | None = None
    links: tuple[Link, ...] = ()
    pronunciation: str | None = None
    other_names: tuple[str, ...] = ()
    letters: tuple[Letter, ...] = ()  # the A to Z page's list
    search_json: Markup = NO_HTML  # the A to Z page's search index
    language: str = ""  # the language of the site the page is part of: its <html lang>, its interface's words
    text_language: str = ""  # the language of its own words: the original's, on a page not translated yet
    translation_of: date | None = None  # a translated page: the date of the original's version it translates
    original_updated: date | None = None  # a translation out of date: when its original was updated since
    # A Markdown section or a leaflet: a "Print this page" button (shown by print.js). The FAQ and the
    # glossary have none: they are long, the leaflet and the handout are there to print, and a first visit
    # to them would no longer fit in the first round trip (test_budget.py).
    print_button: bool = False  # its script is printable.js: print.js with search.js (SCRIPT_BUNDLES)

    @property
    def untranslated(self) -> bool:
        return self.text_language != self.language
