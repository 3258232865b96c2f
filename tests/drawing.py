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


def svg_size(svg: str | bytes) -> tuple[float, float]:
    """The width and height an SVG declares, in points ('620pt')."""
    root = parse(svg)
    return tuple(float(root.get(side).removesuffix("pt").removesuffix("px")) for side in ("width", "height"))


def png_pixels(data: bytes):
    """An 8-bit RGB or RGBA PNG (what resvg writes) as an array (height, width, channels), filters undone."""
    import struct
    import zlib

    import numpy as np
    width, height, depth, color = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and color in (2, 6), (depth, color)
    chunks, at = [], 8
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            chunks.append(data[at + 8:at + 8 + size])
        at += 12 + size
    channels = 4 if color == 6 else 3
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), np.uint8).reshape(height, 1 + width * channels)
    rows = np.zeros((height, width * channels), np.int32)
    for y in range(height):  # PNG's per-row filters: none, sub, up, average, Paeth
        kind, line, up = raw[y, 0], raw[y, 1:].astype(np.int32), rows[y - 1] if y else np.zeros(width * channels, np.int32)
        if kind in (0, 2):
            rows[y] = (line + (up if kind == 2 else 0)) % 256
            continue
        out = np.zeros_like(line)
        for x in range(width * channels):
            left = out[x - channels] if x >= channels else 0
            corner = up[x - channels] if x >= channels else 0
            if kind == 1:
                guess = left
            elif kind == 3:
                guess = (left + up[x]) // 2
            else:
                p = left + up[x] - corner
                guess = min((abs(p - left), 0, left), (abs(p - up[x]), 1, up[x]), (abs(p - corner), 2, corner))[2]
            out[x] = (line[x] + guess) % 256
        rows[y] = out
    return rows.reshape(height, width, channels).astype(np.uint8)
