"""整改跟踪: findings followed across small month folders built in code.

August: 丰收乡's form lists five people. 甲 (no one to care for them) is to be moved into a home and is
placed in September; 乙 is to be moved and is not; 丙 is to be moved and dies in September; 丁's
allowance is not theirs to spend (escalation) and is put right; 戊 is to be moved and leaves the form
without any word on why.
"""
from __future__ import annotations

import datetime as dt

from builders import home_rows, home_sheet, make_month, township_rows, township_sheet, write_xlsx
from test_assessments import form_rows
from tekun_helpers import load_month
from tekun_helpers.analysis import register as rg
from tekun_helpers.config.county import default_county
from tekun_helpers.config.schema import CHANGES, bind

OK = ["甲村", None, "男", 70, "王大", 45, "侄子", "自理", "自有", "整洁干净", "较好", "较好", "是", "是", "否", "较好", None]


def person(name, sex="男", age=70, **answers):
    row = list(OK)
    row[1], row[2], row[3] = name, sex, age
    cols = {"guardian": 4, "care": 11, "allowance": 13, "note": 16}
    for k, v in answers.items():
        row[cols[k]] = v
    if answers.get("guardian", "x") is None:
        row[5] = row[6] = None
    return row


ALONE = {"guardian": None}                                     # 无人照料: to be moved into a home
CHANGE_HEADER = [f.label for f in bind(CHANGES, default_county()).fields]


def month_folder(tmp, month, people, changes=()):
    """附件1/附件2 of the seed (a note naming the month, so that no month is a copy of another) and 丰收乡's form."""
    t, h = township_rows(), home_rows()
    t[0][-1] = h[0][-1] = f"{month} 报送"
    data = make_month(tmp, month, townships=township_sheet(t), homes=home_sheet(h))
    write_xlsx(data / month / "附件3 丰收乡.xlsx", form_rows(people), title_rows=())
    if changes:
        write_xlsx(data / month / "减少情况表.xlsx", [CHANGE_HEADER, *[[i, *c] for i, c in enumerate(changes, 1)]],
                   title_rows=("分散供养特困人员减少情况表",))
    return data


def story(tmp):
    aug = [person("张甲", **ALONE), person("李乙", **ALONE), person("赵丙", age=88, **ALONE),
           person("钱丁", allowance="否"), person("孙戊", sex="女", **ALONE)]
    month_folder(tmp, "2023-08", aug)
    sep = [person("李乙", age=71, **ALONE, note="本人拒绝入住敬老院，不愿离开老宅"), person("钱丁")]
    changes = [["丰收乡", "甲村", "张甲", "男", None, "转入敬老院", "丰收乡敬老院", dt.date(2023, 9, 20), None],
               ["丰收乡", "甲村", "赵丙", "男", None, "去世", None, dt.date(2023, 9, 5), "病故"]]
    month_folder(tmp, "2023-09", sep, changes)
    data = month_folder(tmp, "2023-10", [person("李乙", age=71, **ALONE, note="本人拒绝入住敬老院，不愿离开老宅"),
                                          person("钱丁")])
    return data


def item(reg, name, kind="纳入敬老院集中供养"):
    rows = reg.items[(reg.items["name"] == name) & (reg.items["kind"] == kind)]
    assert len(rows) == 1, reg.items[["kind", "name", "status"]]
    return rows.iloc[0]


def test_each_status_and_date(tmp_path):
    data = story(tmp_path)
    months = [load_month(m, data) for m in ("2023-08", "2023-09", "2023-10")]
    assert all(m.ok for m in months), [i.message for m in months for i in m.errors]
    assert len(months[1].changes) == 2 and months[1].changes["change"].tolist() == ["转入集中供养", "死亡"]

    aug = rg.build(months[:1])
    assert set(aug.items.loc[aug.items["name"] != "", "status"]) == {rg.NEW}
    assert item(aug, "张甲")["due"] == dt.date(2023, 9, 30)          # end of 调查入住阶段 ([followup] transfer_duty)

    sep = rg.build(months[:2])
    a = item(sep, "张甲")
    assert a["status"] == rg.PLACED and a["closed_in"] == "2023-09" and "9月20日转入丰收乡敬老院" in a["detail"]
    b = item(sep, "李乙")
    assert b["status"] == rg.OPEN and b["days_overdue"] == 0 and "拒绝入住" in b["detail"]
    c = item(sep, "赵丙")
    assert c["status"] == rg.NOT_APPLICABLE and "9月5日死亡" in c["detail"] and "病故" in c["detail"]
    d = item(sep, "钱丁", "移交处理")
    assert d["status"] == rg.FIXED and d["first_seen"] == "2023-08" and "9月评估已不再符合" in d["detail"]
    e = item(sep, "孙戊")
    assert e["status"] == rg.UNKNOWN and "说明去向" in e["detail"]

    octo = rg.build(months)
    b = item(octo, "李乙")
    assert b["status"] == rg.OPEN and b["days_overdue"] == 31 and b["first_seen"] == "2023-08"   # 10-31 − 9-30
    assert item(octo, "张甲")["status"] == rg.PLACED and item(octo, "张甲")["closed_in"] == "2023-09"
    assert item(octo, "孙戊")["days_overdue"] == 31
    od = octo.overdue()
    assert set(od["name"]) >= {"李乙", "孙戊"} and od["days_overdue"].is_monotonic_decreasing
    hist = octo.history[octo.history["key"] == b["key"]]
    assert hist["month"].tolist() == ["2023-08", "2023-09", "2023-10"]
    assert hist["status"].tolist() == [rg.NEW, rg.OPEN, rg.OPEN]
    assert octo.counts()[rg.PLACED] == 1


def test_the_same_person_a_year_older_is_the_same_identity(tmp_path):
    ids = rg.Identities()
    a = ids.resolve({"township": "丰收乡", "village": "甲村", "name": "李乙", "sex": "男", "age": 70}, "2023-08")
    b = ids.resolve({"township": "丰收乡", "village": "甲村", "name": "李乙", "sex": "男", "age": 71}, "2023-09")
    c = ids.resolve({"township": "丰收乡", "village": "甲村", "name": "李乙", "sex": "女", "age": 71}, "2023-09")
    d = ids.resolve({"township": "丰收乡", "village": "甲村", "name": "李乙", "sex": "男", "age": 40}, "2023-09")
    assert a == b and len({a, c, d}) == 3


def test_register_is_computed_from_the_folders(tmp_path):
    data = story(tmp_path)
    r = rg.register_for("2023-09", data)
    assert r.months == ["2023-08", "2023-09"] and item(r, "张甲")["status"] == rg.PLACED
    assert rg.register_for("2023-09", data).items.equals(r.items)


def test_monthly_flow_by_reason_and_against_attachments(tmp_path):
    from tekun_helpers.analysis import flows

    data = story(tmp_path)
    aug, sep = load_month("2023-08", data), load_month("2023-09", data)
    flow, issues = flows.township_flow(aug, sep)
    f = flow.set_index("township").loc["丰收乡"]
    assert (f["last"], f["new"], f["out_转入集中供养"], f["out_死亡"], f["out_未说明原因"], f["now"]) == (5, 0, 1, 1, 1, 2)
    assert f["last"] + f["new"] - f["out"] == f["now"]
    # 附件1 still says the seed's number for 丰收乡: the flow says 3 fewer
    (w,) = [i for i in issues if "丰收乡" in i.message]
    assert w.severity == "warning" and f"应为 {f['annex1_last'] - 3} 人" in w.message
    homes = flows.home_flow(aug, sep).set_index("home")
    assert homes.loc["丰收乡敬老院", "transferred_in"] == 1
    h = homes.loc["丰收乡敬老院"]
    assert h["last"] + h["transferred_in"] + h["other"] == h["now"]


def test_export_sheet_and_masked_names(tmp_path):
    from tekun_helpers.report import Briefing

    data = story(tmp_path)
    sheets = Briefing("2023-10", data).export_tables()
    sheet = sheets["整改跟踪"]
    assert {"首次发现月份", "责任单位", "期限", "状态"} <= set(sheet.headers())
    reg = sheet.frame
    people = reg[reg["kind"] == "纳入敬老院集中供养"]
    assert set(people["first_seen"]) == {"2023-08"} and {"已入住", "未整改", "不再适用", "待核实"} <= set(people["status"])
    assert "李乙" not in people["name"].tolist() and "李*" in people["name"].tolist()
    assert "人员增减" in sheets and "转入安排" in sheets


def test_a_number_typed_wrong_one_month_is_the_same_person():
    """A valid number whose birth year does not fit the form's age (the checks warn of it) does not make a new
    person: the name and the age's birth year still match; a namesake whose number fits their age does not."""
    ids = rg.Identities()
    aug = {"township": "丰收乡", "village": "甲村", "name": "李乙", "sex": "男", "age": 59,
           "id_number": "990000196401309874"}
    sep = {**aug, "id_number": "990000197101303176"}           # born 1971 by the number, 1964 by the age
    other = {**aug, "age": 52, "id_number": "990000197101303176"}
    a = ids.resolve(aug, "2023-08")
    assert ids.resolve(sep, "2023-09") == a
    fresh = rg.Identities()
    fresh.resolve(aug, "2023-08")
    assert fresh.resolve(other, "2023-09") != a


# -- the bundled sample months (data/2023-08..2023-10) -------------------------------------------

def test_bundled_october_register_holds_each_status():
    """The sample story: August's transfer candidates placed (the home as evidence), still waiting past the
    deadline of [followup] transfer_duty, one dead, one refusing with the reason on the form."""
    from tekun_helpers.sample.story import REFUSAL_NOTE

    octo = rg.register_for("2023-10")
    assert octo.months == ["2023-08", "2023-09", "2023-10"]
    policy = load_month("2023-10").policy
    due = policy.duty(policy.followup.transfer_duty).due
    people = octo.items[(octo.items["kind"] == "纳入敬老院集中供养") & (octo.items["first_seen"] == "2023-08")]
    homes = set(load_month("2023-10").reference.home_names)
    placed = people[people["status"] == rg.PLACED]
    assert len(placed) > 50
    for detail in placed["detail"]:
        assert "减少情况表" in detail and any(f"转入{h}集中供养" in detail for h in homes), detail
    assert set(placed["closed_in"]) == {"2023-09", "2023-10"}
    waiting = people[people["status"] == rg.OPEN]
    assert len(waiting) > 50 and (waiting["due"] == due).all()
    assert (waiting["days_overdue"] == (dt.date(2023, 10, 31) - due).days).all()
    dead = people[(people["status"] == rg.NOT_APPLICABLE) & people["detail"].str.contains("死亡")]
    assert len(dead) == 1 and dead.iloc[0]["closed_in"] == "2023-10"
    refusing = people[people["detail"].str.contains(REFUSAL_NOTE)]
    assert len(refusing) == 1 and refusing.iloc[0]["status"] == rg.OPEN and refusing.iloc[0]["days_overdue"] > 0
    assert len(refusing.iloc[0]["detail"].split(REFUSAL_NOTE, 1)[1]) > 2        # and why
    # every person who left the forms is accounted for by the 减少情况表
    assert octo.counts()[rg.UNKNOWN] == 0
    assert {"2023-08", "2023-09"} <= set(octo.items["first_seen"])
    overdue = octo.overdue()
    assert len(overdue) and overdue.iloc[0]["first_seen"] == "2023-08"


def test_bundled_september_flow_by_reason_matches_attachment_1():
    from tekun_helpers.analysis import flows

    aug, sep = load_month("2023-08"), load_month("2023-09")
    flow, issues = flows.township_flow(aug, sep)
    assert not issues, [i.message for i in issues]
    total = flow[[c for c in flow.columns if c not in ("township", "mismatch")]].sum()
    assert total["new"] > 0 and total["out_转入集中供养"] > 0 and total["out_死亡"] > 0
    assert total["out_未说明原因"] == 0
    assert total["last"] + total["new"] - total["out"] == total["now"] == sep.townships["dispersed"].sum()
    assert (flow["annex1_expected"] == flow["annex1_now"]).all() and not flow["mismatch"].any()
    homes = flows.home_flow(aug, sep)
    assert homes["transferred_in"].sum() == total["out_转入集中供养"]
    assert (homes["last"] + homes["transferred_in"] + homes["other"] == homes["now"]).all()
    # October: one person leaves support (退出), nobody unaccounted for
    octo, _ = flows.township_flow(sep, load_month("2023-10"))
    assert octo["out_退出"].sum() == 1 and octo["out_未说明原因"].sum() == 0


def test_a_township_lists_its_overdue_people_once():
    """2023-10, 贝子府镇: the people found in August and still on this month's lists are marked in those lists
    (逾期情况) and left out of the 逾期未整改 table; the banner keeps its table whole."""
    from tekun_helpers.report import followup
    from tekun_helpers.report.briefing import Briefing

    b = Briefing("2023-10", township="贝子府镇")
    od = followup.items(b)
    od = od[od["status"].isin(rg.OPEN_STATUSES) & (od["days_overdue"] > 0)]
    carried = {r: followup.carried_over(b, r) for r in followup.LISTED_RULES}
    transfer = carried["transfer"]
    assert transfer["key"].str.startswith("transfer|").sum() == int(
        (od["key"].str.startswith("transfer|") & (od["status"] == rg.OPEN)).sum()) > 0
    assert transfer["key"].is_unique and set(transfer["pos"]) <= set(range(len(b.cases("transfer"))))
    assert (transfer["first_seen"] < "2023-10").all() and (transfer["days_overdue"] > 0).all()
    # the same person in the list and in the register: village and sex agree
    raw = b.raw_cases("transfer")
    reg = od.set_index("key")
    for r in transfer.to_dict("records"):
        assert raw.iloc[r["pos"]]["village"] == reg.loc[r["key"], "village"]
    assert followup.overdue_text("2023-08", 31) == "2023年8月发现，逾期 31 天"
    whole = Briefing("2023-10")
    assert all(followup.carried_over(whole, r)["key"].is_unique for r in followup.LISTED_RULES)


def test_a_townships_flow_reads_as_one_sentence_that_adds_up():
    """A township's 人员增减 is one line: last month + new − out = now, with the reasons that make up 减少合计."""
    import re

    from tekun_helpers.report import followup
    from tekun_helpers.report.briefing import Briefing

    b = Briefing("2023-10", township="新惠镇")
    flow, _ = followup.township_flow(b)
    flow = b.scope.rows(flow)
    text = followup.flow_sentence(flow.iloc[0], flow)
    n = {k: int(v) for k, v in re.findall(r"(上月人数|新增|减少合计|本月人数) (\d+) 人", text)}
    assert n["上月人数"] + n["新增"] - n["减少合计"] == n["本月人数"] == int(flow.iloc[0]["now"]), text
    parts = [int(v) for v in re.findall(r"(?:其中|、)[^ ]+ (\d+) 人", text)]
    assert sum(parts) == n["减少合计"] > 0, text


def test_the_first_row_of_the_changes_table_about_a_person_gives_the_reason(tmp_path):
    """The 减少情况表 is looked up by index (identity, name): a person on two rows (by name only, then by
    number too) is read from the first row, in the register and in the flow alike."""
    from tekun_helpers.analysis import flows

    month_folder(tmp_path, "2023-08", [person("张甲", **ALONE), person("赵丙", age=88, **ALONE)])
    changes = [["丰收乡", "甲村", "赵丙", "男", None, "去世", None, dt.date(2023, 9, 5), "病故"],
               ["丰收乡", "甲村", "赵丙", "男", None, "迁出", None, dt.date(2023, 9, 9), None],
               ["丰收乡", "甲村", "张甲", "", None, "转入敬老院", "丰收乡敬老院", dt.date(2023, 9, 20), None]]
    data = month_folder(tmp_path, "2023-09", [person("钱丁")], changes)
    aug, sep = load_month("2023-08", data), load_month("2023-09", data)
    reg = rg.build([aug, sep])
    assert item(reg, "赵丙")["status"] == rg.NOT_APPLICABLE and "9月5日死亡" in item(reg, "赵丙")["detail"]
    assert item(reg, "张甲")["status"] == rg.PLACED          # a row without 性别 is the person of that name
    f = flows.township_flow(aug, sep)[0].set_index("township").loc["丰收乡"]
    assert (f["out_死亡"], f["out_迁出"], f["out_转入集中供养"], f["out_未说明原因"]) == (1, 0, 1, 0)
    assert flows.unexplained_leavers(aug, sep).empty
