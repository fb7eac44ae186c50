"""Search: the index the search field of every page looks in (static/search.js), one for each language.

One entry for each section of each page for readers: a page's top (its summary, key points and what comes
before its first heading), each heading with an id (h2, h3), each question of a FAQ, each glossary term. An
entry holds its heading, the titles of its boxes, its plain text, and the names a reader may type for what it
speaks of: the topic's other names, and each glossary term it uses with that term's other forms ("fever":
"high temperature"). The names are listed once for the whole index, so it grows with the pages and no faster.

The index is a classic script (`window.SearchIndex = {…}`), not JSON: a page opened from disk (file://) may
not fetch() a file, but it may load a script of its own site. Its links are relative to the index file itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape

from patientsite.content.model import Content, Page, Topic
from patientsite.markdown.glossary import forms_pattern, glossary_pages, term_forms
from patientsite.markdown.texts import PageText
from patientsite.render.paths import asset_path, relative_url

SECTION_HEADINGS = {"h2", "h3"}
BOX_TITLE_CLASS = "admonition-title"
SNIPPET_CHARS = 200  # of a section's text kept whole, for the snippet; of the rest, each word once
WORD = re.compile(r"\w+")
SPACE_BEFORE_STOP = re.compile(r" ([.,;:!?)])")
# The tags that shape the index: a heading's start and end, a paragraph's start (a box's title is one), a
# block's end; and any other tag or comment, which only stands between words.
MARK = re.compile(r"<(h2|h3|p)(\s[^>]*)?>|</(h2|h3|p|li|td|th|dd|dt)\s*>", re.IGNORECASE)
OTHER_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>", re.DOTALL)
ID = re.compile(r"""\sid=["']?([^"'\s>]*)""")
CLASS = re.compile(r"""\sclass=["']([^"']*)""")
BLOCK_ENDS = {"p", "li", "td", "th", "dd", "dt"}  # each leaves a space behind it
TOP = ""  # the anchor of a page's top: the link leads to the page itself


@dataclass
class Section:
    anchor: str
    heading: str
    boxes: list[str] = field(default_factory=list)  # the titles of its boxes ("Fever with a low count is …")
    lead: list[str] = field(default_factory=list)  # a page's top: its summary and key points
    text: list[str] = field(default_factory=list)


def index_path(language: str) -> str:
    return asset_path(f"search-index-{language}.js")


@dataclass(frozen=True)
class IndexedPage:
    """One page as the index reads it: its text, and the names its sections may use (each a list of forms),
    the first of them the page's own when `named` (its top section is found by it)."""

    page: Page | Topic
    text: PageText
    names: tuple[tuple[str, ...], ...]
    patterns: tuple[re.Pattern[str], ...]  # one for each name, finding any of its forms
    named: bool = False


Row = tuple[
    bytes, list[int]
]  # an entry as JSON (UTF-8) without its page's number and names; the names it uses
Rows = list[Row]


def search_index_script(
    edition: Content,
    texts: dict[str, PageText],
    paths: dict[str, str],
    messages: dict[str, str],
    rows_for: Callable[[list[IndexedPage]], list[Rows]] | None = None,
) -> bytes:
    """The index of one language's pages, as the script (UTF-8) that sets window.SearchIndex; with the
    `messages` the results say ("found": "Found {count}:", "none"), which every page would carry otherwise.
    `rows_for` gives the pages' entries (by default page_rows of each; the build keeps them in its cache,
    and makes the missing ones on every core)."""
    rows_for = rows_for or (lambda indexed: [page_rows(page) for page in indexed])
    here = index_path(edition.site.language)
    names: list[list[str]] = []
    pages: list[list[str]] = []
    sections: list[
        bytes
    ] = []  # the entries' JSON in pieces: each page's number, its rows, the names they use
    topics = [topic for topic in edition.topics if not topic.draft]
    own_names = {topic.key: _add_names(names, _topic_names(topic)) for topic in topics}
    everyone_names = [number for numbers in own_names.values() for number in numbers]
    forms = tuple(tuple(name) for name in names)
    patterns = tuple(forms_pattern(name) for name in names)
    groups = [(edition.home, everyone_names, False)] + [
        (page, own_names[topic.key], page is topic and bool(topic.other_names))
        for topic in topics
        for page in (topic, *topic.sections, *topic.tools)
    ]
    indexed = [
        IndexedPage(
            page, texts[page.key], tuple(forms[n] for n in known), tuple(patterns[n] for n in known), named
        )
        for page, known, named in groups
    ]
    for number, ((page, known, _), rows) in enumerate(zip(groups, rows_for(indexed), strict=True)):
        pages.append([page.title, relative_url(here, paths[page.key])])
        for row, used in rows:
            names_used = ",".join(
                str(known[place]) for place in used
            ).encode()  # numbers: as JSON writes them
            sections += (
                b",[" if sections else b"[",
                str(number).encode(),
                b",",
                row,
                b",[",
                names_used,
                b"]]",
            )
    head = _json({**messages, "names": names, "pages": pages})  # then the entries, made one by one
    # Joined once, from the rows as the cache keeps them (bytes): at 5,000 pages the index is 28 MB, and each
    # copy counts.
    return b"".join([b"window.SearchIndex=", head[:-1].encode(), b',"sections":[', *sections, b"]};\n"])


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def page_rows(indexed: IndexedPage) -> Rows:
    """A page's entries: for each section, as JSON, its anchor, heading, box titles, lead, the start of its
    text and the rest's words; and the names it uses (by their place in `indexed.names`, in order)."""
    rows = []
    for section in page_sections(indexed.page, indexed.text):
        words = " ".join([section.heading, *section.boxes, *section.lead, *section.text])
        used = [place for place, pattern in enumerate(indexed.patterns) if pattern.search(words)]
        if indexed.named and section.anchor == TOP and 0 not in used:
            used.insert(0, 0)
        start, rest = _start_and_rest(" ".join(section.text))
        row = [
            section.anchor,
            section.heading,
            " · ".join(section.boxes),
            " ".join(section.lead),
            start,
            rest,
        ]
        rows.append((_json(row)[1:-1].encode(), used))
    return rows


def _topic_names(topic: Topic) -> list[list[str]]:
    """What in a topic has several names: the topic itself (first, if it has others), each glossary term."""
    names = [[topic.title, *topic.other_names]] if topic.other_names else []
    return names + [term_forms(term) for glossary in glossary_pages(topic) for term in glossary.terms]


def _add_names(names: list[list[str]], more: list[list[str]]) -> list[int]:
    """Adds `more` to the index's names; their numbers in it."""
    names.extend(more)
    return list(range(len(names) - len(more), len(names)))


def page_sections(page: Page | Topic, text: PageText) -> list[Section]:
    """A page's sections in order: its top first, then one for each heading, question or glossary term."""
    top = Section(
        TOP, page.title, lead=[_plain(text.summary.html), *(_plain(p.html) for p in text.key_points)]
    )
    sections = [top]
    if text.body is not None:
        sections = _split_at_headings(text.body.html, sections)
    questions, terms = (page.questions, page.terms) if isinstance(page, Page) else ((), ())
    entries = [(q.anchor, q.question) for q in questions] + [(t.anchor, t.term) for t in terms]
    for (anchor, heading), fragment in zip(entries, text.entries, strict=True):
        sections.append(Section(anchor, heading, text=[_plain(fragment.html)]))
    return sections


def _split_at_headings(html: str, sections: list[Section]) -> list[Section]:
    """Reads a page's HTML (the converter's own, well formed) into sections: a heading with an id starts one;
    box titles are kept apart; each block's end leaves a space, so its words do not run into the next's. Only
    those tags are looked at one by one; the others are taken out of the text between them."""
    heading: list[str] | None = None  # the words of the heading being read; None outside a heading
    box_title: list[str] | None = None  # the same for a box's title
    at = 0
    for mark in MARK.finditer(html):
        text = unescape(OTHER_TAG.sub("", html[at : mark.start()]))
        (
            heading if heading is not None else box_title if box_title is not None else sections[-1].text
        ).append(text)
        at = mark.end()
        opened, attributes, ended = (
            (mark.group(1) or "").lower(),
            mark.group(2) or "",
            (mark.group(3) or "").lower(),
        )
        if opened in SECTION_HEADINGS:
            anchor = ID.search(attributes)
            if anchor and anchor.group(1):
                sections.append(Section(unescape(anchor.group(1)), ""))
                heading = []
        elif opened == "p":
            found = CLASS.search(attributes)
            if found and BOX_TITLE_CLASS in unescape(found.group(1)).split():
                box_title = []
        elif ended in SECTION_HEADINGS:
            if heading is not None:
                sections[-1].heading, heading = _squeeze("".join(heading)), None
        elif ended == "p" and box_title is not None:
            sections[-1].boxes.append(_squeeze("".join(box_title)))
            box_title = None
        elif ended in BLOCK_ENDS:
            sections[-1].text.append(" ")
    sections[-1].text.append(unescape(OTHER_TAG.sub("", html[at:])))
    for section in sections:
        section.text = [text for text in [_squeeze("".join(section.text))] if text]
    return sections


def _start_and_rest(text: str) -> tuple[str, str]:
    """A section's text as its start, whole, for the snippet the results show, and the words of the rest, each
    once: what a search finds, at a fraction of the size."""
    cut = text.rfind(" ", 0, SNIPPET_CHARS) if len(text) > SNIPPET_CHARS else len(text)
    start = text[:cut]
    seen = {word.casefold() for word in WORD.findall(start)}
    rest = dict.fromkeys(w for w in (word.casefold() for word in WORD.findall(text[cut:])) if w not in seen)
    return start, " ".join(rest)


def _plain(html: str) -> str:
    return _squeeze(unescape(re.sub(r"<[^>]+>", "", html)))


def _squeeze(text: str) -> str:
    """One space between words, none before a stop or comma (a citation taken out leaves its space behind)."""
    return SPACE_BEFORE_STOP.sub(r"\1", " ".join(text.split()))
