"""The bundled year's period report rendered (``tekun report --period 2023-08..2024-07``, issue 31): its HTML,
PDF and Excel say the same figures, and those are the months' own: findings opened and closed by class (each
month's own register), people moved into homes (the months' 减少情况表), money due and paid (the months' funds
ledgers). Rendered once for the session (a few minutes)."""
from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from tekun_helpers.analysis import compliance
from tekun_helpers.analysis import register as rg
from tekun_helpers.analysis import trends
from tekun_helpers.config.schema import VOCABULARIES
from tekun_helpers.core.fmt import cn_month
from tekun_helpers.core.frames import rows_of

START, END = "2023-08", "2024-07"


@pytest.fixture(scope="session")
def rendered_year(tmp_path_factory):
    """The period report's files ('html', 'pdf', 'xlsx' -> path), rendered once."""
    from tekun_helpers.publish.period import render_period

    result = render_period(START, END, out_dir=tmp_path_factory.mktemp("period_year"))
    assert result.error is None, result.error
    return result.files


@pytest.fixture(scope="module")
def months():
    ok, skipped = trends.history(END, whole=True)       # the tests read every table of every month
    assert not skipped
    return [d for d in ok if START <= d.month <= END]


def _sheet(path, title: str) -> list[dict]:
    """A workbook sheet's rows as dicts keyed by its header (the row after the 示例数据 mark)."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[title].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] and not str(r[0]).startswith("示例数据"))
    return [dict(zip(rows[head], r)) for r in rows[head + 1:] if r[0] not in (None, "合计")]


def _html_rows(path) -> list[list[str]]:
    """Every table row of the HTML report as its cells' texts."""
    page = path.read_text(encoding="utf-8")
    rows = []
    for tr in re.findall(r"<tr\b.*?</tr>", page, flags=re.S):
        cells = re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", tr, flags=re.S)
        rows.append([re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", c)) for c in cells])
    return rows


def _text(path) -> str:
    if path.suffix == ".pdf":
        raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    else:
        raw = re.sub(r"<[^>]+>", "", re.sub(r"<(script|style)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S))
    return re.sub(r"\s+", "", raw)


def _n(x) -> str:
    return f"{int(x):,}"


def test_findings_by_class_are_the_monthly_registers_and_the_same_in_html_pdf_and_excel(rendered_year, months):
    # each month's own register: what it first saw that month; what it closed that month, or found open again
    # (a finding closed and seen again later counts once, as open at the end)
    opened: dict[str, int] = {}
    state: dict[str, tuple[str, str]] = {}        # key -> (closed or open, kind) after the latest month saying so
    for k, d in enumerate(months):
        items = rg.build(months[:k + 1]).items
        for kind in items.loc[items["first_seen"] == d.month, "kind"]:
            opened[kind] = opened.get(kind, 0) + 1
        for r in rows_of(items):
            if r["closed_in"] == d.month:
                state[r["key"]] = ("closed", r["kind"])
            elif r["status"] in rg.OPEN_STATUSES:
                state[r["key"]] = ("open", r["kind"])
    closed: dict[str, int] = {}
    still: dict[str, int] = {}
    for how, kind in state.values():
        counts = closed if how == "closed" else still
        counts[kind] = counts.get(kind, 0) + 1
    sheet = _sheet(rendered_year["xlsx"], "问题发现与整改")
    excel = {r["问题类别"]: (r["期内新发现（项）"], r["期内已关闭（项）"], r["期末仍未关闭（项）"]) for r in sheet}
    kinds = set(opened) | set(closed) | set(still)
    assert set(excel) == kinds
    for kind in kinds:
        assert excel[kind] == (opened.get(kind, 0), closed.get(kind, 0), still.get(kind, 0)), kind
    html = _html_rows(rendered_year["html"])
    pdf = subprocess.run(["pdftotext", "-layout", str(rendered_year["pdf"]), "-"], capture_output=True, text=True,
                         check=True).stdout
    lines = [line.split() for line in pdf.splitlines()]        # a table's row is a line as the layout reads it
    for kind, numbers in excel.items():
        assert [kind, *map(_n, numbers)] in html, kind
        assert [kind, *map(_n, numbers)] in lines, kind
    said = f"期内新发现问题{_n(sum(opened.values()))}项、关闭{_n(sum(closed.values()))}项，期末仍有{_n(sum(still.values()))}项未关闭"
    assert said in _text(rendered_year["html"]) and said in _text(rendered_year["pdf"])


def test_people_moved_are_the_months_changes_and_the_same_everywhere(rendered_year, months):
    moved = VOCABULARIES["change"].labels[0]
    by_town: dict[str, int] = {}
    for d in months:
        for ch in rows_of(d.changes) if len(d.changes) else ():
            if ch["change"] == moved:
                by_town[ch["township"]] = by_town.get(ch["township"], 0) + 1
    assert sum(by_town.values()) > 0
    sheet = {r["乡镇苏木街道"]: r["转入集中供养（人）"] for r in _sheet(rendered_year["xlsx"], "各乡镇转入集中供养")}
    assert sheet == by_town
    html = _html_rows(rendered_year["html"])
    for town, n in by_town.items():
        assert [town, _n(n)] in html, town
    said = f"共有{_n(sum(by_town.values()))}人转入敬老院集中供养"
    assert said in _text(rendered_year["html"]) and said in _text(rendered_year["pdf"])


def test_money_due_and_paid_are_the_months_ledgers_and_the_same_in_html_and_excel(rendered_year, months):
    due: dict[str, list[float]] = {}
    for d in months:
        ledger = compliance.money(d)[0] if len(d.funds) else None
        for r in rows_of(ledger) if ledger is not None else ():
            a = due.setdefault(r["home"], [0, 0.0, 0.0])
            a[0] += 1
            a[1] += float(r["due"] or 0)
            a[2] += float(r["allocated"] or 0)
    assert due
    sheet = {r["敬老院"]: r for r in _sheet(rendered_year["xlsx"], "供养资金应拨与实拨")}
    assert set(sheet) == set(due)
    # the funds table's rows (amounts in yuan and fen; the moves table has rows of five cells too)
    html = {r[0]: r for r in _html_rows(rendered_year["html"]) if len(r) == 5 and r[0] in due and "." in r[2]}
    for home, (n, owed, paid) in due.items():
        r = sheet[home]
        assert (r["核算月数（个月）"], r["应拨（元）"], r["实拨（元）"]) == (n, pytest.approx(owed), pytest.approx(paid)), home
        shown = html[home]
        assert shown[1:4] == [_n(n), f"{owed:,.2f}", f"{paid:,.2f}"], (home, shown)


def test_each_townships_year_is_its_months_and_the_same_in_html_pdf_and_excel(rendered_year, months):
    """各乡镇逐月分散供养人数 and 各乡镇问题发现与整改 of the rendered year: each township's figures are its months'
    附件1 rows in the workbook, its row reads the same in HTML and PDF, and the townships' findings add up to the
    findings by class."""
    sheet = _sheet(rendered_year["xlsx"], "各乡镇逐月分散供养人数")
    towns = months[-1].reference.township_names
    assert [r["乡镇苏木街道"] for r in sheet] == towns
    for r in sheet:
        for d in months:
            a1 = dict(zip(d.townships["township"], d.townships["dispersed"]))
            assert r[f"{cn_month(d.month)}（人）"] == int(a1[r["乡镇苏木街道"]]), (r["乡镇苏木街道"], d.month)
    by_town = _sheet(rendered_year["xlsx"], "各乡镇问题发现与整改")
    by_kind = _sheet(rendered_year["xlsx"], "问题发现与整改")
    for k in ("期内新发现（项）", "期内已关闭（项）", "期末仍未关闭（项）"):
        assert sum(r[k] for r in by_town) == sum(r[k] for r in by_kind)
    html = _html_rows(rendered_year["html"])
    lines = [line.split() for line in subprocess.run(["pdftotext", "-layout", str(rendered_year["pdf"]), "-"],
                                                      capture_output=True, text=True, check=True).stdout.splitlines()]
    for r in by_town:
        row = [r["乡镇苏木街道"], *(_n(r[k]) for k in ("期内新发现（项）", "期内已关闭（项）", "期末仍未关闭（项）"))]
        assert row in html and row in lines, row
