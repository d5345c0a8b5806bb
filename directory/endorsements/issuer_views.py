"""Issuer staff screens: endorsements received (new ones first), hide or show them, ask a partner.

Same pattern as the partner screens: ``member_required`` with staff roles, one loader that
only finds endorsements *of this issuer*, a service, one commit, e-mails after.
"""

from functools import partial

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.accounts.permissions import member_required
from directory.badges.models import BadgeClass
from directory.badges.services import EDITOR_ROLES
from directory.badges.services import STAFF_ROLES
from directory.badges.staff_views import issuer_of
from directory.endorsements import notifications
from directory.endorsements import services
from directory.endorsements.forms import HideForm
from directory.endorsements.forms import RequestForm
from directory.endorsements.models import Endorsement
from directory.endorsements.services import Target
from directory.endorsements.views import attempt
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation

bp = Blueprint("issuer_endorsements", __name__)
AREA = "/emetteur/<slug>/reconnaissances"


def received_query(issuer: Organisation):
    """Every endorsement of the issuer or of its badge classes, whatever its state."""
    of_classes = select(BadgeClass.id).where(BadgeClass.issuer_id == issuer.id)
    return select(Endorsement).where(
        or_(Endorsement.badge_class_id.in_(of_classes),
            (Endorsement.target_type == "issuer") & (Endorsement.target_organisation_id == issuer.id))
    )


def get_received_or_404(issuer: Organisation, endorsement_uuid) -> Endorsement:
    """One endorsement this issuer received."""
    query = received_query(issuer).where(Endorsement.uuid == str(endorsement_uuid))
    endorsement = db.session.scalar(query)
    if endorsement is None:
        abort(404)
    return endorsement


@bp.get(AREA)
@member_required(*STAFF_ROLES)
def received(membership: Membership):
    issuer = issuer_of(membership)
    options = (selectinload(Endorsement.endorser), selectinload(Endorsement.badge_class))
    rows = list(db.session.scalars(received_query(issuer).options(*options).order_by(Endorsement.created_at.desc())))
    active = [e for e in rows if e.state == "active"]
    return render_template(
        "endorsements/issuer.html", issuer=issuer, membership=membership, can_act=membership.role in EDITOR_ROLES,
        new=[e for e in active if e.acknowledged_at is None], seen=[e for e in active if e.acknowledged_at is not None],
        requests=[e for e in rows if e.state in ("requested", "declined")],
        withdrawn=[e for e in rows if e.state == "withdrawn"], is_expired=services.is_expired,
    )


@bp.post(AREA + "/vues")
@member_required(*STAFF_ROLES)
def acknowledge(membership: Membership):
    issuer = issuer_of(membership)
    services.acknowledge(list(db.session.scalars(received_query(issuer))), current_user, issuer)
    db.session.commit()
    return redirect(url_for("issuer_endorsements.received", slug=issuer.slug))


@bp.route(AREA + "/demander", methods=["GET", "POST"])
@member_required(*EDITOR_ROLES)
def ask(membership: Membership):
    issuer = issuer_of(membership)
    form = request_form(issuer)
    if form.validate_on_submit():
        target = _target(issuer, form.target.data)
        partner = db.session.get(Organisation, form.partner.data) or abort(400)
        if attempt(partial(services.request_endorsement, target, partner, current_user, form.message.data or ""),
                   notifications.notify_requested):
            flash(_l("Demande envoyée à %(org)s.", org=partner.name), "success")
            return redirect(url_for("issuer_endorsements.received", slug=issuer.slug))
    return render_template("endorsements/request.html", issuer=issuer, form=form)


@bp.route(AREA + "/<uuid:endorsement_uuid>/masquer", methods=["GET", "POST"])
@member_required(*EDITOR_ROLES)
def hide(membership: Membership, endorsement_uuid):
    issuer = issuer_of(membership)
    endorsement = get_received_or_404(issuer, endorsement_uuid)
    form = HideForm()
    if form.validate_on_submit():
        if attempt(partial(services.hide, endorsement, current_user, form.reason.data), notifications.notify_display):
            flash(_l("Cette reconnaissance n'est plus affichée sur vos pages."), "success")
        return redirect(url_for("issuer_endorsements.received", slug=issuer.slug))
    return render_template("endorsements/hide.html", issuer=issuer, endorsement=endorsement, form=form,
                           target=services.target_of(endorsement))


@bp.post(AREA + "/<uuid:endorsement_uuid>/afficher")
@member_required(*EDITOR_ROLES)
def unhide(membership: Membership, endorsement_uuid):
    issuer = issuer_of(membership)
    endorsement = get_received_or_404(issuer, endorsement_uuid)
    if attempt(partial(services.unhide, endorsement, current_user), notifications.notify_display):
        flash(_l("Cette reconnaissance est de nouveau affichée."), "success")
    return redirect(url_for("issuer_endorsements.received", slug=issuer.slug))


def request_form(issuer: Organisation) -> RequestForm:
    """The request form, offering the issuer's published classes and verified partner organisations."""
    form = RequestForm()
    classes = select(BadgeClass).where(BadgeClass.issuer_id == issuer.id, BadgeClass.state == "published")
    itself = ("issuer", _l("%(issuer)s (l'émetteur)", issuer=issuer.name))
    form.target.choices = [itself] + [(c.uuid, c.name_fr) for c in db.session.scalars(classes.order_by(BadgeClass.name_fr))]
    partners = select(Organisation).where(Organisation.verification_state == "verified", Organisation.id != issuer.id)
    form.partner.choices = [(o.id, o.name) for o in db.session.scalars(partners.order_by(Organisation.name))]
    return form


def _target(issuer: Organisation, value: str) -> Target:
    """The issuer itself, or one of its badge classes (a request about another issuer's class is refused)."""
    if value == "issuer":
        return Target(issuer=issuer)
    badge_class = db.session.scalar(select(BadgeClass).where(BadgeClass.uuid == value, BadgeClass.issuer_id == issuer.id))
    return Target(badge_class=badge_class) if badge_class is not None else abort(400)
