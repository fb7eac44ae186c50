"""The shared benchmark corpus in our content format, its bodies unchanged.

    python bench/corpus.py CORPUS_DIR PROJECT_DIR

`../shared/bench/make_corpus.py N CORPUS_DIR` writes CORPUS_DIR/plain/pages/<slug>.md: YAML front matter
(title, summary, date, tags) and a Markdown body. This makes PROJECT_DIR, a project our `build.py` builds:

- pages are taken in the order of their file names and put ten to a topic, `content/topic-NNNN/`, each
  page a section file `<slug>.md` (a topic's page, sources page and handout come with it, as in every
  guide);
- front matter: `title` and `summary` as they are, `date` becomes `updated`; `tags` are dropped (our
  format has no tags); `sources: [corpus]` is added, naming the topic's one source, because every page of
  ours must cite one (the body is not touched to cite it);
- the body is copied byte for byte, except link targets: the corpus links pages as `<slug>.html` and our
  format links the file that makes the page (`<slug>.md`, `../topic-NNNN/<slug>.md` in another topic);
- `site.yaml` keeps every check on; if the corpus is harder to read than our default gate allows, the
  thresholds are an editor's setting there (READABILITY below), never a switch in the code.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_TOPIC = 10
SOURCE_ID = "corpus"
# The corpus is written at about grade 8 to 9 (Flesch–Kincaid); our default gate is 8. An editor would
# raise it in site.yaml for such a site, so the benchmark does the same and keeps the gate running.
READABILITY = {"max_grade": 8}
LINK = re.compile(r"\]\(([a-z0-9-]+)\.html\)")
FRONT_MATTER_END = "\n---\n"


@dataclass(frozen=True)
class CorpusPage:
    slug: str
    title: str
    summary: str
    date: str
    body: str  # everything after the front matter's closing line, as it is in the file


def read_corpus(corpus: Path) -> list[CorpusPage]:
    """Every page of CORPUS_DIR/plain/pages, in the order of their file names."""
    return [read_page(path) for path in sorted((corpus / "plain" / "pages").glob("*.md"))]


def read_page(path: Path) -> CorpusPage:
    text = path.read_text(encoding="utf-8")
    end = text.index(FRONT_MATTER_END, 4)
    fields = dict(_front_matter_line(line) for line in text[4:end].splitlines())
    body = text[end + len(FRONT_MATTER_END) :]
    return CorpusPage(path.stem, fields["title"], fields["summary"], fields["date"], body)


def _front_matter_line(line: str) -> tuple[str, str]:
    """make_corpus.py writes one field a line: strings as JSON (valid YAML), the date and tags bare."""
    name, _, value = line.partition(": ")
    return name, json.loads(value) if value.startswith('"') else value


def topic_of(index: int) -> str:
    return f"topic-{index // PAGES_PER_TOPIC + 1:04d}"


def make_project(corpus: Path, project: Path, repo: Path) -> list[CorpusPage]:
    """PROJECT_DIR from CORPUS_DIR: content/ converted, and this repository's build.py, templates, static."""
    pages = read_corpus(corpus)
    if project.exists():
        shutil.rmtree(project)
    content = project / "content"
    content.mkdir(parents=True)
    topics = {page.slug: topic_of(index) for index, page in enumerate(pages)}
    (content / "site.yaml").write_text(site_yaml(pages), encoding="utf-8")
    (content / "index.md").write_text(home_page(pages), encoding="utf-8")
    shutil.copy2(repo / "content" / "strings.yaml", content / "strings.yaml")
    for start in range(0, len(pages), PAGES_PER_TOPIC):
        members = pages[start : start + PAGES_PER_TOPIC]
        folder = content / topic_of(start)
        folder.mkdir()
        (folder / "topic.yaml").write_text(topic_yaml(start, members), encoding="utf-8")
        for page in members:
            (folder / f"{page.slug}.md").write_text(section_file(page, topics), encoding="utf-8")
    shutil.copy2(repo / "build.py", project / "build.py")
    shutil.copytree(repo / "templates", project / "templates")
    shutil.copytree(repo / "static", project / "static")
    return pages


def section_file(page: CorpusPage, topics: dict[str, str]) -> str:
    front = (
        f"---\ntitle: {json.dumps(page.title)}\nsummary: {json.dumps(page.summary)}\n"
        f"updated: {page.date}\nsources: [{SOURCE_ID}]\n---\n"
    )
    return front + rewrite_links(page.body, topics[page.slug], topics)


def rewrite_links(body: str, topic: str, topics: dict[str, str]) -> str:
    """`](slug.html)` → `](slug.md)` in the same topic, `](../topic-NNNN/slug.md)` in another."""

    def target(match: re.Match) -> str:
        slug = match.group(1)
        other = topics[slug]
        return f"]({slug}.md)" if other == topic else f"](../{other}/{slug}.md)"

    return LINK.sub(target, body)


def site_yaml(pages: list[CorpusPage]) -> str:
    readability = "".join(f"  {name}: {value}\n" for name, value in READABILITY.items())
    return (
        "title: Patient Education Benchmark\nlanguage: en\nlocale: en_GB\n"
        "description: The shared benchmark corpus, built by our generator.\n"
        "disclaimer: This information does not replace advice from your care team.\n"
        f"navigation:\n  - title: Home\n    page: index.md\n  - title: First topic\n"
        f"    page: {topic_of(0)}/topic.yaml\n"
        f"readability:\n{readability}"
    )


def home_page(pages: list[CorpusPage]) -> str:
    links = "\n".join(
        f"- [{json.dumps(pages[start].title)[1:-1]} and more]({topic_of(start)}/topic.yaml)"
        for start in range(0, len(pages), PAGES_PER_TOPIC)
    )
    return (
        "---\ntitle: Patient Education Benchmark\nsummary: Pages made for timing the build.\n"
        f"updated: 2026-11-01\n---\nThese pages are made for timing the build [@{SOURCE_ID}]. "
        "Pick a topic from the list.\n\n" + links + "\n"
    )


def topic_yaml(start: int, members: list[CorpusPage]) -> str:
    sections = "".join(f"  - {page.slug}.md\n" for page in members)
    return (
        f"title: Topic {start // PAGES_PER_TOPIC + 1}\n"
        f"summary: Ten pages of the benchmark corpus [@{SOURCE_ID}].\n"
        "key_points:\n  - The pages are made up for a test.\n  - Each page is about one health problem.\n"
        f"updated: 2026-11-01\nsections:\n{sections}sources:\n"
        f"  - id: {SOURCE_ID}\n    title: The shared benchmark corpus\n    publisher: make_corpus.py\n"
        "    url: https://example.org/benchmark\n    date: 2024-06\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("project", type=Path)
    args = parser.parse_args()
    pages = make_project(args.corpus, args.project, Path(__file__).resolve().parent.parent)
    print(f"{len(pages)} pages in {-(-len(pages) // PAGES_PER_TOPIC)} topics -> {args.project}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
