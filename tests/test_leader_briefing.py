"""The leader's briefing on the rendered 2023-08 batch: page 1 says what to do and who must do it;
no developer's word reaches a PDF; one rounding rule in HTML, PDF and Excel."""
from __future__ import annotations

import re
import subprocess

import pytest
from openpyxl import load_workbook

from tekun_helpers import load_month
from tekun_helpers.analysis import stats

MONTH = "2023-08"
BANNER = f"敖汉旗_{MONTH}_月度简报"


def _raw(pdf, first=None, last=None) -> str:
    """The PDF's text in reading order, spaces and line breaks removed (a table cell's words stay together)."""
    cmd = ["pdftotext", "-raw", *(["-f", str(first), "-l", str(last)] if first else []), str(pdf), "-"]
    return re.sub(r"\s+", "", subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


@pytest.fixture(scope="module")
def page_one(rendered_batch):
    return _raw(rendered_batch / MONTH / f"{BANNER}.pdf", 1, 1)


def test_page_one_names_every_home_below_target_with_head_and_phone(page_one):
    m = load_month(MONTH)
    hs = stats.home_stats(m.homes, m.policy).merge(m.homes[["home", "head", "phone"]], on="home")
    below = hs[~hs["at_target"]]
    assert len(below) == 11
    for r in below.to_dict("records"):
        assert f"{r['home']}" in page_one and f"{r['head']}{r['phone']}" in page_one, r["home"]
    # ranked by the residents each lacks: 玛尼罕乡 (30) first
    at = [page_one.index(f"{h}{t}") for h, t in zip(below.sort_values("missing", ascending=False, kind="stable")["home"],
                                                    below.sort_values("missing", ascending=False, kind="stable")["township"])]
    assert at == sorted(at)


def test_page_one_lists_the_money_and_benefit_problems_with_whom_and_by_when(page_one):
    assert "本月问题与措施" in page_one
    for said in ("萨力巴乡敬老院未拨付19,200元", "长胜镇敬老院少拨1,200元", "古鲁板蒿镇敬老院迟拨8天",
                 "贝子府镇敬老院违规列支1,565元", "9人次同时享受不能同时享受的待遇", "每月10日前", "10月31日前"):
        assert said in page_one, said
    assert "贝子府镇40人、承接院空床14张" in page_one


@pytest.mark.parametrize("scope", ["banner", "township"])
def test_no_pdf_holds_a_developers_word(rendered_batch, scope):
    pdfs = sorted((rendered_batch / MONTH).glob("*.pdf")) if scope == "banner" else \
        sorted((rendered_batch / MONTH / "乡镇").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        text = _raw(pdf)
        for word in ("policy.toml", "served_by", "townships.csv", "[staffing]", "[funds]", "SHA-256"):
            assert word not in text, (pdf.name, word)


def test_15_of_48_is_31_3_percent_in_html_pdf_and_excel(rendered_batch):
    # 下洼镇敬老院: 48 beds, 15 residents in 附件2 (0.3125: half-even rounding would show 31.2%)
    html = (rendered_batch / MONTH / f"{BANNER}.html").read_text(encoding="utf-8")
    assert "31.3%" in html and "31.2%" not in html
    assert "31.3%" in _raw(rendered_batch / MONTH / f"{BANNER}.pdf")
    wb = load_workbook(rendered_batch / MONTH / "Excel" / f"敖汉旗_{MONTH}_统计表.xlsx")
    ws = wb["敬老院统计"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "下洼镇敬老院")
    cell = row[head.index("入住率")]
    assert cell.value == pytest.approx(15 / 48) and cell.number_format == "0.0%"


def test_a_late_payment_is_as_late_on_page_one_as_in_the_register():
    """2023-08, 古鲁板蒿镇: page 1 said the home's money came 迟拨 8 天 (the ledger: due 8月10日, paid 8月18日) and,
    of the same payment, 逾期未整改 … 最长 21 天 (the register counted to the month's end). A late payment's
    clock stops on the day the money arrived: both say 8."""
    from tekun_helpers.analysis import findings as fd
    from tekun_helpers.report import Briefing, actions, followup

    b = Briefing(MONTH, township="古鲁板蒿镇")
    lines = {a.kind: a.finding for a in actions.actions(b)}
    late = re.search(r"迟拨 (\d+) 天", lines["资金"])
    assert late, lines["资金"]
    od = followup.overdue(b)
    paid_late = od[[all(f.kind is fd.PAID_LATE for f in fs) for fs in od["findings"]]]
    assert len(paid_late) == 1
    assert int(paid_late["days_overdue"].iloc[0]) == int(late.group(1)) == paid_late["findings"].iloc[0][0].days
    assert f"最长 {int(od['days_overdue'].max())} 天" in lines["逾期问题"]


def test_the_overdue_list_ranks_by_the_plans_weight_not_by_name():
    """Issue 32: 逾期未整改 broke ties by the 类别's name, so the list showed 工作进度, 就医提醒 and 培训 and none of
    the people to move. Ranked by :attr:`Kind.weight` (people to move 3, money and escalations 2, duties and
    training 1), then by days overdue; page 1's line counts each class in that order and adds up to the
    register's count (followup.overdue, the one count)."""
    from tekun_helpers.analysis import register as rg
    from tekun_helpers.analysis.findings import KINDS, PERSON_RULE
    from tekun_helpers.report import Briefing, actions, followup

    assert PERSON_RULE["transfer"].weight > KINDS["not_paid"].weight == PERSON_RULE["escalate"].weight \
        > KINDS["duty"].weight == KINDS["training"].weight
    b = Briefing("2023-10")
    od = followup.overdue(b)
    weights = [followup.weight(f) for f in od["findings"]]
    assert weights == sorted(weights, reverse=True) and weights[0] == 3 and 1 in weights
    for w in set(weights):        # within a weight, the longest overdue first
        days = [d for d, x in zip(od["days_overdue"], weights) if x == w]
        assert days == sorted(days, reverse=True)
    items = followup.items(b)
    assert len(od) == int((items["status"].isin(rg.OPEN_STATUSES) & (items["days_overdue"] > 0)).sum())
    # page 1 names the heaviest classes (the people to move) with their count, and counts the rest
    line = {a.kind: a.finding for a in actions.actions(b)}["逾期问题"]
    people = int(sum(w == 3 for w in weights))
    assert line.startswith(f"{len(od)} 项问题逾期未整改"), line
    assert f"纳入敬老院集中供养 {people} 项、其余 {len(od) - people} 项，最长 {int(od['days_overdue'].max())} 天" in line
    assert [k for k, _ in followup.overdue_classes(od)][:2] == list(dict.fromkeys(od["kind"]))[:2]


def test_each_class_on_page_one_shows_its_findings_own_deadlines():
    """Page 1 gave 集中供养 the plan's 9月30日 even for a person first found later (the register's due is a month
    after); each class says its findings' own deadlines, with the year when it is not the report's."""
    import datetime as dt

    from tekun_helpers.analysis import register as rg
    from tekun_helpers.report import Briefing, actions, followup

    # a day passed by the month's end says its year and that it has passed; the days ahead, each once, "…前"
    assert actions.due_words([dt.date(2023, 12, 30), dt.date(2023, 9, 30), dt.date(2023, 9, 30)], "2023-10") \
        == "2023年9月30日（已过）、12月30日前"
    assert actions.due_words([dt.date(2023, 10, 31), dt.date(2023, 11, 30)], "2023-10") == "10月31日前、11月30日前"
    assert actions.due_words([dt.date(2024, 1, 29)], "2023-12") == "2024年1月29日前"
    assert actions.due_words([dt.date(2023, 9, 30), dt.date(2023, 12, 15), dt.date(2024, 3, 31), dt.date(2024, 4, 15),
                              dt.date(2024, 5, 1)], "2024-03") == "2023年9月30日至2023年12月15日（已过）、3月31日至5月1日前（逐项）"
    b = Briefing("2023-10")
    due = {a.kind: a.due for a in actions.actions(b)}["集中供养"]
    items = followup.items(b)
    own = items[items["topic"].isin(("transfer", "placement")) & items["status"].isin(rg.OPEN_STATUSES)]["due"]
    assert len(own) and due == actions.due_words(own, b.month), (due, sorted(set(own)))
