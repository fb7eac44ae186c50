"""`build.py new-topic`: a new condition as an honest draft that checks, builds and is published at once."""

import re
from datetime import date

import pytest
from projects import make_project, run_build, snapshot

from patientsite.commands.scaffold import STANDARD_SECTIONS, topic_files

SLUG, TITLE = "iron-deficiency-anaemia", "Iron deficiency anaemia"
SECTION_PAGES = [
    "what-is-iron-deficiency-anaemia",
    "causes",
    "symptoms",
    "diagnosis",
    "treatment",
    "when-to-get-help",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The minimal test site, a new topic added, then built."""
    project = make_project(tmp_path_factory.mktemp("new-topic") / "project")
    result = run_build(project, "new-topic", SLUG, TITLE)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def built(project):
    result = run_build(project, "--base-url", "https://example.org/guide/")
    assert result.returncode == 0, result.stderr
    return project


def test_new_topic_writes_the_topic_file_and_one_page_per_standard_section(project):
    folder = project / "content" / SLUG
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["topic.yaml"] + [f"{s}.md" for s in SECTION_PAGES]
    )
    assert len(STANDARD_SECTIONS) == 6
    assert "- what-is-iron-deficiency-anaemia.md\n  - causes.md\n" in (folder / "topic.yaml").read_text()


def test_new_topic_then_build_publishes_a_second_topic_linked_from_the_home_page(built):
    site = built / "site"
    for page in ["index", "sources", "handout", *SECTION_PAGES]:
        assert (site / SLUG / f"{page}.html").is_file(), page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{SLUG}/index.html">{TITLE} (draft)</a>' in home
    assert 'href="anaemia/index.html"' in home


def test_the_new_topic_passes_check_and_each_page_is_graded_under_the_limit(project):
    result = run_build(project, "check")
    assert result.returncode == 0, result.stderr
    found = re.findall(rf"reading grade\s+([\d.]+)\s+content/{SLUG}/(\S+)\.md", result.stdout)
    grades = {page: float(grade) for grade, page in found}
    assert sorted(grades) == sorted(SECTION_PAGES)
    assert all(grade <= 8 for grade in grades.values())
    assert "the topic is a draft" in result.stderr


def test_every_page_of_the_draft_says_so_and_asks_search_engines_to_skip_it(built):
    for page in (built / "site" / SLUG).glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "Draft — not for readers" in html, page.name
        assert '<meta name="robots" content="noindex">' in html, page.name
    assert "noindex" not in (built / "site" / "anaemia" / "causes.html").read_text(encoding="utf-8")
    sitemap = (built / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert SLUG not in sitemap and "anaemia/causes.html" in sitemap


def test_the_draft_invents_no_source_reviewer_or_date(project):
    today = date.today().isoformat()
    for path in (project / "content" / SLUG).iterdir():
        text = path.read_text(encoding="utf-8")
        assert re.findall(r"^updated: (.*)$", text, re.MULTILINE) == [today], path.name
        assert set(re.findall(r"\d{4}-\d\d-\d\d", text)) == {today}, path.name
        assert not re.search(r"^(reviewed_by|reviewed_on|next_review):", text, re.MULTILINE), path.name
        assert "[@" not in text.replace("[@source-id]", "").replace("[@id]", ""), path.name
    assert "\nsources: []\n" in (project / "content" / SLUG / "topic.yaml").read_text()


def test_deleting_draft_true_before_adding_sources_fails_the_check(project, tmp_path):
    import shutil

    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", ".build-cache"))
    topic = copy / "content" / SLUG / "topic.yaml"
    topic.write_text(topic.read_text().replace("draft: true\n", ""))
    result = run_build(copy, "check")
    assert result.returncode == 1
    assert f"content/{SLUG}/topic.yaml:" in result.stderr and "sources: is an empty list" in result.stderr
    assert f"content/{SLUG}/causes.md:1: sources: the page cites no source" in result.stderr


def test_refuses_a_slug_that_exists_and_says_why(tmp_path):
    project = make_project(tmp_path / "project")
    before = snapshot(project / "content")
    result = run_build(project, "new-topic", "anaemia", "Anaemia")
    assert result.returncode == 1
    assert "content/anaemia already exists — choose another name, or edit the topic there" in result.stderr
    assert snapshot(project / "content") == before


@pytest.mark.parametrize(
    "slug", ["Anaemia", "iron_deficiency", "iron--deficiency", "anaemia-", "a/b", "assets"]
)
def test_refuses_a_slug_that_is_not_lower_case_letters_digits_and_dashes(tmp_path, slug):
    project = make_project(tmp_path / "project")
    before = snapshot(project / "content")
    result = run_build(project, "new-topic", slug, "Anaemia")
    assert result.returncode == 1
    assert f"new-topic: '{slug}'" in result.stderr
    assert snapshot(project / "content") == before
    assert "Traceback" not in result.stderr


def test_a_title_with_yaml_punctuation_is_quoted_and_a_leading_abbreviation_kept():
    files = topic_files("hiv", "HIV: the basics", date(2026, 11, 25))
    assert "title: 'HIV: the basics'\n" in files["topic.yaml"]
    assert "title: 'What is HIV: the basics?'\n" in files["what-is-hiv.md"]
    assert (
        "title: What is anaemia?\n"
        in topic_files("anaemia", "Anaemia", date(2026, 11, 25))["what-is-anaemia.md"]
    )
