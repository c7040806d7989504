"""CSV files as Excel and WPS save them on Chinese Windows: the encoding decided for the file, line by line
(UTF-8 with or without BOM, GB18030, a BOM over GBK text, a file glued from both), and each odd line named
at its row (the CSV record, as Excel numbers it)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core.catalogue import issue
from ..core.issues import At, Issue
from .grids import SAMPLE_KEYWORD, Sheet, trim as _trim

UTF8_BOM = b"\xef\xbb\xbf"
ENCODING_NAMES = {"utf-8": "UTF-8", "gb18030": "GBK（GB18030）"}


@dataclass
class CsvText:
    """A CSV file's bytes as text, its encoding decided for the file as a whole.

    encoding:   'utf-8' or 'gb18030', what most of its lines are in.
    bom_gbk:    the file starts with a UTF-8 BOM but its text is GBK (a tool that added the mark to GBK text).
    other:      0-based lines in the other of the two encodings (a file glued from two), each read in its own.
    undecodable: 0-based lines in neither; read with the bytes that do not decode shown as �.
    """

    text: str
    encoding: str
    bom_gbk: bool = False
    other: list[int] = field(default_factory=list)
    undecodable: list[int] = field(default_factory=list)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _line_encoding(line: bytes) -> str | None:
    if line.isascii():
        return "ascii"
    for enc in ("utf-8", "gb18030"):
        try:
            line.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    return None


def decode_csv(data: bytes) -> CsvText | None:
    """The CSV's text, decided per file: UTF-8 (with or without BOM) or GB18030, judged line by line so that a
    BOM over GBK text, a file glued from a UTF-8 and a GBK part, or one broken line are each read and said;
    None when the file is in neither (UTF-16, binary: most of its lines decode in neither)."""
    bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM):] if bom else data
    if b"\x00" in body:
        return None                                   # UTF-16 or binary: no CSV of Excel or WPS holds NUL bytes
    try:
        return CsvText(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lines = body.split(b"\n")                        # neither encoding uses the byte 0x0A inside a character
    kinds = [_line_encoding(line) for line in lines]
    utf8, gbk = kinds.count("utf-8"), kinds.count("gb18030")
    bad = [i for i, k in enumerate(kinds) if k is None]
    if len(bad) * 2 > utf8 + gbk + len(bad):
        return None
    main = "utf-8" if utf8 > gbk else "gb18030"
    if main == "gb18030":
        # a short GBK line may happen to be valid UTF-8 too: a line the file's own encoding reads is in it
        kinds = [k if k != "utf-8" or not _decodes(line, "gb18030") else "gb18030" for line, k in zip(lines, kinds)]
    other = [i for i, k in enumerate(kinds) if k not in ("ascii", main, None)]
    text = "\n".join(line.decode(k if k in ("utf-8", "gb18030") else main, errors="replace")
                      for line, k in zip(lines, kinds))
    return CsvText(text, main, bom and main == "gb18030" and not other, other, bad)


def _record_of_lines(text: str, dialect) -> list[int]:
    """For each 0-based physical line of ``text``, the 1-based CSV record (the Excel row) it is part of."""
    out: list[int] = []
    reader = csv.reader(io.StringIO(text), dialect)
    record = 0
    for _ in reader:
        record += 1
        out.extend([record] * (reader.line_num - len(out)))
    return out


def read_csv(path: Path, name: str, issues: list[Issue]) -> tuple[list[Sheet], bool]:
    data = path.read_bytes()
    decoded = decode_csv(data)
    if decoded is None:
        issues.append(issue("file_encoding", At(name)))
        return [], False
    text = decoded.text
    sample_line = text.lstrip().startswith("#") and SAMPLE_KEYWORD in text.splitlines()[0]
    sniff_sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sniff_sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    # a field may be as long as the file (the csv module refuses fields over 128 KB by default): one long
    # cell is then reported by the table reader, and the file is not lost
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    rows = [[c if c.strip() else None for c in r] for r in csv.reader(io.StringIO(text), dialect)]
    _report_encoding(decoded, name, text, dialect, issues)
    return [Sheet(name, "", _trim(rows))], sample_line


def _report_encoding(decoded: CsvText, name: str, text: str, dialect, issues: list[Issue]) -> None:
    """A BOM over GBK text, lines in the other encoding, undecodable lines: each said at its first row."""
    if decoded.bom_gbk:
        issues.append(issue("csv_bom_gbk", At(name)))
    if not (decoded.other or decoded.undecodable):
        return
    records = _record_of_lines(text, dialect)

    def row_of(line: int) -> int:
        return records[line] if line < len(records) else line + 1

    main = ENCODING_NAMES[decoded.encoding]
    if decoded.other:
        this = ENCODING_NAMES["gb18030" if decoded.encoding == "utf-8" else "utf-8"]
        issues.append(issue("csv_mixed_encoding", At(name, "", row_of(decoded.other[0])), this=this, main=main,
                            count=len(decoded.other)))
    if decoded.undecodable:
        issues.append(issue("csv_row_encoding", At(name, "", row_of(decoded.undecodable[0])), main=main,
                            count=len(decoded.undecodable)))
