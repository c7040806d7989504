"""Benchmark: render every report of a month by the plain loop, and by `tekun batch`.

The plain loop is what one would do by hand, one report after the other, each step a
new process with a new kernel:

    papermill notebooks/<nb>.ipynb out.ipynb -p month M [-p township T]
    jupyter nbconvert --to html out.ipynb

against

    tekun batch --months M --scope S --format html --force
    tekun batch --months M --scope S --format html,pdf --force

Every command is the project's virtual environment's own (.venv/bin). Outputs go to a
temporary folder (deleted afterwards unless --keep), never to the project's outputs/.
The plain loop makes HTML only (there is no PDF step in it), so the HTML+PDF batch is
compared with the plain HTML loop: a lower bound of what the loop would cost.

    .venv/bin/python benchmarks/render_benchmark.py                 # 2023-08, all reports
    .venv/bin/python benchmarks/render_benchmark.py --limit 3       # plain loop: banner + 3 townships, extrapolated
    .venv/bin/python benchmarks/render_benchmark.py --skip-plain    # only time the batch
    .venv/bin/python benchmarks/render_benchmark.py --stages-only   # only the stage breakdown
    .venv/bin/python benchmarks/render_benchmark.py --repeat 1      # one round instead of three

Prints the machine and its load average, each wall time (time.perf_counter), the time per report and the ratio.
The stage breakdown and the two batches are run in turn, round after round (--repeat, 3 by default), and
their medians compared: on these shared machines the same batch takes 15-25% more or less from one minute
to the next, and a drift slows all three of a round alike. The plain loop runs once (it takes minutes).

The stage breakdown times every step of the batch once, in one warm process (a child process of
this script): load (the month and the months before it, and what the month's briefings share, computed once
for them and the Excel export as the batch does), compute (the notebook's code cell
which builds the Briefing), execute (the rest of papermill's run, in the process's own kernel started
and warmed beforehand, as a batch worker's), HTML (nbconvert and the provenance stamp), PDF (printing in a
browser started beforehand), Excel and index. Every stage runs in that one process: the month's files
are read one after the other, not on every core as `tekun batch` reads them (a stage's wall time on two
cores, divided by the workers again, would count the same parallelism twice; until 2026-12-03 evening
the load stage was timed that way: 2.35 s against 2.74 s one file after the other, 2023-08). The floor
is the sum of the stages divided by the batch's workers: what the batch would take if its work were
split evenly and nothing else ran; the batch's ratio to it says how much it loses to starting processes,
waiting and imbalance.
Each stage's and each batch's CPU time is measured too, over the whole machine (/proc/stat: the
browser's processes included). The CPU floor is the stages' CPU divided by the cores:
the floor above counts a stage by its wall time, and Chromium prints one report on more than one
core, so on a 2-core machine the batch's two printing workers need more than that floor gives them.
Exit status: 0 done, 1 a command failed, 2 `tekun batch` is not available.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BANNER_NB = "monthly_briefing.ipynb"
TOWNSHIP_NB = "township_briefing.ipynb"
SCOPES = ("banner", "townships", "all")


def venv_bin() -> Path:
    """The project's virtual environment's bin folder (else the running Python's)."""
    own = ROOT / ".venv" / "bin"
    return own if own.is_dir() else Path(sys.executable).parent


BIN = venv_bin()


# -- the machine -------------------------------------------------------------------------------

def machine() -> list[str]:
    """Lines describing the machine: CPUs, CPU model, memory, OS, Python."""
    cpu = "未知"
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "未知"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except (OSError, ValueError, IndexError):
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    return [
        f"日期：{time.strftime('%Y-%m-%d %H:%M')}",
        f"CPU 核数（nproc）：{nproc}（系统共 {os.cpu_count()}）",
        f"CPU 型号：{cpu}",
        f"内存：{mem}",
        f"系统：{platform.system()} {platform.release()} · Python {platform.python_version()}",
    ]


# -- the reports ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Report:
    notebook: str
    params: tuple[tuple[str, str], ...]
    township: str | None = None

    @property
    def label(self) -> str:
        return self.township or "全旗"


def township_names() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from tekun_helpers.config.reference import load_reference

    return load_reference().township_names


def reports(month: str, scope: str) -> list[Report]:
    """Every report of the month in ``scope``: the banner briefing first, then one per township."""
    out = []
    if scope in ("banner", "all"):
        out.append(Report(BANNER_NB, (("month", month),)))
    if scope in ("townships", "all"):
        out += [Report(TOWNSHIP_NB, (("month", month), ("township", t)), t) for t in township_names()]
    return out


# -- running -------------------------------------------------------------------------------------

class CommandFailed(Exception):
    pass


def machine_cpu() -> float:
    """CPU seconds the whole machine has spent busy since boot, over all cores (/proc/stat; 0 where there is none).

    The difference over a command is what the command cost in CPU, its children, kernels and browsers
    included (a process's own rusage misses Chromium, which Playwright's driver starts), provided
    nothing else runs: the benchmark prints the load average before and after for that reason.
    """
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)      # idle and iowait
    busy = sum(ticks[:8]) - idle                                # user nice system idle iowait irq softirq steal
    return busy / (os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100)


def run(args: list[str], cwd: Path | None = None) -> float:
    """Run a command, return its wall time in seconds; raise CommandFailed with its output's tail."""
    return run_cpu(args, cwd)[0]


def run_cpu(args: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Run a command; return its wall time and the machine's busy CPU time over it, in seconds."""
    cpu, start = machine_cpu(), time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    elapsed, used = time.perf_counter() - start, machine_cpu() - cpu
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout or "").strip().splitlines()[-15:])
        raise CommandFailed(f"命令失败（退出码 {proc.returncode}）：{' '.join(args)}\n{tail}")
    return elapsed, used


def batch_help() -> str | None:
    """The help text of `tekun batch`, or None when the command is not available."""
    tekun = BIN / "tekun"
    if not tekun.exists():
        return None
    proc = subprocess.run([str(tekun), "batch", "--help"], capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else None


@dataclass
class PlainResult:
    seconds: float          # for every report in scope (measured, or extrapolated)
    measured: float         # the wall time actually measured
    done: int               # reports actually rendered
    papermill: float
    nbconvert: float
    extrapolated: bool


def plain_loop(todo: list[Report], limit: int | None, work: Path) -> PlainResult:
    """papermill then nbconvert, report after report; with ``limit``, only the banner and the first
    ``limit`` township reports are run and the townships' time is extrapolated to all of them."""
    banner = [r for r in todo if r.township is None]
    towns = [r for r in todo if r.township is not None]
    run_towns = towns[:limit] if limit is not None else towns
    t_pm = t_nb = 0.0
    per_kind = {"banner": 0.0, "towns": 0.0}
    start = time.perf_counter()
    for i, rep in enumerate(banner + run_towns):
        out = work / "plain" / f"{i:02d}_{rep.notebook}"
        out.parent.mkdir(parents=True, exist_ok=True)
        args = [str(BIN / "papermill"), str(NOTEBOOKS / rep.notebook), str(out), "--cwd", str(NOTEBOOKS)]
        for k, v in rep.params:
            args += ["-p", k, v]
        a = run(args)
        b = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)])
        t_pm += a
        t_nb += b
        per_kind["banner" if rep.township is None else "towns"] += a + b
        print(f"  {pad(rep.label, 14)} papermill {a:6.1f} 秒 · nbconvert {b:5.1f} 秒", flush=True)
    measured = time.perf_counter() - start
    extrapolated = len(run_towns) < len(towns)
    seconds = measured
    if extrapolated:
        seconds += per_kind["towns"] / len(run_towns) * (len(towns) - len(run_towns))
    return PlainResult(seconds, measured, len(banner) + len(run_towns), t_pm, t_nb, extrapolated)


def tekun_batch(month: str, scope: str, formats: str, work: Path, help_text: str) -> tuple[float, float]:
    """Run `tekun batch`; return its wall time and the machine's CPU time over it."""
    args = [str(BIN / "tekun"), "batch", "--months", month, "--scope", scope, "--format", formats, "--force"]
    # options of the current command line, used when it has them: keep outputs/ untouched, no progress bar
    if "--out" in help_text:
        args += ["--out", str(work / f"batch_{formats.replace(',', '_')}")]
    else:
        print("  注意：tekun batch 没有 --out 选项，输出写入项目的 outputs/。", flush=True)
    if "--no-progress" in help_text:
        args.append("--no-progress")
    return run_cpu(args, cwd=ROOT)


# -- the stages, in one warm process -------------------------------------------------------------

STAGES = (("load", "读取数据"), ("compute", "计算（Briefing）"), ("execute", "执行其余单元"), ("html", "HTML"),
          ("pdf", "PDF"), ("excel", "Excel"), ("index", "目录页"))


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "未知"


def _briefing_seconds(executed: Path) -> float:
    """papermill's recorded duration of the code cell that builds the Briefing (``Briefing(``)."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    for c in nb["cells"]:
        source = "".join(c.get("source", ""))
        if c["cell_type"] == "code" and "Briefing(" in source:
            return float((c.get("metadata", {}).get("papermill", {}) or {}).get("duration") or 0.0)
    return 0.0


def measure_stages(month: str, scope: str, work: Path) -> dict:
    """Every stage of the batch, run once in this process (see the module's docstring); seconds per stage."""
    from tekun_helpers.analysis.trends import history
    from tekun_helpers.core.parallel import cores
    from tekun_helpers.month import load_month
    from tekun_helpers.publish import render
    from tekun_helpers.publish.batch import export_month, share_month
    from tekun_helpers.publish.index import write_index
    from tekun_helpers.publish.kernel import worker_kernel
    from tekun_helpers.publish.reports import check_month_data, page_marks, plan, stamp_inputs
    from tekun_helpers.publish.warm import prepare, warm_up, write_seed

    from tekun_helpers import month as month_module

    month_module.PARALLEL_FILES = sys.maxsize   # one process: a month's files one after the other (see the docstring)
    t = {k: 0.0 for k, _ in STAGES}
    cpu = {k: 0.0 for k, _ in STAGES}       # the machine's CPU over each stage (compute's is in execute's)
    km = worker_kernel()                    # started and warm before any stage is timed, as the browser
    warm_up()
    printer = render.PdfPrinter()
    printer.start()

    def timed(key, a, c):
        t[key] += time.perf_counter() - a
        cpu[key] += machine_cpu() - c

    a, c = time.perf_counter(), machine_cpu()
    data = check_month_data(month)
    history(month)
    seed = work / "months.pickle"
    share_month(month)                      # as the batch computes what the briefings share
    write_seed(seed)                        # and hands the months read and that to its workers
    timed("load", a, c)
    out = work / "stages"
    jobs = plan(month, scope, data.reference)
    try:
        for job in jobs:
            banner = data.policy.banner
            folder = job.folder(out)
            stem = job.stem(banner)
            meta = page_marks(job, data)                    # as the batch's reports have them
            a, c = time.perf_counter(), machine_cpu()
            prepare(str(seed), clear=True)                  # namespace cleared, the months from the seed
            nb = render.execute_notebook(job.notebook, folder / "notebooks" / f"{stem}.ipynb", job.parameters(None),
                                         cwd=job.notebook.parent, km=km)
            timed("execute", a, c)
            first = _briefing_seconds(nb)
            t["compute"] += first
            t["execute"] -= first
            a, c = time.perf_counter(), machine_cpu()
            stamp_inputs(nb, data, job.parameters(None))
            html = render.notebook_to_html(nb, folder / f"{stem}.html", generated_at="2023-09-01 00:00", **meta)
            timed("html", a, c)
            a, c = time.perf_counter(), machine_cpu()
            printer.print_pdf(html, folder / f"{stem}.pdf", generated_at="2023-09-01 00:00", **meta)
            timed("pdf", a, c)
        a, c = time.perf_counter(), machine_cpu()
        export_month(load_month(month, cache=True), out)
        timed("excel", a, c)
        a, c = time.perf_counter(), machine_cpu()
        write_index(out)
        timed("index", a, c)
    finally:
        printer.close()
        km.shutdown_kernel()
    return {"seconds": t, "cpu": cpu, "reports": len(jobs), "workers": cores()}   # as the batch counts them


def stages_in_child(month: str, scope: str, work: Path) -> dict:
    """:func:`measure_stages` in a new process of this script (so nothing of this one is warm)."""
    args = [str(BIN / "python"), str(Path(__file__).resolve()), "--month", month, "--scope", scope,
            "--_stages-json", str(work)]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout or "").strip().splitlines()[-15:])
        raise CommandFailed(f"分阶段计时失败（退出码 {proc.returncode}）：\n{tail}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def batch_workers(st: dict) -> int:
    """The batch's workers: one per core, no more than it has reports."""
    return max(1, min(st["workers"], st["reports"]))


def floor_seconds(st: dict, with_pdf: bool) -> float:
    """The sum of the stages (without PDF for an HTML batch) divided by the batch's workers."""
    return stage_sum(st, "seconds", with_pdf) / batch_workers(st)


def stage_sum(st: dict, measure: str, with_pdf: bool) -> float:
    """The stages' ``measure`` ("seconds" or "cpu") added up, without PDF for an HTML batch."""
    return sum(v for k, v in st[measure].items() if with_pdf or k != "pdf")


def cpu_floor_seconds(st: dict, with_pdf: bool) -> float:
    """The machine's CPU time of the stages (without PDF for an HTML batch) divided by its cores: what the
    batch would take if every core were busy with the stages' work only (Chromium prints on more than one)."""
    cores = max(1, st["workers"])
    return stage_sum(st, "cpu", with_pdf) / cores


def median_stages(runs: list[dict]) -> dict:
    """The stages of several rounds: each stage's median seconds and CPU."""
    from statistics import median

    first = runs[0]
    return {**first, **{m: {k: median(r[m][k] for r in runs) for k in first[m]} for m in ("seconds", "cpu")
                        if m in first}}


def median_run(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall time and the median CPU time of several runs of one command."""
    from statistics import median

    return median(w for w, _ in runs), median(c for _, c in runs)


def spread(runs: list[tuple[float, float]]) -> str:
    """'（3 次：12.1–13.4 秒）' for several runs, '' for one."""
    walls = [w for w, _ in runs]
    return f"（{len(walls)} 次：{min(walls):.1f}–{max(walls):.1f} 秒）" if len(walls) > 1 else ""


def print_stages(st: dict, rounds: str = "") -> None:
    n = st["reports"]
    print(f"分阶段计时（同一个已预热的进程，{n} 份报告，串行{rounds}；右列为同时整机用去的 CPU 时间，含浏览器的进程）：")
    for key, label in STAGES:
        v = st["seconds"][key]
        per = f"，每份 {v / n:.2f} 秒" if key in ("compute", "execute", "html", "pdf") else ""
        used = ("（计入下一行）" if key == "compute" else f"CPU {st['cpu'][key]:6.2f} 秒") if "cpu" in st else ""
        print(f"  {pad(label, 18)} {v:7.2f} 秒{pad(per, 16)}  {used}")
    total = sum(st["seconds"].values())
    workers = batch_workers(st)
    print(f"  {pad('合计', 18)} {total:7.2f} 秒；下限 = 合计 / {workers} 个工作进程："
          f"HTML + PDF {floor_seconds(st, True):.1f} 秒，只要 HTML {floor_seconds(st, False):.1f} 秒")
    if "cpu" in st:
        print(f"  {pad('CPU 合计', 18)} {sum(st['cpu'].values()):7.2f} 秒；CPU 下限 = CPU 合计 / {st['workers']} 个核："
              f"HTML + PDF {cpu_floor_seconds(st, True):.1f} 秒，只要 HTML {cpu_floor_seconds(st, False):.1f} 秒")


def print_batch(label: str, wall_cpu: tuple[float, float], n: int, st: dict | None, with_pdf: bool,
                runs: str = "") -> None:
    wall, used = wall_cpu
    print(f"tekun batch（{label}）：{seconds(wall)}{runs}，每份 {wall / n:.2f} 秒；整机 CPU {used:.1f} 秒")
    if st:
        print(f"与下限之比（{label}）：{wall / floor_seconds(st, with_pdf):.2f}（下限 {floor_seconds(st, with_pdf):.1f} 秒）")
        if "cpu" in st:
            extra = used - stage_sum(st, "cpu", with_pdf)
            print(f"与 CPU 下限之比（{label}）：{wall / cpu_floor_seconds(st, with_pdf):.2f}"
                  f"（CPU 下限 {cpu_floor_seconds(st, with_pdf):.1f} 秒）；比各阶段多用 CPU {extra:.1f} 秒"
                  "（启动工作进程和浏览器，传递数据）")


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(width - used, 0)


def seconds(x: float) -> str:
    return f"{x:,.1f} 秒" if x < 120 else f"{x:,.1f} 秒（{x / 60:.1f} 分钟）"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="耗时对比：逐份 papermill + nbconvert（串行）与 tekun batch 生成某月全部报告。")
    ap.add_argument("--month", default="2023-08", help="月份 YYYY-MM（默认 2023-08）")
    ap.add_argument("--scope", default="all", choices=SCOPES, help="范围：banner 全旗、townships 各乡镇、all 全部（默认）")
    ap.add_argument("--skip-plain", action="store_true", help="不跑逐份方式，只测 tekun batch")
    ap.add_argument("--limit", type=int, default=None, metavar="N",
                    help="逐份方式只跑全旗报告和前 N 份乡镇报告，其余按已测乡镇报告的平均耗时推算")
    ap.add_argument("--keep", action="store_true", help="保留输出的临时文件夹（默认删除）")
    ap.add_argument("--stages-only", action="store_true", help="只做分阶段计时，不跑逐份方式和 tekun batch")
    ap.add_argument("--skip-stages", action="store_true", help="不做分阶段计时")
    ap.add_argument("--repeat", type=int, default=3, metavar="N",
                    help="分阶段计时和两种 tekun batch 轮流各做 N 次，比较中位数（默认 3）")
    ap.add_argument("--_stages-json", dest="stages_json", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stages_json:
        print(json.dumps(measure_stages(args.month, args.scope, Path(args.stages_json))))
        return 0
    if args.repeat < 1:
        ap.error("--repeat 至少为 1")
    if args.limit is not None and args.limit < 1:
        ap.error("--limit 至少为 1（需要实测至少一份乡镇报告才能推算）")

    print("机器")
    for line in machine():
        print(f"  {line}")
    print(f"命令目录：{BIN}")
    print(f"开始时的平均负载（/proc/loadavg，1/5/15 分钟）：{load_average()}")

    help_text = batch_help()
    if help_text is None:
        print(f"\n找不到 tekun batch 命令（{BIN / 'tekun'} 不存在，或不支持 batch 子命令）。\n"
              f"请先在虚拟环境中安装本项目（pip install -e .），并确认 `tekun batch --help` 可以运行。",
              file=sys.stderr)
        return 2

    todo = reports(args.month, args.scope)
    n = len(todo)
    n_towns = sum(r.township is not None for r in todo)
    print(f"\n月份 {args.month}，范围 {args.scope}：报告 {n} 份"
          f"（全旗 {n - n_towns} 份，乡镇 {n_towns} 份）")

    work = Path(tempfile.mkdtemp(prefix="tekun-bench-"))
    try:
        plain: PlainResult | None = None
        if not args.skip_plain and not args.stages_only:
            print("\n逐份 papermill + nbconvert（HTML，串行）……", flush=True)
            plain = plain_loop(todo, args.limit, work)
            print(f"逐份方式（HTML）：{seconds(plain.seconds)}，每份 {plain.seconds / n:.2f} 秒")
            print(f"  其中 papermill {seconds(plain.papermill)}，nbconvert {seconds(plain.nbconvert)}（实测 {plain.done} 份）")
            if plain.extrapolated:
                print(f"  注意：实测 {plain.done} 份共 {seconds(plain.measured)}；"
                      f"其余 {n - plain.done} 份乡镇报告按已测乡镇报告的平均耗时推算（--limit {args.limit}）。")

        # the stages and both batches in turn, round after round: a machine whose speed drifts (these vary by
        # 15-25% from one minute to the next) slows all three alike, and the medians are compared
        stage_runs, html_runs, both_runs = [], [], []
        for i in range(args.repeat):
            print(f"\n第 {i + 1}/{args.repeat} 轮（平均负载 {load_average()}）……", flush=True)
            if not args.skip_stages:
                stage_runs.append(stages_in_child(args.month, args.scope, work))
                print(f"  分阶段计时：合计 {sum(stage_runs[-1]['seconds'].values()):.1f} 秒，"
                      f"CPU {sum(stage_runs[-1]['cpu'].values()):.1f} 秒", flush=True)
            if args.stages_only:
                continue
            html_runs.append(tekun_batch(args.month, args.scope, "html", work, help_text))
            print(f"  tekun batch（HTML）：{html_runs[-1][0]:.1f} 秒，CPU {html_runs[-1][1]:.1f} 秒", flush=True)
            both_runs.append(tekun_batch(args.month, args.scope, "html,pdf", work, help_text))
            print(f"  tekun batch（HTML + PDF）：{both_runs[-1][0]:.1f} 秒，CPU {both_runs[-1][1]:.1f} 秒", flush=True)

        rounds = f"，{args.repeat} 轮的中位数" if args.repeat > 1 else ""
        st = median_stages(stage_runs) if stage_runs else None
        if st:
            print()
            print_stages(st, rounds)
        if args.stages_only:
            return 0

        print()
        html_run = median_run(html_runs)
        html = html_run[0]
        print_batch("HTML", html_run, n, st, False, spread(html_runs))
        if plain:
            print(f"倍数（HTML）：逐份方式耗时是 tekun batch 的 {plain.seconds / html:.1f} 倍"
                  f"{'（逐份方式为推算值）' if plain.extrapolated else ''}")

        print()
        both_run = median_run(both_runs)
        both = both_run[0]
        print_batch("HTML + PDF", both_run, n, st, True, spread(both_runs))
        if plain:
            print(f"倍数：逐份方式只生成 HTML 的耗时是 tekun batch 生成 HTML + PDF 的 {plain.seconds / both:.1f} 倍")
        print("\n说明：tekun batch 的耗时包含校验数据、导出 Excel 和目录页；逐份方式不含这些，也不生成 PDF。")
        print(f"结束时的平均负载：{load_average()}")
    except CommandFailed as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"输出保留在 {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
