#!/usr/bin/env python3
"""Screenshots of the built site for people to look at, written into screenshots/ (git-ignored).

    .venv/bin/python scripts/screenshots.py [--site DIR]

The home page, a section, the count checker (empty, and with a result) and the handout, each at phone
(375 px) and desktop (1280 px) width, in the light and the dark colour scheme; and the handout as printed
(A4, print stylesheet). Long pages are cut at MAX_HEIGHT pixels. Without --site it builds the site first,
into a temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import CHROMIUM_ARGS, serve_folder  # the tests' server and flags
from reader_pages import check_a_count  # what a reader does on the checker

OUT = ROOT / "screenshots"
WIDTHS = {"phone": 375, "desktop": 1280}
HEIGHTS = {"phone": 812, "desktop": 900}
SCHEMES = ("light", "dark")
MAX_HEIGHT = 6000
A4_AT_96_DPI = {"width": 794, "height": 1123}


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    prepare: Callable[[Page], None] | None = None


SHOTS = (
    Shot("home", "index.html"),
    Shot("section", "leucopenia/causes.html"),
    Shot("checker", "leucopenia/checker.html"),
    Shot("checker-result", "leucopenia/checker.html", check_a_count),
    Shot("handout", "leucopenia/handout.html"),
)


def build(out: Path) -> Path:
    subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, check=True)
    return out


def take(page: Page, site_url: str, shot: Shot, file: Path) -> None:
    page.goto(site_url + shot.path, wait_until="load")
    if shot.prepare:
        shot.prepare(page)
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    width = page.viewport_size["width"]
    page.screenshot(path=file, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    print(f"  {file.relative_to(ROOT)}")


def take_all(site: Path) -> None:
    OUT.mkdir(exist_ok=True)
    with serve_folder(site) as site_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for scheme in SCHEMES:
            for device, width in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": HEIGHTS[device]}, color_scheme=scheme
                )
                page = context.new_page()
                for shot in SHOTS:
                    take(page, site_url, shot, OUT / f"{shot.name}-{device}-{scheme}.png")
                context.close()
        printed = browser.new_page(viewport=A4_AT_96_DPI)
        printed.emulate_media(media="print")
        take(printed, site_url, SHOTS[-1], OUT / "handout-print.png")
        browser.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    args = parser.parse_args(argv)
    if args.site:
        take_all(args.site)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        take_all(build(Path(folder) / "site"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
