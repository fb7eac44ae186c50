"""Values: the kinds of field checker.yaml has beyond the common ones (groups, true/false flags, whole
counts), each read with its problem when it is wrong.
"""

from __future__ import annotations

from patientsite.content.fields import Fields
from patientsite.content.load import YamlMap


def read_group(fields: Fields, name: str) -> Fields | None:
    """The fields of a mapping nested under `name`, or None after reporting that it is missing or not one."""
    value = fields.mapping.get(name)
    fields.known.add(name)
    if not isinstance(value, YamlMap):
        line = fields.line(name) if value is not None else fields.mapping.line
        fields.problems.add(
            fields.file,
            line,
            field_label(fields, name),
            "is missing" if value is None else "must be a group of 'name: value' lines",
            f"write '{name}:' and under it, indented, one line for each entry",
        )
        return None
    return Fields(value, fields.file, fields.problems, field_label(fields, name))


def read_optional_flag(fields: Fields, name: str, where: str) -> bool | None:
    """A true/false field that may be left out (false)."""
    return read_flag(fields, name, f"write '{name}: true' {where}, or leave it out", default=False)


def read_flag(fields: Fields, name: str, hint: str, default: bool | None = None) -> bool | None:
    """A true/false field; None after a problem."""
    value = fields.mapping.get(name, default)
    fields.known.add(name)
    if isinstance(value, bool):
        return value
    fields.problems.add(
        fields.file,
        fields.line(name),
        field_label(fields, name),
        "is missing" if value is None else "must be true or false",
        hint,
    )
    return None


def read_whole_number(fields: Fields, name: str, minimum: int, required: bool = True) -> int | None:
    """A whole count of at least `minimum`; None after a problem or when it is absent."""
    value = fields.number(name, required)
    if value is None:
        return None
    if value != int(value) or value < minimum:
        fields.problems.add(
            fields.file,
            fields.line(name),
            field_label(fields, name),
            f"{value:g} is not a whole number of {minimum} or more",
            "write counts as whole numbers of cells per µL, without commas, e.g. 3500",
        )
        return None
    return int(value)


def field_label(fields: Fields, name: str) -> str:
    """The field as a problem names it: 'count_ranges.from', not 'from'."""
    return f"{fields.where}.{name}" if fields.where else name
