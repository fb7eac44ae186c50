"""Style: the code is formatted as `ruff format` writes it and passes `ruff check` (pyproject.toml's rules:
pyflakes, pycodestyle with its 110-character lines, sorted imports), so a change never mixes its own lines
with a reformatting of others, and CI says so before a reviewer has to."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import REPO

CHECKED = ["patientsite", "tests", "bench", "build.py", "dev.py"]  # pyproject.toml leaves out tests/fixtures


def ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, *CHECKED],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    "arguments",
    [("format", "--check"), ("check", "--no-fix", "--output-format", "concise")],
    ids=["ruff format --check", "ruff check"],
)
def test_the_code_is_formatted_and_passes_the_linter(arguments: tuple[str, ...]) -> None:
    result = ruff(*arguments)
    assert result.returncode == 0, f"ruff {' '.join(arguments)} found:\n{result.stdout}{result.stderr}"
