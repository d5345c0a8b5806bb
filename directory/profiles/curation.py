"""The holder curates their badges: who sees each, order, featured ones, collections, evidence. Flush, never commit."""

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select

from directory.badges.models import Award
from directory.badges.models import Evidence
from directory.core.db import new_uuid
from directory.core.models import StoredFile
from directory.extensions import db
from directory.profiles.models import Collection
from directory.profiles.models import Profile
from directory.profiles.models import collection_awards
from directory.profiles.serialisers import MAX_FEATURED
from directory.profiles.serialisers import VISIBILITIES

MAX_COLLECTIONS = 12


class CurationError(ValueError):
    """A curation request that cannot be done; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def ordered_awards(profile: Profile) -> list[Award]:
    """Every badge of the profile in the holder's order (featured ones are also shown first)."""
    query = select(Award).where(Award.profile_id == profile.id).order_by(Award.position, Award.id)
    return list(db.session.scalars(query))


def set_award_visibility(award: Award, visibility: str) -> None:
    """Show a badge to everyone, to partners only, or hide it (private)."""
    if visibility not in VISIBILITIES:
        raise CurationError("visibility")
    award.visibility = visibility
    db.session.flush()


def set_featured(profile: Profile, award: Award, featured: bool) -> None:
    """Feature a badge (at most MAX_FEATURED) or stop featuring it."""
    others = sum(1 for a in ordered_awards(profile) if a.featured and a.id != award.id)
    if featured and others >= MAX_FEATURED:
        raise CurationError("too_many_featured")
    award.featured = featured
    db.session.flush()


def move(profile: Profile, award: Award, offset: int) -> None:
    """Move a badge up (-1) or down (+1) in the holder's order."""
    awards = ordered_awards(profile)
    index = awards.index(award)
    target = max(0, min(len(awards) - 1, index + offset))
    awards.insert(target, awards.pop(index))
    for position, item in enumerate(awards):
        item.position = position
    db.session.flush()


def next_position(profile: Profile) -> int:
    """The position after the last badge (new badges go last)."""
    last = db.session.scalar(select(func.max(Award.position)).where(Award.profile_id == profile.id))
    return (last or 0) + 1


def add_collection(profile: Profile, name: str) -> Collection:
    """A new, empty named collection."""
    name = " ".join((name or "").split())[:120]
    if not name:
        raise CurationError("collection_name")
    if len(profile.collections) >= MAX_COLLECTIONS:
        raise CurationError("too_many_collections")
    collection = Collection(name=name, position=len(profile.collections))
    profile.collections.append(collection)
    db.session.flush()
    return collection


def delete_collection(collection: Collection) -> None:
    """Delete a collection (its badges stay on the profile)."""
    db.session.delete(collection)
    db.session.flush()


def set_collection_awards(collection: Collection, awards: list[Award]) -> None:
    """The collection holds exactly these badges, in the holder's order."""
    db.session.execute(delete(collection_awards).where(collection_awards.c.collection_id == collection.id))
    rows = [{"collection_id": collection.id, "award_id": a.id, "position": i} for i, a in enumerate(awards)]
    if rows:
        db.session.execute(insert(collection_awards), rows)
    db.session.expire(collection, ["awards"])
    db.session.flush()


def add_evidence(award: Award, name: str, narrative: str, url: str | None, upload: tuple[bytes, str, str] | None) -> Evidence:
    """Evidence added by the holder after the award: a text, a link or a file (bytes, type, name)."""
    if not (narrative or url or upload):
        raise CurationError("evidence_empty")
    evidence = Evidence(uuid=new_uuid(), name=(name or "").strip()[:255], narrative=narrative or "", url=url or None)
    if upload is not None:
        data, content_type, filename = upload
        evidence.file = StoredFile.from_bytes(data, content_type, filename)
    award.evidence.append(evidence)
    db.session.flush()
    return evidence


def delete_evidence(award: Award, evidence: Evidence) -> None:
    """Remove a piece of evidence and its file."""
    stored = evidence.file
    award.evidence.remove(evidence)
    db.session.flush()
    if stored is not None:
        db.session.delete(stored)
        db.session.flush()
