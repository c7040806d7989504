"""What a briefing computes from the whole month: the same for the banner and every township.

:class:`MonthFacts` declares each fact with its type and where it comes from; a
:class:`~tekun_helpers.report.briefing.Briefing` computes it once per month (shared by the month's
briefings) and shows each field as an attribute of its own (``b.towns``, ``b.key``, ...).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis import assessment, compliance, progress, rules, staffing, stats
from ..config.schema import ASSESSMENTS


@dataclass
class MonthFacts:
    """The month's statistics, rules, capacity, schedule, staffing and compliance.

    towns:           per township: people, disabled, share and rank (:func:`stats.township_stats`).
    homes:           per home: beds, residents, occupancy, needed and missing (:func:`stats.home_stats`).
    key:             the banner's key figures (:func:`stats.key_figures`), by name.
    decisions:       one row per person and rule that applies (:func:`rules.decide`).
    coverage:        per township: assessed against dispersed (:func:`assessment.coverage`).
    rule_counts:     per township: people per rule (:func:`assessment.rule_counts`).
    capacity:        per township: people to move against the free beds of its homes (:func:`assessment.capacity`).
    capacity_totals: the banner's totals of ``capacity`` (:func:`assessment.capacity_totals`).
    progress:        per township and duty: the schedule's status (:func:`progress.duty_status`).
    staffing:        per home: staff, training, part-time heads (:func:`staffing.home_staffing`).
    compliance:      benefits, money, identity numbers, people to watch (:func:`compliance.build`).
    """

    towns: pd.DataFrame
    homes: pd.DataFrame
    key: dict
    decisions: pd.DataFrame
    coverage: pd.DataFrame
    rule_counts: pd.DataFrame
    capacity: pd.DataFrame
    capacity_totals: dict
    progress: pd.DataFrame
    staffing: pd.DataFrame
    compliance: compliance.Compliance

    @classmethod
    def compute(cls, data, months: list) -> "MonthFacts":
        """The facts of ``data`` (a MonthData); ``months``: the months up to it, for the schedule."""
        policy, month, people = data.policy, data.month, data.assessments
        homes = stats.home_stats(data.homes, policy)
        decisions = rules.decide(people, policy) if len(people) else rules.decide(
            pd.DataFrame(columns=["township", *ASSESSMENTS.keys]), policy)
        counts = assessment.rule_counts(data.townships, people, decisions)
        capacity = assessment.capacity(counts, homes, data.reference)
        return cls(
            towns=stats.township_stats(data.townships), homes=homes,
            key=stats.key_figures(data.townships, data.homes, policy, month), decisions=decisions,
            coverage=assessment.coverage(data.townships, people), rule_counts=counts, capacity=capacity,
            capacity_totals=assessment.capacity_totals(capacity, homes),
            progress=progress.duty_status(data, months, policy),
            staffing=staffing.home_staffing(data.homes, data.staff, data.home_care, month, policy),
            compliance=compliance.build(data, decisions))


class Fact:
    """A field of :class:`MonthFacts` read as an attribute of the briefing (``b.towns``)."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, b, owner=None):
        return self if b is None else getattr(b.month_facts, self.name)
