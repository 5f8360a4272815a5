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

import threading
import urllib.parse
from contextlib import contextmanager

from flask import Flask, Response, request
from flask_cors import CORS
from rdflib import Dataset
from werkzeug.exceptions import HTTPException

from policykg.query.library import QueryError, named_queries
from policykg.query.params import bind
from policykg.serve.dataset import store_path
from policykg.serve.execute import Limits, evaluate_in_store, run_limited, warm_up
from policykg.serve.protocol import (
    GRAPH_TYPES,
    PARSE_LOCK,
    Prepared,
    ProtocolError,
    dataset_for,
    negotiate,
    plain_response,
    posted_query,
    prepare,
    query_kind,
    service_description,
)


def _answer(dataset: Dataset, prepared: Prepared, limits: Limits, defaults, named, fmt, bindings=None) -> Response:
    kind = query_kind(prepared.query)
    media_type = negotiate(kind, fmt)
    location = store_path(dataset)
    if location is None:
        body, truncated, seconds = run_limited(dataset_for(dataset, prepared, defaults, named), prepared.query,
                                               media_type, limits, bindings)
    else:
        body, truncated, seconds = run_limited(
            dataset, prepared.query, media_type, limits, target=evaluate_in_store,
            args=(location, prepared, list(defaults), list(named), media_type, limits.max_rows, bindings or {}))
    headers = {"X-PolicyKG-Query-Seconds": f"{seconds:.3f}", "Vary": "Accept"}
    if truncated:
        headers["X-PolicyKG-Truncated"] = f"results cut at {limits.max_rows}"
    charset = "; charset=utf-8" if not media_type.endswith("xml") or "results" in media_type else ""
    return Response(body, status=200, content_type=media_type + charset, headers=headers)


def _check_query_string() -> None:
    """A named query's parameters as /sparql takes its own: UTF-8 (werkzeug would put U+FFFD
    in silently), and each given once."""
    try:
        urllib.parse.unquote_to_bytes(request.query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the query string is not UTF-8") from None
    repeated = sorted(k for k in request.args if len(request.args.getlist(k)) > 1)
    if repeated:
        raise ProtocolError(400, f"parameter {', '.join(repeated)} given more than once")


def create_app(dataset: Dataset, limits: Limits | None = None) -> Flask:
    limits = limits or Limits()
    warm_up()
    app = Flask("policykg")
    app.config["MAX_CONTENT_LENGTH"] = limits.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = limits.max_request_bytes
    CORS(app, methods=["GET", "POST", "OPTIONS"], expose_headers=["X-PolicyKG-Truncated"])
    queries = named_queries()

    @app.errorhandler(ProtocolError)
    def protocol_error(exc: ProtocolError):
        return plain_response(exc.status, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return plain_response(exc.code or 500, f"{exc.code} {exc.name}: {exc.description}")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # never a stack trace to the client
        app.logger.exception("unexpected error")
        return plain_response(500, f"internal error ({type(exc).__name__})")

    @app.route("/sparql", methods=["GET", "POST"], strict_slashes=False)
    def sparql():
        url = request.args
        fmt = url.get("format") or url.get("output")
        if request.method == "GET":
            if "update" in url:
                raise ProtocolError(400, "updates are not accepted: this endpoint is read-only (and never by GET)")
            texts = url.getlist("query")
            if not texts:
                g = service_description(dataset, request.base_url)
                media = negotiate("CONSTRUCT", fmt)
                return Response(g.serialize(format=GRAPH_TYPES[media]), content_type=media)
            defaults, named = url.getlist("default-graph-uri"), url.getlist("named-graph-uri")
        else:
            texts, defaults, named, fmt = posted_query(fmt)
        if len(texts) != 1:
            raise ProtocolError(400, f"exactly one query parameter is needed, got {len(texts)}")
        return _answer(dataset, prepare(texts[0]), limits, defaults, named, fmt)

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
        _check_query_string()
        given = {k: v for k, v in request.args.items() if k not in ("format", "output")}
        try:
            with PARSE_LOCK:
                # Oxigraph takes the values written in, after the area (the order it joins
                # in); rdflib binds them to the text parsed once (per area)
                text, bindings = q.text_for(bind(dataset, q, given), values=store_path(dataset) is not None)
        except QueryError as exc:
            raise ProtocolError(400, str(exc)) from None
        fmt = request.args.get("format") or request.args.get("output")
        return _answer(dataset, prepare(text), limits, [], [], fmt, bindings)

    @app.get("/")
    def index():
        return plain_response(200, "policykg SPARQL endpoint: /sparql (SPARQL 1.1 Protocol, read-only), "
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
