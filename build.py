#!/usr/bin/env python3
"""The command editors run.

    python build.py              build the site into site/
    python build.py check        check every content file; write nothing
    python build.py serve        live preview on http://127.0.0.1:8000, rebuilt on every save
    python build.py report       a row a page (words, reading grade, sources, reviews), what needs attention;
                                 --format markdown for a pull request
    python build.py new-topic SLUG "Title"
                                 a new condition: content/SLUG/ with a draft page for each standard section

Options: --out DIR (default site/), --base-url URL (the published address, for canonical links and the
sitemap), --quiet (print only problems), --verbose (also each stage as it runs, and reading grades).
Problems are printed as file:line: field: what is wrong — how to fix it. Work that an earlier build did
is kept in .build-cache/ and used again when nothing it was made from has changed.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from datetime import date
from pathlib import Path

try:
    from patientsite.engine import lifeline
    from patientsite.engine.cache import BuildCache
    from patientsite.engine.unchanged import SiteInputs, last_report, remember
    from patientsite.output.write import OutputFolderError, check_output_folder
    from patientsite.problems import ContentError, Problem
    from patientsite.project import BuildReport, Project
except KeyboardInterrupt:  # Ctrl+C while the engine's libraries load: nothing has started
    print("\nstopped; the site folder still holds the last complete build", file=sys.stderr)
    raise SystemExit(128 + signal.SIGINT) from None

PROJECT = Project(Path(__file__).resolve().parent)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.command == "serve":
        from patientsite.preview.serve import serve

        return serve(PROJECT, args.out, args.base_url, args.host, args.port, args.open)
    if args.command == "new-topic":
        return _new_topic(*args.names)
    cache = BuildCache.for_project(PROJECT.root)
    if args.command == "report":
        return _report(args.format, cache)
    progress = ProgressLine(sys.stderr, args.verbose) if not args.quiet else None
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _stop)
    try:
        if args.command == "check":
            from patientsite.pipeline import check_site

            _, report = check_site(PROJECT, args.base_url, cache, progress)
            _finish(progress)
            if not args.quiet:
                _print_grades(report)
                print(_summary(report, "checked, nothing written"))
            _annotate(
                report.warnings
            )  # only here: in CI check runs before the build, which would say them again
        else:
            started = time.perf_counter()
            report = _build(args.out, args.base_url, cache, progress)
            report.seconds = time.perf_counter() - started
            _finish(progress)
            if args.verbose:
                _print_grades(report)
            if not args.quiet:
                print(_summary(report, f"written to {_shown(args.out)}"))
        _print_warnings(report)
        return 0
    except ContentError as error:
        _finish(progress)
        _print_problems(error)
        _annotate(error.errors + error.warnings)
        _add_to_summary(error)
        return 1
    except OutputFolderError as error:
        _finish(progress)
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a full disk, a folder we may not write: not a content mistake, not a bug
        _finish(progress)
        print(f"error: {error}; the last good site is unchanged", file=sys.stderr)
        return 2


def _build(
    out_dir: Path, base_url: str | None, cache: BuildCache, progress: ProgressLine | None
) -> BuildReport:
    """The site built into out_dir. When nothing it is made from has changed since the last build there, that
    build's report at once: the engine and its libraries are not even loaded."""
    check_output_folder(out_dir, PROJECT)
    inputs = SiteInputs.of(PROJECT, out_dir, base_url)
    report = last_report(inputs, out_dir, cache)
    if report is None:
        from patientsite.pipeline import build_site

        report = build_site(PROJECT, out_dir, base_url, cache, progress)
        if (
            SiteInputs.of(PROJECT, out_dir, base_url) == inputs
        ):  # a file saved during the build: not this site
            remember(inputs, out_dir, report, cache)
    return report


_MAIN_PROCESS = os.getpid()


def _stop(signum: int, frame: object) -> None:
    """Ctrl+C (or a stop from CI): end without a traceback. SystemExit unwinds like any exception, so the
    half-written build is removed on the way out. Forked worker processes inherit this handler and leave
    the stopping to the main process, which stops them."""
    if os.getpid() != _MAIN_PROCESS:
        return
    if lifeline.defer_while_forking(_stop, signum):
        return  # raised inside a library's at-fork hook, it would be ignored: raised once the fork is done
    print("\nstopped; the site folder still holds the last complete build", file=sys.stderr, flush=True)
    raise SystemExit(128 + signum)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the patient-education site.")
    parser.add_argument(
        "command", nargs="?", default="build", choices=["build", "check", "serve", "report", "new-topic"]
    )
    parser.add_argument("names", nargs="*", metavar="SLUG TITLE", help='new-topic: e.g. anaemia "Anaemia"')
    parser.add_argument(
        "--format",
        choices=["plain", "markdown"],
        default="plain",
        help="report: a table for the terminal (plain) or for a pull request (markdown)",
    )
    parser.add_argument(
        "--out", type=Path, default=PROJECT.root / "site", help="output folder (default: site/)"
    )
    parser.add_argument("--base-url", help="the published address, e.g. https://user.github.io/repo/")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    parser.add_argument("--open", action="store_true", help="serve: open the site in a browser")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    loudness.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="also print each stage as it runs, and every page's reading grade",
    )
    args = parser.parse_args(argv)
    if args.command == "new-topic" and len(args.names) != 2:
        parser.error('new-topic needs a folder name and a title, e.g. new-topic anaemia "Anaemia"')
    if args.command != "new-topic" and args.names:
        parser.error(f"unrecognized arguments: {' '.join(args.names)}")
    return args


def _report(output_format: str, cache: BuildCache) -> int:
    """The editor's report; status 0 even when it flags pages, 1 when the content has errors."""
    from patientsite.commands.report import FORMATS, make_report

    try:
        report = make_report(PROJECT, date.today(), cache)
    except ContentError as error:
        _print_problems(error)
        return 1
    print(FORMATS[output_format](report), end="")
    return 0


def _new_topic(slug: str, title: str) -> int:
    from patientsite.commands.scaffold import TopicRefused, new_topic

    try:
        written = new_topic(PROJECT.content_dir, slug, title, date.today())
    except TopicRefused as refusal:
        print(f"new-topic: {refusal}", file=sys.stderr)
        return 1
    for path in written:
        print(f"  wrote {path.relative_to(PROJECT.root).as_posix()}")
    print(
        f"A draft topic is ready in content/{slug}/: its pages say 'Draft — not for readers' until you "
        "write them, cite their sources and delete 'draft: true' from topic.yaml."
    )
    return 0


class ProgressLine:
    """How far a long build is: one line on a terminal, rewritten in place (pages done / total).

    Not on a terminal (a log, CI), nothing; with --verbose, one line as each stage starts, anywhere.
    """

    def __init__(self, stream, verbose: bool):
        self.stream = stream
        self.verbose = verbose
        self.on_terminal = stream.isatty()
        self.started = time.perf_counter()
        self.stage = ""
        self.shown_at = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage != self.stage:
            self.stage = stage
            if self.verbose:
                self._clear()
                print(
                    f"{now - self.started:6.2f} s  {stage}"
                    + (f": {done} of {total} done already" if total else ""),
                    file=self.stream,
                    flush=True,
                )
        if self.on_terminal and total and (now - self.shown_at > 0.05 or done == total):
            self.shown_at = now
            line = f"{stage} {done}/{total} pages"
            self.stream.write("\r" + line.ljust(self.width))
            self.stream.flush()
            self.width = len(line)

    def finish(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.on_terminal and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def _finish(progress: ProgressLine | None) -> None:
    if progress is not None:
        progress.finish()


def _summary(report: BuildReport, outcome: str) -> str:
    warnings = f"{len(report.warnings)} warning" + ("" if len(report.warnings) == 1 else "s")
    return f"{report.pages} pages, {warnings}, {report.seconds:.2f} s — {outcome}"


def _print_grades(report: BuildReport) -> None:
    """Each page's reading score: a grade for English (lower is easier), Fernández-Huerta for Spanish (higher
    is easier)."""
    for key, grade in sorted(report.grades.items()):
        print(f"  {report.score_names.get(key, 'reading grade')} {grade:4.1f}  content/{key}")


def _print_warnings(report: BuildReport) -> None:
    for warning in report.warnings:
        print(warning, file=sys.stderr)


def _print_problems(error: ContentError) -> None:
    for problem in error.errors + error.warnings:
        print(problem, file=sys.stderr)
    count = len(error.errors)
    print(
        f"{count} problem{'s' if count != 1 else ''} found; nothing was written, "
        "the last good site is unchanged.",
        file=sys.stderr,
    )


def _annotate(problems: list[Problem]) -> None:
    """Run by GitHub Actions: each problem also as a workflow command, shown on its line in a pull request."""
    from patientsite.commands.annotations import annotation, folder_in_repository, in_github_actions

    if in_github_actions():
        folder = folder_in_repository(PROJECT.root)
        for problem in problems:
            print(annotation(problem, folder), flush=True)


def _add_to_summary(error: ContentError) -> None:
    """Run by GitHub Actions: the problems of a failed check or build in the run's summary."""
    from patientsite.commands.annotations import in_github_actions, summary

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if in_github_actions() and summary_file:
        with open(summary_file, "a", encoding="utf-8") as file:
            file.write(summary(error.errors, error.warnings))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(path) + "/"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl+C before main() set _stop to answer it
        _stop(signal.SIGINT, None)
