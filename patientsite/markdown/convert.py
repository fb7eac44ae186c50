"""Convert: an editor's Markdown → a sanitised HTML fragment that still names its links and citations.

A fragment is converted once and placed on several pages (its section page, the handout), so what
depends on the page is left as markers that `place_fragment` fills in for each page:
  - a citation [@id] becomes <sup class="cite" data-cite="id"></sup>, numbered per page;
  - a link to another content file becomes href="page:leucopenia/causes.md#units", made relative per page.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from markdown import inlinepatterns, treeprocessors, util
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import escape

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
MAX_LINK_CHARS = 1_000  # a link's text or address longer than this is not a link
MAX_LINK_NESTING = 4  # '[' inside a link's text, nested deeper than this, is not a link
_BRACKET = re.compile(r"[\[\]]")
_PAREN = re.compile(r"[()]")


class MarkdownTooDeep(Exception):
    """Markdown nested so deeply (or a definition list so long without blank lines) that it cannot be read."""

    def __init__(self, page_key: str):
        super().__init__(page_key)
        self.page_key = page_key


@dataclass(frozen=True)
class Fragment:
    html: str
    ids: frozenset[str]
    cited: tuple[str, ...]  # source ids in order of first citation


class MarkdownConverter:
    """One reusable Python-Markdown instance: building one per page would cost more than converting."""

    def __init__(self) -> None:
        self.links = _PageLinks()
        self.markdown = markdown.Markdown(
            extensions=[
                "tables",
                "attr_list",
                "admonition",
                "sane_lists",
                "def_list",
                TocExtension(slugify=lambda value, separator: slugify(value)),
                _CitationsAndLinks(self.links),
            ],
            output_format="html",
        )
        _add_inline_shortcut(self.markdown)

    def convert(self, text: str, page_key: str) -> Fragment:
        self.links.page_key = page_key
        self.markdown.reset()
        try:
            html = self.markdown.convert(text)
        except RecursionError:
            raise MarkdownTooDeep(page_key) from None
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


class _CitationsAndLinks(Extension):
    def __init__(self, links: _PageLinks):
        super().__init__()
        self.links = links

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(_Citation(CITATION.pattern, md), "citation", 175)
        for name, processor, pattern, priority in _BOUNDED_LINK_PROCESSORS:
            md.inlinePatterns.register(processor(pattern, md), name, priority)
        md.treeprocessors.register(_LinkMarker(md, self.links), "page-links", 1)


def _add_inline_shortcut(md: markdown.Markdown) -> None:
    """Python-Markdown's inline stage replaced by the same stage with shortcuts, if every pattern is known and
    Python-Markdown still has the two private methods the shortcuts stand in front of."""
    needs = _pattern_needs(md)
    private = ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")
    if needs is not None and all(
        callable(getattr(treeprocessors.InlineProcessor, name, None)) for name in private
    ):
        md.treeprocessors.register(_InlineWithShortcuts(md, needs), "inline", 20)


# What each inline pattern needs in a text before it can match there: its regular expression cannot match
# without one of these characters (or, for a line break, this string). Python-Markdown tries every pattern on
# every piece of text; most sentences hold few of these characters, or none.
INLINE_PATTERN_NEEDS = {
    "backtick": "`\\",
    "escape": "\\",
    "citation": "[",
    "reference": "[",
    "link": "[",
    "image_link": "[",
    "image_reference": "[",
    "short_reference": "[",
    "short_image_ref": "[",
    "autolink": "<",
    "automail": "<",
    "html": "<",
    "entity": "&",
    "em_strong": "*_",
}
LINE_BREAK = "  \n"  # the "linebreak" pattern: two spaces at the end of a line


def _pattern_needs(md: markdown.Markdown) -> list[re.Pattern] | None:
    """For each inline pattern, in the order Python-Markdown tries them, a pattern that finds what it needs;
    None if one is not in the table above (an extension added it), or if the registry no longer lists its
    names where it did (a private list): then every text meets every pattern."""
    names = [getattr(item, "name", None) for item in getattr(md.inlinePatterns, "_priority", [None])]
    needs: list[re.Pattern | None] = [None] * len(md.inlinePatterns)
    for name in names:
        if name == "linebreak":
            need = re.escape(LINE_BREAK)
        elif name in INLINE_PATTERN_NEEDS:
            need = f"[{re.escape(INLINE_PATTERN_NEEDS[name])}]"
        else:
            return None
        needs[md.inlinePatterns.get_index_for_name(name)] = re.compile(need)
    return needs  # type: ignore[return-value]


class _InlineWithShortcuts(treeprocessors.InlineProcessor):
    """Python-Markdown's inline stage, which tries a pattern on a text only if the text holds what the pattern
    needs: a text that no pattern could change is left at once. The same HTML in two-thirds of the time
    (tests/test_convert.py compares the two on 1,000 texts)."""

    def __init__(self, md: markdown.Markdown, needs: list[re.Pattern]):
        super().__init__(md)
        self.needs = needs
        self.any_need = re.compile("|".join(need.pattern for need in needs))

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """Python-Markdown's loop: each pattern in turn, again from where it matched until it no longer does."""
        if isinstance(data, util.AtomicString) or self.any_need.search(data) is None:
            return data
        start = 0
        while patternIndex < len(self.inlinePatterns):
            if self.needs[patternIndex].search(data) is None:  # it cannot match: as if it had not matched
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(
                self.inlinePatterns[patternIndex], data, patternIndex, start
            )
            if not matched:
                patternIndex += 1
        return data
