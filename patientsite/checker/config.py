"""Checker: the count checker's settings from checker.yaml, and the names of the labels and messages
it must give.

The script (static/checker.js) holds no number or message of its own: everything it compares against or
says comes from checker.yaml, so an editor can change it and the build tells them when it no longer adds up.
read.py reads and checks the file (ranges.py its ranges); model.py holds the parts of a CheckerConfig;
scales.py and numbers.py write its ranges and numbers in the page's language ("below 3,500", "3,6": Babel's
marks for its locale, and the words in its strings.yaml); script_data.py gives the script its data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from patientsite.checker.model import AppointmentSheet, Range, ReferenceRow, ScaleBand, Unit, Verdict
from patientsite.checker.scales import SCALE_WIDTH, reference_rows, scale_bands
from patientsite.content.strings import Words

__all__ = [
    "APPOINTMENT_LABELS",
    "LABELS",
    "LAB_RANGE_VERDICTS",
    "MAX_QUESTIONS",
    "MESSAGES",
    "PLACEHOLDER",
    "TYPED_NUMBERS",
    "CheckerConfig",
]

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

LAB_RANGE_VERDICTS = ("low", "within", "high")

# What a question of the appointment summary can depend on: it is left out when the reader typed this.
TYPED_NUMBERS = ("neutrophils", "lab_range")

PLACEHOLDER = re.compile(r"\{(\w*)\}")


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
