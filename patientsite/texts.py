"""Texts: every piece of Markdown in the content converted once into fragments, keyed by page.

Converting Markdown is most of a build's work, so it happens here and only here; the checks and the
renderer read the fragments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .convert import Fragment, MarkdownConverter
from .model import Content, Page, Topic


@dataclass(frozen=True)
class PageText:
    summary: Fragment
    key_points: tuple[Fragment, ...]
    body: Fragment | None
    entries: tuple[Fragment, ...]  # a FAQ's answers or a glossary's meanings, in order
    plain_summary: str

    def fragments(self) -> Iterator[Fragment]:
        yield self.summary
        yield from self.key_points
        if self.body is not None:
            yield self.body
        yield from self.entries


def convert_texts(content: Content, converter: MarkdownConverter) -> dict[str, PageText]:
    texts = {"site.yaml": _line_text(content.site.disclaimer, "site.yaml", converter)}
    texts[content.home.key] = convert_page(content.home, converter)
    for topic in content.topics:
        texts[topic.key] = convert_topic(topic, converter)
        for page in topic.sections + topic.tools:
            texts[page.key] = convert_page(page, converter)
    return texts


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
    )


def _line_text(text: str, key: str, converter: MarkdownConverter) -> PageText:
    return PageText(converter.convert_inline(text, key), (), None, (), plain_text(text))


def plain_text(markdown_text: str) -> str:
    """A summary as plain words for meta descriptions: no citations, link targets or emphasis marks."""
    text = re.sub(r"\s*\[@[^\]]+\]", "", markdown_text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()
