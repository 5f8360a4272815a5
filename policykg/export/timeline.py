"""The documents' validity intervals as a timeline (PNG, matplotlib).

One bar per document that has a start: from its first day in force to its last (open
documents run to the right edge; a start or end given only as a range is drawn hatched over
that range). Rows are grouped by level (province, city, district); arrows show repeals
(from the repealing document's start to the repealed one's end) and successions. Chinese
labels need a CJK font; the first one found among the system's fonts is used.
"""
from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass

from rdflib import Graph, URIRef

from policykg.export.colours import colour
from policykg.export.views import documents_view
from policykg.namespaces import ELI, PKG

_LEVEL_ORDER: dict[str | None, int] = {"province": 0, "city": 1, "district": 2}
_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                 "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


def cjk_font() -> str | None:
    """The first CJK font family matplotlib can find, or None. matplotlib lists the fonts
    once and keeps the list in its cache, so a font installed after that (``apt-get install
    fonts-noto-cjk`` on a machine where matplotlib already ran) is not in it: when the list
    has none, the system's font files it does not know are added to it."""
    from matplotlib import font_manager

    def found() -> str | None:
        available = {f.name for f in font_manager.fontManager.ttflist}
        return next((family for family in _CJK_FAMILIES if family in available), None)

    if (family := found()) is not None:
        return family
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                continue
    return found()


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value is not None else None


@dataclass
class _Row:
    node: str
    attrs: dict
    start: dt.date | None
    start_bounds: tuple[dt.date | None, dt.date | None]
    end: dt.date | None
    end_bounds: tuple[dt.date | None, dt.date | None]

    @property
    def first(self) -> dt.date | None:
        return self.start or self.start_bounds[0]

    @property
    def last(self) -> dt.date | None:
        return self.end or self.end_bounds[1]


def _rows(g: Graph) -> tuple[list[_Row], list[tuple[str, str, str]]]:
    view = documents_view(g)
    rows = []
    for node, attrs in view.nodes(data=True):
        doc = URIRef(attrs["iri"])
        row = _Row(node, attrs, _day(g.value(doc, ELI.first_date_entry_in_force)),
                   (_day(g.value(doc, PKG.entryIntoForceNotBefore)), _day(g.value(doc, PKG.entryIntoForceNotAfter))),
                   _day(g.value(doc, ELI.date_no_longer_in_force)),
                   (_day(g.value(doc, PKG.noLongerInForceNotBefore)), _day(g.value(doc, PKG.noLongerInForceNotAfter))))
        if row.first or row.last:
            rows.append(row)
    rows.sort(key=lambda r: (_LEVEL_ORDER.get(r.attrs.get("level"), 3), r.first or r.last))
    arrows = [(a, b, attrs["type"]) for a, b, attrs in view.edges(data=True) if attrs.get("type") in ("repeals", "succeeds")]
    return rows, arrows


def timeline_png(g: Graph, *, width: float = 12.0) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    rows, arrows = _rows(g)
    if not rows:
        raise ValueError("no document in the graph has a date to draw")
    font = cjk_font()
    if font:
        plt.rcParams["font.family"] = font
    else:
        warnings.warn("no CJK font found: Chinese labels may not show (install fonts-noto-cjk)", stacklevel=2)
    days = [d for r in rows for d in (r.start, r.end, *r.start_bounds, *r.end_bounds) if d]
    left, right = min(days) - dt.timedelta(days=120), max(days) + dt.timedelta(days=240)
    fig, ax = plt.subplots(figsize=(width, 0.55 * len(rows) + 1.8), dpi=110)
    y_of = {}
    for y, r in enumerate(rows):
        y_of[r.node] = y
        c = colour(r.attrs)
        begin = r.start or r.start_bounds[1] or r.start_bounds[0] or left  # certainly in force from here
        finish = r.end or r.end_bounds[0] or right
        # matplotlib takes dates through its units registry (matplotlib.dates); its stubs admit
        # numbers only, here and below
        ax.barh(y, (finish - begin).days, left=begin, height=0.5, color=c,  # type: ignore[arg-type]
                alpha=0.35 if r.attrs.get("referenced_only") else 0.85)
        for low, high in (r.start_bounds, r.end_bounds):  # a date given only as a range: hatched
            if low and high:
                ax.barh(y, (high - low).days, left=low, height=0.5, color="none", edgecolor=c,  # type: ignore[arg-type]
                        hatch="///")
        label = r.attrs.get("number") or r.attrs.get("label_zh", r.node)
        ax.text(begin, y + 0.36,  # type: ignore[arg-type]
                label if len(label) <= 26 else label[:25] + "…", fontsize=8, va="bottom")
    by_node = {r.node: r for r in rows}
    for a, b, kind in arrows:
        if a not in y_of or b not in y_of:
            continue
        x0 = by_node[a].first or left
        x1 = by_node[b].last or x0
        ax.annotate("", xy=(x1, y_of[b]), xytext=(x0, y_of[a]),
                    arrowprops={"arrowstyle": "->", "color": "#c0392b" if kind == "repeals" else "#1f618d",
                                "lw": 1.2, "connectionstyle": "arc3,rad=0.25"})
    ax.set_yticks([])
    ax.set_ylim(len(rows) - 0.2, -0.8)
    ax.set_xlim(left, right)  # type: ignore[arg-type]
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("专精特新政策文件有效期 · validity of the documents (red: 废止 repeals; blue: 接续 succeeds)", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
