"""Small factories for sign-in tests: organisations, and people who sign in through the Python provider."""

from directory.accounts.models import OidcIdentity
from directory.accounts.models import User
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from tests.idp.fixtures import new_sub
from tests.idp.fixtures import sign_in

COMMUNE_SIRET = "21590350100017"  # SIREN 215903501


def organisation(slug: str = "commune-exemple", **values) -> Organisation:
    """A verified partner organisation, committed."""
    defaults = {"name": "Commune d'Exemple", "kind": "local_authority", "siren": COMMUNE_SIRET[:9],
                "siret": COMMUNE_SIRET, "web_domain": f"{slug}.exemple.fr", "verification_state": "verified"}
    row = Organisation(slug=slug, **{**defaults, **values})
    db.session.add(row)
    db.session.commit()
    return row


def person(issuer: str, *, is_admin: bool = False, name: str = "Admin Istrateur") -> tuple[User, str]:
    """A user who already has an identity at the Python provider; returns (user, sub)."""
    sub = new_sub("person")
    user = User(display_name=name, email=f"{sub}@exemple.fr", is_admin=is_admin)
    db.session.add(OidcIdentity(user=user, provider="mock", issuer=issuer, subject=sub, claims={}))
    db.session.commit()
    return user, sub


def approved_admin_of(issuer: str, org: Organisation) -> tuple[User, str]:
    """An approved admin of this organisation, bound through the provider's SIRET."""
    user, sub = person(issuer, name="Cheffe de service")
    db.session.add(Membership(user_id=user.id, organisation_id=org.id, role="admin", state="approved",
                              provider="mock", subject=sub, binding_claim="siret", binding_value=org.siret))
    db.session.commit()
    return user, sub


def sign_in_as(rp, issuer: str, sub: str, **claims):
    """Sign in through the Python provider with these claims."""
    return sign_in(rp, issuer, sub, {"email": f"{sub}@exemple.fr", "given_name": "Test", **claims})


def fresh(model, row_id: int):
    """Reload a row the application changed in its own session."""
    db.session.expire_all()
    return db.session.get(model, row_id)
