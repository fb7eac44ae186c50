"""Readability: the Flesch–Kincaid grade and the Fernández-Huerta reading ease, from hand-counted texts."""

import subprocess
import sys
import textwrap

import pytest
from support import python_env

from patientsite.checks.readability import (
    fernandez_huerta,
    reading_grade,
    sentence_count,
    syllable_count,
    text_words,
)

PLAIN = "Take it with food. Don't skip a dose. Call us if you feel sick."
LONG_SENTENCES = "Take it with food and do not skip a dose, and call us if you feel sick."
LONG_WORDS = "Medication belongs with nourishment. Remember every appointment. Telephone immediately."


def test_known_sentence_gets_the_grade_the_formula_gives():
    # 9 words, 1 sentence, 11 syllables by the CMU dictionary ("over" and "lazy" have two):
    # 0.39 * 9 + 11.8 * 11 / 9 - 15.59 = 2.34
    assert reading_grade("The quick brown fox jumps over the lazy dog.") == pytest.approx(2.34, abs=0.01)


def test_one_syllable_words_in_short_sentences_give_the_lowest_grades():
    # 14 words, 3 sentences, 14 syllables ("don't" is one word of one syllable):
    # 0.39 * 14 / 3 + 11.8 * 14 / 14 - 15.59 = -1.97
    assert reading_grade(PLAIN) == pytest.approx(-1.97, abs=0.01)


def test_the_same_words_in_one_long_sentence_grade_higher():
    # 17 words, 1 sentence, 17 syllables: 0.39 * 17 + 11.8 - 15.59 = 2.84
    assert reading_grade(LONG_SENTENCES) == pytest.approx(2.84, abs=0.01)
    assert reading_grade(LONG_SENTENCES) > reading_grade(PLAIN)


def test_long_words_grade_higher_than_short_ones():
    # 9 words, 2 sentences ("Telephone immediately." has two words: no sentence of its own), 27 syllables
    # (med-i-ca-tion, nour-ish-ment, ev-er-y, im-me-di-ate-ly …): 0.39 * 9 / 2 + 11.8 * 27 / 9 - 15.59 = 21.57
    assert reading_grade(LONG_WORDS) == pytest.approx(21.57, abs=0.01)
    assert reading_grade(LONG_WORDS) > reading_grade(PLAIN)


def test_a_piece_of_one_or_two_words_is_not_a_sentence():
    # "Yes!" is too short to count: 2 sentences, 8 words, 8 syllables: 0.39 * 4 + 11.8 - 15.59 = -2.23
    text = "Yes! You can eat eggs. Cook them well."
    assert sentence_count(text) == 2
    assert reading_grade(text) == pytest.approx(-2.23, abs=0.01)


def test_punctuation_is_not_a_word_and_a_contraction_is_one():
    assert text_words("Don't stop — it's \"safe\", low-risk.") == ["Don't", "stop", "it's", "safe", "lowrisk"]


def test_english_syllables_come_from_the_pronouncing_dictionary():
    assert [syllable_count(word, "en") for word in ("fever", "everyday", "infection", "don't")] == [
        2,
        3,
        3,
        1,
    ]


def test_empty_text_has_grade_zero():
    assert reading_grade("") == 0.0
    assert fernandez_huerta("") == 0.0


def test_other_languages_fall_back_to_hyphenation_rules():
    # 12 words, 2 sentences, 27 syllables by pyphen's German hyphenation (Kran-ken-schwes-ter, re-gel-mä-ßig,
    # Blut-wer-te, Er-geb-nis-se …; counted as English, 21): 0.39 * 12 / 2 + 11.8 * 27 / 12 - 15.59 = 13.30
    text = (
        "Die Krankenschwester überprüft regelmäßig die Blutwerte. Danach bespricht die Ärztin die Ergebnisse."
    )
    assert reading_grade(text, language="de") == pytest.approx(13.30, abs=0.01)


def test_spanish_reading_ease_is_the_fernandez_huerta_formula():
    # 10 words, 2 sentences, 15 syllables by pyphen's Spanish hyphenation (el ga-to co-me pan …):
    # 206.84 - 60 * 15 / 10 - 1.02 * 10 / 2 = 111.74
    assert fernandez_huerta("El gato come pan. El perro duerme en la casa.") == pytest.approx(
        111.74, abs=0.01
    )


def test_plain_spanish_reads_easier_than_technical_spanish():
    plain = "Tiene pocos glóbulos blancos. Muchas veces no es grave. Su médico le dirá qué hacer."
    technical = (
        "La leucopenia, disminución de leucocitos circulantes atribuible a etiologías heterogéneas, "
        "requiere una investigación hematológica exhaustiva."
    )
    assert fernandez_huerta(plain) > 80
    assert fernandez_huerta(technical) < 30


def test_measures_offline_without_nltk_or_textstat(tmp_path):
    """In a fresh process whose sockets fail, an English grade and a Spanish reading ease are measured, and
    neither NLTK nor textstat is loaded to do it."""
    child = textwrap.dedent(
        """
        import socket
        import sys

        def no_network(*args, **kwargs):
            raise OSError("network used")

        socket.socket = no_network
        socket.create_connection = no_network
        socket.getaddrinfo = no_network

        from patientsite.checks.readability import fernandez_huerta, reading_grade

        print(reading_grade("The quick brown fox jumps over the lazy dog."))
        print(fernandez_huerta("El gato come pan. El perro duerme en la casa."))
        print(sorted(name for name in ("nltk", "textstat") if name in sys.modules))
        """
    )
    environment = python_env(HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", child],
        check=False,
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    english, spanish, loaded = result.stdout.splitlines()
    assert float(english) == pytest.approx(2.34, abs=0.01)
    assert float(spanish) == pytest.approx(111.74, abs=0.01)
    assert loaded == "[]"
