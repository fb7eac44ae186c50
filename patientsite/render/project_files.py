"""Project files: what rendering reads from the project besides the content — the templates (as a Jinja
environment; a template that cannot be rendered is a Problem in its file) and the static files."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2
import jinja2.bccache

from patientsite.engine.cache import Store, key_of
from patientsite.problems import Problem, Problems
from patientsite.project import Project

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


def template_environment(project: Project, compiled: Store | None = None) -> jinja2.Environment:
    """The project's templates, each compiled: from `compiled` (the build's cache) when its source is the
    one compiled before, else now. One environment a templates folder for the life of the process, so the
    preview compiles a template again only when its file changed (Jinja checks its time on each use).
    They are compiled here, before rendering starts workers, so that no worker compiles them again."""
    environment = _environment(project.templates_dir)
    assert isinstance(environment.bytecode_cache, CompiledTemplates)
    environment.bytecode_cache.store = compiled
    for name in environment.list_templates(filter_func=lambda name: name.endswith(TEMPLATE_SUFFIXES)):
        environment.get_template(name)
    return environment


@functools.cache
def _environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=CompiledTemplates(),
    )


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in a store of the build's cache, by template and source: compiling the
    templates takes a fifth of a second, as long as a whole build that finds nothing changed."""

    def __init__(self) -> None:
        self.store: Store | None = None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(key_of(bucket.key, bucket.checksum)) if self.store is not None else None
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)  # Jinja checks its version and the source's checksum again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self.store is not None:
            self.store.put(key_of(bucket.key, bucket.checksum), bucket.bytecode_to_string())


class TemplateFailed(Exception):
    """A template could not be rendered: its problem, reported with every other problem of the build."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@contextmanager
def templates_as_problems(project: Project) -> Iterator[None]:
    try:
        yield
    except jinja2.TemplateSyntaxError as error:
        name, line, message = error.name or error.filename or "?", error.lineno, error.message
        raise TemplateFailed(_template_problem(name, line, message, project)) from None
    except jinja2.TemplateError as error:
        name, line = _template_frame(error, project.templates_dir)
        raise TemplateFailed(_template_problem(name, line, str(error), project)) from None


def _template_problem(name: str, line: int, message: str, project: Project) -> Problem:
    file = shown_path(project.templates_dir / name, project.root)
    return Problem(
        file,
        line or 1,
        "template",
        message or "cannot be rendered",
        "fix the template; templates/README in the editing guide lists what each page receives",
    )


def _template_frame(error: BaseException, templates_dir: Path) -> tuple[str, int]:
    """The template (any kind: .html, .xml, .txt) and line the error was raised in: its innermost frame
    whose file is in the templates folder."""
    folder = templates_dir.resolve()
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(folder):
            return path.relative_to(folder).as_posix(), frame.lineno or 1
    return "?", 1


def read_static_files(project: Project, problems: Problems) -> dict[str, bytes]:
    """Every file under static/ by its path there (not hidden ones); a symbolic link is a problem."""
    files: dict[str, bytes] = {}
    for path in _every_path(project.static_dir):
        if path.is_symlink():
            _link_problem(path, project, problems)
        elif path.is_file() and not path.name.startswith("."):
            files[path.relative_to(project.static_dir).as_posix()] = path.read_bytes()
    return files


def refuse_links(folder: Path, project: Project, problems: Problems) -> None:
    """A symbolic link among the templates could bring any file of the machine into the site."""
    for path in _every_path(folder):
        if path.is_symlink():
            _link_problem(path, project, problems)


def _every_path(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.is_dir() else []


def _link_problem(path: Path, project: Project, problems: Problems) -> None:
    where = shown_path(path, project.root)
    problems.add(where, 1, "file", "is a symbolic link", "replace the link with the file itself")


def shown_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
