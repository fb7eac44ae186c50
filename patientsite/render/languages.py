"""Languages: which language's site a page is part of, the same page in the other languages (hreflang
alternates, the language switcher, the original a translation names), and where the pages not translated yet
are."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from patientsite.content.model import Content, Page, Topic
from patientsite.content.strings import Words
from patientsite.render.paths import (
    HANDOUT_PAGE,
    NOT_FOUND_PATH,
    SOURCES_PAGE,
    absolute_url,
    output_path,
    topic_page_path,
)
from patientsite.render.views import Alternate, LanguageLink, PageView

X_DEFAULT = "x-default"  # hreflang's name for the version for readers of any other language: the original


class Languages:
    """The languages of one site: each one's edition (the site in it) and its words."""

    def __init__(self, content: Content, base_url: str | None):
        self.content = content
        self.base_url = base_url
        self.editions = {edition.site.language: edition for edition in content.editions}
        self.words = {language: Words(e.site.strings, e.site.locale) for language, e in self.editions.items()}
        self.untranslated_paths = untranslated_paths(content)

    def edition_of(self, key: str) -> Content:
        """The site in the language a page or topic is part of: its key starts with the language's folder."""
        folder = key.partition("/")[0]
        return next((e for e in self.content.translations if e.site.folder == folder), self.content)

    def words_of(self, key: str) -> Words:
        return self.words[self.edition_of(key).site.language]

    def of(self, item: Page | Topic) -> dict:
        """A view's languages: of the site it is part of, of its words, and the version it translates."""
        language = self.edition_of(item.key).site.language
        return {
            "language": language,
            "text_language": self.text_language(item),
            "translation_of": item.translation_of,
            "original_updated": item.original_updated,
        }

    def text_language(self, item: Page | Topic) -> str:
        """The language of a page's own words: the original's, on a page not translated yet."""
        return self.content.site.language if item.untranslated else self.edition_of(item.key).site.language

    def twin(self, path: str, edition: Content) -> str:
        """The path of the same page in another language: the same path, in that language's folder."""
        folder, _, rest = path.partition("/")
        own = rest if rest and any(folder == e.site.folder for e in self.content.translations) else path
        return posixpath.join(edition.site.folder, own)

    def alternates(self, path: str, link: Callable[[str], str]) -> tuple[Alternate, ...]:
        """Every language the page is written in (not a page not yet translated), and x-default, the
        original; none when there is only one. Full addresses when the base URL is known, as search engines
        want."""
        if path == NOT_FOUND_PATH:
            return ()
        href = (lambda target: absolute_url(self.base_url, target)) if self.base_url else link
        versions = [(e.site.language, self.twin(path, e)) for e in self.content.editions]
        written = [
            (language, target) for language, target in versions if target not in self.untranslated_paths
        ]
        if len(written) < 2:
            return ()
        default = [Alternate(X_DEFAULT, href(versions[0][1]))] if written[0] == versions[0] else []
        return tuple(Alternate(language, href(target)) for language, target in written) + tuple(default)

    def language_links(
        self, view: PageView, link: Callable[[str], str], paths: dict[str, str]
    ) -> tuple[LanguageLink, ...]:
        """The same page in each other language, named in that language; from 404, each language's home
        (`paths`: where each page goes, by content key)."""
        links = []
        for language, edition in self.editions.items():
            if language != view.language:
                target = (
                    paths[edition.home.key] if view.path == NOT_FOUND_PATH else self.twin(view.path, edition)
                )
                links.append(LanguageLink(language, self.words[language].text("language_name"), link(target)))
        return tuple(links)

    def original_version(self, path: str, link: Callable[[str], str]) -> LanguageLink:
        """The page in the original language, which a translated page names as what it translates."""
        language = self.content.site.language
        return LanguageLink(
            language, self.words[language].text("language_name"), link(self.twin(path, self.content))
        )

    def canonical_path(self, view: PageView) -> str:
        """A page not translated yet is a copy of the original's: search engines are pointed there."""
        return self.twin(view.path, self.content) if view.untranslated else view.path


def untranslated_paths(content: Content) -> frozenset[str]:
    """Where the pages not translated yet are: the original's words, published in a translation."""
    paths = set()
    for edition in content.translations:
        items = list(edition.pages_and_topics())
        paths.update(output_path(item.key) for item in items if item.untranslated)
        paths.update(
            topic_page_path(topic.slug, name)
            for topic in edition.topics
            if topic.untranslated
            for name in (SOURCES_PAGE, HANDOUT_PAGE)
        )
    return frozenset(paths)
