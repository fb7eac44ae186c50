"""Report: the editor's view of the content — one row a page, in each language, then what needs attention.

Each row: the page's title, words, reading score, sources cited, last update, when its next clinical review
is due and whether it has had one. The rows come in one table a language, the original first, each with its
language's reading score: the Flesch–Kincaid grade for English, the Fernández-Huerta reading ease for
Spanish. Then the findings, in every language: reviews overdue, sources in a topic's list that no page cites,
glossary terms that no other page uses, translations made from an older version of their original.
Everything comes from one run of the build's own stages (pipeline.make_build), so the scores are the ones
`check` prints and broken content fails here as there.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from patientsite.checks.reading import main_text, score_name
from patientsite.content.model import Content, Page, Review, Topic
from patientsite.engine.cache import BuildCache
from patientsite.markdown.glossary import forms_pattern, term_forms
from patientsite.markdown.texts import PageText, plain_text
from patientsite.pipeline import Project, make_build

NOT_GRADED = "—"
# Each language's reading score (as checks.score_name names it): its full name, and what it means.
SCORES = {
    "reading grade": ("Flesch–Kincaid reading grade", "the years of school a reader needs (lower is easier)"),
    "Fernández-Huerta": (
        "Fernández-Huerta reading ease",
        "made for Spanish, from 0 to 100 (higher is easier)",
    ),
}


@dataclass(frozen=True)
class PageRow:
    file: str  # as editors see it, e.g. 'content/leucopenia/causes.md'
    title: str
    words: int  # the words the reading grade is measured on
    grade: float | None  # None: not graded (fewer than 30 words, or a topic's own page)
    sources: int  # distinct sources the page cites
    updated: date
    review: Review
    review_due: date
    draft: bool = False
    untranslated: bool = False  # in a translation: the original's page, published until it is translated
    translation_of: date | None = None  # in a translation: the version of the original it translates
    original_updated: date | None = None  # in a translation out of date: the original's later update


@dataclass(frozen=True)
class Finding:
    file: str
    message: str


@dataclass(frozen=True)
class Language:
    """The site in one language, as the report shows it."""

    code: str  # 'en', 'es'
    name: str  # in its own words: 'English', 'Español'
    score_name: str  # what its reading score is, as `check` names it: 'reading grade', 'Fernández-Huerta'
    rows: tuple[PageRow, ...]


@dataclass(frozen=True)
class EditorReport:
    today: date
    review_interval_years: int
    languages: tuple[Language, ...]  # the original first
    overdue: tuple[Finding, ...]
    uncited_sources: tuple[Finding, ...]
    unused_terms: tuple[Finding, ...]
    out_of_date: tuple[Finding, ...] = ()

    @property
    def rows(self) -> tuple[PageRow, ...]:
        """Every language's rows, the original's first."""
        return tuple(row for language in self.languages for row in language.rows)


def make_report(project: Project, today: date, cache: BuildCache | None = None) -> EditorReport:
    """The report on a project's content as of `today`; ContentError when the content does not build."""
    build = make_build(project, cache=cache)
    return report_on(build.content, build.texts, build.report.grades, today)


def report_on(
    content: Content,
    texts: dict[str, PageText],
    grades: dict[str, float],
    today: date,
) -> EditorReport:
    years = content.site.review_interval_years
    languages = tuple(_language(edition, texts, grades, years) for edition in content.editions)
    rows = [row for language in languages for row in language.rows]
    return EditorReport(
        today=today,
        review_interval_years=years,
        languages=languages,
        overdue=tuple(_overdue(row, years) for row in rows if row.review_due < today),
        uncited_sources=tuple(
            finding for edition in content.editions for finding in _uncited_sources(edition, texts)
        ),
        unused_terms=tuple(
            finding for edition in content.editions for finding in _unused_terms(edition, texts)
        ),
        out_of_date=tuple(_out_of_date(row) for row in rows if row.original_updated is not None),
    )


def _language(edition: Content, texts: dict[str, PageText], grades: dict[str, float], years: int) -> Language:
    site = edition.site
    drafts = {
        item.key for topic in edition.topics if topic.draft for item in (topic, *topic.sections, *topic.tools)
    }
    rows = tuple(
        _row(item, texts[item.key], grades, years, item.key in drafts) for item in edition.pages_and_topics()
    )
    name = site.strings.texts.get("language_name", site.language) if site.strings else site.language
    return Language(site.language, name, score_name(site.language), rows)


def review_due(review: Review, updated: date, years: int) -> date:
    """When the next review is due (Review.due): the pages show the same date."""
    return review.due(updated, years)


# --- rows ---------------------------------------------------------------------------------------------------


def _row(item: Page | Topic, text: PageText, grades: dict[str, float], years: int, draft: bool) -> PageRow:
    return PageRow(
        file=item.file,
        title=item.title,
        words=len(_words(item, text).split()),
        grade=grades.get(item.key),
        sources=len(_cited(item, text)),
        updated=item.updated,
        review=item.review,
        review_due=review_due(item.review, item.updated, years),
        draft=draft,
        untranslated=item.untranslated,
        translation_of=item.translation_of,
        original_updated=item.original_updated,
    )


def _words(item: Page | Topic, text: PageText) -> str:
    if isinstance(item, Page):
        return main_text(item, text)
    return "\n".join(plain_text(part) for part in (item.summary, *item.key_points))


def _cited(item: Page | Topic, text: PageText) -> set[str]:
    named = item.source_ids if isinstance(item, Page) else ()
    return {source_id for fragment in text.fragments() for source_id in fragment.cited} | set(named)


# --- findings -----------------------------------------------------------------------------------------------


def _overdue(row: PageRow, years: int) -> Finding:
    review = row.review
    if not review.is_reviewed:
        message = f"never reviewed, and last updated {row.updated}, more than {_years(years)} ago"
    elif review.next_review:
        message = f"next_review was {review.next_review}, and no later review is recorded"
    else:
        message = f"last reviewed {review.reviewed_on}, more than {_years(years)} ago"
    return Finding(row.file, message)


def _out_of_date(row: PageRow) -> Finding:
    return Finding(
        row.file,
        f"translates the version of {row.translation_of}, and the original was updated on "
        f"{row.original_updated}: bring it up to date, then set translation_of to that date",
    )


def _uncited_sources(content: Content, texts: dict[str, PageText]) -> Iterator[Finding]:
    cited = {source_id for item in content.pages_and_topics() for source_id in _cited(item, texts[item.key])}
    for topic in content.topics:
        for source in topic.sources:
            if source.id not in cited:
                yield Finding(topic.file, f"'{source.id}' ({source.title}) is listed, but no page cites it")


def _unused_terms(content: Content, texts: dict[str, PageText]) -> Iterator[Finding]:
    words = {item.key: _words(item, texts[item.key]) for item in content.pages_and_topics()}
    for page in content.own_pages():
        others = [text for key, text in words.items() if key != page.key]
        for term in page.terms:
            uses = forms_pattern(term_forms(term))  # as the pages find the term to explain it
            if not any(uses.search(text) for text in others):
                yield Finding(page.file, f"'{term.term}' is explained here, but no other page uses the word")


def _years(years: int) -> str:
    return f"{years} year" + ("" if years == 1 else "s")


# --- formats ------------------------------------------------------------------------------------------------

HEADERS = ("page", "title", "words", "score", "sources", "updated", "review due", "reviewed", "flag")
RIGHT_ALIGNED = {"words", "score", "sources"}


def format_plain(report: EditorReport) -> str:
    """A fixed-width table a language for a terminal, then each list of findings."""
    lines = [_heading(report)]
    for language in report.languages:
        headers = _headers(language)
        lines.extend(["", _language_heading(language), ""])
        lines.extend(_fixed_width_table(headers, [_cells(row, report.today) for row in language.rows]))
    lines.extend(["", textwrap.fill(_legend(report), width=100)])
    for title, findings in _finding_groups(report):
        lines.append("")
        lines.append(f"{title}: {len(findings) or 'none'}")
        lines.extend(f"  {finding.file}: {finding.message}" for finding in findings)
    return "\n".join(lines) + "\n"


def format_markdown(report: EditorReport) -> str:
    """The same as GitHub tables and lists, to paste into a pull request or a workflow summary."""
    lines = [f"## {_heading(report)}"]
    for language in report.languages:
        headers = _headers(language)
        lines.extend(["", f"### {_language_heading(language)}", ""])
        lines.append("| " + " | ".join(headers) + " |")
        lines.append("|" + "|".join("--:" if h in RIGHT_ALIGNED else "---" for h in HEADERS) + "|")
        for row in language.rows:
            lines.append("| " + " | ".join(_markdown_cell(cell) for cell in _cells(row, report.today)) + " |")
    lines.extend(["", _legend(report)])
    for title, findings in _finding_groups(report):
        lines.extend(["", f"### {title}: {len(findings) or 'none'}"])
        if findings:
            lines.append("")
        lines.extend(f"- `{finding.file}`: {_markdown_cell(finding.message)}" for finding in findings)
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[EditorReport], str]] = {"plain": format_plain, "markdown": format_markdown}


def _heading(report: EditorReport) -> str:
    return f"Editor's report, {report.today}"


def _language_heading(language: Language) -> str:
    score = SCORES[language.score_name][0]
    return f"{language.name} ({language.code}): {len(language.rows)} pages, scored by {score}"


def _headers(language: Language) -> tuple[str, ...]:
    """The column headers, with the score's column named for the language's score."""
    return tuple(language.score_name if header == "score" else header for header in HEADERS)


def _legend(report: EditorReport) -> str:
    scores = " ".join(
        f"{SCORES[name][0]}: {SCORES[name][1]}."
        for name in dict.fromkeys(language.score_name for language in report.languages)
    )
    translated = (
        " A translation's page flagged 'not translated' is the original's, published until it is "
        "translated; one flagged 'out of date' translates an older version of its original."
        if len(report.languages) > 1
        else ""
    )
    return (
        f"Reading scores as `check` measures them ({NOT_GRADED}: not graded). {scores} A page is due for "
        f"review {_years(report.review_interval_years)} after its last review, or after its last update if "
        "it has never been reviewed, unless a next_review date is set (review_interval_years in site.yaml)."
        + translated
    )


def _cells(row: PageRow, today: date) -> tuple[str, ...]:
    flags = [
        flag
        for flag, applies in (
            ("OVERDUE", row.review_due < today),
            ("draft", row.draft),
            ("not translated", row.untranslated),
            ("out of date", row.original_updated is not None),
        )
        if applies
    ]
    return (
        row.file.removeprefix("content/"),
        row.title,
        str(row.words),
        NOT_GRADED if row.grade is None else f"{row.grade:.1f}",
        str(row.sources),
        str(row.updated),
        str(row.review_due),
        str(row.review.reviewed_on) if row.review.is_reviewed else "not reviewed",
        ", ".join(flags),
    )


def _finding_groups(report: EditorReport) -> tuple[tuple[str, tuple[Finding, ...]], ...]:
    return (
        ("Overdue for review", report.overdue),
        ("Sources no page cites", report.uncited_sources),
        ("Glossary terms no other page uses", report.unused_terms),
        ("Translations out of date", report.out_of_date),
    )


def _fixed_width_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(width) if header in RIGHT_ALIGNED else cell.ljust(width)
            for header, cell, width in zip(HEADERS, cells, widths, strict=True)
        ).rstrip()

    return [line(headers), line(tuple("-" * width for width in widths)), *(line(row) for row in rows)]


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")
