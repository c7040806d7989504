"""Work spread over this machine's cores by forking this process: cheap, since a forked process has
everything this one has imported and read, and safe only while this process runs one thread."""
from __future__ import annotations

import multiprocessing as mp
import os
import threading
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    """Whether this process may fork workers: the platform has ``fork``, this process runs only its main thread
    (a fork copies one thread, and a lock another thread held would stay locked in the copy forever), and it is
    not itself a multiprocessing worker (those may not have children of their own)."""
    return ("fork" in mp.get_all_start_methods() and threading.active_count() == 1
            and not mp.current_process().daemon)


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def map_forked(func: Callable[[T], R], items: Iterable[T], *, at_least: int = 2) -> list[R]:
    """``[func(x) for x in items]``, in the same order, spread over forked processes when there are at least
    ``at_least`` items, more than one core and :func:`can_fork`; else here, one after the other.

    ``func`` must be a module-level function and its results picklable. An exception in ``func`` is raised
    here, as the plain loop would raise it.
    """
    items = list(items)
    n = min(cores(), len(items))
    if n < 2 or len(items) < at_least or not can_fork():
        return [func(x) for x in items]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(func, items))
