"""Interrupted builds: killed at any moment, a build leaves site/ whole — the last good build, or the new one
once it has been swapped in, never a mix and never missing — and nothing that trips the next build.

build.py runs as a subprocess on a project of PAGES section pages, and is stopped at various moments: while it
reads and converts, as soon as its staging folder appears (while it writes), and a little later. SIGKILL
gives it no chance to tidy up; SIGINT (Ctrl+C) must end with a short message, not a traceback, and so must
SIGTERM once build.py has started (before that, it ends the process as SIGKILL would).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projects import REPO, make_project, run_build, snapshot

from patientsite import write
from patientsite.render import OutputFile
from patientsite.write import STAGING_PREFIX, write_site

PAGES = 150
PAGE = """---
title: Part {number}
summary: Part {number} of the guide, in plain words.
updated: 2026-11-01
---
## What to know

Most people feel fine [@nhs-anaemia]. Your doctor can check your blood. A nurse will help you.
Rest when you feel tired. Drink plenty of water. Ask if you do not understand.

## What to do

Eat well each day [@medlineplus-anemia]. Keep a list of your medicines. Call if you are worried.
"""


def make_big_project(root: Path) -> Path:
    """The small test project with PAGES more sections: enough work that a stop lands in the middle of it."""
    project = make_project(root)
    topic = project / "content" / "anaemia" / "topic.yaml"
    names = [f"part-{number:03}.md" for number in range(PAGES)]
    for number, name in enumerate(names):
        (project / "content" / "anaemia" / name).write_text(PAGE.format(number=number), encoding="utf-8")
    listed = "".join(f"  - {name}\n" for name in names)
    topic.write_text(topic.read_text(encoding="utf-8").replace("sections:\n", "sections:\n" + listed, 1),
                     encoding="utf-8")
    return project


def change_every_page(project: Path) -> None:
    """A new site title: every page of the next build differs from the last good one."""
    site = project / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("title: Test guide", "title: Test guide, new"),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, object]:
    """The project with its last good site (old), and the site the changed content makes (new)."""
    project = make_big_project(tmp_path_factory.mktemp("interrupted") / "project")
    assert run_build(project).returncode == 0
    changed = tmp_path_factory.mktemp("changed") / "project"
    shutil.copytree(project, changed)
    change_every_page(changed)
    assert run_build(changed).returncode == 0
    return {"project": project, "old": snapshot(project / "site"), "new": snapshot(changed / "site")}


def start_build(project: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, str(project / "build.py")], cwd=project, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def wait_for_staging(project: Path, process: subprocess.Popen, seconds: float = 120) -> bool:
    """Wait until the build has made its staging folder (True), or has ended without one (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(entry.name.startswith(STAGING_PREFIX) for entry in os.scandir(project)):
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    raise AssertionError("the build neither wrote nor ended")


def stop(process: subprocess.Popen, how: signal.Signals) -> None:
    """SIGKILL to the whole process group (workers too, as when a machine dies); SIGINT as Ctrl+C sends it."""
    try:
        os.killpg(process.pid, how)
    except ProcessLookupError:
        pass  # it had already finished


def strays(project: Path) -> list[str]:
    return [p.name for p in project.iterdir() if p.name.startswith((STAGING_PREFIX, write.RETIRED_PREFIX))]


STOPS = [  # (signal, moment, seconds after that moment)
    (signal.SIGKILL, "while reading", 0.5),
    (signal.SIGKILL, "as writing starts", 0),
    (signal.SIGKILL, "while writing", 0.005),
    (signal.SIGKILL, "after writing", 0.3),
    (signal.SIGINT, "while reading", 0.5),
    (signal.SIGINT, "as writing starts", 0),
    (signal.SIGTERM, "as writing starts", 0),
]


@pytest.mark.parametrize("how, moment, delay", STOPS, ids=[f"{how.name} {moment}" for how, moment, _ in STOPS])
def test_a_stopped_build_leaves_a_whole_site_and_the_next_build_succeeds(builds, tmp_path, how, moment, delay):
    project = tmp_path / "project"
    shutil.copytree(builds["project"], project)
    change_every_page(project)

    process = start_build(project)
    if moment == "while reading":
        time.sleep(delay)
    else:
        wait_for_staging(project, process)
        time.sleep(delay)
    stop(process, how)
    _, stderr = process.communicate(timeout=120)

    site = snapshot(project / "site")
    assert site in (builds["old"], builds["new"]), "the site is neither the last good build nor the new one"
    if how == signal.SIGTERM and process.returncode == -how:
        pass  # stopped while Python was still starting, before build.py could answer: as good as SIGKILL
    elif how != signal.SIGKILL and process.returncode != 0:
        assert process.returncode == 128 + how, stderr
        assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
        assert "stopped; the site folder still holds the last complete build" in stderr
        assert not strays(project), "a stopped build left its staging folder behind"

    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert snapshot(project / "site") == builds["new"]
    assert not strays(project), "the next build left a staging or retired folder"


# --- the swap itself, stopped at the one moment a subprocess cannot be made to hit ------------------------------

SITE = [OutputFile("index.html", b"old"), OutputFile(".nojekyll", b"")]
NEW_SITE = [OutputFile("index.html", b"new"), OutputFile(".nojekyll", b"")]


def test_the_swap_is_one_step_where_the_system_allows(tmp_path, monkeypatch):
    if write._renameat2() is None:
        pytest.skip("renameat2 is not available here: the two-rename fallback is used (tested below)")
    out = tmp_path / "site"
    write_site(SITE, out)
    renames = []
    monkeypatch.setattr(write.os, "rename", lambda *args: renames.append(args))
    write_site(NEW_SITE, out)
    assert renames == [], "the site was swapped in by renames, so for a moment it was missing"
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_killed_just_after_the_swap_the_new_site_stands_and_the_next_build_tidies_up(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site(SITE, out)
    with monkeypatch.context() as patch:
        patch.setattr(write.shutil, "rmtree", _die)  # the process dies as it starts to delete the old site
        with pytest.raises(_Killed):
            write_site(NEW_SITE, out)
    assert (out / "index.html").read_bytes() == b"new"
    write_site(NEW_SITE, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_a_one_step_swap_a_build_killed_between_the_renames_is_mended(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "_renameat2", lambda: None)
    out = tmp_path / "site"
    write_site(SITE, out)
    real_rename = os.rename
    calls = []

    def rename_then_die(source, target):
        calls.append(target)
        if len(calls) == 2:  # the old site is moved aside; the process dies before the new one moves in
            raise _Killed
        real_rename(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(write.os, "rename", rename_then_die)
        patch.setattr(write.shutil, "rmtree", _die)  # and it dies before it can tidy up
        with pytest.raises(_Killed):
            write_site(NEW_SITE, out)
    assert not out.exists()
    write.recover_interrupted(out)
    assert (out / "index.html").read_bytes() == b"old"
    write_site(NEW_SITE, out)
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


class _Killed(BaseException):
    """Stands for the end of the process: like SIGKILL, nothing after it runs."""


def _die(*args, **kwargs):
    raise _Killed
