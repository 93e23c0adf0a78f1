"""The offline basemap: simplified country outlines of the Middle East (``static/basemap.json``,
Natural Earth 1:110m, public domain) drawn as SVG paths in an equirectangular projection, with
event markers placed by the same projection."""

from __future__ import annotations

import json
import math
from functools import lru_cache

from . import STATIC_DIR

WIDTH = 1000.0


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads((STATIC_DIR / "basemap.json").read_text(encoding="utf-8"))


class Projection:
    """Equirectangular with a standard parallel: x ∝ lon·cos(φ0), y ∝ −lat, fitted to ``WIDTH``."""

    def __init__(self, frame: dict):
        self.w, self.e, self.s, self.n = frame["west"], frame["east"], frame["south"], frame["north"]
        self.k = math.cos(math.radians(frame.get("standard_parallel", 0.0)))
        self.scale = WIDTH / ((self.e - self.w) * self.k)
        self.height = round((self.n - self.s) * self.scale, 1)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (round((lon - self.w) * self.k * self.scale, 1), round((self.n - lat) * self.scale, 1))

    def inside(self, lon: float, lat: float) -> bool:
        return self.w <= lon <= self.e and self.s <= lat <= self.n


@lru_cache(maxsize=1)
def basemap() -> dict:
    """``{"width", "height", "countries": [{"id", "name", "d", "label": (x, y)}], "graticule": [...]}``."""
    d = _data()
    proj = Projection(d["frame"])
    countries = []
    for c in d["countries"]:
        paths, best, area_best = [], None, -1.0
        for ring in c["rings"]:
            pts = [proj(lon, lat) for lon, lat in ring]
            paths.append("M" + "L".join(f"{x},{y}" for x, y in pts) + "Z")
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            area = (max(xs) - min(xs)) * (max(ys) - min(ys))
            if area > area_best:
                # label at the mean of the ring's own lon/lat (good enough for these shapes)
                area_best = area
                best = proj(sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
        countries.append(
            {"id": c["id"], "name": c["name"], "d": " ".join(paths), "label": best, "big": area_best > 3000}
        )
    grat = []
    for lon in range(30, int(d["frame"]["east"]) + 1, 10):
        (x, _), (_, y2) = proj(lon, d["frame"]["north"]), proj(lon, d["frame"]["south"])
        grat.append({"d": f"M{x},0L{x},{y2}", "label": f"{lon}°E", "x": x, "y": y2 - 4})
    for lat in range(15, int(d["frame"]["north"]) + 1, 5):
        (_, y), (x2, _) = proj(d["frame"]["west"], lat), proj(d["frame"]["east"], lat)
        grat.append({"d": f"M0,{y}L{x2},{y}", "label": f"{lat}°N", "x": 4, "y": y - 3})
    return {
        "width": WIDTH,
        "height": proj.height,
        "countries": countries,
        "graticule": grat,
        "source": d.get("source", ""),
    }


def markers(places: list[dict]) -> tuple[list[dict], list[dict]]:
    """Places on the map (with x, y, r) and the places not drawn, each with ``why``: outside the
    frame, or a region (``kind`` 'region': the KB gives a macro-region such as the Middle East the
    point of a country inside it, which would put it on that country's marker)."""
    proj = Projection(_data()["frame"])
    on, off = [], []
    top = max((p["events"] for p in places), default=1)
    for p in places:
        if p.get("kind") == "region":
            off.append({**p, "why": "a region, not a point"})
            continue
        if p.get("lat") is None or p.get("lon") is None or not proj.inside(p["lon"], p["lat"]):
            off.append({**p, "why": "outside the map"})
            continue
        x, y = proj(p["lon"], p["lat"])
        on.append({**p, "x": x, "y": y, "r": round(5 + 13 * math.sqrt(p["events"] / top), 1)})
    on.sort(key=lambda p: -p["r"])  # small markers drawn last, on top
    return on, off
