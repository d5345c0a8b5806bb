"""Who may see what, read at the route: `@login_required`, `@role_required(...)`, `@admin_required`, members.

JSON callers get 401/403 JSON (the error handlers decide from the request); browsers are sent
to the sign-in page, or shown a 403 page that says why.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from flask_login import login_required
from sqlalchemy import select

from directory.core.errors import wants_json
from directory.extensions import db
from directory.extensions import login_manager
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from directory.organisations.services import approved_membership

__all__ = ["admin_required", "login_required", "member_required", "require_membership", "role_required"]

# Pseudo-roles: an approved member of an issuer, or of any partner organisation.
PSEUDO_ROLES = {"issuer": lambda o: o.kind == "issuer", "partner": lambda o: o.kind != "issuer"}


@login_manager.unauthorized_handler
def unauthorized():
    """Anonymous visitors: 401 for JSON callers, else the sign-in page that brings them back."""
    if wants_json():
        abort(401)
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def admin_required(view: Callable) -> Callable:
    """Only platform administrators."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: str) -> Callable:
    """Users with an approved membership in one of these roles ("admin", "reviewer", … or "partner", "issuer")."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_role(current_user, roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def member_required(*roles: str) -> Callable:
    """For routes with a `slug`: the user's approved membership of that organisation, passed as `membership`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, slug: str, **kwargs):
            organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
            if organisation is None:
                abort(404)
            return view(*args, membership=require_membership(organisation, roles), **kwargs)

        return wrapped

    return decorator


def require_membership(organisation: Organisation, roles: tuple[str, ...] = ()) -> Membership:
    """The current user's approved membership of this organisation, or a 403 that explains itself."""
    membership = approved_membership(current_user, organisation, roles=roles or None)
    if membership is not None:
        return membership
    forbidden(organisation)


def forbidden(organisation: Organisation | None = None):
    """Stop with 403: JSON for API callers, a page naming the membership's state for browsers."""
    if wants_json():
        abort(403)
    state = _state(organisation)
    abort(make_response(render_template("accounts/forbidden.html", organisation=organisation, state=state), 403))


def has_role(user, roles: tuple[str, ...]) -> bool:
    """Whether the user holds one of these roles through an approved membership."""
    query = select(Membership).where(Membership.user_id == user.id, Membership.state == "approved")
    for membership in db.session.scalars(query):
        if membership.role in roles:
            return True
        if any(PSEUDO_ROLES[r](membership.organisation) for r in roles if r in PSEUDO_ROLES):
            return True
    return False


def _state(organisation: Organisation | None) -> str | None:
    if organisation is None:
        return None
    return db.session.scalar(
        select(Membership.state).where(
            Membership.user_id == current_user.id, Membership.organisation_id == organisation.id
        )
    )
