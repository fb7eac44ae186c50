"""Write: the site is swapped in whole, or not at all; folders a build did not make are never replaced."""

import subprocess
import sys
from pathlib import Path

import pytest
from support import python_env

from patientsite.output.write import OutputFolderError, check_output_folder, recover_interrupted, write_site
from patientsite.project import Project
from patientsite.render.site import OutputFile

SITE = [OutputFile("index.html", b"<p>home</p>"), OutputFile(".nojekyll", b""), OutputFile("a/b.html", b"b")]


def test_writes_every_file_and_replaces_the_previous_build(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    write_site([OutputFile("index.html", b"new"), OutputFile(".nojekyll", b"")], out)
    assert (out / "index.html").read_bytes() == b"new"
    assert not (out / "a").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failure_while_writing_leaves_the_old_site_and_no_staging_folder(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    with pytest.raises(OutputFolderError):
        write_site([OutputFile("index.html", b"x"), OutputFile("../escape.html", b"x")], out)
    assert (out / "index.html").read_bytes() == b"<p>home</p>"
    assert not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_refuses_to_replace_a_folder_that_is_not_a_built_site(tmp_path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(OutputFolderError):
        write_site(SITE, precious)
    assert (precious / "thesis.txt").read_text() == "years of work"


def test_recovery_restores_a_site_retired_by_a_killed_build(tmp_path):
    out = tmp_path / "site"
    retired = tmp_path / ".retired-site-abc"
    retired.mkdir()
    (retired / "index.html").write_text("last good")
    (tmp_path / ".building-site-xyz").mkdir()
    recover_interrupted(out)
    assert (out / "index.html").read_text() == "last good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# A build that stops just before it swaps its staging folder in, until the test writes a line to it.
HELD_BUILD = """
import sys
from patientsite.output import write
from patientsite.render.site import OutputFile

swap_in = write._swap_in

def held_swap_in(staging, out_dir):
    print("staged", flush=True)
    sys.stdin.readline()
    swap_in(staging, out_dir)

write._swap_in = held_swap_in
write.write_site([OutputFile("index.html", b"first"), OutputFile(".nojekyll", b"")], write.Path(sys.argv[1]))
print("done", flush=True)
"""
SECOND_BUILD = """
import sys
from patientsite.output import write
from patientsite.render.site import OutputFile

write.write_site([OutputFile("index.html", b"second"), OutputFile(".nojekyll", b"")], write.Path(sys.argv[1]))
"""


def test_a_second_build_into_the_same_folder_waits_for_the_first_and_says_so(tmp_path):
    """Two builds at once used to let the second delete the first's staging folder
    as a killed build's leftover."""
    out = tmp_path / "site"
    env = python_env()
    first = subprocess.Popen(
        [sys.executable, "-c", HELD_BUILD, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    second = None
    try:
        assert first.stdout.readline() == "staged\n"  # the first has written everything but not swapped it in
        second = subprocess.Popen(
            [sys.executable, "-c", SECOND_BUILD, str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        said = (
            second.stderr.readline()
        )  # the second says it waits, or ends (saying nothing) if it does not wait
        assert said == f"another build is writing {out}; waiting for it to finish\n"
        assert second.poll() is None  # still waiting
        first.stdin.write("\n")
        first.stdin.flush()
        assert first.wait(timeout=60) == 0, first.stderr.read()
        assert second.wait(timeout=60) == 0, second.stderr.read()
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    assert first.stdout.read() == "done\n"
    assert (out / "index.html").read_bytes() == b"second"  # the second waited, then replaced the first's site
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder, no lock file left


def test_an_output_folder_that_holds_the_project_or_is_inside_its_sources_is_refused(tmp_path):
    project = Project(tmp_path / "project")
    for folder in (project.content_dir, project.templates_dir, project.static_dir):
        folder.mkdir(parents=True)
    for out in (Path("/"), tmp_path, project.root):
        with pytest.raises(OutputFolderError, match="holds the project itself"):
            check_output_folder(out, project)
    for out in (project.static_dir, project.static_dir / "site", project.content_dir / "site"):
        with pytest.raises(OutputFolderError, match=f"is inside {out.relative_to(project.root).parts[0]}/"):
            check_output_folder(out, project)
    check_output_folder(project.root / "site", project)  # the default stays allowed
    check_output_folder(tmp_path / "elsewhere", project)
