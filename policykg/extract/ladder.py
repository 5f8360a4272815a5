"""A document's tier ladder: the ordered tiers of its 梯度培育 sentence.

    创新型中小企业—省级专精特新中小企业、省隐形冠军企业—国家级专精特新“小巨人”企业
    → [[innovative-sme], [specialized-sme, hidden-champion], [little-giant]]

Dashes (— – - － →) separate rungs; 、 和 与 及 join tiers on one rung. An elided
coordination (``科技型、创新型中小企业``) is read as two tiers.
"""
from __future__ import annotations

import re

from policykg.ingest.normalize import NormalizedText
from policykg.records import LadderRecord, TierMention
from policykg.reference.schemes import QUOTES, TierScheme

_LADDER_SENTENCE = re.compile(r"[^。；;\n]*(?:梯度|梯队|塔式)[^。；;\n]*")
_SAME_RUNG = re.compile(rf"^[\s{QUOTES}]*(?:、|，|,|和|与|及)[\s{QUOTES}]*$")
_NEXT_RUNG = re.compile(rf"^[\s{QUOTES}]*[—–\-－→―]+[\s{QUOTES}]*$")
_ELIDED = re.compile(r"(?P<head>[\u4e00-\u9fff]{1,4}型)、(?=[\u4e00-\u9fff]{1,4}型(?P<tail>中小企业|企业))")


def _with_elided(text: str, start: int, end: int, mentions: list[TierMention], tiers: TierScheme) -> list[TierMention]:
    extra = []
    for m in _ELIDED.finditer(text, start, end):
        key = tiers.match(m.group("head") + m.group("tail"))
        if key:
            extra.append(TierMention(key, m.group("head"), m.start("head"), m.end("head")))
    return sorted(mentions + extra, key=lambda t: t.start)


def extract_ladder(view: NormalizedText, start: int, tiers: TierScheme | None = None) -> LadderRecord | None:
    """The first ladder of two or more rungs in ``view.text[start:]``."""
    tiers = tiers or TierScheme.load()
    text = view.text
    for sentence in _LADDER_SENTENCE.finditer(text, start):
        mentions = _with_elided(text, sentence.start(), sentence.end(),
                                tiers.mentions(text, sentence.start(), sentence.end()), tiers)
        best: list[list[TierMention]] = []
        rungs: list[list[TierMention]] = []
        for prev, cur in zip([None, *mentions], mentions, strict=False):
            between = text[prev.end:cur.start] if prev else None  # None before the first
            if between is not None and _SAME_RUNG.match(between):
                rungs[-1].append(cur)
            elif between is not None and _NEXT_RUNG.match(between):
                rungs.append([cur])
            else:
                if len(rungs) > len(best):
                    best = rungs
                rungs = [[cur]]
        if len(rungs) > len(best):
            best = rungs
        if len(best) >= 2:
            first, last = best[0][0], best[-1][-1]
            keys = [list(dict.fromkeys(m.tier for m in rung)) for rung in best]
            return LadderRecord(keys, view.evidence(first.start, last.end))
    return None
