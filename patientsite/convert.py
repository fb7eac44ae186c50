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
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .markup import CITATION, CITED_ID, slugify

PAGE_SCHEME = "page:"
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
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
ID_ATTRIBUTE = re.compile(r'\bid="([^"]+)"')
CITE_MARKER = re.compile(r'<sup class="cite" data-cite="([^"]*)"></sup>')
PAGE_LINK = re.compile(r'href="page:([^"#]*)(#[^"]*)?"')


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
                "tables", "attr_list", "admonition", "sane_lists", "def_list",
                TocExtension(slugify=lambda value, separator: slugify(value)),
                _CitationsAndLinks(self.links),
            ],
            output_format="html",
        )

    def convert(self, text: str, page_key: str) -> Fragment:
        self.links.page_key = page_key
        self.markdown.reset()
        html = self.markdown.convert(text)
        html = _shift_headings(html)
        html = nh3.clean(
            html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
            link_rel=None, strip_comments=True,
        )
        return Fragment(html, frozenset(ID_ATTRIBUTE.findall(html)), _cited_ids(html))

    def convert_inline(self, text: str, page_key: str) -> Fragment:
        """A line of text (a summary, a key point): the same conversion without the paragraph around it."""
        fragment = self.convert(text, page_key)
        html = re.sub(r"^<p>(.*)</p>$", r"\1", fragment.html, flags=re.DOTALL)
        return Fragment(html, fragment.ids, fragment.cited)


def place_fragment(fragment_html: str, link_for: callable, cite_number: callable) -> str:
    """Fill in a fragment's markers for one page: `link_for(key, anchor)` → href, `cite_number(id)` → number."""

    def citation(match: re.Match) -> str:
        links = []
        for source_id in match.group(1).split():
            number = cite_number(source_id)
            links.append(f'<a href="#source-{source_id}"><span class="visually-hidden">source </span>{number}</a>')
        return f'<sup class="cite">[{", ".join(links)}]</sup>'

    def page_link(match: re.Match) -> str:
        return f'href="{link_for(match.group(1), (match.group(2) or "")[1:])}"'

    return PAGE_LINK.sub(page_link, CITE_MARKER.sub(citation, fragment_html))


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
            if not href or href.startswith("#") or ":" in href.split("/")[0]:
                continue
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.links.page_key), path))
            anchor.set("href", f"{PAGE_SCHEME}{target}" + (f"#{fragment}" if fragment else ""))


class _CitationsAndLinks(Extension):
    def __init__(self, links: _PageLinks):
        super().__init__()
        self.links = links

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(_Citation(CITATION.pattern, md), "citation", 175)
        md.treeprocessors.register(_LinkMarker(md, self.links), "page-links", 1)
