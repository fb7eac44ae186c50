"""State: what the preview shows — the last good build's files (in memory), the problems found since, and a
generation that counts the rebuilds that changed what is served; and the rebuild that updates them.

A rebuild is `build.py`'s own pipeline (`make_build`), run with a cache kept between saves, so that work
for files that did not change is found again. Its files are kept as a dict from path to bytes and served
from there: nothing is written to disk but the cache, once after the first build and again when the preview
stops (writing it after every save would take longer than rebuilding a page). When the build finds
problems, the last good files stay and the problems are shown over them; an exception of our own in a
rebuild is shown the same way (never swallowed), and the next save is tried again.
"""

from __future__ import annotations

import mimetypes
import posixpath
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from patientsite.checks.grading import Grader
from patientsite.engine.cache import BuildCache
from patientsite.pipeline import Build, Project, make_build
from patientsite.preview.pages import error_page, served_page, with_reload_script
from patientsite.problems import ContentError, Problem

NOT_FOUND = b"<!doctype html><title>Not found</title>"  # when the site has no 404 page of its own


@dataclass(frozen=True)
class Outcome:
    """What one rebuild showed: how many files changed (or 1 when the problems changed), the problems shown
    instead of the new files; and how long it took."""

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
    """The site as the editor's files are now, rebuilt on every change; read from any thread."""

    def __init__(
        self, project: Project, base_url: str | None, cache: BuildCache, grader: Grader | None = None
    ):
        self.project = project
        self.base_url = base_url
        self.cache = cache  # kept between rebuilds: each redoes only the work its changes need
        self.grader = grader  # kept running: each rebuild measures only new words, with the dictionary loaded
        self.last_build: Build | None = None  # none until a build succeeds; the next reuses its pages
        self.files: dict[str, bytes] = {}  # the last good build's files, by path
        self.errors: list[Problem] = []  # what is wrong now; the browser shows these over the pages
        self.generation = 1  # counts rebuilds that changed what is served (from 1: livereload.js drops a 0)
        self.lock = threading.Lock()  # files, errors and generation change together

    def watched_folders(self) -> list[Path]:
        """content/ (site.yaml, the site's configuration, is in it), templates/ and static/."""
        folders = [self.project.content_dir, self.project.templates_dir, self.project.static_dir]
        return [folder for folder in folders if folder.is_dir()]

    def rebuild(self) -> Outcome:
        """The build, as `build.py` makes it, shown: its files, or its problems over the last good files."""
        started = time.perf_counter()
        try:
            build = make_build(
                self.project,
                self.base_url,
                self.cache,
                grader=self.grader,
                previous=self.last_build,
                save_cache=self.last_build is None,  # the first build's work is saved at once
            )
        except ContentError as error:
            return self._show_errors(error.errors, started)
        except Exception as error:  # noqa: BLE001 — a bug of ours must not end the preview: shown, retried
            return self._show_errors([unexpected_problem(error)], started)
        return self._show_files(build, started)

    def save_cache(self) -> None:
        """The work of every rebuild since the first, written for the next preview or build (at the end)."""
        self.cache.save()

    def page(self, path: str) -> Reply:
        """The answer for a request path: a file of the site, with the problems over it, if any."""
        if "\0" in path:
            return Reply(400, "text/plain; charset=utf-8", b"A file name cannot hold a NUL character.\n")
        with self.lock:  # one consistent view: a page is never older than its generation's stamp
            files, errors, generation = self.files, list(self.errors), self.generation
            built = self.last_build is not None
        name = file_for(files, path)
        if name is not None and is_folder(name, path) and not path.endswith(("/", ".html")):
            return Reply(301, "text/plain; charset=utf-8", b"", location=f"/{quote(path)}/")  # relative links
        content_type = mimetypes.guess_type(name or path)[0] or "application/octet-stream"
        if errors and not built and (name is None or content_type == "text/html"):
            return Reply(500, "text/html; charset=utf-8", with_reload_script(error_page(errors), generation))
        if name is None:
            body = files.get("404.html", NOT_FOUND)
            return Reply(404, "text/html; charset=utf-8", served_page(body, generation, errors))
        if content_type == "text/html":
            return Reply(200, "text/html; charset=utf-8", served_page(files[name], generation, errors))
        return Reply(200, content_type, files[name])

    def _show_files(self, build: Build, started: float) -> Outcome:
        files = {file.path: file.content for file in build.files}
        with self.lock:
            changed = sum(1 for path, content in files.items() if self.files.get(path) != content)
            removed = len(self.files.keys() - files.keys())
            count = changed + removed + (1 if self.errors else 0)
            self.last_build, self.files, self.errors = build, files, []
            self.generation += 1 if count else 0
        return Outcome(count, [], time.perf_counter() - started)

    def _show_errors(self, errors: list[Problem], started: float) -> Outcome:
        with self.lock:
            changed, self.errors = self.errors != errors, list(errors)
            self.generation += 1 if changed else 0
        return Outcome(1 if changed else 0, list(errors), time.perf_counter() - started)


def file_for(files: dict[str, bytes], path: str) -> str | None:
    """The site's file a request path names: itself, or the index.html of a folder; None for any other."""
    name = posixpath.normpath("/" + path).lstrip("/")  # '..' cannot climb above the site's root
    if name in files:
        return name
    index = posixpath.join(name, "index.html") if name else "index.html"
    return index if index in files else None


def is_folder(name: str, path: str) -> bool:
    """Whether a request path named a folder (whose index.html answers it) rather than the file itself."""
    return bool(path) and posixpath.basename(name) == "index.html" and not path.endswith("index.html")


def unexpected_problem(error: Exception) -> Problem:
    """An exception of ours during a rebuild, as a problem: where in the generator, and what to do."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "patientsite" in Path(frame.filename).parts] or frames or [None]
    frame = ours[-1]
    where = Path(frame.filename) if frame else Path("patientsite")
    parts = where.parts
    file = "/".join(parts[parts.index("patientsite") :]) if "patientsite" in parts else str(where)
    return Problem(
        file,
        frame.lineno or 1 if frame else 1,
        "preview",
        f"the build stopped on an error in the generator ({type(error).__name__}: {error})",
        "this is a fault in patientsite, not in your files: save again to retry, and if it stays, "
        "report it with this message",
    )
