"""Patterns of the genre shared by the extractors: 文号, titles, issuing organs.

Each accepts both full-width and half-width punctuation, since captured documents mix
them (65号 switches mid-document); nothing is folded in the text itself.
"""
from __future__ import annotations

import re

CJK = r"\u4e00-\u9fff"
OPEN = r"[（(]"
CLOSE = r"[）)]"

# 文号: 杭政办函〔2023〕81号, 浙政办发[2022]19 号, 国办发（2021）5号
_NUMBER_BODY = (
    rf"(?P<prefix>(?!按照|根据|依据|参照|落实|执行|贯彻)[{CJK}]{{1,12}}?)\s*[〔\[［【(（]\s*(?P<year>[0-9０-９]{{4}})\s*[〕\]］】)）]"
    r"\s*(?P<num>[0-9０-９]{1,5})\s*号"
)
# a 文号 starts where no CJK character runs into it, or after the verb that introduces it
# (按照宁政发〔2022〕5号文件要求)
DOC_NUMBER = re.compile(rf"(?:(?<![{CJK}])|(?<=按照)|(?<=根据)|(?<=依据)|(?<=参照)|(?<=落实)|(?<=执行)){_NUMBER_BODY}")
# What looks like a 文号 but is not one: 吉政发〔20221号 (a bracket lost, the year run into the
# number). It is never repaired by guessing; the text's form is kept as written.
GARBLED_NUMBER = re.compile(
    rf"(?<![{CJK}])[{CJK}]{{1,12}}?\s*[〔\[［【(（][0-9０-９\s〕\]］】)）]{{1,14}}号"
)
_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")


def garbled_number(text: str) -> bool:
    """Whether ``text`` has a 文号's form but is no 文号 (:data:`GARBLED_NUMBER`).

    >>> garbled_number("吉政发〔20221号"), garbled_number("吉政发〔2022〕1号")
    (True, False)
    """
    return bool(GARBLED_NUMBER.fullmatch(text.strip())) and not DOC_NUMBER.fullmatch(text.strip())


def doc_number(m: re.Match[str]) -> str:
    """The normalized 文号 of a :data:`DOC_NUMBER` match (brackets 〔〕, no spaces)."""
    year = m.group("year").translate(_WIDE)
    num = int(m.group("num").translate(_WIDE))
    return f"{m.group('prefix')}〔{year}〕{num}号"


# The word a policy title ends with (before an optional bracketed note such as （征求意见稿）).
GENRE = (
    "实施意见|若干意见|指导意见|意见|若干措施|措施|实施方案|行动方案|工作方案|方案|实施办法|管理办法|办法"
    "|通知|通告|公告|规定|行动计划|计划|实施细则|细则|决定|决议|规划|纲要|条例|指引|政策|规程|工作要点|要点|批复|公示|通报|复函"
)
# a note after the title, on its line or the next: （2024—2026年）, （2025年修订版）, （试行）; a bare
# date (（2023年11月）) is the document's date, no part of its title
TITLE_NOTE = rf"(?:\s*{OPEN}(?!\s*\d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?\s*{CLOSE})[^（()）\n]{{1,20}}{CLOSE})*"
TITLE_LINE = re.compile(rf"^\s*(?P<title>[^\s。，,:：；;].{{3,100}}?(?:{GENRE}){TITLE_NOTE})\s*$", re.M)
DRAFT_MARK = re.compile(r"征求意见稿|草案|送审稿|讨论稿|草稿")

# An issuing organ as it signs a document or opens a title.
ORGAN_SUFFIX = (
    "人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|管理委员会|委员会|领导小组|局|厅|委|部|署|院|中心"
)
ORGAN = re.compile(rf"[{CJK}（）()]{{2,40}}?(?:{ORGAN_SUFFIX})")

SENTENCE_END = "。；;！？!?\n"

# Brackets of every width and kind the genre nests: 市委金融办（市地方金融局）, 各市、县〔市、区〕政府
OPEN_BRACKETS = "（([【〔［"
CLOSE_BRACKETS = "）)]】〕］"


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (to 。；！？ or a line end) holding ``text[start:end]``."""
    s = max(text.rfind(ch, 0, start) for ch in SENTENCE_END) + 1
    ends = [i for i in (text.find(ch, end) for ch in SENTENCE_END) if i >= 0]
    e = min(ends) + 1 if ends else len(text)
    if text[e - 1] == "\n":
        e -= 1
    return s, e


def squeeze(text: str) -> str:
    """Remove the spaces a PDF line break leaves between Chinese characters."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text).strip()
