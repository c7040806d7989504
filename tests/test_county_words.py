"""The county's words are data: another county's reference data gives outputs in its own words.

:func:`other_county` copies the bundled data into a folder whose reference data speaks for 宁城县 (a 县,
全县, 乡镇（街道）, 县民政局); its plan is the bundled one with the county's words replaced, as the county's
own plan would say them. The bundled 2023-08 tables still read: the renamed central home keeps its old name
as an alias, and county.toml's ``[headers]`` lists the bundled tables' own header words. Every output
made from it (``tekun --help``, blank forms, the Excel export, the briefings, a receipt) must use the new
county's words and none of Aohan's, once the names that are data (townships, homes, source files) are
taken out of the text.

The second half checks the code itself: no string literal of the package names the bundled county.
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builders import workbook_text

from tekun_helpers.config.county import County, load_county
from tekun_helpers.config.schema import TABLES, bind, bound_tables
from tekun_helpers.core.exceptions import PolicyError

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tekun_helpers"
MONTH = "2023-08"

#: words of the bundled county that must not reach the other county's outputs
OLD_WORDS = ("敖汉", "全旗", "旗民政局", "乡镇苏木街道", "旗本级")
#: the other county's words, as its county.toml says them
NEW = County(name="宁城县", level="县", whole="全县", towns="乡镇（街道）", bureau="宁城县民政局",
             bureau_short="县民政局", own_level="县本级")
#: the renamed central home, and its name in the bundled tables (kept as an alias in nursing_homes.csv)
OLD_HOME, NEW_HOME = "敖汉旗新惠中心敬老院", "宁城县新惠中心敬老院"

COUNTY_TOML = f"""\
# 本县的名称和用语（测试用：另一个县）
[county]
name = "{NEW.name}"
level = "{NEW.level}"
whole = "{NEW.whole}"
towns = "{NEW.towns}"
bureau = "{NEW.bureau}"
bureau_short = "{NEW.bureau_short}"
own_level = "{NEW.own_level}"

# 沿用的表格里的列名写法
[headers]
township = ["乡镇苏木街道"]
agreements_filed = ["已报旗民政局备案份数"]
"""

#: the plan's words as the other county's plan says them (the county's own plan, not code)
PLAN_WORDS = (("敖汉旗", "宁城县"), ("旗民政局", "县民政局"), ("乡镇苏木街道", "乡镇（街道）"), ("旗中心", "县中心"))


def other_county(tmp: Path, months=(MONTH,)) -> Path:
    """A data folder for 宁城县: the bundled reference data with the county's words replaced, and the bundled
    ``months`` as they are. Returns the folder (pass it as data_dir / --data-dir)."""
    data = tmp / "data"
    ref = data / "reference"
    shutil.copytree(ROOT / "data" / "reference", ref)
    (ref / "county.toml").write_text(COUNTY_TOML, encoding="utf-8")
    for name in ("policy.toml", "townships.csv", "inspection.toml"):
        text = (ref / name).read_text(encoding="utf-8")
        for old, new in PLAN_WORDS:
            text = text.replace(old, new)
        (ref / name).write_text(text, encoding="utf-8")
    homes = (ref / "nursing_homes.csv").read_text(encoding="utf-8").splitlines()
    homes = [line.replace(f",{OLD_HOME},", f",{NEW_HOME},").replace("旗中心敬老院", f"县中心敬老院;{OLD_HOME}")
             if OLD_HOME in line else line for line in homes]
    (ref / "nursing_homes.csv").write_text("\n".join(homes) + "\n", encoding="utf-8")
    for month in months:
        shutil.copytree(ROOT / "data" / month, data / month)
    return data


def data_names(data: Path) -> list[str]:
    """The names that are data, longest first: townships, homes and their aliases, the source files."""
    import csv

    ref = data / "reference"
    names = {r["name"] for r in csv.DictReader((ref / "townships.csv").open(encoding="utf-8"))}
    for r in csv.DictReader((ref / "nursing_homes.csv").open(encoding="utf-8")):
        names.add(r["name"])
        names.update(a for a in (r.get("aliases") or "").split(";") if a)
    for p in data.rglob("*"):
        if p.is_file() and p.parent != ref:
            names.update((p.name, p.stem))
    return sorted(names, key=len, reverse=True)


def without_data(text: str, names: list[str]) -> str:
    for n in names:
        text = text.replace(n, "〇")
    return text


def leaks(text: str) -> list[str]:
    """The bundled county's words in ``text``, each with a little of what surrounds it."""
    return [text[max(0, m.start() - 20):m.end() + 20] for w in OLD_WORDS for m in re.finditer(re.escape(w), text)]


def tekun(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tekun_helpers.cli", *args], capture_output=True, text=True,
                          cwd=ROOT)


@pytest.fixture(scope="module")
def county_data(tmp_path_factory) -> Path:
    return other_county(tmp_path_factory.mktemp("ningcheng"))


# -- the county's words ------------------------------------------------------------------------------

def test_the_other_county_reads_its_words_and_header_words(county_data):
    county = load_county(data_dir=county_data)
    assert county.words() == NEW.words()
    assert county.header_words("townships", "township") == ("乡镇苏木街道",)
    towns = bound_tables(county)["townships"].field("township")
    assert towns.label == "乡镇（街道）" and "乡镇苏木街道" in towns.aliases
    assert bound_tables(county)["progress"].field("agreements_filed").label == "已报县民政局备案份数"
    assert bind(TABLES["progress"], county).field("filed_on").aliases[-1] == "报县民政局备案日期"


def test_the_bundled_month_loads_without_errors_in_the_other_county(county_data):
    from tekun_helpers.month import load_month

    m = load_month(MONTH, county_data)
    assert not m.errors, [i.message for i in m.errors]
    assert m.policy.county.name == "宁城县" and len(m.townships) == 18 and len(m.homes) == 14
    assert NEW_HOME in set(m.homes["home"])
    assert {t.table.key for t in m.tables} >= {"townships", "homes", "assessments", "progress"}
    assert m.tables[0].table.field("township").label == "乡镇（街道）"
    names = data_names(county_data)
    assert not leaks(without_data("\n".join(i.message for i in m.issues), names))


@pytest.mark.parametrize("key, words", [
    ("headers", '[headers]\nvillage_name = ["村名"]\n'),
    ("headers.homes", '[headers.homes]\nresidents_now = ["在院人数"]\n'),
    ("headers.rooms", '[headers.rooms]\nbeds = ["床位"]\n'),
    ("headers", '[headers]\ntownship = "乡镇"\n'),
])
def test_county_header_words_are_checked_when_loaded(tmp_path, key, words):
    path = tmp_path / "county.toml"
    path.write_text(COUNTY_TOML.split("# 沿用")[0] + words, encoding="utf-8")
    with pytest.raises(PolicyError, match=re.escape(key.split(".")[0])):
        load_county(path)


def test_county_header_words_for_one_table_only(tmp_path):
    path = tmp_path / "county.toml"
    path.write_text(COUNTY_TOML.split("# 沿用")[0] + '[headers.homes]\nbeds = ["实有床位（张）"]\n', encoding="utf-8")
    county = load_county(path)
    assert "实有床位（张）" in bind(TABLES["homes"], county).field("beds").aliases
    assert "实有床位（张）" not in bind(TABLES["home_care"], county).field("nursing_beds").aliases


# -- what the other county's analyst sees -------------------------------------------------------------

def test_help_speaks_of_the_data_folders_county(county_data):
    top = tekun("--help", "--data-dir", str(county_data))       # the command's options follow the command
    assert top.returncode == 0 and "宁城县特困人员供养服务月度报告工作簿" in top.stdout
    report = tekun("report", "--data-dir", str(county_data), "--help")
    feedback = tekun("feedback", "--help", f"--data-dir={county_data}")
    text = top.stdout + report.stdout + feedback.stdout
    assert "全县简报" in report.stdout and "只生成指定乡镇（街道）的简报" in report.stdout
    assert "只处理一个乡镇（街道）（或县本级，写县名）" in feedback.stdout
    assert not leaks(text), leaks(text)


def test_help_without_a_readable_county_uses_neutral_words(tmp_path):
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "county.toml").write_text("[county]\nname = 1\n", encoding="utf-8")
    res = tekun("--help", "--data-dir", str(tmp_path))
    assert res.returncode == 0 and "本县特困人员供养服务月度报告工作簿" in res.stdout


def test_blank_forms_speak_of_the_other_county(county_data, tmp_path):
    out = tmp_path / "forms"
    res = tekun("forms", "--month", "2023-09", "--kind", "all", "--data-dir", str(county_data), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert not leaks(res.stdout), leaks(res.stdout)
    files = sorted(out.rglob("*.xlsx"))
    assert len(files) >= 18 + 5
    seen = workbooks_without_leaks(files, county_data)
    for title in ("宁城县分散供养特困人员排查评估表", "宁城县特困人员供养服务乡镇工作进度台账", "宁城县敬老院工作人员台账",
                  "宁城县特困人员供养资金拨付台账", "宁城县分散供养特困人员减少情况表", "已报县民政局备案份数",
                  "各乡镇（街道）可根据实际情况进行修改", "为本县增加的列"):
        assert title in seen, title
    assert "“乡镇（街道）”从下拉列表中选择" in seen


def workbooks_without_leaks(files, county_data) -> str:
    """The readable text of ``files`` (the county's own data names taken out), asserting none has an old word."""
    names = data_names(county_data)
    seen = ""
    for f in files:
        text = without_data(workbook_text(f), names)
        assert not leaks(text), (f.name, leaks(text))
        seen += text
    return seen


def test_excel_export_speaks_of_the_other_county(county_data, tmp_path):
    out = tmp_path / "out"
    res = tekun("export", "--month", MONTH, "--data-dir", str(county_data), "--out", str(out))
    assert res.returncode == 0, res.stderr
    files = sorted(out.rglob("*.xlsx"))
    assert any(f.name == "附件2 宁城县养老机构8月情况统计表.xlsx" for f in files), [f.name for f in files]
    seen = workbooks_without_leaks(files, county_data)
    assert "占全县比例" in seen and "乡镇（街道）数" in seen and "\n乡镇（街道）\n" in seen


def test_the_county_words_of_the_module_level_helpers(county_data):
    from tekun_helpers.analysis import progress
    from tekun_helpers.config import outputs
    from tekun_helpers.config.policy import load_policy
    from tekun_helpers.report import charts, explore, tables
    from tekun_helpers.month import load_month

    policy = load_policy(data_dir=county_data)
    assert outputs.table("townships").column("share_of_banner").header(policy) == "占全县比例"
    assert tables.township_labels(policy)["township"] == "乡镇（街道）"
    m = load_month(MONTH, county_data)
    guide = explore.column_guide(m.townships, "townships", m.policy.county)
    assert guide.loc[guide["列"] == "township", "原表列名"].item() == "乡镇（街道）"
    fig = charts.township_chart(m.townships.assign(disabled=0), policy=policy)
    assert fig.axes[0].get_title() == "各乡镇（街道）分散供养特困人员（按自理能力）"
    late = progress.duty_status(m, [m])
    late = late.assign(status=progress.OVERDUE)
    assert "个乡镇（街道）" in progress.summary_sentence(late, MONTH, policy)


# -- the briefings and a receipt (rendered by the report notebooks) -----------------------------------

@pytest.fixture(scope="module")
def rendered(county_data, tmp_path_factory):
    """The 2023-08 banner briefing and one township's, as HTML, for the other county, in one command."""
    out = tmp_path_factory.mktemp("ningcheng_out")
    run = tekun("report", "--month", MONTH, "--data-dir", str(county_data), "--out", str(out), "--format", "html",
                "--scope", "all", "--township", "丰收乡")
    return out, run, run


def _html_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<script.*?</script>", "", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_banner_briefing_speaks_of_the_other_county(rendered, county_data):
    out, banner, _ = rendered
    assert banner.returncode == 0, banner.stderr[-3000:]
    pages = [p for p in out.rglob("*.html") if "乡镇" not in p.parts and p.name != "index.html"]
    assert len(pages) == 1 and pages[0].name.startswith("宁城县_2023-08")
    text = without_data(_html_text(pages[0]), data_names(county_data))
    assert "全县" in text
    assert not leaks(text), leaks(text)


def test_township_briefing_speaks_of_the_other_county(rendered, county_data):
    out, _, town = rendered
    assert town.returncode == 0, town.stderr[-3000:]
    pages = list((out / MONTH / "乡镇").glob("*.html"))
    assert len(pages) == 1
    text = without_data(_html_text(pages[0]), data_names(county_data))
    assert not leaks(text), leaks(text)


def test_receipts_speak_of_the_other_county(county_data, tmp_path):
    out = tmp_path / "out"
    res = tekun("feedback", "--month", MONTH, "--data-dir", str(county_data), "--out", str(out))
    assert res.returncode == 0, res.stderr
    names = data_names(county_data)
    assert not leaks(without_data(res.stdout, names)), leaks(without_data(res.stdout, names))
    files = sorted(p for p in out.rglob("*") if p.suffix in (".xlsx", ".html", ".txt", ".md"))
    assert files
    for f in files:
        text = workbook_text(f) if f.suffix == ".xlsx" else f.read_text(encoding="utf-8")
        text = without_data(text, names)
        assert not leaks(text), (f.name, leaks(text))


# -- the code ---------------------------------------------------------------------------------------

#: words of one county that no string literal of the package may hold
CODE_WORDS = ("敖汉", "全旗", "旗民政局", "苏木", "乡镇苏木街道", "旗本级", "旗中心")
#: every module of the package
CHECKED = tuple(str(p.relative_to(PACKAGE)) for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts)


def string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal of a module, docstrings left out (f-strings' literal parts count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                docstrings.add(id(body[0].value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_string_literal_names_one_county():
    found = [f"{rel}:{line}: {text[:60]!r}" for rel in CHECKED for line, text in string_literals(PACKAGE / rel)
             if any(w in text for w in CODE_WORDS)]
    assert not found, "\n".join(found)


def test_the_literal_check_sees_strings_and_skips_docstrings(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""敖汉旗"""\n# 全旗\nX = f"{1}全旗"\ndef f():\n    """苏木"""\n    return "旗本级"\n',
                      encoding="utf-8")
    assert [t for _, t in string_literals(module)] == ["全旗", "旗本级"]
