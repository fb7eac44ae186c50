"""Load: content files become values that remember their lines; unreadable bytes become problems."""

import os
import time

from projects import make_project

from patientsite.content import load
from patientsite.content.load import YamlList, YamlMap, parse_markdown, parse_yaml
from patientsite.engine.cache import BuildCache, file_digest
from patientsite.problems import Problems


def parse(text):
    problems = Problems()
    return parse_yaml(text, "content/x.yaml", problems), [str(p) for p in problems.items]


def test_mapping_remembers_the_line_of_each_key_and_list_item():
    value, problems = parse("title: A\nsources:\n  - one\n  - two\n")
    assert problems == []
    assert isinstance(value, YamlMap) and isinstance(value["sources"], YamlList)
    assert value.line_of("sources") == 2
    assert value["sources"].line_of(1) == 4


def test_block_text_starts_on_the_line_after_its_key():
    value, _ = parse("answer: |\n  First line.\n")
    assert value.text_line_of("answer") == 2


def test_aliases_are_refused_so_billion_laughs_cannot_expand():
    laughs = (
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
    )
    value, problems = parse(laughs)
    assert value is None
    assert any("alias" in p for p in problems)


def test_python_tags_are_refused_and_nothing_is_constructed():
    value, problems = parse("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert value is None
    assert problems[0].startswith("content/x.yaml:1: YAML: uses the tag")


def test_duplicate_keys_name_both_lines():
    _, problems = parse("title: A\nsummary: B\ntitle: C\n")
    assert problems == [
        "content/x.yaml:3: title: appears twice (first on line 1) — keep one of them and delete the other"
    ]


def test_tab_indentation_says_to_use_spaces():
    _, problems = parse("a:\n\t- b\n")
    assert problems[0].startswith("content/x.yaml:2: YAML: cannot be read")
    assert "tab" in problems[0]


def test_a_field_name_without_its_colon_is_reported_on_its_own_line():
    for text in ("title: A\nsummary  Many things\nupdated: 2026-11-25\n", "a: 1\nb c d\n"):
        _, problems = parse(text)
        assert problems[0].startswith("content/x.yaml:2: YAML: cannot be read: check the indentation"), (
            problems
        )
        assert "— the YAML reader says: while scanning a simple key" in problems[0], problems


def test_a_yaml_message_leads_with_the_plain_fix_and_ends_with_the_readers_words():
    _, problems = parse("title: A\nsummary: a: b\n")
    message, _, readers_words = problems[0].partition(" — ")
    assert message == "content/x.yaml:2: YAML: cannot be read: " + (
        "check the indentation (spaces, not tabs), that every 'name:' has a space after the colon, "
        "and that text with a colon or # is in quotes"
    )
    assert readers_words == "the YAML reader says: mapping values are not allowed here"


def test_deep_nesting_is_refused():
    _, problems = parse("a: " + "[" * 60 + "]" * 60 + "\n")
    assert any("nested more than" in p for p in problems)


def test_front_matter_lines_count_from_the_top_of_the_file():
    problems = Problems()
    document = parse_markdown("---\ntitle: T\nsummary: S\n---\nBody line one.\n", "content/p.md", problems)
    assert document.meta.line_of("summary") == 3
    assert document.body_line == 5
    assert document.body == "Body line one.\n"


def test_unclosed_front_matter_is_a_clear_problem():
    problems = Problems()
    assert parse_markdown("---\ntitle: T\nBody\n", "content/p.md", problems) is None
    assert "never closed" in str(problems.items[0])


def test_escapes_that_decode_to_invisible_characters_are_problems_on_their_line():
    """A lone surrogate once ended the build with a traceback where the page was encoded; control characters
    and line separators typed as escapes are refused like the same characters typed raw."""
    for escape, code in (("\\ud800 x", "D800"), ("\\0", "0000"), ("\\x1b", "001B"), ("\\u2028", "2028")):
        value, problems = parse(f'summary: fine\ntitle: "{escape}"\n')
        assert value is None, escape
        assert len(problems) == 1 and problems[0].startswith(
            f"content/x.yaml:2: text: contains an invisible character (U+{code})"
        ), problems
    _, problems = parse('terms:\n  - term: "a\\x07"\n')
    assert problems[0].startswith("content/x.yaml:2: text: contains an invisible character (U+0007)")
    _, problems = parse('"k\\x07": v\n')
    assert len(problems) == 1, problems  # the refused field name is reported once


def test_escapes_of_ordinary_characters_are_read():
    assert parse('title: "caf\\u00e9 \\x41 \\t"\n') == ({"title": "café A \t"}, [])


def test_a_warm_load_reads_only_the_files_changed_since(tmp_path, monkeypatch):
    project = make_project(tmp_path / "project")
    an_hour_ago = time.time() - 3600  # older than any clock tick: their digests are kept
    for path in (project / "content").rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    memo = BuildCache.in_memory().store("files")
    load.load_content(project / "content", project, Problems(), memo, file_digest)
    causes = project / "content" / "anaemia" / "causes.md"
    causes.write_text(causes.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    read: list[str] = []
    real_read = load._read_bytes
    monkeypatch.setattr(load, "_read_bytes", lambda path: read.append(path.name) or real_read(path))
    loaded = load.load_content(project / "content", project, Problems(), memo, file_digest)
    assert read == ["causes.md"]
    assert "A new sentence." in loaded.documents["anaemia/causes.md"].body
