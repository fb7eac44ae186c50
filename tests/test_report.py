"""The editor's report: a row a page in each language, reviews overdue, sources no page cites,
glossary terms no page uses."""

import re
import shutil
from datetime import date

import pytest
from projects import FIXTURES, REPO, make_project, overlay, run_build

from patientsite.commands.report import format_markdown, format_plain, make_report, review_due
from patientsite.content.model import Review
from patientsite.pipeline import Project, check_site

OVERDUE_CONTENT = FIXTURES / "overdue-review" / "content"
BILINGUAL = FIXTURES / "bilingual"
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def overdue_project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("overdue") / "project", OVERDUE_CONTENT)


@pytest.fixture(scope="module")
def report(overdue_project):
    return make_report(Project(overdue_project), TODAY)


@pytest.fixture(scope="module")
def bilingual_project(tmp_path_factory):
    """The small site in English and Spanish, whose Spanish FAQ is not translated yet."""
    project = make_project(tmp_path_factory.mktemp("bilingual") / "project")
    overlay(project, BILINGUAL)
    (project / "content" / "es" / "anaemia" / "faq.yaml").unlink()
    return project


@pytest.fixture(scope="module")
def bilingual_report(bilingual_project):
    return make_report(Project(bilingual_project), TODAY)


def rows_by_file(report):
    return {row.file: row for row in report.rows}


def overdue_files(report):
    return [finding.file for finding in report.overdue]


def test_every_page_made_from_a_file_has_one_row_in_site_order(report):
    assert [row.file for row in report.rows] == [
        "content/index.md",
        "content/anaemia/topic.yaml",
        "content/anaemia/causes.md",
        "content/anaemia/faq.yaml",
        "content/anaemia/glossary.yaml",
    ]


def test_page_whose_next_review_date_has_passed_is_overdue(report):
    finding = next(f for f in report.overdue if f.file == "content/anaemia/topic.yaml")
    assert "2026-06-01" in finding.message
    assert rows_by_file(report)["content/anaemia/topic.yaml"].review_due == date(2026, 6, 1)


def test_reviewed_page_without_next_review_is_due_the_site_yaml_interval_after_its_review(report):
    assert report.review_interval_years == 2
    assert rows_by_file(report)["content/anaemia/causes.md"].review_due == date(2025, 5, 10)
    assert "content/anaemia/causes.md" in overdue_files(report)


def test_never_reviewed_page_is_flagged_when_updated_longer_ago_than_the_interval(report):
    row = rows_by_file(report)["content/anaemia/faq.yaml"]
    assert not row.review.is_reviewed
    assert row.review_due == date(2025, 1, 15)
    assert "never reviewed" in next(f.message for f in report.overdue if f.file == row.file)


def test_pages_recently_updated_or_with_a_future_review_are_not_flagged(report):
    assert overdue_files(report) == [
        "content/anaemia/topic.yaml",
        "content/anaemia/causes.md",
        "content/anaemia/faq.yaml",
    ]


def test_today_decides_what_is_overdue(overdue_project):
    earlier = make_report(Project(overdue_project), date(2025, 1, 1))
    assert earlier.overdue == ()


def test_review_due_falls_on_28_february_after_a_review_on_29_february():
    review = Review("Dr Example Reviewer", date(2024, 2, 29))
    assert review_due(review, date(2024, 1, 1), 3) == date(2027, 2, 28)


def test_source_in_the_list_that_no_page_cites_is_listed(report):
    assert [(f.file, f.message.split()[0]) for f in report.uncited_sources] == [
        ("content/anaemia/topic.yaml", "'old-leaflet'")
    ]


def test_glossary_term_used_in_another_form_or_plural_counts_as_used(report):
    # 'Haemoglobin' is in causes.md; 'Red cell' only as 'red blood cells' (its form 'red blood cell' + s).
    assert [f.message.split("'")[1] for f in report.unused_terms] == ["Ferritin"]


def test_rows_count_words_sources_and_show_the_grades_check_prints(overdue_project, report):
    _, build_report = check_site(Project(overdue_project))
    rows = rows_by_file(report)
    assert {row.file.removeprefix("content/"): row.grade for row in report.rows if row.grade is not None} == (
        build_report.grades
    )
    assert rows["content/anaemia/causes.md"].sources == 2
    assert rows["content/anaemia/causes.md"].words > 30


def test_plain_format_is_a_fixed_width_table_with_the_findings(report):
    lines = format_plain(report).splitlines()
    header = next(line for line in lines if line.startswith("page "))
    rows = lines[lines.index(header) + 2 : lines.index(header) + 2 + len(report.rows)]
    column = header.index("updated")
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", row[column : column + 10]) for row in rows), rows
    assert "Overdue for review: 3" in lines
    assert (
        "  content/anaemia/topic.yaml: 'old-leaflet' (Anaemia and you) is listed, but no page cites it"
        in lines
    )


def test_markdown_format_is_a_github_table_with_the_same_rows(report):
    lines = format_markdown(report).splitlines()
    assert "### English (en): 5 pages, scored by Flesch–Kincaid reading grade" in lines
    start = lines.index(
        "| page | title | words | reading grade | sources | updated | review due | reviewed | flag |"
    )
    assert lines[start + 1] == "|---|---|--:|--:|--:|---|---|---|---|"
    rows = lines[start + 2 : start + 2 + len(report.rows)]
    assert all(row.startswith("| ") and row.count(" | ") == 8 for row in rows)
    assert "| anaemia/causes.md | Causes |" in rows[2]
    assert rows[2].endswith("| 2025-05-10 | 2023-05-10 | OVERDUE |")
    assert "### Overdue for review: 3" in lines


def test_report_command_exits_0_although_it_flags_pages(overdue_project):
    result = run_build(overdue_project, "report")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Editor's report, ")
    assert "OVERDUE" in result.stdout
    markdown = run_build(overdue_project, "report", "--format", "markdown")
    assert markdown.returncode == 0
    assert "| page | title |" in markdown.stdout


def test_report_command_on_broken_content_lists_the_problems_and_exits_1(tmp_path):
    project = make_project(tmp_path / "project")
    overlay(project, FIXTURES / "bad" / "unknown-source")
    result = run_build(project, "report")
    assert result.returncode == 1
    assert "content/anaemia/causes.md:9: citation: 'mayo-anemia' is not in the source list" in result.stderr
    assert result.stdout == ""


def test_report_on_the_shipped_content_has_a_row_for_every_page_in_every_language():
    report = make_report(Project(REPO), TODAY)
    files = [row.file for row in report.rows]
    assert files[:3] == ["content/index.md", "content/about.md", "content/leucopenia/topic.yaml"]
    assert "content/leucopenia/glossary.yaml" in files and "content/leucopenia/checker.yaml" in files
    assert [language.code for language in report.languages] == ["en", "es"]
    english, spanish = (
        [row.file.removeprefix(f"content/{prefix}") for row in language.rows]
        for prefix, language in zip(["", "es/"], report.languages, strict=True)
    )
    assert english == spanish  # every page has its Spanish twin, in the same order
    assert report.review_interval_years == 3


# --- every language -----------------------------------------------------------------------------------------


def test_each_language_has_its_own_rows_the_original_first(bilingual_report):
    english, spanish = bilingual_report.languages
    assert (english.code, english.name, spanish.code, spanish.name) == ("en", "English", "es", "Español")
    assert [row.file for row in spanish.rows] == [
        "content/es/index.md",
        "content/es/anaemia/topic.yaml",
        "content/es/anaemia/causes.md",
        "content/anaemia/faq.yaml",
        "content/es/anaemia/glossary.yaml",
    ]
    assert bilingual_report.rows == english.rows + spanish.rows


def test_spanish_pages_show_the_fernandez_huerta_score_check_prints(bilingual_project, bilingual_report):
    _, build_report = check_site(Project(bilingual_project))
    _, spanish = bilingual_report.languages
    assert spanish.score_name == "Fernández-Huerta"
    causes = next(row for row in spanish.rows if row.file == "content/es/anaemia/causes.md")
    assert causes.grade == build_report.grades["es/anaemia/causes.md"]
    assert causes.grade > 50  # a reading ease, higher is easier: no grade level is that high


def test_a_page_not_yet_translated_is_flagged_in_the_translations_table(bilingual_report):
    _, spanish = bilingual_report.languages
    flagged = [row.file for row in spanish.rows if row.untranslated]
    assert flagged == ["content/anaemia/faq.yaml"]
    assert "| anaemia/faq.yaml |" in next(
        line
        for line in format_markdown(bilingual_report).splitlines()
        if line.startswith("| anaemia/faq.yaml |") and "not translated" in line
    )


def test_both_formats_have_a_section_a_language_with_its_reading_score(bilingual_report):
    plain, markdown = format_plain(bilingual_report), format_markdown(bilingual_report)
    for heading in (
        "English (en): 5 pages, scored by Flesch–Kincaid reading grade",
        "Español (es): 5 pages, scored by Fernández-Huerta reading ease",
    ):
        assert heading in plain.splitlines() and f"### {heading}" in markdown.splitlines()
    assert re.search(r"^page +title +words +Fernández-Huerta +sources", plain, re.MULTILINE)
    assert "| page | title | words | Fernández-Huerta | sources |" in markdown
    assert "Fernández-Huerta reading ease: made for Spanish, from 0 to 100 (higher is easier)" in markdown
    spanish_table = markdown.split("### Español (es)")[1].split("\n\n")[1]
    assert "| es/anaemia/causes.md | " in spanish_table


def test_findings_cover_every_language(bilingual_project):
    project = bilingual_project.parent / "with-an-unused-spanish-term"
    shutil.copytree(bilingual_project, project)
    glossary = project / "content" / "es" / "anaemia" / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "  - term: Ferritina\n    meaning: Una proteína que guarda el hierro.\n",
        encoding="utf-8",
    )
    report = make_report(Project(project), TODAY)
    assert (
        "content/es/anaemia/glossary.yaml",
        "'Ferritina' is explained here, but no other page uses the word",
    ) in [(finding.file, finding.message) for finding in report.unused_terms]


def test_a_term_is_found_as_the_pages_find_it_to_explain_it(overdue_project, tmp_path):
    """The report uses the pages' own pattern (terms.py): a term named with its abbreviation in brackets is
    used where a page writes it without them."""
    project = tmp_path / "project"
    shutil.copytree(overdue_project, project)
    glossary = project / "content" / "anaemia" / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("term: Haemoglobin", "term: Haemoglobin (Hb)"),
        encoding="utf-8",
    )
    report = make_report(Project(project), TODAY)
    assert [f.message.split("'")[1] for f in report.unused_terms] == ["Ferritin"]


def test_a_translation_of_an_older_version_is_flagged_in_both_formats(bilingual_project, tmp_path):
    """Once only `check` said so; the report showed an out-of-date translation like any other page."""
    project = tmp_path / "project"
    shutil.copytree(bilingual_project, project)
    original = project / "content" / "anaemia" / "causes.md"
    original.write_text(
        original.read_text(encoding="utf-8").replace("updated: 2026-11-01", "updated: 2026-11-20"),
        encoding="utf-8",
    )
    report = make_report(Project(project), TODAY)
    message = (
        "translates the version of 2026-11-01, and the original was updated on 2026-11-20: bring it up to "
        "date, then set translation_of to that date"
    )
    assert [(f.file, f.message) for f in report.out_of_date] == [("content/es/anaemia/causes.md", message)]
    plain, markdown = format_plain(report), format_markdown(report)
    assert "Translations out of date: 1" in plain.splitlines()
    assert f"  content/es/anaemia/causes.md: {message}" in plain.splitlines()
    assert "### Translations out of date: 1" in markdown.splitlines()
    assert f"- `content/es/anaemia/causes.md`: {message}" in markdown.splitlines()
    row = next(line for line in markdown.splitlines() if line.startswith("| es/anaemia/causes.md |"))
    assert row.endswith("| out of date |")
    assert re.search(r"^es/anaemia/causes\.md .* out of date$", plain, re.MULTILINE)
    assert not [
        line
        for line in markdown.splitlines()
        if line.startswith("| anaemia/causes.md |") and "out of date" in line
    ]  # the original is not flagged
