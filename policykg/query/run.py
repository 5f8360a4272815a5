"""Running a named query on either backend, its answer as plain values."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import cast

from rdflib import XSD, Graph, Literal
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier

from policykg.namespaces import PREFIXES
from policykg.processes import run_forked
from policykg.query.library import NamedQuery, QueryError
from policykg.query.params import bind
from policykg.store.sparql_text import uses_service


def load_graph(graph_dir: Path, backend: str = "rdflib") -> Graph:
    """The built graph in ``graph_dir`` on a backend (:mod:`policykg.store.backends`): rdflib in memory, or
    the Oxigraph store kept beside the files; ``auto`` chooses by size."""
    from policykg.store.backends import open_graph
    from policykg.store.errors import StoreError

    if not (graph_dir.is_dir() and any(graph_dir.glob("*.ttl"))):
        raise QueryError(f"no graph in {graph_dir}: run `policykg build` first")
    try:
        return open_graph([graph_dir], backend)[0]
    except StoreError as exc:
        raise QueryError(str(exc)) from None


def run(g: Graph, query: NamedQuery, given: dict[str, str]) -> Result:
    text, bindings = query.text_for(bind(g, query, given))
    try:
        # bind() makes every value an rdflib term; only the scope's tuple of areas is not one,
        # and text_for() has written that into the text
        return g.query(text, initNs=dict(PREFIXES), initBindings=cast("dict[str, Identifier]", bindings))
    except Exception as exc:  # noqa: BLE001 — a malformed user query file
        raise QueryError(f"{query.path.name}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None


def python_value(term: Identifier | None) -> object:
    """A result term as a plain value: IRIs and dates as strings, numbers and booleans native."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.boolean, XSD.int, XSD.long):
            return term.toPython()
        if term.datatype == XSD.decimal:
            value = term.toPython()  # a Decimal: whole yuan as int, fractions (rates) as float
            return int(value) if value == value.to_integral_value() else float(value)
        return str(term)
    return str(term)


def rows(result: Result) -> tuple[list[str], list[dict[str, object]]]:
    assert result.vars is not None, "rows() is given SELECT results, which have variables"
    names = [str(v) for v in result.vars]
    return names, [{n: python_value(cast(ResultRow, row)[n]) for n in names} for row in result]


def answer(g: Graph, query: NamedQuery, given: dict[str, str]) -> tuple[list[str], list[dict[str, object]]]:
    """A SELECT query's variables and rows as plain values, on either backend. On Oxigraph
    the query goes to the store itself and its terms become values directly: through
    rdflib's result each term was made an rdflib term first, which cost more than the query
    for listings of thousands of rows."""
    store = getattr(g.store, "oxigraph", None)
    if store is None:
        return rows(run(g, query, given))
    text, _ = query.text_for(bind(g, query, given), values=True)
    try:
        result = store.query(text, prefixes={k: str(v) for k, v in PREFIXES.items()},
                             use_default_graph_as_union=True)  # the default graph: every file
    except Exception as exc:  # noqa: BLE001 — a malformed user query file
        raise QueryError(f"{query.path.name}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
    if not hasattr(result, "variables"):
        raise QueryError(f"{query.path.name}: not a SELECT query")
    names = [v.value for v in result.variables]
    return names, [{n: ox_value(t) for n, t in zip(names, solution, strict=True)} for solution in result]


_INTEGERS = {str(XSD.integer), str(XSD.int), str(XSD.long)}


def ox_value(term) -> object:
    """A pyoxigraph result term as :func:`python_value` makes an rdflib one."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is None or getattr(term, "language", None):
        return term.value
    kind = datatype.value
    if kind in _INTEGERS:
        return int(term.value)
    if kind == str(XSD.boolean):
        return term.value in ("true", "1")
    if kind == str(XSD.decimal):
        value = Decimal(term.value)
        return int(value) if value == value.to_integral_value() else float(value)
    return term.value


def refuse_service(query: NamedQuery) -> None:
    """A query that would send a SERVICE request to another endpoint is refused (the CLI's
    ``--allow-service`` lets it through)."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(query.text), initNs=dict(PREFIXES)).algebra
    except Exception:  # noqa: BLE001 — a syntax error is reported when the query runs
        return
    if uses_service(algebra):
        raise QueryError(f"{query.path.name}: SERVICE sends a request to another endpoint; "
                         "give --allow-service to let it")


def within(seconds: float, work, *args):
    """``work(*args)`` in a forked process, its answer sent back; stopped past ``seconds``
    (rdflib has no timeout, and Oxigraph evaluates a cross product without returning)."""
    def child(send) -> None:
        try:
            send.send(("ok", work(*args)))
        except QueryError as exc:
            send.send(("error", str(exc)))
        except Exception as exc:  # noqa: BLE001 — reported as a one-line error
            if "requiring a dataset" in str(exc):  # rdflib evaluates GRAPH lazily, as rows are read
                send.send(("error", "GRAPH needs the named graphs of a dataset: give --backend oxigraph"))
            else:
                send.send(("error", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"))

    outcome, message = run_forked(child, (), seconds)
    if outcome == "timeout":
        raise QueryError(f"the query ran past the time limit of {seconds:g} s and was stopped (--timeout)")
    if outcome == "ended":
        raise QueryError("the query process ended without an answer")
    status, payload = cast("tuple[str, object]", message)
    if status != "ok":
        raise QueryError(str(payload))
    return payload
