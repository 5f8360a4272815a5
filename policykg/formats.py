"""The one format registry: each output format's name, media type, file extension, kind and
writer, for ``query --format``, the endpoint's content negotiation, ``export --format`` and
``validate --format``.

Kinds:

- ``rows``: a SELECT answer as plain rows (``policykg query --format``);
- ``results``: the SPARQL result serializations the endpoint negotiates for SELECT and ASK
  (``application/json`` and ``application/xml`` are aliases of the SPARQL media types);
- ``graph``: RDF graph serializations for CONSTRUCT and DESCRIBE (``text/plain`` is N-Triples);
- ``view``: the network views ``policykg export`` writes;
- ``report``: ``policykg validate``'s reports.

``writer`` is a ``"module:function"`` path resolved lazily (:meth:`Format.load`), or for
``results`` and ``graph`` the rdflib serializer's plugin name: this module imports no stage.
The order of the entries is the order of preference (the endpoint answers ``*/*`` with the
first of a kind).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

KINDS = ("rows", "results", "graph", "view", "report")


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    kind: str
    writer: str  # "module:function", or an rdflib serializer plugin name

    def load(self) -> Callable[..., Any]:
        """The writer function (``module:function`` imported now)."""
        module, sep, attr = self.writer.partition(":")
        if not sep:
            raise TypeError(f"{self.name}: {self.writer!r} is an rdflib serializer name, not a function")
        return getattr(importlib.import_module(module), attr)


FORMATS: tuple[Format, ...] = (
    Format("table", "text/plain", "txt", "rows", "policykg.query.render:render_table"),
    Format("csv", "text/csv", "csv", "rows", "policykg.query.render:render_csv"),
    Format("tsv", "text/tab-separated-values", "tsv", "rows", "policykg.query.render:render_tsv"),
    Format("json", "application/json", "json", "rows", "policykg.query.render:render_json"),

    Format("json", "application/sparql-results+json", "srj", "results", "json"),
    Format("xml", "application/sparql-results+xml", "srx", "results", "xml"),
    Format("csv", "text/csv", "csv", "results", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv", "results", "tsv"),
    Format("json", "application/json", "json", "results", "json"),  # alias
    Format("xml", "application/xml", "xml", "results", "xml"),  # alias

    Format("turtle", "text/turtle", "ttl", "graph", "turtle"),
    Format("nt", "application/n-triples", "nt", "graph", "nt"),
    Format("rdf+xml", "application/rdf+xml", "rdf", "graph", "xml"),
    Format("json-ld", "application/ld+json", "jsonld", "graph", "json-ld"),
    Format("nt", "text/plain", "nt", "graph", "nt"),  # alias

    Format("graphml", "application/graphml+xml", "graphml", "view", "policykg.export.writers:graphml_bytes"),
    Format("gexf", "application/gexf+xml", "gexf", "view", "policykg.export.writers:gexf_bytes"),
    Format("cytoscape", "application/json", "cyjs", "view", "policykg.export.writers:cytoscape_bytes"),
    Format("nodelink", "application/json", "json", "view", "policykg.export.writers:nodelink_bytes"),
    Format("dot", "text/vnd.graphviz", "dot", "view", "policykg.export.writers:dot_bytes"),
    Format("html", "text/html", "html", "view", "policykg.export.writers:html_bytes"),
    Format("png", "image/png", "png", "view", "policykg.export.writers:png_bytes"),

    Format("text", "text/plain", "txt", "report", "policykg.validate.report:render_text"),
    Format("json", "application/json", "json", "report", "policykg.validate.report:render_json"),
    Format("junit", "application/xml", "xml", "report", "policykg.validate.report:render_junit"),
)


# SPARQLWrapper's format= / output= values → (the results format, the graph format) by name
SPARQLWRAPPER_ALIASES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "json-ld"),
    "xml": ("xml", "rdf+xml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "n3": (None, "turtle"),
    "nt": (None, "nt"),
    "rdf+xml": (None, "rdf+xml"),
    "json-ld": (None, "json-ld"),
}


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown format kind {kind!r}: one of {', '.join(KINDS)}")


def formats(kind: str) -> tuple[Format, ...]:
    """Every format of a kind, aliases included, in order."""
    _check(kind)
    return tuple(f for f in FORMATS if f.kind == kind)


def names(kind: str) -> tuple[str, ...]:
    """The names of a kind's formats, in order, each once."""
    return tuple(dict.fromkeys(f.name for f in formats(kind)))


def by_name(kind: str, name: str) -> Format:
    """A kind's format by name (the first, where aliases share it); KeyError if none."""
    for f in formats(kind):
        if f.name == name:
            return f
    raise KeyError(f"unknown {kind} format {name!r}: one of {', '.join(names(kind))}")


def by_media_type(kinds: str | Iterable[str], media_type: str) -> Format | None:
    """The format of one of ``kinds`` with this media type (parameters such as ``;charset`` ignored)."""
    wanted = media_type.split(";", 1)[0].strip().lower()
    for kind in (kinds,) if isinstance(kinds, str) else kinds:
        for f in formats(kind):
            if f.media_type == wanted:
                return f
    return None


def media_types(kind: str) -> tuple[str, ...]:
    """A kind's media types, in order, each once."""
    return tuple(dict.fromkeys(f.media_type for f in formats(kind)))


def serializers(kind: str) -> dict[str, str]:
    """Media type → writer (the rdflib serializer name for ``results`` and ``graph``)."""
    return {f.media_type: f.writer for f in formats(kind)}


def sparqlwrapper_aliases() -> dict[str, tuple[str | None, str | None]]:
    """SPARQLWrapper's ``format=`` / ``output=`` values → (results media type, graph media type)."""
    return {alias: (by_name("results", r).media_type if r else None, by_name("graph", g).media_type if g else None)
            for alias, (r, g) in SPARQLWRAPPER_ALIASES.items()}


def extension(kind: str, name: str) -> str:
    return by_name(kind, name).extension
