"""The ONE place deciding what each viewer sees of a profile: page, preview, API and export read it.

Viewers: ``anonymous`` (anyone), ``partner`` (signed in with an approved organisation
membership; administrators count as partners, not as owners: private means private),
``owner``. A profile or a badge is ``public``, ``partners`` or ``private``; a viewer sees
the levels listed in ``VIEWER_LEVELS``. A few fields are never public whatever the profile
says (``FIELD_LEVELS``): the SIRET and evidence are for partners. E-mail addresses, consent
history and messages appear only in the owner's own export.
"""

from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field

from flask import url_for
from sqlalchemy import select

from directory.badges import documents
from directory.extensions import db
from directory.organisations.models import Membership
from directory.profiles.awards_view import AwardView
from directory.profiles.awards_view import load_awards
from directory.profiles.models import Profile
from directory.profiles.models import collection_awards

VISIBILITIES = ("public", "partners", "private")
VIEWERS = ("anonymous", "partner", "owner")
VIEWER_LEVELS = {
    "anonymous": ("public",),
    "partner": ("public", "partners"),
    "owner": VISIBILITIES,
}
# Fields narrower than the profile itself: the lowest visibility level that shows them.
FIELD_LEVELS = {"siret": "partners", "evidence": "partners"}
MAX_FEATURED = 3


def viewer_for(profile: Profile | None, user) -> str:
    """Who this user is to this profile: "owner", "partner" or "anonymous"."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    if profile is not None and profile.user_id == user.id:
        return "owner"
    return "partner" if user.is_admin or is_partner(user) else "anonymous"


def is_partner(user) -> bool:
    """Signed in with at least one approved organisation membership."""
    query = select(Membership.id).where(Membership.user_id == user.id, Membership.state == "approved")
    return db.session.scalar(query.limit(1)) is not None


def sees(viewer: str, level: str) -> bool:
    """Whether a viewer sees something shown at this visibility level."""
    return level in VIEWER_LEVELS[viewer]


def sees_field(viewer: str, name: str) -> bool:
    """Whether a viewer sees this field of a profile they may see."""
    return sees(viewer, FIELD_LEVELS.get(name, "public"))


@dataclass
class ProfileView:
    """What one viewer sees of a profile."""

    slug: str
    url: str
    name: str
    headline: str
    bio: str
    company: str
    siret: str | None
    commune: str
    departement: str
    region: str
    sectors: list[str]
    open_to: list[str]
    links: list[str]
    photo_url: str | None
    accepts_contact: bool
    awards: list[AwardView] = field(default_factory=list)
    collections: list[tuple[str, list[AwardView]]] = field(default_factory=list)

    @property
    def featured(self) -> list[AwardView]:
        return [a for a in self.awards if a.featured]

    @property
    def ungrouped(self) -> list[AwardView]:
        """Badges neither featured nor in a collection, in the holder's order."""
        grouped = {a.uuid for _, awards in self.collections for a in awards}
        return [a for a in self.awards if not a.featured and a.uuid not in grouped]

    def to_json(self) -> dict:
        """The API's JSON (`GET /api/v1/profiles/<slug>`)."""
        data = absolute(asdict(self), ("url", "photo_url"))
        data["awards"] = [absolute(a.to_json(), ("image_url", "issuer_url")) for a in self.awards]
        data["collections"] = [{"name": n, "awards": [a.uuid for a in items]} for n, items in self.collections]
        return data


def absolute(data: dict, keys: tuple[str, ...]) -> dict:
    """Site-relative links made absolute on the public origin (API callers are elsewhere)."""
    for key in keys:
        if isinstance(data.get(key), str) and data[key].startswith("/"):
            data[key] = documents.base_url() + data[key]
    return data


def profile_view(profile: Profile, viewer: str, locale: str = "fr") -> ProfileView | None:
    """The profile as this viewer sees it, or None when they may not see it at all."""
    if not sees(viewer, profile.visibility) and viewer != "owner":
        return None
    view = ProfileView(**_fields(profile, viewer))
    view.awards = load_awards(profile, VIEWER_LEVELS[viewer], sees_field(viewer, "evidence"), locale)
    view.collections = _collections(profile, view.awards)
    return view


def _fields(profile: Profile, viewer: str) -> dict:
    return {
        "slug": profile.slug,
        "url": documents.base_url() + url_for("profiles.show", slug=profile.slug),
        "name": profile.display_name,
        "headline": profile.headline or "",
        "bio": profile.bio or "",
        "company": profile.company_name or "",
        "siret": profile.siret if sees_field(viewer, "siret") else None,
        "commune": profile.commune or "",
        "departement": profile.departement or "",
        "region": profile.region or "",
        "sectors": list(profile.sectors or []),
        "open_to": list(profile.open_to or []),
        "links": list(profile.links or []),
        "photo_url": _photo_url(profile),
        "accepts_contact": bool(profile.accepts_contact and profile.user_id),
    }


def _photo_url(profile: Profile) -> str | None:
    if profile.photo_id is None:
        return None
    return url_for("profiles.photo", slug=profile.slug, v=profile.photo_id)


def _collections(profile: Profile, awards: list[AwardView]) -> list[tuple[str, list[AwardView]]]:
    """Each collection with the badges of it this viewer sees; empty ones are left out."""
    if not profile.collections:
        return []
    by_id = {a.id: a for a in awards}
    ids = [c.id for c in profile.collections]
    rows = db.session.execute(
        select(collection_awards).where(collection_awards.c.collection_id.in_(ids)).order_by(collection_awards.c.position)
    ).all()
    sections = []
    for collection in profile.collections:
        items = [by_id[r.award_id] for r in rows if r.collection_id == collection.id and r.award_id in by_id]
        if items:
            sections.append((collection.name, items))
    return sections


def og_image(view: ProfileView) -> str | None:
    """The picture a shared link shows: the photo, else the first featured (or shown) badge."""
    first = (view.featured or view.awards or [None])[0]
    path = view.photo_url or (first.image_url if first else None)
    return documents.base_url() + path if path and path.startswith("/") else path


def json_ld(view: ProfileView) -> dict:
    """schema.org `Person` markup of what the viewer sees (for search engines)."""
    person = {"@context": "https://schema.org", "@type": "Person", "name": view.name, "url": view.url}
    if view.headline:
        person["jobTitle"] = view.headline
    if view.company:
        person["worksFor"] = {"@type": "Organization", "name": view.company}
    if view.commune:
        person["address"] = {"@type": "PostalAddress", "addressLocality": view.commune,
                             "addressRegion": view.region, "addressCountry": "FR"}
    person["knowsAbout"] = sorted({c for a in view.awards for c in a.competencies})
    person["hasCredential"] = [_credential_ld(a) for a in view.awards if a.status != "revoked"]
    return person


def _credential_ld(award: AwardView) -> dict:
    credential = {"@type": "EducationalOccupationalCredential", "name": award.name,
                  "credentialCategory": "badge", "recognizedBy": {"@type": "Organization", "name": award.issuer}}
    if award.verify_url:
        credential["url"] = award.verify_url
    return credential
