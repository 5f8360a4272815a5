"""SPARQL text rewriting: where a query's WHERE group opens, and parameters written into the
text as a VALUES block, for stores that take no initial bindings of any variable (Oxigraph's
substitution takes projected variables only; a remote endpoint takes none).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from rdflib.term import Identifier

_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def where_end(text: str) -> int | None:
    """Where the query's outer WHERE group opens (its ``{``), comment lines passed over."""
    for m in _WHERE.finditer(text):
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        if not line.lstrip().startswith("#"):
            return m.end()
    return None


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
    terms = " ".join(cast("Identifier", term).n3() for term in bindings.values())  # rdflib terms, every one
    at = where_end(text)
    if at is None:
        raise ValueError("the query has no WHERE { … } to put its parameters in")
    return f"{text[:at]} VALUES ({names}) {{ ({terms}) }}{text[at:]}"


def uses_service(algebra) -> bool:
    """Whether a translated query's algebra holds a SERVICE pattern (a request to another
    endpoint)."""
    from rdflib.plugins.sparql.algebra import traverse

    found: list[object] = []

    def visit(node) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append(node)
    traverse(algebra, visit)
    return bool(found)
