"""Human labels, in both languages, for the codes stored in the database."""

from flask import Flask
from flask_babel import lazy_gettext as _l

ORGANISATION_KIND_LABELS = {
    "issuer": _l("Réseau émetteur"),
    "local_authority": _l("Collectivité territoriale"),
    "insurer": _l("Assureur"),
    "business_network": _l("Réseau d'entreprises"),
    "public_employment_service": _l("Service public de l'emploi"),
    "association": _l("Association"),
    "company": _l("Entreprise"),
}
OPEN_TO_LABELS = {
    "missions": _l("missions"),
    "partnerships": _l("partenariats"),
    "hiring": _l("recrutement"),
    "mentoring": _l("mentorat"),
}


def organisation_kind(kind: str) -> str:
    """The label of an organisation kind."""
    return str(ORGANISATION_KIND_LABELS.get(kind, kind))


def open_to_label(code: str) -> str:
    """The label of an "open to" choice."""
    return str(OPEN_TO_LABELS.get(code, code))


def init_app(app: Flask) -> None:
    """Expose the labels to templates."""
    app.jinja_env.globals.update(organisation_kind=organisation_kind, open_to_label=open_to_label)
