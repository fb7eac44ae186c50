"""Pipeline: the recipe of a build — load → validate → convert → check → render → write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from patientsite.checks.grading import Grader, grade_texts
from patientsite.checks.links import check_glossary_use, check_links
from patientsite.checks.reading import check_readability, pages_to_grade, score_names
from patientsite.content.changes import check_updated_dates
from patientsite.content.load import load_content
from patientsite.content.model import Content
from patientsite.engine.cache import (
    BuildCache,
    code_version,
    content_fingerprint,
    file_digest,
    folder_fingerprint,
    key_of,
)
from patientsite.engine.site_record import SiteRecord
from patientsite.markdown.convert import MarkdownConverter, MarkdownUnreadable
from patientsite.markdown.texts import PageText, Progress, convert_texts
from patientsite.output.write import KeptFile, write_site
from patientsite.problems import ContentError, Problem, Problems
from patientsite.project import BuildReport, Project
from patientsite.render.project_files import (
    TemplateFailed,
    read_static_files,
    refuse_links,
    shown_path,
    template_environment,
    templates_as_problems,
)
from patientsite.render.site import OutputFile, SitemapPage, SiteRenderer
from patientsite.render.units import Unit, frame_key, other_units, page_units


@dataclass(frozen=True)
class Build:
    """What one build made: the content model and its converted texts (the preview starts from these when
    an editor saves), the files to write, and the report."""

    content: Content
    texts: dict[str, PageText]
    files: list[OutputFile]
    report: BuildReport
    keys: dict[str, str] = field(default_factory=dict)  # each file's key: what the next build compares


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
    previous: Build | None = None,
    save_cache: bool = True,
) -> Build:
    """The whole build but writing, every file in memory (the preview serves them from there); `grader`
    measures reading grades (by default one is started if needed). A page whose key is the one it had in
    `previous` is not rendered again: its bytes are taken from there. With `save_cache` false the cache's
    changes stay in memory until its owner saves it (the preview, when it stops: writing the stores after
    every save would cost more than the rebuild of one page)."""
    earlier = {file.path: file.content for file in previous.files} if previous else {}
    kept = previous.keys if previous else {}
    made: dict[str, tuple[bytes, str]] = {}  # each file's bytes and key, in the order of the site

    def render_in_memory(renderer: SiteRenderer, static_files: dict[str, bytes], finish: Finish) -> Counts:
        with templates_as_problems(project):
            units = list(_units(project, renderer, static_files, cache, kept))
        finish()
        for unit in units:
            made[unit.path] = (earlier[unit.path] if unit.content is None else unit.content, unit.key)
        return _counts(made)

    content, texts, report = _run(project, base_url, cache, progress, grader, render_in_memory, save_cache)
    files = [OutputFile(path, data) for path, (data, _) in made.items()]
    return Build(content, texts, files, report, {path: key for path, (_, key) in made.items()})


def _units(
    project: Project,
    renderer: SiteRenderer,
    static_files: dict[str, bytes],
    cache: BuildCache | None,
    kept: Mapping[str, str],
) -> Iterator[Unit]:
    """Every output file as a unit, pages first; a page whose key `kept` holds is not rendered."""
    renderer.use_static_files(static_files)  # the icon, which every page shows: part of the frame
    frame = frame_key(renderer, folder_fingerprint(project.templates_dir), code_version())
    pages: list[SitemapPage] = []  # what the sitemap needs of each page: not its bytes, which go on
    for page in page_units(renderer, frame, kept, cache.store("parts") if cache else None):
        pages.append(SitemapPage(page.unit.path, page.updated, page.listed))
        yield page.unit
    rows = cache.store("search") if cache else None
    yield from other_units(renderer, static_files, pages, rows)


def build_site(
    project: Project,
    out_dir: Path,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """The site built into out_dir: the pages whose key changed rendered again, the files whose bytes
    changed written, the others linked from the site there now; swapped in only once all is well."""
    cache = cache or BuildCache.in_memory()
    record = SiteRecord(cache, out_dir)

    def render_and_write(renderer: SiteRenderer, static_files: dict[str, bytes], finish: Finish) -> Counts:
        def files() -> Iterator[OutputFile | KeptFile]:
            for unit in _units(project, renderer, static_files, cache, record.kept_keys()):
                yield record.staged(unit)
            finish()  # the grades and the gate: a problem there stops the swap

        with templates_as_problems(project):
            write_site(files(), out_dir)
        record.remember()
        return _counts(record.made)

    return _run(project, base_url, cache, progress, None, render_and_write)[2]


Finish = Callable[[], None]  # waits for the reading grades; raises ContentError with every problem found
Counts = tuple[int, int]  # pages, files
Output = Callable[[SiteRenderer, dict[str, bytes], Finish], Counts]  # renders (and writes)


def _counts(paths: Iterable[str]) -> Counts:
    paths = list(paths)
    return sum(1 for path in paths if path.endswith(".html")), len(paths)


def _run(
    project: Project,
    base_url: str | None,
    cache: BuildCache | None,
    progress: Progress | None,
    grader: Grader | None,
    output: Output,
    save_cache: bool = True,
) -> tuple[Content, dict[str, PageText], BuildReport]:
    """The recipe: load → validate → convert → check, then `output` renders (and writes) while the grades
    are measured; the cache around it all."""
    started = time.perf_counter()
    cache = cache or BuildCache.in_memory()
    problems = Problems()
    content_key = _content_key(project)
    grades: dict[str, float] = {}
    with _grader_for(cache, content_key, grader) as measuring:
        try:
            content, as_keyed = _load_and_validate(project, problems, cache, content_key)
            if not as_keyed:  # a file saved while it was read: keep nothing under a key not this content's
                cache = BuildCache.in_memory()
            check_updated_dates(project.content_dir, project.root, problems)  # against git: never cached
            texts = _convert_texts(project, content, cache, progress)
            finish_checks = _start_checks(content, texts, content_key, cache, problems, progress, measuring)

            def finish() -> None:
                grades.update(finish_checks())
                problems.raise_if_errors()

            counts = (0, 0)
            try:
                base = base_url or content.site.base_url
                rendering = _render_site(project, content, texts, base, problems, progress, cache)
                counts = output(*rendering, finish) if rendering else finish() or counts  # while grading
            except TemplateFailed as failed:
                problems.items.append(failed.problem)
                finish()
        except ContentError:
            if save_cache:
                cache.save(prune=False)
            raise
    if save_cache:
        cache.save()
    seconds = time.perf_counter() - started
    report = BuildReport(*counts, problems.warnings, grades, seconds, score_names(content))
    return content, texts, report


def _content_key(project: Project) -> str:
    return key_of(
        "content", shown_path(project.content_dir, project.root), content_fingerprint(project.content_dir)
    )


def _load_and_validate(
    project: Project, problems: Problems, cache: BuildCache, key: str
) -> tuple[Content, bool]:
    """The content model, each unchanged file's document found in the cache (not even read). And whether
    the model is `key`'s, the hash of the content folder taken before: not when a file was saved while the
    files were read (what is kept under the key must stand for the content it was made from)."""
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
    loaded = load_content(project.content_dir, project.root, problems, cache.store("files"), file_digest)
    label = shown_path(project.content_dir, project.root)
    content = validate_content(loaded, label, problems, cache.store("markdown-checks"))
    problems.raise_if_errors()
    assert content is not None  # validate returns None only together with problems
    return content, _content_key(project) == key


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
        file = f"{shown_path(project.content_dir, project.root)}/{error.page_key}"
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
    """Links now; reading grades measured meanwhile (each page's words once, then cached): call the result
    to wait for the grades and the gate. Content that passed before, unchanged, passes again with the same
    grades."""
    stored = cache.store("checks").get(content_key)
    if stored is not None:
        grades, found = stored
        problems.items.extend(found)
        return lambda: grades
    already = len(problems.items)
    check_links(content, texts, problems, cache.store("links"))
    if (
        not problems.errors
    ):  # a warning that cannot stop the build waits until it can be built: errors come first
        check_glossary_use(content, texts, problems)
    graded, new_words = pages_to_grade(content, texts, cache.store("words"))
    measured = grade_texts(graded, new_words, cache.store("grades"), progress, grader)

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
    problems: Problems,
    progress: Progress | None,
    cache: BuildCache,
) -> tuple[SiteRenderer, dict[str, bytes]] | None:
    """What renders the pages, and the static files; none for content with problems already found (the
    grades may still be measuring), nor when a template or static file is a link (a problem too). A template
    that cannot be compiled raises TemplateFailed."""
    if problems.errors:
        return None
    if progress:
        progress("rendering", 0, 0)
    found = len(problems.errors)
    refuse_links(project.templates_dir, project, problems)
    static_files = read_static_files(project, problems)
    if len(problems.errors) > found:
        return None
    with templates_as_problems(project):
        environment = template_environment(project, cache.store("templates"))
    return SiteRenderer(content, texts, environment, base_url), static_files
