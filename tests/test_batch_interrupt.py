"""tekun batch stopped by Ctrl-C, and a batch whose browser dies: run as an analyst runs them.

Ctrl-C must stop the batch with one Chinese line and exit code 130, leave no worker or browser running and
no half-written file, and the next run must render only what is missing. A browser that dies between
reports is replaced: every report is produced.

Every process the batch starts carries a marker in its environment (Chromium inherits it, although it runs in a
process group of its own), so what outlives the batch is found whoever its parent now is.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from builders import ATT1, ATT2, BUNDLED, ENGLISH_ERROR, ROOT, bundled_month
from conftest import has_browser
from tekun_helpers.publish import render

TOWNSHIPS = ("丰收乡", "长胜镇", "新惠镇")
BANNER = "敖汉旗"
MARK = "TEKUN_TEST_BATCH_MARK"
INTERRUPTED_LINE = r"已中断：完成 (\d+) 份，其余下次运行时继续。"

needs_browser = pytest.mark.skipif(not has_browser(), reason="未找到 Chromium 浏览器")


def small_month(tmp: Path) -> Path:
    """reference/ and 2023-08 with 附件1 and 附件2 only (the batch's bookkeeping is tested, not the tables)."""
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    (data / "2023-08").mkdir(parents=True)
    for name in (ATT1, ATT2):
        shutil.copy2(BUNDLED / name, data / "2023-08" / name)
    return data


def batch_command(data: Path, out: Path, *extra: str) -> list[str]:
    exe = Path(sys.executable).parent / "tekun"
    return [str(exe), "batch", "--months", "2023-08", "--data-dir", str(data), "--out", str(out), "--no-progress",
            *extra]


def marked_env(mark: str) -> dict:
    """The batch's environment: this process's, without what earlier tests may have set for the package
    (TEKUN_* folders, warning filters), plus the mark."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEKUN_") and k != "PYTHONWARNINGS"}
    return {**env, MARK: mark}


def marked_processes(mark: str) -> list[psutil.Process]:
    """Running processes (not zombies) whose environment holds ``mark``."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.status() == psutil.STATUS_ZOMBIE or proc.pid == os.getpid():
                continue
            if proc.environ().get(MARK) == mark:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def command_line(proc: psutil.Process) -> str:
    """The process's command line; empty for one that ended (or is a zombie) meanwhile."""
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""


def describe(procs) -> list[str]:
    return [f"{p.pid} {command_line(p)[:120]}" for p in procs]


def is_browser(proc: psutil.Process) -> bool:
    return "chrom" in command_line(proc).split(" ", 1)[0]


def workers(proc: subprocess.Popen, mark: str) -> list[psutil.Process]:
    """The batch's worker processes: its children (forked or spawned), not multiprocessing's resource tracker."""
    return [p for p in marked_processes(mark) if p.ppid() == proc.pid and "resource_tracker" not in command_line(p)]


def wait_until(condition, timeout: float, what: str, proc: subprocess.Popen | None = None):
    """Poll ``condition`` until it returns something true; fail after ``timeout`` s or if ``proc`` ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the batch ended (exit {proc.returncode}) before {what}")
        time.sleep(0.2)
    pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}")


def finished_reports(out: Path) -> list[Path]:
    """The manifests of the reports done (written after the report's last file)."""
    return sorted(out.rglob("*.manifest.json"))


def final_pdfs(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.pdf") if not p.name.startswith("."))


def complete(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    if path.suffix in (".ipynb", ".json"):
        json.loads(data)
    if path.suffix == ".xlsx":
        import zipfile

        return zipfile.ZipFile(path).testzip() is None
    return True


def nothing_left(mark: str, timeout: float = 15) -> list[str]:
    """What still runs with ``mark`` once ``timeout`` s have passed (empty as soon as nothing does)."""
    deadline = time.monotonic() + timeout
    while True:
        left = marked_processes(mark)
        if not left or time.monotonic() > deadline:
            return describe(left)
        time.sleep(0.2)


def interrupt_and_collect(proc: subprocess.Popen, stderr_file: Path, *, group: bool) -> str:
    """SIGINT to the batch's process group (a terminal's Ctrl-C) or to its main process only; its stderr."""
    if group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail("the batch did not stop within 60 s of Ctrl-C")
    return stderr_file.read_text(encoding="utf-8")


def assert_one_interrupted_line(stderr: str) -> int:
    assert not re.search(ENGLISH_ERROR, stderr), stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr[-3000:]
    m = re.fullmatch(INTERRUPTED_LINE, lines[0].strip())
    assert m, lines
    return int(m.group(1))


@needs_browser
def test_ctrl_c_stops_the_batch_quietly_and_the_next_run_does_the_rest(tmp_path):
    data, out, mark = small_month(tmp_path), tmp_path / "out", uuid.uuid4().hex
    cmd = batch_command(data, out, "--scope", "all", "--jobs", "2", "--format", "html,pdf",
                        *[x for t in TOWNSHIPS for x in ("--township", t)])
    total = 1 + len(TOWNSHIPS)
    err = tmp_path / "stderr.txt"
    with open(err, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, env=marked_env(mark),
                                start_new_session=True, cwd=ROOT)
    try:
        wait_until(lambda: finished_reports(out) and final_pdfs(out), 600, "the first finished report", proc)
        running = marked_processes(mark)
        # what Ctrl-C must clean up is there, outside the batch's process group
        assert any(is_browser(p) and os.getpgid(p.pid) != proc.pid for p in running), describe(running)
        stderr_text = interrupt_and_collect(proc, err, group=True)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr_text[-3000:]
    done = assert_one_interrupted_line(stderr_text)
    assert nothing_left(mark) == []

    files = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.startswith(".") or p.name.endswith(".tmp")], files
    assert all(complete(p) for p in files)
    finished = len(finished_reports(out))
    assert 1 <= finished < total and done <= finished

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=marked_env(mark), cwd=ROOT)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"生成 {total - finished} 份，跳过未变化的 {finished} 份，失败 0 份" in again.stdout
    pdfs = [p for p in final_pdfs(out) if "notebooks" not in p.parts]
    assert len(pdfs) == total and all(complete(p) for p in pdfs)
    assert nothing_left(mark) == []


def test_ctrl_c_to_the_main_process_alone_stops_the_workers_too(tmp_path):
    """`kill -INT <pid>`: the workers do not get the signal; the batch stops them and what they started."""
    data, out, mark = small_month(tmp_path), tmp_path / "out", uuid.uuid4().hex
    cmd = batch_command(data, out, "--scope", "all", "--township", TOWNSHIPS[0], "--jobs", "1", "--format", "html")
    err = tmp_path / "stderr.txt"
    with open(err, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, env=marked_env(mark),
                                start_new_session=True, cwd=ROOT)
    try:
        wait_until(lambda: workers(proc, mark), 300, "the worker", proc)
        time.sleep(1)         # well into its start: importing, or running the first report
        stderr_text = interrupt_and_collect(proc, err, group=False)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr_text[-3000:]
    assert_one_interrupted_line(stderr_text)
    assert nothing_left(mark) == []
    assert not [p for p in out.rglob("*") if p.is_file() and (p.name.startswith(".") or p.name.endswith(".tmp"))]


def test_ctrl_c_while_the_workers_start_is_not_lost(tmp_path):
    """A Ctrl-C as the first worker process appears (the batch is still starting them, which takes seconds
    on a busy machine) stops the batch like any other: it was once ignored there and the batch ran on."""
    data, out, mark = small_month(tmp_path), tmp_path / "out", uuid.uuid4().hex
    cmd = batch_command(data, out, "--scope", "all", "--jobs", "2", "--format", "html",
                        *[x for t in TOWNSHIPS for x in ("--township", t)])
    err = tmp_path / "stderr.txt"
    with open(err, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, env=marked_env(mark),
                                start_new_session=True, cwd=ROOT)
    try:
        wait_until(lambda: workers(proc, mark), 300, "the first worker process", proc)
        stderr_text = interrupt_and_collect(proc, err, group=True)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr_text[-3000:]
    assert_one_interrupted_line(stderr_text)
    assert nothing_left(mark) == []
    assert not [p for p in out.rglob("*") if p.is_file() and (p.name.startswith(".") or p.name.endswith(".tmp"))]


@pytest.mark.parametrize("group, after", [(True, 0.0), (True, 0.4), (True, 0.8), (False, 0.4)],
                         ids=["terminal-at-once", "terminal-0.4s", "terminal-0.8s", "main-process-0.4s"])
def test_ctrl_c_while_the_month_is_read_on_every_core(tmp_path, group, after):
    """A whole month (27 files) is read by forked helpers: a Ctrl-C meanwhile, to the terminal's process group or
    to the batch alone, stops the batch like any other and leaves no helper behind. It once left the batch
    waiting forever for a helper (a process pool's), or aborting in Python's finalisation."""
    data, out, mark = bundled_month(tmp_path), tmp_path / "out", uuid.uuid4().hex
    # --force: the helpers (two) read the month first, the workers (two) start while they do (once the batch has
    # imported what the workers use): the batch's first two children are the helpers
    cmd = batch_command(data, out, "--scope", "all", "--jobs", "2", "--format", "html", "--force")
    err = tmp_path / "stderr.txt"
    with open(err, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, env=marked_env(mark),
                                start_new_session=True, cwd=ROOT)
    try:
        wait_until(lambda: len(workers(proc, mark)) >= 2, 300, "the helpers reading the month", proc)
        time.sleep(after)         # the helpers reading, or handing their results back (27 files take 1-2 s)
        stderr_text = interrupt_and_collect(proc, err, group=group)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr_text[-3000:]
    assert assert_one_interrupted_line(stderr_text) == 0
    assert nothing_left(mark) == []
    assert not list(out.rglob("*.html"))


@needs_browser
@pytest.mark.parametrize("jobs", [1, 2], ids=["own-browser", "printer-process"])
def test_a_worker_whose_browser_was_killed_starts_a_new_one(tmp_path, jobs):
    """One worker prints in its own browser; two print in the one browser of the batch's printer process
    (printserver.py): either way a browser killed is replaced and every report printed."""
    data, out, mark = small_month(tmp_path), tmp_path / "out", uuid.uuid4().hex
    townships = TOWNSHIPS[:jobs * 2 - 1]
    cmd = batch_command(data, out, "--scope", "all", "--jobs", str(jobs), "--format", "html,pdf",
                        *[x for t in townships for x in ("--township", t)])
    total = 1 + len(townships)   # the reports after the kill must be printed by a new browser
    err, log = tmp_path / "stderr.txt", tmp_path / "stdout.txt"
    with open(err, "w", encoding="utf-8") as stderr, open(log, "w", encoding="utf-8") as stdout:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=marked_env(mark), start_new_session=True,
                                cwd=ROOT)
    try:
        wait_until(lambda: final_pdfs(out), 600, "the first PDF", proc)
        browsers = [p for p in marked_processes(mark) if is_browser(p)]
        assert browsers, describe(marked_processes(mark))
        for p in browsers:
            try:
                p.kill()
            except psutil.Error:
                pass
        proc.wait(timeout=900)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    stdout_text, stderr_text = log.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")
    assert proc.returncode == 0, stderr_text[-3000:]
    assert f"生成 {total} 份" in stdout_text and "失败 0 份" in stdout_text
    assert "浏览器意外退出，已重新启动" in stderr_text      # the kill did hit a browser the worker still used
    assert not re.search(ENGLISH_ERROR, stderr_text), stderr_text[-3000:]
    pdfs = [p for p in final_pdfs(out) if "notebooks" not in p.parts]
    assert len(pdfs) == total and all(complete(p) for p in pdfs)
    assert nothing_left(mark) == []


@needs_browser
@pytest.mark.parametrize("victim", ["chromium", "driver"])
def test_the_printer_replaces_a_dead_browser(tmp_path, victim):
    page = tmp_path / "a.html"
    page.write_text("<!doctype html><html><body><h1>测试页</h1></body></html>", encoding="utf-8")
    meta = dict(title="测试", month="2023-08", fingerprint="0", generated_at="2023-09-01 08:00")
    with render.PdfPrinter() as printer:
        printer.print_pdf(page, tmp_path / "1.pdf", **meta)
        mine = psutil.Process().children(recursive=True)
        if victim == "chromium":
            targets = [p for p in mine if is_browser(p)]
        else:
            targets = [p for p in mine if "run-driver" in command_line(p)]
        assert targets
        for p in targets:
            p.kill()
        psutil.wait_procs(targets, timeout=10)
        printer.print_pdf(page, tmp_path / "2.pdf", **meta)
        printer.print_pdf(page, tmp_path / "3.pdf", **meta)
    assert all(complete(tmp_path / f"{i}.pdf") for i in (1, 2, 3))


@needs_browser
def test_the_printer_process_prints_for_two_workers_and_replaces_a_dead_browser(tmp_path):
    """The batch's printer process (two workers or more): two clients print at the same time, each in its
    page; its browser killed, the next print starts a new one; closed, it leaves nothing running."""
    import threading

    from tekun_helpers.core.exceptions import RenderError
    from tekun_helpers.publish.printserver import PrinterProcess, RemotePrinter

    page = tmp_path / "a.html"
    page.write_text("<!doctype html><html lang=\"zh-CN\"><head><title>测试</title></head>"
                    "<body><h1>测试页</h1></body></html>", encoding="utf-8")
    meta = dict(title="测试", month="2023-08", fingerprint="0", generated_at="2023-09-01 08:00")
    printer = PrinterProcess()
    printer.start()
    try:
        clients = [RemotePrinter(*printer.client()) for _ in range(2)]
        done = []
        threads = [threading.Thread(target=lambda c=c, i=i: done.append(c.print_pdf(page, tmp_path / f"{i}.pdf", **meta)))
                   for i, c in enumerate(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert sorted(done) == [tmp_path / "0.pdf", tmp_path / "1.pdf"]
        browsers = [p for p in psutil.Process(printer.pid).children(recursive=True) if is_browser(p)]
        assert browsers
        for p in browsers:
            p.kill()
        psutil.wait_procs(browsers, timeout=10)
        clients[0].print_pdf(page, tmp_path / "2.pdf", **meta)
        clients[1].print_pdf(page, tmp_path / "3.pdf", **meta)
        with pytest.raises(RenderError, match="找不到要打印的 HTML 文件"):
            clients[0].print_pdf(tmp_path / "missing.html", tmp_path / "4.pdf", **meta)
        children = psutil.Process(printer.pid).children(recursive=True)
    finally:
        printer.close()
    assert printer.proc.returncode == 0
    assert all(complete(tmp_path / f"{i}.pdf") for i in range(4))
    assert not (tmp_path / "4.pdf").exists()
    assert not [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def _swallowed_ctrl_c() -> None:
    """A Ctrl-C that arrives while a destructor runs (ZipFile.__del__ as openpyxl reads a month): Python prints
    "Exception ignored … KeyboardInterrupt" and goes on."""
    class Closing:
        def __del__(self):
            signal.raise_signal(signal.SIGINT)
            for _ in range(10_000):       # the handler runs here, inside the destructor
                pass

    c = Closing()
    del c


def test_a_ctrl_c_lost_in_a_destructor_still_stops_the_batch(tmp_path, monkeypatch):
    """The batch remembers a Ctrl-C even when its KeyboardInterrupt was dropped, and stops at its next step:
    the second month is never read and nothing is rendered."""
    from tekun_helpers.core.exceptions import ValidationFailed
    from tekun_helpers.publish import batch, jobs

    read = []

    def check_month_data(month, data_dir=None, draft=False):
        read.append(month)
        _swallowed_ctrl_c()
        raise ValidationFailed(f"{month} 示例错误")

    dropped = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: dropped.append(u.exc_type))
    monkeypatch.setattr(jobs, "check_month_data", check_month_data)
    before = signal.getsignal(signal.SIGINT)     # Python's own, unless the test runner's process set another
    result = batch.run_batch(["2023-08", "2023-09"], scope="banner", formats=("html",), out_dir=tmp_path,
                             progress=False, excel=False)
    assert dropped == []               # Python dropped it, and the batch kept its English traceback off the screen
    assert sys.unraisablehook is not None and sys.unraisablehook.__name__ == "<lambda>"   # the hook is back
    assert result.interrupted and read == ["2023-08"] and not result.rendered
    assert signal.getsignal(signal.SIGINT) is before      # the batch's handler is gone again


@pytest.mark.parametrize("after", [1.0, None], ids=["starting", "rendering"])
def test_ctrl_c_stops_report_scope_all_as_the_batch(tmp_path, after):
    """`tekun report --scope all` is the batch of one month: Ctrl-C stops it the same way, with one Chinese line
    and exit code 130; no ipykernel traceback (zmq.error.ZMQError), no "Future exception was never retrieved",
    nothing left running and no half-written file."""
    data, out, mark = small_month(tmp_path), tmp_path / "out", uuid.uuid4().hex
    exe = Path(sys.executable).parent / "tekun"
    cmd = [str(exe), "report", "--month", "2023-08", "--scope", "all", "--data-dir", str(data), "--out", str(out),
           "--format", "html", *([x for t in TOWNSHIPS for x in ("--township", t)] if after else [])]
    err = tmp_path / "stderr.txt"
    with open(err, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, env=marked_env(mark),
                                start_new_session=True, cwd=ROOT)
    try:
        wait_until(lambda: workers(proc, mark), 300, "the report's workers", proc)
        if after:
            time.sleep(after)
        else:   # while rendering: the first of the month's 19 reports is written (a fixed wait let an idle machine finish)
            wait_until(lambda: list(out.rglob("*.html")), 300, "the first report", proc)
        stderr_text = interrupt_and_collect(proc, err, group=True)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr_text[-3000:]
    assert not re.search(ENGLISH_ERROR, stderr_text) and "Future exception" not in stderr_text, stderr_text[-3000:]
    assert [line.strip() for line in stderr_text.splitlines() if line.strip()] == ["已中断。"]
    assert nothing_left(mark) == []
    assert not [p for p in out.rglob("*") if p.is_file() and (p.name.startswith(".") or p.name.endswith(".tmp"))]
