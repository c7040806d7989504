"""One set of numbers and plain words on the leader's pages (issue 33): page 1, section 三 and the Excel 整改跟踪
sheet count the overdue findings from the same register; the deadline month reads 期限为本月底, not a countdown of
0 days; no net figure that mixes surplus and shortfall on page 1; no empty-state sentence followed by a list; the
data fingerprint only in the methods section (方法与数据来源), not on page 1 or in the running header and footer.
Reads the session's rendered batch."""
from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from tekun_helpers.analysis import register as rg

from conftest import BATCH_MONTHS

BANNER = "敖汉旗_{m}_月度简报"


def _html(path) -> str:
    """An HTML report's text, tags removed (the sentences as a reader sees them, in order)."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def _pdf_pages(path) -> list[str]:
    """A PDF's pages as pdftotext reads them (reading order), whitespace removed (pdftotext breaks lines)."""
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", p) for p in raw.split("\f") if p.strip()]


def _reports(root, month: str) -> list:
    """The banner's and every township's HTML report of ``month``."""
    folder = root / month
    return [folder / f"{BANNER.format(m=month)}.html", *sorted((folder / "乡镇").glob("*.html"))]


def _page1_overdue(text: str) -> int | None:
    m = re.search(r"(\d+) 项问题逾期未整改", text)
    return int(m.group(1)) if m else None


def _section_overdue(text: str) -> int | None:
    m = re.search(r"逾期未整改（共 (\d+) 项", text)
    return int(m.group(1)) if m else None


def _excel_overdue(path) -> int:
    """Rows of the workbook's 整改跟踪 sheet still open (新发现, 未整改, 待核实) and past their due date."""
    ws = openpyxl.load_workbook(path, read_only=True)["整改跟踪"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if "类别" in r and "状态" in r)
    status = rows[head].index("状态")
    days = next(i for i, h in enumerate(rows[head]) if str(h).startswith("逾期天数"))
    return sum(1 for r in rows[head + 1:] if r[status] in rg.OPEN_STATUSES and (r[days] or 0) > 0)


def test_overdue_count_is_the_same_on_page_1_in_section_3_and_in_excel(rendered_batch):
    """2023-10: 224 open findings past due (216 before the 8 督查评比 items of the sample inspections), one of them first seen this month (money short, due on the 10th):
    page 1 counts it as section 三 and the Excel sheet do, and says so."""
    month = "2023-10"
    text = _html(rendered_batch / month / f"{BANNER.format(m=month)}.html")
    excel = _excel_overdue(rendered_batch / month / "Excel" / f"敖汉旗_{month}_统计表.xlsx")
    register = len(rg.register_for(month).overdue())
    assert _page1_overdue(text) == _section_overdue(text) == excel == register == 224
    assert "224 项问题逾期未整改（其中 1 项为本月新发现、发现时已过整改期限）" in text
    assert "以前月份发现的 215 项" not in text


@pytest.mark.parametrize("month", BATCH_MONTHS)
def test_every_report_counts_overdue_findings_once(rendered_batch, month):
    """In every briefing, page 1's overdue count is section 三's (when the section lists them)."""
    for path in _reports(rendered_batch, month):
        text = _html(path)
        page1, section = _page1_overdue(text), _section_overdue(text)
        if section is not None:
            assert page1 == section, path.name


def test_the_deadline_month_says_the_deadline_is_this_months_end(rendered_batch):
    """2023-10 is the occupancy deadline's month: 期限为本月底 and what is missing, never a countdown of 0 days."""
    for path in _reports(rendered_batch, "2023-10"):
        text = _html(path)
        for wrong in ("还有0天", "还有 0 天", "按剩余"):
            assert wrong not in text, (path.name, wrong)
    banner = _html(rendered_batch / "2023-10" / f"{BANNER.format(m='2023-10')}.html")
    assert "入住率目标期限为本月底（2023年10月31日），仍有2所敬老院未达标，共差27人。" in banner
    assert "本月底到期" in banner                      # page 1's deadline tile


@pytest.mark.parametrize("month", BATCH_MONTHS)
def test_no_net_gap_on_the_leaders_pages(rendered_batch, month):
    """The official net 还应入住人数 (-30 in 2023-10) is left to the methods section: page 1 and the summary
    say the shortfall of the homes below target and the surplus of the others, each on its own."""
    pages = _pdf_pages(rendered_batch / month / f"{BANNER.format(m=month)}.pdf")
    assert not re.search(r"-\d+人", pages[0]), pages[0]
    text = _html(rendered_batch / month / f"{BANNER.format(m=month)}.html")
    assert "合计为-" not in text and "“还应入住人数”合计为" not in text
    if month == "2023-10":
        assert "共差27人；已达标敬老院共超出目标57人" in text


@pytest.mark.parametrize("month", BATCH_MONTHS)
def test_no_empty_state_sentence_before_a_list(rendered_batch, month):
    """A sentence saying there is nothing (no earlier findings, nothing overdue) is never followed by a list
    of what it said there was not."""
    for path in _reports(rendered_batch, month):
        text = _html(path)
        for empty in ("没有以前月份发现的问题", "没有逾期未整改的问题", "未发现需要跟踪的问题"):
            if empty in text:
                assert not re.search(r"逾期未整改（共 \d+ 项", text[text.index(empty):]), (path.name, empty)
    if month == "2023-08":
        banner = _html(rendered_batch / month / f"{BANNER.format(m=month)}.html")
        assert "其中 3 项发现时已过整改期限，列于下表" in banner and "逾期未整改（共 3 项）" in banner


@pytest.mark.parametrize("month", BATCH_MONTHS)
def test_fingerprint_only_in_the_methods_section(rendered_batch, month):
    """No 数据指纹 on page 1 or in the running header and footer: only where the sources are listed."""
    for path in (rendered_batch / month / f"{BANNER.format(m=month)}.pdf",
                 next((rendered_batch / month / "乡镇").glob("*.pdf"))):
        pages = _pdf_pages(path)
        assert "数据指纹" not in pages[0], path.name
        with_it = [n for n, p in enumerate(pages, 1) if "数据指纹" in p]
        assert with_it and all("数据来源" in pages[n - 1] for n in with_it), (path.name, with_it)
        assert len(with_it) <= 2, (path.name, with_it)            # not on every page (the footer)
    html = (rendered_batch / month / f"{BANNER.format(m=month)}.html").read_text(encoding="utf-8")
    assert "<footer" in html and "数据指纹" not in html[html.index("<footer"):]     # the HTML's own footer
