"""What the notebooks display: ``show.title(b)``, ``show.leader_page(b)``, ``show.compliance_section(b)``, ...

Each function renders one part of a briefing from what the analysis and the :class:`Briefing` computed;
they live in the section modules and are gathered here, the one name the notebooks import::

    from tekun_helpers.report import Briefing, show

- :mod:`.opening`:  prose, lead, title, sample_mark, summary, township_summary
- :mod:`.leader`:   leader_page (领导摘要)
- :mod:`.figures`:  chart, chart_pair, township_table, occupancy_note, home_table, comparison
- :mod:`.people`:   assessment_section (排查评估)
- :mod:`.schedule`: progress_section, staffing_section (工作进度, 人员配备)
- :mod:`.money`:    compliance_section (资金与政策衔接)
- :mod:`.followup`: followup_section (上月问题落实情况)
- :mod:`.inspections`: inspection_section (督查评比)
- :mod:`.complaints`: township_complaints_part (举报与媒体反映问题)
- :mod:`.sources`:  data_quality (方法与数据来源)
"""
from __future__ import annotations

from .complaints import township_part as _complaints_part
from .figures import chart, chart_pair, comparison, home_table, occupancy_note, township_table
from .followup import section as followup_section
from .inspections import section as inspection_section
from .inspections import township_part as _township_part
from .leader import leader_page
from .money import compliance_section
from .opening import lead, prose, sample_mark, summary, title, township_summary
from .parts import BANNER_LIST, CHART_ALT
from .people import assessment_section
from .schedule import progress_section, staffing_section
from .sources import SOURCE_FINGERPRINT, data_quality

__all__ = ["prose", "lead", "title", "sample_mark", "summary", "township_summary", "leader_page", "chart", "chart_pair",
           "township_table", "occupancy_note", "home_table", "comparison", "assessment_section", "progress_section",
           "staffing_section", "compliance_section", "followup_section", "inspection_section", "township_inspection_part", "township_complaints_part", "data_quality",
           "BANNER_LIST", "CHART_ALT", "SOURCE_FINGERPRINT"]


def township_inspection_part(b, title: str, intro: str) -> None:
    """A township's 督查评比 part under the notebook's title and intro, with the checklists' sample mark."""
    _township_part(b, title, intro, mark=sample_mark)


def township_complaints_part(b, title: str, intro: str) -> None:
    """A township's 举报与媒体反映问题 part under the notebook's title and intro, with the register's sample mark."""
    _complaints_part(b, title, intro, mark=sample_mark)
