"""Topics: each content/<topic>/topic.yaml → a Topic, with its sources, emergency box and listed pages."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from patientsite.content.fields import ID_PATTERN, Fields, mapping_of, shown
from patientsite.content.load import Document, MarkdownDocument, Memo, YamlMap
from patientsite.content.markdown_checks import check_markdown
from patientsite.content.model import Page, Source, Topic, UrgentBox
from patientsite.content.pages import markdown_page, read_review, yaml_page
from patientsite.markdown.markup import CITATION
from patientsite.problems import Problems
from patientsite.render.paths import TAKEN_NAMES

TOPIC_FILE = "topic.yaml"
GENERATED_SLUGS = {"index", "sources", "handout", "leaflet"}

# The emergency box stands under a page's title and must fit, with the site's header and the title, on the
# first screen of a phone (360 × 740): a longer text would push its end, whom to call, below it.
URGENT_MAX_WORDS = 80


def read_topics(
    documents: dict[str, Document], unreadable: frozenset[str], problems: Problems, memo: Memo | None = None
) -> Iterator[Topic]:
    """Each topic of the content, in the order of its folder names; a second topic with the same
    slug is reported and left out."""
    slugs_seen: dict[str, str] = {}
    for key in sorted(documents):
        folder, _, name = key.rpartition("/")
        if name != TOPIC_FILE or "/" in folder or not folder:
            continue
        topic = _topic(key, folder, documents, unreadable, problems, memo)
        if topic is None:
            continue
        if topic.slug in slugs_seen:
            problems.add(
                topic.file,
                1,
                "slug",
                f"'{topic.slug}' is used by {slugs_seen[topic.slug]} too",
                "rename one of the topic folders",
            )
            continue
        slugs_seen[topic.slug] = topic.file
        yield topic


def _topic(
    key: str,
    folder: str,
    documents: dict[str, Document],
    unreadable: frozenset[str],
    problems: Problems,
    memo: Memo | None = None,
) -> Topic | None:
    document = documents[key]
    mapping = mapping_of(document, document.file, problems)
    if mapping is None:
        return None
    fields = Fields(mapping, document.file, problems)
    if not ID_PATTERN.match(folder):
        problems.add(
            document.file,
            1,
            "folder",
            f"the topic folder name '{folder}' is not a valid web address part",
            "rename the folder with lower-case letters, digits and dashes only",
        )
    elif folder in TAKEN_NAMES:
        problems.add(
            document.file,
            1,
            "folder",
            f"the topic folder name '{folder}' is taken by {TAKEN_NAMES[folder]}",
            f"rename the folder, e.g. to '{folder}-guide', and its links with it",
        )
    draft = _draft(fields)
    sources = _sources(fields, document.file, problems, required=not draft)
    sections = _topic_pages(fields, "sections", folder, documents, unreadable, problems, True, memo)
    tools = _topic_pages(fields, "tools", folder, documents, unreadable, problems, False, memo)
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
        review=read_review(fields),
        draft=draft,
        translation_of=fields.date("translation_of", required=False),
        urgent=_urgent(fields),
    )
    fields.finish()
    check_markdown(topic.summary, topic.file, fields.line("summary"), key, problems, memo)
    for point in topic.key_points:
        check_markdown(point, topic.file, fields.line("key_points"), key, problems, memo)
    if topic.urgent is not None:
        check_markdown(topic.urgent.text, topic.file, topic.urgent.line, key, problems, memo)
    _check_unique_slugs(topic, problems)
    return topic


def _draft(fields: Fields) -> bool:
    """A draft topic is built but marked as not for readers, so it may have no sources yet."""
    fields.known.add("draft")
    value = fields.mapping.get("draft", False)
    if not isinstance(value, bool):
        fields.problems.add(
            fields.file,
            fields.line("draft"),
            "draft",
            f"{shown(value)} is not true or false",
            "write 'draft: true' while the topic is being written; delete the line when ready",
        )
        return False
    if value:
        fields.problems.warn(
            fields.file,
            fields.line("draft"),
            "draft",
            "the topic is a draft: its pages are marked 'Draft — not for readers'",
            "when every page is written and cites its sources, delete 'draft: true'",
        )
    return value


def _urgent(fields: Fields) -> UrgentBox | None:
    """The topic's emergency box, if it has one: a title, and a few lines that cite their sources."""
    fields.known.add("urgent")
    value = fields.mapping.get("urgent")
    if value is None and "urgent" not in fields.mapping:
        return None
    if not isinstance(value, YamlMap):
        fields.problems.add(
            fields.file,
            fields.line("urgent"),
            "urgent",
            "must be a group of fields",
            "write 'urgent:' and under it, indented, 'title: …' and 'text: …' (see the editing guide)",
        )
        return None
    box = Fields(value, fields.file, fields.problems, "urgent")
    title, text = box.text("title", max_chars=120), box.text("text")
    box.finish()
    if not (title and text):
        return None
    words = len(CITATION.sub("", text).split())
    if words > URGENT_MAX_WORDS:
        box.problems.add(
            box.file,
            box.line("text"),
            "urgent.text",
            f"is {words} words long, more than {URGENT_MAX_WORDS}",
            "shorten it: the box must fit, under the page's title, on the first screen of a phone; "
            "the full advice belongs on the page about when to get help",
        )
    return UrgentBox(title, text, value.text_line_of("text"))


def _sources(fields: Fields, file: str, problems: Problems, required: bool = True) -> tuple[Source, ...]:
    sources: list[Source] = []
    lines: dict[str, int] = {}
    for mapping in fields.mappings("sources", required=required):
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
            problems.add(
                file,
                mapping.line_of("id"),
                "sources.id",
                f"'{source_id}' is used twice (first on line {lines[source_id]})",
                "give each source its own id, or delete the repeated one",
            )
            continue
        lines[source_id] = mapping.line_of("id")
        sources.append(source)
    return tuple(sources)


def _topic_pages(
    fields: Fields,
    name: str,
    folder: str,
    documents: dict[str, Document],
    unreadable: frozenset[str],
    problems: Problems,
    required: bool,
    memo: Memo | None = None,
) -> tuple[Page, ...]:
    pages: list[Page] = []
    listed = fields.items(name, required)
    seen: set[str] = set()
    for index, entry in enumerate(listed):
        line = listed.line_of(index)
        if not isinstance(entry, str) or not entry.strip():
            problems.add(
                fields.file,
                line,
                name,
                f"item {index + 1} must be a file name",
                "write the file name, e.g. '- causes.md'",
            )
            continue
        key = f"{folder}/{entry.strip()}"
        if key in seen:
            problems.add(fields.file, line, name, f"{shown(entry)} is listed twice", "list each file once")
            continue
        seen.add(key)
        if key in unreadable:
            continue
        page = _topic_page(key, documents, name, fields.file, line, problems, memo)
        if page is not None:
            pages.append(page)
    return tuple(pages)


def _topic_page(
    key: str,
    documents: dict[str, Document],
    list_name: str,
    topic_file: str,
    line: int,
    problems: Problems,
    memo: Memo | None = None,
) -> Page | None:
    document = documents.get(key)
    name = key.rpartition("/")[2]
    stem = name.rpartition(".")[0]
    if document is None:
        problems.add(
            topic_file,
            line,
            list_name,
            f"the file '{name}' does not exist",
            f"create {posixpath.dirname(topic_file)}/{name}, or fix the file name in the list",
        )
        return None
    if stem in GENERATED_SLUGS:
        problems.add(
            topic_file,
            line,
            list_name,
            f"{shown(name)} has a name the site uses for its own pages",
            f"rename the file: {', '.join(sorted(GENERATED_SLUGS))} are taken",
        )
        return None
    if isinstance(document, MarkdownDocument):
        return markdown_page(key, document, "section", stem, problems, memo)
    kind = {"faq": "faq", "glossary": "glossary", "checker": "checker"}.get(stem)
    if kind is None:
        problems.add(
            topic_file,
            line,
            list_name,
            f"{shown(name)} is not a kind of page the site knows",
            "sections are .md files, faq.yaml, glossary.yaml; tools: checker.yaml",
        )
        return None
    return yaml_page(key, document, kind, stem, problems, memo)


def _check_unique_slugs(topic: Topic, problems: Problems) -> None:
    seen: dict[str, str] = {}
    for page in topic.sections + topic.tools:
        if page.slug in seen:
            problems.add(
                topic.file,
                1,
                "sections",
                f"two pages would both be called '{page.slug}.html' ({seen[page.slug]} and {page.file})",
                "rename one of the files",
            )
        seen[page.slug] = page.file
