"""Document-level facts: title, 文号, issuer, dates, stated validity, jurisdiction, draft flag.

Where the sources say a thing twice and disagree, the document's own text wins over a
web page's metadata header, and the build warns (81号: header 成文日期 2024-05-29 against
the signature 2023年12月27日). What a source leaves open (``2024年X月X日``) is kept as
bounds, never as a guessed day.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import cast

import cn2an

from policykg.extract import dates
from policykg.extract.patterns import (
    CJK,
    DOC_NUMBER,
    DRAFT_MARK,
    GARBLED_NUMBER,
    GENRE,
    ORGAN,
    TITLE_LINE,
    TITLE_NOTE,
    doc_number,
    garbled_number,
    squeeze,
)
from policykg.extract.signature import signature
from policykg.ingest.normalize import NormalizedText
from policykg.records import DateBounds, Diagnostic, DocumentRecord, Fact
from policykg.reference.areas import NATIONAL, Gazetteer

# A web page's metadata header: "label value" pairs on one line, or label and value on
# consecutive lines.
HEADER_LABELS = (
    "信息索引号|索引号|文件编号|文件号|发文字号|文号|成文日期|发布日期|发布时间|发布机构|规范性文件统一编号|统一编号"
    "|有效性|时效性|来源|日期|施行日期|生效日期|失效日期|废止日期|主题分类|信息分类|公开形式|关联类型|所属主题"
)
_HEADER = re.compile(
    rf"(?:^|(?<=[ \t]))(?P<label>{HEADER_LABELS})(?:[:：][ \t]*|[ \t]+)"
    r"(?P<value>\d{4}-\d{1,2}-\d{1,2}(?:[ \t]+\d{1,2}:\d{2})?|[^\s:：]+)",
    re.M,
)
# a field in 【】: 【发文字号】海政发(2023)5号 【发布日期】2023年03月03日
_BRACKETED = re.compile(rf"[【\[［]\s*(?P<label>{HEADER_LABELS})\s*[】\]］]\s*[:：]?\s*"
                        r"(?P<value>\d{4}-\d{1,2}-\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[^\s【\[［]+)")
# (an empty field, 废止日期: on a line of its own, takes nothing: the next line's field is not its value)
_LABEL_ONLY = re.compile(
    rf"^[ \t]*(?P<label>{HEADER_LABELS})[ \t]*[:：]?[ \t]*\n\s*"
    r"(?![^\n:：]{1,8}[:：])(?P<value>[^\n]+?)[ \t]*$", re.M)
# a web page's own furniture beside its dates, and where it says it took the text from
_FURNITURE = re.compile(r"点击数|点击率|点击量|阅读|浏览|字体|打印|分享|访问量")
_PAGE_SOURCE = re.compile(r"来源\s*[:：]\s*(?P<source>[^\s]+)")
# a 来源 that is an organ is the issuer's own page; one that names a website (…局官网, …门户网站) says
# this page took the text from that site: a repost
_OFFICIAL_SOURCE = re.compile(r"(?:政府|办公厅|办公室|局|厅|委|委员会)$")
# a line that opens with a short label and a colon is a page's field (所属主题: 政策), never a title
_LABELLED = re.compile(r"^\s*[\u4e00-\u9fff \t]{1,8}[:：]")
# a consultation notice with no headline names its draft: 起草了《…办法（征求意见稿）》，现…征求意见
_DRAFTED = re.compile(r"(?:起草|拟定|修订|研究制定|形成)了?《(?P<title>[^《》\n]{4,100}?[（(](?:征求意见稿|草案|送审稿)[）)])》"
                      r"(?=[\s\S]{0,300}征求意见)")
# a report of a policy (a news lead): 近日，郑州市人民政府办公室印发郑州市…行动方案，其中…
_REPORTED = re.compile(
    rf"^(?:近日|日前|\d{{4}}年\d{{1,2}}月\d{{1,2}}日)[，,]\s*(?P<organ>{ORGAN.pattern})\s*(?:正式)?(?:印发|发布|出台)了?\s*"
    rf"《?(?P<title>[^，,。《》\n]{{4,80}}?(?:{GENRE}){TITLE_NOTE})》?(?=[，,。])", re.M)
# a decision or regulation adopted at a session: （2023年9月27日…会议通过）, also 批准
_ADOPTED = re.compile(rf"[（(]\s*(?P<date>{dates.DATE.pattern})\s*[^（）()\n]{{0,80}}?会议(?:审议)?(?:通过|批准)")
_ENTRY_INTO_FORCE = re.compile(
    rf"自\s*(?P<date>{dates.DATE.pattern}|印发之日|发布之日|公布之日)\s*起?\s*(?:施行|实施|生效|执行)"
)
_VALID_UNTIL = re.compile(rf"有效期(?:至|到|截至)\s*(?P<date>{dates.DATE.pattern})")
def _OWN_VALIDITY(text: str, at: int) -> bool:  # noqa: N802 — reads as the rule it is
    """Whether the 有效期 at ``at`` is the document's (本办法…有效期5年), not an enterprise's
    recognition (认定有效期为3年, “小巨人”企业有效期3年)."""
    start = max(text.rfind(c, 0, at) for c in "。；;\n") + 1
    before = text[start:at]
    if re.search(r"本(?:办法|细则|方案|措施|意见|规定|通知|政策|计划|规程|条例|决定)", before):
        return True
    return not re.search(r"认定|称号|资格|企业|入库|证书|名单|批次", before)


_VALID_YEARS = re.compile(r"有效期(?:为)?\s*(?P<years>[0-9一二三四五六七八九十两]{1,3})\s*年(?!\d|[0-9]*月)")
_PRINTED = re.compile(rf"(?P<date>{dates.DATE.pattern})\s*印发")
_SELF_LEVEL = {"我省": "province", "全省": "province", "本省": "province",
               "我市": "city", "全市": "city", "本市": "city",
               "我区": "district", "全区": "district", "本区": "district"}
# The body starts at the first long line that is prose: a title runs to 40 characters and
# more too (浙江省人民政府办公厅关于印发…行动方案（2024—2027年）的通知), but holds no full stop.
_BODY_START = re.compile(r"^(?=.*[。；！？]).{40,}$", re.M)


@dataclass
class _Header:
    """Values of a metadata header, first occurrence of each label, as view spans."""

    spans: dict[str, tuple[int, int]]

    @classmethod
    def read(cls, view: NormalizedText) -> _Header:
        spans: dict[str, tuple[int, int]] = {}
        for pattern in (_HEADER, _LABEL_ONLY, _BRACKETED):
            for m in pattern.finditer(view.text):
                spans.setdefault(m.group("label"), m.span("value"))
        return cls(spans)

    def first(self, *labels: str) -> tuple[str, tuple[int, int]] | None:
        for label in labels:
            if label in self.spans:
                return label, self.spans[label]
        return None


class DocumentExtractor:
    """Reads one normalized document; collects diagnostics as it goes."""

    def __init__(self, view: NormalizedText, gazetteer: Gazetteer):
        self.view = view
        self.text = view.text
        self.gazetteer = gazetteer
        self.header = _Header.read(view)
        self.diagnostics: list[Diagnostic] = []
        body = _BODY_START.search(self.text)
        self.head_end = body.start() if body else len(self.text)
        self.title_span: tuple[int, int] | None = None
        self.notice_span: tuple[int, int] | None = None  # a cover notice's own title line
        self.garbled: Fact | None = None  # a garbled 文号 in the head, as written
        self.reported_issuer: tuple[int, int] | None = None  # the organ a report says issued the policy

    def warn(self, message: str, at: int | None = None) -> None:
        line = self.view.line_of(at) if at is not None else None
        self.diagnostics.append(Diagnostic("warning", self.view.source_file, line, message))

    def fact(self, value: object, start: int, end: int) -> Fact:
        return Fact(value, self.view.evidence(start, end))

    def _parse(self, written: str, at: int, what: str):
        """The date in ``written``; None, with a warning naming the place, if it does not exist."""
        try:
            return dates.parse_date(written)
        except dates.DateError as exc:
            self.warn(f"{what}: {exc}", at)
            return None

    def _date_fact(self, start: int, end: int, what: str) -> Fact | None:
        day = self._parse(self.text[start:end], start, what)
        return self.fact(day, start, end) if day else None

    # -- title -------------------------------------------------------------------------
    def title(self) -> Fact | None:
        lines = [m for m in TITLE_LINE.finditer(self.text)
                 if not (_HEADER.match(m.group("title")) or re.match(rf"^(?:{HEADER_LABELS})", squeeze(m.group("title")))
                         or _LABELLED.match(m.group("title"))  # a metadata line, its label spaced out too (文 号:)
                         or m.group("title").count("》") > m.group("title").count("《"))]  # a title's broken tail
        for i, m in enumerate(lines):
            line = m.group("title")
            start, end = m.span("title")
            if i + 1 < len(lines) and lines[i + 1].start() < self.head_end and self._page_headline(end):
                continue  # the page's headline above its 发布时间 / 来源 line: the document's own head follows
            notice = re.search(r"(?:印发|转发)\s*(?P<inner>.+?)\s*的通知$", line)
            if notice:  # a cover notice: the title is that of what it issues or forwards
                self.notice_span = (start, end)
                inner_start = start + notice.start("inner")
                quoted = re.fullmatch(r"《(?P<own>.+)》", notice.group("inner"))
                wanted = squeeze(quoted.group("own") if quoted else notice.group("inner"))
                for later in TITLE_LINE.finditer(self.text, m.end()):
                    if squeeze(later.group("title")).strip("《》") == wanted:
                        start, end = later.span("title")
                        break
                else:
                    if quoted:  # the text does not repeat it: the title the notice quotes, 《》 left out
                        start, end = inner_start + 1, inner_start + 1 + len(quoted.group("own"))
            title = squeeze(self.text[start:end])
            if title.startswith("于") and not title.startswith("于是"):
                self.warn(f"the title {title!r} seems cut at its start (关于?); kept as written", start)
            self.title_span = (start, end)
            return self.fact(title, start, end)
        for pattern in (_DRAFTED, _REPORTED):  # no title line: the title the text itself gives
            found = pattern.search(self.text, 0, self.head_end + 400)
            if found:
                start, end = found.span("title")
                self.title_span = (start, end)
                if found.groupdict().get("organ"):
                    self.reported_issuer = found.span("organ")
                return self.fact(squeeze(self.text[start:end]), start, end)
        self.warn("no title found: none is recorded")
        return None

    def _page_headline(self, end: int) -> bool:
        """Whether the line after the one ending at ``end`` is a page's date and source line."""
        nxt = self.text[end:].lstrip("\n \t").split("\n", 1)[0]
        return bool(_HEADER.match(nxt.strip()) and _FURNITURE.search(nxt) or re.match(r"\s*(?:发布时间|来源)\s*[:：]", nxt))

    # -- 文号 ---------------------------------------------------------------------------
    def doc_number(self) -> Fact | None:
        labelled = self.header.first("文件编号", "文件号", "发文字号", "文号")
        candidates = []
        if labelled:
            s, e = labelled[1]
            m = DOC_NUMBER.search(self.text, s, max(e, s + 40))
            if m and m.start() == s:
                candidates.append(m)
        for m in DOC_NUMBER.finditer(self.text, 0, self.head_end):
            line_start = self.text.rfind("\n", 0, m.start()) + 1
            line_end = self.text.find("\n", m.end())
            if not self.text[line_start:m.start()].strip() and not self.text[m.end():line_end].strip():
                candidates.append(m)
        if not candidates:
            for m in GARBLED_NUMBER.finditer(self.text, 0, self.head_end):
                line_start = self.text.rfind("\n", 0, m.start()) + 1
                if not self.text[line_start:m.start()].strip() and garbled_number(m.group()):
                    self.garbled = self.fact(squeeze(m.group()), m.start(), m.end())
                    self.warn(f"the head's 文号 {m.group()!r} is garbled: kept as written (pkg:docNumberAsWritten), "
                              "not repaired", m.start())
                    return None
            self.warn("no 文号 found in the document's head")
            return None
        found = {doc_number(m) for m in candidates}
        if len(found) > 1:
            self.warn(f"the head gives several 文号 ({', '.join(sorted(found))}); the first is kept")
        m = candidates[0]
        return self.fact(doc_number(m), m.start(), m.end())

    # -- issuer and signature -------------------------------------------------------------
    def signature(self) -> tuple[list[Fact], Fact | None]:
        """Issuing organs and their date, from the signature block (:mod:`policykg.extract.signature`)."""
        found = signature(self.text)
        if found is None:
            return [], None
        facts = [self.fact(squeeze(name), start, end) for name, start, end in found.organs]
        return facts, self._date_fact(*found.date, what="signature date")

    def issuers(self, title: Fact | None, signed: list[Fact]) -> list[Fact]:
        if signed:
            return signed
        if self.reported_issuer:
            return [self.fact(squeeze(self.text[slice(*self.reported_issuer)]), *self.reported_issuer)]
        heading = squeeze(self.text[slice(*self.notice_span)]) if self.notice_span else (
            str(title.value) if title and title.evidence else None)  # a cover notice's title names its issuer
        if heading:
            m = re.match(rf"(?P<organ>{ORGAN.pattern})关于", heading)
            if m:
                start = self.text.find(m.group("organ"))
                if start >= 0:
                    return [self.fact(m.group("organ"), start, start + len(m.group("organ")))]
        m = re.search(rf"^\s*(?P<organ>{ORGAN.pattern})文件\s*$", self.text[:self.head_end], re.M)
        if m:
            return [self.fact(m.group("organ"), *m.span("organ"))]
        self.warn("no issuer (发文机关) found: no signature, and the title names none")
        return []

    # -- dates ---------------------------------------------------------------------------
    def date_document(self, signed_date: Fact | None) -> tuple[Fact | None, Fact | None]:
        """The 成文 date (the signature's, else the adoption's of a congress's decision or a
        regulation, else the header's) and the header's own 成文日期."""
        if signed_date is None:  # （2023年9月27日某某市第十六届人民代表大会常务委员会第十五次会议通过）
            adopted = _ADOPTED.search(self.text, 0, self.head_end + 200)
            signed_date = self._date_fact(*adopted.span("date"), what="adoption date") if adopted else None
        labelled = self.header.first("成文日期")
        header_date = self._date_fact(*labelled[1], what="header 成文日期") if labelled else None
        if signed_date and header_date and signed_date.value != header_date.value:
            assert labelled is not None  # header_date was read from it
            self.warn(
                f"the header's 成文日期 {header_date.value} contradicts the signature date "
                f"{signed_date.value}; the document's own text wins",
                labelled[1][0],
            )
        return signed_date or header_date, header_date

    def date_publication(self) -> Fact | None:
        """The page's 发布日期, unless it is the hosting page's own timestamp: a page whose 来源
        is another site (a platform, a portal) or whose date sits among the page's furniture
        (字体, 点击数, 阅读) with no source named reposted the document; its date is not the
        document's."""
        labelled = self.header.first("发布日期", "发布时间", "日期")
        if not labelled:
            return None
        start, end = labelled[1]
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line = self.text[line_start:line_end if line_end >= 0 else len(self.text)]
        after = self.text[line_end + 1:].lstrip().split("\n", 1)[0] if line_end >= 0 else ""
        source = _PAGE_SOURCE.search(line)
        reposted = (not _OFFICIAL_SOURCE.search(source.group("source")) if source
                    else bool(_FURNITURE.search(line) or _FURNITURE.match(after)))
        if reposted:
            self.warn(f"the page's {labelled[0]} {self.text[start:end]!r} is the hosting page's, not the "
                      "document's: not kept", start)
            return None
        return self._date_fact(start, end, what=f"header {labelled[0]}")

    def entry_into_force(self, date_document: Fact | None, published: Fact | None) -> tuple[Fact | None, Fact | None]:
        """The 施行 date, or, for a placeholder like 2024年X月X日, the bounds it leaves."""
        m = _ENTRY_INTO_FORCE.search(self.text)
        if not m:  # no 施行 clause: a page's 生效日期 / 施行日期 field
            labelled = self.header.first("生效日期", "施行日期")
            return (self._date_fact(*labelled[1], what=f"header {labelled[0]}") if labelled else None), None
        s, e = m.span()
        written = m.group("date")
        if written in ("印发之日", "发布之日", "公布之日"):
            printed = _PRINTED.search(self.text)
            if written == "印发之日" and printed:
                day = dates.parse_date(printed.group("date"))
            else:
                source = published if written != "印发之日" else date_document
                day = cast("dt.date | None", source.value) if source else None  # a date fact's value
            if day is None:
                self.warn(f"{self.text[s:e]!r}: the text gives no date for that day", s)
                return None, None
            return self.fact(day, s, e), None
        if not dates.is_partial(written):
            day = self._parse(written, s, "施行日期")
            return (self.fact(day, s, e) if day else None), None
        span = dates.bounds(written)
        assert span is not None  # dates.DATE always has its year, in figures
        self.warn(f"施行日期 written as {written!r}: no day is given, only bounds {span[0]}…{span[1]}", s)
        return None, self.fact(DateBounds(span[0], span[1], written), s, e)

    def validity(self) -> tuple[Fact | None, Fact | None]:
        """(有效期至 date, validity in years)."""
        until = years = None
        m = _VALID_UNTIL.search(self.text)
        if m:
            day = self._parse(m.group("date"), m.start("date"), "有效期至")
            if day:
                until = self.fact(day, *m.span())
        else:  # a page's 废止日期 / 失效日期 field (an empty one is no fact)
            labelled = self.header.first("废止日期", "失效日期")
            until = self._date_fact(*labelled[1], what=f"header {labelled[0]}") if labelled else None
        m = next((v for v in _VALID_YEARS.finditer(self.text) if _OWN_VALIDITY(self.text, v.start())), None)
        if m:
            raw = m.group("years")
            n = int(raw) if raw.isdigit() else int(cn2an.cn2an(raw.replace("两", "二"), "smart"))
            if n:
                years = self.fact(n, *m.span())
        return until, years

    def stated_validity(self) -> Fact | None:
        labelled = self.header.first("有效性", "时效性")
        return self.fact(self.text[slice(*labelled[1])], *labelled[1]) if labelled else None

    # -- jurisdiction -------------------------------------------------------------------
    def jurisdiction(self, issuers: list[Fact], title: Fact | None, number: Fact | None) -> tuple[str, ...]:
        """The document's own area: named at the start of its issuer or title (short forms
        count there: 广州, 海南州), else by its 文号's province abbreviation (鲁工信), else a
        central organ's (national), else the area of its level (我省, 全市) the body names most,
        by full names only. A name several areas share takes the one whose enclosing area
        the document names too, or is left unresolved."""
        g = self.gazetteer
        names = [str(f.value) for f in issuers] + ([str(title.value)] if title else [])
        in_text = g.names_in(self.text)  # read once: the body is scanned for every area's full name
        context = {p[-1] for p in in_text} | {p[-1] for p in g.names_in("\n".join(names))}
        for name in names:
            path, _ = g.parse_prefix(name, context)
            if path:
                return path
        if number:
            area = g.by_abbreviation(str(number.value)[0])
            if area:
                return g.path(area)
        if any(g.is_national(n) for n in names) or (number and g.is_national_number(str(number.value))):
            return (NATIONAL,)
        levels = [level for word, level in _SELF_LEVEL.items() if word in self.text]
        if levels:
            counts = g.resolve_names({p: n for p, n in in_text.items() if g.by_path[p].level == levels[0]}, context)
            if counts:
                best = max(sorted(counts), key=counts.__getitem__)
                return best
        self.warn("no jurisdiction found: no issuer, title or text names an area")
        return ()

    def is_draft(self) -> Fact:
        """A draft says so in its title (征求意见稿, 草案, 送审稿…)."""
        if self.title_span:
            m = DRAFT_MARK.search(self.text, *self.title_span)
            below = re.compile(r"\n[ \t\u3000]*[（(][^（()）\n]{0,6}(?:征求意见稿|草案|送审稿|讨论稿)[^（()）\n]{0,6}[）)]")
            m = m or below.match(self.text, self.title_span[1])  # （征求意见稿） on the line below the title
            if m:
                start = m.start() + (1 if self.text[m.start()] == "\n" else 0)
                return self.fact(True, start, m.end())
        return Fact(False)

    def check_truncated(self) -> None:
        tail = self.text.rstrip()
        if not tail:
            return
        last_line = tail[tail.rfind("\n") + 1:]
        if len(last_line) >= 20 and re.search("[，,、]", last_line) and last_line[-1] not in "。；;！!？?）)]】”\"":
            self.warn(f"the text ends mid-sentence ({last_line[-15:]!r}): truncated?", len(tail) - 1)


def document_key(number: Fact | None, title: Fact | None, source_file: str) -> str:
    """A readable, stable key: the 文号 without brackets (杭政办函-2023-81), else the title."""
    if number:
        m = DOC_NUMBER.match(str(number.value))
        assert m is not None  # the 文号 fact was read with DOC_NUMBER and written back in its form
        return f"{m.group('prefix')}-{m.group('year')}-{int(m.group('num'))}"
    if title:
        return re.sub(rf"[^{CJK}0-9A-Za-z\-—]+", "", str(title.value)).replace("—", "-")
    return re.sub(r"\W+", "-", source_file.rsplit(".", 1)[0])


def extract_document(view: NormalizedText, gazetteer: Gazetteer) -> tuple[DocumentRecord, list[Diagnostic], int, int]:
    """The document-level record of ``view``, the warnings met, where its body starts, and where
    the document starts (the line of its title)."""
    x = DocumentExtractor(view, gazetteer)
    title = x.title()
    number = x.doc_number()
    signed, signed_date = x.signature()
    issuers = x.issuers(title, signed)
    date_document, header_date = x.date_document(signed_date)
    published = x.date_publication()
    in_force, in_force_bounds = x.entry_into_force(date_document, published)
    until, years = x.validity()
    is_draft = x.is_draft()
    if is_draft.value and (in_force or in_force_bounds):  # a draft's 施行 clause is its plan, no date in force
        x.warn("a draft's 施行 clause is not kept: a draft is in force on no day")
        in_force = in_force_bounds = None
    record = DocumentRecord(
        key=document_key(number, title, view.source_file),
        source_file=view.source_file,
        title=title,
        doc_number=number,
        number_as_written=x.garbled,
        issuers=issuers,
        date_document=date_document,
        header_date_document=header_date,
        date_publication=published,
        entry_into_force=in_force,
        entry_into_force_bounds=in_force_bounds,
        no_longer_in_force=until,
        validity_years=years,
        stated_validity=x.stated_validity(),
        jurisdiction=x.jurisdiction(issuers, title, number),
        is_draft=is_draft,
        body_text=view.text[x.head_end:],
    )
    if until is None and years and in_force:
        end = dates.add_years(cast(dt.date, in_force.value), cast(int, years.value))
        record.no_longer_in_force = Fact(end, years.evidence)
    elif until is None and years and in_force_bounds:
        b = cast(DateBounds, in_force_bounds.value)
        n = cast(int, years.value)
        assert years.evidence is not None  # validity() makes the fact from the text it matched
        record.no_longer_in_force_bounds = Fact(
            DateBounds(dates.add_years(b.earliest, n), dates.add_years(b.latest, n),
                       years.evidence.exact),
            years.evidence,
        )
    x.check_truncated()
    if not signed and not in_force and not in_force_bounds and not is_draft.value:
        x.warn("no signature and no 施行 clause: the text may be incomplete")
    # the document starts at the line of its title or cover notice: a page's menus and headline stand above
    spans = [view.text.rfind("\n", 0, span[0]) + 1 for span in (x.notice_span, x.title_span) if span]
    return record, x.diagnostics, x.head_end, min(spans, default=0)
