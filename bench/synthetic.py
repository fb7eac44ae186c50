"""A synthetic site in our content format: N section pages of about 1,200 plain words each.

Deterministic (a seeded generator, no clock): the same N always gives the same files, byte for byte.
Every page has headings, lists, a table, a box, links to other pages and their headings, and citations
that resolve; sentences are short and words are everyday ones, so every page passes the readability gate.
Ten sections make a topic, as in a real guide: N = 1,000 gives 100 topics.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

SECTIONS_PER_TOPIC = 10
SOURCES_PER_TOPIC = 4
HEADINGS = (
    "What it means",
    "How it feels",
    "Common causes",
    "Tests you may have",
    "Treatment",
    "Day to day",
    "When to get help",
)
PEOPLE = (
    "Your doctor",
    "A nurse",
    "The lab",
    "Your body",
    "Some people",
    "Most people",
    "Your family",
    "A friend",
    "The team",
    "Your child",
)
ACTIONS = (
    "can check",
    "will look at",
    "may ask about",
    "often finds",
    "wants to know",
    "can help with",
    "will talk about",
    "may test",
    "can treat",
    "writes down",
)
THINGS = (
    "your blood count",
    "the cells that fight germs",
    "a fever",
    "your skin",
    "how you feel",
    "the last test",
    "your medicines",
    "a cut or a sore",
    "your sleep",
    "what you eat",
    "a cough",
    "the results",
)
TAILS = (
    "today.",
    "once a week.",
    "at the next visit.",
    "when you feel sick.",
    "after the test.",
    "before you go home.",
    "in a few days.",
    "if it gets worse.",
    "with you.",
    "in plain words.",
)
ADVICE = (
    "Wash your hands often.",
    "Drink plenty of water.",
    "Keep a list of your medicines.",
    "Rest when you feel tired.",
    "Ask if you do not understand.",
    "Write down your questions.",
    "Keep cuts clean and dry.",
    "Eat well each day.",
    "Take your time.",
    "Call if you are worried.",
)
TOPIC_WORDS = (
    "blood",
    "skin",
    "lung",
    "heart",
    "bone",
    "gut",
    "eye",
    "ear",
    "nerve",
    "joint",
    "liver",
    "kidney",
)


@dataclass(frozen=True)
class SiteShape:
    pages: int

    @property
    def topics(self) -> int:
        return max(1, -(-self.pages // SECTIONS_PER_TOPIC))

    def sections_of(self, topic: int) -> int:
        return min(SECTIONS_PER_TOPIC, self.pages - topic * SECTIONS_PER_TOPIC)


def make_site(root: Path, pages: int, repo: Path) -> Path:
    """A project folder at `root`: content of `pages` section pages, with the repository's templates and static."""
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    content.mkdir(parents=True)
    shape = SiteShape(pages)
    rng = random.Random(pages)
    (content / "site.yaml").write_text(site_yaml(shape))
    shutil.copy2(
        repo / "tests" / "fixtures" / "minimal" / "content" / "strings.yaml", content / "strings.yaml"
    )
    (content / "index.md").write_text(home_page(shape))
    for topic in range(shape.topics):
        folder = content / topic_slug(topic)
        folder.mkdir()
        (folder / "topic.yaml").write_text(topic_yaml(shape, topic))
        for section in range(shape.sections_of(topic)):
            (folder / section_file(section)).write_text(section_page(shape, topic, section, rng))
    shutil.copy2(repo / "content" / "strings.yaml", content / "strings.yaml")  # the templates' words
    shutil.copytree(repo / "templates", root / "templates")
    shutil.copytree(repo / "static", root / "static")
    return root


def topic_slug(topic: int) -> str:
    return f"topic-{topic:04d}"


def section_file(section: int) -> str:
    return f"section-{section:02d}.md"


def source_id(topic: int, number: int) -> str:
    return f"source-{topic:04d}-{number}"


def site_yaml(shape: SiteShape) -> str:
    return (
        "title: Synthetic guide\nlanguage: en\ndescription: A site made up for the benchmark.\n"
        "disclaimer: This is general information, not medical advice.\n"
        "navigation:\n  - title: Home\n    page: index.md\n"
        f"  - title: First topic\n    page: {topic_slug(0)}/topic.yaml\n"
        "readability:\n  max_grade: 8\n"
    )


def home_page(shape: SiteShape) -> str:
    links = "\n".join(f"- [Read topic {t + 1}]({topic_slug(t)}/topic.yaml)" for t in range(shape.topics))
    return (
        "---\ntitle: Welcome\nsummary: A made-up guide for timing the build.\nupdated: 2026-11-01\n---\n"
        f"This guide is made up. It has many short pages [@{source_id(0, 0)}]. Each page uses plain words. "
        "The pages are here to time the build. Pick a topic from the list below. Each topic has ten parts. "
        "You can read them in any order you like.\n\n" + links + "\n"
    )


def topic_yaml(shape: SiteShape, topic: int) -> str:
    word = TOPIC_WORDS[topic % len(TOPIC_WORDS)]
    sections = "".join(f"  - {section_file(s)}\n" for s in range(shape.sections_of(topic)))
    sources = "".join(
        f"  - id: {source_id(topic, n)}\n    title: Facts about {word} health, part {n + 1}\n"
        f"    publisher: A made-up health service\n    url: https://example.org/{topic_slug(topic)}/{n}\n"
        f"    date: 2024-0{n + 1}\n"
        for n in range(SOURCES_PER_TOPIC)
    )
    return (
        f"title: Topic {topic + 1} about the {word}\n"
        f"summary: This topic explains a made-up {word} problem in plain words [@{source_id(topic, 0)}].\n"
        "key_points:\n  - It is made up for a test.\n  - Each part is short and plain.\n"
        f"updated: 2026-11-01\nsections:\n{sections}sources:\n{sources}"
    )


def section_page(shape: SiteShape, topic: int, section: int, rng: random.Random) -> str:
    sections = shape.sections_of(topic)
    other = (section + 1) % sections
    front = (
        f"---\ntitle: Part {section + 1} of topic {topic + 1}\n"
        f"summary: This part covers one side of the problem. It uses short words [@{source_id(topic, 1)}].\n"
        "updated: 2026-11-01\n"
        "key_points:\n  - Read it at your own pace.\n  - Ask your doctor about anything new.\n---\n"
    )
    parts = [_paragraph(rng, topic, 8)]
    for number, heading in enumerate(HEADINGS):
        parts.append(f"## {heading}")
        parts.append(_paragraph(rng, topic, 7))
        parts.append(_list(rng))
        parts.append(_paragraph(rng, topic, 6))
        if number == 1:
            parts.append(_table(rng))
        if number == 2:
            parts.append(f"### More about {heading.lower()}")
            parts.append(_paragraph(rng, topic, 8))
        if number == 3:
            parts.append(
                f"See [{HEADINGS[4].lower()}]({section_file(other)}#{_slug(HEADINGS[4])}) and the "
                f"[topic page](topic.yaml). The [first page](../index.md) lists every topic."
            )
        if number == 5:
            parts.append(
                f'!!! urgent "Get help now"\n    Call for help if you have a high fever '
                f"[@{source_id(topic, 3)}]. Do not wait."
            )
    return front + "\n\n".join(parts) + "\n"


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(PEOPLE)} {rng.choice(ACTIONS)} {rng.choice(THINGS)} {rng.choice(TAILS)}"


def _paragraph(rng: random.Random, topic: int, sentences: int) -> str:
    words = [_sentence(rng) if rng.random() < 0.7 else rng.choice(ADVICE) for _ in range(sentences)]
    cite = source_id(topic, rng.randrange(SOURCES_PER_TOPIC))
    words[-1] = words[-1][:-1] + f" [@{cite}]."
    return " ".join(words)


def _list(rng: random.Random) -> str:
    return "\n".join(f"- {rng.choice(ADVICE)}" for _ in range(5))


def _table(rng: random.Random) -> str:
    rows = "\n".join(
        f"| {rng.choice(THINGS)} | {rng.randint(1, 9)} a day | {rng.choice(TAILS)} |" for _ in range(4)
    )
    return "| What | How often | When |\n|---|---|---|\n" + rows


def _slug(heading: str) -> str:
    return heading.lower().replace(" ", "-")
