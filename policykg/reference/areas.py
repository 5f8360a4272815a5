"""The gazetteer of administrative areas and reading area names.

Every province-, prefecture- and county-level division with its GB/T 2260 code and the
divisions abolished or renamed since (``reference/divisions.tsv``, extracted from a data
package by ``scripts/make_divisions.py``), with what no code table holds
(``reference/areas.toml``): the provinces' 文号 abbreviations, the national level and the
国家级新区. Other 开发区 are read from their names, within the city they name.

An area is named by its path, outermost first (``('浙江省', '杭州市', '钱塘区')``). A name
several areas share (鼓楼区) is resolved by the areas the document also names, or not at all.

>>> g = Gazetteer.load()
>>> g.parse_prefix("杭州市钱塘区专精特新企业培育三年行动方案")
(('浙江省', '杭州市', '钱塘区'), 6)
>>> g.path("杭州市")
('浙江省', '杭州市')
>>> g.code(('浙江省', '杭州市', '钱塘区'))
'330114'
>>> g.parse_prefix("海南州人民政府办公室")
(('青海省', '海南藏族自治州'), 3)
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import ahocorasick

from policykg.resources import data_dir

NATIONAL = "中华人民共和国"
_UNLISTED_DISTRICT = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:新区|区|县)")
# 开发区 of every kind, named after the city that holds them or not: 杭州经济技术开发区,
# 郑州高新技术产业开发区, 宁波保税区; the name runs from the city's name to the kind word
_ZONE = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|高新区|经开区"
                   r"|工业园区|产业园区|开发区|保税区|综合保税区)")
# what follows an area that issues: its organ (管委会, 人民政府, a bureau) or 关于. A 开发区 or an
# unlisted district is read only so (杭州经济技术开发区管委会关于…), never from a title's phrase
# (宁波市推动产业园区高质量发展…, 杭州市城区…)
_ISSUING = re.compile(r"(?:党工委|工委|管委会|管理委员会|人民政府|政府|办公室|办事处|关于"
                      r"|[\u4e00-\u9fff]{0,8}?(?:局|委|办|中心))")
def _is_statistical(code: str) -> bool:
    """A code the statistics give a functional zone (fifth digit 7), not a GB/T 2260 one."""
    return len(code) == 6 and code[4] == "7"


# the words that close a division's name: a short form followed by one is another area's (海南州, 吉林市)
_SUFFIX_CHARS = ("省", "市", "区", "县", "州", "盟", "旗")
# central organs: a document they issue is national (工业和信息化部, 国务院办公厅, 国家发展改革委)
_NATIONAL_ORGAN = re.compile(r"^(?:中华人民共和国|中共中央|国务院|国家(?!级)|全国|"
                             r"[\u4e00-\u9fff]{2,9}部(?:办公厅|[\u4e00-\u9fff]{1,6}司)?(?=$|关于|、|印发|[\s（(]))")
# 文号 prefixes of the State Council and its ministries: 国发, 国办发, 国函, 工信部企业, 工信厅企业, 财建
_NATIONAL_NUMBER = re.compile(r"^(?:国(?:办)?[发函]|工信部|工信厅|发改|财[建企]|商[务企]|科发|人社部)")
_KINDS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "地区", "林区", "省", "市", "区", "县", "盟", "旗")
_ETHNIC_SUFFIX = re.compile(r"(?:[\u4e00-\u9fff]{1,9}?族)+(?=自治(?:区|州|县|旗))")


@dataclass(frozen=True)
class Area:
    name: str
    short: str
    abbr: tuple[str, ...]
    level: str  # national | province | city | district
    within: str | None  # the enclosing area's name
    path: tuple[str, ...] = ()
    code: str | None = None
    historical: bool = False
    successor: str | None = None  # a historical area's successor's code
    kind: str | None = None  # 国家级新区, 开发区


def _forms(name: str, short: str) -> set[str]:
    """The names an area goes by: full, short, and the X州/X县/X旗 form of an autonomous one."""
    forms = {name}
    if short and len(short) >= 2:
        forms.add(short)
    base = short.removesuffix("州") if name.endswith("自治州") else short
    for full, suffix in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
        if name.endswith(full) and len(base) >= 2:
            forms |= {base, base + suffix}
    for suffix in ("地区", "盟", "林区", "特区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.add(name[: -len(suffix)])
    return forms


class Gazetteer:
    def __init__(self, areas: list[Area]):
        self.by_path = {a.path or (a.name,): a for a in areas}
        self._by_name: dict[str, list[tuple[str, ...]]] = {}
        self._by_form: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
        for p, a in self.by_path.items():
            self._by_name.setdefault(a.name, []).append(p)
            for form in _forms(a.name, a.short):
                self._by_form.setdefault(form, []).append((p, form == a.name))
        self._form_lengths = sorted({len(f) for f in self._by_form}, reverse=True)
        self._by_abbr = {ab: a.name for a in areas for ab in a.abbr}
        # every full name of three characters or more, found in one pass (Aho-Corasick,
        # leftmost-longest and not overlapping, as an alternation longest-first finds them;
        # a regular expression of 3,500 alternatives cost 1.4 ms a document)
        self._full_names = ahocorasick.Automaton()
        for name in self._by_name:
            if len(name) >= 3:
                self._full_names.add_word(name, name)
        self._full_names.make_automaton()
        self._children: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for p in self.by_path:
            if len(p) > 1:
                self._children.setdefault(p[:-1], []).append(p)

    @classmethod
    @cache
    def load(cls) -> Gazetteer:
        folder = data_dir("reference")
        overlay = tomllib.loads((folder / "areas.toml").read_text("utf-8"))
        abbr = {e["name"]: tuple(e["abbr"]) for e in overlay["province"]}
        rows = [line.split("\t") for line in (folder / "divisions.tsv").read_text("utf-8").splitlines()
                if line and not line.startswith(("#", "code\t"))]
        by_code = {r[0]: r for r in rows if r[0]}

        def chain(row: list[str]) -> tuple[str, ...]:
            names = [row[1]]
            parent = row[4]
            while parent in by_code:
                names.insert(0, by_code[parent][1])
                parent = by_code[parent][4]
            return tuple(names)

        areas: list[Area] = []
        for r in rows:
            code, name, short, level, _, status, successor = r[:7]
            p = chain(r)
            areas.append(Area(name, short or _short(name), abbr.get(name, ()), level,
                              p[-2] if len(p) > 1 else None, p, code or None, status == "historical",
                              successor or None))
        seen = {a.path for a in areas}
        for e in overlay.get("new-area", []):
            within = tuple(e["within"].split("/"))
            p = within + (e["name"],)
            if p in seen:  # 浦东新区, 滨海新区: a county-level division too, with its code
                areas = [Area(**{**a.__dict__, "kind": "国家级新区"}) if a.path == p else a for a in areas]
                continue
            areas.append(Area(e["name"], "", (), "district", within[-1], p, None, kind="国家级新区"))
        national = overlay["national"]
        areas.append(Area(national["name"], national["short"], (), "national", None, (national["name"],)))
        return cls(areas)

    # -- areas by name --------------------------------------------------------------------
    def _paths(self, name: str | tuple[str, ...]) -> list[tuple[str, ...]]:
        if isinstance(name, tuple):
            return [name] if name in self.by_path else []
        return self._by_name.get(name, [])

    def shares_name(self, path: tuple[str, ...]) -> bool:
        """Whether another current division has this area's name (西湖区 of 杭州 and of 南昌)."""
        current = [q for q in self._by_name.get(path[-1], []) if not self.by_path[q].historical] if path else []
        return len(current) > 1

    def area(self, name: str | tuple[str, ...]) -> Area | None:
        """The area a path names, or a name only one area has."""
        paths = self._paths(name)
        return self.by_path[paths[0]] if len(paths) == 1 else None

    def path(self, name: str) -> tuple[str, ...]:
        """The chain of areas from the outermost down to ``name`` (just ``name`` for a name the
        gazetteer does not know, or one several areas share)."""
        if name == NATIONAL:
            return (NATIONAL,)
        area = self.area(name)
        return area.path if area else (name,)

    def level(self, name: str | tuple[str, ...]) -> str | None:
        levels = {self.by_path[p].level for p in self._paths(name)}
        return levels.pop() if len(levels) == 1 else None

    def code(self, path: tuple[str, ...]) -> str | None:
        """The area's 6-digit GB/T 2260 code; None for the national level, 新区 and 开发区."""
        area = self.by_path.get(path)
        return area.code if area and area.code and not _is_statistical(area.code) else None

    def statistical_code(self, path: tuple[str, ...]) -> str | None:
        """A functional zone's (开发区, 新区, 园区) code of the National Bureau of Statistics'
        division codes, which GB/T 2260 does not assign: its fifth digit is 7 (410171,
        郑州经济技术开发区); None for every other area."""
        area = self.by_path.get(path)
        return area.code if area and area.code and _is_statistical(area.code) else None

    def by_abbreviation(self, char: str) -> str | None:
        """The province a standard one-character abbreviation (鲁, 浙, 黔) stands for."""
        return self._by_abbr.get(char)

    def is_national(self, issuer_or_title: str) -> bool:
        """Whether a name is a central organ's (工业和信息化部, 国务院办公厅)."""
        return bool(_NATIONAL_ORGAN.match(issuer_or_title))

    def is_national_number(self, number: str) -> bool:
        return bool(_NATIONAL_NUMBER.match(number))

    # -- reading names ----------------------------------------------------------------------
    def _candidates(self, text: str, pos: int, inside: tuple[str, ...], short: bool
                    ) -> Iterable[tuple[int, list[tuple[str, ...]]]]:
        """The forms matching at ``pos`` (longest first), each with its areas within ``inside``."""
        for n in self._form_lengths:
            form = text[pos:pos + n]
            hits = self._by_form.get(form) if len(form) == n else None
            if not hits:
                continue
            end = pos + n
            found = []
            for p, is_full in hits:
                if inside and (len(p) <= len(inside) or p[:len(inside)] != inside):
                    continue
                # a short form counts only where short forms are written (issuer, title, 文号),
                # and not when a division's suffix follows it (海南州 is not 海南省)
                if not is_full and (not short or text.startswith(_SUFFIX_CHARS, end)):
                    continue
                found.append(p)
            if found:
                yield end, found

    def _choose(self, found: list[tuple[str, ...]], context: set[str]) -> tuple[str, ...] | None:
        if len(found) == 1:
            return found[0]
        current = [p for p in found if not self.by_path[p].historical]
        if len(current) == 1:
            return current[0]
        found = current or found
        # a name several areas share: the one whose enclosing area the document names too
        named = [p for p in found if any(outer in context for outer in p[:-1])]
        if len(named) == 1:
            return named[0]
        levels = sorted(found, key=lambda p: len(p))
        if len(levels[0]) == 1 and len(levels[1]) > 1:  # 吉林: the province, not its city
            return levels[0]
        return None

    def parse_prefix(self, text: str, context: Iterable[str] = (), short: bool = True
                     ) -> tuple[tuple[str, ...], int]:
        """The areas named at the start of ``text`` (outermost first) and where they end.

        ``context`` holds the other area names the document uses, to choose among areas that
        share a name; a name that stays ambiguous ends the reading there. A 开发区 or a
        district named after a known city but not listed (``杭州市某某区``) is returned as a
        new last element; :meth:`path` of it is just itself."""
        context = set(context)
        pos = 0
        path: tuple[str, ...] = ()
        while True:
            chosen = None
            for end, found in self._candidates(text, pos, path, short):
                pick = self._choose(found, context | set(path))
                if pick is not None:
                    chosen = (pick, end)
                    break
                if len(found) > 1:
                    break  # ambiguous: leave it unresolved rather than guess
            if chosen is None:
                break
            path, pos = chosen
        zone = _ZONE.match(text, pos) if path and self.level(path) in ("province", "city") else None
        if zone and path and _ISSUING.match(text, zone.end()):
            start = pos - len(self._written(text, pos, path))
            return path + (text[start:zone.end()],), zone.end()
        if path and self.level(path) == "city":
            m = _UNLISTED_DISTRICT.match(text, pos)
            if m and not text.startswith(("区政府", "县政府"), pos) and _ISSUING.match(text, m.end()):
                return path + (m.group(),), m.end()
        return path, pos

    @staticmethod
    def _written(text: str, pos: int, path: tuple[str, ...]) -> str:
        """How the last area of ``path`` was written just before ``pos`` (杭州 or 杭州市)."""
        last = path[-1]
        for form in sorted(_forms(last, _short(last)), key=len, reverse=True):
            if text.startswith(form, pos - len(form)):
                return form
        return ""

    def names_in(self, text: str) -> dict[tuple[str, ...], int]:
        """The areas body text names by their full names (never the short forms: 和平, 城区
        and 朝阳 are words too), with how often; a name several areas share counts for each."""
        counts: dict[tuple[str, ...], int] = {}
        if not text:
            return counts
        for _, name in self._full_names.iter_long(text):
            for p in self._by_name[name]:
                counts[p] = counts.get(p, 0) + 1
        return counts

    def resolve_names(self, counts: dict[tuple[str, ...], int], context: set[str]) -> dict[tuple[str, ...], int]:
        """``counts`` with each name several areas share kept only for the area whose
        enclosing area is named too (dropped when that leaves none or several)."""
        by_name: dict[str, list[tuple[str, ...]]] = {}
        for p in counts:
            by_name.setdefault(p[-1], []).append(p)
        out = {}
        for _, paths in by_name.items():
            pick = self._choose(paths, context)
            if pick is not None:
                out[pick] = counts[pick]
        return out

    def mentions(self, text: str, level: str) -> dict[str, int]:
        """How often each area of ``level`` is named in ``text`` by its full name."""
        counts: dict[str, int] = {}
        for p, n in self.names_in(text).items():
            if self.by_path[p].level == level:
                counts[p[-1]] = counts.get(p[-1], 0) + n
        return counts


def _short(name: str) -> str:
    """A division's name without its kind: 广西壮族自治区 → 广西, 杭州市 → 杭州."""
    stem = _ETHNIC_SUFFIX.sub("", name)
    for suffix in _KINDS:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
            return stem[: -len(suffix)]
    return ""
