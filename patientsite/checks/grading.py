"""Grading: the reading grade of every page's words, measured once (then cached by what the words are made
from) on every core.

Measuring is the readability gate's cost: checks/readability.py counts the syllables of every word with
the CMU dictionary, which takes a second and about 100 MB to load. So each page's words are measured only
when they are new, and the measuring is done by a `Grader`: a process of its own, started when a build begins,
that loads the dictionary while the build reads and converts the content, and measures (on every core)
while the build renders. The dictionary never enters the build's own memory. The gate itself
(checks.reading.check_readability) reads the grades found here.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable, Mapping
from functools import partial
from multiprocessing.connection import Connection

from patientsite.checks.reading import GradedPage, reading_score
from patientsite.engine import lifeline  # the grader and its workers end with the command
from patientsite.engine.cache import Store, key_of
from patientsite.engine.workers import map_in_order
from patientsite.markdown.texts import Progress

Words = tuple[str, str]  # (language, text): what is measured, and by which language's measure
SEND_BATCH = 200  # texts in one message to the grader: about 1 MB of words


class Grader:
    """A process that measures reading grades on request; `start()` gives None where fork does not exist."""

    def __init__(self, language: str):
        context = multiprocessing.get_context("fork")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_measure_on_request, args=(theirs, language), name="grader")
        self.lock = threading.Lock()  # one request at a time
        try:
            with lifeline.forking():
                self.process.start()
            theirs.close()
        except BaseException:  # Ctrl+C this very moment: no grader is left behind, waited for at exit
            if self.process.pid is not None:
                self.close()
            raise

    @classmethod
    def start(cls, language: str = "en") -> Grader | None:
        if "fork" not in multiprocessing.get_all_start_methods():
            return None
        return cls(language)

    def measure(self, texts: list[Words]) -> Callable[[], list[float]]:
        """Begin measuring; the function returned waits for the grades, in the order of `texts`."""
        self.lock.acquire()
        # Sent from a thread: the grader reads only once its dictionary is loaded, and the build goes on.
        sending = threading.Thread(target=self._send, args=(texts,), name="grader request")
        sending.start()

        def grades() -> list[float]:
            try:
                sending.join()
                status, value = self.connection.recv()
            finally:
                self.lock.release()
            if status != "ok":
                raise RuntimeError(f"measuring reading grades failed in the grader process:\n{value}")
            return value

        return grades

    def _send(self, texts: list[Words]) -> None:
        """A request in batches, then an empty one: never the whole of it pickled at once (32 MB of words at
        5,000 pages)."""
        for start in range(0, len(texts), SEND_BATCH):
            self.connection.send(texts[start : start + SEND_BATCH])
        self.connection.send([])

    def close(self) -> None:
        """Stop the grader: at once when it is busy (a build stopped midway: its grades are not wanted)."""
        if self.lock.acquire(blocking=False):
            try:
                self.connection.send(None)
            except OSError:
                pass
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()  # it ignores Ctrl+C, and in build.py SIGTERM too: it is stopped from here
            self.process.join()
        self.connection.close()


def grade_texts(
    graded: list[GradedPage],
    words: Mapping[str, str],
    cache: Store | None = None,
    progress: Progress | None = None,
    grader: Grader | None = None,
) -> Callable[[], Callable[[GradedPage], float]]:
    """Start measuring every graded page (checks.pages_to_grade) whose grade `cache` does not hold, by the key
    of its words: `words` has them by that key, for the pages new since (the others' are worked out from their
    text). The function returned waits, and gives each page's score (for check_readability)."""
    pages = {(page.language, page.words_key): page for page in graded}  # the same words are measured once
    keys = {pair: key_of("grade", *pair) for pair in pages}
    grades = {pair: cache.get(keys[pair]) for pair in pages} if cache else dict.fromkeys(pages)
    missing = [pair for pair, grade in grades.items() if grade is None]
    if progress and missing:
        progress("grading", len(pages) - len(missing), len(pages))
    texts = [
        (language, words[key] if key in words else pages[language, key].words) for language, key in missing
    ]
    if not missing:
        measured: Callable[[], list[float]] = list
    elif grader is not None:
        measured = grader.measure(texts)
    else:
        measured = partial(measure_all, texts)

    def reading_grade() -> Callable[[GradedPage], float]:
        for pair, grade in zip(missing, measured(), strict=True):
            grades[pair] = grade
            if cache:
                cache.put(keys[pair], grade)
        if progress and missing:
            progress("grading", len(pages), len(pages))
        return lambda page: grades[page.language, page.words_key]  # type: ignore[return-value]

    return reading_grade


def measure_all(texts: list[Words]) -> list[float]:
    """The grades of many texts, on every core; forked workers share what prepare_grading loaded."""
    for language in dict.fromkeys(language for language, _ in texts):
        prepare_grading(language)
    return map_in_order(lambda pair: _measure(pair[1], pair[0]), texts)


def prepare_grading(language: str = "en") -> None:
    """Load what measuring needs (the CMU dictionary, pyphen) here, so forked workers start with it."""
    _measure("Load the words.", language)


def _measure_on_request(connection: Connection, language: str) -> None:
    """The grader process: load, then answer each request with its grades until told to stop."""
    prepare_grading(language)
    while (request := _next_request(connection)) is not None:
        try:
            connection.send(("ok", measure_all(request)))
        except Exception:  # noqa: BLE001 — a bug here is shown by the build, with this traceback
            connection.send(("error", traceback.format_exc()))


def _next_request(connection: Connection) -> list[Words] | None:
    """The texts of the next request, which come in batches ended by an empty one; None: stop (the build
    asked, or is gone)."""
    texts: list[Words] = []
    while True:
        try:
            batch = connection.recv()
        except (EOFError, OSError):
            return None
        if batch is None:
            return None
        if not batch:
            return texts
        texts.extend(batch)


def _measure(text: str, language: str) -> float:
    return reading_score(text, language)
