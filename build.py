#!/usr/bin/env python3
"""The command editors run.

    python build.py              build the site into site/
    python build.py check        check every content file; write nothing
    python build.py serve        live preview on http://127.0.0.1:8000, rebuilt on every save

Options: --out DIR (default site/), --base-url URL (the published address, for canonical links and the
sitemap). Problems are printed as file:line: field: what is wrong — how to fix it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from patientsite.pipeline import BuildReport, Project, build_site, check_site
from patientsite.problems import ContentError
from patientsite.write import OutputFolderError

PROJECT = Project(Path(__file__).resolve().parent)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.command == "serve":
        from patientsite.serve import serve

        return serve(PROJECT, args.out, args.base_url, args.host, args.port, args.open)
    try:
        if args.command == "check":
            _, report = check_site(PROJECT, args.base_url)
            _print_grades(report)
            print(_summary(report, "checked, nothing written"))
        else:
            started = time.perf_counter()
            report = build_site(PROJECT, args.out, args.base_url)
            report.seconds = time.perf_counter() - started
            print(_summary(report, f"written to {_shown(args.out)}"))
        _print_warnings(report)
        return 0
    except ContentError as error:
        _print_problems(error)
        return 1
    except OutputFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the patient-education site.")
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check", "serve"])
    parser.add_argument("--out", type=Path, default=PROJECT.root / "site", help="output folder (default: site/)")
    parser.add_argument("--base-url", help="the published address, e.g. https://user.github.io/repo/")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    parser.add_argument("--open", action="store_true", help="serve: open the site in a browser")
    return parser.parse_args(argv)


def _summary(report: BuildReport, outcome: str) -> str:
    warnings = f"{len(report.warnings)} warning" + ("" if len(report.warnings) == 1 else "s")
    return f"{report.pages} pages, {warnings}, {report.seconds:.2f} s — {outcome}"


def _print_grades(report: BuildReport) -> None:
    for key, grade in sorted(report.grades.items()):
        print(f"  reading grade {grade:4.1f}  content/{key}")


def _print_warnings(report: BuildReport) -> None:
    for warning in report.warnings:
        print(warning, file=sys.stderr)


def _print_problems(error: ContentError) -> None:
    for problem in error.errors + error.warnings:
        print(problem, file=sys.stderr)
    count = len(error.errors)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written, the last good site is unchanged.",
          file=sys.stderr)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(path) + "/"


if __name__ == "__main__":
    sys.exit(main())
