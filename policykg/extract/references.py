"""Other documents a text names, and what it says of them: repeals, implements, cites.

- cites: every ``《标题》`` that names a policy (its title ends in a genre word or a 文号
  follows), and every bare 文号 in running text;
- repeals: those named in a sentence that says ``废止`` (81号: ``前发《…》（杭政办函〔2022〕29号）同时废止``);
- implements: those named between ``贯彻`` and ``精神`` in the sentence that says why the
  document was made (钱塘: ``为深入贯彻落实…《…》（浙政办发〔2017〕15号）…精神，…特制定本行动方案``).
"""
from __future__ import annotations

import re

from policykg.extract.patterns import (
    CJK,
    DOC_NUMBER,
    GENRE,
    ORGAN_SUFFIX,
    TITLE_NOTE,
    doc_number,
    garbled_number,
    sentence_around,
    squeeze,
)
from policykg.ingest.normalize import NormalizedText
from policykg.records import DocRef, DocumentRecord

_CITED = re.compile(
    rf"(?P<issuer>[{CJK}]{{2,30}}?(?:{ORGAN_SUFFIX}))?《(?P<title>[^《》\n]{{4,150}})》"
    rf"(?:\s*[（(]\s*(?P<number>(?:[^（()）\n]|[（(]\s*\d{{4}}\s*[）)]){{4,60}})\s*[）)])?"  # (东工信(2022)15号)
)
_DRAFT_NOTE = re.compile(r"[（(](?:征求意见稿|草案|送审稿|讨论稿)[）)]$")
_POLICY_TITLE = re.compile(rf"(?:{GENRE}){TITLE_NOTE}$")
_REPEAL = re.compile(r"(?:同时|予以|一并)?废止")
_LEADING_WORDS = re.compile(r"^(?:以及|及|和|与|并|根据|按照|依据|贯彻落实|贯彻|落实|前发|原)+")
_ISSUED = re.compile(r"印发《([^《》]+)》")
_INNER = re.compile(r"(?:印发|转发)〈([^〈〉]+)〉")
_LAW = re.compile(r"^(?:中华人民共和国)?[\u4e00-\u9fff]{2,30}法$")  # 《中华人民共和国中小企业促进法》
_IMPLEMENT = re.compile(r"贯彻(?:落实)?(?P<what>.+)精神(?=.*制定)")


def _mentions(view: NormalizedText) -> list[tuple[int, int, DocRef]]:
    text = view.text
    found: list[tuple[int, int, DocRef]] = []
    covered: list[tuple[int, int]] = []
    for m in _CITED.finditer(text):
        number = None
        if m.group("number"):  # （工信部企业〔2022〕63号，以下简称《暂行办法》）: the 文号 opens it
            inner = m.group("number").strip()
            nm = DOC_NUMBER.match(inner)
            number = doc_number(nm) if nm and (nm.end() == len(inner) or inner[nm.end()] in "，,；;、 ") else None
        garbled = m.group("number").strip() if m.group("number") and garbled_number(m.group("number")) else None
        title = squeeze(m.group("title"))
        if not number and not _POLICY_TITLE.search(title) and not _LAW.match(title):
            continue  # a standard, a book, a campaign: not a policy document
        if not number and len(title) <= 6:
            continue  # 《实施方案》, 《暂行办法》: a short name the text gives a document (以下简称), no other one
        issuer = _LEADING_WORDS.sub("", m.group("issuer") or "") or None
        start = m.start("title") - 1 - (len(issuer) if issuer else 0)
        found.append((start, m.end(), DocRef(title, number, view.evidence(start, m.end()), issuer, garbled)))
        covered.append(m.span())
    for m in DOC_NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        found.append((m.start(), m.end(), DocRef(None, doc_number(m), view.evidence(m.start(), m.end()))))
    return sorted(found, key=lambda f: f[0])


def extract_references(view: NormalizedText, record: DocumentRecord, head_end: int, doc_start: int = 0) -> None:
    """Fill ``record.cites``, ``.repeals`` and ``.implements`` from ``view``, from where the
    document starts (``doc_start``: a page's headline and menus above it cite nothing)."""
    text = view.text
    own_number = record.doc_number.value if record.doc_number else None
    own_title = record.title.value if record.title else None
    issued = {squeeze(m.group(1)) for m in _ISSUED.finditer(str(record.title.value))} if record.title else set()
    mentions = _mentions(view)
    # 《…印发〈X〉的通知》 names X too: X is that notice's subject, cited through the notice
    inner = {squeeze(m.group(1)) for _, _, ref in mentions if ref.title for m in _INNER.finditer(ref.title)}
    for start, end, ref in mentions:
        if start < doc_start:
            continue
        if ref.title and not ref.doc_number and (ref.title in issued or ref.title in inner):
            continue  # what the document's title says it issues (印发《X》暨…), or a notice's 〈X〉
        if start < head_end and ref.title is None:
            continue  # the document's own 文号 in its head
        if (ref.doc_number and ref.doc_number == own_number) or (
                ref.title and ref.title == own_title and not (ref.doc_number and own_number)):
            s, e = sentence_around(text, start, end)
            if start >= head_end and _REPEAL.search(text, end, e):  # it says it repeals itself: linking warns
                record.repeals.append(DocRef(ref.title, ref.doc_number, view.evidence(start, e), ref.issuer))
            continue  # the document itself (a same-titled document with another 文号 is another)
        if own_title and ref.title and not ref.doc_number and (
                str(own_title).endswith(ref.title) or _DRAFT_NOTE.sub("", ref.title) == str(own_title)):
            continue  # a cover notice naming what it issues, or a draft's notice its draft
        s, e = sentence_around(text, start, end)
        repeal = _REPEAL.search(text, end, e)
        if repeal:
            ref.evidence = view.evidence(start, repeal.end())
            record.repeals.append(ref)
            record.cites.append(DocRef(ref.title, ref.doc_number, view.evidence(start, end), ref.issuer))
            continue
        record.cites.append(ref)
        implement = _IMPLEMENT.search(text, s, e)
        if implement and implement.start("what") <= start and end <= implement.end("what"):
            record.implements.append(DocRef(ref.title, ref.doc_number, view.evidence(start, end), ref.issuer))
