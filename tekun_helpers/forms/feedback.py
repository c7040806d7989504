"""tekun feedback: the month's problems back to whoever must fix them.

:func:`write_feedback` reads the month with :func:`tekun_helpers.month.load_month` through the process's
cache (as the reports and the Excel export do: a month read already in this process, a notebook's kernel
or a batch, is not read again; the month before it, for the people gone without a line, likewise) and
writes, under ``<out>/<month>/反馈/<单位>/``:

- for every received file that has an issue, a marked copy (:mod:`.markup`): faulty cells
  filled and commented in Chinese, a first sheet 问题清单; files without issues are not copied;
- one receipt per township and one for the banner (:mod:`.receipt`): files received with
  their fingerprints, what is missing, counts, the deadline for resubmission;
- the record ``反馈记录.json`` (:mod:`.resubmission`), so that the next feedback says what
  changed in a resubmitted file: issues fixed, remaining and new, cells changed.

Who a file belongs to: an assessment form to the township of its 填报单位; a ledger or
roster naming one township only (or homes of one township only) to that township;
附件1, 附件2, the inspection checklists (the bureau fills them at its visits) and everything
covering several townships to the banner (the bureau's own tables). The received files are
only read; a month without inspection checklists is not told that it lacks them.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.flows import unexplained_leavers_for
from ..config.schema import ASSESSMENTS, TABLES
from ..core.catalogue import At, issue
from ..core.issues import Issue, SEVERITY_LABELS
from ..core.parallel import map_forked
from ..core.paths import output_dir
from ..io.workbooks import SourceFile
from ..month import MonthData, load_month
from .encrypt import Passwords, encrypt_file
from .markup import UNREADABLE, copy_name, write_marked_copy
from .receipt import Receipt, ReceivedFile, receipt_name, write_receipt
from .resubmission import Changes, Record, Version, cell_prints, issue_record

FEEDBACK_FOLDER = "反馈"
#: the bureau's own tables, returned under the banner's name: 附件1, 附件2 and the inspection checklists (the bureau
#: fills them at its visits, whichever township the home is in)
BANNER_TABLES = ("townships", "homes", "inspections", "complaints")
#: tables a month may well not have: not listed as missing (a month without an inspection visit is normal)
OPTIONAL_TABLES = ("inspections", "complaints")
#: the issues saying a table has no row for a township or home (their value is its name)
MISSING_CODES = ("missing_name", "not_reported_name", "staff_missing_home")


@dataclass
class FileFeedback:
    """One received file: whose it is, its issues, the marked copy (None when it has no issue)."""

    source: SourceFile
    owner: str
    kinds: list[str]
    issues: list[Issue]
    copy: Path | None = None
    converted: str | None = None
    changes: Changes | None = None

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.is_error)

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors


@dataclass
class OwnerFeedback:
    owner: str
    folder: Path
    receipt: Receipt
    receipt_path: Path
    files: list[FileFeedback] = field(default_factory=list)


@dataclass
class FeedbackResult:
    month: str
    folder: Path
    deadline: dt.date
    owners: list[OwnerFeedback]
    record: Path
    passwords: Path | None = None       # where the returned workbooks' passwords are (None: not encrypted)

    def owner(self, name: str) -> OwnerFeedback:
        return next(o for o in self.owners if o.owner == name)


def _owner(source: SourceFile, data: MonthData, banner: str) -> str:
    ref = data.reference
    tables = [t for t in data.tables if t.file == source.name]
    if any(t.table.key in BANNER_TABLES for t in tables):
        return banner
    towns: set[str] = set()
    for t in tables:
        if t.table.key == "assessments":
            if t.unit in ref.township_names:
                towns.add(t.unit)
            continue
        for r in t.rows:
            town = r.values.get("township")
            home = r.values.get("home")
            if town in ref.township_names:
                towns.add(town)
            elif home in ref.home_names:
                towns.add(ref.home(home).township)
    if len(towns) == 1:
        return towns.pop()
    if not towns:   # nothing readable (or an unknown 填报单位): a township named in the file's name
        named = [n for n in ref.township_names if n in source.name]
        if len(named) == 1:
            return named[0]
    return banner


def _add_leavers(files: list[FileFeedback], data: MonthData) -> None:
    """The people of last month's forms neither on this month's nor in the 减少情况表, by name, as issues of
    their township's form of this month: only its own returned workbook names them (the briefings mask them)."""
    leavers = unexplained_leavers_for(data)
    if leavers.empty:
        return
    forms = {f.owner: f for f in files
             if any(t.file == f.source.name and t.table.key == ASSESSMENTS.key for t in data.tables)}
    for r in leavers.itertuples(index=False):
        f = forms.get(r.township)
        if f is None:
            continue
        who = f"{r.village}{r.name}" + (f"（{r.sex}，身份证号 {r.id_number}）" if r.id_number else f"（{r.sex}）")
        f.issues.append(issue("leaver_unreported", At(f.source.name), value=r.name, source=Path(str(r.source_file)).name,
                              source_row=r.source_row, person=who))


def _kinds(source: SourceFile, data: MonthData) -> list[str]:
    return list(dict.fromkeys(t.table.label for t in data.tables if t.file == source.name))


def _missing(owner: str, banner: str, data: MonthData, files: list[FileFeedback]) -> list[str]:
    """What the plan needs from ``owner`` that did not come this month."""
    ref = data.reference
    out = []
    if owner == banner:
        have = {t.table.key for t in data.tables}
        for key, table in TABLES.items():
            if key == "assessments" or key in OPTIONAL_TABLES:
                continue       # each township's own (said in its receipt), or not due every month
            if key == "benefits":
                got = set(data.benefits["benefit"].dropna()) if "benefit" in data.benefits else set()
                for b in data.policy.benefits.values():
                    if b.label not in got:
                        out.append(f"{b.label}对象名册（{table.label}）：本月未收到。")
                continue
            if key not in have:
                out.append(f"{table.label}：本月未收到。")
        sent = {t.unit for t in data.tables if t.table.key == "assessments"}
        not_sent = [n for n in ref.township_names if n not in sent]
        if not_sent:
            out.append(f"附件3 排查评估表：{len(not_sent)} 个{data.policy.county.towns}本月未报送（{'、'.join(not_sent)}），"
                       f"见各乡镇回执。")
        return out
    if not any("附件3" in k for f in files for k in f.kinds):
        out.append(f"{TABLES['assessments'].label}：本月未收到本乡镇的评估表。")
    homes = {h.name for h in ref.homes if h.township == owner}
    own = {f.source.name for f in files}     # 附件1, 附件2 and other county-wide tables are the bureau's to complete
    for i in data.issues:
        if i.code in MISSING_CODES and i.file in own and (i.value == owner or i.value in homes):
            table = next((t.table.label for t in data.tables if t.file == i.file), i.file)
            out.append(f"《{i.file}》（{table}）中没有{i.value}的数据。")
    return out


def _lines(f: FileFeedback, deadline: dt.date, data: MonthData) -> list[str]:
    days = data.policy.feedback.resubmit_within_days
    out = [f"收到的文件：《{f.source.name}》，数据指纹（SHA-256）{f.source.sha256[:16]}；"
           f"发现错误 {f.errors} 项、警告 {f.warnings} 项。标红的单元格是错误，须改正；标黄的是警告，请核实。"
           f"鼠标移到单元格上可看批注（写明发现的问题、应填写的内容和规则）；点“单元格”一栏可跳到该格。",
           f"请于 {deadline.isoformat()} 前（{days} 日内，期限由{data.policy.county.bureau}设定）"
           f"报回改正后的表格；可直接在本文件上改正，本工作表不必删除，重新检查时不读取它。"]
    if f.changes is not None:
        c = f.changes
        shown = "、".join(c.cells[:20]) + (f" 等（共 {len(c.cells)} 个）" if len(c.cells) > 20 else "")
        out.append(c.summary() + (f"改动的单元格：{shown}。" if c.cells else ""))
    return out


def _clean(folder: Path) -> None:
    """Remove what an earlier feedback wrote in this folder (a file fixed since then must not keep its old copy)."""
    if not folder.is_dir():
        return
    for p in folder.iterdir():
        if p.is_file() and p.suffix == ".xlsx" and (p.name.endswith("（退回修改）.xlsx") or p.name.startswith("回执 ")):
            p.unlink()


def write_feedback(month: str, data_dir: str | os.PathLike | None = None, out: str | os.PathLike | None = None, *,
                   township: str | None = None, today: dt.date | dt.datetime | None = None,
                   passwords: Passwords | None = None) -> FeedbackResult:
    """Write the month's marked copies, receipts and record. Returns what was written.

    township:  only this township (its official name); default every township and the banner.
    today:     the receipt's time (a date is taken at 00:00), from which the deadline counts (default: now).
    passwords: encrypt each returned workbook with its owner's password from this store (default: not encrypted).
    """
    data = load_month(month, data_dir, cache=True)
    policy = data.policy
    banner = policy.county.name
    stamp = _minute(today)
    deadline = stamp.date() + dt.timedelta(days=policy.feedback.resubmit_within_days)
    root = output_dir(out) / month / FEEDBACK_FOLDER
    record = Record.load(root)
    record.begin({s.name: s.sha256 for s in data.sources})
    present = {s.name for s in data.sources}

    files = []
    for src in data.sources:
        owner = _owner(src, data, banner)
        f = FileFeedback(src, owner, _kinds(src, data), [i for i in data.issues if i.file == src.name])
        files.append(f)
    _add_leavers(files, data)
    owners = [*data.reference.township_names, banner]
    if township is not None:
        owners = [township]
    marks = []      # (file, where its marked copy goes, its owner's password or None)
    for owner in owners:
        mine = [f for f in files if f.owner == owner]
        folder = root / owner
        _clean(folder)
        for f in mine:
            version = Version(f.source.sha256, owner, f.kinds, [issue_record(i) for i in f.issues],
                              cell_prints(f.source), f"{stamp:%Y-%m-%d %H:%M}")
            f.changes = record.update(f.source.name, version, f.issues, present)
            if f.issues:
                marks.append((f, folder / _unique(copy_name(f.source), f, mine),
                              passwords.get(owner) if passwords is not None else None))

    def mark(job) -> tuple:
        f, path, password = job
        tables = [t for t in data.tables if t.file == f.source.name]
        copy, converted = write_marked_copy(f.source, f.issues, tables, path, month=month,
                                            lines=_lines(f, deadline, data), county=policy.county,
                                            changes=f.changes, stamp=stamp)
        if password is not None:
            encrypt_file(copy, password)
        return copy, converted

    # each marked copy on its own, on every core at once: openpyxl opens and saves a form of a county ten times
    # the bundled one (2,500 rows) in about a second, and a month may return most townships' forms (the
    # passwords are taken here, where a new one is kept)
    for (f, _, _), (copy, converted) in zip(marks, map_forked(mark, marks)):
        f.copy, f.converted = copy, converted
    result = []
    for owner in owners:
        mine = [f for f in files if f.owner == owner]
        folder = root / owner
        other = [i for i in data.issues if not i.file] if owner == banner else []
        receipt = Receipt(owner, month, stamp, deadline,
                          files=[_received(f) for f in mine], missing=_missing(owner, banner, data, mine),
                          other=[f"[{SEVERITY_LABELS[i.severity]}] {i.message}" for i in other],
                          errors=sum(f.errors for f in mine) + sum(1 for i in other if i.is_error),
                          warnings=sum(f.warnings for f in mine) + sum(1 for i in other if not i.is_error),
                          encrypted=passwords is not None and any(f.copy for f in mine))
        path = write_receipt(folder / receipt_name(owner, month), receipt, policy)
        result.append(OwnerFeedback(owner, folder, receipt, path, mine))
    if passwords is not None:
        passwords.save()
    return FeedbackResult(month, root, deadline, result, record.save(), passwords.path if passwords else None)


def _minute(when: dt.date | dt.datetime | None) -> dt.datetime:
    """The feedback's time to the minute: now, or the time given (a date at 00:00)."""
    if when is None:
        when = dt.datetime.now()
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time())
    return when.replace(second=0, microsecond=0, tzinfo=None)


def _unique(name: str, f: FileFeedback, mine: list[FileFeedback]) -> str:
    """Two received files of one township with the same name in different subfolders get the folder in front."""
    same = [g for g in mine if copy_name(g.source) == name]
    if len(same) > 1:
        return name if same[0] is f else f"{Path(f.source.name).parent.as_posix().replace('/', '_')}_{name}"
    return name


def _received(f: FileFeedback) -> ReceivedFile:
    if f.kinds:
        tables = "、".join(f.kinds)
    else:
        tables = "未读取到已知表格" if f.source.sheets else "无法读取"
    changes = ""
    if f.changes is not None:
        c = f.changes
        changes = f"已改正 {len(c.fixed)} 项，仍未改正 {len(c.remaining)} 项，新出现 {len(c.new)} 项；改动单元格 {len(c.cells)} 个"
        if c.unchanged:
            changes = f"文件未改动，仍未改正 {len(c.remaining)} 项" if c.remaining else "文件未改动"
        if not f.issues and c.fixed:
            changes = "问题已全部改正；" + changes
    returned = f.copy.name if f.copy else ""
    if f.converted == UNREADABLE and returned:
        returned += "（原文件无法读取，只有问题清单）"
    elif f.converted and returned:
        returned += f"（原为 {f.converted}，已转为 .xlsx）"
    return ReceivedFile(f.source.name, tables, f.source.sha256, f.errors, f.warnings, returned, changes)
