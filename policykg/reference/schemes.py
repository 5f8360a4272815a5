"""The two concept schemes read from ``reference/``: enterprise tiers and incentive types.

>>> tiers = TierScheme.load()
>>> [(m.tier, m.written) for m in tiers.mentions("对首次认定的国家级专精特新“小巨人”企业、省隐形冠军企业")]
[('little-giant', '国家级专精特新“小巨人”企业'), ('hidden-champion', '省隐形冠军企业')]
>>> IncentiveTypes.load().labels["interest-subsidy"]
('贷款贴息', 'interest subsidy')
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from policykg.records import TierMention
from policykg.resources import data_dir

QUOTES = "“”‘’\"'「」『』"
_Q = f"[{QUOTES}]?"


def _wording(label: str) -> str:
    """A wording as a pattern with quotation marks optional around and inside it."""
    return _Q + _Q.join(re.escape(ch) for ch in label if ch not in QUOTES) + _Q


def _unbalanced(span: str) -> int:
    """Closing minus opening quotation marks (straight quotes count as closing when odd)."""
    closing = sum(span.count(c) for c in "”’」』")
    opening = sum(span.count(c) for c in "“‘「『")
    straight = sum(span.count(c) for c in "\"'") % 2
    return closing - opening + straight


@dataclass(frozen=True)
class Tier:
    key: str
    zh: str
    en: str
    rank: int
    labels: tuple[str, ...]


class TierScheme:
    def __init__(self, tiers: list[Tier]):
        self.tiers = {t.key: t for t in tiers}
        forms = sorted(((label, t.key) for t in tiers for label in t.labels), key=lambda f: -len(f[0]))
        self._keys = [key for _, key in forms]
        self._pattern = re.compile("|".join(f"({_wording(label)})" for label, _ in forms))

    @classmethod
    @cache
    def load(cls) -> TierScheme:
        data = tomllib.loads((data_dir("reference") / "tiers.toml").read_text("utf-8"))
        return cls([Tier(t["key"], t["zh"], t["en"], t["rank"], tuple(t["labels"])) for t in data["tier"]])

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[TierMention]:
        """Every tier named in ``text[start:end]``, longest wording first, in order."""
        out = []
        for m in self._pattern.finditer(text, start, len(text) if end is None else end):
            assert m.lastindex is not None  # the pattern is one group per wording, and one matched
            key = self._keys[m.lastindex - 1]
            s, e = m.span()
            if text.startswith("之", e):  # 制造业单项冠军之城: a slogan's attribute, not the tier
                continue
            # a quotation mark belongs to the wording only when it is balanced inside it
            if e > s and text[e - 1] in QUOTES and _unbalanced(text[s:e]) > 0:
                e -= 1
            if s < e and text[s] in QUOTES and _unbalanced(text[s:e]) < 0:
                s += 1
            out.append(TierMention(key, text[s:e], s, e))
        return out

    def match(self, wording: str) -> str | None:
        """The tier a whole wording names, if it names exactly one."""
        found = self.mentions(wording)
        if len(found) == 1 and found[0].written.strip(QUOTES) == wording.strip(QUOTES + " "):
            return found[0].tier
        return None


class IncentiveTypes:
    def __init__(self, data: dict):
        self.order = [t["key"] for t in data["type"]]
        self.labels = {t["key"]: (t["zh"], t["en"]) for t in data["type"]}
        self.cues = [(cue, t["key"]) for t in data["type"] for cue in t["cues"]]
        self.prize_context = tuple(data.get("prize_context", []))

    @classmethod
    @cache
    def load(cls) -> IncentiveTypes:
        return cls(tomllib.loads((data_dir("reference") / "incentive-types.toml").read_text("utf-8")))

    def kind(self, after: str, before: str, sentence: str) -> str | None:
        """The type a figure's clause names: the cue nearest after the figure, else before it."""
        def first(text: str, last: bool) -> str | None:
            best: tuple[int, int, str] | None = None
            for cue, key in self.cues:
                i = text.rfind(cue) if last else text.find(cue)
                if i < 0:
                    continue
                rank = self.order.index(key)
                pos = -(i + len(cue)) if last else i  # before the figure: the cue ending nearest it
                if best is None or (pos, rank) < best[:2]:
                    best = (pos, rank, key)
            return best[2] if best else None
        key = first(after, last=False) or first(before, last=True)
        if key in ("reward", "funding", "one-off-reward") and any(w in sentence for w in self.prize_context):
            return "prize"
        return key
