"""Where a table's header is, and which column holds which field.

A header is found by its texts, not by file or sheet name: in the first :data:`HEADER_SCAN_ROWS` rows, over
one to :data:`MAX_HEADER_ROWS` rows (a group cell such as 其中 carried over its merged range, a row of
units under the labels), never with the title row above it; whole labels are matched before longer headers
that contain one, so that an extra column anywhere is read past. Tables one under another and side by side
on one sheet are told apart (:func:`next_header`, :func:`side_by_side`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl.utils import get_column_letter

from ..config.schema import SEQ, Field, Table, bound_tables
from ..core.memo import remembered
from ..core.text import fold_label, fold_width, to_text
from .grids import Sheet

HEADER_SCAN_ROWS = 30


@dataclass
class Column:
    index: int        # 0-based
    label: str        # header text as found (folded whitespace)
    field: Field
    # later columns whose header names the same field: (0-based index, header text, header row offset:
    # 0 for the last header row, -1 for the row above it). They are not read, and are reported.
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)
    # those of the duplicates whose header only contains the field's label (入住人数占比): a warning
    loose: set[int] = field(default_factory=set)

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@remembered()
def _label_text(value) -> str:
    """A header cell as text without whitespace, width-folded (remembered: locate() looks at every cell of the
    first rows once per known table)."""
    return re.sub(r"\s+", "", fold_width(to_text(value)))


@lru_cache(maxsize=65536)
def _match_field_by_key(table_key: str, label: str, county) -> tuple[Field | None, bool]:
    """(the field of table ``table_key`` (bound to ``county``: its words and header words, schema.bind)
    that the header ``label`` names, whether by a whole label)."""
    table = bound_tables(county)[table_key]
    folded = fold_label(label)
    if not folded:
        return None, False
    for f in table.fields:
        if folded in f.folded_labels():
            return f, True
    # a longer header that contains one known label (e.g. 分散供养人数合计)
    hits = [(len(lbl), f) for f in table.fields for lbl in f.folded_labels() if len(lbl) >= 4 and lbl in folded]
    if hits:
        hits.sort(key=lambda x: -x[0])
        return hits[0][1], False
    return None, False


@lru_cache(maxsize=65536)
def _names_a_field(label: str, county) -> bool:
    """True when ``label`` is (or contains) a column label of any known table."""
    return bool(label) and any(_match_field_by_key(k, label, county)[0] is not None for k in bound_tables(county))


MAX_HEADER_ROWS = 3


def _spans(row_index: int, merged) -> dict[int, int]:
    """{first column: last column} of the ranges merged across columns that start in row ``row_index``."""
    return {c0: c1 for r0, c0, r1, c1 in merged if r0 <= row_index <= r1 and c1 > c0}


def _carried(row: list, width: int, spans: dict[int, int] | None) -> list[str]:
    """Each column's text in an upper header row, a group cell's text carried over the columns under it: over
    its merged range when the file says so (``spans``), else up to the next cell with text (CSV, or a group
    cell written without merging)."""
    out, parent, until = [], "", None
    for j in range(width):
        v = row[j] if j < len(row) else None
        if v is not None and to_text(v):
            parent = _label_text(v)
            until = spans.get(j) if spans else None
        elif until is not None and j > until:
            parent = ""
        out.append(parent)
    return out


def _candidates(own: list[str], carried: list[str]) -> list[tuple[str, int, bool]]:
    """The header texts a column may be named by, most likely first: (text, header row offset (0 for the
    last header row, -1 above it …), written in this column's own cells). ``own``: the column's own text
    in each header row (top first), ``carried``: the text over it in each upper row."""
    n = len(own)
    if n == 1:
        return [(own[0], 0, True)]
    out = []
    bottom = own[-1]
    parents = carried[:-1]
    if bottom:
        out.append((bottom, 0, True))
        for k in range(n - 2, -1, -1):                    # the row above, then both above
            if parents[k]:
                out.append(("".join(p for p in parents[k:] if p) + bottom, 0, True))
        if n == 3 and parents[0] and parents[1]:
            out.append((parents[0] + bottom, 0, True))
    for k in range(n - 2, -1, -1):
        if own[k]:
            out.append((own[k], k - n + 1, True))
            if k > 0 and parents[k - 1]:
                out.append((parents[k - 1] + own[k], k - n + 1, True))
    if not any(own):
        for k in range(n - 2, -1, -1):
            if parents[k]:
                out.append(("".join(p for p in parents[: k + 1] if p), k - n + 1, False))
                break
    return list(dict.fromkeys(c for c in out if c[0]))


def _header_texts(rows: list[list], merged=(), first: int = 0) -> list[list[tuple[str, int, bool]]]:
    """Each column's :func:`_candidates` under a header of ``rows`` (the same for every table)."""
    width = max(len(r) for r in rows)
    upper = [_carried(r, width, _spans(first + k, merged) if merged else None) for k, r in enumerate(rows[:-1])]
    per_column = []
    for j in range(width):
        own = [_label_text(r[j]) if j < len(r) and r[j] is not None else "" for r in rows]
        carried = [u[j] for u in upper] + [own[-1]]
        per_column.append(_candidates(own, carried))
    return per_column


def _assign(table: Table, per_column: list[list[tuple[str, int, bool]]], county, memo: dict | None = None
            ) -> dict[str, Column]:
    """Fields to columns by the columns' candidate texts: whole labels first, then containing ones.
    ``memo``: {(table key, text): match} shared by the calls of one :func:`locate` (same county)."""
    cols: dict[str, Column] = {}
    repeated: dict[int, tuple[str, str, int, bool]] = {}
    taken: set[int] = set()
    key = table.key
    # each column's candidates that name a field of the table: (text, offset, own, field, by a whole label)
    memo = {} if memo is None else memo

    def match(cand):
        found = memo.get((key, cand))
        if found is None:
            found = memo[(key, cand)] = _match_field_by_key(key, cand, county)
        return found

    hits = [[(cand, offset, own, *match(cand)) for cand, offset, own in candidates] for candidates in per_column]
    for exact in (True, False):
        for j, matches in enumerate(hits):
            if j in taken:
                continue
            for cand, offset, own, f, whole in matches:
                if f is None or whole != exact:
                    continue
                if f.key not in cols:
                    cols[f.key] = Column(j, cand, f)
                    taken.add(j)
                    repeated.pop(j, None)
                    break
                if own and j not in repeated:
                    repeated[j] = (f.key, cand, offset, exact)
    for j, (key, cand, offset, exact) in sorted(repeated.items()):
        if j not in taken:
            cols[key].duplicates.append((j, cand, offset))
            if not exact:
                cols[key].loose.add(j)
    return cols


PERSON_TABLE_MIN_FIELDS = 6


def _score(table: Table, cols: dict[str, Column]) -> int:
    if table.name_field not in cols:
        return 0
    if table.has_totals:
        if not any(table.field(k).summed for k in cols):
            return 0
    elif len(cols) < min(PERSON_TABLE_MIN_FIELDS, len(table.keys) - 1):
        return 0
    elif len(table.keys) - 1 < PERSON_TABLE_MIN_FIELDS and not all(f.key in cols for f in table.fields if f.required):
        return 0      # a small table (资金台账) is only recognised with all its required columns
    return len(cols)


def locate(sheet: Sheet, start: int = 0, stop: int | None = None, *, county
           ) -> tuple[Table, int, dict[str, Column]] | None:
    """Find the best table header in a sheet: (table, last header row index 0-based, columns).

    start, stop: the 0-based rows where the header's first row may be (default: the first
    :data:`HEADER_SCAN_ROWS` rows from ``start``). county: whose words the headers are in
    (:class:`~tekun_helpers.config.county.County`); the table returned is bound to it.
    """
    best = None
    memo: dict = {}
    stop = start + HEADER_SCAN_ROWS if stop is None else stop
    # the ranges merged across columns in the rows a header may take
    merged = [m for m in sheet.merged if m[3] > m[1] and m[0] < stop + MAX_HEADER_ROWS and m[2] >= start]
    for i in range(start, min(stop, len(sheet.rows))):
        row = sheet.rows[i]
        if not any(isinstance(v, str) and v.strip() for v in row):
            continue
        if not any(_names_a_field(_label_text(v), county) for v in row if isinstance(v, str)):
            continue           # no cell of this row is a known column label: not a header's first row
        if _is_title_row(row, county):
            continue           # a title over the table (敖汉旗养老机构8月情况统计表) is never part of its header
        below = _header_rows_below(sheet, i)
        texts = [(i + k, _header_texts([row, *below[:k]], merged, i)) for k in range(len(below) + 1)]
        for table in bound_tables(county).values():
            for end, per_column in texts:
                cols = _assign(table, per_column, county, memo)
                s = _score(table, cols)
                # equal scores ending on the same row: the header of fewer rows (a row above that adds no column,
                # such as a title with a 单位：人 note beside it, is not part of it)
                if s and (best is None or s > best[0]
                          or (s == best[0] and end == best[2] and table.key == best[1].key and i > best[4])):
                    best = (s, table, end, cols, i)
    if best is None:
        return None
    _, table, end, cols, _ = best
    while end + 1 < len(sheet.rows) and _is_units_row(sheet.rows[end + 1]):
        end += 1          # （张） （人） under the labels: still the header
    return table, end, cols


_UNITS = re.compile(r"^(?:单位[:：])?[（(]?[^（）()\d]{1,4}[）)]?$")


def _is_units_row(row: list) -> bool:
    """A row of units under a header's labels: （张） （人） （元）, each bracketed (or 单位：人), nothing else."""
    texts = [v for v in row if v is not None and to_text(v)]
    if not texts or not all(isinstance(v, str) for v in texts):
        return False
    units = [fold_width(re.sub(r"\s+", "", v)) for v in texts]
    return all(_UNITS.match(u) and (u[0] in "(（" or u.startswith("单位")) for u in units)


def _is_title_row(row: list, county) -> bool:
    """A row with one text cell (a title, often merged across the table) that is not itself a column label:
    敖汉旗养老机构8月情况统计表 names 养老机构, but it is the table's title, not a header."""
    texts = [v for v in row if v is not None and to_text(v)]
    if len(texts) != 1 or not isinstance(texts[0], str):
        return False
    label = _label_text(texts[0])
    if label.startswith("其中") or fold_label(label) in _all_labels(county):
        return False
    return True


def _header_rows_below(sheet: Sheet, i: int) -> list[list]:
    """The rows under row ``i`` that may continue its header (up to :data:`MAX_HEADER_ROWS` in all): the next
    row when it has text; the one after it too when neither holds a number (a data row always has one)."""
    out = []
    for k in range(1, MAX_HEADER_ROWS):
        if i + k >= len(sheet.rows):
            break
        row = sheet.rows[i + k]
        if not any(isinstance(v, str) and v.strip() for v in row):
            break
        if k > 1 and any(_is_number(v) for r in (sheet.rows[i + 1], row) for v in r):
            break
        out.append(row)
    return out


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@lru_cache(maxsize=4)
def _all_labels(county) -> frozenset[str]:
    return frozenset(lbl for t in bound_tables(county).values() for f in t.fields if f.kind != SEQ
                     for lbl in f.folded_labels())


def next_header(sheet: Sheet, begin: int, end: int | None = None, *, county) -> int | None:
    """The 0-based row in [begin, end) where another known table's header starts (two tables on
    one sheet, such as 附件2 pasted under 附件1), or None."""
    labels = _all_labels(county)
    for i in range(begin, len(sheet.rows) if end is None else min(end, len(sheet.rows))):
        row = sheet.rows[i]
        hits = 0
        for v in row:
            if isinstance(v, str) and fold_label(_label_text(v)) in labels:
                hits += 1
                if hits >= 2:
                    break
        if hits >= 2 and locate(sheet, i, i + 1, county=county) is not None:
            return i
    return None


def _columns_part(sheet: Sheet, lo: int, hi: int | None) -> Sheet:
    """The sheet with only columns lo..hi-1 (0-based) kept and the others blank, so that letters stay right."""
    def cut(row):
        return [v if lo <= j and (hi is None or j < hi) else None for j, v in enumerate(row)]

    merged = [m for m in sheet.merged if m[1] >= lo and (hi is None or m[3] < hi)]
    return Sheet(sheet.file, sheet.name, [cut(r) for r in sheet.rows], hidden=sheet.hidden, merged=merged,
                 total_rows=sheet.total_rows)


@lru_cache(maxsize=4)
def _seq_labels(county) -> frozenset[str]:
    return frozenset(lbl for t in bound_tables(county).values() for f in t.fields if f.kind == SEQ
                     for lbl in f.folded_labels())


@lru_cache(maxsize=4)
def _name_labels(county) -> frozenset[str]:
    """The labels of the fields that name a table's rows (乡镇苏木街道, 名称, 姓名 …)."""
    return frozenset(lbl for t in bound_tables(county).values() for lbl in t.field(t.name_field).folded_labels())


MAX_SIDE_BY_SIDE = 8


def side_by_side(sheet: Sheet, county) -> list[Sheet]:
    """The sheet as the tables standing side by side on it, each with the other columns blank; ``[sheet]``
    when it holds one table across (the usual case).

    A table may begin after a column that is empty in every row with two or more cells (titles and notes
    have one), at a second 序号 column of the header, or at a second column naming rows (乡镇苏木街道 …
    名称); the sheet is split there only when each side holds a table's header of its own.
    """
    width = max((len(r) for r in sheet.rows), default=0)
    used = [False] * width
    for r in sheet.rows:
        cells = [j for j, v in enumerate(r) if v is not None and to_text(v)]
        if len(cells) >= 2:
            for j in cells:
                used[j] = True
    bounds = {j for j in range(1, width) if used[j] and not used[j - 1]}
    seq_labels, name_labels = _seq_labels(county), _name_labels(county)
    for row in sheet.rows[:HEADER_SCAN_ROWS]:
        labels = [(j, fold_label(_label_text(v))) for j, v in enumerate(row) if isinstance(v, str)]
        seqs = [j for j, lbl in labels if lbl in seq_labels]
        names = [j for j, lbl in labels if lbl in name_labels]
        # a table starts at its 序号 when it has one, else at the column naming its rows
        bounds |= set(seqs[1:]) | {j for j in names[1:] if not any(j - 2 <= k < j for k in seqs)}
    if not bounds or len(bounds) >= MAX_SIDE_BY_SIDE:
        return [sheet]     # no split, or a sheet of scattered columns rather than tables side by side
    edges = [0, *sorted(bounds), None]
    segments = list(zip(edges[:-1], edges[1:]))
    located = [locate(_columns_part(sheet, lo, hi), county=county) is not None for lo, hi in segments]
    if sum(located) < 2:
        return [sheet]
    parts: list[list] = []
    for (lo, hi), ok in zip(segments, located):
        if ok or not parts:
            parts.append([lo, hi])
        else:
            parts[-1][1] = hi          # columns without a header of their own stay with the table on their left
    if not located[0]:                 # ... or, left of the first table, with it
        parts = parts[1:] if len(parts) > 1 else parts
        parts[0][0] = 0
    return [_columns_part(sheet, lo, hi) for lo, hi in parts]
