"""Unchanged: the last build again, when nothing it was made from has changed — found without the engine.

A site is made from the content, the templates, the static files, the base URL and the code (every store
of the cache belongs to one version of the code). When all of these are as they were for the last build
into an output folder, and the folder still holds exactly what that build left there, a build would write
the same files again: its report is the answer, at once. Only a build that wrote its site is remembered
(one with errors writes nothing), so the report repeats only its warnings; and only when its inputs were the
same at its end as at its start: a file saved during a build may be half in it, and is built again next time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from patientsite.engine.cache import BuildCache, content_fingerprint, folder_fingerprint, key_of
from patientsite.project import BuildReport, Project

STORE = "builds"


@dataclass(frozen=True)
class SiteInputs:
    """Everything a build into one output folder is made from, as one hash."""

    key: str

    @classmethod
    def of(cls, project: Project, out_dir: Path, base_url: str | None) -> SiteInputs:
        folders = (project.templates_dir, project.static_dir)
        content = content_fingerprint(project.content_dir)
        return cls(
            key_of(
                "site", str(out_dir.absolute()), base_url, content, *(folder_fingerprint(f) for f in folders)
            )
        )


def last_report(inputs: SiteInputs, out_dir: Path, cache: BuildCache) -> BuildReport | None:
    """The report of the last build from these inputs, if the output folder is still as it left it."""
    stored = cache.store(STORE).get(inputs.key)
    if stored is None:
        return None
    listing, report = stored
    return report if listing == folder_listing(out_dir) else None


def remember(inputs: SiteInputs, out_dir: Path, report: BuildReport, cache: BuildCache) -> None:
    """Keep the report of a build that has just written its site, with what it left in the output folder."""
    store = cache.store(STORE)
    store.put(inputs.key, (folder_listing(out_dir), report))
    store.save()


def folder_listing(folder: Path) -> list[tuple[str, int, int]]:
    """Each file under a folder with its size and time of change: any edit or new file changes it."""
    listing = []
    for directory, _, names in os.walk(folder):
        for name in names:
            status = os.lstat(os.path.join(directory, name))
            listing.append((os.path.join(directory, name), status.st_size, status.st_mtime_ns))
    return sorted(listing)
