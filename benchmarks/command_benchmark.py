"""Every tekun command, timed side by side in one run: a county and one N times larger, the first and the last
month of a made-up year (issue 36).

    .venv/bin/python benchmarks/command_benchmark.py            # 1x and 10x county, months 1 and 12 (long: the 10x
                                                                # county's year is made first, then every command)
    .venv/bin/python benchmarks/command_benchmark.py --quick    # 1x and 3x county, months 1 and 3
    .venv/bin/python benchmarks/command_benchmark.py --quick --scale 10   # 1x and 10x county, months 1 and 3

The counties are made by the sample generator, as an analyst would make one (``tekun sample``): the bundled
reference data (18 townships, 14 homes), a made-up first month (sample/start.py: 附件1 and 附件2 from the
reference data, then 附件3, ledgers, rosters and money ledger) and then the month story, two months at a time,
each step started from the month before (sample/story.py makes the two months after a folder's first month).
The larger county has ``--scale`` times the people per township and beds per home (sample/start.py's START).
The counties are kept in ``--work`` and reused by the next run with the same shape.

Each command runs as the analyst runs it, a fresh ``tekun`` process writing to an empty folder, with the month
store (``TEKUN_CACHE_DIR``, kept with the county in ``--work``) as a bureau's would be when the month's files arrive:
before the last month's commands the report of the month before it is made, untimed (:func:`monthly_use`), and each
command starts from its own copy of that store (none finds what the command before it kept of the month). The
commands: validate,
report (banner, HTML and PDF), report --scope all, export, feedback, batch --scope all --force. The peer is the
plain loop (one papermill and one nbconvert process per report, HTML only) for the banner and ``--plain-limit``
townships of the small county's first month, scaled to all reports, against ``batch --format html``.
It prints Markdown: the times and the peak memory of each command's whole process tree (the command, its
workers, kernels, helpers and browsers: the largest sum of their PSS, sampled five times a second) with its
largest process (RSS), then the issue's goals as ratios. Timings on a shared
machine vary by 15-25 % from minute to minute; the load average at the start and end is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = "2023-08"
COMMANDS = ("validate", "report", "report all", "export", "feedback", "batch")
#: measured in the year's second month too: its reports hold all that month 12's do (the trend chart of each
#: briefing, the comparison with the month before, last month's problems followed up), month 1's do not
SECOND_COMMANDS = ("report all", "batch")


def bin_path(name: str) -> str:
    return str(Path(sys.executable).parent / name)


# --------------------------------------------------------------------------- counties

def county_folder(work: Path, scale: int, months: int) -> Path:
    return work / f"county-{scale}x-{months}m" / "data"


def make_county(data: Path, scale: int, months: int) -> None:
    """Write the county (reference/ and ``months`` months from FIRST) into ``data``: run in a process of its
    own (it changes the sample generator's START for the larger county)."""
    from tekun_helpers.cli import main as tekun
    from tekun_helpers.core.months import month_range, next_month
    from tekun_helpers.sample import start
    from tekun_helpers.sample.story import story_months

    for key in ("dispersed", "beds"):
        lo, hi = start.START[key]
        start.START[key] = (lo * scale, hi * scale)
    wanted = month_range(FIRST, _nth_month(FIRST, months - 1))
    shutil.rmtree(data.parent, ignore_errors=True)
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    _sample(tekun, FIRST, data)
    base = FIRST
    while base != wanted[-1]:
        step = data.parent / "step"          # a folder whose first month is ``base``: the story's next two
        shutil.rmtree(step, ignore_errors=True)
        shutil.copytree(data / "reference", step / "reference")
        shutil.copytree(data / base, step / base)
        for m in story_months(base):
            if m in wanted:
                _sample(tekun, m, step)
                shutil.copytree(step / m, data / m)
                base = m
        shutil.rmtree(step, ignore_errors=True)
    assert next_month(base) not in wanted
    (data.parent / "made.json").write_text(json.dumps({"scale": scale, "months": wanted}), encoding="utf-8")


def _sample(tekun, month: str, data: Path) -> None:
    status = tekun(["sample", "--month", month, "--kind", "all", "--data-dir", str(data)])
    if status:
        raise SystemExit(f"tekun sample --month {month} failed ({status})")


def _nth_month(month: str, n: int) -> str:
    from tekun_helpers.core.months import next_month

    for _ in range(n):
        month = next_month(month)
    return month


def county(work: Path, scale: int, months: int) -> tuple[Path, list[str]]:
    """The county's data folder and its months, made (in a child process) unless kept from an earlier run."""
    data = county_folder(work, scale, months)
    made = data.parent / "made.json"
    if not made.is_file():
        t = time.monotonic()
        subprocess.run([sys.executable, __file__, "--_make", str(data), str(scale), str(months)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"<!-- made the {scale}x county's {months} months in {time.monotonic() - t:.0f} s -->", flush=True)
    return data, json.loads(made.read_text(encoding="utf-8"))["months"]


# --------------------------------------------------------------------------- timing

def _tree(pid: int) -> list:
    """The process ``pid`` and all its descendants (psutil processes; those gone meanwhile left out)."""
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _pss_kb(pid: int) -> int:
    """The process's proportional set size in kB (its private pages and its share of the pages it shares with
    forked siblings), from /proc/PID/smaps_rollup; 0 where that cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def process_kind(proc, root: int) -> str:
    """What a process of a batch's tree is, for the breakdown: the command, a worker (a Python process forked
    from it), a browser process (Chromium's renderer, GPU, zygote, utility or the browser itself), Playwright's
    node driver, or another helper."""
    import psutil

    try:
        cmd = proc.cmdline()
    except psutil.Error:
        return "?"
    line = " ".join(cmd)
    if proc.pid == root:
        return "command"
    if "run-driver" in line:
        return "playwright driver"
    if "chrom" in line.lower() or "headless_shell" in line:
        kind = next((a.split("=", 1)[1] for a in cmd if a.startswith("--type=")), "browser")
        return f"chromium {kind}"
    if "python" in line or "tekun" in line:
        return "python (worker or helper)"
    return cmd[0] if cmd else "?"


class TreeMemory:
    """The memory of a command's whole process tree (the command, its workers, kernels, helpers and browsers),
    sampled every ``every`` seconds in a thread while it runs: the largest sum of RSS (pages shared by forked
    processes counted in each), the largest sum of PSS (each shared page split among its sharers: what the
    tree really holds) and the largest single process's RSS, in MB. ``at_peak``: each process's kind
    (:func:`process_kind`), pid and PSS in MB in the sample of the largest sum of PSS."""

    def __init__(self, pid: int, every: float = 0.2):
        import threading

        self.pid, self.every = pid, every
        self.rss = self.pss = self.largest = 0.0
        self.at_peak: list[tuple[str, int, float]] = []
        self.peak_at = 0.0
        self._t0 = time.monotonic()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        kinds: dict[int, str] = {}
        while not self._done.is_set():
            rss = pss = 0
            rows = []
            for proc in _tree(self.pid):
                try:
                    r = proc.memory_info().rss
                except psutil.Error:
                    continue
                p = _pss_kb(proc.pid) * 1024
                rss += r
                pss += p
                self.largest = max(self.largest, r / 2**20)
                if kinds.get(proc.pid, "python").startswith("python"):    # a fork may exec later (the driver)
                    kinds[proc.pid] = process_kind(proc, self.pid)
                rows.append((kinds[proc.pid], proc.pid, p / 2**20))
            if pss / 2**20 > self.pss:
                self.at_peak, self.peak_at = sorted(rows, key=lambda r: -r[2]), time.monotonic() - self._t0
            self.rss, self.pss = max(self.rss, rss / 2**20), max(self.pss, pss / 2**20)
            self._done.wait(self.every)

    def stop(self) -> "TreeMemory":
        self._done.set()
        self._thread.join()
        return self


def timed(args: list[str], out: Path, store: Path | None = None) -> tuple[float, float, float]:
    """Run ``args`` (its output to a fresh ``out``); wall seconds and the peak memory of its process tree in MB:
    the largest sum of PSS over the tree (:class:`TreeMemory`; the browsers included) and the largest single
    process's RSS. ``store``: the month store the command starts from, copied afresh (not timed) beside ``out``,
    so that no command finds what the one before it kept."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = None
    if store is not None:
        live = out.parent / "live-store"
        shutil.rmtree(live, ignore_errors=True)
        shutil.copytree(store, live) if store.is_dir() else live.mkdir(parents=True)
        env = {**os.environ, "TEKUN_CACHE_DIR": str(live)}
    t = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    mem = TreeMemory(proc.pid)
    output, _ = proc.communicate()
    wall = time.monotonic() - t
    mem.stop()
    if proc.returncode not in (0, 1):    # 1: the data have errors (validate) — still a timed run
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{output[-2000:]}")
    return wall, mem.pss, mem.largest


def tree_breakdown(args: list[str]) -> int:
    """Run ``args`` once (its output discarded); print its wall time, the peak of its tree's PSS sum and each
    process's PSS at that peak, by kind (:func:`process_kind`)."""
    print(f"<!-- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {load()} -->", flush=True)
    t = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    mem = TreeMemory(proc.pid)
    _, err = proc.communicate()
    wall = time.monotonic() - t
    mem.stop()
    print(f"exit {proc.returncode}, {wall:.1f} s, peak PSS sum {mem.pss:.0f} MB at {mem.peak_at:.1f} s "
          f"(largest process RSS {mem.largest:.0f} MB), load {load()} at the end")
    for kind, pid, pss in mem.at_peak:
        print(f"  {pss:7.1f} MB  {kind:28s} {pid}")
    if proc.returncode:
        print(err[-2000:])
    return proc.returncode


def command_line(command: str, month: str, data: Path, out: Path) -> list[str]:
    tekun = bin_path("tekun")
    common = ["--data-dir", str(data)]
    return {
        "validate": [tekun, "validate", "--month", month, *common],
        "report": [tekun, "report", "--month", month, *common, "--out", str(out)],
        "report all": [tekun, "report", "--month", month, "--scope", "all", *common, "--out", str(out)],
        "export": [tekun, "export", "--month", month, *common, "--out", str(out)],
        "feedback": [tekun, "feedback", "--month", month, *common, "--out", str(out)],
        "batch": [tekun, "batch", "--months", month, "--scope", "all", "--force", "--no-progress", *common,
                  "--out", str(out)],
        "batch html": [tekun, "batch", "--months", month, "--scope", "all", "--force", "--no-progress",
                       "--format", "html", *common, "--out", str(out)],
    }[command]


def plain_loop(data: Path, month: str, limit: int, work: Path) -> tuple[float, int]:
    """Seconds per report of the plain papermill + nbconvert loop (HTML), from the banner and ``limit`` townships;
    and how many reports the month has."""
    from tekun_helpers.config.reference import load_reference

    towns = load_reference(data).township_names
    todo = [None, *towns[:limit]]
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    t = time.monotonic()
    for i, town in enumerate(todo):
        nb = ROOT / "notebooks" / ("monthly_briefing.ipynb" if town is None else "township_briefing.ipynb")
        out = work / f"{i}.ipynb"
        params = ["-p", "month", month, "-p", "data_dir", str(data)] + (["-p", "township", town] if town else [])
        subprocess.run([bin_path("papermill"), str(nb), str(out), *params], check=True, capture_output=True,
                       cwd=ROOT / "notebooks")
        subprocess.run([bin_path("jupyter"), "nbconvert", "--to", "tekun", str(out)], check=True, capture_output=True)
    return (time.monotonic() - t) / len(todo), 1 + len(towns)


def monthly_use(data: Path, months: list[str], month: str, work: Path, store: Path) -> None:
    """Before ``month``'s commands: the report of the month before it made (not timed), as a bureau makes it every
    month, so that the month store holds what the earlier months left (their facts read once, the follow-up
    register folded up to there) and ``month``'s commands read only ``month``'s own files anew. The first time
    for a county this reads every earlier month (long for the large county's year); kept for the next run."""
    i = months.index(month)
    if i == 0:
        return
    t = time.monotonic()
    subprocess.run([bin_path("tekun"), "report", "--month", months[i - 1], "--format", "html", "--data-dir", str(data),
                    "--out", str(work / "monthly-use")], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.STDOUT, env={**os.environ, "TEKUN_CACHE_DIR": str(store)})
    print(f"<!-- {data.parent.name}: report of {months[i - 1]} made first (not timed), {time.monotonic() - t:.0f} s -->",
          flush=True)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --------------------------------------------------------------------------- the table

def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "—"


def print_tables(times: dict, scales: tuple[int, int], months: dict, plain: tuple[float, int] | None) -> None:
    small, large = scales
    cols = [(s, m) for s in scales for m in (months[s][0], months[s][-1])]
    one, last = 0, -1
    print("| 命令 | " + " | ".join(f"{s}x {m}" for s, m in cols) + f" | 第{len(months[small])}月/第1月（{small}x） | "
          f"第{len(months[large])}月/第1月（{large}x） | {large}x/{small}x（第1月） | {large}x/{small}x（末月） |")
    print("|---" * (len(cols) + 5) + "|")
    for c in COMMANDS:
        cells = [f"{times[(c, s, m)][0]:.1f} 秒，{times[(c, s, m)][1]:.0f} MB（最大进程 {times[(c, s, m)][2]:.0f} MB）"
                 for s, m in cols]
        t = {k: times[(c, *k)][0] for k in cols}
        m1s, mns, m1l, mnl = (months[small][one], months[small][last], months[large][one], months[large][last])
        print(f"| {c} | " + " | ".join(cells) + f" | {ratio(t[(small, mns)], t[(small, m1s)])} | "
              f"{ratio(t[(large, mnl)], t[(large, m1l)])} | {ratio(t[(large, m1l)], t[(small, m1s)])} | "
              f"{ratio(t[(large, mnl)], t[(small, mns)])} |")
    print()
    print("| 目标（issue 36） | 实测 | 达到 |")
    print("|---|---|---|")
    for s, m in cols:
        b = times[("batch", s, m)][0]
        for c, goal in (("report all", 1.2), ("report", 0.5)):
            r = times[(c, s, m)][0] / b
            print(f"| {s}x {m}：`{c}` ≤ {goal}× batch | {r:.2f} | {'是' if r <= goal else '否'} |")
    for c in COMMANDS:
        for s in scales:
            r = times[(c, s, months[s][last])][0] / times[(c, s, months[s][one])][0]
            print(f"| {s}x：`{c}` 第{len(months[s])}月 ≤ 1.3× 第1月 | {r:.2f} | {'是' if r <= 1.3 else '否'} |")
        for s in scales:
            second = months[s][1] if len(months[s]) > 2 else None
            if (c, s, second) in times:
                t2 = times[(c, s, second)][0]
                r = times[(c, s, months[s][last])][0] / t2
                print(f"| {s}x：`{c}` 第{len(months[s])}月 ≤ 1.3× 第2月（{t2:.1f} 秒；两个月的简报都有逐月走势图、"
                      f"与上月比较和上月问题落实，第1月没有） | {r:.2f} | {'是' if r <= 1.3 else '否'} |")
        for i in (one, last):
            r = times[(c, large, months[large][i])][0] / times[(c, small, months[small][i])][0]
            goal = large / small
            print(f"| `{c}` {large}x ≤ {goal:g}× {small}x（{'第1月' if i == one else '末月'}） | {r:.2f} | "
                  f"{'是' if r <= goal else '否'} |")
    for m in (months[large][one], months[large][last]):
        w, pss, _ = times[("batch", large, m)]
        print(f"| {large}x {m}：`batch --scope all` < 5 分钟 | {w:.0f} 秒 | {'是' if w < 300 else '否'} |")
        print(f"| {large}x {m}：`batch --scope all` 整个进程树 < 1 GB | {pss:.0f} MB | {'是' if pss < 1024 else '否'} |")
    if plain is not None:
        per, n = plain
        m = months[small][one]
        for c, goal in (("batch html", 15), ("batch", 10)):
            r = per * n / times[(c, small, m)][0]
            print(f"| {small}x {m}：`{c}` ≥ {goal}× 逐份 papermill + nbconvert（每份 {per:.2f} 秒，{n} 份） | "
                  f"{r:.1f} 倍 | {'是' if r >= goal else '否'} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="tekun 各命令的耗时：两种规模的县、一年的第一个月和最后一个月，同一次运行中并排测量")
    ap.add_argument("--quick", action="store_true", help="快速：第 1 和第 3 个月，大县默认 3 倍")
    ap.add_argument("--scale", type=int, default=None, help="大县是小县的几倍（默认 10，--quick 时 3）")
    ap.add_argument("--months", type=int, default=None, help="一年有几个月（默认 12，--quick 时 3；最少 2）")
    ap.add_argument("--plain-limit", type=int, default=2, metavar="N",
                    help="逐份方式只跑全旗和 N 个乡镇，按比例推算（默认 2；0 表示不跑）")
    ap.add_argument("--work", default="/tmp/tekun-command-benchmark", help="县的数据和输出放在这里（保留以便下次复用）")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="每个县、每个月的各条命令轮流做 N 遍，取每条命令的中位数（共用的机器上一分钟之内可差 15–25%%）")
    ap.add_argument("--tree", nargs=argparse.REMAINDER, default=None, metavar="命令",
                    help="只运行这一条命令（放在最后），打印耗时和进程树 PSS 之和的峰值，以及峰值时每个进程的种类和 PSS")
    ap.add_argument("--_make", nargs=3, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a._make:
        make_county(Path(a._make[0]), int(a._make[1]), int(a._make[2]))
        return 0
    if a.tree:
        return tree_breakdown(a.tree)
    scale = a.scale or (3 if a.quick else 10)
    n = max(2, a.months or (3 if a.quick else 12))
    work = Path(a.work)
    print(f"<!-- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPU, "
          f"load {load()} at the start -->", flush=True)
    scales = (1, scale)
    months, times = {}, {}
    for s in scales:
        data, months[s] = county(work, s, n)
        # the county's month store (outputs/.cache) of the benchmark's own, kept with the county: as a bureau's, it
        # holds what each month's report left (monthly_use); every command starts from a copy of it (timed)
        store = data.parent / "store"
        for m in (months[s][0], *months[s][1:2] * (n > 2), months[s][-1]):
            monthly_use(data, months[s], m, work, store)
            # month 1 is the county's first: its commands start from an empty store (the store kept from an
            # earlier run of the benchmark holds month 1 itself, and made it look cheaper than it is)
            start = store if m != months[s][0] else data.parent / "no-store"
            todo = COMMANDS + (("batch html",) if s == 1 and m == months[s][0] else ())
            if n > 2 and m == months[s][1]:
                todo = SECOND_COMMANDS
            runs = {c: [] for c in todo}
            for _ in range(max(1, a.repeat)):       # in rounds: a slow minute of the machine hits every command
                for c in todo:
                    runs[c].append(timed(command_line(c, m, data, work / "out"), work / "out", start))
                    print(f"<!-- {s}x {m} {c}: {runs[c][-1][0]:.1f} s -->", flush=True)
            for c in todo:
                times[(c, s, m)] = (statistics.median(w for w, _, _ in runs[c]), max(r[1] for r in runs[c]),
                                    max(r[2] for r in runs[c]))
    plain = None
    if a.plain_limit:
        plain = plain_loop(county_folder(work, 1, n), months[1][0], a.plain_limit, work / "plain")
    print(f"<!-- load {load()} at the end -->\n")
    print_tables(times, scales, months, plain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
