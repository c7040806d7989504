"""The real `tekun` command: usage errors (exit 2) in Chinese, a bug's own exit code (3) and log file."""
from __future__ import annotations

import re

import pytest

from builders import ENGLISH_ERROR, make_month, tekun

ARGPARSE_ENGLISH = re.compile(r"usage:|the following arguments are required|invalid choice|unrecognized arguments|"
                              r"expected one argument|invalid int value|error:")


def usage_error(run):
    out = run.stdout + run.stderr
    assert run.returncode == 2, out
    assert not ARGPARSE_ENGLISH.search(out) and not re.search(ENGLISH_ERROR, out), out
    assert "参数错误" in run.stderr and "用法：" in run.stderr, run.stderr
    return run.stderr


@pytest.mark.parametrize("command", [
    ["report", "--month", "2023-08", "--format", "html"],
    ["batch", "--months", "2023-08", "--format", "html", "--no-progress"],
    ["forms", "--month", "2023-09"],
])
def test_an_unknown_township_is_a_usage_error_with_the_closest_name(tmp_path, command):
    out = tmp_path / "out"
    err = usage_error(tekun(*command, "--township", "丰收", "--out", out))
    assert "“丰收”不是已知的乡镇苏木街道" in err and "是否为“丰收乡”？" in err
    assert not out.exists() or not any(out.rglob("*.*"))            # nothing rendered or written


def test_a_township_in_traditional_characters_is_accepted_as_its_official_name():
    from tekun_helpers.cli import _official_townships

    assert _official_townships(["豐收鄉", "丰收乡"], None) == ["丰收乡"]


@pytest.mark.parametrize("jobs", ["0", "-3", "two"])
def test_jobs_below_one_are_refused(tmp_path, jobs):
    err = usage_error(tekun("batch", "--months", "2023-08", "--jobs", jobs, "--out", tmp_path / "out"))
    assert "--jobs" in err and "并行进程数" in err


@pytest.mark.parametrize("args, words", [
    (["validate"], "缺少必需的参数：--month"),
    (["frob"], "不是可选的"),
    (["report", "--month", "2023-08", "--scope", "province"], "参数 --scope：'province' 不是可选的值"),
    (["validate", "--month", "2023-08", "--colour"], "无法识别的参数：--colour"),
    (["validate", "--month"], "后面需要写一个值"),
    ([], "缺少必需的参数"),
])
def test_argparse_messages_are_in_chinese(args, words):
    assert words in usage_error(tekun(*args))


def test_help_is_in_chinese():
    run = tekun("validate", "--help")
    assert run.returncode == 0 and run.stdout.startswith("用法：tekun validate") and "显示本帮助并退出" in run.stdout
    assert "usage:" not in run.stdout and "options:" not in run.stdout


def test_an_internal_error_has_its_own_exit_code_and_a_log(tmp_path):
    """A bug (here: load_month raising, patched in through sitecustomize) is not 'the data have errors'."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import tekun_helpers.month as m\n"
        "def broken(*a, **k):\n    raise ZeroDivisionError('a bug')\n"
        "m.load_month = broken\n", encoding="utf-8")
    import os

    env = dict(os.environ, PYTHONPATH=str(site), TEKUN_OUTPUT_DIR=str(tmp_path / "outputs"))
    run = tekun("validate", "--month", "2023-08", "--data-dir", make_month(tmp_path), env=env)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "程序内部错误" in run.stderr and "ZeroDivisionError" not in run.stderr and "Traceback" not in run.stderr
    logs = list((tmp_path / "outputs" / "logs").glob("*.log"))
    assert len(logs) == 1 and str(logs[0]) in run.stderr
    assert "ZeroDivisionError: a bug" in logs[0].read_text(encoding="utf-8")


def test_data_errors_still_exit_1(tmp_path):
    data = make_month(tmp_path, townships=False)
    run = tekun("validate", "--month", "2023-08", "--data-dir", data)
    assert run.returncode == 1 and "没有找到附件1" in run.stdout


def test_the_command_leaves_with_its_whole_output_and_its_exit_status(tmp_path, capsys):
    """``tekun`` ends through cli.run: everything printed reaches the pipe, the same as main() prints it,
    and the exit status is main's (0 and 1 here)."""
    import shutil
    import sys
    from pathlib import Path

    from builders import ROOT
    from tekun_helpers.cli import main

    script = (Path(sys.executable).parent / "tekun").read_text(encoding="utf-8")
    assert "from tekun_helpers.cli import run" in script        # the installed command is cli.run
    empty = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", empty / "reference")
    for args, status in ((["validate", "--month", "2023-08"], 0),
                         (["validate", "--month", "2023-05", "--data-dir", str(empty)], 1)):
        assert main(args) == status
        printed = capsys.readouterr()
        run = tekun(*args)
        assert run.returncode == status, run.stderr
        assert run.stdout == printed.out and run.stderr == printed.err
        assert run.stdout.strip()
