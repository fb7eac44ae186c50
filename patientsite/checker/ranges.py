"""Ranges: checker.yaml's count_ranges and anc_ranges, which must start at 0 and follow one another without
gap or overlap, each with its verdict; one count range is the typical adult range.
"""

from __future__ import annotations

from patientsite.checker.model import Range, Verdict
from patientsite.checker.values import field_label, read_flag, read_optional_flag, read_whole_number
from patientsite.content.fields import Fields
from patientsite.content.load import YamlMap
from patientsite.problems import Problems


def read_ranges(fields: Fields, name: str, problems: Problems, neutrophils: bool) -> tuple[Range, ...]:
    """The ranges listed under `name`, read and checked as a sequence; a wrong one is left out."""
    mappings = fields.mappings(name, required=True)
    ranges = [_range(Fields(mapping, fields.file, problems, name), neutrophils) for mapping in mappings]
    _check_sequence(fields.file, name, list(zip(mappings, ranges, strict=True)), problems)
    return tuple(r for r in ranges if r is not None)


def _range(item: Fields, neutrophils: bool) -> Range | None:
    """A range of count_ranges, or with `neutrophils` of anc_ranges, which also say what leads the result
    and where the Duffy-null note may be shown."""
    range_id = item.identifier("id")
    start = read_whole_number(item, "from", minimum=0)
    end = read_whole_number(item, "to", minimum=0, required=False)
    flags = {
        "typical": False if neutrophils else read_optional_flag(item, "typical", "on the one typical range"),
        "same_day": read_optional_flag(item, "same_day", "on a range so low that the reader acts today"),
        "any_age": read_optional_flag(item, "any_age", "on a range that means the same for a child"),
    }
    if neutrophils:
        flags["leads"] = read_optional_flag(item, "leads", "on a grade that comes before the total count")
        flags["duffy_note"] = read_flag(
            item,
            "duffy_note",
            "write 'duffy_note: true' to show the Duffy-null note with this range, or 'duffy_note: false'",
        )
    verdict = read_verdict(item)
    summary = item.text("summary")
    item.finish()
    if start is not None and end is not None and end < start:
        item.problems.add(
            item.file,
            item.line("to"),
            field_label(item, "to"),
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


def check_typical(fields: Fields, ranges: tuple[Range, ...], problems: Problems) -> None:
    """Exactly one count range is the typical adult range, which the result names."""
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


def read_verdict(item: Fields) -> Verdict | None:
    """What a range or a lab-range result tells the reader: a title and a message."""
    title, message = item.text("title"), item.text("message")
    if title is None or message is None:
        return None
    return Verdict(title, message)
