"""Script data: the checker's settings as the plain data static/checker.js receives on its page, and every
sentence the checker can show, for the readability gate.
"""

from __future__ import annotations

import re

from patientsite.checker.config import CheckerConfig
from patientsite.checker.model import Range, Unit, Verdict
from patientsite.checker.numbers import number_formats, number_writing
from patientsite.checker.scales import range_texts
from patientsite.content.strings import Words


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
