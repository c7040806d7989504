"""tekun feedback and the inspection checklists (督查检查表): the bureau's own form, not a township's table.

A month without inspections is normal, so the banner's receipt does not ask for checklists; a checklist with a
problem is returned to the banner (the bureau filled it at its visit), never to the inspected home's township.
"""
from __future__ import annotations

import datetime as dt
import shutil

from openpyxl import load_workbook

from builders import ROOT
from tekun_helpers import load_policy
from tekun_helpers.config.schema import TABLES
from tekun_helpers.forms.feedback import write_feedback
from tekun_helpers.forms.inspection import SHEET
from tekun_helpers.forms.layout import FIRST_DATA_ROW, HEADER_ROW

LABEL = TABLES["inspections"].label          # 敬老院供养服务督查检查表
BANNER = load_policy().county.name
HOME = "贝子府镇敬老院"


def test_the_banner_receipt_of_a_month_without_inspections_does_not_ask_for_checklists(tmp_path):
    res = write_feedback("2023-08", out=tmp_path / "out", township=BANNER, today=dt.date(2023, 9, 4))
    receipt = res.owner(BANNER).receipt
    assert not any(LABEL in m or "督查" in m for m in receipt.missing), receipt.missing
    assert receipt.missing       # the rest of the list still said (the 2023-08 sample has no 减少情况表)


def _copied_october(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "2023-10", data / "2023-10")
    (path,) = (data / "2023-10" / "督查").glob(f"*{HOME}*.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    head = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    ws.cell(FIRST_DATA_ROW, head["检查结果"], "很好")           # not one of the four answers: an error
    wb.save(path)
    return data, path


def test_a_checklist_with_an_error_is_returned_to_the_banner_not_the_homes_township(tmp_path):
    data, path = _copied_october(tmp_path)
    res = write_feedback("2023-10", data, tmp_path / "out", today=dt.date(2023, 11, 3))
    name = path.relative_to(data / "2023-10").as_posix()
    owners = [o.owner for o in res.owners if any(f.source.name == name for f in o.files)]
    assert owners == [BANNER]
    (f,) = [f for f in res.owner(BANNER).files if f.source.name == name]
    assert f.errors >= 1 and f.copy is not None and f.copy.parent.name == BANNER
    assert LABEL in f.kinds
    town = res.owner("贝子府镇")
    assert not any(LABEL in k for g in town.files for k in g.kinds)
    assert not any("督查" in m for m in town.receipt.missing)
    # every checklist of the month is the banner's, those without problems too
    others = [g for o in res.owners if o.owner != BANNER for g in o.files if LABEL in g.kinds]
    assert others == []
