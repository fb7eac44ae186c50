"""Pages: one page's fields (title, summary, review, questions, terms, …) → a Page; and the site's own pages.

A page is a Markdown file with front matter (the home page, about.md, a topic's sections), or a YAML file
(a topic's faq.yaml, glossary.yaml, checker.yaml). Which pages a topic has is topics.py's job.
"""

from __future__ import annotations

from collections.abc import Iterator

from patientsite.checker.read import read_checker
from patientsite.content.fields import ID_PATTERN, Fields, mapping_of, shown
from patientsite.content.load import Document, MarkdownDocument, Memo
from patientsite.content.markdown_checks import check_page_markdown
from patientsite.content.model import Page, Question, Review, Term
from patientsite.markdown.markup import slugify
from patientsite.problems import Problems
from patientsite.render.paths import TAKEN_NAMES

HOME_FILE = "index.md"


def read_home(
    documents: dict[str, Document],
    unreadable: frozenset[str],
    content_label: str,
    problems: Problems,
    memo: Memo | None = None,
) -> Page | None:
    """The home page, content/index.md, or None when it is missing or unreadable (reported)."""
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
    return markdown_page(HOME_FILE, document, "home", "index", problems, memo)


def read_site_pages(
    documents: dict[str, Document], problems: Problems, memo: Memo | None = None
) -> Iterator[Page]:
    """The site's other pages of its own, beside the home page: each .md file at the top of content/."""
    for key in sorted(documents):
        document = documents[key]
        stem = key.removesuffix(".md")
        if "/" in key or key == HOME_FILE or not isinstance(document, MarkdownDocument):
            continue
        if not ID_PATTERN.match(stem):
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
            yield markdown_page(key, document, "page", stem, problems, memo)


def markdown_page(
    key: str, document: MarkdownDocument, kind: str, slug: str, problems: Problems, memo: Memo | None = None
) -> Page:
    """A page from a Markdown file: its front matter's fields, then its text."""
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
    check_page_markdown(page, problems, memo)
    return page


def yaml_page(
    key: str, document: Document, kind: str, slug: str, problems: Problems, memo: Memo | None = None
) -> Page | None:
    """A page from a YAML file: the common fields, and a FAQ's questions, a glossary's terms or the
    checker's settings."""
    mapping = mapping_of(document, document.file, problems)
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
        tool = read_checker(fields, problems)
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
    check_page_markdown(page, problems, memo)
    return page


def _common_fields(fields: Fields) -> dict:
    return {
        "title": fields.text("title") or "",
        "summary": fields.text("summary") or "",
        "summary_line": fields.line("summary"),
        "updated": fields.date("updated"),
        "key_points": fields.text_list("key_points"),
        "source_ids": _source_id_list(fields),
        "review": read_review(fields),
        "translation_of": fields.date("translation_of", required=False),
        "urgent_box": _urgent_box(fields),
    }


def _source_id_list(fields: Fields) -> tuple[str, ...]:
    return fields.text_list("sources")


def read_review(fields: Fields) -> Review:
    """Who last reviewed a page or topic clinically and when, and when it is due again."""
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
