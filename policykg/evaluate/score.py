"""Precision and recall per field (docs/evaluation.md): gold facts and graph facts matched one to
one, every miss and every wrong fact listed with its file and, for a wrong fact, its quote."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from policykg.evaluate import match
from policykg.evaluate.gold import GoldDocument, GoldMeasure
from policykg.evaluate.graph_facts import GraphDocument, GraphFact, GraphFacts, GraphMeasure

FIELDS = ("title", "doc_number", "issuer", "jurisdiction", "date_signed", "date_published", "date_effective",
          "is_draft", "tiers_mentioned", "rewards", "other_amounts", "targets", "measures", "responsible", "lead",
          "cites")


@dataclass
class FieldScore:
    field: str
    correct: int = 0
    graph: int = 0  # facts the graph states
    gold: int = 0  # facts the gold states

    @property
    def precision(self) -> float | None:
        return self.correct / self.graph if self.graph else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.gold if self.gold else None


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    kind: str  # "miss" (a gold fact the graph lacks) or "wrong" (a graph fact the gold lacks)
    value: str
    quote: str | None = None


@dataclass
class Evaluation:
    scores: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore(f) for f in FIELDS})
    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    notes: list[str] = field(default_factory=list)  # what the build said went wrong, docs without gold

    def misses(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "miss"]

    def wrong(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "wrong"]

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "notes": list(self.notes),
            "fields": [{"field": s.field, "precision": s.precision, "recall": s.recall, "correct": s.correct,
                        "graph": s.graph, "gold": s.gold} for s in self.scores.values()],
            "misses": [asdict(p) for p in self.misses()],
            "wrong": [asdict(p) for p in self.wrong()],
        }


def pair(gold: Sequence[Any], graph: Sequence[GraphFact],
         same: Callable[[Any, GraphFact], bool]) -> tuple[list[tuple[Any, GraphFact]], list[Any], list[GraphFact]]:
    """One-to-one matching: each gold fact, in order, takes the first untaken graph fact it equals."""
    taken: set[int] = set()
    pairs, misses = [], []
    for g in gold:
        hit = next((i for i, f in enumerate(graph) if i not in taken and same(g, f)), None)
        if hit is None:
            misses.append(g)
        else:
            taken.add(hit)
            pairs.append((g, graph[hit]))
    return pairs, misses, [f for i, f in enumerate(graph) if i not in taken]


def score(golds: Sequence[GoldDocument], facts: GraphFacts) -> Evaluation:
    """Every gold document against the graph document built from its text."""
    ev = Evaluation(documents=len(golds))
    for gold in golds:
        doc = facts.documents.get(gold.name + ".txt") or GraphDocument("", gold.name + ".txt")
        _score_document(ev, gold, doc, facts)
    return ev


def _tier(wording: str, facts: GraphFacts) -> str | None:
    return match.tier_concept(wording, facts.tier_labels)


def _score_document(ev: Evaluation, gold: GoldDocument, doc: GraphDocument, facts: GraphFacts) -> None:
    areas = match.area_forms(doc.area_names)
    file = gold.name

    def org(name: Any, f: GraphFact) -> bool:
        return match.org_matches(str(name), facts.org_labels.get(str(f.value), []), areas)

    def record(name: str, gold_facts: Sequence[Any], graph_facts: Sequence[GraphFact],
               same: Callable[[Any, GraphFact], bool], shown: Callable[[Any], str] = str) -> list[tuple[Any, GraphFact]]:
        pairs, misses, wrong = pair(gold_facts, graph_facts, same)
        s = ev.scores[name]
        s.correct += len(pairs)
        s.gold += len(gold_facts)
        s.graph += len(graph_facts)
        ev.problems.extend(Problem(file, name, "miss", shown(m)) for m in misses)
        ev.problems.extend(Problem(file, name, "wrong", w.shown, facts.quote(w)) for w in wrong)
        return pairs

    def one(v: Any) -> list[Any]:
        return [] if v is None else [v]

    g = doc.facts
    record("title", one(gold.title), g["title"], lambda a, f: match.norm_text(str(a)) == match.norm_title(str(f.value)))
    record("doc_number", one(gold.doc_number), g["doc_number"],
           lambda a, f: match.norm_docnum(str(a)) == match.norm_docnum(str(f.value)))
    record("issuer", gold.issuers, g["issuer"], org)
    record("jurisdiction", one(gold.jurisdiction), g["jurisdiction"],
           lambda a, f: any(match.norm_org(str(a)) == match.norm_org(lab) for lab in f.value))
    for name in ("date_signed", "date_published", "date_effective"):
        record(name, one(getattr(gold, name)), g[name], lambda a, f: match.same_date(str(a), str(f.value)))
    record("is_draft", one(gold.is_draft), g["is_draft"], lambda a, f: a == f.value,
           shown=lambda a: str(a).lower())

    # tiers: gold wordings deduplicated by concept; a wording with no concept stays, a miss
    gold_tiers: list[tuple[str, str | None]] = []
    for wording in gold.tiers:
        concept = _tier(wording, facts)
        if concept is None or all(c != concept for _, c in gold_tiers):
            gold_tiers.append((wording, concept))
    record("tiers_mentioned", gold_tiers, g["tiers_mentioned"],
           lambda a, f: a[1] is not None and a[1] == f.value,
           shown=lambda a: a[0] if a[1] else f"{a[0]} (no tier concept)")
    record("rewards", gold.rewards, g["rewards"],
           lambda a, f: _tier(a[0], facts) is not None and _tier(a[0], facts) == f.value[0]
           and match.same_number(a[1], f.value[1]),
           shown=lambda a: f"{a[0]} {a[1]} CNY")
    record("other_amounts", gold.other_amounts, g["other_amounts"],
           lambda a, f: match.same_number(a[0], f.value[0]) and a[1] == f.value[1]
           and (a[2] is None or a[2] == f.value[2]),
           shown=lambda a: " ".join(str(x) for x in a if x is not None))
    record("targets", gold.targets, g["targets"],
           lambda a, f: _tier(a[0], facts) is not None and _tier(a[0], facts) == f.value[0]
           and a[1] == f.value[1] and a[2] == f.value[2] and (not a[3] or f.value[3]),
           shown=lambda a: f"{a[0]} {a[1]} by {a[2]}{' 累计' if a[3] else ''}")

    def same_measure(a: Any, f: GraphFact) -> bool:
        gm, m = a, f.value
        assert isinstance(gm, GoldMeasure) and isinstance(m, GraphMeasure)
        return match.measure_matches(gm.number, gm.first_words, m.number, m.heading, m.text)

    pairs = record("measures", gold.measures, g["measures"], same_measure,
                   shown=lambda a: a.label)
    matched = {id(gm): f.value.iri for gm, f in pairs}

    def units(role: str) -> list[tuple[GoldMeasure, str]]:
        out: list[tuple[GoldMeasure, str]] = []
        for gm in gold.measures:
            out.extend((gm, u) for u in (gm.responsible if role == "responsible" else ((gm.lead,) if gm.lead else ())))
        return out

    for role in ("responsible", "lead"):
        record(role, units(role), g[role],
               lambda a, f: matched.get(id(a[0])) == f.measure and org(a[1], f),
               shown=lambda a: f"{a[0].label} {a[1]}")
    record("cites", gold.cites, g["cites"],
           lambda a, f: match.cite_matches(str(a), f.value[0], f.value[1]))
