"""The benchmark's corpus converter: the shared corpus, in our format, builds with every page and its text."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from projects import REPO, run_build
from projects import make_project as make_guide_project

from bench.corpus import make_project, read_corpus

# `python3 ../shared/bench/make_corpus.py 5 DIR` with its default seed, DIR/plain kept: the shared generator
# lives outside the repository, where a clean clone (CI) does not have it.
CORPUS = REPO / "tests" / "fixtures" / "bench-corpus"


class BlockText(HTMLParser):
    """The text of each paragraph, list item, heading and table cell, whitespace made single spaces."""

    BLOCKS = {"p", "li", "h2", "h3", "td", "th"}

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.BLOCKS:
            self.open.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS and self.open:
            self.blocks.append(" ".join("".join(self.open.pop()).split()))

    def handle_data(self, data: str) -> None:
        for block in self.open:
            block.append(data)


def block_texts(html: str) -> list[str]:
    parser = BlockText()
    parser.feed(html)
    return [block for block in parser.blocks if block]


def page_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", "", main).split())


@pytest.fixture(scope="module")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("project") / "bench-site"
    make_project(corpus, project, REPO)
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    return project


def test_every_corpus_page_is_a_page_of_the_built_site(corpus: Path, built: Path) -> None:
    pages = read_corpus(corpus)
    assert len(pages) == 5  # the corpus of 5 pages
    for page in pages:
        built_page = built / "site" / "topic-0001" / f"{page.slug}.html"
        assert built_page.is_file(), f"{page.slug} was not built"
        assert page.title in built_page.read_text(encoding="utf-8")


def test_converted_bodies_differ_from_the_corpus_only_in_link_targets(corpus: Path, built: Path) -> None:
    for page in read_corpus(corpus):
        converted = (built / "content" / "topic-0001" / f"{page.slug}.md").read_text(encoding="utf-8")
        body = converted.split("\n---\n", 1)[1]
        assert re.sub(r"\]\(([a-z0-9-]+)\.md\)", r"](\1.html)", body) == page.body


def test_every_block_of_each_corpus_body_is_in_its_built_page(corpus: Path, built: Path) -> None:
    for page in read_corpus(corpus):
        expected = block_texts(markdown.markdown(page.body, extensions=["tables"]))
        assert len(expected) > 40, "the corpus pages have headings, paragraphs, lists and a table"
        html = (built / "site" / "topic-0001" / f"{page.slug}.html").read_text(encoding="utf-8")
        shown = page_text(html)
        missing = [block for block in expected if block not in shown]
        assert not missing, f"{page.slug}: not in the built page: {missing[:3]}"


def test_the_stage_report_shows_each_process_and_stage_of_the_build_after_one_edit(tmp_path):
    """bench/stages.py, the diagnostic behind the benchmark's figures: it times the build after one edit, as a
    command (its processes) and in process (its stages), and puts the edited file back."""
    project = make_guide_project(tmp_path / "project")
    causes = project / "content" / "anaemia" / "causes.md"
    before = causes.read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "stages.py"),
            str(project),
            "--edit",
            "content/anaemia/causes.md",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    processes, _, stages = result.stdout.partition("stages, in this process:")
    assert re.search(r"\d+ build\.py +0\.00–", processes), processes
    assert "child of" in processes  # the grader: the edit brought words it has not graded
    for stage in ("load_content", "validate_content", "_convert_texts", "search_index_file", "write_site"):
        assert re.search(rf"^  {stage} +\d+\.\d ms", stages, re.MULTILINE), stage
    assert causes.read_bytes() == before
