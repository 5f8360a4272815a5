"""The command line on the real graph: named queries, formats, and bad parameters."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from policykg.cli import app

runner = CliRunner()


def query(graph_dir, *args):
    return runner.invoke(app, ["query", *args, "--graph", str(graph_dir)])


def in_force(graph_dir, date):
    r = query(graph_dir, "in-force", "--param", f"date={date}", "--format", "json")
    assert r.exit_code == 0, r.output
    return {row["number"] or row["title"] for row in json.loads(r.stdout)}


QIANTANG = "杭州市钱塘区专精特新企业培育三年行动方案（2024—2026年)"


@pytest.mark.parametrize("date, expected", [
    ("2024-01-01", set()),  # before 81号 took effect; 29号's start is not given
    ("2024-01-27", {"杭政办函〔2023〕81号"}),
    ("2025-06-01", {"杭政办函〔2023〕81号", "浙政办发〔2024〕21号", QIANTANG}),
    ("2026-01-15", {"浙政办发〔2024〕21号", QIANTANG}),  # 81号 expired, 65号 not yet in force
    ("2026-03-01", {"浙政办发〔2024〕21号", QIANTANG, "杭政办函〔2025〕65号"}),
    ("2027-06-01", {"浙政办发〔2024〕21号", "杭政办函〔2025〕65号"}),  # 钱塘 may have ended
])
def test_in_force_on_dates(built, date, expected):
    assert in_force(built[1], date) == expected


def test_supersession_both_ways_transitively(built):
    r = query(built[1], "supersession", "-p", "doc=杭政办函〔2025〕65号", "-f", "json")
    rows = {(row["direction"], row["number"], row["relation"]) for row in json.loads(r.stdout)}
    assert rows == {("earlier", "杭政办函〔2023〕81号", "succeeds"), ("earlier", "杭政办函〔2022〕29号", "repeals")}
    r = query(built[1], "supersession", "-p", "doc=杭政办函[2022]29号", "-f", "json")
    rows = {(row["direction"], row["number"]) for row in json.loads(r.stdout)}
    assert rows == {("later", "杭政办函〔2023〕81号"), ("later", "杭政办函〔2025〕65号")}


def test_cites_by_title_fragment_csv(built):
    r = query(built[1], "cites", "-p", "doc=打造全国专精特新名城的实施意见", "-f", "csv")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "direction,other,number,title,implements,quote"
    assert any(line.startswith("cited by,") and "钱塘区" in line and ",true," in line.lower() for line in lines)
    assert any(line.startswith("cites,") and "杭政办函〔2022〕29号" in line for line in lines)


def test_query_table_output(built):
    r = runner.invoke(app, ["query", "in-force", "-p", "date=2025-06-01", "--graph", str(built[1])],
                      env={"COLUMNS": "250"})
    assert r.exit_code == 0 and "浙政办发〔2024〕21号" in r.stdout and "3 row(s)" in r.stdout


@pytest.mark.parametrize("args, message", [
    (["in-force", "-p", "date=2024-02-30"], "not a date"),
    (["in-force", "-p", "day=2024-01-01"], "has no parameter day"),
    (["in-force", "-p", "date"], "key=value"),
    (["nope"], "unknown query 'nope'"),
    (["cites", "-p", "doc=不存在的文件"], "unknown document"),
    (["cites"], "needs --param doc"),
    (["missing.rq"], "no query file"),
    (["in-force", "-f", "xml"], "--format"),
])
def test_bad_parameters_one_line_error(built, args, message):
    r = query(built[1], *args)
    assert r.exit_code == (2 if message in ("key=value", "--format") else 1)  # usage errors: 2
    assert message in r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_query_without_graph(tmp_path):
    r = query(tmp_path, "in-force")
    assert r.exit_code == 1 and "policykg build" in r.output


def test_queries_listing():
    r = runner.invoke(app, ["queries"])
    assert r.exit_code == 0 and "in-force" in r.stdout and "supersession" in r.stdout
