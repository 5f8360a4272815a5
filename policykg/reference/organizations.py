"""The organization directory: which names are one agency, and which agencies replaced others.

A unit is written relative to the document's jurisdiction: in a 杭州市 document 市经信局
is 杭州市's bureau, in a 钱塘区 plan 区经信科技局 is 钱塘区's and 市规划资源局钱塘分局 is a
branch of 杭州市's 市规划资源局. The curated ``reference/organizations.toml`` says which
names are one agency (市发改委 = 市发展改革委) and which agencies replaced others
(市地方金融监管局 → 市委金融办); see its header. A name no entry knows becomes an
organization of its own and a build warning.

>>> d = Directory.load()
>>> d.resolve("市发改委", ("浙江省", "杭州市")).key
'杭州市发展改革委'
>>> d.resolve("国家税务总局杭州市税务局", ("浙江省", "杭州市")).pref_label
'市税务局'
>>> d.resolve("市规划资源局钱塘分局", ("浙江省", "杭州市", "钱塘区")).parent.key
'杭州市规划资源局'
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from policykg.reference.areas import Gazetteer
from policykg.resources import data_dir

_BRACKETS = str.maketrans({"(": "（", ")": "）", "〔": "（", "〕": "）", "［": "（", "］": "）", "[": "（", "]": "）"})
_LEVEL_CHAR = {"province": "省", "city": "市", "district": "区"}
_CHAR_LEVEL = {"省": "province", "市": "city", "区": "district", "县": "district"}
_BRANCH = re.compile(r"^(?P<parent>.+?局)(?P<where>[\u4e00-\u9fff]{1,6}?)分局$")


@cache
def canonical_form(name: str) -> str:
    """Brackets full-width, spaces gone: 各市、县〔市、区〕政府 → 各市、县（市、区）政府."""
    return re.sub(r"\s+", "", name).translate(_BRACKETS)


@dataclass(frozen=True)
class Resolution:
    key: str
    pref_label: str
    area: tuple[str, ...]
    stem: str | None
    known: bool
    parent: Resolution | None = None
    full_name: str | None = None
    source: str | None = None


class Directory:
    """The curated organizations reference, and resolution of names against it."""

    def __init__(self, data: dict, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.strip_prefixes = tuple(data.get("strip_prefixes", []))
        self.stems: dict[str, dict] = {}  # any form → entry
        for entry in data.get("stem", []):
            for form in [entry["stem"], *entry.get("aliases", [])]:
                self.stems[form] = entry
        self.agencies: dict[str, dict] = {}
        for entry in data.get("agency", []):
            for form in [entry["name"], *entry.get("aliases", [])]:
                self.agencies[form] = entry
        self.reorganizations = data.get("reorganization", [])

    @classmethod
    @cache
    def load(cls) -> Directory:
        path = data_dir("reference") / "organizations.toml"
        return cls(tomllib.loads(path.read_text("utf-8")), Gazetteer.load())

    def _area_at(self, path: tuple[str, ...], level: str) -> tuple[str, ...] | None:
        for depth in range(len(path), 0, -1):
            found = self.gazetteer.level(path[depth - 1]) or ("district" if depth >= 3 else None)
            if found == level:
                return path[:depth]
        return None

    def _agency(self, entry: dict) -> Resolution:
        area = tuple(entry.get("area", "").split("/")) if entry.get("area") else ()
        parent = self._agency(self.agencies[entry["parent"]]) if entry.get("parent") else None
        return Resolution(entry["name"], entry["name"], area, None, True, parent=parent, source=entry["source"])

    def resolve(self, written: str, jurisdiction: tuple[str, ...]) -> Resolution:
        """The organization a name written in a document of ``jurisdiction`` means."""
        name = canonical_form(written)
        if name.startswith("各"):  # 各区、县（市）政府, 各街道: the collective of that area's units
            key = (jurisdiction[-1] if jurisdiction else "") + name
            return Resolution(key, name, jurisdiction, None, True)
        for prefix in self.strip_prefixes:
            if name.startswith(prefix) and self.gazetteer.parse_prefix(name[len(prefix):])[0]:
                name = name[len(prefix):]
        if name in self.agencies:
            return self._agency(self.agencies[name])
        path, end = self.gazetteer.parse_prefix(name)
        if path:
            level = self.gazetteer.level(path[-1]) or "district"
            area, rest = path, name[end:]
        elif name[0] in _CHAR_LEVEL and len(name) > 2:
            level, rest = _CHAR_LEVEL[name[0]], name[1:]
            at = self._area_at(jurisdiction, level)
            if at is None:
                return Resolution(name, name, (), None, False)
            area = at
        else:
            return Resolution(name, name, (), None, False)
        char = "县" if level == "district" and area[-1].endswith("县") else _LEVEL_CHAR[level]
        branch = _BRANCH.match(rest)
        if branch and branch.group("parent") in self.stems:
            parent = self.resolve(char + branch.group("parent"), area)
            key = area[-1] + self._canonical(branch.group("parent")) + branch.group("where") + "分局"
            return Resolution(key, char + key[len(area[-1]):], area, None, parent.known, parent=parent,
                              source=parent.source)
        entry = self.stems.get(rest)
        stem = entry["stem"] if entry else rest
        return Resolution(area[-1] + stem, char + stem, area, stem, entry is not None,
                          full_name=(area[-1] + entry["full"]) if entry and entry.get("full") else None,
                          source=entry["source"] if entry else None)

    def _canonical(self, stem: str) -> str:
        entry = self.stems.get(stem)
        return entry["stem"] if entry else stem
