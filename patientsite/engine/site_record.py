"""Site record: what the last build left in an output folder — each file's key, digest and place on disk.

The next build into that folder renders again only the pages whose key changed, and writes only the files
whose bytes changed; every other file is linked from the site as it stands. A file is taken as the last
build left it only while its size, time and inode are the ones recorded: a file changed by hand is made again.
Only keys and digests are kept, never the files' bytes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from patientsite.engine.cache import BuildCache, key_of
from patientsite.output.write import KeptFile
from patientsite.render.site import OutputFile
from patientsite.render.units import Unit

STORE = "site"


@dataclass(frozen=True)
class Written:
    key: str
    digest: str
    size: int
    mtime_ns: int
    inode: int


class SiteRecord:
    def __init__(self, cache: BuildCache, out_dir: Path):
        self.out_dir = out_dir.absolute()
        self.store = cache.store(STORE)
        self.folder = key_of("site", str(self.out_dir))
        last: dict[str, Written] = self.store.get(self.folder) or {}  # type: ignore[assignment]
        self.last = {path: written for path, written in last.items() if self._intact(path, written)}
        self.made: dict[str, tuple[str, str]] = {}  # path → (key, digest) of this build's files

    def kept_keys(self) -> dict[str, str]:
        """Each file still as the last build left it, with its key."""
        return {path: written.key for path, written in self.last.items()}

    def staged(self, unit: Unit) -> OutputFile | KeptFile:
        """What the writer stages for a unit: the file there already when its key or its bytes are the
        same."""
        last = self.last.get(unit.path)
        if unit.content is None:
            assert last is not None and last.key == unit.key, f"{unit.path} was not rendered, yet not kept"
            self.made[unit.path] = (unit.key, last.digest)
            return KeptFile(unit.path)
        digest = hashlib.sha256(unit.content).hexdigest()
        self.made[unit.path] = (unit.key, digest)
        if last is not None and last.digest == digest:
            return KeptFile(unit.path)
        return OutputFile(unit.path, unit.content)

    def remember(self) -> None:
        """After the swap: this build's files as they now stand in the output folder."""
        written = {}
        for path, (key, digest) in self.made.items():
            status = os.lstat(self.out_dir / path)
            written[path] = Written(key, digest, status.st_size, status.st_mtime_ns, status.st_ino)
        self.store.put(self.folder, written)

    def _intact(self, path: str, written: Written) -> bool:
        try:
            status = os.lstat(self.out_dir / path)
        except OSError:
            return False
        return (status.st_size, status.st_mtime_ns, status.st_ino) == (
            written.size,
            written.mtime_ns,
            written.inode,
        )
