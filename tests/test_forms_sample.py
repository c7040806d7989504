"""The 附件3 form writer (blank and pre-filled forms, with the banner's four added columns) and the fictitious
sample generator (people, and their identity numbers, mental illness and new applicants)."""
from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

import datetime as dt

from tekun_helpers.io import idcard
from tekun_helpers.core.exceptions import ValidationFailed
from tekun_helpers.forms import (BLANK_ROWS, CARRIED_KEYS, IDENTIFYING_KEYS, SAMPLE_FORM_MARK, form_filename, write_assessment_form,
                                 write_blank_forms)
from tekun_helpers.month import load_month
from tekun_helpers.config.county import default_county
from tekun_helpers.config.policy import load_policy
from tekun_helpers.analysis.rules import decide
from tekun_helpers.sample import ID_STORY, CARE_SCALE_NOTE, generate_people, generate_sample, plan_identities
from tekun_helpers.config.schema import (ASSESSMENT_EXTRA_HEADER, ASSESSMENT_HEADER, ASSESSMENT_NOTES, ASSESSMENT_TITLE,
                                  ASSESSMENTS, ChoiceField, VOCABULARIES)
from tekun_helpers.io.workbooks import SAMPLE_KEYWORD, read_file

ROOT = Path(__file__).resolve().parent.parent
MONTH = "2023-08"
OFFICIAL_FIELDS = ASSESSMENTS.fields[:len(ASSESSMENT_HEADER)]     # the 18 columns of the official form
FIELDS = ASSESSMENTS.fields[:len(ASSESSMENT_HEADER) + len(ASSESSMENT_EXTRA_HEADER)]   # and the four added ones
KEYS = [f.key for f in FIELDS]
COL = {k: i for i, k in enumerate(KEYS)}          # key -> 0-based column
ASSESSMENT_KEYS = [k for k in KEYS if k not in ("seq", *CARRIED_KEYS)]
ID_LETTER = "S"                                   # 身份证号, the 19th column


def read_form(path: Path) -> tuple[str, list[dict], object]:
    """(填报单位, people as dicts, the workbook) of a written form."""
    wb = load_workbook(path)
    ws = wb.active
    township = ws["A2"].value.split("：", 1)[1]
    people = []
    for row in ws.iter_rows(min_row=4, values_only=True):
        if isinstance(row[0], str) and row[0].startswith(("注", "2.", "3.", "4.")):
            break
        people.append(dict(zip(KEYS, row)))
    return township, people, wb


def validations(ws) -> dict[str, object]:
    """column letter -> its data validation."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


@pytest.fixture(scope="module")
def month_data(tmp_path_factory) -> Path:
    """A data folder holding only the bundled month's 附件1 (reference data falls back to the project's)."""
    base = tmp_path_factory.mktemp("data")
    (base / MONTH).mkdir()
    for p in (ROOT / "data" / MONTH).glob("附件1*"):
        shutil.copy(p, base / MONTH / p.name)
    return base


@pytest.fixture(scope="module")
def sample(month_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    paths = generate_sample(MONTH, data_dir=month_data, out_dir=out)
    forms = {}
    for p in paths:
        township, people, wb = read_form(p)
        forms[township] = (p, people, wb)
    return paths, forms


# -- the blank form ------------------------------------------------------------------

def test_blank_form_layout(tmp_path):
    path = write_assessment_form(tmp_path / "f.xlsx", "贝子府镇", MONTH)
    wb = load_workbook(path)
    ws = wb.active
    assert ws["A1"].value == default_county().fill(ASSESSMENT_TITLE) == "敖汉旗分散供养特困人员排查评估表" and ws["A1"].font.b
    assert "A1:V1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "填报单位：贝子府镇"
    assert "月份：2023年8月" in [c.value for c in ws[2]]
    # the official header, then the banner's four columns after 备注
    assert tuple(c.value for c in ws[3]) == (*ASSESSMENT_HEADER, *ASSESSMENT_EXTRA_HEADER)
    assert ASSESSMENT_EXTRA_HEADER == ("身份证号", "是否患有精神疾病", "是否新申请", "评估日期")
    assert ws[f"{ID_LETTER}3"].value == "身份证号"
    assert all(c.font.b and c.alignment.wrap_text and c.border.left.style == "thin" for c in ws[3])
    # 30 numbered, bordered blank rows; the number column is text and wide enough for 18 digits
    rows = list(ws.iter_rows(min_row=4, max_row=3 + BLANK_ROWS))
    assert [r[0].value for r in rows] == list(range(1, BLANK_ROWS + 1))
    assert all(c.value is None and c.border.bottom.style == "thin" for r in rows for c in r[1:])
    assert all(ws[f"{ID_LETTER}{r}"].number_format == "@" for r in range(4, 4 + BLANK_ROWS))
    assert ws.column_dimensions[ID_LETTER].width >= 20
    # the three notes and the note on the number typed as text, each merged across the 22 columns
    notes_at = 4 + BLANK_ROWS
    assert [ws.cell(notes_at + i, 1).value for i in range(3)] == [default_county().fill(n) for n in ASSESSMENT_NOTES]
    id_note = ws.cell(notes_at + 3, 1).value
    assert id_note.startswith("4.") and "文本" in id_note and "15位" in id_note and "身份证号" in id_note
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert all(f"A{notes_at + i}:V{notes_at + i}" in merged for i in range(4))
    # print and view
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3"
    assert ws.print_area.endswith(f"$A$1:$V${notes_at + 3}")
    assert not (wb.properties.keywords or "") and SAMPLE_FORM_MARK not in [c.value for c in ws[2]]
    assert not read_file(path, path.name, []).sample


def test_blank_form_validations(tmp_path):
    ws = load_workbook(write_assessment_form(tmp_path / "f.xlsx", "贝子府镇", MONTH)).active
    dvs = validations(ws)
    choice = [(i, f) for i, f in enumerate(FIELDS) if isinstance(f, ChoiceField)]
    assert {f.key for _, f in choice} == {"sex", "self_care", "housing", "environment", "quality", "care", "treated",
                                          "self_controls_allowance", "rights_infringed", "result",
                                          "mental_illness", "new_applicant"}
    for i, f in choice:
        dv = dvs[ws.cell(3, i + 1).column_letter]
        assert dv.type == "list" and dv.showErrorMessage and dv.allow_blank and dv.errorTitle and dv.error
        assert dv.formula1.strip('"').split(",") == VOCABULARIES[f.vocabulary].labels
        assert str(dv.sqref) == f"{ws.cell(4, i + 1).coordinate}:{ws.cell(3 + BLANK_ROWS, i + 1).coordinate}"
    assert dvs["M"].formula1 == '"较好,一般,较差,差"'  # both of the form's 护理情况 scales
    assert dvs["T"].formula1 == dvs["U"].formula1 == '"是,否"'   # 是否患有精神疾病, 是否新申请
    for letter in ("E", "G"):  # 年龄, 监护人/护理人年龄
        dv = dvs[letter]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", "0", "120")
    # 18 characters in the number column: a warning, so a township can still keep what it typed
    dv = dvs[ID_LETTER]
    assert (dv.type, dv.operator, dv.formula1, dv.errorStyle) == ("textLength", "equal", "18", "warning")
    assert str(dv.sqref) == f"S4:S{3 + BLANK_ROWS}"


def test_numbers_are_written_as_text_and_read_back(tmp_path):
    number = idcard.sample_number(random.Random(3), dt.date(1950, 3, 9), "男")
    person = {"village": "甲村", "name": "王小明", "sex": "男", "age": 73, "id_number": number, "mental_illness": "是",
              "new_applicant": "否"}
    path = write_assessment_form(tmp_path / "f.xlsx", "贝子府镇", "2023-09", [person])
    ws = load_workbook(path).active
    cell = ws[f"{ID_LETTER}4"]
    assert cell.value == number and cell.data_type == "s" and cell.number_format == "@"
    assert (ws["T4"].value, ws["U4"].value) == ("是", "否")


def test_prefill_copies_identifying_columns_only(tmp_path):
    people = generate_people("贝子府镇", 12, 1, 2, random.Random(1))
    ids = plan_identities("2023-08", {"贝子府镇": people}, load_policy())
    people = ids.rows("贝子府镇", people)
    assert sum(bool(p["id_number"]) for p in people) >= 6
    assert all(p["mental_illness"] in ("是", "否") and p["new_applicant"] in ("是", "否") for p in people)
    paths = write_blank_forms(tmp_path, "2023-09", ["贝子府镇", "丰收乡"], {"贝子府镇": people})
    assert [p.name for p in paths] == ["附件3 排查评估表 贝子府镇 2023-09.xlsx", "附件3 排查评估表 丰收乡 2023-09.xlsx"]
    township, rows, wb = read_form(paths[0])
    assert township == "贝子府镇" and "月份：2023年9月" in [c.value for c in wb.active[2]]
    filled, spare = rows[:12], rows[12:]
    for before, after in zip(people, filled):
        for k in IDENTIFYING_KEYS:  # ages as given, not +1; the number identifies the person too
            assert after[k] == (before[k] or None), k
        # the day of the latest assessment is carried over (a person not assessed again keeps it)
        assert after["assessed_on"].date() == before["assessed_on"]    # (openpyxl reads a datetime)
        assert all(after[k] is None for k in ASSESSMENT_KEYS)   # 是否患有精神疾病, 是否新申请 included
    assert "id_number" in IDENTIFYING_KEYS and {"mental_illness", "new_applicant"} <= set(ASSESSMENT_KEYS)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert spare and all(r[k] is None for r in spare for k in KEYS if k != "seq")
    _, rows, _ = read_form(paths[1])
    assert len(rows) == BLANK_ROWS and all(r["name"] is None for r in rows)


# -- the people generator ---------------------------------------------------------------

def test_generate_people_counts_and_names():
    used: set[str] = set()
    people = generate_people("长胜镇", 139, 3, 21, random.Random(7), used=used, care_scale=CARE_SCALE_NOTE)
    assert len(people) == 139 and [p["seq"] for p in people] == list(range(1, 140))
    assert Counter(p["self_care"] for p in people) == {"自理": 115, "半失能": 21, "失能": 3}
    assert all(35 <= p["age"] <= 98 for p in people)
    assert all(2 <= len(p["name"]) <= 3 for p in people)
    assert all(p["name"] != p["guardian_name"] for p in people)
    assert {p["care"] for p in people} <= set(CARE_SCALE_NOTE)
    assert {p["name"] for p in people} <= used
    with pytest.raises(ValueError):
        generate_people("长胜镇", 10, 6, 6, random.Random(7))


# -- the 2023-08 sample -------------------------------------------------------------------

def test_sample_counts_follow_attachment_1(sample, month_data):
    paths, forms = sample
    towns = load_month(MONTH, month_data).townships
    assert len(paths) == 18 and sum(len(f[1]) for f in forms.values()) == 2700
    for t in towns.itertuples():
        path, people, _ = forms[t.township]
        assert path.name == form_filename(t.township, MONTH)
        assert len(people) == t.dispersed
        counts = Counter(p["self_care"] for p in people)
        assert (counts["失能"], counts["半失能"]) == (t.fully_disabled, t.semi_disabled), t.township


def test_sample_values_are_in_the_vocabularies(sample):
    _, forms = sample
    for _, people, _ in forms.values():
        for p in people:
            for f in FIELDS:
                if isinstance(f, ChoiceField):
                    assert p[f.key] in VOCABULARIES[f.vocabulary].labels, (f.key, p[f.key])
            assert p["name"] and p["village"] and isinstance(p["age"], int)


def test_sample_has_people_meeting_each_rule(sample):
    _, forms = sample
    everyone = [p for _, people, _ in forms.values() for p in people]
    count = lambda pred: sum(1 for p in everyone if pred(p))  # noqa: E731
    assert count(lambda p: p["care"] == "较差") >= 10
    assert 1 <= count(lambda p: p["care"] == "差") < count(lambda p: p["care"] == "较差")
    assert count(lambda p: p["environment"] == "脏乱差") >= 5
    assert count(lambda p: p["quality"] == "较差") >= 5
    assert count(lambda p: p["result"] == "差") >= 3
    assert count(lambda p: not p["guardian_name"]) >= 3
    assert count(lambda p: p["self_controls_allowance"] == "否") >= 3
    assert count(lambda p: p["rights_infringed"] == "是") >= 1
    assert count(lambda p: p["treated"] == "否") >= 3
    assert count(lambda p: p["self_care"] == "失能" and p["care"] in ("较差", "差")) >= 1
    # most answers are good
    assert count(lambda p: p["result"] == "较好") > 0.7 * len(everyone)
    # both 护理情况 scales are used across townships
    scales = [{p["care"] for p in people} for _, people, _ in forms.values()]
    assert any("一般" in s for s in scales) and any("差" in s for s in scales)


def test_sample_identity_numbers(sample, month_data):
    """Everyone has a number of the unreal region 990000 agreeing with the form's age and sex, but a few left out;
    2023-08 (the real month) has no deliberately wrong number, so it reads without any issue."""
    _, forms = sample
    end = dt.date(2023, 8, 31)
    everyone = [p for _, people, _ in forms.values() for p in people]
    numbers = [p["id_number"] for p in everyone if p["id_number"]]
    lo, hi = ID_STORY["missing"]
    assert lo <= len(everyone) - len(numbers) <= hi
    assert len(set(numbers)) == len(numbers)
    for p in everyone:
        if p["id_number"]:
            assert isinstance(p["id_number"], str) and p["id_number"].startswith(idcard.SAMPLE_REGION)
            idc = idcard.check(p["id_number"], on=end)
            assert idc.ok and not idcard.compare_with_form(idc, p["age"], p["sex"], end), p["id_number"]
    assert MONTH in ID_STORY["clean_months"]
    m = load_month(MONTH, month_data)
    assert not [i for i in m.issues if i.code in ("bad_id", "id_mismatch", "duplicate_id")]


def test_sample_mental_illness_and_new_applicants(sample):
    """About 1.5% have a mental illness, several of them on the transfer list; a handful of new applicants, at
    least two unsuited to home care (so the placement rule has cases)."""
    _, forms = sample
    rows = [{"township": t, **p} for t, (_, people, _) in forms.items() for p in people]
    mental = [r for r in rows if r["mental_illness"] == "是"]
    assert 0.01 * len(rows) <= len(mental) <= 0.02 * len(rows)
    assert all(r["mental_illness"] in ("是", "否") and r["new_applicant"] in ("是", "否") for r in rows)
    import pandas as pd

    frame = pd.DataFrame(rows)
    d = decide(frame, load_policy())
    transfer = d[d["rule"] == "transfer"]
    first = transfer[transfer["reasons"].str.startswith("患有精神疾病")]
    assert len(first) >= 3 and list(transfer["person"][:len(first)]) == list(first["person"])   # they head the list
    new = frame.index[frame["new_applicant"] == "是"]
    lo, hi = ID_STORY["new_applicants"]
    assert lo <= len(new) <= hi
    assert (d["rule"] == "placement").sum() >= 2 and set(d.loc[d["rule"] == "placement", "person"]) <= set(new)


def test_sample_names_are_unique_and_fictitious(sample):
    _, forms = sample
    names = [p["name"] for _, people, _ in forms.values() for p in people]
    assert len(names) == len(set(names)) == 2700
    guardians = {p["guardian_name"] for _, people, _ in forms.values() for p in people if p["guardian_name"]}
    assert not guardians & set(names)


def test_sample_files_are_marked(sample):
    paths, forms = sample
    for path, _, wb in forms.values():
        assert SAMPLE_KEYWORD in wb.properties.keywords and wb.properties.subject == "示例数据"
        mark = [c for c in wb.active[2] if c.value == SAMPLE_FORM_MARK]
        assert mark and mark[0].fill.fgColor.rgb.endswith("C00000")
        assert read_file(path, path.name, []).sample


def cell_values(path: Path) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb.active.iter_rows(values_only=True)]
    finally:
        wb.close()


def test_sample_is_reproducible(sample, month_data, tmp_path):
    paths, _ = sample
    again = generate_sample(MONTH, data_dir=month_data, out_dir=tmp_path)
    assert [p.name for p in again] == [p.name for p in paths]
    for a, b in zip(paths, again):
        assert cell_values(a) == cell_values(b)
        assert a.read_bytes() == b.read_bytes()  # fixed document dates and zip timestamps
    # another seed gives other people
    one = generate_people("贝子府镇", 50, 1, 3, random.Random(1))
    assert one == generate_people("贝子府镇", 50, 1, 3, random.Random(1))
    assert one != generate_people("贝子府镇", 50, 1, 3, random.Random(2))


def test_sample_refuses_a_month_with_errors(tmp_path):
    (tmp_path / MONTH).mkdir()
    with pytest.raises(ValidationFailed, match="没有找到附件1"):
        generate_sample(MONTH, data_dir=tmp_path, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_assessment_date_after_the_month_is_a_warning_naming_the_cell(month_data, tmp_path):
    """评估日期 later than the form's month: a warning (定期考核评价按本表月份计) naming file, row and column."""
    base = tmp_path / "data"
    shutil.copytree(month_data, base)
    people = generate_people("贝子府镇", 3, 0, 0, random.Random(2))
    people[1]["assessed_on"] = dt.date(2023, 9, 5)
    write_assessment_form(base / MONTH / "附件3" / form_filename("贝子府镇", MONTH), "贝子府镇", MONTH, people)
    m = load_month(MONTH, base)
    (w,) = [i for i in m.issues if i.code == "assessed_after_month"]
    assert w.severity == "warning" and "2023-09-05" in w.message and "评估日期" in w.message and "贝子府镇" in w.message
    assert m.assessments["assessed_on"].tolist()[1] == dt.date(2023, 9, 5)
