"""方法与数据来源: the month's data warnings and the files the figures come from.
"""
from __future__ import annotations

from IPython.display import HTML, display

from ..core.text import printable
from . import tables
from .briefing import Briefing
from .parts import esc, line as _line, ul as _ul


def data_quality(b: Briefing) -> None:
    notes = b.quality_notes()
    title = "数据检查警告"
    back = "" if b.scope.whole else "tekun-back"     # a township's back matter prints small (the banner's is longer)
    display(HTML(_line(title, notes[0], back) if len(notes) == 1 else f"<h3>{esc(title)}</h3>" + _ul(notes) if notes
                 else _line(title, "本月数据未发现问题。", back)))
    label = {c.key: c.header() for c in tables.columns("sources")}
    if not b.scope.whole:
        # a township's own files, by short name (附件1, 附件3 新惠镇 ...); their fingerprints are in the banner's list
        sources = [s for s in b.data.sources if b.township in s.name or not _is_form_of_another(b, s.name)]
        sources.sort(key=lambda s: not _short_name(s.name, b.township).startswith("附件"))   # the plan's tables first
        every = bool(sources) and all(s.sample for s in sources)      # all sample: said once, not after each file
        items = "；".join(f"<span class='tekun-file'>{esc(printable(_short_name(s.name, b.township)))}"
                         + (f"<small>（{esc(label['sample'])}）</small>" if s.sample and not every else "") + "</span>"
                         for s in sources)
        display(HTML(f"<p class='tekun-short-section tekun-back'><b>数据来源：</b>本乡镇用到{esc(b.policy.county.whole)} {len(b.data.sources)} 个文件中的 "
                     f"{len(sources)} 个（" + (f"均为{esc(label['sample'])}，" if every else "")
                     + f"各文件的{esc(label['fingerprint'])}见{esc(b.policy.county.whole)}简报）："
                     f"<span class='tekun-files-short'>{items}。</span></p>"))
        return
    sources = b.data.sources
    # one short line per file, in two columns: the list is for checking versions, not for reading
    items = "".join(f"<li>{esc(printable(s.name))}　<code>{esc(s.sha256[:SOURCE_FINGERPRINT])}</code>"
                    + (f"<small>（{esc(label['sample'])}）</small>" if s.sample else "") + "</li>" for s in sources)
    note = (f"本月全部数据的{label['fingerprint']} {b.data.fingerprint}（由下列文件的名称和内容合算）；"
            f"每个文件后为其{label['fingerprint']}（由文件内容算出的前 {SOURCE_FINGERPRINT} 位）："
            "文件有任何改动，指纹就会不同，可据此核对所用的是哪一版文件。")
    display(HTML(f"<h3>数据来源（{len(sources)} 个文件）</h3>"
                 f"<p class='tekun-note'>{esc(note)}</p><ul class='tekun-files'>{items}</ul>"))


def _short_name(name: str, township: str) -> str:
    """A file's name in a township's list: '附件1 2023年8月分散供养….xlsx' -> '附件1', '附件3 排查评估表 新惠镇 2023-08.xlsx'
    -> '附件3 新惠镇'; other files without their month and extension ('乡镇工作进度台账 2023-08.xlsx' -> '乡镇工作进度台账')."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    head, _, rest = stem.partition(" ")
    if stem.startswith("附件"):
        return f"{head} {township}" if township in rest else head
    return head if rest and rest[:1].isdigit() else stem


#: characters of a file's SHA-256 shown in a briefing's list of sources (enough to tell two versions apart)
SOURCE_FINGERPRINT = 8


def _is_form_of_another(b: Briefing, name: str) -> bool:
    """Whether a file is another township's assessment form (a township's briefing does not list those)."""
    return any(t.file == name and t.unit and t.unit != b.township for t in b.data.tables)
