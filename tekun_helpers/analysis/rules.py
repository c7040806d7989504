"""The plan's decisions about each person assessed, with their reasons.

Rules live in policy.toml ([rules.transfer], [rules.escalate], [rules.alert]);
this module only applies them. Every decision carries the reasons that made it.
"""
from __future__ import annotations

import pandas as pd

from ..config.policy import RULE_KEYS, Condition, Policy, Rule  # noqa: F401  (re-exported)
from ..config.schema import ASSESSMENTS, VOCABULARIES
from ..core.exceptions import PolicyError
from ..core.frames import rows_of


def load_rules(policy: Policy) -> dict[str, Rule]:
    """The rules of policy.toml, checked against the schema's fields and vocabularies."""
    fields = {f.key: f for f in ASSESSMENTS.fields}
    for rule in policy.rules.values():
        for c in rule.conditions:
            _check_condition(rule.key, c, fields)
    return dict(policy.rules)


def _check_condition(key: str, c: Condition, fields: dict) -> None:
    f = fields.get(c.field)
    if f is None:
        raise PolicyError(f"policy.toml [rules.{key}]：未知的列 {c.field!r}")
    vocab = VOCABULARIES.get(getattr(f, "vocabulary", ""), None)
    if vocab is not None:
        unknown = [x for x in c.levels if x not in vocab.labels]
        if unknown:
            raise PolicyError(f"policy.toml [rules.{key}]：列 {f.label} 没有填写项 {unknown}，可用：{vocab.labels}")
    for sub in c.any_of:
        _check_condition(key, sub, fields)


def decide(people: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """One row per person and rule that applies: person (index into ``people``), rule, label, reasons, priority.

    ``priority`` orders the transfer list as policy.toml says (:attr:`Rule.priority_text`): -1 for the
    people a ``first`` condition puts at the head, then the index in ``priority_order`` (0: 失能);
    within -1 the same order of self-care applies.
    """
    rules = load_rules(policy)
    records = []
    for idx, r in zip(people.index, rows_of(people)):
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
            # within the people listed first too, the priority order (失能 before 半失能 before 自理)
            level = r.get(rule.priority_field) if rule.priority_field else None
            rank = rule.priority_order.index(level) if level in rule.priority_order else len(rule.priority_order)
            records.append({"person": idx, "township": r.get("township"), "rule": rule.key, "label": rule.label,
                            "reasons": "；".join(reasons), "n_reasons": len(reasons), "priority": prio, "_rank": rank})
    cols = ["person", "township", "rule", "label", "reasons", "n_reasons", "priority"]
    df = pd.DataFrame.from_records(records, columns=[*cols, "_rank"])
    return df.sort_values(["rule", "priority", "_rank", "n_reasons", "person"], ascending=[True, True, True, False, True],
                          kind="stable")[cols].reset_index(drop=True)


def case_list(people: pd.DataFrame, decisions: pd.DataFrame, rule: str) -> pd.DataFrame:
    """The people a rule applies to, in priority order, with their reasons (unmasked: mask before showing)."""
    d = decisions[decisions["rule"] == rule]
    out = people.loc[d["person"].tolist()].copy()
    out["reasons"] = d["reasons"].tolist()
    out["priority"] = d["priority"].tolist()
    return out.reset_index(drop=True)
