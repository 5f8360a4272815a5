"""Money, rates and counts as policies write them, read into exact numbers.

Only the captured span is converted (cn2an for Chinese numerals), never the whole text.

>>> [(str(a.value), a.text) for a in money("分别给予不超过100万元、1亿元、二十万元")]
[('1000000', '100万元'), ('100000000', '1亿元'), ('200000', '二十万元')]
>>> [str(r.value) for r in rates("不高于1%，5‰，千分之五，百分之二十")]
['0.01', '0.005', '0.005', '0.2']
>>> count("3万")
30000
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
_NUM = rf"\d+(?:[.,]\d+)*|[{_CN_DIGITS}]+"
MONEY = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>亿元|千万元|百万元|万元|千元|元)")
RATE = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[%％‰])|(?P<word>百分之|千分之)(?P<wnum>\d+(?:\.\d+)?|[{_CN_DIGITS}]+)"
)
_UNIT = {"元": 1, "千元": 1000, "万元": 10**4, "百万元": 10**6, "千万元": 10**7, "亿元": 10**8}
_RATE_UNIT = {"%": Decimal("0.01"), "％": Decimal("0.01"), "‰": Decimal("0.001"),
              "百分之": Decimal("0.01"), "千分之": Decimal("0.001")}


@dataclass(frozen=True)
class Figure:
    value: Decimal
    start: int
    end: int
    text: str


def number(text: str) -> Decimal:
    """An Arabic or Chinese numeral (二十, 1,000, 1.5) as a Decimal."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)*", text):
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
            text = text.replace(",", "")
        return Decimal(text)
    return Decimal(str(cn2an.cn2an(text, "smart")))


def _normal(d: Decimal) -> Decimal:
    d = d.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral() else d


def money(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    out = []
    for m in MONEY.finditer(text, start, len(text) if end is None else end):
        try:
            value = number(m.group("num")) * _UNIT[m.group("unit")]
        except (ValueError, ArithmeticError):
            continue
        out.append(Figure(_normal(value), m.start(), m.end(), m.group()))
    return out


def rates(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    out = []
    for m in RATE.finditer(text, start, len(text) if end is None else end):
        raw, unit = (m.group("num"), m.group("unit")) if m.group("num") else (m.group("wnum"), m.group("word"))
        try:
            value = number(raw) * _RATE_UNIT[unit]
        except (ValueError, ArithmeticError):
            continue
        out.append(Figure(_normal(value), m.start(), m.end(), m.group()))
    return out


def count(text: str) -> int:
    """A count such as 4750, 3万 or 一百 as an integer."""
    text = text.strip()
    m = re.fullmatch(rf"(?P<num>{_NUM})\s*(?P<unit>万|千|百)?", text)
    if not m:
        raise ValueError(f"not a count: {text!r}")
    factor = {"万": 10**4, "千": 1000, "百": 100, None: 1}[m.group("unit")]
    return int(number(m.group("num")) * factor)
