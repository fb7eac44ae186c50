"""Listing: which files under content/ a build reads — every file with a content suffix and every symbolic
link (which the loader refuses), none hidden. The loader reads them, and the cache's fingerprint of the
content hashes the same list; this module imports nothing heavy, so a build that finds nothing changed
lists them as fast as it can.
"""

from __future__ import annotations

import os
from pathlib import Path

CONTENT_SUFFIXES = (".yaml", ".yml", ".md")


def content_files(content_dir: Path) -> list[tuple[str, str, bool]]:
    """(path under content/, full path, is a symbolic link) of each file the loader reads, in order of path:
    none hidden or in a hidden folder, and none of the files a linked folder holds (it is not followed)."""
    found: list[tuple[tuple[str, ...], str, str, bool]] = []

    def look_in(folder: str, parts: tuple[str, ...]) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                here = (*parts, entry.name)
                if entry.is_symlink():
                    found.append((here, "/".join(here), entry.path, True))
                elif entry.is_dir():
                    look_in(entry.path, here)
                elif os.path.splitext(entry.name)[1] in CONTENT_SUFFIXES and entry.is_file():
                    found.append((here, "/".join(here), entry.path, False))

    look_in(str(content_dir), ())
    return [(key, path, is_link) for _, key, path, is_link in sorted(found)]
