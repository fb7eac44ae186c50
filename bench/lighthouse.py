#!/usr/bin/env python3
"""Lighthouse mobile scores of the home page, a section and the count checker, as a table.

    .venv/bin/python bench/lighthouse.py [--site DIR] [--lighthouse-dir DIR]

Not a test: Lighthouse's performance score varies from run to run on a shared machine. It builds the site
(unless --site is given) as the Pages workflow does, with --base-url, serves it under /repo/ on 127.0.0.1
as GitHub Pages serves a project site, and runs Lighthouse 12 with the system Chromium, with its default
mobile settings (a mid-range phone on a slow 4G network, simulated). The first
run installs Lighthouse with npm into a folder outside the repository (Lighthouse 13 needs Node 22).
For every score under 100 it also lists the audits that cost points.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser_support import serve_folder  # the tests' server

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "12.2.3"
DEFAULT_LIGHTHOUSE_DIR = Path.home() / ".cache" / "patientsite" / f"lighthouse-{LIGHTHOUSE_VERSION}"
PAGES = {
    "home": "index.html",
    "section": "leucopenia/causes.html",
    "checker": "leucopenia/checker.html",
    "handout": "leucopenia/handout.html",
    "checker, Spanish": "es/leucopenia/checker.html",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"


def lighthouse_command(folder: Path) -> Path:
    command = folder / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {folder}", file=sys.stderr)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--exact",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
                "--prefix",
                str(folder),
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
            ],
            check=True,
        )
    return command


def audit(lighthouse: Path, url: str, report: Path) -> dict:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Chromium is not installed: sudo apt-get install chromium")
    subprocess.run(
        [
            str(lighthouse),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": chromium},
    )
    return json.loads(report.read_text(encoding="utf-8"))


def scores(result: dict) -> dict[str, int]:
    return {name: round((result["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def lost_points(result: dict) -> list[str]:
    """The audits that cost points in a category scoring under 100."""
    lost = []
    for name in CATEGORIES:
        category = result["categories"][name]
        if (category["score"] or 0) >= 1:
            continue
        for ref in category["auditRefs"]:
            found = result["audits"][ref["id"]]
            if ref["weight"] > 0 and found["score"] is not None and found["score"] < 1:
                lost.append(
                    f"{name}: {ref['id']} ({found['score']}): {found.get('displayValue', found['title'])}"
                )
    return lost


def table(rows: dict[str, dict[str, int]]) -> str:
    header = "| page | " + " | ".join(CATEGORIES) + " |"
    rule = "|---|" + "---:|" * len(CATEGORIES)
    lines = [
        f"| {page} | " + " | ".join(str(row[name]) for name in CATEGORIES) + " |"
        for page, row in rows.items()
    ]
    return "\n".join([header, rule, *lines])


def run(site: Path, lighthouse: Path, build: bool) -> int:
    """Audit the pages of `site`, served under /repo/ as GitHub Pages serves a project site; with `build`,
    first build it there with --base-url set to that address, as the Pages workflow builds the published
    site (its canonical and hreflang links are then absolute, as search engines require)."""
    rows, notes = {}, []
    with serve_folder(site, prefix="/repo/") as site_url, tempfile.TemporaryDirectory() as reports:
        if build:
            subprocess.run(
                [sys.executable, "build.py", "--out", str(site), "--base-url", site_url], cwd=ROOT, check=True
            )
        for name, page in PAGES.items():
            result = audit(lighthouse, site_url + page, Path(reports) / f"{name}.json")
            rows[f"{name} ({page})"] = scores(result)
            notes += [f"{name}: {line}" for line in lost_points(result)]
    print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, system Chromium\n")
    print(table(rows))
    if notes:
        print("\nwhere points were lost:\n" + "\n".join(notes))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument(
        "--lighthouse-dir",
        type=Path,
        default=DEFAULT_LIGHTHOUSE_DIR,
        help=f"where Lighthouse is installed (default {DEFAULT_LIGHTHOUSE_DIR})",
    )
    args = parser.parse_args(argv)
    lighthouse = lighthouse_command(args.lighthouse_dir)
    if args.site:
        return run(args.site, lighthouse, build=False)
    with tempfile.TemporaryDirectory() as folder:
        return run(Path(folder) / "site", lighthouse, build=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
