"""Partner screens: endorse in the name of one's organisation, answer requests, edit, withdraw.

Routes take the organisation's slug, so ``member_required`` loads it and checks the approved
membership (pending or suspended members get the 403 page); then one helper loads the
endorsement *of that organisation*, a service acts, the view commits once and e-mails after.
"""

from collections.abc import Callable
from functools import partial

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from directory.accounts.permissions import login_required
from directory.accounts.permissions import member_required
from directory.badges.models import BadgeClass
from directory.endorsements import notifications
from directory.endorsements import services
from directory.endorsements.forms import DeclineForm
from directory.endorsements.forms import EndorseForm
from directory.endorsements.forms import WithdrawForm
from directory.endorsements.labels import error_message
from directory.endorsements.labels import state_label
from directory.endorsements.models import Endorsement
from directory.endorsements.services import EndorsementError
from directory.endorsements.services import Target
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation

bp = Blueprint("endorsements", __name__)
# A global, not a context processor: imported macros see only globals.
bp.record_once(lambda state: state.app.jinja_env.globals.update(endorsement_state=state_label))
SPACE = "/espace/reconnaissances/<slug>"


# --------------------------------------------------------------------- loaders


def get_endorsement_or_404(organisation: Organisation, endorsement_uuid) -> Endorsement:
    """One of the organisation's endorsements (another organisation's are not found here)."""
    endorsement = db.session.scalar(select(Endorsement).where(Endorsement.uuid == str(endorsement_uuid)))
    if endorsement is None or endorsement.endorser_id != organisation.id:
        abort(404)
    return endorsement


def get_published_class_or_404(badge_uuid) -> BadgeClass:
    """A published badge class; drafts and classes in review are not public, so not found."""
    badge_class = db.session.scalar(select(BadgeClass).where(BadgeClass.uuid == str(badge_uuid)))
    if badge_class is None or badge_class.state != "published":
        abort(404)
    return badge_class


def get_issuer_or_404(slug: str) -> Organisation:
    """A verified issuer."""
    issuer = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if issuer is None or not issuer.is_issuer or issuer.verification_state != "verified":
        abort(404)
    return issuer


def attempt(change: Callable[[], Endorsement], notify: Callable[[Endorsement], None]) -> bool:
    """Run a service, commit, then e-mail about what it changed; if refused, undo and say why."""
    try:
        endorsement = change()
    except EndorsementError as error:
        db.session.rollback()
        flash(error_message(error), "error")
        return False
    db.session.commit()
    notify(endorsement)
    return True


# --------------------------------------------------------------------- overview


@bp.get("/espace/reconnaissances")
@login_required
def home():
    organisations = services.endorser_organisations(current_user)
    if len(organisations) == 1:
        return redirect(url_for("endorsements.organisation", slug=organisations[0].slug))
    return render_template("endorsements/home.html", organisations=organisations)


@bp.get(SPACE)
@member_required()
def organisation(membership: Membership):
    query = select(Endorsement).where(Endorsement.endorser_id == membership.organisation_id)
    rows = list(db.session.scalars(query.order_by(Endorsement.created_at.desc(), Endorsement.id.desc())))
    grouped = {state: [e for e in rows if e.state == state] for state in ("requested", "active")}
    history = [e for e in rows if e.state in ("declined", "withdrawn")]
    return render_template("endorsements/space.html", membership=membership, grouped=grouped, history=history,
                           is_expired=services.is_expired)


# --------------------------------------------------------------------- endorsing


@bp.route(SPACE + "/badges/<uuid:badge_uuid>", methods=["GET", "POST"])
@member_required()
def endorse_badge(membership: Membership, badge_uuid):
    badge_class = get_published_class_or_404(badge_uuid)
    back = url_for("badges.show", slug=badge_class.slug)
    return _endorse(membership.organisation, Target(badge_class=badge_class), back)


@bp.route(SPACE + "/emetteurs/<issuer_slug>", methods=["GET", "POST"])
@member_required()
def endorse_issuer(membership: Membership, issuer_slug: str):
    issuer = get_issuer_or_404(issuer_slug)
    back = url_for("organisations.show", slug=issuer.slug)
    return _endorse(membership.organisation, Target(issuer=issuer), back)


def _endorse(organisation: Organisation, target: Target, back: str):
    form = EndorseForm()
    if form.validate_on_submit():
        change = partial(services.endorse, target, organisation, current_user, form.comment.data, form.valid_until_moment())
        if attempt(change, notifications.notify_endorsed):
            flash(_l("Votre reconnaissance est publiée."), "success")
            return redirect(back)
    existing = services.open_endorsement(target, organisation)
    return render_template("endorsements/form.html", organisation=organisation, target=target, form=form,
                           mode="create", existing=existing, back=back)


# --------------------------------------------------------------------- one endorsement


@bp.route(SPACE + "/<uuid:endorsement_uuid>/<any(modifier, accepter):action>", methods=["GET", "POST"])
@member_required()
def edit(membership: Membership, endorsement_uuid, action: str):
    endorsement = get_endorsement_or_404(membership.organisation, endorsement_uuid)
    expected = "active" if action == "modifier" else "requested"
    if endorsement.state != expected:
        flash(error_message(EndorsementError(f"not_{expected}")), "error")
        return _to_space(membership)
    form = EndorseForm()
    if form.validate_on_submit():
        service = services.edit if action == "modifier" else services.accept
        change = partial(service, endorsement, current_user, form.comment.data, form.valid_until_moment())
        if attempt(change, notifications.notify_endorsed):
            flash(_l("Votre reconnaissance est publiée."), "success")
            return _to_space(membership)
    elif not form.is_submitted() and action == "modifier":
        form.fill(endorsement)
    return render_template("endorsements/form.html", organisation=membership.organisation, form=form, mode=action,
                           target=services.target_of(endorsement), endorsement=endorsement, back=_space_url(membership))


@bp.route(SPACE + "/<uuid:endorsement_uuid>/decliner", methods=["GET", "POST"])
@member_required()
def decline(membership: Membership, endorsement_uuid):
    endorsement = get_endorsement_or_404(membership.organisation, endorsement_uuid)
    form = DeclineForm()
    if form.validate_on_submit():
        if attempt(partial(services.decline, endorsement, current_user, form.reason.data or ""), notifications.notify_declined):
            flash(_l("Demande déclinée."), "success")
        return _to_space(membership)
    return render_template("endorsements/decline.html", membership=membership, endorsement=endorsement, form=form,
                           target=services.target_of(endorsement))


@bp.route(SPACE + "/<uuid:endorsement_uuid>/retirer", methods=["GET", "POST"])
@member_required()
def withdraw(membership: Membership, endorsement_uuid):
    endorsement = get_endorsement_or_404(membership.organisation, endorsement_uuid)
    form = WithdrawForm()
    if form.validate_on_submit():
        if attempt(partial(services.withdraw, endorsement, current_user, form.reason.data), notifications.notify_withdrawn):
            flash(_l("Reconnaissance retirée. Elle est désormais révoquée dans les documents publiés."), "success")
        return _to_space(membership)
    if endorsement.state != "active":
        flash(error_message(EndorsementError("not_active")), "error")
        return _to_space(membership)
    return render_template("endorsements/withdraw.html", membership=membership, endorsement=endorsement, form=form,
                           target=services.target_of(endorsement))


def _space_url(membership: Membership) -> str:
    return url_for("endorsements.organisation", slug=membership.organisation.slug)


def _to_space(membership: Membership):
    return redirect(_space_url(membership))
