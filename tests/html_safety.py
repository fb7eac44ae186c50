"""HTML safety: what a built page may contain, whatever the content said.

A page may hold only elements and attributes that the templates write or that the Markdown sanitiser allows;
no event-handler attribute (on…); no script other than JSON data (JSON-LD, the checker's settings) and the
site's own script files (from static/, in assets/); no javascript:, vbscript: or data: address (but the icon,
an image, may be data: — images run no script); and no link that leaves the site.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from projects import REPO

from patientsite.markdown.convert import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

DATA_SCRIPTS = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "data",
    "xlink:href",
    "srcset",
    "background",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
TEMPLATE_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
NAME = re.compile(r"[a-zA-Z_:][-a-zA-Z0-9_:.]*")
CONTROL = re.compile(r"[\x00-\x20]+")


@dataclass(frozen=True)
class Vocabulary:
    tags: frozenset[str]
    attributes: frozenset[str]


def template_vocabulary(templates: Path = REPO / "templates") -> Vocabulary:
    """Every tag and attribute the templates can write, with those the Markdown sanitiser lets through."""
    tags, attributes = set(ALLOWED_TAGS), {name for names in ALLOWED_ATTRIBUTES.values() for name in names}
    for template in templates.glob("*.html"):
        text = JINJA.sub(" ", template.read_text(encoding="utf-8"))
        for tag in TEMPLATE_TAG.finditer(text):
            tags.add(tag.group(1).lower())
            attributes.update(name.lower() for name in NAME.findall(QUOTED.sub(" ", tag.group(2))))
    return Vocabulary(frozenset(tags), frozenset(attributes))


def unsafe_parts(page: str, page_path: str, vocabulary: Vocabulary) -> list[str]:
    """What is wrong with one page of the site at page_path (relative to the site's root): [] if nothing."""
    reader = _PageReader(page_path, vocabulary)
    reader.feed(page)
    reader.close()
    return reader.unsafe


class _PageReader(HTMLParser):
    def __init__(self, page_path: str, vocabulary: Vocabulary):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.tags = vocabulary.tags
        self.attributes = vocabulary.attributes
        self.unsafe: list[str] = []
        self.script: str | None = None  # the type of the data script being read
        self.script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.tags:
            self.unsafe.append(f"<{tag}> is not written by any template or allowed in Markdown")
        icon = tag == "link" and "icon" in (dict(attrs).get("rel") or "").split()
        for name, value in attrs:
            self._check_attribute(tag, name, value or "", icon)
        if tag == "script":
            self._start_script(dict(attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self._check_script_data("".join(self.script_text))
            self.script, self.script_text = None, []

    def _check_attribute(self, tag: str, name: str, value: str, icon: bool) -> None:
        if name.startswith("on"):
            self.unsafe.append(f"<{tag} {name}> is an event handler")
        elif name not in self.attributes and not name.startswith(("aria-", "data-")):
            self.unsafe.append(f"<{tag} {name}> is not written by any template or allowed in Markdown")
        if name in URL_ATTRIBUTES:
            self._check_url(tag, name, value, icon)

    def _check_url(self, tag: str, name: str, value: str, icon: bool) -> None:
        url = CONTROL.sub("", value).lower()
        if icon and url.startswith(("data:image/", "data:,")):
            return
        if url.startswith(BAD_SCHEMES):
            self.unsafe.append(f"<{tag} {name}={value!r}> runs a script or embeds data")
        elif url.startswith(("/", "\\")):  # also //host
            self.unsafe.append(f"<{tag} {name}={value!r}> leaves the site's folder")
        elif ":" not in url.split("/")[0] and not url.startswith(("#", "?")):
            resolved = self._resolve(url)
            if resolved == ".." or resolved.startswith("../"):
                self.unsafe.append(f"<{tag} {name}={value!r}> leads out of the site")

    def _resolve(self, url: str) -> str:
        """Where a relative address leads, from the site's root."""
        path = url.partition("#")[0].partition("?")[0].replace("\\", "/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.page_path), path))

    def _start_script(self, attributes: dict[str, str | None]) -> None:
        kind = attributes.get("type")
        source = attributes.get("src") or ""
        if kind in DATA_SCRIPTS:
            self.script = kind
        elif not (":" not in source and self._resolve(source).startswith("assets/")):
            self.unsafe.append(f"<script {attributes}> is neither JSON data nor a script file of the site")

    def _check_script_data(self, text: str) -> None:
        try:
            json.loads(text)
        except ValueError:
            self.unsafe.append(f"a {self.script} script is not JSON: {text[:80]!r}")
        if "</" in text or "<!--" in text:
            self.unsafe.append(f"a {self.script} script holds '</' or '<!--': {text[:80]!r}")
