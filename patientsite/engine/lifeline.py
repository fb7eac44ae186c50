"""Lifeline: every process a build forks (the grader, the workers) ends when the command that started it ends.

The first process to import this holds the write end of a pipe that nothing ever writes to; every process
forked from it (and from its children) closes that end and keeps only the read end, which a thread watches.
When the command ends in any way — returns, Ctrl+C, SIGTERM, SIGKILL — the kernel closes its write end, the
read end gives EOF, and each child leaves at once and quietly. Forked children also ignore Ctrl+C: the
terminal sends it to every process of the command, and the command itself stops them (a child's traceback
would only be noise); a SIGTERM sent to all of them ends a child silently.

A stop that comes while the command itself forks would run its handler inside a library's at-fork hook,
where Python reports the handler's exception and carries on: the stop would be lost. So forking is done
inside `forking()`, and a stop handler that runs meanwhile defers itself (`defer_while_forking`) to the
moment the fork is done.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

StopHandler = Callable[[int, object], None]

_read_end, _write_end = (
    os.pipe()
)  # not inherited by programs started with exec: only forked children hold them


def _watch_the_parent() -> None:
    while True:
        try:
            if not os.read(_read_end, 1):
                os._exit(0)  # the command is gone: nothing left to do for it
        except InterruptedError:
            continue


def _after_fork_in_child() -> None:
    global _write_end
    if _write_end is not None:
        os.close(_write_end)  # only the command's own copy may keep the pipe open
        _write_end = None
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A SIGTERM sent to every process of the command (`pkill -f`, a service manager) ends a child as the
    # system does, silently, not through the parent's handler inherited with the fork (a traceback).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch_the_parent, name="lifeline", daemon=True).start()


_forks_under_way = 0
_deferred_stop: tuple[StopHandler, int] | None = None  # the first stop that came during a fork


@contextmanager
def forking() -> Iterator[None]:
    """Around a call that forks: a stop handler that runs meanwhile is run again once the call returns."""
    global _forks_under_way, _deferred_stop
    _forks_under_way += 1
    try:
        yield
    finally:
        _forks_under_way -= 1
        if not _forks_under_way and _deferred_stop is not None:
            (handler, signum), _deferred_stop = _deferred_stop, None
            handler(signum, None)


def defer_while_forking(handler: StopHandler, signum: int) -> bool:
    """For a stop handler: whether a fork is under way, in which case `handler(signum, None)` is run again
    as soon as it is done (the handler then returns at once, raising nothing)."""
    global _deferred_stop
    if _forks_under_way:
        _deferred_stop = _deferred_stop or (handler, signum)
        return True
    return False


os.register_at_fork(after_in_child=_after_fork_in_child)
