"""附件1 and 附件2 in the official layout of the plan's attachments: blank for a county's townships and homes.

The layout is that of the bundled 2023-08 (scripts/transcribe_2023_08.py transcribed those from the plan):
the label 附件1 / 附件2, a merged title, one bordered table with its 合计 row. :func:`official_sheet` draws
it; :func:`write_blank_official` writes the blank forms ``tekun forms --kind 附件1`` / ``附件2`` hands out,
with the county's townships and homes (and the homes' heads and phones) filled in; the sample generator
(:func:`tekun_helpers.sample.official.write_official_tables`) fills the same layout with figures. The
headers speak of the county (its word for its townships) and its plan's target (50%应住人数,
达到50%还应入住人数 for a 50% target).
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..config.schema import label as field_label
from ..core.months import check_month
from .layout import SAMPLE_FORM_MARK, month_label, month_stamp, save_reproducible, set_properties

#: the column widths of 附件1 and 附件2
TOWNSHIP_WIDTHS = (6, 16, 14, 16, 12, 10)
HOME_WIDTHS = (6, 22, 10, 10, 10, 12, 10, 8, 14, 8)
TOWNSHIP_TOTAL, HOME_TOTAL = "合 计", "公办敬老院合计"


def official_sheet(wb, label: str, title: str, header: list[str], rows: list[list], total: list,
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


def township_header(policy) -> list[str]:
    """附件1's header in the county's words (its word for its townships)."""
    return ["序号", field_label("townships", "township", policy.county), "分散供养人数", "其中：全失能人数",
            "半失能人数", "备注"]


def home_header(policy) -> list[str]:
    """附件2's header, its 应住 columns headed with the plan's target (60%应住人数, 达到60%还应入住人数)."""
    tp = policy.target_percent
    return ["序号", "名称", "实有床位数（张）", "现入住老人数（人）", f"{tp}应住人数", f"达到{tp}\n还应入住人数",
            "工作人员人数", "负责人", "联系电话", "备  注"]


def township_title(month: str) -> str:
    return f"{month_label(month)}分散供养人员分乡镇统计表"


def home_title(month: str, policy) -> str:
    return f"{policy.banner}养老机构{int(month.split('-')[1])}月情况统计表"


def official_filenames(month: str, policy) -> tuple[str, str]:
    """The file names of the month's 附件1 and 附件2, as in the bundled month:
    ('附件1 2023年9月分散供养人员分乡镇统计表.xlsx', '附件2 <county>养老机构9月情况统计表.xlsx')."""
    return f"附件1 {township_title(month)}.xlsx", f"附件2 {home_title(month, policy)}.xlsx"


def write_blank_official(out_dir: str | os.PathLike, month: str, policy, townships: list[str] | None = None,
                         homes=None) -> list[Path]:
    """Write the month's blank 附件1 and 附件2 for the county's townships and homes into ``out_dir``.

    townships: the township names in 附件1's order (default: the reference data beside ``policy``).
    homes:     the homes (:class:`~tekun_helpers.config.reference.Home`, their heads and phones filled in;
               default: the reference data's).
    The figures are left blank for the townships and the homes to fill in. Returns the two files.
    """
    from ..config.reference import reference_for

    check_month(month)
    ref = reference_for(policy)
    townships = ref.township_names if townships is None else list(townships)
    homes = ref.homes if homes is None else list(homes)
    out, stamp = Path(out_dir), month_stamp(month)
    name1, name2 = official_filenames(month, policy)
    wb = Workbook()
    rows1 = [[i, t, None, None, None, None] for i, t in enumerate(townships, start=1)]
    official_sheet(wb, "附件1", township_title(month), township_header(policy), rows1,
                   [TOWNSHIP_TOTAL, None, None, None, None, None], TOWNSHIP_WIDTHS, False, stamp)
    f1 = save_reproducible(wb, out / name1, stamp)
    wb = Workbook()
    rows2 = [[i, h.name, None, None, None, None, None, h.head or None, h.phone or None, None]
             for i, h in enumerate(homes, start=1)]
    official_sheet(wb, "附件2", home_title(month, policy), home_header(policy), rows2,
                   [HOME_TOTAL, *([None] * 9)], HOME_WIDTHS, False, stamp)
    f2 = save_reproducible(wb, out / name2, stamp)
    return [f1, f2]
