"""The plan's schedule ledgers: 乡镇工作进度台账 and 敬老院工作人员台账 (with 护理型床位与入住构成).

Both are ledgers the bureau keeps month by month: the township ledger
(:func:`write_progress_form`) records when each township formed its supervision group, adopted its
考评方案 and filed its 监管监护协议书, with the plan's due dates quoted from policy.toml; the staff
ledger (:func:`write_staff_form`) lists every nursing-home staff member with the training hours of
the year so far, and on a second sheet the nursing beds and the residents of each home. Each is
blank or filled. The layout is :func:`tekun_helpers.forms.layout.ledger_sheet`'s: merged title, a
line with the month, the header from schema (PROGRESS, STAFF, HOME_CARE), bordered rows, notes
quoting the plan (dates and hours read from policy.toml), A4 landscape. Titles and column labels speak
the county's words (``policy.county``: the titles begin with its name).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from openpyxl import Workbook

from ..config.schema import COUNT, DATE, HOME_CARE, PROGRESS, STAFF, VOCABULARIES, ChoiceField, bind
from ..core.fmt import cn_date
from ..core.months import check_month
from .layout import (
    count_validation,
    date_range,
    date_validation,
    example_day,
    ledger_sheet,
    ledger_value,
    list_validation,
    month_label,
    month_stamp,
    save_reproducible,
    set_properties,
)

#: the titles, after the county's name (county.toml: 敖汉旗敬老院工作人员台账); fill with ``policy.county.fill``
PROGRESS_TITLE = "{name}特困人员供养服务乡镇工作进度台账"
STAFF_TITLE = "{name}敬老院工作人员台账"
HOME_CARE_TITLE = "{name}敬老院护理型床位与入住构成表"
STAFF_SHEET = "工作人员台账"
HOME_CARE_SHEET = "护理型床位与入住构成"
PROGRESS_SHEET = "乡镇工作进度台账"
#: staff may have started long before the plan: 到岗日期 accepts any day the reader accepts from 2000 on
HIRED_MIN = dt.date(2000, 1, 1)
#: numbered blank rows per home in a blank staff roster (the largest home has 17 staff)
STAFF_ROWS_PER_HOME = 8
HOME_CARE_NOTES = (
    "注：1.护理型床位数不超过附件2“实有床位数”；入住特困人员数与入住社会老人数之和应等于附件2“现入住老人数”。",
    "2.人数均填本月底的实际人数。",
)


def progress_filename(month: str) -> str:
    """'乡镇工作进度台账 <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"{PROGRESS.label} {month}.xlsx"


def staff_filename(month: str) -> str:
    """'敬老院工作人员台账 <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"{STAFF.label} {month}.xlsx"


# -- 乡镇工作进度台账 ------------------------------------------------------------------------------

def schedule_duties(policy=None) -> list:
    """The plan's dated duties recorded in the township ledger: the :class:`~tekun_helpers.config.policy.Duty`
    of policy.toml ``[schedule]`` whose ``field`` is a column of schema.PROGRESS, in the policy's order."""
    from ..config.policy import load_policy

    policy = policy or load_policy()
    return [d for d in policy.duties if d.field in PROGRESS.keys]


def progress_notes(policy=None) -> list[str]:
    """The notes under the township ledger: the plan's dated duties with their due dates and the plan's
    words, all read from policy.toml ([document], [schedule.*])."""
    from ..config.policy import load_policy

    policy = policy or load_policy()
    table = bind(PROGRESS, policy.county)
    doc = policy.document
    basis = f"《{doc.title}》（{doc.number}）"
    notes, quoted = [], set()
    for n, duty in enumerate(schedule_duties(policy), start=1):
        column = table.field(duty.field).label
        text = f"{n}.{duty.label}（填“{column}”）：应于{cn_date(duty.due)}前完成"
        if duty.field == "filed_on":
            text += (f"，“{table.field('agreements_filed').label}”应达到附件1中本乡镇的分散供养人数"
                     f"（每名分散供养特困人员一份）")
        text += "。"
        source = duty.source
        if source and source not in quoted:
            quoted.add(source)
            text += f"方案原文：“{source}”"
        notes.append(text)
    notes.append(f"{len(notes) + 1}.日期按“{example_day(policy).isoformat()}”的格式填写，尚未完成的留空；份数填截至本月底的累计份数。"
                 f"本台账逐月累计填报，已填写的日期在以后各月保留。")
    notes[0] = f"注：依据{basis}。" + notes[0]
    return notes


def build_progress_form(month: str, townships: list[str] | None = None, rows: list[dict] | None = None, *,
                        sample: bool = False, policy=None) -> Workbook:
    """The 乡镇工作进度台账 as an openpyxl Workbook (see :func:`write_progress_form`)."""
    from ..config.policy import load_policy

    check_month(month)
    policy = policy or load_policy()
    table, title = bind(PROGRESS, policy.county), policy.county.fill(PROGRESS_TITLE)
    if rows is None:
        if townships is None:
            from ..config.reference import reference_for

            townships = reference_for(policy).township_names
        rows = [{"township": t} for t in townships]
    rows = [dict(r) for r in rows]
    wb = Workbook()
    ws = wb.active
    ws.title = PROGRESS_SHEET
    validations = {}
    for f in table.fields:
        if f.kind == DATE:
            validations[f.key] = date_validation(f.label, *date_range(policy), example=example_day(policy))
        elif f.kind == COUNT:
            validations[f.key] = count_validation(f.label, "份")
    ledger_sheet(ws, table, title=title, month=month, rows=rows, notes=progress_notes(policy),
                 validations=validations, sample=sample)
    set_properties(wb, f"{title}（{month_label(month)}）", month_stamp(month), sample)
    return wb


def write_progress_form(path: str | os.PathLike, month: str, townships: list[str] | None = None,
                        rows: list[dict] | None = None, *, sample: bool = False, policy=None) -> Path:
    """Write the 乡镇工作进度台账 (<county>特困人员供养服务乡镇工作进度台账) as .xlsx.

    path:      the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:     'YYYY-MM': the 填报月份 line (填报月份：2023年9月), the cut-off day (数据截至 the month's
               last day) and the file's document date.
    townships: the townships listed, one row each; None means the 18 of data/reference/townships.csv
               in official order. Ignored when ``rows`` is given.
    rows:      one dict per township keyed like schema.PROGRESS (township, group_formed,
               scheme_adopted, agreements_signed, agreements_filed, filed_on, note); dates as
               datetime.date. Missing keys are left blank, seq is numbered.
    sample:    mark the file as generated sample data (as :func:`~tekun_helpers.forms.assessment.write_assessment_form`).
    policy:    the policy whose [schedule.*] due dates the notes quote, and whose county's words name the
               title and the columns (default: policy.toml).
    Date columns are formatted yyyy-mm-dd and accept only dates of :func:`~tekun_helpers.forms.layout.date_range`
    (2023-01-01 to 2030-12-31 for the bundled plan), the counts only whole numbers >= 0. The same input gives the same bytes.
    """
    wb = build_progress_form(month, townships, rows, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))


# -- 敬老院工作人员台账 and 护理型床位与入住构成 ------------------------------------------------------

def staff_notes(policy=None) -> list[str]:
    """The notes under the staff roster: the plan's training rule (hours read from policy.toml)."""
    from fractions import Fraction

    from ..config.policy import load_policy

    policy = policy or load_policy()
    hours = policy.training_hours
    per_month = Fraction(hours, 12)
    per_month_text = f"{float(per_month):g}" if per_month.denominator in (1, 2, 4, 5) else f"{hours}/12"
    source = policy.training.source
    quote = f"方案原文：“{source}”" if source else ""
    return [
        f"注：1.护理人员每年累计培训时间不少于{hours}课时。{quote}",
        f"2.“{STAFF.field('training_hours').label}”填本年1月1日至本月底累计参加岗前培训、在岗培训的课时数；"
        f"年内未满一年的按月折算（每月{per_month_text}课时），本年新到岗人员自到岗当月起折算。",
        f"3.每所敬老院填一名岗位为“{VOCABULARIES['role'].labels[0]}”的人员（院长）；"
        f"“{STAFF.field('employment').label}”按实际用工形式选择，由其他单位人员兼任的选“{VOCABULARIES['employment'].labels[1]}”。",
    ]


def _staff_sheet(ws, month: str, homes: list[str], staff_rows: list[dict] | None, *, sample: bool, policy) -> None:
    """The roster sheet: one row per staff member, or numbered blank rows (8 per home, at least 20)."""
    ws.title = STAFF_SHEET
    if staff_rows is None:
        rows = [{} for _ in range(max(20, STAFF_ROWS_PER_HOME * len(homes)))]
    else:
        rows = [dict(r) for r in staff_rows]
    validations = {}
    for f in STAFF.fields:
        if f.key == "home":
            validations[f.key] = list_validation(f.label, homes)
        elif isinstance(f, ChoiceField):
            validations[f.key] = list_validation(f.label, VOCABULARIES[f.vocabulary].labels)
        elif f.kind == DATE:
            validations[f.key] = date_validation(f.label, HIRED_MIN, date_range(policy)[1], "不清楚的可留空",
                                                 example=example_day(policy))
        elif f.kind == COUNT:
            validations[f.key] = count_validation(f.label, "课时")
    ledger_sheet(ws, bind(STAFF, policy.county), title=policy.county.fill(STAFF_TITLE), month=month, rows=rows, notes=staff_notes(policy),
                 validations=validations, sample=sample, left_aligned=("home", "note"))


def _home_care_sheet(ws, month: str, homes: list[str], care_rows: list[dict] | None, *, sample: bool, policy
                     ) -> None:
    """The 护理型床位与入住构成 sheet: one row per home; a 合计 row when every number is filled in."""
    if care_rows is None:
        rows = [{"home": h} for h in homes]
    else:
        rows = [dict(r) for r in care_rows]
    summed = [f.key for f in HOME_CARE.fields if f.summed]
    total = None
    if care_rows is not None and rows:
        values = {k: [ledger_value(HOME_CARE.field(k), r.get(k)) for r in rows] for k in summed}
        if all(isinstance(v, int) for vs in values.values() for v in vs):
            total = {k: sum(vs) for k, vs in values.items()}
    validations = {f.key: count_validation(f.label, "张" if "床位" in f.label else "人")
                   for f in HOME_CARE.fields if f.kind == COUNT}
    ledger_sheet(ws, bind(HOME_CARE, policy.county), title=policy.county.fill(HOME_CARE_TITLE), month=month, rows=rows, notes=list(HOME_CARE_NOTES),
                 validations=validations, sample=sample, total=total, left_aligned=("home", "note"))


def build_staff_form(month: str, homes: list[str] | None = None, staff_rows: list[dict] | None = None,
                     care_rows: list[dict] | None = None, *, sample: bool = False, policy=None) -> Workbook:
    """The 敬老院工作人员台账 workbook (see :func:`write_staff_form`)."""
    from ..config.policy import load_policy

    check_month(month)
    policy = policy or load_policy()
    if homes is None:
        from ..config.reference import reference_for

        homes = reference_for(policy).home_names
    homes = list(homes)
    wb = Workbook()
    _staff_sheet(wb.active, month, homes, staff_rows, sample=sample, policy=policy)
    _home_care_sheet(wb.create_sheet(HOME_CARE_SHEET), month, homes, care_rows, sample=sample, policy=policy)
    set_properties(wb, f"{policy.county.fill(STAFF_TITLE)}（{month_label(month)}）", month_stamp(month), sample)
    return wb


def write_staff_form(path: str | os.PathLike, month: str, homes: list[str] | None = None,
                     staff_rows: list[dict] | None = None, care_rows: list[dict] | None = None, *,
                     sample: bool = False, policy=None) -> Path:
    """Write the 敬老院工作人员台账 as .xlsx: two sheets, “工作人员台账” and “护理型床位与入住构成”.

    path:       the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:      'YYYY-MM' (填报月份 line, cut-off day, document date).
    homes:      the homes offered in the 敬老院名称 drop-down and listed on the second sheet; None means
                the 14 of data/reference/nursing_homes.csv in official order.
    staff_rows: one dict per staff member keyed like schema.STAFF (home, staff_name, role, employment,
                hired_on, training_hours, note). None: numbered blank rows (8 per home, at least 20).
    care_rows:  one dict per home keyed like schema.HOME_CARE (home, nursing_beds, residents_tekun,
                residents_other, note). None: the homes pre-filled, numbers blank and no 合计 row;
                given: a 合计 row with the column sums (plain numbers) when every number is filled.
    sample:     mark the file as generated sample data (as :func:`~tekun_helpers.forms.assessment.write_assessment_form`).
    policy:     the policy whose [training] rule the notes quote, and whose county names the titles
                (default: policy.toml).
    The roster's 岗位 and 专职或兼职 are drop-downs of schema.VOCABULARIES["role"] and ["employment"],
    training hours and the second sheet's numbers whole numbers >= 0, 到岗日期 a date. The same input
    gives the same bytes.
    """
    wb = build_staff_form(month, homes, staff_rows, care_rows, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))
