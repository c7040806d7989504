"""Folding of labels and names as people type them in Excel and WPS.

Townships send their tables with full-width digits and brackets, stray spaces,
line breaks inside header cells, units in brackets, and now and then place
names typed in traditional characters (貝子府鎮). Everything that compares a
label or a name goes through :func:`fold` first.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .memo import remembered

_UNIT_IN_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
_SPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[：:、，,。．.·/／\\-—_]")


# Traditional -> simplified, one character each, for the characters of the reference
# names (townships, homes), the tables' labels and the answers of the assessment form.
# Only unambiguous characters: 乾 (乾隆 / 乾淨) and the like are left alone, never guessed.
_TRADITIONAL = ("豐鄉郷興辦廠頭樑漢溝灣窪漥潤瑪勝蘇營薩貝鎮鎭長魯黃區縣內與亂會關養況淨別單號員備實應張總護數時"
                "機權構潔環現電監稱係結編聯髒計評話說負責質費較達還齡註戶報據親農夠無沒")
_SIMPLIFIED = ("丰乡乡兴办厂头梁汉沟湾洼洼润玛胜苏营萨贝镇镇长鲁黄区县内与乱会关养况净别单号员备实应张总护数时"
               "机权构洁环现电监称系结编联脏计评话说负责质费较达还龄注户报据亲农够无没")
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
CLIP = 50  # characters of a value quoted in a message


def to_simplified(text: str) -> str:
    """貝子府鎮 -> 贝子府镇: the traditional characters that occur in the reference names and labels, folded."""
    return text.translate(_TO_SIMPLIFIED)


# Traditional -> simplified for the answers of the choice columns only (自理情况, 居住环境, 岗位, 减少原因 …):
# there 乾 is 干 (整潔乾淨) and 後 is 后 (後勤), which in a name could be something else.
_ANSWER_TRADITIONAL = "臟對難乾幹後師納門衛專職臨兒殘補貼轉終遷廚亂髒潔淨較護養員無沒鄉農親機長會計時負責係關與戶"
_ANSWER_SIMPLIFIED = "脏对难干干后师纳门卫专职临儿残补贴转终迁厨乱脏洁净较护养员无没乡农亲机长会计时负责系关与户"
_ANSWER_TO_SIMPLIFIED = str.maketrans(_ANSWER_TRADITIONAL, _ANSWER_SIMPLIFIED)


def answer_simplified(text: str) -> str:
    """An answer of a choice column in simplified characters: 整潔乾淨 -> 整洁干净, 較好 -> 较好, 後勤 -> 后勤."""
    return to_simplified(text).translate(_ANSWER_TO_SIMPLIFIED)


def has_traditional_answer(text: str) -> bool:
    """True when :func:`answer_simplified` changes ``text``."""
    return answer_simplified(text) != text


def has_traditional(text: str) -> bool:
    """True when ``text`` holds a character that :func:`to_simplified` changes."""
    return to_simplified(text) != text


_CONTROL_NAMES = {"\n": "↵", "\r": "⟨CR⟩", "\t": "⟨TAB⟩", "\x1b": "⟨ESC⟩", "\x07": "⟨BEL⟩", "\x08": "⟨BS⟩",
                  "\x00": "⟨NUL⟩", "\x7f": "⟨DEL⟩", "\u2028": "↵", "\u2029": "↵"}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# characters that show as nothing but make two names differ: zero-width space, joiners, word joiner,
# BOM (zero-width no-break space), soft hyphen, left-to-right and right-to-left marks
INVISIBLE = {"\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符", "\u2060": "零宽不换行符",
             "\ufeff": "BOM（字节顺序标记）", "\u00ad": "软连字符", "\u200e": "从左到右标记", "\u200f": "从右到左标记"}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")


def invisible_in(text: str) -> list[str]:
    """The Chinese names of the invisible characters in ``text`` (see :data:`INVISIBLE`), in order, once each."""
    return list(dict.fromkeys(INVISIBLE[c] for c in _INVISIBLE.findall(text)))


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def printable(text: str) -> str:
    """Text safe to print on a terminal or in a page: control characters shown as marks.

    ESC -> ⟨ESC⟩, a line break -> ↵, BEL -> ⟨BEL⟩, others -> ⟨U+001F⟩; the bidirectional overrides that
    reorder what is shown are marked too. A value or file name can then neither move the cursor, ring
    the bell nor forge a line of the output.
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _CONTROL_NAMES.get(m.group(0), f"⟨U+{ord(m.group(0)):04X}⟩"), text)


def clip(value: object, limit: int = CLIP) -> str:
    """The value as printable text (see :func:`printable`), cut to ``limit`` characters with '…' so that a
    message never quotes a whole long cell."""
    text = to_text(value)
    text = text if len(text) <= limit else text[:limit] + "…（共 %d 字）" % len(text)
    return printable(text)


def to_text(value: object) -> str:
    """The cell value as text: '' for empty cells, integral floats without '.0', dates without a midnight time."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value).strip()


def fold_width(text: str) -> str:
    """Full-width ASCII forms (１２３、ＡＢＣ、（）) to half-width; ideographic space to space."""
    return unicodedata.normalize("NFKC", text)


def fold(value: object, *, drop_units: bool = True) -> str:
    """Canonical form of a label or name for comparison.

    NFKC (full-width -> half-width), traditional characters of the reference
    names as simplified, no whitespace or line breaks, no bracketed units such
    as （张） or (人) when ``drop_units``, lower case. Remembered (core.memo.DEFAULT_SIZE
    values: a month's names and villages are folded again and again).
    """
    return _fold(value, drop_units)


@remembered()
def _fold(value: object, drop_units: bool) -> str:
    text = to_simplified(fold_width(strip_invisible(to_text(value))))
    if drop_units:
        text = _UNIT_IN_BRACKETS.sub("", text)
    text = _SPACE.sub("", text)
    return text.lower()


def fold_label(value: object) -> str:
    """Fold a header label: as :func:`fold`, and without the "其中：" prefix and separators."""
    text = fold(value)
    if text.startswith("其中"):
        text = text[2:]
    return _SEPARATORS.sub("", text)


def similarity(a: str, b: str) -> float:
    """Similarity of two folded names in [0, 1] (difflib ratio)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio()
