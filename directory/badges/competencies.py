"""Competencies: search-as-you-type over labels and synonyms, and frameworks imported from CSV.

Search folds case and accents on every database: SQL narrows with a pattern whose vowels
are single-character wildcards ("gerer" finds "gérer"), then Python keeps and ranks the rows
whose folded text really holds every word.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import and_
from sqlalchemy import or_
from sqlalchemy import select

from directory.badges.models import Competency
from directory.badges.services import IssuingError
from directory.core.progress import progress_bar
from directory.extensions import db

SEARCH_COLUMNS = (Competency.label_fr, Competency.label_en, Competency.synonyms_fr, Competency.synonyms_en)
WILDCARD_LETTERS = set("aeiouycàâäéèêëîïôöùûüÿçæœAEIOUYCÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÇ")
CANDIDATES = 300
RESERVED_FRAMEWORKS = ("ESCO",)  # loaded by `flask competencies import-esco`
COLUMNS = ("code", "uri", "label_fr", "label_en", "synonyms_fr", "synonyms_en", "description_fr", "description_en", "parent")


# --------------------------------------------------------------------- search


def fold(text: str) -> str:
    """Lower case without accents, for comparing what people type with labels."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_words(query: str) -> list[str]:
    """The words of a query worth searching (LIKE's own wildcards removed)."""
    cleaned = re.sub(r"[%_\\]", " ", query or "")
    return [word for word in fold(cleaned).split() if len(word) >= 2][:6]


def search_competencies(query: str, limit: int = 10, framework: str | None = None) -> list[Competency]:
    """Competencies whose labels or synonyms (French or English) hold every word, best first."""
    words = search_words(query)
    if not words:
        return []
    statement = select(Competency).where(and_(*(_matches(word) for word in words)))
    if framework:
        statement = statement.where(Competency.framework == framework)
    candidates = db.session.scalars(statement.limit(CANDIDATES)).all()
    found = [c for c in candidates if all(word in _haystack(c) for word in words)]
    return sorted(found, key=lambda c: _rank(c, words))[:limit]


def _matches(word: str):
    pattern = "%" + "".join("_" if letter in WILDCARD_LETTERS else letter for letter in word) + "%"
    return or_(*(column.ilike(pattern) for column in SEARCH_COLUMNS))


def _haystack(competency: Competency) -> str:
    return fold(" ".join(getattr(competency, column.key) or "" for column in SEARCH_COLUMNS))


def _rank(competency: Competency, words: list[str]) -> tuple:
    """Label prefix first, then label match, then synonym only; shorter labels first."""
    labels = (fold(competency.label_fr), fold(competency.label_en))
    phrase = " ".join(words)
    prefix = any(label.startswith(phrase) for label in labels)
    in_label = all(word in " ".join(labels) for word in words)
    return (not prefix, not in_label, len(competency.label_fr))


def competency_summary(competency: Competency, locale: str) -> dict:
    """What the picker shows of a competency (the JSON endpoint's items)."""
    return {
        "id": competency.id,
        "label": competency.label(locale),
        "framework": competency.framework,
        "code": competency.code,
        "uri": competency.uri,
    }


def competencies_by_ids(ids: list) -> list[Competency]:
    """Competencies in the order given, unknown ids ignored."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    found = {c.id: c for c in db.session.scalars(select(Competency).where(Competency.id.in_(wanted)))}
    return [found[i] for i in dict.fromkeys(wanted) if i in found]


# --------------------------------------------------------------------- framework import


@dataclass
class FrameworkFile:
    """A framework CSV read and checked: rows to write, or the lines at fault."""

    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_framework_csv(text: str, framework: str) -> FrameworkFile:
    """Check every line of a framework file before anything is written."""
    result = FrameworkFile()
    if framework.upper() in RESERVED_FRAMEWORKS or not 0 < len(framework) <= 40:
        result.errors.append(f"framework name {framework!r} is reserved or too long")
        return result
    reader = csv.DictReader(io.StringIO(text), dialect=_dialect(text))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "label_fr" not in headers or not {"code", "uri"} & set(headers):
        result.errors.append("the header needs label_fr and code or uri")
        return result
    for number, raw in enumerate(reader, start=2):
        _read_row(number, {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}, framework, result)
    return result


def _read_row(number: int, row: dict, framework: str, result: FrameworkFile) -> None:
    code, uri = row.get("code", ""), row.get("uri", "")
    if not row.get("label_fr") or not (code or uri):
        result.errors.append(f"line {number}: label_fr and code (or uri) are required")
        return
    if uri and not re.match(r"^(https?|urn):", uri):
        result.errors.append(f"line {number}: uri must start with https:, http: or urn:")
        return
    uri = uri or f"urn:badgeons:{_slug(framework)}:{code}"
    values = {name: row.get(name, "") for name in COLUMNS[2:8]}
    for name in ("synonyms_fr", "synonyms_en"):
        values[name] = "\n".join(s.strip() for s in re.split(r"[|\n]", values[name]) if s.strip())
    result.rows.append({"code": code or uri.rsplit("/", 1)[-1], "uri": uri, "parent": row.get("parent", ""), **values})


def import_framework(text: str, framework: str, progress: Callable | None = None) -> str:
    """Create or update a framework's competencies from CSV (all checked first); flush, never commit."""
    checked = read_framework_csv(text, framework)
    if checked.errors:
        raise IssuingError("invalid_file", errors=checked.errors)
    existing = {c.uri: c for c in db.session.scalars(select(Competency).where(Competency.framework == framework))}
    created = 0
    with progress_bar(progress, checked.rows, framework) as rows:
        for row in rows:
            competency = existing.get(row["uri"])
            if competency is None:
                competency = existing[row["uri"]] = Competency(framework=framework, kind="skill", uri=row["uri"])
                db.session.add(competency)
                created += 1
            for name in ("code", *COLUMNS[2:8]):
                setattr(competency, name, row[name])
    db.session.flush()
    _link_parents(checked.rows, existing)
    return f"{framework}: {len(checked.rows)} competencies, {created} created, {len(checked.rows) - created} updated."


def _link_parents(rows: list[dict], existing: dict[str, Competency]) -> None:
    by_code = {c.code: c for c in existing.values()}
    for row in rows:
        parent = by_code.get(row["parent"]) if row["parent"] else None
        existing[row["uri"]].parent_id = parent.id if parent else None
    db.session.flush()


def _dialect(text: str):
    """French spreadsheets write semicolons; others commas."""
    first = text.split("\n", 1)[0]
    return "excel-semicolon" if first.count(";") > first.count(",") else "excel"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "framework"


class _Semicolon(csv.excel):
    delimiter = ";"


csv.register_dialect("excel-semicolon", _Semicolon)
