#!/usr/bin/env python3
"""The newcomer's two commands, each setting up what it needs first.

    python3 dev.py serve [build.py serve options]   preview the site with live reload
    python3 dev.py test [pytest arguments]          run the whole test suite

Set-up is idempotent and skipped when nothing changed: `.venv` with, for `serve`, only what the preview needs
(the project's dependencies), for `test` the project itself and its test tools (`pip install -e '.[test]'`),
each again only when pyproject.toml changes; and for `test` the programs the browser tests drive (Chromium,
Java, Node.js and npm) and the npm test tools (again only when package-lock.json changes). Set-up is quiet:
one line says what it does, pip's output goes to .venv/setup.log, whose end is shown if it fails.
Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
PYPROJECT = ROOT / "pyproject.toml"
SETUP_LOG = VENV / "setup.log"
LOG_LINES_SHOWN = 30
NODE_MODULES = ROOT / "node_modules"
PACKAGE_LOCK = ROOT / "package-lock.json"
PACKAGE_LOCK_STAMP = NODE_MODULES / ".package-lock.sha256"

PIP_QUIETLY = ["--disable-pip-version-check", "--no-input"]
PURPOSES = {"serve": "the preview", "test": "the tests"}

# program the tests run -> Debian package that provides it
SYSTEM_PROGRAMS = {
    "chromium": "chromium",
    "java": "default-jre-headless",
    "node": "nodejs",
    "npm": "npm",
}

USAGE = """usage: python3 dev.py serve [build.py serve options]
       python3 dev.py test [pytest arguments]"""

HELP = {
    "serve": """usage: python3 dev.py serve [--host HOST] [--port PORT] [--open] [--base-url URL]

Builds the site and previews it on http://127.0.0.1:8000, rebuilt each time you save a file.
  --host HOST      address to listen on (default 127.0.0.1); the preview answers only at this address
  --port PORT      port (default 8000)
  --open           open the site in a browser
  --base-url URL   the published address, for canonical links
First run: makes .venv and installs what the preview needs (about a minute).""",
    "test": """usage: python3 dev.py test [pytest arguments]

Runs the test suite (pytest), e.g. `python3 dev.py test tests/test_build.py -x -q`.
First run: makes .venv and installs the project with its test tools; Chromium, Java and Node.js with
apt-get when run as root on Debian or Ubuntu; then the npm test tools.""",
}

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


def run_quietly(command: list[str | Path]) -> None:
    """Run a set-up step with its output in the set-up log; show the log's end only if it fails."""
    with SETUP_LOG.open("a", encoding="utf-8") as log:
        log.write("$ " + " ".join(str(part) for part in command) + "\n")
        log.flush()
        completed = subprocess.run(command, cwd=ROOT, check=False, stdout=log, stderr=subprocess.STDOUT)
    if completed.returncode != 0:
        print(file=sys.stderr)
        lines = SETUP_LOG.read_text(encoding="utf-8", errors="replace").splitlines()
        print("\n".join(lines[-LOG_LINES_SHOWN:]), file=sys.stderr)
        stop(f"set-up failed (exit code {completed.returncode}); the whole output is in {_shown(SETUP_LOG)}")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_current(stamp: Path, source: Path) -> bool:
    return stamp.is_file() and stamp.read_text().strip() == file_hash(source)


def install_stamp(command: str) -> Path:
    return VENV / f".installed-for-{command}.sha256"


def is_installed(command: str) -> bool:
    """What the command needs is installed for this pyproject.toml (what `test` installs covers `serve`)."""
    covering = [command, "test"] if command == "serve" else [command]
    return any(is_current(install_stamp(name), PYPROJECT) for name in covering)


def ensure_venv(command: str) -> None:
    """.venv with what `command` needs; one progress line, the rest in the set-up log."""
    if VENV_PYTHON.exists() and is_installed(command):
        return
    purpose = PURPOSES[command]
    started = time.monotonic()
    print(
        f"dev: setting up {purpose} in {VENV.name}/ (first run, or pyproject.toml changed; "
        f"log: {_shown(SETUP_LOG)}) …",
        end="",
        flush=True,
    )
    if not VENV_PYTHON.exists():
        VENV.mkdir(exist_ok=True)  # for the log
        run_quietly([sys.executable, "-m", "venv", VENV])
    run_quietly([VENV_PYTHON, "-m", "pip", "install", *PIP_QUIETLY, *pip_requirements(command)])
    install_stamp(command).write_text(file_hash(PYPROJECT) + "\n")
    print(f" done in {time.monotonic() - started:.0f} s", flush=True)


def pip_requirements(command: str) -> list[str]:
    """What pip installs for a command. The preview needs only the project's dependencies: build.py runs from
    this folder and finds the engine beside it, and building the project as a package would take a third of
    the set-up. The tests use the project installed, with its test tools."""
    if command == "test":
        return ["-e", ".[test]"]
    with PYPROJECT.open("rb") as stream:
        return tomllib.load(stream)["project"]["dependencies"]


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


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
    """Run the command as if typed: Ctrl+C reaches it from the terminal and it stops itself (cleaning up);
    this process only waits, and passes on a SIGTERM."""
    child = subprocess.Popen(command, cwd=ROOT)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signal.SIGTERM))
    try:
        return child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


def serve(arguments: list[str]) -> int:
    ensure_venv("serve")
    return hand_over([VENV_PYTHON, "build.py", "serve", *arguments])


def test(arguments: list[str]) -> int:
    ensure_venv("test")
    ensure_system_programs()
    ensure_node_modules()
    exit_code = hand_over([VENV_PYTHON, "-m", "pytest", *arguments])
    if exit_code == PYTEST_NO_TESTS:
        say("pytest collected no tests: that counts as a failure")
    return exit_code


COMMANDS = {"serve": serve, "test": test}


def asks_for_help(argv: list[str]) -> bool:
    """`serve` with -h or --help among its options, or `test --help` (other pytest arguments go to pytest)."""
    if argv[0] == "serve":
        return bool({"-h", "--help"} & set(argv[1:]))
    return argv[1:] == ["--help"]


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if not argv or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 2
    if asks_for_help(argv):
        print(HELP[argv[0]])  # before any set-up: asking how to use it installs nothing
        return 0
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl+C during set-up: the next run starts it again
        print("\ndev: stopped", file=sys.stderr)
        sys.exit(130)
