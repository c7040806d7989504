"""Fictitious 附件3 assessment forms for trying the workbook out (示例数据).

The plan's 附件3 is a blank template: no township has sent a filled form yet. This
module makes up plausible people for every township so that the assessment
statistics, rules and reports can be developed and shown. Everything made
here is fictitious: names and villages are random combinations of characters,
and every file is marked as sample data (document keywords ``tekun-sample``
and a red 示例数据 cell on the sheet), which the reader and the reports show.

The counts follow the month's 附件1: each township gets exactly its 分散供养人数
people, of whom exactly its 全失能 and 半失能 numbers are 失能 and 半失能. Most
answers are good; a few people are made to meet each of the plan's rules
(poor care, poor living environment or quality of life, nobody caring, allowance
not controlled by the person, rights infringed, not treated in time), so that
the rules have something to find.

The months after the bundled 2023-08 are made up as a story of the plan at work
(:func:`generate_month_story`): 2023-08's real 附件1 and 附件2 and its sample forms
are the starting point; in 2023-09 and 2023-10 people flagged for transfer move
into the home serving their township, homes take other elderly people toward the
occupancy target, a few people die and a few are newly approved, and care
improves. :func:`write_official_tables` writes those months' 附件1 and 附件2 in
the official layout, marked as sample data like the forms.

:func:`write_schedule_samples` writes a month's sample 乡镇工作进度台账 and
敬老院工作人员台账 (:func:`plan_schedule_story`): townships forming their supervision
groups and filing their agreements around the plan's due dates, some late, and a
staff roster with the year's training hours, following that month's 附件1 and 附件2.

For the auditor's checks (资金与政策衔接) the forms carry the banner's three added columns
(身份证号, 是否患有精神疾病, 是否新申请: :func:`plan_identities`, with a few deliberately wrong
or missing numbers), and :func:`write_benefit_samples` and :func:`write_funds_samples` write a
month's benefit rosters (made-up people not in extreme hardship, plus people of the month's
forms: matched by number, by name only, and a namesake with another number that must not
match) and its support-money ledger (one home short, one late, one not paid; a forbidden
spending category or two). :func:`write_assessment_samples` is what ``tekun sample --kind 附件3``
runs: the month story's forms for 2023-09 and 2023-10, :func:`generate_sample` otherwise.
"""
from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from ..config.schema import VOCABULARIES
from ..core.exceptions import ValidationFailed
from ..core.months import next_month
from ..forms import form_filename, write_assessment_form
from ..io.workbooks import SAMPLE_KEYWORD, SAMPLE_TEXT

# -- vocabularies (labels always taken from the schema) --------------------------------
_SEX = VOCABULARIES["sex"].labels                      # 男, 女
_SELF_CARE = VOCABULARIES["self_care"].labels          # 自理, 半失能, 失能
_HOUSING = VOCABULARIES["housing"].labels              # 自有, 幸福院, 借住
_ENV = VOCABULARIES["environment"].labels              # 整洁干净, 一般, 脏乱差
_QUALITY = VOCABULARIES["quality"].labels              # 较好, 一般, 较差
_CARE = VOCABULARIES["care"].labels                    # 较好, 一般, 较差, 差
_RESULT = VOCABULARIES["result"].labels                # 较好, 较差, 差
_YES, _NO = VOCABULARIES["yes_no"].labels              # 是, 否
MALE, FEMALE = _SEX
SELF, SEMI, FULL = _SELF_CARE
CARE_GOOD, CARE_FAIR, CARE_POOR, CARE_BAD = _CARE
#: the two 护理情况 scales found on the form: its header (较好/一般/较差) and its note 2 (较好/较差/差)
CARE_SCALE_HEADER = (CARE_GOOD, CARE_FAIR, CARE_POOR)
CARE_SCALE_NOTE = (CARE_GOOD, CARE_POOR, CARE_BAD)

# -- made-up names ----------------------------------------------------------------------
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶贺顾毛郝龚邵万钱严武戴孔汤包"
    "敖宝佟常齐鲍单安温翟葛牛乔庞樊康谷霍"
)
_MALE_FIRST = "福贵财山林海国庆德发祥生全有文明志永宝金广树长占殿振成义忠春学清喜顺和江富荣仁玉俊凤连万景守"
_MALE_SECOND = "山林海军国庆德发祥生全有文明志宝金广树成义忠臣友春学清喜顺和江富荣仁才田民武东太平安奎元章彬强峰刚良"
_FEMALE_FIRST = "桂玉秀淑凤春素翠金银丽美月兰雅彩冬秋香"
_FEMALE_SECOND = "兰凤英芬珍华霞梅荣琴云芝香萍娟翠艳莲菊花敏丽芹娥环娣枝"
# Mongolian given names, common in the banner's 苏木 and 嘎查 (used with a surname, 3 characters in all)
_MONGOL_MALE = ("巴图", "宝音", "朝鲁", "那顺", "孟和", "达来", "额尔敦", "乌力吉", "巴雅尔", "阿拉坦")
_MONGOL_FEMALE = ("图雅", "萨仁", "斯琴", "高娃", "塔娜", "娜仁", "托娅", "其其格", "乌云", "琪琪")
_MONGOL_SURNAMES = "包白宝敖韩吴鲍"
# names that belong to well-known people: never generated
FAMOUS = frozenset("""
李白 杜甫 王菲 刘欢 李娜 周迅 王刚 宋江 武松 李逵 林冲 孙权 刘备 张飞 关羽 曹操 马云 雷军 成龙 黎明 姚明 刘翔 李宁
朱德 陈毅 贺龙 鲁迅 巴金 老舍 冰心 莫言 余华 王蒙 雷锋 毛泽东 周恩来 刘少奇 邓小平 江泽民 胡锦涛 习近平 李克强
温家宝 朱镕基 李鹏 彭德怀 林彪 叶剑英 焦裕禄 孔繁森 钱学森 袁隆平 屠呦呦 王宝强 张艺谋 李连杰 周杰伦 刘德华
张学友 郭富城 郭晶晶 王楠 邓亚萍 乌兰夫 赵本山 宋丹丹 范伟 郭德纲 于谦 岳云鹏 韩红 腾格尔 德德玛 那英 毛阿敏
刘德 王光美 宋庆龄 孙中山 张国荣 梅兰芳 齐白石 徐悲鸿 黄继光 邱少云 董存瑞 刘胡兰 张海迪 王进喜 杨利伟 郎平
""".split())

# -- made-up villages -------------------------------------------------------------------
_VILLAGE_HEAD = "东西南北前后上下大小新老二三四五"
_VILLAGE_MID = "杨柳榆杏梨桑石马牛羊黄白红青高李王张刘赵孙郭于韩边"
_VILLAGE_TAIL = ("家营子", "杖子", "窝铺", "家沟", "台子", "甸子", "梁", "家洼", "井", "家店", "家堡", "营子", "房身", "沟门")
_GACHA_PARTS = ("乌兰", "查干", "哈日", "巴彦", "宝力", "呼和", "塔拉", "诺尔", "浩特", "高勒", "温都", "敖包",
                "套海", "伊和", "阿日", "花", "沙日", "额很", "哈拉", "布敦")
_COMMUNITY_CHARS = "欣安和康福盛兴裕祥瑞丰泰宁顺惠德华景嘉明馨苑园阳"

# -- guardians --------------------------------------------------------------------------
# relation -> (shares the person's surname, age offset range from the person's age, or absolute range)
_RELATIONS = (
    ("侄子", 0.24), ("侄女", 0.10), ("外甥", 0.08), ("外甥女", 0.05), ("兄弟", 0.09), ("姐妹", 0.04),
    ("堂侄", 0.05), ("邻居", 0.12), ("村委会指定护理人", 0.18), ("远房亲戚", 0.05),
)
_SAME_SURNAME = {"侄子", "侄女", "兄弟", "姐妹", "堂侄"}
_FEMALE_RELATIONS = {"侄女", "外甥女", "姐妹"}

# -- how often each problem is made (per person) ----------------------------------------
RATES = {
    "care_poor": 0.035,        # 护理情况 较差
    "care_bad": 0.012,         # 护理情况 差 (townships using the note's scale)
    "env_bad": 0.025,          # 居住环境 脏乱差
    "quality_poor": 0.03,      # 生活质量 较差
    "no_guardian": 0.015,      # 无监护人/护理人（独自生活）
    "allowance_not_self": 0.02,  # 特困供养费不由本人支配
    "rights_infringed": 0.004,   # 存在侵占合法权益
    "not_treated": 0.015,      # 生病不能得到及时救治
}
_PLAIN_NOTES = ("患高血压，定期服药", "患慢性支气管炎", "腿脚不便", "听力较差", "本人有入住敬老院意愿",
                "已签订三方监管监护协议", "护理人在本村居住", "视力较差", "患糖尿病，定期随访", "精神状况良好")


def _pick_weighted(rng: random.Random, pairs):
    x = rng.random() * sum(w for _, w in pairs)
    for value, w in pairs:
        x -= w
        if x <= 0:
            return value
    return pairs[-1][0]


def _count(rng: random.Random, n: int, rate: float) -> int:
    """n * rate rounded at random, so small townships sometimes get one and sometimes none."""
    expected = n * rate
    return int(expected) + (1 if rng.random() < expected - int(expected) else 0)


def _given(rng: random.Random, sex: str) -> str:
    first, second = (_MALE_FIRST, _MALE_SECOND) if sex == MALE else (_FEMALE_FIRST, _FEMALE_SECOND)
    if rng.random() < 0.25:
        return rng.choice(second)
    while True:
        a, b = rng.choice(first), rng.choice(second)
        if a != b:
            return a + b


def make_name(rng: random.Random, sex: str, used: set[str], *, surname: str | None = None,
              mongol: bool = False) -> str:
    """A fictitious 2- or 3-character name not in ``used`` (which it is added to) nor a famous name."""
    for _ in range(1000):
        if mongol:
            s = surname or rng.choice(_MONGOL_SURNAMES)
            name = s + rng.choice(_MONGOL_MALE if sex == MALE else _MONGOL_FEMALE)
            if len(name) > 3:
                name = s + _given(rng, sex)
        else:
            name = (surname or rng.choice(SURNAMES)) + _given(rng, sex)
        if name not in used and name not in FAMOUS:
            used.add(name)
            return name
        if surname and _ > 200:
            surname = None  # this surname's names are used up: take another
    raise RuntimeError("无法生成不重复的虚构姓名")  # pragma: no cover


def _villages(rng: random.Random, township: str, n: int) -> list[str]:
    """Made-up village (村 / 嘎查) or community (社区) names for a township of ``n`` people."""
    names: list[str] = []
    if "街道" in township:
        count = max(2, min(5, n // 5))
        while len(names) < count:
            a, b = rng.sample(_COMMUNITY_CHARS, 2)
            name = f"{a}{b}社区"
            if name not in names:
                names.append(name)
        return names
    count = max(2, min(18, round(n / 12)))
    gacha_share = 0.7 if "苏木" in township else 0.12
    while len(names) < count:
        if rng.random() < gacha_share:
            a, b = rng.sample(_GACHA_PARTS, 2)
            name = f"{a}{b}嘎查"
        else:
            name = f"{rng.choice(_VILLAGE_HEAD)}{rng.choice(_VILLAGE_MID)}{rng.choice(_VILLAGE_TAIL)}村"
        if name not in names:
            names.append(name)
    return names


def _age(rng: random.Random) -> int:
    """35..98, skewed old (mean about 71)."""
    return 35 + round(63 * rng.betavariate(2.8, 2.0))


def _guardian(rng: random.Random, person: dict, used: set[str], mongol: bool) -> tuple[str, int, str]:
    relation = _pick_weighted(rng, _RELATIONS)
    sex = FEMALE if relation in _FEMALE_RELATIONS else (MALE if relation in _SAME_SURNAME | {"外甥"}
                                                         else (MALE if rng.random() < 0.6 else FEMALE))
    surname = person["name"][0] if relation in _SAME_SURNAME else None
    name = make_name(rng, sex, used, surname=surname, mongol=mongol and surname is None and rng.random() < 0.5)
    age = person["age"]
    if relation in ("兄弟", "姐妹"):
        g_age = age + rng.randint(-12, 8)
    elif relation in ("侄子", "侄女", "外甥", "外甥女", "堂侄"):
        g_age = age - rng.randint(18, 35)
    else:
        g_age = rng.randint(38, 66)
    return name, max(22, min(88, g_age)), relation


def overall_result(p: dict) -> str:
    """The 评估结果 a township would give a person with these answers (较好, 较差 or 差).

    差: care 差, rights infringed, a dirty home together with poor quality of life, or a person
    who is not self-caring and has nobody (no 监护人/护理人). 较差: any other problem.
    """
    alone = not p.get("guardian_name")
    severe = (p["care"] == CARE_BAD or p["rights_infringed"] == _YES
              or (p["environment"] == _ENV[2] and p["quality"] == _QUALITY[2])
              or (alone and p["self_care"] != SELF))
    poor = (p["care"] == CARE_POOR or p["environment"] == _ENV[2] or p["quality"] == _QUALITY[2]
            or alone or p["self_controls_allowance"] == _NO or p["treated"] == _NO)
    return _RESULT[2] if severe else (_RESULT[1] if poor else _RESULT[0])


def generate_people(township: str, dispersed: int, fully_disabled: int, semi_disabled: int,
                    rng: random.Random, *, used: set[str] | None = None,
                    care_scale: tuple[str, ...] | None = None) -> list[dict]:
    """Fictitious people in dispersed care for one township, as rows of the 附件3 form.

    township:       the township (its name decides 社区 / 嘎查 / 村 style villages).
    dispersed:      how many people (分散供养人数).
    fully_disabled: how many of them are 失能; semi_disabled: how many are 半失能.
    rng:            the random source (the result depends only on it and the arguments).
    used:           names already taken in the banner; names made here are added to it, so
                    passing one set for every township keeps names unique banner-wide.
    care_scale:     the 护理情况 answers this township uses: CARE_SCALE_HEADER (较好/一般/较差) or
                    CARE_SCALE_NOTE (较好/较差/差); None picks one at random.
    Returns dicts keyed by schema.ASSESSMENTS keys, numbered from 1, grouped by village.
    """
    if fully_disabled + semi_disabled > dispersed or min(dispersed, fully_disabled, semi_disabled) < 0:
        raise ValueError(f"{township}：失能 {fully_disabled} 人、半失能 {semi_disabled} 人与分散供养 {dispersed} 人不相容。")
    used = set() if used is None else used
    scale = care_scale or rng.choice((CARE_SCALE_HEADER, CARE_SCALE_NOTE))
    villages = _villages(rng, township, dispersed)
    weights = [0.4 + rng.random() for _ in villages]
    mongol_share = 0.35 if "苏木" in township else 0.08

    people: list[dict] = []
    for _ in range(dispersed):
        village = rng.choices(villages, weights)[0]
        sex = MALE if rng.random() < 0.72 else FEMALE
        mongol = rng.random() < (mongol_share * (2 if village.endswith("嘎查") else 1))
        people.append({"village": village, "sex": sex, "age": _age(rng), "self_care": SELF,
                       "name": make_name(rng, sex, used, mongol=mongol), "_mongol": mongol})

    # the disabled are the older ones, roughly: rank by age plus noise
    order = sorted(range(dispersed), key=lambda i: -(people[i]["age"] + rng.uniform(0, 35)))
    full_idx = set(order[:fully_disabled])
    semi_idx = set(order[fully_disabled:fully_disabled + semi_disabled])
    for i in full_idx:
        people[i]["self_care"] = FULL
    for i in semi_idx:
        people[i]["self_care"] = SEMI

    everyone = list(range(dispersed))
    able = [i for i in everyone if i not in full_idx]

    def pick(rule: str, pool=everyone) -> set[int]:
        return set(rng.sample(pool, min(len(pool), _count(rng, dispersed, RATES[rule]))))

    no_guardian = pick("no_guardian", able)  # a fully disabled person alone would not be credible
    care_poor = pick("care_poor")
    care_bad = pick("care_bad") if CARE_BAD in scale else set()
    # fully disabled people among those with poor care: one in every township with 3 or more,
    # sometimes one where there are fewer
    if full_idx and (len(full_idx) >= 3 or rng.random() < 0.35):
        care_poor.add(rng.choice(sorted(full_idx)))
    care_poor -= care_bad
    env_bad = pick("env_bad")
    quality_poor = pick("quality_poor")
    # poor care and a dirty home, or being alone and eating badly, tend to go together
    for i in sorted(care_bad | care_poor):
        if rng.random() < 0.35:
            env_bad.add(i)
    for i in sorted(no_guardian):
        if rng.random() < 0.4:
            quality_poor.add(i)
    allowance_not_self = pick("allowance_not_self", [i for i in everyone if i not in no_guardian])
    rights = pick("rights_infringed", [i for i in everyone if i not in no_guardian])
    for i in sorted(rights):
        if rng.random() < 0.6:
            allowance_not_self.add(i)
    not_treated = pick("not_treated")

    for i, p in enumerate(people):
        mongol = p.pop("_mongol")
        if i in no_guardian:
            p["guardian_name"], p["guardian_age"], p["guardian_relation"] = "", None, ""
        else:
            p["guardian_name"], p["guardian_age"], p["guardian_relation"] = _guardian(rng, p, used, mongol)
        p["housing"] = _pick_weighted(rng, ((_HOUSING[0], 0.8), (_HOUSING[2], 0.12), (_HOUSING[1], 0.08)))

        if i in env_bad:
            p["environment"] = _ENV[2]
        else:
            p["environment"] = _ENV[0] if rng.random() < 0.68 else _ENV[1]
        if i in quality_poor:
            p["quality"] = _QUALITY[2]
        else:
            p["quality"] = _QUALITY[0] if rng.random() < 0.7 else _QUALITY[1]
        if i in care_bad:
            p["care"] = CARE_BAD
        elif i in care_poor or i in no_guardian:
            p["care"] = CARE_POOR
        else:
            p["care"] = CARE_FAIR if (CARE_FAIR in scale and rng.random() < 0.25) else CARE_GOOD
        p["treated"] = _NO if i in not_treated else _YES
        p["self_controls_allowance"] = _NO if i in allowance_not_self else _YES
        p["rights_infringed"] = _YES if i in rights else _NO

        p["result"] = overall_result(p)

        notes = []
        if i in no_guardian:
            notes.append("独自生活，无监护人/护理人")
        if p["rights_infringed"] == _YES:
            notes.append("护理人领取护理补贴未履行照料义务")
        elif p["self_controls_allowance"] == _NO:
            who = p["guardian_relation"] if p["guardian_relation"] and p["guardian_relation"] != "村委会指定护理人" else "亲属"
            notes.append(f"供养金由{who}代领代管")
        if p["treated"] == _NO:
            notes.append("患病未及时就医")
        if p["care"] == CARE_BAD:
            notes.append("被褥衣服较脏，室内异味较大")
        if not notes and rng.random() < 0.08:
            notes.append(rng.choice(_PLAIN_NOTES))
        p["note"] = "；".join(notes)

    # the form lists people village by village, in the order the villages were made up
    rank = {v: k for k, v in enumerate(villages)}
    people.sort(key=lambda p: rank[p["village"]])
    keys = ("village", "name", "sex", "age", "guardian_name", "guardian_age", "guardian_relation", "self_care",
            "housing", "environment", "quality", "care", "treated", "self_controls_allowance", "rights_infringed",
            "result", "note")
    return [{"seq": n, **{k: p[k] for k in keys}} for n, p in enumerate(people, start=1)]


def generate_sample(month: str, data_dir: str | os.PathLike | None = None, seed: int = 20230801,
                    out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write a filled, fictitious 附件3 form for every township of the month's 附件1.

    The forms carry the banner's three added columns too (身份证号, 是否患有精神疾病, 是否新申请), made up
    by :func:`plan_identities` with no earlier month (a handful of new applicants).

    month:    'YYYY-MM'; the month's 附件1 (data/<month>/) gives each township's counts.
    data_dir: the data folder (default: the project's data/).
    seed:     the random seed; the same seed and month give the same files, byte for byte.
    out_dir:  where to write (default: data/<month>/附件3/).
    Returns the files written, '附件3 排查评估表 <township> <month>.xlsx', in 附件1 order.
    Raises ValidationFailed (Chinese message) when the month's 附件1 has errors.
    """
    from ..month import load_month

    m = load_month(month, data_dir)
    out = Path(out_dir) if out_dir is not None else m.folder / "附件3"
    # only 附件1 matters here: errors in 附件2 or in earlier 附件3 forms (about to be replaced) do not count
    sheets = {(t.file, t.sheet) for t in m.tables if t.table.key == "townships"}
    errors = [i for i in m.errors if (i.file, i.sheet) in sheets]
    if not sheets:
        errors = [i for i in m.errors if not i.file] or errors
        reason = f"{month} 的数据文件夹中没有找到附件1（分散供养人员分乡镇统计表）"
    else:
        reason = f"{month} 的附件1有错误"
    counts = m.townships[["dispersed", "fully_disabled", "semi_disabled"]]
    if errors or not sheets or m.townships.empty or counts.isna().any().any():
        lines = "\n".join(f"- {i.message}" for i in errors[:10])
        raise ValidationFailed(f"{reason}，无法按其人数生成示例数据，请先改正：\n{lines}".rstrip("：\n"), m.issues)

    rng = random.Random(f"tekun-sample/{seed}/{month}")
    used: set[str] = set()
    # nursing-home heads are real people named in the reference data: never reuse their names
    used.update(h.head for h in m.reference.homes if h.head)
    towns = list(m.townships.itertuples(index=False))
    note_scale = set(rng.sample(range(len(towns)), len(towns) // 2))
    people: dict[str, list[dict]] = {}
    for k, t in enumerate(towns):
        scale = CARE_SCALE_NOTE if k in note_scale else CARE_SCALE_HEADER
        people[t.township] = generate_people(t.township, int(t.dispersed), int(t.fully_disabled),
                                             int(t.semi_disabled), rng, used=used, care_scale=scale)
    # the banner's three added columns, made up on top of the people (their own random sources)
    ids = plan_identities(month, people, m.policy)
    written = []
    for town, plist in people.items():
        path = out / form_filename(town, month)
        written.append(write_assessment_form(path, town, month, ids.rows(town, plist), sample=True))
    return written


# ======================================================================================
# 附件1 and 附件2 in the official layout, and the months after the bundled one
# ======================================================================================

def _records(rows) -> list[dict]:
    """Rows given as a DataFrame or as mappings -> list of plain dicts."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        return rows.to_dict("records")
    return [dict(r) for r in rows]


def _plain(value):
    """None for blanks and NaN/NA; numpy scalars as Python numbers."""
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if hasattr(value, "item"):
        return value.item()
    return value


def _official_sheet(wb, label: str, title: str, header: list[str], rows: list[list], total: list,
                    widths: tuple[float, ...], sample: bool, stamp) -> None:
    """One attachment in the layout of scripts/transcribe_2023_08.py: label, merged title, bordered table."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from ..forms import SAMPLE_MARK

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(header))
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = label
    if sample:
        ws.merge_cells(f"C1:{last}1")
        c = ws["C1"]
        c.value = SAMPLE_MARK
        c.font = Font(bold=True, color="C00000")
        c.alignment = Alignment(horizontal="right", vertical="center")
    ws["A2"] = title
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    table = [header, *rows, total]
    for r, values in enumerate(table, start=3):
        for col, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=v)
            cell.border = box
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    total_row = 3 + len(table) - 1
    ws.merge_cells(f"A{total_row}:B{total_row}")
    for col, width in zip((get_column_letter(j) for j in range(1, len(header) + 1)), widths):
        ws.column_dimensions[col].width = width
    props = wb.properties
    props.title = title
    props.creator = "tekun"
    props.lastModifiedBy = "tekun"
    props.created = props.modified = stamp
    if sample:
        props.keywords = SAMPLE_KEYWORD
        props.subject = SAMPLE_TEXT
        props.description = SAMPLE_MARK


def official_filenames(month: str, policy=None) -> tuple[str, str]:
    """The file names of the month's 附件1 and 附件2, as in the bundled month:
    ('附件1 2023年9月分散供养人员分乡镇统计表.xlsx', '附件2 敖汉旗养老机构9月情况统计表.xlsx')."""
    from ..config.policy import load_policy
    from ..forms import month_label

    policy = policy or load_policy()
    month_no = int(month.split("-")[1])
    return (f"附件1 {month_label(month)}分散供养人员分乡镇统计表.xlsx",
            f"附件2 {policy.banner}养老机构{month_no}月情况统计表.xlsx")


def write_official_tables(month: str, townships_rows, homes_rows, out_dir: str | os.PathLike, *,
                          sample: bool = True, policy=None) -> list[Path]:
    """Write the month's 附件1 and 附件2 as .xlsx in the official layout of the plan's attachments.

    month:          'YYYY-MM' (titles such as 2023年9月分散供养人员分乡镇统计表, document dates).
    townships_rows: one mapping (or DataFrame row) per township, in the order to list them, keyed
                    like schema.TOWNSHIPS: township, dispersed, fully_disabled, semi_disabled, note.
    homes_rows:     one per nursing home, keyed like schema.HOMES: home, beds, residents, staff,
                    head, phone, note. The 60%应住人数 column is computed with
                    ``policy.needed_residents(beds)`` and 还应入住人数 = needed - residents (negative
                    when a home is above target); the 合计 rows hold the column sums.
    out_dir:        the folder to write into (created when missing), usually data/<month>/.
    sample:         mark both files as generated sample data (document keywords ``tekun-sample``,
                    subject 示例数据, and the red note 示例数据（tekun 生成，人物均为虚构） in row 1).
    policy:         the policy (default: data/reference/policy.toml).
    Returns the two files written; the same content always gives the same bytes.
    """
    from openpyxl import Workbook

    from ..config.policy import load_policy
    from ..core.months import check_month
    from ..forms import month_label, month_stamp, save_reproducible

    check_month(month)
    policy = policy or load_policy()
    out = Path(out_dir)
    stamp = month_stamp(month)
    name1, name2 = official_filenames(month, policy)
    month_no = int(month.split("-")[1])

    towns = _records(townships_rows)
    rows1 = [[i, _plain(t["township"]), int(t["dispersed"]), int(t["fully_disabled"]), int(t["semi_disabled"]),
              _plain(t.get("note"))] for i, t in enumerate(towns, start=1)]
    total1 = ["合 计", None, sum(r[2] for r in rows1), sum(r[3] for r in rows1), sum(r[4] for r in rows1), None]
    wb = Workbook()
    _official_sheet(wb, "附件1", f"{month_label(month)}分散供养人员分乡镇统计表",
                    ["序号", "乡镇苏木街道", "分散供养人数", "其中：全失能人数", "半失能人数", "备注"],
                    rows1, total1, (6, 16, 14, 16, 12, 10), sample, stamp)
    f1 = save_reproducible(wb, out / name1, stamp)

    homes = _records(homes_rows)
    rows2 = []
    for i, h in enumerate(homes, start=1):
        beds, residents = int(h["beds"]), int(h["residents"])
        needed = policy.needed_residents(beds)
        rows2.append([i, _plain(h["home"]), beds, residents, needed, needed - residents, int(h["staff"]),
                      _plain(h.get("head")), _plain(h.get("phone")), _plain(h.get("note"))])
    total2 = ["公办敬老院合计", None, *(sum(r[j] for r in rows2) for j in range(2, 7)), None, None, None]
    tp = policy.target_percent
    wb = Workbook()
    _official_sheet(wb, "附件2", f"{policy.banner}养老机构{month_no}月情况统计表",
                    ["序号", "名称", "实有床位数（张）", "现入住老人数（人）", f"{tp}应住人数", f"达到{tp}\n还应入住人数",
                     "工作人员人数", "负责人", "联系电话", "备  注"],
                    rows2, total2, (6, 22, 10, 10, 10, 12, 10, 8, 14, 8), sample, stamp)
    f2 = save_reproducible(wb, out / name2, stamp)
    return [f1, f2]


# -- the story of 2023-09 and 2023-10 -----------------------------------------------------
#: How the made-up months unfold. These are the story's own proportions, not the plan's rules:
#: the occupancy target and who must be moved come from policy.toml. Tuples hold one value per month
#: after the base month (first 2023-09, then 2023-10).
STORY = {
    # share of the people flagged for transfer (rules.decide, rule "transfer") who move in, by self-care
    "transfer_share": ({FULL: 0.85, SEMI: 0.6, SELF: 0.1}, {FULL: 0.85, SEMI: 0.6, SELF: 0.14}),
    # chance that each problem of a person who stays is put right (supervision at work)
    "improve_share": (0.2, 0.3),
    # chance that a middling answer (一般) of a person who stays becomes the best one
    "polish_share": (0.04, 0.06),
    "new_applicants": ((4, 8), (3, 7)),           # new people in dispersed care per month (range)
    "new_disabled": (0.05, 0.15),                 # chance a new person is 失能, 半失能 (cumulative)
    "deaths": ((2, 4), (1, 3)),                   # people in dispersed care who die per month (range)
    "homes_left_below": 2,                        # homes still below target at the end of the story
    "reach_share": (0.5, 1.0),                    # share of its gap a home below target has closed by each month
    "lag_share": (0.2, 0.4),                      # the same for the homes left below target
    "extra_admission": 0.3,                       # chance a home at target takes one more person in a month
    "staff_step": 12,                             # new residents that bring one more staff member
}


@dataclass
class StoryMonth:
    """One made-up month: its tables, its forms and what happened since the month before.

    townships:  附件1 rows (township, dispersed, fully_disabled, semi_disabled, note).
    homes:      附件2 rows (home, beds, residents, staff, head, phone, note).
    people:     township -> the people on its 附件3 form this month (dicts keyed like schema.ASSESSMENTS).
    transfers:  people moved from dispersed care into a home (name, township, village, self_care, home, reasons).
    no_bed:     people who were to move but found no free bed in the homes serving their township.
    admissions: home -> other elderly people admitted this month (not from the dispersed-care lists).
    applicants: people newly approved for dispersed care (name, township, village, self_care).
    deaths:     people in dispersed care who died (name, township, village, self_care).
    improved:   people who stay and whose answers improved.
    staff_added: homes whose staff rose by one.
    """

    month: str
    townships: list[dict]
    homes: list[dict]
    people: dict[str, list[dict]]
    transfers: list[dict] = field(default_factory=list)
    no_bed: list[dict] = field(default_factory=list)
    admissions: dict[str, int] = field(default_factory=dict)
    applicants: list[dict] = field(default_factory=list)
    deaths: list[dict] = field(default_factory=list)
    improved: int = 0
    staff_added: list[str] = field(default_factory=list)

    def transfers_by_home(self) -> dict[str, int]:
        out = {h["home"]: 0 for h in self.homes}
        for t in self.transfers:
            out[t["home"]] += 1
        return out

    def summary(self, policy) -> dict:
        """The month in numbers."""
        homes = self.homes
        beds = sum(h["beds"] for h in homes)
        residents = sum(h["residents"] for h in homes)
        return {
            "month": self.month,
            "dispersed": sum(t["dispersed"] for t in self.townships),
            "fully_disabled": sum(t["fully_disabled"] for t in self.townships),
            "semi_disabled": sum(t["semi_disabled"] for t in self.townships),
            "beds": beds, "residents": residents, "occupancy": residents / beds if beds else 0.0,
            "homes_at_target": sum(1 for h in homes if h["residents"] >= policy.needed_residents(h["beds"])),
            "homes": len(homes),
            "transfers": len(self.transfers), "no_bed": len(self.no_bed),
            "other_admissions": sum(self.admissions.values()),
            "new_applicants": len(self.applicants), "deaths": len(self.deaths),
            "improved": self.improved, "staff_added": len(self.staff_added),
        }


class StoryPlan(dict):
    """month -> StoryMonth, as :func:`plan_month_story` makes them; ``.base_month`` and ``.base_people``
    (township -> the people on the base month's forms, the 18 official columns) are where it starts."""

    base_month: str
    base_people: dict[str, list[dict]]


class StoryFiles(dict):
    """month -> files written (附件1, 附件2, then the 附件3 forms); ``.story`` holds month -> StoryMonth,
    ``.identities`` month -> IdentityMonth."""

    story: dict[str, StoryMonth]
    identities: dict[str, "IdentityMonth"]


_PERSON_KEYS = ("village", "name", "sex", "age", "guardian_name", "guardian_age", "guardian_relation", "self_care",
                "housing", "environment", "quality", "care", "treated", "self_controls_allowance", "rights_infringed",
                "result", "note")
_PROBLEM_NOTES = {  # the notes generate_people writes for a problem, by what puts it right
    "guardian": "独自生活，无监护人/护理人",
    "treated": "患病未及时就医",
    "care": "被褥衣服较脏，室内异味较大",
}


def _person_from_row(row: dict) -> dict:
    p = {k: _plain(row.get(k)) for k in _PERSON_KEYS}
    for k in _PERSON_KEYS:
        if p[k] is None and k not in ("age", "guardian_age"):
            p[k] = ""
    return p


def _care_scale(people: list[dict]) -> tuple[str, ...]:
    """The 护理情况 scale a township's form uses: the header's (with 一般) or the note's."""
    cares = [p["care"] for p in people]
    if CARE_FAIR in cares:
        return CARE_SCALE_HEADER
    return CARE_SCALE_NOTE


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, drawn one by one with the given weights (deterministic for a given rng)."""
    items, weights = list(items), list(weights)
    out = []
    for _ in range(min(k, len(items))):
        j = rng.choices(range(len(items)), weights)[0]
        out.append(items.pop(j))
        weights.pop(j)
    return out


def _improve(p: dict, rng: random.Random, share: float, polish: float, scale: tuple[str, ...],
             used: set[str]) -> bool:
    """Put some of a person's problems right (and polish some middling answers); True when anything changed."""
    before = dict(p)
    notes = [n for n in (p.get("note") or "").split("；") if n]
    added: list[str] = []
    if p["care"] in (CARE_POOR, CARE_BAD) and rng.random() < share:
        if p["care"] == CARE_BAD:
            p["care"] = CARE_POOR
        else:
            p["care"] = CARE_FAIR if CARE_FAIR in scale else CARE_GOOD
        added.append("护理情况已改善")
    if p["environment"] == _ENV[2] and rng.random() < share:
        p["environment"] = _ENV[1]
        added.append("居住环境已整治")
    if p["quality"] == _QUALITY[2] and rng.random() < share:
        p["quality"] = _QUALITY[1]
    if not p["guardian_name"] and rng.random() < share:
        p["guardian_name"] = make_name(rng, MALE if rng.random() < 0.6 else FEMALE, used)
        p["guardian_age"] = rng.randint(38, 66)
        p["guardian_relation"] = "村委会指定护理人"
        added.append("已由村委会指定护理人")
    if p["self_controls_allowance"] == _NO and p["rights_infringed"] != _YES and rng.random() < share:
        p["self_controls_allowance"] = _YES
        added.append("供养金已改由本人支配")
    if p["treated"] == _NO and rng.random() < share:
        p["treated"] = _YES
        added.append("已就医治疗")
    # middling answers
    if p["care"] == CARE_FAIR and rng.random() < polish:
        p["care"] = CARE_GOOD
    if p["environment"] == _ENV[1] and rng.random() < polish:
        p["environment"] = _ENV[0]
    if p["quality"] == _QUALITY[1] and rng.random() < polish:
        p["quality"] = _QUALITY[0]
    if p == before:
        return False
    # notes of problems put right go; what was done is noted
    if p["guardian_name"]:
        notes = [n for n in notes if n != _PROBLEM_NOTES["guardian"]]
    if p["treated"] == _YES:
        notes = [n for n in notes if n != _PROBLEM_NOTES["treated"]]
    if p["care"] != CARE_BAD:
        notes = [n for n in notes if n != _PROBLEM_NOTES["care"]]
    if p["self_controls_allowance"] == _YES:
        notes = [n for n in notes if not n.startswith("供养金由")]
    notes += [a for a in added if a not in notes]
    p["note"] = "；".join(notes)
    p["result"] = overall_result(p)
    return True


def plan_month_story(data_dir: str | os.PathLike | None = None, seed: int = 20230901, *,
                     base_month: str = "2023-08") -> dict[str, StoryMonth]:
    """Make up the two months after ``base_month`` (2023-09 and 2023-10) without writing anything.

    The base month's 附件1, 附件2 and 附件3 forms (load_month) are the starting point. Each month:
    people the previous month's forms flag for transfer (rules.decide, rule "transfer", in its
    priority order) move, a share of them, into the first home serving their township that has
    a free bed (Reference.township(t).served_by; none free: the person stays); a few people die
    and a few new people are approved; the answers of people who stay keep mostly, with some
    problems put right; homes take other elderly people so that all but
    ``STORY["homes_left_below"]`` homes reach the policy's target by the last month; a home
    whose residents grew by ``STORY["staff_step"]`` gets one more staff member.
    Returns month -> :class:`StoryMonth`, in month order (a :class:`StoryPlan`, which also holds the base
    month's people). Deterministic for a given seed.
    Raises ValidationFailed when the base month has errors or no 附件3 forms.
    """
    import pandas as pd

    from ..analysis.rules import decide
    from ..month import load_month

    m = load_month(base_month, data_dir)
    if m.errors or not m.has_assessments:
        lines = "\n".join(f"- {i.message}" for i in m.errors[:10])
        why = "有错误" if m.errors else "没有附件3排查评估表"
        raise ValidationFailed(f"{base_month} 的数据{why}，无法由此生成后续月份的示例数据。\n{lines}".rstrip(), m.issues)
    policy, ref = m.policy, m.reference
    order = ref.township_names

    people: dict[str, list[dict]] = {t: [] for t in order}
    for row in m.assessments.to_dict("records"):
        people[row["township"]].append(_person_from_row(row))
    scales = {t: _care_scale(people[t]) for t in order}
    used: set[str] = {h.head for h in ref.homes if h.head}
    for plist in people.values():
        for p in plist:
            used.add(p["name"])
            if p["guardian_name"]:
                used.add(p["guardian_name"])

    homes = [{"home": r["home"], "beds": int(r["beds"]), "residents": int(r["residents"]), "staff": int(r["staff"]),
              "head": _plain(r.get("head")) or "", "phone": _plain(r.get("phone")) or "", "note": ""}
             for r in m.homes.to_dict("records")]
    base_residents = {h["home"]: h["residents"] for h in homes}
    staff_base = dict(base_residents)
    lagging: list[str] = []

    story = StoryPlan()
    story.base_month = base_month
    story.base_people = {t: [dict(p) for p in plist] for t, plist in people.items() if plist}
    month = base_month
    n_months = len(STORY["transfer_share"])
    for k in range(n_months):
        month = next_month(month)
        rng = random.Random(f"tekun-story/{seed}/{month}")
        homes = [dict(h, note="") for h in homes]
        by_home = {h["home"]: h for h in homes}
        sm = StoryMonth(month, [], homes, {})

        # 1. transfers decided on last month's forms
        flat = [(t, p) for t in order for p in people[t]]
        frame = pd.DataFrame([{"township": t, **p} for t, p in flat])
        decisions = decide(frame, policy)
        gone: set[int] = set()
        shares = STORY["transfer_share"][k]
        for d in decisions[decisions["rule"] == "transfer"].itertuples(index=False):
            town, p = flat[d.person]
            if rng.random() >= shares.get(p["self_care"], 0.0):
                continue
            record = {"name": p["name"], "township": town, "village": p["village"], "self_care": p["self_care"],
                      "reasons": d.reasons}
            home = next((by_home[h] for h in ref.township(town).served_by
                         if h in by_home and by_home[h]["residents"] < by_home[h]["beds"]), None)
            if home is None:
                sm.no_bed.append(record)
                continue
            home["residents"] += 1
            sm.transfers.append({**record, "home": home["home"]})
            gone.add(d.person)

        # 2. deaths, the old more likely
        left = [i for i in range(len(flat)) if i not in gone]
        n_deaths = rng.randint(*STORY["deaths"][k])
        weights = [max(1.0, (int(flat[i][1]["age"] or 60) - 55) ** 2) for i in left]
        for i in sorted(_weighted_sample(rng, left, weights, n_deaths)):
            town, p = flat[i]
            sm.deaths.append({"name": p["name"], "township": town, "village": p["village"], "self_care": p["self_care"]})
            gone.add(i)

        # 3. the people who stay: the same person, mostly the same answers, some problems put right
        new_people: dict[str, list[dict]] = {t: [] for t in order}
        for i, (town, p) in enumerate(flat):
            if i in gone:
                continue
            q = dict(p)
            if _improve(q, rng, STORY["improve_share"][k], STORY["polish_share"][k], scales[town], used):
                sm.improved += 1
            new_people[town].append(q)

        # 4. new applicants approved for dispersed care, added at the end of their township's form
        n_new = rng.randint(*STORY["new_applicants"][k])
        sizes = [max(1, len(new_people[t])) for t in order]
        chosen = [rng.choices(order, sizes)[0] for _ in range(n_new)]
        for town in order:
            n_t = chosen.count(town)
            if not n_t:
                continue
            levels = [rng.random() for _ in range(n_t)]
            full = sum(1 for x in levels if x < STORY["new_disabled"][0])
            semi = sum(1 for x in levels if STORY["new_disabled"][0] <= x < STORY["new_disabled"][1])
            villages = list(dict.fromkeys(p["village"] for p in new_people[town]))
            for q in generate_people(town, n_t, full, semi, rng, used=used, care_scale=scales[town]):
                q = {k2: q[k2] for k2 in _PERSON_KEYS}
                if villages:
                    q["village"] = rng.choice(villages)
                q["note"] = "；".join(x for x in ("本月新纳入特困供养", q["note"]) if x)
                new_people[town].append(q)
                sm.applicants.append({"name": q["name"], "township": town, "village": q["village"],
                                      "self_care": q["self_care"]})
        people = new_people
        sm.people = {t: [{"seq": n, **p} for n, p in enumerate(people[t], start=1)] for t in order}

        # 5. other elderly admitted (the plan lets homes take them), toward the target
        if k == 0:
            short = [(policy.needed_residents(h["beds"]) - h["residents"], -j, h["home"])
                     for j, h in enumerate(homes) if h["residents"] < policy.needed_residents(h["beds"])]
            lagging = [name for _, _, name in sorted(short, reverse=True)[:STORY["homes_left_below"]]]
        for h in homes:
            needed = policy.needed_residents(h["beds"])
            gap0 = needed - base_residents[h["home"]]
            if h["home"] in lagging:
                goal = min(needed - 1, base_residents[h["home"]] + round(gap0 * STORY["lag_share"][k]))
            elif gap0 > 0 and k < n_months - 1:
                goal = base_residents[h["home"]] + math.ceil(gap0 * STORY["reach_share"][k])
            elif gap0 > 0:
                goal = needed + (1 if rng.random() < STORY["extra_admission"] else 0)
            else:
                goal = h["residents"] + (1 if rng.random() < STORY["extra_admission"] else 0)
            extra = max(0, min(goal, h["beds"]) - h["residents"])
            h["residents"] += extra
            sm.admissions[h["home"]] = extra

        # 6. staff, and the notes the townships and homes would write
        moved = sm.transfers_by_home()
        for h in homes:
            parts = []
            came = moved[h["home"]] + sm.admissions[h["home"]]
            if came:
                n_moved = moved[h["home"]]
                detail = ("（均为分散供养特困人员转入）" if n_moved == came
                          else f"（其中分散供养特困人员转入{n_moved}人）" if n_moved else "")
                parts.append(f"本月新入住{came}人{detail}")
            if h["residents"] - staff_base[h["home"]] >= STORY["staff_step"]:
                h["staff"] += 1
                staff_base[h["home"]] = h["residents"]
                sm.staff_added.append(h["home"])
                parts.append("新增工作人员1人")
            h["note"] = "，".join(parts)
        for town in order:
            plist = people[town]
            parts = []
            for label, items in (("转入敬老院集中供养", sm.transfers), ("新纳入", sm.applicants), ("死亡", sm.deaths)):
                n = sum(1 for x in items if x["township"] == town)
                if n:
                    parts.append(f"{label}{n}人")
            sm.townships.append({"township": town, "dispersed": len(plist),
                                 "fully_disabled": sum(1 for p in plist if p["self_care"] == FULL),
                                 "semi_disabled": sum(1 for p in plist if p["self_care"] == SEMI),
                                 "note": "，".join(parts)})
        story[month] = sm
    return story


def generate_month_story(data_dir: str | os.PathLike | None = None, seed: int = 20230901) -> dict[str, list[Path]]:
    """Write sample data for 2023-09 and 2023-10, told as a story of the plan at work (示例数据).

    data_dir: the data folder holding reference/ and 2023-08/ (default: the project's data/);
              the months are written to <data_dir>/2023-09/ and <data_dir>/2023-10/: 附件1 and
              附件2 at the top, one 附件3 form per township under 附件3/, as in 2023-08. 2023-08 is
              only read.
    seed:     the random seed; the same seed and the same 2023-08 give the same files, byte for byte.
    Returns month -> files written (附件1, 附件2, then the forms in township order). The returned
    dict's ``.story`` attribute holds month -> :class:`StoryMonth`: who moved into which home,
    other admissions, new applicants, deaths (nothing of it is written into the data folder);
    ``.identities`` month -> :class:`IdentityMonth` (the three added columns, see :func:`story_identities`).
    See :func:`plan_month_story` for how the months are made up.
    """
    from ..config.policy import load_policy
    from ..core.paths import data_dir as _data_dir

    base = _data_dir(data_dir)
    story = plan_month_story(base, seed)
    policy = load_policy(data_dir=base)
    identities = story_identities(story, base, policy=policy)
    out = StoryFiles()
    for month, sm in story.items():
        folder = base / month
        files = write_official_tables(month, sm.townships, sm.homes, folder, sample=True, policy=policy)
        files += _write_story_forms(sm, identities[month], folder / "附件3")
        out[month] = files
    out.story = story
    out.identities = identities
    return out


def _write_story_forms(sm: "StoryMonth", ids: "IdentityMonth", out: Path) -> list[Path]:
    return [write_assessment_form(out / form_filename(town, sm.month), town, sm.month, ids.rows(town, plist),
                                  sample=True)
            for town, plist in sm.people.items()]


# ======================================================================================
# The plan's schedule: 乡镇工作进度台账 and 敬老院工作人员台账 as sample data
# ======================================================================================
#
# A story of the ledgers from the first bundled month on, told relative to the plan's due dates
# (policy.toml [schedule.*]) and to each month's 附件1 and 附件2: every township gets the day its
# supervision group is formed, its 考评方案 adopted and its agreements filed (some late, one never),
# and each month's ledger shows what had happened by the month's last day, so that a date filled in
# one month stays in the later months. Every nursing-home staff member gets a way of accumulating
# training hours that never goes down. The numbers are the story's, not the plan's.

SCHEDULE_SEED = 20230915
SCHEDULE_FIRST_MONTH = "2023-08"
SCHEDULE_STORY = {
    "early_groups": 5,              # townships whose group is formed in the second half of the month before
    "late_group_days": (3, 10),     # days after the due date the late groups are formed (09-18, 09-25)
    "after_group_days": 27,         # one of the two without a group in the due month: formed that many days late
    "scheme_after_group": (0, 5),   # days between forming the group and adopting the 考评方案
    "signed_share_before": (0.3, 0.6),  # share of the agreements signed in the months before the due month
    "filed_days_before_due": (3, 18),   # complete townships file this many days before the due date
    "late_filing_days": (9, 16),    # the two townships that finish after the due date: days late
    "part_time_heads": 3,           # homes whose head is 兼职 (a township official)
    "behind_care_workers": 3,       # care workers below the pro-rata training hours, besides the boundary-1 one
    "other_share": 0.25,            # share of the staff besides the head who are not care workers (其他)
    "part_time_care": 0.08,         # chance a care worker is 兼职
    "nursing_bed_share": (0.2, 0.5),
    "other_residents": (0, 3),      # social (non-特困) residents of a home in the first month; at most 5 later
    "other_residents_max": 5,
}
#: the jobs of the staff who are not care workers (其他), and whether the job is part-time
_OTHER_JOBS = (("厨师", False), ("炊事员", False), ("保洁", False), ("门卫", False), ("司机", False), ("会计", True))
_CARE_NOTES_PART_TIME = "本村村民，兼职护理"
_HEAD_NOTE_PART_TIME = "由乡镇干部兼任"
_NEW_STAFF_NOTE = "本月新聘护理人员"
_ROLE_HEAD, _ROLE_CARE, _ROLE_OTHER = VOCABULARIES["role"].labels
_FULL_TIME, _PART_TIME = VOCABULARIES["employment"].labels


@dataclass
class ScheduleMonth:
    """One month of the schedule story: the rows of the two ledgers and who is where in the story.

    progress:   乡镇工作进度台账 rows (township, group_formed, scheme_adopted, agreements_signed,
                agreements_filed, filed_on, note), township order.
    staff:      敬老院工作人员台账 rows (home, staff_name, role, employment, hired_on, training_hours, note).
    care:       护理型床位与入住构成 rows (home, nursing_beds, residents_tekun, residents_other, note).
    roles:      the story's parts: 'late_groups', 'missing_groups' (no group in the due month; the first is
                formed the month after), 'scheme_missing', 'group_on_due', 'early_groups', 'agreements_late'
                (signing incomplete, filing incomplete), 'filed_2_days_before_due', 'filed_on_due',
                'part_time_heads', 'boundary' (care worker exactly at the pro-rata hours), 'boundary_minus_1',
                'behind' (care workers below), 'hired_this_year' (care worker hired in the year, pro-rated),
                'training_people' (those care workers' names -> their home).
    """

    month: str
    progress: list[dict]
    staff: list[dict]
    care: list[dict]
    roles: dict = field(default_factory=dict)


def _pro_rata(hours_per_year: int, months: int) -> int:
    """The hours due after ``months`` months of a year, rounded up to a whole class hour."""
    from fractions import Fraction

    return math.ceil(Fraction(hours_per_year * max(0, months), 12))


def _staff_hours(p: dict, month: str, hours_per_year: int) -> int:
    """A staff member's training hours of the calendar year up to the end of ``month``; never decreasing."""
    year, mon = (int(x) for x in month.split("-"))
    hired = p.get("hired_on")
    start = hired.month if hired is not None and hired.year == year else 1
    worked = mon - start + 1
    due = _pro_rata(hours_per_year, worked)
    kind = p["_kind"]
    if kind == "boundary":
        return due
    if kind == "boundary_minus_1":
        return max(0, due - 1)
    if kind == "behind":
        return max(0, due - p["_deficit"] - p["_slip"] * max(0, mon - p["_from"]))
    if kind == "other":
        return math.floor(due * p["_share"])
    return due + p["_surplus"] + 2 * math.floor(worked * p["_extra"])


def _month_ok(month: str, data_dir) -> "object":
    """load_month for the story: only the month's 附件1 and 附件2 have to be right."""
    from ..month import load_month

    m = load_month(month, data_dir)
    sheets = {(t.file, t.sheet) for t in m.tables if t.table.key in ("townships", "homes")}
    errors = [i for i in m.errors if (i.file, i.sheet) in sheets or not i.file]
    if errors or m.townships.empty or m.homes.empty:
        lines = "\n".join(f"- {i.message}" for i in errors[:10])
        raise ValidationFailed(f"{month} 的附件1或附件2缺失或有错误，无法按其人数生成工作台账示例数据，请先改正：\n{lines}".rstrip("：\n"),
                               m.issues)
    return m


def plan_schedule_story(data_dir: str | os.PathLike | None = None, seed: int = SCHEDULE_SEED, *,
                        until: str = "2023-10", first: str = SCHEDULE_FIRST_MONTH) -> dict[str, ScheduleMonth]:
    """Make up the two ledgers for every month from ``first`` to ``until`` without writing anything.

    Dates are told relative to policy.toml: [schedule.supervision_group].due (领导小组 and 考评方案)
    and [schedule.agreement].due (监管监护协议书). In the months before the due month about five
    townships have formed their group (late in the month) and 30-60% of the agreements are signed, none
    filed. By the due month most townships formed their group on time (one exactly on the due day),
    two late (3 and 10 days), two not at all (one forms it the next month, one never); in one township
    the 考评方案 is never adopted although the group exists. Agreements: one per person in dispersed
    care (that month's 附件1 分散供养人数); all but two townships have signed and filed them all by the
    due day (one two days before it, one on the day); the two finish the month after. The staff
    roster has exactly 附件2's 工作人员人数 per home: a made-up head (兼职 in three
    homes), care workers (护理人员) and a few 其他; training hours accumulate from January (or the hire
    month) and never go down: one care worker sits exactly at the pro-rata hours, one an hour below,
    three further below, one was hired this year. The care table splits 附件2's residents into
    特困人员 and a few (0-5) social residents.
    Returns month -> :class:`ScheduleMonth`; the months up to any month are the same whatever
    ``until`` is. Deterministic for a given seed and data.
    Raises ValidationFailed when a month's 附件1 or 附件2 is missing or has errors; ValueError for
    ``until`` before ``first``.
    """
    import datetime as dt

    from ..config.policy import load_policy
    from ..config.reference import load_reference
    from ..core.months import month_end
    from ..forms import schedule_duties

    if until < first:
        raise ValueError(f"工作台账示例数据从 {first} 开始，不能生成 {until}。")
    months = [first]
    while months[-1] < until:
        months.append(next_month(months[-1]))
    policy = load_policy(data_dir=data_dir) if data_dir is not None else load_policy()
    ref = load_reference(data_dir)
    st = SCHEDULE_STORY

    dues = {d.field: d.due for d in schedule_duties(policy)}
    missing_due = [f for f in ("group_formed", "filed_on") if f not in dues]
    if missing_due:
        raise ValidationFailed("政策文件的 [schedule.*] 中缺少领导小组成立或协议书备案的完成期限（due），无法生成工作台账示例数据。", [])
    group_due, agreement_due = dues["group_formed"], dues["filed_on"]
    scheme_due = dues.get("scheme_adopted", group_due)

    # -- the townships' parts and days (one draw, independent of the months) -------------------
    rng = random.Random(f"tekun-schedule/{seed}/townships")
    towns = ref.township_names
    order = rng.sample(towns, len(towns))
    late, missing, scheme_missing, on_due = order[0:2], order[2:4], order[4], order[5]
    early = order[6:6 + st["early_groups"]]
    group_day: dict[str, dt.date | None] = {}
    scheme_day: dict[str, dt.date | None] = {}
    lo, hi = st["scheme_after_group"]
    for t in towns:
        if t in late:
            g = group_due + dt.timedelta(days=st["late_group_days"][late.index(t)])
        elif t == missing[0]:
            g = group_due + dt.timedelta(days=st["after_group_days"])
        elif t == missing[1]:
            g = None
        elif t == on_due:
            g = group_due
        elif t in early:
            g = group_due.replace(day=1) - dt.timedelta(days=rng.randint(1, 11))
        else:
            g = group_due - dt.timedelta(days=rng.randint(1, 14))
        group_day[t] = g
        if g is None or t == scheme_missing:
            scheme_day[t] = None
        elif t == on_due:
            scheme_day[t] = g
        else:
            s = g + dt.timedelta(days=rng.randint(lo, hi))
            scheme_day[t] = min(s, max(scheme_due, g)) if g <= group_due else s
    agreement_order = rng.sample(towns, len(towns))
    late_signing, late_filing, filed_two_before, filed_on_due = agreement_order[:4]
    filed_day: dict[str, dt.date] = {}
    for t in towns:
        if t == late_signing:
            filed_day[t] = agreement_due + dt.timedelta(days=st["late_filing_days"][1])
        elif t == late_filing:
            filed_day[t] = agreement_due + dt.timedelta(days=st["late_filing_days"][0])
        elif t == filed_two_before:
            filed_day[t] = agreement_due - dt.timedelta(days=2)
        elif t == filed_on_due:
            filed_day[t] = agreement_due
        else:
            filed_day[t] = agreement_due - dt.timedelta(days=rng.randint(*st["filed_days_before_due"]))
    signed_share = {t: rng.uniform(*st["signed_share_before"]) for t in towns}
    gaps = {late_signing: (rng.randint(4, 9), rng.randint(8, 15)), late_filing: (0, rng.randint(5, 10))}

    # -- the homes' heads, the care table's fixed parts -----------------------------------------
    homes = ref.home_names
    part_time_heads = sorted(rng.sample(homes[1:], st["part_time_heads"]), key=homes.index)
    bed_share = {h: rng.uniform(*st["nursing_bed_share"]) for h in homes}
    other_residents: dict[str, int] = {}

    roles = {"late_groups": late, "missing_groups": missing, "scheme_missing": scheme_missing,
             "group_on_due": on_due, "early_groups": early, "agreements_late": [late_signing, late_filing],
             "filed_2_days_before_due": filed_two_before, "filed_on_due": filed_on_due,
             "part_time_heads": part_time_heads}

    used: set[str] = {h.head for h in ref.homes if h.head}
    roster: list[dict] = []          # everyone ever on the staff, in the order taken on
    story: dict[str, ScheduleMonth] = {}
    for k, month in enumerate(months):
        m = _month_ok(month, data_dir)
        end = month_end(month)
        mrng = random.Random(f"tekun-schedule/{seed}/{month}")
        if m.has_assessments:
            used.update(n for n in m.assessments["name"] if n)
            used.update(n for n in m.assessments["guardian_name"] if n)

        # 1. the township ledger as of the month's end
        dispersed = {r["township"]: int(r["dispersed"]) for r in m.townships.to_dict("records")}
        progress = []
        for t in towns:
            n = dispersed.get(t, 0)
            g = group_day[t] if group_day[t] is not None and group_day[t] <= end else None
            s = scheme_day[t] if scheme_day[t] is not None and scheme_day[t] <= end else None
            notes = []
            if g is None and end >= group_due:
                notes.append("领导小组成员待乡镇党委会研究确定，尚未成立")
            elif g is not None and g > group_due and g.year == end.year and g.month == end.month:
                notes.append("乡镇班子调整，领导小组延后成立" if t in late
                             else f"经乡镇党委会研究，领导小组于{g.month}月{g.day}日成立")
            if g is not None and s is None and t == scheme_missing and end >= scheme_due:
                notes.append("考评方案正在征求司法、公安意见，尚未印发")
            f = filed_day[t]
            if f <= end:
                signed = filed = n
                filed_on = f
                if f > agreement_due and f.year == end.year and f.month == end.month:
                    notes.append(f"协议书于{f.month}月{f.day}日全部签订并补报备案")
            elif end < agreement_due:
                signed, filed, filed_on = round(n * signed_share[t]), 0, None
            else:
                gap_signed, gap_filed = gaps[t]
                signed = max(0, n - gap_signed)
                filed = max(0, signed - gap_filed)
                filed_on = None
                notes.append("部分监护人外出务工，协议书尚未签齐" if gap_signed else "协议书已签齐，正在整理报旗民政局备案")
            progress.append({"township": t, "group_formed": g, "scheme_adopted": s, "agreements_signed": signed,
                             "agreements_filed": filed, "filed_on": filed_on, "note": "；".join(notes)})

        # 2. the staff roster: exactly 附件2's count per home
        stated = {r["home"]: int(r["staff"]) for r in m.homes.to_dict("records")}
        for h in homes:
            current = [p for p in roster if p["home"] == h and not p["_left"]]
            want = stated.get(h, 0)
            if k == 0:
                # a made-up head as well: the sample must not attach made-up facts (兼职, hours) to the real
                # officials named in 附件2; its own RNG keeps the rest of the story unchanged
                head = make_name(random.Random(f"head:{h}"), MALE, used)
                part = h in part_time_heads
                roster.append({"home": h, "staff_name": head, "role": _ROLE_HEAD,
                               "employment": _PART_TIME if part else _FULL_TIME, "hired_on": None,
                               "note": _HEAD_NOTE_PART_TIME if part else "", "_kind": "ahead",
                               "_surplus": mrng.randint(0, 8), "_extra": mrng.uniform(0, 0.5), "_left": False})
                n_other = 0 if want <= 3 else max(1, round((want - 1) * st["other_share"]))
                for j in range(max(0, want - 1)):
                    is_other = j >= want - 1 - n_other
                    sex = FEMALE if mrng.random() < (0.4 if is_other else 0.75) else MALE
                    p = {"home": h, "staff_name": make_name(mrng, sex, used, mongol=mrng.random() < 0.1),
                         "hired_on": None, "_left": False}
                    if mrng.random() < 0.55:
                        p["hired_on"] = dt.date(mrng.randint(2010, 2022), mrng.randint(1, 12), mrng.randint(1, 28))
                    if is_other:
                        job, part = mrng.choice(_OTHER_JOBS)
                        p.update(role=_ROLE_OTHER, employment=_PART_TIME if part else _FULL_TIME,
                                 note=f"{job}（兼）" if part else job,
                                 _kind="other", _share=mrng.uniform(0.5, 0.9))
                    else:
                        part = mrng.random() < st["part_time_care"]
                        p.update(role=_ROLE_CARE, employment=_PART_TIME if part else _FULL_TIME,
                                 note=_CARE_NOTES_PART_TIME if part else "", _kind="ahead",
                                 _surplus=mrng.randint(0, 10), _extra=mrng.uniform(0, 0.5))
                    roster.append(p)
                continue
            for p in current:  # a note about being new is for the month of arrival only
                if p["note"] == _NEW_STAFF_NOTE:
                    p["note"] = ""
            if want > len(current):
                for _ in range(want - len(current)):
                    sex = FEMALE if mrng.random() < 0.75 else MALE
                    roster.append({"home": h, "staff_name": make_name(mrng, sex, used), "role": _ROLE_CARE,
                                   "employment": _FULL_TIME, "note": _NEW_STAFF_NOTE, "_left": False,
                                   "hired_on": dt.date(end.year, end.month, mrng.randint(1, 20)), "_kind": "ahead",
                                   "_surplus": mrng.randint(0, 4), "_extra": 0.0})
            elif want < len(current):
                leaving = [p for p in current if p["role"] != _ROLE_HEAD and p["_kind"] in ("ahead", "other")]
                for p in leaving[len(leaving) - (len(current) - want):]:
                    p["_left"] = True
        if k == 0:
            # the care workers the training checks are about, in different homes
            care = [p for p in roster if p["role"] == _ROLE_CARE and p["employment"] == _FULL_TIME]
            picked: list[dict] = []
            for p in mrng.sample(care, len(care)):
                if all(p["home"] != q["home"] for q in picked):
                    picked.append(p)
                if len(picked) == 3 + st["behind_care_workers"]:
                    break
            boundary, minus_one, hired, *behind = picked
            boundary.update(_kind="boundary", hired_on=None)
            minus_one.update(_kind="boundary_minus_1", hired_on=None)
            year = int(month[:4])
            hired.update(hired_on=dt.date(year, 7, 1), _surplus=2, _extra=0.0)
            month_no = int(month[5:])
            for p in behind:
                p.update(_kind="behind", hired_on=None, _deficit=mrng.randint(3, 8), _slip=mrng.randint(0, 1),
                         _from=month_no)
            roles.update(boundary=boundary["staff_name"], boundary_minus_1=minus_one["staff_name"],
                         hired_this_year=hired["staff_name"], behind=[p["staff_name"] for p in behind],
                         training_people={boundary["staff_name"]: boundary["home"],
                                          minus_one["staff_name"]: minus_one["home"],
                                          hired["staff_name"]: hired["home"],
                                          **{p["staff_name"]: p["home"] for p in behind}})
        rank = {_ROLE_HEAD: 0, _ROLE_CARE: 1, _ROLE_OTHER: 2}
        staff = []
        for h in homes:
            members = sorted((p for p in roster if p["home"] == h and not p["_left"]), key=lambda p: rank[p["role"]])
            for p in members:
                staff.append({"home": h, "staff_name": p["staff_name"], "role": p["role"],
                              "employment": p["employment"], "hired_on": p["hired_on"],
                              "training_hours": _staff_hours(p, month, policy.training_hours), "note": p["note"]})

        # 3. nursing beds and who lives in each home
        care_rows = []
        for r in m.homes.to_dict("records"):
            h, beds, residents = r["home"], int(r["beds"]), int(r["residents"])
            if h not in other_residents:
                other_residents[h] = mrng.randint(*st["other_residents"])
            elif mrng.random() < 0.35:
                other_residents[h] = min(st["other_residents_max"], other_residents[h] + 1)
            other = min(other_residents[h], residents)
            care_rows.append({"home": h, "nursing_beds": min(beds, round(beds * bed_share[h])),
                              "residents_tekun": residents - other, "residents_other": other, "note": ""})

        story[month] = ScheduleMonth(month, progress, staff, care_rows, dict(roles))
    return story


def schedule_filenames(month: str) -> tuple[str, str]:
    """('乡镇工作进度台账 <month>.xlsx', '敬老院工作人员台账 <month>.xlsx')."""
    from ..forms import progress_filename, staff_filename

    return progress_filename(month), staff_filename(month)


def write_schedule_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int = SCHEDULE_SEED, *,
                           out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample 乡镇工作进度台账 and 敬老院工作人员台账 (示例数据).

    month:    'YYYY-MM', 2023-08 or later; every month from 2023-08 to it needs its 附件1 and 附件2.
    data_dir: the data folder holding reference/ and the months (default: the project's data/).
    seed:     the random seed; the same seed and data give the same files, byte for byte.
    out_dir:  where to write (default: <data_dir>/<month>/).
    The files are written through forms.write_progress_form and forms.write_staff_form and marked as
    sample data like the other sample files (document keywords ``tekun-sample``, subject 示例数据,
    the red 示例数据 cell in row 2 of every sheet). See :func:`plan_schedule_story` for the story.
    Returns [乡镇工作进度台账 <month>.xlsx, 敬老院工作人员台账 <month>.xlsx].
    """
    from ..config.policy import load_policy
    from ..core.months import check_month
    from ..core.paths import data_dir as _data_dir
    from ..forms import write_progress_form, write_staff_form

    check_month(month)
    base = _data_dir(data_dir)
    sm = plan_schedule_story(base, seed, until=month)[month]
    policy = load_policy(data_dir=base)
    out = Path(out_dir) if out_dir is not None else base / month
    name1, name2 = schedule_filenames(month)
    homes = [r["home"] for r in sm.care]
    return [write_progress_form(out / name1, month, rows=sm.progress, sample=True, policy=policy),
            write_staff_form(out / name2, month, homes, sm.staff, sm.care, sample=True, policy=policy)]


# ======================================================================================
# 资金与政策衔接 as sample data: the three added columns of 附件3, the benefit rosters and the
# support-money ledger
# ======================================================================================
#
# The auditor's checks need cases to find. On the forms every person gets an identity number of
# the unreal region 990000 (idcard.sample_number), made from the person (township, village, name)
# and a birth date that agrees with the form's age, so the same person keeps the same number every
# month; each month a few numbers are left out, and (outside ID_STORY["clean_months"]) one or two
# have a wrong check digit and one or two a birth year that does not fit the age. About 1.5% of the
# people have a mental illness (a property of the person, so it stays; more often among those with
# nobody or poor care, who then head the transfer list). New applicants: the month
# story's newly approved people, in a month without a story a handful chosen at random, at least
# two of them unsuited to home care; an unsuited new applicant stays flagged while still on the form
# (placement waits for approval). None of this touches the 18 official columns or the random
# sources of the month story, so 附件1 and 附件2 stay as they are.
#
# The rosters (one per benefit of policy.toml [benefits]) list made-up people who are not in extreme
# hardship, the same every month, and a few people of the month's forms: for each benefit one
# matched by number, one by name and village only (no number on the roster) and one with the same
# name and village but another valid number (another person: it must not match). The money ledger
# allocates the standard x the home's 特困 residents (敬老院工作人员台账, 护理型床位与入住构成) by
# the allocation day, except one home short, one late and one not paid; the spending detail has one
# or two rows in a forbidden category.

IDENTITY_SEED = 20231011
ID_STORY = {
    "missing": (3, 6),             # people whose number is left out, per month
    "bad_check_digit": (1, 2),     # numbers with a wrong check digit (a typing error)
    "age_mismatch": (1, 2),        # valid numbers whose birth year does not fit the form's age
    "mismatch_years": (3, 9),      # by how many years those birth years are off
    "mental_share": 0.013,         # people with a mental illness ...
    "mental_share_at_risk": 0.025,  # ... among those with nobody caring or care 一般 or worse (about 1.5% in all)
    "new_applicants": (5, 7),      # new applicants in a month without a story (2023-08)
    "new_unsuited": 3,             # of which unsuited to home care (the plan's placement rule)
    # The bundled 2023-08 is the real month (official 附件1 and 附件2) and is expected to read without
    # any issue (tests/test_readers.py): its forms get no deliberately wrong numbers, only missing ones.
    "clean_months": ("2023-08",),
}
_YES_NO = {True: _YES, False: _NO}

PersonKey = tuple  # (township, village, name)


def person_key(township: str, person: dict) -> PersonKey:
    return (township, person.get("village") or "", person.get("name") or "")


def _birth(key: PersonKey, age: int, anchor) -> "object":
    """A birth date made from the person, on which the person is ``age`` on ``anchor`` (a date)."""
    import datetime as dt

    rng = random.Random("tekun-birth/" + "/".join(key))
    mon = rng.randint(1, 12)
    day = rng.randint(1, 28 if mon == 2 else (30 if mon in (4, 6, 9, 11) else 31))
    year = anchor.year - int(age) - (1 if (mon, day) > (anchor.month, anchor.day) else 0)
    return dt.date(year, mon, day)


@dataclass
class IdentityMonth:
    """The three added columns of one month's forms.

    numbers: person -> the person's real (made-up) number, kept from the month the person first appears.
    written: person -> what the form says (None: left out; may be wrong, see ``roles``).
    mental:  people with a mental illness.
    new:     people marked 是否新申请 = 是.
    unsuited: people meeting a condition of [rules.transfer] this month (mental illness included).
    roles:   'missing', 'bad_check_digit', 'age_mismatch' (the deliberate errors), 'new_unsuited',
             'mental_listed' (mentally ill and on the transfer list), 'new_carried' (unsuited new
             applicants of an earlier month still waiting).
    """

    month: str
    numbers: dict = field(default_factory=dict)
    written: dict = field(default_factory=dict)
    mental: set = field(default_factory=set)
    new: set = field(default_factory=set)
    unsuited: set = field(default_factory=set)
    roles: dict = field(default_factory=dict)

    def row(self, township: str, person: dict) -> dict:
        """The person's form row with the three added columns."""
        key = person_key(township, person)
        return {**person, "id_number": self.written.get(key), "mental_illness": _YES_NO[key in self.mental],
                "new_applicant": _YES_NO[key in self.new]}

    def rows(self, township: str, people: list[dict]) -> list[dict]:
        return [self.row(township, p) for p in people]


def _unsuited(people: dict[str, list[dict]], mental: set, policy) -> dict[PersonKey, int]:
    """person -> number of [rules.transfer] reasons, for the people meeting any of them (mental illness counted)."""
    import pandas as pd

    from ..analysis.rules import decide

    flat = [(t, p) for t, plist in people.items() for p in plist]
    if not flat:
        return {}
    frame = pd.DataFrame([{"township": t, **{k: p.get(k) for k in _PERSON_KEYS},
                           "mental_illness": _YES_NO[person_key(t, p) in mental]} for t, p in flat])
    d = decide(frame, policy)
    d = d[d["rule"] == "transfer"]
    return {person_key(*flat[i]): int(n) for i, n in zip(d["person"], d["n_reasons"])}


def plan_identities(month: str, people: dict[str, list[dict]], policy, previous: IdentityMonth | None = None,
                    applicants: set | None = None, seed: int = IDENTITY_SEED) -> IdentityMonth:
    """Make up the three added columns of a month's forms (nothing is written).

    people:     township -> the people on its form, in form order (dicts keyed like schema.ASSESSMENTS).
    policy:     the policy whose [rules.transfer] decides who is unsuited to home care.
    previous:   the month before (numbers and illnesses are kept; unsuited new applicants stay flagged).
    applicants: the people newly approved this month (person keys); None: choose a handful
                (ID_STORY["new_applicants"]), ID_STORY["new_unsuited"] of them unsuited to home care.
    The result depends only on the arguments (the people's names, villages, sexes and ages, and for the
    choices of the month the order of the people), never on the random sources of the other samples.
    """
    import datetime as dt

    from ..core.months import month_end
    from ..io import idcard

    st = ID_STORY
    end = month_end(month)
    ids = IdentityMonth(month)
    taken = set(previous.numbers.values()) if previous else set()
    flat = [(t, p) for t, plist in people.items() for p in plist]
    keys = [person_key(t, p) for t, p in flat]
    for (t, p), key in zip(flat, keys):
        if previous and key in previous.numbers:
            ids.numbers[key] = previous.numbers[key]
            continue
        birth = _birth(key, p["age"], end)
        for salt in range(100):
            rng = random.Random("tekun-id/" + "/".join(key) + (f"/{salt}" if salt else ""))
            number = idcard.sample_number(rng, birth, p["sex"])
            if number not in taken:
                break
        taken.add(number)
        ids.numbers[key] = number
    taken |= set(ids.numbers.values())

    # mental illness: a property of the person, decided when the person first appears (more often among those
    # nobody looks after well: they head the transfer list)
    for (t, p), key in zip(flat, keys):
        if previous and key in previous.numbers:
            ill = key in previous.mental
        else:
            at_risk = not p.get("guardian_name") or p.get("care") in (CARE_FAIR, CARE_POOR, CARE_BAD)
            share = st["mental_share_at_risk"] if at_risk else st["mental_share"]
            ill = random.Random(f"tekun-mental/{seed}/" + "/".join(key)).random() < share
        if ill:
            ids.mental.add(key)
    reasons = _unsuited(people, ids.mental, policy)
    ids.unsuited = set(reasons)
    ids.roles["mental_listed"] = [k for k in keys if k in ids.mental and k in ids.unsuited]

    rng = random.Random(f"tekun-identity/{seed}/{month}")
    # new applicants
    if applicants is None:
        n_new = rng.randint(*st["new_applicants"])
        # unsuited ones with several reasons and able to look after themselves: the story moves few of them,
        # so they wait for placement in the months after
        position = {k: i for i, k in enumerate(keys)}
        pool = sorted((k for k in keys if k in reasons), key=lambda k: (-min(reasons[k], 3), position[k]))
        self_care = {person_key(t, p): p.get("self_care") for t, p in flat}
        pool = [k for k in pool if self_care[k] == SELF] or pool
        unsuited_new = rng.sample(pool[:4 * st["new_unsuited"]], min(st["new_unsuited"], len(pool)))
        others = [k for k in keys if k not in reasons]
        suited_new = rng.sample(others, min(len(others), max(0, n_new - len(unsuited_new))))
        ids.new = set(unsuited_new) | set(suited_new)
        ids.roles["new_carried"] = []
    else:
        present = set(keys)
        carried = [k for k in keys if previous and k in previous.new and k in ids.unsuited and k not in applicants]
        ids.new = {k for k in applicants if k in present} | set(carried)
        ids.roles["new_carried"] = carried
    ids.roles["new_unsuited"] = [k for k in keys if k in ids.new and k in ids.unsuited]

    # the numbers as written: a few left out, and outside the clean months a few wrong
    order = list(keys)
    rng.shuffle(order)
    missing = order[:rng.randint(*st["missing"])]
    rest = order[len(missing):]
    bad, mismatch = [], []
    if month not in st["clean_months"]:
        bad = rest[:rng.randint(*st["bad_check_digit"])]
        mismatch = rest[len(bad):len(bad) + rng.randint(*st["age_mismatch"])]
    ids.written = dict(ids.numbers)
    for key in missing:
        ids.written[key] = None
    for key in bad:
        true = ids.numbers[key]
        ids.written[key] = true[:17] + rng.choice([c for c in "0123456789" if c != true[17]])
    sexes = {person_key(t, p): p["sex"] for t, p in flat}
    for key in mismatch:
        true = ids.numbers[key]
        birth = dt.date(int(true[6:10]), int(true[10:12]), int(true[12:14]))
        shift = rng.randint(*st["mismatch_years"]) * rng.choice((-1, 1))
        wrong_birth = birth.replace(year=birth.year + shift)
        for salt in range(100):
            number = idcard.sample_number(random.Random(f"tekun-id-wrong/{month}/{salt}/" + "/".join(key)), wrong_birth,
                                          sexes[key])
            if number not in taken:
                break
        taken.add(number)
        ids.written[key] = number
    ids.roles.update(missing=missing, bad_check_digit=bad, age_mismatch=mismatch)
    return ids


def _people_of_month(m) -> dict[str, list[dict]]:
    """township -> the people on its forms (the 18 official columns), in form order, from load_month."""
    out: dict[str, list[dict]] = {t: [] for t in m.reference.township_names}
    for row in m.assessments.to_dict("records"):
        out.setdefault(row["township"], []).append(_person_from_row(row))
    return {t: plist for t, plist in out.items() if plist}


def story_identities(story: dict[str, StoryMonth], data_dir: str | os.PathLike | None = None, *,
                     base_month: str = "2023-08", policy=None) -> dict[str, IdentityMonth]:
    """The three added columns of the story months, month by month from ``base_month``'s forms.

    The base month's columns are made again from its people (as :func:`generate_sample` made them), so a
    person keeps the number and illness of the base month; the story's newly approved people are the
    month's new applicants. Returns month -> IdentityMonth for the base month and every story month.
    """
    if getattr(story, "base_month", None) == base_month:
        base_people = story.base_people
    else:
        from ..month import load_month

        m = load_month(base_month, data_dir)
        policy = policy or m.policy
        base_people = _people_of_month(m)
    if policy is None:
        from ..config.policy import load_policy

        policy = load_policy(data_dir=data_dir)
    out = {base_month: plan_identities(base_month, base_people, policy)}
    previous = out[base_month]
    for month, sm in story.items():
        applicants = {(a["township"], a["village"], a["name"]) for a in sm.applicants}
        plain = {t: [{k: p.get(k) for k in _PERSON_KEYS} for p in plist] for t, plist in sm.people.items()}
        previous = out[month] = plan_identities(month, plain, policy, previous, applicants)
    return out


STORY_BASE_MONTH = "2023-08"
STORY_SEED = 20230901
ASSESSMENT_SEED = 20230801


def story_months(base_month: str = STORY_BASE_MONTH) -> list[str]:
    """The months the month story makes up after ``base_month`` (2023-09 and 2023-10)."""
    months = [next_month(base_month)]
    while len(months) < len(STORY["transfer_share"]):
        months.append(next_month(months[-1]))
    return months


def write_assessment_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int | None = None, *,
                             out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample 附件3 forms, as the bundled data has them (``tekun sample --kind 附件3``).

    A month of the month story (2023-09, 2023-10, when 2023-08 has its forms) gets the story's forms
    (seed default 20230901) and, when ``out_dir`` is not given, the story's 附件1 and 附件2 in the month
    folder too (forms and counts belong together); any other month gets :func:`generate_sample`'s forms
    from its own 附件1 (seed default 20230801). Forms go to ``out_dir`` (default data/<month>/附件3/).
    Returns the files written (附件1 and 附件2 first when written).
    """
    from ..config.policy import load_policy
    from ..core.months import check_month
    from ..core.paths import data_dir as _data_dir
    from ..month import load_month

    check_month(month)
    base = _data_dir(data_dir)
    if month in story_months() and load_month(STORY_BASE_MONTH, base).has_assessments:
        story = plan_month_story(base, STORY_SEED if seed is None else seed, base_month=STORY_BASE_MONTH)
        policy = load_policy(data_dir=base)
        ids = story_identities(story, base, base_month=STORY_BASE_MONTH, policy=policy)[month]
        sm = story[month]
        files = []
        if out_dir is None:
            files += write_official_tables(month, sm.townships, sm.homes, base / month, sample=True, policy=policy)
        folder = Path(out_dir) if out_dir is not None else base / month / "附件3"
        return files + _write_story_forms(sm, ids, folder)
    return generate_sample(month, base, ASSESSMENT_SEED if seed is None else seed, out_dir)


# -- the benefit rosters -------------------------------------------------------------------------

BENEFIT_SEED = 20231012
BENEFIT_STORY = {
    # made-up people on each roster who are not in extreme hardship (the same every month)
    "others": {"dibao": (42, 56), "orphan": (9, 14), "hardship_disability": (22, 30), "severe_disability": (16, 24)},
    # their years of birth (orphans are children)
    "born": {"dibao": (1936, 2001), "orphan": (2006, 2020), "hardship_disability": (1943, 2005),
             "severe_disability": (1938, 2014)},
    "no_number_share": 0.05,       # made-up rows without a number
    # people of the month's forms on each roster: matched by number, by name and village only, near misses
    "confirmed": {"dibao": 2},     # default 1
    "unconfirmed": 1,
    "near_miss": 1,
    "orphan_max_age": 45,          # the forms' people put on the orphan roster are the youngest ones
    # the forms' people are split into this many groups, one a month in turn, so that a case found in one
    # month (and put right) is not made again in the next months
    "month_groups": 3,
}
_ROSTER_NOTES = {"unconfirmed": "身份证号待补录", "other_missing": "身份证号待补录"}


@dataclass
class RosterMonth:
    """One month's rosters: benefit key -> rows (township, village, name, id_number, note), and the cases
    made on purpose: roles[benefit] = {'confirmed': [...], 'unconfirmed': [...], 'near_miss': [...]}
    (person keys of the month's forms)."""

    month: str
    rows: dict[str, list[dict]]
    roles: dict[str, dict[str, list]]


def plan_benefit_rosters(month: str, data_dir: str | os.PathLike | None = None, seed: int = BENEFIT_SEED) -> RosterMonth:
    """Make up the month's benefit rosters from the month's 附件3 forms (load_month), without writing.

    Raises ValidationFailed when the month has no 附件3 forms.
    """
    import datetime as dt

    from ..core.months import month_end
    from ..forms import benefit_sections
    from ..io import idcard
    from ..month import load_month

    m = load_month(month, data_dir)
    if not m.has_assessments:
        raise ValidationFailed(f"{month} 没有附件3排查评估表，无法生成示例待遇名册（名册中要有与评估表人员重复的情况）；"
                               f"请先生成附件3示例数据。", m.issues)
    st = BENEFIT_STORY
    end = month_end(month)
    towns = m.reference.township_names
    people = m.assessments.to_dict("records")
    villages: dict[str, list[str]] = {}
    for p in people:
        villages.setdefault(p["township"], [])
        if p["village"] not in villages[p["township"]]:
            villages[p["township"]].append(p["village"])
    used = set(m.assessments["name"]) | {n for n in m.assessments["guardian_name"] if n}
    used |= {h.head for h in m.reference.homes if h.head}
    numbers = {idcard.normalise(p["id_number"]) for p in people if p["id_number"]}

    def check_ok(p) -> bool:
        idc = idcard.check(p["id_number"], on=end)
        return idc.ok and not idcard.compare_with_form(idc, p["age"], p["sex"], end)

    def new_number(rng, born: tuple[int, int], sex: str) -> str:
        while True:
            mon = rng.randint(1, 12)
            birth = dt.date(rng.randint(*born), mon, rng.randint(1, 28))
            number = idcard.sample_number(rng, birth, sex)
            if number not in numbers:
                numbers.add(number)
                return number

    sections = benefit_sections(m.policy)
    rows: dict[str, list[dict]] = {}
    # 1. the made-up people, the same every month (as long as the townships' villages are)
    for key, _ in sections:
        rng = random.Random(f"tekun-roster/{seed}/{key}")
        lo, hi = st["others"].get(key, (10, 20))
        out = []
        for _ in range(rng.randint(lo, hi)):
            town = rng.choice([t for t in towns if villages.get(t)])
            village = villages[town][rng.randrange(len(villages[town]))]
            sex = MALE if rng.random() < 0.55 else FEMALE
            name = make_name(rng, sex, used)
            number = new_number(rng, st["born"].get(key, (1940, 2005)), sex)
            note = ""
            if rng.random() < st["no_number_share"]:
                number, note = None, _ROSTER_NOTES["other_missing"]
            out.append({"township": town, "village": village, "name": name, "id_number": number, "note": note})
        rows[key] = out

    # 2. the month's people on the rosters
    rng = random.Random(f"tekun-roster/{seed}/{month}")
    groups = st["month_groups"]
    turn = (int(month[:4]) * 12 + int(month[5:])) % groups

    def group(p) -> int:
        return int(random.Random(f"tekun-roster-group/{seed}/{p['township']}/{p['village']}/{p['name']}").random() * groups)

    order = [i for i in range(len(people)) if group(people[i]) == turn]
    rng.shuffle(order)
    taken: set[int] = set()
    roles: dict[str, dict[str, list]] = {}

    def pick(valid: bool, max_age: int | None = None) -> dict | None:
        for young in ((True, False) if max_age else (False,)):
            for i in order:
                p = people[i]
                if i in taken or (valid and not check_ok(p)) or (young and (p["age"] is None or p["age"] > max_age)):
                    continue
                taken.add(i)
                return p
        return None

    for key, sec in sections:
        max_age = st["orphan_max_age"] if key == "orphan" else None
        roles[key] = {"confirmed": [], "unconfirmed": [], "near_miss": []}
        made = []
        for _ in range(st["confirmed"].get(key, 1)):
            p = pick(True, max_age)
            made.append({"township": p["township"], "village": p["village"], "name": p["name"],
                         "id_number": idcard.normalise(p["id_number"]), "note": ""})
            roles[key]["confirmed"].append((p["township"], p["village"], p["name"]))
        for _ in range(st["unconfirmed"]):
            p = pick(False, max_age)
            made.append({"township": p["township"], "village": p["village"], "name": p["name"], "id_number": None,
                         "note": _ROSTER_NOTES["unconfirmed"]})
            roles[key]["unconfirmed"].append((p["township"], p["village"], p["name"]))
        for _ in range(st["near_miss"]):
            p = pick(True)
            sex = MALE if rng.random() < 0.55 else FEMALE
            made.append({"township": p["township"], "village": p["village"], "name": p["name"],
                         "id_number": new_number(rng, st["born"].get(key, (1940, 2005)), sex), "note": ""})
            roles[key]["near_miss"].append((p["township"], p["village"], p["name"]))
        everyone = rows[key] + made
        rank = {t: i for i, t in enumerate(towns)}
        # listed township by township, village by village (in the forms' order), as a roster is kept
        vrank = {(t, v): j for t, vs in villages.items() for j, v in enumerate(vs)}
        positions = {id(r): rng.random() for r in everyone}
        everyone.sort(key=lambda r: (rank.get(r["township"], len(rank)), vrank.get((r["township"], r["village"]), 0),
                                     positions[id(r)]))
        rows[key] = everyone
    return RosterMonth(month, rows, roles)


def write_benefit_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int = BENEFIT_SEED, *,
                          out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample benefit rosters (示例数据), one per benefit of policy.toml ``[benefits]``,
    through :func:`tekun_helpers.forms.write_benefit_roster`, into ``out_dir`` (default data/<month>/).

    See :func:`plan_benefit_rosters` (the month's 附件3 forms must be there). Returns the files written.
    """
    from ..config.policy import load_policy
    from ..core.months import check_month
    from ..core.paths import data_dir as _data_dir
    from ..forms import write_benefit_rosters

    check_month(month)
    base = _data_dir(data_dir)
    plan = plan_benefit_rosters(month, base, seed)
    policy = load_policy(data_dir=base)
    out = Path(out_dir) if out_dir is not None else base / month
    return write_benefit_rosters(out, month, plan.rows, sample=True, policy=policy)


# -- the support money -------------------------------------------------------------------------

FUNDS_SEED = 20231013
FUNDS_STORY = {
    "batch_day": (4, 8),           # most homes are paid on one day of the first ten
    "other_day_share": 0.25,       # homes paid on another day within the deadline
    "late_days": (3, 12),          # days after the deadline the late home is paid
    "short_people": 1,             # the short home is paid for this many residents fewer
    # what the money is spent on: (category, share of the allocation) — shares vary a little
    "spending": (("伙食费", 0.44), ("护理费", 0.28), ("水电取暖", 0.07), ("医疗", 0.05), ("日用品", 0.04),
                 ("被服", 0.03)),
    "heating_months": (10, 11, 12, 1, 2, 3, 4),   # 水电取暖 costs more
    # rows in a forbidden category (policy.toml [funds] forbidden_categories): (category, note, share)
    "forbidden": (("院内维修改造费", "院内围墙及锅炉房维修", 0.06), ("工作经费", "购置办公用品", 0.025)),
    "forbidden_rows": (1, 2),      # homes with a forbidden row, one and two in turn; so do the categories
}


@dataclass
class FundsMonth:
    """One month's money ledger and spending rows, and the homes of the cases made on purpose:
    roles = {'short': home, 'late': home, 'unpaid': home, 'forbidden': [homes]}."""

    month: str
    ledger: list[dict]
    spending: list[dict]
    roles: dict


def plan_funds(month: str, data_dir: str | os.PathLike | None = None, seed: int = FUNDS_SEED) -> FundsMonth:
    """Make up the month's support-money ledger and spending from the month's 护理型床位与入住构成
    (敬老院工作人员台账) and policy.toml [funds], without writing.

    Raises ValidationFailed when the month has no 护理型床位与入住构成 table (generate the 台账 first) or
    policy.toml sets no standard.
    """
    import datetime as dt
    from decimal import ROUND_HALF_UP, Decimal

    from ..core.months import month_end
    from ..month import load_month

    m = load_month(month, data_dir)
    standard = m.policy.funds.monthly_standard_per_person
    if not len(m.home_care):
        raise ValidationFailed(f"{month} 没有敬老院工作人员台账（护理型床位与入住构成），无法按各院入住特困人员数生成示例资金台账；"
                               f"请先生成台账示例数据（tekun sample --kind 台账）。", m.issues)
    if not standard:
        raise ValidationFailed("policy.toml [funds] 未设置 monthly_standard_per_person，无法生成示例资金台账。", [])
    st = FUNDS_STORY
    rate = Decimal(str(standard))
    fen = Decimal("0.01")
    day = m.policy.funds.allocation_day
    end = month_end(month)
    deadline = min(day, end.day)
    residents = {r["home"]: int(r["residents_tekun"]) for r in m.home_care.to_dict("records")}
    homes = [h for h in m.reference.home_names if h in residents]
    rng = random.Random(f"tekun-funds/{seed}/{month}")
    paid_homes = [h for h in homes if residents[h] > st["short_people"]]
    short, late, unpaid = rng.sample(paid_homes, 3)
    batch = min(rng.randint(*st["batch_day"]), deadline)

    ledger, allocated = [], {}
    for h in homes:
        due = (rate * residents[h]).quantize(fen)
        on = dt.date(end.year, end.month, batch if rng.random() >= st["other_day_share"] else rng.randint(1, deadline))
        note = ""
        if h == short:
            amount = due - rate * st["short_people"]
        elif h == unpaid or not residents[h]:
            amount, on, note = Decimal("0.00"), None, "本月资金尚未拨付"
        else:
            amount = due
        if h == late:
            on = dt.date(end.year, end.month, min(end.day, deadline + rng.randint(*st["late_days"])))
        allocated[h] = amount
        ledger.append({"home": h, "allocated": amount, "allocated_on": on, "note": note})

    turn = int(month[:4]) * 12 + int(month[5:])
    lo, hi = st["forbidden_rows"]
    forbidden_homes = rng.sample([h for h in homes if allocated[h] > 0], lo + turn % (hi - lo + 1))
    forbidden = {h: st["forbidden"][(turn + i) % len(st["forbidden"])] for i, h in enumerate(forbidden_homes)}
    spending = []
    for h in homes:
        money = allocated[h]
        if money <= 0:
            continue
        for category, share in st["spending"]:
            if category == "水电取暖" and end.month in st["heating_months"]:
                share *= 1.8
            amount = (money * Decimal(str(share * rng.uniform(0.85, 1.15)))).quantize(fen, rounding=ROUND_HALF_UP)
            spending.append({"home": h, "category": category, "amount": amount, "note": ""})
        if h in forbidden:
            category, note, share = forbidden[h]
            amount = (money * Decimal(str(share * rng.uniform(0.8, 1.2)))).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
            spending.append({"home": h, "category": category, "amount": amount, "note": note})
    return FundsMonth(month, ledger, spending, {"short": short, "late": late, "unpaid": unpaid,
                                                "forbidden": forbidden_homes})


def write_funds_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int = FUNDS_SEED, *,
                        out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample 特困人员供养资金拨付台账 (示例数据: the ledger and the spending detail)
    through :func:`tekun_helpers.forms.write_funds_form` into ``out_dir`` (default data/<month>/).

    See :func:`plan_funds` (the month's 敬老院工作人员台账 must be there). Returns [the file written].
    """
    from ..config.policy import load_policy
    from ..core.months import check_month
    from ..core.paths import data_dir as _data_dir
    from ..forms import funds_filename, write_funds_form

    check_month(month)
    base = _data_dir(data_dir)
    plan = plan_funds(month, base, seed)
    policy = load_policy(data_dir=base)
    out = Path(out_dir) if out_dir is not None else base / month
    homes = [r["home"] for r in plan.ledger]
    return [write_funds_form(out / funds_filename(month), month, homes, plan.ledger, plan.spending, sample=True,
                             policy=policy)]
