"""Chinese resident identity numbers (公民身份号码, GB 11643-1999): check, read, mask.

An 18-character number is 6 region digits, the birth date YYYYMMDD, 3 sequence
digits (the last of them odd for men, even for women) and a check character
(ISO 7064 MOD 11-2: a digit or X). Region codes are not checked: the sample data
uses :data:`SAMPLE_REGION`, which belongs to no place.

Numbers that reach us as Excel numbers (int or float, or text such as
"1.10105E+17") have lost their last digits: Excel keeps 15 significant digits.
:func:`check` says so instead of guessing them.

No policy setting is needed by this module (nothing to add to policy.toml).
"""
from __future__ import annotations

import datetime as dt
import numbers
import random
import re
import unicodedata
from dataclasses import dataclass

from ..core.memo import remembered
from ..core.text import clip

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # sum(weight x digit) mod 11 -> check character
LENGTH = 18
OLD_LENGTH = 15  # first-generation cards (1984-2004): no century, no check digit
MIN_BIRTH_YEAR = 1900  # a birth year before this is a typing error, not a person

# No real region code starts with 99 (provincial codes run 11-82), so a number made
# with this code can never be a real person's number.
SAMPLE_REGION = "990000"

EXCEL_PROBLEM = "身份证号被 Excel 存成了数字，末几位可能已丢失，请把该列设为文本后重新填写"

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SPACE = re.compile(r"\s+")
_SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$")
_DIGITS17 = re.compile(r"^[0-9]{17}$")
_WELL_FORMED = re.compile(r"^[0-9]{17}[0-9X]$")
_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{17}(?:[0-9](?![0-9])|[Xx]))")


@dataclass(frozen=True)
class IdCheck:
    """The outcome of :func:`check`.

    number:  the number as normalised (may be invalid; mask it before showing).
    ok:      True when the number is well formed, its check character right and its birth date real.
    problem: what is wrong, in Chinese, or None.
    birth, sex: read from the number, only when ``ok`` (an invalid number tells nothing reliable).
    """

    number: str
    ok: bool
    problem: str | None = None
    birth: dt.date | None = None
    sex: str | None = None


def check_digit(first17: str) -> str:
    """The check character ('0'-'9' or 'X') of the first 17 digits of a number."""
    if not isinstance(first17, str) or not _DIGITS17.match(first17):
        raise ValueError(f"计算校验位需要17位数字，收到的是“{clip(first17)}”")
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def _is_excel_number(raw: object) -> bool:
    if isinstance(raw, bool):
        return False
    if isinstance(raw, numbers.Number):
        return True
    return isinstance(raw, str) and bool(_SCIENTIFIC.match(_SPACE.sub("", unicodedata.normalize("NFKC", raw))))


def _is_missing(raw: object) -> bool:
    if raw is None:
        return True
    try:
        return bool(raw != raw)  # NaN, NaT
    except (TypeError, ValueError):  # pd.NA refuses bool()
        return True


def normalise(raw: object) -> str:
    """The number as text: no spaces or invisible characters, full-width digits and X as ASCII, x as X.

    Empty cells (None, NaN) give ''. Numbers give their digits ('110105194912310000' for 1.10105194912310e17):
    the text of what Excel kept, not the number that was typed; :func:`check` rejects it.
    """
    if _is_missing(raw):
        return ""
    if isinstance(raw, numbers.Number) and not isinstance(raw, bool):
        try:
            if float(raw).is_integer():
                return str(int(raw))
        except (OverflowError, ValueError):
            pass
        return str(raw)
    text = unicodedata.normalize("NFKC", str(raw)).translate(_INVISIBLE)
    text = _SPACE.sub("", text)
    if text.startswith("'"):  # Excel's "store as text" prefix, typed into a CSV
        text = text[1:]
    return text.upper() if text[-1:] == "x" else text


def _birth_problem(number: str, on: dt.date | None) -> tuple[dt.date | None, str | None]:
    """The birth date of a well-formed number, or what is wrong with it (impossible, too early, after ``on``)."""
    ymd = number[6:14]
    try:
        birth = dt.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:8]))
    except ValueError:
        return None, f"出生日期 {ymd} 不存在"
    if birth.year < MIN_BIRTH_YEAR:
        return None, f"出生日期 {ymd} 不合理（早于{MIN_BIRTH_YEAR}年）"
    if on is not None and birth > on:
        return None, f"出生日期 {ymd} 晚于 {on.isoformat()}，不可能"
    return birth, None


def check(raw: object, *, on: dt.date | None = None) -> IdCheck:
    """Check one identity number as typed in a form.

    ``on`` is the day the number is checked for (a birth date after it is wrong); default today.
    Several problems of one number are joined with '；'.

    What the number itself says is remembered per number (:func:`_read`), whatever the day: a month's
    reading, checks, register and conflicts, and every earlier month's, ask about the same people's numbers
    again and again, each with its own day (today, the month's last day); only the comparison of the birth
    date with ``on`` is made on each call.
    """
    return _on_day(_read(raw), on or dt.date.today())


@dataclass(frozen=True)
class _Read:
    """What :func:`_read` learnt from a number: the outcome when it does not depend on the day (``fixed``),
    else the birth date and the check character's problem, to be joined with the day's birth problem."""

    fixed: IdCheck | None
    number: str = ""
    birth: dt.date | None = None
    digit_problem: str | None = None
    ok: IdCheck | None = None          # the outcome when the birth date is not after the day


def _on_day(r: _Read, on: dt.date) -> IdCheck:
    if r.fixed is not None:
        return r.fixed
    problems = []
    if r.birth > on:
        problems.append(f"出生日期 {r.number[6:14]} 晚于 {on.isoformat()}，不可能")
    if r.digit_problem:
        problems.append(r.digit_problem)
    if problems:
        return IdCheck(r.number, False, "；".join(problems))
    return r.ok


#: numbers remembered: a year of a county ten times the bundled one (32,500 people, about as many
#: others in the benefit rosters), each number once
REMEMBERED_NUMBERS = 1 << 18


@remembered(REMEMBERED_NUMBERS)
def _read(raw: object) -> _Read:
    number = normalise(raw)
    if not number:
        return _Read(IdCheck("", False, "未填写身份证号"))
    if _is_excel_number(raw):
        return _Read(IdCheck(number, False, EXCEL_PROBLEM))
    problems = []
    if len(number) != LENGTH:
        note = "（可能是旧的15位身份证号，请改填18位号码）" if len(number) == OLD_LENGTH and number.isdigit() else ""
        problems.append(f"身份证号应为{LENGTH}位，实为{len(number)}位{note}")
    bad = sorted({c for c in number[:17] if c not in "0123456789"} | {c for c in number[17:] if c not in "0123456789X"})
    if bad:
        shown = clip("".join(bad), 10)
        problems.append(f"身份证号含有非数字字符“{shown}”（只有最后一位可以是 X）")
    if problems:
        return _Read(IdCheck(number, False, "；".join(problems)))
    birth, birth_problem = _birth_problem(number, None)
    expected = check_digit(number[:17])
    digit_problem = None
    if number[17] != expected:
        cause = "可能被 Excel 存成过数字，末几位已变成0" if number.endswith("000") else "号码中有数字填错"
        digit_problem = f"校验位应为 {expected}，实为 {number[17]}（{cause}）"
    if birth_problem:       # an impossible or too early date: the same on every day
        return _Read(IdCheck(number, False, "；".join(x for x in (birth_problem, digit_problem) if x)))
    sex = "男" if int(number[16]) % 2 else "女"
    return _Read(None, number, birth, digit_problem, None if digit_problem else IdCheck(number, True, None, birth, sex))


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years (周岁) of a person born on ``birth`` on ``day``.

    A person born on 29 February turns a year older on 1 March in common years.
    """
    if day < birth:
        raise ValueError(f"日期 {day.isoformat()} 早于出生日期，无法计算年龄")
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def mask(number: object) -> str:
    """990101********123X: first 6 and last 4 of an 18-character number, the 8 middle characters as '*'.

    Anything else keeps at most its first 2 and last 2 characters and is never shown whole
    ('12345' -> '12*45', '123' -> '1*3', '12' -> '**').
    """
    text = normalise(number)
    n = len(text)
    if n == LENGTH:
        return text[:6] + "*" * 8 + text[-4:]
    if n == 0:
        return ""
    keep = min(2, (n - 1) // 2)
    stars = min(n - 2 * keep, 12)  # a 500-character cell is not shown as 500 stars
    return text[:keep] + "*" * stars + (text[n - keep:] if keep else "")


def sample_number(rng: random.Random, birth: dt.date, sex: str) -> str:
    """A valid number of the made-up region :data:`SAMPLE_REGION`, for sample data and tests."""
    if sex not in ("男", "女"):
        raise ValueError(f"性别应为“男”或“女”，收到的是“{clip(sex)}”")
    seq = rng.randrange(100)
    sex_digit = rng.choice("13579" if sex == "男" else "02468")
    first17 = f"{SAMPLE_REGION}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq:02d}{sex_digit}"
    return first17 + check_digit(first17)


def is_valid(number: str) -> bool:
    """True for a well-formed 18-character number with the right check character and a real birth date.

    Unlike :func:`check`, a birth date in the future is accepted (used to scan text for numbers).
    """
    return (isinstance(number, str) and bool(_WELL_FORMED.match(number))
            and check_digit(number[:17]) == number[17] and _birth_problem(number, None)[1] is None)


def find_valid_numbers(text: str) -> list[str]:
    """Every valid identity number in ``text``, in order of appearance (repeats kept), x written as X.

    A run counts when it is 17 digits and a digit or X, not inside a longer run of digits,
    and :func:`is_valid`. Full-width digits are read as digits. Used to scan reports for leaks.
    """
    folded = unicodedata.normalize("NFKC", text)
    found = (m.group(1).upper() for m in _IN_TEXT.finditer(folded))
    return [n for n in found if is_valid(n)]


def _form_age(age: object) -> int | None | str:
    """The form's age as int, None when empty, or the text when it is no whole number."""
    if _is_missing(age):
        return None
    if isinstance(age, numbers.Number) and not isinstance(age, bool):
        return int(age) if float(age).is_integer() else str(age)
    text = _SPACE.sub("", unicodedata.normalize("NFKC", str(age))).removesuffix("周岁").removesuffix("岁")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return str(age)
    return int(value) if value.is_integer() and value >= 0 else str(age)


def compare_with_form(idc: IdCheck, age: object, sex: object, on: dt.date) -> list[str]:
    """What the form's 年龄 and 性别 say against the number, in Chinese; [] when they agree.

    ``on`` is the last day of the report month. Forms are filled in during the month, so the
    form's age may be the whole-years age on ``on`` or one less (birthday within the month);
    anything else is a mismatch (one or two more is pointed out as a possible 虚岁).
    An empty age or sex is not compared, nor is an invalid number (its problem is :func:`check`'s).
    Messages give ages, never the birth date or the number.
    """
    if not idc.ok or idc.birth is None:
        return []
    out = []
    form_age = _form_age(age)
    if isinstance(form_age, str):
        out.append(f"表中年龄“{clip(form_age, 10)}”不是整数，无法与身份证号核对")
    elif form_age is not None:
        if on < idc.birth:
            out.append(f"按身份证号，此人在 {on.isoformat()} 尚未出生")
        else:
            real = age_on(idc.birth, on)
            if form_age not in (real, real - 1):
                hint = "（可能填的是虚岁）" if form_age in (real + 1, real + 2) else ""
                allowed = f"{real - 1} 或 {real}" if real > 0 else f"{real}"
                out.append(f"表中年龄为 {form_age} 岁，与身份证号不符：按出生日期，本月应填 {allowed} 岁{hint}")
    if not _is_missing(sex):
        text = _SPACE.sub("", str(sex))
        form_sex = text[0] if text in ("男", "女", "男性", "女性") else None
        if text and form_sex is None:
            out.append(f"表中性别“{clip(text, 10)}”无法识别，应填“男”或“女”")
        elif form_sex and form_sex != idc.sex:
            out.append(f"表中性别为{form_sex}，身份证号第17位表明为{idc.sex}")
    return out
