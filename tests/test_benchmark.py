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
