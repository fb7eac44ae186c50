"""Language files: which files each language's site is read from.

content/ holds the original language at its top and each translation in a folder named by its code
(content/es/): the original is every file outside those folders; a translation is the original's files with
its own laid over them.
"""

from __future__ import annotations

import re

from patientsite.content.load import LoadedContent, YamlDocument, YamlMap

SITE_FILE = "site.yaml"  # the site's settings and words, in each language's folder
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def translation_codes(loaded: LoadedContent) -> tuple[str, ...]:
    """The languages site.yaml names under `translations`, read leniently (validate reports what is wrong
    with the field): their folders are not part of the original."""
    document = loaded.documents.get(SITE_FILE)
    mapping = document.data if isinstance(document, YamlDocument) else None
    codes = mapping.get("translations") if isinstance(mapping, YamlMap) else None
    if not isinstance(codes, list):
        return ()
    return tuple(code for code in codes if isinstance(code, str) and LANGUAGE_CODE.match(code))


def original_files(loaded: LoadedContent, codes: tuple[str, ...]) -> LoadedContent:
    """The original language's files: all but those in the translations' folders."""

    def is_original(key: str) -> bool:
        return "/" not in key or key.partition("/")[0] not in codes

    return LoadedContent(
        {key: d for key, d in loaded.documents.items() if is_original(key)},
        frozenset(key for key in loaded.unreadable if is_original(key)),
    )


def own_files(loaded: LoadedContent, code: str) -> LoadedContent:
    """A translation's own files, keyed as the originals they translate ('leucopenia/causes.md')."""
    prefix = f"{code}/"
    return LoadedContent(
        {key.removeprefix(prefix): d for key, d in loaded.documents.items() if key.startswith(prefix)},
        frozenset(key.removeprefix(prefix) for key in loaded.unreadable if key.startswith(prefix)),
    )


def translation_files(loaded: LoadedContent, codes: tuple[str, ...], code: str) -> LoadedContent:
    """The files a translation is read from: its own, and the original's for those it lacks. A file of its own
    that could not be read stays unread (load has reported it), rather than showing the original's."""
    original, own = original_files(loaded, codes), own_files(loaded, code)
    documents = {key: d for key, d in original.documents.items() if key not in own.unreadable}
    documents.update(own.documents)
    return LoadedContent(documents, own.unreadable | (original.unreadable - own.documents.keys()))
