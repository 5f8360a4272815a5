"""The SPARQL 1.1 Protocol side of the endpoint: queries parsed and checked once (syntax, no
SERVICE, the dataset clause taken out), graph IRIs mapped to the store's files, the dataset a
query runs on, content negotiation, and the service description.

rdflib never loads a graph from the web here (``SPARQL_LOAD_GRAPHS`` off).
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs

import rdflib.plugins.sparql as rdflib_sparql
from flask import Response, request
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.sparql import Query

from policykg.formats import serializers, sparqlwrapper_aliases
from policykg.namespaces import PREFIXES
from policykg.store.sparql_text import uses_service

rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM graph from the web


SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


GRAPH_BASE = "https://w3id.org/policykg/graph/"


RESULT_TYPES = serializers("results")  # media type → rdflib result serializer (policykg.formats)


GRAPH_TYPES = serializers("graph")  # media type → rdflib graph serializer


_FORMAT_ALIASES = sparqlwrapper_aliases()  # SPARQLWrapper's format= / output= values


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def plain_response(status: int, message: str, **headers) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain", headers=headers)


def store_graph_name(iri: str) -> str:
    """The store's name for a protocol graph IRI: ``graph/NAME`` is the file ``NAME.ttl``."""
    return f"file:///{iri[len(GRAPH_BASE):]}.ttl" if iri.startswith(GRAPH_BASE) else iri


def protocol_graph_name(name: str) -> str:
    return GRAPH_BASE + name[len("file:///"):].removesuffix(".ttl") if name.startswith("file:///") else name


def default_graph_id(ds: Dataset):
    default = getattr(ds, "default_graph", None)
    return (default if default is not None else ds.default_context).identifier


# rdflib's SPARQL parser (pyparsing) is not thread-safe: concurrent parses fail. Every
# parse in a request thread (the query, and the lookups that bind named-query parameters)
# holds this lock; evaluation runs in forked children and needs none.
PARSE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Prepared:
    query: Query
    from_default: tuple[str, ...]  # the query's own FROM
    from_named: tuple[str, ...]  # and FROM NAMED
    text: str = ""  # as sent: what the Oxigraph backend evaluates, once rdflib has checked it


@lru_cache(maxsize=256)
def prepare(text: str) -> Prepared:
    """Parse and check a query once per text: syntax, no SERVICE, the dataset clause taken
    out (the endpoint resolves FROM itself and rdflib must never fetch a graph)."""
    try:
        with PARSE_LOCK:
            query = translateQuery(parseQuery(text), initNs=dict(PREFIXES))
    except Exception as exc:  # noqa: BLE001 — any parse failure is the client's syntax error
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ProtocolError(400, f"query syntax error: {message}") from None
    if uses_service(query.algebra):
        raise ProtocolError(400, "SERVICE is not allowed: this endpoint makes no outbound requests")
    if _SELECT_STAR.search(text):
        _order_star(query, text)
    clause = query.algebra.get("datasetClause") or []
    query.algebra["datasetClause"] = None
    return Prepared(query, tuple(str(c["default"]) for c in clause if "default" in c),
                    tuple(str(c["named"]) for c in clause if "named" in c), text)


_SELECT_STAR = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.I)


def _order_star(query: Query, text: str) -> None:
    """``SELECT *`` lists its variables in the order the query first names them (as the
    W3C result-format tests expect; rdflib orders them by name)."""
    def first(var) -> int:
        hits = [i for i in (text.find(f"?{var}"), text.find(f"${var}")) if i >= 0]
        return min(hits) if hits else len(text)

    def reorder(node):
        if (getattr(node, "name", None) == "Project" or node is query.algebra) and node.get("PV"):
            node["PV"] = sorted(node["PV"], key=first)
    reorder(query.algebra)
    traverse(query.algebra, reorder)


def dataset_for(ds: Dataset, prepared: Prepared, defaults: list[str], named: list[str]) -> Dataset:
    """The dataset the query runs on: the protocol's graphs, else the query's FROM / FROM
    NAMED, else everything (default graph = the union)."""
    if not defaults and not named:
        defaults, named = list(prepared.from_default), list(prepared.from_named)
    if not defaults and not named:
        return ds
    view = Dataset(default_union=False)
    known = {str(g.identifier): g for g in ds.graphs() if g.identifier != default_graph_id(ds)}
    default = view.graph(default_graph_id(view))
    for iri in defaults:
        if iri in known:
            for triple in known[iri]:
                default.add(triple)
    for iri in named:
        g = view.graph(URIRef(iri))
        if iri in known:
            for triple in known[iri]:
                g.add(triple)
    return view


def negotiate(kind: str, fmt_param: str | None) -> str:
    types = RESULT_TYPES if kind in ("SELECT", "ASK") else GRAPH_TYPES
    if kind == "ASK":  # a boolean has no CSV form (SPARQL 1.1 CSV/TSV covers SELECT only)
        types = {k: v for k, v in types.items() if v in ("json", "xml")}
    if fmt_param:
        if fmt_param in types:
            return fmt_param
        alias = _FORMAT_ALIASES.get(fmt_param.lower())
        if alias:
            chosen = alias[0] if kind in ("SELECT", "ASK") else alias[1]
            if chosen:
                return chosen
    if not request.accept_mimetypes or request.accept_mimetypes.best in ("*/*", None):
        return next(iter(types))
    best = request.accept_mimetypes.best_match(list(types))
    if best is None:
        raise ProtocolError(406, f"cannot answer a {kind} query in {request.headers.get('Accept')}; "
                                 f"available: {', '.join(types)}")
    return best


def query_kind(query: Query) -> str:
    name = query.algebra.name
    return {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
            "DescribeQuery": "DESCRIBE"}.get(name, name)


def form_values() -> dict[str, list[str]]:
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not UTF-8") from None
    return parse_qs(text, keep_blank_values=True)


def service_description(dataset: Dataset, base: str) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    service = URIRef(base)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for media in list(RESULT_TYPES)[:4] + list(GRAPH_TYPES)[:4]:
        g.add((service, SD.resultFormat, Literal(media)))
    default = URIRef(base + "#dataset")
    g.add((service, SD.defaultDataset, default))
    g.add((default, RDF.type, SD.Dataset))
    for graph in sorted(dataset.graphs(), key=lambda x: str(x.identifier)):
        if graph.identifier == default_graph_id(dataset):
            continue
        node = URIRef(f"{base}#graph-{len(list(g.objects(default, SD.namedGraph)))}")
        g.add((default, SD.namedGraph, node))
        g.add((node, SD.name, URIRef(protocol_graph_name(str(graph.identifier)))))
    return g


def posted_query(fmt: str | None) -> tuple[list[str], list[str], list[str], str | None]:
    """A POSTed query (form-encoded, or ``application/sparql-query``): its texts, the
    protocol's default and named graphs, and the result format asked for; updates refused."""
    url = request.args
    ctype = (request.mimetype or "").lower()
    if ctype == "application/x-www-form-urlencoded":
        form = form_values()
        if "update" in form:
            raise ProtocolError(403, "updates are not accepted: this endpoint is read-only")
        texts = form.get("query", [])
        defaults = url.getlist("default-graph-uri") + form.get("default-graph-uri", [])
        named = url.getlist("named-graph-uri") + form.get("named-graph-uri", [])
        fmt = fmt or next(iter(form.get("format") or form.get("output") or []), None)
    elif ctype == "application/sparql-query":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(400, f"the query must be UTF-8, not {charset}")
        try:
            texts = [request.get_data().decode("utf-8")]
        except UnicodeDecodeError:
            raise ProtocolError(400, "the query is not UTF-8") from None
        defaults, named = url.getlist("default-graph-uri"), url.getlist("named-graph-uri")
    elif ctype == "application/sparql-update":
        raise ProtocolError(403, "updates are not accepted: this endpoint is read-only")
    elif not ctype:
        raise ProtocolError(400, "a POST needs a Content-Type: application/x-www-form-urlencoded "
                                 "or application/sparql-query")
    else:
        raise ProtocolError(415, f"unsupported Content-Type {ctype}: use application/x-www-form-urlencoded "
                                 "or application/sparql-query")
    return texts, defaults, named, fmt
