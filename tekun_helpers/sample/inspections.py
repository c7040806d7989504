"""Sample inspections (示例数据): the bureau's visits to every home in a month, filled checklists marked as sample.

``tekun sample --kind 督查`` writes one filled 督查检查表 per home of the reference into ``data/<month>/督查/``
(:func:`write_inspection_samples`). A month whose month before has sample checklists is a second visit: most items
found 不符合 then are put right (符合 now), some are not yet, and a few new ones appear
(:data:`INSPECTION_STORY`); a first month draws every answer afresh. The items and their weights are
inspection.toml's; the answers, the days and the words of what was seen are the story's, never the plan's.
"""
from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

from ..config.inspection import MET, NOT_APPLICABLE, NOT_MET, PARTLY, inspection_for
from ..config.policy import load_policy
from ..config.reference import load_reference
from ..core.issues import Issue
from ..core.months import check_month, month_end, previous_month
from ..core.paths import data_dir as _data_dir
from ..forms.inspection import inspection_filename, write_inspection_form

INSPECTION_SEED = 20231020
FOLDER = "督查"
#: the story's odds: a first visit's answers; on a second visit, what becomes of an item by its answer before
INSPECTION_STORY = {
    "first": ((MET, 0.70), (PARTLY, 0.18), (NOT_MET, 0.09), (NOT_APPLICABLE, 0.03)),
    "again": {
        NOT_MET: ((MET, 0.70), (PARTLY, 0.05), (NOT_MET, 0.25)),
        PARTLY: ((MET, 0.55), (PARTLY, 0.40), (NOT_MET, 0.05)),
        MET: ((MET, 0.93), (PARTLY, 0.05), (NOT_MET, 0.02)),
        NOT_APPLICABLE: ((NOT_APPLICABLE, 1.0),),
    },
    # the visits fall between these days of the month
    "days": (6, 27),
}
#: what the inspectors saw, by item and answer (an item of a county's own list without words gets generic ones)
SEEN = {
    "meals": ("食谱上墙，早餐有牛奶、鸡蛋，午餐晚餐两菜一汤", "早餐有鸡蛋，牛奶每周只供应三次", "早餐只有稀粥咸菜，没有奶和蛋"),
    "rules": ("内部管理、安全管理、服务管理制度齐全并上墙", "有制度，但安全检查记录不全", "没有安全管理制度，消防检查无记录"),
    "grading": ("已参加等级评定", "已提交等级评定申请，尚未评定", "未参加等级评定"),
    "care": ("日常照料到位，生病院民及时送医", "照料基本到位，送医记录不全", "两名失能院民未得到及时照料"),
    "supplies": ("今年已为院民更新冬装和被褥", "被褥已更新，冬装尚未发放", "被褥陈旧，三年未更新"),
    "nursing_beds": ("新增护理型床位，护理员已参加专业培训", "护理型床位未增加，护理员已培训", "没有护理型床位，护理员未培训"),
    "humane": ("逐人建立生活习惯档案，作息可按个人习惯", "有档案但内容简单", "作息一刀切，未掌握老人生活习惯"),
    "volunteers": ("本月志愿者来院两次，组织了文娱活动", "本季度有一次志愿服务", "半年来没有志愿服务和文娱活动"),
    "publicity": ("微信公众号每周更新院内生活", "偶尔在微信群发布照片", "没有任何宣传"),
    "courtyard": ("院内菜园、养鸡，蔬菜自给", "有菜园，规模较小", "院内土地闲置"),
    "finance": ("账目清楚，经费按月足额到位", "账目清楚，经费有延迟", "经费未足额拨付，账目不清"),
    "service_rules": ("提升服务水平措施已落实", "措施已制定，部分落实", "没有落实提升服务水平措施"),
    "head_training": ("院长本年参加培训和观摩学习各一次", "院长参加了观摩学习，未参加培训", "院长本年未参加培训和观摩"),
}
_GENERIC = ("现场查看符合要求", "基本做到，个别方面有欠缺", "现场查看未做到")


def _pick(rng: random.Random, odds) -> str:
    x, acc = rng.random(), 0.0
    for answer, p in odds:
        acc += p
        if x < acc:
            return answer
    return odds[-1][0]


def _seen(item_id: str, answer: str, again: bool) -> str:
    words = SEEN.get(item_id, _GENERIC)
    if answer == NOT_APPLICABLE:
        return "本院不具备该项条件，不适用"
    text = words[{MET: 0, PARTLY: 1, NOT_MET: 2}[answer]]
    return f"仍未整改：{text}" if again and answer == NOT_MET else text


def previous_answers(month: str, base: Path) -> dict[str, dict[str, str]]:
    """home -> item id -> answer of the sample checklists of the month before ``month`` ({} when none)."""
    from ..io.readers import find_tables
    from ..io.workbooks import list_input_files, read_file

    folder = base / previous_month(month) / FOLDER
    if not folder.is_dir():
        return {}
    policy = load_policy(data_dir=base)
    issues: list[Issue] = []
    out: dict[str, dict[str, str]] = {}
    for p in list_input_files(folder)[0]:
        for t in find_tables(read_file(p, p.name, issues).sheets, issues, policy.county):
            if t.table.key != "inspections":
                continue
            for r in t.rows:
                if r.values.get("home") and r.values.get("item") and r.values.get("answer"):
                    out.setdefault(r.values["home"], {})[r.values["item"]] = r.values["answer"]
    return out


def plan_inspections(month: str, homes: list[str], items: list[str], before: dict[str, dict[str, str]],
                     seed: int = INSPECTION_SEED) -> dict[str, tuple[dt.date, dict[str, dict]]]:
    """home -> (the visit's day, item id -> {answer, evidence}) for ``month``; ``before``: the month before's
    answers (:func:`previous_answers`), a second visit where a home has them."""
    rng = random.Random(f"{seed}-{month}")
    low, high = INSPECTION_STORY["days"]
    last = month_end(month)
    out = {}
    for home in homes:
        day = last.replace(day=min(rng.randint(low, high), last.day))
        answers = {}
        earlier = before.get(home, {})
        for item in items:
            again = item in earlier
            odds = INSPECTION_STORY["again"][earlier[item]] if again else INSPECTION_STORY["first"]
            answer = _pick(rng, odds)
            answers[item] = {"answer": answer, "evidence": _seen(item, answer, again and earlier[item] == NOT_MET)}
        out[home] = (day, answers)
    return out


def write_inspection_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int = INSPECTION_SEED, *,
                             out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write a filled sample checklist for every home of the reference into ``out_dir`` (default
    data/<month>/督查/), each marked as sample data. Returns the files written, in the homes' order."""
    check_month(month)
    base = _data_dir(data_dir)
    policy = load_policy(data_dir=base).in_force(month)
    homes = load_reference(base).home_names
    checklist = inspection_for(policy)
    plan = plan_inspections(month, homes, checklist.ids, previous_answers(month, base), seed)
    out = Path(out_dir) if out_dir is not None else base / month / FOLDER
    inspectors = f"{policy.county.bureau_short}督查组"
    return [write_inspection_form(out / inspection_filename(h, month), month, h, plan[h][1], inspected_on=plan[h][0],
                                  inspectors=inspectors, sample=True, policy=policy, checklist=checklist)
            for h in homes]
