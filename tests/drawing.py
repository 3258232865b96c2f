"""Reading back what a rendered SVG says, for exact assertions."""
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str | bytes) -> ET.Element:
    return ET.fromstring(svg.encode() if isinstance(svg, str) else svg)


def _groups(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    return {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g") if g.get("class") == kind}


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def nodes(root: ET.Element) -> dict[str, list[str]]:
    """Node id ('n1') -> the lines of text drawn in it, top to bottom."""
    return {name: texts(g) for name, g in _groups(root, "node").items()}


def node_elements(root: ET.Element) -> dict[str, ET.Element]:
    return _groups(root, "node")


def edges(root: ET.Element) -> dict[str, list[str]]:
    """'n0->n1' -> the edge's label lines."""
    return {name: texts(g) for name, g in _groups(root, "edge").items()}


def by_title(root: ET.Element) -> dict[str, list[str]]:
    """A node's first line (e.g. 'conv1: Conv2D') -> all its lines."""
    return {lines[0]: lines for lines in nodes(root).values() if lines}
