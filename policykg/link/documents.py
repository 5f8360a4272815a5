"""Linking across documents: references resolved, documents known only from references,
the end of force a repeal implies, drafts matched to their finals, successions found.

Input and output are plain records; nothing here reads text patterns or builds RDF.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections import defaultdict
from pathlib import Path
from typing import cast

from rapidfuzz import fuzz, process

from policykg.extract.document import document_key
from policykg.extract.patterns import GENRE, ORGAN, TITLE_NOTE
from policykg.records import Corpus, Diagnostic, DocRef, DocumentRecord, Fact, Relation
from policykg.reference.areas import Gazetteer

DRAFT_TITLE_MIN = 70.0  # title similarity (0–100) a draft and its final need at least
DRAFT_SCORE_MIN = 60.0  # and the mean of title and body similarity
SUCCESSOR_TOPIC_MIN = 60.0  # topic similarity of a policy and its successor

# a draft's match, kept between builds: what its record was extracted from, the digest of
# its jurisdiction's finals, and the match (final's key, title and body similarity, score)
_Match = tuple[str | None, str, tuple | None]

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


class Linker:
    """Every comparison across documents goes through an index (文号, topic, jurisdiction,
    issuer), so linking grows with the corpus, not with its square."""

    def __init__(self, records: list[DocumentRecord], gazetteer: Gazetteer,
                 extracted_from: dict[str, str] | None = None, matches: dict[str, _Match] | None = None,
                 topics: dict[str, str] | None = None):
        self.gazetteer = gazetteer
        # what each record was extracted from, and the last build's draft matches by draft:
        # (its record, a digest of its jurisdiction's finals, the match); a draft whose both
        # are unchanged keeps its match without its text being compared again
        self.extracted_from = extracted_from or {}
        self.matches: dict[str, _Match] = matches or {}
        self.corpus = Corpus()
        for r in records:
            self.corpus.documents[r.key] = r
        self._relations: dict[tuple[str, str, str], Relation] = {}
        # title → topic: this build's, and the last build's (kept in the link cache: the
        # regular expressions cost 0.4 s over 20,000 titles)
        self.topics: dict[str, str] = {}
        self._known_topics = topics or {}
        self._index()

    def topic(self, d: DocumentRecord) -> str:
        """The document's title topic, computed once."""
        return self.topic_of(str(d.title.value)) if d.title else ""

    def topic_of(self, title: str) -> str:
        topic = self.topics.get(title)
        if topic is None:
            topic = self._known_topics.get(title)
            self.topics[title] = topic = _topic(title) if topic is None else topic
        return topic

    def _index(self) -> None:
        """The first document (in corpus order) of each 文号 and of each title topic."""
        self._by_number: dict[str, str] = {}
        self._by_topic: dict[str, str] = {}
        for d in self.corpus.documents.values():
            self._add_to_index(d)

    def _add_to_index(self, d: DocumentRecord) -> None:
        if d.doc_number:
            self._by_number.setdefault(cast(str, d.doc_number.value), d.key)  # a 文号 fact holds a str
        if d.title and self.topic(d):
            self._by_topic.setdefault(self.topic(d), d.key)

    # -- references ---------------------------------------------------------------------
    def resolve(self, ref: DocRef) -> str:
        """The document a reference names: by 文号, else by title; one known only from the
        reference is added."""
        if ref.doc_number:
            if ref.doc_number in self._by_number:
                return self._by_number[ref.doc_number]
        elif ref.title:
            topic = self.topic_of(ref.title)
            if topic and topic in self._by_topic:
                return self._by_topic[topic]
        record = self._referenced_only(ref)
        replaced = record.key in self.corpus.documents
        self.corpus.documents[record.key] = record
        if replaced:
            self._index()  # a key taken again: the indexes are rebuilt from the corpus
        else:
            self._add_to_index(record)
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
            number_as_written=Fact(ref.number_as_written, ref.evidence) if ref.number_as_written else None,
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
                    elif kind == "repeals" and record.source_file:  # a text that repeals itself: no relation
                        self.corpus.diagnostics.append(Diagnostic(
                            "warning", record.source_file, None,
                            f"the document repeals itself ({ref.evidence.exact!r}): no repeal is recorded"))

    def repeal_ends(self) -> None:
        """A repealed document's last day in force is the day before its repeal takes effect."""
        docs = self.corpus.documents
        for (kind, source, target), rel in self._relations.items():
            if kind != "repeals":
                continue
            start = docs[source].entry_into_force
            if start is None:
                continue
            last = cast(dt.date, start.value) - dt.timedelta(days=1)
            end = docs[target].no_longer_in_force
            if end is None or cast(dt.date, end.value) > last:
                docs[target].no_longer_in_force = Fact(last, rel.evidence[0])

    # -- drafts and successors ------------------------------------------------------------
    @staticmethod
    def _when(d: DocumentRecord) -> dt.date | None:
        for fact in (d.date_document, d.date_publication, d.entry_into_force):
            if fact:
                return cast(dt.date, fact.value)
        return None

    def drafts(self) -> None:
        """Each draft's final: a document of the same jurisdiction dated no earlier, with
        similar title and text. Titles are compared first (short), the bodies of those
        close enough only, each with the cut-off the best so far sets."""
        docs = [d for d in self.corpus.documents.values() if not d.referenced_only]
        finals: dict[tuple[str, ...], list[tuple[DocumentRecord, dt.date | None, str]]] = defaultdict(list)
        for d in docs:
            if not (d.is_draft and d.is_draft.value) and d.title:
                finals[d.jurisdiction].append((d, self._when(d), self.topic(d)))  # each computed once
        pools = {place: self._pool_digest(pool) for place, pool in finals.items()}
        known, self.matches = self.matches, {}  # kept for this corpus's drafts only
        for draft in (d for d in docs if d.is_draft and d.is_draft.value):
            identity, pool = self.extracted_from.get(draft.key), pools.get(draft.jurisdiction, "")
            kept = known.get(draft.key)
            if identity and pool and kept and kept[:2] == (identity, pool):
                match = kept
            else:
                best = self._match(draft, finals.get(draft.jurisdiction, ()))
                match = (identity, pool, (best[1].key, *best[2:4], best[0]) if best else None)
            if match[2] is not None:
                final_key, title, body, score = match[2]
                self._draft_of(draft, self.corpus.documents[final_key], score, title, body)
            if identity and pool:
                self.matches[draft.key] = match

    def _pool_digest(self, pool: list[tuple[DocumentRecord, dt.date | None, str]]) -> str:
        """What matching a draft of this jurisdiction reads of its finals, in corpus order; ""
        when a final was not extracted from a known file."""
        h = hashlib.sha256()
        for final, _, _ in pool:
            identity = self.extracted_from.get(final.key)
            if identity is None:
                return ""
            h.update(f"{final.key}\0{identity}\0".encode())
        return h.hexdigest()

    def _draft_of(self, draft: DocumentRecord, final: DocumentRecord, score: float, title: float,
                  body: float) -> None:
        assert draft.is_draft is not None and final.title is not None  # a draft says so; a final has a title
        self.relate(
            "draft_of", draft.key, final.key,
            [draft.is_draft.evidence, final.title.evidence],
            method=f"same jurisdiction, final dated after the draft; title similarity {title:.0f}, "
                   f"text similarity {body:.0f} (of 100)",
            score=round(score / 100, 3),
        )

    def _match(self, draft: DocumentRecord, pool_of_place) -> tuple | None:
        """The draft's best final among its jurisdiction's: (score, final, title, body, index)."""
        d_when = self._when(draft)
        candidates = [(f, topic) for f, f_when, topic in pool_of_place
                      if f is not draft and not (d_when and f_when and f_when < d_when)]
        pool = [f for f, _ in candidates]
        close = process.extract(self.topic(draft), [topic for _, topic in candidates], scorer=fuzz.ratio,
                                score_cutoff=DRAFT_TITLE_MIN, limit=None)
        best = None
        # the closest titles first: a body can add at most 100, so once a title is too far
        # for that to reach the best score so far, no later one can; of equal scores the
        # first in corpus order wins
        for _, title, k in sorted(close, key=lambda c: (-c[1], c[2])):
            if best is not None and (title + 100) / 2 < best[0]:
                break
            final = pool[k]
            need = max(2 * DRAFT_SCORE_MIN - title, 2 * best[0] - title if best else 0.0)
            body = fuzz.ratio(draft.body_text, final.body_text, score_cutoff=max(need, 0.0))
            score = (title + body) / 2
            if body and score >= DRAFT_SCORE_MIN and (best is None or score > best[0]
                                                      or (score == best[0] and k < best[4])):
                best = (score, final, title, body, k)
        return best

    def successors(self) -> None:
        """Each ended policy's successor: the first document of the same issuers, on a
        similar topic, to take effect after its last day, with no repeal between them."""
        docs = [d for d in self.corpus.documents.values() if not d.referenced_only
                and not cast(Fact, d.is_draft).value]  # set on every record, Fact(False) or a draft mark
        repealed = {(r.source, r.target) for r in self._relations.values() if r.kind == "repeals"}
        by_issuers: dict[frozenset[str], list[tuple[dt.date, str, str]]] = defaultdict(list)
        for new in docs:
            if new.entry_into_force and new.title:
                by_issuers[frozenset(str(f.value) for f in new.issuers)].append(
                    (cast(dt.date, new.entry_into_force.value), new.key, self.topic(new)))
        for starts in by_issuers.values():
            starts.sort()
        for old in docs:
            if not old.no_longer_in_force or not old.issuers or not old.title:
                continue
            starts = by_issuers.get(frozenset(str(f.value) for f in old.issuers), [])
            end, old_topic = cast(dt.date, old.no_longer_in_force.value), self.topic(old)
            found = None
            # in order of taking effect (then key): the first that qualifies is the earliest
            for i in range(bisect.bisect_right(starts, (end, "\uffff")), len(starts)):
                start, key, topic = starts[i]
                if key == old.key or (key, old.key) in repealed or (old.key, key) in repealed:
                    continue
                similarity = fuzz.ratio(old_topic, topic, score_cutoff=SUCCESSOR_TOPIC_MIN)  # 0 below it
                if similarity:
                    found = (start, key, similarity)
                    break
            if found:
                start, key, similarity = found
                started = self.corpus.documents[key].entry_into_force
                assert started is not None  # by_issuers holds documents with a 施行 date only
                gap = (start - end).days - 1
                self.relate(
                    "succeeds", key, old.key,
                    [old.no_longer_in_force.evidence, started.evidence],
                    method=f"same issuer and topic (similarity {similarity:.0f} of 100), no repeal clause; "
                           f"takes effect {start} after the earlier one's last day "
                           f"{end} ({gap} days between)",
                    score=round(similarity / 100, 3),
                )

    def run(self) -> Corpus:
        self.references()
        self.repeal_ends()
        self.drafts()
        self.successors()
        self.corpus.relations = sorted(self._relations.values(), key=lambda r: (r.kind, r.source, r.target))
        return self.corpus


def link(records: list[DocumentRecord], gazetteer: Gazetteer, extracted_from: dict[str, str] | None = None,
         cache: Path | None = None) -> Corpus:
    """Link the records. With ``cache`` (a file) and what each record was extracted from, a
    draft whose record and whose jurisdiction's finals are as at the last build keeps its
    match (the costliest part: comparing texts); the cache also keeps each title's topic."""
    from policykg.cache.versions import code_version, read_versioned, write_versioned

    version = code_version(__name__)
    known, topics = cast(  # matches, topics: what the last build kept under this version
        "tuple[dict[str, _Match], dict[str, str]]", (read_versioned(cache, version) or ({}, {})) if cache else ({}, {}))
    linker = Linker(records, gazetteer, extracted_from, dict(known), topics)
    corpus = linker.run()
    if cache is not None and (linker.matches != known or linker.topics != topics):
        write_versioned(cache, version, (linker.matches, linker.topics))
    return corpus
