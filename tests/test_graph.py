"""The emitted graph: determinism, the committed graph/ is current, evidence, the contract."""
from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDFS, SKOS

from policykg.build import build
from tests.conftest import CORPUS, ROOT, SHARED


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.ttl"))}


def test_same_bytes_on_every_build(built, tmp_path):
    build(CORPUS, tmp_path)
    assert _files(tmp_path) == _files(built[1])


def test_committed_graph_is_what_the_build_makes(built):
    """`policykg build` on a clean checkout leaves `git diff graph/` empty."""
    assert _files(ROOT / "graph") == _files(built[1])


def test_no_blank_nodes(graph):
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)


def test_every_quote_equals_the_source_at_its_offsets(graph):
    rows = list(graph.query("SELECT ?q ?s ?e ?f WHERE { ?x pkg:evidence ?n . "
                            "?n oa:exact ?q ; oa:start ?s ; oa:end ?e ; pkg:sourceFile ?f }"))
    assert len(rows) > 30
    texts = {}
    for q, s, e, f in rows:
        if str(f) not in texts:
            with open(CORPUS / str(f), encoding="utf-8", newline="") as fh:
                texts[str(f)] = fh.read()
        assert texts[str(f)][int(s):int(e)] == str(q)


def test_every_document_has_is_draft(graph):
    rows = graph.query("SELECT ?d WHERE { ?d a pkg:PolicyDocument FILTER NOT EXISTS { ?d pkg:isDraft ?x } }")
    assert not list(rows)


def test_areas_nest(graph):
    rows = graph.query("SELECT ?l WHERE { ?a skos:prefLabel '钱塘区'@zh ; pkg:withinArea+ ?p . ?p skos:prefLabel ?l }")
    assert {str(r.l) for r in rows} == {"杭州市", "浙江省"}


ONTOLOGY = Graph().parse(ROOT / "ontology" / "policykg.ttl")
TERMS = sorted({s for s in ONTOLOGY.subjects() if str(s).startswith(("https://w3id.org/policykg/ontology#",
                                                                       "http://data.europa.eu/eli/ontology#"))})


def test_ontology_has_more_than_sixty_terms():
    assert len(TERMS) > 60


@pytest.mark.parametrize("t", TERMS, ids=lambda t: str(t).replace("https://w3id.org/policykg/ontology#", "pkg:")
                         .replace("http://data.europa.eu/eli/ontology#", "eli:"))
def test_ontology_term_has_labels_and_a_definition(t):
    langs = {lbl.language for lbl in ONTOLOGY.objects(t, RDFS.label)}
    assert {"zh", "en"} <= langs, t
    assert list(ONTOLOGY.objects(t, SKOS.definition)), t


def test_graph_uses_only_declared_terms(graph):
    onto = Graph().parse(ROOT / "ontology" / "policykg.ttl")
    declared = set(onto.subjects())
    used = set(graph.predicates())
    ours = {p for p in used if str(p).startswith(("https://w3id.org/policykg/ontology#",
                                                   "http://data.europa.eu/eli/ontology#"))}
    assert ours <= declared, ours - declared


@pytest.mark.skipif(not (SHARED / "tools" / "contract_check.py").is_file(), reason="../shared is absent")
def test_contract_check(built):
    r = subprocess.run([sys.executable, str(SHARED / "tools" / "contract_check.py"), str(built[1]), str(CORPUS),
                        str(ROOT / "ontology")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
