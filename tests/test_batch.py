"""tekun batch: parallel months, skipping unchanged reports, failures isolated, no truncated files."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from builders import ROOT
from tekun_helpers.publish.batch import parse_months


def test_parse_months():
    assert parse_months("2023-08..2023-10") == ["2023-08", "2023-09", "2023-10"]
    assert parse_months("2023-11..2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert parse_months("2023-08,2023-10") == ["2023-08", "2023-10"]
    with pytest.raises(ValueError, match="起点晚于终点"):
        parse_months("2023-10..2023-08")
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_months("2023-8")


def two_months(tmp: Path) -> Path:
    """A data folder with 2023-08's 附件1 and 附件2 (as bundled) and a copy of them as 2023-09,
    marked 沿用上月 in the file names.

    The batch's bookkeeping is what these tests are about; the optional tables (forms, ledgers, rosters)
    are left out to keep them quick.
    """
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    for month in ("2023-08", "2023-09"):
        (data / month).mkdir(parents=True)
        for f in (ROOT / "data" / "2023-08").glob("附件[12]*.xlsx"):
            # the copy is marked as carried over (a bare copy of last month is an error)
            name = f.name if month == "2023-08" else f"{f.stem}（沿用上月）{f.suffix}"
            shutil.copy2(f, data / month / name)
    return data


def batch(data: Path, out: Path, *extra, env=None):
    return subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "batch", "--months", "2023-08..2023-09",
                           "--data-dir", str(data), "--out", str(out), "--no-progress", *extra],
                          capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    data, out = two_months(tmp), tmp / "out"
    first = batch(data, out, "--scope", "banner", "--format", "html")
    return data, out, first


def test_first_run_renders_reports_excel_and_index(batch_run):
    data, out, first = batch_run
    assert first.returncode == 0, first.stderr
    assert "生成 2 份" in first.stdout
    for m in ("2023-08", "2023-09"):
        assert (out / m / "敖汉旗_2023-08_月度简报.html".replace("2023-08", m)).is_file()
        assert len(list((out / m / "Excel").glob("*.xlsx"))) == 3
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index("2023年9月") < index.index("2023年8月")          # newest first
    assert "2,700" in index and 'href="2023-09/' in index and "http" not in index


def test_second_run_skips_everything_then_only_the_touched_month(batch_run):
    data, out, _ = batch_run
    again = batch(data, out, "--scope", "banner", "--format", "html")
    assert again.returncode == 0 and "生成 0 份" in again.stdout and "跳过未变化的 2 份" in again.stdout
    f = next((data / "2023-09").glob("附件1*.xlsx"))
    f.write_bytes(f.read_bytes())            # same content: still skipped
    assert "跳过未变化的 2 份" in batch(data, out, "--scope", "banner", "--format", "html").stdout
    from openpyxl import load_workbook

    wb = load_workbook(f)
    wb.active["F4"] = "已核实"                 # a real change to 2023-09 only
    wb.save(f)
    third = batch(data, out, "--scope", "banner", "--format", "html")
    assert "生成 1 份" in third.stdout and "跳过未变化的 1 份" in third.stdout
    forced = batch(data, out, "--scope", "banner", "--format", "html", "--force")
    assert "生成 2 份" in forced.stdout


def test_a_failing_report_does_not_stop_the_others(tmp_path):
    nbdir = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbdir)
    nb = nbformat.read(nbdir / "township_briefing.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('if township == "丰收乡":\n    raise RuntimeError("测试用的失败")'))
    nbformat.write(nb, nbdir / "township_briefing.ipynb")
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "2023-08", data / "2023-08")
    env = {**os.environ, "TEKUN_NOTEBOOK_DIR": str(nbdir)}
    r = subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "batch", "--months", "2023-08", "--scope", "all",
                        "--township", "丰收乡", "--township", "长胜镇", "--township", "新惠镇",
                        "--format", "html", "--data-dir", str(data), "--out", str(tmp_path / "out"), "--no-progress"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert "生成 3 份" in r.stdout and "失败 1 份" in r.stdout
    assert "丰收乡" in r.stderr and "测试用的失败" in r.stderr
    failed_nb = tmp_path / "out" / "2023-08" / "乡镇" / "notebooks" / "丰收乡_2023-08_月度简报.failed.ipynb"
    assert failed_nb.is_file() and str(failed_nb) in r.stderr
    assert not (tmp_path / "out" / "2023-08" / "乡镇" / "丰收乡_2023-08_月度简报.html").exists()
    assert len(list((tmp_path / "out" / "2023-08" / "乡镇").glob("*.html"))) == 2
    assert (tmp_path / "out" / "2023-08" / "敖汉旗_2023-08_月度简报.html").is_file()


def complete(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    if path.suffix == ".pdf":
        return data.rstrip().endswith(b"%%EOF")
    if path.suffix in (".ipynb", ".json"):
        json.loads(data)
        return True
    if path.suffix == ".xlsx":
        import zipfile

        return zipfile.ZipFile(path).testzip() is None
    return True


def test_killed_batch_leaves_no_truncated_file_and_the_next_run_completes(tmp_path):
    data, out = two_months(tmp_path), tmp_path / "out"
    towns = ["丰收乡", "长胜镇", "新惠镇", "下洼镇"]
    cmd = [sys.executable, "-m", "tekun_helpers.cli", "batch", "--months", "2023-08", "--scope", "all",
           "--format", "html,pdf", "--data-dir", str(data), "--out", str(out), "--no-progress",
           *[x for t in towns for x in ("--township", t)]]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.rglob("*.pdf"))) < 2:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finals = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert finals, "the batch was killed before writing anything"
    assert all(complete(p) for p in finals)
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert len([p for p in out.rglob("*.pdf") if "notebooks" not in p.parts]) == 1 + len(towns)
    assert all(complete(p) for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))


def test_a_forced_batch_starts_no_more_workers_than_it_has_reports():
    """With --force the workers start before any month is read: as many as the reports the reference data
    plans, so a banner-only batch of one month starts one worker, not one per core."""
    from tekun_helpers.publish.batch import _planned, _Request

    def asked(months, scope, townships=None, notebook=None):
        return _Request(months, scope, None, ("html",), True, None, None, False, False, False, townships,
                        notebook=notebook)

    assert _planned(asked(["2023-08"], "banner")) == 1
    assert _planned(asked(["2023-08", "2023-09"], "all")) == 2 * 19
    assert _planned(asked(["2023-08"], "townships", ["新惠镇", "贝子府镇"])) == 2
    # tekun report --notebook: the analyst's notebook for the banner, or for each township given
    assert _planned(asked(["2023-08"], "banner", None, ("my.ipynb", None))) == 1
    assert _planned(asked(["2023-08"], "banner", ["新惠镇", "贝子府镇"], ("my.ipynb", None))) == 2
