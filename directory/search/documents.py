"""What of the database is public and searchable: one SearchDoc per listed profile.

The single place that decides what the index may hold: listed profiles (public and with
consent), their public, non-revoked awards, active endorsements that the endorsed issuer
displays, and the labels, synonyms and broader concepts of the aligned competencies.
"""

from collections.abc import Iterable
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import Competency
from directory.endorsements.models import Endorsement
from directory.organisations.models import Organisation
from directory.profiles.models import Profile
from directory.search.analysis import fold
from directory.search.highlight import markdown_text
from directory.search.types import SearchDoc
from directory.search.types import batched

BROADER_LEVELS = 3


def is_listed(profile: Profile | None) -> bool:
    return profile is not None and profile.visibility == "public" and bool(profile.listing_consent)


def is_public_award(award: Award) -> bool:
    return award.visibility == "public" and award.revoked_at is None


def listed_ids(session: Session) -> Iterator[int]:
    """Ids of every listed profile, in id order."""
    query = select(Profile.id).where(Profile.visibility == "public", Profile.listing_consent.is_(True))
    return iter(session.scalars(query.order_by(Profile.id)).all())


def load_profiles(session: Session, ids: Iterable[int]) -> list[Profile]:
    """Profiles with what their documents need, in a few queries."""
    badge_class = selectinload(Profile.awards).selectinload(Award.badge_class)
    query = (
        select(Profile)
        .where(Profile.id.in_(list(ids)))
        .options(
            badge_class.selectinload(BadgeClass.competencies),
            badge_class.selectinload(BadgeClass.issuer),
        )
    )
    return list(session.scalars(query).unique())


def documents(
    session: Session, ids: Iterable[int], size: int = 200
) -> Iterator[tuple[int, SearchDoc | None]]:
    """(id, document) for each id; None when the profile must not be in the index."""
    for batch in batched(ids, size):
        profiles = {profile.id: profile for profile in load_profiles(session, batch)}
        endorsers = Endorsers(session, profiles.values())
        for profile_id in batch:
            profile = profiles.get(profile_id)
            yield profile_id, profile_document(profile, endorsers) if is_listed(profile) else None
        session.expunge_all()


class Endorsers:
    """Organisations with an active, displayed endorsement of a badge class or of an issuer."""

    def __init__(self, session: Session, profiles: Iterable[Profile]):
        classes = {a.badge_class for p in profiles for a in p.awards if a.badge_class}
        rows = session.scalars(
            select(Endorsement)
            .where(Endorsement.state == "active", Endorsement.hidden.is_(False))
            .where(
                Endorsement.badge_class_id.in_([c.id for c in classes])
                | Endorsement.target_organisation_id.in_([c.issuer_id for c in classes])
            )
            .options(selectinload(Endorsement.endorser))
        ).all()
        self.of_class: dict[int, list[Organisation]] = {}
        self.of_issuer: dict[int, list[Organisation]] = {}
        for row in rows:
            target = self.of_class if row.badge_class_id else self.of_issuer
            target.setdefault(row.badge_class_id or row.target_organisation_id, []).append(row.endorser)

    def of(self, badge_class: BadgeClass) -> list[Organisation]:
        return self.of_class.get(badge_class.id, []) + self.of_issuer.get(badge_class.issuer_id, [])


def profile_document(profile: Profile, endorsers: Endorsers) -> SearchDoc:
    """The searchable text and facet values of one listed profile."""
    awards = [a for a in profile.awards if is_public_award(a)]
    classes = list({a.badge_class.id: a.badge_class for a in awards if a.badge_class}.values())
    competencies = list({c.id: c for bc in classes for c in bc.competencies}.values())
    endorsed = [bc for bc in classes if endorsers.of_class.get(bc.id)]
    organisations = [bc.issuer for bc in classes] + [o for bc in classes for o in endorsers.of(bc)]
    return SearchDoc(
        id=str(profile.id),
        endorsed=_lines(line for bc in endorsed for line in _class_skills(bc)),
        skills=_lines([*(line for bc in classes for line in _class_skills(bc)), *_imported_names(awards)]),
        main=_lines(_profile_main(profile) + [o.name for o in organisations]),
        body=_lines([markdown_text(profile.bio or ""), *(_class_text(bc) for bc in classes),
                     *_broader_labels(competencies)]),
        facets=_facets(profile, classes, competencies, endorsers),
        sort_name=fold(f"{profile.last_name} {profile.first_name}".strip() or profile.display_name),
        updated=int(profile.updated_at.timestamp()) if profile.updated_at else 0,
    )


def _lines(parts: Iterable[str]) -> str:
    return "\n".join(part for part in parts if part)


def competency_words(competency: Competency) -> list[str]:
    """Every label and synonym, in French and English."""
    return [competency.label_fr, competency.label_en, competency.synonyms_fr, competency.synonyms_en]


def _class_skills(badge_class: BadgeClass) -> list[str]:
    words = [badge_class.name_fr, badge_class.name_en]
    return words + [word for c in badge_class.competencies for word in competency_words(c)]


def _class_text(badge_class: BadgeClass) -> str:
    # Written in Markdown: indexed as read, so `**mot**` is the word and a link is its text.
    parts = (
        badge_class.description_fr,
        badge_class.description_en,
        badge_class.criteria_fr,
        badge_class.criteria_en,
    )
    return _lines(markdown_text(part) for part in parts if part)


def _imported_names(awards: list[Award]) -> list[str]:
    summaries = [a.imported_summary or {} for a in awards if a.badge_class is None]
    return [
        str(s.get(key)) for s in summaries for key in ("name", "description") if isinstance(s.get(key), str)
    ]


def _profile_main(profile: Profile) -> list[str]:
    fields = [profile.display_name, profile.headline, profile.company_name, *(profile.sectors or [])]
    return [str(f) for f in fields] + [profile.commune, profile.departement, profile.region]


def ancestors(competency: Competency, levels: int = BROADER_LEVELS) -> list[Competency]:
    """The broader concepts of a competency, nearest first."""
    found, current = [], competency.parent
    while current is not None and len(found) < levels:
        found.append(current)
        current = current.parent
    return found


def _broader_labels(competencies: list[Competency]) -> list[str]:
    # Indexing the broader concepts makes a search for a concept find its narrower ones.
    return [word for c in competencies for parent in ancestors(c) for word in competency_words(parent)]


def _facets(profile: Profile, classes, competencies, endorsers: Endorsers) -> dict[str, tuple[str, ...]]:
    values = {
        "region": [profile.region],
        "departement": [profile.departement_code or ""],
        "competence": [str(c.id) for c in competencies],
        "badge": [bc.slug for bc in classes],
        "emetteur": [bc.issuer.slug for bc in classes],
        "reconnu_par": [o.slug for bc in classes for o in endorsers.of(bc)],
        "ouvert_a": list(profile.open_to or []),
    }
    return {name: tuple(dict.fromkeys(v for v in found if v)) for name, found in values.items()}
