"""Glossary: each topic's terms, the words that name them, and where the running prose of the converted
pages uses them. render/terms.py explains a term where it is first used; the checks warn of a term no page
uses; the A to Z page, the search index and the editor's report look for the same words.

A term is found in any case, as a plural -s or -es, or as one of its `also` forms; never inside a heading, a
link, code, a citation or a box's title (SKIPPED_TAGS).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from patientsite.content.model import Content, Page, Term, Topic
from patientsite.markdown.texts import PageText

MEANING_ID_SUFFIX = "-meaning"
# Text inside these is never marked: a button inside a link or a heading would be invalid or confusing;
# code, citations, abbreviations and a definition list's terms (dt) are not running prose; and bold text
# serves as a run-in heading (the questions of the appointment page), whose words stay as written.
SKIPPED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "button",
        "code",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "kbd",
        "pre",
        "samp",
        "script",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "textarea",
        "title",
    }
)
SKIPPED_CLASSES = frozenset({"admonition-title", "term-meaning"})
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
TAG = re.compile(r"""<(/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
CITATION = re.compile(r'[\s\u00a0]*<sup class="cite"[^>]*>.*?</sup>', re.DOTALL)
BRACKETED = re.compile(r"\s*\([^)]*\)")
PLURAL = "(?:e?s)?"


@dataclass(frozen=True)
class Explanation:
    """A glossary term as the pages explain it."""

    term: Term
    meaning: str  # plain text, without citations
    popover_id: str


class Glossary:
    """The terms a page may explain, and the one regular expression that finds any of them."""

    def __init__(self, explanations: Iterable[Explanation]):
        self.by_form: dict[str, Explanation] = {}  # each form in lower case → its term
        written: dict[str, str] = {}  # each form in lower case → as the glossary writes it
        for explanation in explanations:
            for form in term_forms(explanation.term):
                self.by_form.setdefault(
                    _folded(form), explanation
                )  # a topic's own term comes before another's
                written.setdefault(_folded(form), form)
        self.pattern = forms_pattern(written.values()) if written else None

    def explanation_of(self, words: str) -> Explanation | None:
        """The term that these words (a match of the pattern) name, plural or not."""
        key = _folded(words)
        singular = [key.removesuffix("s"), key.removesuffix("es")] if key.endswith("s") else []
        return next((self.by_form[form] for form in (key, *singular) if form in self.by_form), None)


def term_forms(term: Term) -> list[str]:
    """The words that name a term: itself; itself without a bracketed abbreviation ("Complete blood count
    (CBC)" → "Complete blood count"); its `also` forms."""
    short = BRACKETED.sub("", term.term).strip()
    return list(dict.fromkeys(form for form in (term.term, short, *term.also) if form.strip()))


def forms_pattern(forms: Iterable[str]) -> re.Pattern[str]:
    """Any of the forms as whole words (see _forms_pattern); made once for the same forms: in the preview
    every rebuild looks for the glossary's terms again, and making the pattern is most of that cost."""
    return _forms_pattern(tuple(forms))


@functools.lru_cache(maxsize=32)
def _forms_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the forms as whole words, in any case, also with a plural -s or -es; the longest form first, so
    "bone marrow test" is found before "bone marrow". An abbreviation in capitals (CBC, ER, IV) matches only
    in capitals: "er" and "iv" are other words.

    The words are one tree of letters ("bone marrow(?: test)?"), so a page is read once whatever the number
    of terms: a list of alternatives would try each term at every word.
    """
    forms = sorted(forms, key=len, reverse=True)
    abbreviations = [f"(?-i:{_words_pattern(form)})" for form in forms if _is_abbreviation(form)]
    words = [" ".join(form.lower().split()) for form in forms if not _is_abbreviation(form)]
    try:
        return _whole_words([_tree_pattern(words)] if words else [], abbreviations)
    except RecursionError:  # a tree deeper than Python can take: one alternative a form, slower but the same
        return _whole_words([_words_pattern(form) for form in words], abbreviations)


def _whole_words(*alternatives: list[str]) -> re.Pattern[str]:
    either = "|".join(pattern for group in alternatives for pattern in group)
    return re.compile(rf"(?<!\w)(?:{either}){PLURAL}(?!\w)", re.IGNORECASE)


def _tree_pattern(forms: list[str]) -> str:
    tree: dict = {}
    for form in forms:
        node = tree
        for letter in form:
            node = node.setdefault(letter, {})
        node[""] = {}  # a form ends here
    return _branch_pattern(tree)


def _branch_pattern(node: dict) -> str:
    """The pattern of the forms below a node of the tree; a form that ends here makes the rest optional (and
    greedy: the longer form first)."""
    branches = []
    for letter, child in sorted((letter, child) for letter, child in node.items() if letter):
        chain = [letter]
        while len(child) == 1 and "" not in child:  # a run of single letters needs no group
            letter, child = next(iter(child.items()))
            chain.append(letter)
        branches.append("".join(r"\s+" if c == " " else re.escape(c) for c in chain) + _branch_pattern(child))
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{pattern})?" if "" in node else pattern


def _words_pattern(form: str) -> str:
    return r"\s+".join(re.escape(word) for word in form.split())


def glossaries(content: Content, texts: dict[str, PageText]) -> dict[str | None, Glossary]:
    """Each topic's glossary by the topic's key; under None, every topic's terms, for pages outside a
    topic."""
    found = {topic.key: Glossary(explanations(topic, texts)) for topic in content.topics}
    found[None] = Glossary(e for topic in content.topics for e in explanations(topic, texts))
    return found


def explanations(topic: Topic, texts: dict[str, PageText]) -> Iterator[Explanation]:
    for page in glossary_pages(topic):
        yield from page_explanations(page, texts)


def page_explanations(glossary_page: Page, texts: dict[str, PageText]) -> Iterator[Explanation]:
    meanings = texts[glossary_page.key].entries[len(glossary_page.questions) :]
    for term, meaning in zip(glossary_page.terms, meanings, strict=True):
        yield Explanation(term, plain_meaning(meaning.html), term.anchor + MEANING_ID_SUFFIX)


def glossary_pages(topic: Topic) -> list[Page]:
    return [page for page in topic.sections + topic.tools if page.kind == "glossary"]


def plain_meaning(meaning_html: str) -> str:
    """A meaning as plain words: no citations (the glossary page lists its sources), no tags."""
    text = html.unescape(TAG.sub("", CITATION.sub("", meaning_html)))
    return " ".join(text.split())


def terms_used(fragment_html: str, glossary: Glossary) -> set[Explanation]:
    """The terms a fragment uses where they would be explained."""
    if glossary.pattern is None:
        return set()
    used = set()
    for piece, is_prose in prose_and_markup(fragment_html):
        if is_prose:
            for match in glossary.pattern.finditer(html.unescape(piece)):
                explanation = glossary.explanation_of(match.group(0))
                if explanation is not None:
                    used.add(explanation)
    return used


def unused_terms(content: Content, texts: dict[str, PageText]) -> Iterator[tuple[Page, Term]]:
    """Each glossary term that no page but a glossary uses, with its glossary page."""
    found = glossaries(content, texts)
    used: set[Explanation] = set()
    for page_key, topic_key in _explaining_pages(content):
        for fragment in texts[page_key].fragments():
            used |= terms_used(fragment.html, found[topic_key])
    for topic in content.topics:
        for page in glossary_pages(topic):
            for explanation in page_explanations(page, texts):
                if explanation not in used:
                    yield page, explanation.term


def prose_and_markup(fragment_html: str) -> Iterator[tuple[str, bool]]:
    """The HTML cut into tags and text; True for text that is running prose (see SKIPPED_TAGS)."""
    open_elements: list[tuple[str, bool]] = []  # each element's name, and whether its text is skipped
    skipped = 0
    position = 0
    for tag in TAG.finditer(fragment_html):
        if tag.start() > position:
            yield fragment_html[position : tag.start()], skipped == 0
        yield tag.group(0), False
        position = tag.end()
        closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name in VOID_TAGS or attributes.rstrip().endswith("/"):
            continue
        if closing:
            skipped -= _close(open_elements, name)
        else:
            classes = CLASS_ATTRIBUTE.search(attributes)
            skip = name in SKIPPED_TAGS or bool(classes and SKIPPED_CLASSES & set(classes.group(1).split()))
            open_elements.append((name, skip))
            skipped += skip
    if position < len(fragment_html):
        yield fragment_html[position:], skipped == 0


def _close(open_elements: list[tuple[str, bool]], name: str) -> int:
    """Closes the innermost open element of that name (and any left open inside it); how many were skipped."""
    if all(open_name != name for open_name, _ in open_elements):
        return 0  # a stray end tag: nothing to close
    closed = 0
    while open_elements:
        open_name, skip = open_elements.pop()
        closed += skip
        if open_name == name:
            break
    return closed


def _explaining_pages(content: Content) -> Iterator[tuple[str, str | None]]:
    """Each text of the site that explains terms, with the key of the topic whose glossary it uses."""
    for page in content.site_pages:
        yield page.key, None
    for topic in content.topics:
        yield topic.key, topic.key
        for page in topic.sections + topic.tools:
            if page.kind != "glossary":
                yield page.key, topic.key


def _is_abbreviation(form: str) -> bool:
    return not any(c.islower() for c in form) and sum(c.isupper() for c in form) >= 2


def _folded(words: str) -> str:
    return " ".join(words.lower().split())
