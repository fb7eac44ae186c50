"""Serve: `build.py serve` — the live preview: the same build as `build.py`, run again on every save, its
pages served from memory with a reload script; the editor's mistakes shown in the browser and the terminal.

The pieces: state.py (what is shown, and the rebuild), server.py (HTTP and the reload websocket),
reload.py (the reload protocol), watcher.py (the saves), pages.py (what the preview adds to pages). Open
pages are told to reload only once a rebuild, its checks included, has finished, so the first thing the
browser shows after a save is the new page or what is wrong with it. The grader (checks/grading.py) is
started once, before any thread, and measures for every rebuild; it ends with the command.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from patientsite.checks.grading import Grader
from patientsite.engine.cache import BuildCache
from patientsite.pipeline import Project
from patientsite.preview.server import PreviewServer
from patientsite.preview.state import Outcome, Preview
from patientsite.preview.watcher import watch
from patientsite.problems import Problem

Report = Callable[[str, Outcome], None]  # told "built" after the first build, "rebuilt" after each save


@contextmanager
def running_preview(
    project: Project,
    host: str = "127.0.0.1",
    port: int = 0,
    base_url: str | None = None,
    report: Report | None = None,
) -> Iterator[PreviewServer]:
    """A preview built, served and watching in background threads until the block ends (tests, serve)."""
    report = report or (lambda what, outcome: None)
    grader = Grader.start()  # forked before any thread starts
    try:
        preview = Preview(project, base_url, BuildCache.for_project(project.root), grader)
        report("built", preview.rebuild())
        server = PreviewServer(preview, host, port)
        stop, watching = threading.Event(), threading.Event()

        def rebuild(changed: set[Path]) -> None:
            outcome = preview.rebuild()
            if outcome.pages_changed:
                server.reload_pages()
            report("rebuilt", outcome)

        threads = [
            threading.Thread(target=server.run, name="preview server", daemon=True),
            threading.Thread(
                target=watch,
                args=(preview.watched_folders(), rebuild, stop, watching),
                name="preview watcher",
                daemon=True,
            ),
        ]
        try:
            for thread in threads:
                thread.start()
            server.started.wait()
            watching.wait()
            yield server
        finally:
            stop.set()
            server.stop()
            for thread in threads:
                if thread.ident is not None:  # started: Ctrl+C may come between the two
                    thread.join(timeout=10)
            if not any(thread.is_alive() for thread in threads):  # no rebuild still at work on the cache
                preview.save_cache()
    finally:
        if grader is not None:
            grader.close()


def serve(
    project: Project, out_dir: Path | None, base_url: str | None, host: str, port: int, open_browser: bool
) -> int:
    """`build.py serve`: preview until Ctrl+C or SIGTERM. Pages are served from memory: `out_dir` is left
    alone."""
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl+C stops it, even if started ignoring it
    try:
        with running_preview(project, host, port, base_url, report=TerminalReport()) as server:
            print(f"Previewing on {server.url} — save a file to rebuild; press Ctrl+C to stop.", flush=True)
            if open_browser:
                webbrowser.open(server.url)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        print("Preview stopped.")
    except OSError as error:
        print(f"error: cannot serve on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 2
    return 0


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # stopped as by Ctrl+C: the server and watcher stopped, the grader closed


class TerminalReport:
    """Prints each rebuild's outcome; a problem already printed and still there is not printed again (many
    editors save twice in a row)."""

    def __init__(self) -> None:
        self.shown: list[Problem] = []

    def __call__(self, what: str, outcome: Outcome) -> None:
        new = [problem for problem in outcome.errors if problem not in self.shown]
        self.shown = list(outcome.errors)
        if new or not outcome.errors:
            print_outcome(what, Outcome(outcome.pages_changed, new, outcome.seconds))


def print_outcome(what: str, outcome: Outcome) -> None:
    if outcome.errors:
        for problem in outcome.errors:
            print(problem, file=sys.stderr)
        print("The browser shows these problems; fix the file and save.", file=sys.stderr, flush=True)
    elif outcome.pages_changed or what == "built":
        print(
            f"{what}: {outcome.pages_changed} file{'s' if outcome.pages_changed != 1 else ''} changed "
            f"in {outcome.seconds * 1000:.0f} ms",
            flush=True,
        )
