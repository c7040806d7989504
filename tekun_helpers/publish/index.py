"""outputs/index.html: every month's reports, newest first, with key figures. Offline, readable on a phone:
below 600 px its links come before the figures, one report a line, each link at least 44 px tall."""
from __future__ import annotations

import datetime as dt
import html
import os
import re
from pathlib import Path
from urllib.parse import quote

from ..core.fmt import cn_month, percent, thousands
from .jobs import INTERNAL_DIR

MONTH_DIR = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
esc = html.escape

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;
color:#1a1a1a;background:#f6f7f9;line-height:1.6}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.4em;margin:.4em 0}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:14px 0}
h2{font-size:1.2em;margin:.2em 0 .4em}
.sample{color:#b42318;font-weight:bold;font-size:.85em;border:1px solid #b42318;border-radius:3px;padding:0 4px;margin-left:6px}
.figs{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0 10px;padding:0;list-style:none}
.figs li{background:#eef1f5;border-radius:4px;padding:4px 8px;font-size:.92em}
.reports{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:4px 16px;padding:0;list-style:none}
.reports li{padding:2px 0;border-bottom:1px dotted #ddd}
a{color:#0b5cad;text-decoration:none;margin-right:8px}
a:hover{text-decoration:underline}
.err{color:#b42318}
footer{color:#666;font-size:.85em;margin:20px 0}
@media screen and (max-width:600px){
main{padding:10px}
section{display:flex;flex-direction:column;padding:10px 12px}
section>h2{order:0}
.reports{order:1;grid-template-columns:1fr;gap:0}
.figs{order:2;gap:6px}
section>p{order:3}
.reports li{display:flex;align-items:center;flex-wrap:wrap;padding:0}
.reports li>a:first-of-type{margin-left:auto}
a{display:inline-flex;align-items:center;min-height:44px;min-width:44px;padding:0 10px;margin-right:4px;box-sizing:border-box}
}
"""


def _link(path: Path, base: Path, text: str) -> str:
    rel = os.path.relpath(path, base).replace(os.sep, "/")
    return f'<a href="{esc(quote(rel))}">{esc(text)}</a>'


def _official_order(data_dir):
    """A sort key for township reports ('<township>_<month>_….html'): the order of 附件1 (townships.csv),
    names the reference data does not know after them in text order."""
    from ..config.reference import load_reference

    try:
        rank = load_reference(data_dir).township_rank
    except Exception:       # the index never fails a batch
        def rank(name):
            return 0
    return lambda p: (rank(p.stem.split("_")[0]), p.name)


def _whole(data_dir) -> str:
    """The county's word for its whole area (county.toml's ``whole``, 全县); neutral words when it cannot be read:
    the index never fails a batch."""
    from ..config.county import NEUTRAL, load_county
    from ..core.exceptions import TekunError

    try:
        return load_county(data_dir=data_dir).whole
    except TekunError:
        return NEUTRAL.whole


def _month_section(out: Path, month: str, data_dir, whole: str) -> str:
    from ..analysis.stats import key_figures
    from ..month import load_month

    folder = out / month
    parts = [f"<section><h2>{esc(cn_month(month))}"]
    figs = ""
    try:
        data = load_month(month, data_dir, cache=True, lean=True)
        if data.is_sample:
            parts.append('<span class="sample">含示例数据</span>')
        if data.errors:
            figs = f'<p class="err">本月数据有 {len(data.errors)} 个错误，报告未生成；请运行 tekun validate --month {month} 查看。</p>'
        else:
            k = key_figures(data.townships, data.homes, data.policy, month)
            items = [f"分散供养 {thousands(k['dispersed'])} 人", f"全失能 {k['fully_disabled']} 人",
                     f"半失能 {k['semi_disabled']} 人", f"床位 {thousands(k['beds'])} 张",
                     f"入住 {thousands(k['residents'])} 人", f"入住率 {percent(k['occupancy'])}",
                     f"已达标 {k['homes_at_target']}/{k['homes']} 所", f"尚缺 {thousands(k['missing_below_target'])} 人"]
            figs = '<ul class="figs">' + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>"
    except Exception as exc:  # the index never fails a batch
        figs = f'<p class="err">无法读取本月数据：{esc(str(exc))}</p>'
    parts.append("</h2>" + figs)
    rows = []
    banner_html = sorted(p for p in folder.glob("*.html"))
    for h in banner_html:
        links = [_link(h, out, "HTML")]
        if h.with_suffix(".pdf").is_file():
            links.append(_link(h.with_suffix(".pdf"), out, "PDF"))
        rows.append(f"<li><b>{esc(h.stem.split('_')[0])}（{esc(whole)}）</b> {' '.join(links)}</li>")
    for h in sorted((folder / "乡镇").glob("*.html"), key=_official_order(data_dir)):
        links = [_link(h, out, "HTML")]
        if h.with_suffix(".pdf").is_file():
            links.append(_link(h.with_suffix(".pdf"), out, "PDF"))
        rows.append(f"<li>{esc(h.stem.split('_')[0])} {' '.join(links)}</li>")
    excel = sorted((folder / "Excel").glob("*.xlsx"))
    if rows:
        parts.append('<ul class="reports">' + "".join(rows) + "</ul>")
    if excel:
        parts.append("<p>Excel：" + " ".join(_link(x, out, x.stem) for x in excel) + "</p>")
    if not rows and not excel:
        parts.append("<p>尚未生成报告。</p>")
    parts.append("</section>")
    return "".join(parts)


def write_index(out: Path, data_dir=None) -> Path:
    """Rebuild ``out/index.html`` from what is in ``out`` (months newest first). Internal reports are not listed."""
    months = sorted((p.name for p in out.iterdir() if p.is_dir() and MONTH_DIR.match(p.name)), reverse=True) \
        if out.is_dir() else []
    body = "".join(_month_section(out, m, data_dir, _whole(data_dir)) for m in months) or "<p>还没有任何报告。</p>"
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    page = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>特困人员供养服务月度报告目录</title><style>{CSS}</style></head><body><main>"
            f"<h1>特困人员供养服务月度报告目录</h1>{body}"
            f"<footer>生成时间 {esc(now)}。内部资料（含个人信息）不在本目录中列出，位于“{esc(INTERNAL_DIR)}”文件夹。</footer>"
            f"</main></body></html>")
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    tmp = path.with_name(".index.html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
