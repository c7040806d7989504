"""Any county: a county of another shape (tests/counties.py, 禾川县: 14 乡镇 and 街道, 8 homes, a 50% target by
2024-06-30, its own header words and table layouts) validates, computes its own figures and gets its own
words in every output: validate, blank forms, returned workbooks and receipts, the Excel export, the banner
briefing and a township briefing. None of them may name the bundled county, its plan or its target
(counties.FOREIGN). The sample generator makes a first month for a county with only reference data.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from builders import workbook_text

import counties
from counties import HOMES, MONTH, NAME, SERVED_TOWN, TOWNSHIPS, build_county, foreign_words, needed

ROOT = Path(__file__).resolve().parent.parent


def tekun(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tekun_helpers.cli", *args], capture_output=True, text=True,
                          cwd=ROOT)


def html_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<script.*?</script>", "", text, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    return build_county(tmp_path_factory.mktemp("hechuan"))


# -- reading and figures -------------------------------------------------------------------------------

def test_the_county_validates_without_errors(county):
    from tekun_helpers.month import load_month

    m = load_month(MONTH, county)
    assert not m.errors, [i.message for i in m.errors]
    assert m.policy.county.name == NAME and m.policy.target_percent == "50%"
    assert not foreign_words("\n".join(i.message for i in m.issues), county)


def test_the_figures_are_what_the_tables_hold(county):
    from tekun_helpers.month import load_month

    m = load_month(MONTH, county)
    t = m.townships.set_index("township")
    assert list(t.index) == [x[0] for x in TOWNSHIPS]
    for name, _, _, dispersed, full, semi in TOWNSHIPS:
        assert (t.loc[name, "dispersed"], t.loc[name, "fully_disabled"], t.loc[name, "semi_disabled"]) == \
            (dispersed, full, semi), name
    h = m.homes.set_index("home")
    assert sorted(h.index) == sorted(x[0] for x in HOMES)
    for name, _, head, _, beds, residents, staff in HOMES:
        assert (h.loc[name, "beds"], h.loc[name, "residents"], h.loc[name, "staff"]) == (beds, residents, staff), name
        assert h.loc[name, "head"] == head
    assert int(m.townships.dispersed.sum()) == sum(x[3] for x in TOWNSHIPS) == len(m.assessments)
    assert int(m.homes.beds.sum()) == sum(x[4] for x in HOMES)
    assert not m.assessments.village.str.endswith("嘎查").any()        # a county of 镇, 乡 and 街道
    assert sum(m.policy.needed_residents(x[4]) for x in HOMES) == sum(needed(x[4]) for x in HOMES)


def test_validate_speaks_of_the_county(county):
    res = tekun("validate", "--month", MONTH, "--data-dir", str(county))
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"附件1：{len(TOWNSHIPS)} 个乡镇（街道），分散供养 {sum(x[3] for x in TOWNSHIPS)} 人" in res.stdout
    assert f"附件2：{len(HOMES)} 所敬老院，床位 {sum(x[4] for x in HOMES)} 张，入住 {sum(x[5] for x in HOMES)} 人" in res.stdout
    assert not foreign_words(res.stdout, county)
    help_ = tekun("feedback", "--help", "--data-dir", str(county))
    assert help_.returncode == 0 and "只处理一个乡镇（街道）（或县本级，写县名）" in help_.stdout
    assert not foreign_words(help_.stdout + tekun("--help", "--data-dir", str(county)).stdout)


# -- what the county's analyst gets -----------------------------------------------------------------------

def test_blank_forms(county, tmp_path):
    out = tmp_path / "forms"
    res = tekun("forms", "--month", "2024-04", "--kind", "all", "--data-dir", str(county), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert not foreign_words(res.stdout, county)
    files = sorted(out.rglob("*.xlsx"))
    assert len(files) >= len(TOWNSHIPS) + 5
    seen = ""
    for f in files:
        text = workbook_text(f)
        assert not foreign_words(text, county), (f.name, foreign_words(text, county))
        seen += text
    assert f"{NAME}分散供养特困人员排查评估表" in seen and "已报县民政局备案份数" in seen


def test_returned_workbooks_and_receipts(county, tmp_path):
    out = tmp_path / "out"
    res = tekun("feedback", "--month", MONTH, "--data-dir", str(county), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert not foreign_words(res.stdout, county)
    files = sorted(p for p in out.rglob("*") if p.suffix in (".xlsx", ".html", ".txt", ".md", ".json"))
    assert any(f.name.startswith("回执") for f in files)
    for f in files:
        text = workbook_text(f) if f.suffix == ".xlsx" else f.read_text(encoding="utf-8")
        assert not foreign_words(text, county), (f.name, foreign_words(text, county))


def test_returned_attachment2_names_the_countys_target(county, tmp_path):
    """A stated 50%应住人数 and 达到50%还应入住人数 that disagree with the plan: the returned 附件2 names the columns
    with the county's target."""
    import shutil

    from openpyxl import load_workbook

    data = tmp_path / "data"
    shutil.copytree(county, data)
    path = next((data / MONTH).glob("附件2 *.xlsx"))
    wb = load_workbook(path)
    ws = wb.active
    header_row = next(r for r in ws.iter_rows() if any(c.value == "50%应住人数" for c in r))
    cols = {c.value: c.column for c in header_row}
    row = header_row[0].row + 1
    ws.cell(row, cols["50%应住人数"]).value += 1
    ws.cell(row, cols["达到50%还应入住人数"]).value += 3
    wb.save(path)
    out = tmp_path / "out"
    res = tekun("feedback", "--month", MONTH, "--data-dir", str(data), "--out", str(out))
    assert res.returncode == 0, res.stderr
    returned = [f for f in out.rglob("*.xlsx") if f.name.startswith("附件2") and "退回修改" in f.name]
    assert len(returned) == 1, [f.name for f in out.rglob("*.xlsx")]
    text = workbook_text(returned[0])
    assert "50%应住人数" in text and "达到50%还应入住人数" in text
    assert not foreign_words(text, data), foreign_words(text, data)


def test_excel_export(county, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    res = tekun("export", "--month", MONTH, "--data-dir", str(county), "--out", str(out))
    assert res.returncode == 0, res.stderr
    files = sorted(out.rglob("*.xlsx"))
    att2 = [f for f in files if f.name.startswith("附件2")]
    assert att2 and NAME in att2[0].name
    for f in files:
        text = workbook_text(f)
        assert not foreign_words(text, county), (f.name, foreign_words(text, county))
    ws = load_workbook(att2[0]).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in rows if "50%应住人数" in r)
    col = header.index("50%应住人数")
    total = next(r for r in rows if isinstance(r[0], str) and "合计" in r[0])
    assert total[col] == sum(needed(x[4]) for x in HOMES)


# -- the briefings (one render for the module) ------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(county, tmp_path_factory):
    """The banner briefing and :data:`counties.SERVED_TOWN`'s, as HTML, in one command."""
    out = tmp_path_factory.mktemp("hechuan_out")
    res = tekun("report", "--month", MONTH, "--data-dir", str(county), "--out", str(out), "--format", "html",
                "--scope", "all", "--township", SERVED_TOWN)
    return out, res


def test_banner_briefing(rendered, county):
    out, res = rendered
    assert res.returncode == 0, res.stderr[-3000:]
    pages = [p for p in out.rglob("*.html") if "乡镇" not in p.parts and p.name != "index.html"]
    assert [p.name for p in pages] == [f"{NAME}_{MONTH}_月度简报.html"]
    text = html_text(pages[0])
    assert "禾政办发〔2024〕7号" in text and "50%" in text and "全县" in text
    # the county's deadline and schedule, its bureau, its money standard (应拨 = 1,000 元 × residents)
    assert "6月30日" in text and "4月15日前" in text and "报县民政局备案" in text
    assert all(int(x.replace(",", "")) % counties.STANDARD == 0 for x in re.findall(r"应拨 ([\d,]+)\.00 元", text))
    assert re.search(r"应拨 [\d,]+\.00 元", text)
    assert not foreign_words(text, county), foreign_words(text, county)
    assert not foreign_words(res.stdout, county)


def test_township_briefing_of_a_township_served_by_a_neighbour(rendered, county):
    out, res = rendered
    assert res.returncode == 0, res.stderr[-3000:]
    pages = list((out / MONTH / "乡镇").glob("*.html"))
    assert [p.name for p in pages] == [f"{SERVED_TOWN}_{MONTH}_月度简报.html"]
    text = html_text(pages[0])
    host = next(t[1] for t in TOWNSHIPS if t[0] == SERVED_TOWN)
    assert host in text
    assert not foreign_words(text, county), foreign_words(text, county)


# -- a county with only its reference data ------------------------------------------------------------------

def test_sample_makes_a_first_month_from_reference_data_alone(tmp_path):
    data = tmp_path / "data"
    counties.write_reference(data / "reference")
    res = tekun("sample", "--month", MONTH, "--kind", "all", "--data-dir", str(data))
    assert res.returncode == 0, res.stderr
    assert not foreign_words(res.stdout, data)
    from tekun_helpers.month import load_month

    m = load_month(MONTH, data)
    assert not m.errors, [i.message for i in m.errors]
    assert list(m.townships.township) == [t[0] for t in TOWNSHIPS]
    assert list(m.homes.home) == [h[0] for h in HOMES]
    assert len(m.assessments) == int(m.townships.dispersed.sum())
    assert {t.table.key for t in m.tables} >= {"townships", "homes", "assessments", "progress", "staff", "benefits",
                                               "funds"}
    for f in sorted((data / MONTH).rglob("*.xlsx")):
        text = workbook_text(f)
        assert not foreign_words(text, data), (f.name, foreign_words(text, data))


def test_blank_official_forms_for_the_county(county, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "official"
    res = tekun("forms", "--month", "2024-04", "--kind", "附件2", "--data-dir", str(county), "--out", str(out))
    assert res.returncode == 0, res.stderr
    att1 = load_workbook(next(out.glob("附件1 *.xlsx"))).active
    att2 = load_workbook(next(out.glob("附件2 *.xlsx"))).active
    rows1 = [[c.value for c in r] for r in att1.iter_rows()]
    rows2 = [[c.value for c in r] for r in att2.iter_rows()]
    assert rows1[2][:2] == ["序号", "乡镇（街道）"]
    assert [r[1] for r in rows1[3:-1]] == [t[0] for t in TOWNSHIPS]
    assert "50%应住人数" in rows2[2] and "达到50%\n还应入住人数" in rows2[2]
    assert rows2[1][0] == f"{NAME}养老机构4月情况统计表"
    assert [(r[1], r[7], r[8]) for r in rows2[3:-1]] == [(h[0], h[2], h[3]) for h in HOMES]
    for f in out.glob("*.xlsx"):
        assert not foreign_words(workbook_text(f), county)


def test_init_writes_a_reference_folder_that_reads_and_refuses_to_overwrite(tmp_path):
    from tekun_helpers.config.county import load_county
    from tekun_helpers.config.policy import load_policy
    from tekun_helpers.config.reference import load_reference

    data = tmp_path / "新县"
    res = tekun("init", str(data), "--name", "禾川县")
    assert res.returncode == 0, res.stderr
    ref = data / "reference"
    assert sorted(p.name for p in ref.iterdir()) == sorted(
        ["county.toml", "policy.toml", "townships.csv", "nursing_homes.csv", "inspection.toml", "complaints.toml",
         "README.md"])
    county = load_county(data_dir=data)
    assert (county.name, county.level, county.whole, county.bureau_short) == ("禾川县", "县", "全县", "县民政局")
    assert load_policy(data_dir=data).document.issuer == "禾川县人民政府办公室"
    assert load_reference(data).township_names
    from tekun_helpers.config.complaints import read_complaints

    complaints = read_complaints(ref)              # the county's own copy, read like the bundled one
    assert complaints.channels and complaints.prefix(county) == "禾民公示"
    for name in ("county.toml", "policy.toml"):       # a comment on every field
        lines = (ref / name).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^[a-z_]+ = ", line):
                above = lines[max(0, i - 8):i]
                assert any(x.startswith("#") for x in above), (name, line)
    before = (ref / "county.toml").read_bytes()
    again = tekun("init", str(data))
    assert again.returncode == 2 and "已存在" in again.stderr
    assert (ref / "county.toml").read_bytes() == before


def test_sample_never_overwrites_a_countys_real_tables(county, tmp_path):
    """The month story rewrites a story month's 附件1 and 附件2: where the county's real tables are there, it stops."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(county, data)
    counties.write_attachment1(data / "2024-04", "2024-04")
    counties.write_attachment2(data / "2024-04", "2024-04")
    before = {p.name: p.read_bytes() for p in (data / "2024-04").iterdir()}
    res = tekun("sample", "--month", "2024-04", "--data-dir", str(data))
    assert res.returncode == 1 and "真实数据" in res.stderr, res.stderr
    assert {p.name: p.read_bytes() for p in (data / "2024-04").iterdir()} == before
    earlier = tekun("sample", "--month", "2024-02", "--data-dir", str(data))     # before the county's first month
    assert earlier.returncode == 1 and not (data / "2024-02").exists()


def test_sample_ledgers_start_from_the_countys_first_month(county, tmp_path):
    """The ledgers' story starts at the data folder's first month (2024-03 here), not at a month fixed in code."""
    import shutil

    from tekun_helpers.month import load_month

    data = tmp_path / "data"
    shutil.copytree(county, data)
    for p in data.glob(f"{MONTH}/*台账*.xlsx"):
        p.unlink()
    res = tekun("sample", "--month", MONTH, "--kind", "台账", "--data-dir", str(data))
    assert res.returncode == 0, res.stderr
    m = load_month(MONTH, data)
    assert not m.errors, [i.message for i in m.errors]
    assert set(m.progress.township) == {t[0] for t in TOWNSHIPS}
    assert set(m.staff.home) == {h[0] for h in HOMES}


def test_a_closed_pipe_does_not_stop_the_work(county, tmp_path):
    """``tekun sample … | head -1``: the reader goes away after the first line; every file is still written."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(county, data)
    for p in data.glob(f"{MONTH}/*资金拨付台账*.xlsx"):
        p.unlink()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "tekun"), "sample", "--month", MONTH, "--kind", "all",
                             "--data-dir", str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=300) == 0, err
    assert "错误" not in err and list(data.glob(f"{MONTH}/*资金拨付台账*.xlsx"))
