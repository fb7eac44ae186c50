#!/usr/bin/env python3
"""Benchmark: in the preview of the shipped site, how long from a save to what the browser shows.

    python bench/preview_problems.py [--saves 9]

A copy of the shipped site is previewed (`build.py serve`'s code, in this process) and a page of it is open
in headless Chromium. Each round saves a broken link (an #anchor that does not exist) into the page's file,
and measures the time until the page shows the problem list; then saves the fix and measures the time
until the list is gone; then saves an edit of the page's text and measures the time until the page shows
it. Medians of --saves rounds. The targets (issue 14): a change visible ≤ 150 ms after the save; the problem
the first thing the page shows after the save (the page is never shown broken without its problems).
Needs Playwright (the test tools) and Chromium.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from patientsite.pipeline import Project
from patientsite.preview.serve import running_preview
from patientsite.preview.state import Outcome, Reply

REPO = Path(__file__).resolve().parent.parent
PAGE = "leucopenia/causes.html"
FILE = "content/leucopenia/causes.md"
GOOD, BROKEN = "(numbers.md#duffy)", "(numbers.md#no-such-place)"
SENTENCE = "Tuberculosis (TB) and malaria"  # in FILE; each round adds a mark to it, and waits to see it
CONNECTED = "() => !!(window.LiveReload && window.LiveReload.connector._isSocketConnected())"
ALERT = "() => document.querySelector('[role=alert]') !== null"
SHOWS = "() => document.readyState === 'complete' && document.body.textContent.includes(%s)"
NO_ALERT = "() => document.readyState === 'complete' && document.querySelector('[role=alert]') === null"
WAIT_MS = 30_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as work:
        project = _copy_of_the_site(Path(work) / "site")
        to_problem, to_fixed, to_edited, shown_broken = _measure(project, args.saves)
    for what, delays in (
        ("problem", to_problem),
        ("fixed page", to_fixed),
        ("edited page", to_edited),
    ):
        print(
            f"save → {what} visible: median {statistics.median(delays) * 1000:.0f} ms "
            f"(min {min(delays) * 1000:.0f}, max {max(delays) * 1000:.0f}; target ≤ 150 ms)"
        )
    print(f"reloads that showed the broken page without its problems: {shown_broken} of {args.saves}")
    return 0


def _copy_of_the_site(root: Path) -> Path:
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _measure(project: Path, saves: int) -> tuple[list[float], list[float], list[float], int]:
    source = project / FILE
    text = source.read_text(encoding="utf-8")
    assert GOOD in text, f"{GOOD} is no longer in {FILE}: choose another link to break"
    assert SENTENCE in text, f"{SENTENCE!r} is no longer in {FILE}: choose another sentence to edit"
    to_problem, to_fixed, to_edited, shown_broken = [], [], [], 0
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
            _wait(tab, CONNECTED, "the page's reload script to connect")
            mark = f"(edit {round_number + 1})"
            saved = time.perf_counter()
            source.write_text(text.replace(SENTENCE, f"{SENTENCE} {mark}", 1), encoding="utf-8")
            _wait(tab, SHOWS % json.dumps(mark), "the page with the edit")
            to_edited.append(time.perf_counter() - saved)
            print(
                f"round {round_number + 1}: problem shown after {to_problem[-1] * 1000:.0f} ms (found after "
                f"{built[0] * 1000 if built else float('nan'):.0f} ms), "
                f"fixed page after {to_fixed[-1] * 1000:.0f} ms, edit after {to_edited[-1] * 1000:.0f} ms",
                flush=True,
            )
        browser.close()
    return to_problem, to_fixed, to_edited, shown_broken


def _wait(tab, condition: str, what: str) -> None:
    try:
        tab.wait_for_function(condition, timeout=WAIT_MS, polling="raf")
    except PlaywrightTimeout:
        raise SystemExit(f"gave up waiting {WAIT_MS // 1000} s for {what}") from None


if __name__ == "__main__":
    sys.exit(main())
