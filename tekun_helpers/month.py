"""load_month: the month's folder -> tidy frames, issues and source files."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .checks import tables as v
from .checks.changes import check_changes
from .checks.copies import check_copy
from .config.county import County
from .config.policy import Policy, load_policy
from .config.reference import Reference, load_reference
from .config.schema import (
    AGE,
    ASSESSMENTS,
    BENEFITS,
    CHOICE,
    COUNT,
    DATE,
    FUNDS,
    HOME_CARE,
    HOMES,
    MONEY,
    PROGRESS,
    SIGNED,
    SPENDING,
    STAFF,
    TABLES,
    CHANGES,
    TOWNSHIPS,
    Table,
    bind,
)
from .core.issues import ERROR, WARNING, Issue
from .core.parallel import map_forked
from .core.months import available_months, check_month, previous_month  # noqa: F401  (re-exported)
from .core.paths import data_dir as _data_dir
from .io.readers import ParsedTable, find_tables
from .io.workbooks import SourceFile, list_input_files, read_file, safe_name

PROVENANCE = ["source_file", "source_sheet", "source_row"]

#: the kinds of input a report's section may take its figures from (what a reader calls them), and the
#: frames of :class:`MonthData` holding each kind's rows; see :meth:`MonthData.sample_kinds`.
INPUT_KINDS: dict[str, tuple[str, ...]] = {
    "附件1": ("townships",),
    "附件2": ("homes",),
    "附件3": ("assessments",),
    "台账": ("progress", "staff", "home_care"),
    "名册": ("benefits", "changes"),
    "资金": ("funds", "spending"),
}


@dataclass
class MonthData:
    """One month's input, read and checked.

    townships: one row per township in reference order (see schema.TOWNSHIPS keys).
    homes:     one row per nursing home in reference order, with the township it is in.
    issues:    every problem found, errors and warnings.
    sources:   the files read, with sha256 and whether they are sample data.
    """

    month: str
    folder: Path
    townships: pd.DataFrame
    homes: pd.DataFrame
    issues: list[Issue]
    sources: list[SourceFile]
    policy: Policy
    reference: Reference
    tables: list[ParsedTable] = field(default_factory=list, repr=False)
    assessments: pd.DataFrame = field(default_factory=pd.DataFrame)
    progress: pd.DataFrame = field(default_factory=pd.DataFrame)    # 乡镇工作进度台账, one row per township sent
    staff: pd.DataFrame = field(default_factory=pd.DataFrame)       # 敬老院工作人员台账, one row per staff member
    home_care: pd.DataFrame = field(default_factory=pd.DataFrame)   # 护理型床位与入住构成, one row per home sent
    benefits: pd.DataFrame = field(default_factory=pd.DataFrame)    # other benefits' rosters, one row per person
    funds: pd.DataFrame = field(default_factory=pd.DataFrame)       # support money allocated, rows per home
    spending: pd.DataFrame = field(default_factory=pd.DataFrame)    # what the homes spent it on
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)     # 减少情况表: who left dispersed care, and why
    #: what :class:`MonthCache` knows this read by (folder, files' sizes and times); None when not cached.
    #: Results computed from the month can be kept under it (see report.briefing's shared month facts).
    cache_key: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def has_assessments(self) -> bool:
        return not self.assessments.empty

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_sample(self) -> bool:
        """True when any file read is marked as generated sample data."""
        return any(s.sample for s in self.sources)

    def copy(self) -> "MonthData":
        """A copy whose frames and lists can be changed without touching this one."""
        import dataclasses

        return dataclasses.replace(self, **{f.name: getattr(self, f.name).copy()
                                            for f in dataclasses.fields(self)
                                            if isinstance(getattr(self, f.name), (pd.DataFrame, list))})

    def from_sample(self, *frames: pd.DataFrame) -> bool:
        """Whether the rows of ``frames`` were read from generated sample files.

        Judged by the files the rows came from (``source_file``), so that the real 附件1/附件2 stay
        unmarked in a month whose 附件3 forms are samples; frames without rows or provenance say nothing.
        """
        names = set()
        for f in frames:
            if "source_file" in f.columns and len(f):
                names |= set(f["source_file"])
        return any(s.sample for s in self.sources if s.name in names)

    def _kind_frames(self, kind: str) -> list[pd.DataFrame]:
        if kind not in INPUT_KINDS:
            raise KeyError(f"unknown input kind {kind!r}; known: {', '.join(INPUT_KINDS)}")
        return [getattr(self, name) for name in INPUT_KINDS[kind]]

    def kinds_read(self, *kinds: str) -> list[str]:
        """Those of ``kinds`` (all when none given) with rows read this month, in the order given."""
        return [k for k in (kinds or INPUT_KINDS) if any(len(f) for f in self._kind_frames(k))]

    def sample_kinds(self, *kinds: str) -> list[str]:
        """Those of ``kinds`` (all when none given) whose rows were read from generated sample files.

        E.g. bundled 2023-08: ``["附件3", "台账", "名册", "资金"]`` (附件1/附件2 are the plan's real figures).
        """
        return [k for k in (kinds or INPUT_KINDS) if self.from_sample(*self._kind_frames(k))]

    @property
    def fingerprint(self) -> str:
        """Short fingerprint of the input files (names and sha256), shown in every report's footer."""
        h = hashlib.sha256()
        for s in sorted(self.sources, key=lambda s: s.name):
            h.update(f"{s.name}\0{s.sha256}\n".encode())
        return h.hexdigest()[:12]


def _frame(tables: list[ParsedTable], table: Table, order: list[str]) -> pd.DataFrame:
    keys = table.keys
    records = []
    for t in tables:
        for r in t.rows:
            name = r.values.get(table.name_field)
            if not name:
                continue
            rec = {k: r.values.get(k) for k in keys}
            rec.update(source_file=t.file, source_sheet=t.sheet, source_row=r.row)
            records.append(rec)
    df = pd.DataFrame.from_records(records, columns=keys + PROVENANCE)
    # keep the first of duplicates (the duplicate is an error anyway) and the official order
    df = df.drop_duplicates(subset=[table.name_field], keep="first")
    rank = {n: i for i, n in enumerate(order)}
    df = df.sort_values(table.name_field, key=lambda s: s.map(rank)).reset_index(drop=True)
    for f in table.fields:
        if f.key not in df.columns:
            continue
        if f.kind in (COUNT, SIGNED):
            col = pd.array(df[f.key].tolist(), dtype="Int64")
            df[f.key] = col if (f.key.endswith("_stated") or col.isna().any()) else col.astype("int64")
        elif f.kind == DATE:
            df[f.key] = df[f.key].astype(object).where(df[f.key].notna(), None)
        elif f.kind != "seq":
            df[f.key] = df[f.key].fillna("").astype(str)
    df["source_row"] = df["source_row"].astype("int64")
    return df


class MonthCache:
    """Months already read in this process, keyed by folder and the files' sizes and times.

    A batch worker's kernel reads the month before the report runs, and the banner's 18
    township briefings share one read. The cache hands out copies (:meth:`MonthData.copy`),
    so no caller can change what another one sees; :meth:`clear` empties it.
    """

    def __init__(self, size: int = 24):
        self.size = size
        self._months: dict[tuple, MonthData] = {}

    def get(self, month: str, data_dir) -> MonthData:
        base = _data_dir(data_dir)
        key = (month, str(base.resolve()), _files_key(base, month))
        if key not in self._months:
            while len(self._months) >= self.size:
                self._months.pop(next(iter(self._months)))
            self._months[key] = load_month(month, data_dir)
            self._months[key].cache_key = key
        return self._months[key].copy()

    def clear(self) -> None:
        self._months.clear()

    def snapshot(self) -> dict:
        """The months read so far, for a batch to hand to its workers on this machine (:meth:`take`;
        the batch pickles it), so that they do not read the same files again."""
        return dict(self._months)

    def take(self, months: dict) -> None:
        """Take the months of a :meth:`snapshot`. Their keys hold the files' sizes and times: a month whose
        files changed since is read again by :meth:`get`, as if it had never been taken."""
        for key, data in months.items():
            if key not in self._months and len(self._months) < self.size:
                self._months[key] = data


#: the process's cache of months read (see load_month's ``cache``)
MONTHS = MonthCache()


def _files_key(base: Path, month: str) -> tuple:
    """Paths, sizes and modification times of everything load_month reads: changes invalidate the cache."""
    from .core.paths import reference_dir

    paths = sorted(p for p in reference_dir(base).glob("*") if p.is_file())
    folder = base / month
    if folder.is_dir():
        paths += sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)


#: a month with at least this many files is read on every core (forking costs about 0.1 s)
PARALLEL_FILES = 8


def _read_one(item: tuple[Path, Path, County]) -> tuple[SourceFile, list[ParsedTable], list[Issue]]:
    """Read one file of a month's folder: (the file, the tables found in it, its issues in the order found);
    the headers are read in the county's words."""
    p, folder, county = item
    issues: list[Issue] = []
    rel, not_utf8 = safe_name(p.relative_to(folder).as_posix())
    if not_utf8:
        issues.append(Issue(WARNING, rel, "", None, None, "",
                            f"文件《{rel}》的文件名不是 UTF-8 编码（常见于在中文 Windows 上压缩、在 Linux 上解压的 zip），"
                            f"已按 GBK 解读为“{rel}”并照常读取；请把文件改名为该名称（如在终端中运行 "
                            f"convmv -f gbk -t utf-8 --notest 文件名，或在文件管理器中重命名），"
                            f"解压时可用 unzip -O GBK 避免此问题。", "file_name_encoding"))
    src = read_file(p, rel, issues)
    found = find_tables(src.sheets, issues, county)
    if src.sheets and not found:
        issues.append(Issue(WARNING, rel, "", None, None, "",
                            f"文件《{rel}》中没有找到任何一张已知表格（附件1、附件2、附件3、工作进度台账、工作人员台账）的表头，"
                            f"未读取任何数据；请核对表头文字。",
                            "no_table_in_file"))
    return src, found, issues


def load_month(month: str, data_dir: str | os.PathLike | None = None, *,
               policy: Policy | None = None, reference: Reference | None = None, cache: bool = False) -> MonthData:
    """Read and check the month's tables in ``data/<month>/``.

    month:    'YYYY-MM'.
    data_dir: the data folder holding ``<month>/`` and ``reference/`` (default: the project's data/).
    cache:    reuse the result of an earlier call in this process when no file changed
              (a batch worker's warm kernel reads the month before the report runs); the
              result is a copy, see :class:`MonthCache`.
    Returns a :class:`MonthData`; problems are in ``.issues``, never raised.
    """
    check_month(month)
    base = _data_dir(data_dir)
    if cache and policy is None and reference is None:
        return MONTHS.get(month, data_dir)
    policy = policy or load_policy(data_dir=base)
    reference = reference or load_reference(base)
    folder = base / month
    issues: list[Issue] = []
    sources: list[SourceFile] = []
    tables: list[ParsedTable] = []

    if not folder.is_dir():
        issues.append(Issue(ERROR, "", "", None, None, str(folder),
                            f"找不到 {month} 的数据文件夹 {folder}：请新建该文件夹并放入本月各乡镇报送的表格。", "folder_missing"))
    else:
        files, ignored = list_input_files(folder)
        for p in ignored:
            rel, _ = safe_name(p.relative_to(folder).as_posix())
            issues.append(Issue(WARNING, rel, "", None, None, "",
                                f"文件《{rel}》不是 .xlsx、.xls 或 .csv 表格，已忽略。", "file_ignored"))
        if not files:
            issues.append(Issue(ERROR, "", "", None, None, str(folder),
                                f"{month} 的数据文件夹 {folder} 中没有任何表格文件（.xlsx、.xls、.csv）。", "folder_empty"))
        # the files are read side by side on a machine with more than one core (2023-08's 27 files: 2.1 s
        # one after the other, 2-core AMD EPYC); the results, and so the issues, come in the files' order
        for src, found, file_issues in map_forked(_read_one, [(p, folder, policy.county) for p in files],
                                                   at_least=PARALLEL_FILES):
            issues += file_issues
            sources.append(src)
            tables.extend(found)

    by_kind = {k: [t for t in tables if t.table.key == k] for k in TABLES}
    if folder.is_dir() and sources:
        for kind, table in (("townships", bind(TOWNSHIPS, policy.county)), ("homes", bind(HOMES, policy.county))):
            if not by_kind[kind]:
                issues.append(Issue(ERROR, "", "", None, None, "",
                                    f"{month} 的数据文件夹中没有找到{table.label}：请确认已放入该表，且表头含“{table.field(table.name_field).label}”等列名。",
                                    "table_missing"))
    for t in tables:
        issues += v.check_columns(t)
        issues += v.check_month_line(t, month)
        if t.table.key == "assessments":
            issues += v.resolve_unit(t, reference)
            continue
        if t.table.key == "benefits":
            issues += v.check_benefits(t, reference)
            continue
        if t.table.key == "changes":
            issues += check_changes(t, reference)
            continue
        issues += v.resolve_names(t, reference)
        if t.table.key in ("townships", "homes"):
            issues += v.check_rows(t)
            issues += v.check_policy(t, policy)
        issues += v.check_total(t)
    for kind in ("townships", "homes"):
        issues += v.check_coverage(by_kind[kind], kind, reference, month)
    if by_kind["progress"]:
        issues += v.check_coverage_optional(by_kind["progress"], "townships", reference, month)
    if by_kind["home_care"]:
        issues += v.check_coverage_optional(by_kind["home_care"], "homes", reference, month)

    townships = _frame(by_kind["townships"], TOWNSHIPS, reference.township_names)
    homes = _frame(by_kind["homes"], HOMES, reference.home_names)
    home_town = {h.name: h.township for h in reference.homes}
    homes.insert(1, "township", homes["home"].map(home_town).fillna("").astype(str))
    assessments = _people(by_kind["assessments"], reference.township_names)
    if by_kind["assessments"]:
        issues += v.check_people(by_kind["assessments"], townships, month)
    progress = _frame(by_kind["progress"], PROGRESS, reference.township_names)
    for t in by_kind["progress"]:
        issues += v.check_progress(t, townships, month)
    staff = _rows(by_kind["staff"], STAFF, reference.home_names)
    if by_kind["staff"]:
        issues += v.check_staff(by_kind["staff"], homes, reference, month)
    home_care = _frame(by_kind["home_care"], HOME_CARE, reference.home_names)
    for t in by_kind["home_care"]:
        issues += v.check_home_care(t, homes)
    if len(assessments):
        issues += v.check_identity(by_kind["assessments"], month)
    benefits = _rows(by_kind["benefits"], BENEFITS, [])
    funds = _rows(by_kind["funds"], FUNDS, reference.home_names)
    spending = _rows(by_kind["spending"], SPENDING, reference.home_names)
    changes = _rows(by_kind["changes"], CHANGES, [])
    issues += check_copy(month, base, folder, sources, tables)
    return MonthData(month, folder, townships, homes, issues, sources, policy, reference, tables, assessments,
                     progress, staff, home_care, benefits, funds, spending, changes)


def _rows(tables: list[ParsedTable], table: Table, order: list[str]) -> pd.DataFrame:
    """Every row of a roster (many rows per home), in reference order of the home, then as written."""
    keys = table.keys
    records = []
    for t in tables:
        for r in t.rows:
            if not r.values.get(table.name_field):
                continue
            rec = {k: r.values.get(k) for k in keys}
            rec.update(source_file=t.file, source_sheet=t.sheet, source_row=r.row)
            records.append(rec)
    df = pd.DataFrame.from_records(records, columns=keys + PROVENANCE)
    rank = {n: i for i, n in enumerate(order)}
    if order:
        df = df.sort_values([table.name_field, "source_file", "source_row"],
                            key=lambda s: s.map(rank) if s.name == table.name_field else s,
                            kind="stable").reset_index(drop=True)
    for f in table.fields:
        if f.key not in df.columns or f.kind == "seq":
            continue
        if f.kind in (COUNT, SIGNED):
            df[f.key] = pd.array(df[f.key].tolist(), dtype="Int64")
        elif f.kind in (CHOICE, DATE, MONEY):
            df[f.key] = df[f.key].astype(object)
        else:
            df[f.key] = df[f.key].fillna("").astype(str)
    df["source_row"] = df["source_row"].astype("int64")
    return df


def _people(tables: list[ParsedTable], order: list[str]) -> pd.DataFrame:
    """One row per person assessed, with the township of the form they are on."""
    keys = ASSESSMENTS.keys
    records = []
    for t in tables:
        if not t.unit:
            continue
        for r in t.rows:
            if not r.values.get("name"):
                continue
            rec = {"township": t.unit, **{k: r.values.get(k) for k in keys}}
            rec.update(source_file=t.file, source_sheet=t.sheet, source_row=r.row)
            records.append(rec)
    df = pd.DataFrame.from_records(records, columns=["township", *keys, *PROVENANCE])
    rank = {n: i for i, n in enumerate(order)}
    df = df.sort_values(["township", "source_file", "source_row"], key=lambda s: s.map(rank) if s.name == "township" else s,
                        kind="stable").reset_index(drop=True)
    for f in ASSESSMENTS.fields:
        if f.kind == AGE:
            df[f.key] = pd.array(df[f.key].tolist(), dtype="Int64")
        elif f.kind in (CHOICE,):
            df[f.key] = df[f.key].astype(object)
        elif f.key in df.columns and f.kind != "seq":
            df[f.key] = df[f.key].fillna("").astype(str)
    df["source_row"] = df["source_row"].astype("int64")
    return df
