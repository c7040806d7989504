"""The issue catalogue (core.catalogue): every code the package builds is declared once, every call gives
its template's fields, and a programming error (unknown code, missing field) raises at once."""
from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from tekun_helpers.config.county import County
from tekun_helpers.core.catalogue import CATALOGUE, CatalogueError, declare, issue
from tekun_helpers.core.issues import ERROR, WARNING, At

PACKAGE = Path(__file__).resolve().parent.parent / "tekun_helpers"
AOHAN = County("敖汉旗", "旗", "全旗", "乡镇苏木街道", "敖汉旗民政局", "旗民政局", "旗本级")
NINGCHENG = County("宁城县", "县", "全县", "乡镇（街道）", "宁城县民政局", "县民政局", "县本级")

#: the builders and where their code, variant and fields are: (code's position, variant's position or None)
BUILDERS = {"issue": (0, None), "_issue": (0, None), "_problem": (0, 1), "add": (0, 4)}
NOT_FIELDS = {"value", "variant", "county"}


def _constant_strings(node) -> list[str] | None:
    """The code(s) a builder's argument can be: a string, or either string of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _constant_strings(node.body), _constant_strings(node.orelse)
        return a + b if a is not None and b is not None else None
    return None


def _builder_calls():
    """(file, line, codes, variant or None when not literal, keyword names or None when ``**`` is used) of
    every call of a builder in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name not in BUILDERS or (name == "add" and not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                                                               and f.value.id == "reading")):
                continue
            if not node.args:
                continue
            code_pos, variant_pos = BUILDERS[name]
            codes = _constant_strings(node.args[code_pos]) if len(node.args) > code_pos else None
            if codes is None:
                continue            # the builder passing on a code it was given (checked at its callers)
            variant = ""
            if variant_pos is not None and len(node.args) > variant_pos:
                v = node.args[variant_pos]
                variant = v.value if isinstance(v, ast.Constant) else None
            kw = {k.arg: k.value for k in node.keywords}
            if "variant" in kw:
                variant = kw["variant"].value if isinstance(kw["variant"], ast.Constant) else None
            names = None if any(k.arg is None for k in node.keywords) else set(kw)
            yield path.relative_to(PACKAGE.parent), node.lineno, codes, variant, names


CALLS = list(_builder_calls())


def test_the_scan_finds_the_builders():
    files = {str(c[0]) for c in CALLS}
    assert len(CALLS) > 60
    for f in ("tekun_helpers/month.py", "tekun_helpers/checks/tables.py", "tekun_helpers/checks/copies.py",
              "tekun_helpers/checks/changes.py", "tekun_helpers/io/readers.py", "tekun_helpers/io/workbooks.py",
              "tekun_helpers/analysis/flows.py"):
        assert f in files


def test_every_code_built_in_the_package_is_declared():
    unknown = [(str(p), line, c) for p, line, codes, _, _ in CALLS for c in codes if c not in CATALOGUE]
    assert not unknown


def test_every_declared_code_is_built_somewhere():
    used = {c for _, _, codes, _, _ in CALLS for c in codes}
    assert set(CATALOGUE) - used == set()


def test_every_call_gives_exactly_its_templates_fields():
    wrong = []
    for path, line, codes, variant, names in CALLS:
        for code in codes:
            c = CATALOGUE[code]
            variants = [variant] if variant is not None else list(c.templates)
            for v in variants:
                assert v in c.templates, f"{path}:{line}: {code} has no variant {v!r}"
                if names is None:
                    continue
                wanted = c.fields(v)
                if "county" in wanted and "county" not in names:
                    wrong.append((str(path), line, code, v, "county missing"))
                given, needed = names - NOT_FIELDS, wanted - {"county"}
                if given != needed:
                    wrong.append((str(path), line, code, v, sorted(given ^ needed)))
    assert not wrong


def test_no_issue_is_built_by_position_in_the_package():
    """Issues come from the catalogue; only the catalogue constructs Issue (and markup, a recorded issue
    of an earlier feedback run)."""
    allowed = {"catalogue.py", "markup.py"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Issue" \
                    and path.name not in allowed:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not found


def _dummy_fields(code: str, variant: str) -> dict:
    return {name: f"<{name}>" for name in CATALOGUE[code].fields(variant) if name != "county"}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_code_builds_with_its_declared_fields(code):
    c = CATALOGUE[code]
    assert c.severity in (ERROR, WARNING) and c.title and c.stops_report == (c.severity == ERROR)
    for variant in c.templates:
        fields = _dummy_fields(code, variant)
        i = issue(code, At("a.xlsx", "Sheet1", 5, "分散供养人数", "C"), value="x", variant=variant,
                  county=NINGCHENG, **fields)
        assert (i.code, i.severity, i.file, i.sheet, i.row, i.column, i.column_letter, i.value) == \
               (code, c.severity, "a.xlsx", "Sheet1", 5, "分散供养人数", "C", "x")
        assert i.fields == fields
        assert "{" not in i.message
        for name in fields:
            assert f"<{name}>" in i.message
        assert i.detail and i.message.endswith(i.detail)
        for word in ("乡镇苏木街道", "旗民政局", "全旗", "本旗"):
            assert word not in i.message
    expected, rule = c.advice(NINGCHENG)
    assert expected and rule and "{" not in expected + rule
    assert "乡镇苏木街道" not in expected + rule and "本旗" not in expected + rule


def test_county_words_come_from_the_county():
    at = At("附件3 丰收乡.xlsx", "Sheet1", 2, "填报单位", "A")
    aohan = issue("unknown_unit", at, value="某乡", county=AOHAN, raw="某乡", hint="")
    ningcheng = issue("unknown_unit", at, value="某乡", county=NINGCHENG, raw="某乡", hint="")
    assert "不是已知的乡镇苏木街道" in aohan.message and "不是已知的乡镇（街道）" in ningcheng.message
    c = CATALOGUE["no_table_in_file"]
    assert c.advice(AOHAN)[0] == "本旗规定格式的表头" and c.advice(NINGCHENG)[0] == "本县规定格式的表头"


def test_an_unknown_code_raises():
    with pytest.raises(CatalogueError, match="not declared"):
        issue("no_such_code", At("a.xlsx"))


def test_a_missing_field_raises():
    with pytest.raises(CatalogueError, match=r"missing fields \['difference'\]"):
        issue("total_mismatch", At("a.xlsx", "S", 20, "分散供养人数", "C"), stated=1, actual=2)


def test_a_field_the_template_does_not_name_raises():
    with pytest.raises(CatalogueError, match="does not name"):
        issue("file_empty", At("a.xlsx"), size=0)


def test_county_words_missing_raise():
    with pytest.raises(CatalogueError, match="county"):
        issue("assessment_not_sent", At(), month="2023-08", count=1, towns="丰收乡")


def test_an_unknown_variant_raises():
    with pytest.raises(CatalogueError, match="no variant"):
        issue("file_unreadable", At("a.xlsx"), variant="nonsense")


def test_a_code_is_declared_once():
    with pytest.raises(CatalogueError, match="declared twice"):
        declare("file_empty", ERROR, "空文件", "文件《{file}》是空文件。")


def test_issue_keeps_its_public_shape_and_gives_its_figures():
    i = issue("total_mismatch", At("附件1.xlsx", "Sheet1", 21, "分散供养人数", "C"), value="2700",
              stated=2700, actual=2698, difference=2)
    assert i.as_json() == {"severity": "error", "file": "附件1.xlsx", "sheet": "Sheet1", "row": 21,
                           "column": "分散供养人数", "value": "2700",
                           "message": "文件《附件1.xlsx》工作表“Sheet1”第21行C列（分散供养人数）：合计行为 2700，"
                                      "但各行之和为 2698，相差 2。"}
    assert i.fields == {"stated": 2700, "actual": 2698, "difference": 2}
    assert i.detail == "合计行为 2700，但各行之和为 2698，相差 2。"
    # the figures do not take part in equality: the same problem at the same place is the same issue
    assert i == replace(i, fields={}) and hash(i) == hash(replace(i, fields={}))


def test_a_place_without_a_row_is_named_as_far_as_known():
    assert At().where() == "本月数据"
    assert At("a.xlsx").where() == "文件《a.xlsx》"
    assert At("a.xlsx", "S", None, "姓名").where() == "文件《a.xlsx》工作表“S”“姓名”列"


def _ningcheng(data: Path) -> None:
    """The data folder's county words become Ningcheng's (宁城县 / 县 / 全县 / 乡镇（街道）)."""
    import re

    path = data / "reference" / "county.toml"
    text = path.read_text(encoding="utf-8")
    for key, value in zip(("name", "level", "whole", "towns", "bureau", "bureau_short", "own_level"),
                          (NINGCHENG.name, NINGCHENG.level, NINGCHENG.whole, NINGCHENG.towns, NINGCHENG.bureau,
                           NINGCHENG.bureau_short, NINGCHENG.own_level)):
        text = re.sub(rf'(?m)^{key} = ".*"$', f'{key} = "{value}"', text)
    path.write_text(text, encoding="utf-8")


def test_a_month_is_checked_and_returned_in_the_countys_words(tmp_path):
    import datetime as dt

    import openpyxl
    from builders import TOWNSHIP_HEADER, make_month, one, township_rows, township_sheet

    from tekun_helpers.forms.feedback import write_feedback
    from tekun_helpers.month import load_month

    rows = township_rows()
    rows[1][1] = "贝子府"
    data = make_month(tmp_path, townships=township_sheet(rows, header=["序号", "乡镇（街道）", *TOWNSHIP_HEADER[2:]]))
    _ningcheng(data)
    m = load_month("2023-08", data)
    misspelt = one(m, "unknown_name").message        # one mistake, one issue: no missing_name for 贝子府镇 too
    assert "“贝子府”应为“贝子府镇”？" in misspelt and "不是已知的乡镇（街道）名称" in misspelt
    assert "县民政局" in misspelt and not [i for i in m.issues if i.code == "missing_name"]
    result = write_feedback("2023-08", data, tmp_path / "out", today=dt.date(2023, 9, 5))
    copy = next(f.copy for o in result.owners for f in o.files if f.copy is not None)
    comments = "\n".join(c.comment.text for ws in openpyxl.load_workbook(copy).worksheets for row in ws.iter_rows()
                         for c in row if c.comment is not None)
    assert "乡镇（街道）、敬老院名称须使用正式名称，与县民政局下发的表格写法一致" in comments
    for text in [comments, *(i.message for i in m.issues)]:
        for word in ("乡镇苏木街道", "旗民政局", "全旗", "敖汉"):
            assert word not in text


def test_an_issue_names_its_file_value_and_fields():
    """What a briefing searches for the townships an issue concerns: never its sentence."""
    i = issue("agreements_exceed_people", At("台账.xlsx", "Sheet1", 6, "已签订份数", "E"), value="12",
              signed=12, town="丰收乡", people=10)
    assert i.names() == ["台账.xlsx", "Sheet1", "12", "12", "丰收乡", "10"]
