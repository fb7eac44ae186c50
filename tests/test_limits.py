"""Limits: content too large, too deep or pointing out of the site is refused with a clear message, quickly.

Each case builds the small test project in this process (no subprocess: these are about the engine) with one
file changed, and expects a ContentError whose message names the file and line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projects import MINIMAL_CONTENT, make_project
from support import python_env

from patientsite.content.load import MAX_FILE_BYTES, MAX_NESTING
from patientsite.pipeline import Project, build_site, check_site
from patientsite.problems import ContentError

FRONT_MATTER = "---\ntitle: Causes\nsummary: Many things can cause anaemia.\nupdated: 2026-11-01\n---\n"
CITED = "Losing blood is a common cause [@nhs-anaemia].\n\n## Common causes\n\n"
SECONDS = 60  # far more than any of these takes; a hang or a quadratic blow-up takes far longer


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("limits") / "project")


def problems_after(project: Path, files: dict[str, str | bytes]) -> list[str]:
    """The problems the build reports with these content files written over the small project's."""
    shutil.rmtree(project / "content")
    shutil.copytree(MINIMAL_CONTENT, project / "content")
    for name, data in files.items():
        path = project / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    started = time.perf_counter()
    try:
        check_site(Project(project))
        found = []
    except ContentError as error:
        found = [str(problem) for problem in error.errors]
    assert time.perf_counter() - started < SECONDS
    return found


def causes(body: str) -> dict[str, str]:
    return {"anaemia/causes.md": FRONT_MATTER + CITED + body}


def test_a_file_larger_than_the_limit_is_refused(project):
    problems_after(project, {})  # a fresh copy of the small project
    with (project / "content" / "anaemia" / "huge.md").open("wb") as file:
        file.truncate(50_000_000)  # 50 MB of nothing, taking no disk space
    started = time.perf_counter()
    with pytest.raises(ContentError) as raised:
        check_site(Project(project))
    assert time.perf_counter() - started < SECONDS
    assert (
        f"content/anaemia/huge.md:1: file: is larger than the limit of {MAX_FILE_BYTES:,} bytes — split it"
        in (str(raised.value))
    )


def test_a_huge_file_is_refused_without_being_read_into_memory(project):
    problems_after(project, {})
    with (project / "content" / "anaemia" / "huge.md").open("wb") as file:
        file.truncate(400_000_000)  # 400 MB of nothing, taking no disk space
    measure = (
        "import sys\n"
        "from patientsite.pipeline import Project, check_site\n"
        "from patientsite.problems import ContentError\n"
        "try:\n    check_site(Project(__import__('pathlib').Path(sys.argv[1])))\n"
        "except ContentError:\n    pass\n"
        # VmHWM, the peak of this process's own memory: getrusage's ru_maxrss would also count the pytest
        # process that started it, which Linux carries over into a child through fork and exec.
        "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", measure, str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        env=python_env(),
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert int(completed.stdout.split()[-1]) < 200_000, "more than 200 MB of memory for a refused file"


def test_a_file_just_under_the_limit_is_read(project):
    body = ("Most people feel fine. " * 40 + "\n\n") * (MAX_FILE_BYTES // 1000)
    assert len((FRONT_MATTER + CITED + body).encode()) < MAX_FILE_BYTES
    assert not any("larger than the limit" in problem for problem in problems_after(project, causes(body)))


@pytest.mark.parametrize("depth", [MAX_NESTING + 5, 10_000, 60_000])
def test_yaml_nested_too_deep_is_refused_before_python_runs_out_of_stack(project, depth):
    faq = "title: Questions\nextra: " + "[" * depth + "]" * depth + "\n"
    expected = (
        f"content/anaemia/faq.yaml:2: nesting: is nested more than {MAX_NESTING} levels deep — "
        "flatten the structure: no content field needs this many levels"
    )
    assert problems_after(project, {"anaemia/faq.yaml": faq}) == [expected]


def test_yaml_aliases_are_refused_so_a_billion_laughs_cannot_expand(project):
    laughs = "title: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"k{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    problems = problems_after(project, {"anaemia/faq.yaml": laughs})
    assert problems and all("uses an alias (*name)" in problem for problem in problems)


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("".join("    " * level + "- x\n" for level in range(300)), id="list-300-deep"),
        # Deeper than the limit, yet shallow enough that every Python-Markdown version would convert it: the
        # problem is the build's own, whichever version is installed.
        pytest.param("".join("    " * level + "- x\n" for level in range(120)), id="list-120-deep"),
        pytest.param(
            "".join(f"Word {i}\n: What word {i} means.\n" for i in range(1000)), id="1000-tight-definitions"
        ),
    ],
)
def test_markdown_nested_too_deep_is_a_problem_not_a_recursion_error(project, markdown):
    problems = problems_after(project, causes(markdown))
    assert problems and problems[0].startswith(
        "content/anaemia/causes.md:1: text: is nested too deeply to read"
    )


def test_a_list_nested_as_deep_as_a_page_could_want_is_no_problem(project):
    nested = "".join("    " * level + f"- Point {level} [@nhs-anaemia].\n" for level in range(20))
    assert not any("nested too deeply" in problem for problem in problems_after(project, causes(nested)))


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("[" * 190_000, id="open-brackets"),
        pytest.param("[[]" * 63_000, id="nested-brackets"),
        pytest.param("[a](b(c)" * 23_000, id="unclosed-link-addresses"),
        pytest.param("[a][" * 47_000, id="reference-brackets"),
        pytest.param("![" * 95_000, id="picture-brackets"),
    ],
)
def test_markdown_that_python_markdown_reads_in_quadratic_time_stays_fast_at_the_size_limit(
    project, markdown
):
    started = time.perf_counter()
    problems_after(project, causes(markdown))
    assert time.perf_counter() - started < SECONDS


@pytest.mark.parametrize(
    "text, message",
    [
        ("[x](../../../etc/passwd)", "'../../../etc/passwd' points outside the site"),
        ("[x](/etc/passwd)", "'/etc/passwd' points outside the site"),
        ("[x](//evil.example/page)", "'//evil.example/page' points outside the site"),
        ("[x](%2e%2e/%2e%2e/secret.md)", "'%2e%2e/%2e%2e/secret.md' points outside the site"),
        ("[x](..\\..\\secret.md)", "'..\\..\\secret.md' points outside the site"),
        ("[x](../../secret.md 'a title')", "'../../secret.md' points outside the site"),
        ("[x](<../../a secret.md>)", "'../../a secret.md' points outside the site"),
        ("[x](\n../../secret.md)", "'../../secret.md' points outside the site"),
        ("[x][ref]\n\n[ref]: ../../secret.md", "'../../secret.md' points outside the site"),
        ("\\`[x](../../secret.md)`", "'../../secret.md' points outside the site"),
        ("```\n\n[x](../../secret.md)\n", "'../../secret.md' points outside the site"),
        ("![x](../../../etc/passwd)", "contains a picture"),
        ("[x](javascript:alert(1))", "'javascript:alert(1' is not a safe link"),
        ("[x](JaVaScRiPt:alert(1))", "'JaVaScRiPt:alert(1' is not a safe link"),
        ("<javascript:alert(1)>", "'javascript:alert(1)' is not a safe link"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "is not a safe link"),
        ("[x](page:../../../etc/passwd)", "'page:../../../etc/passwd' is not a safe link"),
        ("<svg onload=alert(1)>", "contains raw HTML (<svg>)"),
        ("<svg\nonload=alert(1)>", "contains raw HTML (<svg>)"),
        ("<img src=x onerror=alert(1)>", "contains raw HTML (<img>)"),
    ],
)
def test_every_way_to_write_a_link_out_of_the_site_is_refused_with_its_line(project, text, message):
    problems = problems_after(project, causes(f"See this: {text}\n"))
    assert any(
        problem.startswith("content/anaemia/causes.md:1") and message in problem for problem in problems
    ), problems


@pytest.mark.parametrize(
    "file, old, new",
    [
        (
            "anaemia/topic.yaml",
            "summary: Anaemia means",
            "summary: See [notes](../../notes.md). Anaemia means",
        ),
        ("anaemia/topic.yaml", "  - It is common.", "  - It is common. See [notes](../../notes.md)."),
        ("anaemia/faq.yaml", "Most of the time it is not serious.", "See [notes](../../notes.md)."),
        ("anaemia/glossary.yaml", "The part of a red", "See [notes](../../notes.md). The part of a red"),
        ("site.yaml", "disclaimer: This is", "disclaimer: See [notes](../notes.md). This is"),
        ("anaemia/causes.md", "summary: Many things", "summary: See [notes](../../notes.md). Many things"),
        ("anaemia/topic.yaml", "summary: Anaemia means", "summary: <b>Anaemia</b> means"),
        ("site.yaml", "disclaimer: This is", "disclaimer: See [x](javascript:alert(1)). This is"),
    ],
)
def test_links_and_html_in_every_markdown_field_are_checked(project, file, old, new):
    text = (MINIMAL_CONTENT / file).read_text(encoding="utf-8")
    assert old in text
    problems = problems_after(project, {file: text.replace(old, new)})
    assert any(
        problem.startswith(f"content/{file}:")
        and ("points outside the site" in problem or "raw HTML" in problem or "not a safe link" in problem)
        for problem in problems
    ), problems


def test_a_symbolic_link_in_content_is_refused(project, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(FRONT_MATTER + "The password is swordfish [@nhs-anaemia].\n")
    shutil.copytree(MINIMAL_CONTENT, project / "content", dirs_exist_ok=True)
    problems_after(project, {})
    (project / "content" / "anaemia" / "causes.md").unlink()
    os.symlink(secret, project / "content" / "anaemia" / "causes.md")
    with pytest.raises(ContentError) as raised:
        check_site(Project(project))
    assert "content/anaemia/causes.md:1: file: is a symbolic link" in str(raised.value)


def test_a_linked_folder_in_content_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    shutil.copytree(MINIMAL_CONTENT / "anaemia", outside)
    problems_after(project, {})
    os.symlink(outside, project / "content" / "other")
    with pytest.raises(ContentError) as raised:
        check_site(Project(project))
    assert "content/other:1: file: is a symbolic link" in str(raised.value)


@pytest.mark.parametrize("folder, name", [("static", "style.css"), ("templates", "page.html")])
def test_a_symbolic_link_among_static_files_or_templates_is_refused(tmp_path, folder, name):
    project = make_project(tmp_path / "project")
    (tmp_path / "secret.txt").write_text("swordfish")
    (project / folder / name).unlink()
    os.symlink(tmp_path / "secret.txt", project / folder / name)
    with pytest.raises(ContentError) as raised:
        build_site(Project(project), project / "site")
    assert f"{folder}/{name}:1: file: is a symbolic link" in str(raised.value)
    assert not (project / "site").exists()


def test_a_problem_quoting_a_sentence_stays_on_one_line(project):
    sentence = "\n".join(["Words that go on and on without any stop at all"] * 12) + "."
    problems = problems_after(project, causes(sentence * 3 + "\n"))
    assert any("reading grade" in problem for problem in problems), problems
    assert all("\n" not in problem for problem in problems), problems


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            "anaemia/causes.md",
            "updated: 2026-11-01",
            "updated: 2026-13-45",
            "causes.md:4: updated: '2026-13-45' is not a date",
        ),
        ("anaemia/causes.md", "updated: 2026-11-01", "updated: 2026-11-01T10:00:00+99:00", "is not a date"),
        ("anaemia/causes.md", "updated: 2026-11-01", "updated: 2026-11-01 10:30:00", None),
        ("anaemia/causes.md", "title: Causes", "title: " + "9" * 5000, None),
        (
            "site.yaml",
            "title: Test guide",
            "title: Test guide\nreadability:\n  max_grade: .nan",
            "max_grade: 'nan' is not a number",
        ),
        (
            "site.yaml",
            "title: Test guide",
            "title: Test guide\nreadability:\n  max_grade: " + "9" * 400,
            "is not a number",
        ),
        ("site.yaml", "language: en", "language: xx", "site.yaml:2: language: 'xx' is not a language code"),
        (
            "site.yaml",
            "page: index.md",
            "page: index.md\n\n      more",
            "'index.md…' is not a page of the site",
        ),
        (
            "anaemia/faq.yaml",
            "title: Questions",
            "title: No",
            "faq.yaml:1: title: is read as no, not as text",
        ),
        ("anaemia/faq.yaml", "title: Questions", "title:", "faq.yaml:1: title: is empty (text required)"),
        ("anaemia/glossary.yaml", "", "--- ~\n", "glossary.yaml:1: file: is empty"),
        (
            "anaemia/causes.md",
            "title: Causes",
            "title: Ca\x07uses",
            "causes.md:2: text: contains an invisible character",
        ),
        (
            "anaemia/causes.md",
            "title: Causes",
            "title: Ca\x00uses",
            "causes.md:2: text: contains an invisible character",
        ),
        (
            "index.md",
            "title: Welcome",
            "title: Welcome\u2028home",
            "index.md:2: text: contains an invisible character",
        ),
        (
            "anaemia/causes.md",
            "Losing blood",
            "Losing\u2029blood",
            "causes.md:8: text: contains an invisible character",
        ),
        (
            "anaemia/topic.yaml",
            "url: https://medlineplus.gov/anemia.html",
            'url: "https://x.org/\\"><script>"',
            "is not a web address",
        ),
    ],
)
def test_values_yaml_reads_oddly_are_clear_problems_not_crashes(project, file, old, new, expected):
    text = (MINIMAL_CONTENT / file).read_text(encoding="utf-8") if old else ""  # no old text: all new
    assert old in text
    problems = problems_after(project, {file: text.replace(old, new, 1) if old else new})
    if expected is None:
        assert problems == []
    else:
        assert any(expected in problem and "\n" not in problem for problem in problems), problems
