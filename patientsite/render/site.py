"""Render: the content model and its converted text → every output file of the site, in memory.

Pure: it reads no file and writes none. Markdown has already been converted (convert.py); here each page
gets its citations numbered, its links made relative, and its template filled.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import jinja2
from markupsafe import Markup

from patientsite.checker import config as checker
from patientsite.content.model import Content, Page, Review, Source, Topic
from patientsite.content.strings import Words
from patientsite.engine.workers import map_in_order
from patientsite.markdown.convert import ID_ATTRIBUTE, Fragment, place_fragment
from patientsite.markdown.anchors import TEMPLATE_IDS as TEMPLATE_IDS
from patientsite.markdown.anchors import anchors_by_key
from patientsite.markdown.anchors import page_anchors as page_anchors
from patientsite.markdown.texts import PageText, disclaimer_key
from patientsite.render.a_z import Letter, a_z_entries, letters, search_index
from patientsite.render.paths import (
    A_Z_PAGE,
    A_Z_PATH,
    ABOUT_PAGE,
    absolute_url,
    asset_path,
    output_path,
    relative_url,
    topic_page_path,
)
from patientsite.render.search import index_path, search_index_script
from patientsite.render.terms import Explanation, explain_terms, glossaries

_QUOTE = {'"': "&quot;"}
SOURCES_PAGE = "sources"
HANDOUT_PAGE = "handout"
LEAFLET_PAGE = "leaflet"
NO_HTML = Markup("")
ICON = "icon.svg"
NO_ICON = "data:,"  # an empty icon: the browser asks for no /favicon.ico either
NOT_FOUND_PATH = "404.html"
PARTS_PER_WORKER = 4  # a part is a topic's dozen pages, about 20 ms to render: four are worth a worker
# A page loads one script (its budget is three requests: the page, its stylesheet, one script), so the checker
# page's script carries the search field's too, and the A to Z page's the search itself, which its own box uses
# at once; every other page loads the search field's script alone, which adds the search when it is used.
SCRIPT_BUNDLES = {
    "checker.js": ("checker.js", "search.js"),
    "a-z.js": ("search.js", "search-engine.js"),
    "printable.js": ("print.js", "search.js"),
}  # a page with a print button
X_DEFAULT = "x-default"  # hreflang's name for the version for readers of any other language: the original
URGENT_ANCHOR = "get-help-now"  # the emergency box's id (a second box on the home page: get-help-now-2, …)


@dataclass(frozen=True)
class OutputFile:
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
    # A Markdown section or a leaflet: a "Print this page" button (shown by print.js). The FAQ and the glossary
    # have none: they are long, the leaflet and the handout are there to print, and a first visit to them
    # would no longer fit in the first round trip (test_budget.py).
    print_button: bool = False  # its script is printable.js: print.js with search.js (SCRIPT_BUNDLES)

    @property
    def untranslated(self) -> bool:
        return self.text_language != self.language


@dataclass(frozen=True)
class RenderedPage:
    """A page's file, and what the sitemap says of it."""

    file: OutputFile
    updated: date
    listed: bool  # in the sitemap: for readers, so neither a draft nor a page not translated yet


class SiteRenderer:
    """Fills the templates for every page of one site."""

    def __init__(
        self,
        content: Content,
        texts: dict[str, PageText],
        environment: jinja2.Environment,
        base_url: str | None,
    ):
        self.content = content
        self.site = content.site
        self.texts = texts
        self.environment = environment
        self.base_url = base_url
        self.paths = _page_paths(content)
        self.icon_uri = NO_ICON
        self.editions = {edition.site.language: edition for edition in content.editions}
        self.words = {language: Words(e.site.strings, e.site.locale) for language, e in self.editions.items()}
        self.glossaries = {language: glossaries(e, texts) for language, e in self.editions.items()}
        self.untranslated_paths = _untranslated_paths(content)
        # Every source of a language's topics by id, made once: a page outside a topic may cite any of them.
        self.sources = {language: _sources_by_id(e.topics) for language, e in self.editions.items()}

    @functools.cached_property
    def anchors(self) -> dict[str, set[str]]:
        """Every place on every page a link can lead to, by page key; worked out only when a page not yet
        translated has a link to a place (most sites and previews never need it)."""
        return anchors_by_key(self.content, self.texts)

    def render_all(self, static_files: dict[str, bytes]) -> list[OutputFile]:
        self.use_static_files(static_files)
        parts = [part for edition in self.content.editions for part in self._parts(edition)]
        rendered = map_in_order(self._render_part, parts, items_per_worker=PARTS_PER_WORKER)
        pages = [page for part in rendered for page in part]
        files = [page.file for page in pages]
        files.append(self.render_not_found())
        files.extend(
            OutputFile(asset_path(name), data) for name, data in sorted(_bundled(static_files).items())
        )
        files.extend(self.search_index_file(edition) for edition in self.content.editions)
        files.append(OutputFile("robots.txt", self.robots_txt().encode()))
        files.append(OutputFile(".nojekyll", b""))
        if self.base_url:
            files.append(OutputFile("sitemap.xml", self.sitemap_xml(pages).encode()))
        return files

    def _parts(self, edition: Content) -> list[Callable[[], Iterable[PageView]]]:
        """The pages of one language in parts that render apart (on every core), in the order of the site:
        the home page and the site's other pages, each topic's pages, the A to Z page."""
        return [
            lambda: [self.home_view(edition), *map(self.site_page_view, edition.pages)],
            *(functools.partial(self.topic_views, topic) for topic in edition.topics),
            lambda: [self.a_z_view(edition)],
        ]

    def _render_part(self, views: Callable[[], Iterable[PageView]]) -> list[RenderedPage]:
        return [
            RenderedPage(
                self.render_page(view),
                view.updated,
                listed=not (view.topic and view.topic.draft) and not view.untranslated,
            )
            for view in views()
        ]

    def use_static_files(self, static_files: dict[str, bytes]) -> None:
        """What pages take from the static files (render_page needs it; the preview renders a few pages)."""
        # Inside each page, the icon costs no request of its own (the page budget allows three).
        self.icon_uri = _svg_data_uri(static_files[ICON]) if ICON in static_files else NO_ICON

    # --- views ----------------------------------------------------------------------------------------------

    def home_view(self, edition: Content | None = None) -> PageView:
        """The home page of the site in one language (by default the original)."""
        edition = edition or self.content
        words = self.words[edition.site.language]
        view = self._page_view(edition.home, "page.html", None)
        view.links = tuple(
            Link(words.text("draft", title=t.title) if t.draft else t.title, self.paths[t.key])
            for t in edition.topics
        )
        return view

    def site_page_view(self, page: Page) -> PageView:
        """A page of the whole site outside any topic, such as About this site."""
        view = self._page_view(page, "page.html", None)
        home = self._edition_of(page.key).home
        view.breadcrumbs = (Link(self._words_of(page.key).text("home"), self.paths[home.key]),)
        return view

    def topic_views(self, topic: Topic) -> Iterator[PageView]:
        yield self.topic_view(topic)
        pages = topic.sections + topic.tools
        for page in pages:
            template = {"faq": "faq.html", "glossary": "glossary.html", "checker": "checker.html"}.get(
                page.kind, "page.html"
            )
            view = self._page_view(page, template, topic)
            view.breadcrumbs = self._crumbs(topic)
            if page in topic.sections:
                position = topic.sections.index(page)
                view.previous = self._link_to(topic.sections[position - 1]) if position > 0 else None
                view.next = (
                    self._link_to(topic.sections[position + 1])
                    if position + 1 < len(topic.sections)
                    else Link(
                        self._words_of(topic.key).text("sources"), topic_page_path(topic.slug, SOURCES_PAGE)
                    )
                )
            yield view
        yield self.sources_view(topic)
        yield self.handout_view(topic)
        yield self.leaflet_view(topic)

    def topic_view(self, topic: Topic) -> PageView:
        text = self.texts[topic.key]
        numbering = _Numbering(_cited_order(text.fragments()), _sources_by_id((topic,)))
        path = self.paths[topic.key]
        place = self._placer(path, numbering, topic)
        return PageView(
            path=path,
            template="topic.html",
            title=topic.title,
            description=text.plain_summary,
            updated=topic.updated,
            urgent_boxes=self._urgent_boxes((topic,), path, numbering),
            summary_html=place(text.summary),
            key_points_html=tuple(place(point) for point in text.key_points),
            sources=numbering.sources(),
            review=topic.review,
            topic=topic,
            breadcrumbs=self._crumbs(topic)[:1],
            pronunciation=topic.pronunciation,
            other_names=topic.other_names,
            **self._languages_of(topic),
        )

    def a_z_view(self, edition: Content | None = None) -> PageView:
        """The A to Z page of the site in one language (by default the original)."""
        edition = edition or self.content
        language, words = edition.site.language, self.words[edition.site.language]
        path = self.paths[posixpath.join(edition.site.folder, A_Z_PAGE)]
        pages = [*edition.site_pages] + [p for t in edition.topics for p in (t, *t.sections, *t.tools)]
        return PageView(
            path=path,
            template="a-z.html",
            title=words.text("a_z_title"),
            description=words.text("a_z_description"),
            updated=max(page.updated for page in pages),
            breadcrumbs=(Link(words.text("home"), self.paths[edition.home.key]),),
            letters=letters(a_z_entries(edition, self.paths)),
            search_json=_safe_json(search_index(edition, self.paths, path)),
            language=language,
            text_language=language,
        )

    def sources_view(self, topic: Topic) -> PageView:
        languages = self._languages_of(topic)
        words = self.words[languages["text_language"]]
        return PageView(
            path=topic_page_path(topic.slug, SOURCES_PAGE),
            template="sources.html",
            title=words.text("sources_title", topic=topic.title),
            updated=topic.updated,
            description=words.text("sources_description", topic=topic.title.lower()),
            sources=topic.sources,
            topic=topic,
            breadcrumbs=self._crumbs(topic),
            previous=self._link_to(topic.sections[-1]) if topic.sections else None,
            **languages,
        )

    def handout_view(self, topic: Topic) -> PageView:
        path = topic_page_path(topic.slug, HANDOUT_PAGE)
        topic_text = self.texts[topic.key]
        fragments = list(topic_text.fragments())
        for page in topic.sections:
            fragments.extend(self.texts[page.key].fragments())
        numbering = _Numbering(_cited_order(fragments), _sources_by_id((topic,)))
        place = self._placer(path, numbering, topic)
        languages = self._languages_of(topic)
        parts = tuple(
            self._handout_part(page, path, numbering, topic, languages["text_language"])
            for page in topic.sections
        )
        return PageView(
            path=path,
            template="handout.html",
            title=self.words[languages["text_language"]].text("handout_title", topic=topic.title),
            description=topic_text.plain_summary,
            updated=max([topic.updated] + [p.updated for p in topic.sections]),
            urgent_boxes=self._urgent_boxes((topic,), path, numbering),
            summary_html=place(topic_text.summary),
            key_points_html=tuple(place(point) for point in topic_text.key_points),
            parts=parts,
            sources=numbering.sources(),
            review=topic.review,
            topic=topic,
            breadcrumbs=self._crumbs(topic),
            pronunciation=topic.pronunciation,
            other_names=topic.other_names,
            **languages,
        )

    def leaflet_view(self, topic: Topic) -> PageView:
        """The topic's key facts, to print on two sheets at most: its emergency box first, what it is, the
        checker's scales, each section's key points (a page that opens with the emergency box first: its
        advice belongs on the first sheet), the checker's questions, and where to read more."""
        path = topic_page_path(topic.slug, LEAFLET_PAGE)
        topic_text = self.texts[topic.key]
        with_points = sorted(
            (p for p in topic.sections if self.texts[p.key].key_points), key=lambda page: not page.urgent_box
        )
        fragments = list(topic_text.fragments())
        for page in with_points:
            fragments.extend(self.texts[page.key].key_points)
        numbering = _Numbering(_cited_order(fragments), _sources_by_id((topic,)))
        place = self._placer(path, numbering, topic)
        parts = tuple(
            Part(
                page.slug,
                page.title,
                NO_HTML,
                Markup("<ul>\n{}\n</ul>").format(
                    Markup("\n").join(
                        Markup("<li>{}</li>").format(place(point))
                        for point in self.texts[page.key].key_points
                    )
                ),
                (),
            )
            for page in with_points
        )
        languages = self._languages_of(topic)
        words = self.words[languages["text_language"]]
        checker = next((tool for tool in topic.tools if tool.kind == "checker"), None)
        guide = self.paths[topic.key]  # on paper, the published address; offline, the guide beside it
        address = absolute_url(self.base_url, guide).removesuffix("index.html") if self.base_url else ""
        read_more = Link(address, address) if address else Link(topic.title, relative_url(path, guide))
        return PageView(
            path=path,
            template="leaflet.html",
            title=words.text("leaflet_title", topic=topic.title),
            description=words.text("leaflet_description", topic=topic.title.lower()),
            updated=max([topic.updated] + [p.updated for p in topic.sections + topic.tools]),
            urgent_boxes=self._urgent_boxes((topic,), path, numbering),
            summary_html=place(topic_text.summary),
            key_points_html=tuple(place(point) for point in topic_text.key_points),
            parts=parts,
            sources=numbering.sources(),
            review=topic.review,
            topic=topic,
            page=checker,
            links=(read_more,),
            print_button=True,
            breadcrumbs=self._crumbs(topic),
            **languages,
        )

    def _handout_part(
        self, page: Page, path: str, numbering: _Numbering, topic: Topic, handout_language: str
    ) -> Part:
        text = self.texts[page.key]
        prefix = f"{page.slug}--"
        in_handout = {p.key: p.slug for p in topic.sections}
        language = self._languages_of(page)["text_language"]

        def link_for(key: str, anchor: str) -> str:
            anchor = self._kept_anchor(page, key, anchor)
            if key in in_handout:
                return f"#{in_handout[key]}--{anchor}" if anchor else f"#{in_handout[key]}"
            return self._href(path, key, anchor)

        def place(fragment: Fragment) -> Markup:
            html = place_fragment(
                _prefix_ids(fragment.html, prefix),
                link_for,
                numbering.number,
                self.words[language].text("source"),
            )
            return Markup(_demote_headings(html))

        entries = tuple(
            Entry(e.title, prefix + e.anchor, place(f), e.pronunciation, e.also)
            for e, f in zip(_entries_of(page), text.entries, strict=True)
        )
        return Part(
            page.slug,
            page.title,
            place(text.summary),
            place(text.body) if text.body else Markup(""),
            entries,
            language if language != handout_language else "",
        )

    def _page_view(self, page: Page, template: str, topic: Topic | None) -> PageView:
        text = self.texts[page.key]
        # A topic's own sources first, then any of its language's topics (as a page outside a topic has).
        sources = ChainMap(
            _sources_by_id((topic,) if topic else ()), self.sources[self._edition_of(page.key).site.language]
        )
        boxed = self._boxed_topics(page, topic)
        boxes = [self.texts[boxed_topic.key].urgent for boxed_topic in boxed]
        numbering = _Numbering(_cited_order(boxes + list(text.fragments())) + list(page.source_ids), sources)
        path = self.paths[page.key]
        place = self._placer(path, numbering, page)
        entries = tuple(
            Entry(e.title, e.anchor, place(f), e.pronunciation, e.also)
            for e, f in zip(_entries_of(page), text.entries, strict=True)
        )
        return PageView(
            path=path,
            template=template,
            title=page.title,
            description=text.plain_summary,
            updated=page.updated,
            urgent_boxes=self._urgent_boxes(boxed, path, numbering),
            summary_html=place(text.summary),
            key_points_html=tuple(place(point) for point in text.key_points),
            body_html=place(text.body) if text.body else Markup(""),
            entries=entries,
            sources=numbering.sources(),
            review=page.review,
            topic=topic,
            page=page,
            print_button=topic is not None and page in topic.sections and page.kind == "section",
            **self._languages_of(page),
        )

    def _boxed_topics(self, page: Page, topic: Topic | None) -> tuple[Topic, ...]:
        """The topics whose emergency box a page opens with: its own topic's, or on the home page every topic's."""
        if not page.urgent_box:
            return ()
        topics = (topic,) if topic else self._edition_of(page.key).topics
        return tuple(t for t in topics if t.urgent is not None)

    def _urgent_boxes(
        self, topics: Iterable[Topic], path: str, numbering: _Numbering
    ) -> tuple[UrgentBoxView, ...]:
        boxes = []
        for topic in topics:
            if topic.urgent is None:
                continue
            place = self._placer(path, numbering, topic)
            anchor = URGENT_ANCHOR if not boxes else f"{URGENT_ANCHOR}-{len(boxes) + 1}"
            boxes.append(
                UrgentBoxView(
                    topic.urgent.title,
                    place(self.texts[topic.key].urgent),
                    anchor,
                    self._languages_of(topic)["text_language"],
                )
            )
        return tuple(boxes)

    def _languages_of(self, item: Page | Topic) -> dict:
        """A view's languages: of the site it is part of, of its words, and the version it translates."""
        language = self._edition_of(item.key).site.language
        original = self.content.site.language
        return {
            "language": language,
            "text_language": original if item.untranslated else language,
            "translation_of": item.translation_of,
            "original_updated": item.original_updated,
        }

    # --- files ----------------------------------------------------------------------------------------------

    def render_page(self, view: PageView) -> OutputFile:
        template = self.environment.get_template(view.template)
        html = template.render(**self._context(self._explained(view)))
        return OutputFile(view.path, html.encode("utf-8"))

    def render_not_found(self) -> OutputFile:
        """GitHub Pages serves 404.html at any depth, so its links are absolute when the base URL is known."""
        words, language = self.words[self.content.site.language], self.content.site.language
        view = PageView(
            path=NOT_FOUND_PATH,
            template="404.html",
            title=words.text("not_found_title"),
            description=words.text("not_found_description"),
            updated=self.content.home.updated,
            language=language,
            text_language=language,
        )
        if self.base_url:
            base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
            context = self._context(view, lambda target: base + target)
        else:
            context = self._context(view)
        html = self.environment.get_template("404.html").render(**context)
        return OutputFile(NOT_FOUND_PATH, html.encode("utf-8"))

    def search_index_file(self, edition: Content) -> OutputFile:
        words = self.words[edition.site.language]
        messages = {
            "found": words.text("search_found", count="{count}"),
            "none": words.text("search_nowhere"),
        }
        script = search_index_script(edition, self.texts, self.paths, messages)
        return OutputFile(index_path(edition.site.language), script.encode("utf-8"))

    def robots_txt(self) -> str:
        lines = ["User-agent: *", "Allow: /"]
        if self.base_url:
            lines.append(f"Sitemap: {absolute_url(self.base_url, 'sitemap.xml')}")
        return "\n".join(lines) + "\n"

    def sitemap_xml(self, pages: list[RenderedPage]) -> str:
        """Every page for readers, each with its versions in other languages; not a draft, nor a page not yet
        translated (the original is listed)."""
        entries = "".join(
            f"  <url><loc>{xml_escape(absolute_url(self.base_url, p.file.path))}</loc>"
            f"<lastmod>{p.updated.isoformat()}</lastmod>"
            + "".join(
                f'<xhtml:link rel="alternate" hreflang="{a.language}" href="{xml_escape(a.href, _QUOTE)}"/>'
                for a in self._alternates(p.file.path, lambda target: target)
            )
            + "</url>\n"
            for p in sorted(pages, key=lambda p: p.file.path)
            if p.listed
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
            + entries
            + "</urlset>\n"
        )

    def _context(self, view: PageView, link: Callable[[str], str] | None = None) -> dict:
        """The template's values; `link` turns a path from the site root into an href (relative by default)."""
        path = view.path
        link = link or (lambda target: relative_url(path, target))
        edition = self.editions[view.language]
        site, words = edition.site, self.words[view.language]
        navigation = tuple(
            (Link(item.title, link(self.paths[item.page])), self.paths[item.page] == path)
            for item in site.navigation
        )
        return {
            "site": site,
            "view": view,
            "page": view.page,
            "topic": view.topic,
            "home": edition.home,
            "about_href": link(self.paths[about])
            if (about := posixpath.join(site.folder, ABOUT_PAGE)) in self.paths
            else None,
            "review_due": view.review.due(view.updated, site.review_interval_years),
            "navigation": navigation,
            "url": lambda key: link(self.paths[key]),
            "href": link,
            "asset": lambda name: link(asset_path(name)),
            "icon_uri": self.icon_uri,
            "search_index": link(index_path(view.language)),
            "search_page": link(self.paths[posixpath.join(site.folder, A_Z_PAGE)]),
            "canonical": absolute_url(self.base_url, self._canonical_path(view)) if self.base_url else None,
            "alternates": self._alternates(path, link),
            "languages": self._language_links(view, link),
            "original_version": None if edition is self.content else self._original_version(path, link),
            "json_ld": _json_ld(view, self.base_url, edition.topics),
            "checker_json": _safe_json(checker.checker_script_data(view.page.tool, words))
            if view.page is not None and view.page.kind == "checker"
            else None,
            "disclaimer_html": Markup(self.texts[disclaimer_key(site)].summary.html),
            "t": words,  # t("key_points"): the words of the site's language; t.date(…) writes a date in it
            "words_of": self.words,  # each language's, e.g. for the words of a page not translated yet
            "format_date": words.date,
            "format_partial_date": words.partial_date,
        }

    # --- languages ------------------------------------------------------------------------------------------

    def _edition_of(self, key: str) -> Content:
        """The site in the language a page or topic is part of: its key starts with the language's folder."""
        folder = key.partition("/")[0]
        return next((e for e in self.content.translations if e.site.folder == folder), self.content)

    def _words_of(self, key: str) -> Words:
        return self.words[self._edition_of(key).site.language]

    def _twin(self, path: str, edition: Content) -> str:
        """The path of the same page in another language: the same path, in that language's folder."""
        folder, _, rest = path.partition("/")
        own = rest if rest and any(folder == e.site.folder for e in self.content.translations) else path
        return posixpath.join(edition.site.folder, own)

    def _alternates(self, path: str, link: Callable[[str], str]) -> tuple[Alternate, ...]:
        """Every language the page is written in (not a page not yet translated), and x-default, the original;
        none when there is only one. Full addresses when the base URL is known, as search engines want."""
        if path == NOT_FOUND_PATH:
            return ()
        href = (lambda target: absolute_url(self.base_url, target)) if self.base_url else link
        versions = [(e.site.language, self._twin(path, e)) for e in self.content.editions]
        written = [
            (language, target) for language, target in versions if target not in self.untranslated_paths
        ]
        if len(written) < 2:
            return ()
        default = [Alternate(X_DEFAULT, href(versions[0][1]))] if written[0] == versions[0] else []
        return tuple(Alternate(language, href(target)) for language, target in written) + tuple(default)

    def _language_links(self, view: PageView, link: Callable[[str], str]) -> tuple[LanguageLink, ...]:
        """The same page in each other language, named in that language; from 404, each language's home."""
        links = []
        for language, edition in self.editions.items():
            if language != view.language:
                target = (
                    self.paths[edition.home.key]
                    if view.path == NOT_FOUND_PATH
                    else self._twin(view.path, edition)
                )
                links.append(LanguageLink(language, self.words[language].text("language_name"), link(target)))
        return tuple(links)

    def _original_version(self, path: str, link: Callable[[str], str]) -> LanguageLink:
        """The page in the original language, which a translated page names as what it translates."""
        language = self.content.site.language
        return LanguageLink(
            language, self.words[language].text("language_name"), link(self._twin(path, self.content))
        )

    def _canonical_path(self, view: PageView) -> str:
        """A page not translated yet is a copy of the original's: search engines are pointed there."""
        return self._twin(view.path, self.content) if view.untranslated else view.path

    def _kept_anchor(self, page: Page | Topic, key: str, anchor: str) -> str:
        """A link's #place, unless the page is not translated yet and the translation it leads to has no such
        place (its headings have other words): then the link leads to the top of that page."""
        if page.untranslated and anchor and anchor not in self.anchors.get(key, TEMPLATE_IDS):
            return ""
        return anchor

    def _explained(self, view: PageView) -> PageView:
        """The view with the first use of each glossary term on it explained, in reading order; the handout is
        one page. A glossary, or the handout's glossary part, explains nothing: it is the explanation."""
        if (view.page is not None and view.page.kind == "glossary") or view.template == "leaflet.html":
            return view  # a leaflet keeps to two printed pages: its words are explained in the guide
        glossary = self._glossary_for(view)
        close_label = self.words[view.text_language or self.content.site.language].text("close")
        sections = view.topic.sections if view.topic else ()
        glossary_parts = {page.slug for page in sections if page.kind == "glossary"}
        explained: set[str] = set()
        # The handout holds its glossary: a word links to its entry there (lighter than a second meaning).
        entries_here = {
            entry.anchor for part in view.parts if part.anchor in glossary_parts for entry in part.entries
        }

        def entry_link(explanation: Explanation) -> str | None:
            anchors = (f"{slug}--{explanation.term.anchor}" for slug in glossary_parts)
            return next((f"#{anchor}" for anchor in anchors if anchor in entries_here), None)

        def explain(html: Markup) -> Markup:
            return Markup(explain_terms(html, glossary, explained, entry_link, close_label))

        def explain_entries(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
            return tuple(replace(entry, html=explain(entry.html)) for entry in entries)

        def explain_part(part: Part) -> Part:
            if part.anchor in glossary_parts:
                return part
            summary = explain(part.summary_html)
            return replace(
                part,
                summary_html=summary,
                body_html=explain(part.body_html),
                entries=explain_entries(part.entries),
            )

        summary = explain(view.summary_html)
        key_points = tuple(explain(point) for point in view.key_points_html)
        body = explain(view.body_html)
        entries = explain_entries(view.entries)
        parts = tuple(explain_part(part) for part in view.parts)
        return replace(
            view,
            summary_html=summary,
            key_points_html=key_points,
            body_html=body,
            entries=entries,
            parts=parts,
        )

    # --- links ----------------------------------------------------------------------------------------------

    def _glossary_for(self, view: PageView):
        """The glossary whose terms a page explains: its topic's (every topic's outside one), in the language of
        the page's words; a page not translated yet is explained by the original's glossary."""
        language = view.text_language or self.content.site.language
        topic_key = view.topic.key if view.topic else None
        if view.untranslated and topic_key:
            topic_key = self._twin(topic_key, self.content)
        return self.glossaries[language][topic_key]

    def _placer(self, path: str, numbering: _Numbering, item: Page | Topic) -> Callable[[Fragment], Markup]:
        """Places the fragments of a page or topic on the page at `path`, in the language of their words."""
        source_label = self.words[self._languages_of(item)["text_language"]].text("source")

        def link_for(key: str, anchor: str) -> str:
            return self._href(path, key, self._kept_anchor(item, key, anchor))

        def place(fragment: Fragment) -> Markup:
            return Markup(place_fragment(fragment.html, link_for, numbering.number, source_label))

        return place

    def _href(self, from_path: str, key: str, anchor: str) -> str:
        target = self.paths.get(key, key)
        href = relative_url(from_path, target)
        if target == from_path:
            return f"#{anchor}" if anchor else "#main"
        return f"{href}#{anchor}" if anchor else href

    def _link_to(self, page: Page) -> Link:
        return Link(page.title, self.paths[page.key])

    def _crumbs(self, topic: Topic) -> tuple[Link, ...]:
        edition = self._edition_of(topic.key)
        return (
            Link(self.words[edition.site.language].text("home"), self.paths[edition.home.key]),
            Link(topic.title, self.paths[topic.key]),
        )


class _Numbering:
    """Numbers a page's sources in the order the page first cites them."""

    def __init__(self, cited: list[str], lookup: Mapping[str, Source]):
        self.order = list(dict.fromkeys(cited))
        self.lookup = lookup

    def number(self, source_id: str) -> int:
        return self.order.index(source_id) + 1

    def sources(self) -> tuple[Source, ...]:
        return tuple(self.lookup[source_id] for source_id in self.order if source_id in self.lookup)


def _bundled(static_files: dict[str, bytes]) -> dict[str, bytes]:
    """The static files, and each script of SCRIPT_BUNDLES made of its parts (when its first part is there)."""
    bundled = dict(static_files)
    for name, parts in SCRIPT_BUNDLES.items():
        if parts[0] in static_files:
            bundled[name] = b"\n".join(static_files[part] for part in parts if part in static_files)
    return bundled


def _sources_by_id(topics: Iterable[Topic]) -> dict[str, Source]:
    return {source.id: source for topic in topics for source in topic.sources}


def _cited_order(fragments: list[Fragment]) -> list[str]:
    return [source_id for fragment in fragments for source_id in fragment.cited]


def _entries_of(page: Page) -> list[Entry]:
    if page.kind == "faq":
        return [Entry(q.question, q.anchor, Markup("")) for q in page.questions]
    if page.kind == "glossary":
        return [Entry(t.term, t.anchor, Markup(""), t.pronunciation, t.also) for t in page.terms]
    return []


def _page_paths(content: Content) -> dict[str, str]:
    paths = {}
    for edition in content.editions:
        folder = edition.site.folder
        for page in edition.site_pages:
            paths[page.key] = output_path(page.key)
        paths[posixpath.join(folder, A_Z_PAGE)] = posixpath.join(folder, A_Z_PATH)
        for topic in edition.topics:
            paths[topic.key] = output_path(topic.key)
            for page in topic.sections + topic.tools:
                paths[page.key] = output_path(page.key)
    return paths


def _untranslated_paths(content: Content) -> frozenset[str]:
    """Where the pages not translated yet are: the original's words, published in a translation."""
    paths = set()
    for edition in content.translations:
        items = [*edition.site_pages] + [
            item for topic in edition.topics for item in (topic, *topic.sections, *topic.tools)
        ]
        paths.update(output_path(item.key) for item in items if item.untranslated)
        paths.update(
            topic_page_path(topic.slug, name)
            for topic in edition.topics
            if topic.untranslated
            for name in (SOURCES_PAGE, HANDOUT_PAGE)
        )
    return frozenset(paths)


def _prefix_ids(html: str, prefix: str) -> str:
    html = ID_ATTRIBUTE.sub(lambda m: f'id="{prefix}{m.group(1)}"', html)
    return re.sub(r'href="#(?!source-)([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', html)


def _demote_headings(html: str) -> str:
    """A section's own headings sit one level below its title inside the handout."""
    return re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def _json_ld(view: PageView, base_url: str | None, topics: tuple[Topic, ...]) -> Markup:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": view.title,
        "description": view.description,
        "inLanguage": view.text_language,
        "dateModified": view.updated.isoformat(),
    }
    if base_url:
        data["url"] = absolute_url(base_url, view.path)
    conditions = [_condition(topic) for topic in ((view.topic,) if view.topic else topics)]
    if conditions:
        data["about"] = conditions[0] if len(conditions) == 1 else conditions
    if view.review.is_reviewed:
        data["lastReviewed"] = view.review.reviewed_on.isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": view.review.reviewed_by}
    if view.sources:
        data["citation"] = [{"@type": "CreativeWork", "name": s.title, "url": s.url} for s in view.sources]
    return _safe_json(data)


def _condition(topic: Topic) -> dict:
    condition = {"@type": "MedicalCondition", "name": topic.title}
    if topic.other_names:
        condition["alternateName"] = list(topic.other_names)
    return condition


def _svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml," + quote(svg.decode("utf-8").strip(), safe=":/=")


def _safe_json(data: object) -> Markup:
    """JSON that can sit inside <script>: '<', '>' and '&' are escaped, so '</script>' cannot break out."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
