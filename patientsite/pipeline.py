"""Pipeline: the recipe of a build — load → validate → convert → check → render → write."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .checks import check_links, check_readability
from .convert import MarkdownConverter
from .load import load_content
from .model import Content
from .problems import ContentError, Problem, Problems
from .render import OutputFile, SiteRenderer
from .texts import convert_texts
from .write import write_site


@dataclass(frozen=True)
class Project:
    """Where a site's parts live. By default, the folders beside build.py."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"


@dataclass
class BuildReport:
    pages: int = 0
    files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    grades: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


def check_site(project: Project, base_url: str | None = None) -> tuple[list[OutputFile], BuildReport]:
    """Everything a build does except writing: the files it would write, or ContentError with every problem."""
    started = time.perf_counter()
    problems = Problems()
    content = _load_and_validate(project, problems)
    texts = convert_texts(content, MarkdownConverter())
    check_links(content, texts, problems)
    grades = check_readability(content, texts, problems)
    problems.raise_if_errors()
    renderer = SiteRenderer(content, texts, _environment(project), base_url or content.site.base_url)
    files = _render(renderer, _static_files(project, problems), project)
    problems.raise_if_errors()
    pages = sum(1 for f in files if f.path.endswith(".html"))
    report = BuildReport(pages, len(files), problems.warnings, grades, time.perf_counter() - started)
    return files, report


def build_site(project: Project, out_dir: Path, base_url: str | None = None) -> BuildReport:
    files, report = check_site(project, base_url)
    write_site(files, out_dir)
    return report


def _load_and_validate(project: Project, problems: Problems) -> Content:
    from .validate import validate_content

    if not project.content_dir.is_dir():
        problems.add("content", 1, "folder", "the content folder does not exist",
                     f"run the build from the project folder, or create {project.content_dir}")
        problems.raise_if_errors()
    loaded = load_content(project.content_dir, project.root, problems)
    content = validate_content(loaded, _display(project.content_dir, project.root), problems)
    problems.raise_if_errors()
    assert content is not None  # validate returns None only together with problems
    return content


def _environment(project: Project) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(renderer: SiteRenderer, static_files: dict[str, bytes], project: Project) -> list[OutputFile]:
    try:
        return renderer.render_all(static_files)
    except jinja2.TemplateSyntaxError as error:
        raise _template_problem(error.name or error.filename or "?", error.lineno, error.message, project)
    except jinja2.TemplateError as error:
        name, line = _template_frame(error)
        raise _template_problem(name, line, str(error), project)


def _template_problem(name: str, line: int, message: str, project: Project) -> ContentError:
    file = _display(project.templates_dir / name, project.root)
    problem = Problem(file, line or 1, "template", message or "cannot be rendered",
                      "fix the template; templates/README in the editing guide lists what each page receives")
    return ContentError([problem])


def _template_frame(error: BaseException) -> tuple[str, int]:
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".html"):
            return Path(frame.filename).name, frame.lineno or 1
    return "?", 1


def _static_files(project: Project, problems: Problems) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if not project.static_dir.is_dir():
        return files
    for path in sorted(project.static_dir.rglob("*")):
        if path.is_symlink():
            problems.add(_display(path, project.root), 1, "file", "is a symbolic link",
                         "replace the link with the file itself")
        elif path.is_file() and not path.name.startswith("."):
            files[path.relative_to(project.static_dir).as_posix()] = path.read_bytes()
    return files


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
