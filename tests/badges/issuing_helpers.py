"""Small factories for the issuing tests: people with roles, a signed-in client, classes in each state.

Each flushes and returns the row; the issuer, classes and awards come from ``ob_factories``.
"""

import itertools

from flask import g

from directory.accounts.models import User
from directory.badges import lifecycle
from directory.badges.models import BadgeClass
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from tests.badges import ob_factories as factories

_numbers = itertools.count(1)


def person(name: str = "Camille Martin", email: str | None = None) -> User:
    """A user with a verified address."""
    n = next(_numbers)
    user = User(display_name=f"{name} {n}", email=email or f"personne{n}@exemple.fr", email_verified=True)
    db.session.add(user)
    db.session.flush()
    return user


def member(organisation: Organisation, role: str = "member", **fields) -> User:
    """A user with an approved membership of ``organisation`` in ``role``."""
    user = person(**fields)
    db.session.add(Membership(user_id=user.id, organisation=organisation, role=role, state="approved"))
    db.session.flush()
    return user


def login(client, user: User) -> None:
    """Sign ``user`` in on a test client (what a completed sign-in leaves in the session)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    # Requests share the test's app context, where Flask-Login caches the previous user.
    g.pop("_login_user", None)


def anonymous_client(app):
    """A client with nobody signed in (forgetting the user Flask-Login cached in the shared app context)."""
    g.pop("_login_user", None)
    return app.test_client()


def draft(issuer: Organisation, editor: User, **fields) -> BadgeClass:
    """A draft written by ``editor``, aligned to one ESCO skill."""
    content = {
        "name_fr": "Construire son prévisionnel",
        "description_fr": "Construit un prévisionnel financier sur trois ans.",
        "criteria_fr": "Avoir présenté un **prévisionnel** à un banquier.",
        "tags": ["finance"],
        **fields,
    }
    return lifecycle.create_badge_class(issuer, editor, content, [factories.competency()])


def published(issuer: Organisation, editor: User, reviewer: User) -> BadgeClass:
    """A class drafted by ``editor``, approved by ``reviewer`` and published."""
    badge_class = draft(issuer, editor)
    lifecycle.submit_for_review(badge_class, editor)
    lifecycle.add_review(badge_class, reviewer, "approve", "")
    lifecycle.publish(badge_class, editor)
    return badge_class


def team(issuer: Organisation | None = None) -> dict:
    """An issuer with an editor, a reviewer and an admin."""
    issuer = issuer or factories.organisation()
    return {
        "issuer": issuer,
        "editor": member(issuer, "editor", name="Amandine Lefort"),
        "reviewer": member(issuer, "reviewer", name="Julien Caron"),
        "admin": member(issuer, "admin", name="Sophie Vandamme"),
    }
