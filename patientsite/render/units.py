"""Units: the site's output files one at a time, each with a key of everything it is made from.

A page's key is a hash of its view (what the page itself shows: its own text, its topic, the sources it
cites, its neighbours' titles) and of the frame that every page shows (each language's site settings,
strings, navigation and home page, the topics' names, every page's path, the glossaries that explain words,
the icon, the base URL), with the templates and the version of the code. A page whose key is the one it had
when the file now in the output folder was written is not rendered again: that file is kept. Editing one
section's words therefore renders that section again, and the pages of its topic that show it, not the site.
Before that, a topic's pages are keyed as a whole, by a cheap key of what their views read (topic_part_key):
a topic whose part key and files are the last build's is not even made into views.

The files every page cannot know (search indexes, the sitemap, robots.txt, 404, the static files) are made on
every build: they are few, and the writer keeps those whose bytes did not change; the search index takes each
page's entries from the cache, by what they are made from.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial

from patientsite.content.model import Content, Page, Topic
from patientsite.engine.cache import Store, key_of
from patientsite.engine.workers import imap_in_order, map_in_order
from patientsite.render.paths import asset_path
from patientsite.render.search import IndexedPage, Rows, index_path, page_rows, search_index_script
from patientsite.render.site import (
    SCRIPT_BUNDLES,
    OutputFile,
    PageView,
    SitemapPage,
    SiteRenderer,
)

PARTS_PER_WORKER = 4  # a part is a topic's dozen pages, about 20 ms to render: four are worth a worker
PICKLED = 5  # the pickle protocol a topic or a view is hashed in: five to seven times as fast as repr
ROWS_PER_WORKER = 100  # a page's entries of the search index take about 0.5 ms: a hundred pay for a worker


@dataclass(frozen=True)
class Unit:
    """One output file: its path, the key of what it is made from, and its bytes (None: not rendered,
    because the file the last build wrote for this key is still in the output folder)."""

    path: str
    key: str
    content: bytes | None


@dataclass(frozen=True)
class PageUnit:
    unit: Unit
    updated: date
    listed: bool  # in the sitemap


def frame_key(renderer: SiteRenderer, templates: str, code: str) -> str:
    """A hash of what every page shows besides its own view (see the module's docstring)."""
    content = renderer.content
    parts: list[str] = [templates, code, repr(renderer.base_url), renderer.icon_uri]
    for edition in content.editions:
        parts += [repr(edition.site), repr(edition.home)]
        parts += [
            repr((t.key, t.slug, t.title, t.other_names, t.draft, t.untranslated)) for t in edition.topics
        ]
    parts += [repr(sorted(renderer.paths.items())), repr(sorted(renderer.languages.untranslated_paths))]
    for language, glossaries in renderer.glossaries.items():
        parts += [language, *(repr((key, glossary.by_form)) for key, glossary in glossaries.items())]
    return key_of("frame", *parts)


def page_key(view: PageView, frame: str) -> str:
    """The key of one page: its view, in the frame. The view's pickle holds every value in it (its topic's
    pages too), and is made five times as fast as its repr: on 1,000 pages, 0.2 s against 1.1 s."""
    return key_of("page", frame, hashlib.sha256(pickle.dumps(view, PICKLED)).hexdigest())


def page_units(
    renderer: SiteRenderer, frame: str, kept: Mapping[str, str], parts: Store | None = None
) -> Iterator[PageUnit]:
    """Every page of every language in the order of the site, rendered unless `kept` (path → key of the file
    in the output folder) has its key; in parts, on every core, each yielded when done. `parts` keeps each
    topic's page units by its part key: a topic whose part key is found there, all its files kept, is not
    even made into views."""
    every = [part for edition in renderer.content.editions for part in _parts(renderer, edition, frame)]
    found = [_kept_part(parts, part.key, kept) for part in every]
    render = partial(_render_part, renderer, frame, kept)
    missing = [part.views for part, units in zip(every, found, strict=True) if units is None]
    rendered = imap_in_order(render, missing, items_per_worker=PARTS_PER_WORKER)
    for part, units in zip(every, found, strict=True):
        if units is None:
            units = next(rendered)
            if parts is not None and part.key is not None:
                parts.put(
                    part.key,
                    [PageUnit(Unit(u.unit.path, u.unit.key, None), u.updated, u.listed) for u in units],
                )
        yield from units


def topic_part_key(frame: str, sources: str, topic: Topic) -> str | None:
    """A hash of everything a topic's views read (see _parts), or None when they read more: a page not
    translated yet keeps a link's #place only where the page it leads to has it, so it reads other pages."""
    if topic.untranslated or any(page.untranslated for page in topic.sections + topic.tools):
        return None
    return key_of("topic part", frame, sources, pickle.dumps(topic, PICKLED))


def _kept_part(parts: Store | None, key: str | None, kept: Mapping[str, str]) -> list[PageUnit] | None:
    """A part's units as the last build made them, when its key is the same and each of its files kept."""
    if parts is None or key is None:
        return None
    units: list[PageUnit] | None = parts.get(key)  # type: ignore[assignment]
    if units is None or any(kept.get(unit.unit.path) != unit.unit.key for unit in units):
        return None
    return units


def other_units(
    renderer: SiteRenderer,
    static_files: dict[str, bytes],
    pages: list[SitemapPage],
    rows: Store | None = None,
) -> Iterator[Unit]:
    """The files that are not pages: 404, the static files, the search indexes, robots.txt, the sitemap.
    `rows` keeps each page's entries of the search index, found by what they are made from."""
    content = renderer.content
    files = [renderer.render_not_found()]
    files += [OutputFile(asset_path(name), data) for name, data in sorted(bundled(static_files).items())]
    files += [search_index_file(renderer, edition, rows) for edition in content.editions]
    files += [OutputFile("robots.txt", renderer.robots_txt().encode()), OutputFile(".nojekyll", b"")]
    if renderer.base_url:
        files.append(OutputFile("sitemap.xml", renderer.sitemap_xml(pages).encode()))
    for file in files:
        yield Unit(file.path, key_of("file", file.content), file.content)


def search_index_file(renderer: SiteRenderer, edition: Content, rows: Store | None) -> OutputFile:
    """A language's search index, with each page's entries from the cache when they are there."""
    words = renderer.languages.words[edition.site.language]
    messages = {"found": words.text("search_found", count="{count}"), "none": words.text("search_nowhere")}
    rows_for = partial(_cached_rows, rows) if rows is not None else _rows_on_every_core
    script = search_index_script(edition, renderer.texts, renderer.paths, messages, rows_for)
    return OutputFile(index_path(edition.site.language), script)


def _cached_rows(store: Store, pages: list[IndexedPage]) -> list[Rows]:
    """The pages' entries of the index: from the cache, by what they are made from (see _rows_key); the
    others made on every core, and kept."""
    keys = [_rows_key(indexed) for indexed in pages]
    found: list[Rows | None] = [store.get(key) for key in keys]  # type: ignore[misc]
    missing = [place for place, rows in enumerate(found) if rows is None]
    for place, rows in zip(missing, _rows_on_every_core([pages[place] for place in missing]), strict=True):
        found[place] = rows
        store.put(keys[place], rows)
    return found  # type: ignore[return-value]


def _rows_on_every_core(pages: list[IndexedPage]) -> list[Rows]:
    return map_in_order(page_rows, pages, items_per_worker=ROWS_PER_WORKER)


def _rows_key(indexed: IndexedPage) -> str:
    """What a page's entries are made from: its title, its questions' and terms' names and places, its text
    (which its source key names) and the names its sections may use."""
    page = indexed.page
    questions, terms = (page.questions, page.terms) if isinstance(page, Page) else ((), ())
    entries = repr(([(q.anchor, q.question) for q in questions], [(t.anchor, t.term) for t in terms]))
    names = repr((indexed.names, indexed.named))
    return key_of("search rows", indexed.text.made_from(page, page.key), page.title, entries, names)


def bundled(static_files: dict[str, bytes]) -> dict[str, bytes]:
    """The static files, and each script of SCRIPT_BUNDLES made of its parts (when its first part is
    there)."""
    files = dict(static_files)
    for name, parts in SCRIPT_BUNDLES.items():
        if parts[0] in static_files:
            files[name] = b"\n".join(static_files[part] for part in parts if part in static_files)
    return files


@dataclass(frozen=True)
class Part:
    """Pages that render together, and the key of what their views read (None: not known so cheaply)."""

    key: str | None
    views: Callable[[], Iterable[PageView]]


def _parts(renderer: SiteRenderer, edition: Content, frame: str) -> list[Part]:
    """The pages of one language in parts that render apart: the home page and the site's other pages, each
    topic's pages, the A to Z page. A topic's views read the topic (its fields, its pages' fields and text),
    the frame (the paths of pages, the topics' names, the strings, the base URL) and the sources of its
    language's topics (a page may cite any of them); each other part reads every topic."""
    sources = key_of("sources", *(repr(topic.sources) for topic in edition.topics))
    return [
        Part(None, lambda: [renderer.home_view(edition), *map(renderer.site_page_view, edition.pages)]),
        *(
            Part(topic_part_key(frame, sources, topic), partial(renderer.topic_views, topic))
            for topic in edition.topics
        ),
        Part(None, lambda: [renderer.a_z_view(edition)]),
    ]


def _render_part(
    renderer: SiteRenderer, frame: str, kept: Mapping[str, str], views: Callable[[], Iterable[PageView]]
) -> list[PageUnit]:
    units = []
    for view in views():
        key = page_key(view, frame)
        content = None if kept.get(view.path) == key else renderer.render_page(view).content
        listed = not (view.topic and view.topic.draft) and not view.untranslated
        units.append(PageUnit(Unit(view.path, key, content), view.updated, listed))
    return units
