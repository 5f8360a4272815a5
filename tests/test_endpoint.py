"""The SPARQL endpoint: the W3C Protocol and result-format suites, real clients, the safety
rules, and pushing into Oxigraph."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import subprocess
import sysconfig
import time
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection

from conftest import SHARED
from policykg.namespaces import PREFIXES
from policykg.query.library import named_queries
from policykg.query.params import bind
from policykg.query.run import python_value, run
from policykg.serve.app import serving
from policykg.serve.dataset import lexical_forms_kept, load_dataset
from policykg.serve.execute import Limits
from policykg.store.sparql_text import with_values

pytestmark = pytest.mark.slow  # starts servers (the endpoint on each backend, the oxigraph server)

W3C = SHARED / "w3c" / "sparql11"
needs_w3c = pytest.mark.skipif(not W3C.is_dir(), reason="../shared/w3c (the W3C SPARQL 1.1 test suites) is absent")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


@pytest.fixture(scope="module")
def endpoint(built):
    with serving(load_dataset(sorted(built[1].glob("*.ttl"))), Limits(timeout=5, max_rows=50)) as url:
        yield url


# --- the W3C SPARQL 1.1 Protocol suite (query tests) ---------------------------------------

READ_ONLY = "read-only by design: SPARQL Update is refused (the bad_update tests expecting a 4xx pass)"


def _protocol_tests():
    if not W3C.is_dir():
        return []
    manifest = Graph().parse(W3C / "protocol" / "manifest.ttl", format="turtle")
    entries = Collection(manifest, manifest.value(predicate=RDF.type, object=MF.Manifest, any=True) and
                         manifest.value(next(manifest.subjects(RDF.type, MF.Manifest)), MF.entries))
    return [pytest.param(manifest, t, id=str(t).rsplit("#", 1)[-1]) for t in entries]


def _request_spec(manifest: Graph, req):
    body = manifest.value(req, HT.body)
    headers = {}
    for h in Collection(manifest, manifest.value(req, HT.headers)) if manifest.value(req, HT.headers) else []:
        headers[str(manifest.value(h, HT.fieldName))] = str(manifest.value(h, HT.fieldValue))
    content = None
    if body is not None:
        encoding = str(manifest.value(body, CNT.characterEncoding) or "UTF-8")
        content = str(manifest.value(body, CNT.chars)).encode(encoding)
    resp = manifest.value(req, HT.resp)
    return (str(manifest.value(req, HT.methodName)), str(manifest.value(req, HT.absolutePath)), headers, content,
            set(manifest.objects(resp, MF.expectedStatus)), manifest.value(resp, MF.expectedBoolean),
            manifest.value(resp, MF.expectedFormat))


@needs_w3c
@pytest.mark.parametrize("manifest, test", _protocol_tests())
def test_w3c_protocol(manifest, test):
    name = str(test).rsplit("#", 1)[-1]
    if name.startswith("update_"):
        pytest.skip(READ_ONLY)
    ds = Dataset(default_union=True)
    for data in manifest.objects(test, UT.graphData):
        ds.graph(URIRef(str(manifest.value(data, RDFS.label)))).parse(
            W3C / "protocol" / Path(str(manifest.value(data, UT.graph))).name, format="nt")
    action = manifest.value(test, MF.action)
    with serving(ds) as base:
        for req in Collection(manifest, manifest.value(action, HT.requests)):
            method, path, headers, content, statuses, boolean, fmt = _request_spec(manifest, req)
            r = httpx.request(method, base + path.replace("/sparql/", "/sparql", 1), headers=headers, content=content)
            family = {HTS.StatusCode2xx: 2, HTS.StatusCode3xx: 3, HTS.StatusCode4xx: 4, HTS.StatusCode5xx: 5}
            assert r.status_code // 100 in {family[s] for s in statuses}, (r.status_code, r.text)
            ctype = r.headers.get("content-type", "").split(";")[0]
            if fmt is not None:
                expected = {"boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
                            "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                                        "text/csv", "text/tab-separated-values"},
                            "RDF": {"text/turtle", "application/n-triples", "application/rdf+xml",
                                    "application/ld+json"}}[str(fmt)]
                assert ctype in expected
            if boolean is not None:
                assert r.json()["boolean"] is boolean.toPython()


# --- the W3C CSV/TSV and JSON result-format suites -------------------------------------------

def _format_tests():
    out = []
    for folder in ("csv-tsv-res", "json-res"):
        if not (W3C / folder).is_dir():
            continue
        m = Graph().parse(W3C / folder / "manifest.ttl", format="turtle")
        for test in sorted(m.subjects(MF.result, None), key=str):
            action = m.value(test, MF.action)
            out.append(pytest.param(folder, Path(str(m.value(action, QT.query))).name,
                                    Path(str(m.value(action, QT.data))).name, Path(str(m.value(test, MF.result))).name,
                                    id=str(test).rsplit("#", 1)[-1]))
    return out


def _bnodes(text: str) -> str:
    labels = {}
    return re.sub(r"_:\w+", lambda m: labels.setdefault(m.group(), f"_:b{len(labels)}"), text)


@needs_w3c
@pytest.mark.parametrize("folder, query, data, result", _format_tests())
def test_w3c_result_formats(folder, query, data, result):
    ds = Dataset(default_union=True)
    with lexical_forms_kept():
        ds.graph(URIRef("urn:x-test:data")).parse(W3C / folder / data, format="turtle")
    accept = {".csv": "text/csv", ".tsv": "text/tab-separated-values", ".srj": "application/sparql-results+json"}
    suffix = Path(result).suffix
    with serving(ds) as base:
        r = httpx.post(base + "/sparql", content=(W3C / folder / query).read_bytes(),
                       headers={"Content-Type": "application/sparql-query", "Accept": accept[suffix]})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept[suffix])
    expected = (W3C / folder / result).read_text("utf-8")
    if suffix == ".srj":
        got, want = r.json(), json.loads(expected)
        assert got["head"].get("vars") == want["head"].get("vars")
        if "boolean" in want:
            assert got["boolean"] == want["boolean"]
        else:
            strip = lambda rows: [{k: {kk: vv for kk, vv in v.items() if kk != "value" or v["type"] != "bnode"}  # noqa: E731
                                   for k, v in row.items()} for row in rows]
            assert strip(got["results"]["bindings"]) == strip(want["results"]["bindings"])
    else:
        lines = lambda text: [line.rstrip("\r") for line in _bnodes(text).strip("\n").split("\n")]  # noqa: E731
        assert lines(r.text) == lines(expected)


# --- real clients ---------------------------------------------------------------------------

def test_sparqlwrapper_default_xml_and_json(endpoint):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery("SELECT ?n WHERE { ?d eli:id_local ?n } ORDER BY ?n".replace(
        "eli:", "<http://data.europa.eu/eli/ontology#>").replace("<http://data.europa.eu/eli/ontology#>id_local",
                                                                    "<http://data.europa.eu/eli/ontology#id_local>"))
    client.setReturnFormat(XML)  # SPARQLWrapper's default; it also adds format=xml&output=xml
    doc = client.query().convert()
    numbers = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert "杭政办函〔2025〕65号" in numbers
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert {r["n"]["value"] for r in rows} == set(numbers)
    client.setMethod("POST")
    assert client.query().convert()["results"]["bindings"] == rows


def test_rdflib_sparqlstore_runs_a_named_query_remotely(endpoint, graph):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(endpoint + "/sparql", returnFormat="json"))
    q = named_queries()["thresholds"]
    local_rows = sorted(tuple(map(str, r)) for r in graph.query(q.text))
    remote_rows = sorted(tuple(map(str, r)) for r in remote.query(q.text))
    assert remote_rows == local_rows and len(remote_rows) == 2


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl(endpoint):
    out = subprocess.run(["curl", "-s", "-H", "Accept: text/csv", "--data-urlencode",
                          "query=SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/policykg/ontology#Measure> }",
                          endpoint + "/sparql"], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["n", "113"]


def test_content_negotiation_with_q_values(endpoint):
    q = {"query": "SELECT ?x WHERE { ?x a <https://w3id.org/policykg/ontology#PolicyDocument> } LIMIT 1"}
    r = httpx.get(endpoint + "/sparql", params=q,
                  headers={"Accept": "application/sparql-results+json;q=0.5, text/tab-separated-values;q=0.9"})
    assert r.headers["content-type"].startswith("text/tab-separated-values") and r.text.startswith("?x")
    c = {"query": "DESCRIBE <https://w3id.org/policykg/id/doc/杭政办函-2023-81>"}
    r = httpx.get(endpoint + "/sparql", params=c, headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json") and json.loads(r.text)
    r = httpx.get(endpoint + "/sparql", params=q, headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_service_description_and_cors(endpoint):
    r = httpx.get(endpoint + "/sparql", headers={"Accept": "text/turtle", "Origin": "http://example.org"})
    sd = Graph().parse(data=r.text, format="turtle")
    assert (None, RDF.type, URIRef("http://www.w3.org/ns/sparql-service-description#Service")) in sd
    assert r.headers["access-control-allow-origin"] in ("*", "http://example.org")
    pre = httpx.options(endpoint + "/sparql", headers={"Origin": "http://example.org",
                                                       "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]


def test_named_queries_by_name(endpoint):
    listing = httpx.get(endpoint + "/queries").json()
    assert "rewards" in listing and listing["rewards"]["parameters"][0]["name"] == "tier"
    r = httpx.get(endpoint + "/queries/incentives", params={"type": "贴息"}, headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["number"]: float(row["maxAmount"]) for row in rows if row["number"]} == {
        "杭政办函〔2023〕81号": 100000, "杭政办函〔2025〕65号": 200000}
    assert httpx.get(endpoint + "/queries/rewards", params={"tier": "没有"}).status_code == 400
    assert httpx.get(endpoint + "/queries/nothing").status_code == 404


# --- safety ---------------------------------------------------------------------------------

def test_updates_are_refused(endpoint):
    assert httpx.post(endpoint + "/sparql", data={"update": "CLEAR ALL"}).status_code == 403
    r = httpx.post(endpoint + "/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    assert httpx.get(endpoint + "/sparql", params={"update": "CLEAR ALL"}).status_code == 400
    r = httpx.post(endpoint + "/sparql", content="LOAD <http://example.org/x>",
                   headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_no_outbound_requests(endpoint, monkeypatch):
    r = httpx.get(endpoint + "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE is not allowed" in r.text
    # an unknown graph is empty, never fetched
    q = "ASK FROM <http://example.org/remote.ttl> { ?s ?p ?o }"
    r = httpx.get(endpoint + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is False
    r = httpx.get(endpoint + "/sparql", params={"query": "ASK { ?s ?p ?o }",
                                                "default-graph-uri": "http://example.org/nothing"})
    assert r.json()["boolean"] is False


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_time_limit_stops_a_runaway_query(built, tmp_path, backend):
    shutil.copytree(built[1], tmp_path / "graph", ignore=shutil.ignore_patterns(".oxigraph", ".cache"))
    with serving(load_dataset(sorted((tmp_path / "graph").glob("*.ttl")), backend), Limits(timeout=1.0)) as url:
        started = time.perf_counter()
        r = httpx.get(url + "/sparql", params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}, timeout=30)
        assert r.status_code == 503 and "time limit of 1 s" in r.text
        assert time.perf_counter() - started < 5
        assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 200  # still serving


def test_row_cap_and_request_size(endpoint):
    r = httpx.get(endpoint + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
                  headers={"Accept": "application/sparql-results+json"})
    assert len(r.json()["results"]["bindings"]) == 50 and r.headers["x-policykg-truncated"] == "results cut at 50"
    big = "ASK { " + "?s ?p ?o . " * 120_000 + "}"
    r = httpx.post(endpoint + "/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_errors_are_clean(endpoint):
    r = httpx.get(endpoint + "/sparql", params={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert "Traceback" not in r.text and r.text.startswith("query syntax error")
    assert httpx.put(endpoint + "/sparql", content="x").status_code == 405


def test_serve_binds_loopback_by_default():
    import inspect

    from policykg.cli import serve
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


# --- push into Oxigraph -----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph(tmp_path):
    scripts = Path(sysconfig.get_path("scripts")) / "oxigraph"
    binary = shutil.which("oxigraph") or (str(scripts) if scripts.exists() else None)
    if binary is None:
        pytest.skip("the oxigraph server (PyPI package oxigraph) is not installed")
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/query", params={"query": "ASK {}"})
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


SAMPLE_PARAMS = {"doc": "杭政办函〔2023〕81号", "date": "2025-06-01", "unit": "市市场监管局", "text": "贴息",
                 "node": "id:doc/杭政办函-2023-81/measure/17", "tier": "小巨人", "type": "贴息",
                 "function": "工信"}


def test_push_round_trips_through_oxigraph(oxigraph, built, graph):
    from typer.testing import CliRunner

    from policykg.cli import app
    r = CliRunner().invoke(app, ["push", "--endpoint", oxigraph + "/store", "--from", str(built[1])])
    assert r.exit_code == 0, r.output
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    remote = Graph(store=SPARQLStore(oxigraph + "/query", returnFormat="json"))
    count = next(iter(remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0]
    assert int(count) == len(graph)
    for name, q in named_queries().items():
        given = {p.name: SAMPLE_PARAMS[p.name] for p in q.params if p.name in SAMPLE_PARAMS}
        bindings = bind(graph, q, given)
        # compared as values: a store may write 10000000.0 as 10000000
        local = sorted(tuple(map(repr, map(python_value, row))) for row in run(graph, q, given))
        text = with_values(q.text, bindings)
        there = sorted(tuple(map(repr, map(python_value, row))) for row in remote.query(text, initNs=dict(PREFIXES)))
        assert there == local, name


def test_push_to_a_closed_port_is_a_clean_error(built):
    from typer.testing import CliRunner

    from policykg.cli import app
    r = CliRunner().invoke(app, ["push", "--endpoint", f"http://127.0.0.1:{_free_port()}/store", "--from", str(built[1])])
    assert r.exit_code == 1 and "ConnectError" in r.output and "Traceback" not in r.output


def test_concurrent_clients_all_answered(endpoint):
    """The load script's clients, briefly: concurrent parses must not fail (rdflib's parser
    is not thread-safe; the endpoint serializes parsing)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("load_test", Path(__file__).parent.parent / "scripts" / "load_test.py")
    load_test = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load_test)
    result = load_test.run(endpoint, clients=6, seconds=2)
    assert result["failures"] == 0 and result["requests"] > 10


def test_ask_in_csv_is_not_acceptable(endpoint):
    r = httpx.get(endpoint + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert r.status_code == 406
    r = httpx.get(endpoint + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv, */*;q=0.1"})
    assert r.status_code == 200 and r.json()["boolean"] is True


# --- the Oxigraph backend -------------------------------------------------------------------

@pytest.fixture(scope="module")
def ox_endpoint(built, tmp_path_factory):
    graph_dir = tmp_path_factory.mktemp("ox") / "graph"
    shutil.copytree(built[1], graph_dir, ignore=shutil.ignore_patterns(".oxigraph", ".cache"))
    dataset = load_dataset(sorted(graph_dir.glob("*.ttl")), "oxigraph")
    assert getattr(dataset.store, "oxigraph", None) is not None
    with serving(dataset, Limits(timeout=5, max_rows=50)) as url:
        yield url


def _values(response) -> list[tuple]:
    """SPARQL JSON bindings as sorted rows of (variable, value as a value): a store may write
    10000000.0 as 10000000."""
    def value(b):
        try:
            return float(b["value"]) if b.get("datatype", "").endswith(("decimal", "integer", "double")) else b["value"]
        except ValueError:
            return b["value"]
    data = response.json()
    names = data["head"]["vars"]
    return sorted(tuple((n, repr(value(row[n])) if n in row else "") for n in names)
                  for row in data["results"]["bindings"])


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_each_named_query_is_served_the_same_from_oxigraph(endpoint, ox_endpoint, name):
    """The endpoint's /queries/NAME on the Oxigraph dataset as on rdflib's (status, values,
    the truncation header), and kept to an area; the answers themselves are checked per query
    and backend in test_query_library.py."""
    json_results = {"Accept": "application/sparql-results+json"}
    q = named_queries()[name]
    given = {p.name: SAMPLE_PARAMS[p.name] for p in q.params if p.name in SAMPLE_PARAMS}
    here = httpx.get(f"{endpoint}/queries/{name}", params=given, headers=json_results, timeout=30)
    there = httpx.get(f"{ox_endpoint}/queries/{name}", params=given, headers=json_results, timeout=30)
    assert here.status_code == there.status_code == 200, (name, there.text)
    assert _values(there) == _values(here), name
    assert here.headers.get("x-policykg-truncated") == there.headers.get("x-policykg-truncated"), name
    if q.scope:
        given |= {"area": "杭州市"}
        here = httpx.get(f"{endpoint}/queries/{name}", params=given, headers=json_results, timeout=30)
        there = httpx.get(f"{ox_endpoint}/queries/{name}", params=given, headers=json_results, timeout=30)
        assert here.status_code == there.status_code == 200, (name, there.text)
        assert _values(there) == _values(here), name


def test_an_area_on_the_oxigraph_endpoint_and_an_unknown_one(endpoint, ox_endpoint):
    json_results = {"Accept": "application/sparql-results+json"}
    one = httpx.get(f"{ox_endpoint}/queries/documents", params={"area": "钱塘区"}, headers=json_results).json()
    assert [b["area"]["value"] for b in one["results"]["bindings"]] == ["钱塘区"]
    bad = httpx.get(f"{endpoint}/queries/documents", params={"area": "火星市"})
    assert bad.status_code == 400 and "unknown area" in bad.text
    shared = httpx.get(f"{endpoint}/queries/documents", params={"area": "西湖区"})  # 杭州's and 南昌's
    assert shared.status_code == 400 and "ambiguous" in shared.text
    none = httpx.get(f"{endpoint}/queries/documents", params={"area": "杭州市西湖区"}, headers=json_results).json()
    assert none["results"]["bindings"] == []  # a gazetteer area without documents: an empty answer


def test_oxigraph_backend_graphs_formats_and_safety(endpoint, ox_endpoint):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one = {"query": count, "default-graph-uri": "https://w3id.org/policykg/graph/hangzhou-2023-81"}
    a, b = (httpx.get(u + "/sparql", params=one, headers={"Accept": "text/csv"}).text for u in (endpoint, ox_endpoint))
    assert a == b and int(a.split()[-1]) > 1000  # one file's triples, not the union's
    q = ("SELECT ?n FROM <https://w3id.org/policykg/graph/hangzhou-2025-65> "
         "WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> ?n }")
    r = httpx.get(ox_endpoint + "/sparql", params={"query": q}, headers={"Accept": "text/tab-separated-values"})
    assert r.text.split("\n")[1:3] == ['"杭政办函〔2025〕65号"', ""]
    r = httpx.get(ox_endpoint + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
                  headers={"Accept": "application/sparql-results+xml"})
    assert r.headers["x-policykg-truncated"] == "results cut at 50" and r.text.count("<result>") == 50
    r = httpx.get(ox_endpoint + "/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?o ; ?p ?o }"},
                  headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) == 50
    assert httpx.get(ox_endpoint + "/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    r = httpx.get(ox_endpoint + "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE is not allowed" in r.text
    assert httpx.post(ox_endpoint + "/sparql", data={"update": "CLEAR ALL"}).status_code == 403
    sd = {str(o) for o in Graph().parse(data=httpx.get(ox_endpoint + "/sparql", headers={"Accept": "text/turtle"}).text,
                                         format="turtle").objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#name"))}
    assert "https://w3id.org/policykg/graph/hangzhou-2023-81" in sd


@pytest.mark.parametrize("query_string, message", [
    ("tier=little-giant&tier=innovative-sme", "parameter tier given more than once"),
    ("tier=%FF%FE", "the query string is not UTF-8"),
])
def test_a_named_query_refuses_repeated_parameters_and_bad_utf8(endpoint, query_string, message):
    import urllib.error
    import urllib.request
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{endpoint}/queries/rewards?{query_string}", timeout=30)
    assert err.value.code == 400 and message in err.value.read().decode("utf-8")
