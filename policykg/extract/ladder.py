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

_LADDER_WORD = re.compile(r"梯度|梯队|塔式")
_BOUNDARY = re.compile(r"[。；;\n]")


def _ladder_sentences(text: str, start: int):
    """The sentences holding a ladder word, each once: found from the word outwards, so a long
    line without one costs one scan (a pattern around the word retried at every position of
    a 140 KB line took minutes)."""
    done = -1
    for word in _LADDER_WORD.finditer(text, start):
        if word.start() < done:
            continue
        s = max(text.rfind(c, start, word.start()) for c in "。；;\n") + 1
        boundary = _BOUNDARY.search(text, word.end())
        done = boundary.start() if boundary else len(text)
        yield max(s, start), done
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
    for s_start, s_end in _ladder_sentences(text, start):
        mentions = _with_elided(text, s_start, s_end, tiers.mentions(text, s_start, s_end), tiers)
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
