"""Findings are typed records: one changed amount in the money ledger reaches every place that shows it.

A copy of 2023-08 has 长胜镇敬老院's allocation changed from 22,800 元 to 22,345.50 元, so its shortfall is
1,654.50 元 instead of 1,200 元. The ledger's finding holds the new amount, and page 1's 本月问题与措施,
the money section, the follow-up register and the Excel export all show it: each renders the record.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from builders import bundled_month, displayed, edit_cell
from tekun_helpers.analysis import findings as fd
from tekun_helpers.analysis import register as rg
from tekun_helpers.publish.excel import export_tables
from tekun_helpers.report import Briefing, show
from tekun_helpers.report.actions import actions

MONTH = "2023-08"
HOME = "长胜镇敬老院"
LEDGER = f"特困人员供养资金拨付台账 {MONTH}.xlsx"
NEW, OLD = Decimal("1654.50"), Decimal("1200.00")


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    data = bundled_month(tmp_path_factory.mktemp("findings"), MONTH)
    row, col = edit_cell(data / MONTH / LEDGER, "拨付金额", HOME, 22345.5)
    return Briefing(MONTH, data), (row, col)


def _html(*parts) -> str:
    return displayed(*parts)


def _short(ledger):
    row = ledger.set_index("home").loc[HOME]
    return [f for f in row["findings"] if f.kind is fd.SHORT_PAID]


def test_the_ledger_makes_one_record_with_the_new_amount(changed):
    b, (row, _) = changed
    (f,) = _short(b.compliance.ledger)
    assert f.amount == NEW and f.home == HOME and f.fact("expected") == Decimal("24000.00")
    assert f.fact("actual") == Decimal("22345.50") and f.due.day == b.policy.funds.allocation_day
    assert f.cells[0].file == LEDGER and f.cells[0].row == row
    assert f.responsible == HOME and f.kind.topic == "funds"


def test_page_one_reads_the_record(changed):
    b, _ = changed
    (money,) = [a for a in actions(b) if a.kind == "资金"]
    assert "1,654.50" in money.finding and "1,200" not in money.finding and HOME in money.who
    page = _html(lambda: show.leader_page(b))
    assert "1,654.50" in page


def test_the_money_section_reads_the_record(changed):
    b, _ = changed
    section = _html(lambda: show.compliance_section(b))
    assert "1,654.50" in section and ">少拨<" in section       # the shortfall and the finding's verdict


def test_the_register_reads_the_record(changed):
    b, _ = changed
    reg = rg.build([b.data])
    item = reg.items[(reg.items["topic"] == "funds") & (reg.items["home"] == HOME)].iloc[0]
    (f,) = [f for f in item["findings"] if f.kind is fd.SHORT_PAID]
    assert f.amount == NEW and item["responsible"] == HOME and f.first_seen == MONTH == item["first_seen"]
    assert "1,654.50" in item["item"] and "1,654.50" in item["detail"]


def test_the_excel_export_reads_the_record(changed, tmp_path):
    b, _ = changed
    wb = load_workbook(export_tables(b.export_tables(), tmp_path / "统计表.xlsx"))
    for sheet in ("资金拨付", "整改跟踪"):
        cells = [str(c.value) for r in wb[sheet].iter_rows() for c in r if c.value is not None]
        assert any("1,654.50" in c for c in cells), sheet
        assert not any("少拨 1,200.00" in c for c in cells), sheet


def test_the_bundled_month_says_the_old_amount():
    """The same places say 1,200 元 in the month as sent: the change above is what moved them."""
    b = Briefing(MONTH)
    (f,) = _short(b.compliance.ledger)
    assert f.amount == OLD
    (money,) = [a for a in actions(b) if a.kind == "资金"]
    assert "1,200" in money.finding


def test_a_finding_keeps_its_kind_across_processes(changed):
    """A batch hands the month's facts to its workers pickled: the kinds stay the catalogue's own objects."""
    import copy
    import pickle

    b, _ = changed
    spending = pickle.loads(pickle.dumps(b.compliance.spending))
    found = [f for fs in spending["findings"] for f in fs]
    assert found and all(f.kind is fd.KINDS[f.code] for f in found)
    (f,) = _short(copy.deepcopy(b.compliance.ledger))
    assert f.kind is fd.SHORT_PAID and pickle.loads(pickle.dumps(f)) == f


def test_every_kind_is_declared_once_with_its_owner():
    assert all(k.owner in (fd.HOME, fd.TOWNSHIP, fd.UNIT) for k in fd.KINDS.values())
    # a kind owned by its handling unit names it: the complaints' (analysis.complaints)
    assert [k.code for k in fd.KINDS.values() if k.owner == fd.UNIT] == ["complaint"]
    f = fd.make(fd.COMPLAINT_OPEN, township="某镇", unit="某局", case_no="1", category="其他", summary="", channel="电话",
                received=None)
    assert f.responsible == "某局"
    assert {k.topic for k in fd.KINDS.values() if k.topic} <= set(fd.TOPICS) | set(fd.PERSON_RULE)
    with pytest.raises(ValueError):
        fd.declare("short_paid", "少拨", "", fd.HOME, "")
