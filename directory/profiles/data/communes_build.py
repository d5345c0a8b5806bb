"""Rebuild the shipped communes files from the npm package @etalab/decoupage-administratif.

Run from the unpacked package (``npm pack @etalab/decoupage-administratif && tar xzf …``):
``python directory/profiles/data/communes_build.py package/data directory/profiles/data``.
The data is INSEE's Code officiel géographique, published by Etalab (MIT-licensed package).
"""

import csv
import gzip
import io
import json
import sys
from pathlib import Path


def build(source: Path, target: Path) -> None:
    """Write communes.csv.gz, communes-departements.csv and communes-regions.csv."""
    communes = json.loads((source / "communes.json").read_text("utf-8"))
    current = sorted((c for c in communes if c["type"] == "commune-actuelle"), key=lambda c: c["code"])
    rows = [(c["code"], c["nom"], c["departement"], (c.get("codesPostaux") or [""])[0]) for c in current]
    _write(target / "communes.csv.gz", ("insee", "nom", "departement", "code_postal"), rows, gzipped=True)
    departements = json.loads((source / "departements.json").read_text("utf-8"))
    rows = [(d["code"], d["nom"], d["region"], d["chefLieu"]) for d in departements]
    _write(target / "communes-departements.csv", ("code", "nom", "region", "prefecture"), rows)
    regions = json.loads((source / "regions.json").read_text("utf-8"))
    _write(target / "communes-regions.csv", ("code", "nom"), [(r["code"], r["nom"]) for r in regions])


def _write(path: Path, header: tuple, rows: list, gzipped: bool = False) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = text.getvalue().encode("utf-8")
    # mtime=0 keeps the gzip bytes identical from one rebuild to the next.
    path.write_bytes(gzip.compress(data, mtime=0) if gzipped else data)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
