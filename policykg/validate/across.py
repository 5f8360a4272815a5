"""The rules across documents (``pks:acrossDocuments true`` in ``shapes/``): an inverse stated in
another file, a repealed document's end date, cycles, alignments. Each runs once, as one SPARQL
query over the store, or after a change only around the subjects that changed.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import cast

import networkx as nx
import pyoxigraph as ox
from rdflib import XSD, Graph, URIRef

from policykg.namespaces import PKG
from policykg.store.filestore import FileStore
from policykg.validate.findings import (
    RUN,
    Finding,
    describe,
    document_of,
    local_name,
    quote_of,
)
from policykg.validate.shapes import AcrossRule, across_rules, ontology_graph
from policykg.validate.units import CONTEXT_BATCH

VALIDATION_GRAPH = ox.NamedNode("urn:policykg:validation")


def _select(store: ox.Store, query: str, union: bool = False) -> ox.QuerySolutions:
    """``store.query`` for a SELECT (the rules' queries all are): its solutions."""
    return cast(ox.QuerySolutions, store.query(query, use_default_graph_as_union=union))


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


def on_cycles(store: ox.Store, rule: AcrossRule, starts: set[str] | None = None) -> list[dict]:
    """The rows of a closure-back-to-itself rule: the targets lying on a cycle of its edges
    (in a strongly connected component of more than one node, or with an edge to itself).

    With ``starts``, only the edges reachable from those nodes are read: every cycle through
    a start lies among them, and so does the whole component of any node they reach."""
    cycle = rule.cycle
    assert cycle is not None  # called for the rules that follow cycles only
    if starts is None:
        edges = [(row["s"], row["o"]) for row in _select(store, cycle.edges, union=True)]
    else:
        edges, seen, frontier = [], set(starts), sorted(starts)
        while frontier:
            batch, frontier = frontier[:CONTEXT_BATCH], frontier[CONTEXT_BATCH:]
            values = " ".join(f"<{iri}>" for iri in batch)
            for row in _select(store, cycle.edges_from.replace("{values}", values), union=True):
                edges.append((row["s"], row["o"]))
                if isinstance(row["o"], ox.NamedNode) and row["o"].value not in seen:
                    seen.add(row["o"].value)
                    frontier.append(row["o"].value)
    g = nx.DiGraph(edges)
    on_cycle = {n for c in nx.strongly_connected_components(g) if len(c) > 1 for n in c}
    on_cycle |= {n for n in g if g.has_edge(n, n)}
    if not on_cycle:
        return []
    path = next(iter(_select(store, cycle.path)))["path"]
    targets = cycle.targets
    if starts is not None:  # the targets among the few nodes found, not all of them
        values = " ".join(str(n) for n in on_cycle)
        targets = targets.replace("WHERE {", f"WHERE {{ VALUES ?this {{ {values} }}", 1)
    return [{"this": row["this"], "path": path}
            for row in _select(store, targets, union=True) if row["this"] in on_cycle]


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
        rows: list[dict] | ox.QuerySolutions = (on_cycles(store, rule, starts) if rule.cycle
                                                else _select(store, rule.query, union=union))
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
            doc = document_of(focus)
            quote, start, end = quote_of(data, focus, path_iri)
            label, source = describe(data, doc) if doc is not None else (None, None)
            out.append((str(rule.constraint), this.value, Finding(
                severity=rule.severity, rule=local_name(rule.constraint), message=message, focus=local_name(focus),
                document=str(doc) if doc is not None else None, document_label=label, source_file=source,
                path=local_name(path_iri), value=local_name(URIRef(value.value)) if isinstance(value, ox.NamedNode) else None,
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


def across_documents(fs: FileStore, check_date: dt.date,
                      rules: tuple[AcrossRule, ...] | None = None) -> list[AcrossFinding]:
    """The rules across documents over the whole store, with the ontology and the check date
    in a named graph of their own for the while; the store is closed on return (every
    reference dropped)."""
    store = fs.open(writable=True)
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
        found.update(row["s"].value for row in _select(
            store, f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o . FILTER isIRI(?s) }}",
            union=True))
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


def across_around(fs: FileStore, check_date: dt.date, changed: set[str],
                   cached: list[AcrossFinding]) -> list[AcrossFinding]:
    """The rules across documents after a change to the triples about ``changed``: a one-step
    rule is checked again for the nodes around them, over their neighbourhood alone, and
    keeps its cached findings elsewhere. A cycle rule follows its edges from the changed
    nodes and from the nodes it found on a cycle last time: a cycle that appeared passes
    through a changed node, one that went through a node found before. Any other rule runs
    over the whole store."""
    near = tuple(r for r in across_rules() if r.one_step)
    cycles = tuple(r for r in across_rules() if r.cycle and not r.one_step)
    store = fs.open(writable=False)
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
        found += across_documents(fs, check_date, rest)
    return found
