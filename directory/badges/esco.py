"""Import of the ESCO skills shipped with Badgeons, in bulk through SQLAlchemy Core.

The CSV exports in `data/esco/` are joined on `conceptUri` (French and English files),
compared with what the database already holds, and only the difference is written: new
concepts in one multi-row insert, changed ones in one update by primary key. A second run
writes nothing.
"""

import csv
import gzip
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from directory.badges.models import Competency
from directory.core.progress import progress_bar
from directory.extensions import db

FRAMEWORK = "ESCO"
DATA_DIR = Path(__file__).resolve().parent / "data" / "esco"
# The columns this import owns; anything else on a competency row is left alone.
FIELDS = (
    "code",
    "kind",
    "label_fr",
    "label_en",
    "synonyms_fr",
    "synonyms_en",
    "description_fr",
    "description_en",
)


def import_esco(progress: Callable | None = None) -> str:
    """Create or update the ESCO concepts and their hierarchy; flush, never commit."""
    concepts = read_concepts(DATA_DIR)
    broader = read_broader(DATA_DIR)
    existing = _existing_rows()
    new_rows = [
        {"framework": FRAMEWORK, "parent_id": None, **concept}
        for uri, concept in concepts.items()
        if uri not in existing
    ]
    if new_rows:
        db.session.execute(insert(Competency), new_rows)
        existing = _existing_rows()
    changes = []
    with progress_bar(progress, concepts.values(), "ESCO") as bar:
        for concept in bar:
            row = existing[concept["uri"]]
            parent = existing.get(broader.get(concept["uri"], ""))
            wanted = {**concept, "parent_id": parent["id"] if parent else None}
            if any(row[key] != value for key, value in wanted.items()):
                changes.append({"id": row["id"], **wanted})
    if changes:
        db.session.execute(update(Competency), changes)
    db.session.flush()
    created = {row["uri"] for row in new_rows}
    updated = sum(1 for change in changes if change["uri"] not in created)
    return (
        f"ESCO: {len(concepts)} concepts, {len(created)} created, {updated} updated, "
        f"{len(broader)} with a broader concept."
    )


def read_concepts(directory: Path) -> dict[str, dict]:
    """The skills and skill groups, French and English joined, keyed by concept URI."""
    concepts: dict[str, dict] = {}
    for kind_of, french, english in (
        (_skill_kind, "skills_fr.csv.gz", "skills_en-us.csv.gz"),
        (lambda row: "group", "skillGroups_fr.csv.gz", "skillGroups_en.csv.gz"),
    ):
        english_rows = {row["conceptUri"]: row for row in _read(directory / english)}
        for row in _read(directory / french):
            uri = row["conceptUri"]
            other = english_rows.get(uri, {})
            concepts[uri] = {
                "uri": uri,
                "code": uri.rstrip("/").rsplit("/", 1)[-1],
                "kind": kind_of(row),
                "label_fr": row["preferredLabel"].strip(),
                "label_en": other.get("preferredLabel", "").strip(),
                "synonyms_fr": _synonyms(row.get("altLabels", "")),
                "synonyms_en": _synonyms(other.get("altLabels", "")),
                "description_fr": row.get("description", "").strip(),
                "description_en": other.get("description", "").strip(),
            }
    return concepts


def read_broader(directory: Path) -> dict[str, str]:
    """Each concept's first broader concept, by URI."""
    broader: dict[str, str] = {}
    for row in _read(directory / "broaderRelationsSkillPillar.csv.gz"):
        broader.setdefault(row["conceptUri"], row["broaderUri"])
    return broader


def _existing_rows() -> dict[str, dict]:
    columns = [Competency.id, Competency.uri, Competency.parent_id]
    columns += [getattr(Competency, field) for field in FIELDS]
    result = db.session.execute(select(*columns).where(Competency.framework == FRAMEWORK))
    return {row.uri: row._asdict() for row in result}


def _skill_kind(row: dict) -> str:
    return "knowledge" if row.get("skillType", "").strip() == "knowledge" else "skill"


def _synonyms(value: str) -> str:
    return "\n".join(label.strip() for label in value.splitlines() if label.strip())


def _read(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)

