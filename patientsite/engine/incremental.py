"""Incremental: after a save inside one topic, that topic's pages made again from the last build, at once.

A topic's model is made from its own folder alone (validate reads nothing else for it), so its files are
read and validated again on their own, the new topic takes the old one's place in the last build's model,
its changed texts are converted, and only its pages are rendered: the pages a save inside a topic can
change (its sections and tools, its index, sources and handout; the home page too when topic.yaml changed).

This is a head start for the preview, not the last word: the preview checks the new pages' links and
reading grades before it shows them, and the full build that follows (cached, so it redoes only what
changed) settles every page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import jinja2

from patientsite.content.load import CONTENT_SUFFIXES, Document, LoadedContent, is_hidden, load_file
from patientsite.content.load import display_name as _display  # the same names for files as the full build
from patientsite.content.model import Content, Topic
from patientsite.content.validate import HOME_FILE, SITE_FILE, TOPIC_FILE, validate_content
from patientsite.engine.cache import BuildCache
from patientsite.markdown.convert import MarkdownConverter, MarkdownUnreadable
from patientsite.markdown.texts import PageText, convert_texts
from patientsite.pipeline import Build, Project, read_static_files
from patientsite.problems import Problem, Problems
from patientsite.render.site import OutputFile, SiteRenderer

DocumentMemo = dict[
    Path, tuple[tuple[int, int, int], Document]
]  # file → (size, time of change, inode), document


@dataclass(frozen=True)
class TopicRebuild:
    """The pages of one topic made again, or the problems in its files that stop it; and the content and
    texts they were made from, for the checks the pages must pass before they are shown."""

    files: list[OutputFile]
    errors: list[Problem]
    content: Content | None = None
    texts: dict[str, PageText] = dataclasses.field(default_factory=dict)


def changed_topic(project: Project, build: Build, changed: set[Path]) -> str | None:
    """The one topic folder that every changed file belongs to, when each is a page or topic.yaml it had."""
    keys = {_content_key(project, path) for path in changed}
    if None in keys or not keys:
        return None
    folders = {key.partition("/")[0] for key in keys if "/" in key}
    if len(folders) != 1:
        return None
    folder = folders.pop()
    topic = _topic_in(build.content, folder)
    known = {page.key for page in topic.sections + topic.tools} | {topic.key} if topic else set()
    return folder if keys <= known and all(path.is_file() for path in changed) else None


def rebuild_topic(
    project: Project,
    build: Build,
    folder: str,
    base_url: str | None,
    cache: BuildCache,
    converter: MarkdownConverter,
    environment: jinja2.Environment,
    documents: DocumentMemo | None = None,
) -> TopicRebuild | None:
    """The topic's pages from its files as they are now; None when only the full build can tell.

    `documents` keeps the files read last time, so an unchanged file is not parsed again.
    """
    problems = Problems()
    label = _display(project.content_dir, project.root)
    loaded = _load_topic(project, folder, problems, {} if documents is None else documents)
    partial = validate_content(loaded, label, problems)
    topic = _topic_in(partial, folder) if partial else None
    errors = [p for p in problems.errors if p.file.startswith(f"{label}/{folder}/")]
    if errors or topic is None:
        return TopicRebuild([], errors) if errors else None
    old = _topic_in(build.content, folder)
    if old is None:
        return None
    content = dataclasses.replace(
        build.content, topics=tuple(topic if t.key == topic.key else t for t in build.content.topics)
    )
    try:
        texts = {
            **build.texts,
            **convert_texts(Content(content.site, content.home, (topic,)), converter, cache.store("texts")),
        }
    except MarkdownUnreadable:
        return None  # the full build reports it, with the file
    renderer = SiteRenderer(content, texts, environment, base_url or content.site.base_url)
    renderer.use_static_files(read_static_files(project, problems))
    views = list(renderer.topic_views(topic))
    if _topic_fields(topic) != _topic_fields(old):
        views.append(renderer.home_view())
    try:
        return TopicRebuild([renderer.render_page(view) for view in views], [], content, texts)
    except Exception:  # noqa: BLE001 — a template error is the full build's to report, with its line
        return None


def _load_topic(project: Project, folder: str, problems: Problems, memo: DocumentMemo) -> LoadedContent:
    """site.yaml, the home page and the topic's own files: all that validating the topic reads."""
    paths = [project.content_dir / SITE_FILE, project.content_dir / HOME_FILE]
    paths += sorted(
        p
        for p in (project.content_dir / folder).rglob("*")
        if p.suffix in CONTENT_SUFFIXES and p.is_file() and not is_hidden(p, project.content_dir)
    )
    documents: dict[str, Document] = {}
    unreadable: set[str] = set()
    for path in paths:
        key = path.relative_to(project.content_dir).as_posix()
        document = _load_file(path, _display(path, project.root), problems, memo)
        if document is None:
            unreadable.add(key)
        else:
            documents[key] = document
    return LoadedContent(documents, frozenset(unreadable))


def _load_file(path: Path, display_name: str, problems: Problems, memo: DocumentMemo) -> Document | None:
    """The file's document, read again only if its size or time of change differs from last time."""
    try:
        status = path.lstat()
    except OSError:
        return None
    stamp = (status.st_size, status.st_mtime_ns, status.st_ino)
    if path in memo and memo[path][0] == stamp:
        return memo[path][1]
    document = load_file(path, display_name, problems)
    if document is not None:
        memo[path] = (stamp, document)
    return document


def _topic_in(content: Content, folder: str) -> Topic | None:
    return next((t for t in content.topics if t.key == f"{folder}/{TOPIC_FILE}"), None)


def _topic_fields(topic: Topic) -> Topic:
    """The topic without its pages: what the home page may show of it (title, names, sources)."""
    return dataclasses.replace(topic, sections=(), tools=())


def _content_key(project: Project, path: Path) -> str | None:
    try:
        return path.absolute().relative_to(project.content_dir.absolute()).as_posix()
    except ValueError:
        return None
