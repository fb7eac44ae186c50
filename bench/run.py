#!/usr/bin/env python3
"""Benchmark: how fast the editors' loop is, against the floor and, where installed, MkDocs and Pelican.

    python bench/run.py [--pages 100 1000] [--repeat 3] [--edits 7] [--work DIR]

For each size N it makes a synthetic site (bench/synthetic.py: ~1,200 plain words a page) and measures, as
medians of --repeat runs, each in a fresh process as an editor runs it, in rounds (each tool once a round, so
that a shared machine slowing down or speeding up touches every figure alike):

  (a) cold build    `build.py` with no .build-cache/ and no output folder
  (b) warm build    `build.py` again, nothing changed
  (c) save to page  in the preview server (`build.py serve`'s code, in this process): one section edited,
                    time from the file written to its rebuilt page written (median of --edits saves)
  (d) peak memory   the largest resident size of any process of a cold build (workers share the parent's
                    memory, being forked)
  (e) floor         bench/floor.py: read, PyYAML front matter, Python-Markdown, one Jinja template, write
  and MkDocs and Pelican on the same pages, when installed in this Python's environment.

Validation, link checks and the readability gate run in every build; nothing is switched off. Run it in a
virtualenv of its own, on a quiet machine: `python -m venv /tmp/bench-venv`, then
`/tmp/bench-venv/bin/pip install -e . mkdocs pelican`, then `/tmp/bench-venv/bin/python bench/run.py`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synthetic import make_site
from patientsite.pipeline import Project
from patientsite.preview.serve import running_preview
from patientsite.preview.state import Outcome

EDITED = "topic-0000/section-03.md"
TARGETS = {"cold": 1.0, "warm": 0.15}  # as a ratio to the floor


@dataclass
class Figures:
    pages: int
    seconds: dict[str, list[float]] = field(default_factory=dict)
    peak_mb: float = 0.0
    save_to_page: list[float] = field(default_factory=list)

    def median(self, name: str) -> float | None:
        runs = self.seconds.get(name)
        return statistics.median(runs) if runs else None


def main() -> int:
    args = _parse()
    work = Path(args.work or tempfile.mkdtemp(prefix="patientsite-bench-"))
    print(f"load before: {_load()}", flush=True)
    results = [measure(pages, work / f"site-{pages}", args.repeat, args.edits) for pages in args.pages]
    print(f"load after: {_load()}\n")
    print(table(results))
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = large.median("cold") / small.median("cold")
        print(
            f"\ncold build growth from {small.pages} to {large.pages} pages: {growth:.2f}x "
            f"for {large.pages / small.pages:.0f}x the pages ({'linear or better' if growth <= large.pages / small.pages else 'worse than linear'})"
        )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def measure(pages: int, root: Path, repeat: int, edits: int) -> Figures:
    print(f"\n{pages} pages: making the site in {root}", flush=True)
    project = make_site(root, pages, REPO)
    shutil.copy2(REPO / "build.py", project / "build.py")
    figures = Figures(pages)
    others = _others(project, root)
    for run in range(repeat):  # in rounds, each tool once a round: a machine that slows down slows all alike
        shutil.rmtree(project / ".build-cache", ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)
        seconds, peak = _timed([sys.executable, str(project / "build.py"), "--quiet"], project)
        figures.seconds.setdefault("cold", []).append(seconds)
        figures.peak_mb = max(figures.peak_mb, peak)
        _say(pages, f"cold build {run + 1}: {seconds:.2f} s, peak {peak:.0f} MB")
        seconds, _ = _timed([sys.executable, str(project / "build.py"), "--quiet"], project)
        figures.seconds.setdefault("warm", []).append(seconds)
        _say(pages, f"warm build {run + 1}: {seconds:.2f} s")
        out = root / "floor-out"
        shutil.rmtree(out, ignore_errors=True)
        seconds, _ = _timed(
            [sys.executable, str(REPO / "bench" / "floor.py"), str(project), str(out)], project
        )
        figures.seconds.setdefault("floor", []).append(seconds)
        _say(pages, f"floor {run + 1}: {seconds:.2f} s")
        for name, command in others.items():
            seconds, _ = _timed(command, root)
            figures.seconds.setdefault(name, []).append(seconds)
            _say(pages, f"{name} {run + 1}: {seconds:.2f} s")
    rounds = [
        cold / floor for cold, floor in zip(figures.seconds["cold"], figures.seconds["floor"], strict=True)
    ]
    _say(pages, "cold build ÷ floor, round by round: " + ", ".join(f"{ratio:.2f}" for ratio in rounds))
    figures.save_to_page = _save_to_page(project, edits)
    return figures


def _save_to_page(project: Path, edits: int) -> list[float]:
    """Edit one section `edits` times in a running preview; the time from each save to its page written."""
    outcomes: list[tuple[float, str, Outcome]] = []
    settled = threading.Event()

    def report(what: str, outcome: Outcome) -> None:
        outcomes.append((time.perf_counter(), what, outcome))
        if what == "rebuilt":
            settled.set()

    path = project / "content" / EDITED
    original = path.read_text(encoding="utf-8")
    delays = []
    with running_preview(Project(project), report=report):
        for edit in range(edits):
            settled.clear()
            saved = time.perf_counter()
            path.write_text(
                original + f"\nThis is edit {edit + 1}. It is short and plain [@source-0000-0].\n",
                encoding="utf-8",
            )
            if not settled.wait(timeout=120):
                raise RuntimeError("the preview did not rebuild within two minutes")
            written = next(at for at, _, outcome in outcomes if at > saved and outcome.pages_changed)
            delays.append(written - saved)
            _say(0, f"save {edit + 1}: page written after {(written - saved) * 1000:.0f} ms")
    path.write_text(original, encoding="utf-8")
    return delays


def _others(project: Path, root: Path) -> dict[str, list[str]]:
    """MkDocs and Pelican on the same Markdown files, if this Python has them."""
    commands = {}
    if importlib.util.find_spec("mkdocs"):
        config = root / "mkdocs.yml"
        config.write_text(
            f"site_name: Synthetic guide\ndocs_dir: {project / 'content'}\n"
            f"site_dir: {root / 'mkdocs-out'}\n"
            "markdown_extensions: [tables, attr_list, admonition, toc, sane_lists, def_list]\n"
        )
        commands["MkDocs"] = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "--clean",
            "-f",
            str(config),
        ]
    if importlib.util.find_spec("pelican"):
        settings = root / "pelicanconf.py"
        settings.write_text(
            "SITENAME = 'Synthetic guide'\nARTICLE_PATHS = []\nPAGE_PATHS = ['']\nRELATIVE_URLS = True\n"
            "TIMEZONE = 'UTC'\nDEFAULT_DATE = (2026, 11, 1)\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n"
            "MARKDOWN = {'extensions': ['markdown.extensions.meta', 'markdown.extensions.tables', "
            "'markdown.extensions.attr_list', 'markdown.extensions.admonition', 'markdown.extensions.toc', "
            "'markdown.extensions.sane_lists', 'markdown.extensions.def_list'], 'output_format': 'html5'}\n"
        )
        commands["Pelican"] = [
            sys.executable,
            "-m",
            "pelican",
            str(project / "content"),
            "-o",
            str(root / "pelican-out"),
            "-s",
            str(settings),
            "-q",
            "--delete-output-directory",
        ]
    return commands


def _timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and the peak resident size (MB) of the largest process the command ran."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return seconds, usage.ru_maxrss / 1024


def table(results: list[Figures]) -> str:
    lines = ["| pages | what | median | ratio to the floor | target |", "|---:|---|---:|---:|---|"]
    for figures in results:
        floor = figures.median("floor")
        for name, label in [
            ("cold", "(a) cold build"),
            ("warm", "(b) warm build, nothing changed"),
            ("floor", "(e) floor"),
            ("MkDocs", "MkDocs"),
            ("Pelican", "Pelican"),
        ]:
            value = figures.median(name)
            if value is None:
                continue
            target = f"≤ {TARGETS[name]:g} × floor" if name in TARGETS else ""
            lines.append(f"| {figures.pages} | {label} | {value:.2f} s | {value / floor:.2f} × | {target} |")
        if figures.save_to_page:
            lines.append(
                f"| {figures.pages} | (c) save to page, in the preview | "
                f"{statistics.median(figures.save_to_page) * 1000:.0f} ms | | ≤ 100 ms |"
            )
        lines.append(
            f"| {figures.pages} | (d) peak memory, largest process | {figures.peak_mb:.0f} MB | | ≤ 200 MB |"
        )
    return "\n".join(lines)


def _say(pages: int, message: str) -> None:
    print(f"  {message}", flush=True)


def _load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--work", help="keep the synthetic sites in this folder")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
