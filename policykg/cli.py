"""The ``policykg`` command.

Exit codes, the same on every command: 0 success; 1 a failure of the work (the build met
errors in some files, the graph has violations or, with ``--fail-on warning``, warnings; an
unknown document, query, parameter or area; a bad input file; no graph built yet; a store
error; the reasoner failing; an output file that cannot be written); 2 a usage error (an
unknown option, a bad option value such as ``--format nonsense``, a missing argument, a
``--param`` not written as key=value), reported on one line with no traceback.

The options with fixed choices are choices (``Literal`` types) that typer itself checks;
the format names come from :mod:`policykg.formats`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn, TypeAlias

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table
from typer.core import TyperGroup

try:  # typer from 0.29 carries a click of its own, whose exceptions its commands raise
    from typer._click.exceptions import BadParameter, UsageError
except ImportError:  # an older typer runs on click itself
    from click.exceptions import BadParameter, UsageError  # type: ignore[assignment]

from policykg.build import build as run_build
from policykg.export.views import VIEWS
from policykg.files import write_atomic
from policykg.formats import by_name, extension, names
from policykg.query.library import QueryError, find_query, named_queries
from policykg.query.render import render
from policykg.query.run import answer, load_graph, refuse_service, within
from policykg.store.backends import BACKENDS
from policykg.store.errors import StoreError
from policykg.validate.findings import Report, ValidationError
from policykg.validate.report import render_text
from policykg.validate.run import validate_paths

out = Console()
err = Console(stderr=True)

# the options with fixed choices (typer checks them: a value outside is a usage error, exit 2)
if TYPE_CHECKING:  # the choices are known only at run time: plain strings to the type checker
    RowFormat: TypeAlias = str
    ReportFormat: TypeAlias = str
    ViewFormat: TypeAlias = str
    View: TypeAlias = str
    Backend: TypeAlias = str
else:
    RowFormat = Literal[names("rows")]
    ReportFormat = Literal[names("report")]
    ViewFormat = Literal[names("view")]
    View = Literal[VIEWS]
    Backend = Literal[BACKENDS]
FailOn = Literal["violation", "warning"]
DiffFormat = Literal["table", "json"]
Show = Literal["misses", "wrong", "all", "none"]

_NOT_ONE_OF = re.compile(r"(?:Value error, )?('.*') is not one of (.+?)\.?", re.S)


def _usage_message(exc: UsageError) -> str:
    """A usage error as one line: a bad choice as ``--format 'xml': choose text, json, junit``."""
    if isinstance(exc, BadParameter) and exc.param is not None and getattr(exc.param, "opts", None):
        hit = _NOT_ONE_OF.fullmatch(exc.message)
        if hit:
            return f"{max(exc.param.opts, key=len)} {hit[1]}: choose {hit[2].replace(chr(39), '')}"
    return " ".join(exc.format_message().split())


class _Group(TyperGroup):
    """Usage errors of the commands on one line (``error: …``), exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            command = f"policykg {exc.ctx.info_name}" if exc.ctx is not None and exc.ctx.parent else "policykg"
            err.print(f"[red]error:[/red] {escape(_usage_message(exc).rstrip('.'))} (see `{command} --help`)",
                      highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(cls=_Group, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="A knowledge graph of Chinese 专精特新 policy documents, built from their text.")


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def build(
    corpus: Annotated[Path, typer.Option(help="folder of .txt documents (manifest.toml optional)")] = Path("corpus"),
    out_dir: Annotated[Path, typer.Option("--out", help="folder the Turtle files are written to")] = Path("graph"),
    validate_graph: Annotated[bool, typer.Option("--validate/--no-validate",
                                                 help="validate the built graph (SHACL and OWL)")] = True,
    jobs: Annotated[int | None, typer.Option(help="extraction processes [default: one per core]")] = None,
    cache: Annotated[bool, typer.Option("--cache/--no-cache",
                                        help="reuse the records of unchanged documents (OUT/.cache)")] = True,
    max_file_bytes: Annotated[int, typer.Option(help="a larger corpus file is refused, the others built")] = 20_000_000,
) -> None:
    """Build the graph from the corpus: one Turtle file per document in --out, then validate it.

    Unchanged documents are not extracted again, and unchanged graph files are not rewritten."""
    files = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("extracting", total=len(files) or None)
        try:
            result = run_build(corpus, out_dir, jobs=jobs, use_cache=cache, max_file_bytes=max_file_bytes,
                               on_file=lambda name: progress.update(task, advance=1, description=f"extracting {name}"))
        except OSError as exc:  # the output folder cannot be written
            fail(f"{exc.filename or out_dir}: {exc.strerror or exc}")
    for d in result.corpus.diagnostics:
        colour = "red" if d.level == "error" else "yellow"
        err.print(f"[{colour}]{d.level}[/{colour}] {d.source_file}"
                  f"{':' + str(d.line) if d.line else ''}: {d.message}", highlight=False, soft_wrap=True)
    docs = result.corpus.documents.values()
    report = None
    if validate_graph and result.files:
        try:
            report = validate_paths([out_dir], jobs=jobs, corpus=corpus)
        except ValidationError as exc:
            fail(str(exc))
        err.print(render_text(report), highlight=False, soft_wrap=True, end="")
    table = Table(title=f"policykg build → {out_dir}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents from the corpus", str(sum(not d.referenced_only for d in docs)))
    table.add_row("documents known from references", str(sum(d.referenced_only for d in docs)))
    summaries = [d.summary() for d in docs]
    table.add_row("measures", str(sum(s.measures for s in summaries)))
    table.add_row("incentives", str(sum(s.incentives for s in summaries)))
    table.add_row("targets", str(sum(s.targets for s in summaries)))
    table.add_row("organizations", str(len(result.corpus.organizations)))
    table.add_row("relations", str(len(result.corpus.relations)))
    table.add_row("triples", str(result.triples))
    table.add_row("warnings", str(len(result.warnings)))
    table.add_row("errors", str(len(result.errors)))
    if report is not None:
        table.add_row("SHACL violations", str(report.count("violation")))
        table.add_row("SHACL warnings", str(report.count("warning")))
        table.add_row("OWL reasoning", report.reasoner.status if report.reasoner else "not run")
    out.print(table)
    if report is not None and report.reasoner is not None and report.reasoner.status == "error":
        fail(report.reasoner.message)
    if result.errors or (report is not None and report.fails("violation")):
        raise typer.Exit(1)


def _parse_params(params: list[str]) -> dict[str, str]:
    given = {}
    for p in params:
        key, sep, value = p.partition("=")
        if not sep or not key:
            fail(f"--param {p!r}: write it as key=value", 2)
        given[key.strip()] = value.strip()
    return given


def _query_help(q) -> None:
    """A named query's question, parameters with their defaults, and the terms it uses."""
    out.print(f"[bold]policykg query {q.name}[/bold] — {q.summary}", highlight=False)
    if q.fields.get("summary_zh"):
        out.print(f"  {q.fields['summary_zh']}", highlight=False)
    table = Table("parameter", "type", "default", "meaning", title="parameters" if q.params else None)
    for p in q.params:
        table.add_row(f"--param {p.name}=…", p.type, p.default or "(required)", p.doc)
    if q.params:
        out.print(table)
    else:
        out.print("  no parameters", style="dim")
    if q.fields.get("terms"):
        out.print(f"terms: {q.fields['terms']}", highlight=False, soft_wrap=True)
    out.print(f"file: {q.path}", style="dim", highlight=False)


@app.command(context_settings={"help_option_names": []})
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="a named query (see `policykg queries`) or a .rq file")] = None,
    param: Annotated[list[str], typer.Option("--param", "-p", help="key=value, repeatable")] = [],  # noqa: B006
    fmt: Annotated[RowFormat, typer.Option("--format", "-f", help="the output format")] = "table",
    graph: Annotated[Path, typer.Option(help="folder of the built graph")] = Path("graph"),
    backend: Annotated[Backend, typer.Option(help="auto: by size; oxigraph: an on-disk store beside the graph")] = "auto",
    show_help: Annotated[bool, typer.Option("--help", "-h", help="show this help, or with NAME the query's parameters")] = False,
    timeout: Annotated[float, typer.Option(help="time limit in seconds; the query is stopped past it")] = 120.0,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="let SERVICE send requests to other endpoints")] = False,
) -> None:
    """Run a SPARQL query over the graph, binding --param values to its variables.

    `policykg query NAME --help` shows the query's question, parameters and defaults."""
    if show_help and name is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    if name is None:
        fail("which query? give a NAME (see `policykg queries`) or a .rq file", 2)
    given = _parse_params(param)  # a usage error, before any work
    if timeout <= 0:
        fail(f"--timeout {timeout:g}: give a number of seconds above 0", 2)
    try:
        q = find_query(name)
        if show_help:
            _query_help(q)
            raise typer.Exit(0)
        if not allow_service:
            refuse_service(q)
        g = load_graph(graph, backend)
        names, data = within(timeout, answer, g, q, given)
    except QueryError as exc:
        fail(str(exc))
    render(names, data, fmt, out)


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="graph folders or .ttl files [default: graph]")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="the report's format")] = "text",
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="the finding's level that fails")] = "violation",
    date: Annotated[str | None, typer.Option(help="check stated 有效性 against this day [default: today]")] = None,
    reasoner: Annotated[bool, typer.Option("--reasoner/--no-reasoner", help="run the OWL reasoner (HermiT)")] = True,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write the report to this file")] = None,
    backend: Annotated[Backend, typer.Option(help="auto: by size; oxigraph: an on-disk store beside the graph")] = "auto",
    jobs: Annotated[int | None, typer.Option(help="validation processes (oxigraph) [default: one per core]")] = None,
    corpus: Annotated[Path | None, typer.Option(
        help="the corpus the quotes are checked against [default: corpus/ beside the graph]")] = None,
) -> None:
    """Check the graph with the SHACL shapes and the OWL reasoner, and every evidence quote against its corpus file.

    On rdflib the whole graph is validated at once; on oxigraph document by document, in
    parallel, and the rules across documents as queries over the store.

    Exit 0: conforms; 1: violations (or warnings, with --fail-on warning), or the work
    failed (a file that is not Turtle, no such file, the reasoner failing, the report not
    written); 2: a usage error (a bad option value such as --format, --fail-on or --date)."""
    import datetime as dt
    try:
        check_date = dt.date.fromisoformat(date) if date else None
    except ValueError:
        fail(f"--date {date}: not a date (YYYY-MM-DD)", 2)
    if corpus is not None and not corpus.is_dir():
        fail(f"--corpus {corpus}: no such folder", 2)
    try:
        report: Report = validate_paths(paths or [Path("graph")], check_date=check_date, reasoner=reasoner,
                                        backend=backend, jobs=jobs, corpus=corpus)
    except ValidationError as exc:
        fail(str(exc))
    except Exception as exc:  # noqa: BLE001 — exit 1 with a message, never a traceback
        fail(f"validation failed: {type(exc).__name__}: {exc}")
    writer = by_name("report", fmt).load()
    text = writer(report, fail_on) if fmt == "junit" else writer(report)
    if output is not None:
        try:
            write_atomic(output, text.encode("utf-8"))
        except OSError as exc:
            fail(f"{output}: {exc.strerror or exc}")
    else:
        typer.echo(text, nl=False)
    if report.reasoner is not None and report.reasoner.status == "error":
        fail(report.reasoner.message)
    if report.fails(fail_on):
        raise typer.Exit(1)


@app.command()
def diff(
    before: Annotated[str, typer.Argument(help="the earlier version: 文号 or title fragment (a draft, a predecessor)")],
    after: Annotated[str, typer.Argument(help="the later version")],
    graph: Annotated[Path, typer.Option(help="folder of the built graph")] = Path("graph"),
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="the output format")] = "table",
    full: Annotated[bool, typer.Option("--full", help="show whole texts, not their openings")] = False,
) -> None:
    """Compare two documents measure by measure: what was kept, changed, merged, split,
    added or removed, with the money and rate figures that changed (red: gone, green: new)."""
    from rich.text import Text

    from policykg.query.diff import compare, figure_pattern, marked
    from policykg.query.params import resolve_document

    try:
        g = load_graph(graph)
        comparison = compare(g, resolve_document(g, before), resolve_document(g, after))
    except QueryError as exc:
        fail(str(exc))
    if fmt == "json":
        out.print_json(json.dumps(comparison.as_dict(), ensure_ascii=False))
        return
    width = None if full else 60

    def cell(measures, idx, figures, colour) -> Text:
        parts = Text()
        for i in idx:
            m = measures[i]
            body = m.full if width is None or len(m.full) <= width else m.full[:width] + "…"
            parts.append(f"{m.number} ", style="bold")
            parts.append_text(marked(body, figures, colour))
            # keep the changed figures visible when the opening cuts them off
            for f in figures:
                hit = figure_pattern(f).search(m.full)
                if hit and not figure_pattern(f).search(body[:-1] if body.endswith("…") else body):
                    snippet = m.full[max(0, hit.start() - 14):hit.end() + 4]
                    parts.append_text(marked(f" …{snippet}…", [f], colour))
            parts.append("\n")
        return parts

    table = Table(comparison.before_label, "change", comparison.after_label, show_lines=True,
                  title=f"{comparison.before_label} → {comparison.after_label}")
    counts: dict[str, int] = {}
    for c in comparison.correspondences:
        counts[c.kind] = counts.get(c.kind, 0) + 1
        change = Text(c.kind + (f" {c.score:.2f}" if c.score is not None else ""))
        if c.figures_before or c.figures_after:
            change.append("\n")
            change.append("、".join(c.figures_before) or "—", style="bold red")
            change.append(" → ")
            change.append("、".join(c.figures_after) or "—", style="bold green")
        table.add_row(cell(comparison.before, c.before, c.figures_before, "red"), change,
                      cell(comparison.after, c.after, c.figures_after, "green"))
    out.print(table)
    out.print(", ".join(f"{n} {kind}" for kind, n in counts.items()), style="dim")


@app.command("export")
def export_view(
    view: Annotated[View, typer.Option("--view", "-v", help="the view")] = "documents",
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f", help="the file format")] = "graphml",
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="the file to write [default: VIEW.EXTENSION]")] = None,
    graph: Annotated[Path, typer.Option(help="folder of the built graph")] = Path("graph"),
    backend: Annotated[Backend, typer.Option(help="auto: by size; oxigraph: an on-disk store beside the graph")] = "auto",
) -> None:
    """Export a view of the graph for Gephi, yEd, Cytoscape, Graphviz or a browser; png is
    the documents' validity timeline."""
    from policykg.export.views import build_view
    from policykg.export.writers import ExportError, export

    path = output or Path(f"{view}.{extension('view', fmt)}")
    try:
        g = load_graph(graph, backend)
        export(build_view(g, view), fmt, path, rdf=g)
    except (QueryError, ExportError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    err.print(f"wrote {path}", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to bind; loopback unless you mean to expose it")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 7878,
    graph: Annotated[Path, typer.Option(help="folder of the built graph")] = Path("graph"),
    timeout: Annotated[float, typer.Option(help="time limit per query, seconds")] = 10.0,
    max_rows: Annotated[int, typer.Option(help="result rows (or triples) returned at most")] = 10_000,
    max_request_bytes: Annotated[int, typer.Option(help="largest request body accepted")] = 1_000_000,
    threads: Annotated[int, typer.Option(help="requests served at once")] = 4,
    backend: Annotated[Backend, typer.Option(help="auto: by size; rdflib: in memory; oxigraph: on disk")] = "auto",
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 Protocol endpoint at /sparql (and the named
    queries at /queries/NAME)."""
    files = sorted(graph.glob("*.ttl")) if graph.is_dir() else []
    if not files:
        fail(f"no graph in {graph}: run `policykg build` first")
    from waitress import serve as waitress_serve

    from policykg.serve.app import create_app
    from policykg.serve.dataset import load_dataset
    from policykg.serve.execute import Limits

    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning[/yellow] binding {host}: the endpoint is reachable from the network", highlight=False)
    try:
        dataset = load_dataset(files, backend)
    except StoreError as exc:
        fail(str(exc))
    app = create_app(dataset, Limits(timeout, max_rows, max_request_bytes))
    err.print(f"policykg: SPARQL endpoint on http://{host}:{port}/sparql ({len(files)} graph files)", highlight=False)
    waitress_serve(app, host=host, port=port, threads=threads, ident="policykg")


@app.command()
def push(
    endpoint: Annotated[str, typer.Option(help="the store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store")],
    graph_iri: Annotated[str | None, typer.Option("--graph", help="named graph to replace [default: the default graph]")] = None,
    source: Annotated[Path, typer.Option("--from", help="folder of the built graph")] = Path("graph"),
    timeout: Annotated[float, typer.Option(help="seconds to wait for the store")] = 120.0,
) -> None:
    """Load the graph into a triple store (SPARQL 1.1 Graph Store Protocol PUT)."""
    from policykg.serve.push import PushError
    from policykg.serve.push import push as run_push

    if timeout <= 0:
        fail(f"--timeout {timeout:g}: give a number of seconds above 0", 2)
    files = sorted(source.glob("*.ttl")) if source.is_dir() else []
    if not files:
        fail(f"no graph in {source}: run `policykg build` first")
    try:
        result = run_push(files, endpoint, graph_iri, timeout=timeout)
    except PushError as exc:
        fail(str(exc))
    err.print(f"pushed {result.triples} triples to {result.target}: {result.status}", highlight=False)


@app.command()
def vocabulary(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write the Markdown here")] = None,
    graph: Annotated[Path, typer.Option(help="folder of the built graph (for the examples)")] = Path("graph"),
) -> None:
    """The vocabulary reference for query writers, from the ontology and the graph (Markdown)."""
    from rdflib import Graph

    from policykg.export.vocabulary import render as render_vocabulary
    from policykg.resources import data_dir

    try:
        data = load_graph(graph)
    except QueryError as exc:
        fail(str(exc))
    text = render_vocabulary(Graph().parse(data_dir("ontology") / "policykg.ttl"), data)
    if output is None:
        typer.echo(text, nl=False)
    else:
        try:
            write_atomic(output, text.encode("utf-8"))
        except OSError as exc:
            fail(f"{output}: {exc.strerror or exc}")


@app.command()
def evaluate(
    folder: Annotated[Path, typer.Argument(help="a folder with docs/NN_slug.txt (line 1: # source: URL) and gold/NN_slug.json")],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="the output format")] = "table",
    show: Annotated[Show, typer.Option("--show", help="which problems to list after the scores")] = "all",
) -> None:
    """Precision and recall per field of the graph built from DIR/docs against DIR/gold, with
    every miss and every wrong fact (the rules: docs/evaluation.md)."""
    from policykg.evaluate.run import EvaluationError
    from policykg.evaluate.run import evaluate as run_evaluation

    try:
        result = run_evaluation(folder)
    except EvaluationError as exc:
        fail(str(exc))
    for note in result.notes:
        err.print(f"[yellow]warning[/yellow] {escape(note)}", highlight=False, soft_wrap=True)
    listed = {"misses": result.misses(), "wrong": result.wrong(), "all": result.problems, "none": []}[show]
    if fmt == "json":
        data = result.as_dict()
        if show not in ("misses", "all"):
            data["misses"] = []
        if show not in ("wrong", "all"):
            data["wrong"] = []
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return

    def ratio(v: float | None) -> str:
        return "—" if v is None else f"{v:.2f}"

    table = Table("field", "P", "R", "correct", "graph", "gold", title=f"{result.documents} documents")
    for s in result.scores.values():
        table.add_row(s.field, ratio(s.precision), ratio(s.recall), str(s.correct), str(s.graph), str(s.gold))
    out.print(table)
    for p in listed:  # one line each, tab-separated: file, field, miss|wrong, value, the quote of a wrong fact
        quote = " ".join((p.quote or "").split())
        typer.echo("\t".join((p.file, p.field, p.kind, p.value, quote[:80] + ("…" if len(quote) > 80 else ""))))


@app.command("queries")
def list_queries() -> None:
    """List the named queries with the question each answers."""
    table = Table("name", "question", "parameters")
    for name, q in named_queries().items():
        params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in q.params)
        table.add_row(name, f"{q.summary}\n{q.fields.get('summary_zh', '')}".strip(), params)
    out.print(table)


def main() -> None:  # pragma: no cover
    app()
