"""Month 12 against month 1 of a year: one banner briefing (`tekun report`, HTML and PDF), made as a bureau makes
it each month (issue 31: "month 12's banner report takes at most 1.3 times month 1's, in the same run").

    .venv/bin/python benchmarks/history_benchmark.py                  # the bundled year: 2023-08 against 2024-07
    .venv/bin/python benchmarks/history_benchmark.py --repeat 5       # five runs of each (default 3)
    .venv/bin/python benchmarks/history_benchmark.py --data-dir D --first 2023-08 --last 2024-07

Each month is reported as the month it is: its own files are new (nothing of it in the month store,
outputs/.cache), and the store holds what the months before it left, i.e. the report of the month before was
made (for the first month the store is empty). So every run starts from its own copy of such a store: made once
beforehand by `tekun report --month <the month before> --format html`, copied afresh into an empty folder before
each run (the copy is timed with the run: it is part of month 12's side only, a few hundredths of a second).
The two months run in turn (first, last, first, last ...) after one warm-up run of each, so that both meet the
same machine; the medians are compared. CPU is the command's and every process it waited for (its workers, the
browser and Playwright's driver; resource.getrusage(RUSAGE_CHILDREN)).

Prints Markdown: each month's median wall and CPU seconds (and each run), the ratios, and whether the goal is met,
with the load average at the start and the end (timings on a busy machine vary by 15-25 % from minute to minute).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_benchmark import ROOT, load_average  # noqa: E402

sys.path.insert(0, str(ROOT))

from tekun_helpers.core.months import previous_month  # noqa: E402

GOAL = 1.3


def tekun() -> str:
    return str(Path(sys.executable).parent / "tekun")


def make_store(month: str, data: Path | None, store: Path, work: Path) -> None:
    """The store as the month before ``month``'s report leaves it (empty when there is no month before)."""
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)
    before = previous_month(month)
    folder = (data or ROOT / "data") / before
    if not folder.is_dir():
        return
    args = [tekun(), "report", "--month", before, "--format", "html", "--out", str(work / "before")]
    if data is not None:
        args += ["--data-dir", str(data)]
    subprocess.run(args, cwd=ROOT, env={**os.environ, "TEKUN_CACHE_DIR": str(store)}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def run_once(month: str, data: Path | None, store: Path, work: Path) -> tuple[float, float]:
    """One report of ``month`` from a fresh copy of its store: (wall seconds, CPU seconds)."""
    live, out = work / "live-store", work / "out"
    for p in (live, out):
        shutil.rmtree(p, ignore_errors=True)
    args = [tekun(), "report", "--month", month, "--out", str(out)]
    if data is not None:
        args += ["--data-dir", str(data)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    shutil.copytree(store, live)
    proc = subprocess.run(args, cwd=ROOT, env={**os.environ, "TEKUN_CACHE_DIR": str(live)},
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"tekun report --month {month} 失败（{proc.returncode}）：\n{proc.stdout[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="第 12 个月与第 1 个月的全旗简报（HTML 与 PDF）耗时之比（issue 31）")
    ap.add_argument("--data-dir", default=None, help="数据文件夹（默认项目的 data/，随附的一年）")
    ap.add_argument("--first", default="2023-08", help="第一个月（默认 2023-08）")
    ap.add_argument("--last", default="2024-07", help="最后一个月（默认 2024-07）")
    ap.add_argument("--repeat", type=int, default=3, metavar="N", help="每个月轮流各测 N 次，取中位数（默认 3）")
    a = ap.parse_args(argv)
    data = Path(a.data_dir).resolve() if a.data_dir else None
    months = (a.first, a.last)
    start_load = load_average()
    with tempfile.TemporaryDirectory(prefix="tekun-history-bench-") as tmp:
        work = Path(tmp)
        stores = {m: work / f"store-{m}" for m in months}
        for m in months:
            make_store(m, data, stores[m], work)
        runs: dict[str, list[tuple[float, float]]] = {m: [] for m in months}
        for i in range(a.repeat + 1):                 # round 0: the warm-up (the system's file cache), not counted
            for m in months:
                got = run_once(m, data, stores[m], work)
                if i:
                    runs[m].append(got)
    end_load = load_average()
    med = {m: (statistics.median(w for w, _ in runs[m]), statistics.median(c for _, c in runs[m])) for m in months}
    first, last = months
    wall_ratio, cpu_ratio = med[last][0] / med[first][0], med[last][1] / med[first][1]
    print(f"全旗简报（HTML 与 PDF），{last} 对 {first}，各 {a.repeat} 次轮流测量，开始时平均负载 {start_load}，"
          f"结束时 {end_load}：\n")
    print("| 月份 | 耗时（中位数） | CPU（中位数） | 各次耗时 |")
    print("|---|---|---|---|")
    for m in months:
        each = "、".join(f"{w:.2f}" for w, _ in runs[m])
        print(f"| {m} | {med[m][0]:.2f} 秒 | {med[m][1]:.2f} 秒 | {each} 秒 |")
    met = "达到" if wall_ratio <= GOAL else "未达到"
    print(f"\n{last}/{first}：耗时 {wall_ratio:.2f}、CPU {cpu_ratio:.2f}（目标耗时不超过 {GOAL}，{met}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
