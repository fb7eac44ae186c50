"""Project: where a site's parts live, and what a build of it reports.

Kept apart from the engine, which imports every library a build uses, so that the command can name the
project and repeat the last build's report (unchanged.py) without loading any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from patientsite.problems import Problem


@dataclass(frozen=True)
class Project:
    """Where a site's parts live. By default, the folders beside build.py."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"


@dataclass
class BuildReport:
    pages: int = 0
    files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    grades: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    score_names: dict[str, str] = field(
        default_factory=dict
    )  # what each grade is: 'reading grade', 'Fernández-Huerta'
