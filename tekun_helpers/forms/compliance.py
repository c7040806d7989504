"""资金与政策衔接: the benefit rosters and the support-money ledger, blank or filled.

The auditor's first checks (:mod:`tekun_helpers.analysis.compliance`) need three more lists each
month: who receives a benefit that excludes extreme-hardship support (:func:`write_benefit_roster`,
one workbook per benefit of policy.toml ``[benefits]``: 最低生活保障, 孤儿基本生活保障, 困难残疾人生活
补贴, 重度残疾人护理补贴), what each nursing home was allocated and when, and what the homes spent it
on (:func:`write_funds_form`: the 特困人员供养资金拨付台账 with the spending detail on a second sheet).
The layouts are :func:`tekun_helpers.forms.layout.ledger_sheet`'s; rules and amounts are quoted from
policy.toml, never written here.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from ..config.schema import BENEFIT_LABEL, BENEFITS, FUNDS, SPENDING, bind
from ..core.months import check_month
from .layout import (
    date_range,
    date_validation,
    example_day,
    id_validation,
    ledger_sheet,
    list_validation,
    money_validation,
    month_label,
    month_stamp,
    save_reproducible,
    set_properties,
)
from .schedule import HOME_CARE_SHEET

ROSTER_SHEET = "名册"
FUNDS_SHEET = "资金拨付台账"
SPENDING_SHEET = "资金支出明细"
#: the titles, after the county's name (county.toml); fill with ``policy.county.fill``
FUNDS_TITLE = "{name}特困人员供养资金拨付台账"
SPENDING_TITLE = "{name}特困人员供养资金支出明细"
#: numbered blank rows of a blank roster, and of the spending detail per home
ROSTER_ROWS = 40
SPENDING_ROWS_PER_HOME = 6
#: the roster's columns: the schema's without 待遇类别 (the line above the header says which benefit)
ROSTER_FIELDS = tuple(f for f in BENEFITS.fields if f.key != "benefit")
ROSTER_WIDTHS = {"township": 14, "village": 16, "name": 10, "id_number": 26, "note": 30}
FUNDS_WIDTHS = {"home": 22, "allocated": 20, "allocated_on": 16, "note": 36}
SPENDING_WIDTHS = {"home": 22, "category": 22, "amount": 18, "note": 30}
#: spending categories shown as examples in the note (what the support money is for)
SPENDING_EXAMPLES = ("伙食费", "护理费", "被服", "医疗", "水电取暖", "日用品")


def _policy(policy):
    """``policy``, or policy.toml when None."""
    from ..config.policy import load_policy

    return policy or load_policy()


# -- the benefit rosters ---------------------------------------------------------------------------

def benefit_sections(policy=None) -> list[tuple]:
    """The benefits of policy.toml ``[benefits]`` that exclude extreme-hardship support: (key,
    :class:`~tekun_helpers.config.policy.Benefit`) in the policy's order; each has ``label`` and ``rule``."""
    return list(_policy(policy).benefits.items())


def roster_filename(label: str, month: str) -> str:
    """'<待遇> 对象名册 <YYYY-MM>.xlsx', e.g. '最低生活保障对象名册 2023-09.xlsx'."""
    check_month(month)
    return f"{label}对象名册 {month}.xlsx"


def roster_notes(section, policy=None) -> list[str]:
    """The notes under a benefit roster: the plan's rule (from policy.toml) and how to fill the numbers in."""
    policy = _policy(policy)
    doc = policy.document
    basis = f"《{doc.title}》（{doc.number}）"
    return [
        f"注：1.本名册用于核对与特困人员救助供养不能同时享受的待遇，依据{basis}。方案原文：“{section.rule}”",
        "2.“身份证号”须按文本填写18位号码（本列已设为文本格式；粘贴时请选择“只粘贴值”），否则 Excel 只保留15位有效数字，"
        "末几位变成0。有身份证号的按号码核对；没有号码的只能按乡镇、村和姓名比对，结果须人工核实。",
        f"3.“{policy.county.towns}”从下拉列表中选择正式名称；“村/居委会”按排查评估表（附件3）的写法填写。",
    ]


def build_benefit_roster(month: str, section, rows: list[dict] | None = None, *, townships: list[str] | None = None,
                         sample: bool = False, policy=None) -> Workbook:
    """One benefit's roster as an openpyxl Workbook (see :func:`write_benefit_roster`)."""
    check_month(month)
    policy = _policy(policy)
    label = section.label
    if townships is None:
        from ..config.reference import reference_for

        townships = reference_for(policy).township_names
    rows = [{} for _ in range(ROSTER_ROWS)] if rows is None else [dict(r) for r in rows]
    title = f"{policy.banner}{label}对象名册"
    table = bind(BENEFITS, policy.county)
    wb = Workbook()
    ws = wb.active
    ws.title = ROSTER_SHEET
    validations = {"township": list_validation(table.field("township").label, list(townships)),
                   "id_number": id_validation()}
    ledger_sheet(ws, table, title=title, month=month, rows=rows, notes=roster_notes(section, policy),
                 validations=validations, sample=sample, left_aligned=("village", "note"),
                 fields=tuple(f for f in table.fields if f.key != "benefit"),
                 line=f"{BENEFIT_LABEL}：{label}", right=f"填报月份：{month_label(month)}", spans=(3, 5),
                 widths=ROSTER_WIDTHS)
    set_properties(wb, f"{title}（{month_label(month)}）", month_stamp(month), sample)
    return wb


def write_benefit_roster(path: str | os.PathLike, month: str, section, rows: list[dict] | None = None, *,
                         townships: list[str] | None = None, sample: bool = False, policy=None) -> Path:
    """Write the roster of one benefit that excludes extreme-hardship support (e.g. 最低生活保障对象名册) as .xlsx.

    path:      the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:     'YYYY-MM' (填报月份, document date).
    section:   the benefit's section of policy.toml ``[benefits]`` (a
               :class:`~tekun_helpers.config.policy.Benefit` with ``label`` and ``rule``): the label is
               written as the line “待遇类别：<label>” above the header (the reader takes the benefit
               from it), the rule is quoted in the notes.
    rows:      one dict per person keyed like schema.BENEFITS (township, village, name, id_number, note);
               None: 40 numbered blank rows.
    townships: the townships' drop-down (default: those of data/reference/townships.csv).
    sample:    mark the file as generated sample data (as :func:`~tekun_helpers.forms.assessment.write_assessment_form`).
    policy:    the policy whose [document] the notes cite and whose county's words are in the title and the
               header (default: policy.toml).
    The header is schema.BENEFITS without the 待遇类别 column; 身份证号 is a text column with an
    18-character check (a warning). The same input gives the same bytes.
    """
    wb = build_benefit_roster(month, section, rows, townships=townships, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))


def write_benefit_rosters(out_dir: str | os.PathLike, month: str, rows: dict[str, list[dict]] | None = None, *,
                          townships: list[str] | None = None, sample: bool = False, policy=None) -> list[Path]:
    """Write one roster per benefit of policy.toml ``[benefits]`` (in the policy's order) into ``out_dir``.

    rows: benefit key (dibao, orphan, ...) -> its rows; a benefit missing from it gets a blank roster.
    Returns the files written, named by :func:`roster_filename`.
    """
    policy = _policy(policy)
    out = Path(out_dir)
    written = []
    for key, sec in benefit_sections(policy):
        given = (rows or {}).get(key)
        written.append(write_benefit_roster(out / roster_filename(sec.label, month), month, sec, given,
                                            townships=townships, sample=sample, policy=policy))
    return written


# -- the support-money ledger ----------------------------------------------------------------------

def funds_filename(month: str) -> str:
    """'特困人员供养资金拨付台账 <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"{FUNDS.label} {month}.xlsx"


def funds_notes(policy=None) -> list[str]:
    """The notes under the money ledger: the standard, the allocation day and the plan's words (policy.toml [funds])."""
    sec = _policy(policy).funds
    day = sec.allocation_day
    standard = sec.monthly_standard_per_person
    notes = []
    if day:
        notes.append(f"注：1.当月资金应于当月{day}日前（含当日）拨付到各敬老院（当月没有这一天的以月末为限）。")
    else:
        notes.append("注：1.当月资金应及时拨付到各敬老院。")
    if standard:
        text = (f"2.应拨金额 = 每人每月 {standard:,} 元 × 该院本月入住特困人员数（见敬老院工作人员台账“{HOME_CARE_SHEET}”表）"
                f"{'；该标准为示例值，以民政局当年确定的标准为准' if sec.standard_is_example else ''}。")
    else:
        text = "2.应拨金额按每人每月标准乘以该院本月入住特困人员数计算（标准由民政局确定）。"
    notes.append(text)
    example = example_day(_policy(policy))
    if day:
        example = example.replace(day=max(1, min(day, 28) - 2))      # a day before the allocation day
    notes.append(f"3.本月未拨付的，拨付金额填 0，拨付日期留空；分次拨付的可分行填写，日期按“{example.isoformat()}”的格式填写。")
    if sec.source:
        notes.append(f"方案原文：“{sec.source}”")
    return notes


def spending_notes(policy=None) -> list[str]:
    """The notes under the spending detail: the forbidden categories (policy.toml [funds]) and the plan's words."""
    sec = _policy(policy).funds
    forbidden = list(sec.forbidden_categories)
    notes = []
    if forbidden:
        notes.append(f"注：1.特困人员救助供养费不得列支：{'、'.join(forbidden)}（支出类别中含有其中任一词的即视为违规列支）。")
    else:
        notes.append("注：1.特困人员救助供养费只能用于特困人员的基本生活和照料护理。")
    notes.append(f"2.“{SPENDING.field('category').label}”按实际用途填写，如{'、'.join(SPENDING_EXAMPLES)}等；"
                 f"一笔支出一行，金额单位为元。")
    if sec.source:
        notes.append(f"方案原文：“{sec.source}”")
    return notes


def build_funds_form(month: str, homes: list[str] | None = None, ledger_rows: list[dict] | None = None,
                     spending_rows: list[dict] | None = None, *, sample: bool = False, policy=None) -> Workbook:
    """The support-money workbook (see :func:`write_funds_form`)."""
    check_month(month)
    policy = _policy(policy)
    if homes is None:
        from ..config.reference import reference_for

        homes = reference_for(policy).home_names
    homes = list(homes)
    wb = Workbook()

    ws = wb.active
    ws.title = FUNDS_SHEET
    rows = [{"home": h} for h in homes] if ledger_rows is None else [dict(r) for r in ledger_rows]
    validations = {"home": list_validation(FUNDS.field("home").label, homes),
                   "allocated": money_validation(FUNDS.field("allocated").label),
                   "allocated_on": date_validation(FUNDS.field("allocated_on").label, *date_range(policy),
                                                   "本月未拨付的请留空", example=example_day(policy))}
    ledger_sheet(ws, FUNDS, title=policy.county.fill(FUNDS_TITLE), month=month, rows=rows, notes=funds_notes(policy),
                 validations=validations, sample=sample, left_aligned=("home", "note"), spans=(2, 4),
                 widths=FUNDS_WIDTHS)

    ws = wb.create_sheet(SPENDING_SHEET)
    if spending_rows is None:
        rows = [{} for _ in range(max(30, SPENDING_ROWS_PER_HOME * len(homes)))]
    else:
        rows = [dict(r) for r in spending_rows]
    validations = {"home": list_validation(SPENDING.field("home").label, homes),
                   "amount": money_validation(SPENDING.field("amount").label)}
    ledger_sheet(ws, SPENDING, title=policy.county.fill(SPENDING_TITLE), month=month, rows=rows, notes=spending_notes(policy),
                 validations=validations, sample=sample, left_aligned=("home", "category", "note"), spans=(2, 4),
                 widths=SPENDING_WIDTHS)

    set_properties(wb, f"{policy.county.fill(FUNDS_TITLE)}（{month_label(month)}）", month_stamp(month), sample)
    return wb


def write_funds_form(path: str | os.PathLike, month: str, homes: list[str] | None = None,
                     ledger_rows: list[dict] | None = None, spending_rows: list[dict] | None = None, *,
                     sample: bool = False, policy=None) -> Path:
    """Write the 特困人员供养资金拨付台账 as .xlsx: two sheets, “资金拨付台账” and “资金支出明细”.

    path:          the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:         'YYYY-MM' (填报月份 line, cut-off day, document date).
    homes:         the homes listed on the ledger and offered in the 敬老院名称 drop-downs; None means the
                   14 of data/reference/nursing_homes.csv in official order.
    ledger_rows:   one dict per allocation keyed like schema.FUNDS (home, allocated, allocated_on, note);
                   None: the homes pre-filled, amounts and dates blank.
    spending_rows: one dict per spending keyed like schema.SPENDING (home, category, amount, note);
                   None: numbered blank rows (6 per home, at least 30).
    sample:        mark the file as generated sample data (as :func:`~tekun_helpers.forms.assessment.write_assessment_form`).
    policy:        the policy whose [funds] the notes quote: the standard, the allocation day, the
                   forbidden categories and the plan's words (default: policy.toml).
    Amounts are formatted #,##0.00 and accept only numbers >= 0, 拨付日期 only dates. The same input
    gives the same bytes.
    """
    wb = build_funds_form(month, homes, ledger_rows, spending_rows, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))
