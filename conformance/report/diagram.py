"""The network diagram: devices and connections laid out here, drawn as inline SVG by the template.

No script and no layout engine. Devices stand in columns by role: modalities on the left, the
devices they use in the middle (worklist, archive, printer, others), reading stations on the
right; a column taller than ``MAX_ROWS`` splits in two or more. Each connection is a curve from
the device that opens it to the one that accepts it, with an arrowhead, coloured by its verdict
and also told apart without colour: a dash pattern and a symbol (✕ ! ? – ✓) per verdict, and a
``<title>`` in words. Each curve links to the connection's findings.

Beyond ``DIAGRAM_MAX_DEVICES`` devices a drawing of every device is unreadable: one box per role
and one curve per pair of roles carry the counts instead (the connection list stays complete).
All coordinates are computed from the inputs' order only, so the SVG is deterministic.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from conformance.report.decisions import STATE_PHRASES, STATE_SYMBOLS, ConnectionState

LOGGER = logging.getLogger(__name__)

DIAGRAM_MAX_DEVICES = 50
MAX_ROWS = 13  # devices per sub-column before a column splits
NODE_W, NODE_H = 178.0, 40.0
ROW_GAP, SUB_GAP, COL_GAP = 14.0, 26.0, 170.0
MARGIN, HEAD = 14.0, 28.0
LABEL_CHARS = 24  # a name longer than this is shortened in its box (the full name is its <title>)
PORT_SPREAD = 15.0  # curve ends on one box side spread at most this far from its middle
ARROW = 9.0
OWN = {"blocking": "✕ own finding", "degrading": "! own finding", "info": "i own note"}

COLUMNS: tuple[tuple[str, ...], ...] = (
    ("modality",),
    ("worklist", "archive", "printer", "other"),
    ("workstation",),
)
ROLE_NAMES = {
    "modality": "Modalities",
    "worklist": "Worklist / RIS",
    "archive": "Archives",
    "printer": "Printers",
    "other": "Other devices",
    "workstation": "Workstations",
}


@dataclass(frozen=True)
class Spot:
    """A device as the diagram needs it."""

    name: str
    role: str
    analyzed: bool
    worst: str  # worst severity of the findings about the device on its own ("" none)
    href: str


@dataclass(frozen=True)
class Line:
    """A connection as the diagram needs it."""

    source: str
    target: str
    state: ConnectionState
    title: str
    href: str


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    w: float
    h: float
    label: str
    sub: str
    title: str
    status: str  # CSS suffix: a severity, "none" or "skipped"
    href: str
    col_left: float = 0.0  # the box's column (all its sub-columns): curves run straight to its edge
    col_right: float = 0.0


@dataclass(frozen=True)
class Edge:
    path: str
    arrow: str  # polygon points of the arrowhead
    state: str
    label: str
    lx: float
    ly: float
    lw: float  # width of the label's background
    title: str
    href: str


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]
    headings: list[tuple[float, str]]
    grouped: bool  # one box per role (large site)
    description: str


def build(spots: Sequence[Spot], lines: Sequence[Line]) -> Diagram:
    """The diagram of a site: one box per device up to DIAGRAM_MAX_DEVICES, else one per role."""
    if len(spots) > DIAGRAM_MAX_DEVICES:
        return _by_role(spots, lines)
    return _by_device(spots, lines)


def _column_of(role: str) -> int:
    for i, roles in enumerate(COLUMNS):
        if role in roles:
            return i
    return 1


def _order(role: str) -> int:
    roles = COLUMNS[_column_of(role)]
    return roles.index(role) if role in roles else len(roles)


def _columns(items: Sequence[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(heading, keys) per non-empty column, from (key, role) pairs in input order."""
    cols: list[list[tuple[int, int, str, str]]] = [[] for _ in COLUMNS]
    for n, (key, role) in enumerate(items):
        cols[_column_of(role)].append((_order(role), n, key, role))
    out = []
    for col in cols:
        if not col:
            continue
        col.sort()
        roles = list(dict.fromkeys(role for *_, role in col))
        out.append((", ".join(ROLE_NAMES.get(r, r) for r in roles), [key for _o, _n, key, _r in col]))
    return out


def _place(
    columns: list[tuple[str, list[str]]],
) -> tuple[dict[str, tuple[float, float, float, float]], list[tuple[float, str]], float, float]:
    """Per key its box's top-left corner and its column's left and right edge; column headings
    (centre x, text); total width and height.

    A column of more than MAX_ROWS boxes splits into sub-columns, each shifted down by a share of
    the row pitch and the rows spaced out, so that the straight lines leaving a box of an inner
    sub-column run between the boxes of the outer ones instead of under them.
    """
    shapes = []
    for heading, keys in columns:
        subs = max(1, math.ceil(len(keys) / MAX_ROWS))
        pitch = NODE_H + ROW_GAP if subs == 1 else subs * (NODE_H / 2 + PORT_SPREAD + 5)
        pitch = max(pitch, NODE_H + ROW_GAP)
        rows = math.ceil(len(keys) / subs)
        height = (rows - 1) * pitch + NODE_H + (subs - 1) * pitch / subs
        shapes.append((heading, keys, subs, rows, pitch, height))
    inner = max((shape[-1] for shape in shapes), default=NODE_H)
    pos: dict[str, tuple[float, float, float, float]] = {}
    heads: list[tuple[float, str]] = []
    x = MARGIN
    for heading, keys, subs, rows, pitch, height in shapes:
        width = subs * NODE_W + (subs - 1) * SUB_GAP
        heads.append((x + width / 2, heading))
        top = MARGIN + HEAD + (inner - height) / 2
        for i, key in enumerate(keys):
            sub, row = divmod(i, rows)
            y = top + row * pitch + sub * pitch / subs
            pos[key] = (x + sub * (NODE_W + SUB_GAP), y, x, x + width)
        x += width + COL_GAP
    width = max(x - COL_GAP + MARGIN, 2 * MARGIN + NODE_W)
    return pos, heads, width, MARGIN + HEAD + inner + MARGIN


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bezier(p: Sequence[tuple[float, float]], t: float) -> tuple[float, float]:
    u = 1 - t
    a, b, c, d = u**3, 3 * u * u * t, 3 * u * t * t, t**3
    return (
        a * p[0][0] + b * p[1][0] + c * p[2][0] + d * p[3][0],
        a * p[0][1] + b * p[1][1] + c * p[2][1] + d * p[3][1],
    )


def _side(a: Node, b: Node) -> tuple[str, str]:
    """Which side of ``a`` and of ``b`` a curve from ``a`` to ``b`` leaves and enters."""
    if a is b:
        return "right", "right"
    if b.x >= a.x + a.w:
        return "right", "left"
    if b.x + b.w <= a.x:
        return "left", "right"
    return "right", "right"  # same column: a loop out to the right


def _ports(nodes: dict[str, Node], pairs: Sequence[tuple[str, str]]) -> dict[tuple[int, str], float]:
    """The y of each curve's end on each box side, spread over the side in the order of the
    other ends' heights, so that curves leaving one box do not start on top of each other.

    Keys: (index of the pair, "source" | "target")."""
    ends: dict[tuple[str, str], list[tuple[float, int, int, str]]] = defaultdict(list)
    for i, (src, dst) in enumerate(pairs):
        a, b = nodes[src], nodes[dst]
        out_side, in_side = _side(a, b)
        ends[(src, out_side)].append((b.y, 0, i, "source"))
        ends[(dst, in_side)].append((a.y, 1, i, "target"))
    ys: dict[tuple[int, str], float] = {}
    for (key, _side_name), attached in ends.items():
        box = nodes[key]
        attached.sort()
        n = len(attached)
        span = min(2 * PORT_SPREAD, 8.0 * (n - 1))
        for k, (_y, _o, i, end) in enumerate(attached):
            ys[(i, end)] = box.y + box.h / 2 - span / 2 + (span * k / (n - 1) if n > 1 else 0)
    return ys


Route = tuple[list[tuple[float, float]], tuple[float, float] | None, tuple[float, float] | None]


def _route(a: Node, b: Node, y1: float, y2: float) -> Route:
    """The curve from box ``a`` to box ``b``: cubic control points, and the box ends of the straight
    leads that cross the rest of a split column (None when the curve starts or ends at the box)."""
    if a is b:  # a role linked to itself (large sites): a loop on its right side
        x = a.x + a.w
        return [(x, y1 - 9), (x + 48, y1 - 26), (x + 48, y2 + 26), (x, y2 + 9)], None, None
    if b.x >= a.x + a.w:  # rightwards
        (xa, x1), (x2, xb), sign = (
            (a.x + a.w, max(a.col_right, a.x + a.w)),
            (min(b.col_left or b.x, b.x), b.x),
            1,
        )
    elif b.x + b.w <= a.x:  # leftwards
        (xa, x1), (x2, xb), sign = (
            (a.x, min(a.col_left or a.x, a.x)),
            (max(b.col_right, b.x + b.w), b.x + b.w),
            -1,
        )
    else:  # same column: a loop out to the right of the boxes
        x1, x2 = a.x + a.w, b.x + b.w
        c = 34 + abs(y2 - y1) * 0.22
        return [(x1, y1), (x1 + c, y1), (x2 + c, y2), (x2, y2)], None, None
    c = max(30.0, abs(x2 - x1) * 0.45)
    curve = [(x1, y1), (x1 + sign * c, y1), (x2 - sign * c, y2), (x2, y2)]
    return curve, ((xa, y1) if xa != x1 else None), ((xb, y2) if xb != x2 else None)


LABEL_TS = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)


Placed = list[tuple[float, float, float]]  # labels drawn so far: centre x, centre y, width


def _label_at(pts: list[tuple[float, float]], taken: Placed, width: float, height: float = 22.0) -> float:
    """The first position along the curve (middle first) whose label (``width`` x ``height``,
    centred) clears the labels placed before."""
    for t in LABEL_TS:
        x, y = _bezier(pts, t)
        if all(abs(x - tx) >= (width + tw) / 2 or abs(y - ty) >= height for tx, ty, tw in taken):
            return t
    return LABEL_TS[0]


def _edge(route: Route, state: str, label: str, taken: Placed, title: str, href: str) -> Edge:
    """The curve of ``route``, its arrowhead, and its label where it clears those in ``taken``."""
    pts, lead_in, lead_out = route
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts
    path = f"M{lead_in[0]:.1f},{lead_in[1]:.1f} L" if lead_in else "M"
    path += f"{x0:.1f},{y0:.1f} C{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f} {x3:.1f},{y3:.1f}"
    if lead_out:
        path += f" L{lead_out[0]:.1f},{lead_out[1]:.1f}"
        (x2, y2), (x3, y3) = (x3, y3), lead_out  # the arrow follows the last segment
    dx, dy = x3 - x2, y3 - y2
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    bx, by = x3 - ux * ARROW, y3 - uy * ARROW
    arrow = (
        f"{x3:.1f},{y3:.1f} {bx - uy * ARROW / 2:.1f},{by + ux * ARROW / 2:.1f} "
        f"{bx + uy * ARROW / 2:.1f},{by - ux * ARROW / 2:.1f}"
    )
    width = 17.0 if len(label) == 1 else 7.0 * len(label) + 10
    lx, ly = _bezier(pts, _label_at(pts, taken, width))
    taken.append((lx, ly, width))
    return Edge(path, arrow, state, label, round(lx, 1), round(ly, 1), width, title, href)


def _phrase(n: int, state: str) -> str:
    """'1 does not work', '3 work with changes'."""
    return f"{n} {STATE_PHRASES[state][0 if n == 1 else 1]}"


def _describe(n_boxes: int, states: Counter[str], what: str) -> str:
    total = sum(states.values())
    parts = [_phrase(states[s.value], s.value) for s in ConnectionState if states[s.value]]
    return (
        f"{what} {n_boxes}; connections {total}" + (f": {', '.join(parts)}" if parts else "") + ". "
        "Each arrow runs from the device that opens the connection to the one that accepts it; "
        "its colour, dash pattern and symbol give the verdict, as the connection table does in words."
    )


def _by_device(spots: Sequence[Spot], lines: Sequence[Line]) -> Diagram:
    pos, heads, width, height = _place(_columns([(s.name, s.role) for s in spots]))
    nodes: dict[str, Node] = {}
    for s in spots:
        x, y, left, right = pos[s.name]
        status = "skipped" if not s.analyzed else (s.worst or "none")
        extra = " · not analyzed" if not s.analyzed else (f" · {OWN[s.worst]}" if s.worst else "")
        title = f"{s.name} ({s.role})" + ("; not analyzed" if not s.analyzed else "")
        if s.worst:
            title += f"; its own findings: worst {s.worst}"
        nodes[s.name] = Node(
            x, y, NODE_W, NODE_H, shorten(s.name), s.role + extra, title, status, s.href, left, right
        )
    drawn = [ln for ln in lines if ln.source in nodes and ln.target in nodes]
    ys = _ports(nodes, [(ln.source, ln.target) for ln in drawn])
    edges = []
    taken: Placed = []
    for i, ln in enumerate(drawn):
        route = _route(nodes[ln.source], nodes[ln.target], ys[(i, "source")], ys[(i, "target")])
        edges.append(_edge(route, ln.state.value, STATE_SYMBOLS[ln.state.value], taken, ln.title, ln.href))
    desc = _describe(len(spots), Counter(ln.state.value for ln in lines), "Devices")
    return Diagram(round(width), round(height), list(nodes.values()), edges, heads, False, desc)


def _by_role(spots: Sequence[Spot], lines: Sequence[Line]) -> Diagram:
    role_of = {s.name: s.role for s in spots}
    roles = list(dict.fromkeys(s.role for s in spots))
    pos, heads, width, height = _place(_columns([(r, r) for r in roles]))
    count = Counter(s.role for s in spots)
    skipped = Counter(s.role for s in spots if not s.analyzed)
    nodes: dict[str, Node] = {}
    for r in roles:
        x, y, left, right = pos[r]
        sub = f"{count[r]} devices" + (f", {skipped[r]} not analyzed" if skipped[r] else "")
        name = ROLE_NAMES.get(r, r)
        nodes[r] = Node(x, y, NODE_W, NODE_H, name, sub, f"{name}: {sub}", "none", "#devices", left, right)
    between: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for ln in lines:
        if ln.source in role_of and ln.target in role_of:
            between[(role_of[ln.source], role_of[ln.target])][ln.state.value] += 1
    edges = []
    taken: Placed = []
    for (src, dst), states in sorted(
        between.items(), key=lambda kv: (roles.index(kv[0][0]), roles.index(kv[0][1]))
    ):
        worst = min((ConnectionState(s) for s in states), key=lambda s: s.rank)
        total = sum(states.values())
        shown = [s for s in ConnectionState if states[s.value]]
        label = f"{total}: " + " ".join(f"{states[s.value]}{STATE_SYMBOLS[s.value]}" for s in shown)
        words = ", ".join(_phrase(states[s.value], s.value) for s in shown)
        title = f"{ROLE_NAMES.get(src, src)} → {ROLE_NAMES.get(dst, dst)}: {total} connections ({words})"
        a, b = nodes[src], nodes[dst]
        shift = (-7.0 if roles.index(src) < roles.index(dst) else 7.0) if (dst, src) in between else 0.0
        route = _route(a, b, a.y + a.h / 2 + shift, b.y + b.h / 2 + shift)
        edges.append(_edge(route, worst.value, label, taken, title, "#connections"))
    what = f"Devices (grouped by role, {len(roles)} roles)"
    desc = _describe(len(spots), Counter(ln.state.value for ln in lines), what)
    return Diagram(round(width), round(height), list(nodes.values()), edges, heads, True, desc)
