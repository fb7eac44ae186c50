"""validate_content: a page's or a topic's file name becomes part of its web address, so a name that cannot be
one is refused with its file, line and how to rename it; a good name makes its page."""

from __future__ import annotations

import shutil
from pathlib import Path

from projects import MINIMAL_CONTENT

from patientsite.content.load import load_content
from patientsite.content.model import Content
from patientsite.content.validate import validate_content
from patientsite.problems import Problems


def validated(project: Path) -> tuple[Content | None, list[str]]:
    """The minimal content as laid out under project/content, validated, with every error as printed."""
    problems = Problems()
    loaded = load_content(project / "content", project, problems)
    content = validate_content(loaded, "content", problems)
    return content, [str(problem) for problem in problems.errors]


def minimal_project(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL_CONTENT, tmp_path / "content")
    return tmp_path


def test_the_minimal_content_validates_without_an_error(tmp_path: Path) -> None:
    content, errors = validated(minimal_project(tmp_path))
    assert errors == []
    assert content is not None and [topic.slug for topic in content.topics] == ["anaemia"]


def test_a_topic_folder_name_with_capitals_or_underscores_is_refused_at_its_topic_file(
    tmp_path: Path,
) -> None:
    project = minimal_project(tmp_path)
    (project / "content" / "anaemia").rename(project / "content" / "Anaemia_care")
    _, errors = validated(project)
    assert (
        "content/Anaemia_care/topic.yaml:1: folder: the topic folder name 'Anaemia_care' is not a valid web "
        "address part — rename the folder with lower-case letters, digits and dashes only"
    ) in errors


def test_a_page_file_name_with_a_space_is_refused_at_its_file(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    page = "---\ntitle: About us\nsummary: Who writes this guide.\nupdated: 2024-01-01\n---\nWe are nurses.\n"
    (project / "content" / "about us.md").write_text(page, encoding="utf-8")
    _, errors = validated(project)
    assert errors == [
        "content/about us.md:1: file: the name 'about us.md' is not a valid web address part — rename the "
        "file with lower-case letters, digits and dashes only, e.g. about.md"
    ]


def test_a_dashed_page_file_name_makes_a_page_of_the_site(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    page = "---\ntitle: About us\nsummary: Who writes this guide.\nupdated: 2024-01-01\n---\nWe are nurses.\n"
    (project / "content" / "about-the-team-2.md").write_text(page, encoding="utf-8")
    content, errors = validated(project)
    assert errors == []
    assert content is not None and [page.slug for page in content.pages] == ["about-the-team-2"]


def test_a_page_named_like_a_page_the_build_makes_is_refused(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    page = "---\ntitle: Index\nsummary: A second home.\nupdated: 2024-01-01\n---\nText.\n"
    (project / "content" / "404.md").write_text(page, encoding="utf-8")
    _, errors = validated(project)
    assert errors == [
        "content/404.md:1: file: the name '404.md' is taken by the page the build makes for an address that "
        "does not exist (404.html) — rename the file, e.g. to '404-page.md', and its links with it"
    ]
