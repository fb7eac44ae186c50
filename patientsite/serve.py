"""Serve: live preview — the same build, run again on every save, served with livereload's reload script.

The preview builds into a temporary folder, never into site/. When a file is saved it first makes again the
pages of the topic the file is in (incremental.py: milliseconds, even on a large site), writes the pages
that changed and tells every open page to reload; then it runs the full build (cached: only changed work is
redone), which checks links and reading grades across the whole site and has the last word. A content
error is shown in the browser in place of every page, naming file and line, and in the terminal; the server
keeps running, and the pages come back by themselves once the file is fixed.

Pages are served exactly as built, with one addition: `<script src="/livereload.js?snipver=N">` before
`</head>`, where N counts the rebuilds that changed what is served. A page that connects after a rebuild it
missed (the editor fixed the file while the error page was still loading) says so by its N, and is told to
reload at once: no save is ever lost between a page's load and its connection.
The site's Content-Security-Policy (default-src 'self') forbids inline scripts, and livereload's own
injected snippet is inline, so this layer injects the script as a same-origin file instead; the script's
websocket back to the same host and port is 'self' too. From livereload it uses the browser script and the
websocket handler (its reload protocol); watching is watchfiles' (inotify), serving is tornado's.
"""

from __future__ import annotations

import asyncio
import html
import json
import mimetypes
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from .cache import BuildCache
from .convert import MarkdownConverter
from .grading import Grader
from .incremental import DocumentMemo, changed_topic, rebuild_topic
from .pipeline import Build, Project, make_build, template_environment
from .problems import ContentError, Problem
from .render import OutputFile

RELOAD_SCRIPT = '<script src="/livereload.js?snipver={generation}"></script>\n'  # livereload.js sends snipver
HEAD_END = b"</head>"
WATCH_STEP_MS = 10  # how long a burst of file events may take to settle before the rebuild starts
WATCH_TIMEOUT_MS = 200  # how often the watcher looks up from waiting, to notice it is asked to stop


@dataclass(frozen=True)
class Outcome:
    """What one rebuild showed: pages written, or the problems shown instead; and how long it took."""

    pages_changed: int
    errors: list[Problem]
    seconds: float


class Preview:
    """The site as the editor's files are now, in a folder: rebuilt on every change, errors kept for display."""

    def __init__(self, project: Project, folder: Path, base_url: str | None, cache: BuildCache,
                 grader: Grader | None = None):
        self.project = project
        self.grader = grader  # kept running: each rebuild measures only new words, with the dictionary loaded
        self.folder = folder
        self.base_url = base_url
        self.cache = cache
        self.converter = MarkdownConverter()
        self.environment = template_environment(project)  # reloads a template when it changes
        self.documents: DocumentMemo = {}  # content files as last read, for the topic rebuilds
        self.build: Build | None = None  # the last build without errors
        self.errors: list[Problem] = []  # what is wrong now; the browser shows these instead of the pages
        self.written: dict[str, bytes] = {}
        self.generation = 1  # counts rebuilds that changed what is served (from 1: livereload.js drops a 0)
        self.lock = threading.Lock()

    def watched_folders(self) -> list[Path]:
        """content/ (site.yaml, the site's configuration, is in it), templates/ and static/."""
        folders = [self.project.content_dir, self.project.templates_dir, self.project.static_dir]
        return [folder for folder in folders if folder.is_dir()]

    def rebuild_all(self) -> Outcome:
        """The full build, as `build.py` makes it."""
        started = time.perf_counter()
        try:
            build = make_build(self.project, self.base_url, self.cache, grader=self.grader)
        except ContentError as error:
            return self._show_errors(error.errors, started)
        self.build = build
        return self._show_pages(build.files, started, complete=True)

    def rehearse(self) -> None:
        """Make one topic's pages and throw them away, so that what a topic rebuild needs the first time (the
        templates, Babel's dates, the converter's patterns) is ready: the first save is as quick as the next.
        The full build made the pages in worker processes, which took what they loaded with them."""
        if self.build is not None and self.build.content.topics:
            folder = self.build.content.topics[0].key.partition("/")[0]
            rebuild_topic(self.project, self.build, folder, self.base_url, self.cache, self.converter,
                          self.environment, self.documents)

    def rebuild_topic(self, changed: set[Path]) -> Outcome | None:
        """A head start when every changed file is inside one topic: that topic's pages, made at once."""
        if self.build is None:
            return None
        folder = changed_topic(self.project, self.build, changed)
        if folder is None or any(not problem.file.startswith(f"content/{folder}/") for problem in self.errors):
            return None
        started = time.perf_counter()
        rebuilt = rebuild_topic(self.project, self.build, folder, self.base_url, self.cache, self.converter,
                                self.environment, self.documents)
        if rebuilt is None:
            return None
        if rebuilt.errors:
            return self._show_errors(rebuilt.errors, started)
        return self._show_pages(rebuilt.files, started, complete=False)

    def page(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path: a file of the site, or the problems instead."""
        file = self._file_for(path)
        content_type = mimetypes.guess_type(file.name if file else path)[0] or "application/octet-stream"
        is_page = content_type == "text/html" or file is None or file.suffix == ".html"
        with self.lock:  # the generation is read before the page: a page is never older than its stamp
            errors, generation = list(self.errors), self.generation
        if errors and is_page:
            return 500, "text/html; charset=utf-8", with_reload_script(error_page(errors), generation)
        if file is None:
            not_found = self.folder / "404.html"
            body = not_found.read_bytes() if not_found.is_file() else b"<!doctype html><title>Not found</title>"
            return 404, "text/html; charset=utf-8", with_reload_script(body, generation)
        body = file.read_bytes()
        if content_type == "text/html":
            return 200, "text/html; charset=utf-8", with_reload_script(body, generation)
        return 200, content_type, body

    def _show_pages(self, files: list[OutputFile], started: float, complete: bool) -> Outcome:
        changed = [file for file in files if self.written.get(file.path) != file.content]
        removed = set(self.written) - {file.path for file in files} if complete else set()
        for file in changed:
            _write_atomically(self.folder, file)
            self.written[file.path] = file.content
        for path in removed:
            (self.folder / path).unlink(missing_ok=True)
            del self.written[path]
        with self.lock:
            had_errors, self.errors = bool(self.errors), []
            count = len(changed) + len(removed) + (1 if had_errors else 0)
            self.generation += 1 if count else 0
        return Outcome(count, [], time.perf_counter() - started)

    def _show_errors(self, errors: list[Problem], started: float) -> Outcome:
        with self.lock:
            changed, self.errors = self.errors != errors, list(errors)
            self.generation += 1 if changed else 0
        return Outcome(1 if changed else 0, errors, time.perf_counter() - started)

    def _file_for(self, path: str) -> Path | None:
        root = self.folder.resolve()
        target = (root / path.lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None


def with_reload_script(page: bytes, generation: int) -> bytes:
    """The page with the reload script before </head>: the one difference between preview and build."""
    script = RELOAD_SCRIPT.format(generation=generation).encode()
    if HEAD_END not in page:
        return page + script
    return page.replace(HEAD_END, script + HEAD_END, 1)


def error_page(errors: list[Problem]) -> bytes:
    items = "\n".join(  # as the terminal prints them: file:line: field: what is wrong — how to fix it
        f"<li><code>{html.escape(p.file)}:{p.line}</code>: {html.escape(p.field)}: {html.escape(p.message)}"
        f" — {html.escape(p.hint)}</li>"
        for p in errors
    )
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<title>Preview: {count} to fix</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body class="preview-error">
<main id="main" class="wrap">
<h1>The site cannot be built: {count} to fix</h1>
<p>Fix the file and save it: this page comes back by itself. The terminal shows the same list.</p>
<ol class="problems">
{items}
</ol>
</main>
</body>
</html>
""".encode()


class PreviewServer:
    """Serves a Preview over HTTP and livereload's websocket; `reload_pages` may be called from any thread."""

    def __init__(self, preview: Preview, host: str, port: int):
        self.preview = preview
        self.sockets = bind_sockets(port, host)  # bound now: port 0 has its real number at once
        self.host = host
        self.port = self.sockets[0].getsockname()[1]
        self.loop: IOLoop | None = None
        self.stopping: asyncio.Event | None = None
        self.started = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def run(self) -> None:
        """Serve until stop() (or Ctrl+C when run in the main thread)."""
        asyncio.run(self._serve())

    def reload_pages(self) -> None:
        if self.loop is not None:
            self.loop.add_callback(_reload_open_pages)

    def stop(self) -> None:
        if self.loop is not None and self.stopping is not None:
            self.loop.add_callback(self.stopping.set)

    async def _serve(self) -> None:
        application = web.Application([
            (r"/livereload", _ReloadHandler, {"preview": self.preview}),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/(.*)", _PreviewHandler, {"preview": self.preview}),
        ], log_function=lambda handler: None)
        server = HTTPServer(application)
        server.add_sockets(self.sockets)
        self.loop, self.stopping = IOLoop.current(), asyncio.Event()
        self.started.set()
        try:
            await self.stopping.wait()
        finally:
            server.stop()
            _close_open_pages()
            await server.close_all_connections()


class _PreviewHandler(web.RequestHandler):
    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self, path: str) -> None:
        status, content_type, body = self.preview.page(path)
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        self.set_header("Cache-Control", "no-store")
        self.write(body)


class _ReloadHandler(LiveReloadHandler):
    """livereload's websocket, with one more rule: a page stamped before the latest rebuild reloads at once."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def on_message(self, message: str | bytes) -> None:
        super().on_message(message)
        hello = json.loads(message)
        if hello.get("command") != "hello":
            return
        LiveReloadHandler.waiters.add(self)  # now, not at the 'info' that follows: no reload falls between
        with self.preview.lock:
            generation = self.preview.generation
        if hello.get("snipver") not in (None, generation):  # None: a page not stamped by this preview
            self.write_message(RELOAD_MESSAGE)


RELOAD_MESSAGE = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}


def _reload_open_pages() -> None:
    for page in list(LiveReloadHandler.waiters):
        try:
            page.write_message(RELOAD_MESSAGE)
        except Exception:  # noqa: BLE001 — a page closed meanwhile; livereload forgets it on close
            LiveReloadHandler.waiters.discard(page)


def _close_open_pages() -> None:
    for page in list(LiveReloadHandler.waiters):
        page.close()
    LiveReloadHandler.waiters.clear()


def watch(preview: Preview, server: PreviewServer, stop: threading.Event, watching: threading.Event,
          report: Callable[[str, Outcome], None]) -> None:
    """On every save: the topic's pages first (when that applies), then the full build; reload after each.

    `watching` is set once the folders are watched (the first, empty, batch of changes says so).
    """
    for changes in watchfiles.watch(*preview.watched_folders(), step=WATCH_STEP_MS, stop_event=stop,
                                    rust_timeout=WATCH_TIMEOUT_MS, yield_on_timeout=True, raise_interrupt=False):
        watching.set()
        if not changes:
            continue
        changed = {Path(path) for _, path in changes}
        first = preview.rebuild_topic(changed)
        if first is not None:
            _after(first, server, report, "updated")
        _after(preview.rebuild_all(), server, report, "rebuilt")


def _after(outcome: Outcome, server: PreviewServer, report: Callable[[str, Outcome], None], what: str) -> None:
    if outcome.pages_changed:
        server.reload_pages()
    report(what, outcome)


@contextmanager
def running_preview(project: Project, host: str = "127.0.0.1", port: int = 0, base_url: str | None = None,
                    report: Callable[[str, Outcome], None] | None = None) -> Iterator[PreviewServer]:
    """A preview built, served and watching in background threads until the block ends; for tests and serve."""
    folder = Path(tempfile.mkdtemp(prefix="patientsite-preview-"))
    grader = None
    report = report or (lambda what, outcome: None)
    try:
        grader = Grader.start()  # forked before any thread starts
        preview = Preview(project, folder, base_url, BuildCache.for_project(project.root), grader)
        report("built", preview.rebuild_all())
        preview.rehearse()
        server = PreviewServer(preview, host, port)
    except BaseException:
        _close(grader, folder)
        raise
    stop, watching = threading.Event(), threading.Event()
    threads = [threading.Thread(target=server.run, name="preview server", daemon=True),
               threading.Thread(target=watch, args=(preview, server, stop, watching, report),
                                name="preview watcher", daemon=True)]
    for thread in threads:
        thread.start()
    server.started.wait()
    watching.wait()
    try:
        yield server
    finally:
        stop.set()
        server.stop()
        for thread in threads:
            thread.join(timeout=10)
        _close(grader, folder)


def _close(grader: Grader | None, folder: Path) -> None:
    if grader is not None:
        grader.close()
    shutil.rmtree(folder, ignore_errors=True)


def serve(project: Project, out_dir: Path | None, base_url: str | None, host: str, port: int,
          open_browser: bool) -> int:
    """`build.py serve`: preview until Ctrl+C or SIGTERM. The preview has its own folder; `out_dir` is left alone."""
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        with running_preview(project, host, port, base_url, report=print_outcome) as server:
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
    raise KeyboardInterrupt  # stopped as by Ctrl+C: the grader stopped, the preview's folder removed


def print_outcome(what: str, outcome: Outcome) -> None:
    if outcome.errors:
        for problem in outcome.errors:
            print(problem, file=sys.stderr)
        print("The browser shows these problems; fix the file and save.", file=sys.stderr, flush=True)
    elif outcome.pages_changed or what == "built":
        print(f"{what}: {outcome.pages_changed} page{'s' if outcome.pages_changed != 1 else ''} changed "
              f"in {outcome.seconds * 1000:.0f} ms", flush=True)


def _write_atomically(folder: Path, file: OutputFile) -> None:
    """Write beside the file and rename over it: a page is never served half written."""
    target = folder / file.path
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".writing-", dir=target.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(file.content)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
