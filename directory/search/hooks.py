"""Indexing follows the database: collect what a flush touched, apply it after the commit.

Nothing is indexed from views. After each flush the keys of changed objects are added to
`session.info`; after the commit they are resolved to profile ids and the documents are
rebuilt from the committed data while the backend's write lock is held, so that two
processes indexing the same profile always leave the later state in the index.
"""

import logging

from flask import current_app
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import Competency
from directory.endorsements.models import Endorsement
from directory.organisations.models import Organisation
from directory.profiles.models import Profile

PENDING = "search_pending"
log = logging.getLogger(__name__)


def changed_keys(obj) -> set[tuple[str, int]]:
    """What the index must look at again when this object changes."""
    if isinstance(obj, Profile):
        return {("profile", obj.id)}
    if isinstance(obj, Award):
        history = inspect(obj).attrs.profile_id.history
        ids = {obj.profile_id, *history.deleted}
        return {("profile", i) for i in ids if i is not None}
    if isinstance(obj, Endorsement):
        keys = {("badge_class", obj.badge_class_id), ("organisation", obj.target_organisation_id)}
        return {key for key in keys if key[1] is not None} | {("suggestions", 0)}
    for model, kind in (
        (BadgeClass, "badge_class"),
        (Organisation, "organisation"),
        (Competency, "competency"),
    ):
        if isinstance(obj, model):
            return {(kind, obj.id), ("suggestions", 0)}
    return set()


def _after_flush(session: Session, flush_context) -> None:
    pending = session.info.setdefault(PENDING, set())
    # An object is "dirty" when only a collection changed (an organisation gaining a signing key
    # or a member): that changes no column the index reads, and re-indexing every holder of the
    # organisation's badges for it cost minutes at 100k profiles.
    dirty = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    for obj in (*session.new, *dirty, *session.deleted):
        pending.update(changed_keys(obj))


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context():
        return
    service = current_app.extensions.get("search")
    if service is None:
        return
    try:
        service.apply(pending)
    except Exception:  # the data is committed: never fail the request, a reindex repairs the index
        log.exception("search indexing failed after commit; run `flask search reindex`")


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def register() -> None:
    """Listen on every session once (repeated calls are harmless)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    # Only the outermost rollback discards what was collected; a savepoint keeps the rest.
    if previous_transaction.parent is None:
        _after_rollback(session)
