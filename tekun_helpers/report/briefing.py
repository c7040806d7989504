"""Everything a briefing shows, computed once from the month's data.

The notebooks are thin: they build a :class:`Briefing` from their parameters
and display its parts between their own prose. Tests use the same object, so
what a report shows is what the tests check.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import pandas as pd

from ..analysis import absence, assessment, findings, progress, rules, staffing, stats, trends
from ..config import outputs
from ..config.outputs import Sheet
from ..core import fmt, store
from ..core.cache import CACHE
from ..core.exceptions import UsageError, ValidationFailed
from ..core.fmt import rounding_words
from ..core.issues import format_table, sort_key
from ..core.text import printable
from ..io.privacy import mask_people
from ..month import MonthData, held_back, load_month
from . import narrative, tables
from .facts import Fact, MonthFacts


CONFIRMED = {True: "已确认", False: "待核实"}
#: the disk store's kind of what the month's briefings share (:meth:`Briefing.shared`)
SHARED_KIND = "shared"

def _shared_facts(key: tuple | None) -> dict:
    """What the month's briefings share, kept in the process's cache (:data:`tekun_helpers.core.cache.CACHE`
    ``.facts``) under the cache keys of the month and the months before it; a new, unkept dict when the
    month was not read through the cache (a month passed in may have been changed)."""
    if key is None:
        return {}
    return CACHE.facts.setdefault(key, dict)


@dataclass(frozen=True)
class Scope:
    """What a briefing speaks of, as data: its townships and the homes that serve them.

    whole: the banner's scope (every township; totals are the banner's). A township's
    briefing has one township and the homes listed for it in the reference data. Every
    section takes its rows through :meth:`rows` and :meth:`home_rows`, so the same section
    code serves the banner and a township.
    """

    name: str
    townships: tuple[str, ...]
    homes: tuple[str, ...]
    whole: bool

    @classmethod
    def of(cls, reference, banner: str, township: str | None) -> "Scope":
        if township is None:
            return cls(banner, tuple(reference.township_names), tuple(reference.home_names), True)
        return cls(township, (township,), tuple(reference.township(township).served_by), False)

    def rows(self, df: pd.DataFrame, key: str = "township") -> pd.DataFrame:
        """The rows of ``df`` whose ``key`` is one of the scope's townships (all rows for the banner)."""
        return df if self.whole else df[df[key].isin(self.townships)].reset_index(drop=True)

    def home_rows(self, df: pd.DataFrame | None, key: str = "home") -> pd.DataFrame | None:
        """The rows of ``df`` about the homes serving the scope's townships (all rows for the banner)."""
        if df is None or self.whole:
            return df
        return df[df[key].isin(self.homes)].reset_index(drop=True)


class Briefing:
    """The month's statistics, rules and prose.

    month:    'YYYY-MM'.
    data_dir: data folder (None: the project's data/).
    township: None for the banner briefing, else the township's official name.
    internal: True shows full names and ages (internal case lists only); default masked.
    draft:    True makes a briefing of a month that still has errors (``tekun report --draft``), which opens
              with 草稿 and the errors (opening.draft_notice); the townships whose own 附件3 form has errors are
              left out of every figure as 待核实 (:func:`~tekun_helpers.month.held_back`). Without it such a month
              raises ValidationFailed.

    Attributes: ``data`` (the month's :class:`MonthData`), ``policy``, ``reference``, ``banner``, ``scope``
    (:class:`Scope`), ``people`` (the assessment forms' rows), ``months`` and ``skipped_months`` (the months up
    to this one that load, and those with errors), ``prev`` (last month's data or None), ``month_facts``
    (:class:`~tekun_helpers.report.facts.MonthFacts`), and each of its fields by name: ``towns``, ``homes``,
    ``key``, ``decisions``, ``coverage``, ``rule_counts``, ``capacity``, ``capacity_totals``, ``progress``,
    ``staffing``, ``compliance``.
    """

    def __init__(self, month: str, data_dir=None, *, township: str | None = None, internal: bool = False,
                 data: MonthData | None = None, draft: bool = False):
        self.data = data or load_month(month, data_dir, cache=True, lean=True)
        if self.data.errors and not draft:
            raise ValidationFailed(f"{month} 的数据有 {len(self.data.errors)} 个错误，无法生成报告：\n"
                                   f"{format_table(self.data.issues)}", self.data.issues)
        if draft:
            self.data = held_back(self.data)
        self.month = month
        self.internal = internal
        self.policy = self.data.policy
        self.reference = self.data.reference
        if township is not None and township not in self.reference.township_names:
            official, suggestion = self.reference.match("townships", str(township))
            if official is None:
                hint = f"是否为“{suggestion}”？" if suggestion else f"可选：{'、'.join(self.reference.township_names)}。"
                raise UsageError(f"township = “{printable(str(township))}”不是已知的{self.policy.county.towns}，{hint}")
            township = official
        self.township = township
        self.banner = self.policy.banner
        self.scope = Scope.of(self.reference, self.banner, township)
        self.people = self.data.assessments
        # earlier months, for the comparison with last month and the trend
        self.data_dir = self.data.folder.parent
        self.months, self.skipped_months = trends.history(month, self.data_dir)
        if not any(d.month == month for d in self.months):
            self.months.append(self.data)
        self.prev = trends.previous(month, self.months)
        # shared only when this briefing read the month itself: a month passed in may have been changed
        keys = (self.data.cache_key, *(d.cache_key for d in self.months))
        self._shared = _shared_facts(None if data is not None or None in keys else keys)
        # kept on disk too (core/store.py) under the months' store keys: a kernel opening a month that a batch or
        # `tekun report` has made finds what they computed (None: a month passed in, or a draft's held-back month)
        stored = (self.data.store_key, *(d.store_key for d in self.months))
        self._store_keys = None if data is not None or None in stored else (bool(draft), *stored)
        self._once: dict[str, object] = {}
        self.month_facts: MonthFacts = self.shared("facts", lambda: MonthFacts.compute(self.data, self.months))

    # the month's facts (:class:`MonthFacts`), each an attribute of the briefing
    towns = Fact()
    homes = Fact()
    key = Fact()
    decisions = Fact()
    coverage = Fact()
    rule_counts = Fact()
    capacity = Fact()
    capacity_totals = Fact()
    progress = Fact()
    staffing = Fact()
    compliance = Fact()

    def once(self, name: str, compute):
        """``compute()`` the first time this briefing asks for ``name``, the same value afterwards (what
        several of its sections read, e.g. the follow-up register in its scope)."""
        if name not in self._once:
            self._once[name] = compute()
        return self._once[name]

    def compute_shared(self) -> None:
        """Compute now every month-wide result the month's briefings share (:meth:`shared`; the facts are
        computed with the briefing): the follow-up register, 人员增减, 转入安排 and the homes' changes. A batch
        does it once for a month, before its workers take the month (:meth:`ProcessCache.snapshot`)."""
        from . import followup

        followup.register(self)
        followup.township_flow(self)
        followup.month_plan(self)
        self.home_changes()
        self.leavers()

    def shared(self, name, compute, *, keep: bool = True):
        """A copy of the month-wide result ``name``, computed by ``compute()`` the first time in this process
        for this month's files (and the months before it); see :func:`_shared_facts`. With ``keep`` it is kept in
        the disk store as well (kind ``shared``, :meth:`has_shared`), and taken from there when it was kept."""
        if not self.has_shared(name, keep=keep):
            self._shared[name] = value = compute()
            key = self._store_key(name) if keep else None
            if key is not None:
                store.put(SHARED_KIND, key, (value,))
        return copy.deepcopy(self._shared[name])

    def has_shared(self, name, *, keep: bool = True) -> bool:
        """Whether the month-wide result ``name`` is known in this process, or (``keep``) kept in the disk store,
        under the store keys of this month's files and of the months before it, the draft flag and the code
        (:func:`~tekun_helpers.core.store.code_version`); one found there is known in this process afterwards."""
        if name in self._shared:
            return True
        key = self._store_key(name) if keep else None
        kept = None if key is None else store.get(SHARED_KIND, key)
        if kept is None:
            return False
        self._shared[name] = kept[0]
        return True

    def _store_key(self, name) -> str | None:
        if self._store_keys is None:
            return None
        return store.digest(SHARED_KIND, store.code_version(), name, self._store_keys)

    # -- scope ---------------------------------------------------------------
    @property
    def has_assessments(self) -> bool:
        return len(self.people) > 0

    def unreported(self) -> list[str]:
        """The townships in scope whose 附件3 form this month has not received (official order): their figures
        are 未报送, not zero; [] when every township sent one, or when no form came at all (said elsewhere)."""
        from ..analysis.register import unreported

        return [t for t in unreported(self.data) if t in self.scope.townships]

    def absent(self) -> dict[str, absence.FormAbsence]:
        """The townships of :meth:`unreported` and why each is left out: not received (未报送), or held back in
        a draft because its form has errors (待核实)."""
        held = set(self.data.held_back)
        return {t: absence.HELD_BACK if t in held else absence.NOT_RECEIVED for t in self.unreported()}

    def unreported_words(self) -> str:
        """'（不含未报送的 1 个乡镇苏木街道：四道湾子镇）' after a total over the townships' forms; '' when all sent."""
        return absence.absence_note(self.absent(), self.policy.county.towns)

    def total_note(self) -> str:
        """After the 合计 of a table over the townships' forms: '（不含未报送的 1 个）'; '' when all sent."""
        return absence.absence_note(self.absent())

    @property
    def form_missing(self) -> bool:
        """A township's briefing whose township's 附件3 figures are not in the month (while others' are)."""
        return self.own_absence is not None

    @property
    def own_absence(self) -> absence.FormAbsence | None:
        """Why a township's briefing has no 附件3 figures of its own (未报送 or 待核实); None otherwise."""
        return None if self.scope.whole else self.absent().get(self.township)

    def town_row(self) -> pd.Series:
        return self.towns[self.towns["township"] == self.township].iloc[0]

    def own_homes(self) -> pd.DataFrame:
        """The homes serving this briefing's township (all homes for the banner)."""
        return self.scope.home_rows(self.homes)

    def own_progress(self) -> pd.DataFrame:
        """Duty statuses of this briefing's township (all townships for the banner)."""
        return self.scope.rows(self.progress)

    def own_staffing(self) -> pd.DataFrame:
        """Staffing of the homes serving this briefing's township (all homes for the banner)."""
        return self.scope.home_rows(self.staffing)

    @property
    def has_staff(self) -> bool:
        return len(self.data.staff) > 0

    @property
    def has_ledger(self) -> bool:
        return len(self.data.progress) > 0

    def progress_sentence(self) -> str:
        return progress.summary_sentence(self.own_progress(), self.month, self.policy)

    def own_conflicts(self) -> pd.DataFrame:
        """Benefit conflicts in this briefing's scope, names and identity numbers masked unless internal."""
        c = self.scope.rows(self.compliance.conflicts)
        return c.reset_index(drop=True) if self.internal else mask_people(c).reset_index(drop=True)

    def own_money(self) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """The money ledger and spending checks of the homes serving this briefing's township."""
        return self.scope.home_rows(self.compliance.ledger), self.scope.home_rows(self.compliance.spending)

    #: the form's answers a township's briefing counts, in the form's order
    ANSWERS = ("self_care", "housing", "environment", "quality", "care", "treated", "self_controls_allowance",
               "rights_infringed", "result")

    def own_answers(self) -> dict[str, pd.DataFrame]:
        """Per answer of the form (:data:`ANSWERS`): the people in scope giving each answer (:func:`assessment.answer_counts`)."""
        people = self.own_people()
        return {f: assessment.answer_counts(people, f) for f in self.ANSWERS}

    def assessment_by_township(self) -> pd.DataFrame:
        """Per township: the assessment results, the people per rule, the free beds of its homes, the transfer
        plan (placed in its own homes, nearest, unplaced) and the gap to the occupancy target."""
        from . import followup

        res = assessment.results_by_township(self.data.townships, self.people)
        merged = res.merge(self.rule_counts, on="township").merge(
            self.capacity[["township", "free_beds", "missing_to_target"]], on="township")
        plan_cols = ["placed_own", "placed_nearest", "unplaced"]
        towns = followup.plan_towns(self)
        plan = towns[["township", *plan_cols]] if len(towns) else pd.DataFrame(columns=["township", *plan_cols])
        merged = merged.merge(plan, on="township", how="left")
        merged[plan_cols] = merged[plan_cols].fillna(0).astype("int64")
        return merged

    def conflict_counts(self) -> pd.DataFrame:
        """Benefit conflicts in scope per township (official order) and benefit: the people holding both."""
        conf = self.own_conflicts()
        return tables.official_order(conf.pivot_table(index="township", columns="benefit", values="name",
                                                      aggfunc="count", fill_value=0).reset_index(), self.reference)

    def id_issue_grid(self) -> pd.DataFrame:
        """Identity-number problems on the forms in scope, per township (official order) and kind."""
        ids = self.scope.rows(self.compliance.id_issues)
        return tables.official_order(ids.pivot_table(index="township", columns="kind", values="count", aggfunc="sum",
                                                     fill_value=0).reset_index(), self.reference)

    def shared_homes(self) -> list[str]:
        """The homes serving this briefing's township that serve other townships too (their free beds are shared)."""
        return [h for h in self.own_homes()["home"] if len([t for t in self.reference.townships if h in t.served_by]) > 1]

    def own_people(self) -> pd.DataFrame:
        return self.people if self.scope.whole else self.people[self.people["township"].isin(self.scope.townships)]

    # -- prose ------------------------------------------------------------------
    def title(self) -> str:
        who = self.banner if self.scope.whole else f"{self.banner}{self.scope.name}"
        return f"{who}特困人员供养服务月度简报（{fmt.cn_month(self.month)}）"

    def summary(self) -> str:
        return narrative.summary_paragraph(self.key, self.policy)

    def attention(self) -> list[str]:
        items = narrative.attention_items(self.homes, self.policy, [w.message for w in self.data.warnings])
        overdue = progress.late_counts(self.progress)["overdue_townships"]
        if overdue:
            items.insert(0, f"{'、'.join(overdue)}有已过期限仍未完成的工作（见“工作进度”）。")
        if self.has_staff:
            items[1:1] = staffing.flags(self.staffing, self.policy)
        if self.form_missing:
            why = self.own_absence
            after = ("上月名单中的人员待报送后核实" if why == absence.NOT_RECEIVED else f"不计入{self.policy.county.whole}合计")
            items.insert(0, f"{self.township}{fmt.cn_month(self.month)}{why.why}，应纳入集中供养、"
                            f"移交处理和就医提醒的人数{why.label}，{after}。")
        elif self.has_assessments:
            ct = self.capacity_totals
            items.insert(0, f"排查评估中有 {fmt.thousands(ct['transfer'])} 人符合纳入敬老院集中供养的条件，"
                            f"{fmt.thousands(self.counts('escalate'))} 人涉及供养费支配或侵权问题需移交处理，"
                            f"{fmt.thousands(self.counts('alert'))} 人生病不能得到及时救治{self.unreported_words()}。")
        return items

    def counts(self, rule: str, township: str | None = None) -> int:
        d = self.decisions[self.decisions["rule"] == rule]
        if township:
            d = d[d["township"] == township]
        return int(len(d))

    def quality_notes(self) -> list[str]:
        """The month's warnings in this briefing's scope: all for the banner; for a township, those
        that concern it (see :meth:`concerns`)."""
        warnings = sorted(self.data.warnings, key=sort_key)
        if self.township is not None:
            warnings = [i for i in warnings if self.township in self.concerns(i)]
        return [i.message for i in warnings]

    def concerns(self, issue) -> set[str]:
        """The townships an issue is about, judged by what it points at, not by the words of its message.

        An assessment form concerns the township of its 填报单位; a row of a table the township it
        names, or the home it names and the townships that home serves; a message that names a
        township or a home (a township or home missing from a table) concerns those too.
        """
        ref = self.reference
        served = {h.name: {t.name for t in ref.townships if h.name in t.served_by} | {h.township}
                  for h in ref.homes}
        out: set[str] = set()
        for t in self.data.tables:
            if t.file != issue.file or (issue.sheet and t.sheet != issue.sheet):
                continue
            if t.unit:
                out.add(t.unit)
            for r in t.rows:
                if r.row == issue.row:
                    for key in ("township", "home"):
                        name = r.values.get(key)
                        if name in served:
                            out |= served[name]
                        elif name:
                            out.add(str(name))
        words = " ".join(issue.names())          # the file, value and fields it names, not its sentence
        out |= {t.name for t in ref.townships if t.name in words}
        for home, towns in served.items():
            if home in words:
                out |= towns
        return out

    def sample_files(self) -> list[str]:
        return [printable(s.name) for s in self.data.sources if s.sample]

    # -- people, masked -------------------------------------------------------------
    def cases(self, rule: str) -> pd.DataFrame:
        """The people a rule applies to in this briefing's scope, masked unless internal."""
        out = self.raw_cases(rule)
        return out if self.internal else mask_people(out)

    def raw_cases(self, rule: str) -> pd.DataFrame:
        """:meth:`cases` unmasked, in the same order (to match people with the follow-up register)."""
        people = self.own_people()
        d = self.decisions[(self.decisions["rule"] == rule) & self.decisions["person"].isin(people.index)]
        return rules.case_list(self.people, d, rule)

    def facts(self) -> dict:
        """The names a notebook's prose may use (:func:`show.prose`): the policy's sections as typed objects.

        document, occupancy (percent, deadline_label, source, ...), training, duties (by key:
        label, due_label, source), staffing, rules (by key: label, source), funds, banner, month, and county
        (the county's words: ``{county.whole}``, ``{county.towns}``, ...).
        """
        p = self.policy
        return {"document": p.document, "occupancy": p.occupancy, "training": p.training,
                "duties": {d.key: d for d in p.duties}, "staffing": p.staffing, "rules": p.rules,
                "funds": p.funds, "banner": p.banner, "county": p.county, "month": self.month}

    def rules_label(self, rule: str) -> str:
        r = self.policy.rules.get(rule)
        return f"{r.label}：方案原文“{r.source}”" if r else rule

    def export_tables(self) -> dict[str, Sheet]:
        """Every computed table of the briefing for the Excel statistics workbook (no personal data).

        Labels, formats and totals come from the output registry (:mod:`tekun_helpers.config.outputs`);
        each sheet is marked as sample data only when its figures come from sample files.
        """
        d = self.data
        out: dict[str, Sheet] = {}

        def sheet(key: str, frame: pd.DataFrame, *sources: pd.DataFrame, total: bool = True) -> None:
            t = outputs.table(key)
            cols = list(t.columns)
            frame = frame.reset_index(drop=True)
            out[t.title] = Sheet(tuple(cols), tables.add_total(frame, cols) if total else frame,
                                 d.from_sample(*sources), self.policy)

        sheet("townships", self.towns, d.townships)
        sheet("homes", self.homes, d.homes)
        # 关键指标: one figure a row, each a number (or a date) formatted by its own registry column, unit included
        shown = [c for c in outputs.KEY_FIGURES if c.key in self.key]
        key = pd.DataFrame([{"item": c.header(self.policy, unit=False),
                             "value": rounding_words(self.key[c.key]) if c.key == "rounding" else self.key[c.key]}
                            for c in shown], columns=["item", "value"])
        sheet("key_figures", key, d.townships, d.homes, total=False)
        out[outputs.table("key_figures").title].row_columns = {"value": tuple(shown)}
        sheet("progress", self.progress.drop(columns=["duty"]), d.progress, d.assessments, total=False)
        c = self.compliance
        if len(c.conflicts):
            masked = mask_people(c.conflicts)      # the export leaves the bureau too: never full names or numbers
            sheet("conflicts", masked.assign(confirmed=masked["confirmed"].map(CONFIRMED)), d.benefits, d.assessments,
                  total=False)
        if c.ledger is not None:
            ledger = c.ledger.assign(problems=c.ledger["findings"].map(findings.sentences))
            for m in ("due", "allocated", "shortfall"):
                ledger[m] = ledger[m].map(lambda v: None if v is None else float(v))
            sheet("funds", ledger, d.funds, d.home_care)
        if self.has_staff:
            sheet("staffing", self.staffing, d.staff, d.homes)
        if self.has_assessments:
            missing = self.unreported()          # no form: no row (not a row of zeros), the 合计 says so

            def sent(df: pd.DataFrame) -> pd.DataFrame:
                return df[~df["township"].isin(missing)]

            sheet("coverage", sent(self.coverage), d.assessments)
            sheet("rule_counts", sent(self.rule_counts), d.assessments)
            for key in ("coverage", "rule_counts"):
                frame = out[outputs.table(key).title].frame
                if missing and len(frame):
                    frame.loc[frame.index[-1], "township"] += self.total_note()
            cap = outputs.table("capacity")
            out[cap.title] = Sheet(cap.columns, sent(self.capacity).reset_index(drop=True),
                                   d.from_sample(d.assessments), self.policy)
        from .followup import export_sheets
        from .inspections import export_sheets as inspection_sheets

        from .complaints import export_sheets as complaint_sheets

        out.update(export_sheets(self))
        out.update(inspection_sheets(self))
        out.update(complaint_sheets(self))
        return out

    # -- comparison with last month -------------------------------------------------
    def trend(self) -> pd.DataFrame:
        if self.township is None:
            return trends.banner_trend(self.months)
        return trends.township_trend(self.months, self.township, list(self.reference.township(self.township).served_by))

    def key_changes(self) -> pd.DataFrame:
        """Key figures last month, this month and the change (banner or township scope)."""
        t = self.trend()
        if self.prev is None or len(t) < 2:
            return pd.DataFrame()
        before, now = t[t["month"] == self.prev.month].iloc[0], t[t["month"] == self.month].iloc[0]
        names = {"dispersed": "分散供养人数", "fully_disabled": "全失能人数", "semi_disabled": "半失能人数",
                 "residents": "敬老院现入住人数" if self.township is None else "承接敬老院现入住人数",
                 "occupancy": "入住率", "homes_at_target": "达到目标的敬老院（所）",
                 "missing_below_target": "未达标院尚缺人数", "assessed": "已评估人数"}
        rows = [{"item": label, "prev": before[k], "now": now[k], "change": now[k] - before[k], "pct": k == "occupancy"}
                for k, label in names.items() if k in t.columns]
        for r in rows:          # a form not received: 未报送, not a fall to zero
            if r["item"] == names["assessed"] and self.form_missing:
                r.update(item=f"{r['item']}（本月{self.own_absence.label}）", now=None, change=None)
            elif r["item"] == names["assessed"] and self.unreported():
                r["item"] += f"（本月{self.unreported_words()[1:-1]}）"
        return pd.DataFrame(rows)

    def leavers(self) -> pd.DataFrame:
        """The people in scope on last month's forms who are neither on this month's forms nor in the
        减少情况表 (人员增减's 未说明原因, by name; :func:`flows.unexplained_leavers`), masked unless internal."""
        from ..analysis import flows

        gone = self.scope.rows(self.shared("leavers", lambda: flows.unexplained_leavers(self.prev, self.data)))
        return gone if self.internal else mask_people(gone)

    def leavers_sentence(self) -> str:
        """'未说明原因（…）：丰收乡二青家洼村 梁*富（身份证号 …）。' for the flow section; '' when there are none."""
        gone = self.leavers()
        if not len(gone):
            return ""
        who = "、".join(f"{r['township']}{r['village']} {r['name']}" + (f"（身份证号 {r['id_number']}）" if r["id_number"] else "")
                       for _, r in gone.iterrows())
        return f"未说明原因的 {len(gone)} 人（上月评估表中有，本月评估表和减少情况表中都没有，请说明去向）：{who}。"

    def township_changes(self) -> pd.DataFrame:
        if self.prev is None:
            return pd.DataFrame()
        return trends.change_table(self.data.townships, self.prev.townships, "township",
                                   ["dispersed", "fully_disabled", "semi_disabled"])

    def home_changes(self) -> pd.DataFrame:
        if self.prev is None:
            return pd.DataFrame()
        def every_home() -> pd.DataFrame:       # month-wide: computed once per month (shared)
            now = stats.home_stats(self.data.homes, self.policy)
            before = stats.home_stats(self.prev.homes, self.policy)
            return trends.change_table(now, before, "home", ["residents", "occupancy", "staff"])

        out = self.shared("home_changes", every_home)
        return out[out["home"].isin(self.own_homes()["home"])].reset_index(drop=True)

    def inspection_ranking(self) -> pd.DataFrame:
        """督查评比: the month's ranking of every home (computed once per briefing; its section and chart)."""
        from ..analysis.inspection import ranking

        return self.once("inspection_ranking", lambda: ranking(self.data))

    # -- charts -------------------------------------------------------------------
    def chart(self, which: str, *, compact: bool = False, side: bool = False, phone: bool = False):
        """One of the briefing's charts; ``compact`` draws it small (:data:`charts.COMPACT`), ``side`` smaller
        still, for a column beside a table (:data:`charts.SIDE`), ``phone`` for a phone's screen (:data:`charts.PHONE`)."""
        from . import charts     # matplotlib on the first chart drawn, not on import (see parts.chart_html)

        charts.use_cjk_font()
        size = (charts.PHONE.get(which) if phone else charts.SIDE.get(which) if side
                else charts.COMPACT.get(which) if compact else None)
        if which == "townships":
            return charts.township_chart(self.towns, size=size, policy=self.policy)
        if which == "occupancy":
            return charts.occupancy_chart(self.homes, self.policy, size=size)
        if which == "missing":
            return charts.missing_chart(self.homes, self.policy, size=size)
        if which == "trend":
            who = self.policy.county.whole if self.township is None else self.township
            return charts.trend_chart(self.trend(), self.policy, f"{who}分散供养人数与敬老院入住率（逐月）", size=size)
        if which == "inspection":   # 督查评比: every home inspected this month (the banner's section)
            return charts.inspection_chart(self.inspection_ranking(), self.policy, phone=phone)
        raise ValueError(which)
