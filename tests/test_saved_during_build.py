"""A file saved while a build reads the content: what that build made is not kept as the result for the
content as it was when the build began (the preview saw the full build pass broken content after that)."""

from __future__ import annotations

import pytest
from projects import make_project

from patientsite import pipeline
from patientsite.engine.cache import BuildCache
from patientsite.pipeline import Project, make_build
from patientsite.problems import ContentError

CAUSES = "content/anaemia/causes.md"
GOOD, BROKEN = "[@medlineplus-anemia]", "[@no-such-source]"


def test_content_fixed_while_a_build_read_it_is_not_remembered_as_the_broken_contents_result(
    tmp_path, monkeypatch
):
    project = make_project(tmp_path / "project")
    causes = project / CAUSES
    good = causes.read_text(encoding="utf-8")
    broken = good.replace(GOOD, BROKEN, 1)
    cache = BuildCache.for_project(project)
    causes.write_text(broken, encoding="utf-8")
    real_load = pipeline.load_content

    def load_after_the_fix_is_saved(*args, **kwargs):
        causes.write_text(
            good, encoding="utf-8"
        )  # saved after the build hashed the folder, before it read it
        return real_load(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load_content", load_after_the_fix_is_saved)
    make_build(Project(project), cache=cache)  # built from the fixed file
    monkeypatch.setattr(pipeline, "load_content", real_load)

    causes.write_text(broken, encoding="utf-8")  # the same broken bytes again
    with pytest.raises(ContentError) as raised:
        make_build(Project(project), cache=cache)
    assert any("no-such-source" in problem.message for problem in raised.value.errors)
