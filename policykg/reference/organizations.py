"""The organization directory: a unit name read as area + function + kind of body.

A unit is written relative to the document's jurisdiction: in a 杭州市 document 市经信局
is 杭州市's bureau, in a 钱塘区 plan 区经信科技局 is 钱塘区's and 市规划资源局钱塘分局 is a
branch of 杭州市's 市规划资源局. A name is read, not looked up: its area (a level character,
省/市/区/县, or an area's own name, 江门市), its function (a wording of a concept of
``reference/functions.toml``: 工信, 工业和信息化, 经信…) and its kind (局, 厅, 委员会…). One
area's bureau of one wording is one organization, keyed by the area and the canonical short
stem: 市工信局 and 市工业和信息化局 in a 江门 document, and 江门市工业和信息化局, are all
江门市工信局. Vertical bodies (国家税务总局X市税务局, 中国人民银行X分行, 国家金融监督管理总局X监管
分局) are read by their prefix, collectives (各区县（市）政府, 有关部门, 各成员单位) as the
collective of the area. ``reference/organizations.toml`` holds only what no rule can know:
reorganizations (市地方金融监管局 → 市委金融办) and special names, each with its source. A
name no rule reads becomes an organization of its own and a build warning.

>>> d = Directory.load()
>>> d.resolve("市发改委", ("浙江省", "杭州市")).key
'杭州市发展改革委'
>>> d.resolve("国家税务总局杭州市税务局", ("浙江省", "杭州市")).pref_label
'市税务局'
>>> d.resolve("市规划资源局钱塘分局", ("浙江省", "杭州市", "钱塘区")).parent.key
'杭州市规划资源局'
>>> d.resolve("江门市工业和信息化局", ("广东省", "江门市")).key
'江门市工信局'
>>> d.resolve("市工信局", ("广东省", "江门市")).functions
('industry-information-technology',)
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from policykg.reference.areas import NATIONAL, Gazetteer
from policykg.resources import data_dir

_BRACKETS = str.maketrans({"(": "（", ")": "）", "〔": "（", "〕": "）", "［": "（", "］": "）", "[": "（", "]": "）"})
_LEVEL_CHAR = {"province": "省", "city": "市", "district": "区"}
_CHAR_LEVEL = {"省": "province", "市": "city", "区": "district", "县": "district"}
_BRANCH = re.compile(r"^(?P<parent>.+?局)(?P<where>[\u4e00-\u9fff]{1,6}?)分局$")
# names of the departments of an area taken together, not one agency
_COLLECTIVE = re.compile(r"^各|^(?:其他|其它)?(?:有关|相关)(?:部门|单位)|各?成员单位$|各有关(?:部门|单位)$"
                         r"|^[省市]、.*人民政府$|^县级以上(?:地方)?人民政府$|^各级人民政府$")  # several levels' governments
# vertical bodies: a national administration's office in an area; (prefixes, function,
# key prefix or None for the area's own name, endings)
_VERTICAL = (
    (("国家税务总局",), "taxation", None, ("税务局",)),
    (("中国人民银行", "人民银行", "人行"), "central-bank", "人行", ("分行", "中心支行", "营业管理部", "支行")),
    (("国家金融监督管理总局", "金融监管总局"), "financial-regulation-office", "金融监管总局",
     ("监管分局", "监管局")),
    (("中国证券监督管理委员会", "中国证监会"), "securities-regulation", "中国证监会", ("监管局",)),
)
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")  # 直辖市: province and city at once
_INTERNAL = ("办公室",)  # an office inside a department: 湖北省经济和信息化厅办公室
# a name with no area is a national body only when it is written as one: 国家…, 国务院…, 工业和信息化部;
# a bare 财政局 or 政府 is the document's own area's
_NATIONAL_BODY = re.compile(r"^(?:国家|国务院|中国|全国|中华人民共和国|中央)|(?:部|署|总局|总署|总行)$")


def level_char(area: tuple[str, ...], level: str) -> str:
    """The character a unit of ``area`` is written with: 市 of a 直辖市, 州 of a 自治州, 县."""
    if area[-1] in _MUNICIPALITIES:
        return "市"
    if level == "district" and area[-1].endswith("县"):
        return "县"
    if level == "city" and area[-1].endswith("州") and not area[-1].endswith("市"):
        return "州"
    if level == "district" and area[-1].endswith("市"):
        return "市"  # a county-level city (义乌市): its own bureaus are 市…局
    return _LEVEL_CHAR.get(level, "")


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
    functions: tuple[str, ...] = ()  # keys of concepts of pkg:GovernmentFunctionScheme
    collective: bool = False


@dataclass(frozen=True)
class Function:
    key: str
    zh: str
    en: str
    wordings: tuple[str, ...]  # every short and form, the zh label first


@dataclass(frozen=True)
class _Variant:
    function: str
    short: str
    full: str
    also: tuple[str, ...]
    whole: bool  # the wording is the whole stem, kind included (人民政府办公厅)


class Functions:
    """The government function scheme (``reference/functions.toml``) and the kinds of body."""

    def __init__(self, data: dict):
        self.functions: dict[str, Function] = {}
        self.wordings: dict[str, _Variant] = {}
        for entry in data.get("function", []):
            seen = [entry["zh"]]
            for v in entry.get("variants", []):
                forms = v.get("forms", [])
                full = v.get("full", max(forms, key=len) if forms and len(max(forms, key=len)) > len(v["short"]) else v["short"])
                variant = _Variant(entry["key"], v["short"], full, tuple(v.get("also", ())), bool(v.get("whole")))
                for form in [v["short"], *v.get("forms", [])]:
                    self.wordings.setdefault(form, variant)
                    seen.append(form)
            self.functions[entry["key"]] = Function(entry["key"], entry["zh"], entry["en"], tuple(dict.fromkeys(seen)))
        self.kinds: dict[str, tuple[str, str]] = {}  # form → (kind key, short)
        self.kind_full: dict[str, str] = {}
        for kind in data.get("kind", []):
            for form in kind["forms"]:
                self.kinds[form] = (kind["key"], kind.get("short", form))
                self.kind_full[form] = kind["zh"]
        self._by_length = sorted(self.wordings, key=len, reverse=True)
        self._kinds_by_length = sorted(self.kinds, key=len, reverse=True)

    @classmethod
    @cache
    def load(cls) -> Functions:
        return cls(tomllib.loads((data_dir("reference") / "functions.toml").read_text("utf-8")))

    def wording_at_start(self, text: str) -> str | None:
        return next((w for w in self._by_length if text.startswith(w)), None)

    def wording_in(self, text: str) -> str | None:
        """The longest wording anywhere in ``text`` (for collectives: 各地经信部门)."""
        for i in range(len(text)):
            found = self.wording_at_start(text[i:])
            if found:
                return found
        return None

    def kind_at_end(self, text: str) -> str | None:
        return next((k for k in self._kinds_by_length if text.endswith(k)), None)

    def read(self, rest: str) -> tuple[str, tuple[str, ...]] | None:
        found = self.read_full(rest)
        return found[:2] if found else None

    def read_full(self, rest: str) -> tuple[str, tuple[str, ...], str] | None:
        """:meth:`read`, with the stem's full wording (经信局 → 经济和信息化局)."""
        found = self._read(rest)
        if found is None:
            return None
        stem, functions, full = found
        return stem, functions, full

    def _read(self, rest: str) -> tuple[str, tuple[str, ...], str] | None:
        """A stem (no area) read as function + kind: its canonical short stem and functions.

        >>> f = Functions.load()
        >>> f.read("工业和信息化局"), f.read("工信局")[0], f.read("发展和改革委员会")[0]
        (('工信局', ('industry-information-technology',)), '工信局', '发展改革委')
        >>> f.read("中小企业服务中心")[0], f.read("促进中小企业发展工作领导小组办公室")[1]
        ('中小企业服务中心', ('leading-group', 'sme-promotion'))
        """
        for ending in ("领导小组办公室", "领导小组"):  # 促进中小企业发展工作领导小组: its topic is also
            if rest.endswith(ending) and len(rest) > len(ending):
                topic = self.wording_in(rest[:-len(ending)])
                also = (self.wordings[topic].function,) if topic else ()
                return rest, ("leading-group", *(f for f in also if f != "leading-group")), rest
        wording = self.wording_at_start(rest)
        if wording:
            v = self.wordings[wording]
            after = rest[len(wording):]
            if v.whole:
                return (v.short, (v.function,), v.short) if not after else None
            kind = self.kind_at_end(after)
            if kind and (kind_key := self.kinds[kind][0]) not in ("government", "department-unspecified"):
                middle = after[:-len(kind)]
                if kind_key == "leading-group" or len(middle) <= 4:
                    short = self.kinds[kind][1] if not middle else kind
                    return (v.short + middle + short, (v.function, *v.also),
                            v.full + middle + (self.kind_full[kind] if not middle else kind))
        for ending, function in (("管委会", "development-zone"), ("管理委员会", "development-zone"),
                                 ("街道办事处", "subdistrict")):
            if rest.endswith(ending):
                return rest, (function,), rest
        if rest in ("人民政府", "政府"):
            return rest, ("government",), "人民政府"
        return None


class Directory:
    """Unit names read by rule, with the curated exceptions of ``reference/organizations.toml``."""

    def __init__(self, data: dict, gazetteer: Gazetteer, functions: Functions | None = None):
        self.gazetteer = gazetteer
        self.functions = functions or Functions.load()
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

    def key_area(self, area: tuple[str, ...]) -> str:
        """The area's name in an organization's key: its own name, or with the area that holds
        it where another division has the same name (南昌市西湖区科技局, 杭州市西湖区科技局)."""
        if not area:
            return ""
        if len(area) > 1 and self.gazetteer.shares_name(area):
            return area[-2] + area[-1]
        return area[-1]

    def _area_at(self, path: tuple[str, ...], level: str) -> tuple[str, ...] | None:
        for depth in range(len(path), 0, -1):
            found = self.gazetteer.level(path[depth - 1]) or ("district" if depth >= 3 else None)
            if found == level:
                return path[:depth]
        if level == "city" and path and path[0] in _MUNICIPALITIES:
            return path[:1]
        return None

    def _agency(self, entry: dict) -> Resolution:
        area = tuple(entry.get("area", "").split("/")) if entry.get("area") else ()
        parent = self._agency(self.agencies[entry["parent"]]) if entry.get("parent") else None
        return Resolution(entry["name"], entry["name"], area, None, True, parent=parent, source=entry["source"],
                          functions=(entry["function"],))

    def _collective(self, name: str, jurisdiction: tuple[str, ...]) -> Resolution:
        """各区、县（市）政府, 各街道, 有关部门, 市…领导小组各成员单位: the collective of that
        area's units, classified by the function its name gives."""
        path, end = self.gazetteer.parse_prefix(name, jurisdiction) if not name.startswith("各") else ((), 0)
        rest = name[end:]
        area = path or jurisdiction
        if not path and rest[0] in _CHAR_LEVEL and not name.startswith("各"):
            area = self._area_at(jurisdiction, _CHAR_LEVEL[rest[0]]) or jurisdiction
            rest = rest[1:]
        wording = self.functions.wording_in(rest)
        if "成员单位" in rest and "领导小组" in rest:
            functions: tuple[str, ...] = ("leading-group",)
        elif rest.endswith(("政府", "地方", "地")):
            functions = ("government",)
        elif rest.endswith(("管委会", "管理委员会", "开发区", "园区", "平台")):
            functions = ("development-zone",)
        elif rest.endswith(("街道", "乡镇", "镇街", "乡镇（街道）", "镇（街道）")):
            functions = ("subdistrict",)
        elif wording:
            v = self.functions.wordings[wording]
            functions = (v.function, *v.also) if not v.whole else (v.function,)
        else:
            functions = ("departments",)
        key = self.key_area(area) + (rest if path or not name.startswith("各") and rest != name else name)
        return Resolution(key, name[end:] if path else name, area, None, True, functions=functions, collective=True)

    def _vertical(self, name: str, jurisdiction: tuple[str, ...]) -> Resolution | None:
        for prefixes, function, key_prefix, endings in _VERTICAL:
            prefix = next((p for p in prefixes if name.startswith(p)), None)
            if prefix is None:
                continue
            rest = name[len(prefix):]
            path, end = self.gazetteer.parse_prefix(rest, jurisdiction)
            ending = rest[end:]
            if not path or ending not in endings:
                continue
            written = rest[:end]
            if key_prefix is None:  # 国家税务总局杭州市税务局: the area's 税务局, as 市税务局 is
                level = self.gazetteer.level(path[-1])
                return self.resolve(level_char(path, level) + ending, path) if level else None
            key = key_prefix + written + ending
            return Resolution(key, key, path, None, True, full_name=name if name != key else None,
                              functions=(function,))
        return None

    def resolve(self, written: str, jurisdiction: tuple[str, ...]) -> Resolution:
        """The organization a name written in a document of ``jurisdiction`` means."""
        name = canonical_form(written)
        if not name:
            return Resolution(name, name, (), None, False)
        if _COLLECTIVE.search(name):
            return self._collective(name, jurisdiction)
        if name in self.agencies:
            return self._agency(self.agencies[name])
        vertical = self._vertical(name, jurisdiction)
        if vertical is not None:
            return vertical
        party = name.startswith("中共")
        body = name[2:] if party else name
        path, end = self.gazetteer.parse_prefix(body, jurisdiction)
        national = path == (NATIONAL,)
        if national:  # 中华人民共和国工业和信息化部, 全国工商联: no area of its own
            path, body = (), body[end:] or body
        if path:
            level = self.gazetteer.level(path[-1]) or "district"
            area, rest = path, body[end:]
        elif body[0] in _CHAR_LEVEL and len(body) > 2:
            level, rest = _CHAR_LEVEL[body[0]], body[1:]
            own = jurisdiction and body[0] == "市" and jurisdiction[-1].endswith("市")
            at = jurisdiction if own and self.gazetteer.level(jurisdiction[-1]) == "district" else \
                self._area_at(jurisdiction, level)  # 市…局 in a county-level city's document is its own
            if at is None:  # 区经信局 in a city's document: which district is not said
                return Resolution(self.key_area(jurisdiction) + name, name, jurisdiction, None, False)
            area = at
        elif jurisdiction and not national and not _NATIONAL_BODY.search(body):  # 财政局, 政府: the document's own area's
            level = self.gazetteer.level(jurisdiction[-1]) or "district"
            area, rest = jurisdiction, body
        else:  # no area: a national body (工业和信息化部, 国务院办公厅)
            read = self._read(body)
            if read is None:
                return Resolution(name, name, (), None, False)
            return Resolution(read[0], read[0], (), read[0], True, source=read[3], functions=read[1])
        char = level_char(area, level)
        if rest == "海关":  # 江门海关, 广州海关: a customs district named after its city
            return Resolution(name, name, area, None, True, functions=("customs",))
        if rest == "委":
            return Resolution(self.key_area(area) + "委", char + "委", area, "委", True, functions=("party-committee",))
        return self._in_area(name, rest, area, char)

    def _in_area(self, name: str, rest: str, area: tuple[str, ...], char: str) -> Resolution:
        """A name whose area is read: the rest as a branch, a stem, a party organ, an office."""
        branch = _BRANCH.match(rest)
        if branch and self._read(branch.group("parent")):
            parent = self.resolve(char + branch.group("parent"), area)
            key = parent.key + branch.group("where") + "分局"
            return Resolution(key, char + key[len(self.key_area(area)):], area, None, parent.known, parent=parent,
                              source=parent.source, functions=parent.functions)
        read = self._read(rest)
        if read is None and rest.startswith("委") and len(rest) > 1:
            inner = self._read(rest[1:])  # 市委金融办, 市委宣传部: an organ of the area's party committee
            if inner is not None:
                read = ("委" + inner[0], inner[1], "委" + inner[2] if inner[2] else None, inner[3])
            elif (other := self.resolve(rest[1:], area)).known and other.area:  # 中共江夏区委江夏区人民政府
                return Resolution(name, name, area, None, True, functions=("party-committee", *other.functions))
        if read is None:
            internal = next((s for s in _INTERNAL if rest.endswith(s) and self._read(rest[:-len(s)])), None)
            if internal:  # 湖北省经济和信息化厅办公室: an office of the 厅
                parent = self.resolve(char + rest[:-len(internal)], area)
                key = parent.key + internal
                return Resolution(key, char + key[len(self.key_area(area)):], area, None, True, parent=parent,
                                  functions=parent.functions)
            return Resolution(self.key_area(area) + rest, char + rest, area, rest, False)
        stem, functions, full, source = read
        return Resolution(self.key_area(area) + stem, char + stem, area, stem, True,
                          full_name=(area[-1] + full) if full and full != stem else None,
                          source=source, functions=functions)

    def _read(self, rest: str) -> tuple[str, tuple[str, ...], str | None, str | None] | None:
        """A stem (after the area): a special name of the reference, else function + kind."""
        entry = self.stems.get(rest)
        if entry is not None:
            return entry["stem"], (entry["function"],), entry.get("full"), entry["source"]
        read = self.functions.read_full(rest)
        if read is None:
            return None
        full = rest if len(rest) > len(read[0]) else read[2]  # a full wording as written, else derived
        return read[0], read[1], full, None
