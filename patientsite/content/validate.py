"""Validate: raw documents → the typed content model, or every problem found, each with file and line.

Checks here need only the content itself. Checks that need the rendered pages (links and #anchors,
reading grade) live in checks.py and run after rendering.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import replace

from babel import Locale, UnknownLocaleError

from patientsite.checker import config as checker
from patientsite.content.fields import Fields, shown
from patientsite.content.load import Document, LoadedContent, MarkdownDocument, YamlDocument, YamlMap
from patientsite.content.model import (
    Content,
    NavItem,
    Page,
    Question,
    Review,
    Site,
    Source,
    Strings,
    Term,
    Topic,
    UrgentBox,
)
from patientsite.content.strings import STRINGS_FILE, read_strings
from patientsite.content.translations import (
    LANGUAGE_CODE,
    SITE_FILE,
    as_translation,
    check_originals,
    line_of,
    original_files,
    own_files,
    translation_codes,
    translation_files,
)
from patientsite.markdown.markup import (
    CITATION,
    find_broken_tables,
    find_citations,
    find_links,
    find_pictures,
    find_raw_html,
    leaves_site,
    resolve_link,
    slugify,
)
from patientsite.problems import Problems
from patientsite.render.paths import A_Z_PAGE, TAKEN_NAMES

HOME_FILE = "index.md"
TOPIC_FILE = "topic.yaml"
GENERATED_SLUGS = {"index", "sources", "handout", "leaflet"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
TABLE_HINT = (
    "a table needs a blank line above it, its first row, straight under that a separator row with one "
    "--- for each column (| --- | --- | for two), then its rows; or write the text without |"
)

# The emergency box stands under a page's title and must fit, with the site's header and the title, on the first
# screen of a phone (360 × 740): a longer text would push its end, whom to call, below it.
URGENT_MAX_WORDS = 80


def validate_content(loaded: LoadedContent, content_label: str, problems: Problems) -> Content | None:
    """The whole content, the original language with each translation in it (translations.py), or None when
    a problem makes a model impossible (the problems say why).

    A file that could not be read has been reported by load; what merely follows from its absence (a
    navigation entry to it, a citation of its sources, its section files now unused) is not reported again.
    """
    codes = translation_codes(loaded)
    original = _language(original_files(loaded, codes), content_label, problems)
    if original is None:
        return None
    check_originals(original, loaded.documents, problems)
    translated = (
        _translation(original, loaded, codes, code, content_label, problems)
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
    translated = _language(files, f"{content_label}/{code}", found)
    reported = set(problems.items)
    problems.items.extend(problem for problem in found.items if problem not in reported)
    if translated is None:
        return None
    failed = original_files(loaded, codes).failed_folders()  # their pages are missing for a reported reason
    return as_translation(translated, original, code, files, own, content_label, failed, problems)


def _language(loaded: LoadedContent, content_label: str, problems: Problems) -> Content | None:
    """The content of one language, from its files."""
    documents, unreadable = loaded.documents, loaded.unreadable
    site = _site(documents, unreadable, content_label, problems)
    home = _home(documents, unreadable, content_label, problems)
    pages = tuple(_site_pages(documents, problems))
    topics = tuple(_topics(documents, unreadable, problems))
    if site is None or home is None:
        return None
    content = Content(site, home, topics, pages=pages)
    failed = loaded.failed_folders()
    _check_navigation(content, documents, failed, problems)
    _check_urgent_boxes(content, documents, failed, problems)
    _check_citations(content, bool(failed), problems)
    _warn_unused_files(content, documents, failed, problems)
    return content


# --- site and home -------------------------------------------------------------------------------------------


def _site(
    documents: dict[str, Document], unreadable: frozenset[str], content_label: str, problems: Problems
) -> Site | None:
    document = documents.get(SITE_FILE)
    if document is None and SITE_FILE in unreadable:
        return None
    mapping = _mapping_of(document, f"{content_label}/{SITE_FILE}", problems)
    if mapping is None:
        return None
    fields = Fields(mapping, document.file, problems)
    navigation = tuple(
        _nav_item(item, document.file, problems) for item in fields.mappings("navigation", True)
    )
    max_grade, min_fernandez_huerta = _readability(mapping, document.file, problems)
    fields.known.add("readability")
    language = _language_code(fields)
    site = Site(
        file=document.file,
        title=fields.text("title") or "",
        language=language,
        description=fields.text("description") or "",
        base_url=fields.url("base_url", required=False),
        disclaimer=fields.text("disclaimer") or "",
        navigation=tuple(item for item in navigation if item is not None),
        max_grade=max_grade,
        review_interval_years=_review_interval(fields),
        min_fernandez_huerta=min_fernandez_huerta,
        locale=_locale(fields, language),
        translations=_translations(fields, language),
        missing_translation=_missing_translation(fields),
        strings=_strings(documents, unreadable, content_label, problems),
    )
    fields.finish()
    _check_markdown(site.disclaimer, site.file, fields.line("disclaimer"), SITE_FILE, problems)
    return site


def _language_code(fields: Fields) -> str:
    """The content's language code, which the reading-grade check must know: it counts syllables by it."""
    import pyphen

    language = fields.text("language") or "en"
    if pyphen.language_fallback(language) is None:
        fields.problems.add(
            fields.file,
            fields.line("language"),
            "language",
            f"{shown(language)} is not a language code the reading-grade check knows",
            "write the code of the content's language, such as en, en-GB or es",
        )
        return "en"
    return language


def _review_interval(fields: Fields) -> int:
    years = fields.number("review_interval_years", required=False)
    if years is None:
        return Site.review_interval_years  # the default
    if not years.is_integer() or not 1 <= years <= 10:  # also refuses .nan and .inf
        fields.problems.add(
            fields.file,
            fields.line("review_interval_years"),
            "review_interval_years",
            f"{years:g} is not a whole number of years from 1 to 10",
            "write how many years may pass between clinical reviews: the NHS standard is 3",
        )
        return Site.review_interval_years
    return int(years)


def _readability(mapping: YamlMap, file: str, problems: Problems) -> tuple[float, float]:
    """The readability limits: the highest Flesch–Kincaid grade of an English page, and the lowest
    Fernández-Huerta reading ease of a Spanish one."""
    defaults = (Site.max_grade, Site.min_fernandez_huerta)
    value = mapping.get("readability")
    if value is None:
        return defaults
    if not isinstance(value, YamlMap):
        problems.add(
            file,
            mapping.line_of("readability"),
            "readability",
            "must be a group of fields",
            "write 'readability:' and under it, indented, 'max_grade: 8'",
        )
        return defaults
    fields = Fields(value, file, problems, "readability")
    grade = fields.number("max_grade")
    ease = fields.number("min_fernandez_huerta", required=False)
    fields.finish()
    return (defaults[0] if grade is None else grade, defaults[1] if ease is None else ease)


def _locale(fields: Fields, language: str) -> str:
    """How the language writes dates, as Babel names it: the `locale` field, or the language itself."""
    locale = (fields.text("locale", required=False) or language).replace("-", "_")
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        fields.problems.add(
            fields.file,
            fields.line("locale" if "locale" in fields.mapping else "language"),
            "locale",
            f"{shown(locale)} is not a language and region Babel knows",
            "write a language code, with its region where dates are written differently there: "
            "en_GB, en_US, es, es_MX",
        )
        return Site.locale
    return locale


def _translations(fields: Fields, language: str) -> tuple[str, ...]:
    """The other languages of the site, each the name of its folder in content/."""
    codes: list[str] = []
    for code in fields.text_list("translations"):
        problem = (
            "is not a language code"
            if not LANGUAGE_CODE.match(code)
            else "is the original language"
            if code == language
            else "is listed twice"
            if code in codes
            else None
        )
        if problem:
            fields.problems.add(
                fields.file,
                fields.line("translations"),
                "translations",
                f"{shown(code)} {problem}",
                "list the code of each other language, e.g. [es], as its folder content/es/ is named",
            )
        else:
            codes.append(code)
    return tuple(codes)


def _missing_translation(fields: Fields) -> str:
    value = fields.text("missing_translation", required=False)
    if value is None or value in ("fallback", "fail"):
        return value or Site.missing_translation
    fields.problems.add(
        fields.file,
        fields.line("missing_translation"),
        "missing_translation",
        f"{shown(value)} is not fallback or fail",
        "write 'fallback' to publish a page in the original language until it is translated, or "
        "'fail' to stop the build",
    )
    return Site.missing_translation


def _strings(
    documents: dict[str, Document], unreadable: frozenset[str], content_label: str, problems: Problems
) -> Strings:
    file = f"{content_label}/{STRINGS_FILE}"
    if STRINGS_FILE in unreadable:
        return Strings(file, {}, {})  # load has reported why
    return read_strings(documents.get(STRINGS_FILE), file, problems)


def _nav_item(mapping: YamlMap, file: str, problems: Problems) -> NavItem | None:
    fields = Fields(mapping, file, problems, "navigation")
    title, page = fields.text("title"), fields.text("page")
    fields.finish()
    return NavItem(title, page) if title and page else None


def _home(
    documents: dict[str, Document], unreadable: frozenset[str], content_label: str, problems: Problems
) -> Page | None:
    document = documents.get(HOME_FILE)
    if not isinstance(document, MarkdownDocument):
        if document is None and HOME_FILE not in unreadable:
            problems.add(
                f"{content_label}/{HOME_FILE}",
                1,
                "file",
                "is missing",
                "create the home page: front matter with title, summary and updated, then text",
            )
        return None
    return _markdown_page(HOME_FILE, document, "home", "index", problems)


def _site_pages(documents: dict[str, Document], problems: Problems) -> Iterator[Page]:
    """The site's other pages of its own, beside the home page: each .md file at the top of content/."""
    for key in sorted(documents):
        document = documents[key]
        stem = key.removesuffix(".md")
        if "/" in key or key == HOME_FILE or not isinstance(document, MarkdownDocument):
            continue
        if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", stem):
            problems.add(
                document.file,
                1,
                "file",
                f"the name '{key}' is not a valid web address part",
                "rename the file with lower-case letters, digits and dashes only, e.g. about.md",
            )
        elif stem in TAKEN_NAMES:
            problems.add(
                document.file,
                1,
                "file",
                f"the name '{key}' is taken by {TAKEN_NAMES[stem]}",
                f"rename the file, e.g. to '{stem}-page.md', and its links with it",
            )
        else:
            yield _markdown_page(key, document, "page", stem, problems)


# --- topics --------------------------------------------------------------------------------------------------


def _topics(
    documents: dict[str, Document], unreadable: frozenset[str], problems: Problems
) -> Iterator[Topic]:
    slugs_seen: dict[str, str] = {}
    for key in sorted(documents):
        folder, _, name = key.rpartition("/")
        if name != TOPIC_FILE or "/" in folder or not folder:
            continue
        topic = _topic(key, folder, documents, unreadable, problems)
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
    key: str, folder: str, documents: dict[str, Document], unreadable: frozenset[str], problems: Problems
) -> Topic | None:
    document = documents[key]
    mapping = _mapping_of(document, document.file, problems)
    if mapping is None:
        return None
    fields = Fields(mapping, document.file, problems)
    if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", folder):
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
        draft=draft,
        translation_of=fields.date("translation_of", required=False),
        urgent=_urgent(fields),
    )
    fields.finish()
    _check_markdown(topic.summary, topic.file, fields.line("summary"), key, problems)
    for point in topic.key_points:
        _check_markdown(point, topic.file, fields.line("key_points"), key, problems)
    if topic.urgent is not None:
        _check_markdown(topic.urgent.text, topic.file, topic.urgent.line, key, problems)
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


def _urgent_box(fields: Fields) -> bool:
    """Whether a page opens with its topic's emergency box (the home page: with every topic's)."""
    fields.known.add("urgent_box")
    value = fields.mapping.get("urgent_box", False)
    if not isinstance(value, bool):
        fields.problems.add(
            fields.file,
            fields.line("urgent_box"),
            "urgent_box",
            f"{'is empty' if value is None else shown(value) + ' is'} not true or false",
            "write 'urgent_box: true' to open the page with the emergency box, or delete the line",
        )
        return False
    return value


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
        page = _topic_page(key, documents, name, fields.file, line, problems)
        if page is not None:
            pages.append(page)
    return tuple(pages)


def _topic_page(
    key: str, documents: dict[str, Document], list_name: str, topic_file: str, line: int, problems: Problems
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
        return _markdown_page(key, document, "section", stem, problems)
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
    return _yaml_page(key, document, kind, stem, problems)


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


# --- pages ---------------------------------------------------------------------------------------------------


def _markdown_page(key: str, document: MarkdownDocument, kind: str, slug: str, problems: Problems) -> Page:
    fields = Fields(document.meta, document.file, problems)
    page = Page(
        key=key,
        file=document.file,
        kind=kind,
        slug=slug,
        **_common_fields(fields),
        body=document.body,
        body_line=document.body_line,
    )
    fields.finish()
    _check_page_markdown(page, problems)
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
    page = Page(
        key=key,
        file=document.file,
        kind=kind,
        slug=slug,
        questions=questions,
        terms=terms,
        tool=tool,
        **common,
    )
    _check_page_markdown(page, problems)
    return page


def _common_fields(fields: Fields) -> dict:
    return {
        "title": fields.text("title") or "",
        "summary": fields.text("summary") or "",
        "summary_line": fields.line("summary"),
        "updated": fields.date("updated"),
        "key_points": fields.text_list("key_points"),
        "source_ids": _source_id_list(fields),
        "review": _review(fields),
        "translation_of": fields.date("translation_of", required=False),
        "urgent_box": _urgent_box(fields),
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
        fields.problems.add(
            fields.file,
            fields.line("reviewed_by" if review.reviewed_by else "reviewed_on"),
            "reviewed_by",
            "a review needs both the reviewer's name and the date",
            "give both reviewed_by and reviewed_on, or neither",
        )
    return review


def _questions(fields: Fields, problems: Problems) -> Iterator[Question]:
    anchors: set[str] = set()
    for mapping in fields.mappings("questions", required=True):
        item = Fields(mapping, fields.file, problems, "questions")
        question, answer = item.text("question"), item.text("answer")
        item.finish()
        if question and answer:
            answer_line = mapping.text_line_of("answer")
            yield Question(
                question, answer, mapping.line, _unique_anchor(slugify(question), anchors), answer_line
            )


def _terms(fields: Fields, problems: Problems) -> Iterator[Term]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    forms: dict[str, tuple[str, int]] = {}  # each term and `also` form in lower case → its term, and its line
    for mapping in fields.mappings("terms", required=True):
        item = Fields(mapping, fields.file, problems, "terms")
        term, meaning = item.text("term"), item.text("meaning")
        pronunciation, also = item.text("pronunciation", required=False), item.text_list("also")
        item.finish()
        if not (term and meaning):
            continue
        if term.lower() in seen:
            problems.add(
                fields.file,
                mapping.line,
                "terms.term",
                f"{shown(term)} is defined twice (first on line {seen[term.lower()]})",
                "keep one definition and delete the other",
            )
            continue
        seen[term.lower()] = mapping.line
        _check_forms_are_unique(term, also, item, forms)
        meaning_line = mapping.text_line_of("meaning")
        anchor = _unique_anchor("term-" + slugify(term), anchors)
        yield Term(term, meaning, mapping.line, anchor, pronunciation, also, meaning_line)


def _check_forms_are_unique(
    term: str, also: tuple[str, ...], item: Fields, forms: dict[str, tuple[str, int]]
) -> None:
    """A word names one term only: the pages explain each word they use with the one meaning of its term."""
    for field_name, form in [("term", term), *(("also", form) for form in also)]:
        line = item.mapping.line if field_name == "term" else item.line("also")
        owner, owner_line = forms.setdefault(form.lower(), (term, line))
        if owner != term:
            item.problems.add(
                item.file,
                line,
                f"terms.{field_name}",
                f"{shown(form)} is already a form of {shown(owner)} (line {owner_line})",
                "list each word under one term only: delete it here or there",
            )


def _unique_anchor(anchor: str, taken: set[str]) -> str:
    candidate, number = anchor, 2
    while candidate in taken:
        candidate, number = f"{anchor}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _check_page_markdown(page: Page, problems: Problems) -> None:
    for text, first_line in page_texts(page):
        _check_markdown(text, page.file, first_line, page.key, problems)


def _check_markdown(text: str, file: str, first_line: int, key: str, problems: Problems) -> None:
    """What Markdown may not hold: raw HTML, pictures, links with an unsafe scheme or out of the site."""
    for line, tag in find_raw_html(text):
        problems.add(
            file,
            first_line + line - 1,
            "text",
            f"contains raw HTML ({tag})",
            "use Markdown instead of HTML tags: **bold**, [link](page.md), lists, tables",
        )
    for line, message in find_broken_tables(text):
        problems.add(file, first_line + line - 1, "table", message, TABLE_HINT)
    for line in find_pictures(text):
        problems.add(
            file,
            first_line + line - 1,
            "picture",
            "contains a picture (![…](…)), which the site cannot show",
            "describe in words what the picture shows; pictures are not part of the guide yet",
        )
    for line, target in find_links(text):
        lowered = target.strip().lower()
        if ":" in lowered.split("/")[0] and not lowered.startswith(SAFE_SCHEMES):
            problems.add(
                file,
                first_line + line - 1,
                "link",
                f"{shown(target)} is not a safe link",
                "link to a page with https://, or to another page of the guide by its file name",
            )
        elif ":" not in lowered.split("/")[0] and leaves_site(resolve_link(key, target)):
            problems.add(
                file,
                first_line + line - 1,
                "link",
                f"{shown(target)} points outside the site",
                "link to a page of the guide by its file name, e.g. causes.md, or to a web page with https://",
            )


# --- cross-checks --------------------------------------------------------------------------------------------


def _check_navigation(
    content: Content, documents: dict[str, Document], failed: frozenset[str], problems: Problems
) -> None:
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


def _check_urgent_boxes(
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


def _check_citations(content: Content, some_topic_unreadable: bool, problems: Problems) -> None:
    all_ids = {source.id for topic in content.topics for source in topic.sources}
    if not some_topic_unreadable:
        _check_page_citations(content.home, all_ids, "the source list of a topic.yaml", problems)
        for page in content.pages:  # a page about the site itself may have no medical fact to source
            _check_page_citations(page, all_ids, "the source list of a topic.yaml", problems, must_cite=False)
    for topic in content.topics:
        topic_ids = {source.id for source in topic.sources}
        _check_urgent_citations(topic, topic_ids, problems)
        for page in topic.sections + topic.tools:
            _check_page_citations(
                page, topic_ids, f"sources in {topic.file}", problems, must_cite=not topic.draft
            )


def _check_urgent_citations(topic: Topic, known: set[str], problems: Problems) -> None:
    if topic.urgent is None:
        return
    cited = list(_cited(topic.urgent.text, topic.urgent.line))
    for line, source_id in cited:
        if source_id not in known:
            problems.add(
                topic.file,
                line,
                "urgent.text",
                f"'{source_id}' is not in the source list",
                "add a source with this id to sources in this file, or fix the spelling",
            )
    if not cited and not topic.draft:
        problems.add(
            topic.file,
            topic.urgent.line,
            "urgent.text",
            "cites no source",
            "cite where its advice comes from with [@source-id], as the page about when to get help does",
        )


def _check_page_citations(
    page: Page, known: set[str], where: str, problems: Problems, must_cite: bool = True
) -> None:
    cited = [(line, source_id) for text, first in page_texts(page) for line, source_id in _cited(text, first)]
    for line, source_id in cited:
        if source_id not in known:
            problems.add(
                page.file,
                line,
                "citation",
                f"'{source_id}' is not in the source list",
                f"add a source with this id to {where}, or fix the spelling",
            )
    for source_id in page.source_ids:
        if source_id not in known:
            problems.add(
                page.file,
                1,
                "sources",
                f"{shown(source_id)} is not in the source list",
                f"add a source with this id to {where}, or fix the spelling",
            )
    if must_cite and not cited and not page.source_ids:
        problems.add(
            page.file,
            1,
            "sources",
            "the page cites no source",
            "cite where each fact comes from with [@source-id] in the text",
        )


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


def _warn_unused_files(
    content: Content, documents: dict[str, Document], failed: frozenset[str], problems: Problems
) -> None:
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


# --- shared --------------------------------------------------------------------------------------------------


def _mapping_of(document: Document | None, display_name: str, problems: Problems) -> YamlMap | None:
    if document is None:
        problems.add(display_name, 1, "file", "is missing", "create it: see the editing guide")
        return None
    data = document.data if isinstance(document, YamlDocument) else document.meta
    if not isinstance(data, YamlMap):
        problems.add(
            document.file,
            1,
            "file",
            "must be a list of 'field: value' lines",
            "write each field as 'name: value' on its own line",
        )
        return None
    return data
