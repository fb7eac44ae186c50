"""Markdown conversion: the inline shortcut (a pattern is tried on a text only if the text holds what the
pattern needs) gives, on every text, the HTML Python-Markdown gives without it; what Python-Markdown cannot
convert is a problem in the page's file."""

from __future__ import annotations

import random
import re

import markdown
import pytest
from markdown import treeprocessors
from projects import FIXTURES, REPO, make_project

from patientsite.markdown.convert import MarkdownConverter, MarkdownTooDeep
from patientsite.markdown.inline_shortcut import PLAIN_SWITCH, PRIVATE_METHODS, InlineWithShortcuts
from patientsite.markdown.markup import find_broken_tables, find_raw_html
from patientsite.pipeline import check_site
from patientsite.problems import ContentError
from patientsite.project import Project

# What editors type inside a paragraph that an inline pattern acts on, and near misses.
INLINE_PIECES = [
    "[",
    "]",
    "(",
    ")",
    "[@medlineplus-anemia]",
    "[@a @b]",
    "[link](causes.md#units)",
    "[x][ref]",
    "[ref]",
    "![alt](x.png)",
    "![alt][ref]",
    "`code`",
    "``",
    "\\",
    "\\*",
    "\\[",
    "*",
    "**",
    "_",
    "__",
    "*em*",
    "**strong**",
    "_em_",
    "a_b_c",
    "<",
    ">",
    "<b>bold</b>",
    "<http://example.org>",
    "<a@example.org>",
    "&",
    "&amp;",
    "&#38;",
    "&x",
    "  \n",
    " \n",
    "\n",
    "   ",
    "!",
    "@",
    "#",
    "{: .note}",
    "|",
    "- ",
    "1. ",
    "> ",
    "\u00a0",
    "é",
]


REFUSED_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
CITATIONS_AND_LINKS = re.compile(r"\[@[^\]]*\]|\[[^\]]*\]\([^)]*\)")


# Headings an editor writes, and the table-of-contents marker, for the heading ids.
HEADING_PIECES = [
    "\n\n## Causes\n\n",
    "\n## Causes {: #causes }\n",
    "\n\n## Causes_1\n\n",
    "\n\n### A &amp; B `code` *em* [@nhs-anaemia]\n\n",
    "\n\nCauses\n======\n\n",
    "\n\n## Qué es\n\n",
    "\n\n## ¿?\n\n",
    "\n##\n",
    "\n\n[TOC]\n\n",
    "[TOC]",
]


def edited_texts(count: int, seed: int, pieces: list[str] = INLINE_PIECES) -> list[str]:
    """The Markdown of the shipped guide and the test sites, with pieces laid in (the same every run)."""
    rng = random.Random(seed)
    files = sorted([*(REPO / "content").rglob("*.md"), *FIXTURES.rglob("*.md")])
    texts = (path.read_text(encoding="utf-8", errors="replace") for path in files)
    # A file with a control character is refused when it is loaded (a bad-content case): it never reaches
    # Markdown.
    bodies = [text.split("---\n", 2)[-1] for text in texts if not REFUSED_CHARACTERS.search(text)]
    plain = [CITATIONS_AND_LINKS.sub("", body) for body in bodies]  # most sentences of a page have neither
    texts = list(bodies)
    while len(texts) < count:
        text = rng.choice(rng.choice([bodies, plain]))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(pieces) + text[at:]
        texts.append(text)
    return texts


def test_the_inline_shortcut_changes_no_page():
    """Every content file of the guide and the test sites, and edited copies of them, both ways."""
    with_shortcut, without = MarkdownConverter(inline_shortcut=True), MarkdownConverter(inline_shortcut=False)
    assert isinstance(with_shortcut.markdown.treeprocessors["inline"], InlineWithShortcuts)
    assert type(without.markdown.treeprocessors["inline"]) is treeprocessors.InlineProcessor
    for text in edited_texts(count=1_000, seed=11):
        assert converted(with_shortcut, text) == converted(without, text), text


def converted(converter: MarkdownConverter, text: str) -> object:
    try:
        return converter.convert(text, "leucopenia/causes.md")
    except MarkdownTooDeep:
        return "too deep"


def test_the_switch_turns_the_shortcut_off(monkeypatch):
    monkeypatch.setenv(PLAIN_SWITCH, "1")
    assert type(MarkdownConverter().markdown.treeprocessors["inline"]) is treeprocessors.InlineProcessor
    monkeypatch.delenv(PLAIN_SWITCH)
    assert isinstance(MarkdownConverter().markdown.treeprocessors["inline"], InlineWithShortcuts)


def test_the_shortcuts_still_have_python_markdowns_private_methods_to_stand_in_front_of():
    """The shortcuts stand in front of two private methods of Python-Markdown. Were one renamed, the build
    would quietly go without the shortcuts (nothing breaks, conversion takes half as long again): this
    says so."""
    for name in PRIVATE_METHODS:
        assert callable(getattr(treeprocessors.InlineProcessor, name, None)), name


class ConverterWithToc(MarkdownConverter):
    """Every text converted with Python-Markdown's toc extension: the plain way to give headings ids."""

    def _new_markdown(self, toc: bool = False) -> markdown.Markdown:
        return super()._new_markdown(toc=True)


def test_headings_get_the_ids_the_toc_extension_gives():
    ours, plain = MarkdownConverter(), ConverterWithToc()
    assert "toc" not in ours.markdown.treeprocessors and "toc" in plain.markdown.treeprocessors
    for text in edited_texts(count=1_000, seed=12, pieces=HEADING_PIECES + INLINE_PIECES):
        assert converted(ours, text) == converted(plain, text), text


def test_a_toc_marker_still_becomes_a_table_of_contents():
    html = MarkdownConverter().convert("[TOC]\n\n## Causes\n\nA cause.\n", "anaemia/causes.md").html
    assert '<div class="toc">' in html and '<a href="#causes">Causes</a>' in html


TOO_DEEP = "".join(f"Word {n}\n: What word {n} means.\n" for n in range(2_000))
AFTER_IT = '## Causes\n\nA cause.\n\n!!! urgent "Get help now"\n    Call for help.\n{: .note}'


def test_a_text_after_one_too_deep_to_read_converts_as_on_a_fresh_converter():
    """Python-Markdown gives up on the deep text half way; the preview's converter lives on to the next
    save."""
    converter = MarkdownConverter()
    with pytest.raises(MarkdownTooDeep):
        converter.convert(TOO_DEEP, "anaemia/causes.md")
    assert converter.convert(AFTER_IT, "anaemia/causes.md") == MarkdownConverter().convert(
        AFTER_IT, "anaemia/causes.md"
    )


def test_python_markdowns_own_failure_is_a_problem_in_the_pages_file(tmp_path, monkeypatch):
    """Python-Markdown raises ValueError("Markdown failed to strip top-level tags") on some state it gets
    into; the editor sees the file, the field and a hint, not a traceback."""
    project = make_project(tmp_path / "project")
    page = project / "content" / "anaemia" / "causes.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBREAKS MARKDOWN\n", encoding="utf-8")
    real_convert = markdown.Markdown.convert

    def failing_convert(self: markdown.Markdown, source: str) -> str:
        if "BREAKS MARKDOWN" in source:
            raise ValueError("Markdown failed to strip top-level tags. Document='<div>'")
        return real_convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", failing_convert)
    with pytest.raises(ContentError) as raised:
        check_site(Project(project))
    [problem] = raised.value.errors
    assert (problem.file, problem.field) == ("content/anaemia/causes.md", "text")
    assert "could not be converted" in problem.message
    assert "blank lines" in problem.hint


# Raw <script> after indented lines: code (shown as text) in some places, raw HTML in others.
INDENTED_SCRIPTS = [
    "text\n\n    <script>x</script>\n",
    "    <script>x</script>",
    "# Heading\n\n    <script>x</script>",
    "    code\n\n    <script>x</script>",
    "\t<script>x</script>",
    "- item\n\n    para\n\ntext\n\n    <script>x</script>",
    "- item\n\n    <script>x</script>\n",
    "para\n    <script>x</script>\n",
    '!!! note "x"\n    <script>x</script>',
    "!!! note\n\n    <script>x</script>",
    "Term\n: meaning\n\n    <script>x</script>",
    "1. item\nlazy\n\n    <script>x</script>",
    "    code\ntext\n    <script>x</script>",
    "- a\n- b\n\n    <script>x</script>",
    "Term\n\n: meaning\n\n    <script>x</script>",
    "\u0663. a list item numbered in Arabic digits, as Markdown reads them too\n\n    <script>x</script>",
]


def test_the_raw_html_check_finds_every_tag_markdown_leaves_raw_and_skips_indented_code():
    """A <script> in an indented code block is shown as code and was refused as raw HTML; one anywhere
    Markdown leaves it raw is still found."""
    converter = markdown.Markdown(extensions=["tables", "attr_list", "admonition", "sane_lists", "def_list"])
    for text in INDENTED_SCRIPTS:
        converter.reset()
        assert ("<script>" in converter.convert(text)) == bool(list(find_raw_html(text))), text
    assert list(find_raw_html("text\n\n    <b>code</b>\n\n<i>raw</i>\n")) == [
        (5, "<i>")
    ]  # lines keep their numbers


# Paragraphs with | in them: tables Markdown makes, and near misses it publishes as text.
TABLE_LIKE = [
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "a | b\n--|--\nc | d",
    "| a | b |\n|---|---|\n| c | d | e |",
    "|a|\n|-|",
    "## H\n| a | b |\n|---|---|",
    "- item\n\n    | a | b |\n    |---|---|",
    "> | a | b |\n> |---|---|",
    '!!! note "x"\n    | a | b |\n    |---|---|',
    "Term\n:   | a | b |\n    |---|---|",
    "| a \\| x | b |\n|---|---|",
    "| a | `x|y` |\n|---|---|",
    "| a | b |\n| c | d |",
    "| a | b |",
    "one | two\nthree | four",
    "| a | b |\n|---|\n| c | d |",
    "| a | b |\n|---|---|---|",
    "text\n| a | b |\n|---|---|",
    "|---|---|\n| a | b |",
    "- item\n    | a | b |\n    |---|---|",
    "!!! note\n    | a | b |\n    | c | d |",
]


def test_the_table_check_finds_exactly_the_paragraphs_markdown_leaves_as_a_line_of_pipes():
    converter = markdown.Markdown(extensions=["tables", "attr_list", "admonition", "sane_lists", "def_list"])
    for text in TABLE_LIKE:
        converter.reset()
        assert ("<table>" in converter.convert(text)) != bool(list(find_broken_tables(text))), text
    for text in (
        "- a | b\n- c | d",
        "Use `a|b` here\nand `c|d`",
        "a \\| b\nc \\| d",
        "    | code |\n    | x |",
    ):
        assert list(find_broken_tables(text)) == [], text  # no table meant: lists, code, escaped pipes
