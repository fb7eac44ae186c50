"""Checker model: the plain, frozen parts of the checker's settings (units, ranges, verdicts, the sheet).

CheckerConfig (config.py) holds them all; scales.py turns ranges into the bands and rows the page shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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
