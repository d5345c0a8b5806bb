"""Append-only audit log of the state changes that matter."""

from typing import Any

from directory.core.models import AuditEntry
from directory.extensions import db


def record(action: str, target: Any, actor: Any = None, **details: Any) -> AuditEntry:
    """Log an action on a model instance (or a (type, id) pair); never store personal data in details."""
    target_type, target_id = _target(target)
    entry = AuditEntry(
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        actor_id=getattr(actor, "id", actor),
        details=details,
    )
    db.session.add(entry)
    return entry


def _target(target: Any) -> tuple[str, Any]:
    if isinstance(target, tuple):
        return target
    return target.__tablename__, getattr(target, "uuid", None) or target.id
