"""The scored fields read from a built graph through the documented vocabulary only, by the
SPARQL queries of ``evaluation/*.rq`` (docs/evaluation.md says which term gives which field)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from rdflib import Graph, Literal
from rdflib.term import Identifier

from policykg.evaluate.match import percent
from policykg.resources import data_dir

ELI = "http://data.europa.eu/eli/ontology#"
PKG = "https://w3id.org/policykg/ontology#"


@cache
def query_text(name: str) -> str:
    """The text of ``evaluation/NAME.rq``."""
    return (data_dir("evaluation") / f"{name}.rq").read_text("utf-8")


def select(g: Graph, name: str) -> list[dict[str, object]]:
    """The rows of one evaluation query, as plain values (IRIs and strings as ``str``)."""
    result = g.query(query_text(name))
    names = [str(v) for v in result.vars or []]
    rows = []
    for row in result:
        rows.append({n: _plain(row[i]) for i, n in enumerate(names)})  # type: ignore[index]
    return rows


def _plain(term: Identifier | None) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = str(term.datatype or "")
        if dt.endswith(("#decimal", "#integer", "#double", "#float", "#int", "#long")):
            return Decimal(str(term))
        if dt.endswith("#boolean"):
            return str(term).strip().lower() in ("true", "1")
        return str(term)
    return str(term)


@dataclass(frozen=True)
class GraphMeasure:
    iri: str
    number: str | None
    heading: str | None
    text: str | None


@dataclass(frozen=True)
class GraphFact:
    """One fact the graph states: ``value`` is what the rule compares, ``shown`` how it is listed,
    ``node`` and ``prop`` the node and property whose evidence quotes it."""
    value: object
    shown: str
    node: str | None = None
    prop: str | None = None
    measure: str | None = None


@dataclass
class GraphDocument:
    iri: str
    file: str
    facts: dict[str, list[GraphFact]] = field(default_factory=lambda: defaultdict(list))
    area_names: set[str] = field(default_factory=set)
    measures: list[GraphMeasure] = field(default_factory=list)


@dataclass
class GraphFacts:
    documents: dict[str, GraphDocument]  # by source file name
    org_labels: dict[str, list[str]]  # organization IRI → labels, preferred first
    tier_labels: dict[str, set[str]]  # tier concept IRI → labels
    evidence: dict[str, list[tuple[str | None, str, str]]]  # node → (property, evidence IRI, quote)

    def org_label(self, iri: str) -> str:
        labels = self.org_labels.get(iri)
        return labels[0] if labels else iri.rsplit("/", 1)[-1]

    def tier_label(self, iri: str) -> str:
        return iri.rsplit("/", 1)[-1]

    def quote(self, fact: GraphFact) -> str | None:
        """The quote behind a fact: its node's evidence for its property (one naming the value
        first), else the node's first quote."""
        if fact.node is None:
            return None
        found = self.evidence.get(fact.node, [])
        if fact.prop is not None:
            own = [e for e in found if e[0] == fact.prop]
            tail = str(fact.value).rsplit("/", 1)[-1]
            named = [e for e in own if e[1].endswith("/" + tail)]
            if named or own:
                return (named or own)[0][2]
        return found[0][2] if found else None


def read_graph(g: Graph) -> GraphFacts:
    """Every scored field of every document built from a corpus file."""
    docs: dict[str, GraphDocument] = {}
    by_iri: dict[str, GraphDocument] = {}
    for r in select(g, "documents"):
        file, iri = str(r["file"]), str(r["doc"])
        if file in docs:  # one text, several documents: the first by IRI is scored
            continue
        d = docs[file] = by_iri[iri] = GraphDocument(iri, file)
        for fld, var, prop in (("title", "title", ELI + "title"), ("doc_number", "number", ELI + "id_local"),
                               ("date_signed", "signed", ELI + "date_document"),
                               ("date_published", "published", ELI + "date_publication"),
                               ("date_effective", "effective", ELI + "first_date_entry_in_force"),
                               ("is_draft", "draft", PKG + "isDraft")):
            if r[var] is not None:
                d.facts[fld].append(GraphFact(r[var], str(r[var]).lower() if fld == "is_draft" else str(r[var]),
                                              iri, prop))

    org_labels: dict[str, list[str]] = defaultdict(list)
    for r in select(g, "organizations"):
        org_labels[str(r["org"])].append(str(r["label"]))
    tier_labels: dict[str, set[str]] = defaultdict(set)
    for r in select(g, "tier-labels"):
        tier_labels[str(r["tier"])].add(str(r["label"]))
    evidence: dict[str, list[tuple[str | None, str, str]]] = defaultdict(list)
    for r in select(g, "evidence"):
        evidence[str(r["node"])].append((r["property"] and str(r["property"]), str(r["evidence"]), str(r["exact"])))
    facts = GraphFacts(docs, dict(org_labels), dict(tier_labels), dict(evidence))

    def doc(r) -> GraphDocument | None:
        return by_iri.get(str(r["doc"]))

    for r in select(g, "issuers"):
        if (d := doc(r)) is not None:
            org = str(r["org"])
            d.facts["issuer"].append(GraphFact(org, facts.org_label(org), d.iri, ELI + "passed_by"))
    area_labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in select(g, "jurisdictions"):
        area_labels[(str(r["doc"]), str(r["area"]))].append(str(r["label"]))
    for (doc_iri, area), labels in area_labels.items():
        if (d := by_iri.get(doc_iri)) is not None:
            d.facts["jurisdiction"].append(GraphFact(tuple(labels), labels[0], d.iri, ELI + "jurisdiction"))
    for r in select(g, "area-names"):
        if (d := doc(r)) is not None:
            d.area_names.add(str(r["name"]))
    seen_tiers: set[tuple[str, str]] = set()
    for r in select(g, "tiers"):
        if (d := doc(r)) is not None and (d.iri, str(r["tier"])) not in seen_tiers:
            seen_tiers.add((d.iri, str(r["tier"])))
            tier = str(r["tier"])
            d.facts["tiers_mentioned"].append(GraphFact(tier, facts.tier_label(tier), str(r["node"])))
    for r in select(g, "incentives"):
        if (d := doc(r)) is None:
            continue
        node, tier = str(r["incentive"]), r["tier"]
        money = r["maxAmount"] if r["maxAmount"] is not None else r["amount"]
        if tier is not None and money is not None:
            d.facts["rewards"].append(GraphFact((str(tier), money), f"{facts.tier_label(str(tier))} {money} CNY", node))
        first = not any(f.node == node for f in d.facts["other_amounts"])
        if not first:  # one incentive per tier row: its other figures once
            continue
        if tier is None and r["maxAmount"] is not None:
            d.facts["other_amounts"].append(GraphFact((r["maxAmount"], "CNY", "cap"), f"{r['maxAmount']} CNY cap", node))
        if tier is None and r["amount"] is not None:
            d.facts["other_amounts"].append(GraphFact((r["amount"], "CNY", "fixed"), f"{r['amount']} CNY fixed", node))
        if r["rate"] is not None:
            pct = percent(Decimal(str(r["rate"])))
            d.facts["other_amounts"].append(GraphFact((pct, "percent", "ratio"), f"{pct} percent ratio", node))
        if r["minInvestment"] is not None:
            d.facts["other_amounts"].append(GraphFact((r["minInvestment"], "CNY", "threshold"),
                                                      f"{r['minInvestment']} CNY threshold", node))
    for r in select(g, "targets"):
        if (d := doc(r)) is None:
            continue
        tier = str(r["tier"]) if r["tier"] is not None else None
        year = int(str(r["year"])[:4]) if r["year"] is not None else None
        value = (tier, int(str(r["count"])), year, bool(r["cumulative"]))
        shown = f"{facts.tier_label(tier) if tier else '?'} {value[1]} by {year}{' 累计' if value[3] else ''}"
        d.facts["targets"].append(GraphFact(value, shown, str(r["target"])))
    measure_doc: dict[str, GraphDocument] = {}
    for r in select(g, "measures"):
        if (d := doc(r)) is None:
            continue
        m = GraphMeasure(str(r["measure"]), *(None if r[k] is None else str(r[k]) for k in ("number", "heading", "text")))
        d.measures.append(m)
        measure_doc[m.iri] = d
        d.facts["measures"].append(GraphFact(m, m.number or m.iri.rsplit("/", 1)[-1], m.iri, PKG + "text"))
    for r in select(g, "units"):
        d = measure_doc.get(str(r["measure"]))
        if d is None:
            continue
        org, m = str(r["org"]), str(r["measure"])
        number = next((x.number for x in d.measures if x.iri == m), None) or m.rsplit("/", 1)[-1]
        fld, prop = ("lead", PKG + "leadUnit") if r["lead"] else ("responsible", PKG + "responsibleUnit")
        if fld == "lead" and not any(f.value == org and f.measure == m for f in d.facts["responsible"]):
            # a lead unit is one of the measure's units too
            d.facts["responsible"].append(GraphFact(org, f"{number} {facts.org_label(org)}", m, PKG + "responsibleUnit", m))
        if any(f.value == org and f.measure == m for f in d.facts[fld]):
            continue
        d.facts[fld].append(GraphFact(org, f"{number} {facts.org_label(org)}", m, prop, m))
    for r in select(g, "cites"):
        if (d := doc(r)) is None:
            continue
        shown = str(r["number"] or r["title"] or r["cited"])
        node = str(r["citation"]) if r["citation"] else d.iri
        d.facts["cites"].append(GraphFact((r["number"], r["title"]), shown, node))
    return facts

