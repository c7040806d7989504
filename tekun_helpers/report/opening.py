"""The briefing's opening: its title, the sample-data marks, the notebook's own prose with the plan's facts,
the summary, and a township's place in the banner.
"""
from __future__ import annotations

from IPython.display import HTML, Markdown, display

from ..core.fmt import percent
from . import sections
from .briefing import Briefing
from .parts import esc, ul as _ul


def prose(b: Briefing, text: str) -> None:
    """Show a notebook's own paragraph (Markdown) with the plan's facts filled in from policy.toml.

    ``text`` names the facts in braces, e.g. ``"力争到{occupancy.deadline_label}，入住率达到{occupancy.percent}以上"``
    or ``"{duties[assessment].due_label}"``; see :meth:`Briefing.facts` for the names. The prose
    stays in the notebook, the numbers and dates come from the one place that holds them.
    """
    display(Markdown(text.format_map(b.facts())))


def lead(b: Briefing, text: str) -> None:
    """A section's lead-in under its heading, with the plan's facts and the county's words filled in as
    :func:`prose` does (``"各{county.towns}……占{county.whole}的比例"``). Call it right after the section's
    :func:`sample_mark`: the report prints it in the heading's own block, as if written in the Markdown cell."""
    display(Markdown(text.format_map(b.facts())), metadata={"tekun": sections.LEAD})


def title(b: Briefing) -> None:
    doc = b.policy.document
    display(HTML(f"<h1>{esc(b.title())}</h1>"
                 f"<p class='tekun-sub'>{esc(b.policy.county.bureau)} · "
                 f"依据《{esc(doc.title)}》（{esc(doc.number)}）</p>"))
    draft_notice(b)
    sample = b.sample_files()
    if sample:
        real = [s.name for s in b.data.sources if not s.sample]
        said = (f"真实数据：{'、'.join(_table_names(real))}；其余 {len(sample)} 个文件" if real
                else f"全部 {len(sample)} 个文件")
        display(HTML(f"<p class='tekun-note'>{esc(said)}为<b>示例数据</b>（程序生成，人物均为虚构），"
                     "用到它们的部分标有“示例数据”，仅供演示，不得作为工作依据。</p>"))


def sample_mark(b: Briefing, *kinds: str) -> None:
    """The mark under a section's heading: which of the inputs its figures come from are sample data.

    ``kinds`` are the inputs the section's figures come from (names of :data:`tekun_helpers.month.INPUT_KINDS`:
    附件1, 附件2, 附件3, 台账, 名册, 资金). When any of them was read from generated sample files the section
    gets a red 示例数据 badge naming them (and the real ones); when all are real, a small grey 真实数据 line;
    when none was read this month, nothing.
    """
    read = b.data.kinds_read(*kinds)
    sample = b.data.sample_kinds(*kinds)
    real = [k for k in read if k not in sample]
    if sample:
        text = f"本节的{'、'.join(sample)}为程序生成的示例数据" + (f"，{'、'.join(real)}为真实数据" if real else "")
        display(HTML(f"<p class='tekun-mark tekun-mark-sample'><b>示例数据</b><span>{esc(text)}</span></p>"))
    elif real:
        display(HTML(f"<p class='tekun-mark tekun-mark-real'>真实数据：{esc('、'.join(real))}</p>"))


def _table_names(files: list[str]) -> list[str]:
    """'附件1 2023年8月分散供养人员分乡镇统计表.xlsx' -> '附件1'; other names as they are, without the extension."""
    out = []
    for f in files:
        stem = f.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        out.append(stem.split(" ", 1)[0] if stem.startswith("附件") else stem)
    return out


def summary(b: Briefing) -> None:
    display(HTML(f"<p>{esc(b.summary())}</p><p>{esc(b.progress_sentence())}</p>"
                 f"<p><b>需要关注：</b></p>{_ul(b.attention())}"))


def township_summary(b: Briefing) -> None:
    """The township's place in the banner; its people, homes and this month's cases are on page 1 (the tiles,
    本月问题与措施 and the homes below target) and its schedule opens 工作进度, so they are not said again."""
    r = b.town_row()
    # the numbers of people are page 1's first tile; here the township's place in the banner
    county = b.policy.county
    text = (f"{b.township}分散供养特困人员人数占{county.whole}的 {percent(r['share_of_banner'])}，"
            f"人数居{county.whole}第 {r['rank']} 位（共 {len(b.towns)} 个{county.towns}）。")
    display(HTML(f"<p class='tekun-town'>{esc(text)}</p>"))     # the mark of a township's briefing (print sizes)


DRAFT_MARK = "草稿"
#: the id of the draft's print style (its mark on every page printed from a browser); publish.render's PDF
#: printer removes it, since its page header carries the same words
DRAFT_MARKS_ID = "tekun-draft-marks"


def draft_reason(errors) -> str | None:
    """Why a report is a draft, for its every page: its month still has errors (``tekun report --draft``
    renders it anyway); None when it has none."""
    n = len(errors)
    return f"{DRAFT_MARK}：数据尚有 {n} 个错误未改正，数字待核实" if n else None


def _counted(b: Briefing, towns: list[str]) -> str:
    """How a draft's totals treat the townships with errors: those whose own 附件3 form has errors are left
    out (:func:`tekun_helpers.month.held_back`), the others' figures counted as sent."""
    held = [t for t in towns if t in b.data.held_back]
    rest = [t for t in towns if t not in held]
    whole = b.policy.county.whole
    words = []
    if held:
        words.append(f"{'、'.join(held) + '的' if rest else '其'}排查评估表（附件3）的数字不计入{whole}合计")
    if rest:
        words.append(f"{'、'.join(rest) if held else '其'}的数字暂按原表计入{whole}合计")
    return "；".join(words)


def draft_notice(b: Briefing) -> None:
    """A draft's notice at the top of the report, before anything else it says: 草稿 and why, the townships
    whose figures are 待核实, and the errors themselves; and the 草稿 mark on every printed page. Nothing
    when the month has no errors (without --draft a month with errors is not rendered at all)."""
    errors = b.data.errors
    reason = draft_reason(errors)
    if reason is None:
        return
    towns = [t for t in b.reference.township_names if any(t in b.concerns(e) for e in errors)]
    if b.township is not None:
        doubt = (f"本报告的数字<b>待核实</b>：{esc(b.township)}报送的表格有错误。" if b.township in towns else "")
    else:
        doubt = (f"{esc('、'.join(towns))}的数字<b>待核实</b>：这些单位报送的表格有错误，"
                 f"{esc(_counted(b, towns))}，改正后以正式报告为准。" if towns else "")
    items = "".join(f"<li>{esc(e.message)}</li>" for e in errors)
    # the reason is this module's own words (a number, no quotes): safe inside the CSS string
    display(HTML(
        f"<style id='{DRAFT_MARKS_ID}'>@media print {{ @page {{ @top-left {{ content: '{reason}'; color: #b42318;"
        " font-size: 8pt; font-weight: bold; vertical-align: bottom; padding-bottom: 3mm; } } }</style>"
        f"<div class='tekun-draft' role='note'><p class='tekun-draft-bar'><b>{DRAFT_MARK}</b>"
        f"<span>{esc(reason)}</span></p>"
        f"<p class='tekun-draft-badge'><b>{DRAFT_MARK}</b>{esc(reason.split('：', 1)[1])}</p>"
        "<p>本报告在数据错误改正之前生成，供掌握进度，不是正式报告；错误改正后请重新生成正式报告。"
        f"{doubt}</p><p><b>尚未改正的错误（{len(errors)} 个）：</b></p><ol>{items}</ol></div>"))
