"""Workers: one function over many items on every core, in forked processes, with results in order.

A forked worker starts with the parent's memory — the items, the imported libraries, a loaded dictionary —
so only results travel back. With little work, or where fork does not exist, the items are worked through
in this process instead: starting processes would cost more than it saves. An exception in a worker is
raised here as if the work had been done here; a worker that dies raises BrokenProcessPool.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from patientsite.engine import lifeline  # noqa: F401 — forked workers end with the command

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 8  # about 80 ms of Markdown: more than it costs to fork and gather a worker
CHUNKS_PER_WORKER = 8  # small enough chunks to even out the load and to show progress

_task: tuple[Callable, Sequence] | None = None  # what forked workers read; set only while a pool runs


def worker_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_in_order(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    on_done: Callable[[int], None] | None = None,
    workers: int | None = None,
    items_per_worker: int = MIN_ITEMS_PER_WORKER,
) -> list[Result]:
    """[function(item) for item in items], on every core when there is enough work.

    `on_done(count)` is told how many items are done, as they are gathered in order. A worker is started
    for every `items_per_worker` items at most: enough work to pay for starting it (the default suits items
    of about 10 ms, a page of Markdown).
    """
    workers = min(workers or worker_count(), len(items) // items_per_worker)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _map_here(function, items, on_done)
    return _map_in_workers(function, items, workers, on_done)


def _map_here(function: Callable, items: Sequence, on_done: Callable[[int], None] | None) -> list:
    results = []
    for item in items:
        results.append(function(item))
        if on_done:
            on_done(len(results))
    return results


def _map_in_workers(
    function: Callable, items: Sequence, workers: int, on_done: Callable[[int], None] | None
) -> list:
    global _task
    _task = (function, items)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_run_chunk, start, stop) for start, stop in _chunks(len(items), workers)]
            results: list = []
            for future in futures:
                results.extend(future.result())
                if on_done:
                    on_done(len(results))
            return results
    finally:
        _task = None


def _run_chunk(start: int, stop: int) -> list:
    assert _task is not None, "a worker runs only inside map_in_order"
    function, items = _task
    return [function(items[index]) for index in range(start, stop)]


def _chunks(count: int, workers: int) -> list[tuple[int, int]]:
    size = max(1, -(-count // (workers * CHUNKS_PER_WORKER)))
    return [(start, min(start + size, count)) for start in range(0, count, size)]
