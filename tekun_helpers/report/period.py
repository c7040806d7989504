"""A period's report (``tekun report --period 2023-08..2024-07``): the year at a glance, as tables.

Every figure comes from the months' own facts, one source: the key figures month by month from the
month data (:mod:`tekun_helpers.analysis.stats`, as :func:`tekun_helpers.analysis.trends.banner_trend`),
the occupancy target of each month from the policy in force that month (``policy.in_force(month)``),
findings opened and closed (by class and by township) from the register of the period's last month, each
township's dispersed people month by month from the months' 附件1, people moved into homes from
each month's 减少情况表 (转入集中供养), money due and paid from each month's funds ledger when there is one.
The notebook ``notebooks/period_report.ipynb`` holds the prose; this module only the tables.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ..analysis import register as register_mod
from ..analysis import stats
from ..analysis import compliance
from ..analysis.flows import TRANSFERRED
from ..analysis.rules import decide
from ..analysis.trends import history
from ..core.fmt import cn_month
from ..core.frames import rows_of
from ..core.months import month_end

MONTH_COLUMNS = ["month", "dispersed", "assessed", "to_move", "moved_in", "beds", "residents", "occupancy",
                 "homes_at_target", "homes", "target", "deadline"]
TARGET_COLUMNS = ["target", "deadline", "span", "item", "township", "reached_in", "status", "occupancy_end"]
FINDING_COLUMNS = ["kind", "opened", "closed", "open_end"]
TOWNSHIP_FINDING_COLUMNS = ["township", "opened", "closed", "open_end"]
MOVE_COLUMNS = ["township", "moved_in"]
HOME_MOVE_COLUMNS = ["home", "township", "moved_in", "residents_start", "residents_end"]
FUND_COLUMNS = ["home", "months", "due", "allocated", "shortfall"]
ADJUSTMENT_COLUMNS = ["effective", "first_month", "source", "changes"]

#: the words for a target's outcome
ON_TIME, LATE, MISSED, NOT_YET, ADJUSTED = "按期达到", "逾期达到", "逾期未达到", "未达到（期限未到）", "调整前未达到"


def parse_period(text: str) -> tuple[str, str]:
    """'2023-08..2024-07' -> ('2023-08', '2024-07'); ValueError in Chinese otherwise."""
    from ..core.months import is_month

    start, sep, end = str(text).partition("..")
    if not sep or not is_month(start) or not is_month(end) or start > end:
        raise ValueError(f"期间应写作 起始月..结束月（如 2023-08..2024-07），实为 {text!r}")
    return start, end


@dataclass
class Period:
    """The tables of a period's report (see the module docstring); ``months`` the months read, ``skipped``
    those in the period whose data have errors (left out), ``policy`` the policy in force at the end."""

    start: str
    end: str
    months: list[str]
    skipped: list[str]
    policy: object
    monthly: pd.DataFrame
    targets: pd.DataFrame
    adjustments: pd.DataFrame
    findings: pd.DataFrame
    moves_township: pd.DataFrame
    moves_home: pd.DataFrame
    funds: pd.DataFrame
    occupancy: pd.DataFrame = field(default_factory=pd.DataFrame)   # home, township, one rate per month
    townships: pd.DataFrame = field(default_factory=pd.DataFrame)   # township, one count per month, change
    township_findings: pd.DataFrame = field(default_factory=pd.DataFrame)   # TOWNSHIP_FINDING_COLUMNS
    sample: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def moved_in(self) -> int:
        return int(self.monthly["moved_in"].sum()) if len(self.monthly) else 0


def _moves(d) -> list[dict]:
    """The rows of the month's 减少情况表 that moved a person into a home."""
    if not len(d.changes):
        return []
    return [ch for ch in rows_of(d.changes) if ch.get("change") == TRANSFERRED]


def _to_move(d) -> int:
    if not len(d.assessments):
        return 0
    return int((decide(d.assessments, d.policy)["rule"] == "transfer").sum())


def _monthly(months: list) -> pd.DataFrame:
    rows = []
    for d in months:
        k = stats.key_figures(d.townships, d.homes, d.policy, d.month)
        rows.append({"month": d.month, "dispersed": k["dispersed"], "assessed": int(len(d.assessments)),
                     "to_move": _to_move(d), "moved_in": len(_moves(d)), "beds": k["beds"],
                     "residents": k["residents"], "occupancy": k["occupancy"], "homes_at_target": k["homes_at_target"],
                     "homes": k["homes"], "target": d.policy.occupancy_target, "deadline": d.policy.occupancy_deadline})
    return pd.DataFrame(rows, columns=MONTH_COLUMNS)


def _outcome(reached: str | None, deadline: dt.date, end: str) -> str:
    if reached is not None:
        return ON_TIME if month_end(reached) <= deadline else LATE
    return MISSED if deadline <= month_end(end) else NOT_YET


def _blocks(months: list) -> list[list]:
    """The months grouped by the occupancy target and deadline in force, in order (an adjustment starts a group)."""
    blocks: list[list] = []
    for d in months:
        key = (d.policy.occupancy_target, d.policy.occupancy_deadline)
        if blocks and (blocks[-1][0].policy.occupancy_target, blocks[-1][0].policy.occupancy_deadline) == key:
            blocks[-1].append(d)
        else:
            blocks.append([d])
    return blocks


def _target_rows(block: list, superseded: bool) -> list[dict]:
    """Rows for one target and deadline: the county and each home, the first month of ``block`` it met it."""
    last = block[-1]
    deadline, target = last.policy.occupancy_deadline, last.policy.occupancy_target
    span = cn_month(last.month) if len(block) == 1 else f"{cn_month(block[0].month)}至{cn_month(last.month)}"
    whole: str | None = None
    reached: dict[str, str] = {}
    for d in block:
        hs = stats.home_stats(d.homes, d.policy)
        for r in rows_of(hs):
            if r["at_target"] and r["home"] not in reached:
                reached[r["home"]] = d.month
        if whole is None and stats.home_totals(hs)["occupancy"] >= target:
            whole = d.month

    def status(got):
        out = _outcome(got, deadline, last.month)
        return ADJUSTED if out == NOT_YET and superseded else out

    end = stats.home_stats(last.homes, last.policy)
    base = {"target": target, "deadline": deadline, "span": span}
    rows = [{**base, "item": last.policy.county.whole, "township": "", "reached_in": whole or "",
             "status": status(whole), "occupancy_end": stats.home_totals(end)["occupancy"]}]
    rows += [{**base, "item": r["home"], "township": r["township"], "reached_in": reached.get(r["home"], ""),
              "status": status(reached.get(r["home"])), "occupancy_end": r["occupancy"]} for r in rows_of(end)]
    return rows


def _targets(months: list) -> pd.DataFrame:
    """Per target and deadline in force in the period (the plan's, then each adjustment's): the county and each
    home, the month it first met it while in force, on time or late, or missed once the deadline passed."""
    blocks = _blocks(months)
    rows = [r for i, b in enumerate(blocks) for r in _target_rows(b, i < len(blocks) - 1)]
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _adjustments(months: list) -> pd.DataFrame:
    """The policy's adjustments in force by the period's end: from which month of the period, and the notice."""
    policy = months[-1].policy
    rows = []
    for a in policy.adjustments:
        first = next((d.month for d in months if a in d.policy.applied), "")
        if not first and a.effective > month_end(months[-1].month):
            continue
        rows.append({"effective": a.effective, "first_month": first, "source": a.source,
                     "changes": "；".join(f"{k} = {v}" for k, v in a.changes)})
    return pd.DataFrame(rows, columns=ADJUSTMENT_COLUMNS)


def _counted(items: pd.DataFrame, start: str, end: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The register's items opened in the period (first seen), closed in it, and still open at its end."""
    opened = items[(items["first_seen"] >= start) & (items["first_seen"] <= end)]
    closed = items[(items["closed_in"] >= start) & (items["closed_in"] <= end) & (items["closed_in"] != "")]
    still = items[items["status"].isin(register_mod.OPEN_STATUSES)]
    return opened, closed, still


def _findings(reg, start: str, end: str) -> pd.DataFrame:
    """Per kind of finding: opened in the period (first seen), closed in it, still open at its end."""
    items = reg.items
    if not len(items):
        return pd.DataFrame(columns=FINDING_COLUMNS)
    opened, closed, still = _counted(items, start, end)
    kinds = list(dict.fromkeys(list(opened["kind"]) + list(closed["kind"]) + list(still["kind"])))
    rows = [{"kind": k, "opened": int((opened["kind"] == k).sum()), "closed": int((closed["kind"] == k).sum()),
             "open_end": int((still["kind"] == k).sum())} for k in kinds]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def _township_findings(reg, start: str, end: str, last) -> pd.DataFrame:
    """Per township (official order; the same counts as :func:`_findings`, split by the finding's township): opened
    in the period, closed in it, still open at its end. A finding of no township (one the county's bureau owns)
    is counted in a last row named with the county's words (全旗（不属某个乡镇苏木街道）)."""
    items = reg.items
    if not len(items):
        return pd.DataFrame(columns=TOWNSHIP_FINDING_COLUMNS)
    county = last.policy.county
    no_town = county.fill("{whole}（不属某个{towns}）")
    town = items["township"].fillna("").astype(str).replace("", no_town)
    opened, closed, still = (town[f.index] for f in _counted(items, start, end))
    seen = set(opened) | set(closed) | set(still)
    official = last.reference.township_names
    order = [t for t in official if t in seen] + sorted(t for t in seen if t not in official and t != no_town) + \
        ([no_town] if no_town in seen else [])
    rows = [{"township": t, "opened": int((opened == t).sum()), "closed": int((closed == t).sum()),
             "open_end": int((still == t).sum())} for t in order]
    return pd.DataFrame(rows, columns=TOWNSHIP_FINDING_COLUMNS)


def _townships(months: list) -> pd.DataFrame:
    """One row per township of the last month's reference (official order): its dispersed people (附件1) in each
    month of the period (None: the month's 附件1 has no row for it) and the change from its first month with a
    figure to its last."""
    last = months[-1]
    rows = {t: {"township": t} for t in last.reference.township_names}
    for d in months:
        for t, n in zip(d.townships["township"], d.townships["dispersed"]) if len(d.townships) else ():
            if t in rows and n is not None and not pd.isna(n):
                rows[t][d.month] = int(n)
    for r in rows.values():
        known = [r[d.month] for d in months if d.month in r]
        r["change"] = known[-1] - known[0] if known else None
    return pd.DataFrame(list(rows.values()), columns=["township", *[d.month for d in months], "change"])


def _moves_tables(months: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People moved into homes over the months, per township (their township) and per home."""
    by_town: dict[str, int] = {}
    by_home: dict[str, int] = {}
    for d in months:
        for ch in _moves(d):
            town, home = ch.get("township") or "", ch.get("home") or ""
            by_town[town] = by_town.get(town, 0) + 1
            if home:
                by_home[home] = by_home.get(home, 0) + 1
    first, last = months[0], months[-1]
    towns = [t for t in last.reference.township_names if t in by_town] + \
            [t for t in by_town if t not in last.reference.township_names]
    township = pd.DataFrame([{"township": t, "moved_in": by_town[t]} for t in towns], columns=MOVE_COLUMNS)
    start = dict(zip(first.homes["home"], first.homes["residents"]))
    rows = [{"home": r["home"], "township": r["township"], "moved_in": by_home.get(r["home"], 0),
             "residents_start": int(start[r["home"]]) if r["home"] in start else None,
             "residents_end": int(r["residents"])} for r in rows_of(last.homes)]
    return township, pd.DataFrame(rows, columns=HOME_MOVE_COLUMNS)


def _funds(months: list) -> tuple[pd.DataFrame, list[str]]:
    """Per home, the sum over the months whose funds ledger could be checked: money due, allocated, short."""
    acc: dict[str, dict] = {}
    missing = []
    for d in months:
        ledger = compliance.money(d)[0] if len(d.funds) else None
        if ledger is None:
            missing.append(d.month)
            continue
        for r in rows_of(ledger):
            a = acc.setdefault(r["home"], {"home": r["home"], "months": 0, "due": 0, "allocated": 0, "shortfall": 0})
            a["months"] += 1
            for k in ("due", "allocated", "shortfall"):
                a[k] += float(r[k]) if r[k] is not None else 0.0
    return pd.DataFrame(list(acc.values()), columns=FUND_COLUMNS), missing


def build(start: str, end: str, data_dir=None) -> Period:
    """The period's tables from the months ``start``..``end`` (inclusive) whose data load without errors.

    The findings come from the register of the period's last month (built over every valid month up to it, so
    a finding first seen before the period is not counted as opened in it). ValueError when no month of the
    period can be read."""
    ok, skipped = history(end, data_dir)
    months = [d.whole() for d in ok if d.month >= start]
    if not months:
        raise ValueError(f"{start} 至 {end} 没有可用的月份数据")
    reg = register_mod.built(ok)
    township, homes = _moves_tables(months)
    money, no_ledger = _funds(months)
    notes = [f"{'、'.join(no_ledger)} 没有资金拨付台账（或无法核算应拨金额），资金合计不含这些月份。"] if no_ledger else []
    if skipped := [m for m in skipped if m >= start]:
        notes.append(f"{'、'.join(skipped)} 的数据有错误，未计入。")
    return Period(start, end, [d.month for d in months], skipped, months[-1].policy, _monthly(months),
                  _targets(months), _adjustments(months), _findings(reg, start, end), township, homes, money,
                  occupancy=_occupancy(months), townships=_townships(months),
                  township_findings=_township_findings(reg, start, end, months[-1]),
                  sample=any(d.is_sample or d.sample_kinds() for d in months), notes=notes)


def load(path) -> Period:
    """The period's tables as :func:`build` made them and ``tekun report --period`` saved them (a pickle the
    command writes for the notebook, so that the tables are computed once for HTML, PDF and Excel)."""
    import pickle
    from pathlib import Path

    p = pickle.loads(Path(path).read_bytes())
    if not isinstance(p, Period):
        raise TypeError(f"{path} 不是期间报告的表格")
    return p


def _occupancy(months: list) -> pd.DataFrame:
    """One row per home of the last month: its occupancy in each month of the period (None: not in that month)."""
    last = months[-1]
    rows = {r["home"]: {"home": r["home"], "township": r["township"]} for r in rows_of(last.homes)}
    for d in months:
        for r in rows_of(stats.home_stats(d.homes, d.policy)):
            if r["home"] in rows:
                rows[r["home"]][d.month] = r["occupancy"]
    return pd.DataFrame(list(rows.values()), columns=["home", "township", *[d.month for d in months]])


# -- shown: HTML tables and Excel sheets, labels and formats from the output registry ----------------------

#: (registry table, Period attribute, with a 合计 row) in the order the report and the workbook show them
SHOWN = (("period_months", "monthly", False), ("period_targets", "targets", False),
         ("period_adjustments", "adjustments", False), ("period_findings", "findings", True),
         ("period_moves_townships", "moves_township", True), ("period_moves_homes", "moves_home", True),
         ("period_funds", "funds", True), ("period_occupancy", "occupancy", False),
         ("period_townships", "townships", True), ("period_township_findings", "township_findings", True))


def columns_of(p: Period, key: str, months: list[str] | None = None) -> list:
    """The registry's columns of ``key``, with the month columns of the tables that have one per month (``months``:
    those of the period by default)."""
    from ..config import outputs

    cols = list(outputs.table(key).columns)
    months = p.months if months is None else months
    if key == "period_occupancy":
        return cols + outputs.month_ratio_columns(months)
    if key == "period_townships":
        return cols[:1] + outputs.month_count_columns(months) + cols[1:]
    return cols


def frame_of(p: Period, key: str) -> pd.DataFrame:
    """The frame shown for the registry table ``key`` (a 合计 row added where SHOWN says)."""
    from .tables import add_total

    attr, total = next((a, t) for k, a, t in SHOWN if k == key)
    df = getattr(p, attr)
    return add_total(df, columns_of(p, key)) if total else df


def table(p: Period, key: str):
    """The HTML table (a Styler) of the registry table ``key``."""
    from .tables import styled

    _, total = next((a, t) for k, a, t in SHOWN if k == key)
    return styled(frame_of(p, key), columns_of(p, key), policy=p.policy, total_row=total and len(getattr(p, _)) > 0,
                  wrap=("source", "changes"))


def sheets(p: Period) -> dict:
    """The workbook's sheets: sheet name -> Sheet, one per table of SHOWN."""
    from ..config import outputs

    return {outputs.table(k).title: outputs.Sheet(tuple(columns_of(p, k)), frame_of(p, k), sample=p.sample,
                                                  policy=p.policy) for k, _, _ in SHOWN}


def _said(kind: str, value) -> str:
    from ..config.outputs import Column

    return Column("x", "", kind).text(value)


def target_words(p: Period) -> str:
    """Sentences on the occupancy targets: per target in force, when the county reached it, and the homes on time,
    late, missing or not yet there."""
    from ..config.outputs import DATE, MONTH, RATIO

    out = []
    for _, t in p.targets.groupby(["target", "deadline"], sort=False):
        whole, homes = t.iloc[0], t.iloc[1:]
        when = f"于{_said(MONTH, whole['reached_in'])}首次达到" if whole["reached_in"] else "期内未达到"
        head = (f"{whole['item']}总体入住率{when}{_said(RATIO, whole['target'])}的目标"
                f"（期限{_said(DATE, whole['deadline'])}，{whole['status']}）")
        parts = [f"{int((homes['status'] == s).sum())} 所{s}" for s in (ON_TIME, LATE, MISSED, NOT_YET, ADJUSTED)
                 if (homes["status"] == s).any()]
        missing = list(homes.loc[homes["status"].isin((MISSED, NOT_YET, ADJUSTED)), "item"])
        tail = f"：{'、'.join(missing)}" if missing else ""
        out.append(f"{head}；{len(homes)} 所敬老院中" + "、".join(parts) + tail + "。")
    return "".join(out)


def headline(p: Period) -> dict:
    """The figures of the report's summary paragraph, shown as the registry says (counts as numbers)."""
    from ..config.outputs import DATE, RATIO

    m = p.monthly
    first, last = m.iloc[0], m.iloc[-1]
    f = p.findings
    return {"dispersed_start": int(first["dispersed"]), "dispersed_end": int(last["dispersed"]),
            "moved_in": p.moved_in, "residents_start": int(first["residents"]), "residents_end": int(last["residents"]),
            "occupancy_start": _said(RATIO, first["occupancy"]), "occupancy_end": _said(RATIO, last["occupancy"]),
            "target": _said(RATIO, last["target"]), "deadline": _said(DATE, last["deadline"]),
            "homes_at_target_end": int(last["homes_at_target"]),
            "homes_below_end": int(last["homes"]) - int(last["homes_at_target"]),
            "opened": int(f["opened"].sum()) if len(f) else 0, "closed": int(f["closed"].sum()) if len(f) else 0,
            "open_end": int(f["open_end"].sum()) if len(f) else 0, "target_words": target_words(p)}


def target_tables(p: Period) -> list:
    """One HTML table per target in force in the period (object, its township, first month met, outcome, the
    rate at the end of the months it was in force): a printed page holds them, the target stated above each."""
    from ..config import outputs
    from .tables import styled

    cols = [outputs.table("period_targets").column(k)
            for k in ("item", "township", "reached_in", "status", "occupancy_end")]
    return [styled(t.reset_index(drop=True), cols, policy=p.policy,
                   caption=f"入住率目标{_said(outputs.RATIO, t.iloc[0]['target'])}，期限{_said(outputs.DATE, t.iloc[0]['deadline'])}"
                           f"（适用{t.iloc[0]['span']}）")
            for _, t in p.targets.groupby(["target", "deadline"], sort=False)]


def township_tables(p: Period, per: int = 6) -> list:
    """Each township's dispersed people month by month as HTML tables of ``per`` months each (the last with the
    change over the period), a 合计 row under each."""
    from .tables import add_total, styled

    df = frame_of(p, "period_townships")
    out = []
    for i in range(0, len(p.months), per):
        cols = columns_of(p, "period_townships", p.months[i:i + per])
        if i + per < len(p.months):
            cols = cols[:-1]                         # the change: with the last months
        out.append(styled(df, cols, policy=p.policy, total_row=len(p.townships) > 0))
    return out


def occupancy_tables(p: Period, per: int = 6) -> list:
    """The homes' occupancy month by month as HTML tables of ``per`` months each (12 months side by side do not
    fit a printed page)."""
    from ..config import outputs
    from .tables import styled

    home = outputs.table("period_occupancy").column("home")
    return [styled(p.occupancy, [home, *outputs.month_ratio_columns(p.months[i:i + per])], policy=p.policy)
            for i in range(0, len(p.months), per)]
