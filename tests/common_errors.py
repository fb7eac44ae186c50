"""The editing guide's "Common errors and their fixes", made from the bad-content cases in
tests/fixtures/bad/.

Each case folder holds a content overlay, `mistake.txt` (the mistake in an editor's words) and `expected.txt`
(the message it must produce). The guide shows each mistake with the full message the build prints for it,
so the guide says exactly what an editor will see. `test_common_errors.py` fails when guide and cases differ;

    python tests/common_errors.py

writes the section again (run it after adding a case or changing a message).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from projects import BAD_CASES, MINIMAL_CONTENT, REPO, make_project, overlay

GUIDE = REPO / "docs" / "editing.md"
HEADING = "## Common errors and their fixes"
INTRO = """\
<!-- Made from the cases in tests/fixtures/bad/ by `python tests/common_errors.py`; do not edit by hand. -->

Each mistake below comes with the message the build prints for it: the file and line, the field, what is
wrong, and after the dash how to fix it. The build lists every problem it finds at once; fix them from the
top, because one mistake can hide the next.
"""


def mistake_of(case: Path) -> str:
    path = case / "mistake.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    return case.name.replace("-", " ").capitalize()


def message_of(case: Path, project: Path) -> str:
    """The full line the build prints for the case: the one that contains the case's expected message."""
    from patientsite.pipeline import Project, check_site
    from patientsite.problems import ContentError

    shutil.rmtree(project / "content")
    shutil.copytree(MINIMAL_CONTENT, project / "content")
    overlay(project, case)
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip()
    try:
        check_site(Project(project))
    except ContentError as error:
        for problem in error.errors:
            if expected in str(problem):
                return str(problem)
        raise AssertionError(f"{case.name}: no problem contains {expected!r}: {error}") from None
    raise AssertionError(f"{case.name}: the build found no problem")


def common_errors_section() -> str:
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder) / "project")
        entries = sorted((mistake_of(case), message_of(case, project)) for case in BAD_CASES)
    body = "".join(f"\n**{mistake}**\n\n    {message}\n" for mistake, message in entries)
    return f"{HEADING}\n\n{INTRO}{body}"


def guide_section(guide: str) -> str:
    return guide[guide.index(HEADING) :]


def write_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    GUIDE.write_text(guide[: guide.index(HEADING)] + common_errors_section(), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    write_guide()
    print(f"wrote the common errors of {len(BAD_CASES)} cases into {GUIDE.relative_to(REPO)}")
