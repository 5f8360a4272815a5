"""Emitting RDF: plain records in, one deterministic Turtle file per document out.

Every resource a researcher may reference gets a stable, readable IRI under
``https://w3id.org/policykg/id/`` (no blank nodes): documents by 文号 or title, evidence
under the node it supports, qualified relation nodes by kind and the two documents.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from .areas import Gazetteer
from .records import Corpus, DateBounds, DocumentRecord, Evidence, Fact, Relation

ELI = Namespace("http://data.europa.eu/eli/ontology#")
PKG = Namespace("https://w3id.org/policykg/ontology#")
ID = Namespace("https://w3id.org/policykg/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES = {
    "eli": ELI, "pkg": PKG, "id": ID, "org": ORG, "oa": OA, "skos": SKOS, "prov": PROV,
    "dcterms": DCTERMS, "xsd": XSD, "rdfs": RDFS, "owl": OWL,
}

# kind → (plain property, its inverse, qualified class, role of source, role of target)
RELATIONS = {
    "repeals": (ELI.repeals, ELI.repealed_by, PKG.Repeal, PKG.repealing, PKG.repealed),
    "cites": (ELI.cites, ELI.cited_by, PKG.Citation, PKG.citing, PKG.cited),
    "implements": (ELI.ensures_implementation_of, PKG.implementedBy, PKG.Implementation,
                   PKG.implementing, PKG.implemented),
    "draft_of": (PKG.draftOf, PKG.hasDraft, PKG.DraftRelation, PKG.draft, PKG.final),
    "succeeds": (PKG.succeeds, PKG.succeededBy, PKG.Succession, PKG.successor, PKG.predecessor),
}

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


def relation_iri(rel: Relation) -> URIRef:
    return ID[f"relation/{rel.kind}/{_segment(rel.source)}--{_segment(rel.target)}"]


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def _date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def add_evidence(g: Graph, subject: URIRef, node: URIRef, ev: Evidence, about: URIRef | None = None) -> None:
    g.add((subject, PKG.evidence, node))
    g.add((node, RDF.type, PKG.Evidence))
    g.add((node, OA.exact, Literal(ev.exact)))
    g.add((node, OA.start, Literal(ev.start, datatype=XSD.integer)))
    g.add((node, OA.end, Literal(ev.end, datatype=XSD.integer)))
    g.add((node, PKG.sourceFile, Literal(ev.source_file)))
    if about is not None:
        g.add((node, PKG.supportsProperty, about))


class DocumentEmitter:
    def __init__(self, g: Graph, record: DocumentRecord):
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
            g.add((iri, ELI.passed_by, org))
            g.add((org, RDF.type, ORG.Organization))
            g.add((org, SKOS.prefLabel, Literal(str(issuer.value), lang="zh")))
            if issuer.evidence:
                add_evidence(g, iri, URIRef(f"{iri}/evidence/passed_by/{_segment(str(issuer.value))}"),
                             issuer.evidence, ELI.passed_by)
        if r.jurisdiction:
            g.add((iri, ELI.jurisdiction, area_iri(r.jurisdiction)))


def emit_relation(g: Graph, rel: Relation) -> None:
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


def areas_graph(corpus: Corpus, gazetteer: Gazetteer) -> Graph:
    g = new_graph()
    paths = {d.jurisdiction for d in corpus.documents.values() if d.jurisdiction}
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


def graph_files(corpus: Corpus, gazetteer: Gazetteer) -> dict[str, Graph]:
    """File name → graph: one per corpus document, one for documents known only from
    references, one for shared reference data (areas)."""
    files: dict[str, Graph] = {}
    owner: dict[str, str] = {}
    for key, record in sorted(corpus.documents.items()):
        name = (Path(record.source_file).stem if record.source_file else "referenced") + ".ttl"
        g = files.setdefault(name, new_graph())
        DocumentEmitter(g, record).emit()
        owner[key] = name
    for rel in corpus.relations:
        emit_relation(files[owner[rel.source]], rel)
    files["areas.ttl"] = areas_graph(corpus, gazetteer)
    return files


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_graphs(files: dict[str, Graph], out_dir: Path) -> int:
    """Write every graph as Turtle, remove stale ``.ttl`` files; the number of triples."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.ttl"):
        if stale.name not in files:
            stale.unlink()
    total = 0
    for name, g in sorted(files.items()):
        write_atomic(out_dir / name, g.serialize(format="turtle", encoding="utf-8"))
        total += len(g)
    return total
