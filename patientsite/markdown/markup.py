"""Markup: what an editor's Markdown source says, read as text with line numbers (citations, links, raw HTML,
tables that Markdown would not read as tables).

Validation uses these to point at the exact line; rendering uses the same patterns so both agree. Where the
Markdown converter could read something as a link, these read it so too, or more eagerly: a link the
converter makes but validation never saw would be a link nobody checked. So links and citations are looked
for everywhere, code included; only the raw-HTML check skips `code spans` and indented code blocks.
"""

from __future__ import annotations

import bisect
import itertools
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Iterator

CITATION = re.compile(r"\[(@[^\[\]]+)\]")  # may wrap onto the next line, as editors type it
CITED_ID = re.compile(r"@([^\s;,]+)")
# [text](target), ![text](target): the target in <...>, or everything up to the first ')'.
INLINE_LINK = re.compile(r"""\]\(\s*(?:<([^<>]*)>\s*(?:'[^']*'|"[^"]*")?\s*\)|([^)]*))""")
# [name]: target, on a line of its own (perhaps inside a quote or a list),
# the target perhaps on the next line.
REFERENCE = re.compile(
    r"^[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t]+)*\[[^\[\]]{0,1000}\]:[ \t]*\n?[ \t>]*(\S+)", re.MULTILINE
)
# <https://…>, and anything else with a scheme between < and >.
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
TITLE = re.compile(r"\s+[\"'].*", re.DOTALL)
PICTURE = re.compile(r"!\[[^\]]{0,1000}\]\s?[(\[]")
RAW_HTML = re.compile(r"<!--|<[!?][A-Za-z\[]|<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
# Every pattern here takes time in proportion to the text: a scan that could run to the end of the text from
# every '[' would make a page of '[' take hours, so scans stop at the next bracket or after 1,000 characters.
CODE_SPAN = re.compile(r"`[^`\n]*`")
QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)*")  # a line's indent and the > of quotes around it
# A line at the margin after which indented lines continue a block, not start code: a list item, an admonition
# (!!! note), a definition (: meaning), a quote.
CONTAINER_START = re.compile(r"(?:[-*+]|\d+[.)])(?:[ \t]|$)|!!!|\?\?\?|:[ \t]|>")
BLOCK_START = re.compile(r"!!!|\?\?\?|:[ \t]+")  # an admonition's first line, a definition
# The first characters at which CONTAINER_START, QUOTE_MARKS and BLOCK_START can match: most lines start with
# none of them, and are not matched at all.
CONTAINER_STARTS, QUOTE_STARTS, BLOCK_STARTS = "-*+!?:>", " \t>", "!?:"  # and any digit (\d) for a container


def find_citations(text: str) -> Iterator[tuple[int, str]]:
    """(line, source id) for every [@id] and [@id1; @id2] in the text; lines count from 1."""
    prose = _Lines(text)
    for group in CITATION.finditer(text):
        for cited in CITED_ID.finditer(group.group(1)):
            yield prose.line(group.start()), cited.group(1)


def find_links(text: str) -> Iterator[tuple[int, str]]:
    """(line, target) for every link or picture: [text](target), [name]: target, <scheme:…>; in text order."""
    found = [
        (link.start(1), link.group(1))
        if link.group(1) is not None
        else (link.start(2), TITLE.sub("", link.group(2)).strip())
        for link in INLINE_LINK.finditer(text)
    ]
    if "]:" in text:  # what every reference needs: a quick look first, as the pattern tries at every line
        found += [(link.start(1), link.group(1).lstrip("<").rstrip(">")) for link in REFERENCE.finditer(text)]
    found += [(link.start(1), link.group(1)) for link in AUTOLINK.finditer(text)]
    lines = _Lines(text)
    for position, target in sorted(found):
        yield lines.line(position), " ".join(target.split())  # a target broken over lines is one target


def find_pictures(text: str) -> Iterator[int]:
    """The line of every picture, ![description](file)."""
    lines = _Lines(text)
    for picture in PICTURE.finditer(text):
        yield lines.line(picture.start())


def find_raw_html(text: str) -> Iterator[tuple[int, str]]:
    """(line, tag) for every raw HTML tag or comment outside code;
    a tag opened and closed on one line once."""
    prose = CODE_SPAN.sub("``", _without_code_blocks(text))  # a code span never spans lines
    lines = _Lines(prose)
    seen: set[tuple[int, str]] = set()
    for tag in RAW_HTML.finditer(prose):
        found = (lines.line(tag.start()), f"<{tag.group(1).lower()}>" if tag.group(1) else "<!-- -->")
        if found not in seen:
            seen.add(found)
            yield found


def find_broken_tables(text: str) -> Iterator[tuple[int, str]]:
    """(line, what is wrong) for each paragraph that looks like a table but that Markdown would not make one
    of: it would publish the rows as a line of pipes. Read as Python-Markdown's tables reads them: a table is
    a paragraph whose first row is followed straight away by a separator row with as many cells."""
    if "|" not in text:  # most texts: no table, nothing to read
        return
    prose = CODE_SPAN.sub("``", _without_code_blocks(text)).replace("\\|", "")
    for paragraph in _paragraphs(prose):
        if not any("|" in line for _, line in paragraph):  # most paragraphs: no row of a table in them
            continue
        rows = [
            (number, line) for number, line in paragraph if not line.startswith("#")
        ]  # a heading stands apart
        if not _looks_like_table([line for _, line in rows]):
            continue
        separators = [index for index, (_, line) in enumerate(rows) if _is_separator(line)]
        first_number, first_row = rows[0]
        if not separators:
            yield (
                first_number,
                "looks like a table (rows with |), but has no separator row under its first row",
            )
        elif separators[0] == 0:
            yield (
                first_number,
                "the table's separator row (| --- |) has no row above it to be the table's header",
            )
        elif separators[0] > 1:
            number, _ = rows[separators[0] - 1]
            yield (
                number,
                (
                    "the table has no blank line above it, so it is read as part of the text above it "
                    "and its rows are shown as a line of pipes"
                ),
            )
        elif len(_cells(rows[1][1])) != len(_cells(first_row)):
            yield (
                rows[1][0],
                (
                    f"the table's separator row has {_count(_cells(rows[1][1]))}, but the row above it "
                    f"has {_count(_cells(first_row))}"
                ),
            )


def _paragraphs(text: str) -> Iterator[list[tuple[int, str]]]:
    """Each run of lines between blank lines, as (line number, the line without its indent or quote marks). An
    admonition's first line and a definition's ':' start a block of their own, as they do in Markdown."""
    paragraph: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        bare = (QUOTE_MARKS.sub("", line) if line[:1] in QUOTE_STARTS else line).strip()
        block = BLOCK_START.match(bare) if bare[:1] in BLOCK_STARTS else None
        if block:
            bare = "" if bare.startswith(("!!!", "???")) else bare[block.end() :]
            if paragraph:
                yield paragraph
                paragraph = []
        if bare:
            paragraph.append((number, bare))
        elif paragraph:
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph


def _looks_like_table(lines: list[str]) -> bool:
    """A row that starts with |, a separator row, or two lines with | one after the other; never a list."""
    rows = [" " if CONTAINER_START.match(line) else line for line in lines]
    return any(line.startswith("|") or _is_separator(line) for line in rows) or any(
        "|" in line and "|" in following for line, following in itertools.pairwise(rows)
    )


def _is_separator(line: str) -> bool:
    return "|" in line and "-" in line and set(line) <= set("|:- ")


def _cells(row: str) -> list[str]:
    return row.strip().removeprefix("|").removesuffix("|").split("|")


def _count(cells: list[str]) -> str:
    return f"{len(cells)} cell" + ("" if len(cells) == 1 else "s")


def _without_code_blocks(text: str) -> str:
    """The text with each indented code block's lines emptied (the lines keep their numbers): Markdown shows
    what they hold as code, '<script>' included. Indented lines that continue a list item, an admonition, a
    definition or a quote are not code; where that is unclear they are kept, and so still checked."""
    lines = text.split("\n")
    after_blank, in_code, in_container = True, False, False
    for number, line in enumerate(lines):
        if not line.strip():
            after_blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        if indented and (in_code or (after_blank and not in_container)):
            in_code, lines[number] = True, ""
        elif not indented:
            in_code = False
            starts_container = _may_start_container(line) and CONTAINER_START.match(line) is not None
            in_container = starts_container or (in_container and not after_blank)
        after_blank = False
    return "\n".join(lines)


def _may_start_container(line: str) -> bool:
    return line[0] in CONTAINER_STARTS or line[0].isdecimal()  # isdecimal: what \d matches, '٣' too


def resolve_link(page_key: str, target: str) -> str:
    """The content key a relative link leads to, read as a browser reads it ('%2e%2e' and '\\' are '..' and
    '/'): from 'topic/page.md', 'other.md#x' is 'topic/other.md'; a link out of the content folder starts
    '../' or '/'."""
    path = urllib.parse.unquote(re.sub(r"[\t\n\r]", "", target.partition("#")[0])).replace("\\", "/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_key), path))


def leaves_site(resolved: str) -> bool:
    """Whether a key from resolve_link lies outside the content folder."""
    return resolved == ".." or resolved.startswith(("../", "/"))


def slugify(text: str) -> str:
    """The id a heading gets: lower case, accents dropped, words joined by dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^\w\s-]", "", plain).strip().lower()
    return re.sub(r"[-\s]+", "-", plain) or "section"


class _Lines:
    """The line (from 1) of any position in a text. Where the lines start is found when first asked: most
    texts have no link or raw HTML, and validation looks for each in every text."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts: list[int] | None = None

    def line(self, position: int) -> int:
        if self.line_starts is None:
            self.line_starts = [0] + [match.end() for match in re.finditer("\n", self.text)]
        return bisect.bisect_right(self.line_starts, position)
