"""Build the offline basemap once: Illinois county lines (us-atlas) and town names (the ZIP gazetteer).

Run from the repository root, with the pinned package unpacked where `npm pack us-atlas@3.0.1` put it:
    npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    .venv/bin/python static/build/make_basemap.py package/counties-10m.json
Writes static/illinois-counties.geojson and static/illinois-towns.json (see static/SOURCES.md).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent
ILLINOIS_FIPS = "17"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (quantized, delta-encoded) as longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 5), round(y * sy + ty, 5)))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        part = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(part if not points else part[1:])
    return points


def counties(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    features = []
    for g in topology["objects"]["counties"]["geometries"]:
        if not str(g.get("id", "")).startswith(ILLINOIS_FIPS):
            continue
        if g["type"] == "Polygon":
            coords = [ring(arcs, r) for r in g["arcs"]]
        else:
            coords = [[ring(arcs, r) for r in polygon] for polygon in g["arcs"]]
        features.append({
            "type": "Feature", "id": g["id"], "properties": {"name": g["properties"]["name"]},
            "geometry": {"type": g["type"], "coordinates": coords},
        })  # fmt: skip
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection", "features": features}


def towns() -> list[list]:
    """[name, latitude, longitude, ZIP count] per Illinois town; more ZIP codes, a bigger town."""
    import zipcodes

    by_city: dict[str, list] = defaultdict(list)
    for z in zipcodes.filter_by(state="IL"):
        if z.get("zip_code_type") == "STANDARD" and z.get("lat") and z.get("long"):
            by_city[z["city"].title()].append((float(z["lat"]), float(z["long"])))
    out = []
    for name, points in sorted(by_city.items()):
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        out.append([name, round(lat, 4), round(lon, 4), len(points)])
    return out


def main(argv: list[str]) -> int:
    topology = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    shapes = counties(topology)
    (STATIC / "illinois-counties.geojson").write_text(json.dumps(shapes, separators=(",", ":")) + "\n")
    (STATIC / "illinois-towns.json").write_text(json.dumps(towns(), separators=(",", ":")) + "\n")
    print(f"{len(shapes['features'])} counties, {len(towns())} towns")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
