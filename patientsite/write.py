"""Write: the rendered files → the output folder, all at once or not at all.

The build is written into a new folder beside the output folder and swapped in only when every file is
written, so a failed or interrupted build leaves the last good site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .render import OutputFile

STAGING_PREFIX = ".building-"
RETIRED_PREFIX = ".retired-"
SITE_MARKERS = (".nojekyll", "index.html")


class OutputFolderError(Exception):
    """The output folder cannot be used (it holds something that is not a built site)."""


def write_site(files: list[OutputFile], out_dir: Path) -> None:
    out_dir = out_dir.absolute()
    _refuse_foreign_folder(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{out_dir.name}-", dir=out_dir.parent))
    try:
        for file in sorted(files, key=lambda f: f.path):
            _write_file(staging, file)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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


def _write_file(root: Path, file: OutputFile) -> None:
    target = (root / file.path).resolve()
    if root.resolve() not in target.parents:
        raise OutputFolderError(f"refusing to write {file.path!r} outside the output folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(file.content)


def _swap_in(staging: Path, out_dir: Path) -> None:
    os.chmod(staging, 0o755)
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f"{RETIRED_PREFIX}{out_dir.name}-", dir=out_dir.parent))
    os.rmdir(retired)
    os.rename(out_dir, retired)
    os.rename(staging, out_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _refuse_foreign_folder(out_dir: Path) -> None:
    """Replacing a folder deletes what was in it: only ever replace a folder that a build made."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir} is a file, not a folder")
    if any(out_dir.iterdir()) and not all((out_dir / marker).exists() for marker in SITE_MARKERS):
        raise OutputFolderError(
            f"{out_dir} is not empty and does not look like a built site; choose another --out folder")
