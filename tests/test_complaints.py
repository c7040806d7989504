"""The complaints and media register (举报与媒体报道问题登记表, plan 四（四））: the form written blank, filled in and
read back; its checks; each open case a finding followed in the register; page 1; the township briefing."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from builders import by_code, make_month
from tekun_helpers.analysis import register as rg
from tekun_helpers.forms.complaints import SHEET, complaints_filename, write_complaints_form
from tekun_helpers.forms.layout import FIRST_DATA_ROW, HEADER_ROW
from tekun_helpers.month import load_month

MONTH = "2023-08"
D = dt.date


def case(no="JB-2023-001", **more) -> dict:
    row = {"case_no": no, "received_on": D(2023, 8, 3), "channel": "电话", "township": "丰收乡",
           "home": "丰收乡敬老院", "person_name": "张小明", "category": "照料不到位",
           "summary": "反映敬老院夜间无人值守", "unit": "丰收乡", "deadline": D(2023, 8, 20)}
    row.update(more)
    return row


def _fill(path, rows):
    """Type ``rows`` into the blank register at ``path`` the way a clerk does: by the headers' labels."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    column = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    labels = {"case_no": "登记编号", "received_on": "受理日期", "channel": "来源渠道", "township": "乡镇苏木街道",
              "home": "涉及敬老院", "person_name": "涉及人员", "category": "问题类别", "summary": "反映的问题",
              "unit": "承办单位", "deadline": "办理期限", "found": "调查核实情况", "result": "处理结果",
              "closed_on": "办结日期", "published_on": "公布日期"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            ws.cell(FIRST_DATA_ROW + n, column[labels[key]], value)
    wb.save(path)
    return column


def filled_month(tmp_path, rows):
    data = make_month(tmp_path)
    subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "forms", "--month", MONTH, "--kind", "举报",
                    "--data-dir", str(data), "--out", str(data / MONTH / "举报")], check=True, capture_output=True)
    path = data / MONTH / "举报" / complaints_filename(MONTH)
    assert path.is_file()
    _fill(path, rows)
    return data


def test_blank_register_filled_in_reads_back_without_issues(tmp_path):
    rows = [case(), case("JB-2023-002", channel="媒体", home=None, person_name=None, township="新惠镇",
                         category="资金挪用", summary="媒体报道某村特困供养金发放不及时", unit="新惠镇",
                         deadline=D(2023, 8, 25), found="经查发放晚了 10 天", result="已补发并约谈经办人员",
                         closed_on=D(2023, 8, 18), published_on=D(2023, 8, 25))]
    m = load_month(MONTH, filled_month(tmp_path, rows))
    mine = [i for i in m.issues if i.file and "举报" in i.file]
    assert mine == [], [i.message for i in mine]
    df = m.complaints
    assert list(df["case_no"]) == ["JB-2023-001", "JB-2023-002"]
    assert df.loc[1, "closed_on"] == D(2023, 8, 18) and df.loc[1, "channel"] == "媒体"
    assert df.loc[0, "home"] == "丰收乡敬老院" and df.loc[0, "unit"] == "丰收乡"


@pytest.mark.parametrize("edit, code, column", [
    ({"channel": "托梦"}, "complaint_unknown_choice", "来源渠道"),
    ({"category": "别的事"}, "complaint_unknown_choice", "问题类别"),
    ({"deadline": D(2023, 8, 1)}, "complaint_dates", "办理期限"),
    ({"closed_on": D(2023, 8, 10)}, "complaint_no_result", "处理结果"),
    ({"found": "查明", "result": "已整改", "closed_on": D(2023, 8, 10), "published_on": D(2023, 8, 9)},
     "complaint_dates", "公布日期"),
    ({"published_on": D(2023, 8, 9)}, "complaint_dates", "公布日期"),
    ({"received_on": D(2023, 9, 2), "deadline": D(2023, 9, 20)}, "complaint_dates", "受理日期"),
    ({"case_no": None}, "empty_name", "登记编号"),          # the reader's own check of a row without its name
])
def test_a_bad_row_is_an_error_at_its_cell(tmp_path, edit, code, column):
    m = load_month(MONTH, filled_month(tmp_path, [case(**edit)]))
    found = by_code(m, code)
    assert found and m.errors == found and found[0].column == column and found[0].row == FIRST_DATA_ROW


# -- the bundled sample year ------------------------------------------------------------------------

from builders import ROOT  # noqa: E402
from tekun_helpers.analysis import complaints as ac  # noqa: E402
from tekun_helpers.core.months import available_months  # noqa: E402
from tekun_helpers.report import notice  # noqa: E402

ID18 = __import__("re").compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


@pytest.fixture(scope="module")
def year():
    """Every bundled month, read."""
    return {m: load_month(m, cache=True) for m in available_months(ROOT / "data")}     # read once a run (the month store)


def test_the_sample_year_has_open_overdue_and_closed_cases(year):
    registers = {m: d for m, d in year.items() if ac.has_register(d)}
    assert "2023-08" not in registers and len(registers) >= 8
    assert all(d.from_sample(d.complaints) for d in registers.values())          # marked sample
    overdue = [m for m, d in registers.items() if (ac.cases(d)["days_overdue"] > 0).any()]
    closed = [m for m, d in registers.items() if ac.closed_in_month(d)]
    assert len(overdue) >= 2 and len(closed) >= 4
    assert all(not [i for i in d.errors if "举报" in (i.file or "")] for d in registers.values())


def test_an_overdue_case_is_on_page_1_with_its_unit_and_days(year):
    from tekun_helpers.report.actions import actions
    from tekun_helpers.report.briefing import Briefing

    month = next(m for m, d in year.items() if ac.has_register(d) and (ac.cases(d)["days_overdue"] > 0).any())
    late = ac.cases(year[month])
    late = late[late["days_overdue"] > 0]
    lines = [a for a in actions(Briefing(month)) if a.kind == "举报办理"]
    assert len(lines) == 1
    line = lines[0]
    for r in late.itertuples():
        assert f"{r.unit}办理的{r.case_no}" in line.finding and f"逾期 {r.days_overdue} 天" in line.finding
        assert r.unit in line.who
    assert f"{len(late)} 件" in line.finding


def test_a_case_open_one_month_is_closed_in_the_register_the_month_it_is_closed(year):
    months = sorted(year)
    closing = next(m for m in months[1:] if any(r["case_no"] in set(year[months[months.index(m) - 1]].complaints
                                                                      .get("case_no", []))
                                                for r in ac.closed_in_month(year[m])))
    reg = rg.build([year[m] for m in months if m <= closing])
    prev = months[months.index(closing) - 1]
    for r in ac.closed_in_month(year[closing]):
        item = reg.items[reg.items["key"] == f"complaint|{r['case_no']}"]
        if r["case_no"] not in set(year[prev].complaints["case_no"]) or r["received_on"] > dt.date.fromisoformat(prev + "-28"):
            continue
        assert len(item) == 1
        it = item.iloc[0]
        assert it["status"] == rg.FIXED and it["closed_in"] == closing
        assert ac.public(year[closing], r["result"]) in it["detail"]
        assert it["responsible"] == r["unit"]


def test_each_closed_case_is_in_its_months_notice_with_its_result(year):
    seen = 0
    for m, d in year.items():
        if not ac.has_register(d):
            continue
        n = notice.build(m, data=d)
        text = notice.text(n)
        closed = ac.closed_in_month(d)
        assert len(n.cases) == len(closed)
        for r in closed:
            assert r["case_no"] in text and ac.public(d, r["result"]) in text
            seen += 1
        assert n.signer in text and n.number.startswith("敖民公示〔")
    assert seen >= 4


def test_no_notice_names_a_person_of_any_table_or_holds_an_identity_number(year):
    """Over every name of every table of every bundled month (the register's own people included), and health words."""
    names = ac.people_names(*year.values())
    assert len(names) > 1000
    # the sample register's clerk wrote a person's name and a health condition into what is published
    raw = " ".join(str(x) for d in year.values() if ac.has_register(d)
                   for x in (*d.complaints["found"], *d.complaints["result"], *d.complaints["summary"]))
    assert any(n in raw for n in names) and "精神疾病" in raw
    for m, d in year.items():
        if not ac.has_register(d):
            continue
        n = notice.build(m, data=d)
        text = notice.notice_html(n) + notice.text(n)
        assert not ID18.search(text), m
        # the notice's fixed words (its number 敖民公示…, the bureau, the plan's title) may hold a namesake's two
        # characters (a sample person is called 敖民): what is checked is every word that comes from the tables
        for fixed in (n.number, n.signer, n.title, d.policy.document.title, d.policy.document.number):
            text = text.replace(fixed, "|")
        assert not [x for x in names if x in text], m
        assert not [w for w in notice.complaints_for(d.policy).health_words if w in text], m


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """``tekun report --notice`` of the first bundled month whose register names a person in what is published."""
    year = {m: load_month(m, cache=True) for m in available_months(ROOT / "data")}
    names = ac.people_names(*year.values())
    month = next(m for m, d in year.items() if ac.has_register(d) and any(
        n in str(x) for x in d.complaints["found"] for n in names))
    out = tmp_path_factory.mktemp("notice")
    res = subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "report", "--notice", "--month", month,
                          "--out", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return month, out / "notice" / month, names, year[month]


def test_the_rendered_notice_shows_the_result_and_no_name(rendered):
    month, folder, names, d = rendered
    (html,) = folder.glob("*.html")
    (pdf,) = folder.glob("*.pdf")
    pdf_text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.replace("\n", "")
    html_text = html.read_text(encoding="utf-8")
    for r in ac.closed_in_month(d):
        assert r["case_no"] in pdf_text and ac.public(d, r["result"])[:12] in pdf_text
        assert r["person_name"] is None or r["person_name"] not in html_text + pdf_text
    prefix = notice.complaints_for(d.policy).prefix(d.policy.county)
    for fixed in {d.policy.county.bureau, d.policy.document.title, d.policy.document.number, prefix}:
        html_text, pdf_text = html_text.replace(fixed, "|"), pdf_text.replace(fixed, "|")
    assert not [n for n in names if n in html_text or n in pdf_text]
    assert not ID18.search(html_text) and not ID18.search(pdf_text)
    assert "示例数据" in pdf_text                          # the register is sample data


def test_notice_without_a_register_says_so(tmp_path):
    data = make_month(tmp_path)
    res = subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "report", "--notice", "--month", MONTH,
                          "--data-dir", str(data), "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert res.returncode == 1 and "没有举报与媒体报道问题登记表" in res.stderr
    assert not (tmp_path / "out" / "notice").exists()


def test_inspection_forms_of_one_township_are_its_homes_only(tmp_path):
    from tekun_helpers.config.reference import load_reference

    ref = load_reference()
    town = next(t for t in ref.township_names if any(h.township == t for h in ref.homes))
    expected = {h.name for h in ref.homes if h.township == town} | set(ref.township(town).served_by)
    res = subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "forms", "--month", "2023-09", "--kind", "督查",
                          "--township", town, "--out", str(tmp_path)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    written = {p.name.split(" ")[1] for p in tmp_path.glob("*.xlsx")}
    assert written == expected and len(written) < len(ref.homes)


def test_no_notice_for_a_month_without_closed_cases_nor_with_a_period(tmp_path, year):
    month = next(m for m, d in year.items() if ac.has_register(d) and not ac.closed_in_month(d))
    run = [sys.executable, "-m", "tekun_helpers.cli", "report", "--notice", "--out", str(tmp_path)]
    res = subprocess.run([*run, "--month", month], capture_output=True, text=True)
    assert res.returncode == 0 and "没有本月办结的件" in res.stdout
    assert not (tmp_path / "notice").exists()
    res = subprocess.run([*run, "--period", "2023-08..2023-09"], capture_output=True, text=True)
    assert res.returncode == 2 and "--notice 须与 --month 一起使用" in res.stderr
