"""A SELECT answer (column names and rows of plain values) written as ``policykg query
--format`` asks: a rich table, CSV, TSV or JSON. The writers are registered by name in
:mod:`policykg.formats` (kind ``rows``)."""
from __future__ import annotations

import csv
import io
import json

import typer
from rich.console import Console
from rich.table import Table

from policykg.formats import by_name
from policykg.namespaces import ID


def compact(value: str) -> str:
    """An instance IRI as ``id:doc/…`` in tables; other values as they are."""
    return "id:" + value[len(str(ID)):] if value.startswith(str(ID)) else value


def render_json(names: list[str], data: list[dict], out: Console) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False))


def _delimited(names: list[str], data: list[dict], delimiter: str) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=names, lineterminator="\n", delimiter=delimiter)
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in data)
    typer.echo(buf.getvalue(), nl=False)


def render_csv(names: list[str], data: list[dict], out: Console) -> None:
    _delimited(names, data, ",")


def render_tsv(names: list[str], data: list[dict], out: Console) -> None:
    _delimited(names, data, "\t")


def render_table(names: list[str], data: list[dict], out: Console) -> None:
    table = Table(*names)
    for row in data:
        table.add_row(*("" if row[n] is None else compact(str(row[n])) for n in names))
    out.print(table)
    out.print(f"{len(data)} row(s)", style="dim")


def render(names: list[str], data: list[dict], fmt: str, out: Console) -> None:
    """Write the answer in the ``rows`` format named ``fmt`` (KeyError if there is none)."""
    by_name("rows", fmt).load()(names, data, out)
