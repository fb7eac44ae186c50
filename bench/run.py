#!/usr/bin/env python3
"""Benchmark: our build against the shared floor, MkDocs, Pelican and Hugo, on the shared corpus.

    .venv/bin/python bench/run.py [--pages 1000] [--rounds 5] [--big-pages 5000] [--saves 7] [--quick]
                                  [--work DIR] [--out FILE] [--tools-python PYTHON]

1. `../shared/bench/make_corpus.py N DIR` writes the corpus; bench/corpus.py makes our project of it (the
   bodies unchanged but for link targets; every check of ours stays on). Our package's bytecode is written
   first, as an editor's first build writes it (tools.compile_our_code).
2. Paired rounds: each round runs the floor (`../shared/bench/floor.py`), us (`build.py`), MkDocs, Pelican
   and Hugo once each, the order rotating by one each round, every run a fresh process and cold (no cache,
   no output). Right after our cold build, in the same round: `build.py` with nothing changed, and
   `build.py` after editing one page (cache warm). Each figure is divided by the same round's floor; the
   medians of those ratios are quoted. Wall, CPU (user + sys of the process and its children, os.wait4)
   and peak memory (the largest VmHWM of any of its processes): bench/measure.py.
3. The preview: `build.py serve` as a subprocess; the time from a save to the change visible in Chromium
   (bench/preview_save.py), median of --saves saves, each from a preview at rest.
4. At --big-pages pages: a cold build's peak memory, and the size of .build-cache/ against the built site.

The table of issue 14's targets is printed at the end with the command that made it (and written to --out);
each round's timings are also kept in WORK/rounds.json as the run goes.
Run it with the project's Python (it drives Chromium with the project's Playwright); the other generators
run in --tools-python. A tool that is not installed is reported so, never given a figure.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import make_project
from bench.measure import Timing, run_timed, tree_bytes
from bench.preview_save import save_to_visible
from bench.report import Figures, render
from bench.tools import FLOOR_NAME, MAKE_CORPUS, US, Tool, compile_our_code, our_build, tools, versions

EDIT = "\n\nThis sentence was added to time the build after one edit.\n"
QUICK = {"pages": 30, "rounds": 1, "big_pages": 60, "saves": 2}


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if not Path(args.tools_python).is_file():
        print(
            f"bench: no Python at {args.tools_python} for the floor, MkDocs and Pelican; make it with\n"
            f"  python3 -m venv {Path(args.tools_python).parent.parent} && "
            f"{Path(args.tools_python).with_name('pip')} install mkdocs pelican markdown\n"
            "or name another with --tools-python",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    work = Path(args.work or tempfile.mkdtemp(prefix="patientsite-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    figures = Figures(pages=args.pages, big_pages=args.big_pages)
    figures.versions = versions(args.tools_python)
    figures.load_before = load()
    say(f"work folder {work}; {figures.versions}; {figures.load_before}")

    compile_our_code(sys.executable)
    corpus, project = prepare(work, args.pages)
    lineup = tools(corpus, project, work / "out", sys.executable, args.tools_python)
    (work / "out").mkdir(exist_ok=True)
    figures.missing = {tool.name: tool.missing for tool in lineup if tool.missing}
    if FLOOR_NAME in figures.missing:
        raise SystemExit(f"the floor cannot run: {figures.missing[FLOOR_NAME]} (see --tools-python)")
    for number in range(args.rounds):
        figures.rounds.append(one_round(lineup, number, project))
        keep(figures.rounds, work / "rounds.json")

    edited = page_in_the_middle(project)
    try:
        figures.preview, figures.preview_waited = save_to_visible(
            project, edited, sys.executable, args.saves, log=say
        )
    except Exception as error:  # a figure missing, not the whole run lost: the table says why
        figures.preview_error = f"{type(error).__name__}: {str(error).splitlines()[0]}"
        say(f"preview: {figures.preview_error}")

    big_corpus, big_project = prepare(work, args.big_pages)
    figures.big_cold = cold_build(our_build(big_project, sys.executable))
    figures.cache_bytes = tree_bytes(big_project / ".build-cache")
    figures.site_bytes = tree_bytes(big_project / "site")
    say(
        f"{args.big_pages} pages: cold build {describe(figures.big_cold)}; cache {figures.cache_bytes:,} B, "
        f"site {figures.site_bytes:,} B"
    )

    figures.load_after = load()
    figures.minutes = (time.monotonic() - started) / 60
    figures.command = " ".join(shlex.quote(part) for part in [sys.executable, *sys.argv])
    table = render(figures)
    print("\n" + table)
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def prepare(work: Path, pages: int) -> tuple[Path, Path]:
    """The corpus of `pages` pages and our project made of it, under `work`."""
    corpus, project = work / f"corpus-{pages}", work / f"project-{pages}"
    say(f"making the corpus of {pages} pages and our project of it")
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), str(pages), str(corpus)], check=True, capture_output=True
    )
    make_project(corpus, project, Path(__file__).resolve().parent.parent)
    return corpus, project


def one_round(lineup: list[Tool], number: int, project: Path) -> dict[str, Timing | None]:
    """Each tool once, cold, in an order rotated by `number`; and our two warm builds after our cold one."""
    shift = number % len(lineup)
    timings: dict[str, Timing | None] = {}
    for tool in lineup[shift:] + lineup[:shift]:
        if tool.missing:
            timings[tool.name] = None
            continue
        timings[tool.name] = cold_build(tool)
        say(f"round {number + 1}: {tool.name:8} {describe(timings[tool.name])}")
        if tool.name == US:
            timings["unchanged"] = run_timed(tool.command, tool.cwd, tool.env)
            say(f"round {number + 1}: {'us, nothing changed':8} {describe(timings['unchanged'])}")
            timings["one edit"] = after_one_edit(tool, project)
            say(f"round {number + 1}: {'us, one page edited':8} {describe(timings['one edit'])}")
    return timings


def keep(rounds: list[dict[str, Timing | None]], path: Path) -> None:
    """Every round's timings so far, as JSON: a run stopped later still leaves its rounds behind."""
    plain = [
        {name: timing and dataclasses.asdict(timing) for name, timing in timings.items()}
        for timings in rounds
    ]
    path.write_text(json.dumps(plain, indent=1) + "\n", encoding="utf-8")


def cold_build(tool: Tool) -> Timing:
    tool.prepare()
    return run_timed(tool.command, tool.cwd, tool.env)


def after_one_edit(tool: Tool, project: Path) -> Timing:
    """`build.py` after a sentence is added to one page's file (the cache warm); the file put back after."""
    source = project / "content" / page_in_the_middle(project).replace(".html", ".md")
    original = source.read_text(encoding="utf-8")
    source.write_text(original + EDIT, encoding="utf-8")
    try:
        return run_timed(tool.command, tool.cwd, tool.env)
    finally:
        source.write_text(original, encoding="utf-8")


def page_in_the_middle(project: Path) -> str:
    """The page of the middle topic's first section, as a path in the site (topic-NNNN/slug.html)."""
    topics = sorted(path for path in (project / "content").iterdir() if path.is_dir())
    topic = topics[len(topics) // 2]
    first = sorted(topic.glob("*.md"))[0]
    return f"{topic.name}/{first.stem}.html"


def describe(timing: Timing) -> str:
    return (
        f"wall {timing.wall:6.2f} s, CPU {timing.cpu:6.2f} s, peak {timing.peak_mb:4.0f} MB "
        f"(ru_maxrss {timing.maxrss_mb:.0f} MB, {timing.processes} processes)"
    )


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def say(message: str) -> None:
    print(message, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--big-pages", type=int, default=5000, help="pages for peak memory and cache size")
    parser.add_argument("--saves", type=int, default=7, help="preview saves timed")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK}")
    parser.add_argument("--work", help="keep the corpora, projects and outputs in this folder")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--tools-python", default="/tmp/bench-venv/bin/python")
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    return args


if __name__ == "__main__":
    sys.exit(main())
