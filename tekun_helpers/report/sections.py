"""The titles of the briefings' sections that the prose refers to by name (见“方法与数据来源”一节).

The notebooks' headings carry the titles; a test checks that each notebook has a section of each title here,
so a renamed heading cannot leave a sentence pointing to a section that is not there."""
from __future__ import annotations

SOURCES = "方法与数据来源"
ASSESSMENT = "排查评估"

TITLES = (SOURCES, ASSESSMENT)

#: the metadata value (``{"tekun": LEAD}``) of an output that is a section's lead-in (``show.lead``), which the
#: report moves into its heading's cell (:class:`tekun_helpers.publish.numbering.SectionMarks`)
LEAD = "lead"


def see(title: str) -> str:
    """“方法与数据来源”一节, as a sentence points to a section."""
    return f"“{title}”一节"
