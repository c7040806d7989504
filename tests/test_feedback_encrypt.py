"""tekun feedback --encrypt: returned workbooks with an Office opening password, one per unit, kept outside
the data and output folders; the receipt stays readable and says the file is protected."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from msoffcrypto.exceptions import InvalidKeyError

from builders import make_month, township_rows, township_sheet, workbook_text
from tekun_helpers.cli import main
from tekun_helpers.forms.encrypt import Passwords, decrypt_bytes, password_file
from tekun_helpers.forms.feedback import write_feedback

MONTH = "2023-08"
BANNER = "敖汉旗"
WHEN = dt.datetime(2023, 9, 4, 9, 30)
LIBREOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def faulty_month(tmp: Path) -> Path:
    rows = township_rows()
    rows[1][4] = "十四"                    # E5: text in a number cell
    return make_month(tmp, townships=township_sheet(rows))


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("encrypt")
    data = faulty_month(tmp)
    out = tmp / "out"
    assert main(["feedback", "--month", MONTH, "--data-dir", str(data), "--out", str(out), "--encrypt"]) == 0
    store = password_file(MONTH, out)
    return tmp, data, out, store


def _copy(out: Path) -> Path:
    (path,) = (out / MONTH / "反馈" / BANNER).glob("*（退回修改）.xlsx")
    return path


def test_password_file_is_beside_not_inside_data_and_outputs(sealed):
    tmp, data, out, store = sealed
    assert store.is_file() and store.parent == tmp / "密码"
    assert data not in store.parents and out not in store.parents
    assert store.stat().st_mode & 0o077 == 0                      # readable by its owner only
    pw = Passwords(store)
    assert BANNER in pw.entries and len(pw.entries[BANNER][0]) >= 12
    assert len({p for p, _ in pw.entries.values()}) == len(pw.entries)


def test_encrypted_return_opens_with_its_password_and_not_without(sealed):
    _, _, out, store = sealed
    path = _copy(out)
    with pytest.raises(Exception):
        openpyxl.load_workbook(path)                              # not a plain workbook any more
    with open(path, "rb") as f:
        assert msoffcrypto.OfficeFile(f).is_encrypted()
    with pytest.raises(InvalidKeyError):
        decrypt_bytes(path, "wrong-password")
    plain = decrypt_bytes(path, Passwords(store).entries[BANNER][0])
    wb = openpyxl.load_workbook(io.BytesIO(plain))
    assert wb.sheetnames[0] == "问题清单" and "十四" in str(wb.worksheets[1]["E5"].comment.text)


def test_receipt_is_readable_and_says_the_file_is_protected(sealed):
    _, _, out, _ = sealed
    (receipt,) = (out / MONTH / "反馈" / BANNER).glob("回执 *.xlsx")
    text = workbook_text(receipt)
    assert "已设打开密码" in text and "另行告知" in text and "（已加密）" in text


def test_the_same_password_in_a_later_round(sealed, tmp_path):
    _, data, out0, store0 = sealed
    out = tmp_path / "out"
    shutil.copytree(out0, out)
    store = password_file(MONTH, out)
    store.parent.mkdir(parents=True)
    shutil.copy(store0, store)
    before = Passwords(store).entries[BANNER][0]
    res = write_feedback(MONTH, data, out, today=WHEN, passwords=Passwords(store))
    assert res.passwords == store and Passwords(store).entries[BANNER][0] == before
    decrypt_bytes(_copy(out), before)


def test_a_password_file_inside_the_outputs_is_refused(tmp_path, capsys):
    data = faulty_month(tmp_path)
    out = tmp_path / "out"
    code = main(["feedback", "--month", MONTH, "--data-dir", str(data), "--out", str(out), "--encrypt",
                 "--passwords", str(out / "pw.txt")])
    assert code == 2 and "密码不能和退回的文件放在一起" in capsys.readouterr().err
    assert not (out / "pw.txt").exists()


BASIC = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub OpenWithPassword(src As String, pw As String, dst As String)
  Dim args(1) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  args(1).Name = &quot;Password&quot;
  args(1).Value = pw
  Dim doc As Object
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  Dim out(1) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;Text - txt - csv (StarCalc)&quot;
  out(1).Name = &quot;FilterOptions&quot;
  out(1).Value = &quot;44,34,76,1&quot;
  doc.storeToURL(ConvertToURL(dst), out())
  doc.close(True)
End Sub
</script:module>
"""


def _soffice(profile: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LIBREOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice 未安装（run.sh test 会安装 libreoffice-calc-nogui）")
def test_libreoffice_opens_the_encrypted_return_only_with_its_password(sealed, tmp_path):
    """Without a password LibreOffice cannot load the file; with it (a Basic macro passing the Password
    property, as --convert-to has no password option) it reads the 问题清单 sheet."""
    _, _, out, store = sealed
    work = tmp_path / "sealed.xlsx"
    shutil.copy(_copy(out), work)
    profile = tmp_path / "profile"
    run = _soffice(profile, "--convert-to", "csv", "--outdir", str(tmp_path), str(work), cwd=tmp_path)
    assert not (tmp_path / "sealed.csv").exists(), run.stdout + run.stderr
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.is_file(), "LibreOffice did not make its user profile"
    module.write_text(BASIC, encoding="utf-8")
    target = tmp_path / "opened.csv"
    password = Passwords(store).entries[BANNER][0]
    run = _soffice(profile, f'macro:///Standard.Module1.OpenWithPassword("{work}","{password}","{target}")', cwd=tmp_path)
    assert target.is_file(), run.stdout + run.stderr
    assert "问题清单" in target.read_text(encoding="utf-8")


def test_the_command_says_where_the_passwords_are(tmp_path, capsys):
    data = faulty_month(tmp_path)
    out = tmp_path / "out"
    where = tmp_path / "keys"
    where.mkdir()
    assert main(["feedback", "--month", MONTH, "--data-dir", str(data), "--out", str(out),
                 "--passwords", str(where)]) == 0                       # --passwords alone also encrypts
    printed = capsys.readouterr().out
    store = where / f"退回文件密码 {MONTH}.txt"
    assert store.is_file() and str(store) in printed and "另行告知" in printed
    with open(_copy(out), "rb") as f:
        assert msoffcrypto.OfficeFile(f).is_encrypted()
