"""A document's overlap rule: how it combines with other policies covering the same thing.

    本意见与本市各级其他同类政策有重叠的，按照“从优、就高、不重复”的原则执行。
    以上政策与其他同类政策有重叠的，按照‘从优、从高、不重复’的原则执行。

The rule is the first sentence naming an overlap (重叠, 同类政策, 叠加) together with at
least one principle; the principles are kept as written (就高 and 从高 are different words).
"""
from __future__ import annotations

import re

from policykg.ingest.normalize import NormalizedText
from policykg.records import Fact

_OVERLAP = re.compile(r"重叠|同类政策|叠加享受|重复享受")
PRINCIPLES = re.compile(r"从优|就高|从高|择优|不重复|不叠加|就低")
_SENTENCE = re.compile(r"[^。；;\n]+[。；;]?")


def extract_overlap_rule(view: NormalizedText) -> tuple[Fact | None, list[str]]:
    """The rule's sentence (with its evidence) and its principles, in order."""
    text = view.text
    for m in _SENTENCE.finditer(text):
        sentence = m.group()
        if _OVERLAP.search(sentence) and PRINCIPLES.search(sentence):
            start, end = m.span()
            while start < end and text[start] in " \t\u3000":
                start += 1
            s = re.sub(r"^\s*\d+\s*[.．、]\s*", "", text[start:end])  # 钱塘: "8.以上政策…" as a measure
            start = end - len(s)
            principles = list(dict.fromkeys(PRINCIPLES.findall(sentence)))
            return Fact(s.strip(), view.evidence(start, end)), principles
    return None, []
