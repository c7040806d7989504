"""The benchmark's own measures (benchmarks/render_benchmark.py): the figures the README's 性能 table quotes."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("render_benchmark", ROOT / "benchmarks" / "render_benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="needs /proc/stat")
def test_machine_cpu_counts_a_child_processes_work(bench):
    """A child that burns half a second of CPU shows at least that much machine CPU (other work only adds)."""
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5:\n    pass\n"
    wall, used = bench.run_cpu([sys.executable, "-c", burn])
    assert used >= 0.45, used
    assert wall > 0


def test_floors_divide_the_stages_by_workers_and_cores(bench, capsys):
    st = {"seconds": dict.fromkeys(("load", "compute", "execute", "html", "pdf", "excel", "index"), 1.0),
          "cpu": {"load": 1.0, "compute": 0.0, "execute": 2.0, "html": 1.0, "pdf": 4.0, "excel": 1.0, "index": 0.0},
          "reports": 19, "workers": 2}
    assert bench.floor_seconds(st, True) == 3.5 and bench.floor_seconds(st, False) == 3.0
    assert bench.cpu_floor_seconds(st, True) == 4.5 and bench.cpu_floor_seconds(st, False) == 2.5
    bench.print_batch("HTML + PDF", (9.0, 12.0), 19, st, True)
    out = capsys.readouterr().out
    assert "与下限之比（HTML + PDF）：2.57" in out
    assert "与 CPU 下限之比（HTML + PDF）：2.00" in out and "比各阶段多用 CPU 3.0 秒" in out


def test_rounds_are_compared_by_their_medians(bench, capsys):
    """Three rounds: each stage's median, each batch's median wall and CPU, and the spread of the walls shown."""
    def stages(x):
        return {"seconds": {"load": x, "pdf": 2 * x}, "cpu": {"load": x + 1, "pdf": 3 * x}, "reports": 19, "workers": 2}

    st = bench.median_stages([stages(1.0), stages(5.0), stages(2.0)])
    assert st["seconds"] == {"load": 2.0, "pdf": 4.0} and st["cpu"] == {"load": 3.0, "pdf": 6.0}
    assert st["reports"] == 19 and st["workers"] == 2
    runs = [(12.0, 20.0), (10.0, 25.0), (15.0, 21.0)]
    assert bench.median_run(runs) == (12.0, 21.0)
    bench.print_batch("HTML", bench.median_run(runs), 19, None, False, bench.spread(runs))
    assert "tekun batch（HTML）：12.0 秒（3 次：10.0–15.0 秒），每份 0.63 秒；整机 CPU 21.0 秒" in capsys.readouterr().out
    assert bench.spread(runs[:1]) == ""


@pytest.fixture(scope="module")
def commands():
    spec = importlib.util.spec_from_file_location("command_benchmark", ROOT / "benchmarks" / "command_benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_command_table_gives_the_issues_ratios(commands, capsys):
    """Every command of both counties and both months, and each goal of issue 36 judged from those times."""
    months = {1: ["2023-08", "2023-10"], 3: ["2023-08", "2023-10"]}
    base = {"validate": 2.0, "report": 5.0, "report all": 12.0, "export": 4.0, "feedback": 3.0, "batch": 10.0}
    times = {}
    for c, t in base.items():
        times[(c, 1, "2023-08")] = (t, 300.0, 200.0)
        times[(c, 1, "2023-10")] = (t * 1.2, 320.0, 210.0)
        times[(c, 3, "2023-08")] = (t * 2.5, 600.0, 300.0)
        times[(c, 3, "2023-10")] = (t * 4.0, 1100.0, 400.0)
    times[("batch html", 1, "2023-08")] = (8.0, 300.0, 200.0)
    commands.print_tables(times, (1, 3), months, (9.0, 19))
    out = capsys.readouterr().out
    assert ("| report all | 12.0 秒，300 MB（最大进程 200 MB） | 14.4 秒，320 MB（最大进程 210 MB） | "
            "30.0 秒，600 MB（最大进程 300 MB） | 48.0 秒，1100 MB（最大进程 400 MB） | 1.20 | 1.60 | 2.50 | 3.33 |") in out
    assert "| 1x 2023-08：`report all` ≤ 1.2× batch | 1.20 | 是 |" in out
    assert "| 1x 2023-08：`report` ≤ 0.5× batch | 0.50 | 是 |" in out
    assert "| 3x：`export` 第2月 ≤ 1.3× 第1月 | 1.60 | 否 |" in out
    assert "| `batch` 3x ≤ 3× 1x（末月） | 3.33 | 否 |" in out
    assert "| 3x 2023-08：`batch --scope all` < 5 分钟 | 25 秒 | 是 |" in out
    assert "| 3x 2023-10：`batch --scope all` 整个进程树 < 1 GB | 1100 MB | 否 |" in out
    assert "| 1x 2023-08：`batch html` ≥ 15× 逐份 papermill + nbconvert（每份 9.00 秒，19 份） | 21.4 倍 | 是 |" in out
    assert "第2月（" not in out          # a two-month year has no second month apart from its last


def test_a_year_shows_month_twelve_against_month_two_where_measured(commands, capsys):
    """The second month's batch and report --scope all (its briefings hold what month 12's do) against month 12."""
    year = [f"2023-{m:02d}" for m in range(8, 13)] + [f"2024-{m:02d}" for m in range(1, 8)]
    months = {1: year, 10: year}
    times = {}
    for c in commands.COMMANDS:
        for s in (1, 10):
            times[(c, s, year[0])] = (10.0 * s, 500.0, 200.0)
            times[(c, s, year[-1])] = (16.0 * s, 600.0, 250.0)
    for c in commands.SECOND_COMMANDS:
        times[(c, 1, year[1])] = (15.0, 550.0, 220.0)
        times[(c, 10, year[1])] = (10.0, 550.0, 220.0)
    commands.print_tables(times, (1, 10), months, None)
    out = capsys.readouterr().out
    assert "| 1x：`batch` 第12月 ≤ 1.3× 第1月 | 1.60 | 否 |" in out
    assert ("| 1x：`batch` 第12月 ≤ 1.3× 第2月（15.0 秒；两个月的简报都有逐月走势图、与上月比较和上月问题落实，第1月没有）"
            " | 1.07 | 是 |") in out
    assert "| 10x：`report all` 第12月 ≤ 1.3× 第2月（10.0 秒；" in out and "| 16.00 | 否 |" in out
    assert "`export` 第12月 ≤ 1.3× 第2月" not in out


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs /proc/PID/smaps_rollup")
def test_tree_memory_counts_a_grandchilds_memory(commands, tmp_path):
    """A command whose child holds 80 MB for a second: the tree's peak PSS and its largest process show it
    (the command itself holds little; other work only adds)."""
    hold = "import time\nx = bytearray(80 * 2**20)\nx[::4096] = b'1' * len(x[::4096])\ntime.sleep(1.5)\n"
    parent = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {hold!r}])\n"
    wall, pss, largest = commands.timed([sys.executable, "-c", parent], tmp_path / "out")
    assert wall >= 1.5
    assert pss >= 80 and largest >= 80, (pss, largest)


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs /proc/PID/smaps_rollup")
def test_tree_memory_names_each_process_at_the_peak(commands):
    """--tree's breakdown: at the peak, the child holding 80 MB is listed with its share, the command too."""
    import subprocess

    hold = "import time\nx = bytearray(80 * 2**20)\nx[::4096] = b'1' * len(x[::4096])\ntime.sleep(1.5)\n"
    parent = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {hold!r}])\n"
    proc = subprocess.Popen([sys.executable, "-c", parent])
    mem = commands.TreeMemory(proc.pid)
    proc.wait()
    mem.stop()
    kinds = {kind: pss for kind, _, pss in mem.at_peak}
    assert kinds.get("command", 0) > 0, mem.at_peak
    child = [pss for kind, pid, pss in mem.at_peak if kind != "command"]
    assert child and max(child) >= 80, mem.at_peak
    assert abs(sum(pss for _, _, pss in mem.at_peak) - mem.pss) < 1
