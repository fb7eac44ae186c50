"""Reading checker.yaml: the checker's own fields → a CheckerConfig, or None with every problem found.

The ranges are read by ranges.py; the names of the labels and messages it must give are in config.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from babel import Locale, UnknownLocaleError

from patientsite.checker.config import (
    APPOINTMENT_LABELS,
    LAB_RANGE_VERDICTS,
    LABELS,
    MAX_QUESTIONS,
    MESSAGES,
    PLACEHOLDER,
    TYPED_NUMBERS,
    CheckerConfig,
)
from patientsite.checker.model import AppointmentQuestion, AppointmentSheet, Unit, Verdict
from patientsite.checker.numbers import NUMBER_GROUPS
from patientsite.checker.ranges import check_typical, read_ranges, read_verdict
from patientsite.checker.values import field_label, read_group, read_whole_number
from patientsite.content.fields import Fields, shown
from patientsite.content.load import YamlList, YamlMap
from patientsite.problems import Problems


def read_checker(fields: Fields, problems: Problems) -> CheckerConfig | None:
    """The checker's own fields of checker.yaml, or None when a problem makes the checker unusable."""
    before = len(problems.errors)
    units = tuple(_units(fields, problems))
    lowest, highest = _limits(fields, "lowest_count", "highest_count")
    lowest_end, highest_end = _limits(fields, "lowest_range_end", "highest_range_end")
    _check_range_limits(fields, (lowest, highest), (lowest_end, highest_end))
    typical_source = fields.text("typical_range_source")
    typical_source_id = _listed_source(fields, "typical_range_source_id")
    count_ranges = read_ranges(fields, "count_ranges", problems, neutrophils=False)
    anc_ranges = read_ranges(fields, "anc_ranges", problems, neutrophils=True)
    check_typical(fields, count_ranges, problems)
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
            cells_per_microlitre=read_whole_number(item, "cells_per_microlitre", minimum=1) or 0,
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
    lowest = read_whole_number(fields, lowest_name, minimum=1)
    highest = read_whole_number(fields, highest_name, minimum=1)
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


def _lab_range_verdicts(fields: Fields) -> Mapping[str, Verdict]:
    group = read_group(fields, "lab_range_verdicts")
    if group is None:
        return {}
    verdicts = {}
    for name in LAB_RANGE_VERDICTS:
        item = read_group(group, name)
        verdict = read_verdict(item) if item else None
        if item:
            item.finish()
        if verdict is not None:
            verdicts[name] = verdict
    group.finish()
    return verdicts


def _texts(fields: Fields, name: str, names: tuple[str, ...]) -> dict[str, str]:
    group = read_group(fields, name)
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
    group = read_group(fields, "appointment")
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
            field_label(group, "questions"),
            f"there are {len(items)} questions, more than {MAX_QUESTIONS}",
            "keep the most useful ones, so that the summary fits on one printed page",
        )
    return AppointmentSheet({key: value for key, value in labels.items() if value is not None}, questions)


def _question(group: Fields, items: YamlList, index: int, item: object) -> AppointmentQuestion | None:
    """A question as plain text, or as `question:` with `unless_typed:` (a number the reader may type)."""
    where = field_label(group, "questions")
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
