"""Validation by document: linear in the corpus, for graphs held in the Oxigraph store.

Whole-graph pySHACL (:func:`.validate.validate_graph`) costs more than linear time and
holds the whole graph in rdflib; at a thousand documents it takes minutes and gigabytes.
Here the same shapes run in two parts:

- **Per unit** (a graph file, or a slice of a large one such as the
  ``organizations.ttl`` of a national corpus), in worker processes: pyshacl-turbo, a Rust SHACL engine with
  pySHACL's interface and semantics, on the unit's own triples plus their
  *context* — the one-hop description, read from the store, of every resource the unit
  points to but does not describe (so ``sh:class`` sees the type of an organization
  described in ``organizations.ttl``) — and the ontology's class hierarchy. Only results
  about the unit's own resources count; its context is checked in its own unit.
- **Across documents**: the rules marked ``pks:acrossDocuments true`` in ``shapes/`` (an
  inverse stated in another file, a repealed document's end date, cycles, alignments) run
  once each, as one SPARQL query over the store: the rule's ``sh:select`` with ``$this``
  left free, joined with its shape's target. The ontology and the check date sit in a
  named graph of their own while these run, and are removed after.

Results are :class:`.validate.Finding`, reported exactly as the whole-graph run reports
them; a test checks both give the same findings on every fixture. Unit results are cached
beside the store (``validation-cache.pickle``): a unit is validated again when its bytes
change, or when a resource its context holds is described differently. So are the findings
across documents: a rule marked ``pks:withinOneStep`` (its rows for a node read only the
triples about the node and the nodes it points to) is checked again only around the
subjects the store noted as changed (:meth:`.store.FileStore.pending`) and the nodes
pointing to them, over that neighbourhood in memory; the cycle rule follows its edges from
the changed subjects and from last run's cycle nodes. What each unit described, the larger
part of the cache, is kept in shards (``validation-descriptions/``) read only for the units
that change. Revalidating a corpus where one document changed costs that document, its
neighbours, and reading the cache.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import multiprocessing
import os
import re
import sys
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pyshacl_turbo
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from .namespaces import PKG
from .resources import data_dir
from .store import FileStore, StoreError, file_sha256, frozen_heap, rdflib_term
from .validate import (
    RUN,
    SEVERITY,
    Finding,
    Report,
    ValidationError,
    _describe,
    _document_of,
    _findings,
    _local,
    _quote,
    ontology_graph,
    shapes_graph,
)
from .versions import code_version, read_versioned, write_versioned

SH = Namespace("http://www.w3.org/ns/shacl#")
PKS = Namespace("https://w3id.org/policykg/shapes#")
VALIDATION_GRAPH = ox.NamedNode("urn:policykg:validation")
SLICE_BYTES = 2**20  # a graph file larger than this is validated in slices
SLICE_TRIPLES = 1000  # about one document's worth
CONTEXT_BATCH = 500  # resources per context query
# fewer units than this are validated in the calling process: forking workers that each open the
# store cost more (2 units after a one-document change: 3.4 s with two workers, 2.6 s without)
PARALLEL_UNITS_FROM = 32
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


# --- the shapes, split ---------------------------------------------------------------------

@cache
def local_shapes() -> Graph:
    """The shapes without the rules across documents (those run over the store)."""
    g = Graph()
    g += shapes_graph()
    across = set(g.subjects(PKS.acrossDocuments, Literal(True)))
    for shape, constraint in list(g.subject_objects(SH.sparql)):
        if constraint in across:
            g.remove((shape, SH.sparql, constraint))
    for shape in across:
        if (shape, RDF.type, SH.NodeShape) in g:
            g.add((shape, SH.deactivated, Literal(True)))
    return g


@cache
def compiled_local_shapes() -> pyshacl_turbo.CompiledShapes:
    """The local shapes compiled once per process by pyshacl-turbo, the Rust SHACL engine
    with pySHACL's interface and semantics (SHACL-AF targets, SPARQL constraints): about a
    tenth of pySHACL's time per unit. A test checks both engines report the same findings
    on every fixture."""
    # compiled from a pyoxigraph store, like the data it is given: compiled from rdflib terms,
    # a plain literal of sh:in ("added") does not match the same literal read from a store
    shapes = ox.Store()
    shapes.load(local_shapes().serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return pyshacl_turbo.compile_shapes(shapes, advanced=True)


@cache
def class_hierarchy() -> Graph:
    """The ontology's rdfs:subClassOf triples, which sh:class and sh:targetClass follow."""
    g = Graph()
    for triple in ontology_graph().triples((None, RDFS.subClassOf, None)):
        g.add(triple)
    return g


@cache
def class_hierarchy_quads() -> tuple[ox.Quad, ...]:
    return tuple(ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), ox.NamedNode(str(o)))
                 for s, p, o in class_hierarchy())


def _subclasses(cls: URIRef) -> list[URIRef]:
    found, todo = {cls}, [cls]
    while todo:
        for sub in ontology_graph().subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return sorted(found)


@dataclass(frozen=True)
class Cycle:
    """A rule ``$this P+ $this``, as queries: the edges of P (all, or from the nodes a
    ``VALUES ?s`` block names, put in for ``{values}``), the rule's targets, its ?path."""
    edges: str
    edges_from: str
    targets: str
    path: str


@dataclass(frozen=True)
class AcrossRule:
    shape: URIRef
    constraint: URIRef
    query: str
    message: str
    severity: str
    cycle: Cycle | None = None  # a closure back to $this, answered by components
    one_step: bool = False  # its rows for a node read only the triples about it and the nodes it points to


# A rule that asks whether a path leads from a node back to itself ($this (p|q)+ $this, with
# its ?path bound): Oxigraph computes the closure from every node, which is quadratic in the
# length of the chains; strongly connected components over the edges answer it in one pass.
_CYCLE = re.compile(r"^\s*SELECT\s+\?this\s+\?path\s+WHERE\s*\{\s*\?this\s+(?P<path>\([^()]*\)|\S+)\+\s+\?this\s*\."
                    r"\s*BIND\s*\(\s*(?P<bound>\S+)\s+AS\s+\?path\s*\)\s*\}\s*$")


@cache
def across_rules() -> tuple[AcrossRule, ...]:
    """Each rule across documents as one query over the whole store."""
    g = shapes_graph()
    prologue = "".join(
        f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n" for d in g.objects(PKS[""], SH.declare))
    rules = []
    for constraint in sorted(g.subjects(PKS.acrossDocuments, Literal(True))):
        if (constraint, RDF.type, SH.SPARQLConstraint) not in g:
            continue
        for shape in sorted(g.subjects(SH.sparql, constraint)):
            body = re.sub(r"\$this\b", "?this", str(g.value(constraint, SH.select)))
            targets = [f"{{ ?this a ?class . VALUES ?class {{ {' '.join(c.n3() for c in _subclasses(t))} }} }}"
                       for t in g.objects(shape, SH.targetClass)]
            targets += ["{ " + str(g.value(t, SH.select)) + " }" for t in g.objects(shape, SH.target)]
            query = f"{prologue}SELECT * WHERE {{ {{ {' UNION '.join(targets)} }} {{ {body} }} }}"
            severity = SEVERITY.get(g.value(shape, SH.severity), "violation")
            m = _CYCLE.match(body)
            cycle = Cycle(f"{prologue}SELECT ?s ?o WHERE {{ ?s {m['path']} ?o }}",
                          f"{prologue}SELECT ?s ?o WHERE {{ VALUES ?s {{ {{values}} }} ?s {m['path']} ?o }}",
                          f"{prologue}SELECT DISTINCT ?this WHERE {{ {' UNION '.join(targets)} }}",
                          f"{prologue}SELECT ?path WHERE {{ BIND ({m['bound']} AS ?path) }}") if m else None
            rules.append(AcrossRule(shape, constraint, query, str(g.value(constraint, SH.message) or ""), severity,
                                    cycle, (constraint, PKS.withinOneStep, Literal(True)) in g))
    return tuple(rules)


# --- units --------------------------------------------------------------------------------

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
        triples = _parse(f)
        count = 1 << max(0, math.ceil(math.log2(max(1.0, len(triples) / SLICE_TRIPLES))))
        slices: list[list[str]] = [[] for _ in range(count)]
        for t in triples:
            slices[zlib.crc32(owner(t.subject.value).encode()) % count].append(f"{t} .\n")
        units.extend(Unit(f, i, "".join(sorted(lines)).encode("utf-8")) for i, lines in enumerate(slices) if lines)
    return units


def owner(iri: str) -> str:
    """The resource a node belongs to: ``…/id/KIND/NAME`` of ``…/id/KIND/NAME/part/…``."""
    head, sep, rest = iri.partition("/id/")
    return head + sep + "/".join(rest.split("/")[:2]) if sep else iri


def _parse(path: Path, data: bytes | None = None) -> list[ox.Triple]:
    try:
        if data is not None:
            return list(ox.parse(input=data, format=ox.RdfFormat.N_TRIPLES))
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as exc:
        raise ValidationError(f"{path}: not valid Turtle: {str(exc).splitlines()[0]}") from None


def _to_graph(triples: list) -> Graph:
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
    out = []
    parts = [n for n in wanted if "/id/doc/" in n.value]
    shared = [n for n in wanted if "/id/doc/" not in n.value]
    for nodes, pattern in ((shared, "?s ?p ?o"), (parts, "?s rdf:type ?o BIND (rdf:type AS ?p)")):
        for i in range(0, len(nodes), CONTEXT_BATCH):
            values = " ".join(str(n) for n in nodes[i:i + CONTEXT_BATCH])
            query = (f"PREFIX rdf: <{RDF}>\nSELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} {pattern} }}")
            out.extend(ox.Triple(row["s"], row["p"], row["o"])
                       for row in store.query(query, use_default_graph_as_union=True))
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
    own = _parse(unit.path, unit.ntriples)
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
        data = _to_graph(triples)
        findings = _findings(data, _as_written(results, data), about=mine)
    docs = {t.subject for t in own if t.predicate == RDF_TYPE and t.object == POLICY_DOCUMENT}
    described = _to_graph([t for t in own if t.subject in docs])
    documents = [(source, label) for label, source in (_describe(described, URIRef(d.value)) for d in docs)]
    return UnitResult(digest, _descriptions(own), frozenset(n.value for n in wanted), findings, len(own), documents)


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


def _descriptions(triples: list[ox.Triple]) -> dict[str, str]:
    """Each resource the triples type, with a digest of the triples about it."""
    about: dict[str, list[str]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            about.setdefault(t.subject.value, []).append(str(t))
    typed = {t.subject.value for t in triples if t.predicate == RDF_TYPE and isinstance(t.subject, ox.NamedNode)}
    return {r: hashlib.sha256("\n".join(sorted(about[r])).encode()).hexdigest()[:16] for r in typed}


# --- the cache of unit results ------------------------------------------------------------

CACHE_FILE = "validation-cache.pickle"
DESCRIPTIONS_DIR = "validation-descriptions"
DESCRIPTION_SHARDS = 256


def _rules_version(check_date: dt.date) -> str:
    """What every unit result depends on besides the data: the shapes, the ontology, the
    code and the check date."""
    h = hashlib.sha256(check_date.isoformat().encode())
    for f in sorted(data_dir("shapes").glob("*.ttl")) + [data_dir("ontology") / "policykg.ttl"]:
        h.update(f.read_bytes())
    h.update(code_version(__name__).encode())
    return h.hexdigest()


@dataclass
class ValidationCache:
    """What the last validation found: each unit's result (its descriptions left out), and
    the findings of the rules across documents (kept beside the store, under the rules'
    version)."""
    units: dict[str, UnitResult]
    across: list[AcrossFinding]


class Descriptions:
    """What each unit described at its last validation (:attr:`UnitResult.describes`), in
    shards by unit beside the store: the larger part of the cache, and needed only for the
    units whose bytes changed, so a run reads and writes the shards of those alone."""

    def __init__(self, folder: Path, version: str):
        self.folder, self.version = folder, version
        self._shards: dict[int, dict[str, tuple[str, dict[str, str]]]] = {}

    @staticmethod
    def shard(uid: str) -> int:
        return zlib.crc32(uid.encode()) % DESCRIPTION_SHARDS

    def _load(self, shard: int) -> dict[str, tuple[str, dict[str, str]]]:
        if shard not in self._shards:
            data = read_versioned(self.folder / f"{shard:02x}.pickle", self.version)
            self._shards[shard] = data if isinstance(data, dict) else {}
        return self._shards[shard]

    def of(self, uid: str, digest: str) -> dict[str, str] | None:
        """What the unit described when its bytes had ``digest``; None when that is not kept."""
        entry = self._load(self.shard(uid)).get(uid)
        return entry[1] if entry is not None and entry[0] == digest else None

    def save(self, fresh: dict[str, UnitResult], gone: set[str], everything: bool = False) -> None:
        """Note the units validated anew and drop those gone, rewriting only their shards
        (all of them, ``everything``, when every unit was validated)."""
        by_shard: dict[int, dict[str, UnitResult]] = {}
        for uid, r in fresh.items():
            by_shard.setdefault(self.shard(uid), {})[uid] = r
        touched = set(by_shard) | {self.shard(uid) for uid in gone}
        for shard in range(DESCRIPTION_SHARDS) if everything else sorted(touched):
            data = {} if everything else dict(self._load(shard))
            for uid in gone:
                data.pop(uid, None)
            data.update({uid: (r.digest, r.describes) for uid, r in by_shard.get(shard, {}).items()})
            self._shards[shard] = data
            write_versioned(self.folder / f"{shard:02x}.pickle", self.version, data)


def _digest(unit: Unit, manifest: dict[str, dict]) -> str:
    if unit.ntriples is not None:
        return hashlib.sha256(unit.ntriples).hexdigest()
    entry = manifest.get(unit.path.name)
    return entry["sha256"] if entry else file_sha256(unit.path)


def units_to_validate(units: list[Unit], digests: dict[str, str], cached: dict[str, UnitResult],
                      descriptions: Descriptions, changed_subjects: set[str] | None = None) -> list[Unit]:
    """The units whose result may differ from the cached one: those whose bytes changed, and
    those whose context holds a resource described anew (it appeared, went, or its triples
    changed in the unit that types it; or any triple about it changed, when the store says
    which subjects did). All of them when what a changed unit described is not kept."""
    changed = [u for u in units if unit_id(u) not in cached or cached[unit_id(u)].digest != digests[unit_id(u)]]
    if not cached or not changed:
        return changed
    current = {unit_id(u) for u in units}
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for u in changed:
        after.update(_descriptions(_parse(u.path, u.ntriples)))
    for uid in [unit_id(u) for u in changed if unit_id(u) in cached] + [uid for uid in cached if uid not in current]:
        old = descriptions.of(uid, cached[uid].digest)
        if old is None:
            return units
        before.update(old)
    touched = {r for r in before.keys() | after.keys() if before.get(r) != after.get(r)} | (changed_subjects or set())
    again = {unit_id(u) for u in changed}
    return changed + [u for u in units if unit_id(u) not in again and cached[unit_id(u)].refers & touched]


# --- rules across documents ---------------------------------------------------------------

def _get(row, name: str):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _message(template: str, row) -> str:
    """``{?name}`` replaced by the row's value, as pySHACL writes it (an IRI in full)."""
    def value(m: re.Match) -> str:
        term = _get(row, m.group(1))
        return m.group(0) if term is None else term.value
    return re.sub(r"\{[?$](\w+)\}", value, template)


def _on_cycles(store: ox.Store, rule: AcrossRule, starts: set[str] | None = None) -> list[dict]:
    """The rows of a closure-back-to-itself rule: the targets lying on a cycle of its edges
    (in a strongly connected component of more than one node, or with an edge to itself).

    With ``starts``, only the edges reachable from those nodes are read: every cycle through
    a start lies among them, and so does the whole component of any node they reach."""
    cycle = rule.cycle
    if starts is None:
        edges = [(row["s"], row["o"]) for row in store.query(cycle.edges, use_default_graph_as_union=True)]
    else:
        edges, seen, frontier = [], set(starts), sorted(starts)
        while frontier:
            batch, frontier = frontier[:CONTEXT_BATCH], frontier[CONTEXT_BATCH:]
            values = " ".join(f"<{iri}>" for iri in batch)
            for row in store.query(cycle.edges_from.replace("{values}", values), use_default_graph_as_union=True):
                edges.append((row["s"], row["o"]))
                if isinstance(row["o"], ox.NamedNode) and row["o"].value not in seen:
                    seen.add(row["o"].value)
                    frontier.append(row["o"].value)
    g = nx.DiGraph(edges)
    on_cycle = {n for c in nx.strongly_connected_components(g) if len(c) > 1 for n in c}
    on_cycle |= {n for n in g if g.has_edge(n, n)}
    if not on_cycle:
        return []
    path = next(iter(store.query(cycle.path)))["path"]
    targets = cycle.targets
    if starts is not None:  # the targets among the few nodes found, not all of them
        values = " ".join(str(n) for n in on_cycle)
        targets = targets.replace("WHERE {", f"WHERE {{ VALUES ?this {{ {values} }}", 1)
    return [{"this": row["this"], "path": path}
            for row in store.query(targets, use_default_graph_as_union=True) if row["this"] in on_cycle]


AcrossFinding = tuple[str, str, Finding]  # the rule (its constraint's IRI), the focus node's IRI, the finding


def across_findings(store: ox.Store, data: Graph, rules: tuple[AcrossRule, ...] | None = None, *,
                    union: bool = True, within: set[str] | None = None,
                    starts: set[str] | None = None) -> list[AcrossFinding]:
    """The findings of the rules across documents over ``store`` (its default graph the union
    of its graphs, or not), those about nodes ``within`` a set only when one is given; a
    cycle rule follows its edges from ``starts`` only, when they are given."""
    out = []
    for rule in across_rules() if rules is None else rules:
        seen = set()
        rows = (_on_cycles(store, rule, starts) if rule.cycle
                else store.query(rule.query, use_default_graph_as_union=union))
        for row in rows:
            this = row["this"]
            if not isinstance(this, ox.NamedNode) or (within is not None and this.value not in within):
                continue
            focus = URIRef(this.value)
            path, value = _get(row, "path"), _get(row, "value")
            message = _message(rule.message, row)
            key = (focus, message)
            if key in seen:
                continue
            seen.add(key)
            path_iri = URIRef(path.value) if isinstance(path, ox.NamedNode) else None
            doc = _document_of(focus)
            quote, start, end = _quote(data, focus, path_iri)
            label, source = _describe(data, doc) if doc is not None else (None, None)
            out.append((str(rule.constraint), this.value, Finding(
                severity=rule.severity, rule=_local(rule.constraint), message=message, focus=_local(focus),
                document=str(doc) if doc is not None else None, document_label=label, source_file=source,
                path=_local(path_iri), value=_local(URIRef(value.value)) if isinstance(value, ox.NamedNode) else None,
                quote=quote, start=start, end=end)))
    return out


def _validation_quads(check_date: dt.date, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """The ontology and the check date, which the rules read beside the data."""
    quads = [ox.Quad(ox.NamedNode(str(RUN)), ox.NamedNode(str(PKG.checkDate)),
                     ox.Literal(check_date.isoformat(), datatype=ox.NamedNode(str(XSD.date))), graph)]
    quads += [ox.Quad(t.subject, t.predicate, t.object, graph)
              for t in ox.parse(input=ontology_graph().serialize(format="nt", encoding="utf-8"),
                                format=ox.RdfFormat.N_TRIPLES)]
    return quads


def _across_documents(fs: FileStore, check_date: dt.date,
                      rules: tuple[AcrossRule, ...] | None = None) -> list[AcrossFinding]:
    """The rules across documents over the whole store, with the ontology and the check date
    in a named graph of their own for the while; the store is closed on return (every
    reference dropped)."""
    store = fs._open(writable=True)
    try:
        store.extend(_validation_quads(check_date, VALIDATION_GRAPH))
        return across_findings(store, fs.dataset(), rules)
    finally:
        store.remove_graph(VALIDATION_GRAPH)
        del store
        fs.close()


def around(store: ox.Store, subjects: set[str]) -> set[str]:
    """The nodes whose rows a one-step rule may change when the triples about ``subjects``
    changed: those subjects and every node pointing to one of them."""
    found = set(subjects)
    batch = sorted(subjects)
    for i in range(0, len(batch), CONTEXT_BATCH):
        values = " ".join(f"<{iri}>" for iri in batch[i:i + CONTEXT_BATCH])
        found.update(row["s"].value for row in store.query(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o . FILTER isIRI(?s) }}",
            use_default_graph_as_union=True))
    return found


def _neighbourhood(store: ox.Store, nodes: set[str], check_date: dt.date) -> ox.Store:
    """An in-memory store of the triples about ``nodes`` and about the nodes they point to,
    with the ontology and the check date: all a one-step rule reads for those nodes."""
    out = ox.Store()
    seen: set[str] = set()
    for step in range(2):
        nxt: set[str] = set()
        for iri in sorted(nodes - seen):
            quads = [ox.Quad(q.subject, q.predicate, q.object)
                     for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, None)]
            out.bulk_extend(quads)
            if step == 0:
                nxt.update(q.object.value for q in quads if isinstance(q.object, ox.NamedNode))
        seen |= nodes
        nodes = nxt
    out.bulk_extend(_validation_quads(check_date, ox.DefaultGraph()))
    return out


def _across_around(fs: FileStore, check_date: dt.date, changed: set[str],
                   cached: list[AcrossFinding]) -> list[AcrossFinding]:
    """The rules across documents after a change to the triples about ``changed``: a one-step
    rule is checked again for the nodes around them, over their neighbourhood alone, and
    keeps its cached findings elsewhere. A cycle rule follows its edges from the changed
    nodes and from the nodes it found on a cycle last time: a cycle that appeared passes
    through a changed node, one that went through a node found before. Any other rule runs
    over the whole store."""
    near = tuple(r for r in across_rules() if r.one_step)
    cycles = tuple(r for r in across_rules() if r.cycle and not r.one_step)
    store = fs._open(writable=False)
    nodes = around(store, changed)
    local = _neighbourhood(store, nodes, check_date)
    data = fs.dataset()
    found = across_findings(local, data, near, union=False, within=nodes)
    kept = {str(r.constraint) for r in near}
    found += [f for f in cached if f[0] in kept and f[1] not in nodes]
    for rule in cycles:
        before = {f[1] for f in cached if f[0] == str(rule.constraint)}
        found += across_findings(store, data, (rule,), starts=changed | before)
    del store, data
    fs.close()
    rest = tuple(r for r in across_rules() if not r.one_step and not r.cycle)
    if rest:
        found += _across_documents(fs, check_date, rest)
    return found


# --- the run --------------------------------------------------------------------------------

def validate_store(files: list[Path], fs: FileStore, *, check_date: dt.date | None = None,
                   jobs: int | None = None, use_cache: bool = True) -> Report:
    """Validate the files (already in step with ``fs``): the rules across documents over the
    store, then unit by unit. Unit results are cached beside the store; a unit is validated
    again when its bytes change or a resource its context holds is described anew."""
    check_date = check_date or dt.date.today()
    started = time.perf_counter()
    version = _rules_version(check_date)
    saved = read_versioned(fs.location / CACHE_FILE, version) if use_cache else None
    saved = saved if isinstance(saved, ValidationCache) else None
    with frozen_heap():  # the cache's million objects
        return _validate_store(files, fs, check_date, jobs, use_cache, version, saved, started)


def _validate_store(files: list[Path], fs: FileStore, check_date: dt.date, jobs: int | None, use_cache: bool,
                    version: str, saved: ValidationCache | None, started: float) -> Report:
    changed = fs.pending() if saved is not None else None
    if changed is None:
        across = _across_documents(fs, check_date)
    else:  # the last run's findings, checked again around what changed since
        across = _across_around(fs, check_date, changed, saved.across) if changed else saved.across
    fs._open(writable=False)
    findings: list[Finding] = [f for _, _, f in across]
    triples, documents = 0, []
    units = units_of(files)
    manifest = fs.manifest()
    digests = {unit_id(u): _digest(u, manifest) for u in units}
    cached = saved.units if saved is not None else {}
    descriptions = Descriptions(fs.location / DESCRIPTIONS_DIR, version)
    todo = units_to_validate(units, digests, cached, descriptions, changed)
    args = [(u, str(fs.path), check_date.isoformat(), digests[unit_id(u)]) for u in todo]
    jobs = jobs or os.cpu_count() or 1
    try:
        if jobs > 1 and len(todo) >= PARALLEL_UNITS_FROM:
            fs.close()  # each worker opens its own read-only view
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                     initializer=_forget_store) as pool:
                fresh = list(pool.map(validate_unit, args, chunksize=4))
            fs._open(writable=False)
        else:
            fresh = [validate_unit(a) for a in args]
    except StoreError as exc:
        raise ValidationError(str(exc)) from None
    finally:
        _forget_store()
    results = {uid: r for uid, r in cached.items() if uid in digests}
    anew = {unit_id(u): r for u, r in zip(todo, fresh, strict=True)}
    results.update(anew)
    if use_cache:
        descriptions.save(anew, set(cached) - set(digests), everything=len(anew) == len(results))
        kept = {uid: r for uid, r in results.items() if uid not in anew}  # read without their descriptions
        kept.update({uid: replace(r, describes={}, refers=frozenset(map(sys.intern, r.refers)))  # shared names once
                     for uid, r in anew.items()})
        write_versioned(fs.location / CACHE_FILE, version, ValidationCache(kept, across))
        fs.clear_pending()
    for uid in sorted(results):
        findings.extend(results[uid].findings)
        triples += results[uid].triples
        documents.extend(results[uid].documents)
    order = {"violation": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (f.document or "~", order[f.severity], f.focus, f.rule, f.message))
    documents.sort(key=lambda d: (d[0] or "~", d[1]))
    return Report(findings, None, triples, time.perf_counter() - started, check_date.isoformat(),
                  [str(f) for f in files], documents)


def _forget_store() -> None:
    global _STORE
    _STORE = None


