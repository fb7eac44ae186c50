"""read_checker: the checker's settings in checker.yaml are read, and every mistake an editor can make in them
is reported with its file, line and field, and how to fix it."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from patientsite.checker.config import MAX_QUESTIONS, MESSAGES, CheckerConfig
from patientsite.checker.model import Range, Verdict
from patientsite.checker.numbers import written
from patientsite.checker.read import read_checker
from patientsite.checker.scales import range_texts
from patientsite.checker.script_data import checker_script_data, reader_texts
from patientsite.content.fields import Fields
from patientsite.content.load import YamlDocument, YamlMap, parse_yaml
from patientsite.content.model import Strings
from patientsite.content.strings import Words, read_strings
from patientsite.problems import ContentError, Problem, Problems

ROOT = Path(__file__).resolve().parent.parent
FILE = "content/leucopenia/checker.yaml"
COMMON_FIELDS = {
    "title",
    "summary",
    "updated",
    "key_points",
    "sources",
    "reviewed_by",
    "reviewed_on",
    "next_review",
    "urgent_box",
}


def words_of(language: str, locale: str) -> Words:
    """A language's words as the pages have them: content/strings.yaml, or content/<language>/strings.yaml."""
    file = "content/strings.yaml" if language == "en" else f"content/{language}/strings.yaml"
    problems = Problems()
    document = YamlDocument(file, parse_yaml((ROOT / file).read_text(encoding="utf-8"), file, problems))
    return Words(read_strings(document, file, problems), locale)


ENGLISH, SPANISH = words_of("en", "en_GB"), words_of("es", "es")


def shipped() -> YamlMap:
    mapping = parse_yaml((ROOT / FILE).read_text(encoding="utf-8"), FILE, Problems())
    assert isinstance(mapping, YamlMap)
    return mapping


def read(
    change: Callable[[YamlMap], object] = lambda mapping: None,
) -> tuple[CheckerConfig | None, list[Problem]]:
    """The shipped checker.yaml, changed by `change`, read as validate reads it."""
    mapping = shipped()
    change(mapping)
    problems = Problems()
    fields = Fields(mapping, FILE, problems)
    fields.known.update(COMMON_FIELDS)  # validate reads these before it calls read_checker
    config = read_checker(fields, problems)
    fields.finish()
    return config, problems.errors


def only_problem(change: Callable[[YamlMap], object]) -> Problem:
    config, problems = read(change)
    assert config is None
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_shipped_checker_yaml_has_no_problem():
    config, problems = read()
    assert problems == []
    assert config is not None
    assert set(config.messages) == set(MESSAGES)
    assert config.typical_range.id == "typical"


def test_a_gap_between_ranges_names_the_line_and_the_fix():
    ranges = shipped()["count_ranges"]
    problem = only_problem(lambda m: m["count_ranges"][1].__setitem__("from", ranges[0]["to"] + 2))
    line = ranges[1].line_of("from")
    assert (problem.file, problem.line, problem.field) == (FILE, line, "count_ranges.from")
    assert "no range" in problem.message
    assert f"start '{ranges[1]['id']}' at {ranges[0]['to'] + 1:,}" in problem.hint
    assert str(problem).startswith(f"{FILE}:{ranges[1].line_of('from')}: count_ranges.from: ")


def test_overlapping_ranges_are_refused():
    problem = only_problem(lambda m: m["anc_ranges"][2].__setitem__("from", m["anc_ranges"][1]["to"]))
    assert problem.field == "anc_ranges.from"
    assert "overlap" in problem.message


def test_ranges_out_of_order_are_refused():
    def swap(mapping: YamlMap) -> None:
        ranges = mapping["count_ranges"]
        ranges[1], ranges[2] = ranges[2], ranges[1]

    config, problems = read(swap)
    assert config is None
    assert {p.field for p in problems} == {"count_ranges.from"}


def test_the_first_range_must_start_at_zero():
    problem = only_problem(lambda m: m["count_ranges"][0].__setitem__("from", 1))
    assert "not 0" in problem.message


def test_the_last_range_must_be_open_ended():
    problem = only_problem(lambda m: m["count_ranges"][-1].__setitem__("to", 500000))
    assert problem.field == "count_ranges.to"
    assert "higher counts have no range" in problem.message


def test_only_the_last_range_may_be_open_ended():
    config, problems = read(lambda m: m["count_ranges"][1].pop("to"))
    assert config is None
    assert "has no 'to' but is not the last range" in "\n".join(p.message for p in problems)


def test_a_range_that_ends_before_it_starts_is_refused():
    config, problems = read(lambda m: m["anc_ranges"][1].__setitem__("to", m["anc_ranges"][1]["from"] - 1))
    assert config is None
    assert any(p.field == "anc_ranges.to" and "is below from" in p.message for p in problems)


def test_counts_must_be_whole_numbers():
    problem = only_problem(lambda m: m.__setitem__("lowest_count", 9.5))
    assert problem.field == "lowest_count"
    assert "whole number" in problem.message


def test_the_limits_must_be_in_order():
    problem = only_problem(lambda m: m.__setitem__("lowest_count", m["highest_count"]))
    assert problem.field == "lowest_count"


def test_a_labs_range_must_fit_within_the_believable_counts():
    problem = only_problem(lambda m: m.__setitem__("highest_range_end", m["highest_count"] + 1))
    assert problem.field == "lowest_range_end"


def test_a_missing_message_is_named():
    problem = only_problem(lambda m: m["messages"].pop("unit_missing"))
    assert (problem.field, problem.message) == ("messages.unit_missing", "is missing (text required)")


def test_a_misspelt_message_name_gets_a_suggestion():
    def misspell(mapping: YamlMap) -> None:
        messages = mapping["messages"]
        messages["unit_misssing"] = messages.pop("unit_missing")

    config, problems = read(misspell)
    assert config is None
    misspelt = [p for p in problems if p.field == "messages.unit_misssing"]
    assert misspelt and "did you mean 'unit_missing'" in misspelt[0].hint


def test_a_placeholder_the_script_does_not_fill_is_refused():
    problem = only_problem(lambda m: m["messages"].__setitem__("zero", "{count} cannot be 0."))
    assert problem.field == "messages.zero"
    assert "'{count}' is not filled in" in problem.message


def test_every_neutrophil_range_says_whether_to_show_the_duffy_null_note():
    problem = only_problem(lambda m: m["anc_ranges"][0].pop("duffy_note"))
    assert (problem.field, problem.message) == ("anc_ranges.duffy_note", "is missing")


def test_the_duffy_null_note_cannot_be_tied_to_a_total_count():
    """The note may apply only where the neutrophil count is known (checker.yaml's rules)."""
    problem = only_problem(lambda m: m["count_ranges"][1].__setitem__("duffy_note", True))
    assert (problem.field, problem.message) == ("count_ranges.duffy_note", "is not a known field")


def test_a_same_day_flag_must_be_true_or_false():
    problem = only_problem(lambda m: m["count_ranges"][0].__setitem__("same_day", "today"))
    assert (problem.field, problem.message) == ("count_ranges.same_day", "must be true or false")


def test_a_question_can_only_depend_on_a_number_the_form_asks_for():
    problem = only_problem(lambda m: m["appointment"]["questions"][1].__setitem__("unless_typed", "age"))
    assert problem.field == "appointment.questions.unless_typed"
    assert "neutrophils, lab_range" in problem.message


def test_exactly_one_range_is_typical():
    problem = only_problem(lambda m: m["count_ranges"][0].__setitem__("typical", True))
    assert problem.field == "count_ranges.typical"
    assert "2 are (very-low, typical)" in problem.message


def test_every_lab_range_verdict_is_needed():
    problem = only_problem(lambda m: m["lab_range_verdicts"].pop("within"))
    assert (problem.field, problem.message) == ("lab_range_verdicts.within", "is missing")


def test_a_unit_per_microlitre_is_needed():
    problem = only_problem(lambda m: m["units"][0].__setitem__("cells_per_microlitre", 2))
    assert "no unit has cells_per_microlitre: 1" in problem.message


def test_an_unknown_field_is_reported():
    problem = only_problem(lambda m: m["count_ranges"][0].__setitem__("colour", "red"))
    assert (problem.field, problem.message) == ("count_ranges.colour", "is not a known field")


def test_range_texts_say_where_each_range_starts_and_ends():
    def made(start: int, end: int | None) -> Range:
        return Range("x", start, end, Verdict("T", "M"), "S")

    assert range_texts(made(0, 3499), made(3500, 4499), ENGLISH) == ("below 3,500", "below 3.5")
    assert range_texts(made(3500, 4499), made(4500, 11000), ENGLISH) == ("3,500 to 4,499", "3.5 to 4.49")
    assert range_texts(made(4500, 11000), None, ENGLISH) == ("4,500 to 11,000", "4.5 to 11.0")
    assert range_texts(made(11001, None), None, ENGLISH) == ("above 11,000", "above 11.0")
    assert range_texts(made(2000, None), None, ENGLISH) == ("2,000 or more", "2.0 or more")


def test_range_texts_are_in_the_pages_language_with_its_numbers():
    def made(start: int, end: int | None) -> Range:
        return Range("x", start, end, Verdict("T", "M"), "S")

    assert range_texts(made(0, 3499), made(3500, 4499), SPANISH) == ("menos de 3.500", "menos de 3,5")
    assert range_texts(made(3500, 4499), made(4500, 11000), SPANISH) == ("3.500 a 4.499", "3,5 a 4,49")
    assert range_texts(made(11001, None), None, SPANISH) == ("más de 11.000", "más de 11,0")
    assert range_texts(made(2000, None), None, SPANISH) == ("2.000 o más", "2,0 o más")


def test_grouped_with_spaces_four_digits_stay_together_and_more_take_a_no_break_space():
    def made(start: int, end: int | None) -> Range:
        return Range("x", start, end, Verdict("T", "M"), "S")

    def spaced(first: Range, following: Range | None) -> tuple[str, str]:
        return range_texts(first, following, SPANISH, groups="space")

    assert spaced(made(0, 3499), made(3500, 4499)) == ("menos de 3500", "menos de 3,5")
    assert spaced(made(3500, 4499), made(4500, 11000)) == ("3500 a 4499", "3,5 a 4,49")
    assert spaced(made(11001, None), None) == ("más de 11\u00a0000", "más de 11,0")
    assert [written(n, "es", "space") for n in (999, 1000, 12345, 500000, Decimal("1234.5"))] == [
        "999",
        "1000",
        "12\u00a0345",
        "500\u00a0000",
        "1234,5",
    ]
    assert written(12345, "en_GB", "space") == "12\u00a0345"


def test_the_script_writes_numbers_as_the_tables_do():
    spaced, _ = read(lambda m: m.__setitem__("number_groups", "space"))
    assert checker_script_data(spaced, SPANISH)["writeNumbers"] == {
        "decimal": ",",
        "group": "\u00a0",
        "groupFrom": 5,
    }
    assert checker_script_data(spaced, SPANISH)["typicalRange"] == "4500 a 11\u00a0000"
    english, _ = read()
    assert checker_script_data(english, ENGLISH)["writeNumbers"] == {
        "decimal": ".",
        "group": ",",
        "groupFrom": 4,
    }


def test_an_unknown_way_of_grouping_numbers_is_refused():
    problem = only_problem(lambda m: m.__setitem__("number_groups", "dots"))
    assert (problem.field, problem.message) == ("number_groups", "'dots' is not one of: locale, space")


def test_a_range_word_missing_from_strings_yaml_names_the_file():
    lacking = Words(
        Strings("content/strings.yaml", {"checker_range": "{low} to {high}"}, {"checker_range": 3}), "en_GB"
    )
    with pytest.raises(ContentError) as error:
        range_texts(
            Range("x", 0, 3499, Verdict("T", "M"), "S"),
            Range("y", 3500, None, Verdict("T", "M"), "S"),
            lacking,
        )
    assert str(error.value.errors[0]).startswith("content/strings.yaml:1: checker_below: is missing")


def test_the_script_reads_numbers_the_pages_way_first_then_the_other_ways_listed():
    config, _ = read(lambda m: m["also_read_numbers_as"].extend(["es_MX", "es_US"]))
    assert checker_script_data(config, SPANISH)["numbers"] == [
        {"decimal": ",", "group": "."},
        {"decimal": ".", "group": ","},
    ]  # es_US writes as es_MX does
    english, _ = read()  # the English page also reads numbers as much of Europe writes them
    assert checker_script_data(english, ENGLISH)["numbers"] == [
        {"decimal": ".", "group": ","},
        {"decimal": ",", "group": "."},
    ]


def test_a_locale_babel_does_not_know_is_refused():
    problem = only_problem(lambda m: m["also_read_numbers_as"].append("Mexico"))
    assert problem.field == "also_read_numbers_as"
    assert problem.message == "'Mexico' is not a language and region Babel knows"


def test_the_script_says_a_range_in_the_pages_words():
    config, _ = read()
    assert checker_script_data(config, SPANISH)["words"] == {"range": "{low} a {high}"}
    assert checker_script_data(config, SPANISH)["typicalRange"] == "4.500 a 11.000"


@pytest.mark.parametrize(
    "key", ["countRanges", "ancRanges", "units", "messages", "labRangeVerdicts", "numbers"]
)
def test_the_script_data_is_plain_json(key: str):
    config, _ = read()
    data = checker_script_data(config, ENGLISH)
    assert json.loads(json.dumps(data)) == data
    assert data[key]


# --- the appointment summary --------------------------------------------------------------------------------


def test_an_appointment_question_must_be_a_question():
    problem = only_problem(lambda m: m["appointment"]["questions"].__setitem__(1, "Ask about the range."))
    questions = shipped()["appointment"]["questions"]
    assert (problem.line, problem.field) == (questions.line_of(1), "appointment.questions")
    assert "item 2 is not a question" in problem.message and "'?'" in problem.hint


def test_too_many_questions_would_not_fit_on_one_page():
    def add_questions(mapping: YamlMap) -> None:
        questions = mapping["appointment"]["questions"]
        questions.extend(f"Question {n}?" for n in range(MAX_QUESTIONS + 1 - len(questions)))

    problem = only_problem(add_questions)
    assert problem.field == "appointment.questions"
    assert f"more than {MAX_QUESTIONS}" in problem.message and "one printed page" in problem.hint


def test_the_appointment_summary_needs_its_questions():
    problem = only_problem(lambda m: m["appointment"].pop("questions"))
    assert (problem.field, problem.message) == ("appointment.questions", "is missing (list required)")


def test_a_missing_appointment_label_is_named():
    problem = only_problem(lambda m: m["appointment"].pop("print"))
    assert (problem.field, problem.message) == ("appointment.print", "is missing (text required)")


def test_the_source_of_the_typical_range_must_be_one_of_the_files_sources():
    problem = only_problem(lambda m: m.__setitem__("typical_range_source_id", "nhs-somewhere"))
    assert problem.field == "typical_range_source_id"
    assert "'nhs-somewhere' is not in this file's sources" in problem.message
    assert "medlineplus-wbc" in problem.hint


def test_the_readability_gate_reads_the_appointment_questions():
    config, _ = read()
    texts = reader_texts(config)
    assert {question.text for question in config.appointment.questions} <= set(texts)
    assert config.appointment.labels["intro"] in texts
