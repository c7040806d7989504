"""Everything a briefing shows, computed once from the month's data.

The notebooks are thin: they build a :class:`Briefing` from their parameters
and display its parts between their own prose. Tests use the same object, so
what a report shows is what the tests check.
"""
from __future__ import annotations

import pandas as pd

from ..analysis import assessment, compliance, progress, rules, staffing, stats, trends
from ..config.schema import ASSESSMENTS
from ..core import fmt
from ..core.exceptions import ParameterError, ValidationFailed
from ..core.issues import format_table, sort_key
from ..io.privacy import mask_people
from ..month import MonthData, load_month
from . import charts, narrative


class Briefing:
    """The month's statistics, rules and prose.

    month:    'YYYY-MM'.
    data_dir: data folder (None: the project's data/).
    township: None for the banner briefing, else the township's official name.
    internal: True shows full names and ages (internal case lists only); default masked.
    """

    def __init__(self, month: str, data_dir=None, *, township: str | None = None, internal: bool = False,
                 data: MonthData | None = None):
        self.data = data or load_month(month, data_dir, cache=True)
        if self.data.errors:
            raise ValidationFailed(f"{month} 的数据有 {len(self.data.errors)} 个错误，无法生成报告：\n"
                                   f"{format_table(self.data.issues)}", self.data.issues)
        self.month = month
        self.internal = internal
        self.policy = self.data.policy
        self.reference = self.data.reference
        if township is not None and township not in self.reference.township_names:
            official, closest = self.reference.match("townships", str(township))
            hint = f"是否为“{official or closest}”？" if (official or closest) else \
                f"可用的名称见 data/reference/townships.csv（共 {len(self.reference.township_names)} 个）。"
            raise ParameterError(f"township = “{township}”不是已知的乡镇苏木街道，{hint}")
        self.township = township
        self.banner = self.policy.banner
        self.towns = stats.township_stats(self.data.townships)
        self.homes = stats.home_stats(self.data.homes, self.policy)
        self.key = stats.key_figures(self.data.townships, self.data.homes, self.policy, month)
        self.people = self.data.assessments
        self.decisions = rules.decide(self.people, self.policy) if len(self.people) else rules.decide(
            pd.DataFrame(columns=["township", *ASSESSMENTS.keys]), self.policy)
        self.coverage = assessment.coverage(self.data.townships, self.people)
        self.rule_counts = assessment.rule_counts(self.data.townships, self.people, self.decisions)
        self.capacity = assessment.capacity(self.rule_counts, self.homes, self.reference)
        self.capacity_totals = assessment.capacity_totals(self.capacity, self.homes)
        # earlier months, for the comparison with last month and the trend
        self.data_dir = self.data.folder.parent
        self.months, self.skipped_months = trends.history(month, self.data_dir)
        if not any(d.month == month for d in self.months):
            self.months.append(self.data)
        self.prev = trends.previous(month, self.months)
        # the plan's schedule and the homes' staff
        self.progress = progress.duty_status(self.data, self.months, self.policy)
        self.staffing = staffing.home_staffing(self.data.homes, self.data.staff, self.data.home_care, month, self.policy)
        # 资金与政策衔接
        self.compliance = compliance.build(self.data, self.decisions)

    # -- scope ---------------------------------------------------------------
    @property
    def has_assessments(self) -> bool:
        return len(self.people) > 0

    def town_row(self) -> pd.Series:
        return self.towns[self.towns["township"] == self.township].iloc[0]

    def own_homes(self) -> pd.DataFrame:
        """The homes serving this briefing's township (all homes for the banner)."""
        if self.township is None:
            return self.homes
        names = self.reference.township(self.township).served_by
        return self.homes[self.homes["home"].isin(names)].reset_index(drop=True)

    def own_progress(self) -> pd.DataFrame:
        """Duty statuses of this briefing's township (all townships for the banner)."""
        if self.township is None:
            return self.progress
        return self.progress[self.progress["township"] == self.township].reset_index(drop=True)

    def own_staffing(self) -> pd.DataFrame:
        """Staffing of the homes serving this briefing's township (all homes for the banner)."""
        if self.township is None:
            return self.staffing
        return self.staffing[self.staffing["home"].isin(self.own_homes()["home"])].reset_index(drop=True)

    @property
    def has_staff(self) -> bool:
        return len(self.data.staff) > 0

    @property
    def has_ledger(self) -> bool:
        return len(self.data.progress) > 0

    def progress_sentence(self) -> str:
        return progress.summary_sentence(self.own_progress(), self.month)

    def own_conflicts(self) -> pd.DataFrame:
        """Benefit conflicts in this briefing's scope, names and identity numbers masked unless internal."""
        c = self.compliance.conflicts
        if self.township is not None:
            c = c[c["township"] == self.township]
        return c.reset_index(drop=True) if self.internal else mask_people(c).reset_index(drop=True)

    def own_money(self) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """The money ledger and spending checks of the homes serving this briefing's township."""
        ledger, spending = self.compliance.ledger, self.compliance.spending
        if self.township is not None:
            names = set(self.own_homes()["home"])
            ledger = None if ledger is None else ledger[ledger["home"].isin(names)].reset_index(drop=True)
            spending = None if spending is None else spending[spending["home"].isin(names)].reset_index(drop=True)
        return ledger, spending

    def own_people(self) -> pd.DataFrame:
        if self.township is None:
            return self.people
        return self.people[self.people["township"] == self.township]

    # -- prose ------------------------------------------------------------------
    def title(self) -> str:
        who = self.banner if self.township is None else f"{self.banner}{self.township}"
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
        if self.has_assessments:
            ct = self.capacity_totals
            items.insert(0, f"排查评估中有 {fmt.thousands(ct['transfer'])} 人符合纳入敬老院集中供养的条件，"
                            f"{fmt.thousands(self.counts('escalate'))} 人涉及供养费支配或侵权问题需移交处理，"
                            f"{fmt.thousands(self.counts('alert'))} 人生病不能得到及时救治。")
        return items

    def counts(self, rule: str, township: str | None = None) -> int:
        d = self.decisions[self.decisions["rule"] == rule]
        if township:
            d = d[d["township"] == township]
        return int(len(d))

    def quality_notes(self) -> list[str]:
        return [i.message for i in sorted(self.data.warnings, key=sort_key)]

    def sample_files(self) -> list[str]:
        return [s.name for s in self.data.sources if s.sample]

    # -- people, masked -------------------------------------------------------------
    def cases(self, rule: str) -> pd.DataFrame:
        """The people a rule applies to in this briefing's scope, masked unless internal."""
        people = self.own_people()
        d = self.decisions[(self.decisions["rule"] == rule) & self.decisions["person"].isin(people.index)]
        out = rules.case_list(self.people, d, rule)
        return out if self.internal else mask_people(out)

    def facts(self) -> dict:
        """The names a notebook's prose may use (:func:`show.prose`): the policy's sections as typed objects.

        document, occupancy (percent, deadline_label, source, ...), training, duties (by key:
        label, due_label, source), staffing, rules (by key: label, source), funds, banner, month.
        """
        p = self.policy
        return {"document": p.document, "occupancy": p.occupancy, "training": p.training,
                "duties": {d.key: d for d in p.duties}, "staffing": p.staffing, "rules": p.rules,
                "funds": p.funds, "banner": p.banner, "month": self.month}

    def rules_label(self, rule: str) -> str:
        r = self.policy.rules.get(rule)
        return f"{r.label}：方案原文“{r.source}”" if r else rule

    def export_tables(self) -> dict[str, pd.DataFrame]:
        """Every computed table of the briefing, with Chinese column names, for the Excel export (no personal data)."""
        t = self.towns.rename(columns={"township": "乡镇苏木街道", "dispersed": "分散供养人数", "fully_disabled": "全失能人数",
                                       "semi_disabled": "半失能人数", "disabled": "失能合计", "fully_share": "全失能占比",
                                       "semi_share": "半失能占比", "disabled_share": "失能占比",
                                       "share_of_banner": "占全旗比例", "rank": "排名"})
        tp = self.policy.target_percent
        h = self.homes.rename(columns={"home": "敬老院", "township": "所在乡镇", "beds": "床位（张）", "residents": "现入住（人）",
                                       "staff": "工作人员", "occupancy": "入住率", "needed": f"{tp}应住人数",
                                       "gap": f"达到{tp}还应入住人数（净）", "missing": "未达标院尚缺人数",
                                       "at_target": "已达标", "over_capacity": "超员", "free_beds": "空余床位",
                                       "residents_per_staff": "每名工作人员服务人数"})
        h["已达标"] = h["已达标"].map({True: "是", False: "否"})
        h["超员"] = h["超员"].map({True: "是", False: "否"})
        key = pd.DataFrame([(k, v if not hasattr(v, "isoformat") else v.isoformat()) for k, v in self.key.items()],
                           columns=["指标（英文键）", "数值"])
        out = {"乡镇统计": t, "敬老院统计": h, "关键指标": key}
        out["工作进度"] = self.progress.assign(
            done_on=lambda d: d["done_on"].map(lambda x: x.isoformat() if x is not None else ""),
            due=lambda d: d["due"].map(lambda x: x.isoformat())).drop(columns=["duty"]).rename(columns={
                "township": "乡镇苏木街道", "short": "工作", "status": "状态", "done_on": "完成日期", "due": "期限",
                "detail": "说明"})
        c = self.compliance
        if len(c.conflicts):
            masked = mask_people(c.conflicts)      # the export leaves the bureau too: never full names or numbers
            out["政策衔接"] = masked.assign(confirmed=masked["confirmed"].map({True: "已确认", False: "待核实"})).drop(
                columns=["people_source", "roster_source"]).rename(columns={
                    "township": "乡镇苏木街道", "village": "村/居委会", "name": "姓名", "id_number": "身份证号",
                    "benefit": "同时享受", "rule": "方案规定", "confirmed": "比对结果", "basis": "依据", "to_stop": "应停止"})
        if c.ledger is not None:
            def num(v):
                return None if v is None else float(v)
            out["资金拨付"] = pd.DataFrame({
                "敬老院": c.ledger["home"], "入住特困人员": c.ledger["residents"],
                "应拨（元）": c.ledger["due"].map(num), "实拨（元）": c.ledger["allocated"].map(num),
                "差额（元）": c.ledger["shortfall"].map(num),
                "拨付日期": c.ledger["allocated_on"].map(lambda d: d.isoformat() if d is not None else ""),
                "期限": c.ledger["deadline"].map(lambda d: d.isoformat()),
                "问题": c.ledger["flags"].map(lambda f: "；".join(f))})
        if self.has_staff:
            yes_no = {True: "是", False: "否"}
            out["敬老院人员配备"] = self.staffing.assign(
                reported=lambda d: d["reported"].map(yes_no), head_part_time=lambda d: d["head_part_time"].map(yes_no),
                head_missing=lambda d: d["head_missing"].map(yes_no),
                ratio_over_norm=lambda d: d["ratio_over_norm"].map(yes_no)).rename(columns={
                    "home": "敬老院", "township": "所在乡镇", "reported": "已报送台账", "staff_listed": "台账人数",
                    "care_workers": "护理人员", "trained": "培训达标", "not_trained": "培训未达标或未填",
                    "head_part_time": "负责人兼职", "head_missing": "缺负责人", "residents": "现入住（人）",
                    "residents_per_care_worker": "每名护理人员服务人数", "ratio_over_norm": "超过配备标准",
                    "nursing_beds": "护理型床位", "residents_tekun": "入住特困人员", "residents_other": "入住社会老人"})
        if self.has_assessments:
            out["评估覆盖"] = self.coverage.rename(columns={"township": "乡镇苏木街道", "dispersed": "分散供养人数",
                                                        "assessed": "已评估", "to_assess": "未评估", "coverage": "覆盖率"})
            out["处理意见"] = self.rule_counts.rename(columns={"township": "乡镇苏木街道", "transfer": "应纳入集中供养",
                                                           "escalate": "移交处理", "alert": "就医提醒",
                                                           "transfer_fully_disabled": "应纳入者中失能"})
            out["承接能力"] = self.capacity.rename(columns={"township": "乡镇苏木街道", "homes": "承接敬老院",
                                                        "transfer": "应纳入集中供养", "free_beds": "空余床位",
                                                        "missing_to_target": "距目标尚缺", "beds_short": "床位缺口",
                                                        "shared": "与其他乡镇共用"}).assign(
                与其他乡镇共用=lambda d: d["与其他乡镇共用"].map({True: "是", False: "否"}))
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
        return pd.DataFrame(rows)

    def township_changes(self) -> pd.DataFrame:
        if self.prev is None:
            return pd.DataFrame()
        return trends.change_table(self.data.townships, self.prev.townships, "township",
                                   ["dispersed", "fully_disabled", "semi_disabled"])

    def home_changes(self) -> pd.DataFrame:
        if self.prev is None:
            return pd.DataFrame()
        now = stats.home_stats(self.data.homes, self.policy)
        before = stats.home_stats(self.prev.homes, self.policy)
        out = trends.change_table(now, before, "home", ["residents", "occupancy", "staff"])
        return out[out["home"].isin(self.own_homes()["home"])].reset_index(drop=True)

    # -- charts -------------------------------------------------------------------
    def chart(self, which: str):
        charts.use_cjk_font()
        if which == "townships":
            return charts.township_chart(self.towns)
        if which == "occupancy":
            return charts.occupancy_chart(self.homes, self.policy)
        if which == "missing":
            return charts.missing_chart(self.homes, self.policy)
        if which == "trend":
            who = "全旗" if self.township is None else self.township
            return charts.trend_chart(self.trend(), self.policy, f"{who}分散供养人数与敬老院入住率（逐月）")
        raise ValueError(which)
