"""Work spread over this machine's cores by forking this process: cheap, since a forked process has
everything this one has imported and read, and safe only while this process runs one thread.

:func:`map_forked` forks its helpers itself rather than through ``concurrent.futures``: a pool's
helpers inherit this process's Ctrl-C handler, and a Ctrl-C in the middle of reading a month left
the batch waiting forever for a helper blocked on writing its result, or aborting in Python's
finalisation with the pool's thread still running. Here the helpers ignore Ctrl-C, write their
results to files of their own, and are killed when this process is interrupted.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import shutil
import signal
import tempfile
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

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


#: what the next map_forked that forks is to call here while its helpers work (see :func:`meanwhile`)
_MEANWHILE: list[list] = []


@contextmanager
def meanwhile(func: Callable[[], object] | None, *, at_exit: bool = True) -> Iterator[list]:
    """Hand ``func`` to the first :func:`map_forked` inside the block that forks its helpers: it calls ``func``
    here, in this process, once they run, so that this process's own work is done while they work (a batch
    imports what its workers use while the month's files are read). Where no map_forked forked (the items were
    worked on here, one after the other), ``func`` is called on leaving the block, or with ``at_exit=False`` left
    to the caller: the block yields a list that holds ``func`` while it has not been called, and is emptied when
    it is. Not called when the block raised. ``None``: nothing to do meanwhile."""
    slot = [func]
    _MEANWHILE.append(slot)
    try:
        yield slot
    finally:
        _MEANWHILE.remove(slot)
    if slot[0] is not None and at_exit:
        func, slot[0] = slot[0], None
        func()
    if slot[0] is None:
        slot.clear()


def _run_meanwhile() -> None:
    for slot in _MEANWHILE:
        func, slot[0] = slot[0], None
        if func is not None:
            func()


class ForkedError(Exception):
    """An exception of ``func`` in a helper that could not be sent back as itself; carries its traceback."""


def forked(func: Callable[[], R]) -> R:
    """``func()`` run in a forked process of its own, its result pickled back; here when :func:`can_fork` says no.

    For work that leaves much behind for the little it returns: a process gives back to the system only whole
    arenas of its small objects, so that reading a county ten times the bundled one left the batch process some
    100 MB larger for good (its cells freed but their arenas still holding the few objects kept), though the
    month it kept was 15 MB. Done apart, that memory leaves with the helper."""
    return map_forked(lambda _: func(), [None], at_least=1, helpers=1)[0]


def map_forked(func: Callable[[T], R], items: Iterable[T], *, at_least: int = 2,
               helpers: int | None = None) -> list[R]:
    """``[func(x) for x in items]``, in the same order, spread over forked processes when there are at least
    ``at_least`` items, more than one core and :func:`can_fork`; else here, one after the other. ``helpers``: fork
    that many (at most one an item) whatever the cores (:func:`forked`: one).

    Helper ``k`` of ``n`` takes items ``k``, ``k + n``, ``k + 2n`` … (the items of a month's folder come sorted,
    so large and small files are shared alike). ``func``'s results must be picklable. The first exception of
    ``func`` (in item order) is raised here, as the plain loop would raise it. A Ctrl-C here kills the helpers
    and raises KeyboardInterrupt.
    """
    items = list(items)
    n = min(helpers or cores(), len(items))
    if n < (1 if helpers else 2) or len(items) < at_least or not can_fork():
        return [func(x) for x in items]
    work = Path(tempfile.mkdtemp(prefix="tekun-forked-"))
    pids: list[int] = []
    try:
        # Ctrl-C is held back while forking (a helper must not run this process's handler before it ignores
        # the signal); one pressed meanwhile is delivered here as soon as all helpers run
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for k in range(n):
                pid = os.fork()
                if pid == 0:                               # the helper: its share, to its own file, then out
                    _helper(func, items[k::n], work / f"{k}.pickle")
                pids.append(pid)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        _run_meanwhile()
        while pids:                                        # each reaped one leaves the list: never killed later
            os.waitpid(pids[0], 0)
            pids.pop(0)
        shares = []
        for k in range(n):
            try:
                shares.append(pickle.loads((work / f"{k}.pickle").read_bytes()))
            except (OSError, pickle.UnpicklingError, EOFError) as exc:
                raise ForkedError(f"并行处理的第 {k + 1} 个辅助进程没有交回结果，"
                                  f"可能因内存不足被系统结束；请重新运行。") from exc
        out: list = [None] * len(items)
        errors = []
        for k, share in enumerate(shares):
            for j, (ok, value) in enumerate(share):
                i = k + j * n
                if ok:
                    out[i] = value
                else:
                    errors.append((i, value))
        if errors:
            raise min(errors, key=lambda e: e[0])[1]
        return out
    finally:
        for pid in pids:                                   # interrupted (Ctrl-C) or failed while waiting
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        shutil.rmtree(work, ignore_errors=True)


def _helper(func: Callable, share: list, path: Path) -> None:
    """In a forked helper: apply ``func`` to ``share``, pickle the (ok, result or exception) pairs to ``path``,
    and leave at once (``os._exit``: none of the parent's exit handlers or buffered output run twice)."""
    code = 1
    _MEANWHILE.clear()      # the parent's to call (a helper's own map_forked must not start the batch's workers)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)       # the parent answers Ctrl-C, and kills us
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        results = []
        for x in share:
            try:
                results.append((True, func(x)))
            except Exception as exc:
                results.append((False, _picklable(exc)))
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _picklable(exc: Exception) -> Exception:
    """``exc`` itself when it survives pickling, else a ForkedError with its traceback."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return ForkedError(text)
