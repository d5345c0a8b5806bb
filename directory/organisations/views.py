"""Public pages of issuers and partner organisations."""

from flask import Blueprint
from flask import abort
from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.badges.models import BadgeClass
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.organisations.models import Organisation

bp = Blueprint("organisations", __name__)


def get_organisation_or_404(slug: str) -> Organisation:
    """Load a verified organisation by slug."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None or organisation.verification_state != "verified":
        abort(404)
    return organisation


@bp.get("/organisations")
def index():
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.verification_state == "verified")
        .order_by(Organisation.kind != "issuer", Organisation.name)
    ).all()
    return render_template("organisations/index.html", organisations=organisations)


@bp.get("/organisations/<slug>")
def show(slug: str):
    organisation = get_organisation_or_404(slug)
    issued = db.session.scalars(
        select(BadgeClass)
        .where(BadgeClass.issuer_id == organisation.id, BadgeClass.state == "published")
        .order_by(BadgeClass.name_fr)
    ).all()
    endorsed = db.session.scalars(
        select(Endorsement)
        .where(Endorsement.endorser_id == organisation.id, Endorsement.state == "active")
        .options(selectinload(Endorsement.badge_class), selectinload(Endorsement.target_organisation))
        .order_by(Endorsement.issued_on)
    ).all()
    return render_template(
        "organisations/show.html", organisation=organisation, issued=issued, endorsed=endorsed
    )
