"""Layered (Sugiyama-style) layout of entity-relationship diagrams: boxes in columns, orthogonal edges.

Input: box sizes and links between boxes, each link anchored at a vertical offset in its source box (the
foreign key's row) and in its target box (the referenced row). Output: integer box positions and, per link, an
orthogonal polyline from the source anchor to the target anchor. Everything is deterministic: no set or hash
order is used, ties are broken by input index.

Steps, per connected component:

1. Cycles: a depth-first search in input order reverses the links that close a cycle.
2. Layers: longest path from the boxes that reference nothing (layer 0, leftmost), so a table sits to the
   right of every table it references; then each box is moved right as far as its referrers allow, which
   shortens long links. A crowded layer (a hub's many referrers) is spread over unused columns (`_spread`).
   A link spanning several layers gets a *lane* (a thin placeholder) in every layer it crosses, so it passes
   between the boxes there, never through one.
3. Order: barycentre sweeps (a fixed number, alternating direction) order each layer by the mean height of
   the anchors it links to.
4. Heights: each layer is placed as close as its order allows to the heights its links ask for (the mean of
   the linked anchors): an isotonic regression solved by pooling adjacent violators, also alternating sweeps.
5. Columns: boxes are left-aligned in their layer; the gap between two layers has one vertical track per
   group of links that end at the same anchor (a bus into a referenced key), so vertical segments never
   coincide except on purpose. A link from a box to itself loops out of its right side.

A component deeper than `MAX_COLUMNS` layers (a chain of tables) would be too wide for a page: its layers are
folded, `fold` consecutive layers sharing one column, stacked as a snake (down one column, up the next), and
a link between two boxes of one column runs through the gap on the column's left.

Components are then packed on shelves of at most `SHELF_WIDTH` (wider only for a wider component).

Guarantees (tests/emit/test_erd.py): boxes are pairwise disjoint and no polyline passes through the interior
of a box. Cost is O((boxes + lanes) log(boxes + lanes) * SWEEPS): about 2 ms for 40 tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Final

LANE: Final = 8
"""Height of the lane a link takes through a layer it crosses."""
BOX_SEP: Final = 24
"""Vertical space between two boxes of a layer."""
LANE_SEP: Final = 6
"""Vertical space next to a lane."""
GAP_PAD: Final = 36
"""Horizontal space between a layer and the nearest track of the gap beside it (room for a label)."""
TRACK: Final = 8
"""Distance between two tracks of a gap, and between two self-loops."""
LOOP_PAD: Final = 14
"""Distance of a box's first self-loop from its right side."""
COMPONENT_SEP: Final = 48
SHELF_WIDTH: Final = 1600
MARGIN: Final = 16
SWEEPS: Final = 4
MAX_COLUMNS: Final = 5
SPREAD_MIN: Final = 8
"""A layer may hold this many boxes, or its share of the component's boxes over `MAX_COLUMNS - 1` columns if
more, before `_spread` moves some to another column."""
"""Deeper components are folded: `fold` consecutive layers share a column (see `_sub`), and a link between
two boxes of one column runs in the gap to the column's left."""

Point = tuple[int, int]


@dataclass(frozen=True)
class Box:
    width: int
    height: int


@dataclass(frozen=True)
class Link:
    """A link from box `source` to box `target`; the `*_dy` are the anchors' offsets from the boxes' tops."""

    source: int
    target: int
    source_dy: int
    target_dy: int


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Layout:
    rects: tuple[Rect, ...]
    """Per box, in input order."""
    routes: tuple[tuple[Point, ...], ...]
    """Per link, in input order: the polyline from the source anchor to the target anchor. Its first and last
    segments are horizontal (the anchors are on the boxes' left or right sides)."""
    width: int
    height: int


@dataclass(eq=False)
class _Item:
    """A box or a lane in one layer of a component."""

    layer: int
    height: int
    width: int
    box: int
    """Local box index, or -1 for a lane."""
    sub: int = 0
    """Place in a folded layer: items are ordered by it first (all 0 when layers are not folded)."""
    top: float = 0.0
    rank: int = 0
    left: list[tuple[_Item, int, int]] = field(default_factory=list)
    """Neighbours in the layer to the left: (item, own anchor offset, neighbour's anchor offset)."""
    right: list[tuple[_Item, int, int]] = field(default_factory=list)


@dataclass
class _Part:
    """One laid-out component, at the origin."""

    rects: dict[int, Rect]
    routes: dict[int, list[Point]]
    width: int
    height: int


def layout(boxes: Sequence[Box], links: Sequence[Link]) -> Layout:
    """Lay out `boxes` and `links`. Raises ValueError for a link to a box index out of range."""
    for link in links:
        if not (0 <= link.source < len(boxes) and 0 <= link.target < len(boxes)):
            raise ValueError(f"link {link} names a box out of range")
    parts = [_layout_component(boxes, links, comp, ls) for comp, ls in _components(len(boxes), links)]
    rects: list[Rect] = [Rect(0, 0, 0, 0)] * len(boxes)
    routes: list[tuple[Point, ...]] = [()] * len(links)
    shelf_limit = max([SHELF_WIDTH, *(p.width for p in parts)])
    x = y = shelf_height = width = 0
    for part in parts:
        if x > 0 and x + part.width > shelf_limit:
            x, y, shelf_height = 0, y + shelf_height + COMPONENT_SEP, 0
        dx, dy = x + MARGIN, y + MARGIN
        for index, rect in part.rects.items():
            rects[index] = Rect(rect.x + dx, rect.y + dy, rect.width, rect.height)
        for index, points in part.routes.items():
            routes[index] = tuple((px + dx, py + dy) for px, py in points)
        width = max(width, x + part.width)
        shelf_height = max(shelf_height, part.height)
        x += part.width + COMPONENT_SEP
    return Layout(tuple(rects), tuple(routes), width + 2 * MARGIN, y + shelf_height + 2 * MARGIN)


def _components(count: int, links: Sequence[Link]) -> list[tuple[list[int], list[int]]]:
    """Connected components as (box indexes ascending, link indexes ascending), by smallest box index."""
    parent = list(range(count))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for link in links:
        a, b = find(link.source), find(link.target)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(count):
        members.setdefault(find(i), []).append(i)
    component_links: dict[int, list[int]] = {root: [] for root in members}
    for index, link in enumerate(links):
        component_links[find(link.source)].append(index)
    return [(members[root], component_links[root]) for root in members]


def _layout_component(boxes: Sequence[Box], links: Sequence[Link], nodes: list[int], own: list[int]) -> _Part:
    local = {box: i for i, box in enumerate(nodes)}
    plain = [i for i in own if links[i].source != links[i].target]
    rank = _layers(len(nodes), [(local[links[i].source], local[links[i].target]) for i in plain])
    fold = -(-(max(rank) + 1) // MAX_COLUMNS)
    depth = max(rank) // fold + 1
    items = [
        _Item(rank[i] // fold, boxes[box].height, boxes[box].width, i, _sub(rank[i], fold))
        for i, box in enumerate(nodes)
    ]
    layers: list[list[_Item]] = [[] for _ in range(depth)]
    for item in items:
        layers[item.layer].append(item)
    chains: dict[int, list[tuple[_Item, int]]] = {}
    """Per link between layers: (item, anchor offset) from the right end (higher layer) to the left end."""
    leftward: set[int] = set()
    """The links between layers whose source is their right end."""
    sides: dict[int, tuple[_Item, int, _Item, int]] = {}
    """Per link within a folded layer: source item and anchor, target item and anchor."""
    for index in plain:
        link = links[index]
        src, dst = items[local[link.source]], items[local[link.target]]
        if src.layer == dst.layer:
            sides[index] = (src, link.source_dy, dst, link.target_dy)
            continue
        right, left = (src, link.source_dy), (dst, link.target_dy)
        if src.layer < dst.layer:
            right, left = left, right
        else:
            leftward.add(index)
        chain = [right]
        for k in range(right[0].layer - 1, left[0].layer, -1):
            lane = _Item(k, LANE, 0, -1, _sub((k + 1) * fold - 1, fold))
            layers[k].append(lane)
            chain.append((lane, LANE // 2))
        chain.append(left)
        for (a, a_dy), (b, b_dy) in pairwise(chain):
            a.left.append((b, a_dy, b_dy))
            b.right.append((a, b_dy, a_dy))
        chains[index] = chain
    _order(layers)
    _place(layers)
    loops: dict[int, list[int]] = {}
    for index in own:
        if links[index].source == links[index].target:
            loops.setdefault(local[links[index].source], []).append(index)
    layer_x, tracks = _columns(layers, chains, sides, items, loops)
    routes: dict[int, list[Point]] = {}
    for index, chain in chains.items():
        points = _route(chain, layer_x, tracks[index])
        routes[index] = points if index in leftward else points[::-1]
    for index, (src, src_dy, dst, dst_dy) in sides.items():
        x, (track,) = layer_x[src.layer], tracks[index]
        ys, yt = int(src.top) + src_dy, int(dst.top) + dst_dy
        routes[index] = [(x, ys), (track, ys), (track, yt), (x, yt)]
    for box, indexes in loops.items():
        item = items[box]
        x_right = layer_x[item.layer] + item.width
        for j, index in enumerate(indexes):
            routes[index] = _loop(links[index], x_right, x_right + LOOP_PAD + j * TRACK, int(item.top))
    rects = {
        nodes[i]: Rect(layer_x[it.layer], int(it.top), it.width, it.height) for i, it in enumerate(items)
    }
    width = max(r.x + r.width for r in rects.values())
    width = max([width, *(x for points in routes.values() for x, _ in points)])
    height = max(r.y + r.height for r in rects.values())
    height = max([height, *(y for points in routes.values() for _, y in points)])
    return _Part(rects, routes, width, height)


def _sub(rank: int, fold: int) -> int:
    """Where a box of layer rank `rank` goes in its folded column: ranks ascending down even columns and
    descending down odd ones (a snake: the column's last rank sits next to the following column's first)."""
    offset = rank % fold
    return offset if (rank // fold) % 2 == 0 else fold - 1 - offset


def _layers(count: int, edges: list[tuple[int, int]]) -> list[int]:
    """Layer per node: longest path to a node without outgoing edges, cycles broken, then nodes promoted."""
    out: list[list[int]] = [[] for _ in range(count)]
    for source, target in edges:
        out[source].append(target)
    state = [0] * count  # 0 unseen, 1 on the stack, 2 done
    dag_out: list[list[int]] = [[] for _ in range(count)]
    post: list[int] = []
    for start in range(count):
        if state[start]:
            continue
        state[start] = 1
        stack = [(start, 0)]
        while stack:
            node, i = stack[-1]
            if i < len(out[node]):
                stack[-1] = (node, i + 1)
                nxt = out[node][i]
                if state[nxt] == 1:
                    dag_out[nxt].append(node)  # closes a cycle: reversed
                    continue
                dag_out[node].append(nxt)
                if state[nxt] == 0:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                post.append(node)
                stack.pop()
    layer = [0] * count
    dag_in: list[list[int]] = [[] for _ in range(count)]
    for node in post:
        for nxt in dag_out[node]:
            layer[node] = max(layer[node], layer[nxt] + 1)
            dag_in[nxt].append(node)
    for node in reversed(post):
        if dag_in[node]:
            layer[node] = max(layer[node], min(layer[s] for s in dag_in[node]) - 1)
    low = min(layer)
    layer = [value - low for value in layer]
    _spread(layer, [not incoming for incoming in dag_in])
    return layer


def _spread(layer: list[int], movable: list[bool]) -> None:
    """Spread crowded layers over unused columns: in a layer holding more than its share of the boxes (a
    hub's many referrers), the last movable boxes (referenced by none) move to the nearest layer to their
    right with room, up to `MAX_COLUMNS` layers. Moving right keeps every link pointing left."""
    if max(layer) + 1 >= MAX_COLUMNS:
        return
    share = max(SPREAD_MIN, -(-len(layer) // (MAX_COLUMNS - 1)))
    count = [0] * MAX_COLUMNS
    for value in layer:
        count[value] += 1
    for k in range(MAX_COLUMNS - 1):
        for node in range(len(layer) - 1, -1, -1):
            if count[k] <= share:
                break
            if layer[node] != k or not movable[node]:
                continue
            room = next((j for j in range(k + 1, MAX_COLUMNS) if count[j] < share), None)
            if room is None:
                return
            layer[node] = room
            count[k] -= 1
            count[room] += 1


def _stack(items: list[_Item]) -> None:
    top = 0.0
    for rank, item in enumerate(items):
        item.rank = rank
        item.top = top
        top += item.height + BOX_SEP


def _order(layers: list[list[_Item]]) -> None:
    """Barycentre sweeps: sort each layer by the mean height of the anchors it links to on one side."""
    for items in layers:
        _stack(items)
    for sweep in range(2 * SWEEPS):
        forward = sweep % 2 == 0
        ks = range(1, len(layers)) if forward else range(len(layers) - 2, -1, -1)
        for k in ks:
            items = layers[k]

            def key(item: _Item, forward: bool = forward) -> tuple[int, float, int]:
                nbs = item.left if forward else item.right
                if not nbs:
                    return (item.sub, item.top, item.rank)
                return (item.sub, sum(nb.top + nb_dy - dy for nb, dy, nb_dy in nbs) / len(nbs), item.rank)

            items.sort(key=key)
            _stack(items)


def _sep(a: _Item, b: _Item) -> int:
    return BOX_SEP if a.box >= 0 and b.box >= 0 else LANE_SEP


def _place(layers: list[list[_Item]]) -> None:
    """Heights: per layer, the tops nearest (least squares) to those its links ask for, in layer order."""
    for items in layers:
        _pack(items, [item.top for item in items])
    for sweep in range(2 * SWEEPS):
        ks = range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1)
        for k in ks:
            items = layers[k]
            wanted = []
            for item in items:
                nbs = item.left + item.right
                if nbs:
                    wanted.append(sum(nb.top + nb_dy - dy for nb, dy, nb_dy in nbs) / len(nbs))
                else:
                    wanted.append(item.top)
            _pack(items, wanted)
    low = min((item.top for items in layers for item in items), default=0.0)
    for items in layers:
        previous: _Item | None = None
        for item in items:
            top = round(item.top - low)
            if previous is not None:
                top = max(top, int(previous.top) + previous.height + _sep(previous, item))
            item.top = float(top)
            previous = item


def _pack(items: list[_Item], wanted: list[float]) -> None:
    """Isotonic regression (pool adjacent violators): tops in order, separated, nearest to `wanted`."""
    offsets: list[float] = []
    offset = 0.0
    for i, item in enumerate(items):
        offsets.append(offset)
        if i + 1 < len(items):
            offset += item.height + _sep(item, items[i + 1])
    blocks: list[list[float]] = []  # [sum, count]
    for target, off in zip(wanted, offsets, strict=True):
        blocks.append([target - off, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    i = 0
    for total, count in blocks:
        mean = total / count
        for _ in range(int(count)):
            items[i].top = mean + offsets[i]
            i += 1


def _columns(
    layers: list[list[_Item]],
    chains: dict[int, list[tuple[_Item, int]]],
    sides: dict[int, tuple[_Item, int, _Item, int]],
    items: list[_Item],
    loops: dict[int, list[int]],
) -> tuple[list[int], dict[int, list[int]]]:
    """Layer x positions and, per chain, the x of its track in each gap it crosses (right to left); per link
    within a layer, the x of its track in the gap left of the layer."""
    widths = [max((item.width for item in items_k), default=0) for items_k in layers]
    for box, indexes in loops.items():
        item = items[box]
        reach = item.width + LOOP_PAD + (len(indexes) - 1) * TRACK + 4
        widths[item.layer] = max(widths[item.layer], reach)
    # gap g lies between layers g and g + 1; gap -1 left of layer 0. Links ending at the same anchor share
    # a track. Per gap: track key → [lowest y, highest y, first seen], and the links on each track.
    gaps: dict[int, dict[tuple[int, int, int], list[int]]] = {g: {} for g in range(-1, len(layers))}
    members: dict[tuple[int, tuple[int, int, int]], list[int]] = {}

    def use(gap: int, key: tuple[int, int, int], y0: int, y1: int, index: int) -> None:
        bucket = gaps[gap].setdefault(key, [min(y0, y1), max(y0, y1), len(gaps[gap])])
        bucket[0], bucket[1] = min(bucket[0], y0, y1), max(bucket[1], y0, y1)
        members.setdefault((gap, key), []).append(index)

    for index, chain in chains.items():
        for hop, ((a, a_dy), (b, b_dy)) in enumerate(pairwise(chain)):
            yb = int(b.top) + b_dy
            use(b.layer, (b.box, yb, 0) if b.box >= 0 else (index, hop, 1), int(a.top) + a_dy, yb, index)
    for index, (src, src_dy, dst, dst_dy) in sides.items():
        yt = int(dst.top) + dst_dy
        use(src.layer - 1, (dst.box, yt, 2), int(src.top) + src_dy, yt, index)
    layer_x: list[int] = []
    track_x: dict[tuple[int, tuple[int, int, int]], int] = {}
    x = 0
    for g, gap in gaps.items():
        if g >= 0:
            layer_x.append(x)
            x += widths[g]
        elif not gap:
            continue
        ordered = sorted(gap.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[1][2]))
        for t, (key, _) in enumerate(ordered):
            track_x[(g, key)] = x + GAP_PAD + t * TRACK
        x += 2 * GAP_PAD + max(0, len(ordered) - 1) * TRACK
    hops: dict[int, list[tuple[int, int]]] = {index: [] for index in [*chains, *sides]}
    for (g, key), indexes in members.items():
        for index in indexes:
            hops[index].append((g, track_x[(g, key)]))
    return layer_x, {index: [x for _, x in sorted(found, reverse=True)] for index, found in hops.items()}


def _route(chain: list[tuple[_Item, int]], layer_x: list[int], tracks: list[int]) -> list[Point]:
    """The polyline of a chain, from its right end to its left end."""
    right, right_dy = chain[0]
    points: list[Point] = [(layer_x[right.layer], int(right.top) + right_dy)]
    for (b, b_dy), x in zip(chain[1:], tracks, strict=True):
        y = int(b.top) + b_dy
        points.append((x, points[-1][1]))
        points.append((x, y))
        if b.box < 0:
            points.append((layer_x[b.layer], y))
    left, left_dy = chain[-1]
    points.append((layer_x[left.layer] + left.width, int(left.top) + left_dy))
    return _simplify(points)


def _loop(link: Link, x_side: int, x: int, top: int) -> list[Point]:
    """A self-link: out of the box's right side at the source row, back in at the target row (4 above and
    below the row when both are the same row)."""
    y1, y2 = top + link.source_dy, top + link.target_dy
    if y1 == y2:
        y1, y2 = y1 - 4, y2 + 4
    return [(x_side, y1), (x, y1), (x, y2), (x_side, y2)]


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and the middle of three collinear points."""
    out: list[Point] = []
    for point in points:
        if out and out[-1] == point:
            continue
        if len(out) >= 2:
            (x0, y0), (x1, y1) = out[-2], out[-1]
            if (x0 == x1 == point[0]) or (y0 == y1 == point[1]):
                out[-1] = point
                continue
        out.append(point)
    return out
