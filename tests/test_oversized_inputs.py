"""Oversized and expanding inputs (huge numbers, huge CSV fields, entity declarations, zip bombs): each ends in a
Chinese issue at its file and cell, or a correct load.

Every input is built here. No message may hold a traceback or the name of a Python exception.

Class 2, exception text that reached the user
 1. a count of 5,000 digits, as a number cell and as text (Python's int() refuses 4,300+ digits)
 2. 1e30 as money in the bundled money ledger, as a number and as text
 3. a CSV field over 128 KB (the csv module's default field limit)
 4. an XML entity declaration in a worksheet
Class 3, small files that expand
 5. shared strings with more entries than any month's tables
 6. a package that expands beyond the total limit
 7. a worksheet stored outside xl/worksheets/ is size-checked
"""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from builders import (ENGLISH_ERROR, TOWNSHIP_HEADER, bundled_month, by_code, edit_cell, make_month, one, tekun,
                      township_rows, township_sheet, write_csv, write_xlsx)
from tekun_helpers import load_month
from tekun_helpers.io import workbooks

MONTH = "2023-08"
FUNDS = "特困人员供养资金拨付台账 2023-08.xlsx"


def rezip(path, edit):
    """Rewrite every part of the package at ``path`` through ``edit(name, bytes) -> (name, bytes)``."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            name, data = edit(info.filename, src.read(info.filename))
            out.writestr(name, data)
    path.write_bytes(buf.getvalue())


def clean(m):
    """No issue of the month quotes a traceback or an English exception name."""
    for i in m.issues:
        assert not re.search(ENGLISH_ERROR, i.message), i.message


def at(issue, file, row=None, letter=None):
    assert issue.file == file and f"《{file}》" in issue.message, issue.message
    if row is not None:
        assert issue.row == row and f"第{row}行" in issue.message, issue.message
    if letter is not None:
        assert issue.column_letter == letter and f"{letter}列" in issue.message, issue.message


# -- class 2 -------------------------------------------------------------------------------

def test_a_count_of_5000_digits_as_a_number_cell(tmp_path):
    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"
    rows = township_rows()
    rows[2][2] = 777777
    write_xlsx(path, township_sheet(rows))
    rezip(path, lambda n, b: (n, b.replace(b"<v>777777</v>", b"<v>" + b"9" * 5000 + b"</v>")))
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "bad_number")
    at(issue, "附件1.xlsx", row=6, letter="C")
    assert "5000 位数字" in issue.fields["why"] and "过大" in issue.fields["why"]
    assert len(m.townships) == 18 and m.townships.dispersed.isna().sum() == 1   # only the bad cell is missing


def test_a_count_of_5000_digits_as_text(tmp_path):
    rows = township_rows()
    rows[2][2] = "9" * 5000
    rows[3][2] = "9" * 5000 + ".0"
    data = make_month(tmp_path, townships=township_sheet(rows, total=False))
    m = load_month(MONTH, data)
    clean(m)
    found = by_code(m, "bad_number")
    assert [(i.row, i.column_letter) for i in found] == [(6, "C"), (7, "C")], [i.message for i in m.issues]
    assert all("过大" in i.message for i in found)


@pytest.mark.parametrize("value", [1e30, "1e30", "1000000000000000000000000000000.00"])
def test_1e30_as_money_in_the_bundled_ledger(tmp_path, value):
    data = bundled_month(tmp_path)
    row, letter = edit_cell(data / MONTH / FUNDS, "拨付金额", "新惠镇敬老院", value, sheet="资金拨付台账")
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "bad_money")
    at(issue, FUNDS, row=row, letter=letter)
    assert issue.sheet == "资金拨付台账" and "过大" in issue.message, issue.message
    assert len(m.funds) > 1        # the other homes' allocations are read


def test_a_csv_field_over_128_kb(tmp_path):
    data = make_month(tmp_path, townships=False)
    rows = township_rows()
    rows[3][1] = "贝子府镇" + "长" * 200_000        # a township name of 200,000 characters
    write_csv(data / MONTH / "附件1.csv", [TOWNSHIP_HEADER, *rows])
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "unknown_name")
    at(issue, "附件1.csv", row=5, letter="B")
    assert "共 200004 字" in issue.message             # quoted clipped, never whole
    assert len(m.townships) == 17


def test_an_xml_entity_declaration_in_a_sheet(tmp_path):
    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"
    decl = b'<!DOCTYPE worksheet [<!ENTITY big "0123456789">]>'
    rezip(path, lambda n, b: (n, re.sub(rb"^(<\?xml[^>]*\?>)?", lambda mm: (mm.group(0) or b"") + decl, b, count=1)
                              if n.endswith("sheet1.xml") else b))
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "file_unreadable")
    at(issue, "附件1.xlsx")
    assert "实体声明" in issue.message and "xl/worksheets/sheet1.xml" in issue.message
    assert not m.ok


# -- class 3 -------------------------------------------------------------------------------

def test_shared_strings_that_expand_are_refused_before_parsing(tmp_path, monkeypatch):
    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
           b'main" count="1000000" uniqueCount="1000000">' + b"<si><t>a</t></si>" * 1_000_000 + b"</sst>")

    def edit(name, b):
        if name == "[Content_Types].xml":
            b = b.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                       b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        return name, b

    rezip(path, edit)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", sst)
    assert path.stat().st_size < 200_000             # a small file
    import openpyxl

    from tekun_helpers.io import fastxlsx

    opened = []
    real, real_fast = openpyxl.load_workbook, fastxlsx.read_xlsx
    monkeypatch.setattr(openpyxl, "load_workbook", lambda f, *a, **k: opened.append(str(f)) or real(f, *a, **k))
    monkeypatch.setattr(fastxlsx, "read_xlsx", lambda f, *a, **k: opened.append(str(f)) or real_fast(f, *a, **k))
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "file_unreadable")
    at(issue, "附件1.xlsx")
    assert "共享字符串" in issue.message and "200,000" in issue.message
    # refused before a reader (openpyxl or calamine) parses a million strings (which takes minutes): never opened
    assert not any("附件1.xlsx" in f for f in opened), opened
    assert any("附件2.xlsx" in f for f in opened), opened


def test_a_package_that_expands_beyond_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_PACKAGE_BYTES", 200_000)     # the limit itself is 1 GB
    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * 300_000)
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "file_unreadable")
    at(issue, "附件1.xlsx")
    assert "解压后共" in issue.message and "未读取" in issue.message


def test_a_worksheet_stored_outside_the_worksheets_folder_is_size_checked(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_SHEET_BYTES", 100_000)
    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"
    write_xlsx(path, township_sheet() + [["注：" + "很长的说明" * 100]] * 100)

    def move(name, b):
        b = b.replace(b"worksheets/sheet1.xml", b"elsewhere/data.xml")
        return name.replace("worksheets/sheet1.xml", "elsewhere/data.xml"), b

    rezip(path, move)
    assert "xl/elsewhere/data.xml" in zipfile.ZipFile(path).namelist()
    m = load_month(MONTH, data)
    clean(m)
    issue = one(m, "file_unreadable")
    at(issue, "附件1.xlsx")
    assert "工作表解压后超过" in issue.message


# -- class 4: control characters ---------------------------------------------------------------

FORGED = "附件1\x1b[2J\x07\n未发现问题。\n.csv"


def test_control_characters_in_a_file_name_and_a_cell_are_shown_escaped(tmp_path):
    rows = township_rows()
    rows[0][1] = "敖润苏莫苏木\x1b[31m"
    data = make_month(tmp_path, townships=False)
    write_csv(data / MONTH / FORGED, township_sheet(rows))
    m = load_month(MONTH, data)
    issue = one(m, "unknown_name")
    assert issue.file == FORGED                           # the real name, to find the file
    for text in (issue.message, issue.value):
        assert not re.search("[\x00-\x1f\x7f]", text), repr(text)
    assert "⟨ESC⟩[2J⟨BEL⟩↵未发现问题。↵.csv" in issue.message and "敖润苏莫苏木⟨ESC⟩[31m" in issue.message
    run = tekun("validate", "--month", MONTH, "--data-dir", data)
    assert run.returncode == 1
    assert "\x1b" not in run.stdout + run.stderr and "\x07" not in run.stdout + run.stderr
    assert "未发现问题。" not in run.stdout.splitlines(), run.stdout   # no forged line
    assert not re.search(ENGLISH_ERROR, run.stdout + run.stderr)


# -- class 5: tables lost without naming the file ---------------------------------------------

def test_strict_ooxml_workbook_is_read_with_a_warning(tmp_path):
    from tekun_helpers.io.workbooks import STRICT_NAMESPACES

    data = make_month(tmp_path)
    path = data / MONTH / "附件1.xlsx"

    def to_strict(name, b):
        if name.endswith((".xml", ".rels")):
            for strict, transitional in STRICT_NAMESPACES:
                b = b.replace(transitional, strict)
            b = b.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        return name, b

    rezip(path, to_strict)
    assert b"purl.oclc.org" in zipfile.ZipFile(path).read("xl/workbook.xml")
    m = load_month(MONTH, data)
    clean(m)
    at(one(m, "strict_ooxml"), "附件1.xlsx")
    assert m.ok and len(m.townships) == 18 and m.townships.dispersed.sum() == 2700


def test_two_tables_on_one_sheet(tmp_path):
    from builders import home_sheet

    data = make_month(tmp_path, townships=False, homes=False)
    write_xlsx(data / MONTH / "附件1和附件2.xlsx", township_sheet() + [[], ["附件2"], ["敖汉旗养老机构8月情况统计表"]]
               + home_sheet())
    m = load_month(MONTH, data)
    assert m.ok, [i.message for i in m.issues]
    assert not by_code(m, "row_after_total")
    assert (len(m.townships), len(m.homes)) == (18, 14)
    assert (m.townships.dispersed.sum(), m.homes.beds.sum()) == (2700, 733)


def test_total_row_first(tmp_path):
    rows = township_rows()
    from builders import township_total

    data = make_month(tmp_path, townships=[TOWNSHIP_HEADER, township_total(rows), *rows])
    m = load_month(MONTH, data)
    assert m.ok and not by_code(m, "row_after_total") and not by_code(m, "no_total"), [i.message for i in m.issues]
    assert len(m.townships) == 18
    # the 合计 row is still checked against the rows
    rows2 = township_rows()
    total = township_total(rows2)
    total[2] += 1
    data2 = make_month(tmp_path / "b", townships=[TOWNSHIP_HEADER, total, *rows2])
    at(one(load_month(MONTH, data2), "total_mismatch"), "附件1.xlsx", row=4, letter="C")


@pytest.mark.parametrize("char, word", [("\u200b", "零宽空格"), ("\ufeff", "BOM"), ("\u00ad", "软连字符")])
def test_invisible_character_in_a_township_name(tmp_path, char, word):
    rows = township_rows()
    rows[1][1] = "贝子" + char + "府镇"
    data = make_month(tmp_path, townships=township_sheet(rows))
    m = load_month(MONTH, data)
    issue = one(m, "invisible_characters")
    assert issue.severity == "warning" and word in issue.fields["chars"] and issue.fields["official"] == "贝子府镇"
    at(issue, "附件1.xlsx", row=5, letter="B")
    assert m.ok and "贝子府镇" in set(m.townships.township)


# -- class 6: accepted silently ----------------------------------------------------------------

def test_a_decimal_comma_in_a_count_is_an_error_and_thousands_stay(tmp_path):
    rows = township_rows()
    rows[0][2], rows[1][2] = "1,3", "1,300"
    data = make_month(tmp_path, townships=township_sheet(rows, total=False))
    m = load_month(MONTH, data)
    issue = one(m, "bad_number")
    at(issue, "附件1.xlsx", row=4, letter="C")
    assert "逗号" in issue.fields["why"] and issue.fields["raw"] == "1,3"
    assert m.townships.set_index("township").dispersed["贝子府镇"] == 1300


def test_a_form_of_another_month(tmp_path):
    from openpyxl import load_workbook

    data = bundled_month(tmp_path)
    path = next((data / MONTH / "附件3").glob("*丰收乡*"))
    wb = load_workbook(path)
    cell = next(c for r in wb.active.iter_rows(max_row=3) for c in r if str(c.value or "").startswith("月份"))
    cell.value = "月份：2023年9月"
    wb.save(path)
    m = load_month(MONTH, data)
    issue = one(m, "wrong_month")
    rel = f"附件3/{path.name}"
    assert issue.severity == "error" and issue.fields == {"year": 2023, "number": 9, "stated": "2023-09", "month": "2023-08"}
    at(issue, rel, row=cell.row, letter=cell.column_letter)


def test_a_decimal_needed_residents_is_a_warning(tmp_path):
    from builders import home_rows, home_sheet

    rows = home_rows()
    rows[1][4] = 14.4
    data = make_month(tmp_path, homes=home_sheet(rows))
    m = load_month(MONTH, data)
    issue = one(m, "bad_recomputed")
    assert issue.severity == "warning" and "不是整数" in issue.fields["why"]
    at(issue, "附件1.xlsx".replace("1", "2"), row=5, letter="E")
    assert m.ok


# -- class 7: file names in GBK bytes -----------------------------------------------------------

def test_a_file_name_in_gbk_bytes(tmp_path):
    import json
    import os

    data = make_month(tmp_path, townships=False)
    raw = "附件1 分乡镇统计表.xlsx".encode("gbk")
    write_xlsx(data / MONTH / os.fsdecode(raw), township_sheet())
    m = load_month(MONTH, data)
    issue = one(m, "file_name_encoding")
    assert issue.file == "附件1 分乡镇统计表.xlsx" and "GBK" in issue.message and "改名" in issue.message
    assert m.ok and len(m.townships) == 18
    json.dumps([i.as_json() for i in m.issues], ensure_ascii=False).encode("utf-8")   # printable and storable
    assert len(m.fingerprint) == 12
    run = tekun("validate", "--month", MONTH, "--data-dir", data)
    assert run.returncode == 0 and "附件1 分乡镇统计表.xlsx" in run.stdout, run.stdout + run.stderr
    assert not re.search(ENGLISH_ERROR, run.stdout + run.stderr)


# -- class 8: --month ---------------------------------------------------------------------------

@pytest.mark.parametrize("month", ["２０２３-０８", "٢٠٢٣-٠٨", "2023-08\n", " 2023-08"])
def test_month_with_other_digits_or_a_newline_is_a_usage_error(tmp_path, month):
    run = tekun("validate", "--month", month)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "YYYY-MM" in run.stderr and "找不到" not in run.stderr + run.stdout
    assert not re.search(ENGLISH_ERROR, run.stderr)
