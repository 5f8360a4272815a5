"""Emitting RDF: plain records in, one deterministic Turtle file per document out.

Every resource a researcher may reference gets a stable, readable IRI under
``https://w3id.org/policykg/id/`` (no blank nodes): documents by 文号 or title, evidence
under the node it supports, qualified relation nodes by kind and the two documents.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .areas import Gazetteer
from .files import write_atomic
from .namespaces import ELI, ID, OA, ORG, PKG, PREFIXES, RELATIONS
from .records import (
    AlignmentRecord,
    Corpus,
    DateBounds,
    DocumentRecord,
    Evidence,
    Fact,
    IncentiveRecord,
    LadderRecord,
    MeasureRecord,
    Relation,
    TargetRecord,
)
from .schemes import IncentiveTypes, TierScheme

LEVEL_LABELS = {"province": ("省级", "province"), "city": ("市级", "city"), "district": ("区县级", "district")}


_UNSAFE = set(' <>"{}|\\^`#?%/[]')


def _segment(text: str) -> str:
    """An IRI path segment: Chinese and other characters kept (an IRI, RFC 3987), the few
    ASCII characters that break IRIs percent-encoded."""
    return "".join(quote(c, safe="") if c in _UNSAFE or ord(c) < 0x21 else c for c in text)


def document_iri(key: str) -> URIRef:
    return ID[f"doc/{_segment(key)}"]


def area_iri(path: tuple[str, ...]) -> URIRef:
    return ID["area/" + "/".join(_segment(p) for p in path)]


def organization_iri(name: str) -> URIRef:
    return ID[f"org/{_segment(name)}"]


def tier_iri(key: str) -> URIRef:
    return ID[f"tier/{_segment(key)}"]


def incentive_type_iri(key: str) -> URIRef:
    return ID[f"incentive-type/{_segment(key)}"]


def measure_iri(doc_key: str, ordinal: int) -> URIRef:
    return URIRef(f"{document_iri(doc_key)}/measure/{ordinal}")


def relation_iri(rel: Relation) -> URIRef:
    return ID[f"relation/{rel.kind}/{_segment(rel.source)}--{_segment(rel.target)}"]


class Triples:
    """What the emitters write into: a set of triples of rdflib terms.

    The emitters only add; rdflib's ``Graph`` would index every triple three ways (and fire
    an event per add) for lookups a build never makes, which was half of a build's time.
    ``graph()`` gives an rdflib Graph of the same triples when one is wanted."""

    def __init__(self) -> None:
        self._triples: set[tuple] = set()

    def add(self, triple: tuple) -> "Triples":
        self._triples.add(triple)
        return self

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self):
        return iter(self._triples)

    def __contains__(self, triple) -> bool:
        return triple in self._triples

    def graph(self) -> Graph:
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        for triple in self._triples:
            g.add(triple)
        return g


def new_graph() -> Triples:
    return Triples()


def _decimal(value) -> Literal:
    return Literal(str(value), datatype=XSD.decimal)


def _date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def add_evidence(g: Triples, subject: URIRef, node: URIRef, ev: Evidence, about: URIRef | None = None) -> None:
    g.add((subject, PKG.evidence, node))
    g.add((node, RDF.type, PKG.Evidence))
    g.add((node, OA.exact, Literal(ev.exact)))
    g.add((node, OA.start, Literal(ev.start, datatype=XSD.integer)))
    g.add((node, OA.end, Literal(ev.end, datatype=XSD.integer)))
    g.add((node, PKG.sourceFile, Literal(ev.source_file)))
    if about is not None:
        g.add((node, PKG.supportsProperty, about))


class DocumentEmitter:
    def __init__(self, g: Triples, record: DocumentRecord):
        self.g = g
        self.record = record
        self.iri = document_iri(record.key)

    def fact(self, prop: URIRef, fact: Fact | None, literal) -> None:
        if fact is None or fact.value is None:
            return
        self.g.add((self.iri, prop, literal(fact.value)))
        if fact.evidence:
            name = prop.split("#")[-1]
            add_evidence(self.g, self.iri, URIRef(f"{self.iri}/evidence/{name}"), fact.evidence, prop)

    def bounds(self, fact: Fact | None, lower: URIRef, upper: URIRef) -> None:
        if fact is None:
            return
        b: DateBounds = fact.value
        self.fact(lower, Fact(b.earliest, fact.evidence), _date)
        self.g.add((self.iri, upper, _date(b.latest)))

    def emit(self) -> None:
        r, g, iri = self.record, self.g, self.iri
        g.add((iri, RDF.type, PKG.PolicyDocument))
        g.add((iri, RDFS.label, Literal(r.label, lang="zh")))
        zh = lambda v: Literal(v, lang="zh")  # noqa: E731
        self.fact(ELI.title, r.title, zh)
        self.fact(ELI.id_local, r.doc_number, Literal)
        self.fact(ELI.date_document, r.date_document, _date)
        self.fact(PKG.headerDateDocument, r.header_date_document, _date)
        self.fact(ELI.date_publication, r.date_publication, _date)
        self.fact(ELI.first_date_entry_in_force, r.entry_into_force, _date)
        self.fact(ELI.date_no_longer_in_force, r.no_longer_in_force, _date)
        self.bounds(r.entry_into_force_bounds, PKG.entryIntoForceNotBefore, PKG.entryIntoForceNotAfter)
        self.bounds(r.no_longer_in_force_bounds, PKG.noLongerInForceNotBefore, PKG.noLongerInForceNotAfter)
        self.fact(PKG.validityPeriod, r.validity_years,
                  lambda n: Literal(f"P{n}Y", datatype=XSD.duration))
        self.fact(PKG.statedValidity, r.stated_validity, zh)
        is_draft = r.is_draft or Fact(False)
        self.fact(PKG.isDraft, is_draft, lambda v: Literal(bool(v)))
        g.add((iri, PKG.referencedOnly, Literal(r.referenced_only)))
        if r.source_file:
            g.add((iri, PKG.sourceFile, Literal(r.source_file)))
        for issuer in r.issuers:
            org = organization_iri(str(issuer.value))
            g.add((iri, ELI.passed_by, org))  # described once, in organizations.ttl
            if issuer.evidence:
                add_evidence(g, iri, URIRef(f"{iri}/evidence/passed_by/{_segment(str(issuer.value))}"),
                             issuer.evidence, ELI.passed_by)
        if r.jurisdiction:
            g.add((iri, ELI.jurisdiction, area_iri(r.jurisdiction)))
        self.fact(PKG.overlapRule, r.overlap_rule, zh)
        for principle in r.overlap_principles:
            g.add((iri, PKG.overlapPrinciple, Literal(principle, lang="zh")))

    def emit_parts(self, corpus: Corpus) -> None:
        for measure in self.record.measures:
            self.measure(measure, corpus)
        for i, target in enumerate(self.record.targets, 1):
            self.target(URIRef(f"{self.iri}/target/{i}"), target)
        if self.record.ladder:
            self.ladder(self.record.ladder)

    def measure(self, m: MeasureRecord, corpus: Corpus) -> None:
        g, doc = self.g, self.iri
        iri = measure_iri(self.record.key, m.ordinal)
        g.add((iri, RDF.type, PKG.Measure))
        g.add((doc, ELI.has_part, iri))
        g.add((iri, ELI.is_part_of, doc))
        g.add((iri, ELI.number, Literal(m.number)))
        g.add((iri, PKG.ordinal, Literal(m.ordinal, datatype=XSD.integer)))
        g.add((iri, RDFS.label, Literal(f"{self.record.label} {m.number}", lang="zh")))
        if m.section:
            g.add((iri, PKG.section, Literal(m.section, lang="zh")))
        if m.heading:
            g.add((iri, PKG.heading, Literal(m.heading, lang="zh")))
        g.add((iri, PKG.text, Literal(m.text, lang="zh")))
        add_evidence(g, iri, URIRef(f"{iri}/evidence/text"), m.evidence, PKG.text)
        resp = m.responsibility
        if resp is not None:
            for unit in resp.units:
                org = organization_iri(corpus.unit_organizations[(self.record.key, unit.name)])
                g.add((iri, PKG.responsibleUnit, org))
                if unit.role == "lead":
                    g.add((iri, PKG.leadUnit, org))
                elif unit.role == "cooperating":
                    g.add((iri, PKG.cooperatingUnit, org))
                if unit.implicit:
                    g.add((iri, PKG.impliedUnit, org))
            if resp.lead_basis:
                g.add((iri, PKG.leadBasis, Literal(resp.lead_basis)))
            if any(not u.implicit for u in resp.units):
                add_evidence(g, iri, URIRef(f"{iri}/evidence/responsibleUnit"), resp.evidence, PKG.responsibleUnit)
            if resp.implicit_evidence is not None:
                add_evidence(g, iri, URIRef(f"{iri}/evidence/impliedUnit"), resp.implicit_evidence, PKG.impliedUnit)
        for tier in dict.fromkeys(t.tier for t in m.tiers):
            g.add((iri, PKG.mentionsTier, tier_iri(tier)))
        for i, incentive in enumerate(m.incentives, 1):
            node = URIRef(f"{iri}/incentive/{i}")
            g.add((iri, PKG.offers, node))
            self.incentive(node, incentive)

    def incentive(self, iri: URIRef, inc: IncentiveRecord) -> None:
        g = self.g
        g.add((iri, RDF.type, PKG.Incentive))
        g.add((iri, PKG.incentiveType, incentive_type_iri(inc.kind)))
        for tier in inc.tiers:
            g.add((iri, PKG.forTier, tier_iri(tier)))
        for prop, value in ((PKG.amount, inc.amount), (PKG.maxAmount, inc.max_amount),
                            (PKG.minInvestment, inc.min_investment),
                            (PKG.previousMinInvestment, inc.previous_min_investment), (PKG.rate, inc.rate)):
            if value is not None:
                g.add((iri, prop, _decimal(value)))
        if inc.rate_bound:
            g.add((iri, PKG.rateBound, Literal(inc.rate_bound)))
        g.add((iri, PKG.perYear, Literal(inc.per_year)))
        add_evidence(g, iri, URIRef(f"{iri}/evidence/quote"), inc.evidence)

    def target(self, iri: URIRef, t: TargetRecord) -> None:
        g = self.g
        g.add((self.iri, PKG.setsTarget, iri))
        g.add((iri, RDF.type, PKG.Target))
        g.add((iri, PKG.forTier, tier_iri(t.tier)))
        g.add((iri, PKG.targetCount, Literal(t.count, datatype=XSD.integer)))
        g.add((iri, PKG.targetYear, Literal(str(t.year), datatype=XSD.gYear)))
        g.add((iri, PKG.cumulative, Literal(t.cumulative)))
        g.add((iri, PKG.baseline, Literal(t.baseline)))
        add_evidence(g, iri, URIRef(f"{iri}/evidence/quote"), t.evidence)

    def ladder(self, ladder: LadderRecord) -> None:
        g = self.g
        iri = URIRef(f"{self.iri}/ladder")
        g.add((self.iri, PKG.hasLadder, iri))
        g.add((iri, RDF.type, PKG.TierLadder))
        for pos, rung in enumerate(ladder.rungs, 1):
            node = URIRef(f"{iri}/{pos}")
            g.add((iri, PKG.rung, node))
            g.add((node, RDF.type, PKG.LadderRung))
            g.add((node, PKG.position, Literal(pos, datatype=XSD.integer)))
            for tier in rung:
                g.add((node, PKG.forTier, tier_iri(tier)))
        add_evidence(g, iri, URIRef(f"{iri}/evidence/quote"), ladder.evidence)


def emit_relation(g: Triples, rel: Relation) -> None:
    prop, inverse, cls, role_source, role_target = RELATIONS[rel.kind]
    source, target = document_iri(rel.source), document_iri(rel.target)
    g.add((source, prop, target))
    g.add((target, inverse, source))
    node = relation_iri(rel)
    g.add((node, RDF.type, cls))
    g.add((node, role_source, source))
    g.add((node, role_target, target))
    if rel.method:
        g.add((node, PKG.method, Literal(rel.method, lang="en")))
    if rel.score is not None:
        g.add((node, PKG.score, Literal(str(rel.score), datatype=XSD.decimal)))
    for i, ev in enumerate(rel.evidence, 1):
        add_evidence(g, node, URIRef(f"{node}/evidence/{i}"), ev)


def areas_graph(corpus: Corpus, gazetteer: Gazetteer) -> Triples:
    g = new_graph()
    paths = {d.jurisdiction for d in corpus.documents.values() if d.jurisdiction}
    paths |= {o.area for o in corpus.organizations.values() if o.area}
    for path in sorted(paths):
        for depth in range(1, len(path) + 1):
            sub = path[:depth]
            iri = area_iri(sub)
            g.add((iri, RDF.type, PKG.AdministrativeArea))
            g.add((iri, SKOS.prefLabel, Literal(sub[-1], lang="zh")))
            level = gazetteer.level(sub[-1]) or ("district" if depth == 3 else None)
            if level:
                g.add((iri, PKG.areaLevel, Literal(level)))
            if depth > 1:
                g.add((iri, PKG.withinArea, area_iri(path[:depth - 1])))
    return g


def organizations_graph(corpus: Corpus) -> Triples:
    """Every organization once: the resolved units, then the issuers (named as signed) that
    are not also units. One file describes each, so no triple is stated in two files."""
    g = new_graph()
    issuers = {str(i.value) for d in corpus.documents.values() for i in d.issuers}
    for name in sorted(issuers - set(corpus.organizations)):
        iri = organization_iri(name)
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, Literal(name, lang="zh")))
    for key, org in sorted(corpus.organizations.items()):
        iri = organization_iri(key)
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, Literal(org.pref_label, lang="zh")))
        for alt in sorted(org.alt_labels | ({org.full_name} if org.full_name else set())):
            if alt != org.pref_label:
                g.add((iri, SKOS.altLabel, Literal(alt, lang="zh")))
        if org.area:
            g.add((iri, DCTERMS.spatial, area_iri(org.area)))
        if org.parent:
            g.add((iri, ORG.subOrganizationOf, organization_iri(org.parent)))
        if org.source:
            g.add((iri, DCTERMS.source, Literal(org.source, lang="zh")))
    for change in corpus.organization_changes:
        iri = ID[f"org-change/{_segment(change.original)}--{_segment(change.resulting)}"]
        original, resulting = organization_iri(change.original), organization_iri(change.resulting)
        g.add((iri, RDF.type, ORG.ChangeEvent))
        g.add((iri, ORG.originalOrganization, original))
        g.add((iri, ORG.resultingOrganization, resulting))
        g.add((original, ORG.changedBy, iri))
        g.add((resulting, ORG.resultedFrom, iri))
        g.add((iri, RDFS.label, Literal(f"{corpus.organizations[change.original].pref_label} → "
                                        f"{corpus.organizations[change.resulting].pref_label}", lang="zh")))
        if change.date:
            g.add((iri, DCTERMS.date, Literal(change.date, datatype=XSD.gYear)))
        g.add((iri, DCTERMS.source, Literal(change.source, lang="zh")))
    return g


def emit_alignment(g: Triples, corpus: Corpus, al: AlignmentRecord) -> None:
    """One alignment's measure correspondences, as qualified nodes beside pkg:correspondsTo.
    It lies in the file of its later version, so a change to one document reaches its own
    file and its successor's, not a file every alignment shares."""
    iri = ID[f"alignment/{_segment(al.before)}--{_segment(al.after)}"]
    g.add((iri, RDF.type, PKG.Alignment))
    g.add((iri, PKG.alignedFrom, document_iri(al.before)))
    g.add((iri, PKG.alignedTo, document_iri(al.after)))
    g.add((iri, RDFS.comment, Literal("measures linked to the other version's measure that best contains "
                                      "them (idf-weighted character bigrams); see policykg/align.py", lang="en")))
    before, after = corpus.documents[al.before].measures, corpus.documents[al.after].measures
    for k, c in enumerate(al.correspondences, 1):
        node = URIRef(f"{iri}/{k}")
        g.add((node, RDF.type, PKG.MeasureCorrespondence))
        g.add((node, PKG.inAlignment, iri))
        g.add((node, PKG.changeKind, Literal(c.kind)))
        if c.score is not None:
            g.add((node, PKG.score, _decimal(c.score)))
        olds = [measure_iri(al.before, before[i].ordinal) for i in c.before]
        news = [measure_iri(al.after, after[j].ordinal) for j in c.after]
        for m in olds:
            g.add((node, PKG.fromMeasure, m))
        for m in news:
            g.add((node, PKG.toMeasure, m))
        for old in olds:
            for new in news:
                g.add((old, PKG.correspondsTo, new))
        for figure in c.figures_before:
            g.add((node, PKG.figureBefore, Literal(figure, lang="zh")))
        for figure in c.figures_after:
            g.add((node, PKG.figureAfter, Literal(figure, lang="zh")))


def schemes_graph(corpus: Corpus, tiers: TierScheme, types: IncentiveTypes) -> Triples:
    """The tier and incentive-type concepts, with every wording of a tier the corpus uses."""
    g = new_graph()
    met: dict[str, set[str]] = {}
    for doc in corpus.documents.values():
        for tier, written in doc.summary().tier_wordings:
            met.setdefault(tier, set()).add(written)
    for tier in tiers.tiers.values():
        iri = tier_iri(tier.key)
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.inScheme, PKG.EnterpriseTierScheme))
        g.add((iri, SKOS.prefLabel, Literal(tier.zh, lang="zh")))
        g.add((iri, SKOS.prefLabel, Literal(tier.en, lang="en")))
        g.add((iri, SKOS.notation, Literal(tier.key)))
        g.add((iri, PKG.tierRank, Literal(tier.rank, datatype=XSD.integer)))
        for label in sorted(set(tier.labels) | met.get(tier.key, set())):
            if label != tier.zh:
                g.add((iri, SKOS.altLabel, Literal(label, lang="zh")))
    ranks = sorted({t.rank for t in tiers.tiers.values()})
    for tier in tiers.tiers.values():
        below = [r for r in ranks if r < tier.rank]
        for lower in tiers.tiers.values():
            if below and lower.rank == below[-1]:
                g.add((tier_iri(tier.key), PKG.higherTierThan, tier_iri(lower.key)))
    for key in types.order:
        iri = incentive_type_iri(key)
        zh, en = types.labels[key]
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.inScheme, PKG.IncentiveTypeScheme))
        g.add((iri, SKOS.prefLabel, Literal(zh, lang="zh")))
        g.add((iri, SKOS.prefLabel, Literal(en, lang="en")))
        g.add((iri, SKOS.notation, Literal(key)))
    return g


def file_name(record: DocumentRecord) -> str:
    """The graph file a document's triples go to: its corpus file's, or referenced.ttl."""
    return _stem(record.source_file) + ".ttl" if record.source_file else "referenced.ttl"


@lru_cache(maxsize=None)
def _stem(source_file: str) -> str:
    # Path(source_file).stem, without making a Path (0.7 s for 21,028 files)
    return os.path.splitext(os.path.basename(source_file))[0]


@dataclass
class FileParts:
    """What one document file holds: its documents (by key), the relations they are the
    source of, and the alignments toward them."""

    keys: list[str]
    relations: list[Relation] = field(default_factory=list)
    alignments: list[AlignmentRecord] = field(default_factory=list)


def file_parts(corpus: Corpus) -> dict[str, FileParts]:
    """File name → what it holds."""
    parts: dict[str, FileParts] = {}
    for key, record in sorted(corpus.documents.items()):
        parts.setdefault(file_name(record), FileParts([])).keys.append(key)
    for rel in corpus.relations:
        parts[file_name(corpus.documents[rel.source])].relations.append(rel)
    for al in corpus.alignments:
        parts[file_name(corpus.documents[al.after])].alignments.append(al)
    return parts


def document_graph(corpus: Corpus, parts: FileParts) -> Triples:
    """One file's graph: its documents with their measures, incentives, targets and ladder,
    the relations they are the source of, and the alignments toward them."""
    g = new_graph()
    for key in parts.keys:
        emitter = DocumentEmitter(g, corpus.documents[key])
        emitter.emit()
        emitter.emit_parts(corpus)
    for rel in parts.relations:
        emit_relation(g, rel)
    for al in parts.alignments:
        emit_alignment(g, corpus, al)
    return g


SHARED_FILES = ("areas.ttl", "organizations.ttl", "schemes.ttl")


def shared_graph(name: str, corpus: Corpus, gazetteer: Gazetteer) -> Triples:
    """A file every document shares: areas, organizations, schemes."""
    if name == "areas.ttl":
        return areas_graph(corpus, gazetteer)
    if name == "organizations.ttl":
        return organizations_graph(corpus)
    return schemes_graph(corpus, TierScheme.load(), IncentiveTypes.load())


def shared_signature(name: str, corpus: Corpus) -> str:
    """A digest of what a shared file is emitted from (the code and reference data are in
    the state's version): areas from the documents' and organizations' areas, organizations
    from the resolved ones, the issuers and the reorganizations, schemes from the wordings
    of tiers."""
    docs = corpus.documents.values()
    if name == "areas.ttl":
        inputs: object = sorted({d.jurisdiction for d in docs if d.jurisdiction}
                                | {o.area for o in corpus.organizations.values() if o.area})
    elif name == "organizations.ttl":
        inputs = (sorted({str(i.value) for d in docs for i in d.issuers}),
                  [tuple(sorted(v) if isinstance(v, set) else v for v in vars(o).values())
                   for _, o in sorted(corpus.organizations.items())],
                  corpus.organization_changes)
    else:
        inputs = sorted({w for d in docs for w in d.summary().tier_wordings})
    return value_digest(inputs)


# The corpus a forked emit worker reads (inherited copy-on-write, never pickled).
_EMIT_CORPUS: Corpus | None = None
_EMIT_PARTS: dict[str, FileParts] = {}


def emit_signature(corpus: Corpus, parts: FileParts) -> str:
    """A digest of everything one file's graph is emitted from: its records (after linking),
    the relations they are the source of, the organizations their units resolved to (implied
    by what a record was extracted from, when that is known), and the alignments toward them
    with the earlier version's measure numbering. The code emit runs, and the code and data
    that resolve units, are in the state's version (:class:`EmitState`)."""
    records = [corpus.documents[k] for k in parts.keys]
    # the organizations a record's units resolve to follow from its names and jurisdiction, so
    # from what it was extracted from, with the resolving code and data in the state's version
    units = [corpus.unit_organizations[(r.key, name)] for r in records if r.key not in corpus.extracted_from
             for _, _, name, _ in r.summary().units_named]
    # the earlier version's measure numbering, by what its record was extracted from when known
    earlier = [corpus.extracted_from.get(al.before) or [m.ordinal for m in corpus.documents[al.before].measures]
               for al in parts.alignments]
    # a record is named by what it was extracted from, with what linking set (its key and its
    # end): pickling every record whole cost most of an unchanged build's emit
    named = [(corpus.extracted_from[r.key], r.key, r.no_longer_in_force) if r.key in corpus.extracted_from else r
             for r in records]
    # an alignment by what it was aligned from, when that is known
    alignments = [(al.before, al.after, al.relation, al.digest) if al.digest else al for al in parts.alignments]
    return value_digest((named, parts.relations, units, alignments, earlier))


def value_digest(value: object) -> str:
    """A digest of a value, not of how its objects happen to be shared: pickled with the memo
    off (a record read back from the cache shares its strings otherwise than a fresh one)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def _emit_file(name: str) -> tuple[str, bytes, int]:
    """One file's Turtle and number of triples."""
    g = document_graph(_EMIT_CORPUS, _EMIT_PARTS[name])
    return name, turtle_bytes(g), len(g)


class EmitState:
    """What the last build emitted, kept in ``OUT/.cache/emit.pickle``: for each graph file
    (a document's, or a shared one) the signature it was emitted from, its number of
    triples, and the size and modification time it was left with. A file still as it was
    left, whose signature is unchanged, is not emitted again; a file changed by hand, or any
    file after the code emit runs changed, is."""

    def __init__(self, out_dir: Path, enabled: bool = True):
        from .versions import CACHE_DIR, code_version, read_versioned

        self.path = out_dir / CACHE_DIR / "emit.pickle"
        self.version = code_version(__name__, "policykg.organizations")  # what emits, and what resolves units
        self.files: dict[str, tuple[str, int, int, int]] = (read_versioned(self.path, self.version) or {}) if enabled else {}
        self.enabled = enabled

    def known(self, out_dir: Path) -> dict[str, str]:
        """File → signature, for the files still as the last build left them."""
        out = {}
        for name, (signature, size, mtime_ns, _) in self.files.items():
            try:
                st = (out_dir / name).stat()
            except OSError:
                continue
            if (st.st_size, st.st_mtime_ns) == (size, mtime_ns):
                out[name] = signature
        return out

    def save(self, files: dict[str, tuple[str, int, int, int]]) -> None:
        from .versions import write_versioned

        if self.enabled:
            write_versioned(self.path, self.version, files)


def write_corpus(corpus: Corpus, gazetteer: Gazetteer, out_dir: Path, jobs: int = 1,
                 use_cache: bool = True) -> tuple[int, list[str]]:
    """Emit and write every graph file (per-document ones in ``jobs`` forked processes when
    there are many), remove stale ``.ttl`` files; the number of triples and the files. With
    ``use_cache``, a document file whose inputs and bytes on disk are as the last build
    left them is not emitted again (:class:`EmitState`)."""
    global _EMIT_CORPUS, _EMIT_PARTS
    parts = file_parts(corpus)
    out_dir.mkdir(parents=True, exist_ok=True)
    state = EmitState(out_dir, use_cache)
    known = state.known(out_dir)
    written: dict[str, int] = {}
    emitted: dict[str, tuple[str, int, int, int]] = {}

    def write(name: str, data: bytes | None, triples: int | None, signature: str | None = None) -> None:
        path = out_dir / name
        if data is None:  # unchanged since the last build
            emitted[name] = state.files[name]
            written[name] = state.files[name][3]
            return
        try:
            same = path.stat().st_size == len(data) and path.read_bytes() == data
        except OSError:
            same = False
        if not same:  # an unchanged file keeps its modification time: readers need not reload it
            write_atomic(path, data)
        written[name] = triples
        if signature is not None:
            st = path.stat()
            emitted[name] = (signature, st.st_size, st.st_mtime_ns, triples)

    # signatures here, the files whose signature changed in workers: an update emits a few
    signatures = {name: emit_signature(corpus, p) for name, p in sorted(parts.items())}
    todo = [name for name, signature in signatures.items() if known.get(name) != signature]
    for name in signatures.keys() - set(todo):
        write(name, None, None)
    _EMIT_CORPUS, _EMIT_PARTS = corpus, parts
    try:
        if jobs > 1 and len(todo) >= PARALLEL_EMIT_FROM:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                for name, data, triples in pool.map(_emit_file, todo, chunksize=8):
                    write(name, data, triples, signatures[name])
        else:
            for name in todo:
                write(*_emit_file(name), signatures[name])
    finally:
        _EMIT_CORPUS, _EMIT_PARTS = None, {}
    for name in SHARED_FILES:
        signature = shared_signature(name, corpus)
        if known.get(name) == signature:
            write(name, None, None)
        else:
            g = shared_graph(name, corpus, gazetteer)
            write(name, turtle_bytes(g), len(g), signature)
    for stale in out_dir.glob("*.ttl"):
        if stale.name not in written:
            stale.unlink()
    state.save(emitted)
    return sum(written.values()), sorted(written)


PARALLEL_EMIT_FROM = 32


def turtle_bytes(g: Triples | Graph) -> bytes:
    """``g`` as Turtle, deterministic (triples in the order of their N-Triples form), written
    by pyoxigraph with the project's prefixes (five times faster than rdflib's writer)."""
    triples = sorted({pyoxigraph.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in g}, key=str)
    # instance IRIs stay whole: id:doc\/杭政办函-2023-81 (a slash must be escaped) reads worse
    prefixes = {p: str(ns) for p, ns in sorted(PREFIXES.items()) if p != "id"}
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)


_NAMED: dict[str, pyoxigraph.NamedNode] = {}


def _ox(term):
    """An rdflib term as pyoxigraph's (IRIs remembered: the same few recur everywhere)."""
    if isinstance(term, URIRef):
        node = _NAMED.get(term)
        if node is None:
            node = _NAMED[term] = pyoxigraph.NamedNode(str(term))
            if len(_NAMED) > 200_000:
                _NAMED.clear()
        return node
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=_ox(term.datatype))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"no blank nodes in the graph: {term!r}")
