"""Evidence checked against the text: every quote must be what its corpus file holds at its
offsets, and every ``pkg:sourceFile`` a file of the corpus.

A graph's quotes are only as good as the text they point to: a quote edited in ``graph/``
(``2023年12月27日`` → ``2099年12月27日``, same length) or moved to other offsets passes every
shape, so the files are read (decoded as the build decodes them) and compared. Where no corpus
is found (a repository that keeps only a graph) the report says the quotes were not checked:
a warning, not a violation.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from policykg.ingest.corpus import CorpusError, read_source
from policykg.store.labels import document_label
from policykg.validate.findings import Finding, document_of

_EVIDENCE = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?node ?file ?start ?end ?exact WHERE {
  ?node a pkg:Evidence ; pkg:sourceFile ?file ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
}
"""
_RULE = "pks:evidence-matches-text"


def default_corpus(paths: list[Path]) -> Path:
    """The ``corpus/`` beside the graph folder, as the build lays them out."""
    first = paths[0] if paths else Path("graph")
    folder = first if first.is_dir() else first.parent
    return folder.resolve().parent / "corpus"


def _finding(severity: str, message: str, focus: str, file: str | None, quote: str | None = None,
             start: int | None = None, end: int | None = None, graph: Graph | None = None) -> Finding:
    doc = document_of(URIRef(focus)) if graph is not None else None
    label = document_label(graph, doc) if graph is not None and doc is not None else None
    return Finding(severity, _RULE, message, focus, str(doc) if doc else None, label, file, "oa:exact", None,
                   quote, start, end)


def check_quotes(graph: Graph, corpus: Path | None) -> list[Finding]:
    """Findings for every evidence node whose quote is not its file's text at its offsets."""
    rows = [tuple(row) for row in graph.query(_EVIDENCE)]  # type: ignore[arg-type]  # SELECT rows
    if not rows:
        return []
    if corpus is None or not corpus.is_dir():
        return [_finding("warning", f"the {len(rows)} evidence quotes were not checked against the text: "
                         f"no corpus folder at {corpus} (give one with --corpus)", str(corpus), None)]
    root = corpus.resolve()
    texts: dict[str, str | None] = {}
    problems: dict[str, str] = {}
    findings: list[Finding] = []
    for node, file, start, end, exact in rows:
        name, s, e, quote = str(file), int(str(start)), int(str(end)), str(exact)
        if name not in texts:
            path = (root / name).resolve()
            if Path(name).is_absolute() or path.parent != root:
                texts[name], problems[name] = None, f"pkg:sourceFile {name!r} is not a file of the corpus {root}"
            elif not path.is_file():
                texts[name], problems[name] = None, f"pkg:sourceFile {name!r}: no such file in the corpus {root}"
            else:
                try:
                    texts[name] = read_source(path).text
                except CorpusError as exc:
                    texts[name], problems[name] = None, f"pkg:sourceFile {name!r}: {exc}"
        text = texts[name]
        if text is None:
            findings.append(_finding("violation", problems[name], str(node), name, quote, s, e, graph))
        elif text[s:e] != quote:
            written = text[s:e]
            findings.append(_finding(
                "violation", f"the quote is not the text at {name} {s}–{e}: the file has "
                f"{written[:40]!r}{'…' if len(written) > 40 else ''}", str(node), name, quote, s, e, graph))
    return findings
