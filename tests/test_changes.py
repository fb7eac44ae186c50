"""Changes: a page whose text changed since the last commit while its `updated:` did not is a warning."""

import subprocess
from datetime import date

from projects import make_project, run_build
from support import edit

CAUSES = "content/anaemia/causes.md"


def committed_project(root):
    project = make_project(root)
    git(project, "init", "-q")
    git(project, "add", "content")
    git(project, "commit", "-q", "-m", "content")
    return project


def git(project, *arguments):
    subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *arguments],
        cwd=project,
        check=True,
        capture_output=True,
    )


WARNING = (
    "content/anaemia/causes.md:4: warning: updated: the text changed since the last commit but 'updated:' "
    "did not — set it to today's date"
)


def test_text_changed_without_a_new_updated_date_is_a_warning_that_does_not_fail_the_build(tmp_path):
    project = committed_project(tmp_path / "project")
    edit(project / CAUSES, "Losing blood is a common cause", "Bleeding is a common cause")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert WARNING in result.stderr.splitlines()
    assert "Bleeding" in (project / "site/anaemia/causes.html").read_text(encoding="utf-8")
    check = run_build(project, "check")
    assert WARNING in check.stderr.splitlines()

    edit(
        project / CAUSES, "updated: 2026-11-01", "updated: 2026-11-20"
    )  # the editor sets the date: no warning
    assert "since the last commit" not in run_build(project).stderr


def test_a_field_of_the_page_counts_as_text_and_a_review_or_rewrapped_lines_do_not(tmp_path):
    project = committed_project(tmp_path / "project")
    edit(project / "content/anaemia/topic.yaml", "  - It is common.", "  - It is very common.")
    edit(
        project / CAUSES,
        "updated: 2026-11-01\n",
        "updated: 2026-11-01\nreviewed_by: Dr A\nreviewed_on: 2026-11-02\n",
    )
    edit(project / CAUSES, "Not eating enough iron is another", "Not eating enough iron\nis another")
    result = run_build(project, "check")
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "since the last commit" in line]
    assert said == [WARNING.replace("causes.md:4", "topic.yaml:7")]


def test_without_a_repository_or_with_nothing_changed_nothing_is_said(tmp_path):
    loose = make_project(tmp_path / "loose")
    edit(loose / CAUSES, "Losing blood", "Bleeding")
    assert "since the last commit" not in run_build(loose, "check").stderr
    committed = committed_project(tmp_path / "committed")
    assert "since the last commit" not in run_build(committed, "check").stderr
    (committed / "content/anaemia/new.md").write_text(
        "---\ntitle: New\nsummary: New.\nupdated: 2026-11-01\n---\nNew.\n"
    )
    assert (
        "since the last commit" not in run_build(committed, "check").stderr
    )  # a new file has no last commit


def test_a_page_already_dated_today_and_edited_again_gets_no_warning(tmp_path):
    today = date.today().isoformat()
    project = make_project(tmp_path / "project")
    edit(project / CAUSES, "updated: 2026-11-01", f"updated: {today}")
    git(project, "init", "-q")
    git(project, "add", "content")
    git(project, "commit", "-q", "-m", "content")
    edit(project / CAUSES, "Losing blood is a common cause", "Bleeding is a common cause")
    assert "since the last commit" not in run_build(project, "check").stderr
