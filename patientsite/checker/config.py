"""Checker: the count checker's settings from checker.yaml, checked, and the data its script receives.

The script (static/checker.js) holds no number or message of its own: everything it compares against or
says comes from here, so an editor can change it and the build tells them when it no longer adds up. How
numbers are written, read and said ("below 3,500", "3,6") comes from the page's language: Babel's marks for
its locale, and the words in its strings.yaml.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from patientsite.content.fields import Fields, shown
from patientsite.content.load import YamlList, YamlMap
from patientsite.content.strings import Words
from patientsite.problems import Problems

# Each message the script shows → the {placeholders} it fills in for that message.
MESSAGES: dict[str, frozenset[str]] = {
    name: frozenset(placeholders.split())
    for name, placeholders in {
        "count_empty": "",
        "not_a_number": "",
        "negative": "",
        "zero": "",
        "unknown_unit": "text",
        "unit_conflict": "typed chosen",
        "unit_missing": "value",
        "unit_missing_likely": "value likely",
        "number_ambiguous": "typed larger smaller",
        "count_too_high": "count",
        "count_too_low": "count",
        "percent_too_high": "",
        "percent_sum_too_high": "sum",
        "bands_without_neutrophils": "",
        "anc_above_count": "anc count",
        "anc_too_low": "anc count",
        "range_incomplete": "",
        "range_reversed": "",
        "range_implausible": "count unit",
        "age_missing": "",
        "read_as": "typed count thousands",
        "unit_inferred": "",
        "read_one_way": "typed reading",
        "compared_with_typical": "range source",
        "compared_with_lab": "range",
        "child_no_verdict": "",
        "anc_given": "anc thousands count percent",
        "anc_worked_out": "anc thousands count percent",
        "anc_grades": "",
        "anc_child": "",
        "duffy_note": "",
        "same_day_action": "",
        "urgent_rule": "",
        "count_verdict": "title",
        "neutrophils_unknown": "",
        "anc_disagrees": "anc worked used",
        "percent": "value",
        "scale_marked": "scale value band",
        "sheet_made_on": "date",
        "not_a_diagnosis": "",
    }.items()
}

# The page's words: form labels and hints, headings, the urgent box, table captions.
LABELS = (
    "intro",
    "no_script",
    "count",
    "count_hint",
    "unit",
    "unit_hint",
    "neutrophils",
    "neutrophils_hint",
    "neutrophil_percent",
    "neutrophil_percent_hint",
    "band_percent",
    "band_percent_hint",
    "anc",
    "anc_hint",
    "anc_unit",
    "anc_unit_same",
    "lab_range",
    "lab_range_hint",
    "lab_range_low",
    "lab_range_high",
    "age",
    "adult",
    "child",
    "submit",
    "result",
    "details",
    "problem",
    "scale_count",
    "scale_anc",
    "urgent_title",
    "urgent",
    "how_to_read",
    "table",
    "count_table_caption",
    "anc_table_caption",
    "column_range_per_microlitre",
    "column_range_thousands",
    "column_meaning",
)

# The words of the printable summary for an appointment; its questions are a list beside them.
APPOINTMENT_LABELS = (
    "heading",
    "intro",
    "print",
    "title",
    "numbers",
    "count",
    "neutrophils",
    "bands",
    "anc",
    "lab_range",
    "age",
    "meaning",
    "range_source",
    "questions_heading",
)
# More would push the summary onto a second printed page (tests/test_appointment_sheet.py prints it).
MAX_QUESTIONS = 8

# The thousands column of the tables: two decimals at most, as labs print it, and at least one (11.0).
IN_LARGEST_UNIT = "#,##0.0#"
# How the page groups thousands when it writes a number: "locale", the language's own mark as Babel gives it
# (3,600 in English; 3.600 in Spanish); or "space", as the RAE and the SI advise, which no reader can take
# for a decimal mark: four digits stay together (3600), more are grouped with a no-break space (11 000).
NUMBER_GROUPS = ("locale", "space")
SPACE_GROUP = "\u00a0"

LAB_RANGE_VERDICTS = ("low", "within", "high")
# What a question of the appointment summary can depend on: it is left out when the reader typed this.
TYPED_NUMBERS = ("neutrophils", "lab_range")
PLACEHOLDER = re.compile(r"\{(\w*)\}")


@dataclass(frozen=True)
class Unit:
    id: str
    name: str  # shown after a number: "×10⁹/L"
    label: str  # the choice in the form
    hint: str
    cells_per_microlitre: int
    spellings: tuple[str, ...]  # as reports write it after the number


@dataclass(frozen=True)
class Verdict:
    title: str
    message: str


@dataclass(frozen=True)
class Range:
    """Counts from `start` up to the next range's start, in cells per µL; `end` is the last whole count in it
    (None for the last range). The flags say what the result does with it (checker.yaml's rules)."""

    id: str
    start: int
    end: int | None
    verdict: Verdict
    summary: str
    typical: bool = False
    same_day: bool = False  # contact the care team today; with a fever, emergency help now
    any_age: bool = False  # also for a child
    leads: bool = False  # comes before the total count in the result
    duffy_note: bool = False  # the Duffy-null note may be shown with it


@dataclass(frozen=True)
class ReferenceRow:
    """A range as a row of the table readers see without the script."""

    per_microlitre: str
    in_largest_unit: str
    title: str
    summary: str


@dataclass(frozen=True)
class ScaleBand:
    """A range drawn as one band of a scale: where it lies (of SCALE_WIDTH), its colour, and the count where
    it ends, as the table writes it ("" for the last band)."""

    x: int
    width: int
    start: int
    following_start: int | None
    tone: str
    limit: str


@dataclass(frozen=True)
class AppointmentQuestion:
    text: str
    unless_typed: str = ""  # one of TYPED_NUMBERS: the question is left out when that number was typed


@dataclass(frozen=True)
class AppointmentSheet:
    """The one-page summary offered after a result: its words, and the questions to ask the doctor."""

    labels: Mapping[str, str]
    questions: tuple[AppointmentQuestion, ...]


@dataclass(frozen=True)
class CheckerConfig:
    units: tuple[Unit, ...]
    lowest_count: int
    highest_count: int
    lowest_range_end: int
    highest_range_end: int
    typical_range_source: str
    typical_range_source_id: str  # the source the printed summary cites for the typical range
    count_ranges: tuple[Range, ...]
    anc_ranges: tuple[Range, ...]
    lab_range_verdicts: Mapping[str, Verdict]
    labels: Mapping[str, str]
    how_to_read: tuple[str, ...]
    messages: Mapping[str, str]
    appointment: AppointmentSheet
    also_read_numbers_as: tuple[str, ...] = ()  # locales whose way of writing numbers readers also use
    number_groups: str = "locale"  # how thousands are grouped when the page writes a number: NUMBER_GROUPS

    @property
    def typical_range(self) -> Range:
        return next(r for r in self.count_ranges if r.typical)

    @property
    def largest_factor(self) -> int:
        return max(unit.cells_per_microlitre for unit in self.units)

    def count_rows(self, words: Words) -> tuple[ReferenceRow, ...]:
        return reference_rows(self.count_ranges, self.largest_factor, words, self.number_groups)

    def anc_rows(self, words: Words) -> tuple[ReferenceRow, ...]:
        return reference_rows(self.anc_ranges, self.largest_factor, words, self.number_groups)

    def count_scale(self, words: Words) -> tuple[ScaleBand, ...]:
        return scale_bands(self.count_ranges, words, self.number_groups)

    def anc_scale(self, words: Words) -> tuple[ScaleBand, ...]:
        return scale_bands(self.anc_ranges, words, self.number_groups)

    @property
    def scale_width(self) -> int:
        return SCALE_WIDTH

    @property
    def lab_scale(self) -> tuple[ScaleBand, ...]:
        """The lab's range as three bands (below, within, above); the script writes in the two limits."""
        width = SCALE_WIDTH // len(LAB_RANGE_VERDICTS)
        return tuple(
            ScaleBand(index * width, width, 0, None, tone, "")
            for index, tone in enumerate(("warning", "tip", "plain"))
        )

    def scale_label(self, kind: str, words: Words) -> str:
        """What a scale shows, for screen readers: its name, then each band with its counts."""
        rows = self.count_rows(words) if kind == "count" else self.anc_rows(words)
        bands = "; ".join(f"{row.per_microlitre}: {row.title}" for row in rows)
        return f"{self.labels[f'scale_{kind}']}: {bands}."


# --- reading checker.yaml -----------------------------------------------------------------------------------


def read_checker(fields: Fields, problems: Problems) -> CheckerConfig | None:
    """The checker's own fields of checker.yaml, or None when a problem makes the checker unusable."""
    before = len(problems.errors)
    units = tuple(_units(fields, problems))
    lowest, highest = _limits(fields, "lowest_count", "highest_count")
    lowest_end, highest_end = _limits(fields, "lowest_range_end", "highest_range_end")
    _check_range_limits(fields, (lowest, highest), (lowest_end, highest_end))
    typical_source = fields.text("typical_range_source")
    typical_source_id = _listed_source(fields, "typical_range_source_id")
    count_ranges = _ranges(fields, "count_ranges", problems, neutrophils=False)
    anc_ranges = _ranges(fields, "anc_ranges", problems, neutrophils=True)
    _check_typical(fields, count_ranges, problems)
    verdicts = _lab_range_verdicts(fields)
    labels = _texts(fields, "labels", LABELS)
    how_to_read = fields.text_list("how_to_read", required=True)
    messages = _messages(fields, problems)
    appointment = _appointment(fields)
    also_read_numbers_as = _locales(fields, "also_read_numbers_as")
    number_groups = _number_groups(fields)
    if len(problems.errors) > before:
        return None
    return CheckerConfig(
        units,
        lowest,
        highest,
        lowest_end,
        highest_end,
        typical_source,
        typical_source_id,
        count_ranges,
        anc_ranges,
        verdicts,
        labels,
        how_to_read,
        messages,
        appointment,
        also_read_numbers_as,
        number_groups,
    )


def _units(fields: Fields, problems: Problems) -> Iterator[Unit]:
    seen: dict[str, int] = {}
    mappings = fields.mappings("units", required=True)
    for mapping in mappings:
        item = Fields(mapping, fields.file, problems, "units")
        unit = Unit(
            id=item.identifier("id") or "",
            name=item.text("name") or "",
            label=item.text("label") or "",
            hint=item.text("hint") or "",
            cells_per_microlitre=_whole_number(item, "cells_per_microlitre", minimum=1) or 0,
            spellings=item.text_list("spellings", required=True),
        )
        item.finish()
        if unit.id in seen:
            problems.add(
                fields.file,
                mapping.line_of("id"),
                "units.id",
                f"'{unit.id}' is used twice (first on line {seen[unit.id]})",
                "give each unit its own id",
            )
        seen[unit.id] = mapping.line_of("id")
        yield unit
    if mappings and 1 not in [mapping.get("cells_per_microlitre") for mapping in mappings]:
        problems.add(
            fields.file,
            fields.line("units"),
            "units",
            "no unit has cells_per_microlitre: 1",
            "the checker compares counts per µL: keep a unit 'per µL' with cells_per_microlitre: 1",
        )


def _limits(fields: Fields, lowest_name: str, highest_name: str) -> tuple[int, int]:
    """Two limits in order, or (0, 0) after a problem."""
    lowest = _whole_number(fields, lowest_name, minimum=1)
    highest = _whole_number(fields, highest_name, minimum=1)
    if lowest is None or highest is None:
        return 0, 0
    if lowest >= highest:
        fields.problems.add(
            fields.file,
            fields.line(lowest_name),
            lowest_name,
            f"{lowest:,} is not below {highest_name} ({highest:,})",
            f"{lowest_name} is the smallest believable value, {highest_name} the largest",
        )
        return 0, 0
    return lowest, highest


def _check_range_limits(fields: Fields, counts: tuple[int, int], range_ends: tuple[int, int]) -> None:
    if 0 in counts + range_ends:
        return  # already reported
    if range_ends[0] < counts[0] or range_ends[1] > counts[1]:
        fields.problems.add(
            fields.file,
            fields.line("lowest_range_end"),
            "lowest_range_end",
            "a lab's range must lie within lowest_count and highest_count",
            f"keep both range ends between {counts[0]:,} and {counts[1]:,}",
        )


def _ranges(fields: Fields, name: str, problems: Problems, neutrophils: bool) -> tuple[Range, ...]:
    mappings = fields.mappings(name, required=True)
    ranges = [_range(Fields(mapping, fields.file, problems, name), neutrophils) for mapping in mappings]
    _check_sequence(fields.file, name, list(zip(mappings, ranges, strict=True)), problems)
    return tuple(r for r in ranges if r is not None)


def _range(item: Fields, neutrophils: bool) -> Range | None:
    """A range of count_ranges, or with `neutrophils` of anc_ranges, which also say what leads the result
    and where the Duffy-null note may be shown."""
    range_id = item.identifier("id")
    start = _whole_number(item, "from", minimum=0)
    end = _whole_number(item, "to", minimum=0, required=False)
    flags = {
        "typical": False if neutrophils else _optional_flag(item, "typical", "on the one typical range"),
        "same_day": _optional_flag(item, "same_day", "on a range so low that the reader acts today"),
        "any_age": _optional_flag(item, "any_age", "on a range that means the same for a child"),
    }
    if neutrophils:
        flags["leads"] = _optional_flag(item, "leads", "on a grade that comes before the total count")
        flags["duffy_note"] = _flag(
            item,
            "duffy_note",
            "write 'duffy_note: true' to show the Duffy-null note with this range, or 'duffy_note: false'",
        )
    verdict = _verdict(item)
    summary = item.text("summary")
    item.finish()
    if start is not None and end is not None and end < start:
        item.problems.add(
            item.file,
            item.line("to"),
            _label(item, "to"),
            f"{end:,} is below from ({start:,})",
            "'to' is the last count in the range, so it cannot be below 'from'",
        )
        return None
    if range_id is None or start is None or verdict is None or summary is None or None in flags.values():
        return None
    return Range(range_id, start, end, verdict, summary, **flags)


def _check_sequence(
    file: str, name: str, items: list[tuple[YamlMap, Range | None]], problems: Problems
) -> None:
    """The ranges start at 0, follow one another without gap or overlap, and only the last is open-ended."""
    previous: Range | None = None
    ids: set[str] = set()
    for index, (mapping, current) in enumerate(items):
        if current is None:
            previous = None
            continue
        if current.id in ids:
            problems.add(
                file,
                mapping.line_of("id"),
                f"{name}.id",
                f"'{current.id}' is used twice",
                "give each range its own id",
            )
        ids.add(current.id)
        if index == 0 and current.start != 0:
            problems.add(
                file,
                mapping.line_of("from"),
                f"{name}.from",
                f"the first range starts at {current.start:,}, not 0",
                "start the first range at 'from: 0' so that every count has a range",
            )
        if previous is not None and previous.end is not None and current.start != previous.end + 1:
            _add_gap_or_overlap(file, name, mapping, previous, current, problems)
        _check_open_end(file, name, mapping, current, index == len(items) - 1, problems)
        previous = current


def _add_gap_or_overlap(
    file: str, name: str, mapping: YamlMap, previous: Range, current: Range, problems: Problems
) -> None:
    what = "counts in between have no range" if current.start > previous.end + 1 else "the ranges overlap"
    where = f"'{current.id}' starts at {current.start:,} but '{previous.id}' ends at {previous.end:,}"
    problems.add(
        file,
        mapping.line_of("from"),
        f"{name}.from",
        f"{where}: {what}",
        f"start '{current.id}' at {previous.end + 1:,}, one above the end of the range before it",
    )


def _check_open_end(
    file: str, name: str, mapping: YamlMap, current: Range, last: bool, problems: Problems
) -> None:
    if current.end is None and not last:
        problems.add(
            file,
            mapping.line,
            f"{name}.to",
            f"'{current.id}' has no 'to' but is not the last range",
            "give it a 'to', or move it to the end of the list",
        )
    if current.end is not None and last:
        problems.add(
            file,
            mapping.line_of("to"),
            f"{name}.to",
            f"the last range ends at {current.end:,}, so higher counts have no range",
            "leave 'to' out of the last range",
        )


def _check_typical(fields: Fields, ranges: tuple[Range, ...], problems: Problems) -> None:
    typical = [r.id for r in ranges if r.typical]
    if ranges and len(typical) != 1:
        found = f"{len(typical)} are" + (f" ({', '.join(typical)})" if typical else "")
        problems.add(
            fields.file,
            fields.line("count_ranges"),
            "count_ranges.typical",
            f"one range must be marked 'typical: true'; {found}",
            "mark the range the checker names as 'the typical adult range'",
        )


def _verdict(item: Fields) -> Verdict | None:
    title, message = item.text("title"), item.text("message")
    if title is None or message is None:
        return None
    return Verdict(title, message)


def _lab_range_verdicts(fields: Fields) -> Mapping[str, Verdict]:
    group = _group(fields, "lab_range_verdicts")
    if group is None:
        return {}
    verdicts = {}
    for name in LAB_RANGE_VERDICTS:
        item = _group(group, name)
        verdict = _verdict(item) if item else None
        if item:
            item.finish()
        if verdict is not None:
            verdicts[name] = verdict
    group.finish()
    return verdicts


def _texts(fields: Fields, name: str, names: tuple[str, ...]) -> dict[str, str]:
    group = _group(fields, name)
    if group is None:
        return {}
    texts = {key: group.text(key) for key in names}
    group.finish()
    return {key: value for key, value in texts.items() if value is not None}


def _messages(fields: Fields, problems: Problems) -> dict[str, str]:
    messages = _texts(fields, "messages", tuple(MESSAGES))
    for key, text in messages.items():
        for placeholder in PLACEHOLDER.findall(text):
            if placeholder not in MESSAGES[key]:
                allowed = ", ".join("{" + p + "}" for p in sorted(MESSAGES[key])) or "none"
                problems.add(
                    fields.file,
                    fields.mapping["messages"].line_of(key),
                    f"messages.{key}",
                    f"'{{{placeholder}}}' is not filled in for this message",
                    f"the placeholders this message can use: {allowed}",
                )
    return messages


def _listed_source(fields: Fields, name: str) -> str:
    """A source id that this file lists in its own `sources` (validate checks those against the topic)."""
    source_id = fields.identifier(name)
    listed = fields.mapping.get("sources")
    if source_id is not None and isinstance(listed, list) and source_id not in listed:
        fields.problems.add(
            fields.file,
            fields.line(name),
            name,
            f"'{source_id}' is not in this file's sources",
            f"add it to 'sources' at the top of the file, or use one of: {', '.join(map(str, listed))}",
        )
    return source_id or ""


def _number_groups(fields: Fields) -> str:
    value = fields.text("number_groups", required=False) or "locale"
    if value not in NUMBER_GROUPS:
        fields.problems.add(
            fields.file,
            fields.line("number_groups"),
            "number_groups",
            f"{shown(value)} is not one of: {', '.join(NUMBER_GROUPS)}",
            "write 'locale' (the language's own mark, from Babel) or 'space' (3600 and 11 000)",
        )
        return "locale"
    return value


def _locales(fields: Fields, name: str) -> tuple[str, ...]:
    """Locale codes Babel knows (es_MX); an unknown one is a problem."""
    codes = []
    for code in fields.text_list(name):
        try:
            Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            fields.problems.add(
                fields.file,
                fields.line(name),
                name,
                f"{shown(code)} is not a language and region Babel knows",
                "write a language code with its region, such as es_MX or en_US",
            )
            continue
        codes.append(code.replace("-", "_"))
    return tuple(codes)


def _appointment(fields: Fields) -> AppointmentSheet | None:
    group = _group(fields, "appointment")
    if group is None:
        return None
    labels = {key: group.text(key) for key in APPOINTMENT_LABELS}
    items = group.items("questions", required=True)
    questions = tuple(q for index, item in enumerate(items) if (q := _question(group, items, index, item)))
    group.finish()
    if len(items) > MAX_QUESTIONS:
        group.problems.add(
            group.file,
            group.line("questions"),
            _label(group, "questions"),
            f"there are {len(items)} questions, more than {MAX_QUESTIONS}",
            "keep the most useful ones, so that the summary fits on one printed page",
        )
    return AppointmentSheet({key: value for key, value in labels.items() if value is not None}, questions)


def _question(group: Fields, items: YamlList, index: int, item: object) -> AppointmentQuestion | None:
    """A question as plain text, or as `question:` with `unless_typed:` (a number the reader may type)."""
    where = _label(group, "questions")
    if isinstance(item, YamlMap):
        fields = Fields(item, group.file, group.problems, where)
        text, unless = fields.text("question"), fields.text("unless_typed", required=False)
        fields.finish()
        if unless is not None and unless not in TYPED_NUMBERS:
            group.problems.add(
                group.file,
                item.line_of("unless_typed"),
                f"{where}.unless_typed",
                f"{shown(unless)} is not one of: {', '.join(TYPED_NUMBERS)}",
                "name the number whose question goes once the reader typed it",
            )
            return None
    elif isinstance(item, str) and item.strip():
        text, unless = item.strip(), None
    else:
        group.problems.add(
            group.file,
            items.line_of(index),
            where,
            f"item {index + 1} is not a question",
            "write the question as text, or as 'question:' with 'unless_typed:' under it",
        )
        return None
    if text is None:
        return None
    if not text.endswith("?"):
        group.problems.add(
            group.file,
            items.line_of(index),
            where,
            f"item {index + 1} is not a question: '{text}'",
            "write it as the reader would ask it, ending with '?'",
        )
    return AppointmentQuestion(text, unless or "")


# --- reading fields -----------------------------------------------------------------------------------------


def _group(fields: Fields, name: str) -> Fields | None:
    """The fields of a mapping nested under `name`, or None after reporting that it is missing or not one."""
    value = fields.mapping.get(name)
    fields.known.add(name)
    if not isinstance(value, YamlMap):
        line = fields.line(name) if value is not None else fields.mapping.line
        fields.problems.add(
            fields.file,
            line,
            _label(fields, name),
            "is missing" if value is None else "must be a group of 'name: value' lines",
            f"write '{name}:' and under it, indented, one line for each entry",
        )
        return None
    return Fields(value, fields.file, fields.problems, _label(fields, name))


def _optional_flag(fields: Fields, name: str, where: str) -> bool | None:
    return _flag(fields, name, f"write '{name}: true' {where}, or leave it out", default=False)


def _flag(fields: Fields, name: str, hint: str, default: bool | None = None) -> bool | None:
    """A true/false field; None after a problem."""
    value = fields.mapping.get(name, default)
    fields.known.add(name)
    if isinstance(value, bool):
        return value
    fields.problems.add(
        fields.file,
        fields.line(name),
        _label(fields, name),
        "is missing" if value is None else "must be true or false",
        hint,
    )
    return None


def _whole_number(fields: Fields, name: str, minimum: int, required: bool = True) -> int | None:
    value = fields.number(name, required)
    if value is None:
        return None
    if value != int(value) or value < minimum:
        fields.problems.add(
            fields.file,
            fields.line(name),
            _label(fields, name),
            f"{value:g} is not a whole number of {minimum} or more",
            "write counts as whole numbers of cells per µL, without commas, e.g. 3500",
        )
        return None
    return int(value)


def _label(fields: Fields, name: str) -> str:
    return f"{fields.where}.{name}" if fields.where else name


# --- what the page shows and the script receives ------------------------------------------------------------

# The scales are drawn in these units (their viewBox); every band is as wide as the others, so that a narrow
# range such as "borderline" can be seen as well as a wide one.
SCALE_WIDTH = 320
# How far a band is from the typical one sets its colour (style.css): below it, 'note' next to it and
# 'warning' further down, 'urgent' for a same-day range; above it, 'plain'.
TONES_BELOW = ("note", "warning")


def scale_bands(ranges: tuple[Range, ...], words: Words, groups: str = "locale") -> tuple[ScaleBand, ...]:
    """The ranges as bands of equal width, lowest first. The reference band is the typical range, or for
    neutrophils the last ('not low')."""
    reference = next((index for index, r in enumerate(ranges) if r.typical), len(ranges) - 1)
    width = SCALE_WIDTH // len(ranges)
    bands = []
    for index, current in enumerate(ranges):
        following = ranges[index + 1] if index + 1 < len(ranges) else None
        bands.append(
            ScaleBand(
                index * width,
                width,
                current.start,
                following.start if following else None,
                _tone(current, index - reference),
                _limit(current, following, words, groups),
            )
        )
    return tuple(bands)


def _tone(current: Range, distance: int) -> str:
    if current.same_day:
        return "urgent"
    if distance < 0:
        return TONES_BELOW[min(-distance, len(TONES_BELOW)) - 1]
    return "tip" if distance == 0 else "plain"


def _limit(current: Range, following: Range | None, words: Words, groups: str) -> str:
    """Where a band ends, written as the table writes its ranges: the next range's start (1,000), or, when
    that start is one above a round end, the end itself (11,000, not 11,001)."""
    if following is None:
        return ""
    count = current.end if following.start % 10 and current.end is not None else following.start
    return written(count, words.locale, groups)


def reference_rows(
    ranges: tuple[Range, ...], factor: int, words: Words, groups: str = "locale"
) -> tuple[ReferenceRow, ...]:
    """One table row a range, with its counts per µL and in the largest unit (×10⁹/L), in the page's words."""
    following = list(ranges[1:]) + [None]
    return tuple(
        ReferenceRow(
            *range_texts(current, after, words, factor, groups), current.verdict.title, current.summary
        )
        for current, after in zip(ranges, following, strict=True)
    )


def range_texts(
    current: Range, following: Range | None, words: Words, factor: int = 1000, groups: str = "locale"
) -> tuple[str, str]:
    """A range as the table shows it, per µL and in the larger unit: in English ('3,500 to 4,499', '3.5 to
    4.49'); the first range reads 'below …', the last 'above …' or '… or more'. Numbers are written by Babel
    for the page's locale (thousands grouped as `groups` says), the words around them come from its
    strings.yaml."""

    def said(key: str, **cells: int) -> tuple[str, str]:
        per_microlitre = {name: written(count, words.locale, groups) for name, count in cells.items()}
        # an end is rounded down, so that it never reads as the start of the next range
        in_unit = {
            name: _in_unit(count, factor, words.locale, groups, round_down=name == "high")
            for name, count in cells.items()
        }
        return words.text(key, **per_microlitre), words.text(key, **in_unit)

    if current.start == 0 and following is not None:
        return said("checker_below", number=following.start)
    if current.end is None:
        if current.start % 10:
            return said("checker_above", number=current.start - 1)
        return said("checker_or_more", number=current.start)
    return said("checker_range", low=current.start, high=current.end)


def _in_unit(cells: int, factor: int, locale: str, groups: str, round_down: bool = False) -> str:
    """Cells per µL in a larger unit, to two decimals as labs print it: 3500 → 3.5, 4499 → 4.49 (rounded
    down when `round_down`), 11000 → 11.0."""
    hundredths = Decimal(cells * 100) / factor
    whole = math.floor(hundredths) if round_down else round(hundredths)
    return written(Decimal(whole) / 100, locale, groups, IN_LARGEST_UNIT)


def written(value: int | Decimal, locale: str, groups: str, pattern: str | None = None) -> str:
    """A number as the page writes it: Babel's for the locale, with its thousands regrouped when `groups` is
    "space" (3600, 11 000 and 3,6 in Spanish)."""
    text = format_decimal(value, format=pattern, locale=locale)
    if groups != "space":
        return text
    way = number_writing(locale, groups)
    whole, mark, fraction = text.partition(way["decimal"])
    digits = whole.replace(get_group_symbol(locale), "")
    if len(digits) >= way["groupFrom"]:
        digits = re.sub(r"\B(?=(\d{3})+$)", way["group"], digits)
    return digits + mark + fraction


def number_formats(locale: str, also: tuple[str, ...]) -> list[dict[str, str]]:
    """How the page writes numbers (its locale's decimal and group marks, from Babel: es writes 3,6 and
    12.000), then each other way its readers write them, without repeats. The script reads a number every
    way listed, and writes numbers the first way."""
    ways = [
        {"decimal": get_decimal_symbol(code), "group": get_group_symbol(code)} for code in (locale, *also)
    ]
    return [way for index, way in enumerate(ways) if way not in ways[:index]]


def number_writing(locale: str, groups: str) -> dict[str, str | int]:
    """How the script writes numbers, as `written` does: its decimal mark, its thousands mark, and the fewest
    digits a whole number has before its thousands are marked."""
    group, group_from = (SPACE_GROUP, 5) if groups == "space" else (get_group_symbol(locale), 4)
    return {"decimal": get_decimal_symbol(locale), "group": group, "groupFrom": group_from}


def checker_script_data(config: CheckerConfig, words: Words) -> dict:
    """Plain JSON-able data for static/checker.js, on the page in the language of `words`."""
    return {
        "units": [_unit_data(unit) for unit in config.units],
        "lowestCount": config.lowest_count,
        "highestCount": config.highest_count,
        "lowestRangeEnd": config.lowest_range_end,
        "highestRangeEnd": config.highest_range_end,
        "countRanges": [_range_data(r) for r in config.count_ranges],
        "ancRanges": [_range_data(r) for r in config.anc_ranges],
        "labRangeVerdicts": {name: _verdict_data(v) for name, v in config.lab_range_verdicts.items()},
        "typicalRange": range_texts(config.typical_range, None, words, groups=config.number_groups)[0],
        "typicalRangeSource": config.typical_range_source,
        "headings": {
            name: config.labels[name]
            for name in ("result", "problem", "details", "count", "anc", "lab_range")
        },
        "messages": dict(config.messages),
        "numbers": number_formats(words.locale, config.also_read_numbers_as),
        "writeNumbers": number_writing(words.locale, config.number_groups),
        # the script fills in {low} and {high} itself
        "words": {"range": words.text("checker_range", low="{low}", high="{high}")},
    }


def _unit_data(unit: Unit) -> dict:
    return {
        "id": unit.id,
        "name": unit.name,
        "factor": unit.cells_per_microlitre,
        "spellings": list(unit.spellings),
    }


def _range_data(current: Range) -> dict:
    return {
        "id": current.id,
        "from": current.start,
        "to": current.end,
        "sameDay": current.same_day,
        "anyAge": current.any_age,
        "leads": current.leads,
        "duffyNote": current.duffy_note,
        **_verdict_data(current.verdict),
    }


def _verdict_data(verdict: Verdict) -> dict:
    return {"title": verdict.title, "message": verdict.message}


def reader_texts(config: CheckerConfig) -> list[str]:
    """Every sentence the checker can show a reader, for the readability gate; placeholders read as '3.6'."""
    verdicts = [
        *(r.verdict for r in config.count_ranges + config.anc_ranges),
        *config.lab_range_verdicts.values(),
    ]
    sheet = config.appointment
    texts = [
        *config.how_to_read,
        *(f"{v.title}. {v.message}" for v in verdicts),
        *(r.summary for r in config.count_ranges + config.anc_ranges),
        *config.messages.values(),
        sheet.labels["intro"],
        *(question.text for question in sheet.questions),
    ]
    return [re.sub(r"\{[a-z_]+\}", "3.6", text) for text in texts]
