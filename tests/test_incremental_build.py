"""Incremental builds: after any edit, a warm build writes exactly what a cold build of the same project
writes; an edit to one section's words renders and writes only the files it changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from projects import FIXTURES, make_project, overlay, snapshot

from patientsite.checks import reading
from patientsite.engine.cache import CACHE_FOLDER, BuildCache, content_fingerprint
from patientsite.pipeline import Project, build_site
from patientsite.problems import ContentError, Problem

CAUSES = "content/anaemia/causes.md"
BASE_URL = "https://user.github.io/repo/"
# Each edit: (file, old text, new text); every one changes what some page shows.
EDITS = {
    "a section's body": (CAUSES, "Losing blood is a common cause", "Bleeding is a common cause"),
    "a topic's title": ("content/anaemia/topic.yaml", "title: Anaemia", "title: Anaemia (low iron)"),
    "a glossary term's meaning": (
        "content/anaemia/glossary.yaml",
        "carries oxygen.",
        "carries oxygen round the body.",
    ),
    "a source": ("content/anaemia/topic.yaml", "publisher: NHS", "publisher: NHS England"),
    "the strings": ("content/strings.yaml", "home: Home", "home: Start"),
    "a template": ("templates/base.html", "</footer>", "</footer>\n<!-- a template change -->"),
    "a static file": ("static/style.css", ":root", "/* a change */\n:root"),
    "the icon": ("static/icon.svg", "<svg", "<!-- a change -->\n<svg"),
    "a Spanish translation": (
        "content/es/anaemia/causes.md",
        "Perder sangre es una causa común",
        "Sangrar es una causa común",
    ),
}


@pytest.fixture
def project(tmp_path) -> Path:
    """The small site in English and Spanish, built once (its cache warm)."""
    root = make_project(tmp_path / "project")
    overlay(root, FIXTURES / "bilingual")
    build(root)
    return root


def build(project: Path, out: str = "site", base_url: str | None = None, cold: bool = False) -> dict:
    cache = BuildCache.in_memory() if cold else BuildCache.for_project(project)
    build_site(Project(project), project / out, base_url, cache=cache)
    return snapshot(project / out)


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("what", list(EDITS))
def test_after_each_kind_of_edit_a_warm_build_writes_what_a_cold_build_writes(project, what):
    before = snapshot(project / "site")
    edit(project, *EDITS[what])
    warm = build(project)
    assert warm == build(project, "cold-site", cold=True)
    assert warm != before, f"editing {what} changed nothing in the site"


def test_after_a_new_base_url_a_warm_build_writes_what_a_cold_build_writes(project):
    warm = build(project, base_url=BASE_URL)
    assert warm == build(project, "cold-site", base_url=BASE_URL, cold=True)
    assert "sitemap.xml" in warm


def test_editing_one_sections_words_rewrites_only_the_files_that_change(project):
    site = project / "site"
    before = {path: (file.stat().st_ino, file.read_bytes()) for path, file in _files(site).items()}
    edit(project, *EDITS["a section's body"])
    build(project)
    after = {path: (file.stat().st_ino, file.read_bytes()) for path, file in _files(site).items()}
    assert after.keys() == before.keys()
    changed = {path for path in after if after[path][1] != before[path][1]}
    rewritten = {path for path in after if after[path][0] != before[path][0]}
    assert "anaemia/causes.html" in changed
    assert "anaemia/handout.html" in changed  # the handout holds every section
    assert "index.html" not in changed and "es/anaemia/causes.html" not in changed
    assert rewritten == changed, (
        "a file whose bytes did not change was written again, or one that did was not"
    )


def test_after_an_edit_a_warm_build_reports_the_warnings_a_cold_build_reports(project):
    """Unchanged files are not read again: the warnings found in them come back, on the same lines."""
    edit(project, "content/anaemia/topic.yaml", "updated: 2026-11-01", "updated: 2026-11-01\ndraft: true")
    build(project)
    edit(project, *EDITS["a section's body"])
    warm, warm_warnings = build_with_warnings(project)
    cold, cold_warnings = build_with_warnings(project, "cold-site", cold=True)
    assert warm == cold
    assert warm_warnings == cold_warnings
    draft = [warning for warning in warm_warnings if warning.field == "draft"]
    assert [(warning.file, warning.line) for warning in draft] == [("content/anaemia/topic.yaml", 8)]


def test_an_error_in_an_unchanged_file_is_reported_again_after_another_edit(project):
    """A mistake in a file that did not change is still reported, on its line, until it is mended."""
    edit(project, CAUSES, "Losing blood is a common cause", "Losing <b>blood</b> is a common cause")
    first = errors_of(project)
    edit(project, *EDITS["a topic's title"])
    warm = errors_of(project)
    assert warm == errors_of(project, cold=True)
    assert warm == first
    assert [(error.file, error.line, error.field) for error in warm] == [(CAUSES, 8, "text")]
    edit(project, CAUSES, "Losing <b>blood</b>", "Losing blood")
    assert build(project) == build(project, "cold-site", cold=True)


def build_with_warnings(project: Path, out: str = "site", cold: bool = False) -> tuple[dict, list[Problem]]:
    cache = BuildCache.in_memory() if cold else BuildCache.for_project(project)
    report = build_site(Project(project), project / out, cache=cache)
    return snapshot(project / out), report.warnings


def errors_of(project: Path, cold: bool = False) -> list[Problem]:
    with pytest.raises(ContentError) as raised:
        build(project, "failed-site", cold=cold)
    return raised.value.errors


def test_the_cache_keeps_no_page_of_the_site(project):
    """The cache holds what saves work (keys, digests, converted texts), not every output file."""
    page = (project / "site" / "anaemia" / "faq.html").read_bytes()
    start = page.index(b"<body")
    sample = page[start : start + 400]
    for path in (project / CACHE_FOLDER).iterdir():
        assert sample not in path.read_bytes(), f"{path.name} holds the FAQ page's HTML"


def test_the_content_fingerprint_covers_only_the_files_the_loader_reads(tmp_path):
    content = make_project(tmp_path / "project") / "content"
    fingerprint = content_fingerprint(content)
    (content / "notes.txt").write_text("an editor's notes")
    (content / ".draft.md").write_text("a hidden file")
    (content / ".git").mkdir()
    (content / ".git" / "HEAD.md").write_text("inside a hidden folder")
    assert content_fingerprint(content) == fingerprint
    (content / "anaemia" / "new.md").write_text("---\ntitle: New\n---\n")
    assert content_fingerprint(content) != fingerprint


def _files(folder: Path) -> dict[str, Path]:
    return {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}


# --- Two topics: a topic whose inputs did not change is not even made into views (its part key is found), and
# each page's entries of the search index are kept; neither may keep what an edit elsewhere changes.

IRON = "content/iron/topic.yaml"
# Each edit is in one topic; what the other topic's pages, the home page or the search index show may change.
EDITS_ELSEWHERE = {
    "the other topic's title": (IRON, "title: Iron", "title: Iron stores"),
    "the first topic's other names (the other topic's names are numbered after them in the index)": (
        "content/anaemia/topic.yaml",
        "other_names: [Anemia]\n",
        "",
    ),
    "the other topic's source": (IRON, "publisher: NHS", "publisher: NHS England"),
    "the other topic's glossary": (
        "content/iron/glossary.yaml",
        "carries oxygen.",
        "carries oxygen round it.",
    ),
    "the other topic's section": ("content/iron/causes.md", "Losing blood is a common cause", "Bleeding is"),
}


@pytest.fixture
def two_topics(tmp_path) -> Path:
    """The small site with a second topic, Iron (a copy of Anaemia, another other name), built once."""
    root = make_project(tmp_path / "project")
    content = root / "content"
    shutil.copytree(content / "anaemia", content / "iron")
    edit(root, IRON, "title: Anaemia", "title: Iron")
    edit(root, IRON, "other_names: [Anemia]", "other_names: [Ferritin]")
    build(root)
    return root


@pytest.mark.parametrize("what", list(EDITS_ELSEWHERE))
def test_after_an_edit_elsewhere_a_warm_build_writes_what_a_cold_build_writes(two_topics, what):
    before = snapshot(two_topics / "site")
    edit(two_topics, *EDITS_ELSEWHERE[what])
    warm = build(two_topics)
    assert warm == build(two_topics, "cold-site", cold=True)
    assert warm != before, f"editing {what} changed nothing in the site"


# --- the readability gate on a warm build -----------------------------------------------------------------

HARD_WORDS = (
    "Haematological investigations notwithstanding, idiopathic leucocyte diminution necessitates "
    "comprehensive multidisciplinary evaluation, particularly considering concomitant immunological "
    "abnormalities, pharmacological contributions, nutritional deficiencies and constitutional "
    "manifestations."
)


def test_a_page_made_hard_to_read_fails_the_gate_on_a_warm_build_as_on_a_cold_one(project):
    edit(project, CAUSES, "Losing blood is a common cause", HARD_WORDS + " Losing blood is a common cause")
    hints = []
    for cache in (BuildCache.for_project(project), BuildCache.for_project(project), BuildCache.in_memory()):
        with pytest.raises(ContentError) as raised:
            build_site(Project(project), project / "site", cache=cache)
        hard = [p for p in raised.value.errors if p.file == CAUSES and "grade" in p.message]
        assert hard, raised.value.errors
        hints.append(hard[0].hint)
    assert "idiopathic leucocyte diminution" in hints[0]
    assert hints == [hints[0]] * 3, "the second build, its grade found in the cache, quotes the same sentence"


def test_after_an_edit_a_warm_build_works_out_the_words_of_the_edited_page_alone(project, monkeypatch):
    worked_out = []
    real_main_text = reading.main_text
    monkeypatch.setattr(
        reading, "main_text", lambda page, text: worked_out.append(page.key) or real_main_text(page, text)
    )
    edit(project, *EDITS["a section's body"])
    build(project)
    assert worked_out == ["anaemia/causes.md"]
