"""Changes: a page whose text changed since the last commit while its `updated:` date did not (a warning).

Readers trust a page's "last updated" date, and a translation is out of date only when its original's date
says so: an edit that leaves the date alone leaves no trace. Only where the content folder is in a git work
tree: one `git diff` names the files changed since the last commit, one `git cat-file` gives their committed
text, and each is compared with the file as it is now. Without git, or outside a repository, nothing is said.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from patientsite.content.load import CONTENT_SUFFIXES, YamlMap, parse_markdown, parse_yaml
from patientsite.problems import Problems

# Fields that record the page rather than say something to readers: changing them needs no new date.
NOT_TEXT = frozenset({"updated", "reviewed_by", "reviewed_on", "next_review", "translation_of", "draft"})
GIT_SECONDS = 10


def check_updated_dates(content_dir: Path, project_root: Path, problems: Problems) -> None:
    """Warn of each content file whose text differs from the last commit's while its `updated` is the same."""
    listed = _git(content_dir, ["diff", "--name-only", "--relative", "-z", "HEAD", "--", "."])
    names = [
        name
        for name in (listed or b"").decode("utf-8", "replace").split("\0")
        if name.endswith(CONTENT_SUFFIXES) and "\n" not in name and (content_dir / name).is_file()
    ]
    if not names:
        return
    committed = _committed_texts(content_dir, names)
    for name in names:
        if name in committed:
            _compare(
                content_dir / name, _display(content_dir / name, project_root), committed[name], problems
            )


def _compare(path: Path, display_name: str, committed: str, problems: Problems) -> None:
    try:
        current = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # load reports a file it cannot read
    now, before = _parsed(current, path, display_name), _parsed(committed, path, display_name)
    if now is None or before is None:
        return
    (mapping, text), (_, text_before) = now, before
    updated = mapping["updated"]
    # A page already dated today was edited again today: its date is right.
    if text != text_before and updated == before[0]["updated"] and updated != date.today():
        problems.warn(
            display_name,
            mapping.line_of("updated"),
            "updated",
            "the text changed since the last commit but 'updated:' did not",
            "set it to today's date",
        )


def _parsed(text: str, path: Path, display_name: str) -> tuple[YamlMap, object] | None:
    """A file's fields (with its `updated`) and what it says to readers; None if it has no `updated` or cannot
    be read (validate reports that)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    ignored = Problems()
    if path.suffix == ".md":
        document = parse_markdown(text, display_name, ignored)
        if document is None:
            return None
        mapping, body = document.meta, " ".join(document.body.split())  # the same words, however wrapped
    else:
        mapping, body = parse_yaml(text, display_name, ignored), None
    if not isinstance(mapping, YamlMap) or "updated" not in mapping:
        return None
    return mapping, ({key: value for key, value in mapping.items() if key not in NOT_TEXT}, body)


def _committed_texts(content_dir: Path, names: list[str]) -> dict[str, str]:
    """Each file's text in the last commit (a file new since then has none), read in one call."""
    request = "".join(f"HEAD:./{name}\n" for name in names).encode("utf-8")
    output = _git(content_dir, ["cat-file", "--batch"], request)
    texts: dict[str, str] = {}
    position = 0
    for name in names:
        if output is None:
            break
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        position = header_end + 1
        if len(header) != 3 or header[1] != b"blob":  # "HEAD:./x missing": not in the last commit
            continue
        size = int(header[2])
        texts[name] = output[position : position + size].decode("utf-8", "replace")
        position += size + 1
    return texts


def _git(folder: Path, arguments: list[str], given: bytes | None = None) -> bytes | None:
    """What a git command prints, run in `folder`; None without git, outside a work tree, or before a
    commit."""
    try:
        completed = subprocess.run(
            ["git", *arguments],
            cwd=folder,
            input=given,
            capture_output=True,
            timeout=GIT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return completed.stdout if completed.returncode == 0 else None


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
