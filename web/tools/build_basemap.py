"""Build the map's basemap: Natural Earth countries (1:110m) from the npm package `world-atlas`,
as one compact SVG in web/static with the package version in its file name.

    npm pack world-atlas@2.0.2
    python web/tools/build_basemap.py world-atlas-2.0.2.tgz

Natural Earth is public domain; world-atlas (TopoJSON packaging) is ISC-licensed by Mike
Bostock. The SVG uses an equirectangular projection with x = longitude and y = -latitude,
scaled by ten so that every coordinate is a whole number; `web/placemap.py` places the dots
in the same frame.
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
SCALE = 10  # SVG units per degree
MEMBER = "package/countries-110m.json"
LAND = "#d9dee4"
BORDER = "#ffffff"
WATER = "#f3f6f9"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (TopoJSON stores quantized deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian (Fiji, Chukotka), made continuous and drawn on
    both edges of the map, instead of a stroke across the whole world."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(points, points[1:], strict=False)):
        return [points]
    out = [points[0]]
    for lon, lat in points[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        out.append((lon, lat))
    shift = 360 if min(p[0] for p in out) < -180 else -360
    return [out, [(lon + shift, lat) for lon, lat in out]]


def ring_path(points) -> str:
    """A closed path in relative moves over whole SVG units, skipping repeated points."""
    out = []
    last = None
    for lon, lat in points:
        x, y = round(lon * SCALE), round(-lat * SCALE)
        if last is None:
            out.append(f"M{x} {y}")
        elif (x, y) != last:
            out.append(f"l{x - last[0]} {y - last[1]}")
        last = (x, y)
    return "".join(out) + "z"


def country_paths(topology: dict) -> list[tuple[str, str]]:
    arcs = decode_arcs(topology)
    paths = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        if name == "Antarctica":
            continue
        kind = geometry.get("type")
        polygons = geometry["arcs"] if kind == "MultiPolygon" else [geometry.get("arcs", [])]
        if kind not in ("Polygon", "MultiPolygon"):
            continue
        d = "".join(
            ring_path(part)
            for polygon in polygons
            for ring in polygon
            for part in unwrap(ring_points(ring, arcs))
        )
        paths.append((name, d))
    return paths


def build_svg(topology: dict, version: str) -> str:
    paths = country_paths(topology)
    body = "\n".join(f'<path d="{d}"><title>{name}</title></path>' for name, d in paths)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1800 -900 3600 1800">\n'
        f"<!-- Natural Earth 1:110m countries via world-atlas {version} (public domain; "
        "packaging ISC, Mike Bostock). Built by web/tools/build_basemap.py. -->\n"
        f'<rect x="-1800" y="-900" width="3600" height="1800" fill="{WATER}"/>\n'
        f'<g fill="{LAND}" stroke="{BORDER}" stroke-width="1.5" stroke-linejoin="round" '
        f'fill-rule="evenodd">\n{body}\n</g>\n</svg>\n'
    )


def main(tarball: str) -> Path:
    with tarfile.open(tarball) as tar:
        package = json.load(tar.extractfile("package/package.json"))
        topology = json.load(tar.extractfile(MEMBER))
    version = package["version"]
    target = STATIC / f"world-110m-{version}.svg"
    target.write_text(build_svg(topology, version), encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = main(sys.argv[1])
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
