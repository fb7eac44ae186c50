"""Translations: the site in each other language, from content/<code>/ laid over the original's files.

A translation mirrors the original: content/es/leucopenia/causes.md translates content/leucopenia/causes.md
and says in `translation_of` which version of it (the original's `updated` date) it was made from. Validate
reads a translation as a site of its own, made of the original's files with the translation's laid over
them (language_files.py says which files those are); then `as_translation` checks what only a translation has:
  - a file of the original that the translation lacks is published in the original's words, marked
    untranslated, with a warning naming the file to write; or it is an error, when site.yaml says
    missing_translation: fail (a draft topic needs no translation yet);
  - a translation made from an older version than the original's `updated` is out of date (a warning), and
    marked with the original's date, so that its page says the original is newer;
  - the translation has the original's topics and pages in the same order, and leaves the settings of
    the whole site (base_url, readability, …) to content/site.yaml;
and moves its keys under its folder ('es/leucopenia/causes.md'), so that every language lives in one model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from patientsite.content.fields import fields_of, line_of, shown
from patientsite.content.language_files import SITE_FILE
from patientsite.content.load import Document, LoadedContent, YamlDocument, YamlMap
from patientsite.content.model import Content, NavItem, Page, Site, Strings, Topic
from patientsite.content.strings import STRINGS_FILE, translate_strings
from patientsite.problems import Problems

SITE_WIDE_FIELDS = ("base_url", "readability", "review_interval_years", "translations", "missing_translation")
FAIL = "fail"
Item = Page | Topic


def check_originals(original: Content, documents: dict[str, Document], problems: Problems) -> None:
    """`translation_of` says what a translation was made from: in the original it can only be a slip."""
    for item in items_of(original):
        if item.translation_of is not None:
            problems.add(
                item.file,
                line_of(documents.get(item.key), "translation_of"),
                "translation_of",
                "only a translation says what it was translated from, and this file is the original",
                "delete the line",
            )


def as_translation(
    translated: Content,
    original: Content,
    code: str,
    files: LoadedContent,
    own: LoadedContent,
    content_label: str,
    failed: frozenset[str],
    problems: Problems,
) -> Content:
    """The translation, checked against its original, with its keys under its folder and the whole site's
    settings; `files` are what it was read from, `own` its own files, `failed` the original's folders with a
    file that could not be read (already reported), whose pages are not compared."""
    must_translate = original.site.missing_translation == FAIL
    _check_site_file(files.documents.get(SITE_FILE) if SITE_FILE in own.documents else None, code, problems)
    _check_same_pages(translated, original, files.documents, content_label, failed, problems)
    _report_missing(original, own, f"{content_label}/{code}", must_translate, problems)
    out_of_date = _check_versions(translated, original, files.documents, own, problems)
    _check_urgent_boxes(translated, original, files.documents, own, problems)
    strings = original.site.strings
    if STRINGS_FILE in own.documents and translated.site.strings is not None and strings is not None:
        strings = translate_strings(strings, translated.site.strings, must_translate, problems)
    return _moved(translated, original.site, code, own, strings, out_of_date)


def items_of(content: Content) -> Iterator[Item]:
    """Every page and topic made from a file of the content, in the order of the site."""
    yield from content.site_pages
    for topic in content.topics:
        yield topic
        yield from topic.sections + topic.tools


# --- checks -------------------------------------------------------------------------------------------------


def _check_site_file(document: Document | None, code: str, problems: Problems) -> None:
    mapping = document.data if isinstance(document, YamlDocument) else None
    if not isinstance(mapping, YamlMap):
        return  # no site.yaml of its own (reported as missing), or one validate has reported
    for name in SITE_WIDE_FIELDS:
        if name in mapping:
            problems.add(
                document.file,
                mapping.line_of(name),
                name,
                "is a setting of the whole site, made in the original language's site.yaml",
                "delete it here: a translation's site.yaml has only title, language, locale, description, "
                "disclaimer and navigation",
            )
    language = mapping.get("language")
    if language is not None and language != code:
        problems.add(
            document.file,
            mapping.line_of("language"),
            "language",
            f"{shown(language)} is not the language of this folder",
            f"write 'language: {code}': the folder {code}/ holds the {code} translation",
        )


def _check_same_pages(
    translated: Content,
    original: Content,
    documents: dict[str, Document],
    content_label: str,
    failed: frozenset[str],
    problems: Problems,
) -> None:
    """A translation has the original's topics, each with the same pages in the same order: every page has its
    twin in every language, and the pager leads through them alike."""
    originals = {topic.key: topic for topic in original.topics}
    for topic in translated.topics:
        if topic.key.rpartition("/")[0] in failed:
            continue  # the original lacks a page, or the topic, only because a file could not be read: that
            # is the problem, already reported
        source = originals.get(topic.key)
        if source is None:
            problems.add(
                topic.file,
                1,
                "topic",
                f"has no original: {content_label}/{topic.key} does not exist",
                "a translation mirrors the original's files: write the topic in the original language "
                "first, or move this folder to the name of the topic it translates",
            )
            continue
        for name in ("sections", "tools"):
            mine, theirs = _names(getattr(topic, name)), _names(getattr(source, name))
            if mine != theirs:
                problems.add(
                    topic.file,
                    line_of(documents.get(topic.key), name),
                    name,
                    f"lists {', '.join(mine) or 'nothing'}, "
                    f"but {source.file} lists {', '.join(theirs) or 'nothing'}",
                    "list the same files in the same order as the original: a translation has the same pages",
                )


def _names(pages: tuple[Page, ...]) -> list[str]:
    return [page.key.rpartition("/")[2] for page in pages]


def _report_missing(
    original: Content, own: LoadedContent, folder_label: str, must_translate: bool, problems: Problems
) -> None:
    """Each file of the original without its translation, named where the translation belongs."""
    for key, file in _files_to_translate(original):
        if key in own.documents or key in own.unreadable:
            continue
        if must_translate:
            problems.add(
                f"{folder_label}/{key}",
                1,
                "translation",
                f"is missing: nothing translates {file}",
                f"translate {file} into this file, or set 'missing_translation: fallback' in "
                f"{original.site.file} to publish the original's words until then",
            )
        else:
            problems.warn(
                f"{folder_label}/{key}",
                1,
                "translation",
                f"is missing: nothing translates {file}",
                f"translate {file} into this file; until then its page is published in the original's "
                "words, with a note that it is not translated yet",
            )


def _files_to_translate(original: Content) -> Iterator[tuple[str, str]]:
    """(key, file) of every file of the original a translation has its own of; a draft topic needs none
    yet."""
    yield SITE_FILE, original.site.file
    if original.site.strings is not None:
        yield STRINGS_FILE, original.site.strings.file
    for page in original.site_pages:
        yield page.key, page.file
    for topic in original.topics:
        if not topic.draft:
            for item in (topic, *topic.sections, *topic.tools):
                yield item.key, item.file


def _check_versions(
    translated: Content,
    original: Content,
    documents: dict[str, Document],
    own: LoadedContent,
    problems: Problems,
) -> dict[str, date]:
    """Each translated file says which version of its original it translates; an older one is out of date.
    The keys of those out of date, with the original's later `updated` date."""
    out_of_date: dict[str, date] = {}
    originals = {item.key: item for item in items_of(original)}
    for item in items_of(translated):
        source = originals.get(item.key)
        if item.key not in own.documents or source is None or item.updated is None:
            continue
        line = line_of(documents.get(item.key), "translation_of")
        if item.translation_of is None:
            problems.add(
                item.file,
                line,
                "translation_of",
                "is missing (date required)",
                f"add a line 'translation_of: {source.updated}': the updated date of the version of "
                f"{source.file} you translated",
            )
        elif source.updated is not None and item.translation_of > source.updated:
            problems.add(
                item.file,
                line,
                "translation_of",
                f"{item.translation_of} is later than the original's updated date ({source.updated})",
                f"write the updated date of the version of {source.file} you translated",
            )
        elif source.updated is not None and item.translation_of < source.updated:
            out_of_date[item.key] = source.updated
            problems.warn(
                item.file,
                line,
                "translation_of",
                f"the translation is out of date: it translates the version of {item.translation_of}, "
                f"and {source.file} was updated on {source.updated}",
                f"bring the translation up to date, then write 'translation_of: {source.updated}'",
            )
    return out_of_date


def _check_urgent_boxes(
    translated: Content,
    original: Content,
    documents: dict[str, Document],
    own: LoadedContent,
    problems: Problems,
) -> None:
    """The emergency box is in every language: a topic of the original with one has it in the translation too,
    in its words, and a page the original opens with it opens with it in the translation."""
    originals = {item.key: item for item in items_of(original)}
    for item in items_of(translated):
        source = originals.get(item.key)
        if item.key not in own.documents or source is None or fields_of(documents.get(item.key)) is None:
            continue
        fields = fields_of(documents[item.key])
        if isinstance(item, Topic) and source.urgent and "urgent" not in fields:
            problems.add(
                item.file,
                1,
                "urgent",
                f"is missing: {source.file} has an emergency box",
                "add 'urgent:' with its title and text in this language: until then this language's pages "
                "have no emergency box",
            )
        elif isinstance(item, Page) and source.urgent_box and fields.get("urgent_box", False) is False:
            problems.add(
                item.file,
                line_of(documents[item.key], "urgent_box"),
                "urgent_box",
                f"is missing: {source.file} opens with the emergency box",
                "add the line 'urgent_box: true', as the original has",
            )


# --- the translation in the model ---------------------------------------------------------------------------


def _moved(
    translated: Content,
    original: Site,
    code: str,
    own: LoadedContent,
    strings: Strings | None,
    out_of_date: dict[str, date],
) -> Content:
    """The translation with its keys under its folder and its untranslated and out-of-date pages marked; its
    site is the original's, in its own words."""

    def moved_page(page: Page) -> Page:
        return replace(
            page,
            key=f"{code}/{page.key}",
            untranslated=page.key not in own.documents,
            original_updated=out_of_date.get(page.key),
        )

    def moved_topic(topic: Topic) -> Topic:
        return replace(
            topic,
            key=f"{code}/{topic.key}",
            slug=f"{code}/{topic.slug}",
            sections=tuple(map(moved_page, topic.sections)),
            tools=tuple(map(moved_page, topic.tools)),
            untranslated=topic.key not in own.documents,
            original_updated=out_of_date.get(topic.key),
        )

    words = translated.site if SITE_FILE in own.documents else original
    site = replace(
        original,
        file=words.file,
        title=words.title,
        description=words.description,
        disclaimer=words.disclaimer,
        navigation=tuple(NavItem(item.title, f"{code}/{item.page}") for item in words.navigation),
        language=code,
        locale=words.locale if words is not original else code,
        folder=code,
        strings=strings,
        translations=(),
    )
    return Content(
        site,
        moved_page(translated.home),
        tuple(map(moved_topic, translated.topics)),
        pages=tuple(map(moved_page, translated.pages)),
    )
