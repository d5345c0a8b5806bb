"""The demo identity provider's users, matched to the people `flask demo load` creates (development only).

Each demo member signs in with the subject their demo membership records (`demo-<local part>`)
and the claim that membership was bound by (SIRET for public bodies, Google-style `hd` for the
others), so a sign-in through the demo provider finds an approved member, as in production.
"""

from dataclasses import dataclass

from sqlalchemy import select

from directory.accounts.models import OidcIdentity
from directory.accounts.models import User
from directory.demo import data
from directory.extensions import db
from directory.organisations.models import Membership

ENTREPRENEUR_EMAIL = "camille.martin@exemple.fr"
# The demo loader binds public bodies by SIRET, every other organisation by web domain.
SIRET_KINDS = ("local_authority", "public_employment_service")


@dataclass(frozen=True)
class DemoUser:
    """A person the demo provider can sign in, and what they are in the demo."""

    subject: str
    name: str
    role: str
    organisation: str | None
    claims: dict


def demo_users() -> list[DemoUser]:
    """Everyone the demo provider knows: the entrepreneur, every staff member, the administrator."""
    entrepreneur = _person("demo-camille.martin", "Camille Martin", ENTREPRENEUR_EMAIL, "entrepreneur")
    administrator = _person(
        "demo-" + data.ADMINISTRATOR["email"].split("@")[0],
        data.ADMINISTRATOR["display_name"],
        data.ADMINISTRATOR["email"],
        "administrator",
    )
    return [entrepreneur, *(_staff(*row) for row in data.STAFF), administrator]


def link_demo_identities(issuer: str) -> int:
    """Give the demo's users their demo-provider identities (idempotent); flush, never commit."""
    created = 0
    for person in demo_users():
        user = _demo_account(person)
        if user is None or _has_identity(issuer, person.subject):
            continue
        db.session.add(OidcIdentity(user=user, provider="demo", issuer=issuer, subject=person.subject, claims={}))
        created += 1
    db.session.flush()
    return created


def _staff(slug: str, name: str, local: str, role: str) -> DemoUser:
    organisation = next(o for o in [data.ISSUER, *data.PARTNERS] if o["slug"] == slug)
    person = _person(f"demo-{local}", name, f"{local}@{organisation['web_domain']}", role, organisation["name"])
    if organisation["kind"] in SIRET_KINDS:
        person.claims.update(siret=organisation["siret"], acr="eidas1")
    else:
        person.claims["hd"] = organisation["web_domain"]
    return person


def _person(subject: str, name: str, email: str, role: str, organisation: str | None = None) -> DemoUser:
    given, _, family = name.partition(" ")
    claims = {"email": email, "email_verified": True, "name": name, "given_name": given, "family_name": family}
    return DemoUser(subject=subject, name=name, role=role, organisation=organisation, claims=claims)


def _demo_account(person: DemoUser) -> User | None:
    # Staff are found through the subject their demo membership recorded, the others by the
    # address the demo data gives them: a fixed table, never a visitor's input.
    membership = db.session.scalars(
        select(Membership).where(Membership.provider == "demo", Membership.subject == person.subject)
    ).first()
    if membership is not None:
        return membership.user
    return db.session.scalar(select(User).where(User.email == person.claims["email"]))


def _has_identity(issuer: str, subject: str) -> bool:
    query = select(OidcIdentity.id).where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
    return db.session.scalar(query) is not None
