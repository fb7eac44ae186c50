"""Annotations: problems as GitHub Actions sees them, on the changed line of a pull request and
in the summary.

Run by GitHub Actions (GITHUB_ACTIONS=true), the command prints each problem as a workflow command as well
(`::error file=…,line=…,title=…::…`, a warning as `::warning`), which GitHub shows on the line of the file it
names; and when the content has errors it adds them to the run's summary (the file $GITHUB_STEP_SUMMARY), so
that a failed check says what failed where an editor looks first. Files are named from the repository's root.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from patientsite.problems import Problem

SUMMARY_INTRO = (
    "Fix them from the top: one mistake can hide the next. Each says the file and line, what is "
    "wrong, and after the dash how to fix it."
)


def in_github_actions(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def annotation(problem: Problem, folder: str = "") -> str:
    """The workflow command for a problem; `folder` is where the project is in the repository
    ('' at its root)."""
    command = "warning" if problem.is_warning else "error"
    title = f"Content {'warning' if problem.is_warning else 'problem'}: {problem.field}"
    file = f"{folder}/{problem.file}" if folder else problem.file
    properties = ",".join(
        f"{name}={_property(value)}"
        for name, value in (("file", file), ("line", str(problem.line)), ("title", title))
    )
    return f"::{command} {properties}::{_message(f'{problem.message} — {problem.hint}')}"


def folder_in_repository(project_root: Path, environ: Mapping[str, str] = os.environ) -> str:
    """Where the project is inside the checked-out repository (GITHUB_WORKSPACE): '' at its root."""
    workspace = environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        folder = project_root.resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if folder == "." else folder


def summary(errors: list[Problem], warnings: list[Problem]) -> str:
    """Markdown for the run's summary: every problem of a build that failed, errors first."""
    count = f"{len(errors)} problem" + ("" if len(errors) == 1 else "s")
    lines = [f"## The content has {count}: nothing was built", "", SUMMARY_INTRO, ""]
    lines.extend(f"- {_summary_line(problem)}" for problem in errors + warnings)
    return "\n".join(lines) + "\n"


def _summary_line(problem: Problem) -> str:
    label = "warning: " if problem.is_warning else ""
    text = f"{label}{problem.field}: {problem.message} — {problem.hint}".replace("\\", "\\\\")
    for character in "`*_[]<>|":
        text = text.replace(character, "\\" + character)
    return f"`{problem.file}:{problem.line}` {' '.join(text.split())}"


def _message(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value: a message's, and ':' and ','."""
    return _message(text).replace(":", "%3A").replace(",", "%2C")
