"""分散供养特困人员减少情况表: who left a township's dispersed-care list in the month, and why.

The assessment forms (附件3) list only who is in dispersed care; this table says where the others went:
one row per person, with the reason (转入集中供养, 死亡, 退出, 迁出: schema VOCABULARIES["change"]), the
home a person moved into, the day and a note. The follow-up register closes a transfer as 已入住 with it
and the monthly flow counts 减少 by reason (:mod:`tekun_helpers.analysis.flows`). The layout is
:func:`tekun_helpers.forms.layout.ledger_sheet`'s, blank (numbered rows) or filled.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from ..config.schema import CHANGES, VOCABULARIES, bind
from ..core.months import check_month, month_end
from .layout import (
    date_validation,
    example_day,
    id_validation,
    ledger_sheet,
    list_validation,
    month_label,
    month_stamp,
    save_reproducible,
    set_properties,
)

CHANGES_SHEET = "减少情况表"
#: numbered blank rows of a blank table
CHANGES_ROWS = 30
CHANGES_WIDTHS = {"township": 14, "village": 14, "name": 9, "sex": 5.5, "id_number": 21, "change": 14,
                  "home": 20, "changed_on": 12, "note": 30}


def changes_filename(month: str) -> str:
    """'分散供养特困人员减少情况表 <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"{CHANGES.label} {month}.xlsx"


def changes_notes(policy) -> list[str]:
    """The notes under the table: what a row is, the reasons and how to fill the columns in (the example
    date a day of ``policy``'s plan)."""
    reasons = "、".join(VOCABULARIES["change"].labels)
    transferred = VOCABULARIES["change"].labels[0]
    return [
        "注：1.每名本月离开分散供养名单的特困人员填写一行（上月排查评估表中有、本月没有的人员），"
        f"“{CHANGES.field('change').label}”从下拉列表中选择：{reasons}。",
        f"2.“{CHANGES.field('home').label}”只在{transferred}时填写，从下拉列表中选择敬老院的正式名称；"
        f"“{CHANGES.field('changed_on').label}”为入住、死亡、退出或迁出的日期，按“{example_day(policy).isoformat()}”的格式填写。",
        "3.“身份证号”须按文本填写18位号码（本列已设为文本格式），与排查评估表一致；“村/居委会”、“姓名”按排查评估表的写法填写。",
    ]


def build_changes_form(month: str, rows: list[dict] | None = None, *, townships: list[str] | None = None,
                       homes: list[str] | None = None, sample: bool = False, policy=None) -> Workbook:
    """The 分散供养特困人员减少情况表 as an openpyxl Workbook (see :func:`write_changes_form`)."""
    check_month(month)
    if townships is None or homes is None:
        from ..config.reference import reference_for

        ref = reference_for(policy)
        townships = ref.township_names if townships is None else townships
        homes = ref.home_names if homes is None else homes
    if policy is None:
        from ..config.policy import load_policy

        policy = load_policy()
    rows = [{} for _ in range(CHANGES_ROWS)] if rows is None else [dict(r) for r in rows]
    title = f"{policy.banner}{CHANGES.label}"
    table = bind(CHANGES, policy.county)
    wb = Workbook()
    ws = wb.active
    ws.title = CHANGES_SHEET
    end = month_end(month)
    validations = {
        "township": list_validation(table.field("township").label, list(townships)),
        "sex": list_validation(CHANGES.field("sex").label, list(VOCABULARIES["sex"].labels)),
        "id_number": id_validation(),
        "change": list_validation(CHANGES.field("change").label, list(VOCABULARIES["change"].labels)),
        "home": list_validation(CHANGES.field("home").label, list(homes)),
        "changed_on": date_validation(CHANGES.field("changed_on").label, end.replace(day=1), end,
                                      blank="日期不详的请留空并在备注中说明", example=example_day(policy)),
    }
    ledger_sheet(ws, table, title=title, month=month, rows=rows, notes=changes_notes(policy), validations=validations,
                 sample=sample, left_aligned=("village", "home", "note"), widths=CHANGES_WIDTHS)
    set_properties(wb, f"{title}（{month_label(month)}）", month_stamp(month), sample)
    return wb


def write_changes_form(path: str | os.PathLike, month: str, rows: list[dict] | None = None, *,
                       townships: list[str] | None = None, homes: list[str] | None = None, sample: bool = False,
                       policy=None) -> Path:
    """Write the 分散供养特困人员减少情况表 of ``month`` as .xlsx.

    path:      the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:     'YYYY-MM' (填报月份; 变动日期 accepts only days of this month).
    rows:      one dict per person keyed like schema.CHANGES (township, village, name, sex, id_number,
               change, home, changed_on, note; dates as datetime.date); None: 30 numbered blank rows.
    townships: the townships' drop-down (default: those of data/reference/townships.csv).
    homes:     the 转入敬老院 drop-down (default: the homes of data/reference/nursing_homes.csv).
    sample:    mark the file as generated sample data (as :func:`~tekun_helpers.forms.assessment.write_assessment_form`).
    policy:    the policy whose county's words are in the title and the header (default: policy.toml).
    The same input gives the same bytes.
    """
    wb = build_changes_form(month, rows, townships=townships, homes=homes, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))
