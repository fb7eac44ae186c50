#!/usr/bin/env python3
"""Where a build's time goes: each stage's wall time, and each process's CPU. The benchmark (run.py) says how
fast a build is against the floor; this says which part to work on.

    .venv/bin/python bench/stages.py PROJECT [--cold] [--edit FILE]

--cold removes PROJECT's cache and site first. --edit FILE (under PROJECT) builds once as it is, then adds a
sentence to FILE and measures the build after that one edit, as run.py's "one page edited" does; the file is
put back after. Two builds are measured, each the same way:
1. `build.py --quiet` run as a command: every process it starts (workers, the grader) with its CPU seconds
   and when it ran, from /proc/<pid>/stat, polled every POLL seconds;
2. the same build in this process, with the wall time of each stage of patientsite/pipeline.py.
Run it on a quiet machine: the figures are single runs, not the benchmark's medians.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import process_tree
from bench.tools import compile_our_code, our_env

POLL = 0.01  # seconds
EDIT = "\n\nThis sentence was added to see where the time of one edit goes.\n"
TICKS = os.sysconf("SC_CLK_TCK")
# What the stage timers wrap: (module, name in it), in the order the pipeline calls them. Pages are rendered
# as write_site takes them, so its time holds rendering, the search index (also timed alone) and the wait
# for the grades; work done in workers counts there as the wait for it.
STAGES = [
    ("patientsite.engine.cache", "_read"),  # a store's file, read when the build first asks for the store
    ("patientsite.pipeline", "_content_key"),
    ("patientsite.pipeline", "load_content"),
    ("patientsite.content.validate", "validate_content"),
    ("patientsite.pipeline", "check_updated_dates"),
    ("patientsite.pipeline", "_convert_texts"),
    ("patientsite.pipeline", "check_links"),
    ("patientsite.pipeline", "pages_to_grade"),
    ("patientsite.pipeline", "grade_texts"),
    ("patientsite.pipeline", "template_environment"),
    ("patientsite.render.units", "search_index_file"),
    ("patientsite.pipeline", "check_readability"),
    ("patientsite.pipeline", "write_site"),
    ("patientsite.engine.cache", "BuildCache.save"),
]


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    project = args.project.resolve()
    compile_our_code(sys.executable)
    edited = project / args.edit if args.edit else None
    original = edited.read_text(encoding="utf-8") if edited else None
    for label, measure in (("processes of build.py", _processes), ("stages, in this process", _stages)):
        if args.cold:
            for made in (".build-cache", "site"):
                shutil.rmtree(project / made, ignore_errors=True)
        if edited:
            subprocess.run(_command(project), cwd=project, env=our_env(), check=True)  # the cache warm
            edited.write_text(original + EDIT, encoding="utf-8")
        try:
            print(f"{label}:")
            measure(project)
        finally:
            if edited:
                edited.write_text(original, encoding="utf-8")
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--cold", action="store_true", help="remove the cache and the site first")
    parser.add_argument("--edit", metavar="FILE", help="measure the build after adding a sentence to FILE")
    return parser.parse_args(argv)


def _command(project: Path) -> list[str]:
    return [sys.executable, str(project / "build.py"), "--quiet"]


def _processes(project: Path) -> None:
    """Each process of one build.py run: when it ran (seconds from the start) and its CPU seconds."""
    started = time.monotonic()
    process = subprocess.Popen(_command(project), cwd=project, env=our_env())
    seen: dict[int, tuple[int, float, float, float]] = {}  # pid → parent, first seen, last seen, CPU
    while process.poll() is None:
        now = time.monotonic() - started
        for pid in process_tree(process.pid):
            stat = _stat(pid)
            if stat is not None:
                parent, cpu = stat
                seen[pid] = (parent, seen.get(pid, (0, now))[1], now, cpu)
        time.sleep(POLL)
    wall = time.monotonic() - started
    for pid, (parent, first, last, cpu) in sorted(seen.items(), key=lambda item: item[1][1]):
        role = "build.py" if pid == process.pid else f"child of {parent}"
        print(f"  {pid:>7} {role:16} {first:6.2f}–{last:6.2f} s  CPU {cpu:6.2f} s")
    print(f"  wall {wall:.2f} s, CPU {sum(cpu for *_, cpu in seen.values()):.2f} s (as last seen)")


def _stat(pid: int) -> tuple[int, float] | None:
    """A process's parent and CPU seconds (user + system) from /proc/<pid>/stat; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            fields = file.read().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _stages(project: Path) -> None:
    """The build build.py runs, in this process, each stage timed (a stage inside another counts in both)."""
    from patientsite.engine.cache import BuildCache
    from patientsite.pipeline import build_site
    from patientsite.project import Project

    spent: dict[str, list[float]] = {}
    for module, name in STAGES:
        _time_calls(module, name, spent)
    started = time.perf_counter()
    build_site(Project(project), project / "site", None, BuildCache.for_project(project))
    wall = time.perf_counter() - started
    for name, calls in spent.items():
        print(
            f"  {name:24} {1000 * sum(calls):8.1f} ms" + (f" ({len(calls)} calls)" if len(calls) > 1 else "")
        )
    print(f"  whole build {1000 * wall:8.1f} ms")


def _time_calls(module: str, name: str, spent: dict[str, list[float]]) -> None:
    """Replace `name` in `module` (a function, or Class.method) by one that adds each call's seconds."""
    owner: object = __import__(module, fromlist=["_"])
    *path, attribute = name.split(".")
    for part in path:
        owner = getattr(owner, part)
    real: Callable = getattr(owner, attribute)

    @functools.wraps(real)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent.setdefault(name, []).append(time.perf_counter() - started)

    setattr(owner, attribute, timed)


if __name__ == "__main__":
    raise SystemExit(main())
