"""From changed objects to index writes, and the full rebuild (SQLAlchemy only, no Flask)."""

from collections.abc import Callable
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy import union
from sqlalchemy.orm import Session

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import badge_class_competencies
from directory.endorsements.models import Endorsement
from directory.search.documents import documents
from directory.search.documents import listed_ids
from directory.search.suggestions import suggestion_entries
from directory.search.types import SearchBackend

BATCH = 500  # profiles re-indexed under one write lock


def _awards_of_classes(class_ids) -> select:
    return select(Award.profile_id).where(Award.badge_class_id.in_(class_ids), Award.profile_id.is_not(None))


def affected_profiles(session: Session, keys: Iterable[tuple[str, int]]) -> set[int]:
    """Ids of the profiles whose documents depend on these changed objects."""
    by_kind: dict[str, set[int]] = {}
    for kind, key in keys:
        by_kind.setdefault(kind, set()).add(key)
    ids = set(by_kind.get("profile", ()))
    queries = [_awards_of_classes(by_kind["badge_class"])] if "badge_class" in by_kind else []
    if "competency" in by_kind:
        aligned = select(badge_class_competencies.c.badge_class_id).where(
            badge_class_competencies.c.competency_id.in_(by_kind["competency"])
        )
        queries.append(_awards_of_classes(aligned))
    if "organisation" in by_kind:
        queries.append(_awards_of_classes(_classes_of_organisations(by_kind["organisation"])))
    if queries:
        ids.update(session.scalars(union(*queries)))
    return ids


def _classes_of_organisations(ids: set[int]):
    """Badge classes an organisation issues or endorses, or whose issuer it endorses."""
    endorsed = select(Endorsement.badge_class_id).where(Endorsement.endorser_id.in_(ids))
    endorsed_issuers = select(Endorsement.target_organisation_id).where(Endorsement.endorser_id.in_(ids))
    return select(BadgeClass.id).where(
        BadgeClass.issuer_id.in_(ids)
        | BadgeClass.id.in_(endorsed)
        | BadgeClass.issuer_id.in_(endorsed_issuers)
    )


def apply_changes(backend: SearchBackend, session: Session, keys: set[tuple[str, int]]) -> int:
    """Re-read the affected profiles under the write lock and upsert or delete each one."""
    ids = affected_profiles(session, keys)
    return index_profiles(backend, session, ids, refresh_suggestions=("suggestions", 0) in keys)


def index_profiles(
    backend: SearchBackend, session: Session, ids: Iterable[int], refresh_suggestions: bool = False,
    on_batch: Callable[[int, int], None] | None = None,
) -> int:  # fmt: skip
    """Rebuild these profiles' documents from the database, a batch per write lock.

    The documents are read while the lock is held, so of two processes indexing one profile
    the later always writes last; batches keep the lock short when thousands of holders of a
    badge class are re-indexed, so that other writers are never kept waiting for minutes.
    """
    ids = sorted(ids)
    for start in range(0, len(ids), BATCH):
        with backend.writer() as writer:
            for profile_id, doc in documents(session, ids[start : start + BATCH]):
                writer.upsert(doc) if doc else writer.delete(str(profile_id))
        if on_batch is not None:  # (profiles done, profiles in all): a job's progress
            on_batch(min(start + BATCH, len(ids)), len(ids))
    if refresh_suggestions:
        backend.replace_suggestions(suggestion_entries(session))
    return len(ids)


def rebuild(backend: SearchBackend, session: Session, progress: Callable | None = None) -> int:
    """Rebuild the whole index and the suggestions from the database."""
    ids = list(listed_ids(session))
    docs = (doc for _, doc in documents(session, ids) if doc)
    if progress is not None:
        with progress(docs, length=len(ids), label="Indexation") as bar:
            count = backend.rebuild(bar)
    else:
        count = backend.rebuild(docs)
    backend.replace_suggestions(suggestion_entries(session))
    return count
