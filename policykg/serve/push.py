"""Loading the graph into a triple store through the SPARQL 1.1 Graph Store HTTP Protocol.

The graph's files are merged and sent in one ``PUT`` (replace) as N-Triples: to the
store's default graph (``?default``), or to the named graph ``--graph IRI`` (``?graph=IRI``).
Tested against Oxigraph (``oxigraph serve``, whose Graph Store endpoint is ``/store``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
from rdflib import Graph


class PushError(Exception):
    """The push failed: the message names the endpoint and the store's answer."""


@dataclass
class PushResult:
    triples: int
    status: int
    target: str


def push(files: list[Path], endpoint: str, graph_iri: str | None = None, timeout: float = 120.0) -> PushResult:
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    body = g.serialize(format="nt", encoding="utf-8")
    params = {"graph": graph_iri} if graph_iri else {"default": ""}
    target = f"{endpoint} ({'graph ' + graph_iri if graph_iri else 'default graph'})"
    try:
        r = httpx.put(endpoint, params=params, content=body, timeout=timeout,
                      headers={"Content-Type": "application/n-triples"})
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        raise PushError(f"{endpoint}: {type(exc).__name__}: {exc}") from None
    if r.status_code >= 300:
        first = r.text.strip().splitlines()[0] if r.text.strip() else ""
        raise PushError(f"{endpoint} answered {r.status_code} {r.reason_phrase}: {first}")
    return PushResult(len(g), r.status_code, target)
