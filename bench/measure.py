"""One command, timed: wall seconds, CPU seconds of it and its children, and its peak memory.

CPU is user + sys from os.wait4's resource usage: the process's own and that of every child it waited for
(a worker pool's processes are waited for by the build, so they count). Peak memory is each process's own
VmHWM ("high water mark" of its resident set, /proc/<pid>/status), read every POLL seconds from the
process and every descendant while it runs; the largest one is kept. VmHWM rather than wait4's ru_maxrss
because ru_maxrss is carried over fork and exec: a child starts with the high water mark of the process
that forked it (`sleep 0.2` run from a Python holding 200 MB: ru_maxrss 214 MB, VmHWM 2 MB), and of
reaped grandchildren it gives only the largest, without saying which. ru_maxrss is kept beside it as a
check (it also catches a process too short-lived for the poll).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

POLL = 0.02  # seconds between reads of /proc


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the process and its waited-for children
    peak_mb: float  # the largest VmHWM of any process of the command
    maxrss_mb: float  # wait4's ru_maxrss: the largest resident set among the process and its children
    processes: int  # how many processes the poll saw


class CommandFailed(RuntimeError):
    pass


def run_timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timing:
    """Run `command` in `cwd` to its end; fail with its standard error if it exits non-zero."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a left-over child cannot stall us
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
        )
        watcher = PeakWatcher(process.pid)
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        watcher.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace")[-4000:]
            raise CommandFailed(f"{' '.join(command)} exited with {process.returncode}:\n{text}")
    return Timing(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=watcher.peak_kb / 1024,
        maxrss_mb=usage.ru_maxrss / 1024,
        processes=len(watcher.seen),
    )


class PeakWatcher:
    """Reads VmHWM of a process and its descendants in a thread until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self.seen: set[int] = set()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name=f"VmHWM of {pid}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        while True:
            for pid in process_tree(self.pid):
                high_water = vm_hwm_kb(pid)
                if high_water:
                    self.seen.add(pid)
                    self.peak_kb = max(self.peak_kb, high_water)
            if self._done.wait(POLL):
                return


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants, from /proc/<pid>/task/<tid>/children."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children_of(current))
    return found


def children_of(pid: int) -> list[int]:
    children: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return children
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
                children.extend(int(child) for child in listing.read().split())
        except OSError:
            continue
    return children


def vm_hwm_kb(pid: int) -> int:
    """The process's VmHWM in kB; 0 once it has exited (a zombie has no memory lines)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_bytes(folder: Path) -> int:
    """The bytes of every file under `folder`, a file linked twice counted once."""
    if not folder.exists():
        return 0
    seen, total = set(), 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total
