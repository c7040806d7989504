"""附件1 and 附件2 in the official layout of the plan's attachments, for the sample months.

:func:`write_official_tables` writes a month's 附件1 (分散供养人员分乡镇统计表) and 附件2
(养老机构情况统计表) as the bundled 2023-08 has them (scripts/transcribe_2023_08.py transcribed
those from the plan): the label 附件1 / 附件2, a merged title, one bordered table with its 合计 row
(the layout is :mod:`tekun_helpers.forms.official`'s, which also writes the blank forms). The 应住人数 (at the policy's target: 60%应住人数 in the bundled policy) and 还应入住人数 columns are
computed from the policy, never typed in.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from ..config.policy import load_policy
from ..core.months import check_month
from ..forms.layout import month_stamp, save_reproducible
from ..forms.official import (
    HOME_TOTAL,
    HOME_WIDTHS,
    TOWNSHIP_TOTAL,
    TOWNSHIP_WIDTHS,
    home_header,
    home_title,
    official_sheet,
    township_header,
    township_title,
)
from ..forms.official import official_filenames as _filenames
from .rows import plain, records


def official_filenames(month: str, policy=None) -> tuple[str, str]:
    """The file names of the month's 附件1 and 附件2, as in the bundled month:
    ('附件1 2023年9月分散供养人员分乡镇统计表.xlsx', '附件2 <county>养老机构9月情况统计表.xlsx')."""
    return _filenames(month, policy or load_policy())


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

    towns = records(townships_rows)
    rows1 = [[i, plain(t["township"]), int(t["dispersed"]), int(t["fully_disabled"]), int(t["semi_disabled"]),
              plain(t.get("note"))] for i, t in enumerate(towns, start=1)]
    total1 = [TOWNSHIP_TOTAL, None, sum(r[2] for r in rows1), sum(r[3] for r in rows1), sum(r[4] for r in rows1), None]
    wb = Workbook()
    official_sheet(wb, "附件1", township_title(month), township_header(policy), rows1, total1, TOWNSHIP_WIDTHS,
                   sample, stamp)
    f1 = save_reproducible(wb, out / name1, stamp)

    homes = records(homes_rows)
    rows2 = []
    for i, h in enumerate(homes, start=1):
        beds, residents = int(h["beds"]), int(h["residents"])
        needed = policy.needed_residents(beds)
        rows2.append([i, plain(h["home"]), beds, residents, needed, needed - residents, int(h["staff"]),
                      plain(h.get("head")), plain(h.get("phone")), plain(h.get("note"))])
    total2 = [HOME_TOTAL, None, *(sum(r[j] for r in rows2) for j in range(2, 7)), None, None, None]
    wb = Workbook()
    official_sheet(wb, "附件2", home_title(month, policy), home_header(policy), rows2, total2, HOME_WIDTHS, sample, stamp)
    f2 = save_reproducible(wb, out / name2, stamp)
    return [f1, f2]
