"""The publishing workflow: pushes to main are checked, built with the Pages address and published with
GitHub's own Pages actions; pull requests are checked and built, never published; and the build command is
the one README.md tells editors to use."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
README = REPO / "README.md"
PUBLISH_COMMAND = re.compile(r"python3? build\.py --base-url [^`\n]+")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step_using(workflow: dict, job: str, action: str) -> dict:
    found = [step for step in steps(workflow, job) if step.get("uses", "").startswith(action + "@")]
    assert len(found) == 1, f"job {job} should use {action} once"
    return found[0]


def step_running(workflow: dict, job: str, command: str) -> tuple[int, dict]:
    found = [
        (index, step)
        for index, step in enumerate(steps(workflow, job))
        if step.get("run", "").strip().startswith(command)
    ]
    assert len(found) == 1, f"job {job} should run '{command}' once"
    return found[0]


def is_skipped_for_pull_requests(item: dict) -> bool:
    return item.get("if", "").replace(" ", "") == "github.event_name!='pull_request'"


def test_runs_on_pushes_to_main_and_on_pull_requests(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers


def test_publishes_with_githubs_pages_actions_from_the_site_folder(workflow):
    assert step_using(workflow, "build", "actions/configure-pages")["id"] == "pages"
    assert (
        step_using(workflow, "build", "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"
    )
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert step_using(workflow, "deploy", "actions/deploy-pages")["id"] == "deployment"


def test_only_the_deploy_job_may_write_to_pages(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "permissions" not in workflow["jobs"]["build"]


def test_pull_requests_are_checked_and_built_but_not_published(workflow):
    assert is_skipped_for_pull_requests(workflow["jobs"]["deploy"])
    assert is_skipped_for_pull_requests(step_using(workflow, "build", "actions/upload-pages-artifact"))
    for command in ("python build.py check", "python build.py --base-url"):
        _, step = step_running(workflow, "build", command)
        assert "if" not in step, f"'{command}' must run for pull requests too"


def test_the_site_is_checked_and_built_with_the_pages_address_before_it_is_uploaded(workflow):
    check_at, check = step_running(workflow, "build", "python build.py check")
    build_at, build = step_running(workflow, "build", "python build.py --base-url")
    upload_at = steps(workflow, "build").index(step_using(workflow, "build", "actions/upload-pages-artifact"))
    assert check_at < build_at < upload_at
    for step in (check, build):
        assert '"$BASE_URL"' in step["run"]
        assert step["env"]["BASE_URL"].startswith("${{ steps.pages.outputs.base_url ||")


def test_the_generator_is_installed_from_pyproject(workflow):
    _, install = step_running(workflow, "build", "python -m pip install .")
    assert install["run"].strip() == "python -m pip install ."


def test_the_build_command_is_the_one_the_readme_documents(workflow):
    readme = README.read_text(encoding="utf-8") if README.is_file() else ""
    documented = PUBLISH_COMMAND.findall(readme)
    assert documented, (
        "README.md does not say how the site is published: it should give the command "
        "`python build.py --base-url https://<user>.github.io/<repo>/` that the workflow runs"
    )
    _, build = step_running(workflow, "build", "python build.py --base-url")
    workflow_words = shlex.split(build["run"])
    for command in documented:
        readme_words = shlex.split(command.replace("…", "URL"))
        assert readme_words[:-1] == workflow_words[:-1], (
            f"README says `{command}`, the workflow `{build['run']}`"
        )


def test_the_editors_report_goes_to_the_runs_summary_even_when_a_check_fails(workflow):
    _, report = step_running(workflow, "build", "python build.py report")
    assert report["run"].strip() == 'python build.py report --format markdown >> "$GITHUB_STEP_SUMMARY"'
    assert report["if"] == "${{ !cancelled() }}"
