"""Work in a forked child with a time limit: the answer it sends back, or what stopped it.

rdflib has no timeout and Oxigraph evaluates a cross product without returning, so the
endpoint (``serve/execute.py``) and ``policykg query`` (``query/run.py``) both run a query in a
forked child and kill it when its time is up; each maps the outcome to its own errors.
"""
from __future__ import annotations

import multiprocessing
from typing import Literal

Outcome = tuple[Literal["answer", "timeout", "ended"], object]


def run_forked(target, args: tuple, seconds: float) -> Outcome:
    """``target(conn, *args)`` in a forked child, which sends one message on ``conn``:
    ``("answer", message)``, ``("timeout", None)`` when ``seconds`` passed first (the child is
    killed), or ``("ended", None)`` when it ended without a word."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(send, *args), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(seconds):
            return "timeout", None
        return "answer", receive.recv()
    except EOFError:
        return "ended", None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        receive.close()
