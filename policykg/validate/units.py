"""Validation units: a graph file, or a slice of a large one, validated by pyshacl-turbo on its
own triples plus their context (the one-hop description, read from the store, of what the
unit points to but does not describe) and the ontology's class hierarchy.
"""
from __future__ import annotations

import hashlib
import math
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal, URIRef

from policykg.namespaces import PKG
from policykg.store.terms import rdflib_term
from policykg.validate.findings import (
    RUN,
    SH,
    Finding,
    ValidationError,
    describe,
    findings_of,
)
from policykg.validate.shapes import class_hierarchy_quads, compiled_local_shapes

SLICE_BYTES = 2**20  # a graph file larger than this is validated in slices


SLICE_TRIPLES = 1000  # about one document's worth


CONTEXT_BATCH = 500  # resources per context query


RDF_TYPE = ox.NamedNode(str(RDF.type))


POLICY_DOCUMENT = ox.NamedNode(str(PKG.PolicyDocument))


@dataclass(frozen=True)
class Unit:
    """A graph file, or a slice of a large one: its N-Triples, resources kept whole."""
    path: Path
    slice: int = 0
    ntriples: bytes | None = None

    @cached_property
    def id(self) -> str:
        """The file's name and the slice: ``doc-00001.ttl#0`` (asked for often: made once)."""
        return f"{self.path.name}#{self.slice}"


def units_of(files: list[Path]) -> list[Unit]:
    """One unit per file; a file larger than SLICE_BYTES (``organizations.ttl`` of a
    national corpus) is read once here and cut into slices of about SLICE_TRIPLES triples, each
    resource (a node with its parts, by IRI) kept in one slice. A resource goes to the
    slice its hash picks among a power-of-two number of slices, so a change to one
    resource changes one slice, and the others keep their cached results."""
    units = []
    for f in files:
        if f.stat().st_size <= SLICE_BYTES:
            units.append(Unit(f))
            continue
        triples = read_triples(f)
        count = 1 << max(0, math.ceil(math.log2(max(1.0, len(triples) / SLICE_TRIPLES))))
        slices: list[list[str]] = [[] for _ in range(count)]
        for t in triples:
            subject = cast("ox.NamedNode | ox.BlankNode", t.subject)  # the graph has no RDF-star triples
            slices[zlib.crc32(owner(subject.value).encode()) % count].append(f"{t} .\n")
        units.extend(Unit(f, i, "".join(sorted(lines)).encode("utf-8")) for i, lines in enumerate(slices) if lines)
    return units


def owner(iri: str) -> str:
    """The resource a node belongs to: ``…/id/KIND/NAME`` of ``…/id/KIND/NAME/part/…``."""
    head, sep, rest = iri.partition("/id/")
    return head + sep + "/".join(rest.split("/")[:2]) if sep else iri


def read_triples(path: Path, data: bytes | None = None) -> list[ox.Triple]:
    try:
        if data is not None:
            return list(ox.parse(input=data, format=ox.RdfFormat.N_TRIPLES))
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as exc:
        raise ValidationError(f"{path}: not valid Turtle: {str(exc).splitlines()[0]}") from None


def to_graph(triples: list) -> Graph:
    """pyoxigraph triples as an rdflib graph, term by term (rdflib's N-Triples parser is
    slower than the conversion)."""
    g = Graph()
    g.addN((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object), g) for t in triples)
    return g


_STORE: tuple[str, ox.Store] | None = None


def _store(path: str) -> ox.Store:
    """This process's read-only view of the store at ``path``, opened once per run (a view
    does not see later writes, so :func:`validate_store` drops it when it ends)."""
    global _STORE
    if _STORE is None or _STORE[0] != path:
        _STORE = (path, ox.Store.read_only(path))
    return _STORE[1]


def _context(store: ox.Store, wanted: list[ox.NamedNode]) -> list[ox.Triple]:
    """What the unit's shapes need to know of resources described elsewhere: the one-hop
    description of a shared resource (an organization, an area, a concept, a relation node),
    and only the types of another document's parts (a measure an alignment points to), which
    are checked in their own document."""
    out: list[ox.Triple] = []
    parts = [n for n in wanted if "/id/doc/" in n.value]
    shared = [n for n in wanted if "/id/doc/" not in n.value]
    for nodes, pattern in ((shared, "?s ?p ?o"), (parts, "?s rdf:type ?o BIND (rdf:type AS ?p)")):
        for i in range(0, len(nodes), CONTEXT_BATCH):
            values = " ".join(str(n) for n in nodes[i:i + CONTEXT_BATCH])
            query = (f"PREFIX rdf: <{RDF}>\nSELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} {pattern} }}")
            out.extend(ox.Triple(row["s"], row["p"], row["o"])
                       for row in cast(ox.QuerySolutions, store.query(query, use_default_graph_as_union=True)))  # a SELECT
    return out


@dataclass
class UnitResult:
    """What validating a unit found, and what it depends on (for the next run's cache)."""
    digest: str
    describes: dict[str, str]  # the resources it types (its own), each with a digest of its triples;
    # kept apart from the rest in the cache (:class:`Descriptions`), read for the units that change
    refers: frozenset[str]  # the resources described elsewhere that its context holds
    findings: list[Finding]
    triples: int
    documents: list[tuple[str | None, str]]


def unit_id(unit: Unit) -> str:
    return unit.id


def validate_unit(args: tuple[Unit, str, str, str]) -> UnitResult:
    """One unit: its findings, its number of triples and its documents (source, label)."""
    unit, store_path, check_date, digest = args
    own = read_triples(unit.path, unit.ntriples)
    # a resource belongs to the file that types it; one this unit only points to (or states
    # an inverse relation of) is described by its own file, and is context here
    typed = {t.subject for t in own if t.predicate == RDF_TYPE}
    nodes = {t.object for t in own if isinstance(t.object, ox.NamedNode)} | {t.subject for t in own}
    wanted = sorted((n for n in nodes - typed if isinstance(n, ox.NamedNode)), key=str)
    context = _context(_store(store_path), wanted)
    check = ox.Triple(ox.NamedNode(str(RUN)), ox.NamedNode(str(PKG.checkDate)),
                      ox.Literal(check_date, datatype=ox.NamedNode(str(XSD.date))))
    triples = [*own, *context, check]
    mine = {URIRef(s.value) for s in typed if isinstance(s, ox.NamedNode)}
    # handed to the engine as an in-memory pyoxigraph store (an rdflib graph costs more to
    # build and to convert than the validation); focused on the unit's own resources, since
    # its context is checked in its own unit
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    store.bulk_extend(class_hierarchy_quads())
    _, results, _ = compiled_local_shapes().validate(
        store, inference="none", allow_warnings=True, allow_infos=True, focus_nodes=sorted(mine))
    findings = []
    if (None, RDF.type, SH.ValidationResult) in results:  # rdflib's view of the data, for the quotes
        data = to_graph(triples)
        findings = findings_of(data, _as_written(results, data), about=mine)
    docs = {cast(ox.NamedNode, t.subject) for t in own if t.predicate == RDF_TYPE and t.object == POLICY_DOCUMENT}
    described = to_graph([t for t in own if t.subject in docs])
    documents = [(source, label) for label, source in (describe(described, URIRef(d.value)) for d in docs)]
    return UnitResult(digest, descriptions_of(own), frozenset(n.value for n in wanted), findings, len(own), documents)


def _as_written(results: Graph, data: Graph) -> Graph:
    """The results with each literal value spelled as the data spells it: the engine read
    the data from a store, which keeps a literal's value, not its spelling (-5.0 as -5)."""
    for r, value in list(results.subject_objects(SH.value)):
        focus, path = results.value(r, SH.focusNode), results.value(r, SH.resultPath)
        if not isinstance(value, Literal) or path is None:
            continue
        written = [o for o in data.objects(focus, path) if isinstance(o, Literal) and o.eq(value)]
        if written and written[0] != value:
            results.set((r, SH.value, written[0]))
    return results


def descriptions_of(triples: list[ox.Triple]) -> dict[str, str]:
    """Each resource the triples type, with a digest of the triples about it."""
    about: dict[str, list[str]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            about.setdefault(t.subject.value, []).append(str(t))
    typed = {t.subject.value for t in triples if t.predicate == RDF_TYPE and isinstance(t.subject, ox.NamedNode)}
    return {r: hashlib.sha256("\n".join(sorted(about[r])).encode()).hexdigest()[:16] for r in typed}


def forget_store() -> None:
    global _STORE
    _STORE = None
