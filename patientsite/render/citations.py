"""Citations: a page's sources numbered in the order the page first cites them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from patientsite.content.model import Source, Topic
from patientsite.markdown.convert import Fragment


class Numbering:
    """Numbers a page's sources in the order the page first cites them."""

    def __init__(self, cited: list[str], lookup: Mapping[str, Source]):
        self.order = list(dict.fromkeys(cited))
        self.lookup = lookup

    def number(self, source_id: str) -> int:
        return self.order.index(source_id) + 1

    def sources(self) -> tuple[Source, ...]:
        return tuple(self.lookup[source_id] for source_id in self.order if source_id in self.lookup)


def sources_by_id(topics: Iterable[Topic]) -> dict[str, Source]:
    return {source.id: source for topic in topics for source in topic.sources}


def cited_order(fragments: Iterable[Fragment]) -> list[str]:
    """The ids of the sources the fragments cite, in reading order (repeats kept)."""
    return [source_id for fragment in fragments for source_id in fragment.cited]


def topic_numbering(topic: Topic, fragments: Iterable[Fragment]) -> Numbering:
    """The numbering of a page made of a topic's fragments, from the topic's own sources."""
    return Numbering(cited_order(fragments), sources_by_id((topic,)))
