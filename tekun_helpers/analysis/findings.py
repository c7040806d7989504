"""Findings: what the analysis found wrong, as typed records, and the catalogue of their kinds.

A :class:`Finding` is made once by the analysis (the money ledger, the spending list, the follow-up
register) and read by everything that shows it: page 1's 本月问题与措施, the briefing's sections, the
follow-up register, Excel's 整改跟踪 and 资金拨付 sheets. Nobody reads a fact back out of a sentence: the
sentences are rendered from the record's fields by its :class:`Kind`'s templates.

Each kind is declared once in :data:`KINDS` with its Chinese title, its sentence template (named fields,
see :class:`Finding`), who must put it right (``owner``: the home or the township), how it is resolved,
and the register topic that follows it from month to month ("" when it is not followed).

Templates are :meth:`str.format` strings over :meth:`Finding.fields`; besides the usual format specs they
know ``yuan`` (1234.5 -> '1,234.50'), ``whole`` ('1,234' for whole yuan, else to the fen), ``date``
('2023年8月10日'), ``md`` ('8月10日'), ``paren`` ('（x）', or nothing for an empty value) and ``hours``
('12 课时', or '未填写课时').
"""
from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, replace
from decimal import Decimal

from ..core.fmt import cn_date, is_missing, money

HOME, TOWNSHIP, UNIT = "home", "township", "unit"   # UNIT: the finding's own ``unit`` fact (a handling unit)


@dataclass(frozen=True)
class Cell:
    """Where a finding's figures come from: a file, its sheet, the Excel row, and the column as the schema's field
    key ('allocated'; '' when the finding is about whole rows)."""

    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        """'资金.xlsx:4' (file and row, the way the ledger's ``source`` column lists them)."""
        return f"{self.file}:{self.row}" if self.row is not None else self.file


@dataclass(frozen=True)
class Kind:
    """One kind of finding, declared once in :data:`KINDS`.

    code:     identifier ('short_paid').
    title:    Chinese title ('少拨').
    template: the sentence, with the finding's named fields ('少拨 {amount:yuan} 元（应拨 …）').
    owner:    who must put it right: :data:`HOME`, :data:`TOWNSHIP` or :data:`UNIT` (the handling unit it names).
    resolved: how it is resolved, in Chinese (what closes it in the register).
    topic:    the register topic that follows it from month to month ('' : not followed).
    verdict:  the short words of a table cell (default: the sentence).
    action:   the words of one item of a line of 本月问题与措施 ('' : not listed there on its own).
    weight:   how much it weighs against the other kinds where findings are ranked (the overdue list): the plan's
              order, 3 people to move into homes, 2 money and escalations, 1 duties and training, 0 the rest.
    """

    code: str
    title: str
    template: str
    owner: str
    resolved: str
    topic: str = ""
    verdict: str = ""
    action: str = ""
    weight: int = 0

    def __reduce__(self):
        # a kind is the catalogue's one object: a finding that crossed processes (a batch's pickled month
        # facts) or was deep-copied still has ``finding.kind is NOT_PAID``
        return (declared, (self.code,))


def declared(code: str) -> Kind:
    """The kind declared under ``code`` (:data:`KINDS`)."""
    return KINDS[code]


class _Words(string.Formatter):
    def format_field(self, value, spec: str) -> str:
        if value is None and spec in ("yuan", "whole", "date", "md"):
            return "—"
        if spec == "yuan":
            return money(value)
        if spec == "whole":
            v = float(value)
            return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"
        if spec == "date":
            return cn_date(value)
        if spec == "md":
            return f"{value.month}月{value.day}日"
        if spec == "paren":
            return f"（{value}）" if value else ""
        if spec == "hours":
            return "未填写课时" if is_missing(value) else f"{int(value)} 课时"
        return super().format_field(value, spec)


_WORDS = _Words()


@dataclass(frozen=True)
class Finding:
    """One finding: its kind, its scope, its figures, its due date and the cells it comes from.

    kind:       a :class:`Kind` of :data:`KINDS`.
    township, home, person: the scope (a person is the register's identity key, e.g. 'id:1504…').
    count:      a number of people, rows or hours (kind-specific; None when not relevant).
    amount:     元, :class:`decimal.Decimal` (the shortfall, the unpaid sum, a forbidden expense).
    days:       days late.
    due:        by when it must be put right, from policy (a money deadline, a duty's due date).
    first_seen: 'YYYY-MM', the month it was first found (set by the register; '' in a month's own checks).
    cells:      the cells the figures come from.
    facts:      the kind's other named fields, as (name, value) pairs (expected and actual sums, a category).
    """

    kind: Kind
    township: str = ""
    home: str = ""
    person: str = ""
    count: int | None = None
    amount: Decimal | None = None
    days: int | None = None
    due: dt.date | None = None
    first_seen: str = ""
    cells: tuple[Cell, ...] = ()
    facts: tuple[tuple[str, object], ...] = ()

    def fields(self) -> dict:
        """Every named field of the finding, as its templates use them."""
        out = {"township": self.township, "home": self.home, "person": self.person, "count": self.count,
               "amount": self.amount, "days": self.days, "due": self.due, "first_seen": self.first_seen}
        out.update(self.facts)
        return out

    def fact(self, name: str, default=None):
        return dict(self.facts).get(name, default)

    @property
    def code(self) -> str:
        return self.kind.code

    @property
    def responsible(self) -> str:
        """The home or township that must put it right (the kind's owner)."""
        if self.kind.owner == UNIT:
            return self.fact("unit", "") or self.township
        return self.home if self.kind.owner == HOME else self.township

    @property
    def text(self) -> str:
        """The finding as a sentence (its kind's template)."""
        return _WORDS.format(self.kind.template, **self.fields())

    @property
    def verdict(self) -> str:
        """The finding in a table cell: its kind's short words, else the sentence."""
        return _WORDS.format(self.kind.verdict, **self.fields()) if self.kind.verdict else self.text

    @property
    def action(self) -> str:
        """The finding as an item of 本月问题与措施 ('' when its kind is not listed there on its own)."""
        return _WORDS.format(self.kind.action, **self.fields()) if self.kind.action else ""


def make(kind: Kind, **fields) -> Finding:
    """A finding of ``kind``: the record's own fields by name, any other named field goes into ``facts``."""
    own = {k: fields.pop(k) for k in list(fields) if k in Finding.__dataclass_fields__ and k != "facts"}
    return Finding(kind, **own, facts=tuple(fields.items()))


def summed(findings) -> Finding:
    """One finding for several of the same kind and scope: the first one with their amounts added up
    (a home's forbidden expenses on page 1)."""
    findings = list(findings)
    total = sum((f.amount for f in findings if f.amount is not None), Decimal(0))
    return replace(findings[0], amount=total)


def sentences(findings, *, sep: str = "；") -> str:
    """The findings' sentences joined (the 问题 cell of a sheet)."""
    return sep.join(f.text for f in findings)


KINDS: dict[str, Kind] = {}


def declare(code: str, title: str, template: str, owner: str, resolved: str, **more) -> Kind:
    """Declare a kind in :data:`KINDS` (each code once)."""
    if code in KINDS:
        raise ValueError(f"finding kind {code!r} declared twice")
    KINDS[code] = kind = Kind(code, title, template, owner, resolved, **more)
    return kind


# -- the support money (analysis.funds) ----------------------------------------------------------
NOT_PAID = declare("not_paid", "未拨付", "未拨付", HOME, "当月资金足额拨付到院", topic="funds",
                   action="{home}未拨付 {amount:whole} 元", weight=2)
SHORT_PAID = declare("short_paid", "少拨", "少拨 {amount:yuan} 元（应拨 {expected:yuan} 元，实拨 {actual:yuan} 元）",
                     HOME, "补足差额", topic="funds", verdict="少拨", action="{home}少拨 {amount:whole} 元", weight=2)
OVER_PAID = declare("over_paid", "实拨多于应拨",
                    "实拨多于应拨 {amount:yuan} 元（应拨 {expected:yuan} 元，实拨 {actual:yuan} 元），请核实",
                    HOME, "核实入住人数与拨付金额", topic="funds", weight=2)
PAID_LATE = declare("paid_late", "迟拨", "拨付晚于期限 {due:date}（实际 {on:date}）", HOME,
                    "以后各月按期限拨付", topic="funds", verdict="迟拨 {days} 天（期限 {due:md}）",
                    action="{home}迟拨 {days} 天", weight=2)
UNDATED = declare("undated", "未填拨付日期", "已拨付但未填写拨付日期，无法确认是否按时", HOME, "补填拨付日期",
                  topic="funds", weight=2)
NEGATIVE_TOTAL = declare("negative_total", "拨付合计为负数", "拨付金额合计为负数（{amount:yuan} 元）", HOME,
                         "核实拨付记录", topic="funds", weight=2)
RESIDENTS_UNKNOWN = declare("residents_unknown", "缺少入住人数", "缺少该院入住特困人员人数，无法核算应拨金额", HOME,
                            "报送护理型床位与入住构成表", topic="funds", weight=2)
UNREADABLE = declare("unreadable", "无法识别的值", "{reason}", HOME, "按规定格式重填", topic="funds", weight=2)
ROWS_ADDED = declare("rows_added", "多条拨付记录", "台账中有 {count} 条拨付记录，已合计，拨付日期取最后一次", HOME,
                     "无须整改（说明）")

# -- the spending of the support money (analysis.funds) -----------------------------------------
FORBIDDEN_SPENDING = declare(
    "forbidden_spending", "违规列支", "支出“{category}”{amount:yuan} 元属于不得列支的“{matched}”", HOME,
    "退回不得列支的支出：特困人员救助供养费不得用于供养机构工作经费、运转费用、维修改造等设施建设",
    topic="spending", verdict="支出类别“{category}”属于不得列支的“{matched}”", action="{home}违规列支 {amount:whole} 元",
    weight=2)
NO_CATEGORY = declare("no_category", "未填支出类别", "未填写支出类别，无法核对用途", HOME, "补填支出类别")
UNREADABLE_SPENDING = declare("unreadable_spending", "无法识别的金额", "{reason}", HOME, "按规定格式重填")

# -- the follow-up register's other topics (analysis.register) -----------------------------------
PERSON_RULE = {rule: declare(rule, title, "{reasons}", TOWNSHIP, resolved, topic=rule, weight=weight)
               for rule, title, resolved, weight in (
    ("transfer", "纳入敬老院集中供养", "转入敬老院集中供养，或评估已不再符合", 3),
    ("placement", "审批后纳入集中供养", "审批后转入敬老院集中供养", 3),
    ("escalate", "移交处理", "移交处理，或评估已不再符合", 2),
    ("alert", "就医提醒", "及时就医，或评估已不再符合", 1))}
BENEFIT_CONFLICT = declare("benefit", "待遇衔接", "同时享受{benefit}（应停止{to_stop}；{basis}）", TOWNSHIP,
                           "停发应停止的待遇，名册比对已无此人", topic="benefit", weight=2)
DUTY_OVERDUE = declare("duty", "工作进度", "{short}逾期未完成{detail:paren}", TOWNSHIP, "完成该项工作",
                       topic="duty", weight=1)
BELOW_TARGET = declare("occupancy", "入住率未达标", "入住 {residents} 人，应住 {needed} 人，尚缺 {count} 人", HOME,
                       "入住人数达到应住人数", topic="occupancy", weight=1)
TRAINING_SHORT = declare("training", "护理人员培训",
                         "本年累计培训 {hours:hours}，截至{month_no}月底应不少于 {required:g} 课时", HOME,
                         "累计培训课时达到要求", topic="training", weight=1)

#: the register's topics and their labels (the 类别 column); the person rules' labels come from policy.toml
TOPICS = {"funds": "供养资金", "spending": "违规列支", "benefit": "待遇衔接", "duty": "工作进度",
          "occupancy": "入住率未达标", "training": "护理人员培训"}

# -- periodic re-assessment (analysis.assessment) ------------------------------------------------
REASSESS_DUE = declare("reassess", "定期考核评价到期",
                       "最近一次入户考核评价在{last}，已满 {count} 个月（每 {every} 个月逐人考核评价一次），应再次考核评价",
                       TOWNSHIP, "再次入户考核评价（排查评估表填写新的评估日期）", topic="reassess",
                       verdict="已满 {count} 个月未再评估", action="{township}{village}{name}应再次考核评价", weight=1)
TOPICS["reassess"] = "定期考核评价"

# -- tables not received (analysis.register) ------------------------------------------------------
FORMS_MISSING = declare("forms_missing", "未报送排查评估表", "{month_no}月未报送排查评估表（附件3），本乡镇的人员无法核实",
                        TOWNSHIP, "报送本月的排查评估表", topic="forms", verdict="未报送",
                        action="{township}未报送排查评估表", weight=1)
TOPICS["forms"] = "未报送表格"

# -- the bureau's inspection of the homes (analysis.inspection) --------------------------------------
INSPECTION_FAILED = declare("inspection", "督查不符合", "督查发现“{title}”不符合（{section}）{evidence:paren}", HOME,
                            "再次督查时该项目为“符合”", topic="inspection", verdict="“{title}”不符合",
                            action="{home}“{title}”不符合（负责人{head}）", weight=1)
TOPICS["inspection"] = "督查评比"

# -- complaints and media reports (analysis.complaints) ---------------------------------------------
COMPLAINT_OPEN = declare("complaint", "举报待办结", "{category}：{summary}（{case_no}，{received:md}受理，{channel}）",
                         UNIT, "办结并写明处理结果（登记表填写办结日期）", topic="complaint",
                         verdict="{case_no}未办结", action="{unit}办理的{case_no}（{category}）", weight=2)
TOPICS["complaint"] = "举报与媒体反映"
