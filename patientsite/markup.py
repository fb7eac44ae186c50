"""Markup: what an editor's Markdown source says, read as text with line numbers (citations, links, raw HTML).

Validation uses these to point at the exact line; rendering uses the same patterns so both agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

CITATION = re.compile(r"\[(@[^\]\n]+)\]")
CITED_ID = re.compile(r"@([^\s;,]+)")
INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
RAW_HTML = re.compile(r"<!--|<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`[^`\n]*`")


def find_citations(text: str) -> Iterator[tuple[int, str]]:
    """(line, source id) for every [@id] and [@id1; @id2] in the text; lines count from 1."""
    for line_number, line in _prose_lines(text):
        for group in CITATION.finditer(line):
            for cited in CITED_ID.finditer(group.group(1)):
                yield line_number, cited.group(1)


def find_links(text: str) -> Iterator[tuple[int, str]]:
    """(line, target) for every inline Markdown link [text](target)."""
    for line_number, line in _prose_lines(text):
        for link in INLINE_LINK.finditer(line):
            yield line_number, link.group(1)


def find_raw_html(text: str) -> Iterator[tuple[int, str]]:
    """(line, tag) for every raw HTML tag or comment outside code."""
    for line_number, line in _prose_lines(text):
        for tag in RAW_HTML.finditer(line):
            yield line_number, f"<{tag.group(1)}>" if tag.group(1) else "<!-- -->"


def slugify(text: str) -> str:
    """The id a heading gets: lower case, accents dropped, words joined by dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^\w\s-]", "", plain).strip().lower()
    return re.sub(r"[-\s]+", "-", plain) or "section"


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line outside fenced code, with inline code spans blanked out."""
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield number, CODE_SPAN.sub("``", line)
