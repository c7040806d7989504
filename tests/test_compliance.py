"""资金与政策衔接 from a month built for it: identity numbers read and checked, benefit rosters matched,
the money ledger and spending flagged, and what the briefing shows (masked)."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from builders import by_code, make_month, write_xlsx
from tekun_helpers.io import idcard
from tekun_helpers import load_month
from tekun_helpers.report.briefing import Briefing
from tekun_helpers.config.county import default_county
from tekun_helpers.config.schema import ASSESSMENT_EXTRA_HEADER, ASSESSMENT_HEADER, FUNDS, HOME_CARE, SPENDING, bind
from tekun_helpers.config.schema import BENEFITS as BENEFITS_TEMPLATE

BENEFITS = bind(BENEFITS_TEMPLATE, default_county())      # the roster's columns as the bundled county heads them

MONTH = "2023-09"
RNG = random.Random(7)
# 丰收乡's form: (name, village, sex, age, id birth date, id sex)
WANG = idcard.sample_number(RNG, dt.date(1953, 5, 1), "男")      # 70 on 2023-09-30
LI = idcard.sample_number(RNG, dt.date(1950, 1, 2), "女")        # 73
ZHAO = idcard.sample_number(RNG, dt.date(1940, 6, 6), "男")      # 83, but the form says 70
BAD = WANG[:17] + ("0" if WANG[17] != "0" else "1")              # a wrong check digit
OTHER = idcard.sample_number(RNG, dt.date(1960, 3, 3), "男")     # someone else's number

GOOD = ["甲村", "王小明", "男", 70, "王大", 45, "侄子", "自理", "自有", "整洁干净", "较好", "较好", "是", "是", "否", "较好", None]


def person(name, village="甲村", sex="男", age=70, id_number="", mental="", new="", **change):
    row = list(GOOD)
    row[0], row[1], row[2], row[3] = village, name, sex, age
    for k, v in change.items():
        row[{"guardian": 4, "care": 11, "environment": 9}[k]] = v
    return [*row, id_number, mental, new]


PEOPLE = [
    person("王小明", id_number=WANG),
    person("李秀英", sex="女", age=73, id_number=LI),
    person("赵大山", age=70, id_number=ZHAO),                         # id says 83: mismatch
    person("孙小二", id_number=BAD),                                  # wrong check digit
    person("周小四", village="乙村"),                                  # no number: matched by name
    person("吴小五", village="乙村", mental="是", guardian=None),      # mental illness, no guardian
    person("郑小六", village="乙村", new="是", environment="脏乱差"),  # new applicant unsuited to home care
]


def write_month(tmp_path):
    data = make_month(tmp_path, MONTH)
    folder = data / MONTH
    header = [*ASSESSMENT_HEADER, *ASSESSMENT_EXTRA_HEADER]
    write_xlsx(folder / "丰收乡.xlsx", [["敖汉旗分散供养特困人员排查评估表"], ["填报单位：丰收乡"], header,
                                      *[[i, *r] for i, r in enumerate(PEOPLE, start=1)]], title_rows=())
    roster = [f.label for f in BENEFITS.fields if f.key != "benefit"]
    write_xlsx(folder / "低保名册.xlsx", [["最低生活保障对象名册"], ["待遇类别：低保"], roster,
                                      [1, "丰收乡", "甲村", "王晓明", WANG, None],       # same number, other spelling
                                      [2, "丰收乡", "丙村", "钱七", OTHER, None]], title_rows=())
    write_xlsx(folder / "孤儿名册.xlsx", [["待遇类别：孤儿基本生活保障"], roster,
                                      [1, "丰收乡", "乙村", "周小四", None, None]], title_rows=())
    write_xlsx(folder / "残疾人名册.xlsx", [["待遇类别：困难残疾人生活补贴"], roster,
                                       [1, "丰收乡", "甲村", "李秀英", OTHER, None]], title_rows=())   # same name, other number
    care = [f.label for f in HOME_CARE.fields]
    write_xlsx(folder / "入住构成.xlsx", [care, [1, "丰收乡敬老院", 10, 18, 0, None], [2, "贝子府镇敬老院", 10, 26, 0, None],
                                      [3, "长胜镇敬老院", 10, 23, 0, None], [4, "下洼镇敬老院", 10, 15, 0, None]],
                title_rows=())
    money = [f.label for f in FUNDS.fields]
    write_xlsx(folder / "资金台账.xlsx", [money,
                                      [1, "丰收乡敬老院", 21600, dt.date(2023, 9, 10), None],         # due 18 x 1200, on the day
                                      [2, "贝子府镇敬老院", 31199.99, dt.date(2023, 9, 5), None],     # one fen short
                                      [3, "长胜镇敬老院", 27600, dt.date(2023, 9, 11), None],         # one day late
                                      [4, "下洼镇敬老院", 0, None, None]], title_rows=())              # not paid
    spend = [f.label for f in SPENDING.fields]
    write_xlsx(folder / "支出明细.xlsx", [spend, [1, "丰收乡敬老院", "伙食费", 15000, None],
                                      [2, "丰收乡敬老院", "院内维修改造费", 3000.5, None],
                                      [3, "丰收乡敬老院", "护理费", 3000, None]], title_rows=())
    return data


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    data = write_month(tmp_path_factory.mktemp("compliance"))
    return data, load_month(MONTH, data)


def test_identity_numbers_are_read_and_checked(month):
    _, m = month
    people = m.assessments.set_index("name")
    assert people.loc["王小明", "id_number"] == WANG and people.loc["周小四", "id_number"] == ""
    bad = by_code(m, "bad_id")
    assert len(bad) == 1 and bad[0].row == 7 and bad[0].column == "身份证号" and bad[0].column_letter == "S"
    assert "校验位" in bad[0].message and BAD not in bad[0].message and bad[0].value == idcard.mask(BAD)
    mismatch = by_code(m, "id_mismatch")
    assert [i.row for i in mismatch] == [6] and "83" in mismatch[0].message and ZHAO not in mismatch[0].message
    assert m.ok


def test_every_issue_masks_the_number(month):
    _, m = month
    text = "\n".join(f"{i.value} {i.message}" for i in m.issues)
    assert not idcard.find_valid_numbers(text)


def test_benefit_rosters_know_their_benefit(month):
    _, m = month
    assert sorted(set(m.benefits["benefit"])) == ["困难残疾人生活补贴", "孤儿基本生活保障", "最低生活保障"]


def test_each_exclusion_fires_on_the_pair_built_for_it_and_not_otherwise(month):
    data, m = month
    b = Briefing(MONTH, data, internal=True)
    c = b.compliance.conflicts.set_index("name")
    assert set(c.index) == {"王小明", "周小四"}                       # 李秀英: same name, another number
    assert c.loc["王小明", "benefit"] == "最低生活保障" and c.loc["王小明", "confirmed"]
    assert c.loc["王小明", "to_stop"] == "最低生活保障"
    assert c.loc["周小四", "benefit"] == "孤儿基本生活保障" and not c.loc["周小四", "confirmed"]
    assert c.loc["周小四", "to_stop"] == "特困人员救助供养"
    assert "不再适用最低生活保障政策" in c.loc["王小明", "rule"]


def test_money_flags_at_their_boundaries(month):
    data, m = month
    ledger = Briefing(MONTH, data).compliance.ledger.set_index("home")
    assert ledger.loc["丰收乡敬老院", "due"] == Decimal("21600.00") and ledger.loc["丰收乡敬老院", "findings"] == ()
    assert ledger.loc["贝子府镇敬老院", "shortfall"] == Decimal("0.01")
    assert [f.amount for f in ledger.loc["贝子府镇敬老院", "findings"] if f.code == "short_paid"] == [Decimal("0.01")]
    assert ledger.loc["长胜镇敬老院", "late"] and not ledger.loc["丰收乡敬老院", "late"]
    assert "not_paid" in [f.code for f in ledger.loc["下洼镇敬老院", "findings"]]


def test_forbidden_spending_is_flagged(month):
    data, _ = month
    s = Briefing(MONTH, data).compliance.spending.set_index("category")
    assert s.loc["院内维修改造费", "forbidden"] and s.loc["院内维修改造费", "amount"] == Decimal("3000.50")
    assert not s.loc["伙食费", "forbidden"] and not s.loc["护理费", "forbidden"]


def test_people_to_watch(month):
    data, _ = month
    b = Briefing(MONTH, data)
    w = b.compliance.watch.set_index("township").loc["丰收乡"]
    assert (w["mental_illness"], w["mental_listed"], w["new_applicants"], w["placement"]) == (1, 1, 1, 1)
    transfer = b.cases("transfer")
    assert transfer["reasons"].iloc[0].startswith("患有精神疾病，无监护人")
    assert list(b.cases("placement")["name"]) == ["郑*六"]


def test_briefing_shows_conflicts_masked_by_default(month):
    data, _ = month
    c = Briefing(MONTH, data).own_conflicts()
    assert "王*明" in set(c["name"]) and "王小明" not in set(c["name"])
    assert c.loc[c["name"] == "王*明", "id_number"].iloc[0] == idcard.mask(WANG)
    assert not idcard.find_valid_numbers(c.to_csv())


def test_roster_without_its_benefit_is_an_error(tmp_path):
    data = make_month(tmp_path, MONTH)
    roster = [f.label for f in BENEFITS.fields if f.key != "benefit"]
    write_xlsx(data / MONTH / "名册.xlsx", [roster, [1, "丰收乡", "甲村", "王小明", WANG, None]], title_rows=("某名册",))
    m = load_month(MONTH, data)
    issue = by_code(m, "benefit_missing")[0]
    assert issue.severity == "error" and issue.file == "名册.xlsx" and "待遇类别" in issue.message


def test_excel_number_in_the_id_column_is_explained(tmp_path):
    data = make_month(tmp_path, MONTH)
    header = [*ASSESSMENT_HEADER, *ASSESSMENT_EXTRA_HEADER]
    row = person("王小明")
    row[17] = 1.50430195305017e17
    write_xlsx(data / MONTH / "丰收乡.xlsx", [["填报单位：丰收乡"], header, [1, *row]], title_rows=())
    issue = by_code(load_month(MONTH, data), "bad_id")[0]
    assert "Excel 存成了数字" in issue.message and issue.row == 3


def test_excel_export_tables_are_masked(month, tmp_path):
    from tekun_helpers.publish.excel import export_tables

    data, _ = month
    tables = Briefing(MONTH, data).export_tables()
    assert {"政策衔接", "资金拨付"} <= set(tables)
    assert set(tables["政策衔接"].frame["name"]) == {"王*明", "周*四"}
    path = export_tables(tables, tmp_path / "t.xlsx", sample=True)
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    text = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "王小明" not in text and not idcard.find_valid_numbers(text) and "21600" in text.replace(",", "")
