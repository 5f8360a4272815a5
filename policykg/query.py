"""Named SPARQL queries (``queries/*.rq``): their headers, parameters, and running them.

A query file opens with a header of ``#+`` lines::

    #+ summary: Documents in force on a date
    #+ summary_zh: 某日有效的文件
    #+ param: date (xsd:date, default: today) the day asked about

Parameters are bound as values (``initBindings``), never spliced into the text. Types:
``xsd:date`` (ISO date, or ``today``), ``xsd:string``, ``pkg:document`` (a 文号 in any
bracket form, a title fragment, or an IRI), ``pkg:organization`` (any name an agency
appears as: 市发改委, 市发展改革委, 杭州市发展改革委), ``pkg:tier`` and ``pkg:incentiveType``
(a concept's key, Chinese or English label, or any wording of it: 小巨人, little-giant,
贴息), ``pkg:area`` (an area's name, alone or after those it lies within: 杭州市, 杭州市钱塘区,
浙江省/杭州市), and ``rdfs:Resource`` (an IRI, full or as ``id:…``), each resolved against
the graph.

A query whose rows belong to documents says which variable holds them, ``#+ scope: doc``,
and so takes ``--param area=…``: only documents of that area or of an area within it are
kept (``all``, the default, keeps every one). The runner opens the query's WHERE group with
the area and the areas within it as a VALUES block joined to the documents' jurisdiction,
so the store starts from those documents rather than from the whole corpus.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.query import Result

from .extract.patterns import DOC_NUMBER, doc_number, squeeze
from .namespaces import ELI, ID, PKG, PREFIXES
from .organizations import Directory, canonical_form
from .resources import data_dir
from .schemes import QUOTES

_PARAM = re.compile(r"^#\+ param:\s*(?P<name>\w+)\s*\((?P<type>[\w:]+)(?:,\s*default:\s*(?P<default>[^)]*))?\)\s*(?P<doc>.*)$")
_FIELD = re.compile(r"^#\+ (?P<key>\w+):\s*(?P<value>.*)$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def _where_end(text: str) -> int | None:
    """Where the query's outer WHERE group opens (its ``{``), comment lines passed over."""
    for m in _WHERE.finditer(text):
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        if not line.lstrip().startswith("#"):
            return m.end()
    return None


SCOPE = "area"  # the parameter a ``#+ scope: VAR`` line gives its query
ALL_AREAS = "all"


class QueryError(Exception):
    """A bad query name, parameter or value: the message is one line for the user."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    doc: str


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    fields: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "NamedQuery":
        text = path.read_text("utf-8")
        q = cls(path.stem, path, text)
        for line in text.splitlines():
            if not line.startswith("#+"):
                continue
            m = _PARAM.match(line)
            if m:
                q.params.append(Param(m["name"], m["type"], m["default"], m["doc"].strip()))
                continue
            m = _FIELD.match(line)
            if m:
                q.fields[m["key"]] = m["value"].strip()
        if q.scope:
            q.params.append(Param(SCOPE, "pkg:area", ALL_AREAS,
                                  f"only the documents (?{q.scope}) of this area or of an area within it: "
                                  "浙江省, 杭州市, 杭州市钱塘区; all: every area"))
        return q

    @property
    def summary(self) -> str:
        return self.fields.get("summary", "")

    @property
    def scope(self) -> str | None:
        """The variable holding the documents the rows belong to (``#+ scope: doc``)."""
        return self.fields.get("scope", "").lstrip("?") or None

    def text_for(self, bindings: dict[str, object], values: bool = False) -> tuple[str, dict[str, object]]:
        """The query's text with its scope applied (when ``bindings`` names areas), and the
        bindings left to bind; with ``values`` they are written into the text as a VALUES
        block (:func:`with_values`) and none are left. The scope opens the WHERE group, ahead
        of the values: so Oxigraph starts from the area's documents for most queries rather
        than from what a value selects in every area (one tier's rewards in one area of
        20,000 documents: 0.8 s, against 3.7 s with the tier's values written first)."""
        areas = bindings.get(SCOPE) if self.scope else None
        rest = {k: v for k, v in bindings.items() if not (self.scope and k == SCOPE)}
        text, rest = (with_values(self.text, rest), {}) if values else (self.text, rest)
        if areas is None:
            return text, rest
        at = _where_end(text)
        if at is None:
            raise QueryError(f"{self.path.name}: the query has no WHERE {{ … }} to scope")
        scoped = (f" VALUES ?_scopeArea {{ {' '.join(a.n3() for a in areas)} }}"
                  f" ?{self.scope} eli:jurisdiction ?_scopeArea .")
        return text[:at] + scoped + text[at:], rest


def named_queries() -> dict[str, NamedQuery]:
    return {p.stem: NamedQuery.load(p) for p in sorted(data_dir("queries").glob("*.rq"))}


def find_query(name_or_file: str) -> NamedQuery:
    path = Path(name_or_file)
    if name_or_file.endswith(".rq"):
        if not path.is_file():
            raise QueryError(f"no query file {name_or_file}")
        return NamedQuery.load(path)
    queries = named_queries()
    if name_or_file not in queries:
        raise QueryError(f"unknown query {name_or_file!r}; named queries: {', '.join(queries)}")
    return queries[name_or_file]


def load_graph(graph_dir: Path, backend: str = "rdflib") -> Graph:
    """The built graph in ``graph_dir`` on a backend (:mod:`.store`): rdflib in memory, or
    the Oxigraph store kept beside the files; ``auto`` chooses by size."""
    from .store import StoreError, open_graph

    if not (graph_dir.is_dir() and any(graph_dir.glob("*.ttl"))):
        raise QueryError(f"no graph in {graph_dir}: run `policykg build` first")
    try:
        return open_graph([graph_dir], backend)[0]
    except StoreError as exc:
        raise QueryError(str(exc)) from None


def document_label(g: Graph, doc: URIRef) -> str:
    """How a document is named to people: its 文号, else its title, else its IRI."""
    return str(g.value(doc, ELI.id_local) or g.value(doc, ELI.title) or doc)


def resolve_document(g: Graph, value: str) -> URIRef:
    """A document's IRI from its 文号, a fragment of its title, or the IRI itself."""
    if value.startswith("http"):
        return URIRef(value)
    m = DOC_NUMBER.search(value)
    wanted_number = doc_number(m) if m else None
    fragment = squeeze(value)
    rows = g.query(
        "SELECT ?d ?n ?t WHERE { ?d a pkg:PolicyDocument . OPTIONAL { ?d eli:id_local ?n } "
        "OPTIONAL { ?d eli:title ?t } }"
    )
    by_number = {r.d for r in rows if wanted_number and r.n is not None and str(r.n) == wanted_number}
    if by_number:
        return sorted(by_number)[0]
    by_title = sorted({
        r.d for r in rows
        if fragment and any(t is not None and fragment in squeeze(str(t)) for t in (r.t, r.n))
    })
    if len(by_title) == 1:
        return by_title[0]
    if not by_title:
        raise QueryError(f"unknown document {value!r}: no 文号 or title in the graph matches it")
    names = ", ".join(str(d).rsplit("/", 1)[-1] for d in by_title)
    raise QueryError(f"document {value!r} is ambiguous: it matches {names}")


def _ambiguous(kind: str, value: str, found: list[URIRef]) -> QueryError:
    names = ", ".join(str(d).removeprefix(str(ID)) for d in found)
    return QueryError(f"{kind} {value!r} is ambiguous: it matches {names}")


def resolve_organization(g: Graph, value: str) -> URIRef:
    """An organization from any of its names; a name the graph never saw is tried against
    the curated aliases (``reference/organizations.toml``) in each area the graph has."""
    if value.startswith(("http", "id:")):
        return resolve_resource(value)
    wanted = canonical_form(value)
    orgs: dict[URIRef, set[str]] = {}
    areas: dict[URIRef, tuple[str, ...]] = {}
    for row in g.query(
        "SELECT ?o ?l ?a WHERE { ?o a org:Organization . { ?o skos:prefLabel ?l } UNION { ?o skos:altLabel ?l } "
        "OPTIONAL { ?o dcterms:spatial ?a } }", initNs=dict(PREFIXES)
    ):
        orgs.setdefault(row.o, set()).add(canonical_form(str(row.l)))
        if row.a is not None:
            areas[row.o] = tuple(str(row.a).removeprefix(str(ID["area/"])).split("/"))
    found = sorted(o for o, labels in orgs.items() if wanted in labels)
    if not found:
        directory = Directory.load()
        keys = {directory.resolve(value, area).key for area in set(areas.values())}
        found = sorted(o for o in orgs if str(o).removeprefix(str(ID["org/"])) in keys)
    if len(found) == 1:
        return found[0]
    if not found:
        raise QueryError(f"unknown organization {value!r}: no organization in the graph has that name")
    raise _ambiguous("organization", value, found)


def resolve_concept(g: Graph, value: str, scheme: URIRef) -> URIRef:
    """A concept of ``scheme`` from its key (skos:notation), a label, or a wording of it."""
    if value.startswith(("http", "id:")):
        return resolve_resource(value)
    wanted = value.strip().strip("".join(QUOTES)).lower()
    plain = lambda s: str(s).translate({ord(q): None for q in QUOTES}).lower()  # noqa: E731
    labels: dict[URIRef, set[str]] = {}
    for row in g.query(
        "SELECT ?c ?l WHERE { ?c skos:inScheme ?scheme . "
        "{ ?c skos:prefLabel ?l } UNION { ?c skos:altLabel ?l } UNION { ?c skos:notation ?l } }",
        initNs=dict(PREFIXES), initBindings={"scheme": scheme},
    ):
        labels.setdefault(row.c, set()).add(plain(row.l))
    found = sorted(c for c, ls in labels.items() if plain(wanted) in ls)
    if not found:  # a fragment of one concept's label: 贴息, 小巨人企业
        found = sorted(c for c, ls in labels.items() if any(plain(wanted) in label for label in ls))
    if len(found) == 1:
        return found[0]
    if not found:
        known = ", ".join(sorted(str(c).rsplit("/", 1)[-1] for c in labels))
        raise QueryError(f"unknown {scheme.split('#')[-1]} concept {value!r}; known: {known}")
    raise _ambiguous("concept", value, found)


def resolve_area(g: Graph, value: str) -> tuple[URIRef, ...] | None:
    """The area a name means and every area within it, nearest first; None for ``all``.

    A name is an area's own (杭州市) or follows those it lies within, run together or with
    ``/`` (杭州市钱塘区, 浙江省/杭州市/钱塘区); an IRI, full or as ``id:…``, names one too."""
    value = value.strip()
    if value.lower() == ALL_AREAS:
        return None
    label: dict[URIRef, str] = {}
    within: dict[URIRef, URIRef] = {}
    for row in g.query("SELECT ?a ?l ?w WHERE { ?a a pkg:AdministrativeArea ; skos:prefLabel ?l . "
                       "OPTIONAL { ?a pkg:withinArea ?w } }", initNs=dict(PREFIXES)):
        label[row.a] = str(row.l)
        if row.w is not None:
            within[row.a] = row.w

    def path(area: URIRef) -> list[str]:
        names, seen = [], set()
        while area is not None and area not in seen:
            seen.add(area)
            names.insert(0, label.get(area, ""))
            area = within.get(area)
        return names

    paths = {area: path(area) for area in label}
    if value.startswith(("http", "id:")):
        wanted = resolve_resource(value)
        found = [wanted] if wanted in label else []
    else:
        name = value.replace("/", "").replace(" ", "")
        found = sorted(a for a, names in paths.items() if name in {"".join(names[i:]) for i in range(len(names))})
    if not found:
        known = "、".join(sorted(set(label.values())))
        raise QueryError(f"unknown area {value!r}; the graph's areas: {known or 'none'}")
    if len(found) > 1:
        names = ", ".join("/".join(paths[a]) for a in found)
        raise QueryError(f"area {value!r} is ambiguous: it matches {names}; name the areas it lies within too")
    inside: dict[URIRef, list[URIRef]] = {}
    for area, outer in within.items():
        inside.setdefault(outer, []).append(area)
    areas, todo = [], [found[0]]
    while todo:
        area = todo.pop(0)
        if area not in areas:
            areas.append(area)
            todo.extend(sorted(inside.get(area, [])))
    return tuple(areas)


def resolve_resource(value: str) -> URIRef:
    """An IRI, full or compact (``id:doc/杭政办函-2023-81/measure/3``)."""
    value = value.strip().strip("<>")
    if value.startswith("id:"):
        return ID[value[3:]]
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    raise QueryError(f"{value!r} is not an IRI: give it in full or as id:…")


def bind(g: Graph, query: NamedQuery, given: dict[str, str]) -> dict[str, object]:
    known = {p.name for p in query.params}
    unknown = set(given) - known
    if unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}"
            f" (it takes: {', '.join(sorted(known)) or 'none'})"
        )
    bindings = {}
    for p in query.params:
        raw = given.get(p.name, p.default)
        if raw is None or raw == "":
            raise QueryError(f"query {query.name!r} needs --param {p.name}=… ({p.doc})")
        if p.type == "xsd:date":
            if raw == "today":
                raw = dt.date.today().isoformat()
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError:
                raise QueryError(f"--param {p.name}={raw}: not a date (YYYY-MM-DD)") from None
            bindings[p.name] = Literal(day.isoformat(), datatype=XSD.date)
        elif p.type == "pkg:document":
            bindings[p.name] = resolve_document(g, raw)
        elif p.type == "pkg:organization":
            bindings[p.name] = resolve_organization(g, raw)
        elif p.type == "pkg:tier":
            bindings[p.name] = resolve_concept(g, raw, PKG.EnterpriseTierScheme)
        elif p.type == "pkg:incentiveType":
            bindings[p.name] = resolve_concept(g, raw, PKG.IncentiveTypeScheme)
        elif p.type == "pkg:area":
            areas = resolve_area(g, raw)
            if areas is not None:
                bindings[p.name] = areas
        elif p.type == "rdfs:Resource":
            bindings[p.name] = resolve_resource(raw)
        else:
            bindings[p.name] = Literal(raw)
    return bindings


def with_values(text: str, bindings: dict[str, object]) -> str:
    """The query with its parameters as a VALUES block opening the outer WHERE group, for
    stores that take no initial bindings (a remote endpoint). The terms are written in
    SPARQL syntax (``n3()``), escaped, so a value never becomes query text.

    >>> from rdflib import Literal
    >>> with_values("SELECT ?x WHERE { ?x ?p ?y }", {"y": Literal("钱塘", lang="zh")})
    'SELECT ?x WHERE { VALUES (?y) { ("钱塘"@zh) } ?x ?p ?y }'
    """
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    at = _where_end(text)
    if at is None:
        raise QueryError("the query has no WHERE { … } to put its parameters in")
    return f"{text[:at]} VALUES ({names}) {{ ({terms}) }}{text[at:]}"


def run(g: Graph, query: NamedQuery, given: dict[str, str]) -> Result:
    text, bindings = query.text_for(bind(g, query, given))
    try:
        return g.query(text, initNs=dict(PREFIXES), initBindings=bindings)
    except Exception as exc:  # noqa: BLE001 — a malformed user query file
        raise QueryError(f"{query.path.name}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None


def python_value(term) -> object:
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
    names = [str(v) for v in result.vars]
    return names, [{n: python_value(row[n]) for n in names} for row in result]


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
