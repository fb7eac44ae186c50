"""Printed views: a topic's pages made to print. The handout (the whole topic on one page, each section a
part of it) and the leaflet (its key facts on two sheets at most)."""

from __future__ import annotations

from markupsafe import Markup

from patientsite.content.model import Page, Topic
from patientsite.render.citations import Numbering, topic_numbering
from patientsite.render.page_views import PageViews, entries_of
from patientsite.render.paths import HANDOUT_PAGE, LEAFLET_PAGE, absolute_url, relative_url, topic_page_path
from patientsite.render.placing import HandoutPlacer
from patientsite.render.views import NO_HTML, Entry, Link, PageView, Part


def handout_view(views: PageViews, topic: Topic) -> PageView:
    """The whole topic on one page: its overview, then each section as a part, with every source cited."""
    path = topic_page_path(topic.slug, HANDOUT_PAGE)
    topic_text = views.texts[topic.key]
    fragments = list(topic_text.fragments())
    for page in topic.sections:
        fragments.extend(views.texts[page.key].fragments())
    numbering = topic_numbering(topic, fragments)
    place = views.placer(path, numbering, topic)
    languages = views.languages.of(topic)
    parts = tuple(
        _handout_part(views, page, path, numbering, topic, languages["text_language"])
        for page in topic.sections
    )
    return PageView(
        path=path,
        template="handout.html",
        title=views.languages.words[languages["text_language"]].text("handout_title", topic=topic.title),
        description=topic_text.plain_summary,
        updated=max([topic.updated] + [p.updated for p in topic.sections]),
        urgent_boxes=views.urgent_boxes((topic,), path, numbering),
        summary_html=place(topic_text.summary),
        key_points_html=tuple(place(point) for point in topic_text.key_points),
        parts=parts,
        sources=numbering.sources(),
        review=topic.review,
        topic=topic,
        breadcrumbs=views.crumbs(topic),
        pronunciation=topic.pronunciation,
        other_names=topic.other_names,
        **languages,
    )


def _handout_part(
    views: PageViews, page: Page, path: str, numbering: Numbering, topic: Topic, handout_language: str
) -> Part:
    text = views.texts[page.key]
    in_handout = {p.key: p.slug for p in topic.sections}
    language = views.languages.text_language(page)
    place = HandoutPlacer(views.links, path, numbering, page, views.source_label(page), in_handout)
    entries = tuple(
        Entry(e.title, place.prefix + e.anchor, place(f), e.pronunciation, e.also)
        for e, f in zip(entries_of(page), text.entries, strict=True)
    )
    return Part(
        page.slug,
        page.title,
        place(text.summary),
        place(text.body) if text.body else NO_HTML,
        entries,
        language if language != handout_language else "",
    )


def leaflet_view(views: PageViews, topic: Topic) -> PageView:
    """The topic's key facts, to print on two sheets at most: its emergency box first, what it is, the
    checker's scales, each section's key points (a page that opens with the emergency box first: its advice
    belongs on the first sheet), the checker's questions, and where to read more."""
    path = topic_page_path(topic.slug, LEAFLET_PAGE)
    topic_text = views.texts[topic.key]
    with_points = sorted(
        (p for p in topic.sections if views.texts[p.key].key_points), key=lambda page: not page.urgent_box
    )
    fragments = list(topic_text.fragments())
    for page in with_points:
        fragments.extend(views.texts[page.key].key_points)
    numbering = topic_numbering(topic, fragments)
    place = views.placer(path, numbering, topic)
    parts = tuple(
        Part(
            page.slug,
            page.title,
            NO_HTML,
            Markup("<ul>\n{}\n</ul>").format(
                Markup("\n").join(
                    Markup("<li>{}</li>").format(place(point)) for point in views.texts[page.key].key_points
                )
            ),
            (),
        )
        for page in with_points
    )
    languages = views.languages.of(topic)
    words = views.languages.words[languages["text_language"]]
    checker = next((tool for tool in topic.tools if tool.kind == "checker"), None)
    return PageView(
        path=path,
        template="leaflet.html",
        title=words.text("leaflet_title", topic=topic.title),
        description=words.text("leaflet_description", topic=topic.title.lower()),
        updated=max([topic.updated] + [p.updated for p in topic.sections + topic.tools]),
        urgent_boxes=views.urgent_boxes((topic,), path, numbering),
        summary_html=place(topic_text.summary),
        key_points_html=tuple(place(point) for point in topic_text.key_points),
        parts=parts,
        sources=numbering.sources(),
        review=topic.review,
        topic=topic,
        page=checker,
        links=(_read_more(views, topic, path),),
        print_button=True,
        breadcrumbs=views.crumbs(topic),
        **languages,
    )


def _read_more(views: PageViews, topic: Topic, path: str) -> Link:
    """Where to read more: on paper, the guide's published address; offline, the guide beside the leaflet."""
    guide = views.paths[topic.key]
    address = absolute_url(views.base_url, guide).removesuffix("index.html") if views.base_url else ""
    return Link(address, address) if address else Link(topic.title, relative_url(path, guide))
