"""SPARQL 1.1 Query Results TSV, which rdflib can parse but not write.

Registered as rdflib's ``tsv`` result serializer. Terms are written as in Turtle: IRIs in
``<>``, literals quoted with their language or datatype, except integers, decimals and doubles
whose lexical form Turtle accepts bare (``4``, ``5.5``); unbound values are empty.

>>> from rdflib import Literal, URIRef, XSD
>>> [term(t) for t in (URIRef("http://e/x"), Literal("a\\tb"), Literal("4", datatype=XSD.integer), Literal("x", lang="zh"))]
['<http://e/x>', '"a\\\\tb"', '4', '"x"@zh']
"""
from __future__ import annotations

import re
from typing import IO

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.plugin import register
from rdflib.query import Result, ResultSerializer

_BARE: dict[URIRef | None, re.Pattern[str]] = {  # looked up by a literal's datatype, None for a plain one
    XSD.integer: re.compile(r"[+-]?\d+"),
    XSD.decimal: re.compile(r"[+-]?\d*\.\d+"),
    XSD.double: re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+"),
}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def term(value) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return f"<{value}>"
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal):
        lexical = str(value)
        bare = _BARE.get(value.datatype)
        if bare is not None and bare.fullmatch(lexical):
            return lexical.replace("E", "e") if value.datatype == XSD.double else lexical
        quoted = '"' + "".join(_ESCAPES.get(ch, ch) for ch in lexical) + '"'
        if value.language:
            return f"{quoted}@{value.language}"
        if value.datatype and value.datatype != XSD.string:
            return f"{quoted}^^<{value.datatype}>"
        return quoted
    return str(value)


class TSVResultSerializer(ResultSerializer):
    def serialize(self, stream: IO, encoding: str = "utf-8", **kwargs) -> None:
        result: Result = self.result
        if result.type == "ASK":
            text = f"?_askResult\n{'true' if result.askAnswer else 'false'}\n"
        else:
            assert result.vars is not None  # TSV is offered for SELECT and ASK results only
            names = [str(v) for v in result.vars]
            lines = ["\t".join(f"?{n}" for n in names)]
            for row in result.bindings:
                lines.append("\t".join(term(row.get(v)) for v in result.vars))
            text = "\n".join(lines) + "\n"
        try:
            stream.write(text.encode(encoding))
        except TypeError:
            stream.write(text)


register("tsv", ResultSerializer, "policykg.serve.tsv", "TSVResultSerializer")
