"""Watcher: the editor's folders watched (watchfiles, inotify); each burst of saves, settled, is one call.

A burst (an editor writing a file in several steps, or saving several files) settles for WATCH_STEP_MS
before the call; the watcher looks up every WATCH_TIMEOUT_MS to notice it is asked to stop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

WATCH_STEP_MS = 10  # how long a burst of file events may take to settle before the rebuild starts
WATCH_TIMEOUT_MS = 200  # how often the watcher looks up from waiting, to notice it is asked to stop


def watch(
    folders: list[Path],
    on_change: Callable[[set[Path]], None],
    stop: threading.Event,
    watching: threading.Event,
) -> None:
    """Call `on_change` with the changed paths after each burst, until `stop` is set.

    `watching` is set once the folders are watched (the first, empty, batch of changes says so).
    """
    for changes in watchfiles.watch(
        *folders,
        step=WATCH_STEP_MS,
        stop_event=stop,
        rust_timeout=WATCH_TIMEOUT_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        watching.set()
        if changes:
            on_change({Path(path) for _, path in changes})
