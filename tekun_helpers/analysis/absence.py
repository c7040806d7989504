"""Why a township's 附件3 figures are left out of a month's totals, and the words for it, declared once.

A form not received is 未报送 (issue 32); in a draft (``tekun report --draft``) a form with errors is held back
and its figures are 待核实 (:func:`tekun_helpers.month.held_back`). Both leave the township out of every total and
statistic; the briefings, the register and the exports take their words from here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormAbsence:
    """Why a township's 附件3 figures are not in a month's totals, and the words for it (declared once here).

    label: what its figures show in their place, and the word of the totals' note
    ("（不含未报送的 1 个）"); why: what its own briefing says of the form; tile: the same, short, under
    page 1's figure.
    """

    key: str
    label: str
    why: str
    tile: str


#: the township's 附件3 form did not come this month
NOT_RECEIVED = FormAbsence("not_received", "未报送", "未报送排查评估表（附件3）", "未收到排查评估表")
#: a draft (``tekun report --draft``): the township's 附件3 form has errors; its figures wait for the correction
HELD_BACK = FormAbsence("held_back", "待核实", "报送的排查评估表（附件3）有错误，待改正后核实", "排查评估表有错误")


def absence_note(absent: dict[str, FormAbsence], towns: str = "") -> str:
    """After a total that leaves out the townships ``absent`` (township -> why): '（不含未报送的 1 个）', or with
    ``towns`` (the county's word) and their names '（不含未报送的 1 个乡镇：四道湾子镇；待核实的 1 个乡镇：丰收乡）';
    '' when none is left out."""
    parts = []
    for status in (NOT_RECEIVED, HELD_BACK):
        names = [t for t, s in absent.items() if s == status]
        if names:
            parts.append(f"{status.label}的 {len(names)} 个{towns}：{'、'.join(names)}" if towns
                         else f"{status.label}的 {len(names)} 个")
    return f"（不含{'；'.join(parts)}）" if parts else ""
