"""Write: the rendered files → the output folder, all at once or not at all.

The build is written into a new folder beside the output folder and swapped in only when every file is
written, so a failed or interrupted build leaves the last good site exactly as it was. On Linux the two
folders trade places in one step, so the output folder is never missing, not even for an instant; elsewhere
the old one is moved aside first, and a build killed between the two moves is mended by the next build.
One build at a time writes into a folder (a lock file beside it); a second one waits for the first.
A file the build did not change (a `KeptFile`) is hard-linked from the current site into the new folder
(copied where links are not possible), so it is not written again and keeps its time.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patientsite.project import Project

if TYPE_CHECKING:  # only named here: the command imports this module before it knows it will render
    from patientsite.render.site import OutputFile

STAGING_PREFIX = ".building-"
RETIRED_PREFIX = ".retired-"
LOCK_PREFIX = ".writing-"
SITE_MARKERS = (".nojekyll", "index.html")


@dataclass(frozen=True)
class KeptFile:
    """A file whose bytes are those of the file at the same path in the current site."""

    path: str


class OutputFolderError(Exception):
    """The output folder cannot be used (it holds something that is not a built site)."""


def write_site(files: Iterable[OutputFile | KeptFile], out_dir: Path) -> None:
    """Write the files (taken one at a time: each may be let go once written) and swap them in."""
    out_dir = out_dir.absolute()
    _refuse_foreign_folder(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _writing_lock(out_dir):
        _write_and_swap(files, out_dir)


def _write_and_swap(files: Iterable[OutputFile | KeptFile], out_dir: Path) -> None:
    recover_interrupted(out_dir)
    # Named before it is made, so that a Ctrl+C the instant after it appears still finds it to remove.
    staging = out_dir.parent / f"{STAGING_PREFIX}{out_dir.name}-{secrets.token_hex(6)}"
    try:
        staging.mkdir(mode=0o700)
        folders = {staging}  # made already: each folder is made once, not once a file
        for file in files:
            _write_file(staging, file, folders, out_dir)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def _writing_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time writes into a folder: a second one would take the first's staging folder for one a
    killed build left behind, and delete it. The second waits, and says so. The lock file goes when the write
    is done; a build that was waiting on it then finds it gone and locks the next one."""
    lock_path = out_dir.parent / f"{LOCK_PREFIX}{out_dir.name}.lock"
    said = False
    while True:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not said:
                print(
                    f"another build is writing {out_dir}; waiting for it to finish",
                    file=sys.stderr,
                    flush=True,
                )
                said = True
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        if _is_current(descriptor, lock_path):
            break
        os.close(descriptor)  # the build before removed this lock file while we waited on it
    try:
        yield
    finally:
        os.unlink(lock_path)
        os.close(descriptor)


def _is_current(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:
        return False


def recover_interrupted(out_dir: Path) -> None:
    """Tidy what a killed build left behind: half-written folders go; a retired site comes back if needed."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    for stray in parent.glob(f"{STAGING_PREFIX}{out_dir.name}-*"):
        shutil.rmtree(stray, ignore_errors=True)
    retired = sorted(parent.glob(f"{RETIRED_PREFIX}{out_dir.name}-*"))
    if retired and not out_dir.exists():
        os.rename(retired.pop(), out_dir)
    for old in retired:
        shutil.rmtree(old, ignore_errors=True)


def _write_file(root: Path, file: OutputFile | KeptFile, folders: set[Path], current: Path) -> None:
    # The staging folder is new and holds only what this build wrote (no links), so reading '..' in the path
    # is enough to know where the file would land: no need to ask the system about every folder on the way.
    relative = os.path.normpath(file.path)
    if os.path.isabs(relative) or relative in (".", "..") or relative.startswith("../"):
        raise OutputFolderError(f"refusing to write {file.path!r} outside the output folder")
    target = root / relative
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    if isinstance(file, KeptFile):
        _keep(current / relative, target)
    else:
        target.write_bytes(file.content)


def _keep(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(source, target, follow_symlinks=False)


def _swap_in(staging: Path, out_dir: Path) -> None:
    os.chmod(staging, 0o755)
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # the staging name now holds the previous site
        return
    retired = Path(tempfile.mkdtemp(prefix=f"{RETIRED_PREFIX}{out_dir.name}-", dir=out_dir.parent))
    os.rmdir(retired)
    os.rename(out_dir, retired)
    os.rename(staging, out_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE); False where that is not
    possible."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # an old kernel, or a file system without it
        return False
    raise OSError(error, os.strerror(error), str(second))


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28, or not glibc
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def check_output_folder(out_dir: Path, project: Project) -> None:
    """Refuse, before anything looks inside it, an output folder that a build must never replace: one that
    holds the project (the whole disk, with --out /), or one inside a folder the site is made from."""
    out_dir = out_dir.resolve()
    if out_dir == project.root.resolve() or out_dir in project.root.resolve().parents:
        raise OutputFolderError(
            f"{out_dir} holds the project itself, and a build replaces its output folder; "
            "choose a new folder for the site, such as site/"
        )
    for source in (project.content_dir, project.templates_dir, project.static_dir):
        if out_dir == source.resolve() or source.resolve() in out_dir.parents:
            raise OutputFolderError(
                f"{out_dir} is inside {source.name}/, which the site is made from: each build would publish "
                f"the one before inside it; choose a folder outside {source.name}/, such as site/"
            )
    _refuse_foreign_folder(out_dir)


def _refuse_foreign_folder(out_dir: Path) -> None:
    """Replacing a folder deletes what was in it: only ever replace a folder that a build made."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir} is a file, not a folder")
    if any(out_dir.iterdir()) and not all((out_dir / marker).exists() for marker in SITE_MARKERS):
        raise OutputFolderError(
            f"{out_dir} is not empty and does not look like a built site; choose another --out folder"
        )
