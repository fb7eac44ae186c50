"""Texts: every piece of Markdown in the content converted once into fragments, keyed by page.

Converting Markdown is most of a build's work, so it happens here and only here; the checks and the
renderer read the fragments. A page whose text an earlier build converted is taken from the cache; the
others are converted on every core.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from patientsite.content.model import Content, Page, Site, Topic
from patientsite.engine.cache import Store, key_of
from patientsite.engine.workers import map_in_order
from patientsite.markdown.convert import Fragment, MarkdownConverter

Progress = Callable[[str, int, int], None]  # (what is being done, how many are done, how many in all)
TextSource = Page | Topic | str  # a page, a topic's own summary and key points, or one line (the disclaimer)


@dataclass(frozen=True)
class PageText:
    summary: Fragment
    key_points: tuple[Fragment, ...]
    body: Fragment | None
    entries: tuple[Fragment, ...]  # a FAQ's answers or a glossary's meanings, in order
    plain_summary: str
    urgent: Fragment | None = None  # a topic's emergency box, which stands first on the pages that show it
    source_key: str = ""  # text_cache_key of what it was converted from (set by convert_texts)

    def made_from(self, source: TextSource, key: str) -> str:
        """The key of what this text was converted from, to key the work done with it."""
        return self.source_key or text_cache_key(key, source)

    def fragments(self) -> Iterator[Fragment]:
        if self.urgent is not None:
            yield self.urgent
        yield self.summary
        yield from self.key_points
        if self.body is not None:
            yield self.body
        yield from self.entries


def convert_texts(
    content: Content,
    converter: MarkdownConverter,
    cache: Store | None = None,
    progress: Progress | None = None,
) -> dict[str, PageText]:
    """Every text of the site by key: from the cache when unchanged, else converted (on every core)."""
    sources = text_sources(content)
    keys = {key: text_cache_key(key, source) for key, source in sources.items()}
    texts = {key: cache.get(keys[key]) for key in sources} if cache else dict.fromkeys(sources)
    missing = [key for key, text in texts.items() if text is None]
    total = len(sources)
    if progress and missing:
        progress("converting", total - len(missing), total)
    on_done = (lambda done: progress("converting", total - len(missing) + done, total)) if progress else None
    converted = map_in_order(
        lambda key: convert_source(key, sources[key], converter), missing, on_done=on_done
    )
    for key, text in zip(missing, converted, strict=True):
        text = texts[key] = replace(text, source_key=keys[key])
        if cache:
            cache.put(keys[key], text)
    return texts  # type: ignore[return-value]


def text_sources(content: Content) -> dict[str, TextSource]:
    """What each text of the site is made from, in the order of the site, language after language."""
    sources: dict[str, TextSource] = {}
    for edition in content.editions:
        sources[disclaimer_key(edition.site)] = edition.site.disclaimer
        for item in edition.pages_and_topics():
            sources[item.key] = item
    return sources


def disclaimer_key(site: Site) -> str:
    """The key of a language's disclaimer among the texts: its site.yaml ('site.yaml', 'es/site.yaml')."""
    return posixpath.join(site.folder, "site.yaml")


def text_cache_key(key: str, source: TextSource) -> str:
    """Everything a text's conversion reads: its key (links resolve from it) and each piece of Markdown."""
    if isinstance(source, str):
        return key_of("line", key, source)
    if isinstance(source, Topic):
        return key_of(
            "topic",
            key,
            source.summary,
            str(len(source.key_points)),
            *source.key_points,
            source.urgent.text if source.urgent else None,
        )
    entries = [q.answer for q in source.questions] + [t.meaning for t in source.terms]
    return key_of(
        "page",
        key,
        source.summary,
        str(len(source.key_points)),
        *source.key_points,
        source.body,
        str(len(entries)),
        *entries,
    )


def convert_source(key: str, source: TextSource, converter: MarkdownConverter) -> PageText:
    if isinstance(source, str):
        return _line_text(source, key, converter)
    if isinstance(source, Topic):
        return convert_topic(source, converter)
    return convert_page(source, converter)


def convert_page(page: Page, converter: MarkdownConverter) -> PageText:
    entries = [q.answer for q in page.questions] + [t.meaning for t in page.terms]
    return PageText(
        summary=converter.convert_inline(page.summary, page.key),
        key_points=tuple(converter.convert_inline(point, page.key) for point in page.key_points),
        body=converter.convert(page.body, page.key) if page.body.strip() else None,
        entries=tuple(converter.convert(text, page.key) for text in entries),
        plain_summary=plain_text(page.summary),
    )


def convert_topic(topic: Topic, converter: MarkdownConverter) -> PageText:
    return PageText(
        summary=converter.convert_inline(topic.summary, topic.key),
        key_points=tuple(converter.convert_inline(point, topic.key) for point in topic.key_points),
        body=None,
        entries=(),
        plain_summary=plain_text(topic.summary),
        urgent=converter.convert(topic.urgent.text, topic.key) if topic.urgent else None,
    )


def _line_text(text: str, key: str, converter: MarkdownConverter) -> PageText:
    return PageText(converter.convert_inline(text, key), (), None, (), plain_text(text))


def plain_text(markdown_text: str) -> str:
    """A summary as plain words for meta descriptions: no citations, link targets or emphasis marks."""
    text = re.sub(r"\s*\[@[^\]]+\]", "", markdown_text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()
