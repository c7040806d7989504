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

RULE_KEYS = ("transfer", "placement", "escalate", "alert")


@dataclass(frozen=True)
class Condition:
    """One ``when`` of a rule: a field's answer is one of ``levels`` (or empty, with ``empty``).

    any_of: further conditions of which at least one must hold too; their reasons fill ``{also}``.
    first:  a person meeting this condition heads the list, before the priority order.
    """

    field: str
    levels: tuple[str, ...] = ()
    empty: bool = False
    reason: str = ""
    any_of: tuple["Condition", ...] = ()
    first: bool = False

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
    key: str
    label: str
    source: str
    conditions: tuple[Condition, ...]
    priority_field: str | None = None
    priority_order: tuple[str, ...] = ()
    requires: str | None = None     # applies only to people another rule (its key) applies to


def load_rules(policy: Policy) -> dict[str, Rule]:
    """The rules of policy.toml, checked against the schema's fields and vocabularies."""
    out = {}
    fields = {f.key: f for f in ASSESSMENTS.fields}
    for key in RULE_KEYS:
        sec = policy.section("rules", key)
        if not sec:
            continue
        conds = tuple(_condition(key, c, fields) for c in sec.get("when", []))
        requires = sec.get("requires")
        if requires is not None and requires not in RULE_KEYS:
            raise PolicyError(f"policy.toml [rules.{key}]：requires 应为 {RULE_KEYS} 之一，实际为 {requires!r}")
        out[key] = Rule(key, sec.get("label", key), sec.get("source", ""), conds,
                        sec.get("priority_field"), tuple(sec.get("priority_order", ())), requires)
    return out


def _condition(key: str, c: dict, fields: dict) -> Condition:
    f = fields.get(c.get("field"))
    if f is None:
        raise PolicyError(f"policy.toml [rules.{key}]：未知的列 {c.get('field')!r}")
    levels = tuple(c.get("levels", ()))
    vocab = VOCABULARIES.get(getattr(f, "vocabulary", ""), None)
    if vocab is not None:
        unknown = [x for x in levels if x not in vocab.labels]
        if unknown:
            raise PolicyError(f"policy.toml [rules.{key}]：列 {f.label} 没有填写项 {unknown}，可用：{vocab.labels}")
    subs = tuple(_condition(key, x, fields) for x in c.get("any_of", []))
    return Condition(f.key, levels, bool(c.get("empty", False)), c.get("reason", f.label), subs, bool(c.get("first", False)))


def decide(people: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """One row per person and rule that applies: person (index into ``people``), rule, label, reasons, priority.

    ``priority`` orders the transfer list (0 first: fully disabled people first, as the plan says).
    """
    rules = load_rules(policy)
    records = []
    for idx, r in zip(people.index, people.to_dict("records")):
        found: dict[str, list[str]] = {}
        for rule in rules.values():
            hits = [(c, x) for c in rule.conditions for x in [c.reason_for(r)] if x]
            if rule.requires is not None:
                if not found.get(rule.requires):
                    continue
                if hits:       # the reasons that make the person unsuited to home care follow
                    hits += [(None, x) for x in found[rule.requires]]
            reasons = [x for _, x in hits]
            if not reasons:
                continue
            found[rule.key] = reasons
            prio = len(rule.priority_order)
            if rule.priority_field and r.get(rule.priority_field) in rule.priority_order:
                prio = rule.priority_order.index(r.get(rule.priority_field))
            if any(c is not None and c.first for c, _ in hits):
                prio = -1
                reasons = [x for c, x in hits if c is not None and c.first] + [x for c, x in hits if not (c and c.first)]
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
