"""Each bad-content case gives the editor a clear file:line message, no traceback,
and keeps the last good site.

The cases in tests/fixtures/bad/ double as the editing guide's list of common errors.
"""

import pytest
from projects import BAD_CASES, make_project, overlay, run_build, snapshot


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """One good build, copied for each case so every case starts from a published site."""
    project = make_project(tmp_path_factory.mktemp("good") / "project")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.parametrize("case", BAD_CASES, ids=[case.name for case in BAD_CASES])
def test_bad_content_names_file_and_line_and_keeps_the_last_good_site(case, good_build, tmp_path):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(good_build, project)
    site_before = snapshot(project / "site")
    overlay(project, case)

    result = run_build(project)

    expected = (case / "expected.txt").read_text(encoding="utf-8").strip()
    assert result.returncode == 1
    assert expected in result.stderr, f"expected {expected!r} in:\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout
    assert "nothing was written, the last good site is unchanged" in result.stderr
    assert snapshot(project / "site") == site_before
    assert not list(project.glob(".building-*")), "a failed build left a staging folder behind"


@pytest.mark.parametrize("case", BAD_CASES, ids=[case.name for case in BAD_CASES])
def test_check_reports_the_same_problem_and_writes_nothing(case, tmp_path):
    project = make_project(tmp_path / "project")
    overlay(project, case)

    result = run_build(project, "check")

    expected = (case / "expected.txt").read_text(encoding="utf-8").strip()
    assert result.returncode == 1
    assert expected in result.stderr
    assert not (project / "site").exists()
