"""What the workbook keeps on disk between runs: each month's facts, so that a report's cost does not grow with
the months before it.

A report of month 12 shows the trend and the follow-up register since month 1. Reading eleven months of
Excel files and folding eleven months of findings every time made month 12 cost several times month 1
(8.6 s against 39.6 s in a county's made-up year). The facts of a month that can no longer change are kept
here instead, each under a key of everything it depends on:

- the month's input files by content (sha256 of every file of data/<month>/ and data/reference/, which holds
  the policy in force and the county's words), and the data folder;
- the code that computed it (:func:`code_version`: the package's source, so a new release recomputes);
- for the follow-up register, the keys of every earlier month it folded.

The store is a folder of pickles, under ``outputs/.cache/`` by default ($TEKUN_CACHE_DIR overrides it; an empty
value or ``0`` turns it off). It is never the truth: data/ is. Deleting the folder, or any file in it, costs only
time; an unreadable or stale file is recomputed. Files are written whole (a temporary file renamed), so a batch's
workers and an analyst's JupyterLab can share it. The store keeps at most :data:`KEEP` files of each kind, the
ones used longest ago leave first, and at most :data:`KEEP_BYTES` of each.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .paths import PACKAGE_DIR, output_dir

#: files kept of each kind (months, traces, register states) before the least recently used leave, and the
#: bytes (a month of a county ten times the bundled one is about 30 MB)
KEEP = 240
KEEP_BYTES = 1 << 30


def root() -> Path | None:
    """The store's folder: $TEKUN_CACHE_DIR, else <outputs>/.cache; None when $TEKUN_CACHE_DIR is '' or '0'."""
    env = os.environ.get("TEKUN_CACHE_DIR")
    if env is not None:
        return None if env.strip() in ("", "0") else Path(env)
    return output_dir() / ".cache"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the package's source (.py files): what computed a kept fact."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        h.update(p.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


_SHA: dict[tuple, str] = {}


def file_sha(path: Path) -> str:
    """sha256 of a file's content, remembered in this process by (path, size, modification time)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    sha = _SHA.get(key)
    if sha is None:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        sha = _SHA[key] = h.hexdigest()
    return sha


def digest(*parts: Any) -> str:
    """One short hex key for ``parts`` (strings, numbers and tuples of them)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _path(kind: str, key: str) -> Path | None:
    base = root()
    return None if base is None else base / kind / f"{key}.pickle"


def get(kind: str, key: str) -> Any | None:
    """The value kept under ``kind``/``key``, or None (never kept, unreadable, or the store is off)."""
    p = _path(kind, key)
    if p is None or not p.is_file():
        return None
    try:
        with open(p, "rb") as fh:
            value = pickle.load(fh)
    except Exception:            # a half-written or foreign file: computed again, then overwritten
        return None
    try:
        os.utime(p)              # used now: the last to leave
    except OSError:
        pass
    return value


def put(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` under ``kind``/``key`` (written whole; a store that cannot be written is skipped)."""
    p = _path(kind, key)
    if p is None:
        return
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, p)
        _prune(p.parent)
    except OSError:
        return


def kept(kind: str, key: str, compute: Callable[[], Any]) -> Any:
    """The value under ``kind``/``key``, computed by ``compute()`` and kept when there is none."""
    value = get(kind, key)
    if value is None:
        value = compute()
        put(kind, key, value)
    return value


def _prune(folder: Path) -> None:
    """Remove the files used longest ago while more than KEEP files or KEEP_BYTES are kept."""
    files = []
    for p in folder.glob("*.pickle"):
        try:
            st = p.stat()
        except OSError:
            continue
        files.append((st.st_mtime_ns, st.st_size, p))
    files.sort(key=lambda x: x[0])
    count, size = len(files), sum(x[1] for x in files)
    for _, bytes_, p in files:
        if count <= KEEP and size <= KEEP_BYTES:
            break
        try:
            p.unlink()
        except OSError:
            continue
        count, size = count - 1, size - bytes_
