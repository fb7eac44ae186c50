"""Lifeline: every process a build forks (the grader, the workers) ends when the command that started it ends.

The first process to import this holds the write end of a pipe that nothing ever writes to; every process
forked from it (and from its children) closes that end and keeps only the read end, which a thread watches.
When the command ends in any way — returns, Ctrl+C, SIGTERM, SIGKILL — the kernel closes its write end, the
read end gives EOF, and each child leaves at once and quietly. Forked children also ignore Ctrl+C: the
terminal sends it to every process of the command, and the command itself stops them (a child's traceback
would only be noise); a SIGTERM sent to all of them ends a child silently.
"""

from __future__ import annotations

import os
import signal
import threading

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


os.register_at_fork(after_in_child=_after_fork_in_child)
