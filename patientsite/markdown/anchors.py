"""Anchors: every place on every page a link can lead to (#anchor), worked out in one place for the checks and
for render."""

from __future__ import annotations

from patientsite.content.model import Content, Page
from patientsite.markdown.texts import PageText

# The ids every page's template gives it, so a link may lead to them on any page, a topic's overview too.
TEMPLATE_IDS = frozenset({"main", "summary", "key-points", "sources"})


def page_anchors(page: Page, text: PageText) -> set[str]:
    """Every place on a page a link can lead to: its headings and other ids, questions, terms."""
    ids = set(TEMPLATE_IDS)
    for fragment in text.fragments():
        ids.update(fragment.ids)
    ids.update(question.anchor for question in page.questions)
    ids.update(term.anchor for term in page.terms)
    return ids


def anchors_by_key(content: Content, texts: dict[str, PageText]) -> dict[str, set[str]]:
    """The places of every page and topic of every language, by content key (a topic has its template's)."""
    return {
        item.key: page_anchors(item, texts[item.key]) if isinstance(item, Page) else set(TEMPLATE_IDS)
        for _, item in content.every_page(topics=True)
    }
