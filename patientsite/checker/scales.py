"""Scales: the checker's ranges as the page shows them, as bands of a scale and as rows of a table, with
their counts written in the page's language.
"""

from __future__ import annotations

import math
from decimal import Decimal

from patientsite.checker.model import Range, ReferenceRow, ScaleBand
from patientsite.checker.numbers import written
from patientsite.content.strings import Words

# The thousands column of the tables: two decimals at most, as labs print it, and at least one (11.0).
IN_LARGEST_UNIT = "#,##0.0#"

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
