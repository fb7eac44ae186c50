"""Validate: raw documents → the typed content model, or every problem found, each with file and line.

The recipe over the content: each language is read as its files (language_files.py): site.yaml (site.py),
the home page and the site's own pages (pages.py), the topics with their pages (topics.py); then what holds
across its files is checked (cross_checks.py, citations.py); each translation is then checked against the
original (translations.py). Checks that need the rendered pages (links and #anchors, reading grade) live in
checks/ and run after rendering.
"""

from __future__ import annotations

from dataclasses import replace

from patientsite.content.citations import check_citations
from patientsite.content.cross_checks import check_navigation, check_urgent_boxes, warn_unused_files
from patientsite.content.fields import line_of, shown
from patientsite.content.language_files import (
    SITE_FILE,
    original_files,
    own_files,
    translation_codes,
    translation_files,
)
from patientsite.content.load import LoadedContent, Memo
from patientsite.content.model import Content
from patientsite.content.pages import read_home, read_site_pages
from patientsite.content.site import read_site
from patientsite.content.topics import read_topics
from patientsite.content.translations import as_translation, check_originals
from patientsite.problems import Problems

# HOME_FILE, SITE_FILE, TOPIC_FILE and page_texts stay importable from here for checks/links.py and
# engine/incremental.py (other stages' files); their homes are pages.py, language_files.py, topics.py and
# markdown_checks.py.


def validate_content(
    loaded: LoadedContent, content_label: str, problems: Problems, memo: Memo | None = None
) -> Content | None:
    """The whole content, the original language with each translation in it (translations.py), or None when
    a problem makes a model impossible (the problems say why).

    `memo` keeps what the Markdown checks found in each text (markdown_checks.py), for the next build.
    A file that could not be read has been reported by load; what merely follows from its absence (a
    navigation entry to it, a citation of its sources, its section files now unused) is not reported again.
    """
    codes = translation_codes(loaded)
    original = _language(original_files(loaded, codes), content_label, problems, memo)
    if original is None:
        return None
    check_originals(original, loaded.documents, problems)
    translated = (
        _translation(original, loaded, codes, code, content_label, problems, memo)
        for code in original.site.translations
    )
    return replace(original, translations=tuple(t for t in translated if t is not None))


def _translation(
    original: Content,
    loaded: LoadedContent,
    codes: tuple[str, ...],
    code: str,
    content_label: str,
    problems: Problems,
    memo: Memo | None = None,
) -> Content | None:
    """One translation, read as the original's files with its own laid over them; a problem in a file of the
    original is reported once, by the original."""
    own = own_files(loaded, code)
    if not own.documents and not own.unreadable:
        problems.add(
            original.site.file,
            line_of(loaded.documents.get(SITE_FILE), "translations"),
            "translations",
            f"{shown(code)} has no folder {content_label}/{code}/",
            f"create the folder with the {code} translation's site.yaml and strings.yaml, or take "
            f"{shown(code)} off the list",
        )
        return None
    files = translation_files(loaded, codes, code)
    found = Problems()
    translated = _language(files, f"{content_label}/{code}", found, memo)
    reported = set(problems.items)
    problems.items.extend(problem for problem in found.items if problem not in reported)
    if translated is None:
        return None
    failed = original_files(loaded, codes).failed_folders()  # their pages are missing for a reported reason
    return as_translation(translated, original, code, files, own, content_label, failed, problems)


def _language(
    loaded: LoadedContent, content_label: str, problems: Problems, memo: Memo | None = None
) -> Content | None:
    """The content of one language, from its files."""
    documents, unreadable = loaded.documents, loaded.unreadable
    site = read_site(documents, unreadable, content_label, problems, memo)
    home = read_home(documents, unreadable, content_label, problems, memo)
    pages = tuple(read_site_pages(documents, problems, memo))
    topics = tuple(read_topics(documents, unreadable, problems, memo))
    if site is None or home is None:
        return None
    content = Content(site, home, topics, pages=pages)
    failed = loaded.failed_folders()
    check_navigation(content, documents, failed, problems)
    check_urgent_boxes(content, documents, failed, problems)
    check_citations(content, bool(failed), problems)
    warn_unused_files(content, documents, failed, problems)
    return content
