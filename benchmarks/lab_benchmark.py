"""Benchmark: JupyterLab's Run All of notebooks/monthly_briefing.ipynb, against the batch's time for that report
plus a kernel start (issue 36's goal: at most 2x).

    .venv/bin/python benchmarks/lab_benchmark.py                       # three rounds, medians
    .venv/bin/python benchmarks/lab_benchmark.py --repeat 5
    .venv/bin/python benchmarks/lab_benchmark.py --cold                # with an empty month store every time
    .venv/bin/python benchmarks/lab_benchmark.py --screenshot /tmp/lab.png   # pictures of the notebook after Run All

What is measured, round after round (--repeat, 3 by default; the medians are compared, and a round measures
all three so that a machine whose speed drifts slows them alike):

- Run All: JupyterLab started as the analysts start it (``bash run.sh lab --no-browser --port P
  --ServerApp.token=T``, the project as its root folder, so the notebook is the project's own, with its default
  parameters and the bundled data/), the notebook opened in headless Chromium (Playwright) with a fresh kernel
  (the previous round's session is deleted first) which is left to become idle; then the menu 运行 →
  运行所有单元格 is clicked, and the time runs from that click until every code cell shows its execution count
  (``[n]:``, read from the page) and the server reports the kernel idle. JupyterLab itself is started once,
  before the first round, and its start is not counted.
- a kernel start: a fresh ipykernel of the kernel spec JupyterLab uses (``python3``) started by jupyter_client
  until it answers (``start_kernel`` + ``wait_for_ready``).
- the batch's time for that report: what a ``tekun batch`` worker spends on the month's banner briefing, i.e.
  running the notebook in its warm kernel with the month's data and shared results handed over: the "compute" and
  "execute" stages of benchmarks/render_benchmark.py's ``measure_stages`` for the banner's job (in a child process
  of that script, as there).

The month store (outputs/.cache, or $TEKUN_CACHE_DIR; tekun_helpers/core/store.py) is used as the analysts'
JupyterLab and the batch use it: before the first round the batch's work for the report is done once, not timed,
so that the store holds what a batch keeps of the month (the month read, what its briefings share, the banner's
charts), as when an analyst opens a month that `tekun batch` or `tekun report` has made. With --cold the store is
a temporary folder of the benchmark's own, emptied before each Run All and each batch measurement: a month
nobody has made yet (JupyterLab's kernel then reads the month's files too; the batch's time for the report does
not include reading the month, which the batch does once for all its reports).

It prints each Run All and their median, the kernel start, the batch's report time, the ratio
Run All / (batch report + kernel start) against the goal (at most 2), and the load average at start and end.

The notebook is never saved: the benchmark's JupyterLab has its own user settings (autosave off) and workspace
folders in a temporary folder, and the notebook's file is compared with its content before the run at the end
(written back, and the run failed, if it changed). JupyterLab is stopped at the end.

Exit status: 0 done (goal met or not), 1 a step failed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_benchmark import ROOT, CommandFailed, load_average, machine, stages_in_child  # noqa: E402

sys.path.insert(0, str(ROOT))

NOTEBOOK = "notebooks/monthly_briefing.ipynb"
GOAL = 2.0
TOKEN = "tekun-lab-benchmark"
START_TIMEOUT_S = 180          # bounds on waiting, not measurements
RUN_TIMEOUT_S = 900
#: JupyterLab's settings for the benchmark's own user: documents are never saved automatically
USER_SETTINGS = {"@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """``bash run.sh lab`` in the project on a free port with a token; :meth:`stop` ends its process group."""

    def __init__(self, work: Path):
        self.work = work
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        settings = work / "user_settings"
        for name, value in USER_SETTINGS.items():
            p = settings / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps(value), encoding="utf-8")
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(work / "runtime")}
        self.log_path = work / "lab.log"
        self.log = open(self.log_path, "w")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            ["bash", str(ROOT / "run.sh"), "lab", "--no-browser", "--port", str(self.port),
             f"--ServerApp.token={TOKEN}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={ROOT}",
             f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={work / 'workspaces'}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)

    def request(self, path: str, method: str = "GET"):
        req = urllib.request.Request(f"{self.base}{path}", method=method, headers={"Authorization": f"token {TOKEN}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def wait_started(self) -> float:
        """Seconds from starting ``run.sh lab`` until the server answers."""
        while True:
            try:
                self.request("/api/status")
                return time.perf_counter() - self.started
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.proc.poll() is not None or time.perf_counter() - self.started > START_TIMEOUT_S:
                    raise CommandFailed(f"JupyterLab 没有启动：\n{self.log_path.read_text()[-3000:]}")
                time.sleep(0.5)

    def sessions(self) -> list[dict]:
        return [s for s in self.request("/api/sessions") if s.get("path", "").endswith(NOTEBOOK.split("/")[-1])]

    def end_sessions(self) -> None:
        """Delete the notebook's sessions (their kernels stop): the next opening starts a fresh kernel."""
        for s in self.sessions():
            self.request(f"/api/sessions/{s['id']}", "DELETE")

    def kernel_state(self) -> str | None:
        ss = self.sessions()
        return ss[0]["kernel"].get("execution_state") if ss else None

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass
        self.log.close()


#: the page's state, read by the browser: counts of code cells, of numbered prompts ([n]:) and of error outputs
PAGE_STATE = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  const numbered = prompts.filter(p => /\\[\\d+\\]/.test(p.textContent)).length;
  const errors = document.querySelectorAll('.jp-Notebook [data-mime-type="application/vnd.jupyter.error"]').length;
  return {cells: prompts.length, numbered, errors};
}"""

#: what the outputs show after Run All: charts (images), tables, error and stderr outputs
OUTPUTS = """() => {
  const out = document.querySelector('.jp-Notebook');
  return {images: out.querySelectorAll('.jp-OutputArea-output img').length,
          tables: out.querySelectorAll('.jp-OutputArea-output table').length,
          errors: out.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]').length,
          stderr: out.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length};
}"""


def code_cells() -> int:
    nb = json.loads((ROOT / NOTEBOOK).read_text(encoding="utf-8"))
    return sum(c["cell_type"] == "code" for c in nb["cells"])


def notebook_month() -> str:
    """The month of the notebook's parameters cell (its default)."""
    nb = json.loads((ROOT / NOTEBOOK).read_text(encoding="utf-8"))
    for c in nb["cells"]:
        if "parameters" in c.get("metadata", {}).get("tags", []):
            names: dict = {}
            exec("".join(c["source"]), {}, names)
            return names["month"]
    raise CommandFailed(f"{NOTEBOOK} 没有参数单元格（标签 parameters）")


def wait_idle(lab: Lab, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.perf_counter() + timeout
    while lab.kernel_state() != "idle":
        if time.perf_counter() > deadline:
            raise CommandFailed(f"内核没有进入空闲状态（{lab.kernel_state()}）")
        time.sleep(0.05)


def run_all_once(lab: Lab, browser, n_cells: int, shot: Path | None = None) -> tuple[float, dict]:
    """Open the notebook afresh (a new kernel), wait for the kernel to be idle, click 运行 → 运行所有单元格, and
    return the seconds until every code cell is numbered and the kernel is idle, and what the outputs show."""
    lab.end_sessions()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{lab.base}/lab/tree/{NOTEBOOK}?token={TOKEN}", timeout=START_TIMEOUT_S * 1000)
        bar = page.locator("#jp-MainMenu")
        bar.get_by_text("运行", exact=True).wait_for(timeout=START_TIMEOUT_S * 1000)
        page.wait_for_function(f"() => ({PAGE_STATE})().cells === {n_cells}", timeout=START_TIMEOUT_S * 1000)
        deadline = time.perf_counter() + START_TIMEOUT_S
        while not lab.sessions():
            if time.perf_counter() > deadline:
                raise CommandFailed("JupyterLab 没有为 notebook 启动内核")
            time.sleep(0.05)
        wait_idle(lab)
        page.locator(".jp-Notebook").first.click()          # the notebook is the current widget
        bar.get_by_text("运行", exact=True).click()
        item = page.locator(".lm-Menu-itemLabel", has_text="运行所有单元格").first
        item.wait_for(timeout=30_000)
        start = time.perf_counter()
        item.click()
        page.wait_for_function(
            f"() => {{ const s = ({PAGE_STATE})(); return s.errors > 0 || s.numbered === {n_cells}; }}",
            timeout=RUN_TIMEOUT_S * 1000, polling=20)
        wait_idle(lab, RUN_TIMEOUT_S)
        elapsed = time.perf_counter() - start
        state = page.evaluate(PAGE_STATE)
        if state["errors"]:
            raise CommandFailed(f"运行全部单元格时出错：{state['errors']} 个单元格输出了错误")
        outputs = page.evaluate(OUTPUTS)
        if shot is not None:
            screenshots(page, shot)
        return elapsed, outputs
    finally:
        page.close()


def screenshots(page, shot: Path) -> list[Path]:
    """The notebook after Run All, screen after screen from the top (shot-1.png, shot-2.png, ...)."""
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 2000})
    scroller = ".jp-NotebookPanel .jp-WindowedPanel-outer"
    height = page.evaluate(f"() => document.querySelector('{scroller}').scrollHeight")
    view = page.evaluate(f"() => document.querySelector('{scroller}').clientHeight")
    paths, top, i = [], 0, 1
    while True:
        page.evaluate(f"() => {{ document.querySelector('{scroller}').scrollTop = {top}; }}")
        page.wait_for_timeout(300)
        p = shot.with_name(f"{shot.stem}-{i}{shot.suffix or '.png'}")
        page.screenshot(path=str(p))
        paths.append(p)
        top += view
        i += 1
        if top >= height or i > 20:
            return paths


def kernel_start() -> float:
    """Seconds from start_kernel until a fresh python3 kernel answers (wait_for_ready)."""
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    start = time.perf_counter()
    km.start_kernel(stderr=subprocess.DEVNULL)     # its notices (e.g. TCP without encryption) are not ours
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=START_TIMEOUT_S)
        return time.perf_counter() - start
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def batch_report(month: str, work: Path) -> float:
    """The batch's seconds for the banner briefing: compute + execute of render_benchmark's stages (banner)."""
    work.mkdir(parents=True, exist_ok=True)
    st = stages_in_child(month, "banner", work)
    return st["seconds"]["compute"] + st["seconds"]["execute"]


def each(xs: list[float]) -> str:
    return "、".join(f"{x:.2f}" for x in xs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="耗时对比：JupyterLab 中全旗月度简报 notebook 的“运行所有单元格”与批处理生成该报告的耗时加一次内核启动。")
    ap.add_argument("--repeat", type=int, default=3, metavar="N", help="轮流测量 N 轮，比较中位数（默认 3）")
    ap.add_argument("--screenshot", type=Path, default=None, metavar="PNG",
                    help="最后一轮运行后，把 notebook 从上到下逐屏截图（PNG-1.png、PNG-2.png……）")
    ap.add_argument("--cold", action="store_true",
                    help="每次测量前清空（基准自己的临时）月份缓存：没有人生成过这个月时的情形")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat 至少为 1")

    print("机器")
    for line in machine():
        print(f"  {line}")
    print(f"开始时的平均负载（/proc/loadavg，1/5/15 分钟）：{load_average()}")
    month = notebook_month()
    n_cells = code_cells()
    nb_path = ROOT / NOTEBOOK
    before = nb_path.read_bytes()
    print(f"notebook：{NOTEBOOK}（默认参数，月份 {month}，代码单元格 {n_cells} 个）")

    from playwright.sync_api import sync_playwright

    from tekun_helpers.publish.render import BROWSER_ARGS, find_browser

    work = Path(tempfile.mkdtemp(prefix="tekun-lab-bench-"))
    store = work / "store"
    if args.cold:       # JupyterLab's kernels and the batch's child process inherit it
        os.environ["TEKUN_CACHE_DIR"] = str(store)
        print(f"月份缓存：每次测量前清空（{store}）")
    else:
        from tekun_helpers.core.store import root

        print(f"月份缓存：{root() or '不用（TEKUN_CACHE_DIR=0）'}", flush=True)

    def cold() -> None:
        if args.cold:
            shutil.rmtree(store, ignore_errors=True)

    lab = Lab(work / "lab")
    runs, starts, batches, outputs = [], [], [], {}
    try:
        if not args.cold:
            print("先按批处理生成一次这份报告，月份缓存中有批处理留下的结果（不计时）……", flush=True)
            batch_report(month, work / "warm")
        print(f"JupyterLab 已启动（{lab.wait_started():.1f} 秒，不计入）", flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(find_browser()), args=BROWSER_ARGS, headless=True)
            try:
                for i in range(args.repeat):
                    print(f"\n第 {i + 1}/{args.repeat} 轮（平均负载 {load_average()}）……", flush=True)
                    last = i == args.repeat - 1
                    cold()
                    elapsed, outputs = run_all_once(lab, browser, n_cells, args.screenshot if last else None)
                    runs.append(elapsed)
                    print(f"  运行所有单元格：{elapsed:.2f} 秒", flush=True)
                    starts.append(kernel_start())
                    print(f"  内核启动：{starts[-1]:.2f} 秒", flush=True)
                    cold()
                    batches.append(batch_report(month, work / f"stages{i}"))
                    print(f"  批处理中这份报告（计算 + 执行）：{batches[-1]:.2f} 秒", flush=True)
                lab.end_sessions()
            finally:
                browser.close()
    except CommandFailed as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    finally:
        lab.stop()
        shutil.rmtree(work, ignore_errors=True)
        after = nb_path.read_bytes()
        if after != before:
            nb_path.write_bytes(before)
            print(f"\n错误：{NOTEBOOK} 在测量中被改写，已恢复原内容。", file=sys.stderr)
            return 1

    run_all, start, batch = median(runs), median(starts), median(batches)
    ratio = run_all / (batch + start)
    rounds = f"{args.repeat} 轮的中位数" if args.repeat > 1 else "1 轮"
    print(f"\n结果（{rounds}{'，每次清空月份缓存' if args.cold else ''}）：")
    print(f"  JupyterLab 运行所有单元格：{run_all:.2f} 秒（各轮 {each(runs)}）")
    print(f"  内核启动：{start:.2f} 秒（各轮 {each(starts)}）")
    print(f"  批处理中这份报告：{batch:.2f} 秒（各轮 {each(batches)}）")
    print(f"  比值 运行所有单元格 / (批处理中这份报告 + 内核启动)：{ratio:.2f}，目标 ≤ {GOAL:g}，"
          f"{'达到' if ratio <= GOAL else '未达到'}")
    print(f"  最后一轮的输出：图 {outputs.get('images', 0)} 张，表格 {outputs.get('tables', 0)} 个，"
          f"错误输出 {outputs.get('errors', 0)} 个，stderr 输出 {outputs.get('stderr', 0)} 个")
    if args.screenshot:
        print(f"  截图：{args.screenshot.parent / (args.screenshot.stem + '-*.png')}")
    print(f"结束时的平均负载：{load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
