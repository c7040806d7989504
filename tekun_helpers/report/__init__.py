"""Briefings: one scope (the banner or a township), its sections, charts, narrative and table styles.

- :mod:`.briefing`: :class:`Briefing`, what one briefing shows, computed once; :mod:`.facts`: the month-wide
  facts it holds (:class:`~.facts.MonthFacts`).
- :mod:`.show`: what the notebooks call, gathered from the section modules (:mod:`.opening`, :mod:`.leader`,
  :mod:`.figures`, :mod:`.people`, :mod:`.schedule`, :mod:`.money`, :mod:`.followup`, :mod:`.sources`; shared
  rendering in :mod:`.parts`). Sections render frames and findings computed by :mod:`tekun_helpers.analysis`
  and the Briefing.
- :mod:`.actions`: page 1's 本月问题与措施; :mod:`.charts`, :mod:`.narrative`, :mod:`.tables`: charts, sentences,
  table styles; :mod:`.explore`: helpers for the exploration notebook; ``templates/``: the nbconvert template
  (its CSS in ``static/tekun_report.css``).

The notebooks import from here::

    from tekun_helpers.report import Briefing, show
"""
from . import show
from .briefing import Briefing

__all__ = ["Briefing", "show"]
