"""Serve: live preview — the same build, run again on every save, served with livereload's reload script.

The preview builds into a temporary folder, never into site/. When a file is saved it first makes again the
pages of the topic the file is in (incremental.py: milliseconds, even on a large site) and checks their links
and reading grades, then it runs the full build (cached: only changed work is redone), which has the last
word. Open pages are told to reload only once the checks a save can break have run, so the first thing the
browser shows after a save is the new page or what is wrong with it, never a page that then turns into a
problem. While something is wrong, every page is the last good build with the list of problems over it
(file and line, as the terminal prints them), and the list goes by itself once the file is fixed; when no
build has succeeded yet, the list is the whole page (preview_templates/). The server keeps running through
any mistake, and through an exception of our own in a rebuild: it is shown as a problem, and the next save
is tried again.

Pages are served exactly as built, with two additions: `<script src="/livereload.js?snipver=N">` before
`</head>`, where N counts the rebuilds that changed what is served, and while there are problems their list
and its stylesheet. A page that connects after a rebuild it missed (the editor fixed the file while the
page was still loading) says so by its N, and is told to reload at once: no save is ever lost between a
page's load and its connection.
The site's Content-Security-Policy (default-src 'self') forbids inline scripts and styles, and livereload's
own injected snippet is inline, so this layer injects the script and the problems' stylesheet as same-origin
files instead; the script's websocket back to the same host and port is 'self' too.
The preview answers only requests addressed to it (Host 127.0.0.1, localhost or the --host given, with its
port), and its websocket only pages of its own origin: a page of another site, even through DNS rebinding,
can read neither the drafts nor the problems.
From livereload it uses the browser script and the websocket handler (its reload protocol); watching is
watchfiles' (inotify), serving is tornado's.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from patientsite.checks.grading import Grader, grade_texts
from patientsite.checks.links import check_links, check_readability, pages_to_grade
from patientsite.content.model import Content
from patientsite.engine.cache import BuildCache
from patientsite.engine.incremental import DocumentMemo, TopicRebuild, changed_topic, rebuild_topic
from patientsite.markdown.convert import MarkdownConverter
from patientsite.pipeline import Build, Project, make_build, template_environment
from patientsite.problems import ContentError, Problem, Problems
from patientsite.render.site import OutputFile

RELOAD_SCRIPT = '<script src="/livereload.js?snipver={generation}"></script>\n'  # livereload.js sends snipver
PREVIEW_FILES = Path(__file__).parent / "templates"
PROBLEMS_STYLESHEET = "/__preview__/problems.css"  # served by the preview, never part of the site
HEAD_END = b"</head>"
BODY_START = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
WATCH_STEP_MS = 10  # how long a burst of file events may take to settle before the rebuild starts
WATCH_TIMEOUT_MS = 200  # how often the watcher looks up from waiting, to notice it is asked to stop

_preview_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PREVIEW_FILES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Outcome:
    """What one rebuild showed: pages written, or the problems shown instead; and how long it took."""

    pages_changed: int
    errors: list[Problem]
    seconds: float


@dataclass(frozen=True)
class Reply:
    """The answer to one request: status, content type, body; and where to go instead, for a redirect."""

    status: int
    content_type: str
    body: bytes
    location: str | None = None


class Preview:
    """The site as the editor's files are now, in a folder: rebuilt on every change, errors kept for display."""

    def __init__(
        self,
        project: Project,
        folder: Path,
        base_url: str | None,
        cache: BuildCache,
        grader: Grader | None = None,
    ):
        self.project = project
        self.grader = grader  # kept running: each rebuild measures only new words, with the dictionary loaded
        self.folder = folder
        self.base_url = base_url
        self.cache = cache
        self.converter = MarkdownConverter()
        self.environment = template_environment(project)  # reloads a template when it changes
        self.documents: DocumentMemo = {}  # content files as last read, for the topic rebuilds
        self.build: Build | None = None  # the last build without errors
        self.errors: list[Problem] = []  # what is wrong now; the browser shows these over the pages
        self.written: dict[str, bytes] = {}
        self.generation = 1  # counts rebuilds that changed what is served (from 1: livereload.js drops a 0)
        self.lock = threading.Lock()

    def watched_folders(self) -> list[Path]:
        """content/ (site.yaml, the site's configuration, is in it), templates/ and static/."""
        folders = [self.project.content_dir, self.project.templates_dir, self.project.static_dir]
        return [folder for folder in folders if folder.is_dir()]

    def rebuild_all(self) -> Outcome:
        """The full build, as `build.py` makes it; an exception of ours is shown as a problem, not raised."""
        started = time.perf_counter()
        try:
            build = make_build(self.project, self.base_url, self.cache, grader=self.grader)
            outcome = self._show_pages(build.files, started, complete=True)
        except ContentError as error:
            return self._show_errors(error.errors, started)
        except Exception as error:  # noqa: BLE001 — a bug of ours must not end the preview: shown, retried
            return self._show_errors([unexpected_problem(error)], started)
        self.build = build
        return outcome

    def rehearse(self) -> None:
        """Make one topic's pages and throw them away, so that what a topic rebuild needs the first time (the
        templates, Babel's dates, the converter's patterns) is ready: the first save is as quick as the next.
        The full build made the pages in worker processes, which took what they loaded with them."""
        if self.build is not None and self.build.content.topics:
            folder = self.build.content.topics[0].key.partition("/")[0]
            self._rebuild(folder)

    def _rebuild(self, folder: str):
        """One topic's pages made again over the last build, with what the preview keeps between saves."""
        return rebuild_topic(
            self.project,
            self.build,
            folder,
            self.base_url,
            self.cache,
            self.converter,
            self.environment,
            self.documents,
        )

    def rebuild_topic(self, changed: set[Path]) -> Outcome | None:
        """A head start when every changed file is inside one topic: that topic's pages, made and checked at
        once; or its problems. None when only the full build can tell, and for a translated topic that has no
        problems: its translation may have one now, which only the full build finds."""
        if self.build is None:
            return None
        folder = changed_topic(self.project, self.build, changed)
        if folder is None or any(
            not problem.file.startswith(f"content/{folder}/") for problem in self.errors
        ):
            return None
        started = time.perf_counter()
        try:
            rebuilt = self._rebuild(folder)
            if rebuilt is None:
                return None
            errors = rebuilt.errors or self._check(rebuilt, folder)
            if errors:
                return self._show_errors(errors, started)
            if _is_translated(self.build.content, folder):
                return None
            return self._show_pages(rebuilt.files, started, complete=False)
        except Exception:  # noqa: BLE001 — the full build that follows has the last word, and reports it
            return None

    def page(self, path: str) -> Reply:
        """The answer for a request path: a file of the site, with the problems over it while there are any."""
        if "\0" in path:
            return Reply(400, "text/plain; charset=utf-8", b"A file name cannot hold a NUL character.\n")
        file = self._file_for(path)
        if file is not None and file.name == "index.html" and path and not path.endswith(("/", ".html")):
            return Reply(
                301, "text/plain; charset=utf-8", b"", location=f"/{quote(path)}/"
            )  # relative links need it
        content_type = mimetypes.guess_type(file.name if file else path)[0] or "application/octet-stream"
        is_page = content_type == "text/html" or file is None or file.suffix == ".html"
        with self.lock:  # the generation is read before the page: a page is never older than its stamp
            errors, generation, built = list(self.errors), self.generation, self.build is not None
        if errors and is_page and not built:
            return Reply(500, "text/html; charset=utf-8", with_reload_script(error_page(errors), generation))
        if file is None:
            not_found = self.folder / "404.html"
            body = (
                not_found.read_bytes() if not_found.is_file() else b"<!doctype html><title>Not found</title>"
            )
            return Reply(404, "text/html; charset=utf-8", served_page(body, generation, errors))
        body = file.read_bytes()
        if content_type == "text/html":
            return Reply(200, "text/html; charset=utf-8", served_page(body, generation, errors))
        return Reply(200, content_type, body)

    def _check(self, rebuilt: TopicRebuild, folder: str) -> list[Problem]:
        """What the full build would find wrong with the rebuilt topic: its links (and the links into it from
        every other page) and its pages' reading grades."""
        content = rebuilt.content
        assert content is not None  # a rebuild without problems has its content
        problems = Problems()
        check_links(content, rebuilt.texts, problems)
        topic = next(t for t in content.topics if t.key.partition("/")[0] == folder)
        graded = pages_to_grade(Content(content.site, content.home, (topic,)), rebuilt.texts)
        graded = [page for page in graded if page.page.key != content.home.key]
        reading_grade = grade_texts(graded, self.cache.store("grades"), grader=self.grader)()
        check_readability(content, graded, problems, reading_grade)
        return problems.errors

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


def _is_translated(content: Content, folder: str) -> bool:
    return any(
        topic.key.split("/")[1:2] == [folder] for edition in content.translations for topic in edition.topics
    )


def unexpected_problem(error: Exception) -> Problem:
    """An exception of ours during a rebuild, as a problem: where in the generator, and what to do."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "patientsite" in Path(frame.filename).parts] or frames or [None]
    frame = ours[-1]
    where = Path(frame.filename) if frame else Path("patientsite")
    file = (
        "/".join(where.parts[where.parts.index("patientsite") :])
        if "patientsite" in where.parts
        else str(where)
    )
    return Problem(
        file,
        frame.lineno or 1 if frame else 1,
        "preview",
        f"the build stopped on an error in the generator ({type(error).__name__}: {error})",
        "this is a fault in patientsite, not in your files: save again to retry, and if it stays, "
        "report it with this message",
    )


def served_page(page: bytes, generation: int, errors: list[Problem]) -> bytes:
    """A page as the preview serves it: the reload script, and the problems over it while there are any."""
    if errors:
        page = with_problems(page, errors)
    return with_reload_script(page, generation)


def with_reload_script(page: bytes, generation: int) -> bytes:
    """The page with the reload script before </head>: the one difference between preview and build."""
    script = RELOAD_SCRIPT.format(generation=generation).encode()
    if HEAD_END not in page:
        return page + script
    return page.replace(HEAD_END, script + HEAD_END, 1)


def with_problems(page: bytes, errors: list[Problem]) -> bytes:
    """The last good page with the list of problems at the top of its body, and the list's stylesheet."""
    stylesheet = f'<link rel="stylesheet" href="{PROBLEMS_STYLESHEET}">\n'.encode()
    problems = (
        _preview_templates.get_template("problems.html")
        .render(problems=errors, count=_count(errors))
        .encode()
    )
    page = page.replace(HEAD_END, stylesheet + HEAD_END, 1) if HEAD_END in page else stylesheet + page
    found = BODY_START.search(page)
    at = found.end() if found else len(page)
    return page[:at] + b"\n" + problems + page[at:]


def error_page(errors: list[Problem]) -> bytes:
    """The whole page while there is no good build to show: the problems, as the terminal prints them."""
    return (
        _preview_templates.get_template("error.html")
        .render(problems=errors, count=_count(errors), stylesheet=PROBLEMS_STYLESHEET)
        .encode()
    )


def _count(errors: list[Problem]) -> str:
    return f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers (and origins' host:port) the preview answers: its own address, by number or name."""
    names = {"127.0.0.1", "localhost", host.lower()}
    names = {f"[{name}]" if ":" in name else name for name in names}
    addresses = {f"{name}:{port}" for name in names}
    return frozenset(addresses | names if port == 80 else addresses)


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
        hosts = {"hosts": allowed_hosts(self.host, self.port)}
        application = web.Application(
            [
                (r"/livereload", _ReloadHandler, {"preview": self.preview, **hosts}),
                (r"/livereload\.js", _ReloadScriptHandler, hosts),
                (re.escape(PROBLEMS_STYLESHEET), _ProblemsStylesheetHandler, hosts),
                (r"/(.*)", _PreviewHandler, {"preview": self.preview, **hosts}),
            ],
            log_function=lambda handler: None,
        )
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


class _OwnHostOnly(web.RequestHandler):
    """Answers only requests addressed to the preview: another Host is a page of another site (DNS
    rebinding) trying to read the drafts."""

    def initialize(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def prepare(self) -> None:
        if self.request.host.lower() not in self.hosts:
            raise web.HTTPError(403, reason="Not this preview's address")

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: {self._reason}\n")


class _PreviewHandler(_OwnHostOnly):
    def initialize(self, preview: Preview, hosts: frozenset[str]) -> None:
        super().initialize(hosts)
        self.preview = preview

    def get(self, path: str) -> None:
        reply = self.preview.page(path)
        self.set_status(reply.status)
        self.set_header("Content-Type", reply.content_type)
        self.set_header("Cache-Control", "no-store")
        if reply.location is not None:
            self.set_header("Location", reply.location)
        self.write(reply.body)


class _ReloadScriptHandler(_OwnHostOnly, LiveReloadJSHandler):
    pass


class _ProblemsStylesheetHandler(_OwnHostOnly):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write((PREVIEW_FILES / "problems.css").read_bytes())


class _ReloadHandler(_OwnHostOnly, LiveReloadHandler):
    """livereload's websocket, for pages of the preview's own origin only; and one more rule: a page stamped
    before the latest rebuild reloads at once."""

    def initialize(self, preview: Preview, hosts: frozenset[str]) -> None:
        super().initialize(hosts)
        self.preview = preview

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc.lower() in self.hosts  # livereload's own answers True to any site

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


def watch(
    preview: Preview,
    server: PreviewServer,
    stop: threading.Event,
    watching: threading.Event,
    report: Callable[[str, Outcome], None],
) -> None:
    """On every save: the topic's pages first (when that applies, checked), then the full build; open pages
    reload after each that changed what is served.

    `watching` is set once the folders are watched (the first, empty, batch of changes says so).
    """
    for changes in watchfiles.watch(
        *preview.watched_folders(),
        step=WATCH_STEP_MS,
        stop_event=stop,
        rust_timeout=WATCH_TIMEOUT_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        watching.set()
        if not changes:
            continue
        changed = {Path(path) for _, path in changes}
        first = preview.rebuild_topic(changed)
        if first is not None:
            _after(first, server, report, "updated")
        _after(preview.rebuild_all(), server, report, "rebuilt")


def _after(
    outcome: Outcome, server: PreviewServer, report: Callable[[str, Outcome], None], what: str
) -> None:
    if outcome.pages_changed:
        server.reload_pages()
    report(what, outcome)


@contextmanager
def running_preview(
    project: Project,
    host: str = "127.0.0.1",
    port: int = 0,
    base_url: str | None = None,
    report: Callable[[str, Outcome], None] | None = None,
) -> Iterator[PreviewServer]:
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
    threads = [
        threading.Thread(target=server.run, name="preview server", daemon=True),
        threading.Thread(
            target=watch, args=(preview, server, stop, watching, report), name="preview watcher", daemon=True
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
        _close(grader, folder)


def _close(grader: Grader | None, folder: Path) -> None:
    if grader is not None:
        grader.close()
    shutil.rmtree(folder, ignore_errors=True)


def serve(
    project: Project, out_dir: Path | None, base_url: str | None, host: str, port: int, open_browser: bool
) -> int:
    """`build.py serve`: preview until Ctrl+C or SIGTERM. The preview has its own folder; `out_dir` is left alone."""
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
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
    raise KeyboardInterrupt  # stopped as by Ctrl+C: the grader stopped, the preview's folder removed


class TerminalReport:
    """Prints each rebuild's outcome; a problem already printed and still there is not printed again (a save
    runs two rebuilds, and many editors save twice in a row)."""

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
            f"{what}: {outcome.pages_changed} page{'s' if outcome.pages_changed != 1 else ''} changed "
            f"in {outcome.seconds * 1000:.0f} ms",
            flush=True,
        )


def _write_atomically(folder: Path, file: OutputFile) -> None:
    """Write beside the file and rename over it: a page is never served half written."""
    target = folder / file.path
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".writing-", dir=target.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(file.content)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
