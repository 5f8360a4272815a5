"""Reading a 责任单位 bracket: units, their roles, and the notes that are not units.

Forms of the genre this reads::

    （责任单位：市经信局、国家税务总局杭州市税务局、市科技局）
    [责任单位：市经信局、市委金融办（市地方金融局）、市财政局，市融资担保集团]
    （责任单位：区经信科技局，配合单位：各平台、各街道）
    （牵头单位：省经信厅；配合单位：省财政厅、省科技厅）
    （省经信厅、省财政厅）                       — bare, every item an organization
    （省工业和信息化厅、省国资委会同各地方按职责分工负责）   — a duty sentence: X会同Y负责

and, where no list names a measure's units, the unit its text opens with as the subject of
its duty (:func:`subject_units`): ``各市（州）经济和信息化局要…``.

A top-level ``，`` separates government departments from other units (担保集团, 科协,
海关); all are responsible. Notes inside the bracket are semantics, applied here and to
the measures after it: ``列第一位的为牵头单位，下同`` (the first listed leads);
``以下均需各区、县（市）政府负责，不再列出`` and ``各市、县〔市、区〕政府均为责任主体，不再列出``
(an implicit co-responsible unit for every later measure).

Where no note and no 牵头单位 label says who leads, the first listed unit is taken as the
lead by the genre's convention, and the record says so (``lead_basis="first-listed"``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykg.extract.patterns import CLOSE_BRACKETS, OPEN_BRACKETS
from policykg.ingest.normalize import NormalizedText
from policykg.records import Evidence, Responsibility, UnitMention

_LABEL = re.compile(
    r"^\s*(?P<label>责任单位|责任部门|牵头单位|牵头部门|主责单位|配合单位|配合部门|协同单位|参与单位|协办单位)\s*[:：]\s*"
)
_ROLE = {"牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead",
         "配合单位": "cooperating", "配合部门": "cooperating", "协同单位": "cooperating",
         "参与单位": "cooperating", "协办单位": "cooperating"}
_NOTE = re.compile(r"不再(?:重复)?列出|下同|列第一位|排第一位|为牵头单位|均为责任主体|均需|以下")
_LEAD_NOTE = re.compile(r"(?:列|排)(?:在)?第一(?:位|个)的?(?:单位)?为牵头(?:单位)?")
_IMPLICIT_NOTE = re.compile(r"不再(?:重复)?列出")
_IMPLICIT_NAMED = re.compile(r"以下(?:均|都)需(?:要)?(?P<a>.+?)负责|^(?P<b>.+?)均为责任主体")
# 各区、县（市）政府 / 各市、县〔市、区〕政府 / 各平台: one collective unit despite its 、
_COLLECTIVE = re.compile(
    r"各[\u4e00-\u9fff]{1,3}(?:、(?!各)[\u4e00-\u9fff]{1,3}(?:[（(〔［\[][^）)〕］\]]{1,6}[）)〕］\]])?)+(?:人民政府|政府)"
    r"|各[\u4e00-\u9fff]{1,10}"
)
# the bracket as a sentence of duty: 省经信厅、省财政厅会同各市按职责分工负责 / 市经信局负责
_DUTY = re.compile(r"^(?:[^，,；;。]*?由)?(?P<units>[^，,；;。由]+?)(?:会同(?P<with>[^，,；;。]+?))?"
                   r"(?:按(?:照)?职责分工|分别|共同)?(?:负责|落实)$")
_DUTY_ORGAN = re.compile(r"(?:厅|局|委|办|部|院|中心|政府|管委会|海关|分行|支行|委员会|办公室)$")
# a collective a sentence of duty names: 各区县（市）政府, 各开发区管委会, 各地方, 各成员单位
_DUTY_COLLECTIVE = re.compile(r"^各[\u4e00-\u9fff（）()〔〕]{0,14}(?:局|厅|委|办|部门|政府|管委会|单位|街道|乡镇|地方|平台)$")
# words that make a phrase of a would-be unit name (…由…, …要…, …按照…)
_NOT_A_NAME = re.compile(r"[由要按的将为把向]")
_ORGAN_END = re.compile(
    r"(?:厅|局|委|办|部|会|院|行|所|处|科|站|中心|集团|公司|政府|管委会|海关|分行|分局|监管局|证监局|税务局|街道|平台|总工会|科协)"
    r"(?:[（(〔][^）)〕]*[）)〕])?$"
)


@dataclass
class NoteState:
    """Notes that hold for the rest of a document once a bracket states them."""

    lead_first: bool = False  # 列第一位的为牵头单位，下同
    implicit: list[UnitMention] = field(default_factory=list)
    implicit_evidence: Evidence | None = None

    def implicit_only(self) -> Responsibility | None:
        if not self.implicit or self.implicit_evidence is None:
            return None
        return Responsibility(list(self.implicit), None, self.implicit_evidence,
                              implicit_evidence=self.implicit_evidence)


def _split_top(text: str, seps: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between separators that are not inside brackets."""
    spans, depth, s = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            spans.append((s, i))
            s = i + 1
    spans.append((s, len(text)))
    return spans


def _names(piece: str) -> list[str]:
    """The unit names of one list piece, split on the top-level 、 (collectives kept whole)."""
    out: list[str] = []
    pos = 0
    while pos < len(piece):
        m = _COLLECTIVE.match(piece, pos)
        if m and (m.end() == len(piece) or piece[m.end()] in "、"):
            out.append(m.group())
            pos = m.end() + 1
            continue
        spans = _split_top(piece[pos:], "、")
        s, e = spans[0]
        out.append(piece[pos + s:pos + e])
        pos += e + 1
    return [n.strip(" \t\u3000") for n in out if n.strip(" \t\u3000")]


def _squeeze(name: str) -> str:
    return re.sub(r"\s+", "", name)


def _mention(name: str, role: str) -> UnitMention:
    """Split ``市委金融办（市地方金融局）`` into the name and its other nameplates."""
    name = _squeeze(name)
    if name.startswith("各"):
        return UnitMention(name, (), role)
    # one bracket at the end, nothing bracketed inside it (found by position: a pattern with a
    # lazy head retried nested brackets quadratically)
    opened = min((i for i in (name.find("（"), name.find("(")) if i > 0), default=-1)
    alt = name[opened + 1:-1] if opened > 0 and name[-1] in "）)" else ""
    if alt and not re.search(r"[（()）]", alt) and _ORGAN_END.search(alt):
        main = name[:opened]
        prefix = main[0] if main[0] in "省市区县" else ""
        alts = tuple(a if a[0] in "省市区县" else prefix + a for a in re.split(r"[、，,]", alt) if a)
        return UnitMention(main, alts, role)
    return UnitMention(name, (), role)


def looks_like_units(content: str) -> bool:
    """Is this bracket a units list? Labelled, or bare with every item an organization.

    >>> looks_like_units("责任单位:市经信局")
    True
    >>> looks_like_units("省经信厅、省财政厅")
    True
    >>> looks_like_units("设备、外购技术及软件投入")
    False
    >>> looks_like_units("省工业和信息化厅、省国资委会同各地方按职责分工负责")
    True
    >>> looks_like_units("企业按规定负责")
    False
    """
    if _LABEL.match(content):
        return True
    duty = _DUTY.match(content.strip())
    if duty:
        names = [n for g in ("units", "with") if duty.group(g) for n in _names(duty.group(g))]
        return bool(names) and all(not _NOT_A_NAME.search(_squeeze(n)) and (
            _DUTY_COLLECTIVE.match(_squeeze(n)) or _DUTY_ORGAN.search(_squeeze(n))) for n in names)
    pieces = [content[s:e] for s, e in _split_top(content, "，,；;")]
    names = [n for p in pieces if p.strip() for n in _names(p)]
    return bool(names) and all(_ORGAN_END.search(_squeeze(n)) and len(_squeeze(n)) <= 30 for n in names)


def parse_units(view: NormalizedText, start: int, end: int, notes: NoteState,
                span: tuple[int, int]) -> Responsibility:
    """The units in ``view.text[start:end]`` (the bracket's inside); ``span`` is what the
    evidence quotes. ``notes`` carries 下同 and 不再列出 notes to later measures."""
    content = view.text[start:end]
    duty = None if _LABEL.match(content) else _DUTY.match(content.strip())
    if duty:  # X、Y会同Z负责: every unit named is responsible, the text says no lead
        content = "、".join(g for g in (duty.group("units"), duty.group("with")) if g)
    evidence = view.evidence(*span)
    units: list[UnitMention] = []
    role = "responsible"
    stated_lead = False
    lead_note = False
    implicit_here: list[UnitMention] = []
    note_spans: list[tuple[int, int]] = []
    for ss, se in _split_top(content, "。；;"):
        pieces = [(ss + a, ss + b) for a, b in _split_top(content[ss:se], "，,")]
        for s, e in pieces:
            piece = content[s:e].strip()
            if not piece:
                continue
            m = _LABEL.match(piece)
            if m:
                role = _ROLE.get(m.group("label"), "responsible")
                stated_lead |= role == "lead"
                piece = piece[m.end():]
            elif _NOTE.search(piece):
                # a note runs to the end of its sentence: 以下均需…负责，不再列出
                note = content[s:se].strip()
                note_spans.append((s, se))
                lead_note |= bool(_LEAD_NOTE.search(note))
                if _IMPLICIT_NOTE.search(note):
                    named = _IMPLICIT_NAMED.search(note)
                    name = (named.group("a") or named.group("b")) if named else None
                    if name is None:
                        name = next((u.name for u in units if u.name.startswith("各")), None)
                    if name:
                        implicit_here.append(UnitMention(_squeeze(name), (), "responsible", implicit=True))
                break
            units.extend(_mention(n, role) for n in _names(piece))
    if lead_note:
        notes.lead_first = True  # 下同: for this and every later bracket
    # the units this bracket lists
    listed = {u.name for u in units}
    later = [u for u in notes.implicit if u.name not in listed]
    later_evidence = notes.implicit_evidence if later else None
    if stated_lead:
        basis = "stated"
    elif units:
        basis = "stated" if notes.lead_first else "first-listed"
        first = units[0]
        units[0] = UnitMention(first.name, first.alternates, "lead")
    else:
        basis = None
    if implicit_here:
        notes.implicit = implicit_here
        notes.implicit_evidence = view.evidence(start + note_spans[-1][0], start + note_spans[-1][1])
    return Responsibility(units + later, basis, evidence, view.line_of(span[0]), later_evidence)


# a measure whose text opens with the units it charges, as notices write their duties
# (各市（州）经济和信息化局要…, 各地经信部门要…, 市经信局负责…), or charges them in a later
# sentence with a modal of duty (…。各地经信部门要切实履行职责)
_UNIT = (r"(?P<unit>各[^由要按的将为把向对，,。；;、\s]{1,14}?(?:局|厅|委|办|部门|政府|管委会)"
         r"|[省市区县州][^由要按的将为把向对，,。；;、\s]{1,14}?(?:局|厅|委员会|办公室|主管部门)"
         # the governments of several levels a regulation charges: 市、县（市）区人民政府, 县级以上人民政府
         r"|(?:[省市]、)?(?:市、)?县（市(?:、区)?）区?人民政府|县级以上(?:地方)?人民政府|各级人民政府)")
_OPENING = re.compile(rf"[ \t\u3000]*{_UNIT}(?=要|应|须|负责(?!解释)|牵头|依照|按照|对|会同|结合)")
# (本办法由区经济和信息化局负责解释: who interprets the text, no duty of a measure)
_CHARGED = re.compile(rf"(?:(?<=[。；;！!])[ \t\u3000]*|(?<!本办法)(?<!本细则)(?<!本规程)(?<!本方案)(?<!本措施)由){_UNIT}"
                      r"(?=要|应|须|负责(?!解释)|牵头)")


def subject_units(view: NormalizedText, start: int, end: int) -> Responsibility | None:
    """The units a measure's text charges with its duty, when no list names its units: the
    subject it opens with, and the subjects of its later sentences of duty, in order; the
    first leads by the first-listed convention."""
    found = [m for m in (_OPENING.match(view.text, start, end),) if m] + list(_CHARGED.finditer(view.text, start, end))
    names = list(dict.fromkeys(m.group("unit") for m in found))
    if not names:
        return None
    units = [_mention(name, "lead" if i == 0 else "responsible") for i, name in enumerate(names)]
    return Responsibility(units, "first-listed", view.evidence(found[0].start("unit"), found[-1].end("unit")),
                          view.line_of(found[0].start("unit")))
