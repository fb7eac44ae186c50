"""The whole build, as an editor runs it: pages, links that work anywhere, metadata, determinism, safety."""

import json
import re
import subprocess
import sys

import pytest
import support
from projects import make_project, run_build, snapshot

PAGES = [
    "index.html",
    "anaemia/index.html",
    "anaemia/causes.html",
    "anaemia/faq.html",
    "anaemia/glossary.html",
    "anaemia/sources.html",
    "anaemia/handout.html",
    "a-z.html",
    "404.html",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project, result


def read(project, page):
    return support.read(project / "site", page)


def test_build_prints_one_summary_line(built):
    _, result = built
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    # The one warning: the glossary's 'Haemoglobin' is used on no page.
    assert re.fullmatch(r"10 pages, 1 warning, \d+\.\d\d s — written to site/", lines[0]), lines[0]


def test_every_page_and_hosting_file_is_written(built):
    project, _ = built
    for name in PAGES + ["robots.txt", ".nojekyll", "assets/style.css", "assets/icon.svg"]:
        assert (project / "site" / name).is_file(), name
    assert not (project / "site" / "sitemap.xml").exists(), "no sitemap without a base URL"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_language_title_description_and_disclaimer(built, page):
    project, _ = built
    html = read(project, page)
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert re.search(r"<title>[^<]+</title>", html)
    assert re.search(r'<meta name="description" content="[^"]+">', html)
    assert '<meta property="og:title"' in html
    assert "This is general information, not medical advice." in html
    assert html.count("<h1>") == 1


@pytest.mark.parametrize("page", [p for p in PAGES if p != "404.html"])
def test_links_between_pages_are_relative_and_name_files(built, page):
    project, _ = built
    html = read(project, page)
    for href in re.findall(r'(?:href|src)="([^"]+)"', html):
        if href.startswith(("https://", "http://", "#", "mailto:", "data:")):
            continue
        assert not href.startswith("/"), f"{page}: {href} is absolute"
        path = href.split("#")[0]
        assert path.endswith((".html", ".css", ".svg", ".js")), f"{page}: {href} does not name a file"
        target = (project / "site" / page).parent / path
        assert target.resolve().is_file(), f"{page}: {href} leads nowhere"


def test_pages_carry_json_ld_about_the_condition_and_the_sources_they_cite(built):
    project, _ = built
    html = read(project, "anaemia/causes.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert data["@type"] == "MedicalWebPage"
    assert data["about"] == {"@type": "MedicalCondition", "name": "Anaemia", "alternateName": ["Anemia"]}
    assert data["dateModified"] == "2026-11-01"
    assert "reviewedBy" not in data and "lastReviewed" not in data
    assert [c["name"] for c in data["citation"]] == ["Iron deficiency anaemia", "Anemia"]


def test_citations_are_numbered_and_sources_listed_on_the_page(built):
    project, _ = built
    html = read(project, "anaemia/causes.html")
    assert '<a href="#source-nhs-anaemia"><span class="visually-hidden">source </span>1</a>' in html
    assert '<li id="source-medlineplus-anemia">MedlinePlus.' in html
    assert 'Last updated <time datetime="2026-11-01">1 November 2026</time>' in html
    assert "This page has not yet been reviewed by a clinician." in html


def test_handout_holds_every_section_with_unique_ids(built):
    project, _ = built
    html = read(project, "anaemia/handout.html")
    for title in ("Causes", "Questions", "Glossary", "Is anaemia serious?", "Haemoglobin"):
        assert title in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for anchor in re.findall(r'href="#([^"]+)"', html):
        assert anchor in ids, f"handout link #{anchor} has no target"


def test_two_builds_of_the_same_content_are_byte_identical(built, tmp_path):
    project, _ = built
    other = tmp_path / "second"
    assert run_build(project, "--out", str(other)).returncode == 0
    assert snapshot(other) == snapshot(project / "site")


def test_with_nothing_changed_the_last_build_stands_and_the_engine_is_not_even_loaded(tmp_path):
    project = make_project(tmp_path / "project")
    first = run_build(project)
    site = snapshot(project / "site")
    times = {path: path.stat().st_mtime_ns for path in (project / "site").rglob("*")}
    again = _run_build_and_say_if_the_engine_loaded(project)
    assert again.returncode == 0, again.stderr
    summary, loaded = again.stdout.splitlines()
    assert loaded == "engine loaded: False"
    assert summary.split(",")[:2] == first.stdout.split(",")[:2]  # the same pages and warnings
    assert first.stderr == again.stderr  # the same warnings
    assert {path: path.stat().st_mtime_ns for path in (project / "site").rglob("*")} == times

    (project / "site" / "anaemia" / "causes.html").write_text("edited by hand")  # the site is not as built
    assert run_build(project).returncode == 0 and snapshot(project / "site") == site
    edit = project / "content" / "anaemia" / "causes.md"  # the content is not as built
    edit.write_text(edit.read_text(encoding="utf-8").replace("Losing blood", "Bleeding"), encoding="utf-8")
    assert run_build(project).returncode == 0
    assert "Bleeding" in (project / "site" / "anaemia" / "causes.html").read_text(encoding="utf-8")


def test_a_file_saved_during_a_build_is_built_again_even_when_saved_back(tmp_path):
    """The build remembers its site only for the content it began with: a save meanwhile is never skipped."""
    project = make_project(tmp_path / "project")
    assert run_build(project).returncode == 0
    causes = project / "content" / "anaemia" / "causes.md"
    as_it_was = causes.read_text(encoding="utf-8")
    saved_during_the_build = (
        "import pathlib\nimport patientsite.pipeline as pipeline\nbuild_site = pipeline.build_site\n"
        "def build_after_a_save(*args, **kwargs):\n"
        "    causes = pathlib.Path('content/anaemia/causes.md')\n"
        "    causes.write_text(causes.read_text().replace('Losing blood', 'Bleeding'))\n"
        "    return build_site(*args, **kwargs)\n"
        "pipeline.build_site = build_after_a_save\n"
    )
    (project / "site" / "index.html").write_text("edited by hand")  # so that this build is not skipped
    assert _run_build_in_process(project, before=saved_during_the_build).returncode == 0
    assert "Bleeding" in (project / "site" / "anaemia" / "causes.html").read_text(encoding="utf-8")

    causes.write_text(as_it_was, encoding="utf-8")  # saved back as it was when that build began
    assert run_build(project).returncode == 0
    assert "Losing blood" in (project / "site" / "anaemia" / "causes.html").read_text(encoding="utf-8")


def _run_build_and_say_if_the_engine_loaded(project):
    return _run_build_in_process(
        project, after="print('engine loaded:', 'patientsite.pipeline' in sys.modules)\n"
    )


def _run_build_in_process(project, before="", after=""):
    code = (
        f"import runpy, sys\n{before}sys.argv = ['build.py']\ntry:\n"
        f"    runpy.run_path('build.py', run_name='__main__')\nexcept SystemExit:\n    pass\n{after}"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=support.python_env(),
        check=False,
    )


def test_base_url_adds_canonical_links_sitemap_and_absolute_404_links(tmp_path):
    project = make_project(tmp_path / "project")
    assert run_build(project, "--base-url", "https://example.org/repo/").returncode == 0
    site = project / "site"
    assert (
        '<link rel="canonical" href="https://example.org/repo/anaemia/causes.html">'
        in (site / "anaemia/causes.html").read_text()
    )
    sitemap = (site / "sitemap.xml").read_text()
    assert sitemap.count("<url>") == 9
    assert "<loc>https://example.org/repo/</loc>" in sitemap
    assert "Sitemap: https://example.org/repo/sitemap.xml" in (site / "robots.txt").read_text()
    not_found = (site / "404.html").read_text()
    assert 'href="https://example.org/repo/assets/style.css"' in not_found
    assert 'href="https://example.org/repo/index.html"' in not_found


def test_text_from_content_is_escaped_and_cannot_break_out_of_json(tmp_path):
    project = make_project(tmp_path / "project")
    causes = project / "content/anaemia/causes.md"
    causes.write_text(
        causes.read_text().replace(
            "title: Causes", 'title: "Causes </script><script>alert(1)</script> & <b>more</b>"'
        )
    )
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    html = (project / "site/anaemia/causes.html").read_text()
    assert "<script>alert(1)" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;" in html
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
    assert "\\u003c/script\\u003e" in json_ld
    assert json.loads(json_ld)["name"].startswith("Causes </script>")


def test_check_writes_nothing_and_prints_reading_grades(tmp_path):
    project = make_project(tmp_path / "project")
    result = run_build(project, "check")
    assert result.returncode == 0, result.stderr
    assert "reading grade" in result.stdout and "content/anaemia/causes.md" in result.stdout
    assert result.stdout.strip().endswith("checked, nothing written")
    assert not (project / "site").exists()


def test_a_page_above_the_reading_grade_limit_fails_the_build(tmp_path):
    project = make_project(tmp_path / "project")
    causes = project / "content/anaemia/causes.md"
    hard = (
        "Haematological abnormalities characterised by diminished erythrocyte concentrations "
        "necessitate comprehensive investigation encompassing nutritional, inflammatory, "
        "gastrointestinal and haematological aetiologies, particularly considering "
        "multifactorial presentations [@nhs-anaemia]. "
    )
    causes.write_text(causes.read_text() + "\n" + hard * 3)
    result = run_build(project, "check")
    assert result.returncode == 1
    assert re.search(
        r"content/anaemia/causes.md:1: reading grade: the page reads at grade \d+\.\d, above the "
        r"limit of 8 — use shorter sentences",
        result.stderr,
    ), result.stderr


def test_an_output_folder_inside_static_or_holding_the_project_is_refused_before_anything_is_written(
    tmp_path,
):
    """Inside static/, each build republished the one before inside the next; --out / walked the whole
    disk."""
    project = make_project(tmp_path / "project")
    static_before = snapshot(project / "static")
    for out, said in (("static/site", "is inside static/"), ("/", "holds the project itself")):
        result = run_build(project, "--out", out)
        assert result.returncode == 2, result.stderr
        assert said in result.stderr and "Traceback" not in result.stderr
    assert snapshot(project / "static") == static_before


@pytest.mark.parametrize(
    "template, before, base_url",
    [
        ("base.html", "</footer>", None),
        ("sitemap.xml", "</urlset>", "https://example.org/"),
        ("robots.txt", "Allow", None),
    ],
)
def test_a_template_that_cannot_be_rendered_is_a_problem_in_its_file_and_nothing_is_written(
    tmp_path, template, before, base_url
):
    from patientsite.pipeline import Project, build_site, check_site
    from patientsite.problems import ContentError

    project = make_project(tmp_path / "project")
    edited = project / "templates" / template
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace(before, "{{ no_such_value }}" + before, 1), encoding="utf-8")
    for attempt in (
        lambda: build_site(Project(project), tmp_path / "out", base_url),
        lambda: check_site(Project(project), base_url),
    ):
        with pytest.raises(ContentError) as raised:
            attempt()
        problems = [p for p in raised.value.errors if p.field == "template"]
        assert [p.file for p in problems] == [f"templates/{template}"], raised.value.errors
        assert "no_such_value" in problems[0].message
    assert not (tmp_path / "out").exists()
