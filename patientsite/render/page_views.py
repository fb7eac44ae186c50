"""Page views: the content model and its converted text → the PageView of each page a reader can open on
screen: the home page and the site's other pages, a topic's overview, sections, tools and sources, and the A
to Z page. The printable ones (handout, leaflet) are printed_views.py, on the same PageViews."""

from __future__ import annotations

import posixpath
from collections import ChainMap
from collections.abc import Iterable, Iterator

from markupsafe import Markup

from patientsite.content.model import Content, Page, Topic
from patientsite.markdown.texts import PageText
from patientsite.render.a_z import a_z_entries, letters, search_index
from patientsite.render.citations import Numbering, cited_order, sources_by_id, topic_numbering
from patientsite.render.languages import Languages
from patientsite.render.paths import A_Z_PAGE, SOURCES_PAGE, topic_page_path
from patientsite.render.placing import PageLinks, Placer
from patientsite.render.structured_data import safe_json
from patientsite.render.views import NO_HTML, Entry, Link, PageView, UrgentBoxView

URGENT_ANCHOR = "get-help-now"  # the emergency box's id (a second box on the home page: get-help-now-2, …)
TEMPLATES = {"faq": "faq.html", "glossary": "glossary.html", "checker": "checker.html"}  # by page kind


class PageViews:
    """Makes the views of one site's pages, in every language."""

    def __init__(
        self,
        content: Content,
        texts: dict[str, PageText],
        paths: dict[str, str],
        languages: Languages,
        base_url: str | None,
    ):
        self.content = content
        self.texts = texts
        self.paths = paths
        self.languages = languages
        self.base_url = base_url
        self.links = PageLinks(content, texts, paths)
        # Every source of a language's topics by id, made once: a page outside a topic may cite any of them.
        self.sources = {language: sources_by_id(e.topics) for language, e in languages.editions.items()}

    def home_view(self, edition: Content | None = None) -> PageView:
        """The home page of the site in one language (by default the original)."""
        edition = edition or self.content
        words = self.languages.words[edition.site.language]
        view = self.page_view(edition.home, "page.html", None)
        view.links = tuple(
            Link(words.text("draft", title=t.title) if t.draft else t.title, self.paths[t.key])
            for t in edition.topics
        )
        return view

    def site_page_view(self, page: Page) -> PageView:
        """A page of the whole site outside any topic, such as About this site."""
        view = self.page_view(page, "page.html", None)
        home = self.languages.edition_of(page.key).home
        view.breadcrumbs = (Link(self.languages.words_of(page.key).text("home"), self.paths[home.key]),)
        return view

    def topic_page_views(self, topic: Topic) -> Iterator[PageView]:
        """The views of a topic's sections (each leading to the one before and after it) and tools."""
        for page in topic.sections + topic.tools:
            view = self.page_view(page, TEMPLATES.get(page.kind, "page.html"), topic)
            view.breadcrumbs = self.crumbs(topic)
            if page in topic.sections:
                view.previous, view.next = self._neighbours(topic, topic.sections.index(page))
            yield view

    def _neighbours(self, topic: Topic, position: int) -> tuple[Link | None, Link]:
        """The links to the section before and after one; after the last, its topic's sources."""
        sections = topic.sections
        previous = self.link_to(sections[position - 1]) if position > 0 else None
        if position + 1 < len(sections):
            return previous, self.link_to(sections[position + 1])
        words = self.languages.words_of(topic.key)
        return previous, Link(words.text("sources"), topic_page_path(topic.slug, SOURCES_PAGE))

    def topic_view(self, topic: Topic) -> PageView:
        text = self.texts[topic.key]
        numbering = topic_numbering(topic, text.fragments())
        path = self.paths[topic.key]
        place = self.placer(path, numbering, topic)
        return PageView(
            path=path,
            template="topic.html",
            title=topic.title,
            description=text.plain_summary,
            updated=topic.updated,
            urgent_boxes=self.urgent_boxes((topic,), path, numbering),
            summary_html=place(text.summary),
            key_points_html=tuple(place(point) for point in text.key_points),
            sources=numbering.sources(),
            review=topic.review,
            topic=topic,
            breadcrumbs=self.crumbs(topic)[:1],
            pronunciation=topic.pronunciation,
            other_names=topic.other_names,
            **self.languages.of(topic),
        )

    def a_z_view(self, edition: Content | None = None) -> PageView:
        """The A to Z page of the site in one language (by default the original)."""
        edition = edition or self.content
        language = edition.site.language
        words = self.languages.words[language]
        path = self.paths[posixpath.join(edition.site.folder, A_Z_PAGE)]
        return PageView(
            path=path,
            template="a-z.html",
            title=words.text("a_z_title"),
            description=words.text("a_z_description"),
            updated=max(item.updated for item in edition.pages_and_topics()),
            breadcrumbs=(Link(words.text("home"), self.paths[edition.home.key]),),
            letters=letters(a_z_entries(edition, self.paths)),
            search_json=safe_json(search_index(edition, self.paths, path)),
            language=language,
            text_language=language,
        )

    def sources_view(self, topic: Topic) -> PageView:
        languages = self.languages.of(topic)
        words = self.languages.words[languages["text_language"]]
        return PageView(
            path=topic_page_path(topic.slug, SOURCES_PAGE),
            template="sources.html",
            title=words.text("sources_title", topic=topic.title),
            updated=topic.updated,
            description=words.text("sources_description", topic=topic.title.lower()),
            sources=topic.sources,
            topic=topic,
            breadcrumbs=self.crumbs(topic),
            previous=self.link_to(topic.sections[-1]) if topic.sections else None,
            **languages,
        )

    def page_view(self, page: Page, template: str, topic: Topic | None) -> PageView:
        """The view of a page made from a page file, on its own (not inside a handout)."""
        text = self.texts[page.key]
        # A topic's own sources first, then any of its language's topics (as a page outside a topic has).
        sources = ChainMap(
            sources_by_id((topic,) if topic else ()),
            self.sources[self.languages.edition_of(page.key).site.language],
        )
        boxed = self._boxed_topics(page, topic)
        boxes = [self.texts[boxed_topic.key].urgent for boxed_topic in boxed]
        numbering = Numbering(cited_order(boxes + list(text.fragments())) + list(page.source_ids), sources)
        path = self.paths[page.key]
        place = self.placer(path, numbering, page)
        entries = tuple(
            Entry(e.title, e.anchor, place(f), e.pronunciation, e.also)
            for e, f in zip(entries_of(page), text.entries, strict=True)
        )
        return PageView(
            path=path,
            template=template,
            title=page.title,
            description=text.plain_summary,
            updated=page.updated,
            urgent_boxes=self.urgent_boxes(boxed, path, numbering),
            summary_html=place(text.summary),
            key_points_html=tuple(place(point) for point in text.key_points),
            body_html=place(text.body) if text.body else NO_HTML,
            entries=entries,
            sources=numbering.sources(),
            review=page.review,
            topic=topic,
            page=page,
            print_button=topic is not None and page in topic.sections and page.kind == "section",
            **self.languages.of(page),
        )

    def _boxed_topics(self, page: Page, topic: Topic | None) -> tuple[Topic, ...]:
        """The topics whose emergency box a page opens with: its own topic's; on the home page, every
        topic's."""
        if not page.urgent_box:
            return ()
        topics = (topic,) if topic else self.languages.edition_of(page.key).topics
        return tuple(t for t in topics if t.urgent is not None)

    def urgent_boxes(
        self, topics: Iterable[Topic], path: str, numbering: Numbering
    ) -> tuple[UrgentBoxView, ...]:
        """The emergency boxes of these topics, as they stand under the title of the page at `path`."""
        boxes = []
        for topic in topics:
            if topic.urgent is None:
                continue
            place = self.placer(path, numbering, topic)
            anchor = URGENT_ANCHOR if not boxes else f"{URGENT_ANCHOR}-{len(boxes) + 1}"
            boxes.append(
                UrgentBoxView(
                    topic.urgent.title,
                    place(self.texts[topic.key].urgent),
                    anchor,
                    self.languages.text_language(topic),
                )
            )
        return tuple(boxes)

    def placer(self, path: str, numbering: Numbering, item: Page | Topic) -> Placer:
        """Places the fragments of a page or topic on the page at `path`, in the language of their words."""
        return Placer(self.links, path, numbering, item, self.source_label(item))

    def source_label(self, item: Page | Topic) -> str:
        """The word "source" for the item's citations, in the language of its words."""
        return self.languages.words[self.languages.text_language(item)].text("source")

    def link_to(self, page: Page) -> Link:
        return Link(page.title, self.paths[page.key])

    def crumbs(self, topic: Topic) -> tuple[Link, ...]:
        edition = self.languages.edition_of(topic.key)
        return (
            Link(self.languages.words[edition.site.language].text("home"), self.paths[edition.home.key]),
            Link(topic.title, self.paths[topic.key]),
        )


def entries_of(page: Page) -> list[Entry]:
    """A FAQ's questions or a glossary's terms, each still without its answer or meaning."""
    if page.kind == "faq":
        return [Entry(q.question, q.anchor, Markup("")) for q in page.questions]
    if page.kind == "glossary":
        return [Entry(t.term, t.anchor, Markup(""), t.pronunciation, t.also) for t in page.terms]
    return []
