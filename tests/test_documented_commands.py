"""Every command the README and the editing guide name works as written, in a copy of the repository."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import signal
import site
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from projects import REPO
from support import lines_until, python_env

DOCUMENTS = [REPO / "README.md", REPO / "docs" / "editing.md"]
COMMAND = re.compile(r"^(?:python3?|make|\.venv/bin/python) \S+.*$")  # how a command starts in our docs
PLACEHOLDERS = {"SLUG": "sample", '"Title"': '"Sample"', '"$BASE_URL"': "https://example.org/guide/"}
TIMEOUT = 300  # seconds: a cold build of the shipped site on a busy machine


def documented_commands() -> list[str]:
    """Each command in a code span or a code block of the documents, once, in order."""
    found: list[str] = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        blocks = re.findall(r"```\w*\n(.*?)```", text, flags=re.DOTALL)
        spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
        lines = [line.strip() for block in blocks for line in block.splitlines()] + spans
        found += [line for line in lines if COMMAND.match(line) and line not in found]
    return found


COMMANDS = documented_commands()


def test_the_documents_name_commands_and_no_make():
    assert any(command.startswith("python3 dev.py serve") for command in COMMANDS), COMMANDS
    assert not [command for command in COMMANDS if command.startswith("make ")], "there is no Makefile"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """The repository's files, with a .venv that dev.py finds set up (it uses this environment's packages)
    and the npm tools linked in: nothing is installed, and nothing of the real checkout is touched."""
    root = tmp_path_factory.mktemp("checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in listed:
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    venv = root / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    packages = next(venv.glob("lib/python*/site-packages"))
    (packages / "this-environment.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    stamp = hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()
    (venv / ".installed-for-test.sha256").write_text(stamp + "\n")
    (root / "node_modules").symlink_to((REPO / "node_modules").resolve())
    refusing = root / ".no-installs"
    refusing.mkdir()
    for program in ("npm", "apt-get"):
        (refusing / program).write_text("#!/bin/sh\necho 'the test installs nothing' >&2\nexit 1\n")
        (refusing / program).chmod(0o755)
    return root


def _argv(command: str, root: Path) -> list[str]:
    for placeholder, value in PLACEHOLDERS.items():
        command = command.replace(placeholder, value)
    words = shlex.split(command)
    python = sys.executable if words[0] in ("python", ".venv/bin/python") else "python3"
    if words[1:3] == ["dev.py", "test"] and len(words) == 3:
        words += ["tests/test_strings.py", "-q"]  # the whole suite is not for a test to run
    if _runs_until_stopped(words):
        words += ["--port", "0"]
    return [python, *words[1:]]


def _runs_until_stopped(argv: list[str]) -> bool:
    return argv[2:3] == ["serve"] and "--help" not in argv


def _environment(root: Path) -> dict[str, str]:
    return python_env(root, PATH=f"{root / '.no-installs'}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_documented_command_works(checkout, command):
    argv = _argv(command, checkout)
    if _runs_until_stopped(argv):
        _serve_and_stop(argv, checkout)
        return
    completed = subprocess.run(
        argv,
        cwd=checkout,
        env=_environment(checkout),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, f"{command}\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"


def _serve_and_stop(argv: list[str], root: Path) -> None:
    server = subprocess.Popen(
        argv,
        cwd=root,
        env=_environment(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        lines = lines_until(server.stdout, "Previewing on")
        assert lines and lines[-1].startswith("Previewing on"), "".join(lines) + server.stderr.read()
        url = lines[-1].split()[2]
        with urllib.request.urlopen(url + "leucopenia/") as response:
            assert response.status == 200
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl+C
        _, errors = server.communicate(timeout=60)
    assert server.returncode in (0, 130), errors
    assert "Traceback" not in errors, errors
