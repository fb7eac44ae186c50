"""Render: the content model and its converted text → every output file of the site, in memory.

Pure: it reads no file and writes none. Markdown has already been converted (markdown/convert.py); the views
of the pages are made by page_views.py and printed_views.py (links placed and citations numbered by
placing.py and citations.py); here each view has its glossary terms explained and fills its template, and
the site's other files are made: 404.html, the search indexes, the scripts, robots.txt and sitemap.xml.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from patientsite.checker.script_data import checker_script_data
from patientsite.content.model import Content, Page, Topic
from patientsite.markdown.glossary import Glossary, glossaries
from patientsite.markdown.texts import PageText, disclaimer_key
from patientsite.render.explaining import explained_view
from patientsite.render.languages import Languages
from patientsite.render.page_views import PageViews
from patientsite.render.paths import (
    A_Z_PAGE,
    ABOUT_PAGE,
    NOT_FOUND_PATH,
    absolute_url,
    asset_path,
    page_paths,
    relative_url,
)
from patientsite.render.printed_views import handout_view, leaflet_view
from patientsite.render.search import index_path
from patientsite.render.structured_data import json_ld, safe_json
from patientsite.render.views import Alternate, Link, OutputFile, PageView

ICON = "icon.svg"
NO_ICON = "data:,"  # an empty icon: the browser asks for no /favicon.ico either
# A page loads one script (its budget is three requests: the page, its stylesheet, one script), so the checker
# page's script carries the search field's too, and the A to Z page's the search itself, which its own box
# uses at once; every other page loads the search field's script alone, which adds the search when it is used.
SCRIPT_BUNDLES = {
    "checker.js": ("checker.js", "search.js"),
    "a-z.js": ("search.js", "search-engine.js"),
    "printable.js": ("print.js", "search.js"),
}  # a page with a print button
__all__ = ["OutputFile", "SCRIPT_BUNDLES", "SiteRenderer"]  # OutputFile's home is views.py


@dataclass(frozen=True)
class SitemapPage:
    """A page as the sitemap knows it: where it is, when it last changed, and whether it is listed."""

    path: str
    updated: date
    listed: bool  # in the sitemap: for readers, so neither a draft nor a page not translated yet


@dataclass(frozen=True)
class SitemapEntry:
    """A page in sitemap.xml: its full address, when it last changed, and its versions in other languages."""

    loc: str
    lastmod: str
    alternates: tuple[Alternate, ...]


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
        self.paths = page_paths(content)
        self.icon_uri = NO_ICON
        self.languages = Languages(content, base_url)
        self.views = PageViews(content, texts, self.paths, self.languages, base_url)
        self.glossaries = {language: glossaries(e, texts) for language, e in self.languages.editions.items()}

    def use_static_files(self, static_files: dict[str, bytes]) -> None:
        """What pages take from the static files (render_page needs it; the preview renders a few pages)."""
        # Inside each page, the icon costs no request of its own (the page budget allows three).
        self.icon_uri = _svg_data_uri(static_files[ICON]) if ICON in static_files else NO_ICON

    # --- views (page_views.py, printed_views.py) -----------------------------------------------------------

    def home_view(self, edition: Content | None = None) -> PageView:
        """The home page of the site in one language (by default the original)."""
        return self.views.home_view(edition)

    def site_page_view(self, page: Page) -> PageView:
        """A page of the whole site outside any topic, such as About this site."""
        return self.views.site_page_view(page)

    def topic_views(self, topic: Topic) -> Iterator[PageView]:
        """Every page of a topic: its overview, sections and tools, sources, handout and leaflet."""
        yield self.topic_view(topic)
        yield from self.views.topic_page_views(topic)
        yield self.sources_view(topic)
        yield self.handout_view(topic)
        yield self.leaflet_view(topic)

    def topic_view(self, topic: Topic) -> PageView:
        return self.views.topic_view(topic)

    def a_z_view(self, edition: Content | None = None) -> PageView:
        """The A to Z page of the site in one language (by default the original)."""
        return self.views.a_z_view(edition)

    def sources_view(self, topic: Topic) -> PageView:
        return self.views.sources_view(topic)

    def handout_view(self, topic: Topic) -> PageView:
        return handout_view(self.views, topic)

    def leaflet_view(self, topic: Topic) -> PageView:
        return leaflet_view(self.views, topic)

    # --- files ----------------------------------------------------------------------------------------------

    def render_page(self, view: PageView) -> OutputFile:
        template = self.environment.get_template(view.template)
        html = template.render(**self._context(self._explained(view)))
        return OutputFile(view.path, html.encode("utf-8"))

    def render_not_found(self) -> OutputFile:
        """GitHub Pages serves 404.html at any depth, so its links are absolute when the base URL is known."""
        language = self.content.site.language
        words = self.languages.words[language]
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

    def robots_txt(self) -> str:
        """Every crawler may read every page; with the base URL known, it is told where the sitemap is."""
        sitemap_url = absolute_url(self.base_url, "sitemap.xml") if self.base_url else None
        return self.environment.get_template("robots.txt").render(sitemap_url=sitemap_url)

    def sitemap_xml(self, pages: list[SitemapPage]) -> str:
        """Every page for readers, each with its versions in other languages; not a draft, nor a page not yet
        translated (the original is listed)."""
        entries = [
            SitemapEntry(
                absolute_url(self.base_url, page.path),
                page.updated.isoformat(),
                self.languages.alternates(page.path, lambda target: target),
            )
            for page in sorted(pages, key=lambda page: page.path)
            if page.listed
        ]
        return self.environment.get_template("sitemap.xml").render(entries=entries)

    def _explained(self, view: PageView) -> PageView:
        """The view with the first use of each glossary term on it explained (explaining.py)."""
        close_label = self.languages.words[view.text_language or self.content.site.language].text("close")
        return explained_view(view, self._glossary_for(view), close_label)

    def _glossary_for(self, view: PageView) -> Glossary:
        """The glossary whose terms a page explains: its topic's (every topic's outside one), in the language
        of the page's words; a page not translated yet is explained by the original's glossary."""
        language = view.text_language or self.content.site.language
        topic_key = view.topic.key if view.topic else None
        if view.untranslated and topic_key:
            topic_key = self.languages.twin(topic_key, self.content)
        return self.glossaries[language][topic_key]

    def _context(self, view: PageView, link: Callable[[str], str] | None = None) -> dict:
        """The template's values; `link` turns a path from the site root into an href (relative by
        default)."""
        path = view.path
        link = link or (lambda target: relative_url(path, target))
        edition = self.languages.editions[view.language]
        site, words = edition.site, self.languages.words[view.language]
        navigation = tuple(
            (Link(item.title, link(self.paths[item.page])), self.paths[item.page] == path)
            for item in site.navigation
        )
        about = posixpath.join(site.folder, ABOUT_PAGE)
        return {
            "site": site,
            "view": view,
            "page": view.page,
            "topic": view.topic,
            "home": edition.home,
            "about_href": link(self.paths[about]) if about in self.paths else None,
            "review_due": view.review.due(view.updated, site.review_interval_years),
            "navigation": navigation,
            "url": lambda key: link(self.paths[key]),
            "href": link,
            "asset": lambda name: link(asset_path(name)),
            "icon_uri": self.icon_uri,
            "search_index": link(index_path(view.language)),
            "search_page": link(self.paths[posixpath.join(site.folder, A_Z_PAGE)]),
            "canonical": absolute_url(self.base_url, self.languages.canonical_path(view))
            if self.base_url
            else None,
            "alternates": self.languages.alternates(path, link),
            "languages": self.languages.language_links(view, link, self.paths),
            "original_version": None
            if edition is self.content
            else self.languages.original_version(path, link),
            "json_ld": json_ld(view, self.base_url, edition.topics),
            "checker_json": safe_json(checker_script_data(view.page.tool, words))
            if view.page is not None and view.page.kind == "checker"
            else None,
            "disclaimer_html": Markup(self.texts[disclaimer_key(site)].summary.html),
            "t": words,  # t("key_points"): the words of the site's language; t.date(…) writes a date in it
            # Each language's words, e.g. for the words of a page not translated yet.
            "words_of": self.languages.words,
            "format_date": words.date,
            "format_partial_date": words.partial_date,
        }


def _svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml," + quote(svg.decode("utf-8").strip(), safe=":/=")
