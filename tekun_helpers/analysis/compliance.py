"""资金与政策衔接: the checks an auditor runs first, for one month.

- benefits that exclude each other (:mod:`tekun_helpers.analysis.exclusions`, rules in policy.toml ``[benefits]``);
- the support money per home (:mod:`tekun_helpers.analysis.funds`, ``[funds]``): due = standard x the people in
  extreme hardship living there (护理型床位与入住构成表), allocated, date, spending by category;
- identity numbers on the assessment forms (invalid, not matching the form's age or sex, repeated);
- people to watch: mental illness and new applicants (rules ``transfer`` with ``first`` and ``placement``).

Frames here hold full names and numbers; :class:`tekun_helpers.report.briefing.Briefing` masks them before showing.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..core.frames import rows_of
from ..core.issues import Issue
from . import exclusions, funds

ID_CODES = {"bad_id": "身份证号有误", "id_mismatch": "与年龄或性别不符", "duplicate_id": "号码重复"}


@dataclass
class Compliance:
    conflicts: pd.DataFrame                      # exclusions.find_conflicts
    rosters: list[str]                           # labels of the benefits whose roster was sent
    ledger: pd.DataFrame | None                  # funds.check_ledger, None without a money ledger
    spending: pd.DataFrame | None                # funds.check_spending, None without a spending list
    id_issues: pd.DataFrame                      # township, kind, count
    watch: pd.DataFrame                          # township, mental_illness, mental_listed, new_applicants, placement
    standard: float | None = None
    standard_is_example: bool = False
    notes: list[str] = field(default_factory=list)


def _benefit_keys(policy) -> dict[str, str]:
    """Benefit label -> its key in policy.toml [benefits]."""
    return {v.label: k for k, v in policy.benefits.items()}


def conflicts(data) -> tuple[pd.DataFrame, list[str]]:
    """Conflicts between the people on the assessment forms and the benefit rosters sent this month."""
    b = data.benefits
    policy_benefits = data.policy.benefits
    if not len(b) or not len(data.assessments):
        return pd.DataFrame(columns=exclusions.COLUMNS), []
    keys = _benefit_keys(data.policy)
    rosters = {}
    for label, frame in b[b["benefit"].notna()].groupby("benefit", sort=False):
        if label in keys:
            rosters[keys[label]] = frame.assign(id_number=frame["id_number"].fillna(""))
    people = data.assessments.assign(id_number=data.assessments["id_number"].fillna(""))
    found = exclusions.find_conflicts(people, rosters, policy_benefits, data.reference.township_names)
    sent = [policy_benefits[k].label for k in policy_benefits if k in rosters]
    return found, sent


def money(data, residents_tekun: dict[str, int] | None = None):
    """(ledger check, spending check, standard, notes); (None, None, ...) when no money ledger was sent."""
    sec = data.policy.funds
    standard = sec.monthly_standard_per_person
    notes = []
    ledger = spending = None
    if len(data.funds):
        if residents_tekun is None:
            hc = data.home_care
            residents_tekun = ({r["home"]: int(r["residents_tekun"]) for r in rows_of(hc)
                                if r.get("residents_tekun") is not None and not pd.isna(r["residents_tekun"])}
                               if len(hc) else {})
            if not residents_tekun:
                notes.append("本月没有护理型床位与入住构成表，无法得到各院入住特困人员数，应拨金额无法核算。")
        if standard and residents_tekun:
            ledger = funds.check_ledger(data.funds, residents_tekun, data.month, standard, sec.allocation_day)
        elif not standard:
            notes.append("民政局尚未设定每人每月拨付标准（为 0），应拨金额无法核算。")
    if len(data.spending):
        spending = funds.check_spending(data.spending, list(sec.forbidden_categories))
    return ledger, spending, standard, notes


def id_issue_counts(issues: list[Issue], people: pd.DataFrame) -> pd.DataFrame:
    """Identity-number issues by township (from the form file they are on) and kind."""
    town_of_file = dict(zip(people["source_file"], people["township"])) if len(people) else {}
    c = Counter((town_of_file.get(i.file, ""), ID_CODES[i.code]) for i in issues if i.code in ID_CODES)
    rows = [{"township": t, "kind": k, "count": n} for (t, k), n in c.items()]
    return pd.DataFrame(rows, columns=["township", "kind", "count"])


def watch_counts(people: pd.DataFrame, decisions: pd.DataFrame, townships: list[str]) -> pd.DataFrame:
    """Per township: people with mental illness, of whom on the transfer list; new applicants, of whom for placement."""
    rows = []
    for town in townships:
        p = people[people["township"] == town] if len(people) else people
        idx = set(p.index)
        d = decisions[decisions["person"].isin(idx)] if len(decisions) else decisions
        mental = p.index[p["mental_illness"] == "是"] if "mental_illness" in p else []
        new = p.index[p["new_applicant"] == "是"] if "new_applicant" in p else []
        transfer = set(d.loc[d["rule"] == "transfer", "person"]) if len(d) else set()
        rows.append({"township": town, "mental_illness": len(mental),
                     "mental_listed": len(set(mental) & transfer), "new_applicants": len(new),
                     "placement": int((d["rule"] == "placement").sum()) if len(d) else 0})
    return pd.DataFrame(rows)


def build(data, decisions: pd.DataFrame) -> Compliance:
    found, sent = conflicts(data)
    ledger, spending, standard, notes = money(data)
    return Compliance(found, sent, ledger, spending, id_issue_counts(data.issues, data.assessments),
                      watch_counts(data.assessments, decisions, data.reference.township_names),
                      standard, data.policy.funds.standard_is_example, notes)
