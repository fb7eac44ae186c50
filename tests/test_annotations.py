"""Annotations: run by GitHub Actions, check and the build print each problem as a workflow command, in the
format GitHub documents, and a failed one lists its problems in the run's summary."""

from pathlib import Path

from projects import FIXTURES, make_project, overlay, run_build
from support import python_env

from patientsite.commands.annotations import annotation, folder_in_repository, in_github_actions
from patientsite.problems import Problem

TABLE_CASE = FIXTURES / "bad" / "table-separator-row-with-wrong-cells"
TAG_CASE = FIXTURES / "bad" / "python-tag"


def run_in_actions(project: Path, *args: str, summary: Path | None = None, **environ: str):
    env = python_env(GITHUB_ACTIONS="true")
    for name in ("GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"):
        env.pop(name, None)
    env.update(environ)
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return run_build(project, *args, env=env)


def annotations_in(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("::")]


def test_properties_and_message_are_escaped_as_github_documents():
    """Property values: % CR LF : , ; the message: % CR LF (GitHub's workflow-command format)."""
    problem = Problem("content/a,b:c.md", 7, "terms.also", "50% of\r\nreaders: stop", "fix it, then: go")
    assert annotation(problem) == (
        "::error file=content/a%2Cb%3Ac.md,line=7,title=Content problem%3A terms.also"
        "::50%25 of%0D%0Areaders: stop — fix it, then: go"
    )
    warning = Problem("content/x.md", 3, "updated", "changed", "set it", is_warning=True)
    assert annotation(warning, "site-source") == (
        "::warning file=site-source/content/x.md,line=3,title=Content warning%3A updated::changed — set it"
    )


def test_only_github_actions_turns_annotations_on(tmp_path):
    assert in_github_actions({"GITHUB_ACTIONS": "true"})
    assert not in_github_actions({}) and not in_github_actions({"GITHUB_ACTIONS": "false"})
    project = tmp_path / "repo" / "guide"
    project.mkdir(parents=True)
    assert folder_in_repository(project, {"GITHUB_WORKSPACE": str(tmp_path / "repo")}) == "guide"
    assert folder_in_repository(project, {"GITHUB_WORKSPACE": str(project)}) == ""
    assert folder_in_repository(project, {"GITHUB_WORKSPACE": str(tmp_path / "elsewhere")}) == ""


def test_a_broken_file_is_annotated_on_its_line_and_listed_in_the_summary(tmp_path):
    """A failed 'Check the content' once showed file:line only in its log, and left the run's summary
    empty."""
    project = make_project(tmp_path / "project")
    overlay(project, TABLE_CASE)
    overlay(project, TAG_CASE)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")

    result = run_in_actions(project, "check", summary=summary)

    assert result.returncode == 1
    assert annotations_in(result.stdout) == [
        (
            "::error file=content/anaemia/causes.md,line=12,title=Content problem%3A table::the table's "
            "separator row has 3 cells, but the row above it has 2 cells — a table needs a blank line above "
            "it, its first row, straight under that a separator row with one --- for each column "
            "(| --- | --- | for two), then its rows; or write the text without |"
        ),
        (
            "::error file=content/anaemia/glossary.yaml,line=6,title=Content problem%3A YAML::uses the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system', which is not allowed — remove the '!!…' or "
            "'!…' tag and write a plain value; text that starts with ! must be in quotes"
        ),
    ]
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## The content has 2 problems: nothing was built\n")  # appended
    assert (
        "- `content/anaemia/causes.md:12` table: the table's separator row has 3 cells, but the row above it "
        "has 2 cells — a table needs a blank line above it, its first row, straight under that a separator "
        "row with one --- for each column (\\| --- \\| --- \\| for two), then its rows; or write the text "
        "without \\|"
    ) in written.splitlines()
    assert "- `content/anaemia/glossary.yaml:6` YAML: uses the tag" in written
    assert "content/anaemia/causes.md:12: table:" in result.stderr  # the log keeps its lines too

    build = run_in_actions(project, summary=summary, GITHUB_WORKSPACE=str(tmp_path))
    assert build.returncode == 1
    assert [line.split("::")[1] for line in annotations_in(build.stdout)] == [
        "error file=project/content/anaemia/causes.md,line=12,title=Content problem%3A table",
        "error file=project/content/anaemia/glossary.yaml,line=6,title=Content problem%3A YAML",
    ]
    assert summary.read_text(encoding="utf-8").count("## The content has 2 problems") == 2


def test_check_annotates_warnings_and_a_good_build_adds_nothing_to_the_summary(tmp_path):
    project = make_project(tmp_path / "project")  # the minimal site has one warning: a term no page uses
    summary = tmp_path / "summary.md"
    check = run_in_actions(project, "check", summary=summary)
    assert check.returncode == 0, check.stderr
    assert annotations_in(check.stdout) == [
        (
            "::warning file=content/anaemia/glossary.yaml,line=6,title=Content warning%3A "
            "terms.term::'Haemoglobin' is used on no page — use the word where it helps a reader, add the "
            "form the pages use to its 'also' list, or delete the term"
        )
    ]
    build = run_in_actions(project, summary=summary)
    assert build.returncode == 0
    assert annotations_in(build.stdout) == []  # check, which runs first, has annotated the warning once
    assert not summary.exists()


def test_outside_github_actions_nothing_is_annotated(tmp_path):
    project = make_project(tmp_path / "project")
    overlay(project, TABLE_CASE)
    summary = tmp_path / "summary.md"
    result = run_in_actions(project, "check", summary=summary, GITHUB_ACTIONS="")
    assert result.returncode == 1
    assert annotations_in(result.stdout) == [] and not summary.exists()
