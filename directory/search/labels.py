"""Human labels for facet values (the index and the URL hold slugs, ids and codes)."""

import csv
from functools import cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from directory.badges.models import BadgeClass
from directory.badges.models import Competency
from directory.core.labels import open_to_label
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.profiles.communes import DATA as COMMUNES_DATA

FACET_TITLES = {
    "region": _l("Région"),
    "departement": _l("Département"),
    "competence": _l("Compétence"),
    "badge": _l("Badge"),
    "emetteur": _l("Émetteur"),
    "reconnu_par": _l("Reconnu par"),
    "ouvert_a": _l("Ouvert à"),
}
SORT_TITLES = {"relevance": _l("Pertinence"), "name": _l("Nom"), "recent": _l("Mise à jour récente")}


def _locale() -> str:
    locale = get_locale()
    return locale.language if locale else "fr"


@cache
def departement_names() -> dict[str, str]:
    """Every département's name by code, from INSEE's list shipped with the communes.

    Profiles take their département from that same list (`profiles.communes`), so it names
    every code the index can hold, without the `SELECT DISTINCT` over all profiles that took
    a quarter of a results page at 10,000 profiles.
    """
    with (COMMUNES_DATA / "communes-departements.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["nom"] for row in csv.DictReader(handle)}


def _departements(values: list[str]) -> dict[str, str]:
    names = departement_names()
    return {code: f"{names[code]} ({code})" for code in values if code in names}


def _competencies(values: list[str]) -> dict[str, str]:
    ids = [int(v) for v in values if v.isdigit()]
    rows = db.session.scalars(select(Competency).where(Competency.id.in_(ids)))
    return {str(c.id): c.label(_locale()) for c in rows}


def _badges(values: list[str]) -> dict[str, str]:
    rows = db.session.scalars(select(BadgeClass).where(BadgeClass.slug.in_(values)))
    return {bc.slug: bc.name(_locale()) for bc in rows}


def _organisations(values: list[str]) -> dict[str, str]:
    rows = db.session.execute(
        select(Organisation.slug, Organisation.name).where(Organisation.slug.in_(values))
    )
    return {slug: name for slug, name in rows}


RESOLVERS = {
    "departement": _departements,
    "competence": _competencies,
    "badge": _badges,
    "emetteur": _organisations,
    "reconnu_par": _organisations,
    "ouvert_a": lambda values: {v: open_to_label(v) for v in values},
}


def facet_labels(name: str, values: list[str]) -> dict[str, str]:
    """Each value's label; a value without one (deleted since indexing) keeps its raw form."""
    resolver = RESOLVERS.get(name)
    found = resolver(values) if resolver and values else {}
    return {value: found.get(value, value) for value in values}
