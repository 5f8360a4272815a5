"""`policykg diff`: two documents' measures side by side, from the graph, aligned by
:func:`policykg.align.align`, with the money and rate figures that changed.

>>> from rich.text import Text
>>> marked("按实际投资额的20%给予补助，最高补助100万元", ["100万元"], "red").spans[0].style
'bold red strike'
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from rdflib import Graph, URIRef
from rdflib.query import ResultRow
from rich.text import Text

from policykg.link.align import Correspondence, MeasureText, align
from policykg.namespaces import PREFIXES
from policykg.store.labels import document_label


@dataclass
class Comparison:
    before_label: str
    after_label: str
    before: list[MeasureText]
    after: list[MeasureText]
    correspondences: list[Correspondence]

    def as_dict(self) -> dict:
        def side(ms: list[MeasureText], idx: list[int]) -> list[dict]:
            return [{"number": ms[i].number, "heading": ms[i].heading, "text": ms[i].text} for i in idx]
        return {
            "before": self.before_label,
            "after": self.after_label,
            "correspondences": [
                {"kind": c.kind, "score": c.score, "before": side(self.before, c.before),
                 "after": side(self.after, c.after), "figures_before": c.figures_before,
                 "figures_after": c.figures_after}
                for c in self.correspondences
            ],
        }


def measures_of(g: Graph, doc: URIRef) -> list[MeasureText]:
    rows = cast("Iterable[ResultRow]", g.query(  # a SELECT: its result yields rows
        """SELECT ?number ?ordinal ?heading ?text WHERE {
             ?doc eli:has_part ?m . ?m pkg:ordinal ?ordinal ; pkg:text ?text .
             OPTIONAL { ?m eli:number ?number }
             OPTIONAL { ?m pkg:heading ?heading }
           } ORDER BY ?ordinal""",
        initNs=dict(PREFIXES), initBindings={"doc": doc},
    ))
    return [MeasureText(str(r.number) if r.number is not None else f"第{r.ordinal}项",  # a measure the text does not number
                        str(r.heading) if r.heading is not None else None, str(r.text)) for r in rows]


def compare(g: Graph, before: URIRef, after: URIRef) -> Comparison:
    a, b = measures_of(g, before), measures_of(g, after)
    return Comparison(document_label(g, before), document_label(g, after), a, b, align(a, b))


def figure_pattern(figure: str) -> re.Pattern[str]:
    """A figure as the text may write it: 20万元 also matches 20 万元."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in figure))


def marked(text: str, figures: list[str], colour: str) -> Text:
    """``text`` with each of ``figures`` highlighted (struck through when red: it is gone)."""
    out = Text(text)
    style = f"bold {colour}" + (" strike" if colour == "red" else "")
    for figure in figures:
        for m in figure_pattern(figure).finditer(text):
            out.stylize(style, m.start(), m.end())
    return out
