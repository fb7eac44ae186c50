"""Convert: an editor's Markdown → a sanitised HTML fragment that still names its links and citations.

A fragment is converted once and placed on several pages (its section page, the handout), so what
depends on the page is left as markers that `place_fragment` fills in for each page:
  - a citation [@id] becomes <sup class="cite" data-cite="id"></sup>, numbered per page;
  - a link to another content file becomes href="page:leucopenia/causes.md#units", made relative per page.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from markdown import inlinepatterns
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, render_inner_html, strip_tags, unique
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import escape

from patientsite.markdown.inline_shortcut import add_inline_shortcut, shortcut_wanted
from patientsite.markdown.markup import CITATION, CITED_ID, leaves_site, resolve_link, slugify

PAGE_SCHEME = "page:"
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title"},
    "a": {"href"},
    "sup": {"data-cite"},
    "td": {"align"},
    "th": {"align", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "page"}
# An id attribute: r'\bid="([^"]+)"', written to start with its literal text, which Python's re then finds by
# a fast search instead of trying \b at every character (fourteen times faster on a page; the same matches).
ID_ATTRIBUTE = re.compile(r'id="(?<=\bid=")([^"]+)"')
CITATION_MARKER = '<sup class="cite" data-cite='
CITE_MARKER = re.compile(r'<sup class="cite" data-cite="([^"]*)"></sup>')
PAGE_LINK = re.compile(r'href="page:([^"#]*)(#[^"]*)?"')
TOC_MARKER = "[TOC]"
MAX_LINK_CHARS = 1_000  # a link's text or address longer than this is not a link
MAX_LINK_NESTING = 4  # '[' inside a link's text, nested deeper than this, is not a link
# Elements inside each other (a list item in a list is two) deeper than this: no page is written so, and the
# text cannot be read. Python-Markdown up to 3.11.3 runs out of stack at about 250 list levels; 3.11.4 stops
# nesting near the interpreter's limit and leaves the rest as text. The limit, below both, makes the problem
# the same whichever version is installed.
MAX_NESTING = 200
_BRACKET = re.compile(r"[\[\]]")
_PAREN = re.compile(r"[()]")


class MarkdownUnreadable(Exception):
    """Markdown that Python-Markdown cannot convert: a problem in the page's file, and what to do."""

    def __init__(self, page_key: str, message: str, hint: str):
        super().__init__(page_key)
        self.page_key, self.message, self.hint = page_key, message, hint


class MarkdownTooDeep(MarkdownUnreadable):
    """Markdown nested so deeply (or a definition list so long without blank lines) that it cannot be read."""

    def __init__(self, page_key: str):
        super().__init__(
            page_key,
            "is nested too deeply to read (lists or quotes inside each other hundreds of times, "
            "or hundreds of definitions with no blank line between them)",
            "take out the extra levels, or put a blank line between the definitions",
        )


@dataclass(frozen=True)
class Fragment:
    html: str
    ids: frozenset[str]
    cited: tuple[str, ...]  # source ids in order of first citation


class MarkdownConverter:
    """One reusable Python-Markdown instance: building one per page would cost more than converting."""

    def __init__(self, inline_shortcut: bool | None = None) -> None:
        """``inline_shortcut``: use inline_shortcut.py's faster inline stage (by default unless
        PATIENTSITE_PLAIN_MARKDOWN=1); False converts with Python-Markdown's own, to the same HTML."""
        self.links = _PageLinks()
        self.inline_shortcut = shortcut_wanted() if inline_shortcut is None else inline_shortcut
        self.markdown = self._new_markdown()
        self.with_toc: markdown.Markdown | None = None  # made when a text first has a [TOC] marker

    def _new_markdown(self, toc: bool = False) -> markdown.Markdown:
        """Python-Markdown with our extensions; with `toc`, the toc extension too, which puts a table of
        contents where a paragraph says [TOC] (and gives headings the same ids as _HeadingIds does)."""
        md = markdown.Markdown(
            extensions=[
                "tables",
                "attr_list",
                "admonition",
                "sane_lists",
                "def_list",
                _OurStages(self.links),
                *([TocExtension(slugify=lambda value, separator: slugify(value))] if toc else []),
            ],
            output_format="html",
        )
        if toc:
            md.treeprocessors.deregister("heading-ids")
        if self.inline_shortcut:
            add_inline_shortcut(md)
        return md

    def _markdown_for(self, text: str) -> markdown.Markdown:
        if TOC_MARKER not in text:  # the marker works only as the whole text of a paragraph
            return self.markdown
        if self.with_toc is None:
            self.with_toc = self._new_markdown(toc=True)
        return self.with_toc

    def _start_afresh(self) -> None:
        self.markdown, self.with_toc = self._new_markdown(), None

    def convert(self, text: str, page_key: str) -> Fragment:
        self.links.page_key = page_key
        md = self._markdown_for(text)
        md.reset()
        try:
            html = md.convert(text)
        except (RecursionError, _NestedTooDeep):
            # Python-Markdown stopped half way (out of stack, or at the limit): its parser's state stays
            # behind, which reset() does not clear, and would make the next text convert wrongly (or fail).
            # The next text gets fresh instances.
            self._start_afresh()
            raise MarkdownTooDeep(page_key) from None
        except ValueError as error:  # Python-Markdown's own "failed to strip top-level tags"
            self._start_afresh()
            raise MarkdownUnreadable(
                page_key,
                f"could not be converted from Markdown ({str(error).partition('. ')[0]})",
                "undo the last change to this file, or put blank lines around its boxes ('!!!'), "
                "attribute lines ('{: ...}') and raw HTML",
            ) from None
        html = _shift_headings(html)
        html = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel=None,
            strip_comments=True,
        )
        html = _keep_citations_on_their_line(html)
        return Fragment(html, frozenset(ID_ATTRIBUTE.findall(html)), _cited_ids(html))

    def convert_inline(self, text: str, page_key: str) -> Fragment:
        """A line of text (a summary, a key point): the same conversion without the paragraph around it."""
        fragment = self.convert(text, page_key)
        html = re.sub(r"^<p>(.*)</p>$", r"\1", fragment.html, flags=re.DOTALL)
        return Fragment(html, fragment.ids, fragment.cited)


def place_fragment(
    fragment_html: str, link_for: callable, cite_number: callable, source_label: str = "source"
) -> str:
    """Fill in a fragment's markers for one page: `link_for(key, anchor)` → href, `cite_number(id)` → number;
    `source_label` is what a screen reader says before the number, in the page's language."""
    label = escape(source_label)

    def citation(match: re.Match) -> str:
        links = []
        for source_id in match.group(1).split():
            number = cite_number(source_id)
            links.append(
                f'<a href="#source-{source_id}"><span class="visually-hidden">{label} </span>{number}</a>'
            )
        return f'<sup class="cite">[{", ".join(links)}]</sup>'

    def page_link(match: re.Match) -> str:
        return f'href="{link_for(match.group(1), (match.group(2) or "")[1:])}"'

    return PAGE_LINK.sub(page_link, CITE_MARKER.sub(citation, fragment_html))


def _keep_citations_on_their_line(html: str) -> str:
    """The spaces before each citation made one no-break space: "[1, 2]" alone at the start of a line reads as
    noise. (The same as a regular expression for "spaces, then the marker", which tries at every space of the
    page: forty times slower.)"""
    pieces = html.split(CITATION_MARKER)
    glued = [piece.rstrip() + "\u00a0" if piece[-1:].isspace() else piece for piece in pieces[:-1]]
    return CITATION_MARKER.join([*glued, pieces[-1]])


def _cited_ids(html: str) -> tuple[str, ...]:
    ordered: dict[str, None] = {}
    for group in CITE_MARKER.findall(html):
        for source_id in group.split():
            ordered.setdefault(source_id, None)
    return tuple(ordered)


def _shift_headings(html: str) -> str:
    """'#' in a section is refused by validation; a stray one still must not make a second <h1>."""
    return html.replace("<h1", "<h2").replace("</h1>", "</h2>")


class _PageLinks:
    page_key = ""


class _Citation(InlineProcessor):
    def handleMatch(self, match: re.Match, data: str):
        element = etree.Element("sup")
        element.set("class", "cite")
        element.set("data-cite", " ".join(CITED_ID.findall(match.group(1))))
        return element, match.start(0), match.end(0)


class _LinkMarker(Treeprocessor):
    """Marks links to other content files, so each page can make them relative to itself."""

    def __init__(self, md: markdown.Markdown, links: _PageLinks):
        super().__init__(md)
        self.links = links

    def run(self, root: etree.Element) -> None:
        for anchor in root.iter("a"):
            href = anchor.get("href", "")
            if href.lower().startswith(PAGE_SCHEME) or leaves_site(resolve_link(self.links.page_key, href)):
                del anchor.attrib["href"]  # validation refuses these; should one slip past, it leads nowhere
                continue
            if not href or href.startswith("#") or ":" in href.split("/")[0]:
                continue
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.links.page_key), path))
            anchor.set("href", f"{PAGE_SCHEME}{target}" + (f"#{fragment}" if fragment else ""))


class _NestedTooDeep(Exception):
    pass


class _NestingLimit(Treeprocessor):
    """Refuses, before the inline stage, a text whose blocks are nested more than MAX_NESTING deep."""

    def run(self, root: etree.Element) -> None:
        level = list(root)
        for _ in range(MAX_NESTING):
            if not level:
                return
            level = [child for parent in level for child in parent]
        raise _NestedTooDeep


class _HeadingIds(Treeprocessor):
    """Each heading's id, made from its text as Python-Markdown's toc extension makes it (the same helpers,
    our slugify; an id given in {: #id} is kept). The extension also builds a table of contents for every
    text, looks in every paragraph for a [TOC] marker and renders the table to HTML: a sixth of the
    conversion, for a table only a text with the marker shows (converted with the extension: see
    MarkdownConverter._markdown_for). tests/test_convert.py compares the two on every run."""

    def run(self, root: etree.Element) -> None:
        headings = [element for element in root.iter() if element.tag in HEADINGS]
        if not headings:
            return
        used = {element.get("id") for element in root.iter() if "id" in element.attrib}
        counters: dict[str, int] = {}
        for heading in headings:
            if not heading.get("id"):
                heading.set("id", unique(slugify(self._name(heading)), used, counters))

    def _name(self, heading: etree.Element) -> str:
        text = heading.text or ""
        if len(heading) == 0 and not MARKUP_IN_TEXT.search(text):
            return " ".join(text.split())  # what the helpers below make of plain text, ten times faster
        return html.unescape(strip_tags(render_inner_html(heading, self.md)))


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MARKUP_IN_TEXT = re.compile("[&<>\x02\x03]")  # escaped, or a placeholder of Python-Markdown's


class _BoundedScan:
    """Python-Markdown finds the ']' that closes a '[' (and the ')' that closes a link) by scanning to the
    end of the paragraph, one character at a time, once for every '[': a paragraph of 5,000 '[' took 11
    seconds. Here the scan stops after MAX_LINK_CHARS characters, or when brackets nest deeper than any
    link needs, so a paragraph's time grows in proportion to its length."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        depth = 1
        for bracket in _BRACKET.finditer(data, index, index + MAX_LINK_CHARS):
            depth += 1 if bracket.group() == "[" else -1
            if depth == 0:
                return data[index : bracket.start()], bracket.end(), True
            if depth > MAX_LINK_NESTING:
                break
        return "", index, False

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        window = data[index : index + MAX_LINK_CHARS]
        angled = self.RE_LINK.match(window)
        if not (angled and angled.group(1)):
            close = _closing_paren(window)
            if close is None:
                return "", None, index, False
            if "'" not in window[:close] and '"' not in window[:close]:
                window = window[: close + 1]  # no title that could hold a ')': the link ends here
        href, title, end, found = super().getLink(window, 0)
        return href, title, index + end, found


def _closing_paren(window: str) -> int | None:
    """Where the '(' that starts the window closes, or None if not soon enough to be a link's address."""
    depth = 0
    for paren in _PAREN.finditer(window):
        depth += 1 if paren.group() == "(" else -1
        if depth == 0:
            return paren.start()
        if depth > MAX_LINK_NESTING or depth < 0:
            return None
    return None


class _Link(_BoundedScan, inlinepatterns.LinkInlineProcessor):
    pass


class _Image(_BoundedScan, inlinepatterns.ImageInlineProcessor):
    pass


class _Reference(_BoundedScan, inlinepatterns.ReferenceInlineProcessor):
    pass


class _ShortReference(_BoundedScan, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class _ImageReference(_BoundedScan, inlinepatterns.ImageReferenceInlineProcessor):
    pass


class _ShortImageReference(_BoundedScan, inlinepatterns.ShortImageReferenceInlineProcessor):
    pass


# Python-Markdown's link processors, by name and priority, each replaced by its bounded twin.
_BOUNDED_LINK_PROCESSORS = (
    ("reference", _Reference, inlinepatterns.REFERENCE_RE, 170),
    ("link", _Link, inlinepatterns.LINK_RE, 160),
    ("image_link", _Image, inlinepatterns.IMAGE_LINK_RE, 150),
    ("image_reference", _ImageReference, inlinepatterns.IMAGE_REFERENCE_RE, 140),
    ("short_reference", _ShortReference, inlinepatterns.REFERENCE_RE, 130),
    ("short_image_ref", _ShortImageReference, inlinepatterns.IMAGE_REFERENCE_RE, 125),
)


class _OurStages(Extension):
    """What we add to Python-Markdown: citations, bounded link scans, the nesting limit, heading ids and
    page links."""

    def __init__(self, links: _PageLinks):
        super().__init__()
        self.links = links

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(_Citation(CITATION.pattern, md), "citation", 175)
        for name, processor, pattern, priority in _BOUNDED_LINK_PROCESSORS:
            md.inlinePatterns.register(processor(pattern, md), name, priority)
        md.treeprocessors.register(_NestingLimit(md), "nesting-limit", 30)  # before "inline" (20)
        md.treeprocessors.register(_HeadingIds(md), "heading-ids", 5)  # after "attr_list" (8), as toc is
        md.treeprocessors.register(_LinkMarker(md, self.links), "page-links", 1)
