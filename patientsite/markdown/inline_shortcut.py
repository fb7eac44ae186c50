"""The one trick on Python-Markdown's private code: its inline stage, with a shortcut past patterns that
cannot match.

Python-Markdown tries each of its fifteen inline patterns on every piece of text; most sentences hold none
of the characters a pattern needs ('[', '*', '<', '`' …), and trying costs a third of the conversion. The
shortcut skips a pattern on a text that lacks what the pattern needs. It stands in front of two private,
name-mangled methods of ``markdown.treeprocessors.InlineProcessor``, so it is used only where it pays: the
shared corpus converts in 0.61 of the plain time, the synthetic bench pages in 0.81, and the cold-build CPU
target needs it. ``PATIENTSITE_PLAIN_MARKDOWN=1`` (or ``MarkdownConverter(inline_shortcut=False)``) turns it
off; tests/test_convert.py converts every content file both ways on every run and asserts the same HTML.
"""

from __future__ import annotations

import os
import re

import markdown
from markdown import treeprocessors, util

PLAIN_SWITCH = "PATIENTSITE_PLAIN_MARKDOWN"  # =1: Python-Markdown's own inline stage, no shortcut
PRIVATE_METHODS = ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")

# What each inline pattern needs in a text before it can match there: its regular expression cannot match
# without one of these characters.
INLINE_PATTERN_NEEDS = {
    "backtick": "`\\",
    "escape": "\\",
    "citation": "[",
    "reference": "[",
    "link": "[",
    "image_link": "[",
    "image_reference": "[",
    "short_reference": "[",
    "short_image_ref": "[",
    "autolink": "<",
    "automail": "<",
    "html": "<",
    "entity": "&",
    "em_strong": "*_",
}
LINE_BREAK = ("linebreak", "  \n")  # the line break pattern needs two spaces at the end of a line


def shortcut_wanted() -> bool:
    """The default: the shortcut, unless the environment asks for plain Python-Markdown."""
    return os.environ.get(PLAIN_SWITCH, "") != "1"


def add_inline_shortcut(md: markdown.Markdown) -> bool:
    """Replace ``md``'s inline stage by the same stage with shortcuts; False (nothing changed) if an inline
    pattern is not in the table above (an extension added it) or Python-Markdown no longer has the private
    methods the shortcut stands in front of."""
    needs = pattern_needs(md)
    if needs is None or not all(
        callable(getattr(treeprocessors.InlineProcessor, name, None)) for name in PRIVATE_METHODS
    ):
        return False
    md.treeprocessors.register(InlineWithShortcuts(md, needs), "inline", 20)
    return True


def pattern_needs(md: markdown.Markdown) -> list[re.Pattern] | None:
    """For each inline pattern, in the order Python-Markdown tries them, a pattern that finds what it needs;
    None if some registered pattern is not one of those known here."""
    needs: dict[int, re.Pattern] = {}
    known = [*((name, f"[{re.escape(chars)}]") for name, chars in INLINE_PATTERN_NEEDS.items())]
    known.append((LINE_BREAK[0], re.escape(LINE_BREAK[1])))
    for name, need in known:
        if name in md.inlinePatterns:
            needs[md.inlinePatterns.get_index_for_name(name)] = re.compile(need)
    if sorted(needs) != list(range(len(md.inlinePatterns))):
        return None
    return [needs[index] for index in range(len(md.inlinePatterns))]


class InlineWithShortcuts(treeprocessors.InlineProcessor):
    """Python-Markdown's inline stage, which tries a pattern on a text only if the text holds what the pattern
    needs: a text that no pattern could change is left at once."""

    def __init__(self, md: markdown.Markdown, needs: list[re.Pattern]):
        super().__init__(md)
        self.needs = needs
        self.any_need = re.compile("|".join(need.pattern for need in needs))

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """Python-Markdown's loop: each pattern in turn, again from where it matched, until it does not."""
        if isinstance(data, util.AtomicString) or self.any_need.search(data) is None:
            return data
        start = 0
        while patternIndex < len(self.inlinePatterns):
            if self.needs[patternIndex].search(data) is None:  # it cannot match: as if it had not matched
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(
                self.inlinePatterns[patternIndex], data, patternIndex, start
            )
            if not matched:
                patternIndex += 1
        return data
