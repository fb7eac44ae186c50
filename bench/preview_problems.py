#!/usr/bin/env python3
"""Benchmark: in the preview of the shipped site, how long from a save to what the browser shows.

    python bench/preview_problems.py [--saves 9]

A copy of the shipped site is previewed (`build.py serve`'s code, in this process) and a page of it is open
in headless Chromium. Each round saves a broken link (an #anchor that does not exist) into the page's file,
and measures the time until the page shows the problem list; then saves the fix and measures the time
until the list is gone. Medians of --saves rounds. The target: the problem visible ≤ 500 ms after the save,
and the first thing the page shows after the save (the page is never shown broken without its problems).
Needs Playwright (the test tools) and Chromium.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from patientsite.pipeline import Project
from patientsite.preview.serve import running_preview
from patientsite.preview.state import Outcome, Reply

PAGE = "leucopenia/causes.html"
FILE = "content/leucopenia/causes.md"
GOOD, BROKEN = "(numbers.md#duffy)", "(numbers.md#no-such-place)"
CONNECTED = "() => !!(window.LiveReload && window.LiveReload.connector._isSocketConnected())"
ALERT = "() => document.querySelector('[role=alert]') !== null"
NO_ALERT = "() => document.readyState === 'complete' && document.querySelector('[role=alert]') === null"
WAIT_MS = 30_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as work:
        project = _copy_of_the_site(Path(work) / "site")
        to_problem, to_fixed, shown_broken = _measure(project, args.saves)
    print(
        f"save → problem visible: median {statistics.median(to_problem) * 1000:.0f} ms "
        f"(min {min(to_problem) * 1000:.0f}, max {max(to_problem) * 1000:.0f}; target ≤ 500 ms)"
    )
    print(f"save → fixed page visible: median {statistics.median(to_fixed) * 1000:.0f} ms")
    print(f"reloads that showed the broken page without its problems: {shown_broken} of {args.saves}")
    return 0


def _copy_of_the_site(root: Path) -> Path:
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _measure(project: Path, saves: int) -> tuple[list[float], list[float], int]:
    source = project / FILE
    text = source.read_text(encoding="utf-8")
    assert GOOD in text, f"{GOOD} is no longer in {FILE}: choose another link to break"
    to_problem, to_fixed, shown_broken = [], [], 0
    shown: list[float] = []  # when each rebuild that changed what is served was done

    def report(what: str, outcome: Outcome) -> None:
        if outcome.pages_changed:
            shown.append(time.perf_counter())

    with running_preview(Project(project), report=report) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True)
        tab = browser.new_page()
        served: list[bytes] = []  # the page as the preview served it, since the save
        serve_page = server.preview.page

        def page(path: str) -> Reply:
            reply = serve_page(path)
            if path.endswith(PAGE):
                served.append(reply.body)
            return reply

        server.preview.page = page
        tab.goto(server.url + PAGE)
        for round_number in range(saves):
            _wait(tab, CONNECTED, "the page's reload script to connect")
            served.clear()
            saved = time.perf_counter()
            source.write_text(text.replace(GOOD, BROKEN, 1), encoding="utf-8")
            _wait(tab, ALERT, "the problem list after the broken save")
            to_problem.append(time.perf_counter() - saved)
            built = [at - saved for at in shown if at > saved]
            shown_broken += bool(served) and b'role="alert"' not in served[0]
            _wait(tab, CONNECTED, "the page's reload script to connect")
            saved = time.perf_counter()
            source.write_text(text, encoding="utf-8")
            _wait(tab, NO_ALERT, "the page without the list after the fix")
            to_fixed.append(time.perf_counter() - saved)
            print(
                f"round {round_number + 1}: problem shown after {to_problem[-1] * 1000:.0f} ms (found after "
                f"{built[0] * 1000 if built else float('nan'):.0f} ms), "
                f"fixed page after {to_fixed[-1] * 1000:.0f} ms",
                flush=True,
            )
        browser.close()
    return to_problem, to_fixed, shown_broken


def _wait(tab, condition: str, what: str) -> None:
    try:
        tab.wait_for_function(condition, timeout=WAIT_MS, polling="raf")
    except PlaywrightTimeout:
        raise SystemExit(f"gave up waiting {WAIT_MS // 1000} s for {what}") from None


if __name__ == "__main__":
    sys.exit(main())
