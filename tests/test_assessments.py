"""Reading 附件3 assessment forms: the township from 填报单位, normalised answers, and every check."""
from __future__ import annotations

import subprocess
import sys

import pytest
from openpyxl import load_workbook

from builders import make_month, one, write_xlsx
from tekun_helpers import load_month
from tekun_helpers.forms import write_assessment_form
from tekun_helpers.io.privacy import mask_name
from tekun_helpers.config.schema import ASSESSMENT_HEADER, VOCABULARIES

GOOD = ["甲村", "王小明", "男", 70, "王大", 45, "侄子", "自理", "自有", "整洁干净", "较好", "较好", "是", "是", "否", "较好", None]


def form_rows(rows, unit="填报单位：丰收乡"):
    return [["敖汉旗分散供养特困人员排查评估表"], [unit], list(ASSESSMENT_HEADER),
            *[[i, *r] for i, r in enumerate(rows, start=1)]]


def test_bundled_sample_forms_match_attachment_1(seed_month):
    people = seed_month.assessments
    assert len(people) == 2700
    by_town = people.groupby("township").size()
    full = people[people.self_care == "失能"].groupby("township").size()
    semi = people[people.self_care == "半失能"].groupby("township").size()
    for _, t in seed_month.townships.iterrows():
        assert by_town.get(t.township, 0) == t.dispersed
        assert full.get(t.township, 0) == t.fully_disabled
        assert semi.get(t.township, 0) == t.semi_disabled
    assert set(people["care"]) <= set(VOCABULARIES["care"].labels)


def test_both_care_vocabularies_and_aliases_are_normalised(tmp_path):
    rows = [GOOD, [*GOOD[:1], "李四", *GOOD[2:9], "脏乱", "好", "差", *GOOD[12:]],
            [*GOOD[:1], "赵五", *GOOD[2:7], "全失能", *GOOD[8:11], "一般", *GOOD[12:]]]
    data = make_month(tmp_path)
    write_xlsx(data / "2023-08" / "丰收乡.xlsx", form_rows(rows), title_rows=())
    m = load_month("2023-08", data)
    assert not [i for i in m.errors]
    p = m.assessments.set_index("name")
    assert p.loc["李四", "environment"] == "脏乱差" and p.loc["李四", "quality"] == "较好" and p.loc["李四", "care"] == "差"
    assert p.loc["赵五", "self_care"] == "失能" and p.loc["赵五", "care"] == "一般"
    assert (p["township"] == "丰收乡").all()


@pytest.mark.parametrize("index, value, code, column, letter", [
    (11, "坏", "unknown_answer", "护理情况", "M"),
    (1, None, "empty_name", "姓名", "C"),
    (3, 130, "bad_age", "年龄", "E"),
    (3, -1, "bad_age", "年龄", "E"),
    (3, "七十", "bad_age", "年龄", "E"),
    (12, "也许", "unknown_answer", "生病是否能得到及时救治", "N"),
])
def test_row_checks_name_row_and_column(tmp_path, index, value, code, column, letter):
    bad = list(GOOD)
    bad[1] = "李四"
    bad[index] = value
    data = make_month(tmp_path)
    write_xlsx(data / "2023-08" / "丰收乡.xlsx", form_rows([GOOD, bad]), title_rows=())
    issue = one(load_month("2023-08", data), code)
    assert (issue.file, issue.sheet, issue.row, issue.column, issue.column_letter) == ("丰收乡.xlsx", "Sheet1", 5, column, letter)
    assert issue.severity == "error" and "第5行" in issue.message


def test_unknown_answer_is_never_guessed(tmp_path):
    bad = list(GOOD)
    bad[15] = "较好吧"
    data = make_month(tmp_path)
    write_xlsx(data / "2023-08" / "丰收乡.xlsx", form_rows([bad]), title_rows=())
    m = load_month("2023-08", data)
    issue = one(m, "unknown_answer")
    assert issue.value == "较好吧" and "较好、较差、差" in issue.message
    assert m.assessments["result"].isna().all()


def test_same_person_twice(tmp_path):
    data = make_month(tmp_path)
    write_xlsx(data / "2023-08" / "丰收乡.xlsx", form_rows([GOOD, GOOD]), title_rows=())
    issue = one(load_month("2023-08", data), "duplicate_person")
    assert (issue.row, issue.column, issue.severity) == (5, "姓名", "error") and "第4行" in issue.message


def test_issue_lists_never_print_a_full_name(tmp_path, capsys):
    """validate --json and the console list name the cell; the name itself is masked there."""
    data = make_month(tmp_path)
    write_xlsx(data / "2023-08" / "丰收乡.xlsx", form_rows([GOOD, GOOD]), title_rows=())
    from tekun_helpers.cli import main

    main(["validate", "--month", "2023-08", "--data-dir", str(data), "--json"])
    main(["validate", "--month", "2023-08", "--data-dir", str(data)])
    out = capsys.readouterr().out
    name = GOOD[1]
    assert "duplicate_person" in out or "重复" in out
    assert name not in out and mask_name(name) in out


def test_unit_missing_or_unknown(tmp_path):
    data = make_month(tmp_path)
    write_xlsx(data / "2023-08" / "a.xlsx", form_rows([GOOD], unit="填报单位："), title_rows=())
    issue = one(load_month("2023-08", data), "unit_empty")
    assert (issue.row, issue.column) == (2, "填报单位")
    write_xlsx(data / "2023-08" / "a.xlsx", form_rows([GOOD], unit="填报单位：丰收"), title_rows=())
    issue = one(load_month("2023-08", data), "unknown_unit")
    assert issue.row == 2 and "丰收乡" in issue.message


def test_form_count_differs_from_attachment_1(tmp_path):
    data = make_month(tmp_path)
    write_xlsx(data / "2023-08" / "丰收乡.xlsx", form_rows([GOOD]), title_rows=())
    m = load_month("2023-08", data)
    issue = one(m, "assessment_count")
    assert "丰收乡" in issue.message and "169" in issue.message and "168" in issue.message
    assert "17 个乡镇" in one(m, "assessment_not_sent").message


def test_forms_written_by_the_project_read_back(tmp_path):
    data = make_month(tmp_path)
    people = [dict(zip(["village", "name", "sex", "age", "guardian_name", "guardian_age", "guardian_relation",
                        "self_care", "housing", "environment", "quality", "care", "treated",
                        "self_controls_allowance", "rights_infringed", "result", "note"], GOOD))]
    write_assessment_form(data / "2023-08" / "附件3" / "x.xlsx", "丰收乡", "2023-08", people)
    m = load_month("2023-08", data)
    assert len(m.assessments) == 1 and m.assessments.iloc[0]["township"] == "丰收乡"
    assert not m.errors


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "tekun_helpers.cli", *args], capture_output=True, text=True)


def test_cli_forms_prefills_from_previous_month(tmp_path):
    r = run_cli("forms", "--month", "2023-09", "--township", "丰收乡", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    (path,) = tmp_path.glob("*.xlsx")
    ws = load_workbook(path).active
    assert "丰收乡" in str(ws["A2"].value)
    header = [c.value for c in ws[3]]
    assert header[:3] == ["序号", "村/居委会", "姓名"]
    names = [ws.cell(row=r, column=3).value for r in range(4, 4 + 169)]
    assert all(names) and ws.cell(row=4, column=9).value in (None, "")   # identity filled, assessment empty
    assert run_cli("forms", "--month", "2023-09", "--township", "丰收", "--out", str(tmp_path)).returncode == 2


def test_cli_sample_reproduces_the_bundled_forms(tmp_path):
    r = run_cli("sample", "--month", "2023-08", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    from builders import ROOT

    for f in sorted(tmp_path.glob("*.xlsx")):
        assert f.read_bytes() == (ROOT / "data" / "2023-08" / "附件3" / f.name).read_bytes(), f.name
    assert len(list(tmp_path.glob("*.xlsx"))) == 18
