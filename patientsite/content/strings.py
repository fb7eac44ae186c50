"""Strings: the words the templates say, in each language, and how that language writes dates.

Templates hold no words of their own: a template says t("key_points"), and the page's language gives the
words, from content/strings.yaml (the original language) or content/<code>/strings.yaml (a translation).
The original's file is the reference: it has every string the templates use. A translation has the same
keys with the same {placeholders}; a string it lacks is shown in the original language (a warning), or
stops the build, as site.yaml's missing_translation says. Dates are written by Babel for the language's
locale ("25 November 2026", "25 de noviembre de 2026"), never with month names of our own.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, format_skeleton
from markupsafe import Markup, escape

from patientsite.content.fields import shown
from patientsite.content.load import Document, YamlDocument, YamlMap
from patientsite.content.model import Strings
from patientsite.problems import ContentError, Problem, Problems

STRINGS_FILE = "strings.yaml"
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
MAX_STRING_CHARS = 1_000


def read_strings(document: Document | None, display_name: str, problems: Problems) -> Strings:
    """A strings file: each key's text and line. What is not 'key: text' is a problem; a missing file too."""
    if document is None:
        problems.add(
            display_name,
            1,
            "file",
            "is missing",
            "create it: it holds the words every page says, such as 'Key points' (see the editing guide)",
        )
        return Strings(display_name, {}, {})
    mapping = document.data if isinstance(document, YamlDocument) else None
    if not isinstance(mapping, YamlMap):
        problems.add(
            document.file,
            1,
            "file",
            "must be a list of 'name: text' lines",
            "write each string as 'name: text' on its own line",
        )
        return Strings(document.file, {}, {})
    texts: dict[str, str] = {}
    for key, value in mapping.items():
        text = _string_text(key, value, document.file, mapping.line_of(key), problems)
        if text is not None:
            texts[key] = text
    return Strings(document.file, texts, {key: mapping.line_of(key) for key in texts})


def _string_text(key: str, value: object, file: str, line: int, problems: Problems) -> str | None:
    if not KEY.match(key):
        problems.add(
            file,
            line,
            key,
            "is not a string name",
            "names are lower-case letters, digits and _, e.g. key_points",
        )
    elif isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
        problems.add(
            file,
            line,
            key,
            "must be text",
            f"write the words after '{key}:' on the same line, "
            "in quotes if they start with a sign such as * or {",
        )
    elif len(str(value)) > MAX_STRING_CHARS:
        problems.add(
            file,
            line,
            key,
            f"is longer than {MAX_STRING_CHARS:,} characters",
            "shorten it: a string is a label or a sentence or two",
        )
    else:
        return " ".join(str(value).split())
    return None


def translate_strings(
    original: Strings, translation: Strings, must_have_all: bool, problems: Problems
) -> Strings:
    """A translation's strings, each with the original's {placeholders}; for a string it lacks, the
    original's text (a warning), or an error when `must_have_all`."""
    texts, lines = dict(translation.texts), dict(translation.lines)
    for key in translation.texts:
        if key not in original.texts:
            close = difflib.get_close_matches(key, sorted(original.texts), n=1)
            problems.warn(
                translation.file,
                translation.lines[key],
                key,
                f"is not a string of {original.file}",
                f"did you mean '{close[0]}'?" if close else "delete it: no page says it",
            )
            del texts[key]
        elif placeholders(translation.texts[key]) != placeholders(original.texts[key]):
            problems.add(
                translation.file,
                translation.lines[key],
                key,
                f"uses {_listed(placeholders(translation.texts[key]))}, but {original.file} uses "
                f"{_listed(placeholders(original.texts[key]))}",
                "keep each {name} of the original as it is (they are filled in by the page); "
                "translate only the words around them",
            )
    for key in original.texts.keys() - translation.texts.keys():
        report = problems.add if must_have_all else problems.warn
        report(
            translation.file,
            1,
            key,
            f"is missing (in {original.file}: {shown(original.texts[key])})",
            f"add a line '{key}: …' with the words in this language"
            + ("" if must_have_all else "; until then pages show the original's words"),
        )
        texts[key], lines[key] = original.texts[key], original.lines[key]
    return Strings(translation.file, texts, lines)


def placeholders(text: str) -> frozenset[str]:
    return frozenset(PLACEHOLDER.findall(text))


def _listed(names: frozenset[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "no {name}"


@dataclass(frozen=True)
class Words:
    """One language's words and dates, as templates use them: t("key_points"), t("updated", date=…),
    t.date(value). Text is escaped; a value that is already markup (a <time>, a link) is kept."""

    strings: Strings
    locale: str

    def __call__(self, key: str, **values: object) -> Markup:
        return Markup(fill(self.strings, key, values, escape))

    def text(self, key: str, **values: object) -> str:
        """The same words as plain text, for a page title or description (escaped where it is shown)."""
        return fill(self.strings, key, values, str)

    def date(self, value: date) -> str:
        return _long_date(value, self.locale)

    def partial_date(self, value: str) -> str:
        """A source's date as written ('2024', '2024-03', '2024-03-15') in words."""
        parts = [int(part) for part in value.split("-")]
        if len(parts) == 3:
            return self.date(date(*parts))
        if len(parts) == 2:
            return _month(parts[0], parts[1], self.locale)
        return value


# A site has few dates and shows each on many pages; Babel looks up the locale's patterns on every call.
@functools.lru_cache(maxsize=4_096)
def _long_date(value: date, locale: str) -> str:
    return format_date(value, "long", locale=locale)


@functools.lru_cache(maxsize=4_096)
def _month(year: int, month: int, locale: str) -> str:
    return format_skeleton("yMMMM", date(year, month, 1), locale=locale)


def fill(strings: Strings, key: str, values: Mapping[str, object], escape_value) -> str:
    """The string `key` with each {placeholder} replaced by its value; ContentError, with the strings file
    and line, for a string the file lacks or a placeholder the template gives no value for."""
    if key not in strings.texts:
        raise ContentError(
            [
                Problem(
                    strings.file,
                    1,
                    key,
                    "is missing, and the templates use it",
                    f"add a line '{key}: …' with the words the pages should show",
                )
            ]
        )
    text = strings.texts[key]

    def value_of(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            given = ", ".join(f"{{{v}}}" for v in sorted(values)) or "none"
            raise ContentError(
                [
                    Problem(
                        strings.file,
                        strings.lines.get(key, 1),
                        key,
                        f"uses {{{name}}}, which the page cannot fill in here (it gives: {given})",
                        "use only those, or write the text without {…}",
                    )
                ]
            )
        return str(escape_value(values[name]))

    return PLACEHOLDER.sub(value_of, str(escape_value(text)))
