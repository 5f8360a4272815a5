"""The enterprise tiers a document names, at document level: in its title, its preamble, its
measures and its closing paragraphs alike.

A tier named inside a cited title (《…小巨人企业培育办法》) is that document's subject, not
this one's, and is left out. Each tier is one fact, its evidence the first place it is named.

>>> from policykg.ingest.normalize import normalize
>>> view = normalize("x.txt", "关于印发《专精特新“小巨人”企业培育办法》的通知\\n新增省级专精特新企业500家。")
>>> [(f.value, f.evidence.exact) for f in document_tiers(view, 0, TierScheme.load())]
[('specialized-sme', '省级专精特新企业')]
"""
from __future__ import annotations

import re

from policykg.ingest.normalize import NormalizedText
from policykg.records import Fact
from policykg.reference.schemes import TierScheme

_CITED_TITLE = re.compile(r"《[^《》\n]*(?:《[^《》\n]*》[^《》\n]*)*》|〈[^〈〉\n]*〉")


def document_tiers(view: NormalizedText, start: int, tiers: TierScheme) -> list[Fact]:
    """One fact per tier named in ``view.text[start:]`` outside cited titles, in order of first mention."""
    text = view.text
    cited = [m.span() for m in _CITED_TITLE.finditer(text, start)]
    seen: dict[str, Fact] = {}
    for mention in tiers.mentions(text, start):
        if mention.tier in seen or any(s <= mention.start < e for s, e in cited):
            continue
        seen[mention.tier] = Fact(mention.tier, view.evidence(mention.start, mention.end))
    return list(seen.values())
