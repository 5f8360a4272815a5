"""After kill -9 of `serve` under load, no query process keeps the port, and a restart on the
same port answers (issue 20)."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ROOT

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "policykg", "serve", "--graph", str(ROOT / "graph"), "--port",
                             str(port), "--timeout", "30", "--backend", "rdflib"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _ask(port: int, query: str, timeout: float) -> int:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status


def _wait_up(port: int, within: float) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            return _ask(port, "ASK { ?s ?p ?o }", 2) == 200
        except OSError:
            time.sleep(0.2)
    return False


def _children_of_session(pgid: int) -> list[int]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.getpgid(int(name)) == pgid:
                    out.append(int(name))
            except OSError:
                pass
    return out


@pytest.mark.slow
def test_no_query_process_outlives_a_killed_server_and_a_restart_answers():
    port = _free_port()
    server = _serve(port)
    try:
        assert _wait_up(port, 60), "the server did not start"
        for _ in range(3):  # runaways in flight, each in a forked child
            threading.Thread(target=lambda: _swallow(port), daemon=True).start()
        time.sleep(1.5)
        assert len(_children_of_session(server.pid)) > 1  # the children are running
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        deadline = time.monotonic() + 2
        while _children_of_session(server.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _children_of_session(server.pid) == [], "query processes outlived the server"
        again = _serve(port)
        try:
            assert _wait_up(port, 5 + 25), "the restart did not answer"  # startup loads the graph first
        finally:
            again.kill()
            again.wait()
    finally:
        if server.poll() is None:
            server.kill()


def _swallow(port: int) -> None:
    with contextlib.suppress(OSError):
        _ask(port, RUNAWAY, 60)


def _sleeper(conn, seconds):
    time.sleep(seconds)
    conn.send(("ok", b"", False))


def test_a_query_child_keeps_its_own_deadline():
    import multiprocessing

    from policykg.serve.execute import _limited_child
    ctx = multiprocessing.get_context("fork")
    _, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_limited_child, args=(child, _sleeper, 0.5, os.getpid(), 30))
    started = time.monotonic()
    proc.start()
    proc.join(10)
    assert proc.exitcode == -signal.SIGALRM and time.monotonic() - started < 5


@pytest.mark.parametrize("args, message", [
    (["--timeout", "2"], "ran past the time limit of 2 s"),
    ([], "SERVICE sends a request to another endpoint"),
])
def test_query_cli_refuses_service_and_keeps_a_time_limit(tmp_path, args, message):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }" if not args else
                  RUNAWAY, "utf-8")
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "policykg", "query", str(rq), *args], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 1 and message in r.stderr + r.stdout and "Traceback" not in r.stderr
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("args, message", [
    (["query", "evidence", "--param", "node=id:doc/a>b", "--backend", "oxigraph"], "is not an IRI: it holds '>'"),
    (["query", "evidence", "--param", "node=id:doc/a>b"], "is not an IRI: it holds '>'"),
    (["push", "--endpoint", "http://[::1"], "InvalidURL"),
])
def test_bad_iris_and_urls_are_one_line_errors(args, message):
    r = subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 1 and message in r.stderr + r.stdout and "Traceback" not in r.stderr


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfeSELECT * WHERE { ?s ?p ?o }", "not UTF-8 (byte 0)"),
    (b"SELECT * WHERE { GRAPH <urn:x> { ?s ?p ?o } }", "GRAPH needs the named graphs of a dataset"),
])
def test_bad_query_files_are_one_line_errors(tmp_path, content, message):
    rq = tmp_path / "q.rq"
    rq.write_bytes(content)
    r = subprocess.run([sys.executable, "-m", "policykg", "query", str(rq), "--backend", "rdflib"], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 1 and message in r.stderr + r.stdout and "Traceback" not in r.stderr
