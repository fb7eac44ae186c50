import subprocess
import sys
import textwrap

import pytest
from support import python_env

from patientsite.checks.readability import fernandez_huerta, reading_grade

EASY = "The cat sat on the mat. It was a sunny day. We had fun in the park. Then we went home."
HARD = (
    "Leucopenia, a diminution of circulating leukocytes attributable to heterogeneous aetiologies, "
    "necessitates comprehensive haematological investigation, particularly when accompanied by "
    "concomitant immunological abnormalities or unexplained constitutional manifestations."
)


def test_easy_text_scores_lower_than_hard_text():
    easy, hard = reading_grade(EASY), reading_grade(HARD)
    assert easy < 3
    assert hard > 12


def test_known_sentence_gets_the_grade_the_formula_gives():
    # 9 words, 1 sentence, 11 syllables by the CMU dictionary ("over" and "lazy" have two):
    # 0.39 * 9 + 11.8 * 11 / 9 - 15.59 = 2.34
    assert reading_grade("The quick brown fox jumps over the lazy dog.") == pytest.approx(2.34, abs=0.01)


def test_empty_text_has_grade_zero():
    assert reading_grade("") == 0.0


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


def test_measures_offline_with_no_nltk_data(tmp_path):
    """In a fresh process whose sockets fail and whose NLTK has no data, an English grade and a Spanish
    reading ease are still measured."""
    empty_home = tmp_path / "home"
    empty_nltk_data = tmp_path / "nltk_data"
    empty_home.mkdir()
    empty_nltk_data.mkdir()
    child = textwrap.dedent(
        """
        import socket

        class NoNetworkSocket(socket.socket):
            def __init__(self, *args, **kwargs):
                raise OSError("network used")

        def no_network(*args, **kwargs):
            raise OSError("network used")

        socket.socket = NoNetworkSocket
        socket.create_connection = no_network
        socket.getaddrinfo = no_network

        import nltk

        nltk.data.path[:] = [{nltk_data!r}]
        try:
            nltk.data.find("corpora/cmudict")
        except LookupError:
            pass
        else:
            raise SystemExit("nltk found a cmudict; this test would prove nothing")

        def no_download(*args, **kwargs):
            raise SystemExit("nltk.download was called")

        nltk.download = no_download

        from patientsite.checks.readability import fernandez_huerta, reading_grade

        print(reading_grade("The quick brown fox jumps over the lazy dog."))
        print(fernandez_huerta("El gato come pan. El perro duerme en la casa."))
        """
    ).format(nltk_data=str(empty_nltk_data))
    environment = python_env(HOME=str(empty_home), NLTK_DATA=str(empty_nltk_data))
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
    english, spanish = map(float, result.stdout.split())
    assert english == pytest.approx(2.34, abs=0.01)
    assert spanish == pytest.approx(111.74, abs=0.01)
