"""Cross-checks: what holds between the files of one language once each is read (navigation, emergency
boxes, files no page uses).
"""

from __future__ import annotations

from patientsite.content.fields import line_of, shown
from patientsite.content.language_files import SITE_FILE
from patientsite.content.load import Document
from patientsite.content.model import Content
from patientsite.content.strings import STRINGS_FILE
from patientsite.problems import Problems
from patientsite.render.paths import A_Z_PAGE


def check_navigation(
    content: Content, documents: dict[str, Document], failed: frozenset[str], problems: Problems
) -> None:
    """Each navigation entry of site.yaml names a page of the site."""
    pages = _page_keys(content) | {A_Z_PAGE}  # the A to Z page is made by the build, and has no file
    for index, item in enumerate(content.site.navigation):
        if item.page not in pages and item.page.partition("/")[0] not in failed:
            choices = ", ".join(sorted(pages))
            problems.add(
                content.site.file,
                _nav_line(documents, index),
                "navigation.page",
                f"{shown(item.page)} is not a page of the site",
                f"use one of: {choices}",
            )


def check_urgent_boxes(
    content: Content, documents: dict[str, Document], failed: frozenset[str], problems: Problems
) -> None:
    """A page that asks for the emergency box has one to show: its topic's (the home page: some topic's)."""
    asking = [(content.home, any(topic.urgent for topic in content.topics), "no topic.yaml has 'urgent:'")]
    for topic in content.topics:
        asking.extend(
            (page, topic.urgent is not None, f"{topic.file} has no 'urgent:'")
            for page in topic.sections + topic.tools
        )
    for page, has_box, where in asking:
        if page.urgent_box and not has_box and not (page is content.home and failed):
            problems.add(
                page.file,
                line_of(documents.get(page.key), "urgent_box"),
                "urgent_box",
                f"the page asks for the emergency box, but {where}",
                "add 'urgent:' with its title and text to the topic.yaml, or delete 'urgent_box: true'",
            )


def _nav_line(documents: dict[str, Document], index: int) -> int:
    navigation = documents[SITE_FILE].data.get("navigation")
    return navigation.line_of(index)


def _page_keys(content: Content) -> set[str]:
    keys = {page.key for page in content.site_pages}
    for topic in content.topics:
        keys.add(topic.key)
        keys.update(page.key for page in topic.sections + topic.tools)
    return keys


def warn_unused_files(
    content: Content, documents: dict[str, Document], failed: frozenset[str], problems: Problems
) -> None:
    """A warning for each file no page is made from (except in a folder with an unreadable file)."""
    used = _page_keys(content) | {SITE_FILE, STRINGS_FILE}
    for key, document in documents.items():
        if key not in used and key.rpartition("/")[0] not in failed:
            problems.warn(
                document.file,
                1,
                "file",
                "is not used by any page",
                "list it in a topic.yaml's sections or tools, or delete it",
            )
