"""The scored fields read from a built graph through the documented vocabulary only, by the
SPARQL queries of ``evaluation/*.rq`` (docs/evaluation.md says which term gives which field)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import Graph, Literal
from rdflib.term import Identifier

from policykg import namespaces
from policykg.evaluate.match import percent
from policykg.resources import data_dir

ELI = str(namespaces.ELI)  # the vocabulary's namespaces, as the evaluation queries write them
PKG = str(namespaces.PKG)


@cache
def query_text(name: str) -> str:
    """The text of ``evaluation/NAME.rq``."""
    return (data_dir("evaluation") / f"{name}.rq").read_text("utf-8")


def select(g: Graph, name: str) -> list[dict[str, Any]]:
    """The rows of one evaluation query, as plain values (IRIs and strings as ``str``)."""
    result = g.query(query_text(name))
    names = [str(v) for v in result.vars or []]
    rows = []
    for row in result:
        rows.append({n: _plain(row[i]) for i, n in enumerate(names)})  # type: ignore[index, arg-type]
    return rows


def _plain(term: Identifier | None) -> Any:
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
    value: Any
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


Rows = list[dict[str, Any]]


def read_graph(g: Graph) -> GraphFacts:
    """Every scored field of every document built from a corpus file."""
    org_labels: dict[str, list[str]] = defaultdict(list)
    for r in select(g, "organizations"):
        org_labels[str(r["org"])].append(str(r["label"]))
    tier_labels: dict[str, set[str]] = defaultdict(set)
    for r in select(g, "tier-labels"):
        tier_labels[str(r["tier"])].add(str(r["label"]))
    evidence: dict[str, list[tuple[str | None, str, str]]] = defaultdict(list)
    for r in select(g, "evidence"):
        prop = None if r["property"] is None else str(r["property"])
        evidence[str(r["node"])].append((prop, str(r["evidence"]), str(r["exact"])))
    facts = GraphFacts({}, dict(org_labels), dict(tier_labels), dict(evidence))
    by_iri = _documents(select(g, "documents"), facts)
    _issuers(select(g, "issuers"), by_iri, facts)
    _jurisdictions(select(g, "jurisdictions"), select(g, "area-names"), by_iri)
    _tiers(select(g, "tiers"), by_iri, facts)
    _incentives(select(g, "incentives"), by_iri, facts)
    _budgets(select(g, "budgets"), by_iri)
    _targets(select(g, "targets"), by_iri, facts)
    _measures(select(g, "measures"), select(g, "units"), by_iri, facts)
    _cites(select(g, "cites"), by_iri)
    return facts


def _documents(rows: Rows, facts: GraphFacts) -> dict[str, GraphDocument]:
    by_iri: dict[str, GraphDocument] = {}
    for r in rows:
        file, iri = str(r["file"]), str(r["doc"])
        if file in facts.documents:  # one text, several documents: the first by IRI is scored
            continue
        d = facts.documents[file] = by_iri[iri] = GraphDocument(iri, file)
        for fld, var, prop in (("title", "title", ELI + "title"), ("doc_number", "number", ELI + "id_local"),
                               ("date_signed", "signed", ELI + "date_document"),
                               ("date_published", "published", ELI + "date_publication"),
                               ("date_effective", "effective", ELI + "first_date_entry_in_force"),
                               ("is_draft", "draft", PKG + "isDraft")):
            if r[var] is not None:
                shown = str(r[var]).lower() if fld == "is_draft" else str(r[var])
                d.facts[fld].append(GraphFact(r[var], shown, iri, prop))
    return by_iri


def _issuers(rows: Rows, by_iri: dict[str, GraphDocument], facts: GraphFacts) -> None:
    for r in rows:
        d = by_iri.get(str(r["doc"]))
        if d is not None:
            org = str(r["org"])
            d.facts["issuer"].append(GraphFact(org, facts.org_label(org), d.iri, ELI + "passed_by"))


def _jurisdictions(rows: Rows, names: Rows, by_iri: dict[str, GraphDocument]) -> None:
    area_labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        area_labels[(str(r["doc"]), str(r["area"]))].append(str(r["label"]))
    for (doc_iri, _area), labels in area_labels.items():
        d = by_iri.get(doc_iri)
        if d is not None:
            d.facts["jurisdiction"].append(GraphFact(tuple(labels), labels[0], d.iri, ELI + "jurisdiction"))
    for r in names:
        d = by_iri.get(str(r["doc"]))
        if d is not None:
            d.area_names.add(str(r["name"]))


def _tiers(rows: Rows, by_iri: dict[str, GraphDocument], facts: GraphFacts) -> None:
    seen: set[tuple[str, str]] = set()
    for r in rows:
        d, tier = by_iri.get(str(r["doc"])), str(r["tier"])
        if d is not None and (d.iri, tier) not in seen:
            seen.add((d.iri, tier))
            node = str(r["node"])  # the document itself (sorted first) quotes its first mention
            prop = str(namespaces.PKG.mentionsTier) if node == d.iri else None
            d.facts["tiers_mentioned"].append(GraphFact(tier, facts.tier_label(tier), node, prop))


def _incentives(rows: Rows, by_iri: dict[str, GraphDocument], facts: GraphFacts) -> None:
    done: set[str] = set()
    for r in rows:
        d = by_iri.get(str(r["doc"]))
        if d is None:
            continue
        node, tier = str(r["incentive"]), r["tier"]
        money = r["maxAmount"] if r["maxAmount"] is not None else r["amount"]
        if tier is not None and money is not None:
            d.facts["rewards"].append(GraphFact((str(tier), money), f"{facts.tier_label(str(tier))} {money} CNY", node))
        if node in done:  # a row per tier: the incentive's other figures once
            continue
        done.add(node)
        figures = []
        if tier is None and r["maxAmount"] is not None:
            figures.append((r["maxAmount"], "CNY", "cap"))
        if tier is None and r["amount"] is not None:
            figures.append((r["amount"], "CNY", "fixed"))
        if r["rate"] is not None:
            figures.append((percent(Decimal(str(r["rate"]))), "percent", "ratio"))
        if r["minInvestment"] is not None:
            figures.append((r["minInvestment"], "CNY", "threshold"))
        d.facts["other_amounts"].extend(GraphFact(v, " ".join(str(x) for x in v), node) for v in figures)


def _budgets(rows: Rows, by_iri: dict[str, GraphDocument]) -> None:
    """A budget is an amount of its own: a cap when bounded (不高于), a total paid out with no kind."""
    for r in rows:
        d = by_iri.get(str(r["doc"]))
        if d is not None:
            kind = None if str(r["kind"]) == "disbursed" else "cap" if r["bound"] is not None else "fixed"
            value = (r["amount"], "CNY", kind)
            d.facts["other_amounts"].append(GraphFact(value, " ".join(str(x) for x in value if x), str(r["budget"])))


def _targets(rows: Rows, by_iri: dict[str, GraphDocument], facts: GraphFacts) -> None:
    for r in rows:
        d = by_iri.get(str(r["doc"]))
        if d is None:
            continue
        tier = None if r["tier"] is None else str(r["tier"])
        year = None if r["year"] is None else int(str(r["year"])[:4])
        value = (tier, int(str(r["count"])), year, bool(r["cumulative"]))
        shown = f"{facts.tier_label(tier) if tier else '?'} {value[1]} by {year}{' 累计' if value[3] else ''}"
        d.facts["targets"].append(GraphFact(value, shown, str(r["target"])))


def _measures(rows: Rows, units: Rows, by_iri: dict[str, GraphDocument], facts: GraphFacts) -> None:
    measures: dict[str, tuple[GraphDocument, GraphMeasure]] = {}
    for r in rows:
        d = by_iri.get(str(r["doc"]))
        if d is None:
            continue
        m = GraphMeasure(str(r["measure"]), *(None if r[k] is None else str(r[k]) for k in ("number", "heading", "text")))
        d.measures.append(m)
        measures[m.iri] = (d, m)
        d.facts["measures"].append(GraphFact(m, m.number or m.iri.rsplit("/", 1)[-1], m.iri, PKG + "text"))
    for r in units:
        hit = measures.get(str(r["measure"]))
        if hit is None:
            continue
        d, m = hit
        org = str(r["org"])
        shown = f"{m.number or m.iri.rsplit('/', 1)[-1]} {facts.org_label(org)}"
        roles = [("responsible", PKG + "responsibleUnit")]  # a lead unit is one of the measure's units too
        if r["lead"]:
            roles.append(("lead", PKG + "leadUnit"))
        for fld, prop in roles:
            if not any(f.value == org and f.measure == m.iri for f in d.facts[fld]):
                d.facts[fld].append(GraphFact(org, shown, m.iri, prop, m.iri))


def _cites(rows: Rows, by_iri: dict[str, GraphDocument]) -> None:
    for r in rows:
        d = by_iri.get(str(r["doc"]))
        if d is None:
            continue
        shown = str(r["number"] or r["title"] or r["cited"])
        node = str(r["citation"]) if r["citation"] else d.iri
        d.facts["cites"].append(GraphFact((r["number"], r["title"]), shown, node))
