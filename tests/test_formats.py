"""The format registry (policykg/formats.py) is the one source of the format names, media
types and writers of `query --format`, `export --format`, `validate --format` and the
endpoint's content negotiation."""
from __future__ import annotations

import importlib
import typing
from pathlib import Path

import pytest
import typer

from policykg import formats
from policykg.cli import app
from policykg.formats import FORMATS, KINDS, by_media_type, by_name, media_types, names

COMMANDS = typer.main.get_command(app).commands


def _choices(command: str, option: str) -> tuple[str, ...]:
    """The choices typer checks for an option: the values of its ``Literal`` type."""
    import policykg.cli as cli

    callback = COMMANDS[command].callback
    hints = typing.get_type_hints(callback, globalns=vars(cli), include_extras=True)
    for param in COMMANDS[command].params:
        if option in getattr(param, "opts", ()):
            annotation = hints[param.name]
            inner = typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation
            return typing.get_args(inner)
    raise AssertionError(f"{command} has no {option}")


def test_query_format_choices_are_the_rows_formats():
    assert _choices("query", "--format") == names("rows") == ("table", "csv", "tsv", "json")


def test_export_format_choices_are_the_view_formats():
    from policykg.export.writers import FORMATS as EXPORT_FORMATS

    assert _choices("export", "--format") == names("view") == EXPORT_FORMATS
    assert names("view") == ("graphml", "gexf", "cytoscape", "nodelink", "dot", "html", "png")


def test_validate_format_choices_are_the_report_formats():
    assert _choices("validate", "--format") == names("report") == ("text", "json", "junit")


def test_backend_choices_are_the_store_backends():
    from policykg.store.backends import BACKENDS

    for command in ("query", "validate", "export", "serve"):
        assert _choices(command, "--backend") == BACKENDS


def test_export_extensions():
    assert {n: by_name("view", n).extension for n in names("view")} == {
        "graphml": "graphml", "gexf": "gexf", "cytoscape": "cyjs", "nodelink": "json", "dot": "dot",
        "html": "html", "png": "png"}


def test_the_endpoint_negotiates_the_registry_media_types():
    from policykg.serve import protocol

    assert tuple(protocol.RESULT_TYPES) == media_types("results") == (
        "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
        "text/tab-separated-values", "application/json", "application/xml")
    assert tuple(protocol.GRAPH_TYPES) == media_types("graph") == (
        "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/plain")
    assert protocol.GRAPH_TYPES["text/plain"] == "nt" and protocol.RESULT_TYPES["application/json"] == "json"
    assert formats.sparqlwrapper_aliases() == protocol._FORMAT_ALIASES
    assert protocol._FORMAT_ALIASES["json"] == ("application/sparql-results+json", "application/ld+json")
    assert protocol._FORMAT_ALIASES["n3"] == (None, "text/turtle")


def test_lookups():
    assert by_media_type(("results", "graph"), "text/turtle; charset=utf-8").name == "turtle"
    assert by_media_type("results", "text/turtle") is None
    with pytest.raises(KeyError):
        by_name("rows", "xml")
    with pytest.raises(ValueError):
        names("nonsense")


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f"{f.kind}:{f.name}:{f.media_type}")
def test_every_writer_resolves(fmt):
    assert fmt.kind in KINDS
    if fmt.kind in ("results", "graph"):
        from rdflib.plugin import get
        from rdflib.query import ResultSerializer
        from rdflib.serializer import Serializer

        import policykg.serve.tsv  # noqa: F401 — the endpoint's own tsv serializer registers itself
        get(fmt.writer, ResultSerializer if fmt.kind == "results" else Serializer)
    else:
        assert callable(fmt.load())


def test_the_registry_imports_no_stage():
    text = Path(importlib.util.find_spec("policykg.formats").origin).read_text("utf-8")
    assert "from policykg" not in text and "import policykg" not in text


def test_the_endpoint_registers_its_tsv_writer_itself():
    """Regression: the import that registers rdflib's missing tsv result serializer was lost
    once (a moved import lost its noqa, and the linter removed it); the suite still passed
    because a test imported the module. A process that imports only the endpoint has it."""
    import subprocess
    import sys

    code = ("import policykg.serve.app; from rdflib.plugin import get; from rdflib.query import ResultSerializer; "
            "print(get('tsv', ResultSerializer).__module__)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "policykg.serve.tsv", r.stderr
