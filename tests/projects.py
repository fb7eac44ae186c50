"""Test projects: a copy of build.py, templates and static files beside a content folder, in a temp dir."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from support import REPO, python_env

FIXTURES = REPO / "tests" / "fixtures"
MINIMAL_CONTENT = FIXTURES / "minimal" / "content"
BAD_CASES = sorted(path for path in (FIXTURES / "bad").iterdir() if path.is_dir())


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def make_project(root: Path, content: Path = MINIMAL_CONTENT) -> Path:
    """A project folder whose build.py builds the given content with the real templates and static files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content, root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    shutil.copy2(REPO / "build.py", root / "build.py")
    return root


SECTION_PAGE = """---
title: Part {number}
summary: Part {number} of the guide, in plain words.
updated: 2026-11-01
---
## What to know

Most people feel fine [@nhs-anaemia]. Your doctor can check your blood. A nurse will help you.
Rest when you feel tired. Drink plenty of water. Ask if you do not understand.

## What to do

Eat well each day [@medlineplus-anemia]. Keep a list of your medicines. Call if you are worried.
"""


def make_large_project(root: Path, pages: int) -> Path:
    """The small test project with `pages` more sections in its topic: a build with work for every core."""
    project = make_project(root)
    topic = project / "content" / "anaemia" / "topic.yaml"
    names = [f"part-{number:03}.md" for number in range(pages)]
    for number, name in enumerate(names):
        (project / "content" / "anaemia" / name).write_text(
            SECTION_PAGE.format(number=number), encoding="utf-8"
        )
    listed = "".join(f"  - {name}\n" for name in names)
    topic.write_text(
        topic.read_text(encoding="utf-8").replace("sections:\n", "sections:\n" + listed, 1), encoding="utf-8"
    )
    return project


def overlay(project: Path, case: Path) -> None:
    """Lay a bad-content case's files over the project's."""
    shutil.copytree(case / "content", project / "content", dirs_exist_ok=True)


def run_build(project: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """build.py with these arguments, run in the project as an editor runs it (`env`: python_env()'s)."""
    completed = subprocess.run(
        [sys.executable, str(project / "build.py"), *args],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env or python_env(),
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes, to compare two builds or a site before and after."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
