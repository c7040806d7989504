"""Benchmark: every report of one month through the plain papermill + nbconvert loop vs `tekun batch`.

The plain loop is what one would do by hand, one report after another:
`papermill <notebook> out.ipynb -p month M [-p township T]` then `jupyter nbconvert --to html out.ipynb`
(each a new Python process, a new kernel); for PDF, `jupyter nbconvert --to webpdf` is NOT used (it downloads
nothing here but needs Playwright's own browser), so the PDF comparison prints the batch times only.

    .venv/bin/python benchmarks/batch_vs_loop.py                 # 2023-08, all 19 reports
    .venv/bin/python benchmarks/batch_vs_loop.py --limit 4       # plain loop on 4 reports, extrapolated

Prints the machine, each wall time, the time per report and the ratio.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} 核 · {cpu} · 内存 {mem} · Python {platform.python_version()} · {platform.system()}"


def jobs(month: str):
    sys.path.insert(0, str(ROOT))
    from tekun_helpers.reference import load_reference

    yield ("monthly_briefing.ipynb", {"month": month})
    for t in load_reference().township_names:
        yield ("township_briefing.ipynb", {"month": month, "township": t})


def plain_loop(month: str, limit: int | None, work: Path) -> tuple[float, int]:
    todo = list(jobs(month))
    if limit:
        todo = todo[:limit]
    start = time.perf_counter()
    for i, (nb, params) in enumerate(todo):
        out = work / f"plain_{i}.ipynb"
        args = [str(BIN / "papermill"), str(ROOT / "notebooks" / nb), str(out), "--cwd", str(ROOT / "notebooks")]
        for k, v in params.items():
            args += ["-p", k, v]
        subprocess.run(args, check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)], check=True, capture_output=True)
    return time.perf_counter() - start, len(todo)


def batch(month: str, formats: str, work: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "tekun"), "batch", "--months", month, "--scope", "all", "--format", formats,
                    "--force", "--out", str(work / f"batch_{formats.replace(',', '_')}"), "--no-progress"],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description="批量生成与逐个 papermill + nbconvert 的耗时对比")
    ap.add_argument("--month", default="2023-08")
    ap.add_argument("--limit", type=int, default=None, help="逐个方式只跑前 N 份报告，并按比例推算全部")
    ap.add_argument("--skip-plain", action="store_true", help="只测 tekun batch")
    args = ap.parse_args()
    if not (BIN / "tekun").exists():
        print("找不到 tekun 命令：请先运行 bash run.sh setup", file=sys.stderr)
        return 2
    n = len(list(jobs(args.month)))
    print(f"机器：{machine()}")
    print(f"月份 {args.month}，报告 {n} 份（全旗 1 + 乡镇 {n - 1}）")
    work = Path(tempfile.mkdtemp(prefix="tekun-bench-"))
    try:
        plain = None
        if not args.skip_plain:
            t, done = plain_loop(args.month, args.limit, work)
            plain = t * n / done
            note = f"（实测 {done} 份 {t:.1f} 秒，按比例推算）" if done < n else ""
            print(f"逐个 papermill + nbconvert（HTML）：{plain:.1f} 秒，每份 {plain / n:.2f} 秒{note}")
        html = batch(args.month, "html", work)
        print(f"tekun batch（HTML）：{html:.1f} 秒，每份 {html / n:.2f} 秒")
        if plain:
            print(f"倍数（HTML）：逐个方式耗时是 tekun batch 的 {plain / html:.1f} 倍")
        both = batch(args.month, "html,pdf", work)
        print(f"tekun batch（HTML + PDF）：{both:.1f} 秒，每份 {both / n:.2f} 秒")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
