"""``policykg evaluate DIR``: DIR/docs/*.txt built (first line dropped) into a temporary graph, scored
against DIR/gold/*.json."""
from __future__ import annotations

import tempfile
from pathlib import Path

from policykg.build import build
from policykg.evaluate.gold import GoldError, read_gold_dir
from policykg.evaluate.graph_facts import read_graph
from policykg.evaluate.score import Evaluation, score
from policykg.ingest.corpus import CorpusError, read_source
from policykg.query.run import load_graph


class EvaluationError(Exception):
    """A folder that cannot be evaluated: no docs/ or gold/, or a bad gold file."""


def copy_corpus(docs: Path, corpus: Path) -> list[str]:
    """Each ``docs/*.txt`` without its first line (``# source: URL``) into ``corpus``; the names copied."""
    names = []
    for path in sorted(docs.glob("*.txt")):
        try:
            text = read_source(path).text  # UTF-8, GB18030 or what charset-normalizer finds, as the build reads
        except CorpusError:
            (corpus / path.name).write_bytes(path.read_bytes())  # the build says what is wrong with it
        else:
            first, _, rest = text.partition("\n")
            (corpus / path.name).write_text(rest if first.startswith("# source:") else text, "utf-8")
        names.append(path.name)
    return names


def evaluate(folder: Path) -> Evaluation:
    if not folder.is_dir():
        raise EvaluationError(f"{folder}: no such folder")
    docs, gold_dir = folder / "docs", folder / "gold"
    for sub in (docs, gold_dir):
        if not sub.is_dir():
            raise EvaluationError(f"{folder}: no {sub.name}/ folder")
    try:
        golds = read_gold_dir(gold_dir)
    except GoldError as exc:
        raise EvaluationError(str(exc)) from None
    if not golds:
        raise EvaluationError(f"{gold_dir}: no gold *.json files")
    with tempfile.TemporaryDirectory(prefix="policykg-evaluate-") as tmp:
        corpus, out = Path(tmp) / "corpus", Path(tmp) / "graph"
        corpus.mkdir()
        names = copy_corpus(docs, corpus)
        if not names:
            raise EvaluationError(f"{docs}: no *.txt files")
        built = build(corpus, out, use_cache=False)
        g = load_graph(out)
        result = score(golds, read_graph(g))
    result.notes += [f"{d.source_file}{':' + str(d.line) if d.line else ''}: {d.message}" for d in built.errors]
    graded = {gold.name for gold in golds}
    result.notes += [f"{name}: no gold file, not scored" for name in names if name.removesuffix(".txt") not in graded]
    return result
