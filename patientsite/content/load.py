"""Load: content files → raw documents whose every value remembers the line it came from.

Nothing here judges what the content says; that is validate's job. Load only turns bytes into values, and
turns unreadable bytes (bad UTF-8, broken YAML, YAML tricks we refuse) into problems with a line number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from patientsite.content.listing import CONTENT_SUFFIXES, content_files
from patientsite.content.yaml_reading import INVISIBLE, MAX_NESTING, YamlList, YamlMap, parse_yaml
from patientsite.problems import Problems

__all__ = [
    "CONTENT_SUFFIXES",
    "INVISIBLE",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "Document",
    "LoadedContent",
    "MarkdownDocument",
    "Memo",
    "YamlDocument",
    "YamlList",
    "YamlMap",
    "display_name",
    "load_content",
    "load_file",
    "parse_markdown",
    "parse_yaml",
    "read_text",
]

MAX_FILE_BYTES = 200_000  # ten times the largest page of the guide; Markdown's time grows faster than size


@dataclass(frozen=True)
class YamlDocument:
    file: str
    data: object


@dataclass(frozen=True)
class MarkdownDocument:
    file: str
    meta: YamlMap
    body: str
    body_line: int  # the file line on which the body's first line stands


Document = YamlDocument | MarkdownDocument


class Memo(Protocol):
    """Where what a file's bytes gave is kept between builds (the pipeline gives a cache store): a value found
    by a key, or None."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...


Digest = Callable[[str], str]  # a file's path → the sha256 of its bytes


@dataclass(frozen=True)
class LoadedContent:
    documents: dict[str, Document]  # keyed by path relative to content/, e.g. 'leucopenia/causes.md'
    unreadable: frozenset[str]  # keys of files that exist but could not be read (their problems are reported)

    def failed_folders(self) -> frozenset[str]:
        return frozenset(key.rpartition("/")[0] for key in self.unreadable)


def load_content(
    content_dir: Path,
    project_dir: Path,
    problems: Problems,
    memo: Memo | None = None,
    digest_of: Digest | None = None,
) -> LoadedContent:
    """Every content file under content_dir, read into values that remember their lines. `memo` keeps, for
    each file's name and bytes, the document and the problems reading them gave: an unchanged file is not
    parsed again, and its problems are reported again as they were. `digest_of(path)`, the sha256 of a
    file's bytes as the cache knows it without reading them (the pipeline gives the cache's), finds an
    unchanged file in `memo` without even reading it."""
    documents: dict[str, Document] = {}
    unreadable: set[str] = set()
    shown = display_name(content_dir, project_dir)
    for key, path, is_link in content_files(content_dir):
        name = key if shown == "." else f"{shown}/{key}"
        if is_link:  # a linked file or folder could bring any file of the machine into the site
            problems.add(
                name, 1, "file", "is a symbolic link", "replace the link with the file or folder itself"
            )
            unreadable.add(key)
            continue
        document = load_file(Path(path), name, problems, memo, digest_of)
        if document is None:
            unreadable.add(key)
        else:
            documents[key] = document
    return LoadedContent(documents, frozenset(unreadable))


def load_file(
    path: Path,
    display_name: str,
    problems: Problems,
    memo: Memo | None = None,
    digest_of: Digest | None = None,
) -> Document | None:
    """One file's document, or None with its problems; with `memo`, what these bytes gave before."""
    kept = _kept_unread(path, display_name, memo, digest_of) if memo and digest_of else None
    if kept is None:
        raw = _raw_bytes(path, display_name, problems)
        if raw is None:
            return None
        if memo is None:
            return _document(path.suffix, raw, display_name, problems)
        key = _memo_key(display_name, hashlib.sha256(raw).hexdigest())  # of the bytes read, whatever came
        kept = memo.get(key)
        if kept is None:
            found = Problems()
            kept = (_document(path.suffix, raw, display_name, found), tuple(found.items))
            memo.put(key, kept)
    document, found_before = kept  # type: ignore[misc]
    problems.items.extend(found_before)
    return document


def _kept_unread(path: Path, display_name: str, memo: Memo, digest_of: Digest) -> object | None:
    """What `memo` keeps for the file's bytes as `digest_of` knows them; None (the file is then read, and
    any problem reading it reported) when it keeps nothing, or the file cannot be looked at."""
    try:
        return memo.get(_memo_key(display_name, digest_of(str(path))))
    except OSError:
        return None


def _memo_key(display_name: str, digest: str) -> str:
    return hashlib.sha256(f"{display_name}\0{digest}".encode()).hexdigest()


def _document(suffix: str, raw: bytes, display_name: str, problems: Problems) -> Document | None:
    text = _decoded(raw, display_name, problems)
    if text is None:
        return None
    if suffix == ".md":
        return parse_markdown(text, display_name, problems)
    data = parse_yaml(text, display_name, problems)
    return None if data is None else YamlDocument(display_name, data)


def read_text(path: Path, display_name: str, problems: Problems) -> str | None:
    raw = _raw_bytes(path, display_name, problems)
    return None if raw is None else _decoded(raw, display_name, problems)


def _raw_bytes(path: Path, display_name: str, problems: Problems) -> bytes | None:
    """The file's bytes, or None with a problem: a link, unreadable, or too large."""
    if path.is_symlink():
        problems.add(display_name, 1, "file", "is a symbolic link", "replace the link with the file itself")
        return None
    try:
        raw = _read_bytes(path)
    except OSError as error:
        problems.add(
            display_name,
            1,
            "file",
            f"cannot be read: {error.strerror or error}",
            "check that the file exists and that you may read it",
        )
        return None
    if raw is None:
        problems.add(
            display_name,
            1,
            "file",
            f"is larger than the limit of {MAX_FILE_BYTES:,} bytes",
            "split it into smaller pages",
        )
        return None
    return raw


def _decoded(raw: bytes, display_name: str, problems: Problems) -> str | None:
    """The bytes as text with Unix line ends, or None with a problem: not UTF-8, or an invisible character."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(
            display_name,
            line,
            "file",
            "is not valid UTF-8 text (a byte that no character uses)",
            "save the file as UTF-8 in your editor, and retype any odd characters on this line",
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    invisible = INVISIBLE.search(text)
    if invisible:
        problems.add(
            display_name,
            text.count("\n", 0, invisible.start()) + 1,
            "text",
            f"contains an invisible character (U+{ord(invisible.group()):04X})",
            "delete it: retype the words around it (it often comes with text copied from another program)",
        )
        return None
    return text


def _read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it is larger than MAX_FILE_BYTES (found without reading it all)."""
    with path.open("rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)
    return None if len(raw) > MAX_FILE_BYTES else raw


def parse_markdown(text: str, display_name: str, problems: Problems) -> MarkdownDocument | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(
            display_name,
            1,
            "front matter",
            "the file does not start with front matter",
            "start the file with a line '---', then title, summary and updated, then another '---'",
        )
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        problems.add(
            display_name,
            1,
            "front matter",
            "the front matter is never closed",
            "add a line '---' after the last front-matter field",
        )
        return None
    meta = parse_yaml("\n".join(lines[1:closing]), display_name, problems, first_line=2)
    if meta is None:
        return None
    if not isinstance(meta, YamlMap):
        problems.add(
            display_name,
            2,
            "front matter",
            "the front matter is not a list of 'field: value' lines",
            "write each field as 'name: value' on its own line",
        )
        return None
    body = "\n".join(lines[closing + 1 :])
    return MarkdownDocument(display_name, meta, body, closing + 2)


def display_name(path: Path, project_dir: Path) -> str:
    """How a file is named in problems: its path from the project's folder, e.g. content/site.yaml."""
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()
