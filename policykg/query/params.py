"""A named query's parameters resolved against the graph and bound as values.

Types: ``xsd:date`` (ISO date, or ``today``), ``xsd:string``, ``pkg:document`` (a 文号 in any
bracket form, a title fragment, or an IRI), ``pkg:organization`` (any name an agency
appears as: 市发改委, 市发展改革委, 杭州市发展改革委), ``pkg:tier`` and ``pkg:incentiveType``
and ``pkg:function``
(a concept's key, Chinese or English label, or any wording of it: 小巨人, little-giant,
贴息, 工信, 经信), ``pkg:area`` (an area's name, alone or after those it lies within: 杭州市, 杭州市钱塘区,
浙江省/杭州市), and ``rdfs:Resource`` (an IRI, full or as ``id:…``).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.query import ResultRow
from rdflib.term import Identifier

from policykg.extract.patterns import DOC_NUMBER, doc_number, squeeze
from policykg.namespaces import ID, PKG, PREFIXES
from policykg.query.library import ALL_AREAS, NamedQuery, QueryError
from policykg.reference.areas import Gazetteer
from policykg.reference.organizations import Directory, canonical_form
from policykg.reference.schemes import QUOTES


def _select(
    g: Graph, text: str,
    initNs: Mapping[str, Any] | None = None,  # noqa: N803 — rdflib's names
    initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
) -> Iterable[ResultRow]:
    """``g.query`` for a SELECT: its result yields rows (rdflib types any result's items as
    the union of a SELECT's rows, a CONSTRUCT's triples and an ASK's boolean)."""
    return cast("Iterable[ResultRow]", g.query(text, initNs=initNs, initBindings=initBindings))


def _iri(term: object) -> URIRef:
    """A result term the query selects as a resource this package minted: always an IRI."""
    return cast(URIRef, term)


def resolve_document(g: Graph, value: str) -> URIRef:
    """A document's IRI from its 文号, a fragment of its title, or the IRI itself."""
    if value.startswith("http"):
        return URIRef(value)
    m = DOC_NUMBER.search(value)
    wanted_number = doc_number(m) if m else None
    fragment = squeeze(value)
    rows = _select(
        g, "SELECT ?d ?n ?t WHERE { ?d a pkg:PolicyDocument . OPTIONAL { ?d eli:id_local ?n } "
        "OPTIONAL { ?d eli:title ?t } }"
    )
    by_key = sorted({_iri(r.d) for r in rows if str(r.d).rsplit("/", 1)[-1] == value.removeprefix("id:doc/")})
    if len(by_key) == 1:  # the key the IRI ends with (杭政办函-2023-81), as ambiguity messages list it
        return by_key[0]
    by_number = sorted({_iri(r.d) for r in rows if wanted_number and r.n is not None and str(r.n) == wanted_number})
    if len(by_number) > 1:  # one 文号 in two files: never one of them silently
        raise _ambiguous("document", value, by_number)
    if by_number:
        return by_number[0]
    by_title = sorted({
        _iri(r.d) for r in rows
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
    for row in _select(
        g, "SELECT ?o ?l ?a WHERE { ?o a org:Organization . { ?o skos:prefLabel ?l } UNION { ?o skos:altLabel ?l } "
        "OPTIONAL { ?o dcterms:spatial ?a } }", initNs=dict(PREFIXES)
    ):
        orgs.setdefault(_iri(row.o), set()).add(canonical_form(str(row.l)))
        if row.a is not None:
            areas[_iri(row.o)] = tuple(str(row.a).removeprefix(str(ID["area/"])).split("/"))
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
    for row in _select(
        g, "SELECT ?c ?l WHERE { ?c skos:inScheme ?scheme . "
        "{ ?c skos:prefLabel ?l } UNION { ?c skos:altLabel ?l } UNION { ?c skos:notation ?l } }",
        initNs=dict(PREFIXES), initBindings={"scheme": scheme},
    ):
        labels.setdefault(_iri(row.c), set()).add(plain(row.l))
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
    for row in _select(g, "SELECT ?a ?l ?w WHERE { ?a a pkg:AdministrativeArea ; skos:prefLabel ?l . "
                       "OPTIONAL { ?a pkg:withinArea ?w } }", initNs=dict(PREFIXES)):
        label[_iri(row.a)] = str(row.l)
        if row.w is not None:
            within[_iri(row.a)] = _iri(row.w)

    def path(area: URIRef | None) -> list[str]:
        names: list[str] = []
        seen: set[URIRef] = set()
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
        gazetteer = _gazetteer_area(value)
        if gazetteer is not None:  # an area of the gazetteer the graph's documents do not reach
            return gazetteer
        known = "、".join(sorted(set(label.values())))
        raise QueryError(f"unknown area {value!r}: no division of the gazetteer has that name; "
                         f"the graph's documents are of {known or 'no area'}")
    if len(found) > 1:
        names = ", ".join("/".join(paths[a]) for a in found)
        raise QueryError(f"area {value!r} is ambiguous: it matches {names}; name the areas it lies within too")
    inside: dict[URIRef, list[URIRef]] = {}
    for area, outer in within.items():
        inside.setdefault(outer, []).append(area)
    areas: list[URIRef] = []
    todo = [found[0]]
    while todo:
        area = todo.pop(0)
        if area not in areas:
            areas.append(area)
            todo.extend(sorted(inside.get(area, [])))
    return tuple(areas)


def _gazetteer_area(value: str) -> tuple[URIRef, ...] | None:
    """An area of the gazetteer (any division, 新区 or the national level) that no document of
    the graph has: its own IRI only, so a scoped query answers with no rows."""
    gazetteer = Gazetteer.load()
    if value.startswith(("http", "id:")):
        return None
    name = value.replace("/", "").replace(" ", "")
    paths = [p for p in gazetteer.by_path if name in {"".join(p[i:]) for i in range(len(p))}]
    if not paths:
        path, end = gazetteer.parse_prefix(name)
        paths = [path] if path and end == len(name) and path in gazetteer.by_path else []
    current = [p for p in paths if not gazetteer.by_path[p].historical] or paths
    if len(current) > 1:
        names = ", ".join("/".join(p) for p in current)
        raise QueryError(f"area {value!r} is ambiguous: it matches {names}; name the areas it lies within too")
    if not current:
        return None
    return (ID["area/" + "/".join(current[0])],)  # division names hold no character an IRI escapes


def resolve_resource(value: str) -> URIRef:
    """An IRI, full or compact (``id:doc/杭政办函-2023-81/measure/3``)."""
    value = value.strip().removeprefix("<").removesuffix(">")
    bad = re.search(r'[<>"{}|^`\\\s]', value)
    if bad:  # a character no IRI holds (RFC 3987): never written into a query
        raise QueryError(f"{value!r} is not an IRI: it holds {bad.group()!r}")
    if value.startswith("id:"):
        return ID[value[3:]]
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    raise QueryError(f"{value!r} is not an IRI: give it in full or as id:…")


_SCHEMES = {"pkg:tier": PKG.EnterpriseTierScheme, "pkg:incentiveType": PKG.IncentiveTypeScheme,
            "pkg:function": PKG.GovernmentFunctionScheme}


def bind(g: Graph, query: NamedQuery, given: dict[str, str]) -> dict[str, object]:
    known = {p.name for p in query.params}
    unknown = set(given) - known
    if unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}"
            f" (it takes: {', '.join(sorted(known)) or 'none'})"
        )
    bindings: dict[str, object] = {}
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
        elif p.type in _SCHEMES:
            bindings[p.name] = resolve_concept(g, raw, _SCHEMES[p.type])
        elif p.type == "pkg:area":
            areas = resolve_area(g, raw)
            if areas is not None:
                bindings[p.name] = areas
        elif p.type == "rdfs:Resource":
            bindings[p.name] = resolve_resource(raw)
        else:
            bindings[p.name] = Literal(raw)
    return bindings
