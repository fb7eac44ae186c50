"""Numbers: how the checker's page writes and reads numbers in its language ("3,500", "3,6", "11 000").

The marks come from Babel for the page's locale; `number_groups: space` in checker.yaml regroups thousands
as the RAE and the SI advise.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

# How the page groups thousands when it writes a number: "locale", the language's own mark as Babel gives it
# (3,600 in English; 3.600 in Spanish); or "space", as the RAE and the SI advise, which no reader can take
# for a decimal mark: four digits stay together (3600), more are grouped with a no-break space (11 000).
NUMBER_GROUPS = ("locale", "space")

SPACE_GROUP = "\u00a0"


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
