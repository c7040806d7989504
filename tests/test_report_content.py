"""What the rendered reports say (the session's ``rendered_batch``): early work counts as done, occupancy is judged per home, townships in the official order, the transfer list in the order
it states, charts with Chinese alt text, money tables with totals and separators."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from tekun_helpers import load_month
from tekun_helpers.analysis import progress as pg

MONTH = "2023-08"
BANNER = f"敖汉旗_{MONTH}_月度简报"


@pytest.fixture(scope="module")
def month():
    return load_month(MONTH)


def _read(path) -> str:
    return path.read_text(encoding="utf-8")


def _tables_after(page: str, heading: str) -> list[list[str]]:
    """The rows (cell texts) of the first table after the heading element saying ``heading`` in an HTML page
    (not its entry in the table of contents)."""
    at = re.search(r"<h[1-6][^>]*>(?:(?!</h[1-6]>).)*?" + re.escape(heading), page, re.S).end()
    table = page[page.index("<table", at):page.index("</table>", at)]
    rows = []
    for tr in re.findall(r"<tr.*?</tr>", table, re.S):
        rows.append([htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh].*?</t[dh]>", tr, re.S)])
    return rows


def test_assessments_of_august_are_done_early_not_pending(rendered_batch):
    page = _read(rendered_batch / MONTH / f"{BANNER}.html")
    rows = _tables_after(page, "六、工作进度")
    col = rows[0].index(next(h for h in rows[0] if h.startswith("入户考核评价")))
    cells = [r[col] for r in rows[1:]]
    assert len(cells) == 18 and all(c.startswith(pg.EARLY) for c in cells), cells
    assert "提前完成 18 项" in page                 # the summary sentence and the legend say so
    town = _read(rendered_batch / MONTH / "乡镇" / f"贝子府镇_{MONTH}_月度简报.html")
    assert "入户考核评价" in town and "提前完成" in town


def test_xinhui_occupancy_is_shown_per_home(rendered_batch):
    page = _read(rendered_batch / MONTH / "乡镇" / f"新惠镇_{MONTH}_月度简报.html")
    assert "57.9%" not in page                      # 110/190: the two homes pooled
    assert "新惠镇敬老院 80.0% 已达标" in page and "敖汉旗新惠中心敬老院 47.7% 未达标" in page


def test_townships_are_in_the_official_order_in_the_index_and_the_benefit_table(rendered_batch, month):
    names = list(month.reference.township_names)
    index = _read(rendered_batch / "index.html")
    section = index[index.index("2023年8月"):]
    section = section[:section.index("</section>")]
    at = [section.index(f">{t} <") if f">{t} <" in section else section.index(f"{t}_") for t in names]
    assert at == sorted(at)
    page = _read(rendered_batch / MONTH / f"{BANNER}.html")
    rows = _tables_after(page, "（一）与其他社会救助待遇的衔接")
    shown = [r[0] for r in rows[1:] if r[0] in names]
    assert len(shown) >= 5 and shown == sorted(shown, key=names.index)


def test_the_transfer_list_is_in_the_order_it_states(rendered_batch, month):
    rule = month.policy.rules["transfer"]
    order = list(rule.priority_order)
    for path in [rendered_batch / MONTH / f"{BANNER}.html", *sorted((rendered_batch / MONTH / "乡镇").glob("*.html"))]:
        page = _read(path)
        if "应纳入敬老院集中供养人员（共" not in page:
            continue
        assert f"名单顺序：{rule.priority_text}。" in page, path.name
        rows = _tables_after(page, "应纳入敬老院集中供养人员（共")
        head = rows[0]
        care, why = head.index("自理情况"), head.index("理由")
        keys = [(not r[why].startswith("患有精神疾病"), order.index(r[care])) for r in rows[1:]]
        assert keys == sorted(keys), path.name
        assert "失能者优先）" not in page


def test_every_chart_has_a_chinese_alt_text(rendered_batch):
    pages = [rendered_batch / MONTH / f"{BANNER}.html", *sorted((rendered_batch / MONTH / "乡镇").glob("*.html"))]
    assert len(pages) == 19
    for path in pages:
        page = _read(path)
        assert "No description has been provided" not in page, path.name
        imgs = re.findall(r"<img\b[^>]*>", page)
        assert imgs or path.parent.name == "乡镇", path.name        # the banner's charts (townships have none)
        for img in imgs:
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and re.search(r"[\u4e00-\u9fff]{4,}", alt.group(1)), (path.name, img[:80])


def test_money_table_has_totals_separators_and_unbroken_short_headers(rendered_batch):
    page = _read(rendered_batch / MONTH / f"{BANNER}.html")
    rows = _tables_after(page, "（二）供养资金拨付与使用")
    head, total = rows[0], rows[-1]
    assert total[0] == "合计"
    assert [total[head.index(h)] for h in ("应拨（元）", "实拨（元）", "少拨（元）")] == ["381,600.00", "361,200.00", "20,400.00"]
    col = head.index("少拨（元）")
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", r[col]) for r in rows[1:]), [r[col] for r in rows[1:]]
    # the leader's table of homes below target: 负责人 is one line (nowrap), numbers right-aligned and unbroken
    at = page.index("负责人与电话取自附件2")
    table = page[page.index("<table", at):page.index("</table>", at)]
    uid = re.search(r'id="T_([0-9a-f]+)"', table).group(1)
    style = page[page.rindex("<style", 0, page.index(f'id="T_{uid}"')):page.index(f'id="T_{uid}"')]
    heads = [htmllib.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<th.*?</th>", table, re.S)]
    j = heads.index("负责人")
    assert re.search(rf"#T_{uid} th\.col{j} \{{\s*white-space: nowrap;", style)
    assert "tekun-num" in re.findall(r"<td[^>]*>", table)[heads.index("尚缺（人）")]


def test_a_township_briefing_names_an_overdue_person_once(rendered_batch):
    """2023-10, 贝子府镇: a person found in August and still to be moved is in the list of 排查评估 with
    逾期情况 "2023年8月发现，逾期 N 天", and not again in 逾期未整改."""
    page = _read(rendered_batch / "2023-10" / "乡镇" / "贝子府镇_2023-10_月度简报.html")
    listed = _tables_after(page, "应纳入敬老院集中供养人员（共")
    col = listed[0].index("逾期情况")
    late = [r for r in listed[1:] if r[col].startswith("2023年8月发现，逾期")]
    assert late, listed[:3]
    names = {(r[0], r[1]) for r in late}          # 村/居委会, 姓名
    assert "本月仍在排查评估的名单中" in page
    at = re.search(r"<h3[^>]*>[^<]*逾期未整改", page).start()
    rows = _tables_after(page[at:], "逾期未整改")        # the register's other items, if any, come next
    head = rows[0]
    if "逾期天数（天）" in head:
        v, n = head.index("村/居委会"), head.index("姓名")
        assert not names & {(r[v], r[n]) for r in rows[1:]}
    else:                                               # every overdue item is about someone on this month's lists
        assert "没有其余逾期未整改的问题" in page


def test_a_townships_figures_sit_beside_its_trend(rendered_batch):
    """与上月比较 of a township with last month's data: the figures and the trend chart in one block, side by
    side (the banner keeps its chart at the page's width)."""
    town = _read(rendered_batch / "2023-09" / "乡镇" / "新惠镇_2023-09_月度简报.html")
    block = town[town.index("<div class=\"tekun-beside\">"):]
    block = block[:block.index("</figure>")]
    assert "<table" in block and "<img" in block and "分散供养人数" in block
    banner = _read(rendered_batch / "2023-09" / "敖汉旗_2023-09_月度简报.html")
    assert "<div class=\"tekun-beside\">" not in banner


def test_a_townships_sources_say_sample_once_when_all_are(rendered_batch):
    """数据来源 of a township: in 2023-09 every file is sample data, said once (均为示例数据); in 2023-08 附件1 and
    附件2 are real, so each sample file carries its own mark and the real ones none. The files' fingerprints are
    in the banner's list, not repeated here."""
    def sources(month: str) -> str:
        page = _read(rendered_batch / month / "乡镇" / f"新惠镇_{month}_月度简报.html")
        at = page.index("数据来源：</b>")
        return page[at:page.index("</p>", at)]

    sept, aug = sources("2023-09"), sources("2023-08")
    assert "（均为示例数据，" in sept and "<small>（示例数据）</small>" not in sept
    assert "均为示例数据" not in aug and aug.count("<small>（示例数据）</small>") == 4
    plain = re.sub(r"<[^>]+>", "", aug)
    assert re.search(r"：附件1；附件2；附件3 新惠镇（示例数据）；", plain) and not re.search(r"[0-9a-f]{8}", plain), plain   # fingerprints: the banner's


def test_one_forbidden_expense_is_told_in_a_sentence(rendered_batch, month):
    """A township with one entry of spending the plan forbids reads it as a sentence, its values formatted as the
    table would show them, not as header-value pairs (敬老院 贝子府镇敬老院，支出类别 …，属于 维修改造)."""
    from tekun_helpers.analysis import compliance

    _, spending, _, _ = compliance.money(month)
    (r,) = spending[spending["forbidden"]].itertuples()
    town = next(h.township for h in month.reference.homes if h.name == r.home)
    page = htmllib.unescape(_read(rendered_batch / MONTH / "乡镇" / f"{town}_{MONTH}_月度简报.html"))
    said = f"{r.home}的{r.category} {r.amount:,.2f} 元，属于“{r.matched}”"
    assert f"支出明细中有 1 条属于方案规定不得列支的类别：{said}。" in page
