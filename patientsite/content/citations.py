"""Citations: every [@source-id] and `sources:` entry names a source of its topic, and pages cite one."""

from __future__ import annotations

from collections.abc import Iterator

from patientsite.content.fields import shown
from patientsite.content.model import Content, Page, Topic
from patientsite.markdown.markup import find_citations
from patientsite.problems import Problems


def check_citations(content: Content, some_topic_unreadable: bool, problems: Problems) -> None:
    """Each citation names a source of its topic (of any topic, on the site's own pages), and each
    page of a topic that is not a draft cites one."""
    all_ids = {source.id for topic in content.topics for source in topic.sources}
    if not some_topic_unreadable:
        _check_page_citations(content.home, all_ids, "the source list of a topic.yaml", problems)
        for page in content.pages:  # a page about the site itself may have no medical fact to source
            _check_page_citations(page, all_ids, "the source list of a topic.yaml", problems, must_cite=False)
    for topic in content.topics:
        topic_ids = {source.id for source in topic.sources}
        _check_urgent_citations(topic, topic_ids, problems)
        for page in topic.sections + topic.tools:
            _check_page_citations(
                page, topic_ids, f"sources in {topic.file}", problems, must_cite=not topic.draft
            )


def _check_urgent_citations(topic: Topic, known: set[str], problems: Problems) -> None:
    if topic.urgent is None:
        return
    cited = list(_cited(topic.urgent.text, topic.urgent.line))
    for line, source_id in cited:
        if source_id not in known:
            problems.add(
                topic.file,
                line,
                "urgent.text",
                f"'{source_id}' is not in the source list",
                "add a source with this id to sources in this file, or fix the spelling",
            )
    if not cited and not topic.draft:
        problems.add(
            topic.file,
            topic.urgent.line,
            "urgent.text",
            "cites no source",
            "cite where its advice comes from with [@source-id], as the page about when to get help does",
        )


def _check_page_citations(
    page: Page, known: set[str], where: str, problems: Problems, must_cite: bool = True
) -> None:
    cited = [
        (line, source_id) for text, first in page.markdown_texts() for line, source_id in _cited(text, first)
    ]
    for line, source_id in cited:
        if source_id not in known:
            problems.add(
                page.file,
                line,
                "citation",
                f"'{source_id}' is not in the source list",
                f"add a source with this id to {where}, or fix the spelling",
            )
    for source_id in page.source_ids:
        if source_id not in known:
            problems.add(
                page.file,
                1,
                "sources",
                f"{shown(source_id)} is not in the source list",
                f"add a source with this id to {where}, or fix the spelling",
            )
    if must_cite and not cited and not page.source_ids:
        problems.add(
            page.file,
            1,
            "sources",
            "the page cites no source",
            "cite where each fact comes from with [@source-id] in the text",
        )


def _cited(text: str, first_line: int) -> Iterator[tuple[int, str]]:
    for line, source_id in find_citations(text):
        yield first_line + line - 1, source_id
