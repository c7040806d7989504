"""附件1 and 附件2 in the official layout of the plan's attachments, for the sample months.

:func:`write_official_tables` writes a month's 附件1 (分散供养人员分乡镇统计表) and 附件2
(养老机构情况统计表) as the bundled 2023-08 has them (scripts/transcribe_2023_08.py transcribed
those from the plan): the label 附件1 / 附件2, a merged title, one bordered table with its 合计 row.
The 应住人数 (at the policy's target: 60%应住人数 in the bundled policy) and 还应入住人数 columns are
computed from the policy, never typed in.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..config.policy import load_policy
from ..config.schema import label as field_label
from ..core.months import check_month
from ..forms.layout import SAMPLE_FORM_MARK, month_label, month_stamp, save_reproducible, set_properties
from .rows import plain, records


def _official_sheet(wb, label: str, title: str, header: list[str], rows: list[list], total: list,
                    widths: tuple[float, ...], sample: bool, stamp) -> None:
    """One attachment in the layout of scripts/transcribe_2023_08.py: label, merged title, bordered table."""
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(header))
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = label
    if sample:
        ws.merge_cells(f"C1:{last}1")
        c = ws["C1"]
        c.value = SAMPLE_FORM_MARK
        c.font = Font(bold=True, color="C00000")
        c.alignment = Alignment(horizontal="right", vertical="center")
    ws["A2"] = title
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    table = [header, *rows, total]
    for r, values in enumerate(table, start=3):
        for col, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=v)
            cell.border = box
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    total_row = 3 + len(table) - 1
    ws.merge_cells(f"A{total_row}:B{total_row}")
    for col, width in zip((get_column_letter(j) for j in range(1, len(header) + 1)), widths):
        ws.column_dimensions[col].width = width
    set_properties(wb, title, stamp, sample)


def official_filenames(month: str, policy=None) -> tuple[str, str]:
    """The file names of the month's 附件1 and 附件2, as in the bundled month:
    ('附件1 2023年9月分散供养人员分乡镇统计表.xlsx', '附件2 <county>养老机构9月情况统计表.xlsx')."""
    policy = policy or load_policy()
    month_no = int(month.split("-")[1])
    return (f"附件1 {month_label(month)}分散供养人员分乡镇统计表.xlsx",
            f"附件2 {policy.banner}养老机构{month_no}月情况统计表.xlsx")


def write_official_tables(month: str, townships_rows, homes_rows, out_dir: str | os.PathLike, *,
                          sample: bool = True, policy=None) -> list[Path]:
    """Write the month's 附件1 and 附件2 as .xlsx in the official layout of the plan's attachments.

    month:          'YYYY-MM' (titles such as 2023年9月分散供养人员分乡镇统计表, document dates).
    townships_rows: one mapping (or DataFrame row) per township, in the order to list them, keyed
                    like schema.TOWNSHIPS: township, dispersed, fully_disabled, semi_disabled, note.
    homes_rows:     one per nursing home, keyed like schema.HOMES: home, beds, residents, staff,
                    head, phone, note. The 应住人数 column (headed with the policy's target, 60%应住人数) is computed with
                    ``policy.needed_residents(beds)`` and 还应入住人数 = needed - residents (negative
                    when a home is above target); the 合计 rows hold the column sums.
    out_dir:        the folder to write into (created when missing), usually data/<month>/.
    sample:         mark both files as generated sample data (document keywords ``tekun-sample``,
                    subject 示例数据, and the red note 示例数据（tekun 生成，人物均为虚构） in row 1).
    policy:         the policy (default: data/reference/policy.toml).
    Returns the two files written; the same content always gives the same bytes.
    """
    check_month(month)
    policy = policy or load_policy()
    out = Path(out_dir)
    stamp = month_stamp(month)
    name1, name2 = official_filenames(month, policy)
    month_no = int(month.split("-")[1])

    towns = records(townships_rows)
    rows1 = [[i, plain(t["township"]), int(t["dispersed"]), int(t["fully_disabled"]), int(t["semi_disabled"]),
              plain(t.get("note"))] for i, t in enumerate(towns, start=1)]
    total1 = ["合 计", None, sum(r[2] for r in rows1), sum(r[3] for r in rows1), sum(r[4] for r in rows1), None]
    wb = Workbook()
    _official_sheet(wb, "附件1", f"{month_label(month)}分散供养人员分乡镇统计表",
                    ["序号", field_label("townships", "township", policy.county), "分散供养人数", "其中：全失能人数",
                     "半失能人数", "备注"],
                    rows1, total1, (6, 16, 14, 16, 12, 10), sample, stamp)
    f1 = save_reproducible(wb, out / name1, stamp)

    homes = records(homes_rows)
    rows2 = []
    for i, h in enumerate(homes, start=1):
        beds, residents = int(h["beds"]), int(h["residents"])
        needed = policy.needed_residents(beds)
        rows2.append([i, plain(h["home"]), beds, residents, needed, needed - residents, int(h["staff"]),
                      plain(h.get("head")), plain(h.get("phone")), plain(h.get("note"))])
    total2 = ["公办敬老院合计", None, *(sum(r[j] for r in rows2) for j in range(2, 7)), None, None, None]
    tp = policy.target_percent
    wb = Workbook()
    _official_sheet(wb, "附件2", f"{policy.banner}养老机构{month_no}月情况统计表",
                    ["序号", "名称", "实有床位数（张）", "现入住老人数（人）", f"{tp}应住人数", f"达到{tp}\n还应入住人数",
                     "工作人员人数", "负责人", "联系电话", "备  注"],
                    rows2, total2, (6, 22, 10, 10, 10, 12, 10, 8, 14, 8), sample, stamp)
    f2 = save_reproducible(wb, out / name2, stamp)
    return [f1, f2]


