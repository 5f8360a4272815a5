"""Writing a view (:mod:`.views`) in the formats network tools read.

- ``graphml``: networkx's GraphML, plus yFiles node labels so that yEd shows them (Gephi reads
  the ``label`` attribute);
- ``gexf``: networkx's GEXF with ``viz`` colours (by type and level) and sizes (by degree);
- ``cytoscape``: Cytoscape.js JSON (``networkx.cytoscape_data``);
- ``nodelink``: node-link JSON (``networkx.node_link_data``);
- ``dot``: Graphviz DOT through pydot (node ids become ``n1``, ``n2``…; the id is the tooltip);
- ``html``: one self-contained page (``templates/network.html``) with vis-network, taken
  from the installed pyvis package at export time and inlined, so the page needs no
  network: pan, zoom, click a node for its attributes and source quote, filter by type and
  level;
- ``png``: the documents' validity intervals as a timeline (:mod:`.timeline`).

Every file is written atomically.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from importlib import resources
from pathlib import Path

import networkx as nx

from policykg.export.colours import colour
from policykg.files import write_atomic
from policykg.formats import by_name, names

FORMATS = names("view")  # graphml, gexf, cytoscape, nodelink, dot, html, png: from policykg.formats
_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
_YED = "http://www.yworks.com/xml/graphml"


class ExportError(Exception):
    """A view cannot be written in a format (a missing optional piece): the message says which."""


def _size(view: nx.Graph, node) -> float:
    return 6.0 + 2.0 * min(view.degree(node), 20)


def graphml_bytes(view: nx.Graph) -> bytes:
    text = "\n".join(nx.generate_graphml(view, named_key_ids=True))
    ET.register_namespace("", _GRAPHML)
    ET.register_namespace("y", _YED)
    root = ET.fromstring(text)
    graph = root.find(f"{{{_GRAPHML}}}graph")
    if graph is None:
        raise ExportError("networkx wrote GraphML without a graph element")
    key = ET.Element(f"{{{_GRAPHML}}}key", {"for": "node", "id": "yfiles_node", "yfiles.type": "nodegraphics"})
    root.insert(list(root).index(graph), key)
    for el in graph.findall(f"{{{_GRAPHML}}}node"):
        attrs = view.nodes[el.get("id")]
        data = ET.SubElement(el, f"{{{_GRAPHML}}}data", {"key": "yfiles_node"})
        shape = ET.SubElement(data, f"{{{_YED}}}ShapeNode")
        ET.SubElement(shape, f"{{{_YED}}}Fill", {"color": colour(attrs), "transparent": "false"})
        ET.SubElement(shape, f"{{{_YED}}}NodeLabel").text = str(attrs.get("label", el.get("id")))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def gexf_bytes(view: nx.Graph) -> bytes:
    g = view.copy()
    for node, attrs in g.nodes(data=True):
        hexa = colour(attrs).lstrip("#")
        attrs["viz"] = {"color": {"r": int(hexa[0:2], 16), "g": int(hexa[2:4], 16), "b": int(hexa[4:6], 16), "a": 1.0},
                        "size": _size(view, node)}
    return "\n".join(nx.generate_gexf(g)).encode("utf-8")


def cytoscape_bytes(view: nx.Graph) -> bytes:
    return json.dumps(nx.cytoscape_data(view), ensure_ascii=False, indent=1).encode("utf-8")


def nodelink_bytes(view: nx.Graph) -> bytes:
    return json.dumps(nx.node_link_data(view, edges="links"), ensure_ascii=False, indent=1).encode("utf-8")


def dot_bytes(view: nx.Graph) -> bytes:
    import pydot

    graph = pydot.Dot(view.graph.get("name", "policykg"), graph_type="digraph" if view.is_directed() else "graph",
                      rankdir="LR", fontname="Noto Sans CJK SC")
    ids = {node: f"n{i}" for i, node in enumerate(view.nodes, 1)}
    for node, attrs in view.nodes(data=True):
        graph.add_node(pydot.Node(ids[node], label=_dot_quote(attrs.get("label", node)), tooltip=_dot_quote(node),
                                  style="filled", fillcolor=colour(attrs), fontcolor="white",
                                  fontname="Noto Sans CJK SC", shape="box"))
    for a, b, attrs in view.edges(data=True):
        graph.add_edge(pydot.Edge(ids[a], ids[b], label=_dot_quote(attrs.get("label", "")), fontsize="9",
                                  fontname="Noto Sans CJK SC"))
    return graph.to_string().encode("utf-8")


def _dot_quote(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style, read from the installed pyvis package."""
    try:
        import pyvis
    except ImportError:
        raise ExportError("the html format needs the pyvis package (pip install pyvis)") from None
    libs = sorted((Path(pyvis.__file__).parent / "lib").glob("vis-*/vis-network.min.js"))
    if not libs:
        raise ExportError(f"no vis-network.min.js in the installed pyvis ({Path(pyvis.__file__).parent})")
    js = libs[-1]
    return js.read_text("utf-8"), js.with_name("vis-network.css").read_text("utf-8")


def html_bytes(view: nx.Graph) -> bytes:
    js, css = _vis_assets()
    nodes = []
    for node, attrs in view.nodes(data=True):
        nodes.append({"id": node, "label": str(attrs.get("label", node))[:24], "color": colour(attrs),
                      "value": view.degree(node), "group": attrs.get("type", ""),
                      "level": attrs.get("level", ""), "attrs": dict(attrs)})
    edges: list[dict] = []
    seen: Counter[frozenset] = Counter()
    for a, b, attrs in view.edges(data=True):
        k = seen[frozenset((a, b))]
        seen[frozenset((a, b))] += 1
        edges.append({"from": a, "to": b, "label": attrs.get("label", ""), "type": attrs.get("type", ""),
                      "arrows": "to" if view.is_directed() else "", "attrs": dict(attrs),
                      # parallel edges (81号 repeals and cites 29号) curve apart instead of overlapping
                      "smooth": {"enabled": k > 0, "type": "curvedCW", "roundness": 0.2 * k}})
    data = json.dumps({"name": view.graph.get("name", "policykg"), "nodes": nodes, "edges": edges},
                      ensure_ascii=False).replace("</", "<\\/")
    template = resources.files("policykg.export").joinpath("templates/network.html").read_text("utf-8")
    page = (template.replace("/*VIS_CSS*/", css).replace("/*VIS_JS*/", js.replace("</script", "<\\/script"))
            .replace("/*GRAPH_DATA*/null", data).replace("TITLE", view.graph.get("name", "policykg")))
    return page.encode("utf-8")


def png_bytes(view: nx.Graph, *, rdf=None) -> bytes:
    """The documents' validity timeline, drawn from the RDF graph (the view is not used)."""
    from policykg.export.timeline import timeline_png

    return timeline_png(rdf)


def export(view: nx.Graph, fmt: str, path: Path, *, rdf=None) -> None:
    """Write ``view`` as ``fmt`` to ``path`` atomically (png draws the timeline from ``rdf``)."""
    try:
        writer = by_name("view", fmt).load()
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}") from None
    data = writer(view, rdf=rdf) if fmt == "png" else writer(view)
    write_atomic(path, data)
