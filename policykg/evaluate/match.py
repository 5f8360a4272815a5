"""The normalizations and equalities of docs/evaluation.md: exact rules, no similarity thresholds.

>>> norm_docnum("鄂经信办函[2021]5号")
'鄂经信办函〔2021〕5号'
>>> number_key("二（三）") == number_key("(三)")
True
>>> org_matches("郑州市工业和信息化局", ["市工信局", "郑州市工业和信息化局"], area_forms(["郑州市"]))
True
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "［": "(", "］": ")",
                           "【": "(", "】": ")", "[": "(", "]": ")"})
_QUOTES = re.compile("[“”‘’「」\"']")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"[\[［【（(〔]\s*(\d{4})\s*[\]］】）)〕]")
_DRAFT = re.compile(r"\(征求意见稿\)$")
LEVEL_SUFFIXES = ("省", "市", "区", "县", "州")


def norm_text(s: str) -> str:
    """NFKC, no whitespace, brackets as ``()``, no quote marks: titles, headings, cited titles, tier wordings."""
    s = unicodedata.normalize("NFKC", s)
    s = _SPACE.sub("", s).translate(_BRACKETS)
    return _QUOTES.sub("", s)


def norm_title(s: str) -> str:
    """A graph title as the gold writes titles: :func:`norm_text` with a trailing (征求意见稿) cut."""
    return _DRAFT.sub("", norm_text(s))


def norm_docnum(s: str) -> str:
    """A 文号 with its year in 〔〕 and no whitespace.

    >>> norm_docnum("工信部企业 （2013） 264 号")
    '工信部企业〔2013〕264号'
    """
    return _SPACE.sub("", _YEAR.sub(lambda m: f"〔{m[1]}〕", s))


def norm_org(s: str) -> str:
    """An organization or area name with no whitespace and brackets as ``()``."""
    return _SPACE.sub("", s).translate(_BRACKETS)


def number_key(number: str) -> str:
    """The last numbering token of a measure number, bracket width normalized.

    >>> [number_key(n) for n in ("二（三）", "(三)", "四.2", "1.", "第一条", "一、")]
    ['(三)', '(三)', '2', '1', '第一条', '一']
    """
    s = _SPACE.sub("", unicodedata.normalize("NFKC", number)).rstrip("、.．")
    hit = re.search(r"\([^()]*\)$", s)
    if hit:
        return hit[0]
    return s.rsplit(".", 1)[-1]


def area_forms(names: Iterable[str]) -> set[str]:
    """The area names of a document, each also without a last level suffix (郑州市 → 郑州)."""
    forms: set[str] = set()
    for name in names:
        n = norm_org(name)
        if not n:
            continue
        forms.add(n)
        if len(n) > 2 and n.endswith(LEVEL_SUFFIXES):
            forms.add(n[:-1])
    return forms


def org_matches(gold: str, labels: Iterable[str], areas: set[str]) -> bool:
    """Whether an organization with these labels is the gold name: a label, a label with an area
    name prefixed, or a label with an area name stripped, equals it (all :func:`norm_org`)."""
    target = norm_org(gold)
    for label in labels:
        lab = norm_org(label)
        if lab == target:
            return True
        for area in areas:
            if area + lab == target or (lab.startswith(area) and lab[len(area):] == target):
                return True
    return False


# a level or area prefix before a tier wording: 国家级, 省级, 湖北省, 市级…
_LEVEL_PREFIX = re.compile(r"^(?:国家级?|[\u4e00-\u9fff]{0,12}?[省市州县区盟旗]级?)")


def tier_concept(wording: str, tier_labels: dict[str, set[str]]) -> str | None:
    """The tier concept one of whose labels is the wording under :func:`norm_text`, or failing
    that the wording without a level or area prefix (国家级“小巨人” → “小巨人”), or None.

    >>> labels = {"little-giant": {"专精特新“小巨人”企业", "小巨人"}}
    >>> tier_concept("湖北省专精特新“小巨人”企业", labels), tier_concept("国家级“小巨人”", labels)
    ('little-giant', 'little-giant')
    """
    w = norm_text(wording)
    norms = {tier: {norm_text(label) for label in labels} for tier, labels in tier_labels.items()}
    for tier in sorted(norms):
        if w in norms[tier]:
            return tier
    for k in range(1, min(len(w), 14)):
        if _LEVEL_PREFIX.fullmatch(w[:k]):
            for tier in sorted(norms):
                if w[k:] in norms[tier]:
                    return tier
    return None


def percent(fraction: Decimal) -> Decimal:
    """A graph rate (a fraction) as the gold's percent: 0.1 → 10."""
    return (fraction * 100).normalize()


def same_number(a: Decimal | int | float, b: Decimal | int | float) -> bool:
    """Two figures equal as decimals (10 == 10.0 == Decimal('10'))."""
    return Decimal(str(a)) == Decimal(str(b))


def same_date(gold: str, graph: str) -> bool:
    return gold.strip() == graph.strip()


def cite_matches(gold: str, number: str | None, title: str | None) -> bool:
    """A gold citation (a 文号 or a title) against a cited document's 文号 and title."""
    if number and norm_docnum(gold) == norm_docnum(number):
        return True
    return bool(title) and norm_text(gold) == norm_text(title or "")


def measure_matches(gold_number: str | None, gold_words: str, number: str | None,
                    heading: str | None, text: str | None) -> bool:
    """A gold measure against a graph measure: by number key, or, where the gold has no number,
    by its first words opening the heading or the text."""
    if gold_number:
        return number is not None and number_key(gold_number) == number_key(number)
    words = norm_text(gold_words)
    return bool(words) and any(norm_text(s).startswith(words) for s in (heading, text) if s)
