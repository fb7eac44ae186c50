"""No orphans: however `build.py` or `build.py serve` is stopped (Ctrl+C, SIGTERM, SIGKILL), no process it
started is left running, and Ctrl+C or SIGTERM prints no traceback from any of them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projects import REPO, make_project

WAIT_SECONDS = 30  # a bound on waiting, not a speed requirement


def _processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, start time) of every process now."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        found[int(entry.name)] = (int(fields[1]), fields[19])
    return found


def _descendants(root: int) -> set[tuple[int, str]]:
    processes = _processes()
    family, found = {root}, set()
    grew = True
    while grew:
        grew = False
        for pid, (parent, started) in processes.items():
            if parent in family and pid not in family:
                family.add(pid)
                found.add((pid, started))
                grew = True
    return found


def _alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    now = _processes()
    return {(pid, started) for pid, started in processes if pid in now and now[pid][1] == started}


def _start(project: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.Popen(
        [sys.executable, str(project / "build.py"), *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _children_once_started(command: subprocess.Popen) -> set[tuple[int, str]]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        children = _descendants(command.pid)
        if children:
            return children
        if command.poll() is not None:
            break
        time.sleep(0.01)  # polling /proc: the command's children are what is waited for
    raise AssertionError(f"the command started no child process: {command.communicate()}")


def _stop_and_check(command: subprocess.Popen, stop_signal: signal.Signals) -> None:
    children = _children_once_started(command)
    if stop_signal == signal.SIGINT:
        os.killpg(
            command.pid, stop_signal
        )  # as Ctrl+C: the terminal sends it to every process of the command
    else:
        command.send_signal(stop_signal)  # as `kill PID`, or a process manager
    try:
        _, errors = command.communicate(timeout=WAIT_SECONDS)
    finally:
        command.kill()
    deadline = time.monotonic() + WAIT_SECONDS
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _alive(children)
    for pid, _ in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"left running after {stop_signal.name}: {sorted(left)}"
    if stop_signal != signal.SIGKILL:
        assert "Traceback" not in errors, errors


STOPS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]


@pytest.mark.parametrize("stop_signal", STOPS, ids=lambda s: s.name)
def test_a_stopped_build_leaves_no_process_behind(tmp_path, stop_signal):
    project = make_project(
        tmp_path / "project", REPO / "content"
    )  # the real site: a cold build forks a grader
    _stop_and_check(_start(project, "--out", str(tmp_path / "site")), stop_signal)


@pytest.mark.parametrize("stop_signal", STOPS, ids=lambda s: s.name)
def test_a_stopped_preview_leaves_no_process_behind(tmp_path, stop_signal):
    project = make_project(tmp_path / "project")
    _stop_and_check(_start(project, "serve", "--port", "0"), stop_signal)
