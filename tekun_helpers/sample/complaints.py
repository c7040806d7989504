"""Sample complaints and media reports (示例数据): the bureau's register over the bundled year, marked as sample.

``tekun sample --kind 举报`` writes ``data/<month>/举报与媒体报道问题登记表 <month>.xlsx`` (:func:`write_complaint_samples`):
the cases of :data:`COMPLAINT_STORY` the month's register holds — received by the month's end and not closed and
published before the month began — with what was known at the month's end (a case closed in a later month is
open in this one). The story has cases closed and published within their deadline, one closed late (open past its
deadline for a month: page 1 names it), one open past its deadline at the end of the year, and two whose written
words name the person concerned or a health condition (as a clerk might), which the register's checks warn of
and the public notice masks. Townships and homes are the reference's, by their place in its order (no name of
a county in code); a person concerned is the first person of that township on the month's 附件3 form.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..config.policy import load_policy
from ..config.reference import load_reference
from ..core.months import check_month, month_end
from ..core.paths import data_dir as _data_dir
from ..core.text import to_text
from ..forms.complaints import complaints_filename, write_complaints_form

D = dt.date
#: the cases: where (a home's or a township's place in the reference's order), how, what, and when it was
#: received, due, closed and published (None: not yet at the story's end). ``unit``: 'township' (the township's),
#: 'home' (the home's) or 'bureau' (the county's bureau). ``{name}`` in a text is the person concerned's name.
COMPLAINT_STORY = (
    dict(no="JB-2023-001", received=D(2023, 9, 5), channel="电话", home=3, unit="township", category="照料不到位",
         summary="反映敬老院夜间无人值守，老人呼叫无人应答", deadline=D(2023, 9, 20),
         found="夜间只安排一名护理人员，且当晚未在岗", result="增配夜班护理人员一名，建立夜间巡查记录，院长作出书面检查",
         closed=D(2023, 9, 18), published=D(2023, 9, 25)),
    dict(no="JB-2023-002", received=D(2023, 9, 12), channel="信访", township=4, person=True, unit="township",
         category="补贴被侵占", summary="反映一名分散供养特困人员的供养金由亲属代领，本人未拿到",
         deadline=D(2023, 10, 12), found="{name}的供养金由其侄子代领后未足额交给本人",
         result="责令代领人退还全部款项，改由本人账户直接发放，村委会每月监督", closed=D(2023, 10, 10),
         published=D(2023, 10, 17)),
    dict(no="JB-2023-003", received=D(2023, 10, 8), channel="媒体", home=6, unit="bureau", category="资金挪用",
         summary="媒体报道敬老院将特困人员供养资金用于院内维修", deadline=D(2023, 10, 31),
         found="该院从供养资金中列支房屋维修费用，属于不得列支的支出",
         result="责令将维修费用退回供养资金账户，约谈敬老院院长，各敬老院开展资金使用自查",
         closed=D(2023, 12, 15), published=D(2023, 12, 22)),
    dict(no="JB-2023-004", received=D(2023, 11, 20), channel="网络", home=1, unit="home", category="服务质量",
         summary="网友反映敬老院伙食单一，早餐没有鸡蛋", deadline=D(2023, 12, 5),
         found="早餐未按方案要求提供奶和蛋", result="调整食谱，每日早餐提供牛奶和鸡蛋，所在乡镇每周抽查",
         closed=D(2023, 12, 1), published=D(2023, 12, 8)),
    dict(no="JB-2024-001", received=D(2024, 1, 10), channel="电话", home=9, unit="home", category="安全隐患",
         summary="反映敬老院冬季使用电暖器存在火灾隐患", deadline=D(2024, 1, 20),
         found="部分房间私拉电线使用大功率电暖器", result="拆除私拉电线，统一改用集中供暖，开展消防演练",
         closed=D(2024, 1, 18), published=D(2024, 1, 25)),
    dict(no="JB-2024-002", received=D(2024, 3, 4), channel="信访", township=10, person=True, unit="township",
         category="照料不到位", summary="反映一名分散供养特困人员无人照料，居住环境脏乱", deadline=D(2024, 3, 31),
         found="护理人未按协议履行照料责任，该人员患有精神疾病，生活不能自理",
         result="更换护理人并重新签订监管监护协议书，乡镇每月入户查看", closed=D(2024, 5, 10),
         published=D(2024, 5, 17)),
    dict(no="JB-2024-003", received=D(2024, 6, 3), channel="网络", township=12, unit="township", category="其他",
         summary="网友反映特困人员救助供养政策宣传不到位，部分群众不知道如何申请", deadline=D(2024, 6, 30),
         found="", result="", closed=None, published=None),
    dict(no="JB-2024-004", received=D(2024, 7, 8), channel="媒体", township=7, person=True, unit="township",
         category="补贴被侵占", summary="媒体报道有村干部截留分散供养特困人员的生活物资", deadline=D(2024, 7, 31),
         found="一名村干部将慰问物资存放在个人家中，尚未发放", result="物资已全部发放到人，对该村干部进行诫勉谈话",
         closed=D(2024, 7, 26), published=D(2024, 7, 30)),
)


def in_register(case: dict, month: str) -> bool:
    """Whether the month's register holds the case: received by its end, and not closed and published before it."""
    first, last = month_end(month).replace(day=1), month_end(month)
    if case["received"] > last:
        return False
    return not (case["published"] and case["published"] < first)


def _person(data, township: str) -> str:
    df = getattr(data, "assessments", None)
    if df is None or not len(df):
        return ""
    mine = df[df["township"] == township]
    return to_text(mine["name"].iloc[0]) if len(mine) else ""


def case_row(case: dict, month: str, ref, policy, data=None) -> dict:
    """The register's row of ``case`` as known at the end of ``month``."""
    last = month_end(month)
    if "home" in case:
        home = ref.homes[case["home"] % len(ref.homes)]
        town, home_name = home.township, home.name
    else:
        town, home_name = ref.township_names[case["township"] % len(ref.township_names)], ""
    unit = {"township": town, "home": home_name, "bureau": policy.county.bureau_short}[case["unit"]]
    name = _person(data, town) if case.get("person") else ""
    closed = case["closed"] if case["closed"] and case["closed"] <= last else None
    published = case["published"] if closed and case["published"] and case["published"] <= last else None
    words = {k: case[k].format(name=name or "该人员") for k in ("found", "result")}
    return {"case_no": case["no"], "received_on": case["received"], "channel": case["channel"], "township": town,
            "home": home_name or None, "person_name": name or None, "category": case["category"],
            "summary": case["summary"], "unit": unit, "deadline": case["deadline"],
            "found": words["found"] if closed or case["received"] < last.replace(day=1) else None,
            "result": words["result"] if closed else None, "closed_on": closed, "published_on": published}


def plan_complaints(month: str, ref, policy, data=None) -> list[dict]:
    """The rows of the month's sample register (:data:`COMPLAINT_STORY`'s cases it holds)."""
    check_month(month)
    return [case_row(c, month, ref, policy, data) for c in COMPLAINT_STORY if in_register(c, month)]


def write_complaint_samples(month: str, data_dir: str | os.PathLike | None = None, *,
                            out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample register into ``out_dir`` (default data/<month>/), marked as sample data; nothing
    when the story has no case for the month. Returns the files written."""
    from ..month import load_month

    base = _data_dir(data_dir)
    policy = load_policy(data_dir=base).in_force(month)
    ref = load_reference(base)
    data = load_month(month, base) if (base / month).is_dir() else None
    rows = plan_complaints(month, ref, policy, data)
    if not rows:
        return []
    out = Path(out_dir) if out_dir is not None else base / month
    return [write_complaints_form(out / complaints_filename(month), month, rows, sample=True, policy=policy)]
