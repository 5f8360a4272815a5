"""The gazetteer of administrative areas (``reference/areas.toml``) and reading area names.

>>> g = Gazetteer.load()
>>> g.parse_prefix("杭州市钱塘区专精特新企业培育三年行动方案")
(('浙江省', '杭州市', '钱塘区'), 6)
>>> g.path("杭州市")
('浙江省', '杭州市')
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from policykg.resources import data_dir

_UNLISTED_DISTRICT = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:新区|区|县)")


@dataclass(frozen=True)
class Area:
    name: str
    short: str
    abbr: tuple[str, ...]
    level: str
    within: str | None


class Gazetteer:
    def __init__(self, areas: list[Area]):
        self.areas = {a.name: a for a in areas}
        self._forms = sorted(
            ((form, a.name) for a in areas for form in {a.name, a.short}),
            key=lambda fa: -len(fa[0]),
        )
        self._by_abbr = {ab: a.name for a in areas for ab in a.abbr}

    @classmethod
    @cache
    def load(cls) -> Gazetteer:
        path = data_dir("reference") / "areas.toml"
        entries = tomllib.loads(path.read_text("utf-8"))["area"]
        return cls([
            Area(e["name"], e["short"], tuple(e.get("abbr", [])), e["level"], e.get("within"))
            for e in entries
        ])

    def path(self, name: str) -> tuple[str, ...]:
        """The chain of areas from the outermost down to ``name``."""
        chain: list[str] = []
        at: str | None = name
        while at:
            chain.append(at)
            at = self.areas[at].within if at in self.areas else None
        return tuple(reversed(chain))

    def level(self, name: str) -> str | None:
        area = self.areas.get(name)
        return area.level if area else None

    def by_abbreviation(self, char: str) -> str | None:
        return self._by_abbr.get(char)

    def _match(self, text: str, pos: int) -> tuple[str, int] | None:
        for form, name in self._forms:
            if text.startswith(form, pos):
                end = pos + len(form)
                # a short form ('浙江') only counts when followed by the level word or a non-area word
                if form != name and text.startswith(("省", "市", "区", "县"), end):
                    continue
                return name, end
        return None

    def parse_prefix(self, text: str) -> tuple[tuple[str, ...], int]:
        """The areas named at the start of ``text`` (outermost first) and where they end.

        A district named after a known city but not listed (``杭州市某某区``) is returned
        as a new last element; :meth:`path` of it is just itself."""
        pos, found = 0, []
        while True:
            hit = self._match(text, pos)
            if hit is None:
                break
            found.append(hit[0])
            pos = hit[1]
        if found and self.level(found[-1]) == "city":
            m = _UNLISTED_DISTRICT.match(text, pos)
            if m and not text.startswith(("区政府", "县政府"), pos):
                return self.path(found[-1]) + (m.group(),), m.end()
        if not found:
            return (), 0
        return self.path(found[-1]), pos

    def mentions(self, text: str, level: str) -> dict[str, int]:
        """How often each area of ``level`` is named in ``text`` (by full or short name)."""
        counts: dict[str, int] = {}
        for name, area in self.areas.items():
            if area.level != level:
                continue
            n = text.count(area.short)
            if n:
                counts[name] = n
        return counts
