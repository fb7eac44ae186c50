"""Fields: read one YAML mapping field by field, turning every wrong value into a Problem with its line.

Also the mapping of a file as a whole: the fields of a YAML file or of a Markdown file's front matter.
"""

from __future__ import annotations

import difflib
import math
import re
from datetime import date, datetime

from patientsite.content.load import Document, MarkdownDocument, YamlDocument, YamlList, YamlMap
from patientsite.problems import Problems

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # also what a file or folder name of a page must be
MAX_TEXT_CHARS = 20_000
SHOWN_CHARS = 60  # how much of a wrong value a message quotes
# http(s)://host.name/… with none of the characters an address may not hold (RFC 3986):
# spaces, < > " { } | \ ^ `
WEB_ADDRESS = re.compile(r"^https?://[^\s/<>\"{}|\\^`]+\.[^\s<>\"{}|\\^`]+$")


class Fields:
    """Reads the fields of one mapping; `finish()` reports every field that no reader asked for."""

    def __init__(self, mapping: YamlMap, file: str, problems: Problems, where: str = ""):
        self.mapping = mapping
        self.file = file
        self.problems = problems
        self.where = where
        self.known: set[str] = set()

    def line(self, name: str) -> int:
        return self.mapping.line_of(name)

    def text(self, name: str, required: bool = True, max_chars: int = MAX_TEXT_CHARS) -> str | None:
        value = self._get(name, required, "text")
        if value is None:
            return None
        if isinstance(value, bool):
            return self._wrong(
                name,
                f"is read as {'yes' if value else 'no'}, not as text",
                f'put the text in quotes, e.g. {name}: "No"',
            )
        if not isinstance(value, (str, int, float)):
            return self._wrong(name, "must be text", "write it as text, on one line or after '|'")
        text = str(value).strip()
        if not text:
            if required:
                self._wrong(name, "is empty", "write the text, or remove the field if it is optional")
            return None
        if len(text) > max_chars:
            return self._wrong(
                name,
                f"is {len(text):,} characters long, more than {max_chars:,}",
                "shorten it or split the page",
            )
        return text

    def identifier(self, name: str, required: bool = True) -> str | None:
        value = self.text(name, required)
        if value is not None and not ID_PATTERN.match(value):
            return self._wrong(
                name,
                f"{shown(value)} is not a valid id",
                "use lower-case letters, digits and dashes only, e.g. 'nhs-neutropenia'",
            )
        return value

    def url(self, name: str, required: bool = True) -> str | None:
        value = self.text(name, required)
        if value is not None and not WEB_ADDRESS.match(value):
            return self._wrong(
                name, f"{shown(value)} is not a web address", "write the full address, starting with https://"
            )
        return value

    def date(self, name: str, required: bool = True) -> date | None:
        value = self._get(name, required, "date")
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()  # '2026-11-25 10:00' is still the 25th; pages show dates, not times
        if isinstance(value, date):
            return value
        return self._wrong(
            name, f"{shown(value)} is not a date", "write the date as YYYY-MM-DD, e.g. 2026-11-25"
        )

    def partial_date(self, name: str, required: bool = True) -> str | None:
        """A source's date: a year, a year and month, or a full date."""
        value = self._get(name, required, "date")
        if value is None:
            return None
        if isinstance(value, date):
            return (value.date() if isinstance(value, datetime) else value).isoformat()
        if isinstance(value, (int, str)) and re.match(r"^(19|20)\d\d(-(0[1-9]|1[0-2]))?$", str(value)):
            return str(value)
        return self._wrong(
            name,
            f"{shown(value)} is not a date",
            "write the year (2024), year and month (2024-03) or full date (2024-03-15)",
        )

    def number(self, name: str, required: bool = True) -> float | None:
        value = self._get(name, required, "number")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _is_finite(value):
            return self._wrong(name, f"{shown(value)} is not a number", "write a number such as 8 or 7.5")
        return float(value)

    def text_list(self, name: str, required: bool = False) -> tuple[str, ...]:
        items = self.items(name, required)
        texts = []
        for index, item in enumerate(items):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                self.problems.add(
                    self.file,
                    items.line_of(index),
                    self._label(name),
                    f"item {index + 1} must be text",
                    "write each item as '- some text'",
                )
                continue
            texts.append(str(item).strip())
        return tuple(texts)

    def items(self, name: str, required: bool = False) -> YamlList:
        value = self._get(name, required, "list")
        if value is None:
            return YamlList(self.line(name))
        if not isinstance(value, YamlList):
            self._wrong(name, "must be a list", "write each item on its own line starting with '- '")
            return YamlList(self.line(name))
        if required and not value:
            self._wrong(name, "is an empty list", "add at least one item")
        return value

    def mappings(self, name: str, required: bool = False) -> list[YamlMap]:
        items = self.items(name, required)
        mappings = []
        for index, item in enumerate(items):
            if isinstance(item, YamlMap):
                mappings.append(item)
            else:
                self.problems.add(
                    self.file,
                    items.line_of(index),
                    self._label(name),
                    f"item {index + 1} must be a group of 'field: value' lines",
                    "indent its fields under the '- ' that starts the item",
                )
        return mappings

    def finish(self) -> None:
        for key in self.mapping:
            if key in self.known:
                continue
            close = difflib.get_close_matches(key, sorted(self.known), n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"the fields here are: {', '.join(sorted(self.known))}"
            )
            self.problems.add(
                self.file, self.mapping.line_of(key), self._label(key), "is not a known field", hint
            )

    def _get(self, name: str, required: bool, kind: str) -> object | None:
        self.known.add(name)
        value = self.mapping.get(name)
        if value is None and required and name in self.mapping:
            self._wrong(
                name, f"is empty ({kind} required)", f"write the {kind} after '{name}:' on the same line"
            )
        elif value is None and required:
            self.problems.add(
                self.file,
                self.mapping.line,
                self._label(name),
                f"is missing ({kind} required)",
                f"add a line '{name}: …'" + (f" to {self.where}" if self.where else ""),
            )
        return value

    def _wrong(self, name: str, message: str, hint: str) -> None:
        self.problems.add(self.file, self.line(name), self._label(name), message, hint)

    def _label(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name


def shown(value: object) -> str:
    """A value quoted in a message: its first line, cut short, so one problem stays one short line."""
    lines = str(value).strip().splitlines() or [""]
    text = lines[0] if len(lines[0]) <= SHOWN_CHARS else lines[0][: SHOWN_CHARS - 1] + "…"
    return f"'{text}…'" if len(lines) > 1 and not text.endswith("…") else f"'{text}'"


def mapping_of(document: Document | None, display_name: str, problems: Problems) -> YamlMap | None:
    """The fields of a file, or None after reporting that it is missing or is not 'field: value' lines."""
    if document is None:
        problems.add(display_name, 1, "file", "is missing", "create it: see the editing guide")
        return None
    data = document.data if isinstance(document, YamlDocument) else document.meta
    if not isinstance(data, YamlMap):
        problems.add(
            document.file,
            1,
            "file",
            "must be a list of 'field: value' lines",
            "write each field as 'name: value' on its own line",
        )
        return None
    return data


def fields_of(document: Document | None) -> YamlMap | None:
    """The fields of a file, read leniently: None when it has none (validate reports why)."""
    mapping = document.meta if isinstance(document, MarkdownDocument) else getattr(document, "data", None)
    return mapping if isinstance(mapping, YamlMap) else None


def line_of(document: Document | None, name: str) -> int:
    """The line of a field of a file, or of the file's first field when it has no such field."""
    mapping = fields_of(document)
    return mapping.line_of(name) if mapping is not None else 1


def _is_finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False
