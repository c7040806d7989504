"""load_month: the month's folder -> tidy frames, issues and source files."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .checks import tables as v
from .checks.changes import check_changes
from .checks.complaints import check_complaints
from .checks.copies import check_copy
from .checks.inspection import check_inspection
from .config.county import County
from .config.policy import Policy, load_policy
from .config.reference import Reference, load_reference
from .config.schema import (
    AGE,
    ASSESSMENTS,
    BENEFITS,
    CHOICE,
    COMPLAINTS,
    COUNT,
    DATE,
    FUNDS,
    HOME_CARE,
    HOMES,
    INSPECTIONS,
    MONEY,
    PROGRESS,
    SEQ,
    SIGNED,
    SPENDING,
    STAFF,
    PERSON_NAME_FIELDS,
    TABLES,
    CHANGES,
    TOWNSHIPS,
    Table,
    bind,
)
from .core.catalogue import issue
from .core import store as disk
from .core.cache import CACHE, Recent
from .core.frames import share_values
from .core.issues import ERROR, WARNING, At, Issue
from .core.parallel import forked, map_forked
from .core.months import available_months, check_month, previous_month  # noqa: F401  (re-exported)
from .core.paths import data_dir as _data_dir
from .io.readers import ParsedTable, find_tables
from .core.text import clip, fold
from .io.archives import ARCHIVES, archive_contents
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
    "督查": ("inspections",),
    "举报": ("complaints",),
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
    inspections: pd.DataFrame = field(default_factory=pd.DataFrame)  # the bureau's 督查检查表, one row per home and item
    complaints: pd.DataFrame = field(default_factory=pd.DataFrame)   # the bureau's 举报与媒体报道登记表, one row per case
    #: what :func:`cached_month` knows this read by (folder, files' sizes and times); None when not cached.
    #: Results computed from the month can be kept under it (see report.briefing's shared month facts).
    cache_key: tuple | None = field(default=None, repr=False, compare=False)
    #: the townships whose own 附件3 form has errors, held back from every figure of a draft (:func:`held_back`):
    #: their rows are not in ``assessments``, so they count as forms not in the month, named 待核实
    held_back: tuple[str, ...] = ()
    #: the month's key in the on-disk store (:mod:`tekun_helpers.core.store`): its files by content and the code;
    #: None when it was not read through the store (passed in, or changed since)
    store_key: str | None = field(default=None, repr=False, compare=False)
    #: True for a month's trace (:meth:`trace`): what the months after it read of it, not the whole month
    is_trace: bool = field(default=False, repr=False, compare=False)
    #: True for the month as reports read it (:meth:`for_reports`: the files without their cells); a caller that
    #: reads the cells (checks, returned forms) never gets it from the cache (:func:`cached_month`)
    lean: bool = field(default=False, repr=False, compare=False)

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

    def trace(self) -> "MonthData":
        """What a later month's report reads of this month (the trend, the schedule's runs, the last assessment
        of each person, the names a public text keeps out): the 附件1/附件2 frames, the 减少情况表 (:data:`TRACE_FRAMES`),
        the other frames with the columns of :data:`TRACE_COLUMNS` only (附件3's identity columns, every table's
        names), the files read (name, fingerprint, sample mark; not their cells) and the errors. Every other frame
        is :class:`Dropped`: reading it is an error, never a silent empty table. About a twentieth of the month;
        see :func:`tekun_helpers.analysis.trends.history`."""
        import dataclasses

        kept = {name: getattr(self, name) for name in TRACE_FRAMES}
        for name, columns in TRACE_COLUMNS.items():
            if name in kept:
                continue
            frame = getattr(self, name)
            kept[name] = frame[[c for c in frame.columns if c in columns]].copy()
        dropped = {f.name: Dropped(self.month, f.name) for f in dataclasses.fields(self)
                   if f.name in FRAMES and f.name not in kept}
        # the files read, without their cells (the sheets, two thirds of a trace: only the month's own reading
        # and its returned workbooks use them, from the month read whole)
        files = [dataclasses.replace(s, sheets=[]) for s in self.sources]
        return dataclasses.replace(self, **kept, **dropped, sources=files, tables=[], issues=self.errors,
                                   is_trace=True)

    def for_reports(self) -> "MonthData":
        """The month as a batch hands it to its workers (publish/warm.py): the files read without their cells
        (the reading, its checks and the returned workbooks use them, not a report) and the tables' rows only in
        the files an issue points at (where :meth:`Briefing.concerns <tekun_helpers.report.briefing.Briefing.concerns>`
        and :func:`faulty_forms` look for the rows it names); every frame whole. For a county ten times the
        bundled one, 2023-08: 24 → 7 MB pickled, some 40 MB less in each worker."""
        import dataclasses

        pointed = {i.file for i in self.issues if i.file}
        tables = [t if t.file in pointed else dataclasses.replace(t, rows=[], total=None, shares_total_with=[])
                  for t in self.tables]
        files = [dataclasses.replace(s, sheets=[]) for s in self.sources]
        return dataclasses.replace(self, sources=files, tables=tables, lean=True)

    def whole(self) -> "MonthData":
        """The month read whole: itself, or for a trace the month it was made from (:func:`earlier_whole`)."""
        return earlier_whole(self.month, self.folder.parent) if self.is_trace else self

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
        """Short fingerprint of the input files (names and sha256), shown in the banner briefing's methods section (方法与数据来源)."""
        h = hashlib.sha256()
        for s in sorted(self.sources, key=lambda s: s.name):
            h.update(f"{s.name}\0{s.sha256}\n".encode())
        return h.hexdigest()[:12]


#: the columns a month's trace keeps of its person frames (:meth:`MonthData.trace`)
TRACE_COLUMNS: dict[str, tuple[str, ...]] = {
    **PERSON_NAME_FIELDS,      # every name, for the public notice to keep out (the 督查 inspectors' included)
    "assessments": ("township", "village", "name", "sex", "id_number", "age", "assessed_on", "guardian_name",
                    *PROVENANCE),
}
#: the frames a month's trace keeps whole (small: one row per township, home, or person who left)
TRACE_FRAMES = ("townships", "homes", "changes")


class Dropped:
    """A frame a month's trace does not keep: any use of it says so (a report reading an earlier month's
    工作人员台账, say, must read that month whole: ``load_month(month, cache=True)``)."""

    def __init__(self, month: str, name: str):
        self.month, self.name = month, name

    def _fail(self, *args, **kwargs):
        raise AttributeError(f"{self.month} 的 {self.name} 不在该月的摘要（trace）中：需要时请读取整月数据")

    __len__ = __iter__ = __getitem__ = __getattr__ = _fail

    def copy(self) -> "Dropped":
        return self

    def __reduce__(self):
        return (Dropped, (self.month, self.name))


@dataclass(frozen=True)
class _Frame:
    """How a frame of :class:`MonthData` is read from its tables.

    table:        the schema table its rows come from.
    order:        the reference names its rows are sorted by ('townships', 'homes'; None: as written).
    one_per_name: one row per township or home (the first of duplicates, which are errors anyway);
                  its counts are plain integers when none is missing.
    by_unit:      the rows of a form whose 填报单位 names the township (附件3): a 'township' column first.
    """

    table: Table
    order: str | None
    one_per_name: bool = False
    by_unit: bool = False


#: the frames of :class:`MonthData`, in the order they are made
FRAMES: dict[str, _Frame] = {
    "townships": _Frame(TOWNSHIPS, "townships", one_per_name=True),
    "homes": _Frame(HOMES, "homes", one_per_name=True),
    "assessments": _Frame(ASSESSMENTS, "townships", by_unit=True),
    "progress": _Frame(PROGRESS, "townships", one_per_name=True),
    "staff": _Frame(STAFF, "homes"),
    "home_care": _Frame(HOME_CARE, "homes", one_per_name=True),
    "benefits": _Frame(BENEFITS, None),
    "funds": _Frame(FUNDS, "homes"),
    "spending": _Frame(SPENDING, "homes"),
    "changes": _Frame(CHANGES, None),
    "inspections": _Frame(INSPECTIONS, "homes"),
    "complaints": _Frame(COMPLAINTS, None),
}


def _frame(tables: list[ParsedTable], spec: _Frame, reference: Reference) -> pd.DataFrame:
    """The rows of ``tables`` with a name as one frame: the table's fields, then where each row came from
    (file, sheet, Excel row); sorted by the reference order, then as written. Counts and ages are Int64,
    answers, dates and amounts objects (None when empty), text str ('' when empty)."""
    table = spec.table
    lead = ["township"] if spec.by_unit else []
    records = []
    for t in tables:
        if spec.by_unit and not t.unit:
            continue
        for r in t.rows:
            if not r.values.get(table.name_field):
                continue
            rec = {"township": t.unit} if spec.by_unit else {}
            rec.update({k: r.values.get(k) for k in table.keys})
            rec.update(source_file=t.file, source_sheet=t.sheet, source_row=r.row)
            records.append(rec)
    df = pd.DataFrame.from_records(records, columns=[*lead, *table.keys, *PROVENANCE])
    by = "township" if spec.by_unit else table.name_field
    if spec.one_per_name:
        df = df.drop_duplicates(subset=[by], keep="first")
    if spec.order:
        names = reference.township_names if spec.order == "townships" else reference.home_names
        rank = {n: i for i, n in enumerate(names)}
        df = df.sort_values([by, "source_file", "source_row"], key=lambda s: s.map(rank) if s.name == by else s,
                            kind="stable").reset_index(drop=True)
    for f in table.fields:
        if f.key not in df.columns or f.kind == SEQ:
            continue
        if f.kind in (COUNT, SIGNED, AGE):
            col = pd.array(df[f.key].tolist(), dtype="Int64")
            exact = spec.one_per_name and not f.key.endswith("_stated") and not col.isna().any()
            df[f.key] = col.astype("int64") if exact else col
        elif f.kind == DATE:
            df[f.key] = df[f.key].astype(object).where(df[f.key].notna(), None)
        elif f.kind in (CHOICE, MONEY):
            df[f.key] = df[f.key].astype(object)
        else:
            df[f.key] = df[f.key].fillna("").astype(str)
    df["source_row"] = df["source_row"].astype("int64")
    return df


def cached_month(month: str, data_dir=None, store: Recent | None = None, *, lean: bool = False) -> MonthData:
    """The month as read before when none of its files changed, else read now and kept.

    Kept twice: in this process (``store``, default :data:`tekun_helpers.core.cache.CACHE` ``.months``, keyed on
    the month, the data folder and every file's path, size and modification time, the reference data's
    included), and on disk (:mod:`tekun_helpers.core.store`, keyed on the files' content and the code), so a
    month read once is not read from its Excel files again by a later command. A batch worker's kernel reads
    the month before the report runs, and the banner's 18 township briefings share one read. A copy is handed
    out (:meth:`MonthData.copy`), so no caller can change what another one sees.

    ``lean``: the caller reads no file's cells (a report, the index page, the Excel export): the month kept in
    this process is then the month as reports read it (:meth:`MonthData.for_reports`), the cells given back
    once the month is read and checked. A caller without ``lean`` (the returned forms) never gets a lean month:
    it is read whole again (from the disk store) and kept in its place. For a county ten times the bundled one
    the cells are some 150 MB of a month's 200 (2024-07), in a batch and in each of its workers.
    """
    store = CACHE.months if store is None else store
    base = _data_dir(data_dir)
    files = _files_key(base, month)
    key = (month, str(base.resolve()), files)
    data = store.get(key)
    if data is None or (data.lean and not lean):
        skey = disk_key(month, base, files)

        def read() -> MonthData:
            whole = disk.get("months", skey)
            if whole is None:
                whole = load_month(month, data_dir)
                disk.put("months", skey, whole)
            return whole.for_reports() if lean else whole

        # lean: read (or unpickled from the store) whole in a forked helper, which hands back the month as reports
        # read it: the cells never enter this process (see parallel.forked: 100 MB less in a batch of a county
        # ten times the bundled one)
        data = forked(read) if lean else read()
        data.cache_key, data.store_key = key, skey
        store.put(key, share_strings(data))
    return data.copy()


def earlier_whole(month: str, data_dir=None) -> MonthData:
    """An earlier month read whole (:func:`cached_month`; a copy), for what only a whole month has (a trace made,
    the follow-up register folded): kept in this process only if it was already. Every earlier month kept whole
    held 1.7 GB in a batch of a county ten times the bundled one at month 12 with nothing in the store (each
    some 150 MB), and the month before last some 150 MB every month."""
    base = _data_dir(data_dir)
    kept = CACHE.months.get((month, str(base.resolve()), _files_key(base, month)))
    return kept.copy() if kept is not None and not kept.lean else cached_month(month, data_dir, store=Recent(1))


def cached_trace(month: str, data_dir=None) -> MonthData:
    """The month's trace (:meth:`MonthData.trace`), from this process's cache or the disk store when its files
    did not change, else made from the month (read through :func:`cached_month`) and kept. Not a copy: a
    trace is only read. The month read whole to make it is not kept in this process (:func:`earlier_whole`)."""
    base = _data_dir(data_dir)
    files = _files_key(base, month)
    key = ("trace", month, str(base.resolve()), files)
    trace = CACHE.traces.get(key)
    if trace is None:
        skey = disk_key(month, base, files)
        trace = disk.get("traces", skey)
        if trace is None:
            trace = earlier_whole(month, data_dir).trace()
            disk.put("traces", skey, trace)
        trace.cache_key, trace.store_key = (month, str(base.resolve()), files), skey
        CACHE.traces.put(key, share_strings(trace))
    return trace


def share_strings(data: MonthData) -> MonthData:
    """``data`` with each text of its frames replaced by the one equal text this process keeps (``sys.intern``),
    and each date by one object per day, in place; returns ``data``. The same people, villages and townships are in
    every month: read from each month's files (or its pickle in the store), every month had copies of its own (18
    townships' names in 29,000 rows, each person's name and ID once a month, 附件3's 排查时间 once a row). Shared, a
    batch's seed pickles each once (pickle writes an object it has written as a reference), so its workers load them
    once as well: for a county ten times the bundled one at month 12 the seed went from 53 to 36 MB and a worker's
    months and traces from 277 to 125 MB; about 0.05 s a month there. Equal values: nothing that reads the frames
    can tell."""
    import dataclasses

    for f in dataclasses.fields(data):
        frame = getattr(data, f.name)
        if isinstance(frame, pd.DataFrame):
            share_values(frame)
    return data


def disk_key(month: str, base: Path, files: tuple) -> str:
    """The month's key in the disk store: the month, the data folder, each file read by name and content
    (sha256), and the code (:func:`tekun_helpers.core.store.code_version`)."""
    return disk.digest("month", month, str(base.resolve()), tuple((p, disk.file_sha(Path(p))) for p, _, _ in files),
                       disk.code_version())


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
        issues.append(issue("file_name_encoding", At(rel)))
    src = read_file(p, rel, issues)
    found = find_tables(src.sheets, issues, county)
    if src.sheets and not found:
        issues.append(issue("no_table_in_file", At(rel)))
    return src, found, issues


def load_month(month: str, data_dir: str | os.PathLike | None = None, *,
               policy: Policy | None = None, reference: Reference | None = None, cache: bool = False,
               lean: bool = False) -> MonthData:
    """Read and check the month's tables in ``data/<month>/``.

    month:    'YYYY-MM'.
    data_dir: the data folder holding ``<month>/`` and ``reference/`` (default: the project's data/).
    cache:    reuse the result of an earlier call in this process when no file changed
              (a batch worker's warm kernel reads the month before the report runs); the
              result is a copy, see :func:`cached_month`.
    lean:     with ``cache``, for a caller that reads no file's cells (:func:`cached_month`).
    Returns a :class:`MonthData`; problems are in ``.issues``, never raised.
    """
    check_month(month)
    base = _data_dir(data_dir)
    if cache and policy is None and reference is None:
        return cached_month(month, data_dir, lean=lean)
    policy = (policy or load_policy(data_dir=base)).in_force(month)   # the policy in force on the month's last day
    reference = reference or load_reference(base)
    county = policy.county
    folder = base / month
    issues, sources, tables, archives = _read_folder(month, folder, county)
    by_kind = {k: [t for t in tables if t.table.key == k] for k in TABLES}
    if folder.is_dir() and sources:
        issues += _missing_tables(month, by_kind, county)
    issues += _tables_in_archives(month, by_kind, archives, county)
    for t in tables:
        issues += _check_table(t, month, policy, reference)
    issues += _check_coverage(by_kind, reference, month, county)
    frames = {name: _frame(by_kind[spec.table.key], spec, reference) for name, spec in FRAMES.items()}
    home_town = {h.name: h.township for h in reference.homes}
    frames["homes"].insert(1, "township", frames["homes"]["home"].map(home_town).fillna("").astype(str))
    issues += _check_across(by_kind, frames, reference, month, county)
    issues += check_copy(month, base, sources, tables, county)
    return MonthData(month, folder, issues=issues, sources=sources, policy=policy, reference=reference, tables=tables,
                     **frames)


def _read_folder(month: str, folder: Path, county: County
                 ) -> tuple[list[Issue], list[SourceFile], list[ParsedTable], dict[str, list[str]]]:
    """Read every file of the month's folder: (issues, files read, tables found, the workbooks each unextracted
    archive seems to hold), in the files' order."""
    issues: list[Issue] = []
    sources: list[SourceFile] = []
    tables: list[ParsedTable] = []
    archives: dict[str, list[str]] = {}
    if not folder.is_dir():
        issues.append(issue("folder_missing", At(), value=str(folder), month=month, folder=str(folder)))
        return issues, sources, tables, archives
    files, ignored = list_input_files(folder)
    for p in ignored:
        rel, _ = safe_name(p.relative_to(folder).as_posix())
        if p.suffix.lower() in ARCHIVES:
            issues.append(_archive_issue(p, rel, archives))
        else:
            issues.append(issue("file_ignored", At(rel)))
    if not files:
        issues.append(issue("folder_empty", At(), value=str(folder), month=month, folder=str(folder)))
    # the files are read side by side on a machine with more than one core (2023-08's 27 files: 2.1 s
    # one after the other, 2-core AMD EPYC); the results, and so the issues, come in the files' order
    for src, found, file_issues in map_forked(_read_one, [(p, folder, county) for p in files],
                                               at_least=PARALLEL_FILES):
        issues += file_issues
        sources.append(src)
        tables.extend(found)
    return issues, sources, tables, archives


#: words in a file's name that say which table it holds, for the names inside an archive nobody extracted
#: (the tables' own words, the same in every county)
ARCHIVE_HINTS: dict[str, tuple[str, ...]] = {
    "townships": ("附件1", "分乡镇统计"), "homes": ("附件2", "养老机构"), "assessments": ("附件3", "排查评估"),
    "progress": ("工作进度",), "staff": ("工作人员",), "home_care": ("护理型床位", "入住构成"),
    "benefits": ("名册",), "funds": ("拨付",), "spending": ("支出明细",), "changes": ("减少情况", "增减"),
    "inspections": ("督查",),
    "complaints": ("举报", "媒体报道"),
}


def _archive_issue(path: Path, rel: str, archives: dict[str, list[str]]) -> Issue:
    """A .zip (or .rar, .7z) in the month folder: 未解压, with the workbooks it seems to hold (kept in ``archives``)."""
    names = archive_contents(path)
    if names is None:
        return issue("archive_not_extracted", At(rel), variant="unlisted", kind=path.suffix.lstrip(".").upper())
    archives[rel] = names
    if not names:
        return issue("archive_not_extracted", At(rel), variant="empty")
    shown = "、".join(f"《{clip(n, 80)}》" for n in names[:8]) + (f" 等 {len(names)} 个" if len(names) > 8 else "")
    return issue("archive_not_extracted", At(rel), value=clip(", ".join(names[:8]), 200), count=len(names), names=shown)


def _tables_in_archives(month: str, by_kind: dict[str, list[ParsedTable]], archives: dict[str, list[str]],
                        county: County) -> list[Issue]:
    """A table the month lacks whose file seems to be inside an unextracted archive: which one, and where."""
    out = []
    for kind, words in ARCHIVE_HINTS.items():
        if by_kind[kind]:
            continue
        for rel, names in archives.items():
            inner = next((n for n in names if any(w in fold(n) for w in words)), None)
            if inner is not None:
                out.append(issue("table_in_archive", At(rel), value=clip(inner, 80), month=month,
                                 table=bind(TABLES[kind], county).label, inner=clip(inner, 80)))
                break
    return out


def _missing_tables(month: str, by_kind: dict[str, list[ParsedTable]], county: County) -> list[Issue]:
    """附件1 and 附件2 are due every month."""
    out = []
    for kind, table in (("townships", bind(TOWNSHIPS, county)), ("homes", bind(HOMES, county))):
        if not by_kind[kind]:
            out.append(issue("table_missing", At(), month=month, table=table.label,
                             label=table.field(table.name_field).label))
    return out


def _check_table(t: ParsedTable, month: str, policy: Policy, reference: Reference) -> list[Issue]:
    """One table on its own: its columns and month line, its names (the official ones replace what is
    written), its rows against each other and the policy, its 合计 row."""
    county = policy.county
    out = v.check_columns(t) + v.check_month_line(t, month)
    if t.table.key == "assessments":
        return out + v.resolve_unit(t, reference, county)
    if t.table.key == "benefits":
        return out + v.check_benefits(t, reference, county)
    if t.table.key == "changes":
        return out + check_changes(t, reference, county)
    if t.table.key == "inspections":
        return out + v.resolve_names(t, reference, county) + check_inspection(t, month, policy)
    if t.table.key == "complaints":
        return out + check_complaints(t, month, reference, county, policy)
    out += v.resolve_names(t, reference, county)
    if t.table.key in ("townships", "homes"):
        out += v.check_rows(t)
        out += v.check_policy(t, policy)
    return out + v.check_total(t)


def _check_coverage(by_kind: dict[str, list[ParsedTable]], reference: Reference, month: str,
                    county: County) -> list[Issue]:
    """Every township in 附件1 and every home in 附件2 once; in the optional ledgers, a missing one is
    not reported (a warning)."""
    out = []
    for kind in ("townships", "homes"):
        out += v.check_coverage(by_kind[kind], kind, reference, month, county)
    for table, kind in (("progress", "townships"), ("home_care", "homes")):
        if by_kind[table]:
            out += v.check_coverage(by_kind[table], kind, reference, month, county, optional=True)
    return out


def _check_across(by_kind: dict[str, list[ParsedTable]], frames: dict[str, pd.DataFrame], reference: Reference,
                  month: str, county: County) -> list[Issue]:
    """The tables against each other: 附件3 and the ledgers against 附件1 and 附件2, identity numbers."""
    out = []
    if by_kind["assessments"]:
        out += v.check_people(by_kind["assessments"], frames["townships"], month, county)
    for t in by_kind["progress"]:
        out += v.check_progress(t, frames["townships"], month)
    if by_kind["staff"]:
        out += v.check_staff(by_kind["staff"], frames["homes"], reference, month)
    for t in by_kind["home_care"]:
        out += v.check_home_care(t, frames["homes"])
    if len(frames["assessments"]):
        out += v.check_identity(by_kind["assessments"], month)
    return out


def faulty_forms(data: MonthData) -> list[str]:
    """The townships (official order) whose own 附件3 form has an error: the 填报单位 of a form an error points
    at, or the townships its rows name when the unit is not one of the reference's."""
    files = {e.file for e in data.errors if e.file}
    towns: set[str] = set()
    for t in data.tables:
        if t.table.key != ASSESSMENTS.key or t.file not in files:
            continue
        if t.unit in data.reference.township_names:
            towns.add(t.unit)
        else:
            towns |= {str(r.values.get("township")) for r in t.rows if r.values.get("township")}
    return [t for t in data.reference.township_names if t in towns]


def held_back(data: MonthData) -> MonthData:
    """A draft's month (``tekun report --draft``): a copy without the rows of the townships whose own 附件3
    form has errors, so that every total and statistic leaves them out as it leaves out a form not received;
    ``held_back`` names them (their figures are 待核实). The month itself when no form has an error."""
    towns = faulty_forms(data)
    if not towns:
        return data
    out = data.copy()
    if len(out.assessments):
        out.assessments = out.assessments[~out.assessments["township"].isin(towns)].reset_index(drop=True)
    out.held_back = tuple(towns)
    out.cache_key = None if data.cache_key is None else (*data.cache_key, "held_back", *towns)
    out.store_key = None        # not the month as its files say: never kept on disk
    return out
