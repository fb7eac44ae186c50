"""Markdown conversion: the inline shortcuts (a pattern is tried on a text only if the text holds what the
pattern needs) give, on every text, the HTML Python-Markdown gives without them."""

from __future__ import annotations

import random
import re

from markdown import treeprocessors
from projects import FIXTURES, REPO

from patientsite.convert import MarkdownConverter, MarkdownTooDeep, _InlineWithShortcuts

# What editors type inside a paragraph that an inline pattern acts on, and near misses.
INLINE_PIECES = [
    "[", "]", "(", ")", "[@medlineplus-anemia]", "[@a @b]", "[link](causes.md#units)", "[x][ref]", "[ref]",
    "![alt](x.png)", "![alt][ref]", "`code`", "``", "\\", "\\*", "\\[", "*", "**", "_", "__", "*em*", "**strong**",
    "_em_", "a_b_c", "<", ">", "<b>bold</b>", "<http://example.org>", "<a@example.org>", "&", "&amp;", "&#38;",
    "&x", "  \n", " \n", "\n", "   ", "!", "@", "#", "{: .note}", "|", "- ", "1. ", "> ", "\u00a0", "é",
]


CITATIONS_AND_LINKS = re.compile(r"\[@[^\]]*\]|\[[^\]]*\]\([^)]*\)")


def edited_texts(count: int, seed: int) -> list[str]:
    """The Markdown of the shipped guide and the test sites, with pieces laid in (the same every run)."""
    rng = random.Random(seed)
    files = sorted([*(REPO / "content").rglob("*.md"), *FIXTURES.rglob("*.md")])
    bodies = [text.split("---\n", 2)[-1] for text in (path.read_text(encoding="utf-8", errors="replace") for path in files)]
    plain = [CITATIONS_AND_LINKS.sub("", body) for body in bodies]  # most sentences of a page have neither
    texts = list(bodies)
    while len(texts) < count:
        text = rng.choice(rng.choice([bodies, plain]))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(INLINE_PIECES) + text[at:]
        texts.append(text)
    return texts


def test_the_inline_shortcut_changes_no_page():
    with_shortcut, without = MarkdownConverter(), MarkdownConverter()
    assert isinstance(with_shortcut.markdown.treeprocessors["inline"], _InlineWithShortcuts)
    without.markdown.treeprocessors.register(treeprocessors.InlineProcessor(without.markdown), "inline", 20)
    for text in edited_texts(count=1_000, seed=11):
        assert converted(with_shortcut, text) == converted(without, text), text


def converted(converter: MarkdownConverter, text: str) -> object:
    try:
        return converter.convert(text, "leucopenia/causes.md")
    except MarkdownTooDeep:
        return "too deep"


def test_the_shortcuts_still_have_python_markdowns_private_methods_to_stand_in_front_of():
    """The shortcuts stand in front of two private methods of Python-Markdown. Were one renamed, the build would
    quietly go without the shortcuts (nothing breaks, conversion takes half as long again): this says so."""
    for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern"):
        assert callable(getattr(treeprocessors.InlineProcessor, name, None)), name
