"""Interrupted builds: killed at any moment, a build leaves site/ whole — the last good build, or the new one
once it has been swapped in, never a mix and never missing — and nothing that trips the next build.

build.py runs as a subprocess on a project of PAGES section pages, and is stopped at various moments: while it
converts (its cache removed, so that every page is converted again), as soon as its staging folder appears,
while it writes, and just after it has swapped the new site in. Each stop waits for the build's own progress
to reach its moment, and a build that ended before it could be stopped, or that had gone past the moment
(converting done, or its site swapped in too soon), fails the test: every stop is tested where it says.
SIGKILL gives it no chance to tidy up; SIGINT (Ctrl+C) must end with a short message, not a traceback, and so
must SIGTERM once build.py has started (before that, it ends the process as SIGKILL would).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import make_large_project, run_build, snapshot
from support import python_env

from patientsite.engine.cache import CACHE_FOLDER
from patientsite.output import write
from patientsite.output.write import STAGING_PREFIX, write_site
from patientsite.render.site import OutputFile

PAGES = 150  # section pages more than the small test project's: enough work that a stop lands in it


def change_every_page(project: Path) -> None:
    """A new site title: every page of the next build differs from the last good one."""
    site = project / "content" / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("title: Test guide", "title: Test guide, new"),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, object]:
    """The project with its last good site (old), and the site the changed content makes (new)."""
    project = make_large_project(tmp_path_factory.mktemp("interrupted") / "project", PAGES)
    assert run_build(project).returncode == 0
    changed = tmp_path_factory.mktemp("changed") / "project"
    shutil.copytree(project, changed)
    change_every_page(changed)
    assert run_build(changed).returncode == 0
    return {"project": project, "old": snapshot(project / "site"), "new": snapshot(changed / "site")}


def start_build(project: Path, stderr: Path) -> subprocess.Popen:
    """build.py running in a new process group; --verbose, so that stderr names each stage as it starts."""
    with stderr.open("w", encoding="utf-8") as errors:
        return subprocess.Popen(
            [sys.executable, str(project / "build.py"), "--verbose"],
            cwd=project,
            env=python_env(),
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )


def moment_reached(moment: str, project: Path, stderr: Path) -> Callable[[], bool]:
    """Whether the running build has reached the moment, asked again and again while it runs."""
    if moment == "while converting":
        return lambda: "  converting" in stderr.read_text(encoding="utf-8")
    if moment == "as writing starts":
        return lambda: staging_folder(project) is not None
    if moment == "while writing":
        return lambda: files_in(staging_folder(project)) >= FILES_WRITTEN_BEFORE_THE_STOP
    assert moment == "after the swap", moment
    last_good_site = os.stat(project / "site").st_ino
    return lambda: folder_id(project / "site") not in (None, last_good_site)


def wait_until(
    reached: Callable[[], bool], process: subprocess.Popen, moment: str, seconds: float = 120
) -> None:
    """Poll, a millisecond apart, until the build reaches the moment; fail if it ends first or is too slow."""
    deadline = time.monotonic() + seconds
    while not reached():
        if process.poll() is not None:
            raise AssertionError(
                f"the build ended (status {process.returncode}) before the moment '{moment}'"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"the build did not reach the moment '{moment}' in {seconds} s")
        time.sleep(0.001)


def staging_folder(project: Path) -> Path | None:
    return next(
        (Path(entry.path) for entry in os.scandir(project) if entry.name.startswith(STAGING_PREFIX)), None
    )


def files_in(folder: Path | None) -> int:
    return sum(len(files) for _, _, files in os.walk(folder)) if folder else 0


def folder_id(folder: Path) -> int | None:
    try:
        return os.stat(folder).st_ino
    except FileNotFoundError:
        return None  # between the two renames of a swap without renameat2


def stop(process: subprocess.Popen, how: signal.Signals) -> None:
    """SIGKILL to the whole process group (workers too, as when a machine dies); SIGINT as Ctrl+C sends it."""
    # An ended build not yet waited for still takes a signal without complaint: ask whether it has ended.
    if process.poll() is not None:
        raise AssertionError(f"the build ended (status {process.returncode}) before it could be stopped")
    os.killpg(process.pid, how)


def stages_started(stderr: str) -> list[str]:
    """The stages --verbose named as they started, in order ("  1.38 s  converting: 0 of 156 done")."""
    return re.findall(r"^ *\d+\.\d\d s  ([a-z -]+?)(?::|$)", stderr, flags=re.M)


def strays(project: Path) -> list[str]:
    return [p.name for p in project.iterdir() if p.name.startswith((STAGING_PREFIX, write.RETIRED_PREFIX))]


FILES_WRITTEN_BEFORE_THE_STOP = 20  # of the site's 160 or so: well into writing, well before the swap
STOPS = [  # (signal, moment)
    (signal.SIGKILL, "while converting"),
    (signal.SIGKILL, "as writing starts"),
    (signal.SIGKILL, "while writing"),
    (signal.SIGKILL, "after the swap"),
    (signal.SIGINT, "while converting"),
    (signal.SIGINT, "as writing starts"),
    (signal.SIGTERM, "as writing starts"),
]


@pytest.mark.parametrize("how, moment", STOPS, ids=[f"{how.name} {moment}" for how, moment in STOPS])
def test_a_stopped_build_leaves_a_whole_site_and_the_next_build_succeeds(builds, tmp_path, how, moment):
    project = tmp_path / "project"
    shutil.copytree(builds["project"], project)
    change_every_page(project)
    if moment == "while converting":
        shutil.rmtree(project / CACHE_FOLDER)  # every page is converted again, on every core
    stderr_file = tmp_path / "stderr.txt"

    process = start_build(project, stderr_file)
    wait_until(moment_reached(moment, project, stderr_file), process, moment)
    stop(process, how)
    process.wait(timeout=120)
    stderr = stderr_file.read_text(encoding="utf-8")

    assert process.returncode != 0, "the build was stopped, yet it finished as if it had not been"
    if moment == "while converting":
        assert stages_started(stderr)[-1] == "converting", (
            f"stopped after converting, not during it:\n{stderr}"
        )
    site = snapshot(project / "site")
    if moment == "after the swap":
        assert site == builds["new"], "the new site, swapped in, did not stay"
    else:
        assert site == builds["old"], "stopped before its swap, the build did not leave the last good site"
    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL, stderr
    else:
        assert process.returncode == 128 + how, stderr
        assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
        assert "stopped; the site folder still holds the last complete build" in stderr
        assert not strays(project), "a stopped build left its staging folder behind"

    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert snapshot(project / "site") == builds["new"]
    assert not strays(project), "the next build left a staging or retired folder"


# --- the swap itself, stopped at the one moment a subprocess cannot be made to hit -------------------------

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


# Ctrl+C at the very moment build.py forks: sent by an at-fork hook of the parent, the first to run, so that
# the stop's handler runs inside the fork's hooks, where Python would report its exception and go on.
CTRL_C_DURING_A_FORK = """
import os, runpy, signal, sys
sent = []
def ctrl_c_once():
    if not sent:
        sent.append(True)
        os.kill(os.getpid(), signal.SIGINT)
os.register_at_fork(after_in_parent=ctrl_c_once)
sys.argv = ["build.py"]
runpy.run_path("build.py", run_name="__main__")
"""


@pytest.mark.parametrize("fork", ["the grader", "the workers"])
def test_ctrl_c_while_the_build_forks_stops_it_and_the_last_site_stays(builds, tmp_path, fork):
    project = tmp_path / "project"
    shutil.copytree(builds["project"], project)
    if fork == "the grader":  # new content: its grades are measured, by a grader started first
        change_every_page(project)
    else:  # the content's checks known, no grader: the workers converting every page fork first
        template = project / "templates" / "base.html"
        template.write_text(template.read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
        for store in (project / CACHE_FOLDER).glob("texts-*"):
            store.unlink()
    stopped = subprocess.run(
        [sys.executable, "-c", CTRL_C_DURING_A_FORK],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=python_env(),
    )
    assert stopped.returncode == 128 + signal.SIGINT, stopped.stderr
    assert "stopped; the site folder still holds the last complete build" in stopped.stderr
    assert "Exception ignored" not in stopped.stderr and "Traceback" not in stopped.stderr
    assert snapshot(project / "site") == builds["old"]
