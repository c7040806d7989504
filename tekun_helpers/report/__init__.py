"""Briefings: one scope (the banner or a township), its sections, charts, narrative and table styles.

The notebooks import from here::

    from tekun_helpers.report import Briefing, show
"""
from . import show
from .briefing import Briefing

__all__ = ["Briefing", "show"]
