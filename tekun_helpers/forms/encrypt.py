"""Returned workbooks encrypted with a password: `tekun feedback --encrypt`.

A returned workbook is a copy of a township's table, with the names, identity numbers and health of
the people it lists, and it travels by e-mail or chat. :func:`encrypt_file` encrypts it in place with
the standard Office password encryption (ECMA-376 Agile Encryption, AES-256, what Excel writes for
"用密码进行加密"), which Excel, WPS and LibreOffice open after asking for the password. The work is
done by msoffcrypto-tool, the maintained library that implements that standard; the receipt stays
unencrypted.

Each unit (township, or the county level) gets one password per month, generated with
:mod:`secrets` and kept by :class:`Passwords` in a text file outside the data and output folders
(default: the folder 密码/ beside the output folder), so that the analyst sends it by another
channel (a phone call, a text message) than the file. A later feedback of the same month reuses
the unit's password.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import tempfile
from pathlib import Path

PASSWORD_FOLDER = "密码"
#: letters and digits that are not mistaken for one another when read out or typed (no 0/O, 1/l/I)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 12
SEPARATOR = "\t"


class PasswordPlaceError(ValueError):
    """The password file would be inside the data or output folder (a Chinese message)."""


def new_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))


def password_file(month: str, out: Path, path: str | os.PathLike | None = None) -> Path:
    """Where the passwords of ``month`` are kept: ``path`` as given, or 密码/退回文件密码 <month>.txt beside
    the output folder ``out``."""
    if path:
        p = Path(path).expanduser()
        return p / f"退回文件密码 {month}.txt" if p.is_dir() else p
    return out.resolve().parent / PASSWORD_FOLDER / f"退回文件密码 {month}.txt"


def check_place(path: Path, folders: dict[str, Path]) -> None:
    """Refuse a password file inside one of ``folders`` ({名称: folder}): it would travel with the files."""
    here = path.resolve()
    for what, folder in folders.items():
        f = folder.resolve()
        if here == f or f in here.parents:
            raise PasswordPlaceError(f"密码文件《{path}》在{what}《{folder}》之中：密码不能和退回的文件放在一起，"
                                     f"请用 --passwords 指定{what}以外的位置。")


class Passwords:
    """The passwords of one month, one per unit: read from the file when it exists, new ones added."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, tuple[str, str]] = {}     # unit -> (password, when it was made)
        self.added: list[str] = []
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split(SEPARATOR)
                if len(parts) >= 2 and parts[0] and not line.startswith("#") and parts[0] != "单位":
                    self.entries[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")

    def get(self, unit: str) -> str:
        """The unit's password, made now when it has none."""
        if unit not in self.entries:
            self.entries[unit] = (new_password(), f"{dt.datetime.now():%Y-%m-%d %H:%M}")
            self.added.append(unit)
        return self.entries[unit][0]

    def save(self) -> Path:
        """Write the file (readable by its owner only)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# 退回修改文件的打开密码，每个单位一个。请通过电话、短信等与发送文件不同的渠道告知各单位，"
                 "不要与文件一起发送；本文件不要放进数据或输出文件夹。",
                 SEPARATOR.join(("单位", "密码", "生成时间"))]
        lines += [SEPARATOR.join((unit, pw, when)) for unit, (pw, when) in self.entries.items()]
        fd, tmp = tempfile.mkstemp(prefix=".~tekun-", suffix=".txt", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
        return self.path


def encrypt_file(path: Path, password: str) -> Path:
    """Encrypt the workbook at ``path`` in place with ``password`` (Office standard encryption)."""
    import msoffcrypto

    plain = io.BytesIO(path.read_bytes())
    sealed = io.BytesIO()
    msoffcrypto.OfficeFile(plain).encrypt(password, sealed)
    fd, tmp = tempfile.mkstemp(prefix=".~tekun-", suffix=".xlsx", dir=path.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(sealed.getvalue())
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


def decrypt_bytes(path: Path, password: str) -> bytes:
    """The workbook at ``path`` decrypted with ``password`` (raises msoffcrypto's error on a wrong one)."""
    import msoffcrypto

    with open(path, "rb") as f:
        office = msoffcrypto.OfficeFile(f)
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
    return out.getvalue()
