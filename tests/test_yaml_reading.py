"""YAML with lines: libyaml reads every file; where it and PyYAML's own reader disagree, what editors get."""

import random

import pytest
from projects import FIXTURES

from patientsite.content import yaml_reading
from patientsite.content.yaml_reading import INVISIBLE, YamlList, YamlMap, parse_yaml
from patientsite.problems import Problems

# What editors and strangers type into YAML, and what the two readers (libyaml, PyYAML's own) treat apart.
YAML_PIECES = [
    ": ",
    "- ",
    "-",
    "\t",
    "  ",
    "    ",
    "#",
    " # c",
    "---\n",
    "...\n",
    "\n",
    "'",
    '"',
    "|\n",
    ">-\n",
    "|#\n",
    "|2\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!python/object/apply:os.system ['true']",
    "!x ",
    "!/a!b ",
    "? ",
    "? [a, b]\n: c\n",
    "{",
    "}",
    "[",
    "]",
    "{a: 1}",
    "[a, b]",
    "[a?b]",
    "{a?: b}",
    "%YAML 1.1\n",
    "%YAML 1.2\n---\n",
    "%TAG ! tag:x,2000:\n",
    "2026-13-45",
    "2026-11-01 10:00:00",
    "1e999",
    ".nan",
    "yes",
    "~",
    "null",
    "0o777",
    "12:30:00",
    "\\",
    '"\\/"',
    '"\\x41"',
    "title: again\n",
    "\ufeff",
    "é",
    "🩸",
    "@",
    "`",
    "%",
    "a:b",
    "[" * 45 + "]" * 45,
    "- " * 45 + "x",
]


def edited_texts(count: int, seed: int) -> list[str]:
    """The YAML of the test sites, each with a few pieces laid in, cut out or repeated (the same every
    run)."""
    rng = random.Random(seed)
    files = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(FIXTURES.rglob("*.*"))
        if path.suffix in (".yaml", ".md")
    ]
    originals = [text.split("---\n")[1] if text.startswith("---\n") else text for text in files]
    texts = []
    while len(texts) < count:
        text = rng.choice(originals)
        for _ in range(rng.randint(1, 3)):
            at, end = sorted(rng.randrange(len(text) + 1) for _ in range(2))
            text = rng.choice(
                [
                    text[:at] + rng.choice(YAML_PIECES) + text[at:],
                    text[:at] + text[end:][:40],
                    text[:at] + text[at:end][:60] * 2 + text[end:],
                ]
            )
        if not INVISIBLE.search(text):  # refused before any reader sees it
            texts.append(text)
    return texts


def test_where_libyaml_reads_a_text_pyyaml_reads_it_the_same_or_refuses_it(monkeypatch):
    """libyaml reads every file; PyYAML's own reader reads where libyaml is absent. On edited copies of every
    test file, the two give the same values, lines and problems, but for texts PyYAML refuses and libyaml
    reads (the cases below, decided for libyaml; its reading may then find more, such as a key twice)."""
    texts = edited_texts(count=3_000, seed=5)
    with_libyaml = [_read_fully(text) for text in texts]
    monkeypatch.setattr(yaml_reading, "_libyaml_limits_nesting", lambda: False)  # as if libyaml were absent
    with_pyyaml = [_read_fully(text) for text in texts]
    differ = [(a, b) for a, b in zip(with_libyaml, with_pyyaml, strict=True) if a != b]
    assert len(differ) < len(texts) // 10
    for libyaml_reading, pyyaml_reading in differ:
        assert not any(": YAML: cannot be read" in problem for problem in libyaml_reading[1]), libyaml_reading
        assert pyyaml_reading[0] == ("NoneType", None) and pyyaml_reading[1], pyyaml_reading  # refused


def read(text: str, monkeypatch, libyaml: bool) -> tuple[object, list[str]]:
    if not libyaml:
        monkeypatch.setattr(yaml_reading, "_libyaml_limits_nesting", lambda: False)
    problems = Problems()
    return parse_yaml(text, "content/x.yaml", problems), [str(p) for p in problems.items]


@pytest.mark.parametrize(
    "text, value",
    [
        ("title:\tAnaemia\n", {"title": "Anaemia"}),  # a tab after the colon, as some editors type it
        ("title: Low\tcount\n", {"title": "Low\tcount"}),  # a tab between words, kept
        ("summary: |# a note to myself\n  Text.\n", {"summary": "Text.\n"}),  # a comment after '|'
        ("terms: [a?b, c]\n", {"terms": ["a?b", "c"]}),  # a '?' inside a word in [ ]
    ],
)
def test_what_pyyaml_refuses_and_libyaml_reads_is_read_as_the_editor_means_it(text, value, monkeypatch):
    assert read(text, monkeypatch, libyaml=True) == (value, [])
    refused, problems = read(text, monkeypatch, libyaml=False)
    assert refused is None and problems[0].startswith("content/x.yaml:1: YAML: cannot be read")


@pytest.mark.parametrize("libyaml", [True, False])
def test_a_tab_that_indents_is_refused_by_both_readers_with_the_same_words(libyaml, monkeypatch):
    value, problems = read("a:\n\t- b\n", monkeypatch, libyaml)
    assert value is None
    assert problems == [
        "content/x.yaml:2: YAML: cannot be read: replace the tab characters at the start of the line with "
        "spaces — the YAML reader says: while scanning for the next token found character '\\t' that "
        "cannot start any token"
    ]


@pytest.mark.parametrize("libyaml", [True, False])
@pytest.mark.parametrize("text", ["title: !x Anaemia\n", "title: !!python/none\n", "title: !<tag:x> A\n"])
def test_a_tag_is_refused_by_both_readers(text, libyaml, monkeypatch):
    value, problems = read(text, monkeypatch, libyaml)
    assert value is None and "uses the tag" in problems[0]


@pytest.mark.parametrize("libyaml", [True, False])
def test_a_standard_tag_is_read_by_both_readers(libyaml, monkeypatch):
    assert read("title: !!str 2026\n", monkeypatch, libyaml) == ({"title": "2026"}, [])


@pytest.mark.parametrize("libyaml", [True, False])
def test_a_byte_order_mark_inside_a_value_is_kept_by_both_readers(libyaml, monkeypatch):
    """The mark that starts a file is taken off when it is read (load.read_text); one inside is text."""
    assert read("title: a\ufeffb\n", monkeypatch, libyaml) == ({"title": "a\ufeffb"}, [])


def test_an_escape_libyaml_refuses_is_named_as_the_character_it_stands_for():
    problems = Problems()
    assert parse_yaml('title: "\\ud800"\n', "content/x.yaml", problems) is None
    assert str(problems.items[0]).startswith(
        "content/x.yaml:1: text: contains an invisible character (U+D800)"
    )


def _read_fully(text: str) -> tuple[object, list[str]]:
    problems = Problems()
    return _with_lines(parse_yaml(text, "content/x.yaml", problems, first_line=2)), [
        str(p) for p in problems.items
    ]


def _with_lines(value: object) -> object:
    """A value with every line it remembers, as plain data to compare."""
    if isinstance(value, YamlMap):
        return (
            "map",
            value.line,
            [
                (key, _with_lines(item), value.key_lines[key], value.value_lines[key])
                for key, item in value.items()
            ],
        )
    if isinstance(value, YamlList):
        return ("list", value.line, [_with_lines(item) for item in value], value.item_lines)
    return (type(value).__name__, value)
