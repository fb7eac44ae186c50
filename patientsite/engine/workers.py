"""Workers: one function over many items on every core, in forked processes, with results in order.

A forked worker starts with the parent's memory — the items, the imported libraries, a loaded dictionary —
so only results travel back. With little work, or where fork does not exist, the items are worked through
in this process instead: starting processes would cost more than it saves. An exception in a worker is
raised here as if the work had been done here; a worker that dies raises BrokenProcessPool.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

from patientsite.engine import lifeline  # forked workers end with the command

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 8  # about 80 ms of Markdown: more than it costs to fork and gather a worker
CHUNKS_PER_WORKER = 8  # small enough chunks to even out the load and to show progress
AHEAD = 3  # chunks a worker may have done, or be doing, before the caller has taken its results

_task: tuple[Callable, Sequence] | None = None  # what forked workers read; set only while a pool runs


def worker_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_in_order(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    on_done: Callable[[int], None] | None = None,
    workers: int | None = None,
    items_per_worker: int | None = None,
) -> list[Result]:
    """[function(item) for item in items], on every core when there is enough work.

    `on_done(count)` is told how many items are done, as they are gathered in order. A worker is started
    for every `items_per_worker` items at most (by default MIN_ITEMS_PER_WORKER, read at each call): enough
    work to pay for starting it (the default suits items of about 10 ms, a page of Markdown).
    """
    results: list[Result] = []
    for result in imap_in_order(function, items, workers=workers, items_per_worker=items_per_worker):
        results.append(result)
        if on_done:
            on_done(len(results))
    return results


def imap_in_order(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    workers: int | None = None,
    items_per_worker: int | None = None,
) -> Iterator[Result]:
    """function(item) for each item, yielded in order as soon as it is done: the caller can write each result
    and let it go, while the workers go on (a few chunks ahead, not all of them, so that results do not pile
    up in memory)."""
    per_worker = MIN_ITEMS_PER_WORKER if items_per_worker is None else items_per_worker
    workers = min(workers or worker_count(), len(items) // max(1, per_worker))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return (function(item) for item in items)
    return _in_workers(function, items, workers)


def _in_workers(function: Callable, items: Sequence, workers: int) -> Iterator:
    global _task
    _task = (function, items)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = iter(_chunks(len(items), workers))
            with lifeline.forking():  # the first submission starts the workers
                pending = deque(pool.submit(_run_chunk, *chunk) for chunk in islice(chunks, workers * AHEAD))
            while pending:
                done = pending.popleft().result()
                pending.extend(pool.submit(_run_chunk, *chunk) for chunk in islice(chunks, 1))
                yield from done
    finally:
        _task = None


def _run_chunk(start: int, stop: int) -> list:
    assert _task is not None, "a worker runs only inside map_in_order"
    function, items = _task
    return [function(items[index]) for index in range(start, stop)]


def _chunks(count: int, workers: int) -> list[tuple[int, int]]:
    size = max(1, -(-count // (workers * CHUNKS_PER_WORKER)))
    return [(start, min(start + size, count)) for start in range(0, count, size)]
