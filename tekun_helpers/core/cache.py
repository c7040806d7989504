"""What a process keeps between the reports it makes: one object, :data:`CACHE`, and nothing else.

A batch worker's kernel makes the month's banner and township briefings one after the other, and
JupyterLab's kernel re-runs a notebook many times; both read the same files and compute the same
month-wide facts again and again unless they keep them. Everything kept lives here, each part with
what it is keyed on, so that "no hidden state" stays true: :meth:`ProcessCache.clear` forgets it all,
and nothing here can change a result (a key holds every input the kept value depends on).

months   a month as read (:class:`tekun_helpers.month.MonthData`), keyed on the month, the data
         folder and the (path, size, modification time) of every file read, the reference data
         included: a file changed since is read again. Copies are handed out (see month.py).
traces   a month's trace (what later months read of it: MonthData.trace), keyed as ``months``.
facts    what a briefing computes from a whole month, the same for the banner and every township
         (statistics, rules, capacity, schedule, staffing, compliance, the follow-up register), keyed
         on the months' keys above (the report month's and the earlier months'), so it is found only
         for the very files it was computed from (see report/briefing.py).
seeds    the batch's seed files (a pickle of ``months`` and ``facts`` made by the batch before its
         workers start) this process has taken already (see publish/warm.py).
warm     whether the modules, font and templates every report uses are loaded (publish/warm.py).

Besides these, what a month's files say is also kept on disk between processes (core/store.py), under keys
of the files' content and the code; this cache is the process's fast copy of it.

A batch hands its months and facts to its workers with :meth:`ProcessCache.snapshot` and
:meth:`ProcessCache.take`; the keys travel with them, so a worker never uses a value for files that
changed after the batch read them. A single report (``tekun report`` of one briefing) needs no hand-over:
its one worker is forked after the month is read and its facts computed, and has this cache as it was.
``tekun export`` reads the month and computes its facts through this cache too, once, in its one process.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any


class Recent:
    """A dictionary that keeps its ``size`` most recently used entries."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()

    def __contains__(self, key) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key, default=None):
        if key not in self._items:
            return default
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key, value) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def setdefault(self, key, factory):
        """The value of ``key``, made with ``factory()`` and kept when there is none."""
        if key not in self._items:
            self.put(key, factory())
        return self.get(key)

    def items(self) -> dict:
        return dict(self._items)

    def take(self, items: dict) -> None:
        """Keep the entries of ``items`` that are not here yet (already kept ones are newer or the same)."""
        for key, value in items.items():
            if key not in self._items:
                self.put(key, value)

    def clear(self) -> None:
        self._items.clear()


@dataclass
class ProcessCache:
    """See the module docstring for each part and its key."""

    months: Recent = field(default_factory=lambda: Recent(24))
    traces: Recent = field(default_factory=lambda: Recent(240))
    facts: Recent = field(default_factory=lambda: Recent(4))
    seeds: set[str] = field(default_factory=set)
    warm: bool = False

    def snapshot(self) -> dict:
        """The months and facts kept, for a batch to hand to its workers (pickled)."""
        return {"months": self.months.items(), "traces": self.traces.items(), "facts": self.facts.items()}

    def kept_keys(self) -> set:
        """The keys of the months and traces kept (a batch's workers forked now have them)."""
        return set(self.months.items()) | set(self.traces.items())

    def take(self, snapshot: dict) -> None:
        """Keep the months and facts of another process's :meth:`snapshot`."""
        self.months.take(snapshot.get("months", {}))
        self.traces.take(snapshot.get("traces", {}))
        self.facts.take(snapshot.get("facts", {}))

    def clear(self) -> None:
        """Forget everything kept (the next report reads and computes anew)."""
        self.months.clear()
        self.traces.clear()
        self.facts.clear()
        self.seeds.clear()


#: this process's cache: the only state the package keeps between calls
CACHE = ProcessCache()


def give_back_memory(generation: int = 2) -> None:
    """Collect garbage (up to ``generation``: 2 is a full collection, about 0.3 s for a process holding a
    month; 1 only the young objects, a few milliseconds) and hand the memory freed back to the system
    (glibc's ``malloc_trim``; elsewhere only the collection). After a report a batch worker still held the
    freed pages of its tables and notebook, so that two workers and the batch process of a county ten times
    the bundled one grew past a gigabyte."""
    import ctypes
    import gc

    gc.collect(generation)
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
