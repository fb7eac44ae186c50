"""No orphans: however `build.py` or `build.py serve` is stopped (Ctrl+C, SIGTERM, SIGKILL), no process it
started is left running, and Ctrl+C or SIGTERM prints no traceback from any of them.

Each command runs in a session of its own, so that every process it forks, and every process those fork, is
in that session even after its parent is gone and the system has adopted it (parent PID 1). A build is
stopped while its helper processes are at work (a cold build of many pages, so it forks them); the preview
once it says where it is listening. Ctrl+C goes to every process of the command, as a terminal sends it;
SIGTERM and SIGKILL go to the command alone, as `kill PID` sends them: its helpers must notice by themselves.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from projects import make_large_project, make_project
from support import python_env

WAIT_SECONDS = 60  # a bound on waiting, not a speed requirement
NUL = "\0"  # what separates the words of /proc/PID/cmdline
PAGES = 150  # enough pages that a cold build hands its work to helper processes


@dataclass(frozen=True)
class Process:
    pid: int
    started: int  # clock ticks after boot: with the pid, names one process even if its pid is reused
    parent: int
    session: int
    command_line: bytes


def processes() -> dict[int, Process]:
    """Every running process now (a zombie has ended: it is not running, only not yet waited for)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            command_line = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        if fields[0] != "Z":
            pid = int(entry.name)
            found[pid] = Process(pid, int(fields[19]), int(fields[1]), int(fields[3]), command_line)
    return found


def family(command: subprocess.Popen, known: set[Process] = frozenset()) -> set[Process]:
    """The processes the command started that run now: those of its session, its descendants (in case one
    left the session), and those in `known` that still run."""
    now = processes()
    found = {process for process in now.values() if process.session == command.pid}
    found |= {process for process in known if now.get(process.pid) == process}
    grew = True
    while grew:
        pids = {process.pid for process in found} | {command.pid}
        more = {process for process in now.values() if process.parent in pids} - found
        found |= more
        grew = bool(more)
    return {process for process in found if process.pid != command.pid}


@dataclass
class Started:
    command: subprocess.Popen
    stdout: Path
    stderr: Path
    seen: set[Process]  # every process of the command's seen while it ran

    def output(self) -> str:
        return self.stdout.read_text(encoding="utf-8") + self.stderr.read_text(encoding="utf-8")


def start(folder: Path, project: Path, *args: str) -> Started:
    """build.py in a session of its own, its output in files (read while it runs, never a full pipe)."""
    stdout, stderr = folder / "stdout.txt", folder / "stderr.txt"
    with stdout.open("w", encoding="utf-8") as out, stderr.open("w", encoding="utf-8") as errors:
        command = subprocess.Popen(
            [sys.executable, str(project / "build.py"), *args],
            cwd=project,
            env=python_env(),
            stdout=out,
            stderr=errors,
            start_new_session=True,
        )
    return Started(command, stdout, stderr, set())


def wait_until(started: Started, reached: Callable[[set[Process]], bool], moment: str) -> None:
    """Poll /proc until the command reaches the moment (told its processes); fail if it ends first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        running = family(started.command)
        started.seen |= running
        if reached(running):
            return
        if started.command.poll() is not None:
            raise AssertionError(f"the command ended before {moment}:\n{started.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the command did not reach {moment} in {WAIT_SECONDS} s:\n{started.output()}"
            )
        time.sleep(0.005)  # polling: what is waited for is the command's own progress, checked each time


def forked_helpers(command: subprocess.Popen) -> Callable[[set[Process]], bool]:
    """Whether two or more processes forked by the command itself (its command line, not a program it ran
    such as git) are running: the build's helpers at work, well before its end."""
    own_line = b"".join(os.fsencode(word) + b"\0" for word in command.args)  # as /proc/PID/cmdline has it
    last: list[set[Process]] = [set()]

    def at_work(running: set[Process]) -> bool:
        helpers = {p for p in running if p.command_line == own_line and p.parent == command.pid}
        # The same helpers as at the last look: none is being forked right now. (A Ctrl+C that lands during
        # a fork is lost in the parent, with a traceback: a race of its own, not what this test is about.)
        settled, last[0] = helpers == last[0], helpers
        return settled and len(helpers) >= 2

    return at_work


def listening(started: Started) -> Callable[[set[Process]], bool]:
    return lambda running: "Previewing on" in started.stdout.read_text(encoding="utf-8")


def stop_and_check(started: Started, stop_signal: signal.Signals) -> None:
    command = started.command
    # An ended command not yet waited for still takes a signal without complaint: ask whether it has ended.
    assert command.poll() is None, f"the command ended before it could be stopped:\n{started.output()}"
    if stop_signal == signal.SIGINT:
        os.killpg(
            command.pid, stop_signal
        )  # as Ctrl+C: the terminal sends it to every process of the command
    else:
        command.send_signal(stop_signal)  # as `kill PID`, or a process manager
    try:
        command.wait(timeout=WAIT_SECONDS)
    finally:
        command.kill()
    deadline = time.monotonic() + WAIT_SECONDS
    while (left := family(command, started.seen)) and time.monotonic() < deadline:
        time.sleep(0.05)  # polling: the helpers' own ending is what is waited for
    for process in left:
        os.kill(process.pid, signal.SIGKILL)
    described = [f"{p.pid} (parent {p.parent}): {' '.join(p.command_line.decode().split(NUL))}" for p in left]
    assert not left, f"left running {WAIT_SECONDS} s after {stop_signal.name}: {described}"
    if stop_signal != signal.SIGKILL:
        assert command.returncode >= 0, (
            f"{stop_signal.name} ended the command as SIGKILL would, not through its own handler:\n"
            + started.output()
        )
        assert "Traceback" not in started.output(), started.output()


STOPS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]


@pytest.mark.parametrize("stop_signal", STOPS, ids=lambda s: s.name)
def test_a_build_stopped_while_its_helpers_work_leaves_no_process_behind(tmp_path, stop_signal):
    project = make_large_project(tmp_path / "project", PAGES)  # cold: no cache yet, every page to make
    started = start(tmp_path, project, "--out", str(tmp_path / "site"))
    wait_until(started, forked_helpers(started.command), "its helper processes at work")
    stop_and_check(started, stop_signal)


@pytest.mark.parametrize("stop_signal", STOPS, ids=lambda s: s.name)
def test_a_stopped_preview_leaves_no_process_behind(tmp_path, stop_signal):
    project = make_project(tmp_path / "project")
    started = start(tmp_path, project, "serve", "--port", "0")
    wait_until(started, listening(started), "'Previewing on'")
    stop_and_check(started, stop_signal)
