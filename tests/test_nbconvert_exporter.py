"""The by-hand path: papermill, then `jupyter nbconvert --to tekun`, gives the batch's HTML report."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from builders import ROOT
from tekun_helpers.month import load_month
from tekun_helpers.publish import render

BIN = Path(sys.executable).parent


def test_papermill_then_nbconvert_to_tekun_is_the_batch_report(tmp_path):
    run = subprocess.run([str(BIN / "papermill"), str(ROOT / "notebooks" / "monthly_briefing.ipynb"), "o.ipynb",
                          "-p", "month", "2023-09", "--no-progress-bar"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    conv = subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "tekun", "o.ipynb"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert conv.returncode == 0, conv.stderr[-2000:]
    by_hand = (tmp_path / "o.html").read_text(encoding="utf-8")

    for left_out in ("<div class=\"highlight", "papermill 会覆盖本格", "# Parameters",
                     "notebook 说明", "<div class=\"jp-InputPrompt", "<div class=\"jp-CodeMirrorEditor", "<script src=\"http"):
        assert left_out not in by_hand, left_out
    data = load_month("2023-09")
    assert "<title>敖汉旗特困人员供养服务月度简报 2023-09</title>" in by_hand
    assert f"数据指纹 {data.fingerprint}" in by_hand and 'class="tekun-banner tekun-banner-sample"' in by_hand
    assert 'class="tekun-banner tekun-banner-internal"' not in by_hand

    # what the batch makes of the same executed notebook (render_job -> notebook_to_html)
    batch = render.notebook_to_html(tmp_path / "o.ipynb", tmp_path / "batch.html", title="敖汉旗特困人员供养服务月度简报",
                                    month="2023-09", fingerprint=data.fingerprint,
                                    sample=data.sample_kinds() or data.is_sample).read_text(
                                        encoding="utf-8")

    def without_time(html: str) -> str:
        return re.sub(r"生成时间 [0-9: -]+", "生成时间", html)

    assert without_time(by_hand) == without_time(batch)
