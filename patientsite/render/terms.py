"""Terms: the first use of each glossary term on a page explained in place (markdown/glossary.py finds the
terms in the text).

Editors mark nothing: glossary.yaml is the one source. On every page but the glossary itself, the first use
of each term — any case, a plural -s or -es, or one of its `also` forms; never inside a heading, a link,
code, a citation or a box's title — becomes a button that opens the term's plain meaning as a popover:

    <button type="button" class="term" popovertarget="term-neutrophil-meaning"
            aria-describedby="term-neutrophil-meaning-text">neutrophils</button><span popover
            id="term-neutrophil-meaning" class="term-meaning" role="note"><span
            id="term-neutrophil-meaning-text">The most common kind of …</span> <button type="button"
            class="term-close" popovertarget="term-neutrophil-meaning"
            popovertargetaction="hide">Close</button></span>

The browser opens it on a tap, click, Enter or Space, with no script, and closes it on Escape, a tap
elsewhere or its Close button; the stylesheet places it under the word (above it, near the foot of the
screen), never over it. A screen reader reads the meaning, without the button, as the word's description;
the print stylesheet prints it in brackets after the word. The meaning is plain text: its citations stay on
the glossary page, with its sources.
A page that holds the glossary itself (the handout) links the word to its entry there instead: the meaning is
on the same page, and on paper the glossary is the note.

"First use" is per page, so marking happens on the placed fragments of one page in reading order
(explaining.py), never in the cached conversion of a fragment, which several pages share.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from patientsite.markdown.glossary import Explanation, Glossary, prose_and_markup

MEANING_TEXT_SUFFIX = "-text"  # the meaning's words alone, without its close button: the word's description


def explain_terms(
    fragment_html: str,
    glossary: Glossary,
    explained: set[str],
    entry_link: Callable[[Explanation], str | None] | None = None,
    close_label: str = "Close",
) -> str:
    """The HTML with the first use of each term not yet in `explained` made a button and its meaning; the
    popover ids of the terms explained are added to `explained`, so a page's next fragment skips them.

    `entry_link(explanation)`, on a page that holds the glossary, gives the href of the term's entry there:
    the word becomes a link to it. `close_label` is the words of the meaning's close button, in the page's
    language (strings.yaml's `close`).
    """
    if glossary.pattern is None:
        return fragment_html
    return "".join(
        _explain_text(piece, glossary, explained, entry_link, close_label) if is_prose else piece
        for piece, is_prose in prose_and_markup(str(fragment_html))
    )


def _explain_text(
    text: str,
    glossary: Glossary,
    explained: set[str],
    entry_link: Callable[[Explanation], str | None] | None,
    close_label: str,
) -> str:
    plain = html.unescape(text)
    pieces: list[str] = []
    position = 0
    for match in glossary.pattern.finditer(plain):
        explanation = glossary.explanation_of(match.group(0))
        if explanation is None or explanation.popover_id in explained:
            continue
        explained.add(explanation.popover_id)
        href = entry_link(explanation) if entry_link else None
        marked = (
            link_html(match.group(0), href)
            if href
            else explanation_html(match.group(0), explanation, close_label)
        )
        pieces += [_escape(plain[position : match.start()]), marked]
        position = match.end()
    if not pieces:
        return text  # unchanged, byte for byte
    return "".join(pieces) + _escape(plain[position:])


def explanation_html(words: str, explanation: Explanation, close_label: str = "Close") -> str:
    popover = explanation.popover_id
    text = popover + MEANING_TEXT_SUFFIX
    return (
        f'<button type="button" class="term" popovertarget="{popover}" aria-describedby="{text}">'
        f'{_escape(words)}</button><span popover id="{popover}" class="term-meaning" role="note">'
        f'<span id="{text}">{_escape(explanation.meaning)}</span> <button type="button" class="term-close" '
        f'popovertarget="{popover}" popovertargetaction="hide">{_escape(close_label)}</button></span>'
    )


def link_html(words: str, href: str) -> str:
    return f'<a class="term" href="{html.escape(href)}">{_escape(words)}</a>'


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
