"""Views and exports, each format opened by a real reader."""
from __future__ import annotations

import json
import shutil
import subprocess

import networkx as nx
import pytest
from typer.testing import CliRunner

from policykg.cli import app
from policykg.export.views import build_view
from policykg.export.writers import export

runner = CliRunner()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def views(graph):
    return {name: build_view(graph, name) for name in ("documents", "departments", "full")}


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool))


def test_views_are_projections_with_scalar_attributes(views):
    docs = views["documents"]
    assert docs.number_of_nodes() == 9
    kinds = sorted(k for _, _, k in docs.edges(keys=True))
    assert kinds.count("repeals") == 2 and kinds.count("succeeds") == 1 and kinds.count("draft_of") == 1
    assert docs.nodes["id:doc/杭政办函-2023-81"]["no_longer_in_force"] == "2025-12-31"
    assert docs.nodes["id:doc/浙政办发-2024-21"]["level"] == "province"
    deps = views["departments"]
    assert deps.nodes["id:org/杭州市市场监管局"]["type"] == "organization"
    lead = deps.get_edge_data("id:org/杭州市市场监管局", "id:doc/杭政办函-2023-81/measure/8")
    assert "lead" in lead
    shares = deps.get_edge_data("id:org/浙江省经信厅", "id:org/浙江省财政厅")["shares"]
    assert shares["weight"] == 16
    assert views["full"].number_of_nodes() > 700


@pytest.mark.parametrize("name", ["documents", "departments", "full"])
def test_each_view_has_labels_and_scalar_attributes(views, name):
    view = views[name]
    for _, attrs in view.nodes(data=True):
        assert attrs.get("label") and all(_scalar(v) for v in attrs.values())
    for *_, attrs in view.edges(data=True):
        assert all(_scalar(v) for v in attrs.values())


def _same(a: nx.Graph, b: nx.Graph) -> None:
    assert set(map(str, a.nodes)) == set(map(str, b.nodes))
    assert a.number_of_edges() == b.number_of_edges()


@pytest.mark.parametrize("name", ["documents", "departments"])
def test_graphml_gexf_and_json_read_back(views, tmp_path, name):
    view = views[name]
    export(view, "graphml", tmp_path / "v.graphml")
    back = nx.read_graphml(tmp_path / "v.graphml")
    _same(view, back)
    some = next(iter(view.nodes))
    assert back.nodes[some]["label"] == view.nodes[some]["label"]
    assert "<y:NodeLabel>" in (tmp_path / "v.graphml").read_text("utf-8")  # what yEd shows
    export(view, "gexf", tmp_path / "v.gexf")
    back = nx.read_gexf(tmp_path / "v.gexf")
    _same(view, back)
    assert "viz:color" in (tmp_path / "v.gexf").read_text("utf-8")
    export(view, "cytoscape", tmp_path / "v.cyjs")
    _same(view, nx.cytoscape_graph(json.loads((tmp_path / "v.cyjs").read_text("utf-8"))))
    export(view, "nodelink", tmp_path / "v.json")
    _same(view, nx.node_link_graph(json.loads((tmp_path / "v.json").read_text("utf-8")), edges="links"))


@pytest.mark.slow  # renders with matplotlib / Graphviz
@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_dot_renders_with_graphviz(views, tmp_path):
    export(views["documents"], "dot", tmp_path / "v.dot")
    svg = subprocess.run(["dot", "-Tsvg", str(tmp_path / "v.dot")], capture_output=True, check=True, text=True).stdout
    assert "杭政办函〔2023〕81号" in svg and svg.count("<g id=\"node") == 9


@pytest.mark.slow  # renders with matplotlib / Graphviz
def test_png_timeline_has_size_and_is_not_blank(graph, tmp_path):
    import matplotlib.image as mpimg

    export(build_view(graph, "documents"), "png", tmp_path / "t.png", rdf=graph)
    pixels = mpimg.imread(tmp_path / "t.png")
    height, width = pixels.shape[:2]
    assert width == 1320 and height > 400
    assert pixels[..., :3].std() > 0.05


def test_timeline_finds_a_cjk_font():
    from policykg.export.timeline import cjk_font

    if shutil.which("fc-list") is None or "CJK" not in subprocess.run(
            ["fc-list"], capture_output=True, text=True).stdout:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    assert cjk_font() is not None


def test_a_cjk_font_installed_after_matplotlib_listed_the_fonts_is_found(monkeypatch):
    """matplotlib keeps its font list in a cache: a font installed after it was written (CI
    installs fonts-noto-cjk; matplotlib may have run before) is looked for on the system."""
    from matplotlib import font_manager

    from policykg.export.timeline import cjk_font

    if shutil.which("fc-list") is None or "CJK" not in subprocess.run(
            ["fc-list"], capture_output=True, text=True).stdout:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    stale = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    assert "CJK" in cjk_font()


@pytest.mark.slow  # starts a browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_html_opens_offline_in_headless_chromium(views, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    page_path = tmp_path / "departments.html"
    export(views["departments"], "html", page_path)
    html = page_path.read_text("utf-8")
    assert "<script src" not in html and "<link" not in html  # everything inline
    errors, fetched = [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.goto(page_path.as_uri())
        page.wait_for_function("window.policykgStable === true", timeout=30_000)
        assert page.evaluate("window.policykgShownNodes()") == views["departments"].number_of_nodes()
        # click a node: its attributes and source quote show
        node = "id:doc/杭政办函-2023-81/measure/8"
        box = page.locator("#network").bounding_box()
        page.evaluate("id => window.policykgNetwork.focus(id, {scale: 2})", node)
        page.wait_for_timeout(300)
        point = page.evaluate("id => window.policykgNetwork.canvasToDOM(window.policykgNetwork.getPositions([id])[id])",
                              node)
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        assert "市市场监管局、市经信局" in page.locator("#details").inner_text()
        # filter by type: organizations only
        page.locator("#types input[data-value=measure]").uncheck()
        assert page.evaluate("window.policykgShownNodes()") == sum(
            1 for _, a in views["departments"].nodes(data=True) if a["type"] == "organization")
        page.screenshot(path=str(tmp_path / "screenshot.png"))
        browser.close()
    assert errors == [] and fetched == []
    assert (tmp_path / "screenshot.png").stat().st_size > 10_000


def test_export_cli(tmp_path, built):
    out = tmp_path / "sub" / "docs.gexf"
    r = runner.invoke(app, ["export", "--view", "documents", "--format", "gexf", "-o", str(out), "--graph", str(built[1])])
    assert r.exit_code == 0, r.output
    assert nx.read_gexf(out).number_of_nodes() == 9
    assert list(out.parent.glob(".*tmp")) == []  # written atomically, no temporary left


@pytest.mark.parametrize("args, message", [
    (["--view", "everything"], "--view 'everything'"),
    (["--format", "svg"], "--format 'svg'"),
])
def test_export_cli_errors(args, message, built):
    r = runner.invoke(app, ["export", *args, "--graph", str(built[1])])
    assert r.exit_code == 2 and message in r.output


def test_export_cli_unwritable_output(tmp_path, built):
    r = runner.invoke(app, ["export", "-f", "graphml", "-o", str(tmp_path), "--graph", str(built[1])])
    assert r.exit_code == 1 and "Traceback" not in r.output
