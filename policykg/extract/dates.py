"""Dates as Chinese policy documents write them.

``2024年1月27日``, ``2022年5月 9 日``, ``二〇二三年十二月二十七日``, ``2024-05-29``, ``2024/5/29``,
``2024.5.29``, a signature's ``2022年5月9`` that ends its line without 日, and placeholders
(``2024年X月X日``) that give a year and nothing more.

>>> parse_date("2024 年 7 月 6 日"), parse_date("2022年5月9\\n"), parse_date("2024.5.29")
(datetime.date(2024, 7, 6), datetime.date(2022, 5, 9), datetime.date(2024, 5, 29))
>>> parse_date("二〇二三年十二月二十七日")
datetime.date(2023, 12, 27)
>>> parse_date("2024年X月X日") is None
True
>>> bounds("2024年X月X日")
(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
"""
from __future__ import annotations

import datetime as dt
import re

import cn2an

_CN_DIGIT = "〇零一二三四五六七八九十"
_YEAR_DIGITS = "〇一二三四五六七八九零"  # index % 10 is the digit
_PLACEHOLDER = "XxＸｘ×*＊□○"
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# One pattern for every written form; groups y, m, d.
DATE = re.compile(
    rf"(?P<y>[0-9０-９]{{4}}|[{_CN_DIGIT}○Ｏ]{{4}})\s*年\s*"  # 二○二四: ○ printed for 〇
    rf"(?P<m>[0-9０-９]{{1,2}}|[{_CN_DIGIT}]{{1,2}}|[{_PLACEHOLDER}]{{1,2}})\s*月\s*"
    rf"(?P<d>[0-9０-９]{{1,2}}|[{_CN_DIGIT}]{{1,3}}|[{_PLACEHOLDER}]{{1,2}})\s*(?:[日号]|(?=[ \t]*(?:\n|$)))"
    r"|(?<![\d.])(?P<iy>\d{4})(?P<sep>[-/.])(?P<im>\d{1,2})(?P=sep)(?P<id>\d{1,2})(?![\d.])"
)


class DateError(ValueError):
    """A date that is written fully but does not exist (2024年2月30日)."""


def _number(part: str) -> int | None:
    part = part.translate(_WIDE_DIGITS)
    if part.isdigit():
        return int(part)
    if any(ch in _PLACEHOLDER for ch in part):
        return None
    if len(part) == 4:  # a year written digit by digit: 二〇二三
        return int("".join(str(_YEAR_DIGITS.index(ch) % 10) for ch in part))
    return int(cn2an.cn2an(part, "smart"))


def _parts(text: str) -> tuple[int | None, int | None, int | None]:
    m = DATE.search(text)
    if not m:
        raise DateError(f"no date in {text!r}")
    if m.group("iy"):
        return int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    year = m.group("y").replace("○", "〇").replace("Ｏ", "〇")  # in a year ○ is a zero, not a placeholder
    return _number(year), _number(m.group("m")), _number(m.group("d"))


def is_partial(text: str) -> bool:
    """Whether a placeholder (X, ×, □…) stands for part of the date in ``text``."""
    return any(ch in _PLACEHOLDER for ch in text)


def parse_date(text: str) -> dt.date | None:
    """The date written in ``text``; None when a placeholder hides part of it."""
    y, m, d = _parts(text)
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError as exc:
        raise DateError(f"{text!r} is not a date: {exc}") from None


def bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """For a date given only in part, the earliest and the latest day it can be."""
    y, m, _d = _parts(text)
    if y is None:
        return None
    if m is None:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
    return dt.date(y, m, 1), last


def add_years(day: dt.date, years: int) -> dt.date:
    """The last day of a validity of ``years`` years starting on ``day``."""
    try:
        end = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + years, day=28)
    return end - dt.timedelta(days=1)
