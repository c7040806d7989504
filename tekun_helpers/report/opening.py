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
