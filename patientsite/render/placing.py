"""Placing: a converted fragment put on one page. Its links are made relative to that page (a #place is kept
only where the page it leads to has it) and its citations numbered; inside a handout, a section's ids are
prefixed and its headings demoted."""

from __future__ import annotations

import functools
import re

from markupsafe import Markup

from patientsite.content.model import Content, Page, Topic
from patientsite.markdown.anchors import TEMPLATE_IDS, anchors_by_key
from patientsite.markdown.convert import ID_ATTRIBUTE, Fragment, place_fragment
from patientsite.markdown.texts import PageText
from patientsite.render.citations import Numbering
from patientsite.render.paths import relative_url


class PageLinks:
    """Links from one page of the site to another, by content key."""

    def __init__(self, content: Content, texts: dict[str, PageText], paths: dict[str, str]):
        self.content = content
        self.texts = texts
        self.paths = paths

    @functools.cached_property
    def anchors(self) -> dict[str, set[str]]:
        """Every place on every page a link can lead to, by page key; worked out only when a page not yet
        translated has a link to a place (most sites and previews never need it)."""
        return anchors_by_key(self.content, self.texts)

    def href(self, from_path: str, key: str, anchor: str) -> str:
        """The link from the page at `from_path` to the page `key` (or a path), at #anchor if any."""
        target = self.paths.get(key, key)
        href = relative_url(from_path, target)
        if target == from_path:
            return f"#{anchor}" if anchor else "#main"
        return f"{href}#{anchor}" if anchor else href

    def kept_anchor(self, item: Page | Topic, key: str, anchor: str) -> str:
        """A link's #place, unless the page is not translated yet and the translation it leads to has no such
        place (its headings have other words): then the link leads to the top of that page."""
        if item.untranslated and anchor and anchor not in self.anchors.get(key, TEMPLATE_IDS):
            return ""
        return anchor


class Placer:
    """Places the fragments of one page or topic on the page at `path`, in the language of their words."""

    def __init__(
        self, links: PageLinks, path: str, numbering: Numbering, item: Page | Topic, source_label: str
    ):
        self.links = links
        self.path = path
        self.numbering = numbering
        self.item = item
        self.source_label = source_label

    def link_for(self, key: str, anchor: str) -> str:
        return self.links.href(self.path, key, self.links.kept_anchor(self.item, key, anchor))

    def __call__(self, fragment: Fragment) -> Markup:
        return Markup(place_fragment(fragment.html, self.link_for, self.numbering.number, self.source_label))


class HandoutPlacer(Placer):
    """Places a section's fragments inside its topic's handout: its ids prefixed with its slug (two sections'
    headings cannot clash), a link to another section of the handout leading to its part there, its own
    headings one level below its title."""

    def __init__(
        self,
        links: PageLinks,
        path: str,
        numbering: Numbering,
        page: Page,
        source_label: str,
        in_handout: dict[str, str],
    ):
        super().__init__(links, path, numbering, page, source_label)
        self.prefix = f"{page.slug}--"
        self.in_handout = in_handout  # each section's slug, by content key

    def link_for(self, key: str, anchor: str) -> str:
        anchor = self.links.kept_anchor(self.item, key, anchor)
        if key in self.in_handout:
            return f"#{self.in_handout[key]}--{anchor}" if anchor else f"#{self.in_handout[key]}"
        return self.links.href(self.path, key, anchor)

    def __call__(self, fragment: Fragment) -> Markup:
        html = place_fragment(
            prefix_ids(fragment.html, self.prefix), self.link_for, self.numbering.number, self.source_label
        )
        return Markup(demote_headings(html))


def prefix_ids(html: str, prefix: str) -> str:
    html = ID_ATTRIBUTE.sub(lambda m: f'id="{prefix}{m.group(1)}"', html)
    return re.sub(r'href="#(?!source-)([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', html)


def demote_headings(html: str) -> str:
    """A section's own headings sit one level below its title inside the handout."""
    return re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
