"""policy.toml as typed objects: one frozen dataclass per section, checked when the file is read.

Every number, date and sentence of the plan that the software applies or a report shows
lives in policy.toml and reaches the code only through :class:`Policy`. A key that is
missing or of the wrong kind stops the load with a Chinese :class:`PolicyError` naming the
section and the key, e.g. ``政策文件 …：[funds] allocation_day 应为 1 到 31 的整数，实际为 'abc'``.

Sections::

    [document]    Document     the plan's title, number, issuer, date issued

The county's own words (name, bureau, scope words) are not policy: they live in county.toml beside
policy.toml and reach the code as :attr:`Policy.county` (see :mod:`tekun_helpers.config.county`).
    [occupancy]   Occupancy    target, deadline, rounding of the needed residents, quoted source
    [training]    Training     class hours a care worker needs a year
    [schedule]    Schedule     the duties of 三、进度安排 in order (Duty)
    [staffing]    Staffing     pro-rata training, optional ratio norms, quoted sources
    [rules.*]     Rule         transfer / placement / escalate / alert, with their conditions
    [benefits]    Benefit      benefits that exclude extreme-hardship support
    [funds]       Funds        monthly standard, allocation day, forbidden spending
    [feedback]    Feedback     days a township has to send corrected tables
    [followup]    Followup     due dates the plan does not give
    [assessment]  Assessment   months after which a person is assessed again
    [[adjustments]] Adjustment later changes to the plan, each in force from its ``effective`` date

A month is judged by the policy in force on its last day: :meth:`Policy.in_force` applies the adjustments
whose ``effective`` date has come (``load_month`` calls it), the file itself keeps the plan as issued.
"""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import math
import os
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..core.exceptions import PolicyError
from ..core.paths import reference_dir
from .county import County, load_county, read_toml

ROUNDINGS = ("up", "nearest", "down")
RULE_KEYS = ("transfer", "placement", "escalate", "alert")
STOPS = ("benefit", "tekun")


def day_label(day: dt.date) -> str:
    """2023-10-31 -> '10月31日' (the plan writes dates without the year)."""
    return f"{day.month}月{day.day}日"


def percent_label(rate: float) -> str:
    """0.6 -> '60%'."""
    return f"{float(rate) * 100:g}%"


# -- reading helpers: each names the section and key in its message ---------------------------

class _Section:
    """One table of the file, read with checks that name ``[name] key`` in their messages."""

    def __init__(self, path: Path, name: str, raw: Any, seen: set | None = None):
        self.path, self.name, self.seen = path, name, seen
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            self.fail("", "应为一个表（[...] 段）")
        self.raw = raw

    def fail(self, key: str, what: str, value: Any = ...) -> None:
        where = f"[{self.name}]" + (f" {key}" if key else "")
        got = "" if value is ... else f"，实际为 {value!r}"
        raise PolicyError(f"政策文件 {self.path}：{where} {what}{got}")

    def get(self, key: str, kind, default: Any = ..., *, what: str | None = None):
        if self.seen is not None:
            self.seen.add(f"{self.name}.{key}")     # the keys an adjustment may change
        if key not in self.raw:
            if default is ...:
                self.fail(key, "缺少此项")
            return default
        v = self.raw[key]
        ok = isinstance(v, kind) and not (kind in (int, float, (int, float)) and isinstance(v, bool))
        if not ok:
            names = {str: "文字", bool: "true 或 false", int: "整数", dt.date: "日期（如 2023-10-31）",
                     list: "列表", dict: "表"}
            self.fail(key, f"应为{what or names.get(kind, '数字')}", v)
        return v

    def text(self, key: str, default: Any = ...) -> str:
        return self.get(key, str, default)

    def date(self, key: str, default: Any = ...) -> dt.date | None:
        v = self.get(key, dt.date, default)
        if isinstance(v, dt.datetime):
            self.fail(key, "应为日期（如 2023-10-31），不带时间", v)
        return v

    def texts(self, key: str, default: Any = ...) -> tuple[str, ...]:
        v = self.get(key, list, default)
        if v is None:
            return ()
        if not all(isinstance(x, str) for x in v):
            self.fail(key, "应为文字列表", v)
        return tuple(v)

    def number(self, key: str, default: Any = ...) -> float | int | None:
        """A number as written: 1200 stays an int (shown "1,200"), 0.6 a float."""
        return self.get(key, (int, float), default, what="数字")

    def sub(self, key: str) -> "_Section":
        return _Section(self.path, f"{self.name}.{key}", self.raw.get(key), self.seen)


# -- the sections -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """[document]: the plan the workbook carries out."""

    title: str
    number: str
    issuer: str
    issued: dt.date


@dataclass(frozen=True)
class Occupancy:
    """[occupancy]: the occupancy target of every nursing home, its deadline and rounding."""

    target: float
    deadline: dt.date
    rounding: str
    source: str
    rounding_source: str

    @property
    def percent(self) -> str:
        """'60%'."""
        return percent_label(self.target)

    @property
    def deadline_label(self) -> str:
        """'10月31日'."""
        return day_label(self.deadline)

    def needed(self, beds: int) -> int:
        """Residents a home of ``beds`` beds needs to reach the target, rounded as policy says.

        Exact arithmetic: 0.6 x 24 = 14.4 -> 15 (up); 0.6 x 40 = 24 stays 24.
        """
        exact = Fraction(str(self.target)) * int(beds)
        if self.rounding == "up":
            return math.ceil(exact)
        if self.rounding == "down":
            return math.floor(exact)
        return int(exact + Fraction(1, 2)) if exact >= 0 else -int(-exact + Fraction(1, 2))


@dataclass(frozen=True)
class Training:
    """[training]: class hours a care worker needs a year."""

    min_hours_per_year: int
    source: str


@dataclass(frozen=True)
class Duty:
    """One duty of the plan's schedule (三、进度安排).

    field: the township ledger's column recording the completion date (None: read elsewhere).
    start: first day of a window (入户考核评价 9月1日至9月30日); due: its last day.
    """

    key: str
    label: str
    short: str
    due: dt.date
    source: str
    field: str | None = None
    start: dt.date | None = None

    @property
    def due_label(self) -> str:
        """'9月15日前', or '9月1日至9月30日' for a window."""
        if self.start is not None:
            return f"{day_label(self.start)}至{day_label(self.due)}"
        return f"{day_label(self.due)}前"


@dataclass(frozen=True)
class Staffing:
    """[staffing]: how training is judged, optional ratio norms and the plan's sentences."""

    training_pro_rata: bool
    max_residents_per_care_worker: float | None
    residents_per_staff_max: float | None
    part_time_head_source: str
    head_source: str
    nursing_beds_source: str
    other_elderly_source: str


@dataclass(frozen=True)
class Condition:
    """One ``when`` of a rule: a field's answer is one of ``levels`` (or empty, with ``empty``).

    any_of: further conditions of which at least one must hold too; their reasons fill ``{also}``.
    first:  a person meeting this condition heads the list, before the priority order.
    label:  who meets it, in words, for the sentence that states the list's order (:attr:`Rule.priority_text`).
    """

    field: str
    levels: tuple[str, ...] = ()
    empty: bool = False
    reason: str = ""
    any_of: tuple["Condition", ...] = ()
    first: bool = False
    label: str = ""

    def reason_for(self, row) -> str | None:
        value = row.get(self.field)
        blank = value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""
        if self.empty:
            hit = blank
        else:
            hit = not blank and str(value) in self.levels
        if not hit:
            return None
        also = ""
        if self.any_of:
            subs = [x for x in (c.reason_for(row) for c in self.any_of) if x]
            if not subs:
                return None
            also = "、".join(subs)
        return self.reason.format(value="" if blank else value, also=also)


@dataclass(frozen=True)
class Rule:
    """[rules.<key>]: what the plan does with a person assessed, and when."""

    key: str
    label: str
    source: str
    conditions: tuple[Condition, ...]
    priority_field: str | None = None
    priority_order: tuple[str, ...] = ()
    requires: str | None = None     # applies only to people another rule (its key) applies to

    @property
    def priority_text(self) -> str:
        """The list's order in words, as :func:`tekun_helpers.analysis.rules.decide` sorts it:
        '患有精神疾病且无监护人或护理情况不好的列在最前，其余依次为失能、半失能、自理' (the people
        listed first are in that order too)."""
        firsts = [c.label for c in self.conditions if c.first and c.label]
        order = "、".join(self.priority_order)
        if firsts and order:
            return f"{'、'.join(firsts)}列在最前，其余依次为{order}"
        if firsts:
            return f"{'、'.join(firsts)}列在最前"
        return f"依次为{order}" if order else ""


@dataclass(frozen=True)
class Benefit:
    """[benefits.<key>]: a benefit that cannot be held together with extreme-hardship support.

    stops: 'benefit' (that benefit stops) or 'tekun' (extreme-hardship support stops).
    """

    key: str
    label: str
    rule: str
    stops: str = "benefit"


@dataclass(frozen=True)
class Funds:
    """[funds]: the support money paid to the nursing homes."""

    monthly_standard_per_person: float
    standard_is_example: bool
    allocation_day: int
    forbidden_categories: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Feedback:
    """[feedback]: how long a township has to send corrected tables after the bureau's feedback."""

    resubmit_within_days: int
    source: str


@dataclass(frozen=True)
class Followup:
    """[followup]: due dates of the follow-up register (整改跟踪) that the plan does not give.

    transfer_duty: the key of the [schedule] duty whose last day is the deadline for moving people
    into a home (调查入住阶段 9月1日至9月30日); act_within_days: for a finding the plan gives no date
    for (escalation, medical alert, benefit conflict, training, a transfer found after that phase),
    the days after the end of the month it was first seen; days_is_example: that figure is not the plan's.
    """

    transfer_duty: str
    act_within_days: int
    days_is_example: bool
    source: str


@dataclass(frozen=True)
class Assessment:
    """[assessment]: how often a person in dispersed care is assessed again (逐人定期考核评价).

    reassess_every_months: a person whose last assessment is this many months old or older is due again
    (None: the policy sets no cycle, nobody is listed as due).
    """

    reassess_every_months: int | None
    months_is_example: bool
    source: str


@dataclass(frozen=True)
class Adjustment:
    """One ``[[adjustments]]`` entry: a later notice that changes some of the plan's keys from a date on.

    number:    its place among the file's entries (1 = the first), for messages.
    effective: the first day it is in force; a month is judged by the adjustments in force on its last day.
    source:    the notice that made it, quoted.
    changes:   (dotted key, value) pairs, e.g. ('occupancy.target', 0.7), in the file's order.
    """

    number: int
    effective: dt.date
    source: str
    changes: tuple[tuple[str, Any], ...]

    @property
    def name(self) -> str:
        """How messages name it: '第 2 项调整（effective = 2024-01-01）'."""
        return f"第 {self.number} 项调整（effective = {self.effective.isoformat()}）"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.changes)


@dataclass(frozen=True)
class Policy:
    """The plan's rules, read from policy.toml. See the module docstring for the sections.

    adjustments: every ``[[adjustments]]`` entry of the file, by effective date; applied: those whose
    changes this object carries (none for the plan as issued, see :meth:`in_force`).
    """

    document: Document
    occupancy: Occupancy
    training: Training
    duties: tuple[Duty, ...]
    staffing: Staffing
    rules: dict[str, Rule]
    benefits_source: str
    benefits: dict[str, Benefit]
    funds: Funds
    feedback: Feedback
    county: County
    followup: Followup = Followup("assessment", 30, True, "")
    assessment: Assessment = Assessment(None, True, "")
    adjustments: tuple[Adjustment, ...] = ()
    applied: tuple[Adjustment, ...] = ()
    path: Path | None = field(default=None, compare=False)
    plan: dict | None = field(default=None, compare=False, repr=False)      # the file as read, for in_force
    _in_force: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def adjustment(self) -> Adjustment | None:
        """The latest adjustment in force in this object (None: the plan as issued)."""
        return self.applied[-1] if self.applied else None

    def in_force(self, month) -> "Policy":
        """The policy in force on the last day of ``month`` ('YYYY-MM', or a date: that day).

        The plan as issued with every adjustment whose ``effective`` date is on or before that day applied,
        earliest first (a later one changes a key again). ``self`` when that is what this object already is.
        """
        from ..core.months import month_end

        day = month if isinstance(month, dt.date) else month_end(month)
        due = tuple(a for a in self.adjustments if a.effective <= day)
        if due == self.applied:
            return self
        key = tuple(a.number for a in due)         # an adjustment's values may be lists: not hashable
        if key not in self._in_force:
            if self.plan is None:
                raise PolicyError("政策调整无法应用：此政策对象不是从 policy.toml 读取的")
            self._in_force[key] = _adjusted(self, due)
        return self._in_force[key]

    # the figures most code needs, by their short names
    @property
    def occupancy_target(self) -> float:
        return self.occupancy.target

    @property
    def occupancy_deadline(self) -> dt.date:
        return self.occupancy.deadline

    @property
    def rounding(self) -> str:
        return self.occupancy.rounding

    @property
    def target_percent(self) -> str:
        """'60%'."""
        return self.occupancy.percent

    @property
    def training_hours(self) -> int:
        return self.training.min_hours_per_year

    @property
    def banner(self) -> str:
        """The county's name (county.toml), e.g. '敖汉旗'."""
        return self.county.name

    def needed_residents(self, beds: int) -> int:
        """Residents a home of ``beds`` beds needs to reach the target (see :meth:`Occupancy.needed`)."""
        return self.occupancy.needed(beds)

    def with_occupancy(self, **changes) -> "Policy":
        """The same policy with other occupancy settings, e.g. ``policy.with_occupancy(target=0.7)``
        (what-if questions in a notebook; the duty that follows [occupancy] follows too)."""
        import dataclasses

        occ = dataclasses.replace(self.occupancy, **changes)
        duties = tuple(dataclasses.replace(d, due=occ.deadline, source=occ.source,
                                           label=f"本乡镇敬老院入住率达到{occ.percent}以上")
                       if d.key == "occupancy" else d for d in self.duties)
        return dataclasses.replace(self, occupancy=occ, duties=duties,
                                   county=dataclasses.replace(self.county, target=occ.percent))

    def duty(self, key: str) -> Duty:
        for d in self.duties:
            if d.key == key:
                return d
        raise KeyError(key)


# -- reading ------------------------------------------------------------------------------------

def _document(s: _Section) -> Document:
    return Document(s.text("title"), s.text("number"), s.text("issuer"), s.date("issued"))


def _occupancy(s: _Section) -> Occupancy:
    target = s.number("target")
    if not 0 < target <= 1:
        s.fail("target", "应在 0 到 1 之间（如 0.60）", target)
    rounding = s.text("rounding", "up")
    if rounding not in ROUNDINGS:
        s.fail("rounding", f"应为 {'/'.join(ROUNDINGS)} 之一", rounding)
    return Occupancy(target, s.date("deadline"), rounding, s.text("source"), s.text("rounding_source", ""))


def _training(s: _Section) -> Training:
    hours = s.get("min_hours_per_year", int)
    if hours < 0:
        s.fail("min_hours_per_year", "不能为负数", hours)
    return Training(hours, s.text("source", ""))


def _duties(s: _Section, occupancy: Occupancy) -> tuple[Duty, ...]:
    out = []
    for key in s.texts("order"):
        d = s.sub(key)
        if not d.raw:
            s.fail("order", f"列出的工作 {key!r} 没有对应的 [schedule.{key}] 段")
        if key == "occupancy":
            # the occupancy duty takes its target, deadline and wording from [occupancy]: one source
            label = f"本乡镇敬老院入住率达到{occupancy.percent}以上"
            due, source, start = occupancy.deadline, occupancy.source, None
        else:
            label = d.text("label")
            start = d.date("start", None)
            due = d.date("due", None) or d.date("end", None)
            if due is None:
                d.fail("due", "缺少期限（due 或 end）")
            if start is not None and start > due:
                d.fail("start", f"晚于期限 {due}", start)
            source = d.text("source", "")
        out.append(Duty(key, label, d.text("short", label), due, source, d.text("field", None), start))
    return tuple(out)


def _staffing(s: _Section) -> Staffing:
    return Staffing(s.get("training_pro_rata", bool, True), s.number("max_residents_per_care_worker", None),
                    s.number("residents_per_staff_max", None), s.text("part_time_head_source", ""),
                    s.text("head_source", ""), s.text("nursing_beds_source", ""), s.text("other_elderly_source", ""))


def _condition(s: _Section, c: Any) -> Condition:
    # field names and answers are checked against the schema by analysis.rules, which knows it
    if not isinstance(c, dict):
        s.fail("when", "每一条应为一个表（{ field = …, levels = [...] }）", c)
    w = _Section(s.path, s.name + ".when", c)
    subs = tuple(_condition(s, x) for x in w.get("any_of", list, []))
    return Condition(w.text("field"), w.texts("levels", ()), w.get("empty", bool, False), w.text("reason", ""),
                     subs, w.get("first", bool, False), w.text("label", ""))


def _rules(s: _Section) -> dict[str, Rule]:
    out = {}
    for key in RULE_KEYS:
        r = s.sub(key)
        if not r.raw:
            continue
        requires = r.text("requires", None)
        if requires is not None and requires not in RULE_KEYS:
            r.fail("requires", f"应为 {'/'.join(RULE_KEYS)} 之一", requires)
        out[key] = Rule(key, r.text("label", key), r.text("source", ""),
                        tuple(_condition(r, c) for c in r.get("when", list, [])),
                        r.text("priority_field", None), r.texts("priority_order", ()), requires)
    return out


def _benefits(s: _Section) -> dict[str, Benefit]:
    out = {}
    for key, v in s.raw.items():
        if not isinstance(v, dict):
            continue
        b = s.sub(key)
        stops = b.text("stops", "benefit")
        if stops not in STOPS:
            b.fail("stops", f"应为 {'/'.join(STOPS)} 之一", stops)
        out[key] = Benefit(key, b.text("label"), b.text("rule"), stops)
    return out


def _funds(s: _Section) -> Funds:
    standard = s.number("monthly_standard_per_person")
    if standard < 0:
        s.fail("monthly_standard_per_person", "不能为负数", standard)
    day = s.get("allocation_day", int, what="1 到 31 的整数")
    if not 1 <= day <= 31:
        s.fail("allocation_day", "应为 1 到 31 的整数", day)
    return Funds(standard, s.get("standard_is_example", bool, False), day, s.texts("forbidden_categories", ()),
                 s.text("source", ""))


def _feedback(s: _Section) -> Feedback:
    days = s.get("resubmit_within_days", int, 5, what="整数（天数）")
    if days < 1:
        s.fail("resubmit_within_days", "应为正整数（天数）", days)
    return Feedback(days, s.text("source", ""))


def _followup(s: _Section, duties: tuple[Duty, ...]) -> Followup:
    duty = s.get("transfer_duty", str, "assessment", what="[schedule] 中一项工作的键")
    if duty not in {d.key for d in duties}:
        s.fail("transfer_duty", f"应为 [schedule] 中的一项工作（{'、'.join(d.key for d in duties)}）", duty)
    days = s.get("act_within_days", int, 30, what="整数（天数）")
    if days < 0:
        s.fail("act_within_days", "应为非负整数（天数）", days)
    return Followup(duty, days, s.get("days_is_example", bool, True), s.text("source", ""))


def _assessment(s: _Section) -> Assessment:
    months = s.get("reassess_every_months", int, None, what="正整数（月数）")
    if months is not None and months < 1:
        s.fail("reassess_every_months", "应为正整数（月数）", months)
    return Assessment(months, s.get("months_is_example", bool, True), s.text("source", ""))


def _build(p: Path, raw: dict, county: County, seen: set | None = None) -> Policy:
    """The sections of ``raw`` (the file's tables, adjustments left aside) as a :class:`Policy`."""

    def sec(name: str, required: bool = True) -> _Section:
        if required and name not in raw:
            raise PolicyError(f"政策文件 {p}：缺少 [{name}] 段")
        return _Section(p, name, raw.get(name), seen)

    occupancy = _occupancy(sec("occupancy"))
    duties = _duties(sec("schedule"), occupancy)
    return Policy(
        document=_document(sec("document")),
        occupancy=occupancy,
        training=_training(sec("training")),
        duties=duties,
        staffing=_staffing(sec("staffing", False)),
        rules=_rules(sec("rules", False)),
        benefits_source=sec("benefits", False).text("source", ""),
        benefits=_benefits(sec("benefits", False)),
        funds=_funds(sec("funds")),
        feedback=_feedback(sec("feedback", False)),
        followup=_followup(sec("followup", False), duties),
        assessment=_assessment(sec("assessment", False)),
        # the county's tables head their occupancy columns with the target in force (60%应住人数)
        county=replace(county, target=occupancy.percent),
        path=p,
        plan=raw,
    )


# -- adjustments ---------------------------------------------------------------------------------

ADJUSTMENT_FIELDS = ("effective", "source")


def _flat(table: dict, prefix: str = "") -> list[tuple[str, Any]]:
    """An entry's keys in dotted form: '"occupancy.target" = 0.7' and 'occupancy.target = 0.7' (a nested
    table in TOML) both give ('occupancy.target', 0.7)."""
    out = []
    for k, v in table.items():
        if isinstance(v, dict):
            out += _flat(v, f"{prefix}{k}.")
        else:
            out.append((f"{prefix}{k}", v))
    return out


def _adjustment_entries(p: Path, raw: dict, issued: dt.date, known: set[str]) -> tuple[Adjustment, ...]:
    """The ``[[adjustments]]`` entries, checked one by one; errors name the entry and its key in Chinese."""
    entries = raw.get("adjustments", [])
    if not isinstance(entries, list):
        raise PolicyError(f"政策文件 {p}：adjustments 应写作 [[adjustments]] 表（每项调整一段）")
    out = []
    for n, entry in enumerate(entries, 1):
        where = f"政策文件 {p}：[[adjustments]] 第 {n} 项调整"
        if not isinstance(entry, dict):
            raise PolicyError(f"{where} 应为一个表（[[adjustments]] 段）")
        s = _Section(p, f"adjustments 第 {n} 项", entry)
        effective = s.date("effective")
        if effective < issued:
            s.fail("effective", f"早于方案印发日期 {issued.isoformat()}（调整只能在方案之后）", effective)
        source = s.text("source")
        if not source.strip():
            s.fail("source", "应引用作出调整的文件原文")
        changes = tuple((k, v) for k, v in _flat({k: v for k, v in entry.items() if k not in ADJUSTMENT_FIELDS}))
        if not changes:
            raise PolicyError(f"{where}（effective = {effective}）没有调整任何设置（应写明如 \"occupancy.target\" = 0.70）")
        for key, _ in changes:
            if key not in known:
                near = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f"，是否为 \"{near[0]}\"？" if near else ""
                raise PolicyError(f"{where}（effective = {effective}）：未知的设置 \"{key}\"{hint}"
                                  f"（可调整的是 policy.toml 中除 [document] 外各段的设置，写作“段.键”）")
        out.append(Adjustment(n, effective, source, changes))
    return tuple(sorted(out, key=lambda a: (a.effective, a.number)))


def _apply(raw: dict, adjustments) -> dict:
    """A copy of the file's tables with the adjustments' keys set, in order."""
    out = copy.deepcopy({k: v for k, v in raw.items() if k != "adjustments"})
    for a in adjustments:
        for key, value in a.changes:
            *path, last = key.split(".")
            table = out
            for part in path:
                table = table.setdefault(part, {})
            table[last] = value
            if "source" in table and f"{'.'.join(path)}.source" not in a.keys:
                table["source"] = a.source      # the rule now stands on the notice: its words are quoted
    return out


def _adjusted(policy: Policy, due: tuple[Adjustment, ...]) -> Policy:
    """``policy``'s plan with the adjustments ``due`` applied (errors name the last entry, the one that broke it)."""
    p = policy.path
    try:
        built = _build(p, _apply(policy.plan, due), policy.county)
    except PolicyError as e:
        said = str(e).removeprefix(f"政策文件 {p}：")
        raise PolicyError(f"政策文件 {p}：[[adjustments]] {due[-1].name}（{'、'.join(due[-1].keys)}）：{said}") from None
    return replace(built, adjustments=policy.adjustments, applied=due, plan=policy.plan)


def load_policy(path: str | os.PathLike | None = None, data_dir=None) -> Policy:
    """Read policy.toml (default: data/reference/policy.toml) into a :class:`Policy`: the plan as issued, its
    ``[[adjustments]]`` checked and kept (:meth:`Policy.in_force` gives a month's policy).

    Raises :class:`PolicyError` with a Chinese message naming the file, section and key (or the adjustment
    entry and its key).
    """
    p = Path(path) if path else reference_dir(data_dir) / "policy.toml"
    raw = read_toml(p, "政策文件")
    seen: set[str] = set()
    plan = _build(p, raw, load_county(p.parent / "county.toml"), seen)
    known = {k for k in seen if not k.startswith("document.")}
    policy = replace(plan, adjustments=_adjustment_entries(p, raw, plan.document.issued, known))
    for a in policy.adjustments:            # every entry is tried in its place, so a wrong one fails here
        policy.in_force(a.effective)
    return policy
