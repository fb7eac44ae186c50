"""Validate: raw documents → the typed content model, or every problem found, each with file and line.

Checks here need only the content itself. Checks that need the rendered pages (links and #anchors,
reading grade) live in checks.py and run after rendering.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import checker
from .fields import Fields
from .load import Document, LoadedContent, MarkdownDocument, YamlDocument, YamlMap
from .markup import find_citations, find_links, find_raw_html, slugify
from .model import Content, NavItem, Page, Question, Review, Site, Source, Term, Topic
from .problems import Problems

SITE_FILE = "site.yaml"
HOME_FILE = "index.md"
TOPIC_FILE = "topic.yaml"
GENERATED_SLUGS = {"index", "sources", "handout"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def validate_content(loaded: LoadedContent, content_label: str, problems: Problems) -> Content | None:
    """The whole content, or None when a problem makes a model impossible (the problems say why).

    A file that could not be read has been reported by load; what merely follows from its absence (a
    navigation entry to it, a citation of its sources, its section files now unused) is not reported again.
    """
    documents, unreadable = loaded.documents, loaded.unreadable
    site = _site(documents, unreadable, content_label, problems)
    home = _home(documents, unreadable, content_label, problems)
    topics = tuple(_topics(documents, unreadable, problems))
    if site is None or home is None:
        return None
    content = Content(site, home, topics)
    failed = loaded.failed_folders()
    _check_navigation(content, documents, failed, problems)
    _check_citations(content, bool(failed), problems)
    _warn_unused_files(content, documents, failed, problems)
    return content


# --- site and home -------------------------------------------------------------------------------------------


def _site(documents: dict[str, Document], unreadable: frozenset[str], content_label: str,
          problems: Problems) -> Site | None:
    document = documents.get(SITE_FILE)
    if document is None and SITE_FILE in unreadable:
        return None
    mapping = _mapping_of(document, f"{content_label}/{SITE_FILE}", problems)
    if mapping is None:
        return None
    fields = Fields(mapping, document.file, problems)
    navigation = tuple(_nav_item(item, document.file, problems) for item in fields.mappings("navigation", True))
    max_grade = _max_grade(mapping, document.file, problems)
    fields.known.add("readability")
    site = Site(
        file=document.file,
        title=fields.text("title") or "",
        language=fields.text("language") or "en",
        description=fields.text("description") or "",
        base_url=fields.url("base_url", required=False),
        disclaimer=fields.text("disclaimer") or "",
        navigation=tuple(item for item in navigation if item is not None),
        max_grade=max_grade,
    )
    fields.finish()
    return site


def _max_grade(mapping: YamlMap, file: str, problems: Problems) -> float:
    value = mapping.get("readability")
    if value is None:
        return 8.0
    if not isinstance(value, YamlMap):
        problems.add(file, mapping.line_of("readability"), "readability", "must be a group of fields",
                     "write 'readability:' and under it, indented, 'max_grade: 8'")
        return 8.0
    fields = Fields(value, file, problems, "readability")
    grade = fields.number("max_grade")
    fields.finish()
    return 8.0 if grade is None else grade


def _nav_item(mapping: YamlMap, file: str, problems: Problems) -> NavItem | None:
    fields = Fields(mapping, file, problems, "navigation")
    title, page = fields.text("title"), fields.text("page")
    fields.finish()
    return NavItem(title, page) if title and page else None


def _home(documents: dict[str, Document], unreadable: frozenset[str], content_label: str,
          problems: Problems) -> Page | None:
    document = documents.get(HOME_FILE)
    if not isinstance(document, MarkdownDocument):
        if document is None and HOME_FILE not in unreadable:
            problems.add(f"{content_label}/{HOME_FILE}", 1, "file", "is missing",
                         "create the home page: front matter with title, summary and updated, then text")
        return None
    return _markdown_page(HOME_FILE, document, "home", "index", problems)


# --- topics --------------------------------------------------------------------------------------------------


def _topics(documents: dict[str, Document], unreadable: frozenset[str], problems: Problems) -> Iterator[Topic]:
    slugs_seen: dict[str, str] = {}
    for key in sorted(documents):
        folder, _, name = key.rpartition("/")
        if name != TOPIC_FILE or "/" in folder or not folder:
            continue
        topic = _topic(key, folder, documents, unreadable, problems)
        if topic is None:
            continue
        if topic.slug in slugs_seen:
            problems.add(topic.file, 1, "slug", f"'{topic.slug}' is used by {slugs_seen[topic.slug]} too",
                         "rename one of the topic folders")
            continue
        slugs_seen[topic.slug] = topic.file
        yield topic


def _topic(key: str, folder: str, documents: dict[str, Document], unreadable: frozenset[str],
           problems: Problems) -> Topic | None:
    document = documents[key]
    mapping = _mapping_of(document, document.file, problems)
    if mapping is None:
        return None
    fields = Fields(mapping, document.file, problems)
    if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", folder):
        problems.add(document.file, 1, "folder", f"the topic folder name '{folder}' is not a valid web address part",
                     "rename the folder with lower-case letters, digits and dashes only")
    sources = _sources(fields, document.file, problems)
    sections = _topic_pages(fields, "sections", folder, documents, unreadable, problems, required=True)
    tools = _topic_pages(fields, "tools", folder, documents, unreadable, problems, required=False)
    topic = Topic(
        key=key,
        file=document.file,
        slug=folder,
        title=fields.text("title") or folder,
        summary=fields.text("summary") or "",
        key_points=fields.text_list("key_points", required=True),
        updated=fields.date("updated"),
        sources=sources,
        sections=sections,
        tools=tools,
        pronunciation=fields.text("pronunciation", required=False),
        other_names=fields.text_list("other_names"),
        review=_review(fields),
    )
    fields.finish()
    _check_unique_slugs(topic, problems)
    return topic


def _sources(fields: Fields, file: str, problems: Problems) -> tuple[Source, ...]:
    sources: list[Source] = []
    lines: dict[str, int] = {}
    for mapping in fields.mappings("sources", required=True):
        source_fields = Fields(mapping, file, problems, "sources")
        source_id = source_fields.identifier("id")
        source = Source(
            id=source_id or "",
            title=source_fields.text("title") or "",
            publisher=source_fields.text("publisher") or "",
            url=source_fields.url("url") or "",
            date=source_fields.partial_date("date") or "",
            note=source_fields.text("note", required=False),
        )
        source_fields.finish()
        if source_id is None:
            continue
        if source_id in lines:
            problems.add(file, mapping.line_of("id"), "sources.id",
                         f"'{source_id}' is used twice (first on line {lines[source_id]})",
                         "give each source its own id, or delete the repeated one")
            continue
        lines[source_id] = mapping.line_of("id")
        sources.append(source)
    return tuple(sources)


def _topic_pages(fields: Fields, name: str, folder: str, documents: dict[str, Document],
                 unreadable: frozenset[str], problems: Problems, required: bool) -> tuple[Page, ...]:
    pages: list[Page] = []
    listed = fields.items(name, required)
    seen: set[str] = set()
    for index, entry in enumerate(listed):
        line = listed.line_of(index)
        if not isinstance(entry, str) or not entry.strip():
            problems.add(fields.file, line, name, f"item {index + 1} must be a file name",
                         "write the file name, e.g. '- causes.md'")
            continue
        key = f"{folder}/{entry.strip()}"
        if key in seen:
            problems.add(fields.file, line, name, f"'{entry}' is listed twice", "list each file once")
            continue
        seen.add(key)
        if key in unreadable:
            continue
        page = _topic_page(key, documents, name, fields.file, line, problems)
        if page is not None:
            pages.append(page)
    return tuple(pages)


def _topic_page(key: str, documents: dict[str, Document], list_name: str, topic_file: str, line: int,
                problems: Problems) -> Page | None:
    document = documents.get(key)
    name = key.rpartition("/")[2]
    stem = name.rpartition(".")[0]
    if document is None:
        problems.add(topic_file, line, list_name, f"the file '{name}' does not exist",
                     f"create content/{key}, or fix the file name in the list")
        return None
    if stem in GENERATED_SLUGS:
        problems.add(topic_file, line, list_name, f"'{name}' has a name the site uses for its own pages",
                     f"rename the file: {', '.join(sorted(GENERATED_SLUGS))} are taken")
        return None
    if isinstance(document, MarkdownDocument):
        return _markdown_page(key, document, "section", stem, problems)
    kind = {"faq": "faq", "glossary": "glossary", "checker": "checker"}.get(stem)
    if kind is None:
        problems.add(topic_file, line, list_name, f"'{name}' is not a kind of page the site knows",
                     "sections are .md files, faq.yaml, glossary.yaml; tools: checker.yaml")
        return None
    return _yaml_page(key, document, kind, stem, problems)


def _check_unique_slugs(topic: Topic, problems: Problems) -> None:
    seen: dict[str, str] = {}
    for page in topic.sections + topic.tools:
        if page.slug in seen:
            problems.add(topic.file, 1, "sections", f"two pages would both be called '{page.slug}.html' "
                         f"({seen[page.slug]} and {page.file})", "rename one of the files")
        seen[page.slug] = page.file


# --- pages ---------------------------------------------------------------------------------------------------


def _markdown_page(key: str, document: MarkdownDocument, kind: str, slug: str, problems: Problems) -> Page:
    fields = Fields(document.meta, document.file, problems)
    page = Page(
        key=key, file=document.file, kind=kind, slug=slug,
        **_common_fields(fields),
        body=document.body, body_line=document.body_line,
    )
    fields.finish()
    _check_markdown(document.body, document.file, document.body_line, problems)
    return page


def _yaml_page(key: str, document: Document, kind: str, slug: str, problems: Problems) -> Page | None:
    mapping = _mapping_of(document, document.file, problems)
    if mapping is None:
        return None
    fields = Fields(mapping, document.file, problems)
    common = _common_fields(fields)
    questions: tuple[Question, ...] = ()
    terms: tuple[Term, ...] = ()
    tool = None
    if kind == "faq":
        questions = tuple(_questions(fields, problems))
    elif kind == "glossary":
        terms = tuple(_terms(fields, problems))
    else:
        tool = checker.read_checker(fields, problems)
    fields.finish()
    return Page(key=key, file=document.file, kind=kind, slug=slug, questions=questions, terms=terms, tool=tool,
                **common)


def _common_fields(fields: Fields) -> dict:
    return {
        "title": fields.text("title") or "",
        "summary": fields.text("summary") or "",
        "summary_line": fields.line("summary"),
        "updated": fields.date("updated"),
        "key_points": fields.text_list("key_points"),
        "source_ids": _source_id_list(fields),
        "review": _review(fields),
    }


def _source_id_list(fields: Fields) -> tuple[str, ...]:
    return fields.text_list("sources")


def _review(fields: Fields) -> Review:
    review = Review(
        reviewed_by=fields.text("reviewed_by", required=False),
        reviewed_on=fields.date("reviewed_on", required=False),
        next_review=fields.date("next_review", required=False),
    )
    if bool(review.reviewed_by) != bool(review.reviewed_on):
        fields.problems.add(fields.file, fields.line("reviewed_by" if review.reviewed_by else "reviewed_on"),
                            "reviewed_by", "a review needs both the reviewer's name and the date",
                            "give both reviewed_by and reviewed_on, or neither")
    return review


def _questions(fields: Fields, problems: Problems) -> Iterator[Question]:
    anchors: set[str] = set()
    for mapping in fields.mappings("questions", required=True):
        item = Fields(mapping, fields.file, problems, "questions")
        question, answer = item.text("question"), item.text("answer")
        item.finish()
        if question and answer:
            answer_line = mapping.text_line_of("answer")
            _check_markdown(answer, fields.file, answer_line, problems)
            yield Question(question, answer, mapping.line, _unique_anchor(slugify(question), anchors), answer_line)


def _terms(fields: Fields, problems: Problems) -> Iterator[Term]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for mapping in fields.mappings("terms", required=True):
        item = Fields(mapping, fields.file, problems, "terms")
        term, meaning = item.text("term"), item.text("meaning")
        pronunciation, also = item.text("pronunciation", required=False), item.text_list("also")
        item.finish()
        if not (term and meaning):
            continue
        if term.lower() in seen:
            problems.add(fields.file, mapping.line, "terms.term",
                         f"'{term}' is defined twice (first on line {seen[term.lower()]})",
                         "keep one definition and delete the other")
            continue
        seen[term.lower()] = mapping.line
        meaning_line = mapping.text_line_of("meaning")
        _check_markdown(meaning, fields.file, meaning_line, problems)
        anchor = _unique_anchor("term-" + slugify(term), anchors)
        yield Term(term, meaning, mapping.line, anchor, pronunciation, also, meaning_line)


def _unique_anchor(anchor: str, taken: set[str]) -> str:
    candidate, number = anchor, 2
    while candidate in taken:
        candidate, number = f"{anchor}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _check_markdown(text: str, file: str, first_line: int, problems: Problems) -> None:
    for line, tag in find_raw_html(text):
        problems.add(file, first_line + line - 1, "text", f"contains raw HTML ({tag})",
                     "use Markdown instead of HTML tags: **bold**, [link](page.md), lists, tables")
    for line, target in find_links(text):
        lowered = target.strip().lower()
        if ":" in lowered.split("/")[0] and not lowered.startswith(SAFE_SCHEMES):
            problems.add(file, first_line + line - 1, "link", f"'{target}' is not a safe link",
                         "link to a page with https://, or to another page of the guide by its file name")


# --- cross-checks --------------------------------------------------------------------------------------------


def _check_navigation(content: Content, documents: dict[str, Document], failed: frozenset[str],
                      problems: Problems) -> None:
    pages = _page_keys(content)
    for index, item in enumerate(content.site.navigation):
        if item.page not in pages and item.page.partition("/")[0] not in failed:
            choices = ", ".join(sorted(pages))
            problems.add(content.site.file, _nav_line(documents, index), "navigation.page",
                         f"'{item.page}' is not a page of the site", f"use one of: {choices}")


def _nav_line(documents: dict[str, Document], index: int) -> int:
    navigation = documents[SITE_FILE].data.get("navigation")
    return navigation.line_of(index)


def _page_keys(content: Content) -> set[str]:
    keys = {content.home.key}
    for topic in content.topics:
        keys.add(topic.key)
        keys.update(page.key for page in topic.sections + topic.tools)
    return keys


def _check_citations(content: Content, some_topic_unreadable: bool, problems: Problems) -> None:
    all_ids = {source.id for topic in content.topics for source in topic.sources}
    if not some_topic_unreadable:
        _check_page_citations(content.home, all_ids, "the source list of a topic.yaml", problems)
    for topic in content.topics:
        topic_ids = {source.id for source in topic.sources}
        for page in topic.sections + topic.tools:
            _check_page_citations(page, topic_ids, f"sources in {topic.file}", problems)


def _check_page_citations(page: Page, known: set[str], where: str, problems: Problems) -> None:
    cited = [(line, source_id) for text, first in page_texts(page) for line, source_id in _cited(text, first)]
    for line, source_id in cited:
        if source_id not in known:
            problems.add(page.file, line, "citation", f"'{source_id}' is not in the source list",
                         f"add a source with this id to {where}, or fix the spelling")
    for source_id in page.source_ids:
        if source_id not in known:
            problems.add(page.file, 1, "sources", f"'{source_id}' is not in the source list",
                         f"add a source with this id to {where}, or fix the spelling")
    if not cited and not page.source_ids:
        problems.add(page.file, 1, "sources", "the page cites no source",
                     "cite where each fact comes from with [@source-id] in the text")


def _cited(text: str, first_line: int) -> Iterator[tuple[int, str]]:
    for line, source_id in find_citations(text):
        yield first_line + line - 1, source_id


def page_texts(page: Page) -> Iterator[tuple[str, int]]:
    """Each piece of Markdown on a page with the file line it starts on."""
    yield page.summary, page.summary_line
    for point in page.key_points:
        yield point, page.summary_line
    yield page.body, page.body_line
    for question in page.questions:
        yield question.answer, question.answer_line
    for term in page.terms:
        yield term.meaning, term.meaning_line


def _warn_unused_files(content: Content, documents: dict[str, Document], failed: frozenset[str],
                       problems: Problems) -> None:
    used = _page_keys(content) | {SITE_FILE}
    for key, document in documents.items():
        if key not in used and key.rpartition("/")[0] not in failed:
            problems.warn(document.file, 1, "file", "is not used by any page",
                          "list it in a topic.yaml's sections or tools, or delete it")


# --- shared --------------------------------------------------------------------------------------------------


def _mapping_of(document: Document | None, display_name: str, problems: Problems) -> YamlMap | None:
    if document is None:
        problems.add(display_name, 1, "file", "is missing", "create it: see the editing guide")
        return None
    data = document.data if isinstance(document, YamlDocument) else document.meta
    if not isinstance(data, YamlMap):
        problems.add(document.file, 1, "file", "must be a list of 'field: value' lines",
                     "write each field as 'name: value' on its own line")
        return None
    return data
