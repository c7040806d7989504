"""The plan's decisions about each person assessed, with their reasons.

Rules live in policy.toml ([rules.transfer], [rules.escalate], [rules.alert]);
this module only applies them. Every decision carries the reasons that made it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .exceptions import PolicyError
from .policy import Policy
from .schema import ASSESSMENTS, VOCABULARIES

RULE_KEYS = ("transfer", "escalate", "alert")


@dataclass(frozen=True)
class Condition:
    field: str
    levels: tuple[str, ...] = ()
    empty: bool = False
    reason: str = ""

    def reason_for(self, row) -> str | None:
        value = row.get(self.field)
        blank = value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""
        if self.empty:
            return self.reason.format(value="") if blank else None
        if not blank and str(value) in self.levels:
            return self.reason.format(value=value)
        return None


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    source: str
    conditions: tuple[Condition, ...]
    priority_field: str | None = None
    priority_order: tuple[str, ...] = ()


def load_rules(policy: Policy) -> dict[str, Rule]:
    """The rules of policy.toml, checked against the schema's fields and vocabularies."""
    out = {}
    fields = {f.key: f for f in ASSESSMENTS.fields}
    for key in RULE_KEYS:
        sec = policy.section("rules", key)
        if not sec:
            continue
        conds = []
        for c in sec.get("when", []):
            f = fields.get(c.get("field"))
            if f is None:
                raise PolicyError(f"policy.toml [rules.{key}]：未知的列 {c.get('field')!r}")
            levels = tuple(c.get("levels", ()))
            vocab = VOCABULARIES.get(getattr(f, "vocabulary", ""), None)
            if vocab is not None:
                unknown = [x for x in levels if x not in vocab.labels]
                if unknown:
                    raise PolicyError(f"policy.toml [rules.{key}]：列 {f.label} 没有填写项 {unknown}，可用：{vocab.labels}")
            conds.append(Condition(f.key, levels, bool(c.get("empty", False)), c.get("reason", f.label)))
        out[key] = Rule(key, sec.get("label", key), sec.get("source", ""), tuple(conds),
                        sec.get("priority_field"), tuple(sec.get("priority_order", ())))
    return out


def decide(people: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """One row per person and rule that applies: person (index into ``people``), rule, label, reasons, priority.

    ``priority`` orders the transfer list (0 first: fully disabled people first, as the plan says).
    """
    rules = load_rules(policy)
    records = []
    for idx, row in people.iterrows():
        r = row.to_dict()
        for rule in rules.values():
            reasons = [x for x in (c.reason_for(r) for c in rule.conditions) if x]
            if not reasons:
                continue
            prio = len(rule.priority_order)
            if rule.priority_field and r.get(rule.priority_field) in rule.priority_order:
                prio = rule.priority_order.index(r.get(rule.priority_field))
            records.append({"person": idx, "township": r.get("township"), "rule": rule.key, "label": rule.label,
                            "reasons": "；".join(reasons), "n_reasons": len(reasons), "priority": prio})
    cols = ["person", "township", "rule", "label", "reasons", "n_reasons", "priority"]
    df = pd.DataFrame.from_records(records, columns=cols)
    return df.sort_values(["rule", "priority", "n_reasons", "person"], ascending=[True, True, False, True],
                          kind="stable").reset_index(drop=True)


def case_list(people: pd.DataFrame, decisions: pd.DataFrame, rule: str) -> pd.DataFrame:
    """The people a rule applies to, in priority order, with their reasons (unmasked: mask before showing)."""
    d = decisions[decisions["rule"] == rule]
    out = people.loc[d["person"].tolist()].copy()
    out["reasons"] = d["reasons"].tolist()
    out["priority"] = d["priority"].tolist()
    return out.reset_index(drop=True)
