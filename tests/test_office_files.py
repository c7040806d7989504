"""The files offices really send (issue 34, classes 4, 5 and 6): each is read, or refused with a Chinese
issue at its file, row and cell. Every input is built here; the tests assert codes and fields, not wording.

Class 4, formulas: an array or dynamic-array formula in a 合计 (its cached value, or the cell named);
  an Excel table's own total row (汇总).
Class 5, files: .ods; a CSV with a UTF-8 BOM over GBK text; a workbook zip with an entry twice; a .zip
  nobody extracted; ￥ amounts; 2023年8月3号; traditional characters in choice columns; a date of day 0.
Class 6: a CSV of mixed encodings, flagged at its row.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from builders import (rewrite_entry, ENGLISH_ERROR, TOWNSHIP_HEADER, bundled_month, by_code, edit_cell, home_sheet, make_month, one,
                      township_rows, township_sheet, township_total, write_xlsx)
from tekun_helpers import load_month

MONTH = "2023-08"
FUNDS = "特困人员供养资金拨付台账 2023-08.xlsx"
STAFF = "敬老院工作人员台账 2023-08.xlsx"


def clean(m):
    """No message quotes a traceback, an English exception name or a Python object's repr."""
    for i in m.issues:
        assert not re.search(ENGLISH_ERROR, i.message), i.message
        assert "object at" not in i.message and "openpyxl" not in i.message, i.message
        assert "00:00:00" not in i.message, i.message


def codes(m):
    return sorted({i.code for i in m.issues})


def rezip(path, edit, extra=()):
    """Rewrite the package at ``path``: each part through ``edit(name, bytes) -> bytes``, then ``extra`` parts
    (name, bytes) appended (a name already there is then stored twice)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, edit(info.filename, src.read(info.filename)))
        for name, data in extra:
            out.writestr(name, data)
    path.write_bytes(buf.getvalue())


# -- class 4: formulas ------------------------------------------------------------------------------------

def _total_with_array_formula(tmp_path, cached: str | None, dynamic: bool = False):
    """附件1 whose 合计 of 分散供养人数 (C22) is an array formula, with ``cached`` saved as its value or none."""
    rows = township_rows()
    total = township_total(rows)
    data = make_month(tmp_path, townships=township_sheet(rows, total=total))
    path = data / MONTH / "附件1.xlsx"
    wb = load_workbook(path)
    ws = wb.active
    assert ws["A22"].value == "合 计"
    ws["C22"] = ArrayFormula("C22", "=SUM(C4:C21)")
    wb.save(path)

    def edit(name, body):
        if name != "xl/worksheets/sheet1.xml":
            return body
        cell = re.search(rb'<c r="C22"[^>]*>.*?</c>', body).group(0)
        formula = re.search(rb"<f[^>]*>.*?</f>", cell).group(0)
        attrs = b' cm="1"' if dynamic else b""
        value = b"<v>" + cached.encode() + b"</v>" if cached is not None else b""
        return body.replace(cell, b'<c r="C22"' + attrs + b">" + formula + value + b"</c>")

    rezip(path, edit)
    return data


def test_an_array_formula_total_is_read_through_its_cached_value(tmp_path):
    m = load_month(MONTH, _total_with_array_formula(tmp_path, "2700"))
    clean(m)
    assert m.ok and not by_code(m, "total_formula"), codes(m)
    t = next(t for t in m.tables if t.table.key == "townships")
    assert t.total.values["dispersed"] == 2700


def test_a_dynamic_array_total_with_a_wrong_cached_value_is_compared(tmp_path):
    m = load_month(MONTH, _total_with_array_formula(tmp_path, "2710", dynamic=True))
    clean(m)
    issue = one(m, "total_mismatch")
    assert (issue.row, issue.column_letter) == (22, "C")
    assert issue.fields["stated"] == 2710 and issue.fields["actual"] == 2700


def test_an_array_formula_without_a_cached_value_names_its_cell(tmp_path):
    m = load_month(MONTH, _total_with_array_formula(tmp_path, None))
    clean(m)
    issue = one(m, "total_formula")
    assert (issue.file, issue.row, issue.column_letter) == ("附件1.xlsx", 22, "C")
    assert issue.fields["formula"] == "=SUM(C4:C21)"


def test_an_excel_tables_total_row_is_the_total(tmp_path):
    rows = township_rows()
    total = township_total(rows)
    total[0] = "汇总"
    m = load_month(MONTH, make_month(tmp_path, townships=township_sheet(rows, total=total)))
    clean(m)
    assert m.ok, codes(m)
    assert len(m.townships) == 18 and not by_code(m, "no_total")
    t = next(t for t in m.tables if t.table.key == "townships")
    assert t.total is not None and t.total.row == 22 and t.total.values["dispersed"] == 2700


def test_a_wrong_total_in_an_excel_tables_total_row_is_reported(tmp_path):
    rows = township_rows()
    total = township_total(rows)
    total[0], total[2] = "汇总", 2701
    m = load_month(MONTH, make_month(tmp_path, townships=township_sheet(rows, total=total)))
    issue = one(m, "total_mismatch")
    assert issue.row == 22 and issue.fields["difference"] == 1


# -- class 5: .ods --------------------------------------------------------------------------------------------

def _write_ods(path, rows):
    frame = pd.DataFrame([list(r) + [None] * (12 - len(r)) for r in rows])
    frame.to_excel(path, engine="odf", header=False, index=False)
    return path


def test_an_ods_saved_by_libreoffice_is_read(tmp_path):
    data = make_month(tmp_path, homes=False)
    _write_ods(data / MONTH / "附件2 养老机构情况统计表.ods", [["附件2"], ["敖汉旗养老机构8月情况统计表"], *home_sheet()])
    m = load_month(MONTH, data)
    clean(m)
    assert m.ok, [(i.code, i.message) for i in m.issues]
    assert len(m.homes) == 14 and int(m.homes.beds.sum()) == 733
    assert m.homes.source_file.iloc[0] == "附件2 养老机构情况统计表.ods"
    t = next(t for t in m.tables if t.table.key == "homes")
    assert t.header_row == 3 and t.total.row == 18          # Excel rows as LibreOffice shows them


def test_an_ods_cell_error_is_named_at_its_row(tmp_path):
    rows = township_rows()
    rows[4][2] = "一百"
    data = make_month(tmp_path, townships=False)
    _write_ods(data / MONTH / "附件1.ods", [["附件1"], ["统计表"], *township_sheet(rows, total=False)])
    m = load_month(MONTH, data)
    issue = one(m, "bad_number")
    assert (issue.file, issue.row, issue.column_letter, issue.value) == ("附件1.ods", 8, "C", "一百")


def test_an_ods_named_xlsx_is_read_with_a_warning(tmp_path):
    data = make_month(tmp_path, homes=False)
    _write_ods(data / MONTH / "附件2.ods", [["附件2"], ["统计表"], *home_sheet()])
    (data / MONTH / "附件2.ods").rename(data / MONTH / "附件2.xlsx")
    m = load_month(MONTH, data)
    assert one(m, "file_extension").fields == {"suffix": ".xlsx"} and len(m.homes) == 14


def test_a_broken_ods_is_refused_in_chinese(tmp_path):
    data = make_month(tmp_path)
    (data / MONTH / "坏.ods").write_bytes(b"PK\x03\x04" + b"\0" * 200)
    m = load_month(MONTH, data)
    clean(m)
    assert one(m, "file_unreadable").file == "坏.ods"


# -- class 5 and 6: CSV encodings -------------------------------------------------------------------------

def _csv_lines(rows) -> list[str]:
    return [",".join("" if v is None else str(v) for v in r) for r in rows]


def test_a_utf8_bom_over_gbk_text_is_read_as_gbk(tmp_path):
    data = make_month(tmp_path, townships=False)
    lines = _csv_lines([["附件1"], *township_sheet()])
    (data / MONTH / "附件1.csv").write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("gbk"))
    m = load_month(MONTH, data)
    clean(m)
    assert one(m, "csv_bom_gbk").file == "附件1.csv"
    assert codes(m) == ["csv_bom_gbk"]
    assert len(m.townships) == 18 and int(m.townships.dispersed.sum()) == 2700


def test_a_csv_of_mixed_encodings_is_flagged_at_its_row(tmp_path):
    data = make_month(tmp_path, townships=False)
    lines = _csv_lines([["附件1"], *township_sheet()])
    body = b"\r\n".join(line.encode("gbk" if i in (6, 9) else "utf-8") for i, line in enumerate(lines))
    (data / MONTH / "附件1.csv").write_bytes(body)
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "csv_mixed_encoding")
    assert (issue.file, issue.row) == ("附件1.csv", 7) and issue.fields["count"] == 2
    assert "GBK" in issue.fields["this"] and issue.fields["main"] == "UTF-8"
    assert len(m.townships) == 18 and not by_code(m, "unknown_name")   # nothing lost: every row read in its own


def test_a_csv_row_in_neither_encoding_is_named(tmp_path):
    data = make_month(tmp_path, townships=False)
    lines = [line.encode("gb18030") for line in _csv_lines([["附件1"], *township_sheet()])]
    lines[4] = lines[4].replace("乡".encode("gb18030"), b"\xff\xff") if "乡".encode("gb18030") in lines[4] \
        else lines[4] + b"\xff\xff"
    (data / MONTH / "附件1.csv").write_bytes(b"\r\n".join(lines))
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "csv_row_encoding")
    assert (issue.file, issue.row, issue.fields["count"]) == ("附件1.csv", 5, 1)
    assert len(m.townships) >= 17


def test_a_quoted_line_break_keeps_the_csv_row_number(tmp_path):
    data = make_month(tmp_path, townships=False)
    rows = [["附件1"], *township_sheet()]
    rows[1] = [c.replace("：", "：\n") if isinstance(c, str) else c for c in rows[1]]   # a header cell over two lines
    text = "\r\n".join(",".join(f'"{v}"' if isinstance(v, str) and "\n" in v else ("" if v is None else str(v))
                                for v in r) for r in rows)
    lines = text.split("\n")
    body = "\n".join(lines).encode("utf-8")
    raw = body.split(b"\n")
    raw[9] = raw[9].decode("utf-8").encode("gbk")            # physical line 10 is CSV row 9
    (data / MONTH / "附件1.csv").write_bytes(b"\n".join(raw))
    m = load_month(MONTH, data)
    assert one(m, "csv_mixed_encoding").row == 9


# -- class 5: a workbook with an entry twice, and archives ----------------------------------------------------

@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_workbook_with_a_duplicate_entry_is_refused(tmp_path):
    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    rezip(path, lambda n, b: b, extra=[("xl/worksheets/sheet1.xml", sheet.replace(b"<v>2700</v>", b"<v>9999</v>"))])
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "zip_duplicate_entries")
    assert issue.file == "附件1.xlsx" and issue.fields["entry"] == "xl/worksheets/sheet1.xml"
    assert issue.fields["count"] == 2 and issue.is_error
    assert one(m, "table_missing").fields["table"].startswith("附件1")
    assert m.townships.empty                               # never the second copy's figures


def _zip_of(path, names, utf8=True):
    """A zip holding ``names``; with ``utf8`` False the names are stored in GBK bytes without the UTF-8 flag,
    as a zip made on Chinese Windows."""
    raw = [n.encode("utf-8" if utf8 else "gbk") for n in names]
    with zipfile.ZipFile(path, "w") as z:
        for i, n in enumerate(names):
            z.writestr(n if utf8 else f"{i:0{len(raw[i])}d}", b"x")
    if not utf8:
        body = path.read_bytes()
        for i, r in enumerate(raw):
            body = body.replace(f"{i:0{len(r)}d}".encode(), r)
        path.write_bytes(body)
    return path


def test_a_zip_nobody_extracted_is_named_with_what_it_holds(tmp_path):
    data = make_month(tmp_path)
    names = [f"附件3/附件3 排查评估表 {t} 2023-08.xlsx" for t in ("下洼镇", "丰收乡")] + ["说明.docx"]
    _zip_of(data / MONTH / "附件3.zip", names)
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "archive_not_extracted")
    assert issue.file == "附件3.zip" and issue.fields["count"] == 2
    assert "附件3 排查评估表 下洼镇 2023-08.xlsx" in issue.fields["names"] and "说明" not in issue.fields["names"]
    missing = one(m, "table_in_archive")
    assert missing.file == "附件3.zip" and missing.fields["table"].startswith("附件3")
    assert missing.fields["inner"] == names[0]
    assert not by_code(m, "file_ignored")


def test_a_zip_with_gbk_names_holding_the_missing_attachment_2(tmp_path):
    data = make_month(tmp_path, homes=False)
    _zip_of(data / MONTH / "8月报表.zip", ["附件2 敖汉旗养老机构8月情况统计表.xlsx"], utf8=False)
    m = load_month(MONTH, data)
    assert one(m, "archive_not_extracted").fields["names"] == "《附件2 敖汉旗养老机构8月情况统计表.xlsx》"
    assert one(m, "table_in_archive").fields["table"].startswith("附件2")
    assert one(m, "table_missing").fields["table"].startswith("附件2")


def test_an_archive_that_cannot_be_listed(tmp_path):
    data = make_month(tmp_path)
    (data / MONTH / "报表.rar").write_bytes(b"Rar!\x1a\x07\x00" + b"\0" * 64)
    (data / MONTH / "空.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    m = load_month(MONTH, data)
    clean(m)
    found = {i.file: i for i in by_code(m, "archive_not_extracted")}
    assert found["报表.rar"].fields == {"kind": "RAR"} and found["空.zip"].fields == {}


# -- class 5: money, dates, traditional characters ----------------------------------------------------------

def test_amounts_with_currency_signs_and_dates_with_hao(tmp_path):
    data = bundled_month(tmp_path)
    path = data / MONTH / FUNDS
    row, _ = edit_cell(path, "拨付金额", "新惠镇敬老院", "￥54,000.00")
    edit_cell(path, "拨付日期", "新惠镇敬老院", "2023年8月3号")
    edit_cell(path, "拨付金额", "贝子府镇敬老院", "¥28,800")
    m = load_month(MONTH, data)
    clean(m)
    assert not [i for i in m.issues if i.file == FUNDS], [i.message for i in m.issues if i.file == FUNDS]
    got = m.funds.set_index("home")
    assert got.loc["新惠镇敬老院", "allocated"] == Decimal("54000.00")
    assert got.loc["新惠镇敬老院", "allocated_on"] == dt.date(2023, 8, 3)
    assert got.loc["贝子府镇敬老院", "allocated"] == Decimal("28800.00")


@pytest.mark.parametrize("value, shown", [(0, "1900-01-00"), ("2023-08-00", "2023-08-00"),
                                          ("2023年8月0日", "2023年8月0日")])
def test_a_date_of_day_zero_is_refused(tmp_path, value, shown):
    data = bundled_month(tmp_path)
    path = data / MONTH / FUNDS
    row, letter = edit_cell(path, "拨付日期", "新惠镇敬老院", value)
    if value == 0:
        wb = load_workbook(path)
        wb.active[f"{letter}{row}"].number_format = "yyyy-mm-dd"
        wb.save(path)
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "bad_date")
    assert (issue.file, issue.row, issue.column_letter) == (FUNDS, row, letter)
    assert issue.value == shown and issue.fields["raw"] == shown and "0" in issue.fields["why"]


def test_traditional_characters_in_every_choice_column(tmp_path):
    data = bundled_month(tmp_path)
    form = sorted((data / MONTH / "附件3").glob("*.xlsx"))[0]
    wb = load_workbook(form)
    ws = wb.active
    header = [c.value for c in ws[3]]
    col = {h.split("：")[0] if isinstance(h, str) else h: i + 1 for i, h in enumerate(header)}
    answers = {"居住环境": ("整潔乾淨", "整洁干净"), "生活质量": ("較好", "较好"), "护理情况": ("較差", "较差"),
               "自理情况": ("半失能", "半失能"), "住房情况": ("幸福院", "幸福院"),
               "生病是否能得到及时救治": ("是", "是"), "评估结果": ("較差", "较差")}
    for label, (written, _) in answers.items():
        ws.cell(4, col[label]).value = written
    ws.cell(5, col["居住环境"]).value = "髒亂差"
    wb.save(form)
    staff = data / MONTH / STAFF
    edit_cell(staff, "岗位", "韩春", "養老護理員")
    edit_cell(staff, "专职或兼职", "韩春", "兼職")
    m = load_month(MONTH, data)
    clean(m)
    assert not by_code(m, "unknown_answer"), [i.message for i in by_code(m, "unknown_answer")]
    person = m.assessments[(m.assessments.source_file == f"附件3/{form.name}") & (m.assessments.source_row == 4)]
    assert person.environment.iloc[0] == "整洁干净" and person.quality.iloc[0] == "较好"
    assert person.care.iloc[0] == "较差" and person.result.iloc[0] == "较差"
    second = m.assessments[(m.assessments.source_file == f"附件3/{form.name}") & (m.assessments.source_row == 5)]
    assert second.environment.iloc[0] == "脏乱差"
    han = m.staff[m.staff.staff_name == "韩春"].iloc[0]
    assert (han.role, han.employment) == ("护理人员", "兼职")


def test_an_unknown_answer_in_traditional_characters_is_still_refused(tmp_path):
    data = make_month(tmp_path)
    from tekun_helpers.config.schema import ASSESSMENT_HEADER
    person = [1, "某村", "张三", "男", 70, None, None, None, "自理", "自有", "乾坤", "较好", "较好", "是", "是", "否",
              "较好", None]
    write_xlsx(data / MONTH / "附件3.xlsx", [ASSESSMENT_HEADER, person], title_rows=("附件3", "填报单位：下洼镇"))
    m = load_month(MONTH, data)
    issue = one(m, "unknown_answer")
    assert issue.fields["raw"] == "乾坤" and issue.row == 4


def test_a_gbk_line_that_happens_to_be_valid_utf8_is_read_as_gbk(tmp_path):
    data = make_month(tmp_path, townships=False)
    lines = _csv_lines([["附件1"], *township_sheet()]) + ["注,一,女"]
    assert "注,一,女".encode("gbk").decode("utf-8")            # valid UTF-8 by accident
    (data / MONTH / "附件1.csv").write_bytes("\r\n".join(lines).encode("gbk"))
    m = load_month(MONTH, data)
    assert m.ok and not by_code(m, "csv_mixed_encoding"), codes(m)
    assert len(m.townships) == 18


def test_an_ods_cell_repeated_over_thousands_of_columns_is_refused_quickly(tmp_path):
    data = make_month(tmp_path)
    path = _write_ods(data / MONTH / "宽.ods", [["附件1"], *township_sheet()])

    def widen(body: bytes) -> bytes:
        body = re.sub(rb'<table:table-row([^>]*)>', rb'<table:table-row table:number-rows-repeated="100000"\1>',
                      body, count=1)
        body = body.replace(b'<table:table-cell office:value-type="string"',
                            b'<table:table-cell table:number-columns-repeated="16000" office:value-type="string"', 1)
        assert b'number-columns-repeated="16000"' in body
        return body

    rewrite_entry(path, "content.xml", widen)
    m = load_month(MONTH, data)
    clean(m)
    assert one(m, "file_unreadable").file == "宽.ods"


def _as_excel_table(path, ref):
    """Make ``ref`` of the workbook's first sheet an Excel table with its own total row (the last row of ref)."""
    from openpyxl.worksheet.table import Table

    wb = load_workbook(path)
    ws = wb.active
    table = Table(displayName="表1", ref=ref, totalsRowCount=1)
    table._initialise_columns()
    ws.add_table(table)
    wb.save(path)


def test_an_excel_tables_total_row_without_a_label_is_the_total(tmp_path):
    rows = township_rows()
    total = township_total(rows)
    total[0], total[2] = None, 2705          # the total row Excel adds: SUBTOTAL values, no 合计 written
    data = make_month(tmp_path, townships=township_sheet([[x if x is not None else "" for x in r] for r in rows],
                                                          total=total))
    _as_excel_table(data / MONTH / "附件1.xlsx", "A3:F22")
    m = load_month(MONTH, data)
    clean(m)
    assert len(m.townships) == 18 and not by_code(m, "empty_name")
    issue = one(m, "total_mismatch")
    assert (issue.row, issue.column_letter, issue.fields["stated"], issue.fields["actual"]) == (22, "C", 2705, 2700)


def test_an_excel_tables_total_row_under_a_form_is_no_person(tmp_path):
    from tekun_helpers.config.schema import ASSESSMENT_HEADER

    data = make_month(tmp_path)
    people = [[1, "甲村", "张三", "男", 70, "", "", "", "自理", "自有", "整洁干净", "较好", "较好", "是", "是", "否", "较好", ""],
              [2, "乙村", "李四", "女", 80, "", "", "", "自理", "自有", "整洁干净", "较好", "较好", "是", "是", "否", "较好", ""],
              [None, None, 2, None, 75]]        # the table's total row: a count of names, an average age
    write_xlsx(data / MONTH / "附件3.xlsx", [ASSESSMENT_HEADER, *people], title_rows=("附件3", "填报单位：下洼镇"))
    _as_excel_table(data / MONTH / "附件3.xlsx", "A3:R6")
    m = load_month(MONTH, data)
    assert list(m.assessments.name) == ["张三", "李四"]
    assert codes(m) == ["assessment_count", "assessment_not_sent"], [i.message for i in m.issues]


def test_an_entity_declaration_behind_a_long_comment_is_refused(tmp_path):
    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"
    prolog = b'<?xml version="1.0"?><!--' + b" " * 10000 + b'--><!DOCTYPE x [<!ENTITY a "b">]>'
    rezip(path, lambda n, b: prolog + re.sub(rb"^<\?xml[^>]*\?>", b"", b) if n == "xl/worksheets/sheet1.xml" else b)
    m = load_month(MONTH, data)
    clean(m)
    assert one(m, "file_unreadable").file == "附件1.xlsx"


def test_an_absurd_total_row_count_in_a_table_part_is_not_believed(tmp_path):
    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"
    _as_excel_table(path, "A3:F22")
    rezip(path, lambda n, b: b.replace(b'totalsRowCount="1"', b'totalsRowCount="999999999"') if "tables/" in n else b)
    m = load_month(MONTH, data)
    assert m.ok and len(m.townships) == 18


def test_the_command_on_a_month_of_such_files_prints_no_traceback(tmp_path):
    """Every class of this file in one month folder, through the real command: Chinese lines only
    (its time is not asserted here: a loaded machine would fail it)."""
    from builders import tekun

    data = make_month(tmp_path, homes=False)
    folder = data / MONTH
    _write_ods(folder / "附件2.ods", [["附件2"], ["统计表"], *home_sheet()])
    lines = _csv_lines([["附件1"], *township_sheet()])
    (folder / "附件1 另存.csv").write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("gbk"))
    (folder / "混合.csv").write_bytes(b"\r\n".join(x.encode("gbk" if i % 2 else "utf-8") for i, x in enumerate(lines)))
    (folder / "坏.ods").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    _zip_of(folder / "附件3.zip", ["附件3 排查评估表 下洼镇 2023-08.xlsx"], utf8=False)
    twice = write_xlsx(folder / "两份.xlsx", township_sheet())
    sheet = zipfile.ZipFile(twice).read("xl/worksheets/sheet1.xml")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rezip(twice, lambda n, b: b, extra=[("xl/worksheets/sheet1.xml", sheet)])
    res = tekun("validate", "--month", MONTH, "--data-dir", data)
    assert res.returncode == 1, res.stderr
    assert not res.stderr.strip(), res.stderr
    assert not re.search(ENGLISH_ERROR, res.stdout) and "object at" not in res.stdout, res.stdout
    for word in ("未解压", "BOM", "两份.xlsx", "坏.ods"):
        assert word in res.stdout, word
