"""The same exit codes on every command: 0 success, 1 a failure of the work, 2 a usage error
(an unknown option, a bad option value, a missing argument); never a traceback."""
from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from policykg.cli import app
from tests.conftest import ROOT

runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)


def _run(args):
    r = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in r.output, r.output
    return r


def test_every_command_is_covered():
    assert set(COMMANDS) == {"build", "query", "queries", "validate", "diff", "export", "serve", "push", "vocabulary", "evaluate"}


# the arguments a command needs to get as far as reading its options
NEEDS = {"query": ["in-force"], "diff": ["a", "b"], "evaluate": ["nowhere"], "push": ["--endpoint", "http://127.0.0.1:9/store"]}


@pytest.mark.parametrize("name", COMMANDS)
def test_unknown_option_is_a_usage_error(name):
    r = _run([name, *NEEDS.get(name, []), "--no-such-option"])
    assert r.exit_code == 2, r.output
    assert "--no-such-option" in r.output and len(r.output.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [
    ["build", "--jobs", "many"],
    ["query", "in-force", "--format", "nonsense"],
    ["query", "in-force", "--backend", "nonsense"],
    ["query", "in-force", "--param", "date"],
    ["validate", "--format", "nonsense"],
    ["validate", "--fail-on", "nonsense"],
    ["validate", "--backend", "nonsense"],
    ["validate", "--date", "notadate"],
    ["diff", "a", "b", "--format", "nonsense"],
    ["export", "--view", "nonsense"],
    ["export", "--format", "nonsense"],
    ["export", "--backend", "nonsense"],
    ["serve", "--backend", "nonsense"],
    ["serve", "--port", "nonsense"],
    ["evaluate", "nowhere", "--format", "nonsense"],
    ["evaluate", "nowhere", "--show", "nonsense"],
], ids=" ".join)
def test_bad_option_value_is_a_usage_error(args, tmp_path):
    r = _run([*args, *(["--graph", tmp_path] if args[0] in ("query", "diff", "export", "serve") else [])])
    assert r.exit_code == 2, r.output
    assert args[-2] in r.output and len(r.output.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["query"], ["diff", "a"], ["diff"], ["push"], ["evaluate"]], ids=" ".join)
def test_missing_argument_is_a_usage_error(args):
    r = _run(args)
    assert r.exit_code == 2, r.output


def _not_turtle(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", "utf-8")
    return bad


@pytest.mark.parametrize("name, args", [
    ("build", lambda t: ["build", "--corpus", t / "nowhere", "--out", t / "out"]),
    ("build", lambda t: ["build", "--corpus", ROOT / "corpus", "--out", _not_turtle(t) / "out", "--no-validate"]),
    ("query", lambda t: ["query", "in-force", "--graph", t]),
    ("query", lambda t: ["query", "no-such-query", "--graph", t]),
    ("queries", None),
    ("validate", lambda t: ["validate", _not_turtle(t), "--no-reasoner"]),
    ("validate", lambda t: ["validate", t / "nowhere", "--no-reasoner"]),
    ("diff", lambda t: ["diff", "a", "b", "--graph", t]),
    ("export", lambda t: ["export", "--graph", t, "-o", t / "out.graphml"]),
    ("serve", lambda t: ["serve", "--graph", t, "--port", "1"]),
    ("push", lambda t: ["push", "--endpoint", "http://127.0.0.1:9/store", "--from", t]),
    ("vocabulary", lambda t: ["vocabulary", "--graph", t]),
    ("evaluate", lambda t: ["evaluate", t / "nowhere"]),
    ("evaluate", lambda t: ["evaluate", t]),
], ids=lambda v: v if isinstance(v, str) else "")
def test_failure_of_the_work_exits_1(name, args, tmp_path):
    if args is None:
        pytest.skip(f"{name} has no input that can fail")
    r = _run(args(tmp_path))
    assert r.exit_code == 1, r.output


def test_unknown_document_and_query_exit_1(built):
    assert _run(["diff", "不存在的文件", "杭政办函〔2025〕65号", "--graph", built[1]]).exit_code == 1
    assert _run(["query", "nope", "--graph", built[1]]).exit_code == 1
    assert _run(["query", "cites", "-p", "doc=不存在的文件", "--graph", built[1]]).exit_code == 1


def test_unwritable_output_exits_1(built, tmp_path):
    r = _run(["export", "-o", tmp_path, "--graph", built[1]])  # a folder, not a file
    assert r.exit_code == 1, r.output
    r = _run(["vocabulary", "-o", tmp_path, "--graph", built[1]])
    assert r.exit_code == 1, r.output


def test_success_exits_0(built):
    assert _run(["queries"]).exit_code == 0
    assert _run(["query", "hierarchy", "--graph", built[1], "-f", "json"]).exit_code == 0
