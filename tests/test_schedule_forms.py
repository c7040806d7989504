"""The schedule ledgers: blank 乡镇工作进度台账 and 敬老院工作人员台账 (forms.py), the `tekun forms --kind`
command, and the sample ledgers of 2023-08..2023-10 (sample.write_schedule_samples) with their story.

The sample files are opened with openpyxl here, not through load_month, so that these tests do not
depend on the readers of the new tables.
"""
from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tekun_helpers.cli import main
from tekun_helpers.forms import (DATE_FORMAT, HOME_CARE_SHEET, PROGRESS_SHEET, PROGRESS_TITLE, SAMPLE_MARK, STAFF_SHEET,
                                 day_label, month_end, progress_filename, schedule_duties, staff_filename,
                                 write_progress_form, write_staff_form)
from tekun_helpers.month import load_month
from tekun_helpers.policy import load_policy
from tekun_helpers.reference import load_reference
from tekun_helpers.sample import FAMOUS, SCHEDULE_SEED, write_schedule_samples
from tekun_helpers.schema import HOME_CARE, PROGRESS, STAFF, VOCABULARIES
from tekun_helpers.workbooks import SAMPLE_KEYWORD, SAMPLE_TEXT, read_file

ROOT = Path(__file__).resolve().parent.parent
MONTHS = ("2023-08", "2023-09", "2023-10")
EXCEL_EPOCH = dt.date(1899, 12, 30)
HEAD, CARE, OTHER = VOCABULARIES["role"].labels
FULL_TIME, PART_TIME = VOCABULARIES["employment"].labels


def serial(day: dt.date) -> str:
    return str((day - EXCEL_EPOCH).days)


def validations(ws) -> dict[str, object]:
    """Column letter -> the data validation covering it."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng.split(":")[0].rstrip("0123456789")] = dv
    return out


def letter(table, key: str) -> str:
    return "ABCDEFGHIJ"[[f.key for f in table.fields].index(key)]


def read_rows(ws, table) -> tuple[list[dict], list | None]:
    """The data rows under the header (row 3) as dicts keyed like ``table``, and the 合计 row's values."""
    header = [c.value for c in ws[3]]
    assert header == [f.label for f in table.fields]
    rows, total = [], None
    for values in ws.iter_rows(min_row=4, values_only=True):
        if isinstance(values[0], str) and values[0].replace(" ", "") == "合计":
            total = list(values)
            continue
        if not isinstance(values[0], int):
            break
        row = {}
        for f, v in zip(table.fields, values):
            row[f.key] = v.date() if isinstance(v, dt.datetime) else v
        rows.append(row)
    return rows, total


def notes_of(ws) -> str:
    return "\n".join(str(r[0]) for r in ws.iter_rows(min_row=4, values_only=True)
                     if isinstance(r[0], str) and not r[0].replace(" ", "") == "合计")


def assert_a4_landscape(ws, last_col: str):
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3"
    assert ws.print_area.endswith(f"$A$1:${last_col}${ws.max_row}")


# -- the blank forms -------------------------------------------------------------------

def test_progress_form_layout_and_validations(tmp_path):
    ref, policy = load_reference(), load_policy()
    path = write_progress_form(tmp_path / "p.xlsx", "2023-09")
    wb = load_workbook(path)
    assert wb.sheetnames == [PROGRESS_SHEET]
    ws = wb.active
    assert ws["A1"].value == PROGRESS_TITLE == "敖汉旗特困人员供养服务乡镇工作进度台账" and ws["A1"].font.b
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "填报月份：2023年9月"
    assert "数据截至：2023年9月30日" in [c.value for c in ws[2]]
    rows, total = read_rows(ws, PROGRESS)
    assert total is None
    assert [r["township"] for r in rows] == ref.township_names and len(rows) == 18
    assert all(r[k] is None for r in rows for k in PROGRESS.keys if k != "township")
    assert all(c.font.b and c.alignment.wrap_text and c.border.left.style == "thin" for c in ws[3])
    dvs = validations(ws)
    for key in ("group_formed", "scheme_adopted", "filed_on"):
        col = letter(PROGRESS, key)
        dv = dvs[col]
        assert (dv.type, dv.operator) == ("date", "between")
        assert (dv.formula1, dv.formula2) == (serial(dt.date(2023, 1, 1)), serial(dt.date(2030, 12, 31)))
        assert dv.showErrorMessage and dv.allow_blank and "日期" in dv.error and "2023-09-15" in dv.error
        assert str(dv.sqref) == f"{col}4:{col}21"
        assert all(ws[f"{col}{r}"].number_format == DATE_FORMAT for r in range(4, 22))
    for key in ("agreements_signed", "agreements_filed"):
        dv = dvs[letter(PROGRESS, key)]
        assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0") and "整数" in dv.error
    # the notes quote the plan's due dates, read from policy.toml
    text = notes_of(ws)
    assert text.startswith("注：")
    duties = schedule_duties(policy)
    assert {s["field"] for _, s in duties} == {"group_formed", "scheme_adopted", "filed_on"}
    for _, sec in duties:
        assert day_label(sec["due"]) in text and sec["label"] in text
    assert_a4_landscape(ws, "H")
    assert not (wb.properties.keywords or "") and SAMPLE_MARK not in [c.value for c in ws[2]]
    assert not read_file(path, path.name, []).sample


def test_progress_notes_follow_the_policy(tmp_path):
    text = (ROOT / "data" / "reference" / "policy.toml").read_text(encoding="utf-8")
    assert "due = 2023-09-30" in text
    changed = tmp_path / "policy.toml"
    changed.write_text(text.replace("due = 2023-09-30", "due = 2023-10-20"), encoding="utf-8")
    ws = load_workbook(write_progress_form(tmp_path / "p.xlsx", "2023-09", policy=load_policy(changed))).active
    notes = notes_of(ws)
    assert "2023年10月20日" in notes and "2023年9月30日前" not in notes


def test_progress_form_for_some_townships_and_filled_rows(tmp_path):
    ws = load_workbook(write_progress_form(tmp_path / "a.xlsx", "2023-09", ["贝子府镇"])).active
    assert [r["township"] for r in read_rows(ws, PROGRESS)[0]] == ["贝子府镇"]
    row = {"township": "丰收乡", "group_formed": dt.date(2023, 9, 3), "agreements_signed": 10, "agreements_filed": 8,
           "note": "测试"}
    ws = load_workbook(write_progress_form(tmp_path / "b.xlsx", "2023-09", rows=[row])).active
    got = read_rows(ws, PROGRESS)[0]
    assert got == [{"seq": 1, "township": "丰收乡", "group_formed": dt.date(2023, 9, 3), "scheme_adopted": None,
                    "agreements_signed": 10, "agreements_filed": 8, "filed_on": None, "note": "测试"}]
    assert ws["C4"].number_format == DATE_FORMAT


def test_staff_form_layout_and_validations(tmp_path):
    ref, policy = load_reference(), load_policy()
    path = write_staff_form(tmp_path / "s.xlsx", "2023-09")
    wb = load_workbook(path)
    assert wb.sheetnames == [STAFF_SHEET, HOME_CARE_SHEET] == ["工作人员台账", "护理型床位与入住构成"]
    ws = wb[STAFF_SHEET]
    assert ws["A2"].value == "填报月份：2023年9月"
    rows, _ = read_rows(ws, STAFF)
    assert len(rows) >= 80 and all(r[k] is None for r in rows for k in STAFF.keys)   # numbered blank rows
    dvs = validations(ws)
    last = 3 + len(rows)
    home = dvs[letter(STAFF, "home")]
    assert home.type == "list" and home.formula1.strip('"').split(",") == ref.home_names
    assert str(home.sqref) == f"B4:B{last}"
    for key in ("role", "employment"):
        dv = dvs[letter(STAFF, key)]
        assert dv.type == "list" and dv.formula1.strip('"').split(",") == VOCABULARIES[key].labels
        assert dv.showErrorMessage and dv.error
    assert VOCABULARIES["role"].labels == ["负责人", "护理人员", "其他"]
    assert VOCABULARIES["employment"].labels == ["专职", "兼职"]
    hours = dvs[letter(STAFF, "training_hours")]
    assert (hours.type, hours.operator, hours.formula1) == ("whole", "greaterThanOrEqual", "0")
    hired = dvs[letter(STAFF, "hired_on")]
    assert hired.type == "date" and ws[f"{letter(STAFF, 'hired_on')}4"].number_format == DATE_FORMAT
    notes = notes_of(ws)
    assert f"不少于{policy.training_hours}课时" in notes and policy.section("training")["source"] in notes
    assert_a4_landscape(ws, "H")

    ws = wb[HOME_CARE_SHEET]
    rows, total = read_rows(ws, HOME_CARE)
    assert [r["home"] for r in rows] == ref.home_names and total is None   # no 合计 row on the blank form
    assert all(r[k] is None for r in rows for k in ("nursing_beds", "residents_tekun", "residents_other"))
    dvs = validations(ws)
    for key in ("nursing_beds", "residents_tekun", "residents_other"):
        assert (dvs[letter(HOME_CARE, key)].type, dvs[letter(HOME_CARE, key)].formula1) == ("whole", "0")
    assert_a4_landscape(ws, "F")
    assert not (wb.properties.keywords or "") and not read_file(path, path.name, []).sample


def test_blank_forms_are_byte_identical(tmp_path):
    for write in (write_progress_form, write_staff_form):
        a = write(tmp_path / "a" / "f.xlsx", "2023-09")
        b = write(tmp_path / "b" / "f.xlsx", "2023-09")
        assert a.read_bytes() == b.read_bytes()
        c = write(tmp_path / "c" / "f.xlsx", "2023-10")
        assert c.read_bytes() != a.read_bytes()


# -- the command -----------------------------------------------------------------------

def test_cli_forms_progress(tmp_path, capsys):
    assert main(["forms", "--month", "2023-09", "--kind", "进度台账", "--out", str(tmp_path)]) == 0
    path = tmp_path / "乡镇工作进度台账 2023-09.xlsx"
    assert progress_filename("2023-09") == path.name
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    ws = load_workbook(path).active
    assert ws["A1"].value == PROGRESS_TITLE and len(read_rows(ws, PROGRESS)[0]) == 18
    assert "乡镇工作进度台账" in capsys.readouterr().out


def test_cli_forms_staff_alias_and_one_township(tmp_path):
    assert main(["forms", "--month", "2023-09", "--kind", "staff", "--out", str(tmp_path)]) == 0
    assert (tmp_path / staff_filename("2023-09")).name == "敬老院工作人员台账 2023-09.xlsx"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["敬老院工作人员台账 2023-09.xlsx"]
    out = tmp_path / "one"
    assert main(["forms", "--month", "2023-09", "--kind", "progress", "--township", "贝子府镇", "--out", str(out)]) == 0
    assert [r["township"] for r in read_rows(load_workbook(out / progress_filename("2023-09")).active, PROGRESS)[0]] \
        == ["贝子府镇"]


def test_cli_forms_rejects_an_unknown_kind(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["forms", "--month", "2023-09", "--kind", "台帐"])
    assert exc.value.code == 2
    assert "不是可选的表格种类" in capsys.readouterr().err


# -- the sample ledgers ------------------------------------------------------------------

def copy_inputs(dest: Path) -> Path:
    """data/reference and the months' 附件1, 附件2 and 附件3 (not the ledgers)."""
    shutil.copytree(ROOT / "data" / "reference", dest / "reference")
    for month in MONTHS:
        (dest / month).mkdir(parents=True)
        for p in (ROOT / "data" / month).iterdir():
            if p.name.startswith("附件"):
                (shutil.copytree if p.is_dir() else shutil.copy2)(p, dest / month / p.name)
    return dest


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    base = copy_inputs(tmp_path_factory.mktemp("schedule"))
    files = {m: write_schedule_samples(m, base, seed=SCHEDULE_SEED) for m in MONTHS}
    return base, files


@pytest.fixture(scope="module")
def ledgers():
    """month -> (progress rows, staff rows, care rows, care total) of the bundled sample ledgers."""
    out = {}
    for month in MONTHS:
        folder = ROOT / "data" / month
        progress, _ = read_rows(load_workbook(folder / progress_filename(month)).active, PROGRESS)
        wb = load_workbook(folder / staff_filename(month))
        staff, _ = read_rows(wb[STAFF_SHEET], STAFF)
        care, total = read_rows(wb[HOME_CARE_SHEET], HOME_CARE)
        out[month] = (progress, staff, care, total)
    return out


@pytest.fixture(scope="module")
def months():
    return {m: load_month(m) for m in MONTHS}


def test_regenerating_gives_the_bundled_files(regenerated):
    base, files = regenerated
    for month in MONTHS:
        assert [p.name for p in files[month]] == [progress_filename(month), staff_filename(month)]
        for p in files[month]:
            assert p.parent == base / month
            assert p.read_bytes() == (ROOT / "data" / month / p.name).read_bytes(), p.name


def test_sample_ledgers_are_marked(regenerated):
    base, files = regenerated
    for month in MONTHS:
        for p in files[month]:
            wb = load_workbook(p)
            assert SAMPLE_KEYWORD in wb.properties.keywords and wb.properties.subject == SAMPLE_TEXT
            for ws in wb.worksheets:
                assert SAMPLE_MARK in [c.value for c in ws[2]], (p.name, ws.title)
                assert SAMPLE_MARK in ws.oddFooter.center.text
            assert read_file(p, p.name, []).sample


def test_staff_roster_follows_attachment_2(ledgers, months):
    ref = load_reference()
    heads = {h.name: h.head for h in ref.homes}
    for month in MONTHS:
        _, staff, _, _ = ledgers[month]
        stated = dict(zip(months[month].homes.home, months[month].homes.staff))
        counts = Counter(r["home"] for r in staff)
        assert dict(counts) == {h: int(n) for h, n in stated.items()}, month
        assert [r["home"] for r in staff] == sorted((r["home"] for r in staff), key=ref.home_names.index)
        head_rows = [r for r in staff if r["role"] == HEAD]
        assert sorted(r["home"] for r in head_rows) == sorted(ref.home_names)          # exactly one per home
        assert all(r["staff_name"] == heads[r["home"]] for r in head_rows)
        part_time = [r["home"] for r in head_rows if r["employment"] == PART_TIME]
        assert len(part_time) >= 2, month
        assert {r["role"] for r in staff} == {HEAD, CARE, OTHER}
        assert {r["employment"] for r in staff} <= {FULL_TIME, PART_TIME}
        care = [r for r in staff if r["role"] == CARE]
        assert len(care) > len(staff) / 2
        assert all(counts[h] == 1 or any(r["home"] == h for r in care) for h in ref.home_names)
        # made-up names: not the heads', not famous, unique in the roster
        others = [r["staff_name"] for r in staff if r["role"] != HEAD]
        assert not set(others) & set(heads.values()) and not set(others) & FAMOUS
        assert len(set(others)) == len(others)
        assert all(isinstance(r["training_hours"], int) and r["training_hours"] >= 0 for r in staff)


def test_training_hours_story(ledgers):
    policy = load_policy()
    hours: dict[tuple, list[int]] = {}
    for month in MONTHS:
        year, mon = (int(x) for x in month.split("-"))
        _, staff, _, _ = ledgers[month]
        for r in staff:
            hours.setdefault((r["home"], r["staff_name"]), []).append(r["training_hours"])
        care = [r for r in staff if r["role"] == CARE]

        def due(r):
            start = r["hired_on"].month if r["hired_on"] and r["hired_on"].year == year else 1
            return policy.training_hours * (mon - start + 1) / 12

        full_year = [r for r in care if not (r["hired_on"] and r["hired_on"].year == year)]
        pro_rata = policy.training_hours * mon // 12
        assert any(r["training_hours"] == pro_rata for r in full_year), month
        assert any(r["training_hours"] == pro_rata - 1 for r in full_year), month
        below = [r for r in care if r["training_hours"] < due(r)]
        assert 2 <= len(below) <= max(3, len(care) // 8), (month, len(below))
        hired = [r for r in care if r["hired_on"] == dt.date(year, 7, 1)]
        assert len(hired) == 1 and due(hired[0]) <= hired[0]["training_hours"] < pro_rata
    # never decreasing for the same person
    assert all(a <= b for seq in hours.values() for a, b in zip(seq, seq[1:]))
    assert sum(len(seq) == len(MONTHS) for seq in hours.values()) >= 70
    assert policy.training_hours * 9 // 12 == 36   # the boundary of 2023-09 named in the story


def test_home_care_table(ledgers, months):
    for month in MONTHS:
        _, _, care, total = ledgers[month]
        homes = months[month].homes.set_index("home")
        assert [r["home"] for r in care] == list(homes.index)
        for r in care:
            beds, residents = int(homes.loc[r["home"], "beds"]), int(homes.loc[r["home"], "residents"])
            assert 0.2 * beds - 1 <= r["nursing_beds"] <= 0.5 * beds + 1 and r["nursing_beds"] <= beds
            assert r["residents_tekun"] + r["residents_other"] == residents, (month, r["home"])
            assert 0 <= r["residents_other"] <= 5
        assert total[2:5] == [sum(r[k] for r in care) for k in ("nursing_beds", "residents_tekun", "residents_other")]


def _status(rows, key, due, end):
    on_time = [r["township"] for r in rows if r[key] and r[key] <= due]
    late = [r["township"] for r in rows if r[key] and due < r[key] <= end]
    empty = [r["township"] for r in rows if not r[key]]
    return on_time, late, empty


def test_progress_story(ledgers, months):
    dues = {s["field"]: s["due"] for _, s in schedule_duties(load_policy())}
    group_due, agreement_due = dues["group_formed"], dues["filed_on"]
    towns = load_reference().township_names
    by_month = {m: {r["township"]: r for r in ledgers[m][0]} for m in MONTHS}
    for month in MONTHS:
        rows = ledgers[month][0]
        end = month_end(month)
        assert [r["township"] for r in rows] == towns
        dispersed = dict(zip(months[month].townships.township, months[month].townships.dispersed))
        for r in rows:
            for key in ("group_formed", "scheme_adopted", "filed_on"):
                assert r[key] is None or r[key] <= end                        # as of the month's end
            if r["scheme_adopted"]:
                assert r["group_formed"] and 0 <= (r["scheme_adopted"] - r["group_formed"]).days <= 6
            assert 0 <= r["agreements_filed"] <= r["agreements_signed"] <= dispersed[r["township"]]
            if r["filed_on"]:
                assert r["agreements_signed"] == r["agreements_filed"] == dispersed[r["township"]]

    aug, sep, oct_ = (ledgers[m][0] for m in MONTHS)
    # 2023-08: about five groups, formed in late August; agreements partly signed, none filed
    formed = [r for r in aug if r["group_formed"]]
    assert 4 <= len(formed) <= 6 and all(r["group_formed"] >= dt.date(2023, 8, 20) for r in formed)
    dispersed = dict(zip(months["2023-08"].townships.township, months["2023-08"].townships.dispersed))
    assert all(0.28 <= r["agreements_signed"] / dispersed[r["township"]] <= 0.62 for r in aug)
    assert all(r["agreements_filed"] == 0 and r["filed_on"] is None for r in aug)

    # 2023-09: most on time, two or more late, two or more without a group; one without a scheme
    on_time, late, empty = _status(sep, "group_formed", group_due, month_end("2023-09"))
    assert len(on_time) >= 12 and len(late) >= 2 and len(empty) >= 2
    assert any(r["group_formed"] == group_due for r in sep)                   # on the due day itself
    assert [r["township"] for r in sep if r["group_formed"] and not r["scheme_adopted"]]
    done, done_late, open_ = _status(sep, "filed_on", agreement_due, month_end("2023-09"))
    assert not done_late and len(done) >= 14 and open_
    dispersed = dict(zip(months["2023-09"].townships.township, months["2023-09"].townships.dispersed))
    assert all(by_month["2023-09"][t]["agreements_filed"] < dispersed[t] for t in open_)
    assert any(r["filed_on"] == dt.date(2023, 9, 28) for r in sep)

    # 2023-10: of the townships without a group, one formed it in October, one still has none
    oct_end = month_end("2023-10")
    formed_oct = [t for t in empty if by_month["2023-10"][t]["group_formed"]]
    assert len(formed_oct) == 1 and by_month["2023-10"][formed_oct[0]]["group_formed"].month == 10
    assert [t for t in empty if not by_month["2023-10"][t]["group_formed"]]
    # the townships not done in September finish in October, late; everyone's counts follow October's 附件1
    assert all(dt.date(2023, 10, 1) <= by_month["2023-10"][t]["filed_on"] <= oct_end for t in open_)
    assert all(r["filed_on"] for r in oct_)

    # the ledger is cumulative: a date filled in one month is kept in the next
    for a, b in zip(MONTHS, MONTHS[1:]):
        for t in towns:
            for key in ("group_formed", "scheme_adopted", "filed_on"):
                if by_month[a][t][key]:
                    assert by_month[b][t][key] == by_month[a][t][key], (a, t, key)
