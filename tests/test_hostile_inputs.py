"""A corpus of broken and hostile inputs: each ends in a clear issue, never a traceback.

Every case is generated here, in a month folder made by ``builders.make_month``.
``load_month`` must not raise; each issue names the file, the sheet, the Excel row
and the column where they apply, in Chinese; and when the case is an error,
``reports.check_month_data`` raises ValidationFailed, so no report is claimed.

Files that cannot be read
 1. a zip archive that is not a workbook, named .xlsx
 2. a Word document renamed .xlsx
 3. an .xlsx cut in half (copy interrupted)
 4. a password-protected workbook: an OLE compound file (magic bytes + junk) named .xlsx
 5. a password-protected workbook whose OLE directory names the EncryptedPackage stream
 6. an old .xls renamed .xlsx (read as .xls, with a warning)
 7. an .xlsx renamed .xls (read as .xlsx, with a warning)
 8. a web page (HTML table) saved as .xls, as some systems export
 9. random bytes named .xls
10. an empty .xlsx file (0 bytes)
11. an empty .csv file
12. a .csv in neither UTF-8 nor GB18030
13. a worksheet that unpacks to more than the size limit (zip bomb guard)

Structure of a workbook
14. a hidden sheet holding a second copy of the township table
15. 100,000 rows formatted (a fill) but empty, written by openpyxl
16. 1,000,000 styled empty cells (A1:J100000) and a sheet dimension of A1:XFD1048576
17. totals written as formulas without cached values
18. a count written as a formula without a cached value
19. a header split over two merged rows
20. two columns both labelled 分散供养人数 (a counted field)
21. two columns both labelled 备注 (a text field)

Values
22. a date in a count column
23. a percentage (number format 0%) in a count column
24. a logical value (TRUE) in a count column
25. a count of 10^20 (a number) and one of 30 digits (text)
26. a township name of 500 characters

Traditional characters
27. 貝子府鎮 in the township table
28. 豐收鄉敬老院 in the homes table
29. 填报单位：豐收鄉 on an assessment form
30. every reference name, and the table headers, in traditional characters

People's names on an assessment form
31. 𠮷 (outside the Basic Multilingual Plane) in a name and a guardian's name
32. a name of 500 characters
33. <script>alert(1)</script> as a name
34. <img src=x onerror=alert(1)> as a name
35. =HYPERLINK("http://x","y") as a name (a formula cell without a cached value)

The inspection checklist (督查检查表, the bureau's own form)
36. an answer that is not one of the four (很好)
37. a home not in the reference data (贝子府敬老院) on every row
38. an inspection date outside the folder's month (2023-09-02 in 2023-08)

The complaints and media register (举报与媒体报道问题登记表, the bureau's own form)
39. a channel that is not one of complaints.toml's (托梦)
40. words in a date column (下周一) and a day of 2023-02-30
41. a case closed before it was received, and published without being closed
42. a home not in the reference data (贝子府敬老院), kept as written with a warning
43. <script>, a formula and 18 digits in what was reported, read as literal text; the public text masks the digits
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, PatternFill, Side

from builders import (by_code, one, ROOT, TOWNSHIP_HEADER, home_rows, home_sheet, make_month, township_rows, township_sheet,
                      township_total, write_xlsx)
from test_assessments import GOOD, form_rows
from tekun_helpers import load_month
from tekun_helpers.io import workbooks
from tekun_helpers.core.exceptions import ValidationFailed
from tekun_helpers.io.privacy import mask_name
from tekun_helpers.config.reference import load_reference
from tekun_helpers.publish.reports import check_month_data
from tekun_helpers.core.text import fold
from tekun_helpers.forms.complaints import SHEET as COMPLAINT_SHEET
from tekun_helpers.forms.complaints import complaints_filename, write_complaints_form
from tekun_helpers.forms.inspection import SHEET as INSPECTION_SHEET
from tekun_helpers.forms.inspection import write_inspection_forms
from tekun_helpers.forms.layout import FIRST_DATA_ROW, HEADER_ROW

MONTH = "2023-08"
CJK = re.compile(r"[\u4e00-\u9fff]")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# -- helpers --------------------------------------------------------------------------

def assert_clear(issue, file=None, sheet=None, row=None, letter=None):
    """The issue is a Chinese sentence naming what is known about the place; no traceback text."""
    assert CJK.search(issue.message), issue.message
    assert "Traceback" not in issue.message and "File \"" not in issue.message
    if file is not None:
        assert issue.file == file and f"《{file}》" in issue.message, issue.message
    if sheet is not None:
        assert issue.sheet == sheet and f"工作表“{sheet}”" in issue.message, issue.message
    if row is not None:
        assert issue.row == row and f"第{row}行" in issue.message, issue.message
    if letter is not None:
        assert issue.column_letter == letter and f"{letter}列" in issue.message, issue.message


def stops(data):
    """The month has errors: no report can be claimed as made."""
    with pytest.raises(ValidationFailed) as exc:
        check_month_data(MONTH, data)
    return exc.value


def passes(data):
    return check_month_data(MONTH, data)


def folder(data):
    return data / MONTH


def file_error(tmp_path, name, content, code):
    """A month with the seed's good tables plus one bad file: the bad file's error, which stops the month."""
    data = make_month(tmp_path)
    path = folder(data) / name
    path.write_bytes(content) if isinstance(content, bytes) else content(path)
    m = load_month(MONTH, data)
    issue = one(m, code)
    assert issue.severity == "error"
    assert_clear(issue, file=name)
    assert m.townships.dispersed.sum() == 2700       # the good files are still read
    stops(data)
    return issue


def seed_xlsx_bytes(tmp_path) -> bytes:
    return write_xlsx(tmp_path / "good" / "a.xlsx", township_sheet()).read_bytes()


# -- files that cannot be read ---------------------------------------------------------

def _plain_zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "这不是表格")
        z.writestr("data/1.csv", "a,b\n1,2\n")


def _docx(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")


def test_zip_that_is_not_a_workbook(tmp_path):
    issue = file_error(tmp_path, "附件2（压缩包）.xlsx", _plain_zip, "file_unreadable")
    assert "zip 压缩包" in issue.message and "另存为 .xlsx" in issue.message


def test_word_document_named_xlsx(tmp_path):
    assert "Word 文档" in file_error(tmp_path, "报表.xlsx", _docx, "file_unreadable").message


def test_truncated_workbook(tmp_path):
    half = seed_xlsx_bytes(tmp_path)
    issue = file_error(tmp_path, "拷了一半.xlsx", half[: len(half) // 2], "file_unreadable")
    assert "已损坏" in issue.message


def test_password_protected_workbook(tmp_path):
    issue = file_error(tmp_path, "加密.xlsx", OLE_MAGIC + bytes(range(256)) * 40, "file_encrypted")
    assert "密码" in issue.message and "另存为 .xlsx" in issue.message


def test_password_protected_workbook_with_encrypted_package(tmp_path):
    content = OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64 + \
        "EncryptedPackage".encode("utf-16-le") + bytes(range(256)) * 20
    assert "设置了打开密码" in file_error(tmp_path, "加密2.xlsx", content, "file_encrypted").message


def test_old_xls_renamed_xlsx_is_read_with_a_warning(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    data = make_month(tmp_path, homes=False)
    book = xlwt.Workbook()
    sh = book.add_sheet("Sheet1")
    for i, row in enumerate([["附件2"], *home_sheet()]):
        for j, v in enumerate(row):
            if v is not None:
                sh.write(i, j, v)
    book.save(str(folder(data) / "附件2.xlsx"))
    m = load_month(MONTH, data)
    assert m.errors == [], [i.message for i in m.errors]
    issue = one(m, "file_extension")
    assert issue.severity == "warning" and ".xls" in issue.message
    assert_clear(issue, file="附件2.xlsx")
    assert m.homes.beds.sum() == 733
    passes(data)


def test_xlsx_renamed_xls_is_read_with_a_warning(tmp_path):
    data = make_month(tmp_path, townships=False)
    (folder(data) / "附件1.xls").write_bytes(seed_xlsx_bytes(tmp_path))
    m = load_month(MONTH, data)
    assert m.errors == [] and m.townships.dispersed.sum() == 2700
    assert_clear(one(m, "file_extension"), file="附件1.xls")


def test_html_saved_as_xls(tmp_path):
    page = "<html><head><meta charset='utf-8'></head><body><table><tr><td>乡镇苏木街道</td></tr></table></body></html>"
    issue = file_error(tmp_path, "系统导出.xls", page.encode(), "file_unreadable")
    assert "网页" in issue.message


def test_random_bytes_named_xls(tmp_path):
    junk = bytes((i * 7919 + 13) % 256 for i in range(4096))
    assert ".xls" in file_error(tmp_path, "乱码.xls", junk, "file_unreadable").message


def test_empty_xlsx(tmp_path):
    assert "0 字节" in file_error(tmp_path, "空.xlsx", b"", "file_empty").message


def test_empty_csv(tmp_path):
    file_error(tmp_path, "空.csv", b"", "file_empty")


def test_csv_in_an_unknown_encoding(tmp_path):
    content = "乡镇,人数\n贝子府镇,1\n".encode("utf-16")
    assert "编码" in file_error(tmp_path, "附件1.csv", content, "file_encoding").message


def test_worksheet_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_SHEET_BYTES", 100_000)      # the limit itself is 512 MB
    data = make_month(tmp_path, townships=False)
    write_xlsx(folder(data) / "巨大.xlsx", township_sheet() + [["注：" + "很长的说明" * 100]] * 100)
    m = load_month(MONTH, data)
    issue = one(m, "file_unreadable")
    assert_clear(issue, file="巨大.xlsx")
    assert "未读取" in issue.message
    stops(data)


# -- structure of a workbook -------------------------------------------------------------

def test_hidden_sheet_with_a_second_copy_of_the_table(tmp_path):
    data = make_month(tmp_path, townships=False)
    wb = Workbook()
    ws = wb.active
    ws.title = "八月"
    for r in township_sheet():
        ws.append(r)
    hidden = wb.create_sheet("备份")
    hidden.sheet_state = "hidden"
    for r in township_sheet():
        hidden.append(r)
    wb.save(folder(data) / "附件1.xlsx")
    m = load_month(MONTH, data)
    warning = one(m, "hidden_sheet")
    assert warning.severity == "warning"
    assert_clear(warning, file="附件1.xlsx", sheet="备份")
    dups = by_code(m, "duplicate")
    assert len(dups) == 18 and all(d.severity == "error" for d in dups)
    first = dups[0]
    assert_clear(first, file="附件1.xlsx", sheet="备份", row=2, letter="B")
    assert "工作表“八月”第2行" in first.message          # both places are named
    stops(data)


def test_100000_formatted_empty_rows(tmp_path):
    data = make_month(tmp_path, townships=False)
    wb = Workbook()
    ws = wb.active
    for r in township_sheet():
        ws.append(r)
    fill = PatternFill("solid", fgColor="FFF2CC")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for i in range(len(township_sheet()) + 1, 100_001):
        ws.cell(row=i, column=1).fill = fill
        ws.cell(row=i, column=2).border = border
    wb.save(folder(data) / "附件1.xlsx")
    m = load_month(MONTH, data)
    assert m.issues == [], [i.message for i in m.issues]
    assert m.townships.dispersed.sum() == 2700


def test_a_million_styled_empty_cells_and_a_huge_dimension(tmp_path):
    data = make_month(tmp_path, townships=False)
    rows = township_sheet()
    rows[3][5] = "保留"        # a value in a styled row survives the compaction
    path = write_xlsx(folder(data) / "附件1.xlsx", rows)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    cells = "".join(f'<row r="{r}" spans="1:10" s="0" customFormat="1">'
                    + "".join(f'<c r="{c}{r}" s="0"/>' for c in "ABCDEFGHIJ") + "</row>"
                    for r in range(len(rows) + 3, 100_001))
    xml = xml.replace("</sheetData>", cells + '<row r="100002" s="0" customFormat="1"/></sheetData>')
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    m = load_month(MONTH, data)
    assert m.issues == [], [i.message for i in m.issues]
    assert m.townships.dispersed.sum() == 2700 and m.townships.note.iloc[2] == "保留"
    assert list(m.townships.source_row) == list(range(4, 22))


def test_totals_as_formulas_without_cached_values(tmp_path):
    rows = township_rows()
    total = township_total(rows)
    total[2:5] = ["=SUM(C4:C21)", "=SUM(D4:D21)", "=SUM(E4:E21)"]
    data = make_month(tmp_path, townships=township_sheet(rows, total=total))
    m = load_month(MONTH, data)
    warnings = by_code(m, "total_formula")
    assert [w.column_letter for w in warnings] == ["C", "D", "E"] and m.errors == []
    assert_clear(warnings[0], file="附件1.xlsx", sheet="Sheet1", row=22, letter="C")
    assert warnings[0].fields == {"formula": "=SUM(C4:C21)"}
    passes(data)          # reconciled against the sum of the rows, said so, report goes on


def test_count_as_formula_without_cached_value(tmp_path):
    rows = township_rows()
    rows[3][2] = "=100+61"
    data = make_month(tmp_path, townships=township_sheet(rows, total=township_total(township_rows())))
    issue = one(load_month(MONTH, data), "bad_number")
    assert_clear(issue, file="附件1.xlsx", sheet="Sheet1", row=7, letter="C")
    assert "公式" in issue.fields["why"] and issue.fields["raw"] == "=100+61"
    stops(data)


def test_header_split_over_two_merged_rows(tmp_path):
    data = make_month(tmp_path, townships=False)
    wb = Workbook()
    ws = wb.active
    ws.append(["附件1"])
    ws.append(["序号", "乡镇苏木街道", "分散供养人数", "其中", None, "备注"])
    ws.append([None, None, None, "全失能人数", "半失能人数", None])
    ws.merge_cells("D2:E2")
    for c in "ABCF":
        ws.merge_cells(f"{c}2:{c}3")
    for row in township_sheet()[1:]:
        ws.append(row)
    wb.save(folder(data) / "附件1.xlsx")
    m = load_month(MONTH, data)
    assert m.issues == [], [i.message for i in m.issues]
    assert (m.townships.fully_disabled.sum(), m.townships.semi_disabled.sum()) == (24, 184)
    passes(data)


def test_duplicate_header_label_of_a_counted_field(tmp_path):
    header = [*TOWNSHIP_HEADER, "分散供养人数"]
    rows = [[*r, r[2] + 1] for r in township_rows()]     # the second column disagrees
    data = make_month(tmp_path, townships=township_sheet(rows, header=header, total=False))
    m = load_month(MONTH, data)
    issue = one(m, "duplicate_column")
    assert issue.severity == "error" and issue.column == "分散供养人数"
    assert_clear(issue, file="附件1.xlsx", sheet="Sheet1", row=3, letter="G")
    assert (issue.fields["read_letter"], issue.fields["other_letter"]) == ("C", "G")
    assert "C列" in issue.message and "G列" in issue.message
    assert m.townships.dispersed.sum() == 2700            # the first column is the one read
    stops(data)


def test_duplicate_header_label_of_a_text_field(tmp_path):
    header = [*TOWNSHIP_HEADER, "备注"]
    rows = [[*r, "另一条备注"] for r in township_rows()]
    data = make_month(tmp_path, townships=township_sheet(rows, header=header, total=[*township_total(rows), None]))
    m = load_month(MONTH, data)
    issue = one(m, "duplicate_optional_column")
    assert issue.severity == "warning"
    assert_clear(issue, file="附件1.xlsx", sheet="Sheet1", row=3, letter="G")
    assert (issue.fields["read_letter"], issue.fields["other_letter"]) == ("F", "G") and m.errors == []
    passes(data)


# -- values -----------------------------------------------------------------------------

def _township_workbook(tmp_path, edit):
    """The seed's township table (title row 1, header row 2) with ``edit(ws)`` applied; returns the data folder."""
    data = make_month(tmp_path, townships=False)
    wb = Workbook()
    ws = wb.active
    ws.append(["附件1"])
    for r in township_sheet(total=township_total(township_rows())):
        ws.append(r)
    edit(ws)
    wb.save(folder(data) / "附件1.xlsx")
    return data


@pytest.mark.parametrize("cell, value, number_format, why", [
    ("C4", dt.datetime(2023, 8, 1), "yyyy-mm-dd", "日期"),
    ("D5", 0.5, "0%", "百分比"),
    ("E6", True, "General", "逻辑值"),
    ("C7", 1e20, "General", "过大"),
    ("C8", "9" * 30, "General", "过大"),
])
def test_wrong_kind_of_value_in_a_count_column(tmp_path, cell, value, number_format, why):
    def edit(ws):
        ws[cell].value = value
        ws[cell].number_format = number_format
    data = _township_workbook(tmp_path, edit)
    issue = one(load_month(MONTH, data), "bad_number")
    assert issue.severity == "error" and why in issue.fields["why"]
    assert_clear(issue, file="附件1.xlsx", sheet="Sheet", row=int(cell[1:]), letter=cell[0])
    stops(data)


def test_township_name_of_500_characters(tmp_path):
    rows = township_rows()
    rows[1][1] = "贝子府镇" * 125
    data = make_month(tmp_path, townships=township_sheet(rows))
    m = load_month(MONTH, data)
    issue = one(m, "unknown_name")
    assert_clear(issue, file="附件1.xlsx", sheet="Sheet1", row=5, letter="B")
    assert len(issue.message) < 250 and "…" in issue.message and "500" in issue.message
    assert issue.value == "贝子府镇" * 125                 # the issue keeps the value itself
    stops(data)


# -- traditional characters ------------------------------------------------------------

# simplified -> traditional, written independently of tekun_helpers.core.text
TRADITIONAL = {"贝": "貝", "镇": "鎮", "乡": "鄉", "苏": "蘇", "区": "區", "丰": "豐", "湾": "灣", "洼": "窪", "胜": "勝",
               "长": "長", "兴": "興", "沟": "溝", "厂": "廠", "玛": "瑪", "头": "頭", "营": "營", "萨": "薩", "鲁": "魯",
               "黄": "黃", "办": "辦", "润": "潤", "汉": "漢", "数": "數", "养": "養", "实": "實", "现": "現", "备": "備",
               "负": "負", "责": "責", "电": "電", "话": "話", "联": "聯", "系": "係", "应": "應", "还": "還", "达": "達",
               "计": "計", "总": "總", "称": "稱", "员": "員", "构": "構", "机": "機", "张": "張"}


def to_traditional(text: str) -> str:
    return "".join(TRADITIONAL.get(ch, ch) for ch in text)


def test_traditional_township_name(tmp_path):
    rows = township_rows()
    rows[1][1] = "貝子府鎮"
    data = make_month(tmp_path, townships=township_sheet(rows))
    m = load_month(MONTH, data)
    assert m.errors == [], [i.message for i in m.errors]
    issue = one(m, "traditional_name")
    assert issue.severity == "warning" and issue.fields == {"raw": "貝子府鎮", "official": "贝子府镇"}
    assert_clear(issue, file="附件1.xlsx", sheet="Sheet1", row=5, letter="B")
    assert m.townships.township.iloc[1] == "贝子府镇" and m.townships.dispersed.iloc[1] == 325
    passes(data)


def test_traditional_home_name(tmp_path):
    rows = home_rows()
    rows[10][1] = "豐收鄉敬老院"
    data = make_month(tmp_path, homes=home_sheet(rows))
    m = load_month(MONTH, data)
    assert m.errors == []
    assert_clear(one(m, "traditional_name"), file="附件2.xlsx", row=3 + 11, letter="B")
    assert "丰收乡敬老院" in set(m.homes.home)


def test_traditional_unit_on_an_assessment_form(tmp_path):
    data = make_month(tmp_path)
    write_xlsx(folder(data) / "form.xlsx", form_rows([GOOD], unit="填报单位：豐收鄉"), title_rows=())
    m = load_month(MONTH, data)
    assert m.errors == [], [i.message for i in m.errors]
    issue = one(m, "traditional_name")
    assert_clear(issue, file="form.xlsx", sheet="Sheet1", row=2, letter="A")
    assert set(m.assessments.township) == {"丰收乡"}


def test_every_reference_name_in_traditional_folds_back(tmp_path):
    ref = load_reference(ROOT / "data")
    names = {"townships": ref.township_names,
             "homes": [n for h in ref.homes for n in (h.name, *h.aliases)]}
    changed = 0
    for kind, spellings in names.items():
        for name in spellings:
            trad = to_traditional(name)
            changed += trad != name
            assert fold(trad) == fold(name), (name, trad)
            official, _ = ref.match(kind, trad)
            assert official is not None, trad
    assert changed >= 25
    # a whole month typed in traditional characters, headers included
    header = ["序號", "鄉鎮蘇木街道", "分散供養人數", "其中：全失能人數", "半失能人數", "備註"]
    trows = [[i, to_traditional(n), a, b, c, None] for i, (_, n, a, b, c, _) in enumerate(township_rows(), 1)]
    hrows = home_rows()
    for r in hrows:
        r[1] = to_traditional(r[1])
    hheader = ["序號", "名稱", "實有床位數（張）", "現入住老人數（人）", "60%應住人數", "達到60%還應入住人數",
               "工作人員人數", "負責人", "聯係電話", "備註"]
    data = make_month(tmp_path, townships=township_sheet(trows, header=header, total=["合計", None, 2700, 24, 184, None]),
                      homes=home_sheet(hrows, header=hheader))
    m = load_month(MONTH, data)
    assert m.errors == [], [i.message for i in m.errors]
    assert {i.code for i in m.warnings} == {"traditional_name"}
    assert len(m.warnings) == sum(to_traditional(r[1]) != r[1] for r in township_rows()) + \
        sum(to_traditional(r[1]) != r[1] for r in home_rows())
    assert m.townships.dispersed.sum() == 2700 and m.homes.beds.sum() == 733
    assert m.homes.phone.iloc[0] == home_rows()[0][8]


# -- people's names on an assessment form --------------------------------------------------

def _form_with_names(tmp_path, names, guardian=None):
    data = make_month(tmp_path)
    rows = []
    for n in names:
        r = list(GOOD)
        r[1] = n
        if guardian:
            r[4] = guardian
        rows.append(r)
    write_xlsx(folder(data) / "丰收乡.xlsx", form_rows(rows), title_rows=())
    return data, load_month(MONTH, data)


def test_name_outside_the_basic_multilingual_plane(tmp_path):
    data, m = _form_with_names(tmp_path, ["𠮷野家", "𠮷田"], guardian="𠮷大")
    assert m.errors == []
    assert list(m.assessments.name) == ["𠮷野家", "𠮷田"] and set(m.assessments.guardian_name) == {"𠮷大"}
    assert mask_name("𠮷野家") == "𠮷*家" and mask_name("𠮷田") == "𠮷*" and mask_name("王𠮷") == "王*"
    assert mask_name("欧阳𠮷明") == "欧**明"


def test_person_name_of_500_characters(tmp_path):
    long_name = "王" + "小" * 498 + "明"
    data, m = _form_with_names(tmp_path, [long_name])
    assert m.errors == []
    assert m.assessments.name.iloc[0] == long_name
    masked = mask_name(long_name)
    assert masked.startswith("王*") and masked.endswith("明") and len(masked) < 20


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_markup_in_a_name_is_read_as_literal_text(tmp_path, name):
    data, m = _form_with_names(tmp_path, [name])
    assert m.errors == []
    assert m.assessments.name.iloc[0] == name
    assert not [i for i in m.issues if i.row is not None]
    passes(data)


def test_formula_in_a_name_is_read_as_literal_text(tmp_path):
    name = '=HYPERLINK("http://x","y")'
    data, m = _form_with_names(tmp_path, [name])
    assert m.errors == [] and m.assessments.name.iloc[0] == name
    issue = one(m, "formula_text")
    assert issue.severity == "warning" and issue.column == "姓名"
    assert_clear(issue, file="丰收乡.xlsx", sheet="Sheet1", row=4, letter="C")
    assert "HYPERLINK" not in issue.message            # a person's name never goes into a report's notes
    passes(data)


# -- the inspection checklist ----------------------------------------------------------------

INSPECTED = "贝子府镇敬老院"


def _checklist(tmp_path, edit):
    """A checklist of INSPECTED written by ``tekun forms --kind 督查``, every item 符合 on 2023-08-03, then
    ``edit(ws, column, rows)`` (column: header -> column number; rows: the item rows). Returns (data, file name)."""
    data = make_month(tmp_path)
    (path,) = write_inspection_forms(folder(data) / "督查", MONTH, [INSPECTED])
    wb = load_workbook(path)
    ws = wb[INSPECTION_SHEET]
    column = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    rows = [r for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, column["项目编号"]).value]
    ws.cell(FIRST_DATA_ROW, column["检查日期"], dt.date(2023, 8, 3))
    ws.cell(FIRST_DATA_ROW, column["检查人员"], "督查组")
    for r in rows:
        ws.cell(r, column["检查结果"], "符合")
        ws.cell(r, column["看到的情况"], "现场查看")
    edit(ws, column, rows)
    wb.save(path)
    return data, path.relative_to(folder(data)).as_posix()


def test_inspection_answer_not_one_of_the_four(tmp_path):
    def edit(ws, column, rows):
        ws.cell(rows[2], column["检查结果"], "很好")
    data, name = _checklist(tmp_path, edit)
    m = load_month(MONTH, data)
    issue = one(m, "unknown_answer")
    assert m.errors == [issue] and "符合、基本符合、不符合、不适用" in issue.message
    assert_clear(issue, file=name, sheet=INSPECTION_SHEET, row=FIRST_DATA_ROW + 2, letter="I")
    stops(data)


def test_inspection_of_a_home_not_in_the_reference(tmp_path):
    def edit(ws, column, rows):
        for r in rows:
            ws.cell(r, column["受检敬老院"], "贝子府敬老院")
    data, name = _checklist(tmp_path, edit)
    m = load_month(MONTH, data)
    issues = by_code(m, "unknown_name")
    assert issues and m.errors == issues and all(i.column == "受检敬老院" for i in issues)
    assert_clear(issues[0], file=name, sheet=INSPECTION_SHEET, row=FIRST_DATA_ROW, letter="B")
    assert INSPECTED in issues[0].message                # the closest name is offered
    stops(data)


def test_inspection_date_outside_the_month(tmp_path):
    def edit(ws, column, rows):
        ws.cell(FIRST_DATA_ROW, column["检查日期"], dt.date(2023, 9, 2))
    data, name = _checklist(tmp_path, edit)
    m = load_month(MONTH, data)
    issue = one(m, "inspection_date_outside")            # once for the visit, not once per row
    assert m.errors == [issue] and "2023-09-02" in issue.message and "2023-08" in issue.message
    assert_clear(issue, file=name, sheet=INSPECTION_SHEET, row=FIRST_DATA_ROW, letter="C")
    stops(data)


# -- the complaints and media register ----------------------------------------------------------

GOOD_CASE = {"case_no": "JB-1", "received_on": dt.date(2023, 8, 3), "channel": "电话", "township": "贝子府镇",
             "home": "贝子府镇敬老院", "category": "照料不到位", "summary": "反映夜间无人值守", "unit": "贝子府镇",
             "deadline": dt.date(2023, 8, 20)}


def _register(tmp_path, edit):
    """A register written by ``tekun forms --kind 举报``'s writer with one good case, then ``edit(ws, column, row)``
    (column: header -> column number; row: the case's Excel row). Returns (data, file name)."""
    data = make_month(tmp_path)
    path = write_complaints_form(folder(data) / complaints_filename(MONTH), MONTH, [GOOD_CASE])
    wb = load_workbook(path)
    ws = wb[COMPLAINT_SHEET]
    column = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    edit(ws, column, FIRST_DATA_ROW)
    wb.save(path)
    return data, path.name


def _letter(column, label):
    from openpyxl.utils import get_column_letter

    return get_column_letter(column[label])


def test_complaint_channel_not_in_the_list(tmp_path):
    def edit(ws, column, row):
        ws.cell(row, column["来源渠道"], "托梦")
    data, name = _register(tmp_path, edit)
    m = load_month(MONTH, data)
    issue = one(m, "complaint_unknown_choice")
    assert m.errors == [issue] and "电话、信访、网络、媒体" in issue.message and "托梦" in issue.message
    assert_clear(issue, file=name, sheet=COMPLAINT_SHEET, row=FIRST_DATA_ROW, letter="D")
    stops(data)


def test_complaint_words_in_date_columns(tmp_path):
    columns = {}

    def edit(ws, column, row):
        columns.update(column)
        ws.cell(row, column["受理日期"], "下周一")
        ws.cell(row, column["办理期限"], "2023-02-30")
    data, name = _register(tmp_path, edit)
    m = load_month(MONTH, data)
    issues = by_code(m, "bad_date")
    assert m.errors == issues and {i.column for i in issues} == {"受理日期", "办理期限"}
    for i in issues:
        assert_clear(i, file=name, sheet=COMPLAINT_SHEET, row=FIRST_DATA_ROW, letter=_letter(columns, i.column))
    stops(data)


def test_complaint_closed_before_received_and_published_unclosed(tmp_path):
    def edit(ws, column, row):
        ws.cell(row, column["办结日期"], dt.date(2023, 8, 1))
        ws.cell(row, column["处理结果"], "已整改")
        ws.cell(row + 1, column["登记编号"], "JB-2")
        for label, value in (("受理日期", dt.date(2023, 8, 5)), ("来源渠道", "信访"), ("乡镇苏木街道", "丰收乡"),
                             ("问题类别", "其他"), ("反映的问题", "反映情况"), ("承办单位", "丰收乡"),
                             ("办理期限", dt.date(2023, 8, 30)), ("公布日期", dt.date(2023, 8, 28))):
            ws.cell(row + 1, column[label], value)
    data, name = _register(tmp_path, edit)
    m = load_month(MONTH, data)
    issues = by_code(m, "complaint_dates")
    assert m.errors == issues and [(i.row, i.column) for i in issues] == [(FIRST_DATA_ROW, "办结日期"),
                                                                         (FIRST_DATA_ROW + 1, "公布日期")]
    assert "早于受理日期 2023-08-03" in issues[0].message and "未填办结日期" in issues[1].message
    for i in issues:
        assert_clear(i, file=name, sheet=COMPLAINT_SHEET)
    stops(data)


def test_complaint_about_a_home_not_in_the_reference(tmp_path):
    def edit(ws, column, row):
        ws.cell(row, column["涉及敬老院"], "贝子府敬老院")
    data, name = _register(tmp_path, edit)
    m = load_month(MONTH, data)
    issue = one(m, "unknown_name_kept")
    assert issue.severity == "warning" and "贝子府镇敬老院" in issue.message      # the closest name is offered
    assert_clear(issue, file=name, sheet=COMPLAINT_SHEET, row=FIRST_DATA_ROW, letter="F")
    assert m.complaints.loc[0, "home"] == "贝子府敬老院"                        # kept as written
    passes(data)


def test_complaint_markup_formula_and_digits_are_literal_text(tmp_path):
    from tekun_helpers.analysis import complaints as ac

    text = "<script>alert(1)</script>=SUM(A1)150430196001011234"

    def edit(ws, column, row):
        ws.cell(row, column["反映的问题"]).value = text
        ws.cell(row, column["反映的问题"]).data_type = "s"
    data, name = _register(tmp_path, edit)
    m = load_month(MONTH, data)
    assert m.errors == []
    assert m.complaints.loc[0, "summary"] == text
    warn = one(m, "complaint_private_words")                 # the digits would be published
    assert_clear(warn, file=name, sheet=COMPLAINT_SHEET, row=FIRST_DATA_ROW)
    shown = ac.cases(m).loc[0, "summary"]
    assert "150430196001011234" not in shown and "<script>" in shown        # escaped where rendered, not dropped
    passes(data)


def test_corpus_size():
    """The docstring lists every case; keep the count in step when adding one."""
    cases = re.findall(r"^\s*(\d+)\. ", __doc__, flags=re.M)
    assert [int(c) for c in cases] == list(range(1, len(cases) + 1)) and len(cases) == 43
