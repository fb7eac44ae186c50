"""Scaffold: a new condition's topic folder — topic.yaml and one draft page per standard section.

A new topic is a draft (`draft: true`): nothing in it is invented. It has no sources, dates other than
today, or reviewers; its pages say they are being written; the build marks every page "Draft — not for
readers" and keeps it out of search engines and the sitemap, until an editor writes the pages, cites their
sources and deletes the line `draft: true`.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from patientsite.content.fields import ID_PATTERN
from patientsite.content.topics import TOPIC_FILE
from patientsite.render.paths import TAKEN_NAMES

MAX_TITLE_CHARS = 80


@dataclass(frozen=True)
class SectionDraft:
    file: str  # '{slug}' stands for the topic's folder name
    title: str  # '{name}' stands for the topic's title, as it reads inside a sentence
    summary: str


STANDARD_SECTIONS = (
    SectionDraft("what-is-{slug}.md", "What is {name}?", "It will explain what this condition is."),
    SectionDraft("causes.md", "Causes", "It will explain what can cause this condition."),
    SectionDraft("symptoms.md", "Symptoms", "It will describe the signs and symptoms of this condition."),
    SectionDraft("diagnosis.md", "Tests and diagnosis", "It will explain the tests that find it."),
    SectionDraft("treatment.md", "Treatment", "It will explain how this condition is treated."),
    SectionDraft(
        "when-to-get-help.md",
        "When to get help",
        "It will say when to call a doctor, and when to get help at once.",
    ),
)

DRAFT_TEXT = """\
We are still writing this page. It is a draft, and no clinician has checked it yet.

Please do not use it to make choices about your health. If you are worried about your health, talk to your
doctor or nurse.
"""


class TopicRefused(Exception):
    """Why a new topic cannot be made, in words for the editor."""


def new_topic(content_dir: Path, slug: str, title: str, today: date) -> list[Path]:
    """Write content_dir/slug/ with the draft topic's files; the paths written, in reading order."""
    refuse_unless_new(content_dir, slug, title)
    files = topic_files(slug, title.strip(), today)
    _write_folder(content_dir / slug, files)
    return [content_dir / slug / name for name in files]


def refuse_unless_new(content_dir: Path, slug: str, title: str) -> None:
    if not ID_PATTERN.match(slug):
        raise TopicRefused(
            f"'{slug}' cannot be a topic's folder name — use lower-case letters, digits and "
            "dashes only, e.g. iron-deficiency-anaemia"
        )
    if slug in TAKEN_NAMES:
        raise TopicRefused(f"'{slug}' is taken by {TAKEN_NAMES[slug]} — choose another name")
    if not title.strip() or "\n" in title or len(title.strip()) > MAX_TITLE_CHARS:
        raise TopicRefused(
            f"the title must be one line of 1 to {MAX_TITLE_CHARS} characters — write the "
            'condition\'s name in quotes, e.g. "Iron deficiency anaemia"'
        )
    if not content_dir.is_dir():
        raise TopicRefused(f"there is no content folder at {content_dir} — run the command in the project")
    if (content_dir / slug).exists():
        raise TopicRefused(f"content/{slug} already exists — choose another name, or edit the topic there")


def topic_files(slug: str, title: str, today: date) -> dict[str, str]:
    """Each file of the new topic by name, topic.yaml first, then the sections in reading order."""
    sections = {
        section.file.format(slug=slug): _section_file(section, title, slug, today)
        for section in STANDARD_SECTIONS
    }
    return {TOPIC_FILE: _topic_file(slug, title, list(sections), today), **sections}


def _topic_file(slug: str, title: str, section_files: list[str], today: date) -> str:
    sections = "".join(f"  - {name}\n" for name in section_files)
    return f"""\
# Made by `python build.py new-topic {slug}` on {today}. Every field is explained in docs/editing.md.
#
# While the line `draft: true` is here, the topic may have no sources yet, every page says
# "Draft — not for readers", and search engines and the sitemap leave it out. Delete the line when every
# page is written and cites the sources it uses.
title: {_scalar(title)}
summary: This guide is a draft. It is not ready for readers yet.
key_points:
  - This guide is still being written. No clinician has checked it yet.
updated: {today}
draft: true
sections:
{sections}# Add each source you use here (id, title, publisher, url, date), then cite it in the text as [@id].
sources: []
# Add reviewed_by and reviewed_on only after a named clinician has really reviewed the topic.
"""


def _section_file(section: SectionDraft, title: str, slug: str, today: date) -> str:
    return f"""\
---
# A draft made by new-topic. Replace the text below with the page's words. Cite a source for each fact
# with [@source-id], after adding the source to topic.yaml. Set `updated` to the day you change the words.
title: {_scalar(section.title.format(name=_in_sentence(title), slug=slug))}
summary: {_scalar("This page is a draft. " + section.summary)}
updated: {today}
---
{DRAFT_TEXT}"""


def _in_sentence(title: str) -> str:
    """'Anaemia' → 'anaemia' inside a sentence; a name that starts with an abbreviation ('HIV') stays."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _scalar(text: str) -> str:
    """Text as one YAML value: plain when that reads the same, quoted when it has ':' or '#' and the like."""
    dumped = yaml.safe_dump(text, width=1_000_000, allow_unicode=True)
    return dumped.removesuffix("\n").removesuffix("\n...")


def _write_folder(folder: Path, files: dict[str, str]) -> None:
    """All the files or none: written into a hidden folder (the build skips it), then renamed into place."""
    staging = folder.parent / f".{folder.name}.new-{os.getpid()}"
    staging.mkdir()
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
