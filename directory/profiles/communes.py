"""French communes with their département and région, from the data shipped in ``data/``.

The files come from INSEE's Code officiel géographique (npm ``@etalab/decoupage-administratif``,
rebuilt by ``data/communes_build.py``): every current commune of France, so no network is needed.
"""

import csv
import gzip
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
WITH_DEPARTEMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<dep>[0-9][0-9AB][0-9]?)\)$")
INSEE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


@dataclass(frozen=True)
class Commune:
    """A commune and the territories it belongs to."""

    code: str
    name: str
    departement_code: str
    departement: str
    region: str

    @property
    def label(self) -> str:
        """How it is written in forms: "Lille (59)"."""
        return f"{self.name} ({self.departement_code})"


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: how names are compared."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[-'’]", " ", plain).split())


@cache
def _territories() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    regions = {row["code"]: row["nom"] for row in _rows("communes-regions.csv")}
    departements = {row["code"]: (row["nom"], regions[row["region"]]) for row in _rows("communes-departements.csv")}
    return departements, regions


@cache
def by_code() -> dict[str, Commune]:
    """Every commune by INSEE code."""
    departements, _ = _territories()
    communes = {}
    for row in _rows("communes.csv.gz"):
        name, region = departements[row["departement"]]
        communes[row["insee"]] = Commune(row["insee"], row["nom"], row["departement"], name, region)
    return communes


@cache
def _by_name() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for commune in by_code().values():
        index.setdefault(fold(commune.name), []).append(commune)
    return index


def prefectures() -> list[Commune]:
    """The prefecture of every département."""
    rows = _rows("communes-departements.csv")
    return [by_code()[row["prefecture"]] for row in rows if row["prefecture"] in by_code()]


def matching(text: str) -> list[Commune]:
    """Communes the text names: an INSEE code, "Nom (59)" or a name (several when ambiguous)."""
    text = " ".join((text or "").split())
    if INSEE_CODE.match(text.upper()):
        found = by_code().get(text.upper())
        return [found] if found else []
    shaped = WITH_DEPARTEMENT.match(text)
    if shaped:
        candidates = _by_name().get(fold(shaped["name"]), [])
        return [c for c in candidates if c.departement_code == shaped["dep"].upper()]
    return list(_by_name().get(fold(text), []))


def _rows(name: str) -> list[dict[str, str]]:
    raw = (DATA / name).read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if name.endswith(".gz") else raw.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))
