"""What a report was made from: hashes of the input files, the reference data and the code.

The batch uses these to skip reports whose inputs did not change; every
executed notebook records them in its metadata (``metadata.tekun``), so a
report kept for years can be traced back to the exact files it used.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .. import __version__
from ..core.paths import PACKAGE_DIR, reference_dir


def sha_files(paths) -> str:
    """One sha256 over the names and contents of ``paths`` (order-independent)."""
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        h.update(str(p.name).encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def code_fingerprint() -> str:
    """The package version and a hash of its source and templates: a change re-renders reports."""
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".json", ".css")
             and "__pycache__" not in p.parts]
    return f"{__version__}:{sha_files(files)[:16]}"


def reference_files(data_dir) -> dict[str, str]:
    """Reference file name -> sha256."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(reference_dir(data_dir).glob("*")) if p.is_file()}


def report_inputs(data, months, parameters: dict, notebook=None) -> dict:
    """The record stored in an executed notebook's ``metadata.tekun``.

    data:   the report month's MonthData; months: the MonthData of every month the
    report read (the trend and the comparison with last month use earlier months).
    notebook: the source notebook's path; its name and :func:`source_fingerprint` are recorded.
    """
    from .notebooks import source_fingerprint

    record = {
        "parameters": {k: v for k, v in parameters.items() if k != "data_dir"},
        "month": data.month,
        "fingerprint": data.fingerprint,
        "inputs": [{"month": d.month, "file": s.name, "sha256": s.sha256, "sample": bool(s.sample)}
                   for d in sorted(months, key=lambda d: d.month) for s in sorted(d.sources, key=lambda s: s.name)],
        "reference": reference_files(data.folder.parent),
        "code": code_fingerprint(),
    }
    if notebook is not None:
        record["notebook"] = {"file": Path(notebook).name, "sha256": source_fingerprint(notebook)}
    return record
