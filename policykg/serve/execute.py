"""Evaluating a query under the endpoint's limits: each query runs in a forked child process
that is killed when the time limit passes (rdflib has no timeout of its own); results are
capped at ``max_rows`` and serialized in the child."""
from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import math
import os
import resource
import signal
import stat
import time
from dataclasses import dataclass
from typing import Any, cast

import pyoxigraph as ox
from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Variable

from policykg.namespaces import PREFIXES
from policykg.processes import run_forked
from policykg.serve import tsv  # noqa: F401 — registers the tsv result serializer rdflib lacks
from policykg.serve.protocol import (
    GRAPH_TYPES,
    RESULT_TYPES,
    Prepared,
    ProtocolError,
    prepare,
    store_graph_name,
)
from policykg.store.sparql_text import with_values
from policykg.store.terms import rdflib_term


@dataclass
class Limits:
    timeout: float = 10.0  # seconds per query
    max_rows: int = 10_000  # result rows (SELECT) or triples (CONSTRUCT, DESCRIBE)
    max_request_bytes: int = 1_000_000


def _simple_literals(body: bytes) -> bytes:
    """SPARQL JSON results without ``xsd:string`` datatypes: in RDF 1.1 a simple literal is
    an xsd:string, and clients (and the W3C tests) expect the plain form."""
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("datatype") == str(XSD.string):
                del value["datatype"]
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def serialized(result, media_type: str, max_rows: int) -> tuple[bytes, bool]:
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


def evaluate(conn, dataset: Dataset, query: Query, media_type: str, max_rows: int, bindings: dict) -> None:
    """In the child process: run, cap, serialize; send (body, truncated) or an error."""
    try:
        conn.send(("ok", *serialized(dataset.query(query, initBindings=bindings), media_type, max_rows)))
    except Exception as exc:  # noqa: BLE001 — reported to the parent as a clean 400
        conn.send(("error", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", False))
    finally:
        conn.close()


def evaluate_in_store(conn, location: str, prepared: Prepared, defaults: list[str], named: list[str],
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
        text = with_values(prepared.text, bindings) if bindings else prepared.text
        prefixes = {k: str(v) for k, v in PREFIXES.items()}
        if defaults or named:  # given, they replace the query's own FROM / FROM NAMED
            result = store.query(text, prefixes=prefixes,
                                 default_graph=[ox.NamedNode(store_graph_name(g)) for g in defaults],
                                 named_graphs=[ox.NamedNode(store_graph_name(g)) for g in named])
        else:
            result = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
        conn.send(("ok", *serialized(_as_rdflib_result(result, max_rows), media_type, max_rows)))
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


_PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here: a forked child must not look for libraries


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when the thread that forked it ends (its parent killed)."""
    with contextlib.suppress(OSError, AttributeError):
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _close_inherited_sockets(keep: int) -> None:
    """Close every socket the fork copied (the server's listening one first of all), so that a
    child outliving its parent can never hold the port."""
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd > 2 and fd != keep:
                with contextlib.suppress(OSError):
                    if stat.S_ISSOCK(os.fstat(fd).st_mode):
                        os.close(fd)


def _limited_child(conn, target, timeout: float, parent_pid: int, *args) -> None:
    """In the forked child, before any work: its own deadline (an alarm, and a CPU limit just
    past it), death with its parent, and none of the parent's sockets."""
    _die_with_parent()
    if os.getppid() != parent_pid:  # the parent died before the signal was set
        os._exit(1)
    _close_inherited_sockets(conn.fileno())
    seconds = max(1, math.ceil(timeout) + 1)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(seconds)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    target(conn, *args)


def run_limited(dataset: Dataset, query: Query, media_type: str, limits: Limits, bindings: dict | None = None,
                target=None, args: tuple = ()):
    """Evaluate in a forked child that keeps its own deadline and dies with its parent; kill
    it when the time limit passes."""
    if target is None:
        target, args = evaluate, (dataset, query, media_type, limits.max_rows, bindings or {})
    started = time.perf_counter()
    outcome, message = run_forked(_limited_child, (target, limits.timeout, os.getpid(), *args), limits.timeout)
    if outcome == "timeout":
        raise ProtocolError(503, f"the query ran past the time limit of {limits.timeout:g} s and was stopped")
    if outcome == "ended":
        raise ProtocolError(500, "the query process ended without an answer")
    status, payload, truncated = cast("tuple[str, Any, bool]", message)  # bytes, or an error message
    if status != "ok":
        raise ProtocolError(400, f"query failed: {payload}")
    return payload, truncated, time.perf_counter() - started


def warm_up() -> None:
    """Import every parser, serializer and evaluation module a query child will use, here,
    before requests start. A forked child must not import: another thread of the parent may
    hold a module's import lock at the moment of the fork, and the child would wait forever."""
    g = Dataset()
    g.add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("o")))
    for text, formats in (("SELECT ?s WHERE { ?s ?p ?o }", set(RESULT_TYPES.values())),
                          ("ASK { ?s ?p ?o }", {"json", "xml", "tsv"})):
        result = g.query(prepare(text).query)
        for fmt in sorted(formats):
            result.serialize(format=fmt)
    graph = g.query(prepare("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").query).graph
    assert graph is not None  # a CONSTRUCT's result is a graph
    for fmt in set(GRAPH_TYPES.values()):
        graph.serialize(format=fmt)
    g.query(prepare("DESCRIBE <urn:x:s>").query)
