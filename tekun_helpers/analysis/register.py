"""整改跟踪: every finding followed month by month until it is put right or no longer applies.

The register of month M is a pure function of the month folders up to M (each read with
``load_month``), folded one month at a time (:func:`build`). What the fold holds after each month is kept in
the disk store (:func:`built`, :mod:`tekun_helpers.core.store`) under the keys of every month folded and the
code, so month M's report folds only month M: a cache of the same pure function, never the truth. Each month's findings are the analysis' typed records
(:class:`~tekun_helpers.analysis.findings.Finding`: the money ledger's and spending list's as they are, the
others made here); the register groups them under a stable identity (:class:`Tracked`), its 问题 and
落实情况 rendered from the records (``items["findings"]`` holds the latest month's). A finding's identity:

- a person: ``id:<identity number>`` when the form has a valid one, else township + village + name +
  sex + birth year (report year − age; a birthday between two months moves it by one year, so a year
  off by one still matches the same person; a valid number whose birth year does not fit the age is
  matched by the age too, so a number typed wrong one month does not make a new person);
- a home (below target, money, forbidden spending), a care worker (home + name), a township and duty;
- a case of the complaints register (its 登记编号), open until the register gives its 办结日期.

Statuses, per month:

- 新发现   first seen this month;
- 未整改   seen again (``days_overdue`` counts from the due date, 0 before it);
- 待核实   a person no longer on the township's form, and not on its 减少情况表: the township must say why;
- 未核实   the month's table that would say (the township's 附件3, a roster) was not received: still open,
  not counted as overdue (``days_overdue`` 0) until the table comes; what other tables confirm (the
  减少情况表 records the person moved into a home or left) still closes it;
- 已整改 / 已入住   closed, with the evidence (the month's form no longer meets the rule; the 减少情况表 says
  the person moved into a home on a date; the money was paid on a date; the duty was done on a date);
- 不再适用 closed with the reason (died, left care, moved to another township or out, no longer on the staff list);
- 未完成   closed unfinished: a care worker's training shortfall of a year that has ended (the hours are counted
  per calendar year, :mod:`.staffing`; the new year's shortfall is a new finding keyed by its year).

A finding is followed each month under the policy in force that month (``load_month`` gives each month its
policy): its due date is the one that month's rule gives, and when an adjustment (``[[adjustments]]``) that
changes its topic's rule has come into force since it was first seen, ``rule_change`` (and 落实情况) says
so: "2024-01-01 起按调整后的规定（来源：…）".

Due dates come from the typed policy: ``policy.duty(policy.followup.transfer_duty).due`` for moving
people into a home (later findings: month end + ``act_within_days``), ``duty.due`` for the schedule,
``policy.occupancy.deadline`` for homes below target, the month's ``policy.funds.allocation_day`` for
money, month end + ``policy.followup.act_within_days`` for what the plan gives no date for (a training
shortfall at the latest on the last day of its year), the end of the month the cycle ran out for a person
due for re-assessment (``policy.assessment.reassess_every_months``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from .absence import HELD_BACK
from ..config.schema import VOCABULARIES
from ..core.frames import rows_of
from ..core.months import month_end
from ..core.text import fold, to_text
from ..io.idcard import check as check_id
from ..io.idcard import normalise as normalise_id
from . import assessment as assessment_mod
from . import complaints as complaints_mod
from . import compliance, progress, stats
from . import findings as fd
from . import funds as funds_mod
from . import inspection as inspection_mod
from . import staffing as staffing_mod
from .rules import decide

NEW, OPEN, UNKNOWN, FIXED, PLACED, NOT_APPLICABLE = "新发现", "未整改", "待核实", "已整改", "已入住", "不再适用"
UNVERIFIED, UNFINISHED = "未核实", "未完成"
STATUSES = (NEW, OPEN, UNKNOWN, UNVERIFIED, FIXED, PLACED, NOT_APPLICABLE, UNFINISHED)
OPEN_STATUSES = (NEW, OPEN, UNKNOWN, UNVERIFIED)
CLOSED_STATUSES = (FIXED, PLACED, NOT_APPLICABLE, UNFINISHED)
_RARE = (UNVERIFIED, UNFINISHED)      # shown only when some finding has them


def shown_statuses(statuses) -> tuple[str, ...]:
    """The statuses a table of counts shows for the findings' ``statuses``: every one, but 未核实 (a table not
    received) and 未完成 (a year's training closed unfinished) only when some finding has them."""
    present = set(statuses)
    return tuple(s for s in STATUSES if s not in _RARE or s in present)


def shown_closed(statuses) -> tuple[str, ...]:
    """The closed statuses a sentence of counts names for the findings' ``statuses`` (:func:`shown_statuses`)."""
    shown = shown_statuses(statuses)
    return tuple(s for s in CLOSED_STATUSES if s in shown)
_CHANGE = VOCABULARIES["change"].labels          # 转入集中供养, 死亡, 退出, 迁出
TRANSFERRED, DIED, LEFT, MOVED = _CHANGE

PERSON_RULES = ("transfer", "placement", "escalate", "alert")
COLUMNS = ["key", "topic", "kind", "item", "township", "home", "village", "name", "sex", "id_number", "responsible",
           "first_seen", "due", "status", "days_overdue", "detail", "closed_in", "months_open", "findings",
           "rule_change"]
HISTORY_COLUMNS = ["key", "month", "status", "days_overdue", "detail"]


# -- identities ----------------------------------------------------------------------------------

def _birth_years(row: dict, month: str) -> tuple[int | None, int | None]:
    """(birth year from a valid identity number, birth year from the form's age); None where not known."""
    idc = check_id(row.get("id_number"), on=month_end(month)) if row.get("id_number") else None
    from_id = idc.birth.year if idc is not None and idc.ok and idc.birth else None
    age = row.get("age")
    from_age = None if age is None or pd.isna(age) else month_end(month).year - int(age)
    return from_id, from_age


def _near(a: int | None, b: int | None) -> bool:
    """Two birth years of the same person: equal or one apart (a birthday between two months), or one unknown."""
    return a is None or b is None or abs(a - b) <= 1


def _suspect(years: tuple[int | None, int | None]) -> bool:
    """A valid number whose birth year does not fit the form's age (the checks warn of it): either may be wrong."""
    from_id, from_age = years
    return not _near(from_id, from_age)


def _valid_id(row: dict) -> str:
    raw = row.get("id_number")
    if not raw or (not isinstance(raw, str) and pd.isna(raw)):
        return ""
    return normalise_id(raw) if check_id(raw).ok else ""


class Identities:
    """Person identities across months: the first sighting's identity is the canonical one.

    A person is found by a valid identity number seen before, else by township + village + name + sex and
    birth year (the number's, else the age's, one year either way). When a number's birth year does not
    fit the age on the same form (a typing error in the number or the age), the age's birth year is
    compared too, so that a number typed wrong in one month does not make a new person."""

    def __init__(self):
        self._by_id: dict[str, str] = {}
        self._by_name: dict[tuple, list[tuple[tuple[int | None, int | None], str]]] = {}

    @staticmethod
    def name_key(row: dict) -> tuple:
        return tuple(fold(to_text(row.get(k))) for k in ("township", "village", "name", "sex"))

    def find(self, row: dict, month: str) -> str | None:
        return self._find(*self._traits(row, month))

    def _traits(self, row: dict, month: str) -> tuple[str, tuple[int | None, int | None], tuple]:
        """What a person is found by: the valid identity number, the birth years, the name key."""
        return _valid_id(row), _birth_years(row, month), self.name_key(row)

    def _find(self, pid: str, years: tuple[int | None, int | None], name: tuple) -> str | None:
        if pid and pid in self._by_id:
            return self._by_id[pid]
        mine = years[0] if years[0] is not None else years[1]
        for seen, canon in self._by_name.get(name, []):
            theirs = seen[0] if seen[0] is not None else seen[1]
            if _near(mine, theirs) or ((_suspect(years) or _suspect(seen)) and _near(years[1], seen[1])):
                return canon
        return None

    def resolve(self, row: dict, month: str) -> str:
        """The canonical identity of a person, registering it when first seen."""
        pid, years, name = self._traits(row, month)
        canon = self._find(pid, years, name)
        if canon is None:
            by = years[0] if years[0] is not None else years[1]
            canon = f"id:{pid}" if pid else "p:" + "/".join(name) + f"/{by if by is not None else ''}"
        if pid:
            self._by_id.setdefault(pid, canon)
        entries = self._by_name.setdefault(name, [])
        if all(c != canon or y != years for y, c in entries):
            entries.append((years, canon))
        return canon


# -- the findings of one month -----------------------------------------------------------------

@dataclass
class Tracked:
    """One finding of the register as a month sees it: its key, the typed findings it stands for (a home's
    money problems, its forbidden expenses), who answers for it, the due date and the person it is about."""

    key: str
    topic: str           # the kind of follow-up: a person rule, benefit, funds, spending, duty, occupancy, training
    kind: str            # the topic's label (the 类别 column)
    findings: tuple      # the analysis' Finding records
    responsible: str     # 责任单位: township or home
    due: dt.date
    township: str = ""
    home: str = ""
    village: str = ""
    name: str = ""
    sex: str = ""
    id_number: str = ""
    person: str = ""     # canonical identity of the person, when the finding is about one
    note: str = ""       # the form's 备注 (a refusal and its reason, for instance)

    @property
    def item(self) -> str:
        """What is wrong, in Chinese: the findings' sentences."""
        return fd.sentences(self.findings)

    def fact(self, name: str):
        return self.findings[0].fact(name)


def _days_overdue(f: "Tracked", due: dt.date, as_of: dt.date) -> int:
    """Days past ``due`` at ``as_of``; a late payment's clock stops on the day the money arrived (its finding's
    ``on``): the register then says the days it was late, as the ledger's 迟拨 does (page 1 showed both 迟拨 8 天
    and 最长 21 天 for one payment)."""
    if f.findings and all(x.kind is fd.PAID_LATE and x.fact("on") for x in f.findings):
        as_of = min(as_of, max(x.fact("on") for x in f.findings))
    return max(0, (as_of - due).days)


def _after(month: str, days: int) -> dt.date:
    return month_end(month) + dt.timedelta(days=days)


def _transfer_due(policy, first: str) -> dt.date:
    phase = policy.duty(policy.followup.transfer_duty).due
    return max(phase, _after(first, policy.followup.act_within_days)) if month_end(first) > phase else phase


@dataclass
class _MonthView:
    """What one month's data say, in the shape the register needs."""

    month: str
    data: object
    findings: dict[str, Tracked] = field(default_factory=dict)
    people: dict[str, dict] = field(default_factory=dict)        # canonical identity -> the person's row
    townships_with_forms: set = field(default_factory=set)
    changes: list[dict] = field(default_factory=list)
    duty_rows: dict[tuple, dict] = field(default_factory=dict)
    ledger: dict[str, dict] | None = None
    spending: dict[str, list[dict]] | None = None
    conflicts_checked: set = field(default_factory=set)          # benefit labels whose roster was sent
    training: dict[tuple, dict] | None = None
    homes: dict[str, dict] = field(default_factory=dict)
    change_index: dict | None = None                             # the 减少情况表 indexed (:func:`_change_index`)
    inspected: dict | None = None                                # (home, item) -> latest answer (inspection_mod.answers)
    complaints: dict | None = None                               # case number -> its row (complaints_mod.index)

    def add(self, key: str, kind: fd.Kind, finding: fd.Finding, responsible: str, due: dt.date, label: str = "",
            **where) -> None:
        """Record ``finding`` under ``key`` (a second finding of the same key is added to it)."""
        prev = self.findings.get(key)
        if prev is not None:
            prev.findings += (finding,)
            return
        self.findings[key] = Tracked(key, kind.topic, label or fd.TOPICS[kind.topic], (finding,), responsible, due,
                                     **where)


def _person_fields(r: dict) -> dict:
    return {"township": to_text(r.get("township")), "village": to_text(r.get("village")), "name": to_text(r.get("name")),
            "sex": to_text(r.get("sex")), "id_number": normalise_id(r.get("id_number")) if r.get("id_number") else ""}


def _people_findings(v: _MonthView, d, ids: Identities, first_seen: dict[str, str]) -> None:
    """The people of the month's forms whom a rule applies to (to move, to escalate, to treat)."""
    policy, month, people = d.policy, d.month, d.assessments
    canon_of_row: dict[int, str] = {}
    row_of: dict[int, dict] = {}
    for idx, r in zip(people.index, rows_of(people)):
        c = ids.resolve(r, month)
        canon_of_row[idx], row_of[idx] = c, r
        v.people[c] = r
        v.townships_with_forms.add(r["township"])
    for dec in rows_of(decide(people, policy)):
        if dec["rule"] not in PERSON_RULES:
            continue
        r = row_of[dec["person"]]      # (a row looked up in the frame: 0.5 s for 7,750 people at 10x)
        c = canon_of_row[dec["person"]]
        key = f"{dec['rule']}|{r['township']}|{c}"
        first = first_seen.get(key, month)
        due = (_transfer_due(policy, first) if dec["rule"] in ("transfer", "placement")
               else _after(first, policy.followup.act_within_days))
        kind = fd.PERSON_RULE[dec["rule"]]
        found = fd.make(kind, township=r["township"], person=c, due=due, reasons=dec["reasons"])
        v.add(key, kind, found, r["township"], due, policy.rules[dec["rule"]].label, person=c,
              note=to_text(r.get("note")), **_person_fields(r))


def _benefit_findings(v: _MonthView, d, ids: Identities, first_seen: dict[str, str]) -> None:
    """People of the forms who also hold a benefit that excludes theirs (this month's rosters)."""
    found, sent = compliance.conflicts(d)
    v.conflicts_checked = set(sent)
    by_name: dict[tuple, str] = {}                               # the first person of each name, in form order
    for c, p in v.people.items():
        by_name.setdefault((to_text(p.get("name")), p["township"], to_text(p.get("village"))), c)
    for r in rows_of(found):
        row = {**r, "sex": "", "age": None}
        match = by_name.get((r["name"], r["township"], r["village"]))
        c = match or ids.resolve(row, d.month)
        key = f"benefit|{r['benefit']}|{r['township']}|{c}"
        due = _after(first_seen.get(key, d.month), d.policy.followup.act_within_days)
        p = v.people.get(c, row)
        f = fd.make(fd.BENEFIT_CONFLICT, township=r["township"], person=c, due=due, benefit=r["benefit"],
                    to_stop=r["to_stop"], basis=r["basis"])
        v.add(key, fd.BENEFIT_CONFLICT, f, r["township"], due, person=c,
              **_person_fields({**p, "township": r["township"]}))


def _money_findings(v: _MonthView, d, first_seen: dict[str, str]) -> None:
    """The money ledger's and the spending list's findings that are followed (:attr:`Kind.topic`)."""
    ledger, spending, _, _ = compliance.money(d)
    act_within = d.policy.followup.act_within_days
    if ledger is not None:
        v.ledger = {r["home"]: r for r in rows_of(ledger)}
        for r in rows_of(ledger):
            if r["residents"] is None:
                continue
            key = f"funds|{r['home']}"
            due = funds_mod.deadline_for(first_seen.get(key, d.month), d.policy.funds.allocation_day)
            for f in r["findings"]:
                if f.kind.topic == "funds":
                    v.add(key, f.kind, f, r["home"], due, home=r["home"], township=_home_town(d, r["home"]))
    if spending is not None:
        v.spending = {}
        for r in rows_of(spending):
            v.spending.setdefault(r["home"], []).append(r)
            for f in r["findings"]:
                if f.kind.topic == "spending":
                    key = f"spending|{r['home']}"
                    due = _after(first_seen.get(key, d.month), act_within)
                    v.add(key, f.kind, f, r["home"], due, home=r["home"], township=_home_town(d, r["home"]))


def _duty_findings(v: _MonthView, d, history: list) -> None:
    """The plan's duties past their due date and not done (the occupancy duty is followed per home)."""
    long = progress.duty_status(d, [h for h in history if h.month <= d.month])
    kept = {"assessment"} if d.has_assessments else set()
    if len(d.progress):
        kept |= {duty.key for duty in d.policy.duties if duty.field or duty.key == "agreement"}
    long = long[long["duty"].isin(kept)]
    for r in rows_of(long):
        v.duty_rows[(r["township"], r["duty"])] = r
        if r["status"] == progress.OVERDUE and r["duty"] != "occupancy":
            key = f"duty|{r['township']}|{r['duty']}"
            f = fd.make(fd.DUTY_OVERDUE, township=r["township"], due=r["due"], duty=r["duty"], short=r["short"],
                        detail=r["detail"])
            v.add(key, fd.DUTY_OVERDUE, f, r["township"], r["due"], township=r["township"])


def _occupancy_findings(v: _MonthView, d) -> None:
    """Homes below target (tracked from the month first seen; overdue after the occupancy deadline)."""
    due = d.policy.occupancy.deadline
    hs = stats.home_stats(d.homes, d.policy) if len(d.homes) else pd.DataFrame()
    for r in rows_of(hs):
        v.homes[r["home"]] = r
        if not r["at_target"]:
            f = fd.make(fd.BELOW_TARGET, home=r["home"], township=r["township"], count=r["missing"], due=due,
                        residents=r["residents"], needed=r["needed"])
            v.add(f"occupancy|{r['home']}", fd.BELOW_TARGET, f, r["home"], due, home=r["home"], township=r["township"])


def _training_findings(v: _MonthView, d, first_seen: dict[str, str]) -> None:
    """Care workers whose training hours this year are short of the plan's."""
    t = staffing_mod.training(d.staff, d.month, d.policy)
    v.training = {}
    for r in rows_of(t):
        v.training[(r["home"], r["staff_name"])] = r
        if r["verdict"] != staffing_mod.MET:
            key = staffing_mod.finding_key(r["home"], r["staff_name"], d.month)      # one finding per year
            first = first_seen.get(key, d.month)
            due = staffing_mod.year_due(first, _after(first, d.policy.followup.act_within_days))
            hours = r["training_hours"]
            f = fd.make(fd.TRAINING_SHORT, home=r["home"], township=_home_town(d, r["home"]), due=due,
                        count=None if hours is None or pd.isna(hours) else int(hours), hours=hours,
                        required=r["required"], month_no=month_end(d.month).month)
            v.add(key, fd.TRAINING_SHORT, f, r["home"], due, home=r["home"], township=_home_town(d, r["home"]),
                  name=to_text(r["staff_name"]))


def _inspection_findings(v: _MonthView, d, first_seen: dict[str, str]) -> None:
    """The items an inspection found 不符合 (analysis.inspection), each followed until found 符合."""
    v.inspected = inspection_mod.answers(d)
    for f in inspection_mod.findings(d):
        key = f"inspection|{f.home}|{f.fact('item')}"
        due = _after(first_seen.get(key, d.month), d.policy.followup.act_within_days)
        f = replace(f, due=due)
        v.add(key, f.kind, f, f.home, due, home=f.home, township=f.township)


def _complaint_findings(v: _MonthView, d) -> None:
    """The cases of the complaints register open at the month's end (analysis.complaints), each owned by its handling
    unit and due on its deadline, followed until the register says it was closed."""
    v.complaints = complaints_mod.index(d)
    for f in complaints_mod.findings(d):
        v.add(f"complaint|{f.fact('case_no')}", f.kind, f, f.responsible, f.due, home=f.home, township=f.township)


def _reassess_findings(v: _MonthView, d, history: list, ids: Identities) -> None:
    """The people whose last assessment is ``policy.assessment.reassess_every_months`` months old or older
    (:mod:`.assessment`), each followed until assessed again or gone from dispersed care."""
    if d.policy.assessment.reassess_every_months is None:
        return
    due = assessment_mod.reassessment_due([h for h in history if h.month <= d.month], d.month, d.policy)
    for f, r in zip(assessment_mod.due_findings(due, d.policy), rows_of(due)):
        c = ids.resolve({**r, "age": None}, d.month)
        v.add(f"reassess|{r['township']}|{c}", fd.REASSESS_DUE, replace(f, person=c), r["township"], f.due,
              person=c, **_person_fields(r))


def unreported(data) -> list[str]:
    """The townships of the reference without a 附件3 form in the month, in the official order; [] when the
    month has no form at all (the whole table is not received)."""
    sent = set(data.assessments["township"]) if len(data.assessments) else set()
    return [t for t in data.reference.township_names if t not in sent] if sent else []


def _forms_findings(v: _MonthView, d, first_seen: dict[str, str]) -> None:
    """The townships whose 附件3 form the month has not received (due within ``policy.feedback``'s days)."""
    for town in unreported(d):
        if town in getattr(d, "held_back", ()):      # a draft's form with errors: sent, its errors say what to fix
            continue
        key = f"forms|{town}"
        due = _after(first_seen.get(key, d.month), d.policy.feedback.resubmit_within_days)
        f = fd.make(fd.FORMS_MISSING, township=town, due=due, month_no=month_end(d.month).month)
        v.add(key, fd.FORMS_MISSING, f, town, due, township=town)


def _view(d, history: list, ids: Identities, first_seen: dict[str, str]) -> _MonthView:
    """The month's findings (each kind from the analysis that makes it) and what closes the earlier ones."""
    v = _MonthView(d.month, d)
    if len(d.assessments):
        _people_findings(v, d, ids, first_seen)
        _forms_findings(v, d, first_seen)
    if len(d.changes):
        v.changes = rows_of(d.changes)
    if len(d.assessments) and len(d.benefits):
        _benefit_findings(v, d, ids, first_seen)
    _money_findings(v, d, first_seen)
    _duty_findings(v, d, history)
    _occupancy_findings(v, d)
    if len(d.staff):
        _training_findings(v, d, first_seen)
    _inspection_findings(v, d, first_seen)
    _complaint_findings(v, d)
    if len(d.assessments):
        _reassess_findings(v, d, history, ids)
    return v


def _home_town(d, home: str) -> str:
    try:
        return d.reference.home(home).township
    except KeyError:
        return ""


# -- closing a finding -------------------------------------------------------------------------

def _cn(day) -> str:
    return f"{day.month}月{day.day}日" if isinstance(day, dt.date) else ""


def _change_index(v: _MonthView, ids: Identities) -> dict:
    """The month's 减少情况表 rows indexed once (by valid identity number, by the identity they are found as,
    by folded township + village + name), each to its first row; kept on the view."""
    if v.change_index is None:
        by_pid: dict[str, int] = {}
        by_canon: dict[str, int] = {}
        by_name: dict[tuple, list[tuple[int, object]]] = {}
        for i, r in enumerate(v.changes):
            row = {**r, "age": None}
            pid = _valid_id(row)
            if pid:
                by_pid.setdefault(pid, i)
            c = ids.find(row, v.month)
            if c is not None:
                by_canon.setdefault(c, i)
            name = tuple(fold(to_text(r.get(k))) for k in ("township", "village", "name"))
            by_name.setdefault(name, []).append((i, to_text(r.get("sex"))))     # an empty cell: '' (not NaN)
        v.change_index = {"pid": by_pid, "canon": by_canon, "name": by_name}
    return v.change_index


def _change_for(f: Tracked, v: _MonthView, ids: Identities) -> dict | None:
    """The first row of the month's 减少情况表 about the finding's person: the same identity number or
    identity, or the same township, village and name (and sex, when the row gives one)."""
    index = _change_index(v, ids)
    hits = [index["pid"].get(f.id_number) if f.id_number else None, index["canon"].get(f.person)]
    name = tuple(fold(getattr(f, k)) for k in ("township", "village", "name"))
    hits.append(next((i for i, sex in index["name"].get(name, ()) if not sex or sex == f.sex), None))
    hits = [i for i in hits if i is not None]
    return v.changes[min(hits)] if hits else None


def _close_person(f: Tracked, v: _MonthView, ids: Identities) -> tuple[str, str]:
    """(status, detail) of a person's finding the month does not make again."""
    mon = int(v.month[5:])
    p = v.people.get(f.person)
    if p is not None and p["township"] == f.township:
        note = to_text(p.get("note"))
        return FIXED, f"{mon}月评估已不再符合（原为：{f.item}）" + (f"；备注：{note}" if note else "")
    if p is not None:
        return NOT_APPLICABLE, f"迁至{p['township']}（{mon}月出现在该乡镇的评估表中）"
    ch = _change_for(f, v, ids)
    if ch is None and f.township not in v.townships_with_forms:
        return UNVERIFIED, _unverified(v.data, f.township, mon)
    if ch is None:
        return UNKNOWN, f"{mon}月评估表中已无此人，减少情况表中也没有：请{f.township}说明去向"
    what, day, home = ch.get("change"), ch.get("changed_on"), to_text(ch.get("home"))
    when = _cn(day) or f"{mon}月"
    if what == TRANSFERRED and f.topic in ("transfer", "placement"):
        return PLACED, f"{when}转入{home or '敬老院'}集中供养（减少情况表）"
    if what == TRANSFERRED:
        return NOT_APPLICABLE, f"已于{when}转入{home or '敬老院'}集中供养"
    reason = {DIED: "死亡", LEFT: "退出特困供养", MOVED: "迁出"}.get(what, to_text(what))
    note = to_text(ch.get("note"))
    return NOT_APPLICABLE, f"{when}{reason}" + (f"（{note}）" if note else "")


def _unverified(d, town: str, mon: int) -> str:
    """Why a person of ``town`` cannot be checked this month: its 附件3 form did not come, or (a draft) it has
    errors and is held back (:func:`tekun_helpers.month.held_back`)."""
    if town in getattr(d, "held_back", ()):
        return f"{town}{mon}月的排查评估表有错误（{HELD_BACK.label}），无法核实"
    return f"{town}{mon}月未报送排查评估表，无法核实"


def _close_reassess(f: Tracked, v: _MonthView, ids: Identities) -> tuple[str, str]:
    """(status, detail) of a person due for re-assessment whom the month no longer finds due."""
    mon = int(v.month[5:])
    if f.person in v.people:
        day = v.people[f.person].get("assessed_on")
        on = f"评估日期{_cn(day)}" if day is not None and hasattr(day, "year") and not pd.isna(day) else "排查评估表中有此人"
        return FIXED, f"{mon}月已再次考核评价（{on}）"
    status, detail = _close_person(f, v, ids)
    if status in (UNKNOWN, UNVERIFIED):       # not on a form, no word of leaving: the rule in force no longer asks
        return NOT_APPLICABLE, f"按{mon}月适用的规定，尚未到再次考核评价的期限"
    return status, detail


def _close(f: Tracked, v: _MonthView, ids: Identities) -> tuple[str, str]:
    kind = f.topic
    mon = int(v.month[5:])
    d = v.data
    if kind in PERSON_RULES:
        return _close_person(f, v, ids)
    if kind == "reassess":
        return _close_reassess(f, v, ids)
    if kind == "benefit":
        benefit = f.fact("benefit")
        if benefit not in v.conflicts_checked:
            return OPEN, f"{mon}月未报送{benefit}名册，无法核实"
        if v.townships_with_forms and f.township not in v.townships_with_forms:
            return UNVERIFIED, _unverified(v.data, f.township, mon)
        return FIXED, f"{mon}月名册比对已无此人"
    if kind == "funds":
        if v.ledger is None:
            return OPEN, f"{mon}月未报送资金拨付台账，无法核实"
        r = v.ledger.get(f.home)
        if r is None:
            return OPEN, f"{mon}月资金拨付台账中没有{f.home}"
        return FIXED, f"{mon}月足额拨付 {funds_mod.yuan(r['allocated'])} 元（{_cn(r['allocated_on'])}，期限{_cn(r['deadline'])}）"
    if kind == "forms":
        return FIXED, f"{mon}月已报送排查评估表"
    if kind == "inspection":
        done, detail = inspection_mod.close(f.home, f.fact("item"), d, v.inspected)
        return (FIXED if done else OPEN), detail
    if kind == "complaint":
        done, detail = complaints_mod.close(f.fact("case_no"), d, v.complaints)
        return (FIXED if done else OPEN), detail
    if kind == "spending":
        if v.spending is None:
            return OPEN, f"{mon}月未报送支出明细，无法核实"
        return FIXED, f"{mon}月支出明细中{f.home}没有不得列支的支出"
    if kind == "duty":
        r = v.duty_rows.get((f.township, f.fact("duty")))
        if r is None:
            return OPEN, ""
        return FIXED, f"{_cn(r['done_on'])}完成（{r['status']}）" if r["done_on"] else r["status"]
    if kind == "occupancy":
        r = v.homes.get(f.home)
        if r is None:
            return OPEN, f"{mon}月附件2中没有{f.home}"
        return FIXED, f"{mon}月入住 {r['residents']} 人，达到应住 {r['needed']} 人"
    if kind == "training":
        if v.training is None:
            return OPEN, f"{mon}月未报送工作人员台账，无法核实"
        r = v.training.get((f.home, f.name))
        if r is None:
            on_list = len(d.staff) and ((d.staff["home"] == f.home) & (d.staff["staff_name"] == f.name)).any()
            return (FIXED, f"{mon}月已不是护理人员") if on_list else (NOT_APPLICABLE, f"{mon}月已不在工作人员台账中")
        return FIXED, f"{mon}月累计培训 {int(r['training_hours'])} 课时，达到 {r['required']:g} 课时"
    return FIXED, ""


# -- the register ------------------------------------------------------------------------------

@dataclass
class Register:
    """The follow-up register as of ``month``.

    items:   one row per finding (COLUMNS), in order: open ones first (longest overdue first), then closed.
    history: one row per finding and month from its first sighting (HISTORY_COLUMNS).
    months:  the months read, oldest first.
    """

    month: str
    items: pd.DataFrame
    history: pd.DataFrame
    months: list[str]

    def counts(self) -> dict[str, int]:
        """Findings by status this month (every status, 0 included)."""
        c = self.items["status"].value_counts()
        return {s: int(c.get(s, 0)) for s in STATUSES}

    def overdue(self) -> pd.DataFrame:
        """Open findings past their due date, longest overdue first."""
        i = self.items
        o = i[i["status"].isin(OPEN_STATUSES) & (i["days_overdue"] > 0)]
        return o.sort_values(["days_overdue", "first_seen"], ascending=[False, True], kind="stable").reset_index(drop=True)


#: the policy sections whose keys judge each topic's findings (an adjustment of one of them changes the rule)
_RULE_SECTIONS = {"occupancy": ("occupancy", "schedule"), "training": ("training", "staffing", "followup"),
                  "reassess": ("assessment",), "funds": ("funds",), "spending": ("funds", "followup"),
                  "benefit": ("benefits", "followup"), "duty": ("schedule",), "forms": ("feedback",),
                  "inspection": ("followup",), "complaint": (), **{rule: ("rules", "schedule", "followup") for rule in PERSON_RULES}}


def _rule_change(topic: str, since: tuple, policy) -> str:
    """Words for a finding first seen under the adjustments ``since`` and followed under ``policy``: when the rule
    that judges its topic changed, and the notice that changed it ('' while it has not)."""
    sections = _RULE_SECTIONS.get(topic, ())
    new = [a for a in policy.applied if a not in since and any(k.split(".")[0] in sections for k in a.keys)]
    if not new:
        return ""
    a = new[-1]
    return f"{a.effective.isoformat()} 起按调整后的规定（来源：{a.source}）"


def _year_end(it: dict, v: _MonthView) -> tuple[str, str] | None:
    """(未完成, words) for a training shortfall whose year has ended by the month; None otherwise."""
    if it["topic"] != fd.TRAINING_SHORT.topic or not staffing_mod.year_closed(it["first_seen"], v.month):
        return None
    hours = it["findings"][-1].fact("hours") if it["findings"] else None
    return UNFINISHED, staffing_mod.year_end_words(it["first_seen"], hours, v.data.policy)


def _see(items: dict, first_seen: dict, key: str, f: Tracked, d, as_of: dt.date) -> dict:
    """The register's item for the month's finding ``f`` (new, seen again, or come back after it closed)."""
    it = items.get(key)
    if it is None:
        first_seen[key] = d.month
        items[key] = it = {**{k: getattr(f, k) for k in ("key", "topic", "kind", "item", "township", "home", "village",
                                                        "name", "sex", "id_number", "responsible", "due")},
                           "first_seen": d.month, "status": NEW, "closed_in": "", "_f": f,
                           "_since": d.policy.applied}
    elif it["status"] in CLOSED_STATUSES:     # a problem closed before that comes back: followed again
        it.update(status=OPEN, closed_in="")
    else:
        it["status"] = OPEN
    change = _rule_change(it["topic"], it["_since"], d.policy)
    detail = f.item + (f"；备注：{f.note}" if f.note and it["status"] != NEW else "") + (f"；{change}" if change else "")
    it.update(detail=detail, findings=tuple(replace(x, first_seen=it["first_seen"]) for x in f.findings),
              due=f.due, rule_change=change, days_overdue=_days_overdue(f, f.due, as_of), _seen=d.month)
    return it


def _follow_unseen(it: dict, v: _MonthView, ids: Identities, as_of: dt.date) -> None:
    """An open item the month does not find again: closed with the evidence, or still open (overdue counted)."""
    status, detail = _year_end(it, v) or _close(it["_f"], v, ids)
    it.update(status=status, detail=detail)
    if status in CLOSED_STATUSES:
        it.update(closed_in=v.month, days_overdue=0)
    elif status == UNVERIFIED:
        it["days_overdue"] = 0
    else:
        it["days_overdue"] = max(0, (as_of - it["due"]).days)


def _frame(items: dict, history: list) -> pd.DataFrame:
    """The items as rows (COLUMNS): open ones first (longest overdue first), then closed."""
    months_open: dict[str, int] = {}
    for x in history:
        if x["status"] in OPEN_STATUSES:
            months_open[x["key"]] = months_open.get(x["key"], 0) + 1
    rows = [{**{k: it.get(k, "") for k in COLUMNS}, "months_open": months_open.get(it["key"], 0)}
            for it in items.values()]
    df = pd.DataFrame.from_records(rows, columns=COLUMNS)
    if len(df):
        df["_open"] = ~df["status"].isin(OPEN_STATUSES)
        df = df.sort_values(["_open", "days_overdue", "first_seen", "kind", "responsible"],
                            ascending=[True, False, True, True, True], kind="stable").drop(columns="_open")
    return df.reset_index(drop=True)


@dataclass
class _Fold:
    """What the register holds after folding some months: identities, items by key, one history row per item
    and month, the month each key was first seen, and the months folded."""

    ids: Identities = field(default_factory=Identities)
    items: dict = field(default_factory=dict)
    history: list = field(default_factory=list)
    first_seen: dict = field(default_factory=dict)
    months: list = field(default_factory=list)

    def fold(self, d, months: list) -> None:
        """Fold in the month ``d`` (read whole); ``months``: the months around it (whole or traces), of which
        the schedule and the re-assessment cycle read those up to ``d``."""
        v = _view(d, months, self.ids, self.first_seen)
        as_of = month_end(d.month)
        for key, f in v.findings.items():
            it = _see(self.items, self.first_seen, key, f, d, as_of)
            self.history.append({"key": key, "month": d.month, "status": it["status"],
                                 "days_overdue": it["days_overdue"], "detail": it["detail"]})
        for key, it in self.items.items():
            if key in v.findings or it["status"] in CLOSED_STATUSES:
                continue
            _follow_unseen(it, v, self.ids, as_of)
            self.history.append({"key": key, "month": d.month, "status": it["status"],
                                 "days_overdue": it["days_overdue"], "detail": it["detail"]})
        self.months.append(d.month)

    def register(self) -> Register:
        return Register(self.months[-1], _frame(self.items, self.history),
                        pd.DataFrame(self.history, columns=HISTORY_COLUMNS), list(self.months))


def _empty() -> Register:
    return Register("", pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=HISTORY_COLUMNS), [])


def build(months: list) -> Register:
    """The register over ``months`` (MonthData read whole, any order; the last month is the register's month)."""
    months = sorted(months, key=lambda d: d.month)
    if not months:
        return _empty()
    state = _Fold()
    for d in months:
        state.fold(d, months)
    return state.register()


def built(months: list) -> Register:
    """The register over ``months`` (a report's history, :func:`tekun_helpers.analysis.trends.history`: the last
    month whole, earlier ones whole or traces), the same as :func:`build` of them read whole.

    What the fold holds after each earlier month is taken from the disk store when it was kept, under the
    store keys of the months folded and the code; the months not folded before are read whole and folded
    (and kept), and the register's own month is always folded here and kept for the next month's report, unless
    it is a draft (a draft's month is not the month as its files say: it has no ``store_key``). A month not read
    through the store (``store_key`` None) is folded every time.
    """
    from ..core import store

    months = sorted(months, key=lambda d: d.month)
    if not months:
        return _empty()
    earlier = months[:-1]
    keys = [None] * (len(months) + 1)
    state, start = None, 0
    if all(d.store_key for d in earlier):
        for i in range(1, len(months) + 1):
            if i == len(months) and not months[-1].store_key:
                break
            keys[i] = store.digest("register", store.code_version(), tuple(d.store_key for d in months[:i]))
        if keys[-1]:                      # the same month again (a report made anew): nothing to fold
            done = store.get("registers", keys[-1])
            if done is not None:
                return done.register()
        for i in range(len(earlier), 0, -1):
            state = store.get("registers", keys[i])
            if state is not None:
                start = i
                break
    state = state or _Fold()
    for i in range(start, len(earlier)):
        d = earlier[i]
        state.fold(d.whole(), months)
        if keys[i + 1]:
            store.put("registers", keys[i + 1], state)
    state.fold(months[-1], months)
    if keys[-1]:       # next month's report starts from here (0.01 s to write; folding this month again is ~1 s)
        store.put("registers", keys[-1], state)
    return state.register()


def register_for(month: str, data_dir=None) -> Register:
    """The register as of ``month`` from the month folders up to it that load without errors."""
    from .trends import history

    ok, _ = history(month, data_dir)
    return built(ok)
