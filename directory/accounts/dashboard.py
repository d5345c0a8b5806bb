"""The signed-in person's space: their memberships, their organisation's page, a registration request."""

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import session
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from directory.accounts.models import OidcIdentity
from directory.accounts.oidc import providers
from directory.accounts.permissions import forbidden
from directory.accounts.permissions import login_required
from directory.accounts.permissions import member_required
from directory.core.labels import ORGANISATION_KIND_LABELS
from directory.extensions import db
from directory.organisations import services as organisations
from directory.organisations.forms import RegistrationForm
from directory.organisations.models import Membership
from directory.organisations.services import Binding

bp = Blueprint("dashboard", __name__)


@bp.get("/espace")
@login_required
def home():
    return render_template(
        "accounts/dashboard.html",
        memberships=_memberships(),
        can_register=_registration_binding() is not None,
    )


@bp.get("/espace/organisation")
@login_required
def my_organisation():
    approved = [m for m in _memberships() if m.state == "approved"]
    if not approved:
        pending = next(iter(_memberships()), None)
        forbidden(pending.organisation if pending else None)
    return redirect(url_for("dashboard.organisation", slug=approved[0].organisation.slug))


@bp.get("/espace/organisation/<slug>")
@member_required()
def organisation(membership: Membership):
    to_decide = organisations.memberships_to_decide(membership.organisation) if membership.role == "admin" else []
    return render_template("accounts/organisation.html", membership=membership, to_decide=to_decide)


@bp.route("/espace/organisation/inscription", methods=["GET", "POST"])
@login_required
def register_organisation():
    binding = _registration_binding()
    if binding is None:
        flash(_l("Votre connexion ne permet pas d'inscrire une organisation : il faut un fournisseur d'identité qui atteste son SIRET, son domaine ou son annuaire."), "error")
        return redirect(url_for("dashboard.home"))
    form = RegistrationForm(kind_labels=ORGANISATION_KIND_LABELS)
    if form.validate_on_submit():
        identity = _current_identity()
        organisations.register_organisation(
            current_user, identity.provider, identity.subject, binding, identity.claims.get("acr"), **form.organisation_fields()
        )
        db.session.commit()
        flash(_l("Merci : votre demande d'inscription sera examinée par un administrateur."), "success")
        return redirect(url_for("dashboard.home"))
    return render_template("organisations/register.html", form=form, binding=binding)


def _memberships() -> list[Membership]:
    query = select(Membership).where(Membership.user_id == current_user.id).order_by(Membership.requested_at)
    return list(db.session.scalars(query))


def _current_identity() -> OidcIdentity | None:
    identity_id = (session.get("auth") or {}).get("identity")
    identity = db.session.get(OidcIdentity, identity_id) if identity_id else None
    return identity if identity is not None and identity.user_id == current_user.id else None


def _registration_binding() -> Binding | None:
    """The signed claim of this session's sign-in, if it names no known organisation yet."""
    identity = _current_identity()
    spec = providers().get(identity.provider) if identity else None
    if spec is None:
        return None
    binding = organisations.binding_from_claims(spec.binding_claims, identity.claims)
    if binding is None or organisations.organisation_for(binding, states=("verified", "pending")):
        return None
    return binding
