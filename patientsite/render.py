"""Render: the content model and its converted text → every output file of the site, in memory.

Pure: it reads no file and writes none. Markdown has already been converted (convert.py); here each page
gets its citations numbered, its links made relative, and its template filled.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import jinja2
from markupsafe import Markup

from . import checker
from .convert import Fragment, place_fragment
from .model import Content, Page, Review, Site, Source, Topic
from .paths import absolute_url, asset_path, output_path, relative_url, topic_page_path
from .texts import PageText

SOURCES_PAGE = "sources"
HANDOUT_PAGE = "handout"
NO_HTML = Markup("")
ICON = "icon.svg"
NO_ICON = "data:,"  # an empty icon: the browser asks for no /favicon.ico either
TEMPLATE_IDS = frozenset({"main", "summary", "key-points", "sources"})


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


@dataclass
class PageView:
    """What a template needs to show one page."""

    path: str
    template: str
    title: str
    description: str
    updated: date
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


class SiteRenderer:
    """Fills the templates for every page of one site."""

    def __init__(self, content: Content, texts: dict[str, PageText], environment: jinja2.Environment,
                 base_url: str | None):
        self.content = content
        self.site = content.site
        self.texts = texts
        self.environment = environment
        self.base_url = base_url
        self.paths = _page_paths(content)
        self.icon_uri = NO_ICON

    def render_all(self, static_files: dict[str, bytes]) -> list[OutputFile]:
        # Inside each page, the icon costs no request of its own (the page budget allows three).
        self.icon_uri = _svg_data_uri(static_files[ICON]) if ICON in static_files else NO_ICON
        views = [self.home_view()]
        for topic in self.content.topics:
            views.extend(self.topic_views(topic))
        files = [self.render_page(view) for view in views]
        files.append(self.render_not_found())
        files.extend(OutputFile(asset_path(name), data) for name, data in sorted(static_files.items()))
        files.append(OutputFile("robots.txt", self.robots_txt().encode()))
        files.append(OutputFile(".nojekyll", b""))
        if self.base_url:
            files.append(OutputFile("sitemap.xml", self.sitemap_xml(views).encode()))
        return files

    # --- views ----------------------------------------------------------------------------------------------

    def home_view(self) -> PageView:
        home = self.content.home
        view = self._page_view(home, "page.html", None)
        view.links = tuple(Link(t.title, self.paths[t.key]) for t in self.content.topics)
        return view

    def topic_views(self, topic: Topic) -> Iterator[PageView]:
        yield self.topic_view(topic)
        pages = topic.sections + topic.tools
        for page in pages:
            template = {"faq": "faq.html", "glossary": "glossary.html", "checker": "checker.html"}.get(
                page.kind, "page.html")
            view = self._page_view(page, template, topic)
            view.breadcrumbs = self._crumbs(topic)
            if page in topic.sections:
                position = topic.sections.index(page)
                view.previous = self._link_to(topic.sections[position - 1]) if position > 0 else None
                view.next = (self._link_to(topic.sections[position + 1]) if position + 1 < len(topic.sections)
                             else Link("Sources", topic_page_path(topic.slug, SOURCES_PAGE)))
            yield view
        yield self.sources_view(topic)
        yield self.handout_view(topic)

    def topic_view(self, topic: Topic) -> PageView:
        text = self.texts[topic.key]
        numbering = _Numbering(_cited_order(text.fragments()), topic)
        path = self.paths[topic.key]
        place = self._placer(path, numbering)
        return PageView(
            path=path, template="topic.html", title=topic.title, description=text.plain_summary,
            updated=topic.updated, summary_html=place(text.summary),
            key_points_html=tuple(place(point) for point in text.key_points),
            sources=numbering.sources(), review=topic.review, topic=topic,
            breadcrumbs=(Link("Home", self.paths[self.content.home.key]),),
            pronunciation=topic.pronunciation, other_names=topic.other_names,
        )

    def sources_view(self, topic: Topic) -> PageView:
        return PageView(
            path=topic_page_path(topic.slug, SOURCES_PAGE), template="sources.html",
            title=f"Sources: {topic.title}", updated=topic.updated,
            description=f"Every source used in this guide to {topic.title.lower()}, with links.",
            sources=topic.sources, topic=topic, breadcrumbs=self._crumbs(topic),
            previous=self._link_to(topic.sections[-1]) if topic.sections else None,
        )

    def handout_view(self, topic: Topic) -> PageView:
        path = topic_page_path(topic.slug, HANDOUT_PAGE)
        topic_text = self.texts[topic.key]
        fragments = list(topic_text.fragments())
        for page in topic.sections:
            fragments.extend(self.texts[page.key].fragments())
        numbering = _Numbering(_cited_order(fragments), topic)
        place = self._placer(path, numbering)
        parts = tuple(self._handout_part(page, path, numbering, topic) for page in topic.sections)
        return PageView(
            path=path, template="handout.html", title=f"{topic.title}: the whole guide",
            description=topic_text.plain_summary, updated=max([topic.updated] + [p.updated for p in topic.sections]),
            summary_html=place(topic_text.summary),
            key_points_html=tuple(place(point) for point in topic_text.key_points),
            parts=parts, sources=numbering.sources(), review=topic.review, topic=topic,
            breadcrumbs=self._crumbs(topic), pronunciation=topic.pronunciation,
            other_names=topic.other_names,
        )

    def _handout_part(self, page: Page, path: str, numbering: _Numbering, topic: Topic) -> Part:
        text = self.texts[page.key]
        prefix = f"{page.slug}--"
        in_handout = {p.key: p.slug for p in topic.sections}

        def link_for(key: str, anchor: str) -> str:
            if key in in_handout:
                return f"#{in_handout[key]}--{anchor}" if anchor else f"#{in_handout[key]}"
            return self._href(path, key, anchor)

        def place(fragment: Fragment) -> Markup:
            html = place_fragment(_prefix_ids(fragment.html, prefix), link_for, numbering.number)
            return Markup(_demote_headings(html))

        entries = tuple(
            Entry(e.title, prefix + e.anchor, place(f), e.pronunciation, e.also)
            for e, f in zip(_entries_of(page), text.entries, strict=True)
        )
        return Part(page.slug, page.title, place(text.summary),
                    place(text.body) if text.body else Markup(""), entries)

    def _page_view(self, page: Page, template: str, topic: Topic | None) -> PageView:
        text = self.texts[page.key]
        numbering = _Numbering(_cited_order(list(text.fragments())) + list(page.source_ids), topic,
                               self.content.topics)
        path = self.paths[page.key]
        place = self._placer(path, numbering)
        entries = tuple(
            Entry(e.title, e.anchor, place(f), e.pronunciation, e.also)
            for e, f in zip(_entries_of(page), text.entries, strict=True)
        )
        return PageView(
            path=path, template=template, title=page.title, description=text.plain_summary,
            updated=page.updated, summary_html=place(text.summary),
            key_points_html=tuple(place(point) for point in text.key_points),
            body_html=place(text.body) if text.body else Markup(""), entries=entries,
            sources=numbering.sources(), review=page.review, topic=topic, page=page,
        )

    # --- files ----------------------------------------------------------------------------------------------

    def render_page(self, view: PageView) -> OutputFile:
        template = self.environment.get_template(view.template)
        html = template.render(**self._context(view))
        return OutputFile(view.path, html.encode("utf-8"))

    def render_not_found(self) -> OutputFile:
        """GitHub Pages serves 404.html at any depth, so its links are absolute when the base URL is known."""
        view = PageView(path="404.html", template="404.html", title="Page not found",
                        description="This page does not exist.", updated=self.content.home.updated)
        context = self._context(view)
        if self.base_url:
            base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
            context["url"] = lambda key: base + self.paths[key]
            context["asset"] = lambda name: base + asset_path(name)
        html = self.environment.get_template("404.html").render(**context)
        return OutputFile("404.html", html.encode("utf-8"))

    def robots_txt(self) -> str:
        lines = ["User-agent: *", "Allow: /"]
        if self.base_url:
            lines.append(f"Sitemap: {absolute_url(self.base_url, 'sitemap.xml')}")
        return "\n".join(lines) + "\n"

    def sitemap_xml(self, views: list[PageView]) -> str:
        entries = "".join(
            f"  <url><loc>{absolute_url(self.base_url, v.path)}</loc>"
            f"<lastmod>{v.updated.isoformat()}</lastmod></url>\n"
            for v in sorted(views, key=lambda v: v.path)
        )
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n")

    def _context(self, view: PageView) -> dict:
        path = view.path
        navigation = tuple(
            (Link(item.title, relative_url(path, self.paths[item.page])), self.paths[item.page] == path)
            for item in self.site.navigation
        )
        return {
            "site": self.site,
            "view": view,
            "page": view.page,
            "topic": view.topic,
            "navigation": navigation,
            "url": lambda key: relative_url(path, self.paths[key]),
            "href": lambda target: relative_url(path, target),
            "asset": lambda name: relative_url(path, asset_path(name)),
            "icon_uri": self.icon_uri,
            "canonical": absolute_url(self.base_url, path) if self.base_url else None,
            "json_ld": _json_ld(view, self.site, self.base_url, self.content.topics),
            "checker_json": _safe_json(checker.checker_script_data(view.page.tool))
            if view.page is not None and view.page.kind == "checker" else None,
            "disclaimer_html": Markup(self.texts["site.yaml"].summary.html),
            "format_date": format_date,
            "format_partial_date": format_partial_date,
        }

    # --- links ----------------------------------------------------------------------------------------------

    def _placer(self, path: str, numbering: _Numbering) -> Callable[[Fragment], Markup]:
        def place(fragment: Fragment) -> Markup:
            return Markup(place_fragment(fragment.html, lambda key, anchor: self._href(path, key, anchor),
                                         numbering.number))
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
        return (Link("Home", self.paths[self.content.home.key]), Link(topic.title, self.paths[topic.key]))


class _Numbering:
    """Numbers a page's sources in the order the page first cites them."""

    def __init__(self, cited: list[str], topic: Topic | None, topics: tuple[Topic, ...] = ()):
        self.order = list(dict.fromkeys(cited))
        self.lookup = {s.id: s for t in (topics or ((topic,) if topic else ())) for s in t.sources}
        if topic:
            self.lookup.update({s.id: s for s in topic.sources})

    def number(self, source_id: str) -> int:
        return self.order.index(source_id) + 1

    def sources(self) -> tuple[Source, ...]:
        return tuple(self.lookup[source_id] for source_id in self.order if source_id in self.lookup)


def _cited_order(fragments: list[Fragment]) -> list[str]:
    return [source_id for fragment in fragments for source_id in fragment.cited]


def _entries_of(page: Page) -> list[Entry]:
    if page.kind == "faq":
        return [Entry(q.question, q.anchor, Markup("")) for q in page.questions]
    if page.kind == "glossary":
        return [Entry(t.term, t.anchor, Markup(""), t.pronunciation, t.also) for t in page.terms]
    return []


def _page_paths(content: Content) -> dict[str, str]:
    paths = {content.home.key: output_path(content.home.key)}
    for topic in content.topics:
        paths[topic.key] = output_path(topic.key)
        for page in topic.sections + topic.tools:
            paths[page.key] = output_path(page.key)
    return paths


def _prefix_ids(html: str, prefix: str) -> str:
    html = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', html)
    return re.sub(r'href="#(?!source-)([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', html)


def _demote_headings(html: str) -> str:
    """A section's own headings sit one level below its title inside the handout."""
    return re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def _json_ld(view: PageView, site: Site, base_url: str | None, topics: tuple[Topic, ...]) -> Markup:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": view.title,
        "description": view.description,
        "inLanguage": site.language,
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


def format_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def format_partial_date(value: str) -> str:
    """A source's date as written ('2024', '2024-03', '2024-03-15') in words."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return format_date(date(*parts))
    if len(parts) == 2:
        return f"{date(parts[0], parts[1], 1):%B %Y}"
    return value
