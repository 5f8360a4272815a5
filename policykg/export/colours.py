"""Node colours, shared by the exports and the timeline: documents by level, other types by a
fixed colour or a stable hue."""
from __future__ import annotations

import colorsys
import hashlib

_LEVEL_COLOURS = {"province": "#c0392b", "city": "#2471a3", "district": "#229954"}
_TYPE_COLOURS = {"organization": "#8e44ad", "measure": "#d68910", "document": "#566573"}


def colour(attrs: dict) -> str:
    """A node's colour: documents by level, other types by a fixed colour or a stable hue."""
    if attrs.get("type") == "document" and attrs.get("level") in _LEVEL_COLOURS:
        return _LEVEL_COLOURS[attrs["level"]]
    kind = str(attrs.get("type", ""))
    if kind in _TYPE_COLOURS:
        return _TYPE_COLOURS[kind]
    hue = int(hashlib.sha1(kind.encode()).hexdigest()[:4], 16) / 0xFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.45, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
