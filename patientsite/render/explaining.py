"""Explaining: the first use of each glossary term on a page explained in place, in reading order; the
handout is one page. terms.py finds the words and marks them; this walks one view's HTML through it."""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from patientsite.markdown.glossary import Explanation, Glossary
from patientsite.render.terms import explain_terms
from patientsite.render.views import Entry, PageView, Part


def explained_view(view: PageView, glossary: Glossary, close_label: str) -> PageView:
    """The view with the first use of each term of `glossary` on it explained. A glossary explains nothing:
    it is the explanation; nor does a leaflet, which keeps to two printed pages (the guide explains its
    words)."""
    if (view.page is not None and view.page.kind == "glossary") or view.template == "leaflet.html":
        return view
    explainer = PageExplainer(view, glossary, close_label)
    # In reading order: the first use of a term is the one explained.
    summary = explainer.html(view.summary_html)
    key_points = tuple(explainer.html(point) for point in view.key_points_html)
    body = explainer.html(view.body_html)
    entries = explainer.entries(view.entries)
    parts = tuple(explainer.part(part) for part in view.parts)
    return replace(
        view, summary_html=summary, key_points_html=key_points, body_html=body, entries=entries, parts=parts
    )


class PageExplainer:
    """Explains terms on one page, remembering those explained already. The handout holds its glossary: a word
    there links to its entry (lighter than a second meaning), and the glossary's own part explains nothing."""

    def __init__(self, view: PageView, glossary: Glossary, close_label: str):
        self.glossary = glossary
        self.close_label = close_label
        self.explained: set[str] = set()
        sections = view.topic.sections if view.topic else ()
        self.glossary_parts = {page.slug for page in sections if page.kind == "glossary"}
        self.entries_here = {
            entry.anchor
            for part in view.parts
            if part.anchor in self.glossary_parts
            for entry in part.entries
        }

    def entry_link(self, explanation: Explanation) -> str | None:
        """The link to the term's entry on this page, if the page holds one."""
        anchors = (f"{slug}--{explanation.term.anchor}" for slug in self.glossary_parts)
        return next((f"#{anchor}" for anchor in anchors if anchor in self.entries_here), None)

    def html(self, html: Markup) -> Markup:
        return Markup(explain_terms(html, self.glossary, self.explained, self.entry_link, self.close_label))

    def entries(self, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        return tuple(replace(entry, html=self.html(entry.html)) for entry in entries)

    def part(self, part: Part) -> Part:
        if part.anchor in self.glossary_parts:
            return part
        summary = self.html(part.summary_html)
        return replace(
            part,
            summary_html=summary,
            body_html=self.html(part.body_html),
            entries=self.entries(part.entries),
        )
