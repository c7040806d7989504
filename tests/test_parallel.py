"""Reading a month's files on every core (core.parallel.map_forked): the same results, in the same order."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from builders import ROOT
from tekun_helpers.core import parallel


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def _fails(x: int) -> int:
    if x in (3, 6):
        raise ValueError(f"第 {x} 项出错")
    return x


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle")


def _fails_oddly(x: int) -> int:
    if x == 5:
        raise Unpicklable("怪")
    return x


ORDER = """
import os, time
from tekun_helpers.core import parallel
parallel.cores = lambda: 2
def pid_and_square(x):
    time.sleep(0.05)          # long enough for both processes to take items
    return os.getpid(), x * x
out = parallel.map_forked(pid_and_square, range(20))
print([sq for _, sq in out] == [x * x for x in range(20)], os.getpid() in {pid for pid, _ in out},
      len({pid for pid, _ in out}))
"""


def test_results_come_in_order_from_other_processes():
    """In a process of its own (this one may run other threads by now, and then works in place)."""
    proc = subprocess.run([sys.executable, "-c", ORDER], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["True", "False", "2"]


def test_an_error_is_raised_here_as_the_loop_would(monkeypatch):
    """The first failing item's exception (items 3 and 6 fail, in different helpers), as the plain loop would
    raise it; one that cannot travel back comes as ForkedError with its traceback."""
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    with pytest.raises(ValueError, match="第 3 项出错"):
        parallel.map_forked(_fails, range(10))
    with pytest.raises((parallel.ForkedError, Unpicklable), match="Unpicklable|怪"):
        parallel.map_forked(_fails_oddly, range(10))


def test_few_items_one_core_or_a_second_thread_run_in_place(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert {pid for pid, _ in parallel.map_forked(_pid_and_square, range(3), at_least=4)} == {os.getpid()}
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert {pid for pid, _ in parallel.map_forked(_pid_and_square, range(20))} == {os.getpid()}
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        assert {pid for pid, _ in parallel.map_forked(_pid_and_square, range(20))} == {os.getpid()}
    finally:
        stop.set()
        other.join()


COMPARE = """
import sys
from tekun_helpers import month as M
from tekun_helpers.core import parallel
parallel.cores = lambda: 2
assert parallel.can_fork()
def facts(m):
    return ([(i.severity, i.file, i.sheet, i.row, i.column, i.value, i.message, i.code) for i in m.issues],
            [(s.name, s.sha256, s.sample, [(sh.name, sh.rows) for sh in s.sheets]) for s in m.sources],
            {k: getattr(m, k).to_dict("split") for k in ("townships", "homes", "assessments")})
for month in sys.argv[1:]:
    side_by_side = M.load_month(month)
    M.PARALLEL_FILES, before = 10 ** 6, M.PARALLEL_FILES
    serial = M.load_month(month)
    M.PARALLEL_FILES = before
    assert len(serial.sources) >= before, len(serial.sources)
    assert facts(side_by_side) == facts(serial), month
    print(month, len(serial.sources), len(serial.issues))
"""


def test_a_month_read_on_every_core_is_the_month_read_file_by_file():
    """The bundled months (27 files and more; 2023-09 and 2023-10 with issues): the same issues in the same
    order, the same files and the same tables. In a process of its own: it must run only its main thread."""
    proc = subprocess.run([sys.executable, "-c", COMPARE, "2023-08", "2023-09", "2023-10"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.split("\n")
    assert [line.split()[0] for line in lines if line] == ["2023-08", "2023-09", "2023-10"]
    assert sum(int(line.split()[2]) for line in lines if line) > 0       # issues were compared, not none


MEANWHILE = """
import os, time
import psutil
from tekun_helpers.core import parallel
parallel.cores = lambda: 2
seen = []
def slow(x):
    time.sleep(0.3)
    return x
def note():
    seen.append((os.getpid(), len(psutil.Process().children())))
with parallel.meanwhile(note):
    out = parallel.map_forked(slow, range(4))
    first = list(seen)
print(out == [0, 1, 2, 3], len(seen), seen[0][0] == os.getpid(), seen[0][1], first == seen)
seen.clear()
with parallel.meanwhile(note):
    parallel.map_forked(slow, range(1))
    inside = len(seen)
print(inside, len(seen))
seen.clear()
try:
    with parallel.meanwhile(note):
        raise KeyError
except KeyError:
    pass
print(len(seen))
seen.clear()
with parallel.meanwhile(note, at_exit=False) as left:    # not called: left to the caller
    parallel.map_forked(slow, range(1))
print(len(seen), left == [note])
with parallel.meanwhile(note, at_exit=False) as left:    # called by the helpers' map_forked: nothing left
    parallel.map_forked(slow, range(4))
print(len(seen), left == [])
"""


def test_meanwhile_runs_here_while_the_helpers_work_or_after_the_items_were_worked_here():
    """parallel.meanwhile: the first map_forked that forks calls the function once, in this process, while its
    two helpers run (the batch imports its workers' modules while a month's files are read); where the items
    were worked on here it is called on leaving the block, and not at all when the block raised; with
    at_exit=False it is left to the caller (the block's list still holds it) instead."""
    proc = subprocess.run([sys.executable, "-c", MEANWHILE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split("\n")[:5] == ["True 1 True 2 True", "0 1", "0", "0 True", "1 True"]


FORKED = """
import os
from tekun_helpers.core import parallel
from tekun_helpers import month as M
here = os.getpid()
print(parallel.forked(os.getpid) != here)
try:
    parallel.forked(lambda: 1 / 0)
except ZeroDivisionError:
    print("raised")
seen = []
def inner():
    return parallel.map_forked(lambda x: x * 2, range(4))
with parallel.meanwhile(lambda: seen.append(os.getpid())):
    out = parallel.forked(inner)
print(out, seen == [here])
calls = []
real = M.load_month
M.load_month = lambda *a, **k: calls.append(os.getpid()) or real(*a, **k)
lean = M.cached_month("2023-08", None, lean=True)
print(lean.lean, len(lean.townships), calls)
whole = M.cached_month("2023-08", None)
print(whole.lean, any(s.sheets for s in whole.sources), calls)
"""


def test_forked_work_returns_here_and_a_lean_month_is_read_apart(tmp_path):
    """parallel.forked runs in a helper of its own (its result and its exception come back here; the helper's
    own map_forked does not call this process's meanwhile, which runs here once); a month read lean
    (cached_month) is read whole in such a helper: load_month never runs in this process, the month it keeps has
    no cells, and the whole month the helper put in the disk store is what a caller of the cells then gets."""
    env = {**os.environ, "TEKUN_CACHE_DIR": str(tmp_path / "store")}
    proc = subprocess.run([sys.executable, "-c", FORKED], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split("\n")[:5] == ["True", "raised", "[0, 2, 4, 6] True", "True 18 []", "False True []"]
