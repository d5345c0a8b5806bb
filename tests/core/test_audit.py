"""The audit log only grows."""

import pytest

from directory.core.audit import record
from directory.core.models import AuditEntry
from directory.core.models import AuditLogIsAppendOnly


def test_record_then_refuse_changes(db):
    entry = record("award.revoke", ("awards", "abc"), reason_code="fraud")
    db.session.commit()
    assert db.session.get(AuditEntry, entry.id).details == {"reason_code": "fraud"}

    entry.action = "award.create"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action == "award.revoke"
