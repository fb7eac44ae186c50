#!/usr/bin/env python3
"""The newcomer's two commands, each setting up what it needs first.

    python3 dev.py serve [build.py serve options]   preview the site with live reload
    python3 dev.py test [pytest arguments]          run the whole test suite

Set-up is idempotent and skipped when nothing changed: `.venv` with the project installed
(`pip install -e '.[test]'`, again only when pyproject.toml changes), and for `test` the programs the
browser tests drive (Chromium, Java, Node.js and npm) and the npm test tools (again only when
package-lock.json changes). Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
PYPROJECT = ROOT / "pyproject.toml"
PYPROJECT_STAMP = VENV / ".pyproject.sha256"
NODE_MODULES = ROOT / "node_modules"
PACKAGE_LOCK = ROOT / "package-lock.json"
PACKAGE_LOCK_STAMP = NODE_MODULES / ".package-lock.sha256"

# program the tests run -> Debian package that provides it
SYSTEM_PROGRAMS = {
    "chromium": "chromium",
    "java": "default-jre-headless",
    "node": "nodejs",
    "npm": "npm",
}

USAGE = """usage: python3 dev.py serve [build.py serve options]
       python3 dev.py test [pytest arguments]"""

PYTEST_NO_TESTS = 5


def say(message: str) -> None:
    print(f"dev: {message}", flush=True)


def stop(message: str) -> None:
    print(f"dev: error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def run(command: list[str | Path]) -> None:
    say("$ " + " ".join(str(part) for part in command))
    completed = subprocess.run(command, cwd=ROOT, check=False)
    if completed.returncode != 0:
        stop(f"that command failed with exit code {completed.returncode}")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_current(stamp: Path, source: Path) -> bool:
    return stamp.is_file() and stamp.read_text().strip() == file_hash(source)


def ensure_venv() -> None:
    if not VENV_PYTHON.exists():
        say(f"creating the virtual environment in {VENV.name}/")
        run([sys.executable, "-m", "venv", VENV])
    if is_current(PYPROJECT_STAMP, PYPROJECT):
        say("Python packages are up to date")
        return
    say("installing the project and its test tools (pyproject.toml is new or changed)")
    run([VENV_PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-e", ".[test]"])
    PYPROJECT_STAMP.write_text(file_hash(PYPROJECT) + "\n")


def missing_programs() -> list[str]:
    return [program for program in SYSTEM_PROGRAMS if shutil.which(program) is None]


def can_use_apt() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(packages: list[str]) -> None:
    os.environ["DEBIAN_FRONTEND"] = "noninteractive"
    run(["apt-get", "update"])
    run(["apt-get", "install", "-y", *packages])


def ensure_system_programs() -> None:
    missing = missing_programs()
    if not missing:
        say("Chromium, Java, Node.js and npm are installed")
        return
    packages = sorted({SYSTEM_PROGRAMS[program] for program in missing})
    if not can_use_apt():
        stop(
            f"missing program(s): {', '.join(missing)}. "
            f"Install with: sudo apt-get update && sudo apt-get install -y {' '.join(packages)}"
        )
    say(f"installing missing program(s) {', '.join(missing)} with apt-get")
    apt_install(packages)
    still_missing = missing_programs()
    if still_missing:
        stop(f"still missing after apt-get install: {', '.join(still_missing)}")


def ensure_node_modules() -> None:
    if NODE_MODULES.is_dir() and is_current(PACKAGE_LOCK_STAMP, PACKAGE_LOCK):
        say("npm test tools are up to date")
        return
    say("installing the npm test tools (package-lock.json is new or changed)")
    # --ignore-scripts: vnu-jar's install script would download a JDK; we run it on the system Java.
    run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"])
    PACKAGE_LOCK_STAMP.write_text(file_hash(PACKAGE_LOCK) + "\n")


def hand_over(command: list[str | Path]) -> int:
    say("$ " + " ".join(str(part) for part in command))
    try:
        return subprocess.run(command, cwd=ROOT, check=False).returncode
    except KeyboardInterrupt:
        return 130


def serve(arguments: list[str]) -> int:
    ensure_venv()
    return hand_over([VENV_PYTHON, "build.py", "serve", *arguments])


def test(arguments: list[str]) -> int:
    ensure_venv()
    ensure_system_programs()
    ensure_node_modules()
    exit_code = hand_over([VENV_PYTHON, "-m", "pytest", *arguments])
    if exit_code == PYTEST_NO_TESTS:
        say("pytest collected no tests: that counts as a failure")
    return exit_code


COMMANDS = {"serve": serve, "test": test}


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if not argv or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
