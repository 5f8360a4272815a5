"""The numbered items of a document's body: sections, measures and their 责任单位 brackets.

Numbering schemes of the genre, any of which may nest in any order:
``一、`` ``（一）`` ``1.`` / ``1、`` ``（1）`` ``第一章`` ``第一条``. A numbered line with
no sentence in it (``一、完善梯度培育机制``, ``（一）实施企业梯度培育行动``) is a section
heading; a numbered line with text is a measure. Where a scheme's numbers restart in one
document (21号's ``（一）`` in each of six sections), every measure of that scheme is
numbered with its top section: ``二（三）``, ``四.1``.

The units of a measure are the bracket that closes its paragraph (labelled 责任单位,
牵头单位, 配合单位…, or bare when every item in it is an organization), or a
``责任单位：…`` line right after it; :mod:`.responsibility` reads them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.extract.patterns import CLOSE_BRACKETS, OPEN_BRACKETS
from policykg.extract.responsibility import NoteState, looks_like_units, parse_units, subject_units
from policykg.ingest.normalize import NormalizedText
from policykg.records import Diagnostic, MeasureRecord

_CN = "一二三四五六七八九十百零〇两"
_SCHEMES = [
    ("chapter", rf"第[{_CN}\d]+章"),
    ("article", rf"第[{_CN}\d]+条"),
    ("cn", rf"[{_CN}]+\s*[、.．](?![\d{_CN}])"),
    ("paren-cn", rf"[（(]\s*[{_CN}]+\s*[）)]"),
    ("arabic", r"\d{1,3}\s*[.．、](?!\d)"),
    ("paren-arabic", r"[（(]\s*\d{1,3}\s*[）)]"),
]
_NUMBERED = re.compile(
    r"^[ \t\u3000]*(?:" + "|".join(f"(?P<{name.replace('-', '_')}>{pat})" for name, pat in _SCHEMES) + r")[ \t\u3000]*",
    re.M,
)
_SENTENCE = re.compile(r"[。；;！？!?]")
_HEADING_MAX = 40  # a numbered line this short with no sentence in it is a section heading
_MEASURE_HEADING_MAX = 30
# a line of its own after a measure: 责任单位：…, or the same in brackets: （责任单位：…）
_UNITS_LINE = re.compile(r"[ \t\u3000]*(?P<open>[（(［\[【])?[ \t\u3000]*(?P<label>责任单位|牵头单位|责任部门|牵头部门)\s*[:：]")
_TERMINAL = set("。；;！？!?）)]】")


@dataclass
class _Line:
    start: int  # offsets in the view
    end: int
    scheme: str | None
    token: str  # the number as written, separator stripped, brackets full-width
    body_start: int  # where the text after the number starts

    def rest(self, text: str) -> str:
        return text[self.body_start:self.end]


def _token(raw: str) -> str:
    t = re.sub(r"\s+", "", raw).rstrip("、.．")
    return t.replace("(", "（").replace(")", "）")


def _lines(text: str, start: int) -> list[_Line]:
    out = []
    pos = start
    for line in text[start:].splitlines(keepends=True):
        s, e = pos, pos + len(line.rstrip("\n"))
        pos += len(line)
        while e > s and text[e - 1] in " \t\u3000":
            e -= 1
        if e <= s:
            continue
        m = _NUMBERED.match(text, s, e)
        if m and m.end() < e:
            scheme = next(k for k, v in m.groupdict().items() if v is not None).replace("_", "-")
            out.append(_Line(s, e, scheme, _token(m.group(scheme.replace("-", "_"))), m.end()))
        else:
            out.append(_Line(s, e, None, "", s))
    return out


def _is_heading(line: _Line, text: str) -> bool:
    rest = line.rest(text)
    return len(rest) <= _HEADING_MAX and not _SENTENCE.search(rest)


def trailing_bracket(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The bracket that closes ``text[start:end]`` (a trailing 。 allowed): its open and
    close offsets, brackets of any kind nesting inside it.

    >>> s = "支持企业。(责任单位:市经信局、市委金融办（市地方金融局）)"
    >>> o, c = trailing_bracket(s, 0, len(s)); s[o:c]
    '(责任单位:市经信局、市委金融办（市地方金融局）)'
    """
    e = end
    while e > start and text[e - 1] in "。. \t":
        e -= 1
    if e <= start or text[e - 1] not in CLOSE_BRACKETS:
        return None
    depth = 0
    for i in range(e - 1, start - 1, -1):
        ch = text[i]
        if ch in CLOSE_BRACKETS:
            depth += 1
        elif ch in OPEN_BRACKETS:
            depth -= 1
            if depth == 0:
                return i, e
    return None


def _heading(rest: str) -> str | None:
    """The first sentence when it is short, has no comma, and more text follows it."""
    m = _SENTENCE.search(rest)
    if not m or m.group() != "。" or not rest[m.end():].strip():
        return None
    head = rest[:m.start()].strip()
    if not head or len(head) > _MEASURE_HEADING_MAX or re.search(r"[，,、：:；]", head):
        return None
    return head


def _section_numeral(heading: str) -> str:
    m = _NUMBERED.match(heading)
    return _token(m.group(0)) if m else heading


def _numbered_items(lines: list[_Line], text: str) -> list[tuple[_Line, list[tuple[str, str]], _Line | None]]:
    """The numbered lines that are measures, each with the section headings it stands under
    and the ``责任单位：`` line after it, if any."""
    items: list[tuple[_Line, list[tuple[str, str]], _Line | None]] = []  # line, sections, units line
    stack: list[tuple[str, str]] = []  # (scheme, heading text)
    # a scheme most of whose lines hold sentences numbers measures: its short lines are
    # measures too (a measure cut off mid-sentence), not headings
    votes: dict[str, list[bool]] = {}
    for line in lines:
        if line.scheme:
            votes.setdefault(line.scheme, []).append(_is_heading(line, text))
    heading_schemes = {s for s, v in votes.items() if sum(v) * 2 > len(v)}
    taken: set[int] = set()  # the 责任单位 lines that belong to the item above them
    article: int | None = None  # the index in items of the article (第X条) the lines below belong to
    for i, line in enumerate(lines):
        if article is not None and line.scheme not in ("article", "chapter") and not _ATTACHMENT.match(text, line.start):
            # an article's own items and paragraphs (（一）民营企业，是指…) are part of it
            head, sections, units = items[article]
            items[article] = (_Line(head.start, line.end, head.scheme, head.token, head.body_start), sections, units)
            continue
        article = None
        if line.scheme is None:
            if _ATTACHMENT.match(text, line.start):
                stack.clear()  # the measures end where the attachments begin
            if stack and i not in taken and _closes_with_units(line, text):
                # a paragraph under a numbered section that closes with its 责任单位: a
                # measure whose number the copy lost (or never had)
                items.append((_Line(line.start, line.end, UNNUMBERED, "", line.start), list(stack), None))
            continue
        schemes = [s for s, _ in stack]
        if line.scheme in schemes:
            del stack[schemes.index(line.scheme):]
        if line.scheme in heading_schemes and _is_heading(line, text):
            stack.append((line.scheme, text[line.start:line.end]))
            continue
        if any(_GENERAL.fullmatch(_section_title(h)) for _, h in stack) or _GENERAL.match(line.rest(text)):
            continue  # 总体要求 and its 指导思想, 基本原则…: the plan's frame, not a measure
        units_line = None
        if i + 1 < len(lines) and lines[i + 1].scheme is None and _UNITS_LINE.match(text, lines[i + 1].start):
            units_line = lines[i + 1]
            taken.add(i + 1)
        items.append((line, list(stack), units_line))
        if line.scheme == "article":
            article = len(items) - 1
    return items


# The frame a plan sets before its measures, under headings every plan uses.
_GENERAL = re.compile(r"(?:总体要求|总体思路|指导思想|基本原则)(?:[。.:：]|$)")


def _section_title(heading: str) -> str:
    m = _NUMBERED.match(heading)
    return heading[m.end():].strip() if m else heading.strip()


UNNUMBERED = "unnumbered"  # the scheme of a measure read without a number
_ATTACHMENT = re.compile(r"[ \t\u3000]*附件\s*[\d一二三四五六七八九十]*\s*[:：]?")
_LABELLED = re.compile(r"[（(［\[【]\s*(?:责任单位|牵头单位|责任部门|牵头部门)\s*[:：]")


def _closes_with_units(line: _Line, text: str) -> bool:
    """A line of prose that closes with a labelled 责任单位 bracket, with text before it."""
    bracket = trailing_bracket(text, line.start, line.end)
    return bracket is not None and bracket[0] - line.start >= 10 and bool(_LABELLED.match(text, bracket[0]))


def _restarted(items: list[tuple[_Line, list[tuple[str, str]], _Line | None]]) -> set[str | None]:
    """The numbering schemes that start again (21号's （一） in each section)."""
    restarted: set[str | None] = set()
    seen: dict[str | None, set[str]] = {}
    for line, _, _ in items:
        if line.scheme == UNNUMBERED:
            continue
        if line.token in seen.setdefault(line.scheme, set()):
            restarted.add(line.scheme)
        seen[line.scheme].add(line.token)
    return restarted


def extract_measures(view: NormalizedText, body_start: int) -> tuple[list[MeasureRecord], list[Diagnostic]]:
    text = view.text
    diagnostics: list[Diagnostic] = []
    items = _numbered_items(_lines(text, body_start), text)
    restarted = _restarted(items)

    measures: list[MeasureRecord] = []
    notes = NoteState()
    for ordinal, (line, sections, units_line) in enumerate(items, 1):
        number = line.token
        if line.scheme in restarted and sections:
            top = _section_numeral(sections[0][1])
            number = top + ("" if number.startswith(("（", "第")) else ".") + number
        end = line.end
        body_end = line.end
        bracket = trailing_bracket(text, line.body_start, line.end)
        responsibility = None
        if bracket and looks_like_units(text[bracket[0] + 1:bracket[1] - 1]):
            body_end = bracket[0]
            responsibility = parse_units(view, bracket[0] + 1, bracket[1] - 1, notes, bracket)
        elif units_line is not None:
            end = units_line.end
            label = _UNITS_LINE.match(text, units_line.start)
            assert label is not None  # units_line was taken for matching it, above
            inside_end = units_line.end
            if label.group("open") and text[inside_end - 1] in CLOSE_BRACKETS:
                inside_end -= 1  # （责任单位：…）: the units inside the brackets
            responsibility = parse_units(view, label.start("label"), inside_end, notes,
                                         (units_line.start, units_line.end))
        else:
            responsibility = notes.implicit_only()
        rest_start = line.body_start
        while body_end > rest_start and text[body_end - 1] in " \t\u3000":
            body_end -= 1
        rest = text[rest_start:body_end]
        heading = _heading(rest)
        body = rest[len(heading) + 1:].strip() if heading else rest
        if responsibility is None:  # no list: the unit the text opens with, if it is charged with the duty
            responsibility = subject_units(view, rest_start + (len(heading) + 1 if heading else 0), body_end)
        if text[line.end - 1] not in _TERMINAL and line is items[-1][0] and units_line is None:
            diagnostics.append(Diagnostic(
                "warning", view.source_file, view.line_of(line.start),
                f"measure {number} ends mid-sentence ({text[max(line.start, line.end - 12):line.end]!r}): "
                "the text may be cut off"))
        measures.append(MeasureRecord(
            ordinal=ordinal,
            number=number,
            section=" / ".join(h for _, h in sections) or None,
            heading=heading,
            text=body,
            evidence=view.evidence(line.start, end),
            responsibility=responsibility,
            span=(rest_start, body_end),
        ))
    return measures, diagnostics
