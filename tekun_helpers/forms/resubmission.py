"""What changed since the last feedback: issues fixed, remaining and new, cells changed.

Each `tekun feedback` run records, per received file, one *version*: the file's sha256,
who it belongs to, the tables it holds, its issues and a short fingerprint of every
non-empty cell (never the values themselves). The record is ``反馈记录.json`` in the
month's feedback folder. A file whose sha256 differs from its last version is a
resubmission: the new version is appended and compared with the one before. A file that
did not change since an earlier feedback run is compared with itself: nothing fixed, no cell
changed, its issues still open. Running feedback again on a month in which no file changed is a
re-run of the last feedback, not a new round, and gives the same answer as it.

A corrected file may come back under another name (附件1（修改）.xlsx): a new name is
matched to a recorded file that is no longer in the month folder, of the same township
and holding the same tables.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..core.issues import Issue
from ..io.workbooks import SourceFile

RECORD_NAME = "反馈记录.json"
RECORD_FORMAT = 1


def issue_key(issue: Issue) -> str:
    """The same problem in two versions of a file: same check, sheet and cell (or, for a problem
    about no single cell, same check, sheet, column and value)."""
    if issue.row is not None:
        parts = (issue.code, issue.sheet, issue.row, issue.column_letter or issue.column or "")
    else:
        parts = (issue.code, issue.sheet, issue.column or "", issue.value)
    return json.dumps(parts, ensure_ascii=False)


def issue_record(issue: Issue) -> dict:
    return {"key": issue_key(issue), "severity": issue.severity, "code": issue.code, "sheet": issue.sheet,
            "row": issue.row, "column": issue.column, "column_letter": issue.column_letter,
            "value": issue.value, "message": issue.message, "detail": issue.detail}


def _digest(value) -> str:
    return hashlib.sha256(f"{type(value).__name__}:{value}".encode()).hexdigest()[:10]


def cell_prints(source: SourceFile) -> dict[str, dict[str, str]]:
    """{sheet: {'B4': fingerprint}} for every non-empty cell of the file as it was read."""
    out: dict[str, dict[str, str]] = {}
    for sh in source.sheets:
        cells = {}
        for i, row in enumerate(sh.rows):
            for j, v in enumerate(row):
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                cells[f"{get_column_letter(j + 1)}{i + 1}"] = _digest(v)
        out[sh.name] = cells
    return out


@dataclass
class Version:
    """One received version of a file, as recorded."""

    sha256: str
    owner: str
    kinds: list[str]
    issues: list[dict]
    cells: dict[str, dict[str, str]]
    run: str = ""          # the feedback time (to the minute) that first saw this version
    seen_in: int = 0       # the number of the feedback run that first saw it

    def as_json(self) -> dict:
        return {"sha256": self.sha256, "owner": self.owner, "kinds": self.kinds, "issues": self.issues,
                "cells": self.cells, "run": self.run, "seen_in": self.seen_in}

    @classmethod
    def from_json(cls, d: dict) -> "Version":
        return cls(d.get("sha256", ""), d.get("owner", ""), list(d.get("kinds", [])), list(d.get("issues", [])),
                   dict(d.get("cells", {})), d.get("run", ""), int(d.get("seen_in", 0)))


@dataclass
class Changes:
    """A file against its previous version.

    previous_name: the name the previous version had (differs when sent back renamed).
    previous_run:  the feedback date of the previous version.
    fixed:         issue records of the previous version that are gone.
    remaining:     keys of current issues that the previous version had too.
    new:           keys of current issues that the previous version did not have.
    cells:         'Sheet1!B4' for every cell whose content changed, appeared or was emptied.
    """

    previous_name: str
    previous_run: str
    version: int
    fixed: list[dict] = field(default_factory=list)
    remaining: set[str] = field(default_factory=set)
    new: set[str] = field(default_factory=set)
    cells: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """'与上次反馈（2023-09-05）相比：已改正 2 项，仍未改正 2 项，新出现 0 项；改动单元格 2 个。'"""
        renamed = f"（上次的文件名为《{self.previous_name}》）" if self.previous_name else ""
        when = f"（{self.previous_run}）" if self.previous_run else ""
        if self.unchanged:
            return f"与上次反馈{when}相比{renamed}：文件没有改动，仍未改正 {len(self.remaining)} 项。"
        return (f"与上次反馈{when}相比{renamed}：已改正 {len(self.fixed)} 项，仍未改正 {len(self.remaining)} 项，"
                f"新出现 {len(self.new)} 项；改动单元格 {len(self.cells)} 个。")

    @property
    def unchanged(self) -> bool:
        """Nothing fixed, nothing new, no cell changed."""
        return not (self.fixed or self.new or self.cells)

    def status(self, issue: Issue) -> str:
        return "仍未改正" if issue_key(issue) in self.remaining else "新出现"


def _changed_cells(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[str]:
    out = []
    for sheet in list(dict.fromkeys([*old, *new])):
        a, b = old.get(sheet, {}), new.get(sheet, {})
        refs = sorted(set(a) | set(b), key=_ref_order)
        for ref in refs:
            if a.get(ref) != b.get(ref):
                out.append(f"{sheet}!{ref}" if sheet else ref)
    return out


def _ref_order(ref: str) -> tuple[int, int, str]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch.upper()) - 64)
    return (int(digits or 0), col, ref)


def compare(previous: Version, current: Version, issues: list[Issue], *, previous_name: str = "",
            version: int = 2) -> Changes:
    old_keys = {d["key"]: d for d in previous.issues}
    now = {issue_key(i) for i in issues}
    return Changes(previous_name, previous.run, version,
                   fixed=[d for k, d in old_keys.items() if k not in now],
                   remaining=now & set(old_keys), new=now - set(old_keys),
                   cells=_changed_cells(previous.cells, current.cells))


class Record:
    """The feedback record of one month: {file name: [Version, ...]} oldest first."""

    def __init__(self, path: Path, files: dict[str, list[Version]] | None = None, runs: int = 0,
                 last: dict[str, str] | None = None):
        self.path = path
        self.files = files or {}
        self.runs = runs       # feedback runs recorded so far; the current one once :meth:`begin` is called
        self.last = last or {}   # {file name: sha256} of the month folder at the last run

    def begin(self, folder: dict[str, str] | None = None) -> None:
        """Start a run on the month folder ``folder`` ({file name: sha256}). The same folder as at the
        last run is a re-run of that run (same answer), anything else a new round."""
        folder = dict(folder or {})
        if not (self.runs and folder and folder == self.last):
            self.runs += 1
        self.last = folder

    @classmethod
    def load(cls, folder: Path) -> "Record":
        path = folder / RECORD_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            files = {name: [Version.from_json(v) for v in versions] for name, versions in raw.get("files", {}).items()}
            runs = int(raw.get("runs", 0))
            last = {str(k): str(v) for k, v in dict(raw.get("last", {})).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            files, runs, last = {}, 0, {}   # no record (first feedback of the month) or an unreadable one: start afresh
        return cls(path, files, runs, last)

    def update(self, name: str, current: Version, issues: list[Issue], present: set[str]) -> Changes | None:
        """Record ``current`` as the file ``name`` and compare it with its previous version (None when
        there is none). ``present``: the names now in the month folder (a renamed file's old name is not).
        A file unchanged since an earlier run is compared with itself: nothing fixed, no cell changed."""
        previous_name = ""
        versions = self.files.get(name)
        if versions is None:
            for old, vs in self.files.items():
                last = vs[-1]
                if old not in present and last.owner == current.owner and sorted(last.kinds) == sorted(current.kinds) \
                        and current.kinds:
                    versions, previous_name = self.files.pop(old), old
                    break
        versions = versions or []
        self.files[name] = versions
        current.seen_in = self.runs
        if versions and versions[-1].sha256 == current.sha256:
            current.run, current.seen_in = versions[-1].run, versions[-1].seen_in
            versions[-1] = current
        else:
            versions.append(current)
        if current.seen_in < self.runs:       # not changed since an earlier round
            return compare(current, current, issues, previous_name=previous_name, version=len(versions))
        if len(versions) < 2:
            return None
        return compare(versions[-2], versions[-1], issues, previous_name=previous_name, version=len(versions))

    def save(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": RECORD_FORMAT, "runs": self.runs, "last": self.last,
                "files": {n: [v.as_json() for v in vs] for n, vs in sorted(self.files.items())}}
        fd, tmp = tempfile.mkstemp(prefix=".~tekun-", suffix=".json", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.path)
        return self.path
