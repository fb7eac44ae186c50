"""Paths: where each page is written, and the relative link from any page to any other.

Every link the site makes is relative and names a file (never a bare folder), so one build works at a
domain root, under a GitHub Pages project path (/repo/) and opened from disk (file://).
"""

from __future__ import annotations

import functools
import posixpath

from patientsite.content.model import Content

ASSETS_FOLDER = "assets"
A_Z_PAGE = "a-z"  # the A to Z page, which the build makes: site.yaml's navigation names it by this
A_Z_PATH = "a-z.html"
ABOUT_PAGE = (
    "about.md"  # About this site: who writes it, how, and what happens to what you type; every page links it
)
SOURCES_PAGE = "sources"  # the pages the build makes for each topic from its other files
HANDOUT_PAGE = "handout"
LEAFLET_PAGE = "leaflet"
NOT_FOUND_PATH = "404.html"
# Names at the top of the site the build uses itself, so no topic folder may have them: why each is taken.
TAKEN_NAMES = {
    ASSETS_FOLDER: "the folder the site keeps its stylesheet and scripts in",
    A_Z_PAGE: "the A to Z page the build makes (a-z.html), which site.yaml's navigation names 'a-z'",
    "404": "the page the build makes for an address that does not exist (404.html)",
    "index": "the home page (index.html)",
}


def output_path(key: str) -> str:
    """'index.md' → 'index.html'; 'leucopenia/topic.yaml' → 'leucopenia/index.html';
    'x/causes.md' → 'x/causes.html'."""
    folder, _, name = key.rpartition("/")
    stem = name.rpartition(".")[0]
    page = "index" if name == "topic.yaml" else stem
    return posixpath.join(folder, f"{page}.html")


def topic_page_path(topic_slug: str, name: str) -> str:
    """A page the build makes for a topic from its other files: 'sources', 'handout' or 'leaflet'."""
    return f"{topic_slug}/{name}.html"


def asset_path(name: str) -> str:
    return f"{ASSETS_FOLDER}/{name}"


def relative_url(from_path: str, to_path: str) -> str:
    """The link from the page written at from_path to the file at to_path, both relative to the site root."""
    return _relative_path(to_path, posixpath.dirname(from_path) or ".")


@functools.lru_cache(maxsize=65_536)
def _relative_path(path: str, start: str) -> str:
    """posixpath.relpath, remembered: it asks the system for the working folder twice a call, and a site's
    pages link to the same few places from the same few folders tens of thousands of times."""
    return posixpath.relpath(path, start)


def absolute_url(base_url: str, path: str) -> str:
    """A full address for canonical links and the sitemap; the home page is the base URL itself."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base if path == "index.html" else base + path


def page_paths(content: Content) -> dict[str, str]:
    """Where every page and topic of every language goes, and each language's A to Z page, by content key."""
    paths = {item.key: output_path(item.key) for _, item in content.every_page(topics=True)}
    for edition in content.editions:
        paths[posixpath.join(edition.site.folder, A_Z_PAGE)] = posixpath.join(edition.site.folder, A_Z_PATH)
    return paths
