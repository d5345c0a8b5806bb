"""Approving organisations and memberships: administrators for everything, organisation admins for their members."""

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from directory.accounts.permissions import admin_required
from directory.accounts.permissions import login_required
from directory.accounts.redirects import safe_next
from directory.extensions import db
from directory.organisations import services as organisations
from directory.organisations.models import Membership
from directory.organisations.models import Organisation

bp = Blueprint("admin", __name__, url_prefix="/admin")

DECISION_ERRORS = {
    "claim_mismatch": _l("Le fournisseur d'identité ne rattache plus cette personne à l'organisation : la demande ne peut pas être approuvée."),
    "already_decided": _l("Cette demande a déjà été traitée."),
    "already_known": _l("Cette organisation est déjà inscrite."),
}


@bp.get("/")
@admin_required
def index():
    return render_template(
        "admin/index.html",
        organisations=organisations.pending_organisations(),
        memberships=organisations.memberships_to_decide(),
    )


@bp.post("/adhesions/<int:membership_id>/<any(approuver, refuser):decision>")
@login_required
def decide_membership(membership_id: int, decision: str):
    membership = db.get_or_404(Membership, membership_id)
    if not organisations.can_decide(membership, current_user):
        abort(403)
    action = organisations.approve_membership if decision == "approuver" else organisations.refuse_membership
    _apply(action, membership, _l("Adhésion approuvée.") if decision == "approuver" else _l("Adhésion refusée."))
    default = url_for("admin.index") if current_user.is_admin else url_for("dashboard.home")
    return redirect(safe_next(request.form.get("next"), default))


@bp.post("/organisations/<int:organisation_id>/<any(approuver, refuser):decision>")
@admin_required
def decide_organisation(organisation_id: int, decision: str):
    organisation = db.get_or_404(Organisation, organisation_id)
    action = organisations.approve_organisation if decision == "approuver" else organisations.refuse_organisation
    _apply(action, organisation, _l("Organisation vérifiée.") if decision == "approuver" else _l("Inscription refusée."))
    return redirect(url_for("admin.index"))


def _apply(action, target, success: str) -> None:
    """Run a decision, commit it, and tell the person deciding how it went."""
    try:
        action(target, current_user)
    except organisations.DecisionError as error:
        db.session.rollback()
        if str(error) == "forbidden":
            abort(403)
        flash(DECISION_ERRORS.get(str(error), str(error)), "error")
        return
    db.session.commit()
    flash(success, "success")
