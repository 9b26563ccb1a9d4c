"""Regenerate static/maps/world.json, the country shapes of the site's map, from Natural Earth.

The source is Natural Earth's 1:110m admin-0 countries (public domain) as the npm package
world-atlas ships them (TopoJSON, keyed by ISO 3166-1 numeric code). This script decodes the
TopoJSON, projects it (equirectangular, Antarctica left out), simplifies each ring
(Douglas-Peucker) and writes one SVG path a country, keyed by ISO alpha-2 code.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/world_shapes.py package/countries-110m.json
"""

import json
import math
import sys
from pathlib import Path

import pycountry

WIDTH = 1000
NORTH, SOUTH = 84, -58  # Latitudes kept: everything but Antarctica.
SCALE = WIDTH / 360
TOLERANCE = 0.5  # Map units (1 = 0.36 degrees) a simplified ring may stray from the source.
MIN_AREA = 2.0  # Rings smaller than this (square map units) are dropped.
# Shapes Natural Earth gives without a numeric code, and places pycountry names differently.
EXTRA_CODES = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
TARGET = Path(__file__).resolve().parent.parent / "static" / "maps" / "world.json"


def decode_arcs(topology):
    """The arcs as lists of (lon, lat), undoing TopoJSON's quantisation and delta encoding."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(points):
    """A ring that crosses the antimeridian (Fiji, Chukotka) made continuous, on the side where
    most of it lies: drawn as it is, it would streak across the whole map."""
    unwrapped = [points[0]]
    for lon, lat in points[1:]:
        previous = unwrapped[-1][0]
        lon += 360 * round((previous - lon) / 360)
        unwrapped.append((lon, lat))
    middle = sum(lon for lon, _lat in unwrapped) / len(unwrapped)
    shift = -360 * round(middle / 360)
    return [(lon + shift, lat) for lon, lat in unwrapped]


def project(lon, lat):
    lat = max(min(lat, NORTH), SOUTH)
    return ((lon + 180) * SCALE, (NORTH - lat) * SCALE)


def simplify(points, tolerance):
    """Douglas-Peucker: the fewest points that keep the line within `tolerance`."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1e-9
    far, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        distance = abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length
        if distance > far:
            far, index = distance, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def simplify_ring(points):
    """A closed ring simplified in two halves, split at its point farthest from the first."""
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: math.hypot(points[i][0] - x0, points[i][1] - y0))
    return simplify(points[: far + 1], TOLERANCE)[:-1] + simplify(points[far:], TOLERANCE)


def area(points):
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
            )
        )
        / 2
    )


def ring_path(points):
    """An SVG subpath in relative integer steps, the shortest text that draws the ring."""
    rounded = [(round(x), round(y)) for x, y in points]
    steps = [rounded[0]]
    for point in rounded[1:]:
        if point != steps[-1]:
            steps.append(point)
    if len(steps) < 3:
        return ""
    x0, y0 = steps[0]
    moves = [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(steps, steps[1:], strict=False)]
    return f"M{x0} {y0}l" + " ".join(moves).replace(" -", "-") + "z"


def country_code(geometry):
    name = geometry.get("properties", {}).get("name", "")
    if name in EXTRA_CODES:
        return EXTRA_CODES[name]
    entry = pycountry.countries.get(numeric=geometry.get("id", ""))
    return entry.alpha_2 if entry else None


def shapes(topology):
    arcs = decode_arcs(topology)
    paths = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = country_code(geometry)
        if not code or code == "AQ":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points = [project(lon, lat) for lon, lat in unwrap(ring_points(ring, arcs))]
                points = simplify_ring(points)
                if area(points) >= MIN_AREA:
                    paths[code] = paths.get(code, "") + ring_path(points)
    return dict(sorted(paths.items()))


def main(source):
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    height = round((NORTH - SOUTH) * SCALE)
    data = {
        "source": "Natural Earth 1:110m admin-0 countries (public domain), via world-atlas 2.0.2",
        "width": WIDTH,
        "height": height,
        "countries": shapes(topology),
    }
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(data['countries'])} countries, {TARGET.stat().st_size} bytes: {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/countries-110m.json")
