"""Public pages of issuers and partner organisations."""

from flask import Blueprint
from flask import abort
from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from directory.badges.models import BadgeClass
from directory.core.pagecache import cached_page
from directory.endorsements import public as public_endorsements
from directory.endorsements import services as endorsement_services
from directory.endorsements.services import Target
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
@cached_page
def index():
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.verification_state == "verified")
        .order_by(Organisation.kind != "issuer", Organisation.name)
    ).all()
    return render_template("organisations/index.html", organisations=organisations)


@bp.get("/organisations/<slug>")
@cached_page
def show(slug: str):
    organisation = get_organisation_or_404(slug)
    issued = db.session.scalars(
        select(BadgeClass)
        .where(BadgeClass.issuer_id == organisation.id, BadgeClass.state == "published")
        .order_by(BadgeClass.name_fr)
    ).all()
    endorsed = public_endorsements.given(organisation)
    co_built = public_endorsements.co_built(organisation)
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        issued=issued,
        endorsed=endorsed,
        received=public_endorsements.received(organisation) if organisation.is_issuer else [],
        co_built=co_built,
        reach=public_endorsements.holders_by_departement(public_endorsements.reach_classes(endorsed, co_built)),
        reach_minimum=public_endorsements.MIN_COUNT,
        endorse_as=endorsement_services.endorse_choices(current_user, Target(issuer=organisation)) if organisation.is_issuer else [],
    )
