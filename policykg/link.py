"""Linking across documents: references resolved, documents known only from references,
the end of force a repeal implies, drafts matched to their finals, successions found.

Input and output are plain records; nothing here reads text patterns or builds RDF.
"""
from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz

from .areas import Gazetteer
from .extract.document import document_key
from .extract.patterns import GENRE, ORGAN, TITLE_NOTE
from .records import Corpus, DocRef, DocumentRecord, Fact, Relation

DRAFT_TITLE_MIN = 70.0  # title similarity (0–100) a draft and its final need at least
DRAFT_SCORE_MIN = 60.0  # and the mean of title and body similarity
SUCCESSOR_TOPIC_MIN = 60.0  # topic similarity of a policy and its successor

# 文号 conventions: 浙政办发 → 浙江省人民政府办公厅, 杭政函 → 杭州市人民政府
_NUMBER_ISSUER = [(re.compile(r"^(.)政办[发函]"), "人民政府办公厅"), (re.compile(r"^(.)政[发函]"), "人民政府")]


def _topic(title: str) -> str:
    """A title without issuer, 关于/印发 wrapper, genre word, notes and punctuation."""
    t = re.sub(r"[“”‘’\"'「」\s]", "", title)
    t = re.sub(rf"^{ORGAN.pattern}(?=关于)", "", t)
    t = re.sub(r"^关于(?:印发)?", "", t)
    t = re.sub(r"的通知$", "", t)
    t = re.sub(rf"{TITLE_NOTE}$", "", t)
    t = re.sub(rf"的?(?:{GENRE})$", "", t)
    return t


def _same_title(a: str, b: str) -> bool:
    return _topic(a) == _topic(b) and bool(_topic(a))


class Linker:
    def __init__(self, records: list[DocumentRecord], gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.corpus = Corpus()
        for r in records:
            self.corpus.documents[r.key] = r
        self._relations: dict[tuple[str, str, str], Relation] = {}

    # -- references ---------------------------------------------------------------------
    def resolve(self, ref: DocRef) -> str:
        docs = self.corpus.documents
        if ref.doc_number:
            for key, d in docs.items():
                if d.doc_number and d.doc_number.value == ref.doc_number:
                    return key
        elif ref.title:
            for key, d in docs.items():
                if d.title and _same_title(str(d.title.value), ref.title):
                    return key
        record = self._referenced_only(ref)
        docs[record.key] = record
        return record.key

    def _referenced_only(self, ref: DocRef) -> DocumentRecord:
        number = Fact(ref.doc_number, ref.evidence) if ref.doc_number else None
        title = Fact(ref.title, ref.evidence) if ref.title else None
        issuer = ref.issuer
        if not issuer and ref.title:
            m = re.match(rf"(?P<organ>{ORGAN.pattern})关于", ref.title)
            issuer = m.group("organ") if m else None
        if not issuer and ref.doc_number:
            for pattern, organ in _NUMBER_ISSUER:
                m = pattern.match(ref.doc_number)
                area = self.gazetteer.by_abbreviation(m.group(1)) if m else None
                if area:
                    issuer = area + organ
                    break
        jurisdiction: tuple[str, ...] = ()
        if issuer:
            jurisdiction = self.gazetteer.parse_prefix(issuer)[0]
        if not jurisdiction and ref.doc_number:
            area = self.gazetteer.by_abbreviation(ref.doc_number[0])
            jurisdiction = self.gazetteer.path(area) if area else ()
        return DocumentRecord(
            key=document_key(number, title, ""),
            source_file=None,
            title=title,
            doc_number=number,
            issuers=[Fact(issuer, ref.evidence)] if issuer else [],
            jurisdiction=jurisdiction,
            is_draft=Fact(False),
            referenced_only=True,
        )

    def relate(self, kind: str, source: str, target: str, evidence, method=None, score=None) -> None:
        key = (kind, source, target)
        if key in self._relations:
            for ev in evidence:
                if ev not in self._relations[key].evidence:
                    self._relations[key].evidence.append(ev)
            return
        self._relations[key] = Relation(kind, source, target, list(evidence), method, score)

    def references(self) -> None:
        for record in list(self.corpus.documents.values()):
            for kind, refs in (("repeals", record.repeals), ("cites", record.cites), ("implements", record.implements)):
                for ref in refs:
                    target = self.resolve(ref)
                    if target != record.key:
                        self.relate(kind, record.key, target, [ref.evidence])

    def repeal_ends(self) -> None:
        """A repealed document's last day in force is the day before its repeal takes effect."""
        docs = self.corpus.documents
        for (kind, source, target), rel in self._relations.items():
            if kind != "repeals":
                continue
            start = docs[source].entry_into_force
            if start is None:
                continue
            last = start.value - dt.timedelta(days=1)
            end = docs[target].no_longer_in_force
            if end is None or end.value > last:
                docs[target].no_longer_in_force = Fact(last, rel.evidence[0])

    # -- drafts and successors ------------------------------------------------------------
    @staticmethod
    def _when(d: DocumentRecord) -> dt.date | None:
        for fact in (d.date_document, d.date_publication, d.entry_into_force):
            if fact:
                return fact.value
        return None

    def drafts(self) -> None:
        docs = [d for d in self.corpus.documents.values() if not d.referenced_only]
        for draft in (d for d in docs if d.is_draft and d.is_draft.value):
            best = None
            for final in docs:
                if final is draft or (final.is_draft and final.is_draft.value) or not final.title:
                    continue
                if final.jurisdiction != draft.jurisdiction:
                    continue
                d_when, f_when = self._when(draft), self._when(final)
                if d_when and f_when and f_when < d_when:
                    continue
                title = fuzz.ratio(_topic(str(draft.title.value)), _topic(str(final.title.value)))
                body = fuzz.ratio(draft.body_text, final.body_text)
                score = (title + body) / 2
                if title >= DRAFT_TITLE_MIN and score >= DRAFT_SCORE_MIN and (best is None or score > best[0]):
                    best = (score, final, title, body)
            if best:
                score, final, title, body = best
                self.relate(
                    "draft_of", draft.key, final.key,
                    [draft.is_draft.evidence, final.title.evidence],
                    method=f"same jurisdiction, final dated after the draft; title similarity {title:.0f}, "
                           f"text similarity {body:.0f} (of 100)",
                    score=round(score / 100, 3),
                )

    def successors(self) -> None:
        docs = [d for d in self.corpus.documents.values() if not d.referenced_only and not d.is_draft.value]
        repealed = {(r.source, r.target) for r in self._relations.values() if r.kind == "repeals"}
        for old in docs:
            if not old.no_longer_in_force or not old.issuers or not old.title:
                continue
            issuers = {str(f.value) for f in old.issuers}
            candidates = []
            for new in docs:
                if new is old or not new.entry_into_force or not new.title:
                    continue
                if {str(f.value) for f in new.issuers} != issuers:
                    continue
                if (new.key, old.key) in repealed or (old.key, new.key) in repealed:
                    continue
                if new.entry_into_force.value <= old.no_longer_in_force.value:
                    continue
                topic = fuzz.ratio(_topic(str(old.title.value)), _topic(str(new.title.value)))
                if topic >= SUCCESSOR_TOPIC_MIN:
                    candidates.append((new.entry_into_force.value, new.key, topic))
            if candidates:
                start, key, topic = min(candidates)
                gap = (start - old.no_longer_in_force.value).days - 1
                self.relate(
                    "succeeds", key, old.key,
                    [old.no_longer_in_force.evidence, self.corpus.documents[key].entry_into_force.evidence],
                    method=f"same issuer and topic (similarity {topic:.0f} of 100), no repeal clause; "
                           f"takes effect {start} after the earlier one's last day "
                           f"{old.no_longer_in_force.value} ({gap} days between)",
                    score=round(topic / 100, 3),
                )

    def run(self) -> Corpus:
        self.references()
        self.repeal_ends()
        self.drafts()
        self.successors()
        self.corpus.relations = sorted(self._relations.values(), key=lambda r: (r.kind, r.source, r.target))
        return self.corpus


def link(records: list[DocumentRecord], gazetteer: Gazetteer) -> Corpus:
    return Linker(records, gazetteer).run()
