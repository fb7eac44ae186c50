"""Write: the site is swapped in whole, or not at all; folders a build did not make are never replaced."""

import pytest

from patientsite.render import OutputFile
from patientsite.write import OutputFolderError, recover_interrupted, write_site

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
