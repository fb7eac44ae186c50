"""Pipeline: the recipe of a build — load → validate → convert → check → render → write."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2

from patientsite.checks.grading import Grader, grade_texts
from patientsite.checks.links import (
    check_glossary_use,
    check_links,
    check_readability,
    pages_to_grade,
    score_names,
)
from patientsite.content.changes import check_updated_dates
from patientsite.content.load import load_content
from patientsite.content.model import Content
from patientsite.engine.cache import BuildCache, folder_fingerprint, key_of
from patientsite.engine.unchanged import folder_listing
from patientsite.markdown.convert import MarkdownConverter, MarkdownUnreadable
from patientsite.markdown.texts import PageText, Progress, convert_texts
from patientsite.output.write import write_site
from patientsite.problems import ContentError, Problem, Problems
from patientsite.project import BuildReport, Project
from patientsite.render.site import OutputFile, SiteRenderer


@dataclass(frozen=True)
class Build:
    """What one build made: the content model and its converted texts (the preview starts from these when
    an editor saves), the files to write, and the report."""

    content: Content
    texts: dict[str, PageText]
    files: list[OutputFile]
    report: BuildReport


def check_site(
    project: Project,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    progress: Progress | None = None,
) -> tuple[list[OutputFile], BuildReport]:
    """Everything a build does except writing: the files it would write, or ContentError with every problem.

    `cache` holds work of earlier builds, found by a hash of what it was made from (by default none is kept);
    `progress(stage, done, total)` hears how far the build is.
    """
    build = make_build(project, base_url, cache, progress)
    return build.files, build.report


def make_build(
    project: Project,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    progress: Progress | None = None,
    grader: Grader | None = None,
) -> Build:
    """The whole build but writing; `grader` measures reading grades (by default one is started if needed)."""
    started = time.perf_counter()
    cache = cache or BuildCache.in_memory()
    problems = Problems()
    content_key = _content_key(project)
    with _grader_for(cache, content_key, grader) as measuring:
        try:
            content, as_keyed = _load_and_validate(project, problems, cache, content_key)
            if (
                not as_keyed
            ):  # a file saved while it was read: keep nothing under a key that is not this content's
                cache = BuildCache.in_memory()
            check_updated_dates(project.content_dir, project.root, problems)  # against git: never cached
            texts = _convert_texts(project, content, cache, progress)
            finish_checks = _start_checks(content, texts, content_key, cache, problems, progress, measuring)
            files = _render_site(
                project,
                content,
                texts,
                base_url or content.site.base_url,
                content_key,
                cache,
                problems,
                progress,
            )  # while the grader measures
            grades = finish_checks()
            problems.raise_if_errors()
        except ContentError:
            cache.save(prune=False)
            raise
    cache.save()
    pages = sum(1 for f in files if f.path.endswith(".html"))
    report = BuildReport(
        pages, len(files), problems.warnings, grades, time.perf_counter() - started, score_names(content)
    )
    return Build(content, texts, files, report)


def build_site(
    project: Project,
    out_dir: Path,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    cache = cache or BuildCache.in_memory()
    files, report = check_site(project, base_url, cache, progress)
    _write_unless_written(files, out_dir, cache)
    return report


def _content_key(project: Project) -> str:
    return key_of(
        "content", _display(project.content_dir, project.root), folder_fingerprint(project.content_dir)
    )


def _load_and_validate(
    project: Project, problems: Problems, cache: BuildCache, key: str
) -> tuple[Content, bool]:
    """The content model; `key`, a hash of the content folder, finds the model unchanged content made. And
    whether the model is that key's: not when a file was saved while the files were read (then it is not kept:
    kept under the key, it would stand for content it was not made from)."""
    from patientsite.content.validate import validate_content

    if not project.content_dir.is_dir():
        problems.add(
            "content",
            1,
            "folder",
            "the content folder does not exist",
            f"run the build from the project folder, or create {project.content_dir}",
        )
        problems.raise_if_errors()
    stored = cache.store("content").get(key)
    if stored is not None:
        content, found = stored
        problems.items.extend(found)
        return content, True
    loaded = load_content(project.content_dir, project.root, problems)
    content = validate_content(loaded, _display(project.content_dir, project.root), problems)
    problems.raise_if_errors()
    assert content is not None  # validate returns None only together with problems
    if _content_key(project) != key:
        return content, False
    cache.store("content").put(key, (content, list(problems.items)))
    return content, True


@contextmanager
def _grader_for(cache: BuildCache, content_key: str, grader: Grader | None) -> Iterator[Grader | None]:
    """The caller's grader; or, when this content has not passed its checks before, one started now, so that
    its dictionary loads while the content is read and converted."""
    if grader is not None or cache.store("checks").get(content_key) is not None:
        yield grader
        return
    grader = Grader.start()
    try:
        yield grader
    finally:
        if grader is not None:
            grader.close()


def _convert_texts(
    project: Project, content: Content, cache: BuildCache, progress: Progress | None
) -> dict[str, PageText]:
    """Every text converted; Markdown that cannot be converted is a problem in its file, not a traceback."""
    try:
        return convert_texts(content, MarkdownConverter(), cache.store("texts"), progress)
    except MarkdownUnreadable as error:
        file = f"{_display(project.content_dir, project.root)}/{error.page_key}"
        raise ContentError([Problem(file, 1, "text", error.message, error.hint)]) from None


def _start_checks(
    content: Content,
    texts: dict[str, PageText],
    content_key: str,
    cache: BuildCache,
    problems: Problems,
    progress: Progress | None,
    grader: Grader | None,
) -> Callable[[], dict[str, float]]:
    """Links now; reading grades measured meanwhile (each page's words once, then cached): call the result to
    wait for the grades and the gate. Content that passed before, unchanged, passes again with the same grades."""
    stored = cache.store("checks").get(content_key)
    if stored is not None:
        grades, found = stored
        problems.items.extend(found)
        return lambda: grades
    already = len(problems.items)
    check_links(content, texts, problems)
    if (
        not problems.errors
    ):  # a warning that cannot stop the build waits until it can be built: errors come first
        check_glossary_use(content, texts, problems)
    graded = pages_to_grade(content, texts)
    measured = grade_texts(graded, cache.store("grades"), progress, grader)

    def finish() -> dict[str, float]:
        grades = check_readability(content, graded, problems, measured())
        if not problems.errors:
            cache.store("checks").put(content_key, (grades, problems.items[already:]))
        return grades

    return finish


def _render_site(
    project: Project,
    content: Content,
    texts: dict[str, PageText],
    base_url: str | None,
    content_key: str,
    cache: BuildCache,
    problems: Problems,
    progress: Progress | None,
) -> list[OutputFile]:
    """Every output file; the same content, templates, static files and base URL give the files of last time.

    Nothing is rendered for content with problems already found (the grades may still be measuring)."""
    if problems.errors:
        return []
    key = key_of(
        "pages",
        content_key,
        folder_fingerprint(project.templates_dir),
        folder_fingerprint(project.static_dir),
        base_url,
    )
    stored = cache.store("pages").get(key)
    if stored is not None:
        return stored
    if progress:
        progress("rendering", 0, 0)
    found = len(problems.errors)
    _refuse_links(project.templates_dir, project, problems)
    static_files = read_static_files(project, problems)
    if len(problems.errors) > found:
        return []  # a template or static file that is a link: reported with every other problem
    renderer = SiteRenderer(content, texts, template_environment(project), base_url)
    try:
        files = _render(renderer, static_files, project)
    except ContentError as error:  # a template that cannot be rendered: reported with every other problem
        problems.items.extend(error.errors)
        return []
    cache.store("pages").put(key, files)
    return files


def _write_unless_written(files: list[OutputFile], out_dir: Path, cache: BuildCache) -> None:
    """Write the site, unless the output folder still holds exactly these files from the last build."""
    store = cache.store("written")
    key = key_of("written", str(out_dir.absolute()), *(part for f in files for part in (f.path, f.content)))
    if store.get(key) == folder_listing(out_dir):
        return
    write_site(files, out_dir)
    store.put(key, folder_listing(out_dir))
    store.save()


def template_environment(project: Project) -> jinja2.Environment:
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
    problem = Problem(
        file,
        line or 1,
        "template",
        message or "cannot be rendered",
        "fix the template; templates/README in the editing guide lists what each page receives",
    )
    return ContentError([problem])


def _template_frame(error: BaseException) -> tuple[str, int]:
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".html"):
            return Path(frame.filename).name, frame.lineno or 1
    return "?", 1


def read_static_files(project: Project, problems: Problems) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if not project.static_dir.is_dir():
        return files
    for path in sorted(project.static_dir.rglob("*")):
        if path.is_symlink():
            problems.add(
                _display(path, project.root),
                1,
                "file",
                "is a symbolic link",
                "replace the link with the file itself",
            )
        elif path.is_file() and not path.name.startswith("."):
            files[path.relative_to(project.static_dir).as_posix()] = path.read_bytes()
    return files


def _refuse_links(folder: Path, project: Project, problems: Problems) -> None:
    """A symbolic link among the templates could bring any file of the machine into the site."""
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_symlink():
            problems.add(
                _display(path, project.root),
                1,
                "file",
                "is a symbolic link",
                "replace the link with the file itself",
            )


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
