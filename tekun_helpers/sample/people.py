"""Made-up people for the sample data: names, villages, guardians and the answers of the 附件3 form.

Everything made here is fictitious: names are random combinations of common characters (Mongolian
given names too, as in the banner's 苏木 and 嘎查), never a well-known person's (:data:`FAMOUS`);
villages are made up from the usual parts of the banner's 村, 嘎查 and 社区 names.
:func:`generate_people` makes one township's people in dispersed care: exactly the 附件1 counts of
people, 失能 and 半失能; most answers good, a few people made to meet each of the plan's rules (poor
care, poor living environment or quality of life, nobody caring, allowance not controlled by the
person, rights infringed, not treated in time, at the rates of :data:`RATES`), so that the rules have
something to find. :func:`overall_result` is the 评估结果 a township would give.

The answer labels are always the schema's (:data:`tekun_helpers.config.schema.VOCABULARIES`).
"""
from __future__ import annotations

import random

from ..config.schema import VOCABULARIES

# -- vocabularies (labels always taken from the schema) --------------------------------
_SEX = VOCABULARIES["sex"].labels                      # 男, 女
_SELF_CARE = VOCABULARIES["self_care"].labels          # 自理, 半失能, 失能
_HOUSING = VOCABULARIES["housing"].labels              # 自有, 幸福院, 借住
ENVIRONMENT = VOCABULARIES["environment"].labels       # 整洁干净, 一般, 脏乱差
QUALITY = VOCABULARIES["quality"].labels               # 较好, 一般, 较差
_CARE = VOCABULARIES["care"].labels                    # 较好, 一般, 较差, 差
_RESULT = VOCABULARIES["result"].labels                # 较好, 较差, 差
YES, NO = VOCABULARIES["yes_no"].labels                # 是, 否
MALE, FEMALE = _SEX
SELF, SEMI, FULL = _SELF_CARE
CARE_GOOD, CARE_FAIR, CARE_POOR, CARE_BAD = _CARE
#: the two 护理情况 scales found on the form: its header (较好/一般/较差) and its note 2 (较好/较差/差)
CARE_SCALE_HEADER = (CARE_GOOD, CARE_FAIR, CARE_POOR)
CARE_SCALE_NOTE = (CARE_GOOD, CARE_POOR, CARE_BAD)

#: a person's columns of the 附件3 form after 序号 (the 18 official ones), in the form's order
PERSON_KEYS = ("village", "name", "sex", "age", "guardian_name", "guardian_age", "guardian_relation", "self_care",
               "housing", "environment", "quality", "care", "treated", "self_controls_allowance", "rights_infringed",
               "result", "note")

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
# (relation, weight): how often each kind of guardian is; which relations share the person's surname and
# which are women follows
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
    """One value of ``pairs`` ((value, weight), ...), drawn with the weights."""
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
    """A made-up given name of one or two characters (two different ones) for ``sex``."""
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


def _herding(township: str) -> bool:
    """True for a township of herding country: one that is not a 镇 or 乡 (farming country) nor a 街道 (town),
    such as a banner's 苏木; its villages are mostly 嘎查 and more of its people have Mongolian names. The
    kind is read from the township's name in the reference data, so a county of 镇 and 乡 has none."""
    return not (township.endswith(("镇", "乡")) or "街道" in township)


def pastoral(townships) -> bool:
    """True for a county with herding country among its townships (one named neither 镇, 乡 nor 街道, such as a
    banner's 苏木): only there do the made-up people live in 嘎查 villages or have Mongolian names."""
    return any(_herding(t) for t in townships)


def _villages(rng: random.Random, township: str, n: int, herding_county: bool = True) -> list[str]:
    """Made-up village (村 / 嘎查) or community (社区) names for a township of ``n`` people (嘎查 only in a
    county with herding country, :func:`pastoral`)."""
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
    gacha_share = (0.7 if _herding(township) else 0.12) if herding_county else 0.0
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
    """A made-up 监护人/护理人 for ``person``: (name, age, relation); relatives of the same family share
    the surname, and the age follows from the relation (a brother near the person's age, a nephew younger)."""
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
    severe = (p["care"] == CARE_BAD or p["rights_infringed"] == YES
              or (p["environment"] == ENVIRONMENT[2] and p["quality"] == QUALITY[2])
              or (alone and p["self_care"] != SELF))
    poor = (p["care"] == CARE_POOR or p["environment"] == ENVIRONMENT[2] or p["quality"] == QUALITY[2]
            or alone or p["self_controls_allowance"] == NO or p["treated"] == NO)
    return _RESULT[2] if severe else (_RESULT[1] if poor else _RESULT[0])




def _new_person(rng: random.Random, villages: list[str], weights: list[float], mongol_share: float,
                used: set[str]) -> dict:
    """A person's village, sex, age and name (self-caring; ``_mongol``: a Mongolian name)."""
    village = rng.choices(villages, weights)[0]
    sex = MALE if rng.random() < 0.72 else FEMALE
    mongol = rng.random() < (mongol_share * (2 if village.endswith("嘎查") else 1))
    return {"village": village, "sex": sex, "age": _age(rng), "self_care": SELF,
            "name": make_name(rng, sex, used, mongol=mongol), "_mongol": mongol}


def _disabled(rng: random.Random, people: list[dict], fully_disabled: int, semi_disabled: int) -> tuple[set, set]:
    """The people made 失能 and 半失能 (indexes): the older ones, roughly (ranked by age plus noise)."""
    order = sorted(range(len(people)), key=lambda i: -(people[i]["age"] + rng.uniform(0, 35)))
    full_idx = set(order[:fully_disabled])
    semi_idx = set(order[fully_disabled:fully_disabled + semi_disabled])
    for i in full_idx:
        people[i]["self_care"] = FULL
    for i in semi_idx:
        people[i]["self_care"] = SEMI
    return full_idx, semi_idx


def _problems(rng: random.Random, dispersed: int, full_idx: set[int], scale: tuple[str, ...]) -> dict[str, set[int]]:
    """Who gets which problem (indexes), at the rates of :data:`RATES`, with the problems that go together."""
    everyone = list(range(dispersed))
    able = [i for i in everyone if i not in full_idx]

    def pick(rule: str, pool=everyone) -> set[int]:
        """People of ``pool`` for ``rule``, about its rate of everyone."""
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
    return {"no_guardian": no_guardian, "care_poor": care_poor, "care_bad": care_bad, "env_bad": env_bad,
            "quality_poor": quality_poor, "allowance_not_self": allowance_not_self, "rights": rights,
            "not_treated": not_treated}


def _answer(rng: random.Random, p: dict, i: int, problems: dict[str, set[int]], scale: tuple[str, ...],
            used: set[str]) -> None:
    """Fill in person ``i``'s guardian, answers, 评估结果 and 备注 (``problems`` as :func:`_problems` made them)."""
    mongol = p.pop("_mongol")
    alone = i in problems["no_guardian"]
    if alone:
        p["guardian_name"], p["guardian_age"], p["guardian_relation"] = "", None, ""
    else:
        p["guardian_name"], p["guardian_age"], p["guardian_relation"] = _guardian(rng, p, used, mongol)
    p["housing"] = _pick_weighted(rng, ((_HOUSING[0], 0.8), (_HOUSING[2], 0.12), (_HOUSING[1], 0.08)))

    if i in problems["env_bad"]:
        p["environment"] = ENVIRONMENT[2]
    else:
        p["environment"] = ENVIRONMENT[0] if rng.random() < 0.68 else ENVIRONMENT[1]
    if i in problems["quality_poor"]:
        p["quality"] = QUALITY[2]
    else:
        p["quality"] = QUALITY[0] if rng.random() < 0.7 else QUALITY[1]
    if i in problems["care_bad"]:
        p["care"] = CARE_BAD
    elif i in problems["care_poor"] or alone:
        p["care"] = CARE_POOR
    else:
        p["care"] = CARE_FAIR if (CARE_FAIR in scale and rng.random() < 0.25) else CARE_GOOD
    p["treated"] = NO if i in problems["not_treated"] else YES
    p["self_controls_allowance"] = NO if i in problems["allowance_not_self"] else YES
    p["rights_infringed"] = YES if i in problems["rights"] else NO

    p["result"] = overall_result(p)
    p["note"] = _note(rng, p, alone)


def _note(rng: random.Random, p: dict, alone: bool) -> str:
    """The 备注 a township would write: the person's problems, now and then a plain remark."""
    notes = []
    if alone:
        notes.append("独自生活，无监护人/护理人")
    if p["rights_infringed"] == YES:
        notes.append("护理人领取护理补贴未履行照料义务")
    elif p["self_controls_allowance"] == NO:
        who = p["guardian_relation"] if p["guardian_relation"] and p["guardian_relation"] != "村委会指定护理人" else "亲属"
        notes.append(f"供养金由{who}代领代管")
    if p["treated"] == NO:
        notes.append("患病未及时就医")
    if p["care"] == CARE_BAD:
        notes.append("被褥衣服较脏，室内异味较大")
    if not notes and rng.random() < 0.08:
        notes.append(rng.choice(_PLAIN_NOTES))
    return "；".join(notes)


def generate_people(township: str, dispersed: int, fully_disabled: int, semi_disabled: int,
                    rng: random.Random, *, used: set[str] | None = None,
                    care_scale: tuple[str, ...] | None = None, herding_county: bool = True) -> list[dict]:
    """Fictitious people in dispersed care for one township, as rows of the 附件3 form.

    township:       the township (its name decides 社区 / 嘎查 / 村 style villages).
    dispersed:      how many people (分散供养人数).
    fully_disabled: how many of them are 失能; semi_disabled: how many are 半失能.
    rng:            the random source (the result depends only on it and the arguments).
    used:           names already taken in the banner; names made here are added to it, so
                    passing one set for every township keeps names unique banner-wide.
    care_scale:     the 护理情况 answers this township uses: CARE_SCALE_HEADER (较好/一般/较差) or
                    CARE_SCALE_NOTE (较好/较差/差); None picks one at random.
    herding_county: the county has herding country (:func:`pastoral` of its townships): some villages are
                    嘎查 and some people have Mongolian names; a county of 镇, 乡 and 街道 has neither.
    Returns dicts keyed by schema.ASSESSMENTS keys, numbered from 1, grouped by village.
    Raises ValueError (Chinese) when the counts do not fit together.
    """
    if fully_disabled + semi_disabled > dispersed or min(dispersed, fully_disabled, semi_disabled) < 0:
        raise ValueError(f"{township}：失能 {fully_disabled} 人、半失能 {semi_disabled} 人与分散供养 {dispersed} 人不相容。")
    used = set() if used is None else used
    scale = care_scale or rng.choice((CARE_SCALE_HEADER, CARE_SCALE_NOTE))
    villages = _villages(rng, township, dispersed, herding_county)
    weights = [0.4 + rng.random() for _ in villages]
    mongol_share = (0.35 if _herding(township) else 0.08) if herding_county else 0.0

    people = [_new_person(rng, villages, weights, mongol_share, used) for _ in range(dispersed)]
    full_idx, _ = _disabled(rng, people, fully_disabled, semi_disabled)
    problems = _problems(rng, dispersed, full_idx, scale)
    for i, p in enumerate(people):
        _answer(rng, p, i, problems, scale, used)

    # the form lists people village by village, in the order the villages were made up
    rank = {v: k for k, v in enumerate(villages)}
    people.sort(key=lambda p: rank[p["village"]])
    return [{"seq": n, **{k: p[k] for k in PERSON_KEYS}} for n, p in enumerate(people, start=1)]
