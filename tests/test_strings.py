"""Strings: each language's words for the templates, checked against the original's, and dates by Babel."""

from datetime import date
from pathlib import Path

import pytest
import yaml
from markupsafe import Markup

from patientsite.content.load import YamlDocument, parse_yaml
from patientsite.content.model import Strings
from patientsite.content.strings import Words, read_strings, translate_strings
from patientsite.problems import ContentError, Problems

REPO = Path(__file__).resolve().parent.parent
ORIGINAL = Strings(
    "content/strings.yaml",
    {"sources": "Sources", "last_updated": "Last updated {date}."},
    {"sources": 3, "last_updated": 4},
)


def strings_of(text: str, file: str = "content/es/strings.yaml") -> tuple[Strings, Problems]:
    problems = Problems()
    data = parse_yaml(text, file, problems)
    return read_strings(YamlDocument(file, data), file, problems), problems


def test_a_strings_file_gives_each_text_with_its_line():
    strings, problems = strings_of(
        "# words\nsources: Fuentes\nlast_updated: 'Última actualización: {date}.'\n"
    )
    assert not problems.items
    assert strings.texts == {"sources": "Fuentes", "last_updated": "Última actualización: {date}."}
    assert strings.lines == {"sources": 2, "last_updated": 3}


def test_a_string_that_is_not_text_names_its_file_and_line():
    _, problems = strings_of("sources: Fuentes\nnext: [a, b]\nprevious:\n")
    assert [str(p).split(" — ")[0] for p in problems.errors] == [
        "content/es/strings.yaml:2: next: must be text",
        "content/es/strings.yaml:3: previous: must be text",
    ]


def test_a_missing_strings_file_is_a_problem():
    problems = Problems()
    read_strings(None, "content/strings.yaml", problems)
    assert str(problems.errors[0]).startswith("content/strings.yaml:1: file: is missing — create it")


def test_a_string_a_translation_lacks_is_the_originals_with_a_warning_or_an_error_when_it_must_have_all():
    translation, _ = strings_of("sources: Fuentes\n")
    for must_have_all in (False, True):
        problems = Problems()
        strings = translate_strings(ORIGINAL, translation, must_have_all, problems)
        assert strings.texts["last_updated"] == "Last updated {date}."
        [problem] = problems.items
        assert problem.is_warning is not must_have_all
        assert str(problem).startswith(
            "content/es/strings.yaml:1: "
            + ("" if must_have_all else "warning: ")
            + "last_updated: is missing (in content/strings.yaml: 'Last updated {date}.')"
        )


def test_a_translated_string_keeps_the_originals_placeholders():
    translation, _ = strings_of("sources: Fuentes {topic}\nlast_updated: Actualizado.\n")
    problems = Problems()
    translate_strings(ORIGINAL, translation, False, problems)
    assert [str(p).split(" — ")[0] for p in problems.errors] == [
        "content/es/strings.yaml:1: sources: uses {topic}, but content/strings.yaml uses no {name}",
        "content/es/strings.yaml:2: last_updated: uses no {name}, but content/strings.yaml uses {date}",
    ]


def test_a_string_the_original_does_not_have_is_a_warning():
    translation, _ = strings_of("sources: Fuentes\nlast_updated: 'Actualizado: {date}.'\nsourcez: x\n")
    problems = Problems()
    strings = translate_strings(ORIGINAL, translation, False, problems)
    assert "sourcez" not in strings.texts
    assert str(problems.warnings[0]).startswith(
        "content/es/strings.yaml:3: warning: sourcez: is not a string of content/strings.yaml"
        " — did you mean 'sources'?"
    )


def test_words_escape_the_text_and_keep_markup_values():
    words = Words(Strings("s.yaml", {"said": "<b>{name}</b> & {when}"}, {"said": 1}), "en_GB")
    assert words("said", name="<i>x</i>", when=Markup("<time>now</time>")) == (
        "&lt;b&gt;&lt;i&gt;x&lt;/i&gt;&lt;/b&gt; &amp; <time>now</time>"
    )
    assert words.text("said", name="<i>x</i>", when="now") == "<b><i>x</i></b> & now"


def test_a_placeholder_the_page_cannot_fill_is_a_problem_in_the_strings_file():
    words = Words(
        Strings("content/strings.yaml", {"sources_title": "Sources: {topc}"}, {"sources_title": 7}), "en"
    )
    with pytest.raises(ContentError) as error:
        words("sources_title", topic="Anaemia")
    assert str(error.value.errors[0]).startswith(
        "content/strings.yaml:7: sources_title: uses {topc}, "
        "which the page cannot fill in here (it gives: {topic})"
    )
    with pytest.raises(ContentError) as error:
        words("search_label")
    assert str(error.value.errors[0]).startswith(
        "content/strings.yaml:1: search_label: is missing, and the templates"
    )


def test_dates_are_written_by_babel_for_the_locale():
    english, spanish = Words(ORIGINAL, "en_GB"), Words(ORIGINAL, "es")
    assert english.date(date(2026, 11, 25)) == "25 November 2026"
    assert spanish.date(date(2026, 11, 25)) == "25 de noviembre de 2026"
    assert [spanish.partial_date(d) for d in ("2024", "2024-03", "2024-03-15")] == [
        "2024",
        "marzo de 2024",
        "15 de marzo de 2024",
    ]
    assert english.partial_date("2024-03") == "March 2024"


def test_every_language_of_the_shipped_site_and_every_fixture_has_every_shipped_string():
    """The strings files copied into the test fixtures must keep up with the shipped ones: a template that
    says a new string needs it in each of them."""
    shipped = yaml.safe_load((REPO / "content" / "strings.yaml").read_text(encoding="utf-8"))
    files = [
        REPO / "content" / "es" / "strings.yaml",
        *sorted((REPO / "tests" / "fixtures").glob("*/content/**/strings.yaml")),
    ]
    lacking = {
        str(file.relative_to(REPO)): sorted(
            shipped.keys() - yaml.safe_load(file.read_text(encoding="utf-8")).keys()
        )
        for file in files
    }
    assert not {file: keys for file, keys in lacking.items() if keys}, lacking
