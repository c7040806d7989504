"""tekun feedback: marked-up copies, receipts and resubmission, on months built here with known faults.

The broken month: 附件1 with an unknown township name in B4, text in the number cell E5 and
more disabled than dispersed people on row 6; 附件2 without its 工作人员人数 column.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess

import openpyxl
import pytest

from builders import (
    HOME_HEADER,
    SEED_TOWNSHIPS,
    home_rows,
    home_total,
    make_month,
    township_rows,
    township_sheet,
    write_csv,
    write_xlsx,
)
from test_assessments import GOOD, form_rows
from test_progress import PROGRESS_HEADER, ledger_rows
from tekun_helpers import load_month, load_policy
from tekun_helpers.cli import main
from tekun_helpers.forms.feedback import write_feedback
from tekun_helpers.forms.markup import AUTHOR, FILL_COLOURS
from tekun_helpers.io.workbooks import FEEDBACK_SHEET

MONTH = "2023-08"
TODAY = dt.date(2023, 9, 4)
BANNER = "敖汉旗"
RED = FILL_COLOURS["error"]


def broken_month(tmp):
    rows = township_rows()
    rows[0][1] = "新会镇"          # B4: not a known township (敖润苏莫苏木 is then missing too)
    rows[1][4] = "十四"            # E5: text in a number cell
    rows[2][3] = 160              # D6: 160 + 13 disabled > 169 dispersed
    homes = [r[:6] + r[7:] for r in home_rows()]          # no 工作人员人数
    total = [x for k, x in enumerate(home_total(home_rows())) if k != 6]
    return make_month(tmp, townships=township_sheet(rows), homes=[HOME_HEADER[:6] + HOME_HEADER[7:], *homes, total])


def hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def comments(path, sheet=None):
    """{cell: (fill colour, comment text)} of every commented cell of a sheet (default: the second)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[1]
    return {c.coordinate: (str(c.fill.fgColor.rgb)[-6:], c.comment.text, c.comment.author)
            for row in ws.iter_rows() for c in row if c.comment is not None}


def summary_rows(path):
    ws = openpyxl.load_workbook(path)[FEEDBACK_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "序号")
    out = []
    for r in rows[start + 1:]:
        if r[0] is None or not isinstance(r[0], int):
            break
        out.append(dict(zip(rows[start], r)))
    return rows, out


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("feedback")
    data = broken_month(tmp)
    before = hashes(data)
    res = write_feedback(MONTH, data, tmp / "out", today=TODAY)
    return tmp, data, before, res


def test_returned_attachment_1_marks_each_fault_with_fill_and_chinese_comment(broken):
    _, _, _, res = broken
    files = res.owner(BANNER).files
    copy = next(f.copy for f in files if f.source.name == "附件1.xlsx")
    assert copy.parent == res.folder / BANNER and copy.name == "附件1（退回修改）.xlsx"
    marks = comments(copy)
    for ref, words in (("B4", "新会镇"), ("E5", "十四")):
        colour, text, author = marks[ref]
        assert colour == RED and author == AUTHOR
        assert words in text and "应填写：" in text and "规则：" in text
    row6 = {ref: v for ref, v in marks.items() if re.fullmatch(r"[A-Z]+6", ref)}
    assert row6 and all(v[0] == RED for v in row6.values())
    assert any("超过分散供养人数" in v[1] for v in row6.values())
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == FEEDBACK_SHEET and wb.active.title == FEEDBACK_SHEET
    assert wb["Sheet1"]["C5"].comment is None and wb["Sheet1"]["C5"].fill.fill_type is None   # a good cell stays as it was


def test_summary_sheet_lists_every_issue_in_excel_row_order(broken):
    _, data, _, res = broken
    copy = next(f.copy for f in res.owner(BANNER).files if f.source.name == "附件1.xlsx")
    _, listed = summary_rows(copy)
    m = load_month(MONTH, data)
    assert len(listed) == len([i for i in m.issues if i.file == "附件1.xlsx"])
    cells = [r["单元格"] for r in listed]
    rows = [int(re.search(r"\d+", c).group()) for c in cells]
    assert rows == sorted(rows)
    assert {"B4", "E5", "D6"} <= set(cells)
    assert all(r["应填写"] and r["规则"] for r in listed)


def test_missing_column_is_named_in_attachment_2_copy(broken):
    _, _, _, res = broken
    copy = next(f.copy for f in res.owner(BANNER).files if f.source.name == "附件2.xlsx")
    _, listed = summary_rows(copy)
    assert any(r["列"] == "工作人员人数" and "缺少必需列" in r["问题"] for r in listed)
    marks = comments(copy)
    header = [v for ref, v in marks.items() if ref.endswith("3")]       # the header row of the table
    assert header and "工作人员人数" in header[0][1]


def test_received_files_are_never_changed(broken):
    _, data, before, _ = broken
    assert hashes(data) == before


def test_receipt_lists_files_fingerprints_missing_counts_and_deadline(broken):
    _, _, _, res = broken
    policy = load_policy()
    o = res.owner(BANNER)
    r = o.receipt
    assert (r.errors, r.warnings) == (5, 0)
    assert res.deadline == TODAY + dt.timedelta(days=policy.feedback.resubmit_within_days)
    text = "\n".join(str(v) for row in openpyxl.load_workbook(o.receipt_path).active.iter_rows(values_only=True)
                     for v in row if v is not None)
    for f in o.files:
        assert f.source.sha256[:16] in text
    assert "乡镇工作进度台账：本月未收到" in text and "最低生活保障对象名册" in text
    assert res.deadline.isoformat() in text and "民政局设定" in text
    assert not any(word in text for word in ("resubmit_within_days", "policy.toml", "[feedback]"))
    town = res.owner(SEED_TOWNSHIPS[2][0])
    assert any("附件3" in x for x in town.receipt.missing) and town.receipt.files == []
    assert town.receipt_path.is_file()


def test_files_without_issues_are_not_copied(tmp_path):
    data = make_month(tmp_path)
    res = write_feedback(MONTH, data, tmp_path / "out", today=TODAY)
    assert not list(res.folder.rglob("*退回修改*"))
    assert res.owner(BANNER).receipt.errors == 0


def test_resubmission_with_two_faults_fixed(broken, tmp_path):
    """The township corrects E5 and row 6 (and the totals) in the copy it got back and sends it as a new file."""
    src, data0, _, res0 = broken
    data = tmp_path / "data"
    shutil.copytree(data0, data)
    out = tmp_path / "out"
    shutil.copytree(res0.folder.parent.parent, out)
    copy = next(f.copy for f in res0.owner(BANNER).files if f.source.name == "附件1.xlsx")
    wb = openpyxl.load_workbook(copy)
    ws = wb["Sheet1"]
    total_row = next(c.row for c in ws["A"] if c.value == "合 计")
    ws["E5"], ws["D6"] = 14, 0
    ws.cell(total_row, 4).value = sum(t[2] for t in SEED_TOWNSHIPS)
    ws.cell(total_row, 5).value = sum(t[3] for t in SEED_TOWNSHIPS)
    (data / MONTH / "附件1.xlsx").unlink()
    wb.save(data / MONTH / "附件1（修改）.xlsx")

    m = load_month(MONTH, data)
    assert not any(i.sheet == FEEDBACK_SHEET for i in m.issues)           # our own sheet is not read as data
    res = write_feedback(MONTH, data, out, today=TODAY + dt.timedelta(days=2))
    f1 = next(f for f in res.owner(BANNER).files if f.source.name == "附件1（修改）.xlsx")
    c = f1.changes
    assert c is not None and c.previous_name == "附件1.xlsx"
    assert sorted(d["code"] for d in c.fixed) == ["bad_number", "disabled_exceeds"]
    assert len(c.remaining) == 2 and not c.new                           # B4's name and the township it hides
    assert {"Sheet1!E5", "Sheet1!D6"} <= set(c.cells)
    f2 = next(f for f in res.owner(BANNER).files if f.source.name == "附件2.xlsx")
    assert len(f2.changes.remaining) == 1 and not f2.changes.fixed and not f2.changes.cells
    rows, listed = summary_rows(f1.copy)
    assert all(r["与上次相比"] == "仍未改正" for r in listed)
    text = "\n".join(str(v) for r in rows for v in r if v is not None)
    assert "已改正 2 项，仍未改正 2 项，新出现 0 项" in text and "已改正的问题（2 项）" in text
    marks = comments(f1.copy)
    assert "E5" not in marks and "B4" in marks                          # the old marks were taken off
    assert str(openpyxl.load_workbook(f1.copy)["Sheet1"]["E5"].fill.fgColor.rgb)[-6:] != RED
    again = write_feedback(MONTH, data, out, today=TODAY + dt.timedelta(days=2))   # same data: same answer
    g1 = next(f for f in again.owner(BANNER).files if f.source.name == "附件1（修改）.xlsx")
    assert len(g1.changes.fixed) == 2 and len(g1.changes.remaining) == 2


def test_every_input_kind_is_returned_to_its_owner(tmp_path):
    data = make_month(tmp_path, homes=False)
    folder = data / MONTH
    bad = list(GOOD)
    bad[11] = "还行"                                    # 护理情况: not an answer of the form
    write_xlsx(folder / "附件3" / "丰收乡.xlsx", form_rows([GOOD, bad]), title_rows=())
    from builders import home_sheet

    homes = home_sheet()
    homes[3][2] = "四十"                                 # a number cell holding text, in a CSV
    write_csv(folder / "附件2.csv", [["附件2"], *homes])
    write_xlsx(folder / "进度台账.xlsx", [PROGRESS_HEADER, *ledger_rows({"长胜镇": {"group_formed": "9月5号"}})],
               title_rows=("乡镇工作进度台账",))
    res = write_feedback(MONTH, data, tmp_path / "out", today=TODAY)

    town = res.owner("丰收乡")
    (form,) = [f for f in town.files if f.copy]
    assert form.copy.parent.name == "丰收乡"
    assert any("还行" in text for _, text, _ in comments(form.copy).values())

    banner = res.owner(BANNER)
    csv = next(f for f in banner.files if f.source.name == "附件2.csv")
    assert csv.converted == "CSV" and csv.copy.name == "附件2（退回修改）.xlsx"
    rows, listed = summary_rows(csv.copy)
    assert any("原文件为 CSV" in str(r[0]) for r in rows)
    marks = comments(csv.copy)
    assert any(v[0] == RED and "四十" in v[1] for v in marks.values())
    ledger = next(f for f in banner.files if f.source.name == "进度台账.xlsx")
    assert any("9月5号" in text for _, text, _ in comments(ledger.copy).values())
    assert any("CSV" in f.returned for f in banner.receipt.files)


def test_unreadable_file_gets_a_list_of_its_problems(tmp_path):
    data = make_month(tmp_path)
    (data / MONTH / "附件3 丰收乡.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    res = write_feedback(MONTH, data, tmp_path / "out", today=TODAY)
    (f,) = [f for f in res.owner("丰收乡").files]
    assert f.copy is not None and f.errors == 1
    rows, listed = summary_rows(f.copy)
    assert listed[0]["单元格"] == "—" and "无法读取" in "".join(str(r[0]) for r in rows)


def test_cli_feedback(tmp_path, capsys):
    data = broken_month(tmp_path)
    out = tmp_path / "out"
    assert main(["feedback", "--month", MONTH, "--data-dir", str(data), "--out", str(out), "--township", "丰收乡"]) == 0
    assert sorted(p.name for p in (out / MONTH / "反馈").iterdir()) == ["丰收乡", "反馈记录.json"]
    assert main(["feedback", "--month", MONTH, "--data-dir", str(data), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "敖汉旗：收到 2 个文件，错误 5 项" in printed
    assert main(["feedback", "--month", MONTH, "--data-dir", str(data), "--township", "新会镇"]) == 2
    assert "新惠镇" in capsys.readouterr().err


LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice 未安装（run.sh test 会安装 libreoffice-calc-nogui）")
def test_returned_copy_opens_in_libreoffice(broken, tmp_path):
    """LibreOffice opens the copy, prints the marked sheet and, asked to, exports the comments as PDF notes."""
    _, _, _, res = broken
    copy = next(f.copy for f in res.owner(BANNER).files if f.source.name == "附件1.xlsx")
    work = tmp_path / "copy.xlsx"
    shutil.copy(copy, work)
    pdf_filter = 'pdf:calc_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    run = subprocess.run([LIBREOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                          "--convert-to", pdf_filter, "--outdir", str(tmp_path), str(work)],
                         capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "copy.pdf"
    assert pdf.is_file(), run.stdout + run.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "问题清单" in text and "新会镇" in text and "十四" in text
    notes = [bytes.fromhex(h.decode()).decode("utf-16") for h in re.findall(rb"/Contents\s*<([0-9A-Fa-f]+)>", pdf.read_bytes())]
    assert any("不是已知的乡镇苏木街道" in n for n in notes), notes


def test_marked_copies_made_on_every_core_are_those_made_one_after_another(tmp_path, monkeypatch):
    """write_feedback marks the month's files on every core at once (forms.feedback, map_forked): the copies,
    the receipts' words and the record are the same as when they are made one after the other in this process."""
    import json

    from tekun_helpers.forms import feedback

    data = broken_month(tmp_path)
    folder = data / MONTH
    bad = list(GOOD)
    bad[11] = "还行"
    for town in ("丰收乡", "贝子府镇", "长胜镇"):
        write_xlsx(folder / "附件3" / f"{town}.xlsx", form_rows([GOOD, bad]), title_rows=())
    forked = write_feedback(MONTH, data, tmp_path / "forked", today=TODAY)
    monkeypatch.setattr(feedback, "map_forked", lambda func, items: [func(x) for x in items])
    here = write_feedback(MONTH, data, tmp_path / "here", today=TODAY)

    def made(res):
        return {(o.owner, f.source.name): (f.copy.name if f.copy else None, f.converted)
                for o in res.owners for f in o.files}

    assert made(forked) == made(here)
    copies = [(f.copy, h.copy) for o, p in zip(forked.owners, here.owners) for f, h in zip(o.files, p.files) if f.copy]
    assert len(copies) >= 4
    for a, b in copies:
        assert a.read_bytes() == b.read_bytes()
    assert [o.receipt for o in forked.owners] == [o.receipt for o in here.owners]
    assert json.loads(forked.record.read_text(encoding="utf-8")) == json.loads(here.record.read_text(encoding="utf-8"))
