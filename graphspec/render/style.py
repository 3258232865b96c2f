"""How a diagram looks, as constants (Graphviz attribute names); the Mermaid writer translates the same ones.

A node's look is a tuple of keys into LOOKS, applied in order: its role first (input, layer or output),
then what the checker found (frozen, warning, skipped, error), so an error's red wins over a role's colour.
"""
from __future__ import annotations

# Graphviz sizes boxes by its own table of the font's widths (the WebAssembly build has no fonts), and a viewer
# draws the text in whatever font it has by that name. Helvetica's widths were too narrow for DejaVu Sans, what
# Linux shows for it, so text ran out of its boxes. Verdana is measured as wide as DejaVu Sans (drawn from the
# same design) or wider, and an SVG names the fonts to fall back on (SVG_FONTS), all as wide or narrower.
FONT = "Verdana"
SVG_FONTS = "Verdana,DejaVu Sans,Bitstream Vera Sans,sans-serif"
ERROR_COLOR = "#cc0000"
SKIPPED_COLOR = "#a6a6a6"

GRAPH = {"fontname": FONT, "fontsize": "15", "labelloc": "t", "nodesep": "0.35", "ranksep": "0.4", "newrank": "true"}
NODE = {"shape": "record", "style": "filled", "fontname": FONT, "fontsize": "11", "margin": "0.16,0.05"}
EDGE = {"fontname": FONT, "fontsize": "9", "color": "#555555", "fontcolor": "#333333", "arrowsize": "0.7"}
# Graphviz only: room around an expanded layer's operations; an empty label, or a cluster repeats the graph's title.
FRAME = {"margin": "10", "label": ""}

LOOKS: dict[str, dict[str, str]] = {
    "input": {"fillcolor": "#e2f2df", "color": "#3b8a32", "style": "rounded,filled", "penwidth": "1.5"},
    "layer": {"fillcolor": "#eaf1fb", "color": "#4a6fa5"},
    "output": {"fillcolor": "#fff0cc", "color": "#b87800", "penwidth": "2.5"},
    "frozen": {"fillcolor": "#e4e4ee", "color": "#6f6f99"},
    "warning": {"color": "#e08a00", "penwidth": "2"},
    "skipped": {"fillcolor": "#f5f5f5", "color": SKIPPED_COLOR, "fontcolor": SKIPPED_COLOR, "style": "dashed,filled"},
    "error": {"fillcolor": "#fde6e6", "color": ERROR_COLOR, "fontcolor": ERROR_COLOR, "penwidth": "2"},
    "block": {"fillcolor": "#dbe6f6", "color": "#2f5597", "style": "rounded,filled", "penwidth": "2"},  # a use
    "frame": {"fillcolor": "none", "style": "rounded,dashed", "penwidth": "1.2"},  # around an expanded layer
    "primitive": {"fillcolor": "white", "color": "#7a8ca8", "fontsize": "10", "penwidth": "1"},
    # edges
    "no_tensor": {"color": SKIPPED_COLOR, "style": "dashed"},
    "recurrent": {"style": "dashed", "constraint": "false", "color": "#7a8ca8"},
    # the title
    "title": {"fontcolor": "#222222"},
    "title_error": {"fontcolor": ERROR_COLOR},
}


def attributes(look: tuple[str, ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for key in look:
        merged.update(LOOKS[key])
    return merged
