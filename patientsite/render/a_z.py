"""A to Z: every topic of a site (and its other names) and every glossary term in alphabetical order, and the
search index the A to Z page carries for its search box (static/search.js).

The list works without JavaScript. A name a reader might look up under another letter gets a line of its own
that says where to look ("Leukopenia: see Leucopenia"). The search index holds the same names and the pages of
each topic; the script compares them with what the reader types, spelling differences forgiven.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from patientsite.content.model import Content, Topic
from patientsite.markdown.glossary import glossary_pages, term_forms
from patientsite.markdown.texts import plain_text
from patientsite.render.paths import relative_url

OTHER_LETTER = "#"  # the group of names that start with a digit or a sign


@dataclass(frozen=True)
class AzEntry:
    name: str
    target: str  # the page it leads to, from the site root, with its #anchor
    see: str | None = None  # for another name: the name it is listed under
    summary: str = ""  # a topic's summary; a term's meaning is one click away, on its glossary page


@dataclass(frozen=True)
class Letter:
    letter: str
    anchor: str
    entries: tuple[AzEntry, ...]


def a_z_entries(content: Content, paths: dict[str, str]) -> list[AzEntry]:
    """Every line of the A to Z, in order; each name once (a topic's line wins over a term of the same
    name)."""
    entries: dict[str, AzEntry] = {}
    for entry in _topic_entries(content, paths):
        entries.setdefault(sort_key(entry.name), entry)
    for entry in _term_entries(content, paths):
        entries.setdefault(sort_key(entry.name), entry)
    return [entries[key] for key in sorted(entries)]


def letters(entries: list[AzEntry]) -> tuple[Letter, ...]:
    groups = groupby(entries, key=lambda entry: letter_of(entry.name))
    return tuple(Letter(letter, _letter_anchor(letter), tuple(group)) for letter, group in groups)


def search_index(content: Content, paths: dict[str, str], from_path: str) -> list[dict]:
    """What the search box finds: each topic, its pages and its glossary terms, by name and other names,
    each with its link from the page at `from_path` and what it is part of."""
    index = []
    for topic in _readers_topics(content):
        index.append(_found(topic.title, paths[topic.key], "", topic.other_names, from_path))
        for page in topic.sections + topic.tools:
            index.append(_found(page.title, paths[page.key], topic.title, (), from_path))
        for glossary in glossary_pages(topic):
            for term in glossary.terms:
                index.append(
                    _found(
                        term.term,
                        f"{paths[glossary.key]}#{term.anchor}",
                        glossary.title,
                        term.also,
                        from_path,
                    )
                )
    return index


def sort_key(name: str) -> str:
    """Names sort as a reader expects: case and accents ignored, a leading sign or bracket skipped."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return re.sub(r"^[\W_]+", "", plain)


def letter_of(name: str) -> str:
    key = sort_key(name)
    return key[0].upper() if key and key[0].isalpha() else OTHER_LETTER


def _topic_entries(content: Content, paths: dict[str, str]) -> Iterator[AzEntry]:
    for topic in _readers_topics(content):
        yield AzEntry(topic.title, paths[topic.key], summary=plain_text(topic.summary))
        for name in topic.other_names:
            yield AzEntry(name, paths[topic.key], see=topic.title)


def _term_entries(content: Content, paths: dict[str, str]) -> Iterator[AzEntry]:
    for topic in _readers_topics(content):
        for glossary in glossary_pages(topic):
            for term in glossary.terms:
                target = f"{paths[glossary.key]}#{term.anchor}"
                yield AzEntry(term.term, target)
                for form in _names_elsewhere(term.term, term_forms(term)[1:]):
                    yield AzEntry(form[:1].upper() + form[1:], target, see=term.term)


def _names_elsewhere(term: str, forms: list[str]) -> Iterator[str]:
    """The other forms a reader would look up under another letter than the term's ("Leukocyte" for "White
    blood cell", not "White cells"), each once (not its plural too), unless the term's name shows it
    ("CBC")."""
    kept: list[str] = []
    for form in forms:
        letter = letter_of(form)
        if letter in (letter_of(term), OTHER_LETTER) or _is_plural_of(form, kept) or form in term:
            continue
        kept.append(form)
        yield form


def _is_plural_of(form: str, others: list[str]) -> bool:
    key = sort_key(form)
    return any(key in (sort_key(other) + "s", sort_key(other) + "es") for other in others)


def _readers_topics(content: Content) -> list[Topic]:
    """Drafts are not for readers: the A to Z and the search leave them out."""
    return [topic for topic in content.topics if not topic.draft]


def _found(name: str, target: str, about: str, other_names: tuple[str, ...], from_path: str) -> dict:
    entry = {"name": name, "href": relative_url(from_path, target)}
    if about:
        entry["about"] = about
    if other_names:
        entry["words"] = list(other_names)
    return entry


def _letter_anchor(letter: str) -> str:
    return "letter-" + (letter.lower() if letter != OTHER_LETTER else "other")
