"""A SPARQL 1.1 Protocol query endpoint over the graph, safe to expose (Flask, WSGI).

Protocol: GET and POST (form-encoded, or ``application/sparql-query``) on ``/sparql``;
``default-graph-uri`` / ``named-graph-uri`` (they override the query's FROM / FROM NAMED);
content negotiation with q-values (werkzeug) for SPARQL JSON, XML, CSV and TSV results and
Turtle, N-Triples, RDF/XML and JSON-LD graphs, and SPARQLWrapper's ``format=`` / ``output=``
parameters; a service description (``sd:``) on GET without a query; CORS; the named queries
at ``/queries/NAME?param=value``.

Safety, by default:

- **read-only**: updates (``update=``, ``application/sparql-update``) are refused;
- **no outbound request**: a SERVICE clause is refused before evaluation, and rdflib never
  loads a graph from the web (``SPARQL_LOAD_GRAPHS`` off); an unknown graph IRI is an
  empty graph;
- **limits**: a per-query time limit, enforced by evaluating each query in a forked child
  process that is killed when the time is up (rdflib has no timeout of its own); a cap on
  result rows (or triples), flagged by ``X-PolicyKG-Truncated``; a cap on request size;
- **clean errors**: 4xx/5xx answers with a one-line text body, never a stack trace.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs

import pyoxigraph as ox
import rdflib
import rdflib.plugins.sparql as rdflib_sparql
from flask import Flask, Response, request
from flask_cors import CORS
from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Variable
from werkzeug.exceptions import HTTPException

from . import tsv  # noqa: F401 — registers rdflib's tsv result serializer
from .namespaces import PREFIXES
from .query import QueryError, bind, named_queries, with_values
from .store import rdflib_term

rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM graph from the web

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
GRAPH_BASE = "https://w3id.org/policykg/graph/"

RESULT_TYPES = {  # media type → rdflib result serializer
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {  # media type → rdflib graph serializer
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "text/plain": "nt",
}
_FORMAT_ALIASES = {  # SPARQLWrapper's format= / output= values
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None), "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"), "n3": (None, "text/turtle"), "nt": (None, "application/n-triples"),
    "rdf+xml": (None, "application/rdf+xml"), "json-ld": (None, "application/ld+json"),
}


@dataclass
class Limits:
    timeout: float = 10.0  # seconds per query
    max_rows: int = 10_000  # result rows (SELECT) or triples (CONSTRUCT, DESCRIBE)
    max_request_bytes: int = 1_000_000


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _plain(status: int, message: str, **headers) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain", headers=headers)


@contextmanager
def lexical_forms_kept():
    """Parse with literals as written ("1.0E6" stays "1.0E6"): answers quote the data."""
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def load_dataset(files, backend: str = "rdflib") -> Dataset:
    """A dataset with one named graph per Turtle file (``graph/NAME`` IRIs); the default
    graph is their union. On ``oxigraph`` (or ``auto`` for a large graph) it is the on-disk
    store beside the files (:mod:`.store`), brought up to date, and each query is evaluated
    by Oxigraph in its own process."""
    from .store import choose_backend, open_graph

    if choose_backend(list(files), backend) == "oxigraph":
        return open_graph(files, "oxigraph")[0]
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    with lexical_forms_kept():
        for f in files:
            ds.graph(URIRef(GRAPH_BASE + f.stem)).parse(f, format="turtle")
    return ds


def _store_path(dataset: Dataset) -> str | None:
    """Where the Oxigraph store behind ``dataset`` lives, or None for rdflib's memory."""
    store = getattr(dataset.store, "oxigraph", None)
    return str(dataset.store.location) if store is not None else None


def _file_graph(iri: str) -> str:
    """The store's name for a protocol graph IRI: ``graph/NAME`` is the file ``NAME.ttl``."""
    return f"file:///{iri[len(GRAPH_BASE):]}.ttl" if iri.startswith(GRAPH_BASE) else iri


def _protocol_graph(name: str) -> str:
    return GRAPH_BASE + name[len("file:///"):].removesuffix(".ttl") if name.startswith("file:///") else name


def _simple_literals(body: bytes) -> bytes:
    """SPARQL JSON results without ``xsd:string`` datatypes: in RDF 1.1 a simple literal is
    an xsd:string, and clients (and the W3C tests) expect the plain form."""
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("datatype") == str(XSD.string):
                del value["datatype"]
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _default_id(ds: Dataset):
    default = getattr(ds, "default_graph", None)
    return (default if default is not None else ds.default_context).identifier


def _uses_service(query: Query) -> bool:
    found = []

    def visit(node):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append(node)
    traverse(query.algebra, visit)
    return bool(found)


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
def _prepare(text: str) -> Prepared:
    """Parse and check a query once per text: syntax, no SERVICE, the dataset clause taken
    out (the endpoint resolves FROM itself and rdflib must never fetch a graph)."""
    try:
        with PARSE_LOCK:
            query = translateQuery(parseQuery(text), initNs=dict(PREFIXES))
    except Exception as exc:  # noqa: BLE001 — any parse failure is the client's syntax error
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ProtocolError(400, f"query syntax error: {message}") from None
    if _uses_service(query):
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
        if getattr(node, "name", None) == "Project" or node is query.algebra:
            if node.get("PV"):
                node["PV"] = sorted(node["PV"], key=first)
    reorder(query.algebra)
    traverse(query.algebra, reorder)


def _dataset_for(ds: Dataset, prepared: Prepared, defaults: list[str], named: list[str]) -> Dataset:
    """The dataset the query runs on: the protocol's graphs, else the query's FROM / FROM
    NAMED, else everything (default graph = the union)."""
    if not defaults and not named:
        defaults, named = list(prepared.from_default), list(prepared.from_named)
    if not defaults and not named:
        return ds
    view = Dataset(default_union=False)
    known = {str(g.identifier): g for g in ds.graphs() if g.identifier != _default_id(ds)}
    default = view.graph(_default_id(view))
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


def _negotiate(kind: str, fmt_param: str | None) -> str:
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


def _serialized(result, media_type: str, max_rows: int) -> tuple[bytes, bool]:
    """A result capped at ``max_rows`` rows (or triples) and serialized; whether it was cut."""
    truncated = False
    if result.type == "SELECT" and len(result.bindings) > max_rows:
        result.bindings = result.bindings[:max_rows]
        truncated = True
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        if len(graph) > max_rows:
            capped = Graph(namespace_manager=graph.namespace_manager)
            for i, triple in enumerate(graph):
                if i >= max_rows:
                    break
                capped.add(triple)
            graph, truncated = capped, True
        body = graph.serialize(format=GRAPH_TYPES[media_type], encoding="utf-8")
    else:
        body = result.serialize(format=RESULT_TYPES[media_type])
        if isinstance(body, str):
            body = body.encode("utf-8")
        if RESULT_TYPES[media_type] == "json":
            body = _simple_literals(body)
    return body, truncated


def _evaluate(conn, dataset: Dataset, query: Query, media_type: str, max_rows: int, bindings: dict) -> None:
    """In the child process: run, cap, serialize; send (body, truncated) or an error."""
    try:
        conn.send(("ok", *_serialized(dataset.query(query, initBindings=bindings), media_type, max_rows)))
    except Exception as exc:  # noqa: BLE001 — reported to the parent as a clean 400
        conn.send(("error", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", False))
    finally:
        conn.close()


def _evaluate_in_store(conn, location: str, prepared: Prepared, defaults: list[str], named: list[str],
                       media_type: str, max_rows: int, bindings: dict) -> None:
    """In the child process, on the Oxigraph backend: a read-only view of the store of its
    own (nothing of the parent's store is used after the fork), the query evaluated by
    Oxigraph on the protocol's graphs (else the query's FROM, else the union of the files),
    its result capped and serialized as on rdflib. Every module it needs is imported at the
    top of this one, before any fork."""
    try:
        store = ox.Store.read_only(location)
        if not defaults and not named:
            defaults, named = list(prepared.from_default), list(prepared.from_named)
        dataset = {"use_default_graph_as_union": True}
        if defaults or named:  # given, they replace the query's own FROM / FROM NAMED
            dataset = {"default_graph": [ox.NamedNode(_file_graph(g)) for g in defaults],
                       "named_graphs": [ox.NamedNode(_file_graph(g)) for g in named]}
        text = with_values(prepared.text, bindings) if bindings else prepared.text
        result = store.query(text, prefixes={k: str(v) for k, v in PREFIXES.items()}, **dataset)
        conn.send(("ok", *_serialized(_as_rdflib_result(result, max_rows), media_type, max_rows)))
    except Exception as exc:  # noqa: BLE001 — reported to the parent as a clean 400
        conn.send(("error", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", False))
    finally:
        conn.close()


def _as_rdflib_result(result, max_rows: int):
    """A pyoxigraph result as an rdflib one, for the serializers; one row (or triple) past
    ``max_rows`` at most is converted, enough to know it was cut."""
    if isinstance(result, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(result)
    elif isinstance(result, ox.QuerySolutions):
        out = Result("SELECT")
        out.vars = [Variable(v.value) for v in result.variables]
        out.bindings = [{v: rdflib_term(t) for v, t in zip(out.vars, row, strict=True) if t is not None}
                        for row in itertools.islice(result, max_rows + 1)]
    else:
        out = Result("CONSTRUCT")
        out.graph = Graph()
        for prefix, ns in PREFIXES.items():
            out.graph.bind(prefix, ns)
        out.graph += ((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object))
                      for t in itertools.islice(result, max_rows + 1))
    return out


def run_limited(dataset: Dataset, query: Query, media_type: str, limits: Limits, bindings: dict | None = None,
                target=None, args: tuple | None = None):
    """Evaluate in a forked child; kill it when the time limit passes."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    if target is None:
        target, args = _evaluate, (dataset, query, media_type, limits.max_rows, bindings or {})
    proc = ctx.Process(target=target, args=(child, *args), daemon=True)
    started = time.perf_counter()
    proc.start()
    child.close()
    try:
        if not parent.poll(limits.timeout):
            raise ProtocolError(503, f"the query ran past the time limit of {limits.timeout:g} s and was stopped")
        status, payload, truncated = parent.recv()
    except EOFError:
        raise ProtocolError(500, "the query process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
    if status != "ok":
        raise ProtocolError(400, f"query failed: {payload}")
    return payload, truncated, time.perf_counter() - started


def _kind(query: Query) -> str:
    name = query.algebra.name
    return {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
            "DescribeQuery": "DESCRIBE"}.get(name, name)


def _answer(dataset: Dataset, prepared: Prepared, limits: Limits, defaults, named, fmt, bindings=None) -> Response:
    kind = _kind(prepared.query)
    media_type = _negotiate(kind, fmt)
    location = _store_path(dataset)
    if location is None:
        body, truncated, seconds = run_limited(_dataset_for(dataset, prepared, defaults, named), prepared.query,
                                               media_type, limits, bindings)
    else:
        body, truncated, seconds = run_limited(
            dataset, prepared.query, media_type, limits, target=_evaluate_in_store,
            args=(location, prepared, list(defaults), list(named), media_type, limits.max_rows, bindings or {}))
    headers = {"X-PolicyKG-Query-Seconds": f"{seconds:.3f}", "Vary": "Accept"}
    if truncated:
        headers["X-PolicyKG-Truncated"] = f"results cut at {limits.max_rows}"
    charset = "; charset=utf-8" if not media_type.endswith("xml") or "results" in media_type else ""
    return Response(body, status=200, content_type=media_type + charset, headers=headers)


def _form_values() -> dict[str, list[str]]:
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not UTF-8") from None
    return parse_qs(text, keep_blank_values=True)


def _service_description(dataset: Dataset, base: str) -> Graph:
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
        if graph.identifier == _default_id(dataset):
            continue
        node = URIRef(f"{base}#graph-{len(list(g.objects(default, SD.namedGraph)))}")
        g.add((default, SD.namedGraph, node))
        g.add((node, SD.name, URIRef(_protocol_graph(str(graph.identifier)))))
    return g


def _warm_up() -> None:
    """Import every parser, serializer and evaluation module a query child will use, here,
    before requests start. A forked child must not import: another thread of the parent may
    hold a module's import lock at the moment of the fork, and the child would wait forever."""
    g = Dataset()
    g.add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("o")))
    for text, formats in (("SELECT ?s WHERE { ?s ?p ?o }", set(RESULT_TYPES.values())),
                          ("ASK { ?s ?p ?o }", {"json", "xml", "tsv"})):
        result = g.query(_prepare(text).query)
        for fmt in sorted(formats):
            result.serialize(format=fmt)
    graph = g.query(_prepare("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").query).graph
    for fmt in set(GRAPH_TYPES.values()):
        graph.serialize(format=fmt)
    g.query(_prepare("DESCRIBE <urn:x:s>").query)


def create_app(dataset: Dataset, limits: Limits | None = None) -> Flask:
    limits = limits or Limits()
    _warm_up()
    app = Flask("policykg")
    app.config["MAX_CONTENT_LENGTH"] = limits.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = limits.max_request_bytes
    CORS(app, methods=["GET", "POST", "OPTIONS"], expose_headers=["X-PolicyKG-Truncated"])
    queries = named_queries()

    @app.errorhandler(ProtocolError)
    def protocol_error(exc: ProtocolError):
        return _plain(exc.status, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _plain(exc.code or 500, f"{exc.code} {exc.name}: {exc.description}")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # never a stack trace to the client
        app.logger.exception("unexpected error")
        return _plain(500, f"internal error ({type(exc).__name__})")

    @app.route("/sparql", methods=["GET", "POST"], strict_slashes=False)
    def sparql():
        url = request.args
        fmt = url.get("format") or url.get("output")
        if request.method == "GET":
            if "update" in url:
                raise ProtocolError(400, "updates are not accepted: this endpoint is read-only (and never by GET)")
            texts = url.getlist("query")
            if not texts:
                g = _service_description(dataset, request.base_url)
                media = _negotiate("CONSTRUCT", fmt)
                return Response(g.serialize(format=GRAPH_TYPES[media]), content_type=media)
            defaults, named = url.getlist("default-graph-uri"), url.getlist("named-graph-uri")
        else:
            ctype = (request.mimetype or "").lower()
            if ctype == "application/x-www-form-urlencoded":
                form = _form_values()
                if "update" in form:
                    raise ProtocolError(403, "updates are not accepted: this endpoint is read-only")
                texts = form.get("query", [])
                defaults = url.getlist("default-graph-uri") + form.get("default-graph-uri", [])
                named = url.getlist("named-graph-uri") + form.get("named-graph-uri", [])
                fmt = fmt or (form.get("format") or form.get("output") or [None])[0]
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
        if len(texts) != 1:
            raise ProtocolError(400, f"exactly one query parameter is needed, got {len(texts)}")
        return _answer(dataset, _prepare(texts[0]), limits, defaults, named, fmt)

    @app.get("/queries")
    def list_named():
        return {name: {"summary": q.summary, "summary_zh": q.fields.get("summary_zh", ""),
                       "parameters": [{"name": p.name, "type": p.type, "default": p.default, "doc": p.doc}
                                      for p in q.params]}
                for name, q in queries.items()}

    @app.get("/queries/<name>")
    def run_named(name: str):
        q = queries.get(name)
        if q is None:
            raise ProtocolError(404, f"no named query {name!r}; see /queries")
        given = {k: v for k, v in request.args.items() if k not in ("format", "output")}
        try:
            with PARSE_LOCK:
                # Oxigraph takes the values written in, after the area (the order it joins
                # in); rdflib binds them to the text parsed once (per area)
                text, bindings = q.text_for(bind(dataset, q, given), values=_store_path(dataset) is not None)
        except QueryError as exc:
            raise ProtocolError(400, str(exc)) from None
        fmt = request.args.get("format") or request.args.get("output")
        return _answer(dataset, _prepare(text), limits, [], [], fmt, bindings)

    @app.get("/")
    def index():
        return _plain(200, "policykg SPARQL endpoint: /sparql (SPARQL 1.1 Protocol, read-only), "
                           "/queries (named queries), /queries/NAME?param=value")

    return app


@contextmanager
def serving(dataset: Dataset, limits: Limits | None = None, threads: int = 4):
    """The endpoint on a free loopback port in a background thread (tests, the load script);
    yields its base URL and stops it on leaving."""
    from waitress import wasyncore
    from waitress.server import create_server

    server = create_server(create_app(dataset, limits), host="127.0.0.1", port=0, threads=threads)
    stop = threading.Event()

    def run() -> None:
        # waitress has no shutdown call. Its loop is run here in short turns, and the server is
        # closed from this same thread when told to stop: nothing touches its channels or its
        # trigger's pipe from another thread (pulling the trigger from outside once met a
        # descriptor already closed).
        while not stop.is_set() and server._map:
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join()
