"""The receipt (回执) a township gets with its feedback: one sheet, printable on A4.

It says what was received this month (each file with its fingerprint and its counts of
errors and warnings, and what changed since the last feedback), what is missing, the
totals, and the deadline for sending corrected or missing tables, which the bureau sets in
policy.toml ``[feedback] resubmit_within_days``. It speaks to the township: none of the
software's file or key names, the time of the feedback to the minute, and a unit that sent
nothing is asked to send its tables ("未收到…，请于…前报送"), not told that its files are fine.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..config.policy import Policy
from .markup import FONT, table_header, table_row

RECEIPT_SHEET = "回执"
FINGERPRINT_CHARS = 16


@dataclass
class ReceivedFile:
    """One line of the receipt's list of received files."""

    name: str
    tables: str           # what the file holds ('附件1 …、…'), or why nothing was read
    sha256: str
    errors: int
    warnings: int
    returned: str          # the marked copy's file name, '' when the file has no problem
    changes: str = ""      # '已改正 2 项，仍未改正 2 项，…' against the last feedback


@dataclass
class Receipt:
    owner: str
    month: str
    issued: dt.datetime
    deadline: dt.date
    files: list[ReceivedFile] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)      # problems of no one file (folder, coverage)
    errors: int = 0
    warnings: int = 0
    encrypted: bool = False     # the returned workbooks have an opening password (sent by another channel)

    @property
    def returned(self) -> int:
        return sum(1 for f in self.files if f.returned)


def receipt_name(owner: str, month: str) -> str:
    return f"回执 {owner} {month}.xlsx"


RECEIPT_HEADER = ("序号", "收到的文件", "表格", "数据指纹（SHA-256 前 16 位）", "错误", "警告", "处理", "与上次反馈相比")
RECEIPT_WIDTHS = (6, 34, 30, 22, 7, 7, 30, 36)


def deadline_sentence(r: Receipt, policy: Policy) -> str:
    """'请于 2023-09-09 前（回执日期起 5 日内）报回改正后的表格。…': what to send back by when."""
    days = policy.feedback.resubmit_within_days
    what = "、".join(w for w, want in (("报回改正后的表格", r.returned), ("报送尚缺的表格", r.missing)) if want)
    return (f"请于 {r.deadline.isoformat()} 前（回执日期起 {days} 日内）{what}。"
            f"此期限由{policy.county.bureau}设定，方案本身没有规定。")


def nothing_received(r: Receipt, policy: Policy) -> str:
    """'未收到本单位 2023-08 的表格，请于 … 前报送。'"""
    return f"未收到本单位 {r.month} 的表格，请于 {r.deadline.isoformat()} 前报送（期限由{policy.county.bureau}设定）。"


def issued_text(when: dt.datetime | dt.date) -> str:
    """The receipt's time to the minute: '2023-09-04 14:05'."""
    return f"{when:%Y-%m-%d %H:%M}" if isinstance(when, dt.datetime) else f"{when:%Y-%m-%d} 00:00"


def unit_words(owner: str, policy: Policy) -> str:
    """Who the receipt is for: a township, or the county level that compiles 附件1, 附件2 and the county-wide
    ledgers ('敖汉旗（旗本级：全旗汇总的表格）')."""
    county = policy.county
    return f"{owner}（{county.own_level}：{county.whole}汇总的表格）" if owner == county.name else owner


def encrypted_sentence(policy: Policy) -> str:
    return (f"退回修改的文件已设打开密码（加密），以保护其中的个人信息；密码由{policy.county.bureau_short}通过电话或短信"
            f"另行告知，不随文件发送。用 Excel、WPS 或 LibreOffice 打开时输入密码即可；请勿把密码和文件一起转发。")


def build_receipt(r: Receipt, policy: Policy) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = RECEIPT_SHEET
    ncol = len(RECEIPT_HEADER)
    last = get_column_letter(ncol)

    def line(row: int, text: str, *, bold=False, size=10) -> int:
        c = ws.cell(row, 1, text)
        c.font = Font(name=FONT, size=size, bold=bold)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = max(16, 15 * (len(text) // 90 + 1)) if not bold else 22
        return row + 1

    row = line(1, f"{policy.county.bureau} 数据接收回执", bold=True, size=16)
    row = line(row, f"报送单位：{unit_words(r.owner, policy)}　　月份：{r.month}　　回执时间：{issued_text(r.issued)}")
    row = line(row + 1, "一、本月收到的文件", bold=True, size=12)
    if r.files:
        table_header(ws, row, RECEIPT_HEADER)
        for n, f in enumerate(r.files, start=1):
            row += 1
            what = (f"退回修改{'（已加密）' if r.encrypted else ''}：《{f.returned}》" if f.returned
                    else "无问题，不退回")
            table_row(ws, row, (n, f.name, f.tables, f.sha256[:FINGERPRINT_CHARS], f.errors, f.warnings, what, f.changes),
                 widths=RECEIPT_WIDTHS)
        row += 1
    else:
        row = line(row, nothing_received(r, policy))
    row = line(row + 1, "二、尚缺", bold=True, size=12)
    for text in r.missing or ["无。"]:
        row = line(row, f"· {text}" if r.missing else text)
    row = line(row + 1, "三、问题合计", bold=True, size=12)
    total = (f"错误 {r.errors} 项，警告 {r.warnings} 项；退回修改的文件 {r.returned} 个（与本回执在同一文件夹，"
             f"每个文件的第一张工作表“问题清单”逐项列出，出错的单元格标红、需核实的标黄，并附批注）。")
    if not r.files:
        total = "本月没有收到本单位的文件，无法检查。"
    elif not r.errors and not r.warnings:
        total = "本月收到的文件未发现问题。"
    row = line(row, total)
    for text in r.other:
        row = line(row, f"· {text}")
    if r.encrypted:
        row = line(row, encrypted_sentence(policy))
    row = line(row + 1, "四、重新报送期限", bold=True, size=12)
    if r.returned or r.missing:
        row = line(row, deadline_sentence(r, policy))
        if policy.feedback.source:
            row = line(row, policy.feedback.source)
    else:
        row = line(row, "无需重新报送。")
    line(row + 1, "错误须改正后重新报送；警告请核实，确认无误的可不改。改正时请在原表中修改，"
                  "也可直接在退回的文件上改正后报回（“问题清单”工作表不必删除，重新检查时不读取它）。")
    for j, w in enumerate(RECEIPT_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return wb


def write_receipt(path: str | Path, r: Receipt, policy: Policy) -> Path:
    from . import save_reproducible

    stamp = r.issued if isinstance(r.issued, dt.datetime) else dt.datetime.combine(r.issued, dt.time())
    return save_reproducible(build_receipt(r, policy), path, stamp)
